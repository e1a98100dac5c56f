/* paths.c: masked and read-only paths (chapter 07, exercises 07.6-07.7).
 *
 * A new PID namespace does not make /proc harmless: /proc/kcore is the
 * host's memory, /proc/keys the host's keys, /proc/sysrq-trigger reboots
 * the machine, /proc/sys its settings. A runtime hides the first kind
 * (masks) and makes the second read-only, with bind mounts.
 *
 * Read: mount(2) (MS_BIND, MS_REMOUNT, MS_RDONLY), statvfs(3) (ST_*
 * flags), the OCI runtime spec config-linux.md ("Masked Paths",
 * "Readonly Paths").
 */
#include "security.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

/* root + path, without a doubled '/'. */
static int join(const char *root, const char *path, char *out, size_t size)
{
	size_t root_length = strlen(root);
	while (root_length > 0 && root[root_length - 1] == '/')
		root_length--;
	if ((size_t)snprintf(out, size, "%.*s%s", (int)root_length, root, path) >= size)
		return fail_msg("path %s%s: too long", root, path);
	return 0;
}

// tag::mask[]
int paths_mask(const char *root, const char *path)
{
	char target[4096];
	struct stat st;

	if (join(root, path, target, sizeof target) != 0)
		return -1;
	/* lstat: a symlink planted by the image must not redirect our
	 * mount elsewhere; we only mask what is really there. */
	if (lstat(target, &st) != 0)
		return errno == ENOENT ? 0 : fail_errno("mask %s", target);
	// BEGIN SOLUTION 07.6: mask a path
	// HINT: a directory gets an empty tmpfs, mounted read-only (MS_RDONLY) with source "tmpfs";
	// HINT: anything else gets /dev/null bind-mounted over it (MS_BIND): reads see nothing.
	if (S_ISDIR(st.st_mode)) {
		/* Read-only and empty: nothing in it to run or open, so
		 * no other flag is needed (runc and crun add none either). */
		if (mount("tmpfs", target, "tmpfs", MS_RDONLY, "size=0") != 0)
			return fail_errno("mask %s (mount an empty read-only tmpfs)", target);
	} else {
		if (mount("/dev/null", target, NULL, MS_BIND, NULL) != 0)
			return fail_errno("mask %s (bind /dev/null)", target);
	}
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("07.6");
}
// end::mask[]

// tag::readonly[]
int paths_make_readonly(const char *root, const char *path)
{
	char target[4096];
	struct stat st;
	struct statvfs fs;

	if (join(root, path, target, sizeof target) != 0)
		return -1;
	if (lstat(target, &st) != 0)
		return errno == ENOENT ? 0 : fail_errno("make %s read-only", target);
	// BEGIN SOLUTION 07.7: make a path read-only
	// HINT: bind-mount target onto itself (MS_BIND | MS_REC) so it becomes a mount of its own,
	// HINT: then mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | flags, NULL) where
	// HINT: flags keeps its nosuid/nodev/noexec (statvfs f_flag ST_NOSUID -> MS_NOSUID, ...).
	/* A bind mount of the path onto itself gives it its own mount, whose
	 * flags we can change without touching the rest of /proc. */
	if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) != 0)
		return fail_errno("make %s read-only (bind it onto itself)", target);
	/* A remount replaces the flags: keep the ones it had. Inside a user
	 * namespace dropping a "locked" nosuid/nodev/noexec is refused. */
	if (statvfs(target, &fs) != 0)
		return fail_errno("make %s read-only (statvfs)", target);
	unsigned long keep = (fs.f_flag & ST_NOSUID ? MS_NOSUID : 0) |
			     (fs.f_flag & ST_NODEV ? MS_NODEV : 0) |
			     (fs.f_flag & ST_NOEXEC ? MS_NOEXEC : 0);
	if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) != 0)
		return fail_errno("make %s read-only (remount)", target);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("07.7");
}
// end::readonly[]
