/* container_hooks.c: run an OCI config's hooks (chapter 08).
 *
 * A hook is a program the runtime runs at a fixed point of the lifecycle,
 * with the container's state JSON on its stdin: createRuntime (and the
 * deprecated prestart) once the namespaces exist, createContainer and
 * startContainer inside the container, poststart after start, poststop in
 * delete. Tools use them to plug a network in, to register the container
 * somewhere, to clean up. Each is fork + execve of an absolute path with
 * the config's args and env, never a shell; its stdout and stderr go to
 * the runtime's stderr; a timeout kills it.
 *
 * Read: the OCI runtime specification, config.md ("POSIX-platform Hooks")
 * and runtime.md ("Lifecycle"), fork(2), execve(2), pipe(2), waitpid(2).
 */
#include "container.h"
#include "util.h"

#include <stdarg.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A failing poststart or poststop hook is a warning (the container has
 * started, or is gone already); any other is an error. */
static bool failures_are_warnings;

static int __attribute__((format(printf, 1, 2))) hook_failed(const char *format, ...)
{
	char message[512];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(message, sizeof message, format, arguments);
	va_end(arguments);
	if (failures_are_warnings)
		warn_msg("%s", message);
	else
		fail_msg("%s", message);
	return -1;
}

/* How often a hook with a timeout is checked on: 5 ms. */
#define HOOK_POLL_NS 5000000L

/* Write all of text to fd; a hook that does not read its stdin (EPIPE)
 * is fine. */
static int write_all_quietly(int fd, const char *text, size_t length)
{
	while (length > 0) {
		ssize_t written = write(fd, text, length);
		if (written < 0) {
			if (errno == EINTR)
				continue;
			return errno == EPIPE ? 0 : -1;
		}
		text += written;
		length -= (size_t)written;
	}
	return 0;
}

/* Wait for pid, killing it after timeout seconds (0: no limit). Returns
 * its wait status, or -1 after a timeout (reported). */
static int wait_hook(pid_t pid, int timeout, const char *what)
{
	int status;
	struct timespec start, now, step = {.tv_sec = 0, .tv_nsec = HOOK_POLL_NS};

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t done = waitpid(pid, &status, timeout > 0 ? WNOHANG : 0);
		if (done == pid)
			return status;
		if (done < 0 && errno != EINTR)
			return hook_failed("%s: waitpid: %s", what, strerror(errno));
		if (timeout <= 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) / 1e9 >= timeout) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return hook_failed("%s: timed out after %d s (killed)", what, timeout);
		}
		nanosleep(&step, NULL);
	}
}

/* Run one hook with state_json on stdin. Returns 0 if it exited 0. */
static int run_hook(const struct oci_hook *hook, const char *what, const char *state_json)
{
	char *default_args[] = {(char *)hook->path, NULL};
	char **args = hook->args != NULL && hook->args[0] != NULL ? hook->args : default_args;
	int input[2];

	if (pipe2(input, O_CLOEXEC) != 0)
		return hook_failed("%s: pipe: %s", what, strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(input[0]);
		close(input[1]);
		return hook_failed("%s: fork: %s", what, strerror(errno));
	}
	if (pid == 0) {
		/* stdin: the state; stdout: the runtime's stderr, so a hook's
		 * chatter never mixes with what the runtime prints (state). */
		if (dup2(input[0], STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execve(hook->path, args, hook->env);
		fprintf(stderr, "%s: %s%s: exec %s: %s\n", program_invocation_short_name,
			failures_are_warnings ? "warning: " : "", what, hook->path, strerror(errno));
		_exit(127);
	}
	close(input[0]);
	/* A hook that exits without reading must not kill us with SIGPIPE. */
	struct sigaction ignore = {.sa_handler = SIG_IGN}, saved;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, &saved);
	int written = write_all_quietly(input[1], state_json, strlen(state_json));
	int saved_errno = errno;
	close(input[1]);
	sigaction(SIGPIPE, &saved, NULL);
	int status = wait_hook(pid, hook->timeout, what);
	if (status < 0)
		return -1;
	if (written != 0)
		return hook_failed("%s: write the state to %s: %s", what, hook->path, strerror(saved_errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return hook_failed("%s: %s killed by signal %d", what, hook->path, WTERMSIG(status));
	return hook_failed("%s: %s exited with status %d", what, hook->path, WEXITSTATUS(status));
}

char *container_hooks_state_text(const struct container_state *state, enum container_status status)
{
	json_t *json = container_state_to_json(state, status);
	char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
	json_decref(json);
	if (text == NULL)
		fail_msg("hooks: cannot build the state JSON of %s", state->id);
	return text;
}

int container_hooks_run_text(const struct oci_config *config, enum oci_hook_kind kind,
			     const char *state_json)
{
	int result = 0;
	failures_are_warnings = kind == OCI_HOOK_POSTSTART || kind == OCI_HOOK_POSTSTOP;
	for (size_t i = 0; i < config->hook_count[kind] && result == 0; i++) {
		char what[64];
		snprintf(what, sizeof what, "hooks.%s[%zu]", oci_hook_kind_name(kind), i);
		result = run_hook(&config->hooks[kind][i], what, state_json);
	}
	return result;
}

int container_hooks_run(const struct oci_config *config, enum oci_hook_kind kind,
			const struct container_state *state, enum container_status status)
{
	if (config->hook_count[kind] == 0)
		return 0;
	char *text = container_hooks_state_text(state, status);
	if (text == NULL)
		return -1;
	int result = container_hooks_run_text(config, kind, text);
	free(text);
	return result;
}
