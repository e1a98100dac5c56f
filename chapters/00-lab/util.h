/* util.h: the few helpers every chapter's module and program share.
 *
 * The module contract (shared/DESIGN.md): a module function never exits
 * and never prints on success; on failure it reports once, where the
 * failure happened, naming the call, the object and strerror(errno), and
 * returns -1. These helpers make that one line easy to write.
 *
 * Read: errno(3), strerror(3), program_invocation_short_name(3).
 */
#ifndef LAB_UTIL_H
#define LAB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Print "PROGRAM: MESSAGE: strerror(errno)" on stderr and return -1.
 * errno is preserved, so the caller can still look at it. */
int fail_errno(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Print "PROGRAM: MESSAGE" on stderr (no errno) and return -1. */
int fail_msg(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Print "PROGRAM: warning: MESSAGE" on stderr. */
void warn_msg(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* What an untouched exercise stub returns: prints "exercise ID not done
 * yet" once, sets errno to ENOSYS and returns -1. */
int lab_todo(const char *exercise_id);

/* Write the string to an existing file (a /proc or cgroupfs knob) in one
 * write(2). Returns 0, or -1 after reporting "write PATH: ...". */
int write_file(const char *path, const char *text);

/* Read at most size-1 bytes of a file into buf, NUL-terminated, with a
 * trailing newline removed. Returns the length, or -1 after reporting. */
ssize_t read_file(const char *path, char *buf, size_t size);

/* Parse a whole decimal string into [min, max]. Returns 0, or -1 with
 * errno = EINVAL (not a number) or ERANGE (out of range); prints nothing. */
int parse_long(const char *text, long min, long max, long *out);

/* Close every file descriptor from lowest upward (close_range(2)), so a
 * program we exec inherits nothing we did not mean to give it. */
void close_fds_from(int lowest);

/* Exit status for a wait(2) status as a shell reports it: the exit code,
 * or 128 + the signal number when the process was killed. */
int exit_code_from_wait_status(int wait_status);

/* Tell AddressSanitizer that this process now runs on a stack of its own
 * (the child of a clone(2) given a new stack, and its forks): without it
 * ASan warns at the first noreturn call. A no-op in normal builds. */
void sanitizer_adopt_stack(void *stack_bottom, size_t size);

#endif
