# 03-nsenter.bash: helpers for tests/03-nsenter.bats (chapter 03).

# start_target [WRAPPER...] unshare OPTIONS...: start `sleep 60` in new
# namespaces made by util-linux unshare (the command given, to which
# --fork --kill-child sleep 60 is appended), with its output in a file.
# Sets TARGET_PID to the sleep, the process inside every new namespace
# (unshare itself stays outside a new PID namespace). Both are killed at
# teardown; --kill-child makes the sleep die with unshare.
start_target() {
	TARGET_COUNT=$((${TARGET_COUNT:-0} + 1))
	start_background "$BATS_TEST_TMPDIR/target-$TARGET_COUNT.out" "$@" --fork --kill-child sleep 60
	TARGET_PID=
	wait_until 5 find_sleeping_child "$BG_PID" || fail "the target did not start: $(cat "$BATS_TEST_TMPDIR/target-$TARGET_COUNT.out")"
	defer kill -KILL "$TARGET_PID"
}

# find_sleeping_child PID: set TARGET_PID to the child of PID running sleep.
find_sleeping_child() {
	local child
	for child in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		if [[ $(cat "/proc/$child/comm" 2>/dev/null) == sleep ]]; then
			TARGET_PID=$child
			return 0
		fi
	done
	return 1
}

# ns_inode PID TYPE: the inode number of /proc/PID/ns/TYPE (what the
# probe's ns.TYPE reports).
ns_inode() {
	stat -L -c %i "/proc/$1/ns/$2"
}

# process_gone PID: true once PID no longer exists (or is a zombie).
process_gone() {
	local state
	state=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 0
	[[ -z $state || $state == Z ]]
}

# pod_member_command HOLDER SCRIPT: set POD_MEMBER to the command that
# runs SCRIPT (a busybox sh script) as a pod member: in the holder's
# network, IPC and UTS namespaces (nsjoin), in new PID and mount
# namespaces of its own with the busybox rootfs as its root (chapter 02's
# pidns: its init is PID 1, the script PID 2). The reference pidns is
# used, so this chapter's grade depends on this chapter's exercises only.
PIDNS=$BUILD/solutions/bin/pidns
pod_member_command() {
	local holder=$1 script=$2
	[[ -x $PIDNS ]] || fail "$PIDNS is not built: run make build CH=02"
	POD_MEMBER=("$BIN/nsjoin" --target "$holder" --net --ipc --uts --
		"$PIDNS" --pid --mount --root "$ROOTFS" -- /bin/sh -c "$script")
}

# has_children PID: true once PID has a child process.
has_children() {
	[[ -n $(cat "/proc/$1/task/$1/children" 2>/dev/null) ]]
}

# start_pod_member OUTFILE HOLDER SCRIPT: start a pod member in the
# background. pidns does not take its container down when it is killed
# with SIGKILL, so teardown kills the member's init (PID 1 inside) too:
# a PID namespace dies with its init.
start_pod_member() {
	local out=$1
	pod_member_command "$2" "$3"
	start_background "$out" "${POD_MEMBER[@]}"
	local member=$BG_PID
	wait_until 5 has_children "$member" ||
		fail "the pod member did not start: $(cat "$out")"
	local init
	init=$(cat "/proc/$member/task/$member/children")
	defer kill -KILL ${init% }
}
