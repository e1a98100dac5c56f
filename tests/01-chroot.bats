#!/usr/bin/env bats
# Chapter 01: chroot, pivot_root and the chroot escape, seen from outside.

load helpers

setup() {
	requires root
	require_program jail
}

# bats test_tags=ex:01_1
@test "01.1 jail's mounts do not leak into a host whose / is shared" {
	local rootfs ready
	rootfs=$(rootfs_copy)
	ready=$rootfs/tmp/ready
	# The "host" is a throwaway mount namespace whose / is shared, like a
	# systemd machine's: without MS_PRIVATE, jail's bind mount of the
	# rootfs would propagate back into it.
	run unshare --mount --propagation shared -- bash -c '
		"$1" --pivot "$2" /bin/sh -c "touch /tmp/ready; sleep 5" &
		jail=$!
		for i in $(seq 100); do [ -e "$3" ] && break; sleep 0.05; done
		[ -e "$3" ] || { echo "jail did not start"; kill $jail; exit 1; }
		echo "host mounts under rootfs: [$(awk -v d="$2" "index(\$5, d) == 1 { print \$5 }" /proc/self/mountinfo)]"
		kill $jail; wait $jail; exit 0' _ "$BIN/jail" "$rootfs" "$ready"
	assert_success
	assert_output "host mounts under rootfs: []"
}

# bats test_tags=ex:01_2
@test "01.2 jail --chroot runs the command with the rootfs as /" {
	run "$BIN/jail" --chroot --no-proc "$ROOTFS" /bin/cat /etc/motd
	assert_success
	assert_output "Containers From Scratch in C: this is the busybox rootfs."
	# The host's files are out of sight by path.
	run "$BIN/jail" --chroot --no-proc "$ROOTFS" /bin/ls "$PROJECT_ROOT"
	assert_failure
}

# bats test_tags=ex:01_2
@test "01.2 the working directory inside the chroot is its /" {
	run "$BIN/jail" --chroot --no-proc "$ROOTFS" /bin/probe id
	assert_success
	assert_line "cwd=/"
}

# bats test_tags=ex:01_3
@test "01.3 a /proc mounted inside a chroot shows, and can kill, the host's processes" {
	sleep 300 &
	local victim=$!
	defer kill_process "$victim"
	run "$BIN/jail" --chroot "$ROOTFS" /bin/sh -c "cat /proc/$victim/comm && kill $victim"
	assert_success
	assert_output "sleep"
	wait_until 5 bash -c "! kill -0 $victim"
}

# bats test_tags=ex:01_3
@test "01.3 /proc inside is mounted nosuid,nodev,noexec and gone after exit" {
	run "$BIN/jail" --chroot "$ROOTFS" /bin/probe mounts
	assert_success
	assert_line --regexp '^mount=/proc proc proc rw,nosuid,nodev,noexec'
	assert_nothing_mounted_under "$ROOTFS"
}

# bats test_tags=ex:01_4
@test "01.4 jail --pivot shows only the rootfs and its /proc in the mount table" {
	run "$BIN/jail" --pivot "$ROOTFS" /bin/probe mounts
	assert_success
	assert_line --regexp '^mount=/ '
	assert_line --regexp '^mount=/proc proc '
	[[ ${#lines[@]} -eq 2 ]] || fail "expected 2 mounts inside, got: $output"
	assert_nothing_mounted_under "$ROOTFS"
}

# bats test_tags=ex:01_4
@test "01.4 jail --pivot runs the command with the rootfs as /" {
	run "$BIN/jail" --pivot "$ROOTFS" /bin/cat /etc/motd
	assert_success
	assert_output "Containers From Scratch in C: this is the busybox rootfs."
}

# bats test_tags=ex:01_5
@test "01.5 the chroot escape reaches a host file from a plain chroot" {
	require_program chroot-escape
	local rootfs marker
	rootfs=$(rootfs_copy)
	cp "$BIN/chroot-escape" "$rootfs/bin/"
	marker=$BATS_TEST_TMPDIR/host-secret
	echo "host secret $CFS_ID" >"$marker"
	run "$BIN/jail" --chroot "$rootfs" /bin/chroot-escape /bin/cat "$marker"
	assert_success
	assert_line "host secret $CFS_ID"
}

# bats test_tags=ex:01_4,ex:01_5
@test "01.5 the same escape fails after pivot_root" {
	require_program chroot-escape
	local rootfs marker
	rootfs=$(rootfs_copy)
	cp "$BIN/chroot-escape" "$rootfs/bin/"
	marker=$BATS_TEST_TMPDIR/host-secret
	echo "host secret" >"$marker"
	run "$BIN/jail" --pivot "$rootfs" /bin/chroot-escape /bin/cat "$marker"
	assert_equal "$status" 3
	assert_output --partial "still inside"
	refute_output --partial "host secret"
}

@test "jail: a missing rootfs is one clear line, exit 125, nothing mounted" {
	run "$BIN/jail" "$BATS_TEST_TMPDIR/no-such-dir" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "jail: rootfs $BATS_TEST_TMPDIR/no-such-dir: No such file or directory"
	assert_nothing_mounted_under "$BATS_TEST_TMPDIR"
}

@test "jail: a rootfs that is a file is refused" {
	touch "$BATS_TEST_TMPDIR/file"
	run "$BIN/jail" --chroot "$BATS_TEST_TMPDIR/file" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "jail: rootfs $BATS_TEST_TMPDIR/file: Not a directory"
}

@test "jail: a command not found is one line and exit 127, nothing left mounted" {
	run -127 "$BIN/jail" "$ROOTFS" /bin/no-such-command
	assert_equal "$status" 127
	assert_one_error_line
	assert_output "jail: exec /bin/no-such-command: No such file or directory"
	assert_nothing_mounted_under "$ROOTFS"
}

@test "jail: usage errors and --help" {
	run "$BIN/jail"
	assert_equal "$status" 2
	assert_output --partial "missing ROOTFS"
	run "$BIN/jail" --bogus "$ROOTFS"
	assert_equal "$status" 2
	run "$BIN/jail" --help
	assert_success
	assert_output --partial "usage: jail"
}

@test "jail: the command's exit status comes back" {
	run "$BIN/jail" "$ROOTFS" /bin/sh -c 'exit 42'
	assert_equal "$status" 42
}
