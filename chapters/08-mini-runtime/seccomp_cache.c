/* seccomp_cache: linux.seccomp compiled to BPF once, kept in
 * CONTAINER_SECCOMP_CACHE (/run/minirun-seccomp) for the next container
 * with the same profile (chapter 08). Not an exercise.
 *
 * Why: libseccomp builds podman's default profile (some 400 rules) in
 * about 4 ms and compiles it to BPF in about 9 ms: three quarters of a
 * whole container's lifecycle. The program depends only on the profile,
 * the libseccomp that compiled it, the kernel API level it saw, the
 * native architecture and the runtime's own translation of the profile
 * (chapter 07): all of that goes into the cache key, a SHA-256, so a
 * cached program is only ever reused for the very input that made it.
 *
 * The cache is an optimisation, never a requirement: a missing, short,
 * odd or unreadable entry means compiling as before; a failure to write
 * one is silent. Entries are written to a temporary name and renamed,
 * so a reader sees a whole program or none. The directory is root's
 * (0700), like the state root: whoever can write there can already
 * rewrite every container's state. It is not in the state root, where
 * every entry is a container (and `delete` leaves the root empty), and
 * on a tmpfs /run it goes at reboot with the kernel that shaped it.
 *
 * Read: seccomp_export_bpf(3), seccomp_version(3), seccomp_api_get(3),
 * nettle's manual ("Recommended hash functions": sha256), rename(2) (atomic replacement), openat(2) O_NOFOLLOW.
 */
#include "container.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <link.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bump when the entry format or the translation's meaning changes. */
#define SECCOMP_CACHE_FORMAT "minirun seccomp cache 1"

/* The GNU build ID of the running program (the linker's hash of what
 * went into it), from its own PT_NOTE segments in memory. */
struct build_id {
	char hex[2 * 64 + 1];
};

static int build_id_of_program(struct dl_phdr_info *info, size_t size, void *data)
{
	struct build_id *id = data;
	(void)size;
	/* The first object dl_iterate_phdr reports is the program itself. */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
		if (segment->p_type != PT_NOTE)
			continue;
		const char *note = (const char *)(info->dlpi_addr + segment->p_vaddr);
		const char *end = note + segment->p_memsz;
		while (note + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *header = (const ElfW(Nhdr) *)note;
			const char *name = note + sizeof *header;
			const unsigned char *desc = (const unsigned char *)name + ((header->n_namesz + 3) & ~3U);
			if (header->n_type == NT_GNU_BUILD_ID && header->n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0 && header->n_descsz <= 64) {
				for (unsigned int b = 0; b < header->n_descsz; b++)
					snprintf(id->hex + 2 * b, 3, "%02x", desc[b]);
				return 1;
			}
			note = (const char *)desc + ((header->n_descsz + 3) & ~3U);
		}
	}
	return 1;
}

/* The hex SHA-256 of everything the compiled program depends on.
 * Returns 0, or -1 (no cache for this profile, silently). */
static int seccomp_cache_key(const json_t *profile, char hex[2 * SHA256_DIGEST_SIZE + 1])
{
	/* Sorted keys, no spaces: the same profile gives the same text,
	 * however the client laid out its JSON. */
	char *canonical = json_dumps(profile, JSON_COMPACT | JSON_SORT_KEYS);
	if (canonical == NULL)
		return -1;
	/* The runtime's own binary stands for chapter 07's translation of
	 * the profile: rebuilt, it may translate differently. Its build ID
	 * says which build it is; the file's identity cannot, since minirun
	 * runs from a fresh sealed copy of itself each time (self_clone.c).
	 * Without a build ID, that identity (no cache across runs). */
	struct build_id build = {""};
	dl_iterate_phdr(build_id_of_program, &build);
	struct stat self = {0};
	if (build.hex[0] == '\0')
		stat("/proc/self/exe", &self);
	const struct scmp_version *version = seccomp_version();
	char context[512];
	snprintf(context, sizeof context, "%s\nlibseccomp %u.%u.%u api %u arch %u\nexe %s %llu:%llu:%lld:%lld.%ld\n",
		 SECCOMP_CACHE_FORMAT, version->major, version->minor, version->micro,
		 seccomp_api_get(), seccomp_arch_native(), build.hex, (unsigned long long)self.st_dev,
		 (unsigned long long)self.st_ino, (long long)self.st_size,
		 (long long)self.st_mtim.tv_sec, self.st_mtim.tv_nsec);

	/* nettle, not libcrypto: the same SHA-256, but a 300 KiB library
	 * instead of 4.5 MiB whose loading doubled minirun's peak RSS. */
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx hash;
	sha256_init(&hash);
	sha256_update(&hash, strlen(context), (const uint8_t *)context);
	sha256_update(&hash, strlen(canonical), (const uint8_t *)canonical);
	sha256_digest(&hash, sizeof digest, digest);
	free(canonical);
	for (unsigned int i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

/* A cached program, checked to be one: a regular file whose size is a
 * whole number of instructions, at most BPF_MAXINSNS. Returns 0 with
 * *program filled, or -1 (not cached, or not usable: compile). */
static int seccomp_cache_read(const char *path, struct sock_fprog *program)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	struct stat info;
	struct sock_filter *filter = NULL;
	if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size <= 0 ||
	    info.st_size % (off_t)sizeof(struct sock_filter) != 0 ||
	    info.st_size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
		goto fail;
	filter = malloc((size_t)info.st_size);
	if (filter == NULL || read(fd, filter, (size_t)info.st_size) != info.st_size)
		goto fail;
	close(fd);
	program->filter = filter;
	program->len = (unsigned short)(info.st_size / (off_t)sizeof(struct sock_filter));
	return 0;
fail:
	free(filter);
	close(fd);
	return -1;
}

/* Keep *program for the next container: written whole to a temporary
 * name, then renamed over the entry. Any failure leaves no file and no
 * message: the next container compiles again. */
static void seccomp_cache_write(const char *directory, const char *hex, const struct sock_fprog *program)
{
	char path[PATH_MAX], temporary[PATH_MAX];
	if (mkdir(directory, 0700) != 0 && errno != EEXIST)
		return;
	if (snprintf(path, sizeof path, "%s/%s.bpf", directory, hex) >= (int)sizeof path ||
	    snprintf(temporary, sizeof temporary, "%s/.%s.%d.tmp", directory, hex, (int)getpid()) >=
		    (int)sizeof temporary)
		return;
	int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	size_t size = program->len * sizeof(struct sock_filter);
	bool written = write(fd, program->filter, size) == (ssize_t)size;
	if (close(fd) != 0 || !written || rename(temporary, path) != 0)
		unlink(temporary);
}

/* A cached program becomes the container's filter: the cache directory
 * is used only if no one but us can write in it (ours, not a symlink,
 * not writable by group or others), as the state tree. Missing is fine:
 * seccomp_cache_write makes it, 0700. */
static bool seccomp_cache_directory_trusted(const char *directory)
{
	struct stat info;
	if (lstat(directory, &info) != 0)
		return errno == ENOENT;
	return S_ISDIR(info.st_mode) && info.st_uid == geteuid() && !(info.st_mode & (S_IWGRP | S_IWOTH));
}

int container_seccomp_program(const json_t *profile, const char *source, const char *cache_directory,
			      struct sock_fprog *program)
{
	*program = (struct sock_fprog){0};
	char hex[2 * SHA256_DIGEST_SIZE + 1], path[PATH_MAX];
	bool cacheable = cache_directory != NULL && seccomp_cache_directory_trusted(cache_directory) &&
			 seccomp_cache_key(profile, hex) == 0 &&
			 snprintf(path, sizeof path, "%s/%s.bpf", cache_directory, hex) < (int)sizeof path;
	if (cacheable && seccomp_cache_read(path, program) == 0)
		return 0;
	scmp_filter_ctx filter = seccomp_filter_from_oci(profile, source);
	if (filter == NULL || container_seccomp_compile(filter, program) != 0)
		return -1;
	if (cacheable)
		seccomp_cache_write(cache_directory, hex, program);
	return 0;
}
