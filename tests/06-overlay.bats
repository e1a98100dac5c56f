#!/usr/bin/env bats
# Chapter 06: overlay mounts, whiteouts, and OCI images unpacked into
# layers, seen from outside: what is in the merged view, in upper, on disk.

load helpers
load helpers/06-overlay

setup_file() {
	# One image for the whole file (read-only: a test that tampers
	# with it works on its own copy).
	if [[ -d $ROOTFS/bin ]]; then
		"$PROJECT_ROOT/scripts/mkimage" "$BATS_FILE_TMPDIR/image" >/dev/null
	fi
}

setup() {
	requires root overlay
	require_program layers
	[[ -d $BATS_FILE_TMPDIR/image ]] || fail "scripts/mkimage did not build the image (make rootfs)"
	IMAGE=$BATS_FILE_TMPDIR/image
	T=$BATS_TEST_TMPDIR
}

# Three lowers (top, middle, bottom) with overlapping names, an upper, a
# work directory and a mount point.
make_three_lowers() {
	mkdir -p "$T"/{top,middle,bottom,upper,work,merged}
	echo "top" >"$T/top/shared"
	echo "middle" >"$T/middle/shared"
	echo "bottom" >"$T/bottom/shared"
	echo "middle" >"$T/middle/from-middle"
	echo "bottom" >"$T/bottom/from-middle"
	echo "bottom" >"$T/bottom/from-bottom"
	mkdir -p "$T/bottom/dir"
	echo "bottom" >"$T/bottom/dir/file"
}

mount_three_lowers() {
	make_three_lowers
	mount_overlay "$T/merged" --lower "$T/top" --lower "$T/middle" --lower "$T/bottom" \
		--upper "$T/upper" --work "$T/work"
	assert_success
}

# bats test_tags=ex:06_1
@test "06.1 the mount options list the lowers top first, then upper and work" {
	run "$BIN/layers" mount --dry-run --lower /l/top --lower /l/bottom --upper /u --work /w /m
	assert_success
	assert_output "lowerdir=/l/top:/l/bottom,upperdir=/u,workdir=/w"
	run "$BIN/layers" mount --dry-run --lower /a --lower /b /m
	assert_success
	assert_output "lowerdir=/a:/b"
}

# bats test_tags=ex:06_1
@test "06.1 a path with ',' ':' or '\\' cannot inject overlay options" {
	make_three_lowers
	mkdir -p "$T/evil" "$T/low,upperdir=$T/evil" "$T/a:b" "$T/back\\slash"
	local injected
	for injected in "--lower=$T/low,upperdir=$T/evil" "--lower=$T/a:b" "--upper=$T/a:b" \
		"--work=$T/back\\slash"; do
		local args=(--lower "$T/top" --upper "$T/upper" --work "$T/work" "$injected")
		[[ $injected == --lower=* ]] && args=(--upper "$T/upper" --work "$T/work" "$injected" --lower "$T/bottom")
		mount_overlay "$T/merged" "${args[@]}"
		assert_one_error_line
		assert_output --partial "option syntax"
		assert_nothing_mounted_under "$T"
	done
	run ls -A "$T/evil"
	assert_output ""
}

# bats test_tags=ex:06_1
@test "06.1 options longer than a page, or no lower at all, are refused" {
	local lowers=() i
	for i in $(seq 80); do lowers+=(--lower "$T/a-rather-long-directory-name-for-layer-number-$i"); done
	run "$BIN/layers" mount --dry-run "${lowers[@]}" "$T/merged"
	assert_one_error_line
	assert_output --partial "longer than"
	run "$BIN/layers" mount --dry-run --upper "$T/u" --work "$T/w" "$T/merged"
	assert_one_error_line
	assert_output --partial "lower directory"
}

# bats test_tags=ex:06_2
@test "06.2 files from every lower are visible in merged, the top one winning" {
	mount_three_lowers
	assert_equal "$(cat "$T/merged/shared")" "top"
	assert_equal "$(cat "$T/merged/from-middle")" "middle"
	assert_equal "$(cat "$T/merged/from-bottom")" "bottom"
	assert_equal "$(cat "$T/merged/dir/file")" "bottom"
	run findmnt -n -o FSTYPE --target "$T/merged"
	assert_output "overlay"
}

# bats test_tags=ex:06_2
@test "06.2 a write lands in upper and the lower is unchanged (copy-up)" {
	mount_three_lowers
	echo "changed" >"$T/merged/from-bottom"
	echo "new" >"$T/merged/dir/new-file"
	assert_equal "$(cat "$T/merged/from-bottom")" "changed"
	assert_equal "$(cat "$T/upper/from-bottom")" "changed"
	assert_equal "$(cat "$T/bottom/from-bottom")" "bottom"
	assert_equal "$(cat "$T/upper/dir/new-file")" "new"
	assert_file_not_exists "$T/bottom/dir/new-file"
}

# bats test_tags=ex:06_2
@test "06.2 a delete leaves a 0/0 character device in upper and the lower file stays" {
	mount_three_lowers
	rm "$T/merged/from-bottom" "$T/merged/shared"
	assert_file_not_exists "$T/merged/from-bottom"
	assert_file_not_exists "$T/merged/shared"
	run stat -c '%F %t:%T' "$T/upper/from-bottom" "$T/upper/shared"
	assert_success
	assert_output "character special file 0:0
character special file 0:0"
	assert_equal "$(cat "$T/bottom/from-bottom")" "bottom"
	assert_equal "$(cat "$T/top/shared")" "top"
}

# bats test_tags=ex:06_2
@test "06.2 umount leaves nothing mounted and the lowers untouched" {
	mount_three_lowers
	echo "write" >"$T/merged/written"
	run "$BIN/layers" umount "$T/merged"
	assert_success
	assert_output ""
	assert_nothing_mounted_under "$T"
	run ls -A "$T/merged"
	assert_output ""
	assert_file_not_exists "$T/top/written"
	assert_equal "$(cat "$T/upper/written")" "write"
}

# bats test_tags=ex:06_2
@test "06.2 an overlay without upper is read-only" {
	make_three_lowers
	mount_overlay "$T/merged" --lower "$T/top" --lower "$T/bottom"
	assert_success
	assert_equal "$(cat "$T/merged/shared")" "top"
	run touch "$T/merged/new"
	assert_failure
	assert_output --partial "Read-only file system"
}

# bats test_tags=ex:06_3
@test "06.3 inspect finds the manifest that index.json names" {
	local expected
	expected=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["manifests"][0]; print("manifest", m["digest"], m["size"])' "$IMAGE/index.json")
	run "$BIN/layers" inspect "$IMAGE"
	assert_line --index 0 "$expected"
}

# bats test_tags=ex:06_3
@test "06.3 a manifest for another architecture, or no oci-layout, is refused" {
	cp -a "$IMAGE" "$T/image"
	sed -i 's/"architecture": "[a-z0-9]*"/"architecture": "mips-of-the-future"/' "$T/image/index.json"
	run "$BIN/layers" inspect "$T/image"
	assert_one_error_line
	assert_output --partial "no image manifest for linux/"
	cp -a "$IMAGE" "$T/image2"
	echo '{"imageLayoutVersion": "0.9"}' >"$T/image2/oci-layout"
	run "$BIN/layers" inspect "$T/image2"
	assert_one_error_line
	assert_output --partial "not an OCI image layout"
}

# bats test_tags=ex:06_4
@test "06.4 inspect verifies the manifest and lists the config and the three layers" {
	run "$BIN/layers" inspect "$IMAGE"
	assert_success
	assert_line --regexp '^config sha256:[0-9a-f]{64} [0-9]+$'
	assert_line --regexp '^layer 0 sha256:[0-9a-f]{64} [0-9]+ application/vnd.oci.image.layer.v1.tar\+gzip$'
	assert_line --regexp '^layer 1 sha256:[0-9a-f]{64} [0-9]+ application/vnd.oci.image.layer.v1.tar\+gzip$'
	assert_line --regexp '^layer 2 sha256:[0-9a-f]{64} [0-9]+ application/vnd.oci.image.layer.v1.tar$'
	[[ ${#lines[@]} -eq 5 ]] || fail "expected 5 lines: $output"
}

# bats test_tags=ex:06_4
@test "06.4 a tampered layer blob is refused by its digest and nothing is unpacked" {
	cp -a "$IMAGE" "$T/image"
	local blob
	blob=$(blob_of "$T/image" 0)
	# Same size, one byte different: only the digest can tell.
	flip_byte "$blob" 600
	run "$BIN/layers" unpack "$T/image" "$T/unpacked"
	assert_one_error_line
	assert_output --regexp "blob sha256:$(basename "$blob"): content has digest sha256:[0-9a-f]{64}, refusing it"
	assert_file_not_exists "$T/unpacked"
}

# bats test_tags=ex:06_4
@test "06.4 a tampered manifest is refused before it is read" {
	cp -a "$IMAGE" "$T/image"
	local manifest
	manifest=$T/image/blobs/sha256/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"][7:])' "$T/image/index.json")
	sed -i 's/"schemaVersion":2/"schemaVersion":3/' "$manifest"
	run "$BIN/layers" inspect "$T/image"
	assert_failure
	assert_line --index 1 --partial "content has digest"
}

# bats test_tags=ex:06_5
@test "06.5 OCI whiteouts become 0/0 character devices in their layer, hiding the file" {
	layer_tar "$T/base.tar" dir:etc file:etc/keep:keep file:etc/gone:gone dir:var file:var/log:log
	layer_tar "$T/delete.tar" dir:etc file:etc/.wh.gone: file:.wh.var:
	image_from_tars "$T/image" "$T/base.tar" "$T/delete.tar"
	run "$BIN/layers" unpack "$T/image" "$T/unpacked"
	assert_success
	assert_output ""
	run stat -c '%n %F %t:%T' "$T/unpacked/layers/1/etc/gone" "$T/unpacked/layers/1/var"
	assert_output "$T/unpacked/layers/1/etc/gone character special file 0:0
$T/unpacked/layers/1/var character special file 0:0"
	assert_file_not_exists "$T/unpacked/layers/1/etc/.wh.gone"
	mkdir "$T/merged"
	mount_overlay "$T/merged" --lower "$T/unpacked/layers/1" --lower "$T/unpacked/layers/0"
	assert_success
	run ls -A "$T/merged" "$T/merged/etc"
	assert_output "$T/merged:
etc

$T/merged/etc:
keep"
}

# bats test_tags=ex:06_6
@test "06.6 the unpacked image: deleted files are absent, replaced files have the new content" {
	run "$BIN/layers" unpack "$IMAGE" "$T/unpacked"
	assert_success
	mkdir "$T/merged"
	mount_overlay "$T/merged" --lower "$T/unpacked/layers/2" --lower "$T/unpacked/layers/1" \
		--lower "$T/unpacked/layers/0"
	assert_success
	assert_file_executable "$T/merged/bin/busybox"
	assert_equal "$(cat "$T/merged/etc/app.conf")" "version=2"
	assert_file_not_exists "$T/merged/etc/motd"
	assert_file_not_exists "$T/merged/www/index.html"
	assert_file_exists "$T/unpacked/layers/0/etc/motd"
	assert_equal "$(cat "$T/unpacked/layers/1/etc/app.conf")" "version=1"
}

# bats test_tags=ex:06_6
@test "06.6 the opaque marker becomes trusted.overlay.opaque=y and hides the lower directory" {
	run "$BIN/layers" unpack "$IMAGE" "$T/unpacked"
	assert_success
	run python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' \
		"$T/unpacked/layers/2/srv/data"
	assert_output "y"
	assert_file_not_exists "$T/unpacked/layers/2/srv/data/.wh..wh..opq"
	mkdir "$T/merged"
	mount_overlay "$T/merged" --lower "$T/unpacked/layers/2" --lower "$T/unpacked/layers/1" \
		--lower "$T/unpacked/layers/0"
	assert_success
	run ls -A "$T/merged/srv/data"
	assert_output "new-1"
	run ls -A "$T/unpacked/layers/1/srv/data"
	assert_output "old-1
old-2"
}

# Unpack an image whose second layer is evil.tar; it must be refused
# with one line naming the entry, and write nothing outside.
assert_evil_layer_refused() {
	local entry=$1 reason=${2:-}
	layer_tar "$T/base.tar" dir:etc file:etc/hostname:base
	image_from_tars "$T/image" "$T/base.tar" "$T/evil.tar"
	run "$BIN/layers" unpack "$T/image" "$T/unpacked"
	assert_one_error_line
	assert_output --regexp "layer sha256:[0-9a-f]{64}: entry $entry: $reason"
	assert_file_not_exists "$T/unpacked"
	run ls -A "$T/outside"
	assert_output "secret"
	assert_equal "$(cat "$T/outside/secret")" "host secret"
}

make_outside() {
	mkdir -p "$T/outside"
	echo "host secret" >"$T/outside/secret"
}

# bats test_tags=ex:06_5
@test "06.5 a layer entry with '..' is refused and writes nothing outside" {
	make_outside
	layer_tar "$T/evil.tar" file:etc/ok:ok "file:../../../outside/pwned:pwned"
	assert_evil_layer_refused '\.\./\.\./\.\./outside/pwned' "escapes the layer directory"
}

# bats test_tags=ex:06_5
@test "06.5 a layer entry with an absolute path is refused and writes nothing outside" {
	make_outside
	layer_tar "$T/evil.tar" "file:$T/outside/pwned:pwned"
	assert_evil_layer_refused "$T/outside/pwned" "escapes the layer directory"
}

# bats test_tags=ex:06_5
@test "06.5 a symlink then a write through it is refused and writes nothing outside" {
	make_outside
	layer_tar "$T/evil.tar" "symlink:link:$T/outside" file:link/pwned:pwned
	assert_evil_layer_refused link/pwned ".*symlink"
}

# bats test_tags=ex:06_5
@test "06.5 a whiteout through a symlink is refused and deletes nothing outside" {
	make_outside
	layer_tar "$T/evil.tar" "symlink:link:$T/outside" file:link/.wh.secret:
	assert_evil_layer_refused 'link/\.wh\.secret'
}

# bats test_tags=ex:06_5
@test "06.5 a hard link to a file outside is refused" {
	make_outside
	layer_tar "$T/evil.tar" "hardlink:etc/alias:../../../outside/secret"
	assert_evil_layer_refused etc/alias "escapes the layer directory"
}

# bats test_tags=ex:06_7
@test "06.7 diff lists what a container added, changed, deleted and made opaque" {
	mount_three_lowers
	echo "new" >"$T/merged/added"
	echo "changed" >>"$T/merged/from-middle"
	rm "$T/merged/from-bottom"
	rm -r "$T/merged/dir"
	mkdir "$T/merged/dir"
	echo "fresh" >"$T/merged/dir/fresh"
	run "$BIN/layers" umount "$T/merged"
	assert_success
	run "$BIN/layers" diff --lower "$T/top" --lower "$T/middle" --lower "$T/bottom" "$T/upper"
	assert_success
	assert_output "A /added
O /dir
A /dir/fresh
D /from-bottom
C /from-middle"
}

# bats test_tags=ex:06_7
@test "06.7 diff --image shows what layers run changed in the image" {
	run "$BIN/layers" unpack "$IMAGE" "$T/unpacked"
	assert_success
	run "$BIN/layers" run "$T/unpacked" /bin/sh -c 'echo hi >/etc/hello; rm /etc/app.conf; echo x >>/etc/passwd'
	assert_success
	run "$BIN/layers" diff --image "$T/unpacked"
	assert_success
	assert_output "D /etc/app.conf
A /etc/hello
C /etc/passwd"
	assert_nothing_mounted_under "$T"
}

@test "layers run: the image is the root, writes land in upper, the exit status comes back" {
	"$BIN/layers" unpack "$IMAGE" "$T/unpacked"
	run "$BIN/layers" run "$T/unpacked" /bin/sh -c 'cat /etc/app.conf; ls /srv/data; echo w >/written; exit 3'
	assert_equal "$status" 3
	assert_output "version=2
new-1"
	assert_equal "$(cat "$T/unpacked/upper/written")" "w"
	assert_nothing_mounted_under "$T"
	run "$BIN/layers" run "$T/unpacked" /bin/probe mounts
	assert_success
	assert_line --regexp '^mount=/ overlay overlay '
	assert_line --regexp '^mount=/proc proc '
}

@test "layers run: a command not found is one line and 127, nothing left mounted" {
	"$BIN/layers" unpack "$IMAGE" "$T/unpacked"
	run -127 "$BIN/layers" run "$T/unpacked" /bin/no-such-command
	assert_one_error_line
	assert_output "layers: exec /bin/no-such-command: No such file or directory"
	assert_nothing_mounted_under "$T"
	run "$BIN/layers" run "$T/nothing-here" /bin/true
	assert_equal "$status" 125
	assert_one_error_line
}

@test "layers mount: a missing lower is one line, nothing mounted" {
	mkdir -p "$T"/{upper,work,merged}
	mount_overlay "$T/merged" --lower "$T/no-such-dir" --upper "$T/upper" --work "$T/work"
	assert_one_error_line
	assert_output "layers: mount overlay on $T/merged: No such file or directory"
	assert_nothing_mounted_under "$T"
}

@test "layers umount: a directory with nothing mounted is one line" {
	mkdir -p "$T/merged"
	run "$BIN/layers" umount "$T/merged"
	assert_one_error_line
	assert_output "layers: unmount $T/merged: Invalid argument"
}

@test "layers unpack: an existing destination is refused and left alone" {
	mkdir -p "$T/unpacked"
	touch "$T/unpacked/mine"
	run "$BIN/layers" unpack "$IMAGE" "$T/unpacked"
	assert_one_error_line
	assert_output "layers: create $T/unpacked: File exists"
	assert_file_exists "$T/unpacked/mine"
}

@test "layers inspect: not an image layout, a digest that is a path, a missing blob" {
	mkdir -p "$T/empty"
	run "$BIN/layers" inspect "$T/empty"
	assert_one_error_line
	assert_output "layers: open $T/empty/oci-layout: No such file or directory"
	cp -a "$IMAGE" "$T/image"
	sed -i 's/"digest": "sha256:[0-9a-f]*"/"digest": "sha256:..\/..\/..\/etc\/passwd"/' "$T/image/index.json"
	run "$BIN/layers" inspect "$T/image"
	assert_one_error_line
	assert_output --partial "not 64 lowercase hex digits"
	cp -a "$IMAGE" "$T/image2"
	rm "$(blob_of "$T/image2" 1)"
	run "$BIN/layers" unpack "$T/image2" "$T/unpacked"
	assert_one_error_line
	assert_output --partial "No such file or directory"
	assert_file_not_exists "$T/unpacked"
}

@test "layers unpack: a layer of an unknown media type is refused" {
	cp -a "$IMAGE" "$T/image"
	# A correctly digested manifest that names a compression we lack.
	python3 - "$T/image" <<'PYTHON'
import hashlib, json, os, sys
layout = sys.argv[1]
index = json.load(open(layout + "/index.json"))
entry = index["manifests"][0]
path = layout + "/blobs/sha256/" + entry["digest"][7:]
manifest = json.load(open(path))
os.remove(path)
manifest["layers"][2]["mediaType"] += "+lzma"
data = json.dumps(manifest).encode()
digest = hashlib.sha256(data).hexdigest()
open(layout + "/blobs/sha256/" + digest, "wb").write(data)
entry["digest"], entry["size"] = "sha256:" + digest, len(data)
json.dump(index, open(layout + "/index.json", "w"))
PYTHON
	run "$BIN/layers" unpack "$T/image" "$T/unpacked"
	assert_one_error_line
	assert_output --partial "media type application/vnd.oci.image.layer.v1.tar+lzma"
	assert_file_not_exists "$T/unpacked"
}

@test "layers: usage errors and --help" {
	run "$BIN/layers"
	assert_equal "$status" 2
	run "$BIN/layers" frobnicate
	assert_equal "$status" 2
	assert_output --partial "unknown subcommand"
	run "$BIN/layers" mount --lower /a
	assert_equal "$status" 2
	run "$BIN/layers" unpack --lower /a "$IMAGE" "$T/x"
	assert_equal "$status" 2
	run "$BIN/layers" --help
	assert_success
	assert_output --partial "usage: layers mount"
}
