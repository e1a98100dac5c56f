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
# root made writable (tests write markers). Sets BUNDLE, in the test's
# scratch_dir (a filesystem that allows setuid programs and devices).
make_bundle() {
	BUNDLE=$(scratch_dir)/bundle || fail "no place for the bundle"
	mkdir -p "$BUNDLE"
	mv "$(rootfs_copy)" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$BIN/minirun" spec)
	config_edit 'c["root"]["readonly"] = False'
}

# config_edit PYTHON [ARG...]: change $BUNDLE/config.json; the statement
# sees the parsed config as `c` and the ARGs as sys.argv[3:] (jq may be
# missing, python3 is a lab dependency).
config_edit() {
	python3 -c '
import json, sys
path = sys.argv[1]
c = json.load(open(path))
exec(sys.argv[2])
json.dump(c, open(path, "w"), indent=2)
' "$BUNDLE/config.json" "$@"
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

# mr_run ID ARGS...: `minirun run` with stdout+stderr in
# $BATS_TEST_TMPDIR/ID.out (never a pipe: see mr_create); sets MR_STATUS
# and MR_OUT (the output). Not in $(...): defer must run in the test.
mr_run() {
	local id=$1
	shift
	MR_STATUS=0
	defer mr_force_delete "$id"
	minirun run --bundle "$BUNDLE" "$@" "$id" >"$BATS_TEST_TMPDIR/$id.out" 2>&1 || MR_STATUS=$?
	MR_OUT=$(cat "$BATS_TEST_TMPDIR/$id.out")
}

# mr_cgroup_path: a unique cgroupsPath below cfs/ (chapter 05's parent),
# so that cg_file KNOB NAME of helpers/05-cgroups finds it. Sets MR_CGROUP.
mr_cgroup_path() {
	MR_CGROUP=$(unique_name cfsmr)cg
	config_edit 'c["linux"]["cgroupsPath"] = "/cfs/'"$MR_CGROUP"'"'
}

# wait_for_file FILE: until a container wrote it (5 s at most).
wait_for_file() {
	wait_until 5 test -s "$1"
}

# console_listen SOCKET OUT: a unix socket server (python3) that takes the
# terminal master a runtime sends (SCM_RIGHTS) and copies what the
# container writes on its terminal to OUT. Sets BG_PID.
console_listen() {
	start_background "$2" python3 -c '
import os, socket, sys, time
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])
server.listen(1)
connection, _ = server.accept()
message, fds, _, _ = socket.recv_fds(connection, 1024, 1)
print("pty=" + message.decode(), flush=True)
end = time.time() + 10
while time.time() < end:
    try:
        data = os.read(fds[0], 4096)
    except OSError:
        break
    if not data:
        break
    sys.stdout.write(data.decode(errors="replace").replace("\r", ""))
    sys.stdout.flush()
' "$1"
	wait_until 5 test -S "$1"
}
