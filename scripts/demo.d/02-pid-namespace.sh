# Chapter 02 demo: a process tree of its own (PID namespace), with its own
# /proc, hostname and IPC table, and why PID 1 needs to be an init.
demo_title="Chapter 02: the PID namespace (with UTS, IPC and mount), and PID 1"

demo_setup() {
	cp -a "$ROOTFS" "$DEMO_TMP/rootfs"
}

demo_cleanup() {
	local pid child
	# The background container of step 6: SIGTERM to pidns stops it all;
	# SIGKILL its init too in case pidns was already gone.
	if [[ -s $DEMO_TMP/pidns.pid ]]; then
		pid=$(cat "$DEMO_TMP/pidns.pid")
		for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
			kill -KILL "$child" 2>/dev/null
		done
		kill -KILL "$pid" 2>/dev/null
		[[ -s $DEMO_TMP/init.pid ]] && kill -KILL "$(cat "$DEMO_TMP/init.pid")" 2>/dev/null
		rm -f "$DEMO_TMP/pidns.pid" "$DEMO_TMP/init.pid"
	fi
	if [[ -s $DEMO_TMP/shm.id ]]; then
		ipcrm -m "$(cat "$DEMO_TMP/shm.id")" 2>/dev/null
		rm -f "$DEMO_TMP/shm.id"
	fi
	return 0
}

demo_steps() {
	step_may_fail "unshare --pid moves only the caller's children: the first one is PID 1, and once it exits no fork gets in." \
		"unshare --pid sh -c 'echo \"sh is still \$\$\"; /bin/true; /bin/true'"
	step "With --fork the shell is PID 1, yet ps lists the whole machine: it reads the host's /proc." \
		"unshare --pid --fork sh -c 'echo \"sh is \$\$\"; ps -e | wc -l'"
	step "--mount-proc mounts a fresh procfs in a new mount namespace: ps is PID 1 and sees nothing else." \
		"unshare --pid --fork --mount-proc ps -e"
	step "pidns does it in C: PID 1 is pidns's init, the command PID 2, with its own hostname and root." \
		"$BIN/pidns --root rootfs --hostname demo-box -- /bin/sh -c 'hostname; ps'"
	step "The host's hostname did not change: the UTS namespace had its own." \
		"hostname"
	step "From the host the same processes have host PIDs: NSpid lists one PID per namespace level." \
		"$BIN/pidns --root rootfs -- /bin/sleep 600 >pidns.out 2>&1 & echo \$! >pidns.pid; sleep 0.5
pgrep -P \$(cat pidns.pid) >init.pid
for p in \$(pgrep -P \$(cat pidns.pid)) \$(pgrep -P \$(pgrep -P \$(cat pidns.pid))); do
  echo \"\$(cat /proc/\$p/comm): \$(grep NSpid /proc/\$p/status)\"; done"
	step "A SysV shared memory segment made on the host is not in the container's IPC namespace." \
		"ipcmk -M 4096 | awk '{ print \$NF }' >shm.id; ipcs -m | grep -w \"\$(cat shm.id)\"; echo '--- inside:'; $BIN/pidns -- ipcs -m"
	step "Without an init, PID 1 is sleep: orphans handed to it stay zombies (seen from the host)." \
		"$BIN/pidns --pid --mount --no-init -- sh -c '(sleep 1 &); (sleep 1 &); exec sleep 3' & sleep 2
ps -o pid,ppid,stat,cmd --ppid \$(pgrep -P \$!); wait"
	step "With pidns's init as PID 1, the orphans are reaped: only the command is left." \
		"$BIN/pidns --pid --mount -- sh -c '(sleep 1 &); (sleep 1 &); exec sleep 3' & sleep 2
ps -o pid,ppid,stat,cmd --ppid \$(pgrep -P \$!); wait"
	step "PID 1 without a handler ignores SIGTERM, and even SIGKILL, from inside its namespace." \
		"$BIN/pidns --root rootfs --no-init -- /bin/sh -c 'kill -TERM 1; kill -KILL 1; echo still here'"
	step "With the init, SIGTERM to pidns reaches the command; the status comes back as 128+15." \
		"kill -TERM \$(cat pidns.pid); sleep 0.3; kill -0 \$(cat init.pid) 2>/dev/null && echo 'step 6 still runs' || echo 'the container of step 6 is gone'
$BIN/pidns --root rootfs -- /bin/sleep 60 & sleep 0.5; kill -TERM \$!; wait \$!; echo \"exit status \$?\""
}
