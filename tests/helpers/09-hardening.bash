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

# fixture_build NAME [CC FLAGS...]: compile tests/fixtures/NAME.c into
# $BATS_TEST_TMPDIR/NAME (static: it runs in the busybox rootfs).
# Prints the path.
fixture_build() {
	local name=$1 out=$BATS_TEST_TMPDIR/$1
	shift
	cc -static -O2 -o "$out" "$PROJECT_ROOT/tests/fixtures/$name.c" "$@" >&2 ||
		fail "cannot build tests/fixtures/$name.c"
	echo "$out"
}

# exe_overwrite_image: turn the bundle's rootfs into the CVE-2019-5736
# image: /bin/sh is a symlink to /proc/self/exe, the ELF interpreter the
# runtime's binary names is the attacker (tests/fixtures/09-exe-overwrite.c),
# and so is /cfs-writer. The runtime under attack is a copy of minirun,
# $RUNTIME (never the build's own binary: the attack may succeed), whose
# sha256 is in RUNTIME_SHA256 before the attack.
exe_overwrite_image() {
	local interpreter attacker root=$BUNDLE/rootfs
	interpreter=$(readelf -l "$BIN/minirun" | sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
	[[ -n $interpreter ]] || skip "minirun is static (no ELF interpreter to replace)"
	attacker=$(fixture_build 09-exe-overwrite -nostdlib -ffreestanding -fno-builtin -fno-stack-protector)
	mkdir -p "$root$(dirname "$interpreter")"
	rm -f "$root$interpreter" "$root/bin/sh"
	cp "$attacker" "$root$interpreter"
	cp "$attacker" "$root/cfs-writer"
	ln -s /proc/self/exe "$root/bin/sh"
	RUNTIME=$BATS_TEST_TMPDIR/minirun
	cp "$BIN/minirun" "$RUNTIME"
	RUNTIME_SHA256=$(sha256sum <"$RUNTIME")
}

# assert_runtime_not_overwritten: the attacker wrote its verdict in the
# rootfs's /cfs-result: the write must have been refused (EPERM: the
# sealed copy; ETXTBSY or EROFS: a runtime that runs from elsewhere),
# and the runtime's binary must be unchanged.
assert_runtime_not_overwritten() {
	local result
	if ! wait_until 15 test -s "$BUNDLE/rootfs/cfs-result"; then
		# Seen in the cgroup-v2 VM (Debian's 6.1 kernel under qemu TCG):
		# the attacker never reports at all (cause not found yet), so
		# there is nothing to judge; the binary must
		# be unchanged all the same.
		assert_equal "$(sha256sum <"$RUNTIME")" "$RUNTIME_SHA256"
		skip "the attacker never ran on this machine (kernel $(uname -r)): the attack cannot be judged here"
	fi
	result=$(cat "$BUNDLE/rootfs/cfs-result")
	assert_equal "$(sha256sum <"$RUNTIME")" "$RUNTIME_SHA256" ||
		fail "the runtime's binary on the host was overwritten from the container (attacker: $result)"
	[[ $result =~ ^(open|write)\ (EPERM|ETXTBSY|EROFS)$ ]] ||
		fail "the attacker's write was not refused with EPERM, ETXTBSY or EROFS: $result"
}

# tiocsti_allowed: false when the kernel refuses TIOCSTI to everyone
# without CAP_SYS_ADMIN (dev.tty.legacy_tiocsti = 0, Linux 6.2+).
tiocsti_allowed() {
	local setting=/proc/sys/dev/tty/legacy_tiocsti
	[[ ! -e $setting || $(cat "$setting") != 0 ]]
}

# run_in_terminal OUT COMMAND: run the bash COMMAND under script(1), so
# that it has a real controlling terminal (a pty) as a login shell
# would; then the caller's shell checks, without waiting, whether a line
# is waiting on its terminal (one the container typed there). Output in
# OUT. script's stdin is a fifo we hold open: at an end of file script
# would type ^D into the terminal itself.
run_in_terminal() {
	local out=$1 command=$2 fifo=$BATS_TEST_TMPDIR/terminal-input stdin_fd
	mkfifo "$fifo"
	exec {stdin_fd}<>"$fifo"
	SHELL=/bin/bash script -qec "$command"'
if read -r -t 0; then read -r line; echo "caller read: $line"; else echo "caller read nothing"; fi' \
		/dev/null <&"$stdin_fd" >"$out" 2>&1 || true
	exec {stdin_fd}>&-
}

# create_stopped_after_mknod ID NAME: `minirun create ID` under strace,
# which stops the container's first process (SIGSTOP) right after its
# mknodat(2) of NAME (linux.devices). Sets RUNTIME_PID and INIT_PID.
create_stopped_after_mknod() {
	local id=$1 state=$MR_ROOT/$1/state.json
	defer mr_force_delete "$id"
	# shellcheck disable=SC2016 # $$ is the inner shell's
	start_background "$BATS_TEST_TMPDIR/$id.strace.out" \
		strace -f -qq -o /dev/null -P "$2" -e trace=mknodat -e inject=mknodat:signal=SIGSTOP \
		sh -c 'echo $$ > "$1"; exec "$2" --root "$3" create --bundle "$4" "$5" > "$6" 2>&1' \
		sh "$BATS_TEST_TMPDIR/runtime.pid" "$BIN/minirun" "$MR_ROOT" "$BUNDLE" "$id" \
		"$BATS_TEST_TMPDIR/$id.out"
	wait_until 5 test -s "$BATS_TEST_TMPDIR/runtime.pid"
	# shellcheck disable=SC2034 # read by the tests
	RUNTIME_PID=$(cat "$BATS_TEST_TMPDIR/runtime.pid")
	wait_until 5 grep -q '"pid": [1-9]' "$state"
	INIT_PID=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["pid"])' "$state")
	wait_until 5 grep -q '^State:.*\(stopped\|tracing stop\)' "/proc/$INIT_PID/status"
}

# create_refused ID [ROOT]: `minirun create` (with --root ROOT, default
# $MR_ROOT) must fail with one line; sets output to it. Never through
# bats `run`: a create that wrongly succeeds leaves a process holding
# its stdout, and bats would wait for it.
create_refused() {
	local root=${2:-$MR_ROOT} out=$BATS_TEST_TMPDIR/$1.refused status=0
	defer "$BIN/minirun" --root "$root" delete --force "$1"
	"$BIN/minirun" --root "$root" create --bundle "$BUNDLE" "$1" >"$out" 2>&1 </dev/null || status=$?
	output=$(cat "$out")
	((status == 1)) || fail "create was not refused (status $status): $output"
	assert_one_line "$output"
}

# tiocsti_image: the bundle's rootfs gets /cfs-tiocsti (it pushes its
# argument into its stdin's terminal with TIOCSTI), and the process runs
# without a terminal of its own. Skips where no test of it can be made.
tiocsti_image() {
	requires script
	tiocsti_allowed || skip "this kernel refuses TIOCSTI to everyone (dev.tty.legacy_tiocsti = 0)"
	cp "$(fixture_build 09-tiocsti)" "$BUNDLE/rootfs/cfs-tiocsti"
	config_edit 'c["process"]["terminal"] = False'
}

# assert_caller_read_nothing FILE: the transcript run_in_terminal wrote
# shows TIOCSTI refused and nothing typed into the caller's shell.
assert_caller_read_nothing() {
	run cat "$1"
	assert_output --partial "TIOCSTI: Operation not permitted"
	assert_output --partial "caller read nothing"
	refute_output --partial "caller read: "
}
