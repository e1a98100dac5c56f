# 08-mini-runtime.bash: helpers for tests/08-mini-runtime.bats.
#
# Every test gets its own state root (--root) under $BATS_TEST_TMPDIR and
# its own bundle whose rootfs is a private copy, so tests never see each
# other's containers. Teardown deletes (--force) whatever a test left.

# minirun ARGS...: the runtime under test, with this test's state root.
minirun() {
	"$BIN/minirun" --root "$MR_ROOT" "$@"
}

# make_bundle: a bundle in $BUNDLE from `minirun spec`, rootfs copied in,
# root made writable (tests write markers). Sets BUNDLE.
make_bundle() {
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$BUNDLE"
	mv "$(rootfs_copy)" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$BIN/minirun" spec)
	config_edit 'c["root"]["readonly"] = False'
}

# config_edit PYTHON: change $BUNDLE/config.json; the statement sees the
# parsed config as `c` (jq may be missing, python3 is a lab dependency).
config_edit() {
	python3 -c '
import json, sys
path = sys.argv[1]
c = json.load(open(path))
exec(sys.argv[2])
json.dump(c, open(path, "w"), indent=2)
' "$BUNDLE/config.json" "$1"
}

# config_args ARG...: set process.args.
config_args() {
	local json
	json=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@")
	config_edit "c['process']['args'] = $json"
}

# container_status ID: the status field of `minirun state ID`.
container_status() {
	minirun state "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])'
}

# state_field ID FIELD: one field of `minirun state ID` (empty if absent).
state_field() {
	minirun state "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$2"
}

# mr_create ID [ARGS...]: create with output to $BATS_TEST_TMPDIR/ID.out.
# Never through `run` or a pipe: the container's process keeps create's
# stdout and stderr open until it exits, and bats would wait for it.
mr_create() {
	local id=$1
	shift
	defer mr_force_delete "$id"
	minirun create --bundle "$BUNDLE" "$@" "$id" >"$BATS_TEST_TMPDIR/$id.out" 2>&1
}

mr_force_delete() {
	"$BIN/minirun" --root "$MR_ROOT" delete --force "$1"
}

# assert_no_leftovers: no state directory entry, nothing mounted under
# the bundle.
assert_no_leftovers() {
	local left
	left=$(ls -A "$MR_ROOT" 2>/dev/null || true)
	[[ -z $left ]] || fail "left in the state root: $left"
	assert_nothing_mounted_under "$BUNDLE"
}

# process_gone PID: the process has exited (a zombie not yet reaped by
# whoever inherited it counts as gone: it holds nothing any more).
process_gone() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	[[ ${stat%% *} == Z ]] || fail "process $1 is still alive: $stat"
}
