/* overlay.c: stack directories into one with overlayfs, take the stack
 * down again, and read back what a container changed (chapter 06).
 *
 * Read: mount(2), umount(2), scandir(3), lgetxattr(2), and the kernel's
 * Documentation/filesystems/overlayfs.rst ("Multiple lower layers",
 * "whiteouts and opaque directories").
 */
#include "overlay.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Append text to the options being built in buf, whose size is limit.
 * Returns 0, or -1 (nothing reported) when it does not fit. */
static int append_text(char *buf, size_t limit, size_t *used, const char *text)
{
	size_t length = strlen(text);
	if (*used + length + 1 > limit)
		return -1;
	memcpy(buf + *used, text, length + 1);
	*used += length;
	return 0;
}

// tag::mount-options[]
int overlay_mount_options(const struct overlay_spec *spec, char *buf, size_t size)
{
	// BEGIN SOLUTION 06.1: build the overlay mount options, refusing option syntax in paths
	// HINT: the result is "lowerdir=TOP:...:BOTTOM,upperdir=U,workdir=W" (no upperdir/workdir
	// HINT: when spec->upper is NULL). The kernel splits the string at ',' and lowerdir at ':',
	// HINT: with '\\' as escape: refuse (fail_msg, return -1) any path containing one of them
	// HINT: (strpbrk), and options that do not fit in min(size, the page size) with the NUL.
	if (spec->lower_count == 0)
		return fail_msg("overlay: at least one lower directory is needed");
	if (spec->lower_count > OVERLAY_MAX_LOWERS)
		return fail_msg("overlay: %zu lower directories, overlayfs stacks at most %d",
				spec->lower_count, OVERLAY_MAX_LOWERS);
	if ((spec->upper == NULL) != (spec->work == NULL))
		return fail_msg("overlay: an upper directory needs a work directory, and the reverse");

	/* The paths travel inside one string that the kernel splits at ','
	 * (between options) and ':' (between lowers), with '\' escaping. A
	 * lower named "x,upperdir=/etc" would otherwise add an option of
	 * its choosing: refuse such a path rather than trust an escape. */
	const char *roles[OVERLAY_MAX_LOWERS + 2];
	const char *paths[OVERLAY_MAX_LOWERS + 2];
	size_t count = 0;
	for (size_t i = 0; i < spec->lower_count; i++, count++) {
		roles[count] = "lowerdir";
		paths[count] = spec->lowers[i];
	}
	if (spec->upper != NULL) {
		roles[count] = "upperdir", paths[count++] = spec->upper;
		roles[count] = "workdir", paths[count++] = spec->work;
	}
	for (size_t i = 0; i < count; i++) {
		if (paths[i] == NULL || paths[i][0] == '\0')
			return fail_msg("overlay %s: empty path", roles[i]);
		if (strpbrk(paths[i], ",:\\") != NULL)
			return fail_msg("overlay %s %s: ',' ':' and '\\' are overlay option syntax, refusing the path",
					roles[i], paths[i]);
	}

	/* mount(2) copies at most one page of options. */
	long page = sysconf(_SC_PAGESIZE);
	size_t limit = page > 0 && (size_t)page < size ? (size_t)page : size;
	size_t used = 0;
	int too_long = append_text(buf, limit, &used, "lowerdir=");
	for (size_t i = 0; i < spec->lower_count && !too_long; i++) {
		if (i > 0)
			too_long = append_text(buf, limit, &used, ":");
		too_long = too_long || append_text(buf, limit, &used, spec->lowers[i]);
	}
	if (spec->upper != NULL && !too_long)
		too_long = append_text(buf, limit, &used, ",upperdir=") ||
			   append_text(buf, limit, &used, spec->upper) ||
			   append_text(buf, limit, &used, ",workdir=") ||
			   append_text(buf, limit, &used, spec->work);
	if (too_long) {
		errno = E2BIG;
		return fail_errno("overlay options for %zu lower directories: longer than %zu bytes",
				  spec->lower_count, limit - 1);
	}
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("06.1");
}
// end::mount-options[]

// tag::mount[]
int overlay_mount(const struct overlay_spec *spec, const char *target)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = page > 0 ? (size_t)page : 4096;
	char *options = malloc(size);
	if (options == NULL)
		return fail_errno("overlay options");
	if (overlay_mount_options(spec, options, size) != 0) {
		free(options);
		return -1;
	}
	int result = 0;
	// BEGIN SOLUTION 06.2: mount the overlay
	// HINT: mount(2) with source "overlay" (any name: it shows in /proc/mounts), filesystem
	// HINT: type "overlay", no flags, and the options as data. On failure the kernel logs
	// HINT: the detailed reason (dmesg); report "mount overlay on TARGET" with strerror.
	if (mount("overlay", target, "overlay", 0, options) != 0)
		result = fail_errno("mount overlay on %s", target);
	// END SOLUTION
	// STUB: result = lab_todo("06.2");
	free(options);
	return result;
}

int overlay_unmount(const char *target)
{
	// BEGIN SOLUTION 06.2: mount the overlay
	// HINT: umount2(2); UMOUNT_NOFOLLOW refuses a target that is a symbolic link.
	if (umount2(target, UMOUNT_NOFOLLOW) != 0)
		return fail_errno("unmount %s", target);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("06.2");
}
// end::mount[]

int overlay_is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

/* The state of one overlay_diff walk. path is the path below upper being
 * looked at ("" for upper itself, then "/etc", "/etc/motd"...). */
struct diff_walk {
	const char *upper;
	const char *const *lowers;
	size_t lower_count;
	overlay_change_fn report;
	void *context;
	char path[PATH_MAX];
};

/* Whether the lowers, stacked, show something at path: the topmost lower
 * that has an entry there decides (a whiteout there hides the rest).
 * Opaque directories between the layers are not followed. */
static int lowers_have(const struct diff_walk *walk, const char *path)
{
	char lower_path[PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < walk->lower_count; i++) {
		int n = snprintf(lower_path, sizeof lower_path, "%s%s", walk->lowers[i], path);
		if (n < 0 || (size_t)n >= sizeof lower_path)
			continue;
		if (lstat(lower_path, &st) == 0)
			return !overlay_is_whiteout(&st);
	}
	return 0;
}

/* Whether the directory full_path carries trusted.overlay.opaque="y". */
static int directory_is_opaque(const char *full_path)
{
	char value[2];
	ssize_t length = lgetxattr(full_path, "trusted.overlay.opaque", value, sizeof value);
	return length == 1 && value[0] == 'y';
}

// tag::classify[]
/* What the entry at walk->path (st: its lstat in upper) changes, or 0
 * for a directory that is only the way to a change. inside_new is 1
 * below a directory that is itself added or opaque. */
static int classify_upper_entry(const struct diff_walk *walk, const char *full_path,
				const struct stat *st, int inside_new)
{
	// BEGIN SOLUTION 06.7: tell additions, changes, deletions and opaque directories apart
	// HINT: a whiteout (overlay_is_whiteout) is a deletion. Below a new or opaque directory,
	// HINT: or when no lower shows the path (lowers_have), it is an addition. A directory the
	// HINT: lowers have is opaque when directory_is_opaque, else 0; anything else is changed.
	if (overlay_is_whiteout(st))
		return OVERLAY_DELETED;
	if (inside_new || !lowers_have(walk, walk->path))
		return OVERLAY_ADDED;
	/* A directory in upper that the lowers also have is usually just
	 * a copied-up parent of a change; it replaces theirs only when
	 * overlayfs marked it opaque (rm -r then mkdir in the merged view). */
	if (S_ISDIR(st->st_mode))
		return directory_is_opaque(full_path) ? OVERLAY_OPAQUE : 0;
	return OVERLAY_CHANGED;
	// END SOLUTION
	// STUB: return lab_todo("06.7");
}
// end::classify[]

static int not_dot_or_dotdot(const struct dirent *entry)
{
	return strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
}

static int walk_directory(struct diff_walk *walk, int inside_new)
{
	char full_path[PATH_MAX];
	struct dirent **entries;
	size_t path_length = strlen(walk->path);
	int result = 0;

	int n = snprintf(full_path, sizeof full_path, "%s%s", walk->upper, walk->path);
	if (n < 0 || (size_t)n >= sizeof full_path) {
		errno = ENAMETOOLONG;
		return fail_errno("diff %s%s", walk->upper, walk->path);
	}
	/* scandir sorts the names, so the report comes out in path order. */
	int count = scandir(full_path, &entries, not_dot_or_dotdot, alphasort);
	if (count < 0)
		return fail_errno("read directory %s", full_path);
	for (int i = 0; i < count && result == 0; i++) {
		struct stat st;
		n = snprintf(walk->path + path_length, sizeof walk->path - path_length, "/%s",
			     entries[i]->d_name);
		if (n < 0 || (size_t)n >= sizeof walk->path - path_length) {
			errno = ENAMETOOLONG;
			result = fail_errno("diff %s%s/%s", walk->upper, walk->path, entries[i]->d_name);
			break;
		}
		snprintf(full_path, sizeof full_path, "%s%s", walk->upper, walk->path);
		if (lstat(full_path, &st) != 0) {
			result = fail_errno("stat %s", full_path);
			break;
		}
		int change = classify_upper_entry(walk, full_path, &st, inside_new);
		if (change < 0) {
			result = -1;
			break;
		}
		if (change != 0)
			result = walk->report((enum overlay_change)change, walk->path, walk->context);
		if (result == 0 && S_ISDIR(st.st_mode))
			result = walk_directory(walk, change == OVERLAY_ADDED || change == OVERLAY_OPAQUE);
		walk->path[path_length] = '\0';
	}
	for (int i = 0; i < count; i++)
		free(entries[i]);
	free(entries);
	return result;
}

int overlay_diff(const char *upper, const char *const *lowers, size_t lower_count,
		 overlay_change_fn report, void *context)
{
	struct diff_walk walk = {
		.upper = upper, .lowers = lowers, .lower_count = lower_count,
		.report = report, .context = context, .path = "",
	};
	struct stat st;

	if (stat(upper, &st) != 0)
		return fail_errno("upper directory %s", upper);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return fail_errno("upper directory %s", upper);
	}
	return walk_directory(&walk, 0);
}
