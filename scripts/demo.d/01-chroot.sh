# Chapter 01 demo: a rootfs is a directory; chroot is escapable; pivot_root is not.
demo_title="Chapter 01: a new root (chroot, pivot_root, and the escape)"

demo_setup() {
	cp -a "$ROOTFS" "$DEMO_TMP/rootfs"
	cp "$BIN/chroot-escape" "$DEMO_TMP/rootfs/bin/"
	echo "the host's secret" >"$DEMO_TMP/host-secret"
}

demo_steps() {
	step "A container image's root is just a directory of files." \
		'ls rootfs; ls rootfs/bin | head -5'
	step "Inside a chroot, / is that directory: the host's files are out of sight by path." \
		"$BIN/jail --chroot rootfs /bin/sh -c 'cat /etc/motd; ls /'"
	step "But a /proc mounted inside shows every process on the host (and root can kill them)." \
		"$BIN/jail --chroot rootfs /bin/sh -c 'ls /proc | grep -c \"^[0-9]\"; cat /proc/1/comm'"
	step "The chroot escape: chroot again without chdir, climb with '..', and the host's file is readable." \
		"$BIN/jail --chroot rootfs /bin/chroot-escape /bin/cat $DEMO_TMP/host-secret"
	step "jail --pivot uses pivot_root: the mount table inside has only the new root and /proc." \
		"$BIN/jail --pivot rootfs /bin/probe mounts"
	step_may_fail "After pivot_root the old root is detached: the same escape finds nothing to escape from." \
		"$BIN/jail --pivot rootfs /bin/chroot-escape /bin/cat $DEMO_TMP/host-secret"
	step "Everything jail mounted lived in its own mount namespace: nothing is left on the host." \
		"grep -c \"$DEMO_TMP\" /proc/self/mountinfo || true"
}
