#!/usr/bin/env bats
# Chapter 03: nsjoin joins other processes' namespaces, pins them to
# files, and builds a pod. Targets are `sleep` processes in namespaces
# made by util-linux unshare, started here and killed by PID.

load helpers
load helpers/03-nsenter

setup() {
	requires root netns
	require_program nsjoin
	PROBE=$ROOTFS/bin/probe
}

# ---------------------------------------------------------------- 03.1

# bats test_tags=ex:03_1
@test "03.1 a namespace file of the wrong type is refused with one line, nothing run" {
	start_target unshare --net --uts --ipc
	run "$BIN/nsjoin" --target "$TARGET_PID" --uts --net="/proc/$TARGET_PID/ns/ipc" -- \
		touch "$BATS_TEST_TMPDIR/ran"
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "nsjoin: /proc/$TARGET_PID/ns/ipc is a namespace of type ipc, not net"
	assert_file_not_exist "$BATS_TEST_TMPDIR/ran"
}

# bats test_tags=ex:03_1
@test "03.1 a file that is not a namespace is refused with one line, nothing run" {
	start_target unshare --net --uts
	echo "just a file" >"$BATS_TEST_TMPDIR/plain"
	run "$BIN/nsjoin" --target "$TARGET_PID" --uts --net="$BATS_TEST_TMPDIR/plain" -- \
		touch "$BATS_TEST_TMPDIR/ran"
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "nsjoin: $BATS_TEST_TMPDIR/plain is not a namespace file"
	assert_file_not_exist "$BATS_TEST_TMPDIR/ran"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/plain")" "just a file"
}

# bats test_tags=ex:03_1
@test "03.1 a process that does not exist is one line, exit 125, nothing run" {
	# A PID that is free: the one of a process that has just ended.
	sleep 0 &
	local gone=$!
	wait "$gone"
	run "$BIN/nsjoin" --target "$gone" --net -- touch "$BATS_TEST_TMPDIR/ran"
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "nsjoin: target process $gone: No such process"
	assert_file_not_exist "$BATS_TEST_TMPDIR/ran"
}

# ---------------------------------------------------------------- 03.2

# bats test_tags=ex:03_1,ex:03_2
@test "03.2 after --net --uts the probe is in the target's net and uts namespaces, the host's others" {
	start_target unshare --net --uts --ipc --pid --mount-proc
	run "$BIN/nsjoin" --target "$TARGET_PID" --net --uts -- "$PROBE" ns
	assert_success
	assert_line "ns.net=$(ns_inode "$TARGET_PID" net)"
	assert_line "ns.uts=$(ns_inode "$TARGET_PID" uts)"
	# The rest are still ours (the host's), although the target's differ.
	local type
	for type in ipc mnt pid; do
		[[ $(ns_inode "$TARGET_PID" $type) != $(ns_inode $$ $type) ]] || fail "target shares our $type"
		assert_line "ns.$type=$(ns_inode $$ $type)"
	done
}

# bats test_tags=ex:03_1,ex:03_2
@test "03.2 --all joins every namespace of the target, and sees its hostname" {
	start_target unshare --net --uts --ipc --pid --mount-proc
	local name
	name=$(unique_name cfs-host)
	run "$BIN/nsjoin" --target "$TARGET_PID" --uts -- hostname "$name"
	assert_success
	run "$BIN/nsjoin" --target "$TARGET_PID" --all -- "$PROBE" id ns
	assert_success
	local type
	for type in net uts ipc mnt pid cgroup user; do
		assert_line "ns.$type=$(ns_inode "$TARGET_PID" $type)"
	done
	assert_line "hostname=$name"
	[[ $(hostname) != "$name" ]] || fail "the host's hostname changed"
}

# bats test_tags=ex:03_1,ex:03_2
@test "03.2 an unprivileged user joins its own user namespace first, then the ones it owns" {
	requires unprivileged_userns setpriv
	# nobody must be able to run the programs: copies in a world-readable dir.
	local dir
	dir=$(mktemp -d /tmp/cfs03.XXXXXX)
	defer rm -rf "$dir"
	chmod 755 "$dir"
	cp "$BIN/nsjoin" "$PROBE" "$dir/"
	local as_nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)
	start_target "${as_nobody[@]}" unshare --user --map-root-user --net --uts
	# setns of the network namespace needs CAP_SYS_ADMIN in our user
	# namespace too: nobody has it only after joining the user namespace.
	run "${as_nobody[@]}" "$dir/nsjoin" --target "$TARGET_PID" --net --uts --user -- "$dir/probe" id ns
	assert_success
	assert_line "uid=0"
	assert_line "ns.user=$(ns_inode "$TARGET_PID" user)"
	assert_line "ns.net=$(ns_inode "$TARGET_PID" net)"
	assert_line "ns.uts=$(ns_inode "$TARGET_PID" uts)"
}

# bats test_tags=ex:03_1,ex:03_2
@test "03.2 a pod: members share the holder's net, ipc and uts namespaces, not their PIDs" {
	# The holder (Kubernetes' pause container): owns the shared namespaces.
	start_target unshare --net --ipc --uts
	local holder=$TARGET_PID
	run "$BIN/nsjoin" --target "$holder" --net -- ip link set lo up
	assert_success
	# Member 1 serves on the pod's loopback.
	start_pod_member "$BATS_TEST_TMPDIR/server.out" "$holder" \
		'/bin/probe id ns procs; exec /usr/sbin/httpd -f -p 127.0.0.1:8080 -h /www'
	wait_until 5 "$BIN/nsjoin" --target "$holder" --net -- bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080' ||
		fail "the server did not start: $(cat "$BATS_TEST_TMPDIR/server.out")"
	local server_pidns server_mntns
	server_pidns=$(probe_value ns.pid <"$BATS_TEST_TMPDIR/server.out")
	server_mntns=$(probe_value ns.mnt <"$BATS_TEST_TMPDIR/server.out")
	# Each member sees only its own processes: its init, the shell, the probe.
	assert_equal "$(probe_value procs <"$BATS_TEST_TMPDIR/server.out")" "1 2 3"
	# Member 2 reaches it on 127.0.0.1.
	pod_member_command "$holder" '/bin/probe id ns procs; /usr/bin/wget -q -O - http://127.0.0.1:8080/'
	run "${POD_MEMBER[@]}"
	assert_success
	assert_line "<h1>hello from the container</h1>"
	assert_line "procs=1 2 3"
	assert_line "ns.net=$(ns_inode "$holder" net)"
	assert_line "ns.ipc=$(ns_inode "$holder" ipc)"
	assert_line "ns.uts=$(ns_inode "$holder" uts)"
	assert_equal "$(probe_value ns.net <"$BATS_TEST_TMPDIR/server.out")" "$(ns_inode "$holder" net)"
	refute_line "ns.pid=$server_pidns"
	refute_line "ns.mnt=$server_mntns"
	refute_line "ns.pid=$(ns_inode $$ pid)"
	# That loopback is the pod's, not the host's.
	refute_line "ns.net=$(ns_inode $$ net)"
}

# ---------------------------------------------------------------- 03.3

# bats test_tags=ex:03_3
@test "03.3 with --pid the command runs inside the target's PID namespace" {
	start_target unshare --pid --mount-proc
	# Joining the mount namespace too brings the target's /proc.
	run "$BIN/nsjoin" --target "$TARGET_PID" --pid --mnt -- "$PROBE" id ns procs
	assert_success
	assert_line "ns.pid=$(ns_inode "$TARGET_PID" pid)"
	# PID 1 is the target's sleep; the probe is the only other process.
	local own_pid
	own_pid=$(probe_value pid <<<"$output")
	((own_pid > 1 && own_pid < 100)) || fail "pid inside: $own_pid"
	assert_line "procs=1 $own_pid"
}

# bats test_tags=ex:03_3
@test "03.3 the command's exit status comes back, 128+N when killed by signal N" {
	start_target unshare --pid --mount-proc
	run "$BIN/nsjoin" --target "$TARGET_PID" --pid -- sh -c 'exit 7'
	assert_equal "$status" 7
	run "$BIN/nsjoin" --target "$TARGET_PID" --pid -- sh -c 'kill -TERM $$'
	assert_equal "$status" 143
}

# bats test_tags=ex:03_3
@test "03.3 SIGTERM to nsjoin reaches the command; SIGKILL to nsjoin kills it too" {
	start_target unshare --pid --mount-proc
	local target=$TARGET_PID child signal
	for signal in TERM KILL; do
		"$BIN/nsjoin" --target "$target" --pid -- sleep 30 >"$BATS_TEST_TMPDIR/out" 2>&1 &
		local nsjoin_pid=$!
		defer kill_process "$nsjoin_pid"
		TARGET_PID=
		wait_until 5 find_sleeping_child "$nsjoin_pid"
		child=$TARGET_PID
		defer kill -KILL "$child"
		kill "-$signal" "$nsjoin_pid"
		local rc=0
		wait "$nsjoin_pid" || rc=$?
		[[ $signal == TERM ]] && assert_equal "$rc" 143
		[[ $signal == KILL ]] && assert_equal "$rc" 137
		# The child is gone (a zombie at most: the target's init, a
		# sleep, does not reap the orphans it inherits).
		wait_until 5 process_gone "$child"
	done
}

# ---------------------------------------------------------------- 03.4

# bats test_tags=ex:03_4
@test "03.4 a pinned namespace outlives its processes, can be joined by path, and unpinned" {
	start_target unshare --net --uts
	local net_pin=$BATS_TEST_TMPDIR/net uts_pin=$BATS_TEST_TMPDIR/uts name net_inode
	name=$(unique_name cfs-pin)
	net_inode=$(ns_inode "$TARGET_PID" net)
	"$BIN/nsjoin" --target "$TARGET_PID" --uts -- hostname "$name"
	defer umount -l "$net_pin"
	defer umount -l "$uts_pin"
	run "$BIN/nsjoin" pin --target "$TARGET_PID" --net "$net_pin" --uts "$uts_pin"
	assert_success
	assert_output ""
	# Every process of the namespaces ends (the sleep may be gone
	# already: --kill-child ends it with unshare).
	kill_process "$BG_PID"
	kill -KILL "$TARGET_PID" 2>/dev/null || true
	wait_until 5 process_gone "$TARGET_PID"
	run "$BIN/nsjoin" --net="$net_pin" --uts="$uts_pin" -- "$PROBE" id ns
	assert_success
	assert_line "ns.net=$net_inode"
	assert_line "hostname=$name"
	run "$BIN/nsjoin" unpin "$net_pin" "$uts_pin"
	assert_success
	assert_file_not_exist "$net_pin"
	assert_file_not_exist "$uts_pin"
	assert_nothing_mounted_under "$BATS_TEST_TMPDIR"
}

# bats test_tags=ex:03_4
@test "03.4 pin refuses an existing file and unpin an ordinary file, changing nothing" {
	start_target unshare --net
	echo "mine" >"$BATS_TEST_TMPDIR/taken"
	run "$BIN/nsjoin" pin --target "$TARGET_PID" --net "$BATS_TEST_TMPDIR/taken"
	assert_equal "$status" 1
	assert_one_error_line
	assert_output "nsjoin: create pin $BATS_TEST_TMPDIR/taken: File exists"
	run "$BIN/nsjoin" unpin "$BATS_TEST_TMPDIR/taken"
	assert_equal "$status" 1
	assert_one_error_line
	assert_output "nsjoin: $BATS_TEST_TMPDIR/taken is not a pinned namespace"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/taken")" "mine"
	assert_nothing_mounted_under "$BATS_TEST_TMPDIR"
}

# ---------------------------------------------------------------- error paths

@test "nsjoin pin: a process that does not exist leaves no file behind" {
	sleep 0 &
	local gone=$!
	wait "$gone"
	run "$BIN/nsjoin" pin --target "$gone" --net "$BATS_TEST_TMPDIR/pin"
	assert_equal "$status" 1
	assert_one_error_line
	assert_output "nsjoin: target process $gone: No such process"
	assert_file_not_exist "$BATS_TEST_TMPDIR/pin"
}

@test "nsjoin pin: when the second pin fails the first is taken out" {
	start_target unshare --net --uts
	mkdir "$BATS_TEST_TMPDIR/dir"
	defer umount -l "$BATS_TEST_TMPDIR/net"
	run "$BIN/nsjoin" pin --target "$TARGET_PID" --net "$BATS_TEST_TMPDIR/net" --uts "$BATS_TEST_TMPDIR/dir"
	assert_equal "$status" 1
	assert_one_error_line
	assert_file_not_exist "$BATS_TEST_TMPDIR/net"
	assert_nothing_mounted_under "$BATS_TEST_TMPDIR"
}

@test "nsjoin: a command that is not found is exit 127 with one line" {
	start_target unshare --net
	run -127 "$BIN/nsjoin" --target "$TARGET_PID" --net -- no-such-command
	assert_one_error_line
	assert_output "nsjoin: exec no-such-command: No such file or directory"
}

@test "nsjoin: usage errors exit 2, --help exits 0" {
	run -2 "$BIN/nsjoin" -- true
	assert_output --partial "nothing to join"
	run -2 "$BIN/nsjoin" --net -- true
	assert_output --partial "give --target PID"
	run -2 "$BIN/nsjoin" --target abc --net -- true
	assert_output "nsjoin: --target: not a process ID: abc"
	run -2 "$BIN/nsjoin" --bogus
	run -2 "$BIN/nsjoin" pin --target 1
	run -2 "$BIN/nsjoin" unpin
	run "$BIN/nsjoin" --help
	assert_success
	assert_output --partial "usage: nsjoin"
}
