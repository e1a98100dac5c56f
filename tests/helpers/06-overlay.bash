# 06-overlay.bash: helpers of tests/06-overlay.bats (load helpers/06-overlay).

# layer_tar OUT ENTRY...: write a tarball whose entries are exactly these,
# in this order, names unchanged (even "../x" or "/x", which tar(1) would
# rewrite): file:NAME:CONTENT dir:NAME symlink:NAME:TARGET hardlink:NAME:TARGET
layer_tar() {
	python3 - "$@" <<'PYTHON'
import io, sys, tarfile
out, entries = sys.argv[1], sys.argv[2:]
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
    for spec in entries:
        kind, name, *rest = spec.split(":", 2)
        info = tarfile.TarInfo(name)
        info.mtime, info.uid, info.gid = 0, 0, 0
        data = None
        if kind == "file":
            data = rest[0].encode() if rest else b""
            info.size, info.mode = len(data), 0o644
        elif kind == "dir":
            info.type, info.mode = tarfile.DIRTYPE, 0o755
        elif kind == "symlink":
            info.type, info.linkname, info.mode = tarfile.SYMTYPE, rest[0], 0o777
        elif kind == "hardlink":
            info.type, info.linkname = tarfile.LNKTYPE, rest[0]
        else:
            sys.exit("layer_tar: unknown entry kind " + kind)
        tar.addfile(info, io.BytesIO(data) if data is not None else None)
PYTHON
}

# image_from_tars OUT TAR...: an OCI image layout with these layers.
image_from_tars() {
	"$PROJECT_ROOT/scripts/mkimage" --layers "$@" >/dev/null
}

# mount_overlay TARGET ARG...: `layers mount ARG... TARGET`, unmounted at
# teardown. Sets status and output like run.
mount_overlay() {
	local target=$1
	shift
	defer umount -l "$target"
	run "$BIN/layers" mount "$@" "$target"
}

# blob_of LAYOUT N: the path of layer N's blob (0 = bottom), from the
# manifest that index.json names.
blob_of() {
	python3 - "$1" "$2" <<'PYTHON'
import json, sys
layout, n = sys.argv[1], int(sys.argv[2])
index = json.load(open(layout + "/index.json"))
digest = index["manifests"][0]["digest"].split(":")[1]
manifest = json.load(open(layout + "/blobs/sha256/" + digest))
print(layout + "/blobs/sha256/" + manifest["layers"][n]["digest"].split(":")[1])
PYTHON
}

# flip_byte FILE OFFSET: change one byte in place (same size, new digest).
flip_byte() {
	python3 - "$1" "$2" <<'PYTHON'
import sys
path, offset = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(offset)
    byte = f.read(1)
    f.seek(offset)
    f.write(bytes([byte[0] ^ 0xff]))
PYTHON
}
