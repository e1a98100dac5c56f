/* pidns: run a command in new PID, mount, UTS and IPC namespaces, under a
 * minimal init (chapter 02).
 *
 *   pidns [--pid] [--mount] [--uts] [--ipc] [--hostname NAME] [--root ROOTFS]
 *         [--no-proc] [--no-init] [--] [COMMAND [ARG...]]
 *
 * With no namespace option, all four are made. PID 1 inside is pidns's
 * init, which runs COMMAND as PID 2, passes signals on to it and reaps
 * every orphan; --no-init makes COMMAND itself PID 1, to show why an init
 * is needed. Exit status: COMMAND's (128+N when killed by signal N); 125
 * when pidns itself fails, 126 when COMMAND cannot run, 127 when it is
 * not found; 2 for a usage error.
 *
 * Read: clone(2), namespaces(7), pid_namespaces(7), uts_namespaces(7),
 * ipc_namespaces(7), unshare(1).
 */
#include "pidns.h"
#include "rootfs.h"
#include "util.h"

#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_PIDNS_FAILED 125
#define EXIT_USAGE 2

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pidns [--pid] [--mount] [--uts] [--ipc] [--hostname NAME] [--root ROOTFS]\n"
		"             [--no-proc] [--no-init] [--] [COMMAND [ARG...]]\n"
		"\n"
		"Run COMMAND (default /bin/sh) in new namespaces, under a minimal init that\n"
		"forwards signals to it and reaps orphans. Without a namespace option, all of\n"
		"--pid --mount --uts --ipc are made.\n"
		"\n"
		"  --pid            a new PID namespace: the init is PID 1, COMMAND PID 2\n"
		"  --mount          a new mount namespace, with a fresh /proc mounted inside\n"
		"  --uts            a new UTS namespace (its own hostname)\n"
		"  --ipc            a new IPC namespace (its own SysV IPC and POSIX queues)\n"
		"  --hostname NAME  set the hostname inside (needs --uts)\n"
		"  --root ROOTFS    pivot_root into ROOTFS (needs --mount)\n"
		"  --no-proc        do not mount /proc inside\n"
		"  --no-init        exec COMMAND as PID 1 itself (no reaping, signals ignored)\n"
		"  -h, --help       show this help\n"
		"\n"
		"Exit status: COMMAND's (128+N if killed by signal N); 125 if pidns fails, 126\n"
		"if COMMAND cannot run, 127 if it is not found, 2 for a usage error. Needs root.\n");
}

/* A usage error is one line, like every other error. */
static int usage_error(const char *message, const char *object)
{
	fprintf(stderr, "pidns: %s%s (try pidns --help)\n", message, object);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct pidns_config config = {.mount_proc = true, .run_init = true};
	int namespaces = 0;
	const char *rootfs = NULL;
	static const struct option options[] = {
		{"pid", no_argument, NULL, 'p'},	   {"mount", no_argument, NULL, 'm'},
		{"uts", no_argument, NULL, 'u'},	   {"ipc", no_argument, NULL, 'i'},
		{"hostname", required_argument, NULL, 'H'}, {"root", required_argument, NULL, 'r'},
		{"no-proc", no_argument, NULL, 'P'},	   {"no-init", no_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},	   {NULL, 0, NULL, 0},
	};
	int option;

	/* "+" stops at the first non-option: the command's options are its
	 * own. ":" and opterr = 0: we word the errors ourselves. */
	opterr = 0;
	while ((option = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
		switch (option) {
		case 'p': namespaces |= CLONE_NEWPID; break;
		case 'm': namespaces |= CLONE_NEWNS; break;
		case 'u': namespaces |= CLONE_NEWUTS; break;
		case 'i': namespaces |= CLONE_NEWIPC; break;
		case 'H': config.hostname = optarg; break;
		case 'r': rootfs = optarg; break;
		case 'P': config.mount_proc = false; break;
		case 'I': config.run_init = false; break;
		case 'h': usage(stdout); return 0;
		case ':': return usage_error("missing value for ", argv[optind - 1]);
		default: return usage_error("unknown option ", argv[optind - 1]);
		}
	}
	if (namespaces == 0)
		namespaces = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;
	config.namespaces = namespaces;
	if (config.hostname != NULL && !(namespaces & CLONE_NEWUTS))
		return usage_error("--hostname needs --uts", "");
	if (rootfs != NULL && !(namespaces & CLONE_NEWNS))
		return usage_error("--root needs --mount", "");
	/* /proc can only be replaced in a mount namespace of our own. */
	if (!(namespaces & CLONE_NEWNS))
		config.mount_proc = false;

	char *default_command[] = {"/bin/sh", NULL};
	config.command = optind < argc ? &argv[optind] : default_command;

	/* Check the input before any namespace exists. */
	char *absolute_rootfs = NULL;
	if (rootfs != NULL) {
		if (rootfs_validate(rootfs) != 0)
			return EXIT_PIDNS_FAILED;
		absolute_rootfs = realpath(rootfs, NULL);
		if (absolute_rootfs == NULL) {
			fail_errno("rootfs %s", rootfs);
			return EXIT_PIDNS_FAILED;
		}
		config.root = absolute_rootfs;
	}

	// tag::main-steps[]
	struct pidns_child child;
	if (pidns_spawn(&config, &child) != 0) {
		free(absolute_rootfs);
		return EXIT_PIDNS_FAILED;
	}
	/* The child now exists, in its namespaces, waiting on the sync pipe.
	 * This is the moment a runtime writes its uid_map or moves a network
	 * interface into the child (chapters 04 and 08); pidns has nothing
	 * more to prepare, so it lets the child go at once. */
	if (pidns_release(&child) != 0) {
		pidns_cancel(&child);
		free(absolute_rootfs);
		return EXIT_PIDNS_FAILED;
	}
	int code = pidns_wait(&child);
	// end::main-steps[]
	free(absolute_rootfs);
	return code < 0 ? EXIT_PIDNS_FAILED : code;
}
