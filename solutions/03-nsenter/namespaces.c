/* namespaces.c: open another process's namespaces, join them, fork into
 * a joined PID namespace, and pin a namespace to a file (chapter 03).
 *
 * Read: namespaces(7), setns(2), ioctl_ns(2) (NS_GET_NSTYPE), fork(2),
 * prctl(2) (PR_SET_PDEATHSIG), waitpid(2), mount(2) (MS_BIND),
 * umount(2), ip-netns(8), nsenter(1).
 */
#include "nsjoin.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The name under /proc/self/ns of what setns would change for this type.
 * For PID and time namespaces that is the namespace of the caller's
 * future children, not its own. */
static const char *own_file_name(int index)
{
	if (nsjoin_types[index].nstype == CLONE_NEWPID)
		return "pid_for_children";
	if (nsjoin_types[index].nstype == CLONE_NEWTIME)
		return "time_for_children";
	return nsjoin_types[index].name;
}

/* Is fd the namespace this process is already in? Two namespace files
 * are the same namespace when their device and inode numbers are equal. */
static int is_own_namespace(int fd, int index)
{
	char path[64];
	struct stat ours, theirs;

	snprintf(path, sizeof path, "/proc/self/ns/%s", own_file_name(index));
	if (stat(path, &ours) != 0 || fstat(fd, &theirs) != 0)
		return 0;
	return ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
}

/* Put fd (already checked to be of type index) into the set, replacing
 * what was there, or close it when it is the caller's own namespace:
 * joining that changes nothing, and setns into one's own user namespace
 * is even an error (EINVAL). */
static int keep_in_set(struct nsjoin_set *set, int index, int fd, const char *source)
{
	if (is_own_namespace(fd, index)) {
		close(fd);
		fd = -1;
	}
	char *copy = strdup(source);
	if (copy == NULL) {
		if (fd >= 0)
			close(fd);
		return fail_errno("remember %s", source);
	}
	if (set->fds[index] >= 0)
		close(set->fds[index]);
	free(set->sources[index]);
	set->fds[index] = fd;
	set->sources[index] = copy;
	return 0;
}

// tag::open-checked[]
/* Open path (relative to dirfd) and check that it is a namespace of type
 * nstype. Returns the fd, or -1 after one line naming shown_path. */
static int open_namespace_file(int dirfd, const char *path, const char *shown_path, int nstype)
{
	// BEGIN SOLUTION 03.1: open the namespace files of a target, checking their type
	// HINT: openat(2) the file O_RDONLY | O_CLOEXEC (setns needs a real fd, not O_PATH).
	// HINT: ioctl(fd, NS_GET_NSTYPE) (<linux/nsfs.h>) returns the clone flag of the
	// HINT: namespace, or fails with ENOTTY when the file is not a namespace at all.
	/* O_NONBLOCK: a FIFO given by mistake must not hang us in open. */
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fail_errno("open %s", shown_path);
	/* Ask the kernel what the file is. Any other file has no such ioctl. */
	int actual = ioctl(fd, NS_GET_NSTYPE);
	if (actual < 0) {
		int saved_errno = errno;
		close(fd);
		if (saved_errno == ENOTTY || saved_errno == EINVAL)
			return fail_msg("%s is not a namespace file", shown_path);
		errno = saved_errno;
		return fail_errno("ioctl NS_GET_NSTYPE on %s", shown_path);
	}
	if (actual != nstype) {
		int actual_index = nsjoin_type_index(actual);
		close(fd);
		errno = EINVAL;
		return fail_msg("%s is a namespace of type %s, not %s", shown_path,
				actual_index >= 0 ? nsjoin_types[actual_index].name : "different",
				nsjoin_types[nsjoin_type_index(nstype)].name);
	}
	return fd;
	// END SOLUTION
	// STUB: return lab_todo("03.1");
}
// end::open-checked[]

// tag::open-from-pid[]
int nsjoin_open_from_pid(struct nsjoin_set *set, pid_t pid, int nstype_mask)
{
	if (pid <= 0 || (nstype_mask & ~NSJOIN_ALL_TYPES) != 0) {
		errno = EINVAL;
		nsjoin_close(set);
		return fail_errno("open namespaces of process %d (types 0x%x)", (int)pid, nstype_mask);
	}
	// BEGIN SOLUTION 03.1: open the namespace files of a target, checking their type
	// HINT: open the directory /proc/PID once (O_DIRECTORY); if that fails with ENOENT the
	// HINT: process does not exist (report ESRCH). Then, for each nsjoin_types[i] whose
	// HINT: nstype is in the mask, open_namespace_file(dir, "ns/NAME", ...) and keep_in_set.
	// HINT: On any failure close the directory and the set (nsjoin_close) and return -1.
	char proc_dir[32];
	snprintf(proc_dir, sizeof proc_dir, "/proc/%d", (int)pid);
	/* Every file is opened relative to one directory fd: if the target
	 * exits and its PID is reused meanwhile, openat fails (ESRCH)
	 * instead of silently opening another process's namespaces. */
	int dir = open(proc_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		fail_errno("target process %d", (int)pid);
		nsjoin_close(set);
		return -1;
	}
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++) {
		if (!(nstype_mask & nsjoin_types[i].nstype))
			continue;
		char relative[32], shown[64];
		snprintf(relative, sizeof relative, "ns/%s", nsjoin_types[i].name);
		snprintf(shown, sizeof shown, "%s/%s", proc_dir, relative);
		int fd = open_namespace_file(dir, relative, shown, nsjoin_types[i].nstype);
		if (fd < 0 || keep_in_set(set, i, fd, shown) != 0) {
			close(dir);
			nsjoin_close(set);
			return -1;
		}
	}
	close(dir);
	return 0;
	// END SOLUTION
	// STUB: nsjoin_close(set);
	// STUB: return lab_todo("03.1");
}
// end::open-from-pid[]

// tag::open-path[]
int nsjoin_open_path(struct nsjoin_set *set, int nstype, const char *path)
{
	int index = nsjoin_type_index(nstype);
	if (index < 0) {
		errno = EINVAL;
		nsjoin_close(set);
		return fail_errno("open namespace %s (type 0x%x)", path, nstype);
	}
	/* A pinned namespace is opened like any namespace file: the bind
	 * mount makes the path lead to the namespace itself. */
	int fd = open_namespace_file(AT_FDCWD, path, path, nstype);
	if (fd < 0 || keep_in_set(set, index, fd, path) != 0) {
		nsjoin_close(set);
		return -1;
	}
	return 0;
}
// end::open-path[]

// tag::enter[]
/* Join the namespace of type nstype in the set, if there is one. */
static int join_one(const struct nsjoin_set *set, int nstype)
{
	int index = nsjoin_type_index(nstype);
	// BEGIN SOLUTION 03.2: join the namespaces in the right order
	// HINT: setns(2) the fd with its nstype (not 0: the kernel then checks the type once more).
	if (set->fds[index] < 0)
		return 0;
	if (setns(set->fds[index], nstype) != 0)
		return fail_errno("setns %s namespace %s", nsjoin_types[index].name,
				  set->sources[index]);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("03.2");
}

int nsjoin_enter(const struct nsjoin_set *set)
{
	// BEGIN SOLUTION 03.2: join the namespaces in the right order
	// HINT: nsjoin_types is in alphabetical order, not join order. Join the user namespace
	// HINT: first (it gives the capabilities the other joins are checked against), then
	// HINT: every other type, and the mount namespace last (it changes / and the cwd).
	/* User first: inside a user namespace we own, we hold every
	 * capability, which setns of the namespaces it owns requires. */
	if (join_one(set, CLONE_NEWUSER) != 0)
		return -1;
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++) {
		int nstype = nsjoin_types[i].nstype;
		if (nstype == CLONE_NEWUSER || nstype == CLONE_NEWNS)
			continue;
		if (join_one(set, nstype) != 0)
			return -1;
	}
	/* Mount last: it moves our root and working directory into the
	 * target's mount tree, where /proc may be another or none at all. */
	return join_one(set, CLONE_NEWNS);
	// END SOLUTION
	// STUB: return lab_todo("03.2");
}
// end::enter[]

// tag::fork[]
pid_t nsjoin_fork(void)
{
	// BEGIN SOLUTION 03.3: fork so that the joined PID namespace takes effect
	// HINT: setns(CLONE_NEWPID) changes only the namespace of the caller's future children:
	// HINT: fork(2) (fflush(NULL) first). In the child, prctl(PR_SET_PDEATHSIG, SIGKILL) so it
	// HINT: dies with the parent; if the parent already died (getppid() is neither the old
	// HINT: PID nor 0, the value seen from inside a PID namespace), kill yourself.
	pid_t parent = getpid();
	/* Anything still buffered would be written twice, once per process. */
	fflush(NULL);
	pid_t child = fork();
	if (child < 0)
		return fail_errno("fork");
	if (child > 0)
		return child;
	/* The child: never outlive the parent that waits for us. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
		return fail_errno("prctl(PR_SET_PDEATHSIG)");
	/* If the parent died before prctl, we were already reparented. From
	 * inside a joined PID namespace the parent is invisible: getppid()
	 * says 0 while it lives. */
	pid_t new_parent = getppid();
	if (new_parent != parent && new_parent != 0)
		raise(SIGKILL);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("03.3");
}
// end::fork[]

/* The child nsjoin_wait passes signals on to (0: none). */
static volatile sig_atomic_t forward_to_child;

static void forward_signal(int signal_number)
{
	if (forward_to_child > 0)
		kill((pid_t)forward_to_child, signal_number);
}

// tag::wait[]
int nsjoin_wait(pid_t child)
{
	static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	enum { FORWARDED_COUNT = sizeof forwarded / sizeof forwarded[0] };
	struct sigaction previous[FORWARDED_COUNT];
	struct sigaction forward = {.sa_handler = forward_signal};
	int status = 0;
	pid_t waited;

	/* A signal meant for the command (kill, Ctrl-C) reaches us, its
	 * parent outside the namespace: pass it on. No SA_RESTART, so that
	 * waitpid returns EINTR and we simply wait again. */
	sigemptyset(&forward.sa_mask);
	forward_to_child = child;
	for (int i = 0; i < FORWARDED_COUNT; i++)
		sigaction(forwarded[i], &forward, &previous[i]);
	// BEGIN SOLUTION 03.3: fork so that the joined PID namespace takes effect
	// HINT: waitpid(2) for the child, again while it fails with EINTR (a forwarded signal);
	// HINT: exit_code_from_wait_status (util.h) turns the status into 0-255 or 128+signal.
	do
		waited = waitpid(child, &status, 0);
	while (waited < 0 && errno == EINTR);
	// END SOLUTION
	// STUB: waited = lab_todo("03.3");
	int saved_errno = errno;
	forward_to_child = 0;
	for (int i = 0; i < FORWARDED_COUNT; i++)
		sigaction(forwarded[i], &previous[i], NULL);
	errno = saved_errno;
	if (waited < 0)
		return fail_errno("wait for process %d", (int)child);
	return exit_code_from_wait_status(status);
}
// end::wait[]

/* Check, before touching anything, that the process exists. */
static int check_target(pid_t pid)
{
	char proc_dir[32];
	struct stat st;

	snprintf(proc_dir, sizeof proc_dir, "/proc/%d", (int)pid);
	if (pid <= 0 || stat(proc_dir, &st) != 0) {
		errno = ESRCH;
		return fail_errno("target process %d", (int)pid);
	}
	return 0;
}

// tag::pin[]
int nsjoin_pin(pid_t pid, int nstype, const char *file)
{
	int index = nsjoin_type_index(nstype);
	if (index < 0) {
		errno = EINVAL;
		return fail_errno("pin namespace type 0x%x on %s", nstype, file);
	}
	if (check_target(pid) != 0)
		return -1;
	char source[64];
	snprintf(source, sizeof source, "/proc/%d/ns/%s", (int)pid, nsjoin_types[index].name);
	// BEGIN SOLUTION 03.4: pin a namespace to a file, and take the pin out
	// HINT: a bind mount needs a mount point of the same kind: create an empty regular file
	// HINT: (open O_CREAT | O_EXCL: never reuse someone's file), close it, then mount(2)
	// HINT: source onto it with MS_BIND. If the mount fails, unlink the file you made.
	/* O_EXCL: a file that already exists is someone else's. */
	int fd = open(file, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return fail_errno("create pin %s", file);
	close(fd);
	/* The bind mount holds a reference to the namespace: it lives on
	 * after its last process, as long as the mount exists. */
	if (mount(source, file, NULL, MS_BIND, NULL) != 0) {
		fail_errno("bind-mount %s on %s", source, file);
		unlink(file);
		return -1;
	}
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("03.4");
}

int nsjoin_unpin(const char *file)
{
	// BEGIN SOLUTION 03.4: pin a namespace to a file, and take the pin out
	// HINT: check that the file is a namespace (open it, ioctl NS_GET_NSTYPE succeeds) so an
	// HINT: ordinary file is refused untouched; then umount2(file, MNT_DETACH |
	// HINT: UMOUNT_NOFOLLOW) and unlink(2) the file left underneath.
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fail_errno("open %s", file);
	int is_namespace = ioctl(fd, NS_GET_NSTYPE) >= 0;
	close(fd);
	if (!is_namespace)
		return fail_msg("%s is not a pinned namespace", file);
	/* UMOUNT_NOFOLLOW: /proc/PID/ns/net is a (magic) symbolic link, not
	 * a pin; it must not lead us to unmount anything. */
	if (umount2(file, MNT_DETACH | UMOUNT_NOFOLLOW) != 0)
		return fail_errno("unmount %s", file);
	if (unlink(file) != 0)
		return fail_errno("remove %s", file);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("03.4");
}
// end::pin[]
