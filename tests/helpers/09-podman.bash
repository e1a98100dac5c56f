# 09-podman.bash: helpers for tests/09-podman.bats.
#
# podman runs here through scripts/podman-minirun, with all of its state
# (images, containers, locks, events) in a scratch
# directory made for this test file, so nothing of the machine's own
# podman is read or changed. One image, localhost/cfs-busybox, is
# imported from build/rootfs once per file (no registry).
#
# The runtime is minirun (build/$TREE/bin/minirun) unless
# CFS_PODMAN_RUNTIME=crun: the same tests against crun check the harness
# itself (every test must pass with crun).

PM_IMAGE=localhost/cfs-busybox

# pm_setup_file: the scratch directory, the runtime, the cgroup parent and
# the image. Exports what the tests read: PM_DIR, PM_RUNTIME (minirun or
# crun), PM_RUNTIME_PATH, PM_CGROUP_PARENT.
pm_setup_file() {
	export PM_RUNTIME=${CFS_PODMAN_RUNTIME:-minirun}
	case $PM_RUNTIME in
	minirun) PM_RUNTIME_PATH=$BIN/minirun ;;
	crun) PM_RUNTIME_PATH=$(command -v crun) ;;
	*) fail "CFS_PODMAN_RUNTIME must be minirun or crun, not $PM_RUNTIME" ;;
	esac
	export PM_RUNTIME_PATH
	[[ -x $PM_RUNTIME_PATH ]] || fail "$PM_RUNTIME_PATH is not built: run make build CH=08"
	[[ -x $ROOTFS/bin/probe ]] || fail "no rootfs at $ROOTFS: run make rootfs"
	# A short path: conmon's attach socket lives under it, and a socket
	# path must fit in 108 bytes.
	PM_DIR=$(mktemp -d /tmp/cfs-podman.XXXXXX)
	export PM_DIR
	# One cgroup parent for the file's containers and their conmons (podman's
	# default, /libpod_parent, would be shared with the machine's podman).
	export PM_CGROUP_PARENT=/cfspm${CFS_ID:0:5}
	if [[ $PM_RUNTIME == crun ]]; then
		crun_hybrid_workaround
	fi
	pm --import "$PM_IMAGE"
}

# pm_teardown_file: every container and image, the scratch directory and
# the cgroup parent.
pm_teardown_file() {
	if [[ -n ${PM_DIR:-} && -d $PM_DIR ]]; then
		pm --clean || true
		pm_remove_cgroup_parent
	fi
	# Last: the containers' cgroups in the hugetlb hierarchy are gone.
	crun_hybrid_restore
}

# pm ARGS...: podman (or --import/--clean) with this file's scratch
# directory and runtime. File descriptor 3 (bats' own) is closed: conmon
# outlives podman, and bats would wait for every holder of it.
# podman's own warnings never reach what a test checks: which ones a
# version prints is its business (podman 5 warns on every command of a
# cgroup v1 machine), so podman runs with --log-level=error; its errors
# ("Error: ...") still show.
pm() {
	local quiet=(--log-level=error)
	[[ ${1:-} == --import || ${1:-} == --clean ]] && quiet=()
	PODMAN_IGNORE_CGROUPSV1_WARNING=1 \
		"$PROJECT_ROOT/scripts/podman-minirun" --dir "$PM_DIR" --runtime "$PM_RUNTIME_PATH" \
		"${quiet[@]}" "$@" 3>&-
}

# pm_run [OPTIONS] IMAGE-AND-COMMAND...: podman run with the file's cgroup
# parent and explicit rlimits. Why the rlimits: without --ulimit, podman
# asks for RLIMIT_NOFILE and RLIMIT_NPROC of 1048576 (or the hard limits
# it sees), and raising a hard limit needs CAP_SYS_RESOURCE, which on this
# machine is outside root's bounding set: every runtime would fail.
# (podman-minirun's containers.conf has defaults too, 1024 and 4096; these
# differ, so a test sees that the values given here reached the process.)
# RLIMIT_NPROC counts every process of uid 0 on the host, not just the
# container's: keep it well above what the machine runs.
PM_NOFILE=1000:2000 PM_NPROC=4000:4000
pm_run() {
	pm run --cgroup-parent "$PM_CGROUP_PARENT" \
		--ulimit "nofile=$PM_NOFILE" --ulimit "nproc=$PM_NPROC" "$@"
}

# pm_inspect NAME FORMAT: one field of podman inspect.
pm_inspect() {
	pm inspect --format "$2" "$1"
}

# pm_status NAME: created, running, paused, exited...
pm_status() {
	pm_inspect "$1" '{{.State.Status}}'
}

# pm_name: a container name unique to this test (and run).
pm_name() {
	unique_name cfspm
}

# pm_remove_container NAME: for defer; any state, gone or not.
pm_remove_container() {
	pm rm --force --time 0 "$1" >/dev/null 2>&1 || true
}

# pm_runtime ARGS...: the runtime itself, with its default state
# directory, which is where podman makes it keep its containers.
pm_runtime() {
	"$PM_RUNTIME_PATH" "$@"
}

# pm_remove_cgroup_parent: rmdir the file's cgroup parent in every
# hierarchy, children first. A conmon may take a moment to leave its
# cgroup after its container is removed: retry for a few seconds.
pm_remove_cgroup_parent() {
	local tries dir
	for ((tries = 0; tries < 50; tries++)); do
		local left=0
		for dir in /sys/fs/cgroup"$PM_CGROUP_PARENT" /sys/fs/cgroup/*"$PM_CGROUP_PARENT"; do
			[[ -d $dir ]] || continue
			find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
			[[ -d $dir ]] && left=1
		done
		((left)) || return 0
		sleep 0.1
	done
	echo "could not remove cgroup $PM_CGROUP_PARENT" >&2
}

# caps_of_mask HEX: the capability names of a /proc/PID/status mask
# (CapEff=00000000a80425fb), upper case, sorted, on one line.
caps_of_mask() {
	capsh --decode="$1" | sed 's/^0x[0-9a-f]*=//' | tr ',' '\n' | tr '[:lower:]' '[:upper:]' | sort | xargs
}
