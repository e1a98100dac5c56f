/* image.h: an OCI image layout unpacked into overlay layers (chapter 06).
 *
 * The module behind `layers inspect`, `layers unpack` and `layers run`,
 * reused by minirun (chapter 08). An OCI image layout is a directory:
 *
 *   oci-layout                  {"imageLayoutVersion": "1.0.0"}
 *   index.json                  points at a manifest, by digest
 *   blobs/sha256/<hex>          manifest, config and layer tarballs, each
 *                               named by the sha256 of its content
 *
 * Every blob is checked against its digest before it is used. A layer is
 * unpacked into a directory of its own, its OCI whiteouts turned into
 * overlayfs ones, so that the layer directories, stacked with overlay.h,
 * are the image's root filesystem. Each function returns 0 on success, or
 * reports one line and returns -1, leaving nothing behind.
 *
 * Read: the OCI image-spec (image-layout.md, image-index.md, manifest.md,
 * descriptor.md, layer.md), archive_read(3), archive_write_disk(3),
 * jansson's documentation, EVP_DigestInit(3), mknod(2), setxattr(2).
 */
#ifndef LAB_IMAGE_H
#define LAB_IMAGE_H

#include <stddef.h>

/* "sha256:" + 64 hex digits + NUL */
#define IMAGE_DIGEST_MAX 72

/* A content descriptor: what a blob is, its digest and its size. */
struct image_descriptor {
	char media_type[128];
	char digest[IMAGE_DIGEST_MAX];
	long long size;
};

/* A manifest: the image's config blob and its layers, bottom first. */
struct image_manifest {
	struct image_descriptor config;
	struct image_descriptor *layers;
	size_t layer_count;
};

/* Check that digest is "sha256:" and 64 lowercase hex digits: the only
 * form this module accepts, and one that is safe to use in a path.
 * Returns 0, or reports "digest D: ..." and returns -1. */
int image_digest_check(const char *digest);

/* Exercise 06.3: read LAYOUT/oci-layout and LAYOUT/index.json and fill
 * manifest with the descriptor of the first image manifest for this
 * machine's os and architecture. Needs read access. */
int image_find_manifest(const char *layout, struct image_descriptor *manifest);

/* Exercise 06.4: open the blob that blob describes, check its size and
 * that its content hashes to its digest, and return a file descriptor
 * (close-on-exec) positioned at its start. Returns -1 on a mismatch. */
int image_blob_open(const char *layout, const struct image_descriptor *blob);

/* Read and verify the manifest blob, and the config blob it names, and
 * fill out (free it with image_manifest_free). */
int image_read_manifest(const char *layout, const struct image_descriptor *manifest,
			struct image_manifest *out);

/* Free what image_read_manifest allocated (safe on a zeroed struct). */
void image_manifest_free(struct image_manifest *manifest);

/* Exercises 06.5, 06.6: unpack the layer tarball read from blob_fd
 * (name: for messages) into the existing directory dest. OCI whiteouts
 * become overlayfs ones: .wh.NAME a 0/0 character device NAME, and
 * .wh..wh..opq the xattr trusted.overlay.opaque="y" on its directory.
 * Refuses, and stops at, any entry that would write outside dest. Needs
 * root (device nodes, trusted.* xattrs, file owners). */
int image_unpack_layer(int blob_fd, const char *name, const char *dest);

/* Unpack the image in layout into dest, which must not exist: one
 * directory per layer, dest/layers/0 (the bottom) to dest/layers/N-1,
 * each blob verified first. On failure dest is removed. Sets
 * *layer_count (may be NULL). Needs root. */
int image_unpack(const char *layout, const char *dest, size_t *layer_count);

/* The layer directories of an image unpacked into dest, TOP FIRST, as
 * struct overlay_spec wants them: a malloc'ed array of malloc'ed paths
 * (free with image_layer_dirs_free). */
int image_layer_dirs(const char *dest, char ***dirs, size_t *count);

void image_layer_dirs_free(char **dirs, size_t count);

#endif
