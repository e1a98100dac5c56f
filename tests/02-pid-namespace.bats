#!/usr/bin/env bats
# Chapter 02: PID, mount, UTS and IPC namespaces, and the init that PID 1
# must be, seen from inside (the probe) and from the host (/proc).

load helpers
load helpers/02-pid-namespace

setup() {
	requires root
	require_program pidns
	PROBE=$ROOTFS/bin/probe
}

# Start pidns in the background with its output in $OUT; the command
# touches $READY once it is running. Sets PIDNS_PID. Commands that must
# outlive the test's checks sleep 1000 s, not a few: the test ends them.
start_pidns() {
	OUT=$BATS_TEST_TMPDIR/out
	READY=$BATS_TEST_TMPDIR/ready
	rm -f "$READY"
	start_background "$OUT" "$BIN/pidns" "$@"
	PIDNS_PID=$BG_PID
	# Runs before start_background's kill of pidns: the namespace's PID 1
	# (and with it all inside) does not die with pidns by itself.
	defer kill_children "$PIDNS_PID"
}

# Wait until the command has started, or pidns has ended without starting
# it (a stub, a failed setup): no need to wait out the whole limit then.
# The limit is generous: a loaded machine or the emulated VM is slow.
wait_ready() {
	wait_until 30 eval 'test -e "$READY" || [[ -z $(process_state "$PIDNS_PID") || $(process_state "$PIDNS_PID") == Z ]]'
	test -e "$READY" || fail "the command never started: $(cat "$OUT")"
}

# ---------------------------------------------------------------- 02.1

# bats test_tags=ex:02_1
@test "02.1 in a new PID namespace the command is PID 1 and has no parent in sight" {
	# --pid alone: no mount namespace, so the host's files (and probe) are used.
	run "$BIN/pidns" --pid --no-init -- "$PROBE" id ns
	assert_success
	assert_line "pid=1"
	assert_line "ppid=0"
	local host_pid_ns
	host_pid_ns=$("$PROBE" ns | probe_value ns.pid)
	refute_line "ns.pid=$host_pid_ns"
}

# bats test_tags=ex:02_1
@test "02.1 only the namespaces asked for are new: the rest are the host's" {
	local host inside type
	host=$("$PROBE" ns)
	run "$BIN/pidns" --pid --uts --ipc --no-init -- "$PROBE" ns
	assert_success
	inside=$output
	for type in pid uts ipc; do
		[[ $(probe_value "ns.$type" <<<"$inside") != $(probe_value "ns.$type" <<<"$host") ]] ||
			fail "ns.$type is the host's: $inside"
	done
	for type in mnt net user cgroup; do
		assert_equal "$(probe_value "ns.$type" <<<"$inside")" "$(probe_value "ns.$type" <<<"$host")"
	done
}

# bats test_tags=ex:02_1
@test "02.1 the host sees the same process under its own PID (NSpid)" {
	start_pidns --pid --no-init -- /bin/sh -c 'touch "$1"; exec sleep 1000' _ "$BATS_TEST_TMPDIR/ready"
	wait_ready
	wait_until 20 has_descendant_named "$PIDNS_PID" sleep
	local child
	child=$(children_of "$PIDNS_PID")
	[[ -n $child ]] || fail "pidns has no child"
	run grep '^NSpid:' "/proc/$child/status"
	assert_output --regexp "^NSpid:[[:space:]]+$child[[:space:]]+1$"
	# SIGKILL reaches a PID 1 from its parent namespace.
	kill -KILL "$child"
	wait_for_exit "$PIDNS_PID" 20
	assert_equal "$EXIT_STATUS" 137
}

# bats test_tags=ex:02_1
@test "02.1 a SysV shared memory segment made on the host is invisible with --ipc" {
	requires ipcmk ipcs ipcrm
	local shmid
	shmid=$(ipcmk -M 4096 | awk '{ print $NF }')
	defer ipcrm -m "$shmid"
	# Without --ipc the segment is shared with the host...
	run "$BIN/pidns" --pid --no-init -- ipcs -m
	assert_success
	assert_line --regexp "^0x[0-9a-f]+ +$shmid "
	# ...with --ipc the namespace has none at all.
	run "$BIN/pidns" --pid --ipc --no-init -- ipcs -m
	assert_success
	assert_output --partial "Shared Memory Segments"
	refute_line --regexp "^0x[0-9a-f]+ +$shmid "
	refute_line --regexp "^0x"
}

# bats test_tags=ex:02_1
@test "02.1 when the parent gives up before the release, the child ends without running the command" {
	requires strace
	local ran=$BATS_TEST_TMPDIR/ran trace=$BATS_TEST_TMPDIR/trace rc=0 child
	# strace kills pidns at its first write(2): the byte that would release
	# the child (the write is refused too, so it never happens). The child
	# then reads end of file on the sync pipe, unless it still holds the
	# pipe's write end itself. Output to a file: a child that hangs on to
	# stdout would hang `run`.
	strace -o "$trace" -e trace=clone,clone3,write -e inject=write:error=EIO:signal=KILL:when=1 \
		"$BIN/pidns" --pid --no-init -- /bin/sh -c 'touch "$1"' _ "$ran" >"$BATS_TEST_TMPDIR/out" 2>&1 || rc=$?
	assert_equal "$rc" 137
	child=$(sed -nE 's/^clone3?\(.*\) = ([0-9]+)$/\1/p' "$trace")
	[[ -n $child ]] || fail "pidns made no child: $(cat "$BATS_TEST_TMPDIR/out")"
	defer kill_if_running_with "$child" "$ran"
	wait_until 20 eval '! running_with "$child" "$ran"' ||
		fail "child $child still waits for a release that cannot come"
	assert_file_not_exists "$ran"
}

# ---------------------------------------------------------------- 02.2

# bats test_tags=ex:02_2
@test "02.2 a fresh /proc shows only the container's processes" {
	run "$BIN/pidns" --root "$ROOTFS" -- /bin/probe procs
	assert_success
	assert_output "procs=1 2"
	run "$BIN/pidns" --root "$ROOTFS" --no-init -- /bin/probe procs
	assert_success
	assert_output "procs=1"
	assert_nothing_mounted_under "$ROOTFS"
}

# bats test_tags=ex:02_2
@test "02.2 without a new root, /proc is replaced only inside; the host's is untouched" {
	local before
	before=$(findmnt -n -o TARGET,SOURCE,FSTYPE /proc)
	run "$BIN/pidns" --pid --mount -- "$PROBE" procs
	assert_success
	assert_output "procs=1 2"
	assert_equal "$(findmnt -n -o TARGET,SOURCE,FSTYPE /proc)" "$before"
	# The host's /proc still lists the host's processes.
	[[ -d /proc/$$ ]] || fail "the host's /proc lost this shell"
}

# bats test_tags=ex:02_2
@test "02.2 by default pid, mnt, uts and ipc namespaces are all new, and ps sees two processes" {
	local host inside type
	host=$("$PROBE" ns)
	run "$BIN/pidns" --root "$ROOTFS" -- /bin/probe ns
	assert_success
	inside=$output
	for type in pid mnt uts ipc; do
		[[ $(probe_value "ns.$type" <<<"$inside") != $(probe_value "ns.$type" <<<"$host") ]] ||
			fail "ns.$type is the host's: $inside"
	done
	assert_equal "$(probe_value ns.net <<<"$inside")" "$(probe_value ns.net <<<"$host")"
	run "$BIN/pidns" --root "$ROOTFS" -- /bin/ps -o pid,comm
	assert_success
	assert_line --regexp '^ +1 pidns$'
	assert_line --regexp '^ +2 ps$'
	[[ ${#lines[@]} -eq 3 ]] || fail "expected a header and two processes: $output"
}

# ---------------------------------------------------------------- 02.3

# bats test_tags=ex:02_3
@test "02.3 the hostname differs inside and is unchanged on the host" {
	local name before
	name=$(unique_name cfs-box-)
	before=$(hostname)
	run "$BIN/pidns" --uts --hostname "$name" --no-init -- "$PROBE" id
	assert_success
	assert_line "hostname=$name"
	assert_equal "$(hostname)" "$before"
	[[ $name != "$before" ]]
}

# bats test_tags=ex:02_2,ex:02_3
@test "02.3 the hostname is set in a full container too" {
	local name
	name=$(unique_name cfs-box-)
	run "$BIN/pidns" --root "$ROOTFS" --hostname "$name" -- /bin/hostname
	assert_success
	assert_output "$name"
}

# ---------------------------------------------------------------- 02.4

# bats test_tags=ex:02_4
@test "02.4 orphaned grandchildren are reaped by the init: no zombie is left" {
	# Each ( (...) & ) subshell exits at once, so its background child is
	# orphaned and the kernel hands it to PID 1 of the namespace. Each
	# orphan notes in $exits that it is about to exit. The command then
	# blocks on a fifo: the namespace lives until the test lets it go, so
	# what the init does with the dead orphans is seen while it runs.
	local exits=$BATS_TEST_TMPDIR/exits go=$BATS_TEST_TMPDIR/go
	mkfifo "$go"
	start_pidns --pid -- /bin/sh -c \
		'for i in 1 2 3; do ( (sleep 0.1; echo "$i" >>"$2") & ); done; touch "$1"; read line <"$3"' \
		_ "$BATS_TEST_TMPDIR/ready" "$exits" "$go"
	wait_ready
	wait_until 30 eval '[[ -e $exits && $(wc -l <"$exits") -eq 3 ]]' ||
		fail "the orphans did not all run: $(cat "$OUT")"
	# Every orphan has exited or is about to. An init that reaps them is
	# soon left alone with the command; one that does not keeps them as
	# zombies for as long as the namespace lives (here: until "go").
	wait_until 20 only_init_and_command_under "$PIDNS_PID" ||
		fail "orphans left as zombies under the init: $(zombies_under "$PIDNS_PID" | tr '\n' ' ')"
	# Let the command end (a read-write open of the fifo never blocks).
	echo go 1<>"$go"
	wait_for_exit "$PIDNS_PID" 20
	assert_equal "$EXIT_STATUS" 0
}

# bats test_tags=ex:02_4
@test "02.4 the namespace dies with its PID 1: a background process does not outlive the command" {
	local ns
	run "$BIN/pidns" --pid -- /bin/sh -c 'sleep 100 >/dev/null 2>&1 & readlink /proc/self/ns/pid; exit 3'
	assert_equal "$status" 3
	ns=${output#pid:[}
	ns=${ns%]}
	[[ $ns =~ ^[0-9]+$ ]] || fail "no namespace inode in: $output"
	wait_until 20 eval 'test -z "$(processes_in_pid_namespace "$ns")"'
}

@test "without an init, PID 1 (the command) leaves its orphans as zombies" {
	# PID 1 lives long enough to be looked at on a slow machine (the VM);
	# the orphans die at once and stay zombies, since nobody reaps them.
	start_pidns --pid --no-init -- /bin/sh -c \
		'(sleep 0.2 &); (sleep 0.2 &); touch "$1"; exec sleep 1000' _ "$BATS_TEST_TMPDIR/ready"
	wait_ready
	wait_until 20 eval '(($(zombies_under "$PIDNS_PID" | wc -l) == 2))' ||
		fail "expected 2 zombies, got: $(zombies_under "$PIDNS_PID")"
	# Killing PID 1 (pidns's child) ends the namespace, and the kernel
	# reaps the zombies; pidns reports the signal.
	kill -KILL "$(children_of "$PIDNS_PID")"
	wait_for_exit "$PIDNS_PID" 20
	assert_equal "$EXIT_STATUS" 137
}

# ---------------------------------------------------------------- 02.5

# bats test_tags=ex:02_5
@test "02.5 SIGTERM to pidns stops the command and the exit status is 143" {
	start_pidns --pid -- /bin/sh -c 'touch "$1"; exec sleep 1000' _ "$BATS_TEST_TMPDIR/ready"
	wait_ready
	wait_until 20 has_descendant_named "$PIDNS_PID" sleep
	kill -TERM "$PIDNS_PID"
	wait_for_exit "$PIDNS_PID" 20
	assert_equal "$EXIT_STATUS" 143
}

# bats test_tags=ex:02_5
@test "02.5 SIGINT gives 130, in a full container too" {
	local rootfs
	rootfs=$(rootfs_copy)
	start_pidns --root "$rootfs" -- /bin/sh -c 'touch /tmp/ready; exec sleep 1000'
	READY=$rootfs/tmp/ready
	wait_ready
	wait_until 20 has_descendant_named "$PIDNS_PID" sleep
	kill -INT "$PIDNS_PID"
	wait_for_exit "$PIDNS_PID" 20
	assert_equal "$EXIT_STATUS" 130
}

# bats test_tags=ex:02_5
@test "02.5 a command that traps a signal receives it and chooses its exit status" {
	start_pidns --pid -- /bin/sh -c \
		'trap "echo got USR1; exit 7" USR1; touch "$1"; while :; do sleep 0.1; done' _ "$BATS_TEST_TMPDIR/ready"
	wait_ready
	kill -USR1 "$PIDNS_PID"
	wait_for_exit "$PIDNS_PID" 20
	assert_equal "$EXIT_STATUS" 7
	assert_equal "$(cat "$OUT")" "got USR1"
}

@test "without an init, PID 1 ignores a SIGTERM it has no handler for" {
	start_pidns --pid --no-init -- /bin/sh -c 'touch "$1"; exec sleep 1000' _ "$BATS_TEST_TMPDIR/ready"
	wait_ready
	wait_until 20 has_descendant_named "$PIDNS_PID" sleep
	local child
	child=$(children_of "$PIDNS_PID")
	defer kill -KILL "$child"
	kill -TERM "$PIDNS_PID"
	# pidns passes the SIGTERM on to its child, PID 1 inside, which has no
	# handler for it: the kernel drops it. Wait until pidns has done so.
	wait_until 20 signal_taken "$PIDNS_PID" "$(kill -l TERM)" || fail "pidns never took the SIGTERM"
	assert_equal "$(process_state "$child")" S
	# A SIGTERM that had been delivered would decide the exit status (143)
	# whatever came next; a dropped one leaves it to this SIGKILL (137).
	kill -KILL "$child"
	wait_for_exit "$PIDNS_PID" 20
	assert_equal "$EXIT_STATUS" 137
}

# ---------------------------------------------------------------- errors

@test "pidns: an unknown option is one line and exit 2" {
	run "$BIN/pidns" --bogus /bin/true
	assert_equal "$status" 2
	assert_one_error_line
	assert_output "pidns: unknown option --bogus (try pidns --help)"
	run "$BIN/pidns" --root
	assert_equal "$status" 2
	assert_one_error_line
}

@test "pidns: options that need a namespace that was not asked for are refused" {
	run "$BIN/pidns" --pid --hostname box /bin/true
	assert_equal "$status" 2
	assert_output "pidns: --hostname needs --uts (try pidns --help)"
	run "$BIN/pidns" --pid --root "$ROOTFS" /bin/true
	assert_equal "$status" 2
	assert_output "pidns: --root needs --mount (try pidns --help)"
}

@test "pidns: a missing rootfs is one clear line, exit 125, nothing mounted" {
	run "$BIN/pidns" --root "$BATS_TEST_TMPDIR/no-such-dir" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "pidns: rootfs $BATS_TEST_TMPDIR/no-such-dir: No such file or directory"
	assert_nothing_mounted_under "$BATS_TEST_TMPDIR"
}

@test "pidns: a command not found is one line, exit 127, no process or mount left" {
	local missing
	missing=/bin/$(unique_name cfs-missing-)
	run -127 "$BIN/pidns" --root "$ROOTFS" "$missing"
	assert_one_error_line
	assert_output "pidns: exec $missing: No such file or directory"
	assert_nothing_mounted_under "$ROOTFS"
	run pgrep -f -- "$missing"
	assert_failure
}

@test "pidns: a failure inside the child (a root without /proc) is one line, exit 125" {
	mkdir "$BATS_TEST_TMPDIR/empty"
	run "$BIN/pidns" --root "$BATS_TEST_TMPDIR/empty" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "pidns: mount proc on /proc: No such file or directory"
	assert_nothing_mounted_under "$BATS_TEST_TMPDIR"
}

@test "pidns: the command's exit status comes back, and --help works" {
	run "$BIN/pidns" --root "$ROOTFS" -- /bin/sh -c 'exit 42'
	assert_equal "$status" 42
	run "$BIN/pidns" --help
	assert_success
	assert_output --partial "usage: pidns"
}
