/* safe_path.h: open, create and mount paths INSIDE a container's root
 * without ever following a symlink out of it (chapter 08, hardening).
 *
 * A rootfs is data the runtime does not trust: an image may plant
 * /proc -> /etc or /mnt -> ../../../../tmp so that a mount, a mkdir or
 * a write the runtime does "in the container" lands on the host. Joining
 * strings (root + "/" + destination) and then calling mount(2) follows
 * those links on the host. Here every path is resolved as if the root
 * were "/": an absolute symlink restarts at the root, ".." stops at the
 * root. The result is a file descriptor, and everything after the check
 * works on that descriptor (mount through /proc/self/fd/N, fstatfs,
 * fchdir), so a symlink swapped in after the check changes nothing.
 *
 * How: openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS (Linux
 * 5.6). On older kernels (ENOSYS) the same walk is done here, one
 * component at a time with O_PATH | O_NOFOLLOW, reading each symlink
 * and resolving it against the root ourselves; ".." pops the walk's own
 * stack of directories, so a directory renamed out of the root during
 * the walk cannot lead it out either. MINIRUN_FORCE_PATH_WALK=1 in the
 * environment uses the walk on any kernel (tests/09-hardening.bats
 * checks it that way).
 *
 * These functions need nothing but the root's descriptor; the mount
 * helpers need CAP_SYS_ADMIN and a procfs at /proc (the host's, before
 * pivot_root, or the container's).
 *
 * Read: openat2(2), path_resolution(7), symlink(7), open(2) (O_PATH,
 * O_NOFOLLOW), readlinkat(2) (empty path), statfs(2), proc(5)
 * (/proc/self/fd), runc's CVE-2019-19921, CVE-2021-30465 and
 * CVE-2025-31133 advisories.
 */
#ifndef LAB_SAFE_PATH_H
#define LAB_SAFE_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* "/proc/self/fd/N": a path naming exactly what descriptor N is. */
#define SAFE_PATH_FD_PATH_MAX 32

/* Open path inside the directory root_fd, as if root_fd were "/":
 * symlinks (absolute or relative) and ".." never leave it, magic links
 * (/proc/PID/fd/N) are refused. flags: O_PATH, O_DIRECTORY, O_NOFOLLOW
 * (the last component itself if it is a symlink), O_RDONLY, ... (no
 * O_CREAT). Returns an O_CLOEXEC descriptor, or -1 with errno set;
 * prints nothing (a caller may expect ENOENT). */
int safe_path_open(int root_fd, const char *path, int flags);

/* mkdir -p path inside root_fd: each missing directory is made (mode)
 * in the directory the walk resolved, never through a symlink out of
 * the root (a dangling link is created inside the root). Returns an
 * O_PATH descriptor of the directory, or -1 after one line. */
int safe_path_mkdir_all(int root_fd, const char *path, mode_t mode);

/* A mount point for a bind mount of a file: the directories above path
 * are made as safe_path_mkdir_all does, and path itself, if missing, is
 * created as an empty regular file (O_EXCL, never opened through a
 * link, never opened for writing if it exists: a fifo cannot block us).
 * Returns an O_PATH descriptor of it, or -1 after one line. */
int safe_path_create_file(int root_fd, const char *path, mode_t mode);

/* Write "/proc/self/fd/N" for fd into buffer (SAFE_PATH_FD_PATH_MAX):
 * the path mount(2) and friends follow to exactly the file fd holds. */
void safe_path_fd_path(int fd, char *buffer, size_t size);

/* mount(2) onto the file target_fd holds (through /proc/self/fd/N): the
 * target was resolved inside the root once, and cannot be swapped for a
 * symlink afterwards. destination names it in the error line. Returns 0,
 * or -1 after one line. */
int safe_path_mount(const char *source, int target_fd, const char *destination,
		    const char *fstype, unsigned long flags, const void *data);

/* The MS_* flags (nosuid, nodev, noexec, noatime, ...) of the mount the
 * file fd holds is on, which a remount must repeat (a remount without
 * nosuid of a nosuid mount is refused in a user namespace, and would
 * weaken it otherwise). 0 if they cannot be read. */
unsigned long safe_path_mount_flags(int fd);

/* Is the file fd holds on a file system of this type (statfs(2)'s
 * f_type: PROC_SUPER_MAGIC, SYSFS_MAGIC, TMPFS_MAGIC, ...)? what names
 * it in the error line. Returns 0, or -1 after one line ("/proc in the
 * container is not a procfs (it is 0x...)"). */
int safe_path_check_fs_type(int fd, long magic, const char *what);

/* Is the file fd holds the null character device (1:3)? The runtime
 * checks before binding it over masked paths: a /dev/null replaced by a
 * regular file or a link to a host file would expose that file instead
 * of hiding one. Returns 0, or -1 after one line. */
int safe_path_check_dev_null(int fd, const char *what);

#endif
