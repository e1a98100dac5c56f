/* nsjoin.h: joining the namespaces of another process, and pinning a
 * namespace to a file (chapter 03).
 *
 * The module behind `nsjoin`, reused by minirun (chapter 08) for `exec`
 * (join every namespace of a running container, then fork and exec) and
 * for pods (join a namespace given by path in config.json, such as
 * /run/netns/NAME, instead of creating one).
 *
 * A namespace is named by its clone(2) flag (CLONE_NEWNET, ...), the same
 * constant setns(2) takes as nstype. The usual order:
 *
 *   struct nsjoin_set set;
 *   nsjoin_set_init(&set);
 *   nsjoin_open_from_pid(&set, pid, CLONE_NEWNET | CLONE_NEWPID)   and/or
 *   nsjoin_open_path(&set, CLONE_NEWNET, "/run/netns/pod")
 *   nsjoin_enter(&set);            (every namespace, user first, mount last)
 *   nsjoin_close(&set);
 *   pid_t child = nsjoin_fork();   (needed when a PID namespace was joined)
 *   child == 0: exec the command;  parent: return nsjoin_wait(child);
 *
 * Opening everything before joining anything is the point: once the
 * mount namespace is joined, /proc is the target's (or missing), and a
 * file that turns out to be of the wrong type must fail before the
 * process has changed at all.
 *
 * Errors are one line on stderr naming the call, the object and the
 * reason; functions return -1 and leave nothing behind. Joining needs
 * CAP_SYS_ADMIN (root) in the namespaces' owning user namespace.
 *
 * Read: namespaces(7), setns(2), ioctl_ns(2), nsenter(1), unshare(1),
 * ip-netns(8), mount(2), proc(5) (/proc/PID/ns).
 */
#ifndef LAB_NSJOIN_H
#define LAB_NSJOIN_H

#include <sched.h>
#include <sys/types.h>

// tag::api[]
/* The namespace types nsjoin knows, in the order of /proc/PID/ns
 * (alphabetical), which is NOT the order to join them in: nsjoin_enter
 * joins the user namespace first and the mount namespace last. */
#define NSJOIN_TYPE_COUNT 8

struct nsjoin_type {
	const char *name; /* the file's name under /proc/PID/ns: "net", "mnt", ... */
	int nstype;       /* its clone flag: CLONE_NEWNET, CLONE_NEWNS, ... */
};

/* nsjoin_types[i], i = 0 .. NSJOIN_TYPE_COUNT-1:
 * cgroup, ipc, mnt, net, pid, time, user, uts. */
extern const struct nsjoin_type nsjoin_types[NSJOIN_TYPE_COUNT];

/* The bit mask of every type above (for "join all"). */
#define NSJOIN_ALL_TYPES                                                                     \
	(CLONE_NEWUSER | CLONE_NEWCGROUP | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET |      \
	 CLONE_NEWPID | CLONE_NEWTIME | CLONE_NEWNS)

/* The namespaces to join: an open file descriptor per type (-1: not
 * joining that type), indexed like nsjoin_types, and where each came
 * from (for error messages). Fill it with the nsjoin_open_* functions. */
struct nsjoin_set {
	int fds[NSJOIN_TYPE_COUNT];
	char *sources[NSJOIN_TYPE_COUNT];
};

/* The index in nsjoin_types of a type given by its clone flag or by its
 * name ("net"; "network" and "mount" are accepted too, as in OCI's
 * config.json). Return -1 (printing nothing) when it is not one. */
int nsjoin_type_index(int nstype);
int nsjoin_type_index_by_name(const char *name);

/* Make an empty set (every fd -1). Cannot fail. */
void nsjoin_set_init(struct nsjoin_set *set);

/* Close every fd in the set and make it empty again. Safe to call twice. */
void nsjoin_close(struct nsjoin_set *set);

/* Exercise 03.1: open /proc/PID/ns/TYPE for every type in the mask of
 * clone flags, checking each file really is that type. A namespace the
 * caller is already in is skipped (joining it would change nothing, and
 * setns into one's own user namespace fails). Needs read access to
 * /proc/PID (root). On failure ("target process 42: No such process")
 * the whole set is closed and -1 returned. */
int nsjoin_open_from_pid(struct nsjoin_set *set, pid_t pid, int nstype_mask);

/* Open a namespace file given by path (/proc/PID/ns/net, a pin made by
 * nsjoin_pin or `ip netns add`, /run/netns/NAME) as the namespace of type
 * nstype. A file that is not a namespace, or one of another type, is
 * refused ("/tmp/x: not a namespace file"). Replaces an fd of the same
 * type already in the set. On failure the whole set is closed, -1. */
int nsjoin_open_path(struct nsjoin_set *set, int nstype, const char *path);

/* Exercise 03.2: join every namespace in the set with setns(2), user
 * first and mount last. Needs a single-threaded caller. Joining a PID
 * namespace moves only the children made afterwards (see nsjoin_fork).
 * Returns 0, or -1 when a setns fails: the process may then be in some
 * of the namespaces already, so the caller must give up (exit). */
int nsjoin_enter(const struct nsjoin_set *set);

/* Exercise 03.3: fork after joining, so that a joined PID namespace takes
 * effect: the child is in it, the caller is not. Like fork(2): returns 0
 * in the child, the child's PID in the parent, -1 on failure. The child
 * is killed (SIGKILL) if the parent dies, so it never outlives it. */
pid_t nsjoin_fork(void);

/* Exercise 03.3: wait for the child made by nsjoin_fork, passing on
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to the caller meanwhile.
 * Returns its exit status as a shell reports it (128+N when killed by
 * signal N), or -1 if waiting fails. */
int nsjoin_wait(pid_t child);

/* Exercise 03.4: pin the namespace of type nstype of process pid to file,
 * so that it outlives every process in it: create file (which must not
 * exist) and bind-mount /proc/PID/ns/TYPE onto it, what `ip netns add`
 * does under /run/netns. Needs root. Leaves nothing behind on failure. */
int nsjoin_pin(pid_t pid, int nstype, const char *file);

/* Exercise 03.4: undo nsjoin_pin: check that file is a pinned namespace,
 * unmount it and remove the file. The namespace itself lives on while a
 * process is still in it. Refuses (changing nothing) any other file. */
int nsjoin_unpin(const char *file);

// end::api[]

#endif
