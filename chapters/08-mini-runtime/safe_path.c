/* safe_path.c: paths resolved inside a container's root (chapter 08).
 * Not an exercise. See safe_path.h for why.
 *
 * Read: openat2(2), path_resolution(7), symlink(7), open(2) (O_PATH),
 * readlinkat(2), statfs(2), proc(5).
 */
#include "safe_path.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

/* How deep the fallback walk may go, and how many symlinks it follows
 * (the kernel's own limit is 40). */
#define WALK_DEPTH_MAX 256
#define WALK_LINKS_MAX 40

/* ---------------------------------------------------------------- the walk
 * For kernels without openat2 (before 5.6), and for tests (the
 * environment variable MINIRUN_FORCE_PATH_WALK=1 uses it everywhere, so
 * the suite can check it on a new kernel too). */

struct walk {
	int fds[WALK_DEPTH_MAX]; /* fds[0] is the root; fds[depth-1] where we are */
	int depth;
};

static void walk_pop_to(struct walk *walk, int depth)
{
	while (walk->depth > depth)
		close(walk->fds[--walk->depth]);
}

/* Resolve path under root_fd one component at a time. create_dirs: make
 * missing directories on the way (mode). follow_last: resolve a symlink
 * in the last component too. Returns an O_PATH descriptor of what the
 * path names (directory or not), or -1 with errno set. */
static int walk_resolve(int root_fd, const char *path, bool create_dirs, mode_t mode,
			bool follow_last)
{
	char remaining[2 * PATH_MAX], name[NAME_MAX + 1], target[PATH_MAX];
	struct walk walk = {.depth = 0};
	int links = 0, result = -1, saved_errno;

	if (strlen(path) >= PATH_MAX)
		return errno = ENAMETOOLONG, -1;
	strcpy(remaining, path);
	walk.fds[0] = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (walk.fds[0] < 0)
		return -1;
	walk.depth = 1;

	char *cursor = remaining;
	while (true) {
		while (*cursor == '/')
			cursor++;
		if (*cursor == '\0')
			break;
		char *end = strchrnul(cursor, '/');
		size_t length = (size_t)(end - cursor);
		if (length > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(name, cursor, length);
		name[length] = '\0';
		cursor = end;
		const char *after = cursor;
		while (*after == '/')
			after++;
		bool last = *after == '\0';

		if (strcmp(name, ".") == 0)
			continue;
		/* ".." is our own stack, never the kernel's "..": at the root
		 * it stays at the root, and a directory moved out of the root
		 * meanwhile cannot take us with it. */
		if (strcmp(name, "..") == 0) {
			if (walk.depth > 1)
				walk_pop_to(&walk, walk.depth - 1);
			continue;
		}
		int here = walk.fds[walk.depth - 1];
		/* O_NOFOLLOW on every component: a symlink is opened as
		 * itself, and we decide where it leads. */
		int next = openat(here, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create_dirs) {
			if (mkdirat(here, name, mode) != 0 && errno != EEXIST)
				goto fail;
			next = openat(here, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0)
			goto fail;
		struct stat info;
		if (fstat(next, &info) != 0) {
			saved_errno = errno;
			close(next);
			errno = saved_errno;
			goto fail;
		}
		if (S_ISLNK(info.st_mode) && (!last || follow_last)) {
			ssize_t target_length = readlinkat(next, "", target, sizeof target - 1);
			saved_errno = errno;
			close(next);
			if (target_length < 0) {
				errno = saved_errno;
				goto fail;
			}
			if (target_length == 0 || ++links > WALK_LINKS_MAX) {
				errno = target_length == 0 ? ENOENT : ELOOP;
				goto fail;
			}
			/* The link's text takes the place of its name: what is
			 * left becomes TARGET/REST. An absolute target starts
			 * again at the root, not at the host's "/". */
			size_t rest = strlen(cursor);
			if ((size_t)target_length + 1 + rest >= sizeof remaining) {
				errno = ENAMETOOLONG;
				goto fail;
			}
			memmove(remaining + target_length + 1, cursor, rest + 1);
			memcpy(remaining, target, (size_t)target_length);
			remaining[target_length] = '/';
			cursor = remaining;
			if (target[0] == '/')
				walk_pop_to(&walk, 1);
			continue;
		}
		if (S_ISDIR(info.st_mode)) {
			if (walk.depth == WALK_DEPTH_MAX) {
				close(next);
				errno = ENAMETOOLONG;
				goto fail;
			}
			walk.fds[walk.depth++] = next;
			continue;
		}
		/* A file (or the last symlink itself, with follow_last off):
		 * only the last component may be one. */
		if (!last) {
			close(next);
			errno = ENOTDIR;
			goto fail;
		}
		walk_pop_to(&walk, 0);
		return next;
	}
	/* The path named a directory: hand over the top of the stack. */
	result = walk.fds[--walk.depth];
	walk_pop_to(&walk, 0);
	return result;
fail:
	saved_errno = errno;
	walk_pop_to(&walk, 0);
	errno = saved_errno;
	return -1;
}

static bool walk_forced(void)
{
	const char *value = getenv("MINIRUN_FORCE_PATH_WALK");
	return value != NULL && strcmp(value, "1") == 0;
}

/* ---------------------------------------------------------------- the API */

void safe_path_fd_path(int fd, char *buffer, size_t size)
{
	snprintf(buffer, size, "/proc/self/fd/%d", fd);
}

// tag::open-in-root[]
int safe_path_open(int root_fd, const char *path, int flags)
{
	static bool have_openat2 = true;

	if (flags & O_CREAT)
		return errno = EINVAL, -1;
	if (have_openat2 && !walk_forced()) {
		/* The kernel resolves path as if root_fd were "/", and
		 * refuses /proc/PID/fd/N links that could point anywhere. */
		struct open_how how = {
			.flags = (unsigned long long)(flags | O_CLOEXEC),
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};
		for (int tries = 0; tries < 16; tries++) {
			long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof how);
			if (fd >= 0)
				return (int)fd;
			/* EAGAIN: a rename or mount raced the lookup; again. */
			if (errno != EAGAIN)
				break;
		}
		if (errno != ENOSYS)
			return -1;
		have_openat2 = false; /* a kernel before 5.6: walk from now on */
	}
	int fd = walk_resolve(root_fd, path, false, 0, !(flags & O_NOFOLLOW));
	if (fd < 0)
		return -1;
	struct stat info;
	if ((flags & O_DIRECTORY) && (fstat(fd, &info) != 0 || !S_ISDIR(info.st_mode))) {
		close(fd);
		return errno = ENOTDIR, -1;
	}
	if (flags & O_PATH)
		return fd;
	/* Asked for more than O_PATH: reopen exactly that file through
	 * its descriptor (this needs a procfs at /proc). */
	char fd_path[SAFE_PATH_FD_PATH_MAX];
	safe_path_fd_path(fd, fd_path, sizeof fd_path);
	int opened = open(fd_path, (flags & ~O_NOFOLLOW) | O_CLOEXEC);
	int saved_errno = errno;
	close(fd);
	errno = saved_errno;
	return opened;
}
// end::open-in-root[]

int safe_path_mkdir_all(int root_fd, const char *path, mode_t mode)
{
	int fd = walk_resolve(root_fd, path, true, mode, true);
	if (fd < 0)
		return fail_errno("make directory %s in the container's root", path);
	struct stat info;
	if (fstat(fd, &info) != 0 || !S_ISDIR(info.st_mode)) {
		close(fd);
		errno = ENOTDIR;
		return fail_errno("make directory %s in the container's root", path);
	}
	return fd;
}

int safe_path_create_file(int root_fd, const char *path, mode_t mode)
{
	char parent[PATH_MAX];

	if (snprintf(parent, sizeof parent, "%s", path) >= (int)sizeof parent) {
		errno = ENAMETOOLONG;
		return fail_errno("make mount point %s", path);
	}
	/* Split off the last name (ignoring trailing slashes). */
	size_t length = strlen(parent);
	while (length > 1 && parent[length - 1] == '/')
		parent[--length] = '\0';
	char *slash = strrchr(parent, '/');
	const char *name = slash != NULL ? slash + 1 : parent;
	char name_copy[NAME_MAX + 1];
	if (strlen(name) > NAME_MAX) {
		errno = ENAMETOOLONG;
		return fail_errno("make mount point %s", path);
	}
	strcpy(name_copy, name);
	if (slash != NULL)
		slash[1] = '\0';
	else
		strcpy(parent, ".");
	if (name_copy[0] == '\0' || strcmp(name_copy, ".") == 0 || strcmp(name_copy, "..") == 0) {
		int fd = safe_path_open(root_fd, path, O_PATH);
		return fd >= 0 ? fd : fail_errno("open %s in the container's root", path);
	}

	int parent_fd = safe_path_mkdir_all(root_fd, parent, 0755);
	if (parent_fd < 0)
		return -1;
	/* O_EXCL never follows a link and never opens what exists: not a
	 * planted symlink, not a fifo that would block us. */
	int fd = openat(parent_fd, name_copy, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			mode);
	int saved_errno = errno;
	close(parent_fd);
	if (fd >= 0) {
		close(fd);
	} else if (saved_errno != EEXIST) {
		errno = saved_errno;
		return fail_errno("make mount point %s in the container's root", path);
	}
	/* What is there now (ours, or what the image had, a symlink
	 * resolved inside the root), held by a descriptor. */
	fd = safe_path_open(root_fd, path, O_PATH);
	if (fd < 0)
		return fail_errno("open %s in the container's root", path);
	return fd;
}

int safe_path_mount(const char *source, int target_fd, const char *destination,
		    const char *fstype, unsigned long flags, const void *data)
{
	char target[SAFE_PATH_FD_PATH_MAX];

	/* /proc/self/fd/N is a magic link: mount(2) follows it to the very
	 * dentry the descriptor holds, whatever the path says now. */
	safe_path_fd_path(target_fd, target, sizeof target);
	if (mount(source, target, fstype, flags, data) == 0)
		return 0;
	if (flags & MS_REMOUNT)
		return fail_errno("remount %s", destination);
	if (flags & MS_BIND)
		return fail_errno("bind-mount %s on %s", source, destination);
	return fail_errno("mount %s on %s", fstype != NULL ? fstype : source, destination);
}

unsigned long safe_path_mount_flags(int fd)
{
	struct statvfs info;
	unsigned long flags = 0;

	if (fstatvfs(fd, &info) != 0)
		return 0;
	if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
	if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
	if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
	if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
	if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
	if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
	return flags;
}

int safe_path_check_fs_type(int fd, long magic, const char *what)
{
	struct statfs info;

	if (fstatfs(fd, &info) != 0)
		return fail_errno("statfs %s", what);
	if ((long)info.f_type != magic) {
		errno = EXDEV;
		return fail_msg("%s is not the file system it should be (type 0x%lx, expected 0x%lx): refusing to use it",
				what, (unsigned long)info.f_type, (unsigned long)magic);
	}
	return 0;
}

int safe_path_check_dev_null(int fd, const char *what)
{
	struct stat info;

	if (fstat(fd, &info) != 0)
		return fail_errno("stat %s", what);
	if (!S_ISCHR(info.st_mode) || major(info.st_rdev) != 1 || minor(info.st_rdev) != 3) {
		errno = EPERM;
		return fail_msg("%s is not the null device (1:3): refusing to use it", what);
	}
	return 0;
}
