#!/usr/bin/env bats
# Chapter 05: cgroups on v2 and v1, seen from outside: the files the
# kernel shows, the processes it stops, what cgctl reports and leaves.
# Every test works in both modes; it branches on cgroup_mode only where
# the file to look at differs.

load helpers
load helpers/05-cgroups

setup() {
	requires root cgroup
	require_program cgctl
	require_program hog
	NAME=$(unique_name cfs)
	defer cg_remove "$NAME"
}

# ------------------------------------------------------------- 05.1 mode

# bats test_tags=ex:05_1
@test "05.1 cgctl mode names this machine's cgroup layout and its controllers" {
	local expected
	if [[ $(stat -f -c %T /sys/fs/cgroup) == cgroup2fs ]]; then
		expected=v2
	elif [[ $(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null) == cgroup2fs ]]; then
		expected=hybrid
	else
		expected=v1
	fi
	run "$BIN/cgctl" mode
	assert_success
	assert_line "mode=$expected"
	assert_line --regexp '^controllers=.*\bmemory\b'
	assert_line --regexp '^controllers=.*\bpids\b'
	assert_line --regexp '^controllers=.*\bcpu\b'
}

# ----------------------------------------------------------- 05.2 create

# bats test_tags=ex:05_2
@test "05.2 cgctl create makes the cgroup, with the controllers' files in it" {
	run "$BIN/cgctl" create "$NAME"
	assert_success
	local dir
	for dir in $(cg_dirs "$NAME"); do
		assert_dir_exists "$dir"
	done
	# The controllers reached the new cgroup: their knobs are there.
	assert_file_exists "$(cg_file memory.max "$NAME")"
	assert_file_exists "$(cg_file pids.max "$NAME")"
	assert_file_exists "$(cg_file cpu.max "$NAME")"
	if [[ $(cgroup_mode) == v2 ]]; then
		# v2: the parent passes memory, pids and cpu on to its children.
		run cat /sys/fs/cgroup/cfs/cgroup.subtree_control
		assert_output --regexp '\bmemory\b'
		assert_output --regexp '\bpids\b'
		assert_output --regexp '\bcpu\b'
	fi
}

@test "cgctl create: an existing cgroup is refused and left as it was" {
	"$BIN/cgctl" create "$NAME"
	run "$BIN/cgctl" create "$NAME"
	assert_equal "$status" 1
	assert_one_error_line
	assert_output --partial "File exists"
	assert_dir_exists "$(cg_dir memory "$NAME")"
}

# ----------------------------------------------------------- 05.3 limits

# bats test_tags=ex:05_3
@test "05.3 cgctl set writes the limits the kernel then reports, and max removes them" {
	"$BIN/cgctl" create "$NAME"
	run "$BIN/cgctl" set "$NAME" --memory 64M --pids 32 --cpus 0.5
	assert_success
	assert_equal "$(cat "$(cg_file memory.max "$NAME")")" 67108864
	assert_equal "$(cat "$(cg_file pids.max "$NAME")")" 32
	if [[ $(cgroup_mode) == v2 ]]; then
		assert_equal "$(cat "$(cg_file cpu.max "$NAME")")" "50000 100000"
	else
		assert_equal "$(cat "$(cg_file cpu.max "$NAME")")" 50000
		assert_equal "$(cat "$(cg_dir cpu "$NAME")/cpu.cfs_period_us")" 100000
	fi

	run "$BIN/cgctl" set "$NAME" --memory max --pids max --cpus max
	assert_success
	assert_equal "$(cat "$(cg_file pids.max "$NAME")")" max
	if [[ $(cgroup_mode) == v2 ]]; then
		assert_equal "$(cat "$(cg_file memory.max "$NAME")")" max
		assert_equal "$(cat "$(cg_file cpu.max "$NAME")")" "max 100000"
	else
		# v1 shows "no limit" as the largest page-aligned 64-bit number.
		(($(cat "$(cg_file memory.max "$NAME")") > 1 << 62)) || fail "memory limit not removed"
		assert_equal "$(cat "$(cg_file cpu.max "$NAME")")" -1
	fi
}

# bats test_tags=ex:05_3
@test "05.3 a memory hog is OOM-killed at the limit; the same program fits under it" {
	"$BIN/cgctl" create "$NAME" --memory 32M
	run cg_exec "$NAME" "$BIN/hog" memory 200
	assert_equal "$status" 137 # 128 + SIGKILL: the OOM killer
	refute_output --partial "touched"
	run cg_exec "$NAME" "$BIN/hog" memory 8
	assert_success
	assert_output "hog: touched 8 MiB"
}

# bats test_tags=ex:05_3
@test "05.3 a fork bomb under a pids limit is held there while the host keeps forking" {
	"$BIN/cgctl" create "$NAME" --pids 20
	# Never a bomb without its limit: a wrong limit stops the test here.
	assert_equal "$(cat "$(cg_file pids.max "$NAME")")" 20
	# The bomb forks until the test ends it (300 s at most), so however
	# slow the machine, it is still forking when the test looks.
	start_background "$BATS_TEST_TMPDIR/bomb.out" cg_exec "$NAME" "$BIN/hog" forks 300
	local bomb=$BG_PID current
	defer cg_remove "$NAME" # before kill_process: thaw and kill first
	# The bomb is in (or cg_exec failed: no need to wait then).
	wait_until 60 eval 'cg_holds_at_least "$NAME" 1 || process_gone "$bomb"'
	cg_holds_at_least "$NAME" 1 || fail "the bomb never started: $(cat "$BATS_TEST_TMPDIR/bomb.out")"
	# The kernel refused a fork: the bomb has reached the limit.
	wait_until 60 eval '(($(cg_stat "$(cg_file pids.events "$NAME")" max) > 0))' ||
		fail "no fork was refused (pids.current $(cat "$(cg_file pids.current "$NAME")"))"
	# The host is not affected: it forks as usual.
	for i in $(seq 30); do /bin/true || fail "the host could not fork"; done
	current=$(cat "$(cg_file pids.current "$NAME")")
	((current <= 20)) || fail "pids.current $current above the limit 20"
	cg_kill_all "$NAME"
	wait "$bomb" || true
}

# bats test_tags=ex:05_3
@test "05.3 a busy loop under a cpu quota gets its share and is throttled" {
	"$BIN/cgctl" create "$NAME" --cpus 0.1
	local cpu start seconds
	start=$(now)
	run cg_exec "$NAME" "$BIN/hog" cpu 1
	seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
	assert_success
	cpu=$(sed -nE 's/.*got ([0-9.]+) s of CPU/\1/p' <<<"$output")
	awk -v cpu="$cpu" 'BEGIN { exit !(cpu > 0.01) }' || fail "1 s of spinning under --cpus 0.1 got no CPU: $output"
	cpu_quota_allows 0.1 "$seconds" "$cpu" ||
		fail "$seconds s under --cpus 0.1 gave $cpu s of CPU: more than the quota allows"
	# Throttled: only a quota does that (an unlimited process that a busy
	# machine gives little CPU is never throttled).
	(($(cg_stat "$(cg_file cpu.stat "$NAME")" nr_throttled) > 0)) || fail "cpu.stat shows no throttling"
}

# ----------------------------------------------------------- 05.4 attach

# bats test_tags=ex:05_4
@test "05.4 cgctl attach moves a running process in, in every hierarchy; cgctl stays out" {
	"$BIN/cgctl" create "$NAME"
	start_background "$BATS_TEST_TMPDIR/out" sleep 60
	local pid=$BG_PID
	run "$BIN/cgctl" attach "$NAME" "$pid"
	assert_success
	run cat "/proc/$pid/cgroup"
	if [[ $(cgroup_mode) == v2 ]]; then
		assert_line "0::/cfs/$NAME"
	else
		assert_line --regexp "^[0-9]+:([a-z]+,)*memory(,[a-z]+)*:/cfs/$NAME\$"
		assert_line --regexp "^[0-9]+:([a-z]+,)*pids(,[a-z]+)*:/cfs/$NAME\$"
		assert_line --regexp "^[0-9]+:([a-z]+,)*cpu(,[a-z]+)*:/cfs/$NAME\$"
		assert_line --regexp "^[0-9]+:([a-z]+,)*freezer(,[a-z]+)*:/cfs/$NAME\$"
	fi
	run cat "$(cg_file procs "$NAME")"
	assert_output "$pid"
	# cgctl itself never joined.
	run grep -c "/cfs/$NAME\$" /proc/self/cgroup
	assert_output 0
}

@test "cgctl attach: a process that does not exist is one clear line" {
	"$BIN/cgctl" create "$NAME"
	run "$BIN/cgctl" attach "$NAME" 4194000
	assert_equal "$status" 1
	assert_one_error_line
	assert_output --regexp "cgroup.procs: No such process"
}

# ------------------------------------------------------------ 05.5 stats

# bats test_tags=ex:05_5
@test "05.5 cgctl stats reports plausible numbers after the processes are gone" {
	"$BIN/cgctl" create "$NAME" --memory 64M --pids 10 --cpus 0.1
	local peak usage start seconds
	start=$(now)
	cg_exec "$NAME" "$BIN/hog" memory 20
	cg_exec "$NAME" "$BIN/hog" cpu 1
	seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
	run "$BIN/cgctl" stats "$NAME"
	assert_success
	assert_line "memory.max=67108864"
	assert_line "memory.oom_kills=0"
	assert_line "pids.max=10"
	assert_line "pids.current=0"
	peak=$(probe_value memory.peak <<<"$output")
	if [[ $peak != unknown ]]; then # memory.peak needs Linux >= 5.19 on v2
		((peak >= 20 * 1024 * 1024 && peak <= 64 * 1024 * 1024)) || fail "memory.peak $peak for 20 MiB"
	fi
	# Both hogs (and the shell that starts them) ran under the quota for
	# $seconds of wall-clock time: what the quota allows in that time.
	usage=$(probe_value cpu.usage_usec <<<"$output")
	((usage >= 20000)) || fail "cpu.usage_usec $usage for 1 s of spinning"
	cpu_quota_allows 0.1 "$seconds" "$(awk -v us="$usage" 'BEGIN { print us / 1e6 }')" ||
		fail "cpu.usage_usec $usage for $seconds s at 0.1 CPU: more than the quota allows"
	(($(probe_value cpu.throttled_periods <<<"$output") > 0)) || fail "no throttled period: $output"
	(($(probe_value cpu.throttled_usec <<<"$output") > 0)) || fail "no throttled time: $output"
}

# bats test_tags=ex:05_5
@test "05.5 cgctl stats counts the OOM kill and the limit hits" {
	"$BIN/cgctl" create "$NAME" --memory 32M
	run cg_exec "$NAME" "$BIN/hog" memory 200
	assert_equal "$status" 137
	run "$BIN/cgctl" stats "$NAME"
	assert_success
	assert_line "memory.oom_kills=1"
	(($(probe_value memory.limit_hits <<<"$output") > 0)) || fail "no limit hit: $output"
	(($(probe_value memory.peak <<<"$output") <= 32 * 1024 * 1024)) || fail "peak above the limit: $output"
}

@test "cgctl stats: a cgroup that does not exist is one clear line" {
	run "$BIN/cgctl" stats "$NAME"
	assert_equal "$status" 1
	assert_one_error_line
	assert_output --partial "No such file or directory"
}

# ----------------------------------------------------------- 05.6 freeze

# bats test_tags=ex:05_6
@test "05.6 cgctl freeze stops every process in the cgroup and thaw lets them run" {
	"$BIN/cgctl" create "$NAME"
	# It spins until the test ends it (300 s at most): a slow machine
	# cannot see it end by itself before the thaw.
	start_background "$BATS_TEST_TMPDIR/out" cg_exec "$NAME" "$BIN/hog" cpu 300
	local pid before after control
	defer cg_remove "$NAME" # runs before kill_process: a frozen process cannot die
	wait_until 60 grep -q . "$(cg_file procs "$NAME")"
	pid=$(head -1 "$(cg_file procs "$NAME")")
	run "$BIN/cgctl" freeze "$NAME"
	assert_success
	if [[ $(cgroup_mode) == v2 ]]; then
		assert_equal "$(cg_stat "$(cg_dir memory "$NAME")/cgroup.events" frozen)" 1
	else
		assert_equal "$(cat "$(cg_dir freezer "$NAME")/freezer.state")" FROZEN
	fi
	before=$(cpu_ticks "$pid")
	# A second busy loop, outside the cgroup, competes for the same CPUs.
	# Once it has had 0.3 s of CPU, a hog that was not frozen would have
	# had some too, however loaded the machine: no time window to miss.
	start_background "$BATS_TEST_TMPDIR/control.out" "$BIN/hog" cpu 300
	control=$BG_PID
	wait_until 60 eval '(($(cpu_ticks "$control") >= 30))' || fail "the control loop got no CPU"
	kill_process "$control"
	after=$(cpu_ticks "$pid")
	assert_equal "$after" "$before"
	run "$BIN/cgctl" thaw "$NAME"
	assert_success
	wait_until 60 eval '(($(cpu_ticks "$pid") > before))' ||
		fail "the thawed process did not run ($before -> $(cpu_ticks "$pid") ticks)"
}

# ---------------------------------------------------------- 05.7 destroy

# bats test_tags=ex:05_7
@test "05.7 cgctl destroy kills what is left inside and removes every directory" {
	"$BIN/cgctl" create "$NAME" --pids 20
	# The bomb forks until something ends it (300 s at most).
	start_background "$BATS_TEST_TMPDIR/out" cg_exec "$NAME" "$BIN/hog" forks 300
	local bomb=$BG_PID
	wait_until 60 eval 'cg_holds_at_least "$NAME" 1 || process_gone "$bomb"'
	wait_until 60 cg_holds_at_least "$NAME" 10 || fail "the bomb did not grow: $(cat "$BATS_TEST_TMPDIR/out")"
	run "$BIN/cgctl" destroy "$NAME"
	assert_success
	assert_output ""
	assert_no_cgroup_left "$NAME"
	wait_until 30 process_gone "$bomb"
}

# bats test_tags=ex:05_7
@test "05.7 cgctl run: a memory hog is OOM-killed, cgctl survives, reports it and cleans up" {
	run "$BIN/cgctl" run --memory 32M --name "$NAME" -- "$BIN/hog" memory 200
	assert_equal "$status" 137
	assert_line --regexp "^cgctl:   memory: peak [0-9.]+[KM] of max 32.0M, limit hit [1-9][0-9]* times, OOM kills 1\$"
	assert_no_cgroup_left "$NAME"
}

# bats test_tags=ex:05_7
@test "05.7 cgctl run: a fork bomb is contained, the host keeps forking, nothing is left" {
	# The bomb forks until the test ends it (300 s at most): however slow
	# the machine, it is still forking when the test looks.
	start_background "$BATS_TEST_TMPDIR/run.out" \
		"$BIN/cgctl" run --pids 24 --name "$NAME" -- "$BIN/hog" forks 300
	local cgctl=$BG_PID rc=0 limit
	# The bomb is in its cgroup: the limit must be there already. A bomb
	# without it is ended at once.
	# (Or cgctl has ended early: no need to wait then.)
	wait_until 60 eval 'cg_holds_at_least "$NAME" 1 || process_gone "$cgctl"'
	process_gone "$cgctl" && fail "cgctl run ended early: $(cat "$BATS_TEST_TMPDIR/run.out")"
	limit=$(cat "$(cg_file pids.max "$NAME")")
	[[ $limit == 24 ]] || { cg_kill_all "$NAME"; fail "the bomb runs under pids.max $limit, not 24"; }
	wait_until 60 cg_holds_at_least "$NAME" 20
	for i in $(seq 30); do /bin/true || fail "the host could not fork"; done
	# End the bomb: cgctl reports, passes on its SIGKILL, cleans up.
	cg_kill_all "$NAME"
	wait "$cgctl" || rc=$?
	assert_equal "$rc" 137
	run cat "$BATS_TEST_TMPDIR/run.out"
	assert_line --regexp "^cgctl:   pids: peak ([0-9]+|unknown) of max 24, forks refused [1-9][0-9]*, left [0-9]+\$"
	refute_line --regexp "peak (2[5-9]|[3-9][0-9]|[0-9]{3,}) of max"
	assert_no_cgroup_left "$NAME"
}

# bats test_tags=ex:05_7
@test "05.7 cgctl run: a busy loop under --cpus 0.1 is throttled, and cgctl says so" {
	local start seconds cpu
	start=$(now)
	run "$BIN/cgctl" run --cpus 0.1 --name "$NAME" -- "$BIN/hog" cpu 1
	seconds=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
	assert_success
	assert_line --regexp "^cgctl:   cpu: [0-9]+\.[0-9]+ s, throttled in [1-9][0-9]* of [1-9][0-9]* periods for [0-9.]+ s\$"
	cpu=$(sed -nE 's/^cgctl:   cpu: ([0-9.]+) s, .*/\1/p' <<<"$output")
	cpu_quota_allows 0.1 "$seconds" "$cpu" || fail "$seconds s under --cpus 0.1 gave $cpu s of CPU: $output"
	assert_no_cgroup_left "$NAME"
}

# bats test_tags=ex:05_7
@test "05.7 cgctl run passes on the command's status and leaves nothing after a failure" {
	run "$BIN/cgctl" run --name "$NAME" -- sh -c 'echo inside; exit 7'
	assert_equal "$status" 7
	assert_line inside
	assert_no_cgroup_left "$NAME"
	run -127 "$BIN/cgctl" run --name "$NAME" -- "$BATS_TEST_TMPDIR/no-such-program"
	assert_line --partial "exec $BATS_TEST_TMPDIR/no-such-program: No such file or directory"
	assert_no_cgroup_left "$NAME"
}

# bats test_tags=ex:05_7
@test "05.7 after cgctl run is SIGKILLed, cgctl destroy removes what it left" {
	start_background "$BATS_TEST_TMPDIR/run.out" "$BIN/cgctl" run --name "$NAME" -- sleep 100
	local cgctl=$BG_PID sleeper
	wait_until 30 grep -q . "$(cg_file procs "$NAME")"
	sleeper=$(head -1 "$(cg_file procs "$NAME")")
	kill -KILL "$cgctl"
	wait "$cgctl" || true
	# The command outlives cgctl, in its cgroup.
	run cat "$(cg_file procs "$NAME")"
	assert_output "$sleeper"
	run "$BIN/cgctl" destroy "$NAME"
	assert_success
	assert_no_cgroup_left "$NAME"
	wait_until 30 process_gone "$sleeper"
}

# ------------------------------------------- cpuset, shares, huge pages, devices
# Not exercises: the module's other resources, which minirun applies from
# an OCI config's linux.resources.

@test "cgctl: cpuset pins the cgroup's processes to the CPUs given" {
	run "$BIN/cgctl" run --cpuset-cpus 0 --cpuset-mems 0 --name "$NAME" -- grep Cpus_allowed_list /proc/self/status
	assert_success
	assert_line --regexp $'^Cpus_allowed_list:\t0$'
	assert_no_cgroup_left "$NAME"
	"$BIN/cgctl" create "$NAME" --cpuset-cpus 0
	assert_equal "$(cat "$(cg_dir cpuset "$NAME")/cpuset.cpus")" 0
	if [[ $(cgroup_mode) != v2 ]]; then
		# v1: the parent cfs/ got the root's lists, or no process could join.
		[[ -n $(cat "$(cg_dir cpuset "$NAME")/../cpuset.mems") ]] || fail "cfs/ has no cpuset.mems"
	else
		run cat /sys/fs/cgroup/cfs/cgroup.subtree_control
		assert_output --regexp '\bcpuset\b'
	fi
}

@test "cgctl: cpu shares are cpu.shares on v1 and the converted cpu.weight on v2" {
	"$BIN/cgctl" create "$NAME" --cpu-shares 512
	if [[ $(cgroup_mode) == v2 ]]; then
		# 1 + (512 - 2) * 9999 / 262142, as crun converts it.
		assert_equal "$(cat "$(cg_dir cpu "$NAME")/cpu.weight")" 20
	else
		assert_equal "$(cat "$(cg_dir cpu "$NAME")/cpu.shares")" 512
	fi
}

@test "cgctl: a hugetlb limit lands in the page size's file" {
	local file
	if [[ $(cgroup_mode) == v2 ]]; then file=hugetlb.2MB.max; else file=hugetlb.2MB.limit_in_bytes; fi
	[[ -e $(dirname "$(cg_dir hugetlb "$NAME")")/$file ]] || skip "no hugetlb controller with 2MB pages here"
	"$BIN/cgctl" create "$NAME" --hugetlb 2MB=4M
	assert_equal "$(cat "$(cg_dir hugetlb "$NAME")/$file")" 4194304
	run "$BIN/cgctl" set "$NAME" --hugetlb 3MB=4M
	assert_equal "$status" 1
	assert_one_error_line
	assert_output --regexp "hugetlb page size 3MB: not supported by this kernel"
}

@test "cgctl: device rules, in order, leave only the devices allowed (v1 files, v2 eBPF)" {
	"$BIN/cgctl" create "$NAME" --device-deny a --device-allow 'c 1:3 rwm' --device-allow 'c 1:5 r'
	if [[ $(cgroup_mode) != v2 ]]; then
		run cat "$(cg_dir devices "$NAME")/devices.list"
		assert_output "c 1:3 rwm
c 1:5 r"
	fi
	# null for anything, zero only for reading, urandom not at all.
	run cg_exec "$NAME" sh -c 'echo x >/dev/null && echo null-ok; head -c1 /dev/zero | wc -c; echo x >/dev/zero; head -c1 /dev/urandom'
	assert_failure
	assert_line null-ok
	assert_line 1
	assert_output --regexp "/dev/zero: Operation not permitted"
	assert_output --regexp "/dev/urandom.*Operation not permitted"
	# mknod is an access of its own ("m"): refused, so a process that
	# has CAP_MKNOD still cannot make a node to reach another device.
	run cg_exec "$NAME" sh -c "mknod '$BATS_TEST_TMPDIR/zero' c 1 5"
	assert_failure
	assert_output --partial "Operation not permitted"
	assert_file_not_exists "$BATS_TEST_TMPDIR/zero"
}

@test "cgctl: on cgroup v2 a second set of device rules replaces the first" {
	requires cgroup_v2
	"$BIN/cgctl" create "$NAME" --device-deny a --device-allow 'c 1:3 rwm'
	"$BIN/cgctl" set "$NAME" --device-deny a --device-allow 'c 1:5 r'
	run cg_exec "$NAME" sh -c 'head -c1 /dev/zero | wc -c; echo x >/dev/null'
	assert_failure
	assert_line 1
	assert_output --regexp "/dev/null: Operation not permitted"
}

@test "cgctl: bad cpuset, shares, hugetlb and device values are one clear line, nothing made" {
	local bad expected
	while IFS='|' read -r bad expected; do
		run "$BIN/cgctl" run "$bad" --name "$NAME" -- true
		assert_equal "$status" 125
		assert_one_error_line
		assert_output "cgctl: $expected"
		assert_no_cgroup_left "$NAME"
	done <<'EOF'
--cpuset-cpus=0-x|cpuset cpus '0-x': not a list of numbers and ranges (like 0-3,6)
--cpuset-mems=3-1|cpuset mems '3-1': range 3-1 is reversed or above 65535
--cpu-shares=1|cpu shares '1': out of range (2 to 262144)
--cpu-shares=lots|cpu shares 'lots': not a number (2 to 262144; 1024 is the default)
--hugetlb=2MB|hugetlb limit '2MB': not SIZE=LIMIT (like 2MB=64M or 1GB=max)
--hugetlb=2mb=1G|hugetlb page size '2mb': not a size like 2MB or 1GB
--device-deny=x|device rule 'x': not "a" or "TYPE MAJOR:MINOR ACCESS" (like c 1:3 rwm; TYPE a, c or b, * for any number, ACCESS some of rwm)
--device-allow=c 1:3 rwq|device rule 'c 1:3 rwq': not "a" or "TYPE MAJOR:MINOR ACCESS" (like c 1:3 rwm; TYPE a, c or b, * for any number, ACCESS some of rwm)
EOF
	# A CPU this machine does not have: the kernel refuses, cgctl undoes.
	run "$BIN/cgctl" run --cpuset-cpus 4000 --name "$NAME" -- true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output --regexp "cpuset.cpus: (Invalid argument|Numerical result out of range)"
	assert_no_cgroup_left "$NAME"
}

# ------------------------------------------------------------- errors

@test "cgctl: malformed and out-of-range limits are one clear line, and nothing is made" {
	local bad expected
	while IFS='|' read -r bad expected; do
		run "$BIN/cgctl" run $bad --name "$NAME" -- true
		assert_equal "$status" 125
		assert_one_error_line
		assert_output "cgctl: $expected"
		assert_no_cgroup_left "$NAME"
	done <<'EOF'
--memory 64Q|memory limit '64Q': not a size (a number with an optional K, M, G or T, or max)
--memory -5M|memory limit '-5M': not a size (a number with an optional K, M, G or T, or max)
--memory 512K|memory limit '512K': out of range (from 1M to 1P, or max)
--memory 2000000T|memory limit '2000000T': out of range (from 1M to 1P, or max)
--pids 0|pids limit '0': out of range (from 1 to 4194304, or max)
--pids 12x|pids limit '12x': not a number (a process count, or max)
--cpus 0.001|cpu limit '0.001': not a number of CPUs (like 0.5 or 2, at most two decimals, or max)
--cpus 0|cpu limit '0': out of range (from 0.01 to 1024 CPUs, or max)
--cpus 2000|cpu limit '2000': out of range (from 0.01 to 1024 CPUs, or max)
--cpus half|cpu limit 'half': not a number of CPUs (like 0.5 or 2, at most two decimals, or max)
EOF
	run "$BIN/cgctl" create "$NAME" --memory 1G --pids nope
	assert_equal "$status" 1
	assert_one_error_line
	assert_no_cgroup_left "$NAME"
}

@test "cgctl: a bad name, a missing cgroup, a missing command are one clear line each" {
	run "$BIN/cgctl" create ../etc
	assert_equal "$status" 1
	assert_output "cgctl: cgroup name '../etc': use only letters, digits, '_', '.' and '-'"
	run "$BIN/cgctl" destroy "$NAME"
	assert_equal "$status" 1
	assert_one_error_line
	assert_output "cgctl: destroy cgroup cfs/$NAME: No such file or directory"
	run "$BIN/cgctl" run --memory 64M
	assert_equal "$status" 2
	assert_output "cgctl: run: missing COMMAND (try cgctl --help)"
	run "$BIN/cgctl" frobnicate
	assert_equal "$status" 2
	run "$BIN/cgctl" set "$NAME"
	assert_equal "$status" 2
	run "$BIN/cgctl" --help
	assert_success
	assert_output --partial "usage: cgctl run"
}

@test "cgctl run --name of an existing cgroup fails and leaves that cgroup alone" {
	"$BIN/cgctl" create "$NAME" --pids 7
	run "$BIN/cgctl" run --name "$NAME" -- true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output --partial "File exists"
	assert_equal "$(cat "$(cg_file pids.max "$NAME")")" 7
}
