/* container_paths.h: the container's paths, hardened (chapter 08): masked
 * and read-only paths, the cwd, /proc and /sys checks, oomScoreAdj from
 * outside. Built on safe_path.h: every path is resolved inside the
 * container's root, never through a symlink out of it.
 *
 * Read: safe_path.h, proc(5) (oom_score_adj), statfs(2), the OCI
 * config-linux.md "Masked Paths" and "Readonly Paths", runc's
 * CVE-2019-16884 and CVE-2025-31133 advisories.
 */
#ifndef LAB_CONTAINER_PATHS_H
#define LAB_CONTAINER_PATHS_H

#include "oci_config.h"

#include <sys/types.h>

/* The host's /dev/null as an O_PATH descriptor, checked to be the null
 * device (1:3): what masking binds, instead of the container's own
 * /dev/null, which the image controls. Before pivot_root. Returns the
 * descriptor, or -1 after one line. */
int container_null_device_open(void);

/* linux.maskedPaths: a read-only empty tmpfs on a directory, null_fd
 * bound on anything else, each path resolved inside root (the root path
 * before pivot_root, "/" after) without following a symlink out of it;
 * a path that does not exist is skipped. Needs CAP_SYS_ADMIN and a
 * procfs at /proc. Returns 0, or -1 after one line. */
int container_paths_mask(const char *root, const struct oci_config *config, int null_fd);

/* linux.readonlyPaths: each bound onto itself and remounted read-only
 * (keeping nosuid, nodev, noexec), resolved inside root as above;
 * missing ones are skipped. After linux.sysctl is written (it makes
 * /proc/sys read-only). Returns 0, or -1 after one line. */
int container_paths_make_readonly(const char *root, const struct oci_config *config);

/* Is destination, resolved inside root_fd, on a file system of this
 * type (PROC_SUPER_MAGIC, SYSFS_MAGIC, ...)? Checked after mounting it
 * and before writing into it or mounting over it. Returns 0, or -1 after
 * one line. */
int container_mounted_fs_check(int root_fd, const char *destination, long magic);

/* chdir to cwd resolved inside the current root (after pivot_root, or
 * in a joined mount namespace). Returns 0, or -1 after one line. */
int container_chdir(const char *cwd);

/* Write process->oomScoreAdj (if any) into /proc/PID/oom_score_adj on
 * the host's /proc: done by the runtime for the process it spawned,
 * before releasing it. Returns 0, or -1 after one line. */
int container_oom_score_adj_set(pid_t pid, const struct oci_process *process);

#endif
