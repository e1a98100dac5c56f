/* image.c: read an OCI image layout, verify its blobs, and unpack its
 * layers into directories that overlayfs can stack (chapter 06).
 *
 * Read: the OCI image-spec (image-layout.md, image-index.md, manifest.md,
 * descriptor.md, layer.md "Whiteouts"), archive_read(3),
 * archive_write_disk(3), jansson's "Apiref" (json_unpack), EVP_DigestInit(3),
 * mknod(2), setxattr(2), nftw(3).
 */
#include "image.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MEDIA_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MEDIA_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MEDIA_DOCKER_LAYER "application/vnd.docker.image.rootfs.diff.tar.gzip"
/* A JSON blob (manifest, config) larger than this is refused unread. */
#define JSON_BLOB_MAX (4 << 20)
#define WHITEOUT_PREFIX ".wh."
#define OPAQUE_MARKER ".wh..wh..opq"

int image_digest_check(const char *digest)
{
	static const char prefix[] = "sha256:";
	size_t length = 0;

	if (strncmp(digest, prefix, sizeof prefix - 1) != 0)
		return fail_msg("digest %.80s: only sha256 digests are supported", digest);
	for (const char *hex = digest + sizeof prefix - 1; *hex != '\0'; hex++, length++)
		if (!((*hex >= '0' && *hex <= '9') || (*hex >= 'a' && *hex <= 'f')))
			return fail_msg("digest %.80s: not 64 lowercase hex digits", digest);
	if (length != 64)
		return fail_msg("digest %.80s: not 64 lowercase hex digits", digest);
	return 0;
}

/* LAYOUT/blobs/sha256/HEX for a digest. The digest is checked first: it
 * comes from a file we do not trust, and becomes part of a path. */
static int blob_path(const char *layout, const char *digest, char *path, size_t size)
{
	if (image_digest_check(digest) != 0)
		return -1;
	int n = snprintf(path, size, "%s/blobs/sha256/%s", layout, digest + strlen("sha256:"));
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return fail_errno("blob %s in %s", digest, layout);
	}
	return 0;
}

/* The architecture of this machine, in the OCI (Go) spelling. */
static const char *this_architecture(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__i386__)
	return "386";
#elif defined(__arm__)
	return "arm";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return "ppc64le";
#elif defined(__s390x__)
	return "s390x";
#else
	return "unknown";
#endif
}

/* Parse a JSON file, reporting "PATH: REASON" once on failure. */
static json_t *load_json_file(const char *path)
{
	json_error_t error;
	FILE *file = fopen(path, "re");
	if (file == NULL) {
		fail_errno("open %s", path);
		return NULL;
	}
	json_t *value = json_loadf(file, 0, &error);
	fclose(file);
	if (value == NULL)
		fail_msg("%s: %s (line %d)", path, error.text, error.line);
	return value;
}

/* Fill out from a JSON descriptor {"mediaType", "digest", "size"}. */
static int descriptor_from_json(json_t *object, const char *where, struct image_descriptor *out)
{
	const char *media_type, *digest;
	json_int_t size;
	json_error_t error;

	if (json_unpack_ex(object, &error, 0, "{s:s, s:s, s:I}", "mediaType", &media_type,
			   "digest", &digest, "size", &size) != 0)
		return fail_msg("%s: bad descriptor: %s", where, error.text);
	if (image_digest_check(digest) != 0)
		return -1;
	if (size < 0 || strlen(media_type) >= sizeof out->media_type)
		return fail_msg("%s: bad descriptor for %s", where, digest);
	strcpy(out->media_type, media_type);
	strcpy(out->digest, digest);
	out->size = size;
	return 0;
}

// tag::find-manifest[]
int image_find_manifest(const char *layout, struct image_descriptor *manifest)
{
	char path[PATH_MAX];
	int result = -1;

	// BEGIN SOLUTION 06.3: find the image manifest through oci-layout and index.json
	// HINT: load LAYOUT/oci-layout (load_json_file) and check its "imageLayoutVersion" is "1.0.0";
	// HINT: load LAYOUT/index.json, check "schemaVersion" is 2, and walk its "manifests" array
	// HINT: (json_array_foreach): take the first entry whose "mediaType" is MEDIA_OCI_MANIFEST
	// HINT: (or MEDIA_DOCKER_MANIFEST) and whose optional "platform" is linux/this_architecture().
	// HINT: descriptor_from_json fills *manifest. json_decref what you loaded.
	snprintf(path, sizeof path, "%s/oci-layout", layout);
	json_t *layout_file = load_json_file(path);
	if (layout_file == NULL)
		return -1;
	const char *version = json_string_value(json_object_get(layout_file, "imageLayoutVersion"));
	if (version == NULL || strcmp(version, "1.0.0") != 0) {
		json_decref(layout_file);
		return fail_msg("%s: not an OCI image layout version 1.0.0", path);
	}
	json_decref(layout_file);

	snprintf(path, sizeof path, "%s/index.json", layout);
	json_t *index = load_json_file(path);
	if (index == NULL)
		return -1;
	json_t *manifests = json_object_get(index, "manifests");
	if (json_integer_value(json_object_get(index, "schemaVersion")) != 2 || !json_is_array(manifests)) {
		json_decref(index);
		return fail_msg("%s: not an OCI image index (schemaVersion 2 with manifests)", path);
	}
	size_t i;
	json_t *entry;
	json_array_foreach(manifests, i, entry) {
		const char *media_type = json_string_value(json_object_get(entry, "mediaType"));
		if (media_type == NULL ||
		    (strcmp(media_type, MEDIA_OCI_MANIFEST) != 0 && strcmp(media_type, MEDIA_DOCKER_MANIFEST) != 0))
			continue;
		/* An index may list one manifest per platform; no platform
		 * means "whatever this is", as in a single-image layout. */
		json_t *platform = json_object_get(entry, "platform");
		if (platform != NULL) {
			const char *os = json_string_value(json_object_get(platform, "os"));
			const char *arch = json_string_value(json_object_get(platform, "architecture"));
			if (os == NULL || arch == NULL || strcmp(os, "linux") != 0 ||
			    strcmp(arch, this_architecture()) != 0)
				continue;
		}
		result = descriptor_from_json(entry, path, manifest);
		break;
	}
	if (i == json_array_size(manifests))
		fail_msg("%s: no image manifest for linux/%s", path, this_architecture());
	json_decref(index);
	// END SOLUTION
	// STUB: return lab_todo("06.3");
	return result;
}
// end::find-manifest[]

// tag::blob-open[]
int image_blob_open(const char *layout, const struct image_descriptor *blob)
{
	char path[PATH_MAX];
	struct stat st;

	if (blob_path(layout, blob->digest, path, sizeof path) != 0)
		return -1;
	/* O_NOFOLLOW: a blob is a file, never a link to one elsewhere. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("open blob %s", path);
	if (fstat(fd, &st) != 0) {
		fail_errno("stat blob %s", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fail_msg("blob %s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* The size in the descriptor is checked first: cheap, and it stops
	 * a huge or truncated blob before it is read. */
	if (st.st_size != blob->size) {
		fail_msg("blob %s: %lld bytes where its descriptor says %lld", blob->digest,
			 (long long)st.st_size, blob->size);
		close(fd);
		return -1;
	}
	// BEGIN SOLUTION 06.4: verify a blob's sha256 digest before using it
	// HINT: hash the whole file with libcrypto: ctx = EVP_MD_CTX_new(), EVP_DigestInit_ex(ctx,
	// HINT: EVP_sha256(), NULL), EVP_DigestUpdate() for each read(2) chunk, EVP_DigestFinal_ex().
	// HINT: Format the 32 bytes as 64 lowercase hex digits and compare with blob->digest + 7.
	// HINT: On a mismatch report both digests, close fd and return -1; else lseek(fd, 0, SEEK_SET).
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned int hash_length = 0;
	unsigned char chunk[65536];
	ssize_t n;
	int ok = 0;
	EVP_MD_CTX *context = EVP_MD_CTX_new();
	if (context != NULL && EVP_DigestInit_ex(context, EVP_sha256(), NULL) == 1) {
		ok = 1;
		while (ok && (n = read(fd, chunk, sizeof chunk)) > 0)
			ok = EVP_DigestUpdate(context, chunk, (size_t)n) == 1;
		if (n < 0) {
			fail_errno("read blob %s", path);
			EVP_MD_CTX_free(context);
			close(fd);
			return -1;
		}
		ok = ok && EVP_DigestFinal_ex(context, hash, &hash_length) == 1;
	}
	EVP_MD_CTX_free(context);
	if (!ok || hash_length != 32) {
		fail_msg("blob %s: sha256 failed in libcrypto", blob->digest);
		close(fd);
		return -1;
	}
	char actual[65];
	for (unsigned int i = 0; i < hash_length; i++)
		snprintf(actual + 2 * i, 3, "%02x", hash[i]);
	if (strcmp(actual, blob->digest + strlen("sha256:")) != 0) {
		fail_msg("blob %s: content has digest sha256:%s, refusing it", blob->digest, actual);
		close(fd);
		return -1;
	}
	/* The caller reads the very file descriptor we hashed, from its
	 * start. (The layout must still not be writable by others: a
	 * writer could change the file's content after the check.) */
	if (lseek(fd, 0, SEEK_SET) != 0) {
		fail_errno("rewind blob %s", path);
		close(fd);
		return -1;
	}
	// END SOLUTION
	// STUB: close(fd);
	// STUB: return lab_todo("06.4");
	return fd;
}
// end::blob-open[]

/* Read a verified JSON blob and parse it. */
static json_t *load_json_blob(const char *layout, const struct image_descriptor *blob)
{
	if (blob->size > JSON_BLOB_MAX) {
		fail_msg("blob %s: %lld bytes, too large for JSON", blob->digest, blob->size);
		return NULL;
	}
	int fd = image_blob_open(layout, blob);
	if (fd < 0)
		return NULL;
	char *content = malloc((size_t)blob->size + 1);
	size_t done = 0;
	while (content != NULL && done < (size_t)blob->size) {
		ssize_t n = read(fd, content + done, (size_t)blob->size - done);
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			fail_errno("read blob %s", blob->digest);
			free(content);
			close(fd);
			return NULL;
		}
		done += (size_t)n;
	}
	close(fd);
	if (content == NULL) {
		fail_errno("read blob %s", blob->digest);
		return NULL;
	}
	json_error_t error;
	json_t *value = json_loadb(content, done, 0, &error);
	free(content);
	if (value == NULL)
		fail_msg("blob %s: %s", blob->digest, error.text);
	return value;
}

/* Whether this module can unpack a layer of this media type. */
static int layer_media_type_supported(const char *media_type)
{
	static const char *const supported[] = {
		MEDIA_OCI_LAYER, MEDIA_OCI_LAYER "+gzip", MEDIA_OCI_LAYER "+zstd", MEDIA_DOCKER_LAYER,
	};
	for (size_t i = 0; i < sizeof supported / sizeof supported[0]; i++)
		if (strcmp(media_type, supported[i]) == 0)
			return 1;
	return 0;
}

void image_manifest_free(struct image_manifest *manifest)
{
	free(manifest->layers);
	manifest->layers = NULL;
	manifest->layer_count = 0;
}

int image_read_manifest(const char *layout, const struct image_descriptor *manifest_descriptor,
			struct image_manifest *out)
{
	const char *digest = manifest_descriptor->digest;
	struct image_manifest manifest = {0};

	json_t *document = load_json_blob(layout, manifest_descriptor);
	if (document == NULL)
		return -1;
	json_t *config = json_object_get(document, "config");
	json_t *layers = json_object_get(document, "layers");
	if (json_integer_value(json_object_get(document, "schemaVersion")) != 2 || config == NULL ||
	    !json_is_array(layers) || json_array_size(layers) == 0) {
		json_decref(document);
		return fail_msg("manifest %s: needs schemaVersion 2, a config and layers", digest);
	}
	if (descriptor_from_json(config, digest, &manifest.config) != 0) {
		json_decref(document);
		return -1;
	}
	manifest.layer_count = json_array_size(layers);
	manifest.layers = calloc(manifest.layer_count, sizeof *manifest.layers);
	if (manifest.layers == NULL) {
		json_decref(document);
		return fail_errno("manifest %s", digest);
	}
	for (size_t i = 0; i < manifest.layer_count; i++) {
		struct image_descriptor *layer = &manifest.layers[i];
		if (descriptor_from_json(json_array_get(layers, i), digest, layer) != 0) {
			json_decref(document);
			image_manifest_free(&manifest);
			return -1;
		}
		if (!layer_media_type_supported(layer->media_type)) {
			fail_msg("manifest %s: layer %s has media type %s, which this tool cannot unpack",
				 digest, layer->digest, layer->media_type);
			json_decref(document);
			image_manifest_free(&manifest);
			return -1;
		}
	}
	json_decref(document);

	/* The config is verified too, and must describe as many layers
	 * (its diff_ids are the digests of the uncompressed tarballs). */
	json_t *config_document = load_json_blob(layout, &manifest.config);
	if (config_document == NULL) {
		image_manifest_free(&manifest);
		return -1;
	}
	json_t *diff_ids = json_object_get(json_object_get(config_document, "rootfs"), "diff_ids");
	size_t diff_id_count = json_array_size(diff_ids);
	json_decref(config_document);
	if (diff_id_count != manifest.layer_count) {
		fail_msg("config %s: %zu diff_ids for %zu layers", manifest.config.digest, diff_id_count,
			 manifest.layer_count);
		image_manifest_free(&manifest);
		return -1;
	}
	*out = manifest;
	return 0;
}

// tag::entry-path[]
/* Refuse an entry whose path (its name, or the target of a hard link)
 * names something outside the layer directory. */
static int check_entry_path(const char *layer, const char *entry, const char *path)
{
	// BEGIN SOLUTION 06.5: unpack a layer safely, turning .wh.NAME into overlay whiteouts
	// HINT: refuse (fail_msg "layer L: entry E: escapes the layer directory") a path that is
	// HINT: absolute or has a ".." component: split it at '/' (or scan with strchr) and
	// HINT: compare each component with "..".
	if (path[0] == '/')
		return fail_msg("layer %s: entry %s: escapes the layer directory (%s is absolute)", layer,
				entry, path);
	for (const char *component = path; component != NULL;) {
		const char *slash = strchr(component, '/');
		size_t length = slash != NULL ? (size_t)(slash - component) : strlen(component);
		if (length == 2 && strncmp(component, "..", 2) == 0)
			return fail_msg("layer %s: entry %s: escapes the layer directory (%s has ..)", layer,
					entry, path);
		component = slash != NULL ? slash + 1 : NULL;
	}
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("06.5");
}
// end::entry-path[]

// tag::disk-writer[]
/* A libarchive writer that creates files on disk, relative to the
 * current directory, with the entries' owners, modes and times. */
static struct archive *new_disk_writer(void)
{
	struct archive *writer = archive_write_disk_new();
	if (writer == NULL) {
		errno = ENOMEM;
		fail_errno("archive_write_disk_new");
		return NULL;
	}
	/* Owners are kept as numbers: an image's uid 100 is not whoever is
	 * called that in this machine's /etc/passwd (so no
	 * archive_write_disk_set_standard_lookup). Extended attributes are
	 * not restored: a layer could otherwise plant trusted.overlay.*
	 * xattrs of its own. */
	int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_TIME;
	// BEGIN SOLUTION 06.5: unpack a layer safely, turning .wh.NAME into overlay whiteouts
	// HINT: add libarchive's three ARCHIVE_EXTRACT_SECURE_* flags: no ".." (NODOTDOT), no
	// HINT: absolute path (NOABSOLUTEPATHS), and no writing through a symbolic link that an
	// HINT: earlier entry made (SYMLINKS); and delete the stub's three lines.
	flags |= ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
		 ARCHIVE_EXTRACT_SECURE_SYMLINKS;
	// END SOLUTION
	// STUB: lab_todo("06.5");
	// STUB: archive_write_free(writer);
	// STUB: return NULL;
	if (archive_write_disk_set_options(writer, flags) != ARCHIVE_OK) {
		fail_msg("archive_write_disk_set_options: %s", archive_error_string(writer));
		archive_write_free(writer);
		return NULL;
	}
	return writer;
}
// end::disk-writer[]

/* Open the directory that holds path's last component, below root_fd,
 * creating missing directories and following no symbolic link: an
 * earlier entry could have made "etc" a link to the host's /etc.
 * Returns a directory fd and points *name at the last component. */
static int open_parent_beneath(int root_fd, const char *layer, const char *path, char *copy,
			       size_t copy_size, const char **name)
{
	if (strlen(path) >= copy_size) {
		errno = ENAMETOOLONG;
		return fail_errno("layer %s: entry %s", layer, path);
	}
	strcpy(copy, path);
	int directory = dup(root_fd);
	if (directory < 0)
		return fail_errno("dup");
	char *component = copy;
	char *slash;
	while ((slash = strchr(component, '/')) != NULL) {
		*slash = '\0';
		if (component[0] != '\0' && strcmp(component, ".") != 0) {
			if (mkdirat(directory, component, 0755) != 0 && errno != EEXIST) {
				fail_errno("layer %s: entry %s: create directory %s", layer, path, component);
				close(directory);
				return -1;
			}
			int next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next < 0) {
				fail_errno("layer %s: entry %s: open %s inside the layer (a symbolic link?)", layer,
					   path, component);
				close(directory);
				return -1;
			}
			close(directory);
			directory = next;
		}
		component = slash + 1;
	}
	*name = component;
	return directory;
}

// tag::whiteout[]
/* An OCI whiteout "DIR/.wh.NAME" says: NAME, from the layers below,
 * is deleted. overlayfs says the same with a character device 0/0. */
static int make_whiteout(int root_fd, const char *layer, const char *path)
{
	char copy[PATH_MAX];
	const char *whiteout_name;
	int directory = open_parent_beneath(root_fd, layer, path, copy, sizeof copy, &whiteout_name);
	if (directory < 0)
		return -1;
	const char *name = whiteout_name + strlen(WHITEOUT_PREFIX);
	int result = 0;
	if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		close(directory);
		return fail_msg("layer %s: entry %s: not a valid whiteout", layer, path);
	}
	// BEGIN SOLUTION 06.5: unpack a layer safely, turning .wh.NAME into overlay whiteouts
	// HINT: mknodat(2) in directory, for name (without the ".wh."), a character device
	// HINT: (S_IFCHR, mode 0) with device number makedev(0, 0). Report a failure with
	// HINT: fail_errno and set result to -1.
	if (mknodat(directory, name, S_IFCHR | 0000, makedev(0, 0)) != 0)
		result = fail_errno("layer %s: whiteout %s: mknod", layer, path);
	// END SOLUTION
	// STUB: result = lab_todo("06.5");
	close(directory);
	return result;
}
// end::whiteout[]

// tag::opaque[]
/* An OCI opaque marker "DIR/.wh..wh..opq" says: DIR hides everything the
 * layers below have in it. overlayfs reads that from an xattr on DIR. */
static int mark_opaque(int root_fd, const char *layer, const char *path)
{
	char copy[PATH_MAX];
	const char *marker;
	int directory = open_parent_beneath(root_fd, layer, path, copy, sizeof copy, &marker);
	if (directory < 0)
		return -1;
	int result = 0;
	// BEGIN SOLUTION 06.6: turn the opaque marker into trusted.overlay.opaque
	// HINT: fsetxattr(2) on directory: name "trusted.overlay.opaque", value "y" (1 byte),
	// HINT: flags 0. trusted.* xattrs need CAP_SYS_ADMIN. Report with fail_errno, result = -1.
	if (fsetxattr(directory, "trusted.overlay.opaque", "y", 1, 0) != 0)
		result = fail_errno("layer %s: opaque directory %s: set trusted.overlay.opaque", layer, path);
	// END SOLUTION
	// STUB: result = lab_todo("06.6");
	close(directory);
	return result;
}
// end::opaque[]

/* Copy one regular entry's data from the tarball to the disk writer. */
static int copy_entry_data(struct archive *reader, struct archive *writer, const char *layer,
			   const char *path)
{
	const void *block;
	size_t size;
	la_int64_t offset;
	int status;

	while ((status = archive_read_data_block(reader, &block, &size, &offset)) == ARCHIVE_OK)
		if (archive_write_data_block(writer, block, size, offset) != ARCHIVE_OK)
			return fail_msg("layer %s: entry %s: %s", layer, path, archive_error_string(writer));
	if (status != ARCHIVE_EOF)
		return fail_msg("layer %s: entry %s: %s", layer, path, archive_error_string(reader));
	return 0;
}

/* Unpack every entry; the current directory is the layer directory. */
static int unpack_entries(struct archive *reader, struct archive *writer, int root_fd, const char *layer)
{
	struct archive_entry *entry;
	int status;

	while ((status = archive_read_next_header(reader, &entry)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(entry);
		const char *hardlink = archive_entry_hardlink(entry);
		if (path == NULL)
			return fail_msg("layer %s: an entry without a name", layer);
		if (check_entry_path(layer, path, path) != 0 ||
		    (hardlink != NULL && check_entry_path(layer, path, hardlink) != 0))
			return -1;
		while (strncmp(path, "./", 2) == 0)
			path += 2;
		/* The layer's own top directory: keep ours. */
		if (path[0] == '\0' || strcmp(path, ".") == 0)
			continue;

		const char *base = strrchr(path, '/');
		base = base != NULL ? base + 1 : path;
		if (strncmp(base, WHITEOUT_PREFIX, strlen(WHITEOUT_PREFIX)) == 0) {
			int result;
			if (strcmp(base, OPAQUE_MARKER) == 0)
				result = mark_opaque(root_fd, layer, path);
			else if (strncmp(base, ".wh..wh.", strlen(".wh..wh.")) == 0)
				result = fail_msg("layer %s: entry %s: unknown special whiteout", layer, path);
			else
				result = make_whiteout(root_fd, layer, path);
			if (result != 0)
				return -1;
			continue;
		}
		/* Everything else is written by libarchive, whose SECURE
		 * flags check every entry again, symbolic links included. */
		if (archive_write_header(writer, entry) != ARCHIVE_OK)
			return fail_msg("layer %s: entry %s: %s", layer, path, archive_error_string(writer));
		if (archive_entry_size(entry) > 0 && copy_entry_data(reader, writer, layer, path) != 0)
			return -1;
		if (archive_write_finish_entry(writer) != ARCHIVE_OK)
			return fail_msg("layer %s: entry %s: %s", layer, path, archive_error_string(writer));
	}
	if (status != ARCHIVE_EOF)
		return fail_msg("layer %s: %s", layer, archive_error_string(reader));
	return 0;
}

// tag::unpack-layer[]
int image_unpack_layer(int blob_fd, const char *name, const char *dest)
{
	int result = -1;
	struct archive *writer = NULL;

	/* libarchive writes entries relative to the current directory, which
	 * is the only way its SECURE flags can judge them: enter dest for
	 * the time of the unpacking and come back to where we were. */
	int old_cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (old_cwd < 0)
		return fail_errno("open the current directory");
	if (chdir(dest) != 0) {
		fail_errno("enter layer directory %s", dest);
		close(old_cwd);
		return -1;
	}
	int root_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct archive *reader = archive_read_new();
	if (root_fd < 0 || reader == NULL) {
		fail_errno("layer %s: open %s", name, dest);
		goto out;
	}
	/* Any compression libarchive knows (gzip, zstd, none); tar only. */
	archive_read_support_filter_all(reader);
	archive_read_support_format_tar(reader);
	if (archive_read_open_fd(reader, blob_fd, 65536) != ARCHIVE_OK) {
		fail_msg("layer %s: %s", name, archive_error_string(reader));
		goto out;
	}
	writer = new_disk_writer();
	if (writer == NULL)
		goto out;
	result = unpack_entries(reader, writer, root_fd, name);
	/* Closing sets the directories' final modes and times. */
	if (archive_write_close(writer) != ARCHIVE_OK && result == 0)
		result = fail_msg("layer %s: %s", name, archive_error_string(writer));
out:
	if (writer != NULL)
		archive_write_free(writer);
	if (reader != NULL)
		archive_read_free(reader);
	if (root_fd >= 0)
		close(root_fd);
	if (fchdir(old_cwd) != 0 && result == 0)
		result = fail_errno("return to the previous directory");
	close(old_cwd);
	return result;
}
// end::unpack-layer[]

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	if (remove(path) != 0)
		warn_msg("remove %s: %s", path, strerror(errno));
	return 0;
}

/* Remove a directory tree we made: depth first, following no link,
 * staying on its filesystem. */
static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int image_unpack(const char *layout, const char *dest, size_t *layer_count)
{
	struct image_descriptor manifest_descriptor;
	struct image_manifest manifest = {0};
	char path[PATH_MAX];

	if (image_find_manifest(layout, &manifest_descriptor) != 0 ||
	    image_read_manifest(layout, &manifest_descriptor, &manifest) != 0)
		return -1;
	if (mkdir(dest, 0755) != 0) {
		fail_errno("create %s", dest);
		image_manifest_free(&manifest);
		return -1;
	}
	int result = 0;
	snprintf(path, sizeof path, "%s/layers", dest);
	if (mkdir(path, 0755) != 0)
		result = fail_errno("create %s", path);
	for (size_t i = 0; i < manifest.layer_count && result == 0; i++) {
		int n = snprintf(path, sizeof path, "%s/layers/%zu", dest, i);
		if (n < 0 || (size_t)n >= sizeof path) {
			errno = ENAMETOOLONG;
			result = fail_errno("create %s/layers/%zu", dest, i);
			break;
		}
		if (mkdir(path, 0755) != 0) {
			result = fail_errno("create %s", path);
			break;
		}
		/* Verified first, then unpacked from the same descriptor. */
		int fd = image_blob_open(layout, &manifest.layers[i]);
		if (fd < 0) {
			result = -1;
			break;
		}
		result = image_unpack_layer(fd, manifest.layers[i].digest, path);
		close(fd);
	}
	if (result == 0 && layer_count != NULL)
		*layer_count = manifest.layer_count;
	image_manifest_free(&manifest);
	if (result != 0)
		remove_tree(dest);
	return result;
}

void image_layer_dirs_free(char **dirs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(dirs[i]);
	free(dirs);
}

int image_layer_dirs(const char *dest, char ***dirs_out, size_t *count_out)
{
	char path[PATH_MAX];
	struct stat st;
	size_t count = 0;

	/* dest/layers/0, 1, 2... until one is missing. */
	for (;; count++) {
		snprintf(path, sizeof path, "%s/layers/%zu", dest, count);
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			break;
	}
	if (count == 0) {
		snprintf(path, sizeof path, "%s/layers/0", dest);
		errno = ENOENT;
		return fail_errno("unpacked image %s: no layer directory %s", dest, path);
	}
	char **dirs = calloc(count, sizeof *dirs);
	if (dirs == NULL)
		return fail_errno("layer directories of %s", dest);
	/* Bottom layer 0 goes last: overlayfs lists the top first. */
	for (size_t i = 0; i < count; i++) {
		if (asprintf(&dirs[i], "%s/layers/%zu", dest, count - 1 - i) < 0) {
			dirs[i] = NULL;
			image_layer_dirs_free(dirs, i);
			return fail_errno("layer directories of %s", dest);
		}
	}
	*dirs_out = dirs;
	*count_out = count;
	return 0;
}
