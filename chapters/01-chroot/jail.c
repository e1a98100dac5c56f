/* jail: run a command with a new root directory, in its own mount
 * namespace, with a fresh /proc (chapter 01).
 *
 *   jail [--chroot | --pivot] [--no-proc] ROOTFS [COMMAND [ARG...]]
 *
 * By default the root is changed with pivot_root(2), which cannot be
 * escaped; --chroot uses chroot(2) instead, to show that it can be.
 * Exit status: the command's own; 125 when jail itself fails, 126 when
 * the command cannot be executed, 127 when it is not found.
 *
 * Read: unshare(2), chroot(2), pivot_root(2), mount_namespaces(7).
 */
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_JAIL_FAILED 125

static void usage(FILE *out)
{
	fprintf(out,
		"usage: jail [--chroot | --pivot] [--no-proc] ROOTFS [COMMAND [ARG...]]\n"
		"\n"
		"Run COMMAND (default /bin/sh) with ROOTFS as its root directory, in a new\n"
		"mount namespace, with a fresh /proc mounted inside.\n"
		"\n"
		"  --pivot     change the root with pivot_root(2) and detach the old one (default)\n"
		"  --chroot    change the root with chroot(2): escapable, see chapter 01\n"
		"  --no-proc   do not mount /proc inside\n"
		"  -h, --help  show this help\n"
		"\n"
		"Exit status: COMMAND's; 125 if jail fails, 126 if COMMAND cannot run, 127 if\n"
		"it is not found. Needs root.\n");
}

int main(int argc, char **argv)
{
	enum { USE_PIVOT, USE_CHROOT } method = USE_PIVOT;
	int with_proc = 1;
	static const struct option options[] = {
		{"chroot", no_argument, NULL, 'c'}, {"pivot", no_argument, NULL, 'p'},
		{"no-proc", no_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int option;

	/* "+" stops at the first non-option, so the command's own options
	 * (jail ROOTFS ls -l) are left alone. */
	while ((option = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (option) {
		case 'c': method = USE_CHROOT; break;
		case 'p': method = USE_PIVOT; break;
		case 'n': with_proc = 0; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "jail: missing ROOTFS (try jail --help)\n");
		return 2;
	}
	const char *rootfs = argv[optind++];
	char *default_command[] = {"/bin/sh", NULL};
	char **command = optind < argc ? &argv[optind] : default_command;

	/* Check the input before changing anything. */
	if (rootfs_validate(rootfs) != 0)
		return EXIT_JAIL_FAILED;
	char *absolute_rootfs = realpath(rootfs, NULL);
	if (absolute_rootfs == NULL) {
		fail_errno("rootfs %s", rootfs);
		return EXIT_JAIL_FAILED;
	}

	// tag::main-steps[]
	/* A mount namespace of our own: everything mounted from here on
	 * disappears with this process. */
	if (unshare(CLONE_NEWNS) != 0) {
		fail_errno("unshare(CLONE_NEWNS)");
		return EXIT_JAIL_FAILED;
	}
	if (mount_tree_make_private() != 0)
		return EXIT_JAIL_FAILED;
	if (method == USE_PIVOT ? pivot_into(absolute_rootfs) : enter_chroot(absolute_rootfs))
		return EXIT_JAIL_FAILED;
	if (with_proc && mount_proc("/proc") != 0)
		return EXIT_JAIL_FAILED;
	// end::main-steps[]
	free(absolute_rootfs);

	/* Flush before exec: buffered output would be lost. */
	fflush(NULL);
	execvp(command[0], command);
	int saved_errno = errno;
	fail_errno("exec %s", command[0]);
	return saved_errno == ENOENT ? 127 : 126;
}
