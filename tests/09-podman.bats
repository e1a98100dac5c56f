#!/usr/bin/env bats
# podman drives minirun: a real OCI client (podman 4 with conmon) runs
# containers with `--runtime minirun` on a local image imported from the
# busybox rootfs. What podman and conmon ask of a runtime (see
# tests/fixtures/09-podman-argv.txt for the exact argv):
#   create --bundle B --pid-file P [--console-socket S] ID, start, state,
#   kill ID 15 (numeric signals), pause, resume, delete --force (also on
#   containers that already exited), exec --process F --detach --pid-file P
#   [--tty --console-socket S]; a config.json whose root.path is absolute
#   and outside the bundle, with a cgroup mount at /sys/fs/cgroup, a
#   seccomp profile, rlimits, masked paths and bind mounts of files.
#
# Not graded (no exercise): these tests check the whole runtime.
# CFS_PODMAN_RUNTIME=crun runs the same tests against crun (the harness's
# own check). Every podman here goes through scripts/podman-minirun with a
# scratch state of this file's own (see tests/helpers/09-podman.bash).

load helpers
load helpers/09-podman

setup_file() {
	requires root podman conmon
	pm_setup_file
}

teardown_file() {
	pm_teardown_file
}

setup() {
	requires root podman conmon
	# conmon writes an "oom" marker file into its working directory when a
	# container is OOM-killed: keep that in the test's own scratch space.
	cd "$BATS_TEST_TMPDIR"
}

@test "podman run --rm: the container's output, as PID 1 with podman's hostname and rlimits" {
	local name
	name=$(pm_name)
	run --separate-stderr pm_run --rm --name "$name" --hostname "box-$CFS_ID" "$PM_IMAGE" \
		sh -c 'echo "hello from $container"; exec probe id limits'
	assert_success
	assert_line --index 0 "hello from podman"
	assert_line pid=1
	assert_line "hostname=box-$CFS_ID"
	assert_line cwd=/
	# The --ulimit values (see pm_run) reached the process.
	assert_line "rlimit.NOFILE=$PM_NOFILE"
	assert_line "rlimit.NPROC=$PM_NPROC"
	# --rm: podman deleted it (runtime delete --force after it exited).
	run pm container exists "$name"
	assert_failure 1
}

@test "podman used minirun: inspect names it, and its state directory holds the running container" {
	local name id pid
	name=$(pm_name)
	defer pm_remove_container "$name"
	pm_run -d --name "$name" "$PM_IMAGE" sleep 60 >/dev/null
	assert_equal "$(pm_inspect "$name" '{{.OCIRuntime}}')" "$PM_RUNTIME_PATH"
	id=$(pm_inspect "$name" '{{.Id}}')
	pid=$(pm_inspect "$name" '{{.State.Pid}}')
	# The runtime's own view, from its state directory.
	run pm_runtime state "$id"
	assert_success
	assert_output --partial '"status": "running"'
	assert_output --regexp "\"pid\": *$pid[,}[:space:]]"
	pm rm --force --time 0 "$name" >/dev/null
	# delete --force removed the runtime's state of it.
	run pm_runtime state "$id"
	assert_failure
}

@test "podman run -i: stdin reaches the container's process" {
	run --separate-stderr pm_run --rm -i "$PM_IMAGE" sh -c 'read line; echo "got: $line"' <<<"hello stdin"
	assert_success
	assert_output "got: hello stdin"
}

@test "podman start of an exited container: the runtime makes the same id again" {
	local name
	name=$(pm_name)
	defer pm_remove_container "$name"
	run --separate-stderr pm_run --name "$name" "$PM_IMAGE" sh -c 'echo ran'
	assert_success
	assert_output ran
	# podman deletes the old runtime container (delete --force on a stopped
	# one), then create and start again with the same 64-hex id.
	run --separate-stderr pm start --attach "$name"
	assert_success
	assert_output ran
}

@test "podman run --uidmap: the container's root is an unprivileged uid on the host" {
	local name pid
	name=$(pm_name)
	defer pm_remove_container "$name"
	pm_run -d --name "$name" --uidmap 0:200000:65536 --gidmap 0:200000:65536 "$PM_IMAGE" sleep 60 >/dev/null
	run --separate-stderr pm exec "$name" probe id
	assert_success
	assert_line uid=0
	assert_line "uid_map=0 200000 65536"
	assert_line "gid_map=0 200000 65536"
	pid=$(pm_inspect "$name" '{{.State.Pid}}')
	run grep '^Uid:' "/proc/$pid/status"
	assert_output --regexp $'^Uid:\t200000\t200000\t'
	# Its files belong to it: podman shifted the image's owners.
	run --separate-stderr pm exec "$name" sh -c 'echo mine >/root/file && stat -c %u /root/file /bin/busybox'
	assert_success
	assert_output $'0\n0'
}

@test "podman reports the container's exit status, and death by a signal podman sends" {
	local name
	run pm_run --rm "$PM_IMAGE" sh -c 'exit 3'
	assert_failure 3
	run -127 pm_run --rm "$PM_IMAGE" /bin/no-such-program
	# podman kill --signal KILL: the runtime gets "kill ID 9".
	name=$(pm_name)
	defer pm_remove_container "$name"
	pm_run -d --name "$name" "$PM_IMAGE" sleep 60 >/dev/null
	pm kill --signal KILL "$name" >/dev/null
	run pm wait "$name"
	assert_success
	assert_output 137
}

@test "podman run -d, exec (without and with -t), stop (SIGTERM, numeric), rm" {
	local name id
	name=$(pm_name)
	defer pm_remove_container "$name"
	# PID 1 has no default action for SIGTERM: the trap makes it exit 7,
	# which proves the signal podman sent (kill ID 15) arrived.
	pm_run -d --name "$name" "$PM_IMAGE" \
		sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done' >/dev/null
	assert_equal "$(pm_status "$name")" running
	id=$(pm_inspect "$name" '{{.Id}}')

	# exec --process F --detach --pid-file P: joins the container's namespaces.
	run --separate-stderr pm exec "$name" sh -c 'echo "exec in $(hostname)"; probe id'
	assert_success
	assert_line --index 0 "exec in ${id:0:12}"
	refute_line pid=1
	run pm exec "$name" sh -c 'exit 5'
	assert_failure 5

	# -t: the runtime hands conmon the terminal through --console-socket.
	run pm exec -t "$name" sh -c 'tty; echo "in a terminal"'
	assert_success
	output=${output//$'\r'/}
	assert_output --regexp $'(^|\n)/dev/pts/[0-9]+\nin a terminal$'

	run pm stop --time 10 "$name"
	assert_success
	assert_equal "$(pm_status "$name")" exited
	assert_equal "$(pm_inspect "$name" '{{.State.ExitCode}}')" 7
	# rm of an exited container: delete --force on a stopped one.
	pm rm "$name" >/dev/null
	run pm container exists "$name"
	assert_failure 1
	run pm_runtime state "$id"
	assert_failure
}

@test "podman run -t: the process's stdio is a terminal (create --console-socket)" {
	run pm_run --rm -t "$PM_IMAGE" sh -c 'tty; test -c /dev/console && echo console'
	assert_success
	output=${output//$'\r'/}
	assert_output --regexp $'^/dev/pts/[0-9]+\nconsole$'
}

@test "podman run --memory: the container sees its limit and a hog is OOM-killed" {
	# --cgroupns private: the container's cgroup is the root of its view,
	# as podman does by default on cgroup v2; probe then finds its limit
	# at the root of /sys/fs/cgroup on v1 and v2 alike.
	run --separate-stderr pm_run --rm --memory 32m --cgroupns private "$PM_IMAGE" probe limits
	assert_success
	assert_line cgroup.memory.max=33554432
	# dd's 128 MiB buffer is more than 32 MiB: the kernel kills it.
	run pm_run --rm --memory 32m "$PM_IMAGE" dd if=/dev/zero of=/dev/null bs=128M count=1
	assert_failure 137
	# The same hog under a larger limit runs to the end.
	run pm_run --rm --memory 512m "$PM_IMAGE" dd if=/dev/zero of=/dev/null bs=128M count=1
	assert_success
}

@test "podman run --pids-limit: the container sees its limit and cannot fork past it" {
	run --separate-stderr pm_run --rm --pids-limit 8 --cgroupns private "$PM_IMAGE" probe limits
	assert_success
	assert_line cgroup.pids.max=8
	# A dozen background sleeps: sh fails to fork the ninth process.
	local twelve='for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done; echo all-started'
	run pm_run --rm --pids-limit 8 "$PM_IMAGE" sh -c "$twelve"
	assert_failure
	assert_output --partial "can't fork"
	refute_output --partial all-started
	run pm_run --rm --pids-limit 32 "$PM_IMAGE" sh -c "$twelve"
	assert_success
	assert_output all-started
}

@test "podman run --network none: only the loopback interface, up" {
	run --separate-stderr pm_run --rm --network none "$PM_IMAGE" probe net
	assert_success
	assert_output --regexp '^netif=lo up 127\.0\.0\.1/8'
	[[ $(grep -c '^netif=' <<<"$output") == 1 ]] || fail "more than lo: $output"
}

@test "podman run --cap-drop ALL: no capabilities left; by default the set podman asks for" {
	local give_away='touch /tmp/f && chown 1:1 /tmp/f && echo given' name asked effective bounding
	run --separate-stderr pm_run --rm --cap-drop ALL "$PM_IMAGE" probe caps
	assert_success
	assert_line CapEff=0000000000000000
	assert_line CapPrm=0000000000000000
	assert_line CapBnd=0000000000000000
	# Without CAP_CHOWN, even root in the container cannot give a file away.
	run pm_run --rm --cap-drop ALL "$PM_IMAGE" sh -c "$give_away"
	assert_failure
	assert_output --partial "Operation not permitted"
	# The default set is podman's to choose (eleven in podman 4.3, among
	# them CHOWN; other versions differ): the process must have exactly
	# what podman asked for, as `podman inspect` shows it.
	name=$(pm_name)
	defer pm_remove_container "$name"
	run --separate-stderr pm_run --name "$name" "$PM_IMAGE" probe caps
	assert_success
	effective=$(probe_value CapEff <<<"$output")
	bounding=$(probe_value CapBnd <<<"$output")
	asked=$(pm_inspect "$name" '{{range .EffectiveCaps}}{{println .}}{{end}}' | sort | xargs)
	[[ -n $asked ]] || fail "podman inspect shows no EffectiveCaps"
	assert_equal "$(caps_of_mask "$effective")" "$asked"
	assert_equal "$(caps_of_mask "$bounding")" "$asked"
	run pm_run --rm "$PM_IMAGE" sh -c "$give_away"
	assert_success
	assert_output given
}

@test "podman's seccomp profile is in force; a custom profile's errno; seccomp=unconfined" {
	run --separate-stderr pm_run --rm "$PM_IMAGE" probe caps
	assert_success
	assert_line Seccomp=2
	# A profile that answers mkdir with EOPNOTSUPP (95), which mkdir of a
	# fresh name in /tmp never returns by itself.
	run pm_run --rm --security-opt seccomp="$BATS_TEST_DIRNAME/fixtures/09-seccomp-no-mkdir.json" \
		"$PM_IMAGE" mkdir /tmp/new
	assert_failure
	assert_output --partial "Operation not supported"
	run pm_run --rm "$PM_IMAGE" mkdir /tmp/new
	assert_success
	run --separate-stderr pm_run --rm --security-opt seccomp=unconfined "$PM_IMAGE" probe caps
	assert_success
	assert_line Seccomp=0
}

@test "podman's mounts: /sys/fs/cgroup, masked and read-only paths, its /etc/hosts, /dev/shm, a volume" {
	local vol=$BATS_TEST_TMPDIR/vol
	mkdir -p "$vol"
	echo "from the host" >"$vol/file"
	run --separate-stderr pm_run --rm -v "$vol:/vol" "$PM_IMAGE" sh -c '
		probe mounts
		cat /vol/file
		echo written >/vol/back
		grep -q "$(hostname)" /etc/hosts && echo hosts-ok
		cat /proc/kcore 2>/dev/null | head -c 1 | wc -c
		echo x 2>/dev/null >/proc/sys/kernel/hostname || echo proc-sys-ro'
	assert_success
	assert_line --regexp '^mount=/sys/fs/cgroup '
	assert_line --regexp '^mount=/dev/shm '
	assert_line --regexp '^mount=/etc/hosts '
	assert_line --regexp '^mount=/vol '
	assert_line "from the host"
	assert_line hosts-ok
	assert_line 0
	assert_line proc-sys-ro
	assert_file_exists "$vol/back"
}

@test "podman pause and unpause freeze and thaw the container" {
	local name ticks=$BATS_TEST_TMPDIR/ticks size
	name=$(pm_name)
	mkdir -p "$ticks"
	defer pm_remove_container "$name"
	pm_run -d --name "$name" -v "$ticks:/ticks" "$PM_IMAGE" \
		sh -c 'while :; do echo x >>/ticks/log; sleep 0.05; done' >/dev/null
	wait_until 5 test -s "$ticks/log"
	pm pause "$name" >/dev/null
	assert_equal "$(pm_status "$name")" paused
	size=$(stat -c %s "$ticks/log")
	# The same loop, outside: once it has written 10 lines, the container's
	# would have written too had it not been frozen, however slow the machine.
	start_background "$BATS_TEST_TMPDIR/control.out" \
		sh -c 'while :; do echo x >>"$1"; sleep 0.05; done' _ "$BATS_TEST_TMPDIR/control"
	local control=$BG_PID
	wait_until 30 eval '(($(wc -l <"$BATS_TEST_TMPDIR/control") >= 10))'
	kill_process "$control"
	assert_equal "$(stat -c %s "$ticks/log")" "$size"
	pm unpause "$name" >/dev/null
	assert_equal "$(pm_status "$name")" running
	wait_until 5 eval 'test "$(stat -c %s "$ticks/log")" -gt "$size"'
	# rm -f of a running container: kill ID 9, then delete --force.
	pm rm --force --time 0 "$name" >/dev/null
	run pm container exists "$name"
	assert_failure 1
}

@test "podman rm --force of a running container and of one that failed to start leaves nothing" {
	local name id
	name=$(pm_name)
	run -127 pm_run --name "$name" "$PM_IMAGE" /no/such/program
	id=$(pm_inspect "$name" '{{.Id}}')
	pm rm --force "$name" >/dev/null
	run pm container exists "$name"
	assert_failure 1
	run pm_runtime state "$id"
	assert_failure
}
