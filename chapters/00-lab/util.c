/* util.c: shared helpers; see util.h. Not an exercise.
 * Read: errno(3), close_range(2), wait(2). */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

static void vreport(const char *prefix, const char *format, va_list args, int errnum)
{
	char message[1024];

	vsnprintf(message, sizeof message, format, args);
	/* One fprintf, so the line is written whole even when several
	 * processes share stderr. */
	if (errnum)
		fprintf(stderr, "%s: %s%s: %s\n", program_invocation_short_name, prefix, message,
			strerror(errnum));
	else
		fprintf(stderr, "%s: %s%s\n", program_invocation_short_name, prefix, message);
}

int fail_errno(const char *format, ...)
{
	int saved_errno = errno;
	va_list args;

	va_start(args, format);
	vreport("", format, args, saved_errno);
	va_end(args);
	errno = saved_errno;
	return -1;
}

int fail_msg(const char *format, ...)
{
	int saved_errno = errno;
	va_list args;

	va_start(args, format);
	vreport("", format, args, 0);
	va_end(args);
	errno = saved_errno;
	return -1;
}

void warn_msg(const char *format, ...)
{
	int saved_errno = errno;
	va_list args;

	va_start(args, format);
	vreport("warning: ", format, args, 0);
	va_end(args);
	errno = saved_errno;
}

int lab_todo(const char *exercise_id)
{
	fprintf(stderr, "%s: exercise %s not done yet (see its TODO in labs/)\n",
		program_invocation_short_name, exercise_id);
	errno = ENOSYS;
	return -1;
}

int write_file(const char *path, const char *text)
{
	size_t length = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("open %s", path);
	ssize_t written = write(fd, text, length);
	if (written < 0) {
		int saved_errno = errno;
		close(fd);
		errno = saved_errno;
		return fail_errno("write %s to %s", text, path);
	}
	close(fd);
	if ((size_t)written != length) {
		errno = EIO;
		return fail_errno("write %s to %s (short write)", text, path);
	}
	return 0;
}

ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("open %s", path);
	size_t total = 0;
	while (total + 1 < size) {
		ssize_t n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved_errno = errno;
			close(fd);
			errno = saved_errno;
			return fail_errno("read %s", path);
		}
		if (n == 0)
			break;
		total += (size_t)n;
	}
	close(fd);
	buf[total] = '\0';
	if (total > 0 && buf[total - 1] == '\n')
		buf[--total] = '\0';
	return (ssize_t)total;
}

int parse_long(const char *text, long min, long max, long *out)
{
	char *end;

	if (text == NULL || *text == '\0') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	long value = strtol(text, &end, 10);
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || value < min || value > max) {
		errno = ERANGE;
		return -1;
	}
	*out = value;
	return 0;
}

void close_fds_from(int lowest)
{
	/* close_range(2) is one system call; fall back to a loop on kernels
	 * older than 5.9. */
	if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = lowest; fd < (max > 0 ? max : 1024); fd++)
		close((int)fd);
}

int exit_code_from_wait_status(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return 1;
}

void sanitizer_adopt_stack(void *stack_bottom, size_t size)
{
#if defined(__SANITIZE_ADDRESS__)
	/* Announce a switch to the clone stack and complete it at once: we
	 * are already running on it. NULL: the old "fiber" is gone for good. */
	__sanitizer_start_switch_fiber(NULL, stack_bottom, size);
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#else
	(void)stack_bottom;
	(void)size;
#endif
}
