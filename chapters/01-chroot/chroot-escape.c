/* chroot-escape: break out of a chroot, then run a command from the real
 * root (chapter 01). Built statically so it runs inside the busybox rootfs.
 *
 *   chroot-escape [COMMAND [ARG...]]
 *
 * Exit status: 3 when there was nothing to escape from (the root did not
 * change, as after pivot_root), 125 on error, else COMMAND's (default
 * /bin/sh).
 *
 * Read: chroot(2) (NOTES: "This call does not change the current working
 * directory"), path_resolution(7).
 */
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: chroot-escape [COMMAND [ARG...]]\n"
		       "Escape from a chroot(2) jail and run COMMAND (default /bin/sh) from the\n"
		       "real root. Exit status 3 if the root did not change.\n");
		return 0;
	}
	int escaped = chroot_escape();
	if (escaped < 0)
		return 125;
	if (escaped == 0) {
		fprintf(stderr, "chroot-escape: still inside: the root did not change\n");
		return 3;
	}
	fprintf(stderr, "chroot-escape: escaped: now at the real root\n");
	char *default_command[] = {"/bin/sh", NULL};
	char **command = argc > 1 ? &argv[1] : default_command;
	execvp(command[0], command);
	int saved_errno = errno;
	fail_errno("exec %s", command[0]);
	return saved_errno == ENOENT ? 127 : 126;
}
