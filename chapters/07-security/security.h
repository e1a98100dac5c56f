/* security.h: taking root's powers away from a container (chapter 07).
 *
 * The module behind `confine`, reused by minirun (chapter 08) to apply a
 * container's process security from its config.json. Four parts:
 *
 *   caps_     capabilities: the bounding set and the four process sets
 *   security_ no_new_privs and the switch to the container's user
 *   seccomp_  a system call filter: a built-in default or an OCI profile
 *   userns_   user namespace uid/gid maps (written by the parent)
 *   paths_    masked and read-only paths under the container's root
 *
 * Each function returns 0 on success or reports one line on stderr and
 * returns -1 (except where noted). None prints on success or exits.
 *
 * THE ORDER OF CALLS (each step needs what the next one takes away):
 *
 *   parent:  clone(CLONE_NEWUSER|NEWNS|NEWPID|NEWUTS|NEWIPC)
 *            userns_write_maps(child, uid_map, gid_map)   then wake the child
 *   child:   mount_tree_make_private(), mount_proc(ROOT/proc)   (chapter 01)
 *            paths_mask(ROOT, path)...          needs CAP_SYS_ADMIN
 *            paths_make_readonly(ROOT, path)... needs CAP_SYS_ADMIN
 *            pivot_into(ROOT)                   (chapter 01)
 *            caps_drop_bounding(sets.bounding)  needs CAP_SETPCAP effective,
 *                                               which a uid change clears
 *            security_set_user(uid, gid, ...)   needs CAP_SETUID/SETGID
 *            caps_apply(&sets)                  the last use of privilege
 *            security_set_no_new_privs()        if asked
 *            seccomp_filter_install(filter)     LAST before execve: a filter
 *                                               would also judge our own setup
 *            execve(command)
 *
 * Build the filter (seccomp_default_filter, seccomp_filter_from_oci*)
 * before any of that, while errors can still be reported cleanly.
 *
 * Read: capabilities(7), cap_get_proc(3), cap_drop_bound(3), cap_iab(3),
 * prctl(2) PR_SET_NO_NEW_PRIVS, seccomp(2), seccomp_init(3),
 * seccomp_rule_add(3), user_namespaces(7), mount(2) MS_BIND|MS_REMOUNT,
 * the OCI runtime spec: config-linux.md (seccomp, maskedPaths,
 * readonlyPaths, uidMappings) and config.md (process.capabilities).
 */
#ifndef LAB_SECURITY_H
#define LAB_SECURITY_H

#include <jansson.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ------------------------------------------------------------ capabilities */

/* The five capability sets of a process, one bit per capability number
 * (bit CAP_SYS_ADMIN = 21 ...), as in /proc/PID/status. */
struct caps_sets {
	uint64_t bounding;
	uint64_t permitted;
	uint64_t effective;
	uint64_t inheritable;
	uint64_t ambient;
};

/* Docker's and podman's default set (14 capabilities): enough to run a
 * normal service as root, nothing that reaches the kernel itself. */
extern const char *const caps_container_defaults[];

/* Add the capabilities named in names[0..count) ("CAP_CHOWN" or "chown",
 * any case) to *mask. An unknown name is, as the OCI spec asks, warned
 * about ("warning: unknown capability NAME: ignored") and skipped.
 * Returns the number of names ignored. Needs nothing. */
int caps_mask_from_names(const char *const *names, size_t count, uint64_t *mask);

/* The same for a comma-separated list ("chown,net_bind_service"; "" is
 * the empty set, "default" adds caps_container_defaults). Returns the
 * number of names ignored, or -1 (with a message) when out of memory. */
int caps_mask_from_list(const char *list, uint64_t *mask);

/* Fill *sets from an OCI process.capabilities object ({"bounding": [...],
 * "effective": [...], ...}); a missing array is the empty set. Returns 0,
 * or -1 when a member is not an array of strings. */
int caps_sets_from_oci(const json_t *capabilities, struct caps_sets *sets);

/* The mask of every capability this kernel knows (0 .. cap_max_bits()-1). */
uint64_t caps_all_known(void);

/* Exercise 07.1: drop every capability not in keep from the bounding set,
 * the ceiling of what this process and anything it executes (setuid-root
 * programs too) can ever gain. Needs CAP_SETPCAP in the effective set, so
 * call it before security_set_user. Irreversible. */
int caps_drop_bounding(uint64_t keep);

/* Exercise 07.2: set the permitted, effective and inheritable sets to
 * exactly sets->..., then clear the ambient set and raise each ambient
 * capability (which must be permitted and inheritable). Call after
 * caps_drop_bounding and security_set_user. Needs the capabilities it
 * sets in the permitted set already (it can only lower). */
int caps_apply(const struct caps_sets *sets);

/* ------------------------------------------------------- user, no_new_privs */

/* Become uid/gid with these supplementary groups (ngroups 0 and groups
 * NULL: none; pass setgroups_allowed 0 in a user namespace whose
 * setgroups is "deny": the group list is then left alone). Keeps the
 * capability sets across the uid change (PR_SET_KEEPCAPS) so caps_apply
 * can still set them. Needs CAP_SETUID and CAP_SETGID. */
int security_set_user(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups,
		      int setgroups_allowed);

/* Exercise 07.3: set no_new_privs: from now on execve never grants
 * privileges (setuid/setgid bits and file capabilities are ignored). Needs
 * nothing; irreversible; inherited by every child. */
int security_set_no_new_privs(void);

/* ----------------------------------------------------------------- seccomp */

/* Exercise 07.4: the built-in default filter: allow everything except a
 * deny list in the spirit of Docker's profile (keyctl, ptrace, mount,
 * bpf, kexec_load, namespace-creating clone/unshare, ... fail with
 * EPERM), and clone3 fails with ENOSYS so glibc falls back to clone.
 * Returns a filter to install or release, or NULL after reporting. */
scmp_filter_ctx seccomp_default_filter(void);

/* Build a filter from an OCI seccomp object (linux.seccomp in
 * config.json: defaultAction, defaultErrnoRet, architectures, syscalls[]
 * with names, action, errnoRet, args). source names it in messages. An
 * unknown action, operator or architecture, or a member of the wrong
 * type, is an error naming the member ("seccomp profile X:
 * syscalls[1].action: unknown action \"SCMP_ACT_FOO\""). Syscall names
 * this kernel does not know are skipped (profiles list every arch's). */
scmp_filter_ctx seccomp_filter_from_oci(const json_t *profile, const char *source);

/* The same, reading the object from a JSON file. A malformed file is an
 * error naming its line and column. */
scmp_filter_ctx seccomp_filter_from_file(const char *path);

/* Exercise 07.4: load the filter into this thread (inherited across
 * fork and execve) and release it. Needs no_new_privs or CAP_SYS_ADMIN.
 * The filter is released whatever happens. */
int seccomp_filter_install(scmp_filter_ctx filter);

/* ---------------------------------------------------------- user namespace */

/* Exercise 07.5: give the child process pid (just cloned with
 * CLONE_NEWUSER, and waiting) its uid and gid maps. Each map is the
 * kernel's text: lines "INSIDE OUTSIDE COUNT" ("0 100000 65536"); ','
 * may separate lines. Writes "deny" to setgroups first, so that an
 * unprivileged writer may map gids and no process inside can drop a
 * group with setgroups(2). Needs CAP_SETUID/SETGID over the parent ns. */
int userns_write_maps(pid_t pid, const char *uid_map, const char *gid_map);

/* ------------------------------------------------------------------- paths */

/* The paths runc masks and makes read-only by default (NULL-terminated). */
extern const char *const paths_default_masked[];
extern const char *const paths_default_readonly[];

/* Exercise 07.6: hide root/path (path as seen from inside: "/proc/kcore";
 * root "" or "/" after pivot_root): bind-mount /dev/null over a file, a
 * read-only empty tmpfs over a directory. A path that does not exist is
 * skipped (returns 0), as runc does. Needs CAP_SYS_ADMIN over the mount
 * namespace. */
int paths_mask(const char *root, const char *path);

/* Exercise 07.7: make root/path read-only: bind it onto itself, then
 * remount the bind read-only, keeping its other flags (nosuid, nodev,
 * noexec). A path that does not exist is skipped. Needs CAP_SYS_ADMIN. */
int paths_make_readonly(const char *root, const char *path);

#endif
