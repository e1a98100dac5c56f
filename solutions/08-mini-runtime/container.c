/* container.c: create, start, kill and delete a container, the OCI way
 * (chapter 08). The orchestration on top of the earlier chapters'
 * modules; see container.h for the lifecycle.
 *
 * Read: clone(2), pipe(7), fifo(7), poll(2), prctl(2) (PR_SET_PDEATHSIG),
 * kill(2), waitpid(2), execve(2), runtime.md of the OCI runtime spec.
 */
#include "container.h"
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define INIT_STACK_SIZE (1024 * 1024)
/* The byte the first process sends on the sync pipe when it is set up. */
#define INIT_READY 'R'

/* What the container's first process gets from create. */
struct init_arguments {
	const struct oci_config *config;
	int sync_write;      /* "ready" goes here; EOF means it failed */
	int sync_read;       /* the parent's end, closed in the child */
	int state_directory; /* O_PATH fd of ROOT/ID, for the exec fifo */
};

// tag::init-setup[]
/* Inside the new namespaces, before anything runs: build the container's
 * world out of config.json. */
static int container_init_setup(const struct oci_config *config)
{
	// BEGIN SOLUTION 08.1: the order of setup inside the container's first process
	// HINT: Each step needs the one before. Make the mount tree private (01.1) so nothing
	// HINT: leaks to the host; mount config.json's mounts (container_mounts_apply) and fill
	// HINT: /dev (container_dev_populate) while host paths are still reachable; pivot_into
	// HINT: the root (01.4); then, inside: masked/read-only paths, root.readonly, hostname
	// HINT: and rlimits (container_process_attributes_apply), and chdir to process.cwd.
	if (mount_tree_make_private() != 0)
		return -1;
	/* Mounts first, under the root path: a bind mount's source is a
	 * host path, unreachable after pivot_root. */
	if (container_mounts_apply(config) != 0)
		return -1;
	if (container_dev_populate(config) != 0)
		return -1;
	/* From here on the host's files are out of reach. */
	if (pivot_into(config->root_path) != 0)
		return -1;
	/* Masking needs /proc and /sys mounted, and /dev/null in place. */
	if (container_paths_mask_and_protect(config) != 0)
		return -1;
	/* Read-only last: the steps above still wrote mount points. */
	if (container_root_make_readonly(config) != 0)
		return -1;
	if (container_process_attributes_apply(config) != 0)
		return -1;
	if (chdir(config->process.cwd) != 0)
		return fail_errno("chdir %s (process.cwd)", config->process.cwd);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("08.1");
}
// end::init-setup[]

// tag::init-wait[]
/* Block until `minirun start` opens the exec fifo for reading. */
static int container_init_wait_for_start(int state_directory)
{
	// BEGIN SOLUTION 08.2: wait on the exec fifo until start releases the process
	// HINT: openat(state_directory, CONTAINER_EXEC_FIFO, O_WRONLY | O_CLOEXEC) blocks until a
	// HINT: reader opens the fifo: that reader is `minirun start`. Then write one byte so
	// HINT: start knows the process went through, and close both descriptors.
	/* Opening a fifo for writing blocks until someone opens it for
	 * reading: this open is the "created" state. The directory fd was
	 * opened before pivot_root; after it, no path leads there. */
	int fifo = openat(state_directory, CONTAINER_EXEC_FIFO, O_WRONLY | O_CLOEXEC);
	if (fifo < 0)
		return fail_errno("open the exec fifo");
	if (write(fifo, "0", 1) != 1) {
		fail_errno("write to the exec fifo");
		close(fifo);
		return -1;
	}
	close(fifo);
	close(state_directory);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("08.2");
}
// end::init-wait[]

/* The container's first process, from clone to execve. */
static int container_init(void *argument)
{
	const struct init_arguments *init = argument;
	const struct oci_config *config = init->config;
	char program[PATH_MAX];

	/* If the runtime dies during setup, die too rather than be a
	 * half-built container nobody knows about. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(init->sync_read);
	if (container_init_setup(config) != 0)
		_exit(1);
	/* Find the program now, so create (not start) fails on a typo. */
	if (container_find_program(config, program, sizeof program) != 0)
		_exit(1);
	/* Ready: from here the process outlives the runtime (create exits). */
	prctl(PR_SET_PDEATHSIG, 0);
	char ready = INIT_READY;
	if (write(init->sync_write, &ready, 1) != 1)
		_exit(1);
	close(init->sync_write);

	if (container_init_wait_for_start(init->state_directory) != 0)
		_exit(1);
	if (container_credentials_apply(config) != 0)
		_exit(1);
	/* HOOK (chapter 07): capabilities (process.capabilities),
	 * no_new_privs (process.noNewPrivileges), then seccomp (config->seccomp)
	 * last, right before execve. */
	close_fds_from(3);
	execve(program, config->process.args, config->process.env);
	int saved_errno = errno;
	fail_errno("exec %s", program);
	_exit(saved_errno == ENOENT ? 127 : 126);
}

static void utc_now(char *buffer, size_t size)
{
	struct timespec now;
	struct tm broken_down;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &broken_down);
	size_t length = strftime(buffer, size, "%Y-%m-%dT%H:%M:%S", &broken_down);
	snprintf(buffer + length, size - length, ".%09ldZ", now.tv_nsec);
}

static int write_pid_file(const char *pid_file, pid_t pid)
{
	char temporary[PATH_MAX], text[32];

	/* Written whole and renamed into place: conmon reads it as soon as
	 * create exits. */
	if (snprintf(temporary, sizeof temporary, "%s.tmp", pid_file) >= (int)sizeof temporary)
		return fail_msg("pid file %s: name too long", pid_file);
	snprintf(text, sizeof text, "%d", (int)pid);
	int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail_errno("open %s", temporary);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		fail_errno("write %s", temporary);
		close(fd);
		unlink(temporary);
		return -1;
	}
	close(fd);
	if (rename(temporary, pid_file) != 0) {
		fail_errno("rename %s to %s", temporary, pid_file);
		unlink(temporary);
		return -1;
	}
	return 0;
}

/* Kill and reap our child, remove the state directory: create's undo. */
static void create_undo(struct container_state *state, pid_t child)
{
	if (child > 0) {
		kill(child, SIGKILL);
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	}
	container_state_directory_remove(state);
}

// tag::create[]
int container_create(const struct container_create_options *options,
		     struct container_state *state)
{
	const struct oci_config *config = options->config;
	char path[PATH_MAX + 32];
	int sync_pipe[2] = {-1, -1};
	int state_directory = -1;
	pid_t child = -1;
	char *stack = NULL;

	/* Everything that can be checked without changing the machine is
	 * checked before the state directory exists. */
	if (rootfs_validate(config->root_path) != 0)
		return -1;
	for (size_t i = 0; i < config->namespace_count; i++) {
		/* HOOK (chapter 03): join namespaces given by path (setns). */
		if (config->namespaces[i].path != NULL)
			return fail_msg("config.json: linux.namespaces[%zu].path: joining a namespace is not supported yet",
					i);
		/* HOOK (chapters 02 and 07): a user namespace needs its id
		 * maps written by the parent between clone and setup. */
		if (config->namespaces[i].clone_flag == CLONE_NEWUSER)
			return fail_msg("config.json: linux.namespaces[%zu]: user namespaces are not supported yet",
					i);
	}
	if (config->hostname != NULL && !(config->clone_flags & CLONE_NEWUTS))
		return fail_msg("config.json: hostname: needs a new uts namespace");
	if (config->process.terminal)
		return fail_msg("config.json: process.terminal: terminals (--console-socket) are not supported yet");

	if (container_state_directory_create(options->state_root, options->id, state) != 0)
		return -1;
	snprintf(state->bundle, sizeof state->bundle, "%s", config->bundle);
	snprintf(state->rootfs, sizeof state->rootfs, "%s", config->root_path);
	utc_now(state->created, sizeof state->created);
	if (config->annotations != NULL)
		state->annotations = json_incref(config->annotations);
	state->status = CONTAINER_CREATING;
	if (container_state_write(state) != 0)
		goto fail;

	// BEGIN SOLUTION 08.3: the runtime's steps from clone to "created"
	// HINT: mkfifo the exec fifo (0600) in state->directory; open state->directory with
	// HINT: O_PATH | O_DIRECTORY | O_CLOEXEC for the child; pipe2(O_CLOEXEC) for "ready";
	// HINT: clone(container_init, stack top, config->clone_flags | CLONE_NEWNS | SIGCHLD, &args);
	// HINT: record the PID and process_start_time in state.json AT ONCE (delete --force needs
	// HINT: it); close your write end and read one byte: INIT_READY, or EOF if the child
	// HINT: failed (it said why). Then status "created", and the pid file if asked.
	snprintf(path, sizeof path, "%s/%s", state->directory, CONTAINER_EXEC_FIFO);
	if (mkfifo(path, 0600) != 0) {
		fail_errno("mkfifo %s", path);
		goto fail;
	}
	state_directory = open(state->directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (state_directory < 0) {
		fail_errno("open %s", state->directory);
		goto fail;
	}
	if (pipe2(sync_pipe, O_CLOEXEC) != 0) {
		fail_errno("pipe2");
		goto fail;
	}
	stack = malloc(INIT_STACK_SIZE);
	if (stack == NULL) {
		fail_errno("allocate the child's stack");
		goto fail;
	}
	struct init_arguments init = {config, sync_pipe[1], sync_pipe[0], state_directory};
	/* Output buffered now would be written twice, by both processes. */
	fflush(NULL);
	/* HOOK (chapter 02): spawn through the pid-namespace module. A mount
	 * namespace always: setup mounts must never reach the host. */
	child = clone(container_init, stack + INIT_STACK_SIZE,
		      config->clone_flags | CLONE_NEWNS | SIGCHLD, &init);
	if (child < 0) {
		fail_errno("clone the container's process");
		goto fail;
	}
	/* Record the PID before anything else can go wrong: a runtime
	 * killed from here on leaves enough for delete --force. */
	state->pid = child;
	/* ESRCH: the child already failed (and said why); the sync pipe's
	 * EOF below handles it. */
	if (process_start_time(child, &state->pid_start_time) != 0 && errno != ESRCH) {
		fail_errno("read the start time of %d", (int)child);
		goto fail;
	}
	if (container_state_write(state) != 0)
		goto fail;
	close(sync_pipe[1]);
	sync_pipe[1] = -1;
	close(state_directory);
	state_directory = -1;

	char ready = 0;
	ssize_t got;
	while ((got = read(sync_pipe[0], &ready, 1)) < 0 && errno == EINTR)
		;
	if (got != 1 || ready != INIT_READY)
		goto fail; /* the child printed why */
	close(sync_pipe[0]);
	sync_pipe[0] = -1;

	/* HOOK (chapter 05): the cgroup (config->resources at
	 * config->cgroups_path) is made before clone, recorded in
	 * state->cgroup_path first, and the child joins it before setup. */
	state->status = CONTAINER_CREATED;
	if (container_state_write(state) != 0)
		goto fail;
	if (options->pid_file != NULL && write_pid_file(options->pid_file, child) != 0)
		goto fail;
	free(stack);
	return 0;
	// END SOLUTION
	// STUB: lab_todo("08.3");
	// STUB: goto fail;
fail:
	if (sync_pipe[0] >= 0)
		close(sync_pipe[0]);
	if (sync_pipe[1] >= 0)
		close(sync_pipe[1]);
	if (state_directory >= 0)
		close(state_directory);
	free(stack);
	create_undo(state, child);
	container_state_release(state);
	return -1;
}
// end::create[]

// tag::status[]
enum container_status container_status(const struct container_state *state)
{
	// BEGIN SOLUTION 08.4: the state machine: what status is the container in now?
	// HINT: The record says creating, created or running; the process may have exited since.
	// HINT: If the recorded status is not "stopped" and container_process_alive() says the
	// HINT: process is gone (or its PID now belongs to someone else), it is "stopped".
	// HINT: "creating" with no PID yet is still "creating".
	if (state->status == CONTAINER_STOPPED)
		return CONTAINER_STOPPED;
	/* A create killed before clone: nothing runs, but the directory
	 * is there until delete --force. */
	if (state->status == CONTAINER_CREATING && state->pid == 0)
		return CONTAINER_CREATING;
	if (!container_process_alive(state))
		return CONTAINER_STOPPED;
	return state->status;
	// END SOLUTION
	// STUB: lab_todo("08.4");
	// STUB: return CONTAINER_STOPPED;
}
// end::status[]

// tag::start[]
int container_start(struct container_state *state)
{
	enum container_status status = container_status(state);
	char path[PATH_MAX + 32];

	if (status != CONTAINER_CREATED)
		return fail_msg("start %s: the container is %s, not created", state->id,
				container_status_name(status));
	// BEGIN SOLUTION 08.5: release the waiting process through the exec fifo
	// HINT: open the fifo O_RDONLY | O_NONBLOCK (a blocking open would hang forever if the
	// HINT: process died); poll(2) it for POLLIN in short steps, giving up if
	// HINT: container_process_alive() turns false; read the byte; unlink the fifo (start
	// HINT: works once); record status "running".
	snprintf(path, sizeof path, "%s/%s", state->directory, CONTAINER_EXEC_FIFO);
	int fifo = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return fail_errno("open %s", path);
	/* Our open lets the process's blocking open(O_WRONLY) return; its
	 * byte says it is on its way to execve. */
	char byte;
	while (true) {
		struct pollfd wait_for = {.fd = fifo, .events = POLLIN};
		int ready = poll(&wait_for, 1, 100);
		if (ready < 0 && errno != EINTR) {
			fail_errno("poll %s", path);
			close(fifo);
			return -1;
		}
		if (ready > 0 && read(fifo, &byte, 1) == 1)
			break;
		if (!container_process_alive(state)) {
			close(fifo);
			return fail_msg("start %s: the container's process exited before it was started",
					state->id);
		}
	}
	close(fifo);
	unlink(path);
	state->status = CONTAINER_RUNNING;
	return container_state_write(state);
	// END SOLUTION
	// STUB: return lab_todo("08.5");
}
// end::start[]

// tag::kill[]
int container_kill(const struct container_state *state, int signal)
{
	// BEGIN SOLUTION 08.6: signal the container's process, if there is one
	// HINT: Only a created or running container has a process (container_status). A
	// HINT: stopped one is an error ("container X is stopped"), never a kill(2) of a PID
	// HINT: that may belong to someone else by now.
	enum container_status status = container_status(state);
	if (status != CONTAINER_CREATED && status != CONTAINER_RUNNING)
		return fail_msg("kill %s: the container is %s", state->id, container_status_name(status));
	if (kill(state->pid, signal) != 0)
		return fail_errno("kill %s (PID %d)", state->id, (int)state->pid);
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("08.6");
}
// end::kill[]

// tag::delete[]
int container_delete(struct container_state *state, bool force)
{
	// BEGIN SOLUTION 08.7: delete a stopped container, or kill first with --force
	// HINT: Without force, anything but "stopped" is an error. With force, SIGKILL the process
	// HINT: if container_process_alive(), then wait until it is gone (poll every 10 ms; reap
	// HINT: it with waitpid(WNOHANG) in case we are its parent), then remove the state
	// HINT: directory (container_state_directory_remove).
	enum container_status status = container_status(state);
	if (status != CONTAINER_STOPPED && !force)
		return fail_msg("delete %s: the container is %s: stop it first, or use --force",
				state->id, container_status_name(status));
	if (container_process_alive(state)) {
		if (kill(state->pid, SIGKILL) != 0 && errno != ESRCH)
			return fail_errno("kill %s (PID %d)", state->id, (int)state->pid);
		/* SIGKILL is not instant: wait until the process is gone, so
		 * that what it holds (mounts, namespaces) is released. */
		for (int tries = 0; container_process_alive(state); tries++) {
			waitpid(state->pid, NULL, WNOHANG);
			if (tries == 1000)
				return fail_msg("delete %s: PID %d did not die", state->id, (int)state->pid);
			usleep(10000);
		}
	}
	/* HOOK (chapter 05): remove state->cgroup_path; (chapter 04):
	 * delete state->network_link. Both recorded before being made. */
	return container_state_directory_remove(state);
	// END SOLUTION
	// STUB: return lab_todo("08.7");
}
// end::delete[]

int container_wait(struct container_state *state)
{
	int wait_status;

	while (waitpid(state->pid, &wait_status, 0) < 0)
		if (errno != EINTR)
			return fail_errno("wait for %s (PID %d)", state->id, (int)state->pid);
	state->status = CONTAINER_STOPPED;
	if (container_state_write(state) != 0)
		return -1;
	return wait_status;
}
