# Chapter 08 demo: minirun, the book's OCI runtime, takes a bundle through
# its lifecycle; a network is plugged in between create and start; exec
# joins the running container; pause, ps, delete --force.
demo_title="Chapter 08: minirun, an OCI runtime made of the earlier chapters"

demo_setup() {
	DEMO_ID=cfs-demo-$$
	DEMO_NAME=demo$$
	DEMO_BRIDGE=cfs-demo$$
	export DEMO_ID DEMO_NAME DEMO_BRIDGE
	mkdir -p "$DEMO_TMP/box"
	cp -a "$ROOTFS" "$DEMO_TMP/box/rootfs"
	(cd "$DEMO_TMP/box" && "$BIN/minirun" spec)
	# A long-running program, a cgroup namespace and limits, for the room.
	python3 - "$DEMO_TMP/box/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /dev/shm/tick; sleep 1; done"]
c["linux"]["namespaces"].append({"type": "cgroup"})
c["linux"]["resources"] = {"memory": {"limit": 67108864}, "pids": {"limit": 32}}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY
}

# Everything is in $DEMO_TMP (state root and bundle) except the container's
# process and cgroup (delete --force) and the bridge (ip link delete).
demo_cleanup() {
	[[ -n ${DEMO_ID:-} ]] || return 0
	"$BIN/minirun" --root "$DEMO_TMP/state" delete --force "$DEMO_ID" 2>/dev/null || true
	"$BIN/netwire" detach --name "$DEMO_NAME" 2>/dev/null || true
	ip link delete "$DEMO_BRIDGE" 2>/dev/null || true
}

demo_steps() {
	local mr="$BIN/minirun --root $DEMO_TMP/state"
	step "An OCI bundle: config.json and a rootfs. minirun checks every field before touching anything." \
		"cd $DEMO_TMP/box && ls && $mr validate && grep -A3 '\"namespaces\"' config.json"
	step "create: namespaces, cgroup, root and mounts are made; PID 1 waits on a fifo. Status: created." \
		"cd $DEMO_TMP/box && $mr create --pid-file pid $DEMO_ID > create.out 2>&1 && $mr state $DEMO_ID"
	step "Between create and start the container's network namespace exists and is empty: plug a network in." \
		"$BIN/netwire bridge create $DEMO_BRIDGE --address 10.88.77.1/24 && $BIN/netwire attach --bridge $DEMO_BRIDGE --pid \$(cat $DEMO_TMP/box/pid) --name $DEMO_NAME --address 10.88.77.2/24"
	step "start: the program runs. Its process is PID 1 inside, an ordinary PID outside." \
		"$mr start $DEMO_ID && $mr list"
	step "exec joins every namespace and the cgroup: same PID namespace, eth0 from the network, the config's capabilities." \
		"$mr exec $DEMO_ID -- sh -c 'probe id net caps | grep -E \"^(pid|hostname|netif|CapEff|NoNewPrivs)=\"'"
	step "The host can reach it through the bridge (busybox's ping, run on the host)." \
		"$ROOTFS/bin/busybox ping -c 1 -W 2 10.88.77.2"
	step "ps lists the cgroup's processes; pause freezes them all: the tick stops." \
		"$mr ps $DEMO_ID && $mr pause $DEMO_ID && $mr state $DEMO_ID | grep status && tick=/proc/\$(cat $DEMO_TMP/box/pid)/root/dev/shm/tick && cat \$tick && sleep 2 && cat \$tick"
	step "resume thaws them: the tick goes on." \
		"$mr resume $DEMO_ID && tick=/proc/\$(cat $DEMO_TMP/box/pid)/root/dev/shm/tick && cat \$tick && sleep 2 && cat \$tick"
	step_may_fail "delete refuses a running container..." \
		"$mr delete $DEMO_ID"
	step "...delete --force kills it, destroys its cgroup and removes its state." \
		"$mr delete --force $DEMO_ID && $mr list"
}
