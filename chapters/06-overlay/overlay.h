/* overlay.h: overlay mounts, a container's root stacked from layers
 * (chapter 06).
 *
 * The module behind `layers mount`, `layers umount` and `layers diff`,
 * reused by minirun (chapter 08), whose container root can be an overlay
 * over an image's unpacked layers (see image.h).
 *
 * Lower directories are always listed TOP FIRST, as overlayfs's lowerdir=
 * option lists them: lowers[0] hides lowers[1], which hides lowers[2]...
 * Each function returns 0 on success, or reports one line and returns -1.
 *
 * Read: mount(2), umount(2), mknod(2), xattr(7), and the kernel's
 * Documentation/filesystems/overlayfs.rst.
 */
#ifndef LAB_OVERLAY_H
#define LAB_OVERLAY_H

#include <stddef.h>
#include <sys/stat.h>

/* The most lower layers overlayfs stacks (OVL_MAX_STACK in the kernel). */
#define OVERLAY_MAX_LOWERS 500

/* What to stack. upper and work are both NULL (a read-only overlay, which
 * needs at least two lowers) or both set: work must be an empty directory
 * on the same filesystem as upper. */
struct overlay_spec {
	const char *const *lowers; /* read-only layers, top first */
	size_t lower_count;
	const char *upper;         /* where writes land, or NULL */
	const char *work;          /* overlayfs's scratch directory, or NULL */
};

/* Exercise 06.1: write the mount(2) data for spec into buf, e.g.
 * "lowerdir=/b:/a,upperdir=/u,workdir=/w". Refuses a path containing ','
 * ':' or '\\' (they would be read as option syntax) and options longer
 * than the page the kernel copies. Needs nothing. */
int overlay_mount_options(const struct overlay_spec *spec, char *buf, size_t size);

/* Exercise 06.2: mount an overlay of spec on target (an existing
 * directory). Needs CAP_SYS_ADMIN in the mount namespace's owner. */
int overlay_mount(const struct overlay_spec *spec, const char *target);

/* Exercise 06.2: unmount the overlay on target; after it, target shows
 * its own (usually empty) directory again. */
int overlay_unmount(const char *target);

/* 1 if st describes an overlay whiteout (a character device 0/0), else 0. */
int overlay_is_whiteout(const struct stat *st);

/* What a container changed, as `layers diff` prints it. */
enum overlay_change {
	OVERLAY_ADDED = 'A',   /* in upper only */
	OVERLAY_CHANGED = 'C', /* in upper and in a lower: copied up, then changed */
	OVERLAY_DELETED = 'D', /* a whiteout in upper hides the lowers' file */
	OVERLAY_OPAQUE = 'O',  /* a directory in upper hides the lowers' one whole */
};

/* Called once per change, in path order; path starts with "/". A
 * non-zero return stops the walk and becomes overlay_diff's result. */
typedef int (*overlay_change_fn)(enum overlay_change change, const char *path, void *context);

/* Exercise 06.7: walk an upper directory (of an overlay that need not be
 * mounted) and report what it changes in the lowers (top first).
 * Directories that only lead to a change are not reported. */
int overlay_diff(const char *upper, const char *const *lowers, size_t lower_count,
		 overlay_change_fn report, void *context);

#endif
