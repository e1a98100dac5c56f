# Chapter 03 demo: namespaces are files; nsjoin joins them; a pin keeps
# one alive; a pod is containers sharing a holder's net/ipc/uts.
demo_title="Chapter 03: joining namespaces (nsjoin), pins, and a pod"

demo_setup() {
	DEMO_HOLDER_NAME=cfs-pod-$$
}

# Kill what the steps started, by the PIDs they wrote down: the holder's
# unshare (its sleep dies with it, --kill-child), the server member's
# pidns and that member's init (a PID namespace dies with its init).
demo_cleanup() {
	local file pid
	for file in "$DEMO_TMP"/*.pid; do
		[[ -e $file ]] || continue
		for pid in $(cat "$file"); do
			kill -KILL "$pid" 2>/dev/null || true
		done
	done
	if [[ -e $DEMO_TMP/pin-net ]]; then
		umount -l "$DEMO_TMP/pin-net" 2>/dev/null || true
	fi
}

demo_steps() {
	step "Every process's namespaces are files under /proc/PID/ns; the number in brackets is the namespace's identity." \
		"ls -l /proc/\$\$/ns | awk 'NR > 1 { print \$9, \$10, \$11 }'"
	step "A holder (Kubernetes' pause container): a sleeping process in new network, IPC and UTS namespaces." \
		"unshare --net --ipc --uts --fork --kill-child sleep 600 >holder.out 2>&1 & echo \$! >holder.pid
		sleep 0.3; cat /proc/\$(cat holder.pid)/task/\$(cat holder.pid)/children | tr -d ' ' >holder.target
		echo holder: \$(cat holder.target); readlink /proc/\$(cat holder.target)/ns/net /proc/\$\$/ns/net"
	step "nsjoin runs the host's own ip in the holder's network namespace: only a loopback, down. Bring it up, name the pod." \
		"$BIN/nsjoin --target \$(cat holder.target) --net -- ip -brief link
		$BIN/nsjoin --target \$(cat holder.target) --net --uts -- sh -c 'ip link set lo up; hostname $DEMO_HOLDER_NAME'"
	step "Joining a file of the wrong type fails before anything changes: one line, nothing run." \
		"$BIN/nsjoin --net=/proc/\$(cat holder.target)/ns/uts -- echo never printed; echo exit status \$?" 
	step "Pod member 1 (chapter 02's pidns): its own PID and mount namespaces, the holder's net/ipc/uts; it serves on 127.0.0.1:8080." \
		"$BIN/nsjoin --target \$(cat holder.target) --net --ipc --uts -- $BIN/pidns --pid --mount --root $ROOTFS -- \\
		   /bin/sh -c '/bin/probe ns procs | grep -E \"^ns.(net|pid)=|procs\"; exec /usr/sbin/httpd -f -p 127.0.0.1:8080 -h /www' >server.out 2>&1 &
		echo \$! >server.pid; sleep 0.5; cat /proc/\$(cat server.pid)/task/\$(cat server.pid)/children >>server.pid; cat server.out"
	step "Pod member 2, another container, reaches member 1 on the pod's loopback: same ns.net, another ns.pid, same hostname." \
		"$BIN/nsjoin --target \$(cat holder.target) --net --ipc --uts -- $BIN/pidns --pid --mount --root $ROOTFS -- \\
		   /bin/sh -c '/bin/probe ns procs | grep -E \"^ns.(net|pid)=|procs\"; hostname; wget -q -O - http://127.0.0.1:8080/'"
	step_may_fail "The host's 127.0.0.1 is another loopback: nothing listens on 8080 there." \
		"timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080'"
	step "nsjoin --pid forks: the child is in the member's PID namespace, where PID 1 is pidns's init." \
		"$BIN/nsjoin --target \$(sed -n 2p server.pid) --pid --mnt -- /bin/ps"
	step "Pin the pod's network namespace to a file: a bind mount of /proc/PID/ns/net, what 'ip netns add' makes." \
		"$BIN/nsjoin pin --target \$(cat holder.target) --net pin-net; grep pin-net /proc/self/mountinfo | cut -d' ' -f4,5,9"
	step "Kill every process of the pod: the pinned namespace lives on, with its loopback still up, joined by path." \
		"kill -KILL \$(cat server.pid holder.pid); sleep 0.3; $BIN/nsjoin --net=pin-net -- ip -brief addr show lo"
	step "Unpin: the mount and the file are gone, and with them the last reference to the namespace." \
		"$BIN/nsjoin unpin pin-net; ls pin-net 2>&1; grep -c pin-net /proc/self/mountinfo || true"
}
