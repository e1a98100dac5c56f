#!/usr/bin/env bats
# Differential test: the same bundle run by minirun and by crun must look
# the same from inside, to the probe: namespaces, identity, capabilities,
# no_new_privs, seccomp mode, masked paths, mounts, cgroup and limits.
# crun is the reference because it is a small C runtime that passes most
# of the OCI runtime-tools validation suite.
#
# Each test runs the bundle with both runtimes and compares one section;
# a failure shows the difference as a diff (< minirun, > crun).
# Untagged: it grades no exercise, it checks the finished runtime.
#
# To check the harness itself, compare two other runtimes:
#     DIF_SUBJECT=runc scripts/run-tests --chapter 09

load helpers
load helpers/08-mini-runtime
load helpers/09-differential

setup() {
	requires root cgroup
	dif_setup
}

@test "differential: both runtimes run the bundle and the probe is PID 1 with the same identity" {
	dif_run_both
	assert_same_section id
	assert_equal "$(probe_value pid <"$SUBJECT_OUT")" 1
}

@test "differential: the same namespaces are new, the same are the host's" {
	dif_run_both
	assert_same_section ns
	# The bundle asks for these: they must be new, not merely equal.
	local type
	for type in pid net ipc uts mnt cgroup; do
		assert_equal "$(dif_section ns "$SUBJECT_OUT" | probe_value "ns.$type")" new
	done
}

@test "differential: the same capability sets, no_new_privs and seccomp mode" {
	dif_run_both
	assert_same_section caps
	assert_equal "$(probe_value Seccomp <"$SUBJECT_OUT")" 2
	assert_equal "$(probe_value NoNewPrivs <"$SUBJECT_OUT")" 1
	[[ $(probe_value CapAmb <"$SUBJECT_OUT") != 0000000000000000 ]] || fail "the ambient set is empty"
}

@test "differential: the masked paths are masked the same way" {
	dif_run_both
	assert_same_section masked
	# What masked means: a file reads empty, a directory lists nothing.
	grep -qx 'masked=/proc/kallsyms file bytes:0' "$SUBJECT_OUT" || fail "/proc/kallsyms is readable: $(grep '^masked=' "$SUBJECT_OUT")"
	grep -qx 'masked=/proc/tty dir entries:0' "$SUBJECT_OUT" || fail "/proc/tty lists entries: $(grep '^masked=' "$SUBJECT_OUT")"
}

@test "differential: the same default devices" {
	dif_run_both
	assert_same_section devices
	grep -qx 'device=/dev/null character special file 1:3' "$SUBJECT_OUT" || fail "/dev/null: $(grep '^device=/dev/null' "$SUBJECT_OUT")"
}

@test "differential: the same mounts (targets, types, ro/nosuid/nodev/noexec)" {
	dif_run_both
	assert_same_section mounts
}

@test "differential: the same cgroup view, limits and rlimits" {
	dif_run_both
	assert_same_section cgroup
	assert_equal "$(probe_value cgroup.memory.max <"$SUBJECT_OUT")" 67108864
	assert_equal "$(probe_value cgroup.pids.max <"$SUBJECT_OUT")" 42
}

@test "differential: both runtimes remove the container's cgroup on delete" {
	dif_run_both
	local name dir left=
	for name in "$DIF_SUBJECT" "$DIF_PEER"; do
		for dir in /sys/fs/cgroup/cfsdif-"$name"-"$CFS_ID" /sys/fs/cgroup/*/cfsdif-"$name"-"$CFS_ID"; do
			[[ -d $dir ]] && left+=" $dir"
		done
	done
	[[ -z $left ]] || fail "cgroups left after run:$left"
}

@test "differential: both refuse a bundle with an unknown seccomp action and leave nothing behind" {
	config_edit 'c["linux"]["seccomp"]["syscalls"][0]["action"] = "SCMP_ACT_BOGUS"'
	local name subject_status peer_status left=
	dif_run "$DIF_SUBJECT"
	subject_status=$DIF_STATUS
	dif_run "$DIF_PEER"
	peer_status=$DIF_STATUS
	((peer_status != 0)) || fail "the peer $DIF_PEER accepted the bundle"
	((subject_status != 0)) || fail "$DIF_SUBJECT accepted the bundle: $(cat "$BATS_TEST_TMPDIR/$DIF_SUBJECT.out")"
	for name in "$DIF_SUBJECT" "$DIF_PEER"; do
		left+=$(ls -A "$BATS_TEST_TMPDIR/state-$name")
		left+=$(ls -d /sys/fs/cgroup/cfsdif-"$name"-"$CFS_ID" /sys/fs/cgroup/*/cfsdif-"$name"-"$CFS_ID" 2>/dev/null || true)
	done
	[[ -z $left ]] || fail "left behind: $left"
}
