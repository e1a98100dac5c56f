#!/usr/bin/env bats
# Chapter 07: each layer of security, proven by an attack that works
# without it and fails with it. The attacks are /bin/attack (static) in a
# private copy of the rootfs.

load helpers

setup() {
	requires root
	require_program confine
	require_program attack
}

# attack_rootfs: a rootfs copy holding /bin/attack and a setuid-root copy
# of it, /bin/suid-attack (owner root, mode 4755). Prints its path.
attack_rootfs() {
	local rootfs
	rootfs=$(rootfs_copy) || return 1
	cp "$BIN/attack" "$rootfs/bin/attack"
	cp "$BIN/attack" "$rootfs/bin/suid-attack"
	chown 0:0 "$rootfs/bin/suid-attack"
	chmod 4755 "$rootfs/bin/suid-attack"
	echo "$rootfs"
}

# The host's bounding set, as the probe prints it.
host_bounding() {
	"$ROOTFS/bin/probe" caps | probe_value CapBnd
}

# Every capability this kernel knows, as a CapEff mask: what root of a
# new user namespace holds (over that namespace).
all_capabilities() {
	printf '%016x\n' $(((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1))
}

# ------------------------------------------------------------ 07.1 bounding

# bats test_tags=ex:07_1
@test "07.1 root can mount; without CAP_SYS_ADMIN in the bounding set it cannot" {
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" "$rootfs" /bin/attack mount
	assert_success
	assert_output "attack mount: ok: mounted a tmpfs"
	run "$BIN/confine" --cap-bound chown "$rootfs" /bin/attack mount
	assert_failure 1
	assert_output "attack mount: EPERM (Operation not permitted)"
	assert_nothing_mounted_under "$rootfs"
}

# bats test_tags=ex:07_1
@test "07.1 a setuid-root program gains only what the bounding set holds" {
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --user 1000:1000 "$rootfs" /bin/suid-attack whoami
	assert_success
	assert_output "attack whoami: uid=1000 euid=0 CapEff=$(host_bounding)"
	run "$BIN/confine" --user 1000:1000 --cap-bound chown "$rootfs" /bin/suid-attack whoami
	assert_success
	assert_output "attack whoami: uid=1000 euid=0 CapEff=0000000000000001"
}

# bats test_tags=ex:07_1
@test "07.1 the probe's CapBnd is exactly the kept capabilities" {
	run "$BIN/confine" --cap-bound CAP_CHOWN,net_raw "$ROOTFS" /bin/probe caps
	assert_success
	assert_line "CapBnd=0000000000002001"
	assert_line "CapEff=0000000000002001"
}

# bats test_tags=ex:07_1
@test "07.1 the chroot escape of chapter 01 fails under confine, even with a chroot to escape" {
	local rootfs marker escape=$BUILD/solutions/bin/chroot-escape
	[[ -x $escape ]] || fail "$escape is not built: make build CH=01"
	rootfs=$(attack_rootfs)
	cp "$escape" "$rootfs/bin/chroot-escape"
	marker=$BATS_TEST_TMPDIR/host-secret
	echo "host secret $CFS_ID" >"$marker"
	# pivot_root left nothing to climb back to...
	run "$BIN/confine" "$rootfs" /bin/chroot-escape /bin/cat "$marker"
	assert_equal "$status" 3
	refute_output --partial "host secret"
	# ...and without CAP_SYS_CHROOT the escape cannot even start.
	run "$BIN/confine" --cap-bound chown "$rootfs" /bin/chroot-escape /bin/cat "$marker"
	assert_equal "$status" 125
	assert_output --regexp "chroot .*: Operation not permitted"
	refute_output --partial "host secret"
}

# ---------------------------------------------------------- 07.2 the sets

# bats test_tags=ex:07_2
@test "07.2 --cap-keep sets permitted, effective and bounding; root cannot mount" {
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --cap-keep chown,net_raw "$rootfs" /bin/probe caps
	assert_success
	assert_line "CapPrm=0000000000002001"
	assert_line "CapEff=0000000000002001"
	assert_line "CapBnd=0000000000002001"
	run "$BIN/confine" --cap-keep default "$rootfs" /bin/attack mount
	assert_failure 1
	assert_output "attack mount: EPERM (Operation not permitted)"
}

# bats test_tags=ex:07_2
@test "07.2 CapInh and CapAmb are zero, even when confine's parent had some" {
	# A parent with CAP_NET_RAW inheritable and ambient: without
	# --cap-keep the command inherits them...
	run setpriv --inh-caps +net_raw --ambient-caps +net_raw "$BIN/confine" "$ROOTFS" /bin/probe caps
	assert_success
	assert_line "CapInh=0000000000002000"
	assert_line "CapAmb=0000000000002000"
	# ...with it, both sets are cleared explicitly.
	run setpriv --inh-caps +net_raw --ambient-caps +net_raw "$BIN/confine" --cap-keep default "$ROOTFS" /bin/probe caps
	assert_success
	assert_line "CapInh=0000000000000000"
	assert_line "CapAmb=0000000000000000"
}

# bats test_tags=ex:07_2
@test "07.2 a non-root user keeps exactly its ambient capabilities across execve" {
	run "$BIN/confine" --user 1000:1000 --cap-keep chown,net_bind_service "$ROOTFS" /bin/probe id caps
	assert_success
	assert_line "uid=1000"
	assert_line "CapEff=0000000000000000"
	run "$BIN/confine" --user 1000:1000 --cap-keep chown,net_bind_service \
		--ambient net_bind_service "$ROOTFS" /bin/probe id caps
	assert_success
	assert_line "uid=1000"
	assert_line "CapInh=0000000000000400"
	assert_line "CapAmb=0000000000000400"
	assert_line "CapEff=0000000000000400"
}

# ------------------------------------------------------ 07.3 no_new_privs

# bats test_tags=ex:07_3
@test "07.3 a setuid-root helper under no_new_privs does not gain root" {
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --user 1000:1000 --cap-keep default "$rootfs" /bin/suid-attack whoami
	assert_success
	assert_output --partial "uid=1000 euid=0 "
	run "$BIN/confine" --user 1000:1000 --cap-keep default --no-new-privs "$rootfs" /bin/suid-attack whoami
	assert_failure 1
	assert_output "attack whoami: uid=1000 euid=1000 CapEff=0000000000000000"
}

# bats test_tags=ex:07_3
@test "07.3 the probe reports NoNewPrivs 1 with --no-new-privs, 0 without" {
	run "$BIN/confine" "$ROOTFS" /bin/probe caps
	assert_success
	assert_line "NoNewPrivs=0"
	run "$BIN/confine" --no-new-privs "$ROOTFS" /bin/probe caps
	assert_success
	assert_line "NoNewPrivs=1"
}

# ----------------------------------------------------------- 07.4 seccomp

# bats test_tags=ex:07_4
@test "07.4 keyctl, unshare(CLONE_NEWUSER) and ptrace work without a filter, EPERM with the default" {
	local rootfs attack
	rootfs=$(attack_rootfs)
	for attack in keyctl unshare-user ptrace; do
		run "$BIN/confine" "$rootfs" /bin/attack "$attack"
		assert_success
		assert_output --partial "attack $attack: ok"
		run "$BIN/confine" --no-new-privs --seccomp default "$rootfs" /bin/attack "$attack"
		assert_failure 1
		assert_output "attack $attack: EPERM (Operation not permitted)"
	done
}

# bats test_tags=ex:07_4
@test "07.4 clone3 gets ENOSYS, so fork through glibc still works" {
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --no-new-privs --seccomp default "$rootfs" /bin/attack clone3
	assert_failure 1
	assert_output "attack clone3: ENOSYS (Function not implemented)"
	run "$BIN/confine" --no-new-privs --seccomp default "$rootfs" /bin/attack fork
	assert_success
	# A shell pipeline forks too.
	run "$BIN/confine" --no-new-privs --seccomp default "$rootfs" /bin/sh -c 'echo forked | cat'
	assert_success
	assert_output "forked"
}

# bats test_tags=ex:07_4
@test "07.4 the probe reports NoNewPrivs 1 and Seccomp 2 under --secure" {
	run "$BIN/confine" --secure --report "$ROOTFS"
	assert_success
	assert_line "NoNewPrivs=1"
	assert_line "Seccomp=2"
	assert_line "CapInh=0000000000000000"
	assert_line "CapAmb=0000000000000000"
	assert_line "CapBnd=00000000a80425fb"
}

# bats test_tags=ex:07_4
@test "07.4 an OCI profile from a file: the listed calls get its errnoRet" {
	local profile=$BATS_TEST_TMPDIR/profile.json
	cat >"$profile" <<-'EOF'
		{
		  "defaultAction": "SCMP_ACT_ALLOW",
		  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64"],
		  "syscalls": [
		    { "names": ["mkdir", "mkdirat", "a_call_no_kernel_has"],
		      "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
		    { "names": ["getpid"], "action": "SCMP_ACT_ALLOW" }
		  ]
		}
	EOF
	run "$BIN/confine" --no-new-privs --seccomp "$profile" "$ROOTFS" /bin/mkdir /tmp/new
	assert_failure
	assert_output --partial "Permission denied"
	run "$BIN/confine" --no-new-privs --seccomp "$profile" "$ROOTFS" /bin/echo still running
	assert_success
	assert_output "still running"
}

# bats test_tags=ex:07_4
@test "07.4 without no_new_privs or CAP_SYS_ADMIN the filter is refused, in one line" {
	run "$BIN/confine" --cap-keep default --seccomp default "$ROOTFS" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "confine: load the seccomp filter (needs no_new_privs or CAP_SYS_ADMIN): Permission denied"
	assert_nothing_mounted_under "$ROOTFS"
}

# ------------------------------------------------------ 07.5 user namespace

# bats test_tags=ex:07_5
@test "07.5 root inside a user namespace cannot read a root-only host file" {
	requires userns
	local rootfs
	rootfs=$(attack_rootfs)
	# Owned by the host's root, mode 0600: only host root may read it.
	echo "host secret $CFS_ID" >"$rootfs/root/secret"
	chown 0:0 "$rootfs/root/secret"
	chmod 0600 "$rootfs/root/secret"
	run "$BIN/confine" "$rootfs" /bin/cat /root/secret
	assert_success
	assert_output "host secret $CFS_ID"
	run "$BIN/confine" --userns "$rootfs" /bin/attack read /root/secret
	assert_failure 1
	assert_output "attack read: EACCES (Permission denied)"
	# It is root in there, with every capability (over its namespace).
	run "$BIN/confine" --userns "$rootfs" /bin/probe id caps
	assert_line "uid=0"
	assert_line "CapEff=$(all_capabilities)"
}

# bats test_tags=ex:07_5
@test "07.5 the maps are written, setgroups is denied, files made inside belong to 100000" {
	requires userns
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --userns "$rootfs" /bin/sh -c 'probe id; touch /tmp/made-inside'
	assert_success
	assert_line "uid_map=0 100000 65536"
	assert_line "gid_map=0 100000 65536"
	assert_line "setgroups=deny"
	assert_line "uid=0"
	assert_equal "$(stat -c %u:%g "$rootfs/tmp/made-inside")" "100000:100000"
}

# bats test_tags=ex:07_5
@test "07.5 --uid-map and --gid-map take several lines" {
	requires userns
	run "$BIN/confine" --uid-map "0 200000 1000,1000 201000 1" --gid-map "0 200000 1001" \
		--user 1000:1000 "$ROOTFS" /bin/probe id
	assert_success
	assert_line "uid_map=0 200000 1000,1000 201000 1"
	assert_line "gid_map=0 200000 1001"
	assert_line "uid=1000"
	assert_line "gid=1000"
}

# ------------------------------------------------------------- 07.6 masks

# bats test_tags=ex:07_6
@test "07.6 /proc/keys, /proc/timer_list and /proc/kcore read nothing once masked" {
	local rootfs file
	rootfs=$(attack_rootfs)
	for file in /proc/keys /proc/timer_list; do
		run "$BIN/confine" "$rootfs" /bin/attack read "$file"
		assert_success
		assert_output --regexp "^attack read: ok: [1-9][0-9]* bytes from $file\$"
		run "$BIN/confine" --mask default "$rootfs" /bin/attack read "$file"
		assert_failure 1
		assert_output "attack read: ok: 0 bytes from $file"
	done
	# Not every kernel has /proc/kcore (this one may not); where it
	# does, it is masked too, and where not there is nothing to leak.
	run "$BIN/confine" --mask default "$rootfs" /bin/attack read /proc/kcore
	assert_failure 1
	if [[ -e /proc/kcore ]]; then
		assert_output "attack read: ok: 0 bytes from /proc/kcore"
	else
		assert_output "attack read: ENOENT (No such file or directory)"
	fi
	assert_nothing_mounted_under "$rootfs"
}

# bats test_tags=ex:07_6
@test "07.6 a masked directory is an empty read-only tmpfs" {
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --mask /etc "$rootfs" /bin/sh -c 'ls -A /etc | wc -l; attack write /etc/passwd x; touch /etc/new'
	assert_failure
	assert_line --index 0 "0"
	assert_line --index 1 "attack write: ENOENT (No such file or directory)"
	assert_line --partial "Read-only file system"
	assert_file_exists "$rootfs/etc/passwd"
}

# ---------------------------------------------------------- 07.7 read-only

# bats test_tags=ex:07_7
@test "07.7 /proc/sys and /proc/sysrq-trigger are read-only with --readonly default" {
	local rootfs
	rootfs=$(attack_rootfs)
	# The hostname is per UTS namespace: writing it inside is harmless.
	run "$BIN/confine" "$rootfs" /bin/attack write /proc/sys/kernel/hostname cfs-test
	assert_success
	run "$BIN/confine" --readonly default "$rootfs" /bin/attack write /proc/sys/kernel/hostname cfs-test
	assert_failure 1
	assert_output "attack write: EROFS (Read-only file system)"
	# This kernel may have no sysrq-trigger; where it has one, it is read-only.
	run "$BIN/confine" --readonly default "$rootfs" /bin/attack write /proc/sysrq-trigger h
	assert_failure 1
	if [[ -e /proc/sysrq-trigger ]]; then
		assert_output "attack write: EROFS (Read-only file system)"
	else
		assert_output "attack write: ENOENT (No such file or directory)"
	fi
}

# bats test_tags=ex:07_7
@test "07.7 a read-only path keeps nosuid,nodev,noexec and the rest stays writable" {
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --readonly /proc/sys --readonly /etc "$rootfs" /bin/sh -c 'probe mounts; touch /tmp/ok && echo tmp-writable; touch /etc/new'
	assert_failure
	assert_line --regexp '^mount=/proc/sys proc proc ro,nosuid,nodev,noexec'
	assert_line --regexp '^mount=/etc [^ ]+ [^ ]+ ro'
	assert_line "tmp-writable"
	assert_line --partial "Read-only file system"
	assert_nothing_mounted_under "$rootfs"
}

# bats test_tags=ex:07_5,ex:07_6,ex:07_7
@test "07.7 every layer together, inside a user namespace" {
	requires userns
	local rootfs
	rootfs=$(attack_rootfs)
	run "$BIN/confine" --userns --secure "$rootfs" /bin/sh -c '
		for a in mount keyctl unshare-user ptrace clone3; do attack $a; done
		attack read /proc/keys; attack write /proc/sys/kernel/hostname x; probe id caps'
	assert_success
	assert_line "attack mount: EPERM (Operation not permitted)"
	assert_line "attack keyctl: EPERM (Operation not permitted)"
	assert_line "attack unshare-user: EPERM (Operation not permitted)"
	assert_line "attack ptrace: EPERM (Operation not permitted)"
	assert_line "attack clone3: ENOSYS (Function not implemented)"
	assert_line "attack read: ok: 0 bytes from /proc/keys"
	assert_line --regexp "^attack write: E(ROFS|ACCES) "
	assert_line "uid_map=0 100000 65536"
	assert_line "NoNewPrivs=1"
	assert_line "Seccomp=2"
}

# ------------------------------------------------- error paths (not graded)

@test "confine: an unknown capability name is a warning, and the rest still applies" {
	run "$BIN/confine" --cap-keep chown,cap_no_such_thing "$ROOTFS" /bin/probe caps
	assert_success
	assert_line "confine: warning: unknown capability cap_no_such_thing: ignored"
	assert_line "CapBnd=0000000000000001"
}

@test "confine: a malformed seccomp profile is one line naming where, exit 125" {
	local profile=$BATS_TEST_TMPDIR/broken.json
	printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [ {"names": ["mkdir"]\n' >"$profile"
	run "$BIN/confine" --seccomp "$profile" "$ROOTFS" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output --regexp "^confine: seccomp profile $profile: line [0-9]+ column [0-9]+: "
	assert_nothing_mounted_under "$ROOTFS"
}

@test "confine: an unknown seccomp action is an error naming the member" {
	local profile=$BATS_TEST_TMPDIR/unknown.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ALLOW"}, {"names": ["rmdir"], "action": "SCMP_ACT_EXPLODE"}]}' >"$profile"
	run "$BIN/confine" --seccomp "$profile" "$ROOTFS" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "confine: seccomp profile $profile: syscalls[1].action: unknown action \"SCMP_ACT_EXPLODE\""
}

@test "confine: seccomp profiles without defaultAction, or with a bad architecture or operator, are refused" {
	local profile=$BATS_TEST_TMPDIR/p.json
	echo '{"syscalls": []}' >"$profile"
	run "$BIN/confine" --seccomp "$profile" "$ROOTFS" /bin/true
	assert_one_error_line
	assert_output "confine: seccomp profile $profile: defaultAction: missing or not a string"
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_PDP11"]}' >"$profile"
	run "$BIN/confine" --seccomp "$profile" "$ROOTFS" /bin/true
	assert_one_error_line
	assert_output "confine: seccomp profile $profile: architectures[0]: unknown architecture \"SCMP_ARCH_PDP11\""
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_ROUGHLY"}]}]}' >"$profile"
	run "$BIN/confine" --seccomp "$profile" "$ROOTFS" /bin/true
	assert_one_error_line
	assert_output "confine: seccomp profile $profile: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_ROUGHLY\""
	run "$BIN/confine" --seccomp "$BATS_TEST_TMPDIR/missing.json" "$ROOTFS" /bin/true
	assert_one_error_line
	assert_output --partial "No such file or directory"
}

@test "confine: a missing rootfs is one clear line, exit 125" {
	run "$BIN/confine" "$BATS_TEST_TMPDIR/no-such-dir" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
	assert_output "confine: rootfs $BATS_TEST_TMPDIR/no-such-dir: No such file or directory"
}

@test "confine: a command not found is exit 127; the command's status comes back" {
	run -127 "$BIN/confine" "$ROOTFS" /bin/no-such-command
	assert_one_error_line
	assert_output "confine: exec /bin/no-such-command: No such file or directory"
	run "$BIN/confine" "$ROOTFS" /bin/sh -c 'exit 42'
	assert_equal "$status" 42
	assert_nothing_mounted_under "$ROOTFS"
}

@test "confine: usage errors and --help" {
	run "$BIN/confine"
	assert_equal "$status" 2
	assert_output --partial "missing ROOTFS"
	run "$BIN/confine" --uid-map "0 1 1" "$ROOTFS" /bin/true
	assert_equal "$status" 2
	assert_output --partial "go together"
	run "$BIN/confine" --mask proc/kcore "$ROOTFS" /bin/true
	assert_equal "$status" 2
	assert_output --partial "not an absolute path"
	run "$BIN/confine" --user nobody "$ROOTFS" /bin/true
	assert_equal "$status" 2
	run "$BIN/confine" --cap-keep chown --ambient net_raw "$ROOTFS" /bin/true
	assert_equal "$status" 125
	assert_output --partial "must also be kept"
	run "$BIN/confine" --help
	assert_success
	assert_output --partial "usage: confine"
	run "$BIN/attack" --help
	assert_success
	assert_output --partial "usage: attack"
}
