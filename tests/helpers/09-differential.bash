# 09-differential.bash: helpers for tests/09-differential.bats.
#
# One bundle, two runtimes: the runtime under test (minirun) and a peer
# (crun, from Debian). Each runs the bundle to completion with its output
# in a file; the container's process is a shell that checks the masked
# paths and then becomes /bin/probe (so the probe is PID 1). What the
# probe prints is then normalised (what legitimately differs is replaced by
# what it means) and compared section by section.
#
# The subject and the peer can be changed to check the harness itself:
#     DIF_SUBJECT=runc scripts/run-tests --chapter 09   (runc against crun)
# DIF_SUBJECT and DIF_PEER are minirun, crun or runc.

# The masked paths of the bundle: the default list of `minirun spec`
# plus a file and a directory that exist on every kernel, so that at least
# one of each kind is really masked.
DIF_EXTRA_MASKED=(/proc/kallsyms /proc/tty)

# The devices the runtime must supply (runtime-spec config-linux.md,
# "Default Devices"): how is up to the runtime (mknod, or a bind mount of
# the host's node, which works in a user namespace too), so the mount list
# leaves them out and the devices section checks what they are.
DIF_DEFAULT_DEVICES=(/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty)

# dif_runtime_path NAME: the executable of a runtime name.
dif_runtime_path() {
	case $1 in
	minirun) echo "$BIN/minirun" ;;
	crun | runc) command -v "$1" ;;
	*) fail "runtime must be minirun, crun or runc, not $1" ;;
	esac
}

# dif_setup: check both runtimes, make the bundle. Sets DIF_SUBJECT,
# DIF_PEER and BUNDLE.
dif_setup() {
	DIF_SUBJECT=${DIF_SUBJECT:-minirun}
	DIF_PEER=${DIF_PEER:-crun}
	local name
	for name in "$DIF_SUBJECT" "$DIF_PEER"; do
		if [[ $name == minirun ]]; then
			require_program minirun
		else
			requires "$name"
		fi
	done
	[[ -x $ROOTFS/bin/probe ]] || fail "no rootfs at $ROOTFS: run make rootfs"
	if [[ $DIF_SUBJECT == crun || $DIF_PEER == crun ]]; then
		# Deferred first, so undone last: after both runtimes'
		# containers and cgroups are gone.
		defer crun_hybrid_restore
		crun_hybrid_workaround
	fi
	dif_make_bundle
}

# dif_make_bundle: $BUNDLE from `minirun spec` (the same starting point a
# reader has), then what the comparison needs: every namespace but user
# and time, a cgroup mount, memory and pids limits, capabilities in all
# five sets (ambient too), the masked paths, a seccomp profile in the
# spirit of the default ones (allow all, deny a list with EPERM, clone3
# with ENOSYS so glibc falls back to clone).
dif_make_bundle() {
	BUNDLE=$(scratch_dir)/bundle || fail "no place for the bundle"
	mkdir -p "$BUNDLE"
	mv "$(rootfs_copy)" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$BIN/minirun" spec) || fail "minirun spec failed"
	config_edit '
c["process"]["args"] = ["/bin/sh", "-c", sys.argv[3]]
c["linux"]["namespaces"] = [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount", "cgroup")]
c["mounts"].append({"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                    "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]})
c["linux"]["resources"] = {"memory": {"limit": 67108864}, "pids": {"limit": 42}}
caps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID"]
c["process"]["capabilities"] = {
    "bounding": caps + ["CAP_SYS_CHROOT"],
    "permitted": caps,
    "effective": caps[:-1],
    "inheritable": ["CAP_NET_BIND_SERVICE", "CAP_KILL"],
    "ambient": ["CAP_NET_BIND_SERVICE"],
}
c["linux"]["maskedPaths"] += sys.argv[4:]
c["linux"]["seccomp"] = {
    "defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [
        {"names": ["add_key", "bpf", "delete_module", "finit_module", "init_module",
                   "kexec_file_load", "kexec_load", "keyctl", "open_by_handle_at",
                   "perf_event_open", "pivot_root", "ptrace", "reboot", "request_key",
                   "setns", "swapoff", "swapon", "unshare", "userfaultfd"],
         "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
    ],
}
' "$(dif_container_script)" "${DIF_EXTRA_MASKED[@]}"
}

# dif_container_script: what the container runs. For each masked path one
# line "masked=PATH KIND READABLE": a masked file reads as empty (it is
# /dev/null), a masked directory lists nothing (an empty tmpfs). For each
# of the spec's default devices a line "device=PATH TYPE MAJOR:MINOR".
# Then the shell becomes the probe, which is PID 1.
dif_container_script() {
	cat <<'SH'
for p in $(cat /masked-paths); do
	if [ -d "$p" ]; then
		echo "masked=$p dir entries:$(ls -A "$p" 2>/dev/null | wc -l)"
	elif [ -e "$p" ]; then
		echo "masked=$p file bytes:$(head -c 16 "$p" 2>/dev/null | wc -c)"
	else
		echo "masked=$p absent"
	fi
done
for d in $(cat /default-devices); do
	echo "device=$d $(stat -c '%F %t:%T' "$d" 2>&1)"
done
exec /bin/probe id ns caps cgroup limits mounts
SH
}

# dif_run RUNTIME: run the bundle with RUNTIME to completion, under a
# unique ID, its own state root and its own cgroup (the only line of the
# config that differs between the two runs). Output in
# $BATS_TEST_TMPDIR/RUNTIME.out, errors in RUNTIME.err; status in
# DIF_STATUS (the caller judges it).
dif_run() {
	local name=$1 id cgroup runtime state
	runtime=$(dif_runtime_path "$name")
	id=$(unique_name "cfsdif-$name-")
	cgroup=/$id
	state=$BATS_TEST_TMPDIR/state-$name
	mkdir -p "$state"
	python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print("\n".join(c["linux"]["maskedPaths"]))' \
		"$BUNDLE/config.json" >"$BUNDLE/rootfs/masked-paths"
	printf '%s\n' "${DIF_DEFAULT_DEVICES[@]}" >"$BUNDLE/rootfs/default-devices"
	config_edit 'c["linux"]["cgroupsPath"] = "'"$cgroup"'"'
	defer dif_remove_cgroup "$cgroup"
	defer "$runtime" --root "$state" delete --force "$id"
	DIF_STATUS=0
	"$runtime" --root "$state" run --bundle "$BUNDLE" "$id" \
		>"$BATS_TEST_TMPDIR/$name.out" 2>"$BATS_TEST_TMPDIR/$name.err" </dev/null || DIF_STATUS=$?
	return 0
}

# dif_remove_cgroup PATH: remove the container's cgroup in every
# hierarchy (v2: one; v1: one per controller), if the runtime left it.
dif_remove_cgroup() {
	local dir
	for dir in /sys/fs/cgroup"$1" /sys/fs/cgroup/*"$1" /sys/fs/cgroup/unified"$1"; do
		[[ -d $dir ]] && rmdir "$dir" 2>/dev/null
	done
	return 0
}

# dif_run_both: run the bundle with the subject and with the peer; both
# must succeed. Sets SUBJECT_OUT and PEER_OUT (the files).
dif_run_both() {
	dif_run "$DIF_SUBJECT"
	local subject_status=$DIF_STATUS
	dif_run "$DIF_PEER"
	local peer_status=$DIF_STATUS
	SUBJECT_OUT=$BATS_TEST_TMPDIR/$DIF_SUBJECT.out
	PEER_OUT=$BATS_TEST_TMPDIR/$DIF_PEER.out
	((peer_status == 0)) || fail "the peer $DIF_PEER failed to run the bundle (status $peer_status): $(cat "$BATS_TEST_TMPDIR/$DIF_PEER.err")"
	((subject_status == 0)) || fail "$DIF_SUBJECT failed to run the bundle (status $subject_status): $(cat "$BATS_TEST_TMPDIR/$DIF_SUBJECT.err")"
}

# dif_section SECTION FILE: the normalised lines of one section of a
# run's output.
#   id      who and where the process is: pid, ppid, ids, hostname, cwd,
#           maps, oom_score_adj, NSpid (verbatim)
#   ns      ns.TYPE=new|host: a namespace's inode differs from run to
#           run, whether it is the host's does not
#   caps    the five capability sets, NoNewPrivs, Seccomp (verbatim)
#   masked  the masked paths' lines (verbatim)
#   devices the default devices' lines (verbatim)
#   cgroup  /proc/self/cgroup (inside a cgroup namespace: relative to the
#           container's own cgroup), the mode, the limits, the rlimits
#   mounts  TARGET FSTYPE and the flags that matter (ro|rw, nosuid,
#           nodev, noexec), sorted; sources and the other options (sizes,
#           modes, relatime) may differ; the default devices and the
#           masked files are left out (how they are made may differ)
dif_section() {
	local section=$1 file=$2
	case $section in
	id) grep -E '^(pid|ppid|uid|gid|euid|egid|groups|hostname|cwd|uid_map|gid_map|setgroups|oom_score_adj|NSpid)=' "$file" ;;
	ns) dif_ns_new_or_host "$file" ;;
	caps) grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp)=' "$file" ;;
	masked) grep -E '^masked=' "$file" ;;
	devices) grep -E '^device=' "$file" ;;
	cgroup) grep -E '^(cgroup|cgroup\.mode|cgroup\.memory\.max|cgroup\.pids\.max|cgroup\.cpu\.max|rlimit\.[A-Z]+)=' "$file" ;;
	mounts) dif_mounts_that_matter "$file" ;;
	*) fail "unknown section $section" ;;
	esac
}

# dif_ns_new_or_host FILE: ns.TYPE=new or ns.TYPE=host for every
# namespace the probe listed, by the host's inodes.
dif_ns_new_or_host() {
	local line type inode host_ns
	host_ns=$("$ROOTFS/bin/probe" ns)
	while IFS= read -r line; do
		[[ $line == ns.* ]] || continue
		type=${line%%=*}
		inode=${line#*=}
		if [[ $inode == "$(probe_value "$type" <<<"$host_ns")" ]]; then
			echo "$type=host"
		else
			echo "$type=new"
		fi
	done <"$1"
}

# dif_mounts_that_matter FILE. A masked file is a bind mount of
# /dev/null: of the host's (devtmpfs, crun) or of the container's /dev
# (tmpfs, runc), both right, so it is left out (the masked section checks
# that it reads empty); so are the default devices (see above).
dif_mounts_that_matter() {
	local masked_files
	masked_files=$(sed -n 's/^masked=\([^ ]*\) file .*/\1/p' "$1" | tr '\n' ' ')
	awk -v masked_files=" $masked_files ${DIF_DEFAULT_DEVICES[*]} " '/^mount=/ {
		sub(/^mount=/, "")
		if (index(masked_files, " " $1 " ")) {
			next
		}
		n = split($4, options, ",")
		flags = ""
		for (i = 1; i <= n; i++)
			if (options[i] ~ /^(ro|rw|nosuid|nodev|noexec)$/)
				flags = flags "," options[i]
		print $1, $2, substr(flags, 2)
	}' "$1" | sort
}

# assert_same_section SECTION: the section is the same in both runs; on a
# difference, show both sides as a diff (subject first).
assert_same_section() {
	local section=$1 subject peer
	subject=$(dif_section "$section" "$SUBJECT_OUT")
	peer=$(dif_section "$section" "$PEER_OUT")
	[[ -n $peer ]] || fail "the peer $DIF_PEER printed nothing for section $section: $(cat "$PEER_OUT")"
	if [[ $subject != "$peer" ]]; then
		fail "section $section differs (< $DIF_SUBJECT, > $DIF_PEER):
$(diff <(echo "$subject") <(echo "$peer"))"
	fi
}
