# Chapter 07 demo: root in a container is still root until each layer
# takes a power away; every layer is shown as an attack that works, then fails.
demo_title="Chapter 07: security (capabilities, no_new_privs, seccomp, user namespaces, masks)"

demo_setup() {
	cp -a "$ROOTFS" "$DEMO_TMP/rootfs"
	cp "$BIN/attack" "$DEMO_TMP/rootfs/bin/attack"
	# A setuid-root copy of attack, as an image might ship one.
	cp "$BIN/attack" "$DEMO_TMP/rootfs/bin/suid-attack"
	chown 0:0 "$DEMO_TMP/rootfs/bin/suid-attack"
	chmod 4755 "$DEMO_TMP/rootfs/bin/suid-attack"
	# A root-only file, owned by the host's root.
	echo "the host's secret" >"$DEMO_TMP/rootfs/root/secret"
	chmod 0600 "$DEMO_TMP/rootfs/root/secret"
}

# Everything confine makes lives in namespaces that die with it, and the
# rootfs copy is under $DEMO_TMP, which the demo removes: nothing else to undo.
demo_cleanup() {
	:
}

demo_steps() {
	step "Root in a plain container has every capability: it can mount, and read the host's keyrings." \
		"$BIN/confine rootfs /bin/sh -c 'grep CapEff /proc/self/status; attack mount; attack keyctl'"
	step_may_fail "Keep only Docker's 14 capabilities: no CAP_SYS_ADMIN, so no mount." \
		"$BIN/confine --cap-keep default rootfs /bin/sh -c 'grep CapEff /proc/self/status; attack mount'"
	step "But a setuid-root program in the image makes uid 1000 root again." \
		"$BIN/confine --user 1000:1000 --cap-keep default rootfs /bin/suid-attack whoami"
	step_may_fail "no_new_privs: execve never grants privileges; the setuid bit is ignored." \
		"$BIN/confine --user 1000:1000 --cap-keep default --no-new-privs rootfs /bin/suid-attack whoami"
	step "Even without CAP_SYS_ADMIN: keyctl, a new user namespace and ptrace all still work." \
		"$BIN/confine --cap-keep default rootfs /bin/sh -c 'attack keyctl; attack unshare-user; attack ptrace'"
	step "The default seccomp filter: EPERM for those, ENOSYS for clone3, and fork still works." \
		"$BIN/confine --cap-keep default --no-new-privs --seccomp default rootfs /bin/sh -c 'attack keyctl; attack unshare-user; attack ptrace; attack clone3; attack fork'"
	step "Root of a plain container reads a root-only host file..." \
		"$BIN/confine rootfs /bin/cat /root/secret"
	step_may_fail "...root of a user namespace is uid 100000 outside, and cannot." \
		"$BIN/confine --userns rootfs /bin/sh -c 'grep . /proc/self/uid_map; cat /root/secret'"
	step "/proc still shows the host's kernel: its keys are readable, its sysctls writable." \
		"$BIN/confine rootfs /bin/sh -c 'attack read /proc/keys; attack write /proc/sys/kernel/hostname pwned'"
	step "Masked paths read nothing, read-only paths refuse writes." \
		"$BIN/confine --mask default --readonly default rootfs /bin/sh -c 'attack read /proc/keys; attack write /proc/sys/kernel/hostname pwned; true'"
	step "All layers at once, as a runtime applies them; the probe reports the state." \
		"$BIN/confine --userns --secure --report rootfs"
}
