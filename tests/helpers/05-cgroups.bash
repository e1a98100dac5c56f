# 05-cgroups.bash: shell helpers for chapter 05's tests. They do with
# plain shell what cgctl does in C, so a test can set up or clean up a
# cgroup without depending on the exercise it grades.
#
# A cgroup NAME lives at cfs/NAME: /sys/fs/cgroup/cfs/NAME on v2,
# MOUNT/cfs/NAME in each v1 (and hybrid) hierarchy, MOUNT being where the
# mount table says the hierarchy is (usually /sys/fs/cgroup/<controller>).

CG_ROOT=/sys/fs/cgroup
CG_V1_CONTROLLERS=(memory pids cpu cpuacct freezer cpuset devices hugetlb)

# cg_v1_mounts CONTROLLER [WHOLE]: every mount of CONTROLLER's v1
# hierarchy in this mount namespace, one a line, in the mount table's
# order (a chroot's bind of /sys adds more than the usual one); with
# WHOLE only those of the whole hierarchy (not a bind of one cgroup).
cg_v1_mounts() {
	awk -v want="$1" -v whole="${2:-}" '{
		for (i = 7; $i != "-"; i++)
			;
		if ($(i + 1) != "cgroup" || (whole && $4 != "/"))
			next
		n = split($(i + 3), options, ",")
		for (j = 1; j <= n; j++)
			if (options[j] == want)
				print $5
	}' /proc/self/mountinfo
}

# cg_v1_mount CONTROLLER: where CONTROLLER's v1 hierarchy is mounted (its
# first mount), or nothing when it is not mounted.
cg_v1_mount() {
	cg_v1_mounts "$1" whole | head -n 1
}

# without_hierarchy CONTROLLER CMD...: run CMD in a mount namespace of
# its own where CONTROLLER's v1 hierarchy is mounted nowhere (as when it
# was unmounted while it held cgroups). Its mounts propagate nowhere: the
# host keeps its own, and the namespace ends with CMD.
without_hierarchy() {
	unshare --mount --propagation private bash -c "$(declare -f cg_v1_mounts)"'
		for point in $(cg_v1_mounts "$1"); do
			umount "$point" || exit 99
		done
		shift
		exec "$@"' without_hierarchy "$@"
}

# cg_usable CONTROLLER: can a cgroup here use CONTROLLER? On v2 when the
# root offers it; on v1 (and hybrid) when a v1 hierarchy of it is mounted
# (a hybrid host's cgroup2 mount may hold it instead: not usable).
cg_usable() {
	if [[ $(cgroup_mode) == v2 ]]; then
		grep -qw "$1" $CG_ROOT/cgroup.controllers
	else
		[[ -n $(cg_v1_mount "$1") ]]
	fi
}

# cg_dirs NAME: the cgroup's directories, one a line (whether they exist
# or not): one on v2, one per distinct mounted v1 hierarchy.
cg_dirs() {
	local name=$1 controller mount_point seen=" "
	if [[ $(cgroup_mode) == v2 ]]; then
		echo "$CG_ROOT/cfs/$name"
		return
	fi
	for controller in "${CG_V1_CONTROLLERS[@]}"; do
		mount_point=$(cg_v1_mount "$controller")
		[[ -n $mount_point ]] || continue
		[[ $seen == *" $mount_point "* ]] && continue
		seen+="$mount_point "
		echo "$mount_point/cfs/$name"
	done
}

# cg_dir CONTROLLER NAME: the directory holding CONTROLLER's files.
cg_dir() {
	if [[ $(cgroup_mode) == v2 ]]; then
		echo "$CG_ROOT/cfs/$2"
	else
		echo "$(cg_v1_mount "$1")/cfs/$2"
	fi
}

# cg_file KNOB NAME: the file a knob lives in, in this mode. Knobs:
# memory.max pids.max pids.current cpu.max cpu.stat procs.
cg_file() {
	local knob=$1 name=$2 v2
	[[ $(cgroup_mode) == v2 ]] && v2=1
	case $knob in
	memory.max) if [[ $v2 ]]; then echo "$(cg_dir memory "$name")/memory.max"; else echo "$(cg_dir memory "$name")/memory.limit_in_bytes"; fi ;;
	cpu.max) if [[ $v2 ]]; then echo "$(cg_dir cpu "$name")/cpu.max"; else echo "$(cg_dir cpu "$name")/cpu.cfs_quota_us"; fi ;;
	pids.*) echo "$(cg_dir pids "$name")/$knob" ;;
	cpu.stat) echo "$(cg_dir cpu "$name")/cpu.stat" ;;
	procs) echo "$(cg_dir memory "$name")/cgroup.procs" ;;
	*) echo "cg_file: unknown knob $knob" >&2; return 1 ;;
	esac
}

# cg_exec NAME CMD...: run CMD inside the cgroup (the shell moves itself
# in, in every hierarchy, then execs CMD). The caller stays outside.
# Exits 125 without running CMD unless it is inside: a fork bomb must
# never run loose.
cg_exec() {
	local name=$1
	shift
	(
		local dir joined=0
		for dir in $(cg_dirs "$name"); do
			echo "$BASHPID" >"$dir/cgroup.procs" || exit 125
			joined=1
		done
		((joined)) || { echo "cg_exec: no cgroup $name to join" >&2; exit 125; }
		exec "$@"
	)
}

# cg_stat FILE KEY: the value of KEY in a "key value" file (cpu.stat).
cg_stat() {
	awk -v key="$2" '$1 == key { print $2 }' "$1"
}

# cg_remove NAME: thaw, kill everything inside and remove the cgroup's
# directories (bounded retries). For teardown: never fails.
cg_remove() {
	local name=$1 dir pid try
	for dir in $(cg_dirs "$name"); do
		[[ -d $dir ]] || continue
		[[ -e $dir/cgroup.freeze ]] && echo 0 >"$dir/cgroup.freeze" 2>/dev/null
		[[ -e $dir/freezer.state ]] && echo THAWED >"$dir/freezer.state" 2>/dev/null
		for try in $(seq 100); do
			while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$dir/cgroup.procs"
			rmdir "$dir" 2>/dev/null && break
			sleep 0.05
		done
	done
	return 0
}

# assert_no_cgroup_left NAME: none of the cgroup's directories exists.
assert_no_cgroup_left() {
	local dir
	for dir in $(cg_dirs "$1"); do
		[[ ! -e $dir ]] || fail "cgroup directory left behind: $dir"
	done
}

# process_gone PID: the process has ended (no /proc entry, or a zombie).
process_gone() {
	[[ ! -e /proc/$1 ]] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# cpu_ticks PID: user+system CPU time of a process, in clock ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# cg_kill_all NAME: SIGKILL every process in the cgroup, a fork bomb
# included, and wait until none is left. v2 has cgroup.kill for that (Linux
# 5.14 and later). Otherwise the cgroup is frozen first (a frozen process
# cannot fork), so one pass over cgroup.procs gets them all; thawed, they
# die. Done with plain files: it needs no exercise. The cgroup may vanish
# meanwhile (cgctl run removes its own once its command is dead).
cg_kill_all() {
	local name=$1 dir pid
	dir=$(cg_dir freezer "$name")
	if [[ -e $dir/cgroup.kill ]]; then
		echo 1 >"$dir/cgroup.kill" 2>/dev/null || true
	elif [[ $(cgroup_mode) == v2 ]]; then
		echo 1 >"$dir/cgroup.freeze"
		wait_until 60 eval '[[ $(cg_stat "$dir/cgroup.events" frozen 2>/dev/null) != 0 ]]'
		while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$dir/cgroup.procs" 2>/dev/null || true
		echo 0 >"$dir/cgroup.freeze" 2>/dev/null || true
	else
		echo FROZEN >"$dir/freezer.state"
		wait_until 60 eval '[[ $(cat "$dir/freezer.state" 2>/dev/null) != FREEZING ]]'
		while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$dir/cgroup.procs" 2>/dev/null || true
		echo THAWED >"$dir/freezer.state" 2>/dev/null || true
	fi
	# No live process left (the dead are not listed, zombies included).
	wait_until 60 eval '[[ -z $(cat "$(cg_file procs "$name")" 2>/dev/null) ]]'
}

# now: the wall-clock time in seconds, to the microsecond.
now() {
	echo "$EPOCHREALTIME"
}

# cpu_quota_allows CPUS SECONDS USED: whether USED seconds of CPU fit what
# a quota of CPUS lets a cgroup use in SECONDS of wall-clock time (SECONDS
# measured around everything that ran inside, so never too short). The
# kernel refills the quota every period (100 ms here): in SECONDS it hands
# out CPUS * SECONDS, plus the quota of the period already running at the
# start and at the end, plus what a process runs past an empty quota
# before the next tick throttles it (a few ticks; more on an emulated
# machine, whose ticks come late). The bound follows the wall-clock time,
# so a loaded machine, which stretches it, still fits; an unlimited
# process on an idle machine gets about 1 s of CPU a second and does not.
cpu_quota_allows() {
	awk -v cpus="$1" -v seconds="$2" -v used="$3" \
		'BEGIN { exit !(used <= cpus * seconds + 2 * cpus * 0.1 + 0.1) }'
}

# cg_holds_at_least NAME N: the cgroup exists and holds N processes or more.
cg_holds_at_least() {
	local current
	current=$(cat "$(cg_file pids.current "$1")" 2>/dev/null) || return 1
	((current >= $2))
}
