# helpers.bash: what every chapter's tests share. Load it with
#     load helpers
# at the top of tests/NN-topic.bats.
#
# The tests run as root and change the machine, so every test:
#   - names what it makes with unique_name (never a fixed name);
#   - registers the undo of each thing it makes with `defer CMD...` right
#     after making it; teardown runs them in reverse, even after a failure;
#   - ends only processes it started, by PID.
#
# Grading: tag each test with the exercise it grades, on the line above
# @test:   # bats test_tags=ex:01_2   (bats tags allow no dot: 01.2 is ex:01_2)
# Untagged tests (error paths, behaviour of non-exercise code) run in
# `make test` but are not graded.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

PROJECT_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
TREE=${TREE:-solutions}
BUILD=${BUILD:-$PROJECT_ROOT/build}
BIN=$BUILD/$TREE/bin
ROOTFS=$BUILD/rootfs
# Leak checking aborts a sanitized program that lost /proc (after chroot).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# Strict mode (CI): a missing requirement fails instead of skipping.
if [[ -z ${STRICT:-} && ${CI:-} == true ]]; then STRICT=1; fi
STRICT=${STRICT:-0}

CFS_DEFERRED=()

# defer CMD [ARG...]: run CMD at teardown (last deferred runs first).
defer() {
	CFS_DEFERRED+=("$(printf '%q ' "$@")")
}

# Undo everything deferred, in reverse order, ignoring failures: the
# thing may already be gone. Then remove this test's scratch directory
# (scratch_dir), last: what was mounted in it is unmounted by now.
run_deferred() {
	local i
	for ((i = ${#CFS_DEFERRED[@]} - 1; i >= 0; i--)); do
		eval "${CFS_DEFERRED[i]}" >/dev/null 2>&1 || true
	done
	CFS_DEFERRED=()
	remove_scratch_dir
}

# A chapter that needs its own teardown calls run_deferred from it.
teardown() {
	run_deferred
}

# A short id unique to this test run and test: 7 hex digits, so names
# built from it fit in an interface name (15 characters).
CFS_ID=$(printf '%05x%02x' $((BATS_ROOT_PID % 1048576)) $((${BATS_SUITE_TEST_NUMBER:-0} % 256)))

# unique_name [PREFIX]: a name no other test (or run) uses, e.g. cfs1a2b3c4.
# Everything the project makes on a machine starts with "cfs", so
# `make clean-host` can find what an interrupted run left behind.
unique_name() {
	echo "${1:-cfs}${CFS_ID}"
}

# cgroup_mode: v2, v1 (including crun's "hybrid") or none.
cgroup_mode() {
	if [[ $(stat -f -c %T /sys/fs/cgroup 2>/dev/null) == cgroup2fs ]]; then
		echo v2
	elif [[ -d /sys/fs/cgroup/memory || -d /sys/fs/cgroup/pids ]]; then
		echo v1
	else
		echo none
	fi
}

# userns_restriction: why this machine refuses user namespaces, in
# parentheses, as far as its sysctls tell.
userns_restriction() {
	local sysctl value
	for sysctl in kernel/apparmor_restrict_unprivileged_userns kernel/unprivileged_userns_clone \
		user/max_user_namespaces; do
		value=$(cat "/proc/sys/$sysctl" 2>/dev/null) || continue
		case $sysctl=$value in
		kernel/apparmor_restrict_unprivileged_userns=1)
			echo "(AppArmor restricts them: kernel.apparmor_restrict_unprivileged_userns=1; see make doctor)"
			return ;;
		kernel/unprivileged_userns_clone=0 | user/max_user_namespaces=0)
			echo "(${sysctl//\//.}=$value; see make doctor)"
			return ;;
		esac
	done
	echo "(see make doctor)"
}

# requires FEATURE...: skip the test (fail it in strict mode) unless the
# machine has every feature. Features: root cgroup_v1 cgroup_v2 cgroup
# userns (for root) unprivileged_userns (for any user) overlay netns nft
# veth bridge, or any command name (crun, podman).
requires() {
	local feature reason
	for feature in "$@"; do
		reason=
		case $feature in
		root) [[ $(id -u) == 0 ]] || reason="needs root" ;;
		cgroup_v1) [[ $(cgroup_mode) == v1 ]] || reason="needs cgroup v1 (this machine: $(cgroup_mode))" ;;
		cgroup_v2) [[ $(cgroup_mode) == v2 ]] || reason="needs cgroup v2 (this machine: $(cgroup_mode))" ;;
		cgroup) [[ $(cgroup_mode) != none ]] || reason="needs cgroups mounted at /sys/fs/cgroup" ;;
		userns) unshare --user --map-root-user true 2>/dev/null || reason="needs user namespaces $(userns_restriction)" ;;
		unprivileged_userns)
			# As nobody, and using the namespace (a network namespace
			# needs CAP_SYS_ADMIN in it): Ubuntu's AppArmor lets an
			# unprivileged user make one but strips its capabilities.
			setpriv --reuid 65534 --regid 65534 --clear-groups \
				unshare --user --map-root-user --net true 2>/dev/null ||
				reason="needs user namespaces for unprivileged users $(userns_restriction)" ;;
		overlay) grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || reason="needs overlayfs" ;;
		netns) unshare --net true 2>/dev/null || reason="needs network namespaces" ;;
		veth) unshare --net ip link add cfsprobe type veth peer name cfsprobe2 2>/dev/null || reason="needs the veth driver" ;;
		bridge) unshare --net ip link add cfsprobe type bridge 2>/dev/null || reason="needs the bridge driver" ;;
		nft) unshare --net nft add table ip cfsprobe 2>/dev/null || reason="needs nf_tables (and the nft command)" ;;
		*) command -v "$feature" >/dev/null || reason="needs $feature" ;;
		esac
		if [[ -n $reason ]]; then
			# The suite runs on a cgroup v1 host and in a cgroup v2 VM: a
			# test for the other mode is not applicable, never "missing".
			if [[ $STRICT == 1 && $feature != cgroup_v1 && $feature != cgroup_v2 ]]; then
				fail "requirement not met in strict mode: $reason"
			fi
			skip "$reason"
		fi
	done
}

# require_program NAME: the program under test must have been built.
require_program() {
	[[ -x $BIN/$1 ]] || fail "$BIN/$1 is not built: run make"
}

# scratch_base: the directory under which tests keep rootfs copies and
# bundles. Why not $BATS_TEST_TMPDIR: it is under /tmp, which many
# distributions mount nosuid,nodev (Debian 13), and a rootfs there has
# setuid programs that gain nothing and device nodes that cannot be
# opened. And it must be reachable by every user: a container in a user
# namespace reaches its rootfs as an unprivileged host uid, which cannot
# pass through a 0700 directory (a clone under /root, or under a Debian 13
# home). So: $BUILD/scratch where both hold, else /var/tmp/cfs-scratch.
scratch_base_usable() {
	local dir=$1 options
	options=$(findmnt -n -o OPTIONS --target "$dir")
	[[ ,$options, != *,nosuid,* && ,$options, != *,nodev,* ]] || return 1
	# Every directory above it must let others pass (the x bit for others).
	while [[ $dir != / ]]; do
		dir=$(dirname "$dir")
		(($(stat -c '0%a' "$dir") & 1)) || return 1
	done
}
scratch_base() {
	local base
	for base in "$BUILD/scratch" /var/tmp/cfs-scratch; do
		mkdir -p "$base" && chmod 0755 "$base" || continue
		if scratch_base_usable "$base"; then
			echo "$base"
			return 0
		fi
	done
	echo "scratch_base: neither $BUILD nor /var/tmp is on a filesystem that allows setuid" \
		"programs and devices and that every user can reach; rootfs copies need one:" \
		"set BUILD to a directory on such a filesystem" >&2
	return 1
}

# This test's scratch directory: unique to the run and the test. Chosen
# when this file loads, not in scratch_dir: tests call scratch_dir in a
# command substitution, a subshell, and teardown must know the path.
CFS_SCRATCH=$(scratch_base 2>/dev/null || echo "$BUILD/scratch")/${BATS_ROOT_PID:-$$}-${BATS_SUITE_TEST_NUMBER:-0}

# scratch_dir: prints this test's directory for rootfs copies and
# bundles, made on first use and removed at teardown; fails, saying why,
# when no place suits.
scratch_dir() {
	if [[ ! -d $CFS_SCRATCH ]]; then
		scratch_base >/dev/null || return 1
		mkdir -p "$CFS_SCRATCH" || return 1
	fi
	echo "$CFS_SCRATCH"
}

# remove_scratch_dir: for teardown. --one-file-system: a mount a failed
# test left inside is never descended into (it may be the host's).
remove_scratch_dir() {
	if [[ -d $CFS_SCRATCH ]]; then
		rm -rf --one-file-system "$CFS_SCRATCH" 2>/dev/null || true
	fi
	# The base too, when this was the last test using it.
	rmdir "${CFS_SCRATCH%/*}" 2>/dev/null || true
}

# rootfs_copy: a private, writable copy of the busybox rootfs for this
# test (3 MB: cheap), in the test's scratch_dir. Prints its path.
rootfs_copy() {
	local scratch copy
	scratch=$(scratch_dir) || return 1
	copy=$scratch/rootfs
	if [[ ! -d $copy ]]; then
		# Copy the contents: a symlinked $ROOTFS must never let a test
		# write into the shared rootfs.
		mkdir "$copy"
		cp -a "$ROOTFS/." "$copy/"
	fi
	echo "$copy"
}

# wait_until SECONDS CMD...: poll CMD every 0.05 s; fail after SECONDS.
# The arguments are expanded once, by the caller: to re-read a value on
# every try, pass a string to eval: wait_until 5 eval 'test "$(f)" = x'.
wait_until() {
	local seconds=$1 deadline
	shift
	deadline=$((SECONDS + seconds))
	until "$@" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			echo "timed out after ${seconds}s waiting for: $*" >&2
			return 1
		fi
		sleep 0.05
	done
}

# start_background OUTFILE CMD...: start CMD with its output in OUTFILE
# (never a pipe: bats would wait for it), register its kill, and set
# BG_PID to its PID.
start_background() {
	local out=$1
	shift
	"$@" >"$out" 2>&1 &
	BG_PID=$!
	defer kill_process "$BG_PID"
}

# kill_process PID: SIGKILL the process we started and reap it.
kill_process() {
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# probe_value KEY: the value of KEY in probe output read from stdin
# (the first line KEY=...).
probe_value() {
	local key=$1 line
	while IFS= read -r line; do
		if [[ $line == "$key="* ]]; then
			echo "${line#"$key="}"
			return 0
		fi
	done
	return 1
}

# mounts_under DIR: the mount points at or below DIR in this namespace.
mounts_under() {
	awk -v dir="$1" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo
}

# assert_nothing_mounted_under DIR
assert_nothing_mounted_under() {
	local left
	left=$(mounts_under "$1")
	[[ -z $left ]] || fail "left mounted under $1: $left"
}

# assert_one_error_line: the failed command printed exactly one line on
# stderr+stdout, naming what went wrong (run with `run` first).
assert_one_error_line() {
	assert_failure
	[[ ${#lines[@]} -eq 1 ]] || fail "expected one line of error, got ${#lines[@]}: $output"
}

# crun_hybrid_workaround: make the cgroup layout one crun accepts, for a
# test that uses crun as a peer. Two layouts of v1 hosts need it:
# - "hybrid": a cgroup2 mount at /sys/fs/cgroup/unified that still holds
#   a controller (here hugetlb); crun refuses it ("cgroups in hybrid mode
#   not supported, drop all controllers from cgroupv2"). Mounting a v1
#   hierarchy of that controller takes it off the cgroup2 mount (the
#   kernel moves a controller to the first v1 hierarchy that asks for it).
# - a v1 hierarchy that exists but is mounted nowhere (unmounted by hand,
#   or one that lingers because it was unmounted with cgroups inside):
#   /proc/self/cgroup still lists it, and crun then makes plain
#   directories under /sys/fs/cgroup/NAME, on the tmpfs. Mounting it again
#   at /sys/fs/cgroup/NAME brings the same hierarchy back.
# Either way the machine changes for everyone, so crun_hybrid_restore,
# which the caller runs when done with crun (teardown or teardown_file),
# undoes it. minirun needs no such help: it treats hybrid as v1 and finds
# each hierarchy where the mount table says.
CFS_PEER_MOUNTS=()
crun_hybrid_workaround() {
	local unified=/sys/fs/cgroup/unified name hierarchy enabled controllers=()
	if [[ $(stat -f -c %T $unified 2>/dev/null) == cgroup2fs ]]; then
		read -ra controllers <$unified/cgroup.controllers 2>/dev/null || true
	fi
	# Controllers with a v1 hierarchy (a non-zero id) that no mount shows.
	while read -r name hierarchy _ enabled; do
		[[ $name == \#* || $hierarchy == 0 || $enabled != 1 ]] && continue
		awk -v c="$name" '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) found = 1 }
			END { exit !found }' /proc/self/mountinfo || controllers+=("$name")
	done </proc/cgroups
	[[ $(stat -f -c %T /sys/fs/cgroup 2>/dev/null) == tmpfs ]] || return 0
	for name in "${controllers[@]}"; do
		local target=/sys/fs/cgroup/$name made=
		if [[ ! -e $target ]]; then
			mkdir "$target"
			made=made
		fi
		mount -t cgroup -o "$name" cgroup "$target"
		CFS_PEER_MOUNTS+=("$target:$made")
	done
}

# crun_hybrid_restore: undo crun_hybrid_workaround. A v1 hierarchy goes
# away, and its controller back to cgroup2, only when it is unmounted with
# no cgroups left in it: one unmounted with cgroups inside lingers, out of
# everyone's reach. Remove the empty cgroups (the shared parents, cfs/,
# stay after a runtime's delete), waiting for the runtimes' own to go; if
# some still hold processes, leave the mount and say so.
crun_hybrid_restore() {
	local entry target made rc=0
	for entry in "${CFS_PEER_MOUNTS[@]}"; do
		target=${entry%:*} made=${entry##*:}
		if ! wait_until 10 eval 'find '"$target"' -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
			[[ -z $(find '"$target"' -mindepth 1 -maxdepth 1 -type d) ]]'; then
			echo "crun_hybrid_restore: cgroups left in $target, so it stays mounted:" \
				"$(find "$target" -mindepth 1 -maxdepth 1 -type d)" >&2
			rc=1
			continue
		fi
		umount "$target"
		[[ $made == made ]] && rmdir "$target"
	done
	CFS_PEER_MOUNTS=()
	return $rc
}
