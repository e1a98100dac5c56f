/* nsjoin: run a command in the namespaces of another process, or in
 * namespaces pinned to files; pin and unpin namespaces (chapter 03).
 *
 *   nsjoin --target PID [--user] [--cgroup] [--ipc] [--uts] [--net] [--pid]
 *          [--time] [--mnt] [--all] [--TYPE=FILE...] [--] [COMMAND [ARG...]]
 *   nsjoin pin --target PID --TYPE FILE [--TYPE FILE...]
 *   nsjoin unpin FILE...
 *
 * Like util-linux nsenter(1): every namespace file is opened and checked
 * first, then all are joined (user first, mount last), then, if a PID
 * namespace was joined, nsjoin forks so that the command runs inside it,
 * waits for it and exits with its status.
 * Exit status: COMMAND's (128+N when killed by signal N); 125 when nsjoin
 * fails; 126 when COMMAND cannot be executed, 127 when it is not found;
 * 1 when pin or unpin fails; 2 on a usage error.
 *
 * Read: setns(2), namespaces(7), nsenter(1), ip-netns(8), ioctl_ns(2).
 */
#include "nsjoin.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_NSJOIN_FAILED 125

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nsjoin --target PID [--user] [--cgroup] [--ipc] [--uts] [--net] [--pid]\n"
		"              [--time] [--mnt] [--all] [--TYPE=FILE...] [--] [COMMAND [ARG...]]\n"
		"       nsjoin pin --target PID --TYPE FILE [--TYPE FILE...]\n"
		"       nsjoin unpin FILE...\n"
		"\n"
		"Run COMMAND (default /bin/sh) in namespaces of process PID, or in namespaces\n"
		"given by file (/proc/PID/ns/TYPE, a pin, /run/netns/NAME).\n"
		"\n"
		"  -t, --target PID    the process whose namespaces to join\n"
		"  -U, --user[=FILE]   join its user namespace (or the one in FILE)\n"
		"  -C, --cgroup[=FILE] join its cgroup namespace\n"
		"  -i, --ipc[=FILE]    join its IPC namespace\n"
		"  -u, --uts[=FILE]    join its UTS namespace (hostname)\n"
		"  -n, --net[=FILE]    join its network namespace\n"
		"  -p, --pid[=FILE]    join its PID namespace (COMMAND runs in a forked child)\n"
		"  -T, --time[=FILE]   join its time namespace\n"
		"  -m, --mnt[=FILE]    join its mount namespace (also --mount)\n"
		"  -a, --all           join every namespace of PID that differs from ours\n"
		"  -h, --help          show this help\n"
		"\n"
		"pin: bind-mount /proc/PID/ns/TYPE onto FILE (created; must not exist), so the\n"
		"namespace outlives its processes, as `ip netns add` does; unpin undoes it.\n"
		"\n"
		"Exit status: COMMAND's (128+N if killed by signal N); 125 if nsjoin fails,\n"
		"126 if COMMAND cannot run, 127 if not found; pin/unpin: 1 on failure;\n"
		"2 on a usage error. Needs root (or to own the target's user namespace).\n");
}

/* The options naming a namespace type: their value is the type's index. */
static const struct {
	const char *long_name;
	int short_name;
	const char *type_name;
} type_options[] = {
	{"user", 'U', "user"}, {"cgroup", 'C', "cgroup"}, {"ipc", 'i', "ipc"},
	{"uts", 'u', "uts"},   {"net", 'n', "net"},       {"pid", 'p', "pid"},
	{"time", 'T', "time"}, {"mnt", 'm', "mnt"},       {"mount", 'm', "mnt"},
};
enum { TYPE_OPTION_COUNT = sizeof type_options / sizeof type_options[0] };

/* Build getopt's long options: the type options (argument as given by
 * has_arg), then --target, --all, --help. */
static void build_options(struct option *options, int has_arg)
{
	int n = 0;
	for (int i = 0; i < TYPE_OPTION_COUNT; i++)
		options[n++] = (struct option){type_options[i].long_name, has_arg, NULL,
					       type_options[i].short_name};
	options[n++] = (struct option){"target", required_argument, NULL, 't'};
	options[n++] = (struct option){"all", no_argument, NULL, 'a'};
	options[n++] = (struct option){"help", no_argument, NULL, 'h'};
	options[n] = (struct option){NULL, 0, NULL, 0};
}

/* The type index of a short option letter, or -1. */
static int type_index_of_option(int option)
{
	for (int i = 0; i < TYPE_OPTION_COUNT; i++)
		if (type_options[i].short_name == option)
			return nsjoin_type_index_by_name(type_options[i].type_name);
	return -1;
}

static int parse_target(const char *text, pid_t *pid)
{
	long value;
	if (parse_long(text, 1, INT_MAX, &value) != 0) {
		fprintf(stderr, "nsjoin: --target: not a process ID: %s\n", text);
		return -1;
	}
	*pid = (pid_t)value;
	return 0;
}

/* nsjoin pin --target PID --TYPE FILE...: pin each, or none. */
static int pin_main(int argc, char **argv)
{
	struct option options[TYPE_OPTION_COUNT + 4];
	const char *files[NSJOIN_TYPE_COUNT] = {NULL};
	pid_t target = 0;
	int option;

	build_options(options, required_argument);
	optind = 1;
	while ((option = getopt_long(argc, argv, "+t:U:C:i:u:n:p:T:m:h", options, NULL)) != -1) {
		int index = type_index_of_option(option);
		if (index >= 0) {
			files[index] = optarg;
			continue;
		}
		switch (option) {
		case 't':
			if (parse_target(optarg, &target) != 0)
				return 2;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || target == 0) {
		fprintf(stderr, "nsjoin: pin needs --target PID and --TYPE FILE options only "
				"(try nsjoin --help)\n");
		return 2;
	}
	int pinned = 0;
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++) {
		if (files[i] == NULL)
			continue;
		if (nsjoin_pin(target, nsjoin_types[i].nstype, files[i]) != 0) {
			/* All or nothing: take out the pins already made. */
			for (int j = 0; j < i; j++)
				if (files[j] != NULL)
					nsjoin_unpin(files[j]);
			return 1;
		}
		pinned++;
	}
	if (pinned == 0) {
		fprintf(stderr, "nsjoin: pin: nothing to pin: give --net FILE, --uts FILE, ...\n");
		return 2;
	}
	return 0;
}

static int unpin_main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "nsjoin: unpin: missing FILE (try nsjoin --help)\n");
		return 2;
	}
	int failed = 0;
	for (int i = 1; i < argc; i++)
		if (nsjoin_unpin(argv[i]) != 0)
			failed = 1;
	return failed;
}

/* Replace this process with the command. Returns only on failure, with
 * the exit status to use (126, or 127 when not found). */
static int exec_command(char **command)
{
	fflush(NULL);
	execvp(command[0], command);
	int saved_errno = errno;
	fail_errno("exec %s", command[0]);
	return saved_errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "pin") == 0)
		return pin_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "unpin") == 0)
		return unpin_main(argc - 1, argv + 1);

	struct option options[TYPE_OPTION_COUNT + 4];
	const char *paths[NSJOIN_TYPE_COUNT] = {NULL};
	int from_target = 0; /* clone flags of the types to take from --target */
	pid_t target = 0;
	int option;

	/* "::" and optional_argument: --net joins the target's, --net=FILE
	 * (or -nFILE) the one in FILE. "+" stops at the command. */
	build_options(options, optional_argument);
	while ((option = getopt_long(argc, argv, "+t:U::C::i::u::n::p::T::m::ah", options,
				     NULL)) != -1) {
		int index = type_index_of_option(option);
		if (index >= 0) {
			if (optarg != NULL)
				paths[index] = optarg;
			else
				from_target |= nsjoin_types[index].nstype;
			continue;
		}
		switch (option) {
		case 't':
			if (parse_target(optarg, &target) != 0)
				return 2;
			break;
		case 'a': from_target |= NSJOIN_ALL_TYPES; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	int any_path = 0;
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++)
		any_path |= paths[i] != NULL;
	if (from_target == 0 && !any_path) {
		fprintf(stderr, "nsjoin: nothing to join: give --net, --pid, ..., --all or "
				"--TYPE=FILE (try nsjoin --help)\n");
		return 2;
	}
	if (from_target != 0 && target == 0) {
		fprintf(stderr, "nsjoin: which process? give --target PID\n");
		return 2;
	}
	char *default_command[] = {"/bin/sh", NULL};
	char **command = optind < argc ? &argv[optind] : default_command;

	// tag::main-steps[]
	/* 1. Open and check every namespace file while /proc is still ours;
	 *    a bad one stops us before anything has changed. */
	struct nsjoin_set set;
	nsjoin_set_init(&set);
	if (from_target != 0 && nsjoin_open_from_pid(&set, target, from_target) != 0)
		return EXIT_NSJOIN_FAILED;
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++)
		if (paths[i] != NULL &&
		    nsjoin_open_path(&set, nsjoin_types[i].nstype, paths[i]) != 0)
			return EXIT_NSJOIN_FAILED;
	int joins_pid = set.fds[nsjoin_type_index(CLONE_NEWPID)] >= 0;

	/* 2. Join them all, user first, mount last. */
	if (nsjoin_enter(&set) != 0) {
		nsjoin_close(&set);
		return EXIT_NSJOIN_FAILED;
	}
	nsjoin_close(&set);

	/* 3. A joined PID namespace holds only our children: fork, run the
	 *    command in the child, and pass its exit status on. */
	if (joins_pid) {
		pid_t child = nsjoin_fork();
		if (child < 0)
			return EXIT_NSJOIN_FAILED;
		if (child == 0)
			_exit(exec_command(command));
		int status = nsjoin_wait(child);
		return status < 0 ? EXIT_NSJOIN_FAILED : status;
	}
	return exec_command(command);
	// end::main-steps[]
}
