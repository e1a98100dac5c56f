# 09-hardening.bash: helpers for tests/09-hardening.bats, on top of
# helpers/08-mini-runtime.bash (bundle, minirun, mr_create, ...).

# host_dir NAME: an empty directory on the host, outside the bundle,
# that an attacking rootfs points its symlinks at. Prints its path.
host_dir() {
	local dir=$BATS_TEST_TMPDIR/host-$1
	mkdir -p "$dir"
	echo "$dir"
}

# assert_dir_empty DIR: the host directory was not written to.
assert_dir_empty() {
	local left
	left=$(ls -A "$1")
	[[ -z $left ]] || fail "the runtime wrote on the host, in $1: $left"
	assert_nothing_mounted_under "$1"
}

# escape_link PATH_IN_ROOT TARGET: replace PATH_IN_ROOT of the bundle's
# rootfs by a relative symlink that climbs far above the root and then
# down to the absolute host path TARGET.
escape_link() {
	local link=$BUNDLE/rootfs$1
	rm -rf "$link"
	mkdir -p "$(dirname "$link")"
	ln -s "../../../../../../../../../../../..$2" "$link"
}

# relative_link_attack [PYTHON]: the rootfs's /mnt/x and /mnt/t are
# relative symlinks climbing out of the root to two host directories; a
# bind mount goes to /mnt/x/file and a tmpfs to /mnt/t (PYTHON edits the
# config further). Both must land inside the root, the host directories
# stay empty, and the container sees both.
relative_link_attack() {
	local id host other source
	id=$(unique_name cfsmr)
	host=$(host_dir rel)
	other=$(host_dir rel2)
	source=$BATS_TEST_TMPDIR/source-file
	echo "bound-$CFS_ID" >"$source"
	escape_link /mnt/x "$host"
	escape_link /mnt/t "$other"
	config_edit 'c["mounts"] += [{"destination": "/mnt/x/file", "type": "bind", "source": "'"$source"'", "options": ["bind"]},
{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs"}]
'"${1:-}"
	config_args sh -c 'cat /mnt/x/file; stat -f -c "fs=%T" /mnt/t'
	mr_run "$id"
	assert_dir_empty "$host"
	assert_dir_empty "$other"
	assert_equal "$MR_STATUS" 0 || fail "minirun run: $MR_OUT"
	assert_equal "$MR_OUT" "bound-$CFS_ID
fs=tmpfs"
}

# config_without_dev_tmpfs: drop the /dev tmpfs and the mounts below it,
# so the rootfs's own /dev is what the container gets.
config_without_dev_tmpfs() {
	config_edit 'c["mounts"] = [m for m in c["mounts"] if not m["destination"].startswith("/dev")]'
}

# create_stopped_midway ID: start `minirun create ID` under strace, which
# stops the container's first process (SIGSTOP, strace's signal
# injection) when it calls pivot_root(2), half-way through its setup:
# the runtime then waits for it, mid-create. Returns once the runtime has
# recorded that process and it is stopped. Sets RUNTIME_PID (the minirun
# process) and INIT_PID (the half-made init).
create_stopped_midway() {
	local id=$1 state=$MR_ROOT/$1/state.json
	defer mr_force_delete "$id"
	# shellcheck disable=SC2016 # $$ is the inner shell's
	start_background "$BATS_TEST_TMPDIR/$id.strace.out" \
		strace -f -qq -o /dev/null -e trace=pivot_root -e inject=pivot_root:signal=SIGSTOP \
		sh -c 'echo $$ > "$1"; exec "$2" --root "$3" create --bundle "$4" "$5"' \
		sh "$BATS_TEST_TMPDIR/runtime.pid" "$BIN/minirun" "$MR_ROOT" "$BUNDLE" "$id"
	wait_until 5 test -s "$BATS_TEST_TMPDIR/runtime.pid"
	# shellcheck disable=SC2034 # read by the tests
	RUNTIME_PID=$(cat "$BATS_TEST_TMPDIR/runtime.pid")
	wait_until 5 grep -q '"pid": [1-9]' "$state"
	INIT_PID=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["pid"])' "$state")
	# The init is stopped in setup, the runtime waits for it.
	wait_until 5 grep -q '^State:.*\(stopped\|tracing stop\)' "/proc/$INIT_PID/status"
	[[ $(container_status "$1") == creating ]] || fail "not mid-create: $(minirun state "$1")"
}

# process_alive PID: alive and not a zombie.
process_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# assert_one_line TEXT: a failure reported in exactly one line.
assert_one_line() {
	[[ -n $1 && $1 != *$'\n'* ]] || fail "expected one line of error, got: $1"
}

# process_dead PID: gone, or a zombie (for wait_until).
process_dead() {
	! process_alive "$1"
}
