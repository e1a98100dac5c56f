/* rootfs.h: giving a process a new root directory (chapter 01).
 *
 * The module behind `jail`, reused by every later chapter that needs a
 * container root: pidns and confine (chapters 02, 07) and minirun (08).
 * Every function needs root (CAP_SYS_ADMIN, CAP_SYS_CHROOT) and, except
 * rootfs_validate, should run in a mount namespace of its own
 * (unshare(CLONE_NEWNS)) so that nothing it mounts is seen by the host.
 * Each returns 0 on success, or reports one line and returns -1.
 *
 * The usual order:  rootfs_validate -> unshare(CLONE_NEWNS) ->
 *   mount_tree_make_private -> pivot_into (or enter_chroot) -> mount_proc
 *
 * Read: chroot(2), pivot_root(2), mount(2), umount(2),
 * mount_namespaces(7), proc(5).
 */
#ifndef LAB_ROOTFS_H
#define LAB_ROOTFS_H

/* Check that path names a directory we can enter. Prints
 * "rootfs PATH: REASON" and returns -1 otherwise. Needs nothing. */
int rootfs_validate(const char *path);

/* Exercise 01.1: make every mount in this mount namespace private
 * (recursively), so mounts made from now on do not propagate to the
 * host's namespace and the host's do not propagate in. */
int mount_tree_make_private(void);

/* Exercise 01.2: make new_root this process's root directory with
 * chroot(2) and move the working directory into it. Escapable by a
 * process that keeps CAP_SYS_CHROOT (exercise 01.5 shows how). */
int enter_chroot(const char *new_root);

/* Exercise 01.3: mount a fresh procfs on target (a path as seen from the
 * current root, usually "/proc"), with nosuid, nodev and noexec. */
int mount_proc(const char *target);

/* Exercise 01.4: make new_root the root of this mount namespace with
 * pivot_root(2) and detach the old root entirely, so no path leads back
 * to the host's files. Needs mount_tree_make_private first. */
int pivot_into(const char *new_root);

/* Exercise 01.5: the classic chroot escape. Needs CAP_SYS_CHROOT and a
 * writable /tmp. Returns 1 if the process now has a different root than
 * before (it escaped), 0 if the root is unchanged (nothing to escape
 * from, as after pivot_into), or -1 on error. */
int chroot_escape(void);

#endif
