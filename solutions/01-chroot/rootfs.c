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
	// BEGIN SOLUTION 01.1: make the whole mount tree private
	// HINT: one mount(2) call on "/" with no source and no filesystem type; the flags
	// HINT: MS_REC | MS_PRIVATE change propagation for every mount below / too.
	/* A mount namespace starts as a copy of its parent's mounts, and
	 * "shared" mounts stay peers of the originals: anything we mount
	 * under them would appear on the host. Make the whole tree private
	 * first. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return fail_errno("make / private (mount MS_REC|MS_PRIVATE)");
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("01.1");
}
// end::make-private[]

// tag::enter-chroot[]
int enter_chroot(const char *new_root)
{
	// BEGIN SOLUTION 01.2: enter the new root with chroot
	// HINT: chdir(2) into new_root first, then chroot(".") and chdir("/"): chroot alone
	// HINT: does not move the working directory, which would stay outside the new root.
	if (chdir(new_root) != 0)
		return fail_errno("chdir %s", new_root);
	if (chroot(".") != 0)
		return fail_errno("chroot %s", new_root);
	/* The working directory is already the new root, but "/" is the
	 * name a program expects to see for it. */
	if (chdir("/") != 0)
		return fail_errno("chdir / in %s", new_root);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("01.2");
}
// end::enter-chroot[]

// tag::mount-proc[]
int mount_proc(const char *target)
{
	// BEGIN SOLUTION 01.3: mount a fresh /proc
	// HINT: mount(2) with source "proc", filesystem type "proc" and the flags
	// HINT: MS_NOSUID | MS_NODEV | MS_NOEXEC: nothing under /proc should be executable.
	if (mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		return fail_errno("mount proc on %s", target);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("01.3");
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
	// BEGIN SOLUTION 01.4: pivot_root into the new root and detach the old one
	// HINT: pivot_root needs new_root to be a mount point: bind-mount it onto itself
	// HINT: (MS_BIND | MS_REC), unless is_mount_root() says it is one already (a caller
	// HINT: that mounted things under it keeps them as they are). Then chdir into it, call
	// HINT: syscall(SYS_pivot_root, ".", "."),
	// HINT: and umount2(".", MNT_DETACH) the old root, which now sits on top of ".".
	/* pivot_root(2) wants the new root to be a mount point. Binding the
	 * directory onto itself makes it one without changing its content.
	 * If it is one already, leave it: a recursive bind would copy the
	 * mounts under it again, and drop those marked unbindable. */
	if (!is_mount_root(new_root) && mount(new_root, new_root, NULL, MS_BIND | MS_REC, NULL) != 0)
		return fail_errno("bind-mount %s on itself", new_root);
	/* Enter the new mount (the directory we were in before the bind is
	 * the one underneath it). */
	if (chdir(new_root) != 0)
		return fail_errno("chdir %s", new_root);
	/* pivot_root(".", "."): the new root becomes "/", and the old root is
	 * stacked on top of it, at the same place. No put_old directory is
	 * needed, so the rootfs can even be read-only. glibc has no wrapper. */
	if (syscall(SYS_pivot_root, ".", ".") != 0)
		return fail_errno("pivot_root to %s", new_root);
	/* Detach the old root: after this no path leads back to the host's
	 * files, which is what makes the chroot escape fail. */
	if (umount2(".", MNT_DETACH) != 0)
		return fail_errno("detach the old root (umount2 MNT_DETACH)");
	if (chdir("/") != 0)
		return fail_errno("chdir / after pivot_root");
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("01.4");
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
	// BEGIN SOLUTION 01.5: escape from a chroot
	// HINT: make a directory (mkdtemp in /tmp), chroot(2) into it WITHOUT changing the
	// HINT: working directory, which is now outside the root; chdir("..") a few hundred
	// HINT: times climbs to the real root, and chroot(".") makes it the root again.
	char jail_dir[] = "/tmp/escape.XXXXXX";
	if (mkdtemp(jail_dir) == NULL)
		return fail_errno("mkdtemp %s", jail_dir);
	/* A second chroot moves the root below us but leaves the working
	 * directory where it was: outside the root. The kernel only stops
	 * ".." at the root, and we are no longer under it. */
	int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0)
		return fail_errno("open .");
	if (chroot(jail_dir) != 0) {
		fail_errno("chroot %s", jail_dir);
		close(cwd);
		return -1;
	}
	if (fchdir(cwd) != 0) {
		fail_errno("fchdir back to the old working directory");
		close(cwd);
		return -1;
	}
	close(cwd);
	/* Climb: at the real root ".." is "/" itself, so extra steps are
	 * harmless. */
	for (int i = 0; i < 256; i++)
		if (chdir("..") != 0)
			return fail_errno("chdir ..");
	if (chroot(".") != 0)
		return fail_errno("chroot . (at the top)");
	if (chdir("/") != 0)
		return fail_errno("chdir /");
	// END SOLUTION
	// STUB: return lab_todo("01.5");
	if (root_identity(&after) != 0)
		return -1;
	return before.st_dev != after.st_dev || before.st_ino != after.st_ino;
}
// end::chroot-escape[]
