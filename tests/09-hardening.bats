#!/usr/bin/env bats
# minirun hardened (issue 9, part 3): each test is an attack a malicious
# image, a container process or bad luck (a runtime killed half-way)
# makes on the runtime, and what must hold. Untagged: the hardening is
# not an exercise, these run against the reference tree.
#
# Never `run minirun create`: the container's process keeps create's
# stdout open and bats would wait for it (mr_create writes to a file).

load helpers
load helpers/05-cgroups
load helpers/08-mini-runtime
load helpers/09-hardening

setup() {
	requires root
	require_program minirun
	MR_ROOT=$BATS_TEST_TMPDIR/state
	make_bundle
	# These tests plant links in the rootfs: it must be a private copy,
	# never (through a symlinked $ROOTFS) the shared one.
	[[ -d $BUNDLE/rootfs && ! -L $BUNDLE/rootfs ]] || fail "$BUNDLE/rootfs is not a private copy"
}

# ---------------------------------------------------------------- paths in the root

@test "a mount destination under an absolute symlink out of the root lands inside the root" {
	local id host
	id=$(unique_name cfsmr)
	host=$(host_dir mnt)
	rm -rf "$BUNDLE/rootfs/mnt"
	ln -s "$host" "$BUNDLE/rootfs/mnt"
	config_edit 'c["mounts"].append({"destination": "/mnt/x/y", "type": "tmpfs", "source": "tmpfs"})'
	config_args sh -c 'stat -f -c "fs=%T" /mnt/x/y'
	mr_run "$id"
	assert_dir_empty "$host"
	assert_equal "$MR_STATUS" 0 || fail "minirun run: $MR_OUT"
	assert_equal "$MR_OUT" "fs=tmpfs"
	# It was made where the link leads when the root is "/".
	assert_dir_exists "$BUNDLE/rootfs$host/x/y"
}

@test "a mount destination under a relative symlink climbing out of the root lands inside the root" {
	relative_link_attack
}

@test "without a mount namespace (mounts in the host's table) symlinks out of the root still lead inside it, and nothing stays mounted" {
	relative_link_attack 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "mount"]
c["linux"]["maskedPaths"] = ["/mnt/t/secret", "/mnt/x/secret"]'
	assert_no_leftovers
}

@test "the same attacks with the component walk that replaces openat2 on kernels before 5.6" {
	local id host source
	id=$(unique_name cfsmr)
	host=$(host_dir walk)
	source=$BATS_TEST_TMPDIR/source-file
	echo "walked-$CFS_ID" >"$source"
	escape_link /mnt/x "$host"
	rm -rf "$BUNDLE/rootfs/opt"
	ln -s "$host" "$BUNDLE/rootfs/opt"
	config_edit 'c["mounts"] += [{"destination": "/mnt/x/file", "type": "bind", "source": "'"$source"'", "options": ["bind"]},
{"destination": "/opt/a/b", "type": "tmpfs", "source": "tmpfs"}]'
	config_args sh -c 'cat /mnt/x/file; stat -f -c "fs=%T" /opt/a/b'
	MINIRUN_FORCE_PATH_WALK=1 mr_run "$id"
	assert_dir_empty "$host"
	assert_equal "$MR_STATUS" 0 || fail "minirun run: $MR_OUT"
	assert_equal "$MR_OUT" "walked-$CFS_ID
fs=tmpfs"
}

@test "a rootfs whose /proc is a symlink to a host directory still gets its procfs inside the root" {
	local id host
	id=$(unique_name cfsmr)
	host=$(host_dir proc)
	rm -rf "$BUNDLE/rootfs/proc"
	ln -s "$host" "$BUNDLE/rootfs/proc"
	config_args sh -c 'stat -f -c "fs=%T" /proc/; grep -c "^Pid:" /proc/self/status'
	mr_run "$id"
	assert_dir_empty "$host"
	assert_equal "$MR_STATUS" 0 || fail "minirun run: $MR_OUT"
	assert_equal "$MR_OUT" "fs=proc
1"
}

@test "process.cwd through a symlink out of the root: the process starts inside the root, or create fails cleanly" {
	local id host
	id=$(unique_name cfsmr)
	host=$(host_dir cwd)
	echo secret >"$host/host-secret-$CFS_ID"
	escape_link /work "$host"
	mkdir -p "$BUNDLE/rootfs$host"
	echo inside >"$BUNDLE/rootfs$host/inside-$CFS_ID"
	config_edit 'c["process"]["cwd"] = "/work"'
	config_args sh -c 'pwd -P; ls'
	mr_run "$id"
	[[ $MR_OUT != *host-secret* ]] || fail "the container's cwd is on the host: $MR_OUT"
	if ((MR_STATUS == 0)); then
		assert_equal "$MR_OUT" "$host
inside-$CFS_ID"
	else
		assert_one_line "$MR_OUT"
		assert_no_leftovers
	fi
}

@test "/dev/null replaced by a regular file: masking never exposes or writes it" {
	local id
	id=$(unique_name cfsmr)
	config_without_dev_tmpfs
	rm -f "$BUNDLE/rootfs/dev/null"
	echo "not-null-$CFS_ID" >"$BUNDLE/rootfs/dev/null"
	config_args sh -c 'echo written > /proc/keys; cat /proc/keys; stat -c "%F %t:%T" /proc/keys'
	mr_run "$id"
	assert_equal "$(cat "$BUNDLE/rootfs/dev/null")" "not-null-$CFS_ID"
	[[ $MR_OUT != *not-null* ]] || fail "the masked path shows the planted file: $MR_OUT"
	assert_equal "$MR_STATUS" 0 || fail "minirun run: $MR_OUT"
	assert_equal "$MR_OUT" "character special file 1:3"
}

@test "/dev/null replaced by a symlink to another file: masking never exposes or writes through it" {
	local id
	id=$(unique_name cfsmr)
	config_without_dev_tmpfs
	echo "precious-$CFS_ID" >"$BUNDLE/rootfs/etc/precious"
	rm -f "$BUNDLE/rootfs/dev/null"
	ln -s /etc/precious "$BUNDLE/rootfs/dev/null"
	config_args sh -c 'echo written > /proc/keys; cat /proc/keys; stat -c "%F %t:%T" /proc/keys'
	mr_run "$id"
	assert_equal "$(cat "$BUNDLE/rootfs/etc/precious")" "precious-$CFS_ID"
	[[ $MR_OUT != *precious* ]] || fail "the masked path shows the link's target: $MR_OUT"
	assert_equal "$MR_STATUS" 0 || fail "minirun run: $MR_OUT"
	assert_equal "$MR_OUT" "character special file 1:3"
}

@test "oomScoreAdj is applied to the real process even when the rootfs fakes /proc" {
	local id pid
	id=$(unique_name cfsmr)
	# No procfs mount: the rootfs's /proc is whatever the image put there,
	# here a fake /proc/self/oom_score_adj that would swallow the write.
	config_edit 'c["mounts"] = [m for m in c["mounts"] if m["type"] != "proc"]; c["linux"]["maskedPaths"] = []; c["linux"]["readonlyPaths"] = []; c["process"]["oomScoreAdj"] = 432'
	mkdir -p "$BUNDLE/rootfs/proc/self"
	echo 0 >"$BUNDLE/rootfs/proc/self/oom_score_adj"
	config_args sleep 30
	mr_create "$id" || true
	if [[ $(container_status "$id" 2>/dev/null) == created ]]; then
		pid=$(state_field "$id" pid)
		assert_equal "$(cat "/proc/$pid/oom_score_adj")" 432
	else
		assert_one_line "$(cat "$BATS_TEST_TMPDIR/$id.out")"
	fi
	assert_equal "$(cat "$BUNDLE/rootfs/proc/self/oom_score_adj")" 0
}

@test "linux.sysctl is never written into a fake /proc/sys the rootfs brings" {
	local id
	id=$(unique_name cfsmr)
	config_edit 'c["mounts"] = [m for m in c["mounts"] if m["type"] != "proc"]; c["linux"]["maskedPaths"] = []; c["linux"]["readonlyPaths"] = []; c["linux"]["sysctl"] = {"kernel.shmmni": "1234"}'
	mkdir -p "$BUNDLE/rootfs/proc/sys/kernel"
	echo 4096 >"$BUNDLE/rootfs/proc/sys/kernel/shmmni"
	config_args true
	mr_run "$id"
	assert_equal "$(cat "$BUNDLE/rootfs/proc/sys/kernel/shmmni")" 4096
	assert_equal "$MR_STATUS" 1
	assert_one_line "$MR_OUT"
	[[ $MR_OUT == *"/proc/sys"* ]] || fail "not the reason: $MR_OUT"
	assert_no_leftovers
}

# ---------------------------------------------------------------- descriptors, exe, dumpable

# open_descriptors: from `ls -l /proc/self/fd` on stdin, the descriptor
# numbers, sorted, except the one ls opened to read that directory.
open_descriptors() {
	awk '$(NF-1) == "->" && $NF !~ /\/fd$/ { print $(NF-2) }' | sort -n | paste -sd' '
}

@test "the container's process holds only descriptors 0, 1 and 2, even when the runtime was given more" {
	local id
	id=$(unique_name cfsmr)
	echo "secret-$CFS_ID" >"$BATS_TEST_TMPDIR/secret"
	# ls lists its own descriptors (a shell would hold pipe ends or saved
	# copies of its own): all but the directory ls itself opened count.
	config_args sh -c 'cat <&7; exec ls -l /proc/self/fd'
	mr_run "$id" 7<"$BATS_TEST_TMPDIR/secret"
	[[ $MR_OUT != *secret-* ]] || fail "descriptor 7 leaked into the container: $MR_OUT"
	assert_equal "$(open_descriptors <<<"$MR_OUT")" "0 1 2"
}

@test "a process exec'd into the container holds only descriptors 0, 1 and 2" {
	local id out
	id=$(unique_name cfsmr)
	echo "secret-$CFS_ID" >"$BATS_TEST_TMPDIR/secret"
	config_args sleep 30
	mr_create "$id"
	out=$(minirun exec "$id" sh -c 'cat <&9; exec ls -l /proc/self/fd' 9<"$BATS_TEST_TMPDIR/secret" 2>&1) || true
	[[ $out != *secret-* ]] || fail "descriptor 9 leaked into the container: $out"
	assert_equal "$(open_descriptors <<<"$out")" "0 1 2"
}

@test "the runtime binary is never what the container runs: /proc/PID/exe after start is the program" {
	local id pid exe
	id=$(unique_name cfsmr)
	config_args sleep 30
	mr_create "$id"
	pid=$(state_field "$id" pid)
	minirun start "$id"
	exe=$(readlink "/proc/$pid/exe")
	[[ $exe == "$BUNDLE/rootfs/bin/busybox" || $exe == /bin/busybox ]] || fail "exe is $exe"
	[[ $exe != *minirun* ]]
}

# ---------------------------------------------------------------- not dumpable

@test "the runtime's process in the container is not dumpable until the program's execve" {
	# Not dumpable means no core dump and no ptrace or /proc/PID/mem by
	# processes of the same user without CAP_SYS_PTRACE. The part a test
	# can see is the core: with core_pattern a plain file name, a
	# crashing dumpable process leaves one in its working directory.
	local pattern id pid
	pattern=$(cat /proc/sys/kernel/core_pattern)
	[[ $pattern != *'|'* && $pattern != */* ]] ||
		skip "core_pattern is '$pattern': cores do not land in the working directory here"
	id=$(unique_name cfsmr)
	config_edit 'c["process"]["cwd"] = "/tmp"
c["process"]["rlimits"] = [{"type": "RLIMIT_CORE", "soft": 1 << 30, "hard": 1 << 30}]'
	# The control: the container's own program does dump, into /tmp.
	config_args sh -c 'sh -c "kill -SEGV \$\$"; ls /tmp'
	mr_run "$id"
	assert_equal "$MR_STATUS" 0
	grep -q '^core' <<<"$MR_OUT" || fail "the container's program left no core: $MR_OUT"
	rm -f "$BUNDLE"/rootfs/tmp/core*
	# The runtime's process waiting in the container after create,
	# crashed from outside: no core of minirun's memory appears. (In a
	# PID namespace of its own it would be its init, which ignores
	# SIGSEGV from outside: this container shares the host's.)
	config_edit 'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "pid"]'
	config_args sleep 30
	mr_create "$id"
	pid=$(state_field "$id" pid)
	kill -SEGV "$pid"
	wait_until 5 eval 'test "$(container_status "$id")" = stopped'
	run ls "$BUNDLE/rootfs/tmp"
	refute_output --partial core
}

# ---------------------------------------------------------------- cgroup

@test "the runtime never sits in the container's cgroup, not even while exec waits" {
	requires cgroup
	local id procs pid
	id=$(unique_name cfsmr)
	mr_cgroup_path
	config_args sleep 30
	mr_create "$id"
	pid=$(state_field "$id" pid)
	assert_equal "$(cat "$(cg_file procs "$MR_CGROUP")")" "$pid"
	start_background "$BATS_TEST_TMPDIR/exec.out" "$BIN/minirun" --root "$MR_ROOT" exec "$id" sleep 5
	# Re-read the file on every try (a $(...) here would be read once).
	local procs_file
	procs_file=$(cg_file procs "$MR_CGROUP")
	wait_until 10 bash -c '[[ $(wc -l <"$1") -eq 2 ]]' _ "$procs_file"
	procs=$(cat "$(cg_file procs "$MR_CGROUP")")
	[[ $'\n'$procs$'\n' != *$'\n'$BG_PID$'\n'* ]] || fail "minirun exec ($BG_PID) is in the container's cgroup: $procs"
	[[ $'\n'$procs$'\n' != *$'\n'$$$'\n'* ]]
}

@test "create refuses a cgroupsPath that already exists, and delete --force leaves it alone" {
	requires cgroup
	local id name dir sleeper
	id=$(unique_name cfsmr)
	mr_cgroup_path
	name=$MR_CGROUP
	for dir in $(cg_dirs "$name"); do
		mkdir -p "$dir"
	done
	defer cg_remove "$name"
	# shellcheck disable=SC2016
	bash -c 'for dir; do echo $$ >"$dir/cgroup.procs"; done; exec sleep 60' sh $(cg_dirs "$name") &
	sleeper=$!
	defer kill_process "$sleeper"
	wait_until 5 grep -qx "$sleeper" "$(cg_file procs "$name")"
	config_args true
	run -1 minirun create --bundle "$BUNDLE" "$id"
	assert_output --partial "exists"
	minirun delete --force "$id" 2>/dev/null || true
	for dir in $(cg_dirs "$name"); do
		assert_dir_exists "$dir"
	done
	grep -qx "$sleeper" "$(cg_file procs "$name")" || fail "our process left the cgroup"
	kill -0 "$sleeper"
	assert_no_leftovers
}

# ---------------------------------------------------------------- a runtime killed half-way

@test "a runtime SIGKILLed during create takes its half-made container process with it" {
	requires strace
	local id
	id=$(unique_name cfsmr)
	config_args true
	create_stopped_midway "$id"
	process_alive "$INIT_PID" || fail "the init is not in setup"
	kill -KILL "$RUNTIME_PID"
	wait_until 5 process_dead "$INIT_PID" ||
		fail "the half-made init $INIT_PID outlived the runtime: $(cat /proc/$INIT_PID/status | head -3)"
}

@test "delete --force after a runtime was SIGKILLed in the middle of create removes everything, and only that" {
	requires strace cgroup
	local id dir
	id=$(unique_name cfsmr)
	mr_cgroup_path
	config_args true
	create_stopped_midway "$id"
	# The runtime made the container's cgroup before it was killed.
	local made=0
	for dir in $(cg_dirs "$MR_CGROUP"); do
		[[ -d $dir ]] && made=1
	done
	((made)) || fail "no cgroup made before the kill"
	kill -KILL "$RUNTIME_PID"
	run minirun delete --force "$id"
	assert_success
	for dir in $(cg_dirs "$MR_CGROUP"); do
		assert_dir_not_exists "$dir"
	done
	wait_until 5 process_dead "$INIT_PID"
	assert_no_leftovers
	# The parent of the container's cgroup is not ours to remove.
	assert_dir_exists "$(dirname "$(dirname "$(cg_file procs "$MR_CGROUP")")")"
}

# ---------------------------------------------------------------- privileges in order

@test "seccomp is installed last: a profile denying setuid, setgid and capset still lets the container start" {
	local id
	id=$(unique_name cfsmr)
	config_edit 'c["process"]["user"] = {"uid": 1000, "gid": 1000, "additionalGids": [1001]}
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["setuid", "setgid", "setresuid", "setresgid", "setgroups", "setfsuid", "setfsgid", "capset"], "action": "SCMP_ACT_ERRNO"}]}'
	config_args sh -c 'probe id caps | grep -E "^(uid|gid|groups|Seccomp)="'
	mr_run "$id"
	assert_equal "$MR_STATUS" 0 || fail "minirun run: $MR_OUT"
	assert_equal "$MR_OUT" "uid=1000
gid=1000
groups=1001
Seccomp=2"
}

# ---------------------------------------------------------------- the runtime's binary (CVE-2019-5736)

@test "run: a container whose /bin/sh is /proc/self/exe cannot overwrite the runtime's binary on the host" {
	local id
	id=$(unique_name cfsmr)
	exe_overwrite_image
	config_args sh
	# --detach: the runtime goes once the process runs, as after a
	# create and start; then nothing but the copy is left running it.
	defer mr_force_delete "$id"
	"$RUNTIME" --root "$MR_ROOT" run --detach --bundle "$BUNDLE" "$id" >"$BATS_TEST_TMPDIR/$id.out" 2>&1 ||
		fail "minirun run: $(cat "$BATS_TEST_TMPDIR/$id.out")"
	assert_runtime_not_overwritten
}

@test "exec: a process exec'd as /bin/sh = /proc/self/exe cannot overwrite the runtime's binary on the host" {
	local id
	id=$(unique_name cfsmr)
	exe_overwrite_image
	config_args /bin/busybox sleep 600
	defer mr_force_delete "$id"
	"$RUNTIME" --root "$MR_ROOT" run --detach --bundle "$BUNDLE" "$id" >"$BATS_TEST_TMPDIR/$id.out" 2>&1 ||
		fail "minirun run: $(cat "$BATS_TEST_TMPDIR/$id.out")"
	"$RUNTIME" --root "$MR_ROOT" exec --detach "$id" sh >"$BATS_TEST_TMPDIR/$id.exec" 2>&1 ||
		fail "minirun exec: $(cat "$BATS_TEST_TMPDIR/$id.exec")"
	assert_runtime_not_overwritten
}

# ---------------------------------------------------------------- the caller's terminal (TIOCSTI)

@test "run without a terminal: the container cannot type into the caller's shell (TIOCSTI)" {
	local id out=$BATS_TEST_TMPDIR/terminal.out
	id=$(unique_name cfsmr)
	tiocsti_image
	config_args /cfs-tiocsti "echo cfs-injected"
	defer mr_force_delete "$id"
	run_in_terminal "$out" "$(printf '%q ' "$BIN/minirun" --root "$MR_ROOT" run --bundle "$BUNDLE" "$id")"
	assert_caller_read_nothing "$out"
}

@test "exec without a terminal: the exec'd process cannot type into the caller's shell (TIOCSTI)" {
	local id out=$BATS_TEST_TMPDIR/terminal.out
	id=$(unique_name cfsmr)
	tiocsti_image
	config_args sleep 600
	mr_create "$id"
	minirun start "$id"
	run_in_terminal "$out" "$(printf '%q ' "$BIN/minirun" --root "$MR_ROOT" exec "$id" /cfs-tiocsti "echo cfs-injected")"
	assert_caller_read_nothing "$out"
}

# ---------------------------------------------------------------- the state directory

@test "a symlink planted as the state file's temporary name is never written through" {
	local id victim=$BATS_TEST_TMPDIR/victim
	id=$(unique_name cfsmr)
	echo "victim-$CFS_ID" >"$victim"
	config_args sleep 600
	mr_create "$id"
	ln -s "$victim" "$MR_ROOT/$id/.state.json.new"
	run minirun start "$id"
	assert_success
	assert_equal "$(cat "$victim")" "victim-$CFS_ID"
	assert_equal "$(container_status "$id")" running
	# The record itself is a file, not the planted link renamed.
	[[ -f $MR_ROOT/$id/state.json && ! -L $MR_ROOT/$id/state.json ]] || fail "state.json is not a plain file"
}

@test "a symlink planted as the pid file's temporary name is never written through" {
	local id victim=$BATS_TEST_TMPDIR/victim pid_file=$BATS_TEST_TMPDIR/container.pid
	id=$(unique_name cfsmr)
	echo "victim-$CFS_ID" >"$victim"
	ln -s "$victim" "$pid_file.tmp"
	config_args sleep 600
	mr_create "$id" --pid-file "$pid_file" || fail "create: $(cat "$BATS_TEST_TMPDIR/$id.out")"
	assert_equal "$(cat "$victim")" "victim-$CFS_ID"
	assert_equal "$(cat "$pid_file")" "$(state_field "$id" pid)"
}

@test "a state root owned by another user is refused, and nothing is made in it" {
	local id
	id=$(unique_name cfsmr)
	mkdir -m 0700 "$MR_ROOT"
	chown 65534:65534 "$MR_ROOT"
	config_args true
	create_refused "$id"
	assert_output --partial "owned by uid 65534"
	assert_dir_empty "$MR_ROOT"
}

@test "a state root writable by group or others is refused, and so is a symlink" {
	local id
	id=$(unique_name cfsmr)
	mkdir -m 0700 "$MR_ROOT"
	chmod 1777 "$MR_ROOT"
	config_args true
	create_refused "$id"
	assert_output --partial "writable by group or others"
	assert_dir_empty "$MR_ROOT"
	chmod 0700 "$MR_ROOT"
	ln -s "$MR_ROOT" "$BATS_TEST_TMPDIR/state-link"
	create_refused "$id" "$BATS_TEST_TMPDIR/state-link"
	assert_output --partial "not a directory (a symlink?)"
	assert_dir_empty "$MR_ROOT"
}

@test "a container directory another user planted in the state root is not trusted: its poststop hook never runs as root" {
	local id marker=$BATS_TEST_TMPDIR/hook-ran dir
	id=$(unique_name cfsmr)
	config_args true
	mr_create "$id"
	cp "$MR_ROOT/$id/state.json" "$BATS_TEST_TMPDIR/state.json"
	mr_force_delete "$id"
	# The user who owns the state root replaces the container's
	# directory with one of their own: a stopped container whose
	# config.json has a poststop hook.
	dir=$MR_ROOT/$id
	mkdir -m 0700 "$dir"
	python3 -c '
import json, sys
state = json.load(open(sys.argv[1]))
state["status"] = "stopped"
state["pid"] = 0
json.dump(state, open(sys.argv[2] + "/state.json", "w"))
config = json.load(open(sys.argv[3]))
config["hooks"] = {"poststop": [{"path": "/bin/sh", "args": ["sh", "-c", "echo ran > " + sys.argv[4]]}]}
json.dump(config, open(sys.argv[2] + "/config.json", "w"))
' "$BATS_TEST_TMPDIR/state.json" "$dir" "$BUNDLE/config.json" "$marker"
	chown -R 65534:65534 "$dir"
	run minirun delete "$id"
	[[ ! -e $marker ]] || fail "delete ran the planted poststop hook as root"
	assert_failure 1
	assert_one_line "$output"
	assert_output --partial "owned by uid 65534"
	# The same directory, in a root the user owns.
	chown 0:0 "$dir"
	chown 65534:65534 "$MR_ROOT"
	run minirun delete "$id"
	[[ ! -e $marker ]] || fail "delete ran the planted poststop hook as root"
	assert_failure 1
	assert_output --partial "owned by uid 65534"
	chown -R 0:0 "$MR_ROOT"
	rm -rf "$dir"
}

# ---------------------------------------------------------------- linux.devices

@test "a device node swapped for a symlink right after mknod: the host file it points to keeps its mode" {
	requires strace
	local id victim=$BATS_TEST_TMPDIR/victim
	id=$(unique_name cfsmr)
	echo "victim-$CFS_ID" >"$victim"
	chmod 0600 "$victim"
	config_edit 'c["linux"]["devices"] = [{"path": "/cfs-node", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 0, "gid": 0}]'
	config_args true
	# The first process stops right after mknod; we, sharing the root
	# directory with it, swap the node for a symlink to a host file.
	create_stopped_after_mknod "$id" cfs-node
	[[ -c $BUNDLE/rootfs/cfs-node ]] || fail "no node made"
	rm "$BUNDLE/rootfs/cfs-node"
	ln -s "$victim" "$BUNDLE/rootfs/cfs-node"
	kill -CONT "$INIT_PID"
	wait_until 10 process_dead "$RUNTIME_PID"
	assert_equal "$(stat -c %a "$victim")" 600
	run cat "$BATS_TEST_TMPDIR/$id.out"
	assert_output --partial "/cfs-node was replaced by another file after mknod"
}

# ---------------------------------------------------------------- the log

@test "a config string with a newline and quotes cannot forge a record in the text log" {
	local id log=$BATS_TEST_TMPDIR/minirun.log line
	id=$(unique_name cfsmr)
	config_args 'cfs-nowhere
level=info msg="forged \ record"'
	defer mr_force_delete "$id"
	run minirun --log "$log" run --bundle "$BUNDLE" "$id"
	assert_failure
	[[ -s $log ]] || fail "nothing logged"
	# Every line is one whole record, every quote inside a field escaped.
	while IFS= read -r line; do
		[[ $line =~ ^time=\"[^\"]*\"\ level=(error|warning|debug)\ msg=\"([^\"\\]|\\.)*\"$ ]] ||
			fail "not one record: $line (log: $(cat "$log"))"
	done <"$log"
	run grep -cF 'cfs-nowhere\nlevel=info msg=\"forged \\ record\"' "$log"
	assert_output 1
}
