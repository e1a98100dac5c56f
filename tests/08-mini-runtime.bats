#!/usr/bin/env bats
# Chapter 08: minirun, an OCI runtime. The lifecycle (create, start, state,
# kill, delete, run), the state JSON of the spec, and config.json
# validation, seen from outside and through the probe inside.
#
# Never `run minirun create`: the container's process keeps create's
# stdout open and bats would wait for it. mr_create writes to a file.

load helpers
load helpers/08-mini-runtime

setup() {
	requires root
	require_program minirun
	MR_ROOT=$BATS_TEST_TMPDIR/state
	make_bundle
}

# Exercises each test needs: 08.1 setup inside, 08.2 exec fifo wait,
# 08.3 create, 08.4 status, 08.5 start, 08.6 kill, 08.7 delete.

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_5
@test "08.1 the container's process is PID 1 with the config's hostname, cwd and env" {
	local id out
	id=$(unique_name cfsmr)
	config_edit 'c["hostname"] = "box-'"$CFS_ID"'"; c["process"]["cwd"] = "/tmp"; c["process"]["env"].append("GREETING=hello world")'
	config_args sh -c 'echo "env:$GREETING"; echo "home:${HOME:-unset}"; exec probe id'
	mr_create "$id"
	minirun start "$id"
	wait_until 5 test "$(container_status "$id")" = stopped
	out=$(cat "$BATS_TEST_TMPDIR/$id.out")
	echo "$out" | grep -qx "pid=1" || fail "not PID 1: $out"
	echo "$out" | grep -qx "hostname=box-$CFS_ID" || fail "hostname: $out"
	echo "$out" | grep -qx "cwd=/tmp" || fail "cwd: $out"
	echo "$out" | grep -qx "env:hello world" || fail "env: $out"
	echo "$out" | grep -qx "home:unset" || fail "the host's environment leaked in: $out"
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_5
@test "08.1 the container sees only its rootfs, its own /proc and the config's mounts" {
	local id
	id=$(unique_name cfsmr)
	config_args probe mounts procs
	run minirun run --bundle "$BUNDLE" "$id"
	assert_success
	assert_line --regexp '^mount=/ '
	assert_line --regexp '^mount=/proc proc '
	assert_line --regexp '^mount=/dev tmpfs '
	assert_line --regexp '^mount=/sys sysfs sysfs ro,'
	assert_line --regexp '^mount=/proc/sys proc proc ro,'
	assert_line "procs=1"
	assert_no_leftovers
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4
@test "08.2 create leaves the process waiting: created, alive, program not run yet" {
	local id pid
	id=$(unique_name cfsmr)
	config_args sh -c 'echo ran > /tmp/marker'
	mr_create "$id" --pid-file "$BATS_TEST_TMPDIR/pid"
	assert_equal "$(container_status "$id")" created
	pid=$(state_field "$id" pid)
	assert_equal "$(cat "$BATS_TEST_TMPDIR/pid")" "$pid"
	kill -0 "$pid"
	sleep 0.2
	assert_file_not_exists "$BUNDLE/rootfs/tmp/marker"
	# The runtime itself is gone: the process was reparented.
	[[ $(ps -o ppid= -p "$pid" | tr -d ' ') != "$$" ]]
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_5
@test "08.3 state follows the spec: created, running, stopped, with id, pid, bundle, annotations" {
	local id
	id=$(unique_name cfsmr)
	config_edit 'c["annotations"] = {"org.example.test": "'"$CFS_ID"'"}'
	config_args sh -c 'read line < /tmp/go; exit 0'
	mkfifo "$BUNDLE/rootfs/tmp/go"
	mr_create "$id"
	run minirun state "$id"
	assert_success
	python3 - "$output" "$id" "$BUNDLE" "$CFS_ID" <<'PY'
import json, sys
state = json.loads(sys.argv[1])
assert state["ociVersion"].startswith("1."), state
assert state["id"] == sys.argv[2], state
assert state["status"] == "created", state
assert isinstance(state["pid"], int) and state["pid"] > 0, state
assert state["bundle"] == sys.argv[3], state
assert state["annotations"] == {"org.example.test": sys.argv[4]}, state
PY
	minirun start "$id"
	assert_equal "$(container_status "$id")" running
	echo go > "$BUNDLE/rootfs/tmp/go"
	wait_until 5 test "$(container_status "$id")" = stopped
	run minirun list
	assert_success
	assert_line --regexp "^$id +0 +stopped "
}

# bats test_tags=ex:08_4
@test "08.4 a container whose process died is stopped, not running" {
	local id pid
	id=$(unique_name cfsmr)
	config_args sleep 100
	mr_create "$id"
	pid=$(state_field "$id" pid)
	[[ -n $pid ]] || fail "no pid in state"
	kill -KILL "$pid"
	wait_until 5 test "$(container_status "$id")" = stopped
	run state_field "$id" pid
	assert_output ""
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_5
@test "08.5 start runs the program once; a second start fails" {
	local id
	id=$(unique_name cfsmr)
	config_args sh -c 'echo started; sleep 100'
	mr_create "$id"
	minirun start "$id"
	wait_until 5 grep -q started "$BATS_TEST_TMPDIR/$id.out"
	run minirun start "$id"
	assert_one_error_line
	assert_output "minirun: start $id: the container is running, not created"
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_5,ex:08_6
@test "08.6 kill takes signal names with and without SIG, and numbers" {
	local id signal
	for signal in USR1 SIGUSR1 10; do
		id=$(unique_name cfsmr)-$signal
		config_args sh -c 'trap "echo got USR1; exit 3" USR1; echo ready; while :; do sleep 0.1; done'
		mr_create "$id"
		minirun start "$id"
		wait_until 5 grep -q ready "$BATS_TEST_TMPDIR/$id.out"
		minirun kill "$id" "$signal"
		wait_until 5 grep -q "got USR1" "$BATS_TEST_TMPDIR/$id.out"
		wait_until 5 test "$(container_status "$id")" = stopped
		run minirun kill "$id" KILL
		assert_one_error_line
		assert_output "minirun: kill $id: the container is stopped"
	done
	run minirun kill "$id" NOSUCHSIGNAL
	assert_one_error_line
	assert_output "minirun: unknown signal NOSUCHSIGNAL"
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_5,ex:08_7
@test "08.7 delete refuses a running container; --force kills it and leaves nothing" {
	local id pid
	id=$(unique_name cfsmr)
	config_args sleep 100
	mr_create "$id"
	minirun start "$id"
	pid=$(state_field "$id" pid)
	run minirun delete "$id"
	assert_one_error_line
	assert_output "minirun: delete $id: the container is running: stop it first, or use --force"
	kill -0 "$pid"
	minirun delete --force "$id"
	process_gone "$pid"
	run minirun state "$id"
	assert_one_error_line
	assert_output "minirun: container $id does not exist"
	assert_no_leftovers
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_7
@test "08.7 delete --force removes a created container that never started" {
	local id pid
	id=$(unique_name cfsmr)
	config_args true
	mr_create "$id"
	pid=$(state_field "$id" pid)
	minirun delete --force "$id"
	process_gone "$pid"
	assert_no_leftovers
}

# bats test_tags=ex:08_1,ex:08_2,ex:08_3,ex:08_4,ex:08_5,ex:08_7
@test "08.7 run returns the container's exit status, or 128+N when killed, and cleans up" {
	local id
	id=$(unique_name cfsmr)
	config_args sh -c 'exit 42'
	run minirun run --bundle "$BUNDLE" "$id"
	assert_equal "$status" 42
	assert_no_leftovers
	# PID 1 of a namespace cannot SIGKILL itself: the kill comes from
	# outside, as `minirun kill` sends it.
	config_args sh -c 'echo ready; while :; do sleep 0.1; done'
	start_background "$BATS_TEST_TMPDIR/run.out" "$BIN/minirun" --root "$MR_ROOT" run --bundle "$BUNDLE" "$id"
	wait_until 5 grep -q ready "$BATS_TEST_TMPDIR/run.out"
	minirun kill "$id" KILL
	local rc=0
	wait "$BG_PID" || rc=$?
	assert_equal "$rc" 137
	assert_no_leftovers
}

# ---------------------------------------------------------------- not graded

@test "minirun: the config podman generates parses" {
	cp "$PROJECT_ROOT/../shared/reference/podman-config-sample.json" "$BUNDLE/config.json" 2>/dev/null ||
		cp /work/shared/reference/podman-config-sample.json "$BUNDLE/config.json"
	run minirun validate --bundle "$BUNDLE"
	assert_success
	assert_output ""
}

@test "minirun: the config minirun spec writes parses, and spec refuses to overwrite it" {
	run minirun validate --bundle "$BUNDLE"
	assert_success
	run minirun spec --bundle "$BUNDLE"
	assert_one_error_line
	assert_output --partial "config.json: File exists"
}

@test "minirun: each bad config.json is one line naming the field, and leaves nothing" {
	local id=cfsbad$CFS_ID
	local -a cases=(
		'c["process"]["args"] = []|process.args: must be a non-empty array of strings'
		'c["process"]["args"] = ["sh", 3]|process.args[1]: must be a string'
		'del c["ociVersion"]|ociVersion: is required'
		'c["ociVersion"] = "2.0.0"|ociVersion: must be a 1.x version of the runtime specification'
		'del c["root"]["path"]|root.path: is required'
		'c["process"]["cwd"] = "tmp"|process.cwd: must be an absolute path'
		'c["process"]["env"] = ["NOEQUALS"]|process.env[0]: must be NAME=VALUE'
		'c["process"]["env"] = ["A=b\u0000c"]|process.env[0]: must not contain a NUL byte'
		'c["process"]["user"]["uid"] = 4294967295|process.user.uid: 4294967295 is out of range [0, 4294967294]'
		'c["process"]["user"]["uid"] = -1|process.user.uid: -1 is out of range [0, 4294967294]'
		'c["process"]["rlimits"].append({"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1})|process.rlimits[1].type: duplicate rlimit type'
		'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 10, "hard": 1}]|process.rlimits[0]: soft limit is above the hard limit'
		'c["process"]["rlimits"] = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]|process.rlimits[0].type: unknown rlimit type'
		'c["linux"]["namespaces"].append({"type": "pid"})|linux.namespaces[5].type: duplicate namespace type'
		'c["linux"]["namespaces"].append({"type": "galaxy"})|linux.namespaces[5].type: unknown namespace type'
		'c["linux"]["resources"] = {"memory": {"limit": -2}}|linux.resources.memory.limit: -2 is out of range [-1, 9223372036854775807]'
		'c["linux"]["resources"] = {"pids": {"limit": "many"}}|linux.resources.pids.limit: must be an integer'
		'c["mounts"].append({"destination": "relative", "type": "tmpfs"})|mounts[6].destination: must be an absolute path'
		'c["mounts"].append({"destination": "/x", "type": "bind"})|mounts[6].source: is required for a bind mount'
		'c["process"]["oomScoreAdj"] = 1001|process.oomScoreAdj: 1001 is out of range [-1000, 1000]'
		'c["process"]["terminal"] = "yes"|process.terminal: must be true or false'
		'c["hostname"] = "x" * 65|hostname: must be at most 64 characters'
		'c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 4294967295, "size": 2}]|linux.uidMappings[0]: the range runs past the last 32-bit id'
	)
	local entry edit expected
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/good.json"
	for entry in "${cases[@]}"; do
		edit=${entry%%|*}
		expected=${entry#*|}
		cp "$BATS_TEST_TMPDIR/good.json" "$BUNDLE/config.json"
		config_edit "$edit"
		run minirun create --bundle "$BUNDLE" "$id"
		assert_equal "$status" 1
		assert_one_error_line
		assert_output "minirun: config.json: $expected"
		assert_no_leftovers
	done
	# A number too big for 64 bits never wraps into -1, "unlimited".
	cp "$BATS_TEST_TMPDIR/good.json" "$BUNDLE/config.json"
	sed -i 's/"soft": 1024/"soft": 18446744073709551615/' "$BUNDLE/config.json"
	run minirun create --bundle "$BUNDLE" "$id"
	assert_one_error_line
	assert_output --partial "too big integer"
	# Not JSON at all, and no config at all.
	echo '{"ociVersion": ' >"$BUNDLE/config.json"
	run minirun create --bundle "$BUNDLE" "$id"
	assert_one_error_line
	assert_output --regexp '^minirun: config.json: line [0-9]+ column [0-9]+: '
	rm "$BUNDLE/config.json"
	run minirun create --bundle "$BUNDLE" "$id"
	assert_one_error_line
	assert_output "minirun: $BUNDLE/config.json: No such file or directory"
	assert_no_leftovers
}

@test "minirun: unknown fields are ignored, unknown capabilities are a warning" {
	config_edit 'c["futureField"] = {"x": 1}; c["process"]["capabilities"]["bounding"].append("CAP_FROM_THE_FUTURE")'
	run minirun validate --bundle "$BUNDLE"
	assert_success
	assert_output "minirun: warning: config.json: process.capabilities.bounding[3]: unknown capability CAP_FROM_THE_FUTURE ignored"
}

@test "minirun: a missing rootfs or program fails create with one line and leaves nothing" {
	local id=cfsbad$CFS_ID
	config_edit 'c["root"]["path"] = "no-such-rootfs"'
	run minirun create --bundle "$BUNDLE" "$id"
	assert_one_error_line
	assert_output "minirun: rootfs $BUNDLE/no-such-rootfs: No such file or directory"
	assert_no_leftovers
	config_edit 'c["root"]["path"] = "rootfs"'
	config_args no-such-program
	minirun create --bundle "$BUNDLE" "$id" >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	assert_equal "${status:-0}" 1
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --partial "exec no-such-program: not found in PATH"
	[[ ${#lines[@]} -eq 1 ]] || fail "expected one line: $output"
	assert_no_leftovers
}

@test "minirun: container IDs are checked before anything is touched" {
	local id
	for id in .. . ../escape a/b _under '' 'sp ace' 'x$y' "$(printf 'a%.0s' {1..1025})"; do
		for command in create start state kill delete; do
			run minirun "$command" -- "$id"
			assert_equal "$status" 1
			assert_one_error_line
			assert_output --regexp '^minirun: container id'
		done
	done
	assert_file_not_exists "$MR_ROOT"
	# The longest valid ID and every allowed character pass the check.
	run minirun state "$(printf 'a%.0s' {1..1024})"
	assert_one_error_line
	assert_output --regexp '^minirun: container a{64}'
	refute_output --partial "container id"
	run minirun state "A-z_0.9"
	assert_output "minirun: container A-z_0.9 does not exist"
}

@test "minirun: an ID already in use is refused without touching the first container" {
	local id
	id=$(unique_name cfsmr)
	mkdir -p "$MR_ROOT/$id"
	run minirun create --bundle "$BUNDLE" "$id"
	assert_one_error_line
	assert_output "minirun: create $id: container already exists"
	assert_dir_exists "$MR_ROOT/$id"
}

@test "minirun: --help, COMMAND --help, usage errors" {
	run "$BIN/minirun" --help
	assert_success
	assert_output --partial "usage: minirun [GLOBAL OPTIONS] COMMAND"
	for command in create start state kill delete run exec list ps pause resume spec validate; do
		run "$BIN/minirun" "$command" --help
		assert_success
		assert_output --partial "usage: minirun $command"
	done
	run "$BIN/minirun"
	assert_equal "$status" 2
	run "$BIN/minirun" frobnicate x
	assert_equal "$status" 2
	assert_output "minirun: unknown command frobnicate (try minirun --help)"
	run minirun state
	assert_equal "$status" 2
	run minirun create --bogus x
	assert_equal "$status" 2
	run "$BIN/minirun" --log-format yaml list
	assert_equal "$status" 2
}

@test "minirun: --log with --log-format json records errors as JSON lines" {
	local log=$BATS_TEST_TMPDIR/log.json
	run "$BIN/minirun" --root "$MR_ROOT" --log "$log" --log-format json --systemd-cgroup state nosuch
	assert_failure
	assert_output ""
	python3 - "$log" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert records[-1]["level"] == "error", records
assert records[-1]["msg"] == "container nosuch does not exist", records
assert "time" in records[-1], records
PY
}
