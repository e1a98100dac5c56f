/* container_paths.c: masked and read-only paths, the cwd and the checks
 * of mounted file systems, all resolved inside the container's root
 * (chapter 08). Not an exercise. See container_paths.h.
 *
 * Read: safe_path.h, mount(2), statfs(2), proc(5).
 */
#include "container_paths.h"
#include "safe_path.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

int container_null_device_open(void)
{
	/* The host's /dev/null, opened before pivot_root and checked: the
	 * container's own /dev/null may be anything the image put there (a
	 * regular file, or a link to a file that masking would then expose,
	 * writable, over /proc/keys: runc's CVE-2025-31133). */
	int fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("open the host's /dev/null");
	if (safe_path_check_dev_null(fd, "the host's /dev/null") != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reopen what path names now, inside the root: after a mount on it, an
 * older descriptor still holds the covered file, and a remount or a
 * check must reach the new mount on top. */
static int reopen_in_root(int root_fd, const char *path)
{
	int fd = safe_path_open(root_fd, path, O_PATH);
	if (fd < 0)
		return fail_errno("open %s in the container's root", path);
	return fd;
}

int container_mounted_fs_check(int root_fd, const char *destination, long magic)
{
	int fd = reopen_in_root(root_fd, destination);
	if (fd < 0)
		return -1;
	int result = safe_path_check_fs_type(fd, magic, destination);
	close(fd);
	return result;
}

static int mask_one(int root_fd, const char *path, const char *null_source)
{
	/* Inside the root, never through a link out of it. What does not
	 * exist needs no mask. */
	int fd = safe_path_open(root_fd, path, O_PATH);
	if (fd < 0)
		return errno == ENOENT ? 0 : fail_errno("mask %s", path);
	struct stat info;
	int result;
	if (fstat(fd, &info) != 0)
		result = fail_errno("mask %s", path);
	else if (S_ISDIR(info.st_mode))
		/* Read-only and empty: no other flag needed (as runc and
		 * crun, and chapter 07's paths_mask). */
		result = safe_path_mount("tmpfs", fd, path, "tmpfs", MS_RDONLY, "size=0");
	else
		result = safe_path_mount(null_source, fd, path, NULL, MS_BIND, NULL);
	close(fd);
	return result;
}

static int make_readonly_one(int root_fd, const char *path)
{
	char self[SAFE_PATH_FD_PATH_MAX];
	int fd = safe_path_open(root_fd, path, O_PATH);

	if (fd < 0)
		return errno == ENOENT ? 0 : fail_errno("make %s read-only", path);
	/* Bound onto itself it becomes a mount of its own... */
	safe_path_fd_path(fd, self, sizeof self);
	int result = safe_path_mount(self, fd, path, NULL, MS_BIND | MS_REC, NULL);
	close(fd);
	if (result != 0)
		return -1;
	/* ...which the remount must reach: reopen the path. Its other
	 * flags (nosuid, nodev, noexec) are kept. */
	if ((fd = reopen_in_root(root_fd, path)) < 0)
		return -1;
	result = safe_path_mount(NULL, fd, path, NULL,
				 MS_REMOUNT | MS_BIND | MS_RDONLY | safe_path_mount_flags(fd), NULL);
	close(fd);
	return result;
}

// tag::protect[]
int container_paths_mask(const char *root, const struct oci_config *config, int null_fd)
{
	char null_source[SAFE_PATH_FD_PATH_MAX];
	int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root_fd < 0)
		return fail_errno("open %s", root);
	safe_path_fd_path(null_fd, null_source, sizeof null_source);
	int result = 0;
	for (size_t i = 0; i < config->masked_path_count && result == 0; i++)
		result = mask_one(root_fd, config->masked_paths[i], null_source);
	close(root_fd);
	return result;
}

int container_paths_make_readonly(const char *root, const struct oci_config *config)
{
	struct statfs proc;

	if (config->readonly_path_count == 0)
		return 0;
	/* Mounting through /proc/self/fd/N needs a procfs at /proc. After
	 * pivot_root without one, plain paths are as safe: there is no
	 * host left for a link to lead to. */
	if (strcmp(root, "/") == 0 && (statfs("/proc", &proc) != 0 || proc.f_type != PROC_SUPER_MAGIC)) {
		for (size_t i = 0; i < config->readonly_path_count; i++)
			if (paths_make_readonly("", config->readonly_paths[i]) != 0)
				return -1;
		return 0;
	}
	int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return fail_errno("open %s", root);
	int result = 0;
	for (size_t i = 0; i < config->readonly_path_count && result == 0; i++)
		result = make_readonly_one(root_fd, config->readonly_paths[i]);
	close(root_fd);
	return result;
}
// end::protect[]

int container_chdir(const char *cwd)
{
	/* After pivot_root "/" is the container's root; resolving inside it
	 * anyway, and fchdir to the descriptor, keeps the one rule in one
	 * place: no path of the container leads out of it. */
	int root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return fail_errno("open /");
	int fd = safe_path_open(root_fd, cwd, O_PATH | O_DIRECTORY);
	int saved_errno = errno;
	close(root_fd);
	if (fd < 0) {
		errno = saved_errno;
		return fail_errno("chdir %s (process.cwd)", cwd);
	}
	int result = fchdir(fd);
	saved_errno = errno;
	close(fd);
	if (result != 0) {
		errno = saved_errno;
		return fail_errno("chdir %s (process.cwd)", cwd);
	}
	return 0;
}

int container_oom_score_adj_set(pid_t pid, const struct oci_process *process)
{
	char path[64], text[32];

	if (!process->has_oom_score_adj)
		return 0;
	/* Written by the runtime, through the host's /proc, for the process
	 * it spawned: never by that process into whatever /proc its root
	 * has (an image may bring a fake one that swallows the write). */
	snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)pid);
	snprintf(text, sizeof text, "%d", process->oom_score_adj);
	return write_file(path, text);
}
