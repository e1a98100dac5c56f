# Chapter 06 demo: overlayfs layers, copy-up, whiteouts; an OCI image
# verified by digest, unpacked into layers, run, and diffed.
demo_title="Chapter 06: layers (overlayfs, whiteouts, OCI images)"

demo_setup() {
	mkdir -p "$DEMO_TMP"/{lower1,lower2,upper,work,merged}
	echo "from lower1" >"$DEMO_TMP/lower1/a"
	echo "from lower2" >"$DEMO_TMP/lower2/a"
	echo "only in lower2" >"$DEMO_TMP/lower2/b"
	"$PROJECT_ROOT/scripts/mkimage" "$DEMO_TMP/image" "$ROOTFS" >/dev/null
}

# The only mount the demo makes on the host; layers run's overlay lives
# and dies in its own mount namespace.
demo_cleanup() {
	if [[ -n ${DEMO_TMP:-} ]] && findmnt "$DEMO_TMP/merged" >/dev/null 2>&1; then
		umount -l "$DEMO_TMP/merged" 2>/dev/null || true
	fi
}

demo_steps() {
	step "Two read-only lowers (lower1 on top), a writable upper: the merged view shows the top file of each name." \
		"$BIN/layers mount --lower lower1 --lower lower2 --upper upper --work work merged && cat merged/a merged/b"
	step "A write copies the file up: the change is in upper, lower2 is untouched." \
		'echo changed >> merged/b; cat upper/b; echo ---; cat lower2/b'
	step "A delete cannot touch a lower: the upper gets a whiteout, a character device 0/0." \
		'rm merged/a; ls merged; ls -l upper'
	step_may_fail "Paths are refused when they would inject overlay options (',' ':' '\\')." \
		"mkdir -p 'evil,upperdir=/etc' && $BIN/layers mount --lower 'evil,upperdir=/etc' --lower lower2 merged"
	step "Unmounted: merged is an empty directory again, and upper keeps what the container did." \
		"$BIN/layers umount merged; ls -A merged; $BIN/layers diff --lower lower1 --lower lower2 upper"
	step "An OCI image layout, built locally by scripts/mkimage: index.json names the manifest by digest." \
		'cat image/oci-layout; echo; cat image/index.json'
	step "Every blob is named by its sha256, so checking one is sha256sum; inspect verifies each one it reads." \
		"(cd image/blobs/sha256 && sha256sum * | awk '{ print substr(\$1, 1, 16) \"...  \" substr(\$2, 1, 16) \"...\" }') && $BIN/layers inspect image"
	step "The third layer deletes files with .wh.NAME entries and replaces srv/data whole with .wh..wh..opq." \
		"tar tvf image/blobs/sha256/\$($BIN/layers inspect image | awk '\$1 == \"layer\" && \$2 == 2 { print substr(\$3, 8) }')"
	step_may_fail "A blob with one byte changed (same size) is refused by its digest; nothing is unpacked." \
		"cp -a image tampered && blob=\$(ls -S tampered/blobs/sha256 | head -1) && printf 'X' | dd of=tampered/blobs/sha256/\$blob bs=1 seek=600 conv=notrunc status=none && $BIN/layers unpack tampered unpacked-tampered; ls -d unpacked-tampered"
	step "Unpacked, the whiteouts became 0/0 devices and the opaque marker an xattr: what overlayfs expects." \
		"$BIN/layers unpack image unpacked && ls -l unpacked/layers/2/etc && getfattr -n trusted.overlay.opaque unpacked/layers/2/srv/data"
	step "Run a shell in the image: the top layers win, the deleted files are gone." \
		"$BIN/layers run unpacked /bin/sh -c 'cat /etc/app.conf; ls /srv/data; ls /www; cat /etc/motd || true'"
	step "The container changed things; its layer is the upper directory, which layers diff reads back. Nothing is left mounted." \
		"$BIN/layers run unpacked /bin/sh -c 'echo hi > /etc/hello; rm /etc/app.conf; echo x >> /etc/passwd' && $BIN/layers diff --image unpacked && echo \"mounts left under the demo directory: \$(grep -c \"$DEMO_TMP\" /proc/self/mountinfo)\""
}
