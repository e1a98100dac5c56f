/* namespaces.c: start a command in new PID, mount, UTS and IPC
 * namespaces, and be the init it needs (chapter 02). See pidns.h.
 *
 * Read: clone(2), pid_namespaces(7), uts_namespaces(7),
 * ipc_namespaces(7), mount_namespaces(7), sethostname(2), pipe(2),
 * sigprocmask(2), sigwaitinfo(2), waitpid(2), kill(2).
 */
#include "pidns.h"
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit status of a child whose setup failed (the tool's own failure). */
#define EXIT_SETUP_FAILED 125
/* The child's stack: it runs our setup code, pivot_root and, as an init,
 * a loop; 1 MiB is plenty. */
#define CHILD_STACK_SIZE (1024 * 1024)

/* What the cloned child needs to know; it reads its own copy of this
 * (clone without CLONE_VM copies the parent's memory, as fork does). */
struct child_start {
	const struct pidns_config *config;
	int release_read_fd;
	int release_write_fd;
	sigset_t saved_mask;
	void *stack; /* the child's stack, so AddressSanitizer can be told */
};

void pidns_forwarded_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	sigaddset(set, SIGWINCH);
}

int pidns_signals_block(sigset_t *saved_mask)
{
	sigset_t set;

	pidns_forwarded_signals(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, saved_mask) != 0)
		return fail_errno("block signals (sigprocmask)");
	return 0;
}

void pidns_signals_restore(const sigset_t *saved_mask)
{
	sigprocmask(SIG_SETMASK, saved_mask, NULL);
}

/* Refuse a configuration the child could not carry out, before any
 * namespace exists. */
static int check_config(const struct pidns_config *config)
{
	if (config->command == NULL || config->command[0] == NULL)
		return fail_msg("no command to run");
	if (config->hostname != NULL && !(config->namespaces & CLONE_NEWUTS))
		return fail_msg("hostname %s needs a new UTS namespace", config->hostname);
	if (config->hostname != NULL && strlen(config->hostname) > HOST_NAME_MAX) {
		errno = ENAMETOOLONG;
		return fail_errno("hostname %.20s...", config->hostname);
	}
	if ((config->root != NULL || config->mount_proc) && !(config->namespaces & CLONE_NEWNS))
		return fail_msg("a new root or /proc needs a new mount namespace");
	if (config->root != NULL && config->root[0] != '/')
		return fail_msg("root %s: not an absolute path", config->root);
	return 0;
}

/* Flush what stdio holds and leave: _exit, because exit() would also run
 * the parent's atexit handlers, which this copy of it must not. */
static __attribute__((noreturn)) void child_exit(int code)
{
	fflush(NULL);
	_exit(code);
}

// tag::wait-for-release[]
/* In the child: block until the parent writes one byte on the sync
 * pipe. End of file instead means the parent gave up (pidns_cancel). */
static int wait_for_release(const struct child_start *start)
{
	// BEGIN SOLUTION 02.1: clone into the namespaces, on a stack, held by a sync pipe
	// HINT: close the write end you inherited (or you would never see end of file),
	// HINT: then read(2) one byte from the read end; anything but 1 byte read means
	// HINT: "do not go on" (retry on EINTR).
	close(start->release_write_fd);
	char byte;
	ssize_t got;
	do
		got = read(start->release_read_fd, &byte, 1);
	while (got < 0 && errno == EINTR);
	close(start->release_read_fd);
	return got == 1 ? 0 : -1;
	// END SOLUTION
	// STUB: return lab_todo("02.1");
}
// end::wait-for-release[]

// tag::set-hostname[]
static int set_hostname(const char *hostname)
{
	// BEGIN SOLUTION 02.3: name the new UTS namespace
	// HINT: sethostname(2) takes the name and its length (no NUL needed). In a new UTS
	// HINT: namespace it changes only this namespace's name: the host keeps its own.
	if (sethostname(hostname, strlen(hostname)) != 0)
		return fail_errno("sethostname %s", hostname);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("02.3");
}
// end::set-hostname[]

// tag::prepare-mounts[]
/* In the child, in its new mount namespace: a private mount tree, the
 * new root if any, and a /proc that shows the new PID namespace. */
static int prepare_mounts(const struct pidns_config *config)
{
	// BEGIN SOLUTION 02.2: a private mount tree and a fresh /proc for the new namespace
	// HINT: chapter 01 has every piece (rootfs.h): mount_tree_make_private() first,
	// HINT: then pivot_into(config->root) when there is a root, then mount_proc("/proc")
	// HINT: when config->mount_proc. procfs shows the PID namespace of whoever mounts
	// HINT: it, which is why this runs here, in the child, and not in the parent.
	if (mount_tree_make_private() != 0)
		return -1;
	if (config->root != NULL && pivot_into(config->root) != 0)
		return -1;
	/* Without a new root this mounts over the host's /proc, but only in
	 * our private copy of the mount tree: the host's /proc is untouched. */
	if (config->mount_proc && mount_proc("/proc") != 0)
		return -1;
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("02.2");
}
// end::prepare-mounts[]

/* Give every signal its default action back. A disposition set to
 * "ignore" survives exec: a shell starts background jobs with SIGINT
 * ignored, and a command that inherited that could never be stopped with
 * the SIGINT we forward. (Handlers are reset by exec anyway.) */
static void reset_signal_actions(void)
{
	for (int signal = 1; signal < NSIG; signal++)
		if (signal != SIGKILL && signal != SIGSTOP)
			sigaction(signal, &(struct sigaction){.sa_handler = SIG_DFL}, NULL);
}

// tag::exec-command[]
/* Become the command. Never returns: 126 when it cannot be executed,
 * 127 when it is not found, 125 when before_exec fails. */
static __attribute__((noreturn)) void exec_command(const struct pidns_config *config,
						   const sigset_t *saved_mask)
{
	if (config->before_exec != NULL && config->before_exec(config->before_exec_arg) != 0)
		child_exit(EXIT_SETUP_FAILED);
	/* The mask is inherited across exec: a command started with SIGTERM
	 * blocked would never see the SIGTERM we forward to it. */
	reset_signal_actions();
	pidns_signals_restore(saved_mask);
	close_fds_from(3 + config->preserve_fds);
	fflush(NULL);
	execvp(config->command[0], config->command);
	int saved_errno = errno;
	fail_errno("exec %s", config->command[0]);
	child_exit(saved_errno == ENOENT ? 127 : 126);
}
// end::exec-command[]

// tag::run-as-init[]
/* PID 1's life: start the command as PID 2, then pass on signals and
 * reap until it ends. Returns the exit code for the init to exit with;
 * when the init exits, the kernel kills whatever is left in the
 * namespace. */
static int run_as_init(const struct pidns_config *config, const sigset_t *saved_mask)
{
	fflush(NULL);
	pid_t command = fork();
	if (command < 0) {
		fail_errno("fork the command");
		return EXIT_SETUP_FAILED;
	}
	if (command == 0)
		exec_command(config, saved_mask);
	/* The init needs no descriptor but stdio (its error messages). */
	close_fds_from(3);
	int code = pidns_supervise(command, true);
	return code < 0 ? EXIT_SETUP_FAILED : code;
}
// end::run-as-init[]

// tag::child-main[]
/* The cloned child: PID 1 of the new PID namespace. */
static int child_main(void *arg)
{
	const struct child_start *start = arg;
	const struct pidns_config *config = start->config;

	if (start->stack != NULL)
		sanitizer_adopt_stack(start->stack, CHILD_STACK_SIZE);
	/* Wait until the parent has done its part (maps, network). */
	if (wait_for_release(start) != 0)
		child_exit(EXIT_SETUP_FAILED);
	if (config->hostname != NULL && set_hostname(config->hostname) != 0)
		child_exit(EXIT_SETUP_FAILED);
	if ((config->namespaces & CLONE_NEWNS) && prepare_mounts(config) != 0)
		child_exit(EXIT_SETUP_FAILED);
	if (!config->run_init)
		exec_command(config, &start->saved_mask);
	child_exit(run_as_init(config, &start->saved_mask));
}
// end::child-main[]

// tag::spawn[]
int pidns_spawn(const struct pidns_config *config, struct pidns_child *child)
{
	child->pid = -1;
	child->release_fd = -1;
	if (check_config(config) != 0)
		return -1;
	/* Block the signals we forward before the child exists: one sent
	 * between clone and pidns_wait stays pending instead of killing us. */
	if (pidns_signals_block(&child->saved_mask) != 0)
		return -1;
	struct child_start start = {.config = config, .saved_mask = child->saved_mask};

	// BEGIN SOLUTION 02.1: clone into the namespaces, on a stack, held by a sync pipe
	// HINT: pipe2(2) with O_CLOEXEC gives the sync pipe (store both ends in start);
	// HINT: mmap(2) a CHILD_STACK_SIZE stack (MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK).
	// HINT: Flush stdio, then clone(child_main, top of the stack (it grows down),
	// HINT: config->namespaces | SIGCHLD, &start). In the parent: munmap the stack and
	// HINT: close the read end; keep the write end in child->release_fd. On failure
	// HINT: restore the signal mask and close what you opened.
	int sync_pipe[2];
	if (pipe2(sync_pipe, O_CLOEXEC) != 0) {
		fail_errno("pipe2 (sync pipe)");
		pidns_signals_restore(&child->saved_mask);
		return -1;
	}
	start.release_read_fd = sync_pipe[0];
	start.release_write_fd = sync_pipe[1];
	char *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		fail_errno("mmap the child's stack");
		close(sync_pipe[0]);
		close(sync_pipe[1]);
		pidns_signals_restore(&child->saved_mask);
		return -1;
	}
	start.stack = stack;
	/* Whatever stdio still buffers would be written twice: once by us
	 * and once by the child's copy of the buffer. */
	fflush(NULL);
	/* SIGCHLD as the exit signal makes the child an ordinary child that
	 * waitpid(2) reports. The stack grows down: pass its top. */
	pid_t pid = clone(child_main, stack + CHILD_STACK_SIZE, config->namespaces | SIGCHLD, &start);
	int clone_errno = errno;
	/* The child runs on its own copy of the stack: ours can go. */
	munmap(stack, CHILD_STACK_SIZE);
	close(sync_pipe[0]);
	if (pid < 0) {
		errno = clone_errno;
		fail_errno("clone into new namespaces");
		close(sync_pipe[1]);
		pidns_signals_restore(&child->saved_mask);
		return -1;
	}
	child->pid = pid;
	child->release_fd = sync_pipe[1];
	return 0;
	// END SOLUTION
	// STUB: pidns_signals_restore(&child->saved_mask);
	// STUB: return lab_todo("02.1");
}
// end::spawn[]

int pidns_release(struct pidns_child *child)
{
	char byte = 1;
	ssize_t written;

	do
		written = write(child->release_fd, &byte, 1);
	while (written < 0 && errno == EINTR);
	if (written != 1)
		return fail_errno("release the child %d (write to the sync pipe)", (int)child->pid);
	close(child->release_fd);
	child->release_fd = -1;
	return 0;
}

void pidns_cancel(struct pidns_child *child)
{
	int saved_errno = errno;

	/* A child still waiting reads end of file and exits quietly; one
	 * already running is killed. */
	if (child->release_fd >= 0) {
		close(child->release_fd);
		child->release_fd = -1;
	}
	if (child->pid > 0) {
		kill(child->pid, SIGKILL);
		while (waitpid(child->pid, NULL, 0) < 0 && errno == EINTR)
			;
		child->pid = -1;
	}
	pidns_signals_restore(&child->saved_mask);
	errno = saved_errno;
}

/* The supervisor's reap: only main_child is ours. Returns 1 when it was
 * reaped (its status in *status), 0 when it still runs, -1 on error. */
static int reap_main_child(pid_t main_child, int *status)
{
	for (;;) {
		pid_t pid = waitpid(main_child, status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return fail_errno("waitpid %d", (int)main_child);
		return pid == main_child;
	}
}

// tag::reap-children[]
/* An init's reap: every exited child, whoever it is (the orphans of the
 * namespace are all ours). Returns 1 when main_child was among them (its
 * status in *main_status), 0 when it still runs, -1 on error. */
static int reap_children(pid_t main_child, int *main_status)
{
	// BEGIN SOLUTION 02.4: reap every child, not only the command
	// HINT: loop on waitpid(-1, &status, WNOHANG): a PID > 0 is a reaped child (note
	// HINT: it when it is main_child); 0 means the others still run; -1 with ECHILD
	// HINT: means no child is left. One SIGCHLD may stand for many exits, so loop until
	// HINT: 0 or ECHILD. Retry on EINTR.
	int main_reaped = 0;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0)
			return main_reaped;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return main_reaped;
			return fail_errno("waitpid");
		}
		if (pid == main_child) {
			*main_status = status;
			main_reaped = 1;
		}
	}
	// END SOLUTION
	// STUB: return lab_todo("02.4");
}
// end::reap-children[]

// tag::forward-signal[]
/* Pass a signal we received on to the main child. */
static int forward_signal(pid_t main_child, int signal)
{
	// BEGIN SOLUTION 02.5: pass signals on to the command
	// HINT: kill(2) the main child with the same signal. It cannot have vanished: it
	// HINT: stays a zombie until we reap it. Report a failure with the signal's name
	// HINT: (strsignal) and the PID.
	if (kill(main_child, signal) != 0)
		return fail_errno("forward %s to %d", strsignal(signal), (int)main_child);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("02.5");
}
// end::forward-signal[]

// tag::supervise[]
int pidns_supervise(pid_t main_child, bool reap_orphans)
{
	sigset_t waited;

	pidns_forwarded_signals(&waited);
	sigaddset(&waited, SIGCHLD);
	/* The signals are blocked, so they wait for us, queued: even for
	 * PID 1, which the kernel otherwise spares every signal it has no
	 * handler for. sigwaitinfo takes them one at a time. */
	for (;;) {
		siginfo_t info;
		int signal = sigwaitinfo(&waited, &info);
		if (signal < 0) {
			if (errno == EINTR)
				continue;
			return fail_errno("sigwaitinfo");
		}
		if (signal != SIGCHLD) {
			if (forward_signal(main_child, signal) != 0)
				return -1;
			continue;
		}
		int status = 0;
		int reaped = reap_orphans ? reap_children(main_child, &status)
					  : reap_main_child(main_child, &status);
		if (reaped < 0)
			return -1;
		if (reaped)
			return exit_code_from_wait_status(status);
	}
}
// end::supervise[]

int pidns_wait(struct pidns_child *child)
{
	int code = pidns_supervise(child->pid, false);
	if (code < 0) {
		/* Leave nothing behind: SIGKILL reaches even a PID 1 from its
		 * parent namespace, and takes the whole namespace with it. */
		kill(child->pid, SIGKILL);
		while (waitpid(child->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	child->pid = -1;
	if (child->release_fd >= 0) {
		close(child->release_fd);
		child->release_fd = -1;
	}
	pidns_signals_restore(&child->saved_mask);
	return code;
}
