/* rootfs.c: a new root for a process: chroot, pivot_root, /proc, and the
 * chroot escape that shows why pivot_root is needed (chapter 01).
 *
 * Read: chroot(2), pivot_root(2), mount(2), umount(2),
 * mount_namespaces(7) ("Shared subtrees"), proc(5).
 */
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

// tag::make-private[]
int mount_tree_make_private(void)
{
	// TODO 01.1: make the whole mount tree private
	// HINT: one mount(2) call on "/" with no source and no filesystem type; the flags
	// HINT: MS_REC | MS_PRIVATE change propagation for every mount below / too.
	return lab_todo("01.1");
}
// end::make-private[]

// tag::enter-chroot[]
int enter_chroot(const char *new_root)
{
	// TODO 01.2: enter the new root with chroot
	// HINT: chdir(2) into new_root first, then chroot(".") and chdir("/"): chroot alone
	// HINT: does not move the working directory, which would stay outside the new root.
	return lab_todo("01.2");
}
// end::enter-chroot[]

// tag::mount-proc[]
int mount_proc(const char *target)
{
	// TODO 01.3: mount a fresh /proc
	// HINT: mount(2) with source "proc", filesystem type "proc" and the flags
	// HINT: MS_NOSUID | MS_NODEV | MS_NOEXEC: nothing under /proc should be executable.
	return lab_todo("01.3");
}
// end::mount-proc[]

/* Is path the root of a mount (statx STATX_ATTR_MOUNT_ROOT)? */
static bool is_mount_root(const char *path)
{
	struct statx info;

	return statx(AT_FDCWD, path, 0, 0, &info) == 0 &&
	       (info.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (info.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

// tag::pivot-into[]
int pivot_into(const char *new_root)
{
	// TODO 01.4: pivot_root into the new root and detach the old one
	// HINT: pivot_root needs new_root to be a mount point: bind-mount it onto itself
	// HINT: (MS_BIND | MS_REC), unless is_mount_root() says it is one already (a caller
	// HINT: that mounted things under it keeps them as they are). Then chdir into it, call
	// HINT: syscall(SYS_pivot_root, ".", "."),
	// HINT: and umount2(".", MNT_DETACH) the old root, which now sits on top of ".".
	return lab_todo("01.4");
}
// end::pivot-into[]

/* The identity of the root directory as this process sees it. */
static int root_identity(struct stat *st)
{
	if (stat("/", st) != 0)
		return fail_errno("stat /");
	return 0;
}

// tag::chroot-escape[]
int chroot_escape(void)
{
	struct stat before, after;

	if (root_identity(&before) != 0)
		return -1;
	// TODO 01.5: escape from a chroot
	// HINT: make a directory (mkdtemp in /tmp), chroot(2) into it WITHOUT changing the
	// HINT: working directory, which is now outside the root; chdir("..") a few hundred
	// HINT: times climbs to the real root, and chroot(".") makes it the root again.
	return lab_todo("01.5");
	if (root_identity(&after) != 0)
		return -1;
	return before.st_dev != after.st_dev || before.st_ino != after.st_ino;
}
// end::chroot-escape[]
