/* cgctl: make cgroups, limit them, run a command in one and see what it
 * used, on cgroup v2 and v1 (chapter 05).
 *
 *   cgctl run [--memory SIZE] [--pids N] [--cpus CPUS] [--name NAME] -- COMMAND [ARG...]
 *   (more LIMITS: --cpuset-cpus, --cpuset-mems, --cpu-shares, --hugetlb,
 *   --device-allow, --device-deny: see usage())
 *   cgctl mode | create NAME [LIMITS] | set NAME LIMITS | attach NAME PID
 *   cgctl stats NAME | freeze NAME | thaw NAME | destroy NAME
 *
 * NAME is the cgroup cfs/NAME (/sys/fs/cgroup/cfs/NAME on v2,
 * /sys/fs/cgroup/<controller>/cfs/NAME on v1).
 * Exit status: run: the command's own, 128+N if a signal N killed it, 125
 * when cgctl fails, 126/127 when the command cannot run / is not found;
 * the other subcommands: 0, or 1 on failure; 2 for a usage error.
 *
 * Read: cgroups(7), fork(2), pipe(2), waitpid(2),
 * Documentation/admin-guide/cgroup-v2.rst.
 */
#include "cgroup.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_CGCTL_FAILED 125
#define MAX_HUGETLB_LIMITS 4
#define MAX_DEVICE_RULES 16

/* The limits beyond cgroup_limits, each with its own module call. */
struct more_limits {
	const char *cpuset_cpus, *cpuset_mems; /* NULL: unchanged */
	unsigned long long cpu_shares;         /* 0: unchanged */
	char hugetlb_size[MAX_HUGETLB_LIMITS][16];
	long long hugetlb_bytes[MAX_HUGETLB_LIMITS];
	size_t hugetlb_count;
	struct cgroup_device_rule devices[MAX_DEVICE_RULES];
	size_t device_count;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: cgctl run [LIMITS] [--name NAME] -- COMMAND [ARG...]\n"
		"       cgctl mode\n"
		"       cgctl create NAME [LIMITS]\n"
		"       cgctl set NAME LIMITS\n"
		"       cgctl attach NAME PID\n"
		"       cgctl stats NAME\n"
		"       cgctl freeze NAME | thaw NAME\n"
		"       cgctl destroy NAME\n"
		"\n"
		"Control groups on cgroup v2 or v1. NAME is the cgroup cfs/NAME, that is\n"
		"/sys/fs/cgroup/cfs/NAME (v2) or /sys/fs/cgroup/CONTROLLER/cfs/NAME (v1).\n"
		"\n"
		"  run       run COMMAND in a new cgroup with the LIMITS, wait for it, print what\n"
		"            it used on stderr, then destroy the cgroup (NAME: run-PID)\n"
		"  mode      print the cgroup mode (v2, v1, hybrid) and the usable controllers\n"
		"  create    make the cgroup (and set LIMITS)      set     change its LIMITS\n"
		"  attach    move process PID into it              stats   print its usage\n"
		"  freeze    stop every process in it              thaw    let them run again\n"
		"  destroy   kill what is left in it and remove it\n"
		"\n"
		"LIMITS:\n"
		"  --memory SIZE  memory limit: bytes or 512K, 64M, 1G, 2T; or max (no swap either)\n"
		"  --pids N       at most N processes and threads; or max\n"
		"  --cpus CPUS    CPU time, in CPUs: 0.5 is 50 ms in every 100 ms; or max\n"
		"  --cpuset-cpus LIST    run only on these CPUs (0-3,6)\n"
		"  --cpuset-mems LIST    allocate only from these memory nodes\n"
		"  --cpu-shares N        relative CPU weight, 2 to 262144 (1024 is the default;\n"
		"                        cpu.weight on v2)\n"
		"  --hugetlb SIZE=LIMIT  huge pages of SIZE (2MB, 1GB) up to LIMIT bytes (64M, max)\n"
		"  --device-deny RULE, --device-allow RULE  device access, in order:\n"
		"                        RULE is a or \"TYPE MAJOR:MINOR ACCESS\" (c 1:3 rwm); on v2\n"
		"                        an eBPF program that replaces the earlier rules\n"
		"\n"
		"Exit status: run: COMMAND's, 128+N if killed by signal N, 125 if cgctl fails;\n"
		"others: 0, 1 on failure; 2 on a usage error. Needs root.\n");
}

static const struct option limit_options[] = {
	{"memory", required_argument, NULL, 'm'}, {"pids", required_argument, NULL, 'p'},
	{"cpus", required_argument, NULL, 'c'},   {"name", required_argument, NULL, 'n'},
	{"cpuset-cpus", required_argument, NULL, 'C'}, {"cpuset-mems", required_argument, NULL, 'M'},
	{"cpu-shares", required_argument, NULL, 's'},  {"hugetlb", required_argument, NULL, 'H'},
	{"device-allow", required_argument, NULL, 'A'}, {"device-deny", required_argument, NULL, 'D'},
	{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
};

/* Write the more_limits given, after cgroup_set_limits. */
static int set_more_limits(const struct cgroup *group, const struct more_limits *more)
{
	if (cgroup_set_cpuset(group, more->cpuset_cpus, more->cpuset_mems) != 0)
		return -1;
	if (more->cpu_shares != 0 && cgroup_set_cpu_shares(group, more->cpu_shares) != 0)
		return -1;
	for (size_t i = 0; i < more->hugetlb_count; i++)
		if (cgroup_set_hugetlb_limit(group, more->hugetlb_size[i], more->hugetlb_bytes[i]) != 0)
			return -1;
	return cgroup_set_device_rules(group, more->devices, more->device_count);
}

/* Parse LIMITS (and --name for run) from argv[optind...]. Returns 0, 1
 * after --help, 2 on a usage error, -1 on a bad value. */
static int parse_limits(int argc, char **argv, struct cgroup_limits *limits, struct more_limits *more,
			const char **name, int *limit_count, const char *optstring)
{
	int option;

	memset(more, 0, sizeof *more);
	*limits = (struct cgroup_limits){CGROUP_LIMIT_UNCHANGED, CGROUP_LIMIT_UNCHANGED,
					 CGROUP_LIMIT_UNCHANGED, CGROUP_CPU_PERIOD_DEFAULT_US};
	*limit_count = 0;
	optind = 1;
	while ((option = getopt_long(argc, argv, optstring, limit_options, NULL)) != -1) {
		switch (option) {
		case 'm':
			if (cgroup_parse_memory(optarg, &limits->memory_max_bytes) != 0)
				return -1;
			++*limit_count;
			break;
		case 'p':
			if (cgroup_parse_pids(optarg, &limits->pids_max) != 0)
				return -1;
			++*limit_count;
			break;
		case 'c':
			if (cgroup_parse_cpus(optarg, &limits->cpu_quota_us, &limits->cpu_period_us) != 0)
				return -1;
			++*limit_count;
			break;
		case 'C':
		case 'M':
			if (cgroup_validate_cpu_list(option == 'C' ? "cpus" : "mems", optarg) != 0)
				return -1;
			*(option == 'C' ? &more->cpuset_cpus : &more->cpuset_mems) = optarg;
			++*limit_count;
			break;
		case 's':
			if (cgroup_parse_cpu_shares(optarg, &more->cpu_shares) != 0)
				return -1;
			++*limit_count;
			break;
		case 'H':
			if (more->hugetlb_count == MAX_HUGETLB_LIMITS) {
				fprintf(stderr, "cgctl: at most %d --hugetlb limits\n", MAX_HUGETLB_LIMITS);
				return 2;
			}
			if (cgroup_parse_hugetlb_limit(optarg, more->hugetlb_size[more->hugetlb_count],
						       sizeof more->hugetlb_size[0],
						       &more->hugetlb_bytes[more->hugetlb_count]) != 0)
				return -1;
			more->hugetlb_count++;
			++*limit_count;
			break;
		case 'A':
		case 'D':
			if (more->device_count == MAX_DEVICE_RULES) {
				fprintf(stderr, "cgctl: at most %d device rules\n", MAX_DEVICE_RULES);
				return 2;
			}
			if (cgroup_parse_device_rule(optarg, option == 'A', &more->devices[more->device_count]) != 0)
				return -1;
			more->device_count++;
			++*limit_count;
			break;
		case 'n':
			if (name == NULL) {
				fprintf(stderr, "cgctl: --name is an option of run only\n");
				return 2;
			}
			*name = optarg;
			break;
		case 'h': usage(stdout); return 1;
		default: fprintf(stderr, "cgctl: try cgctl --help\n"); return 2;
		}
	}
	return 0;
}

/* NAME -> the cgroup cfs/NAME, checked and opened. */
static int open_named(struct cgroup *group, const char *name)
{
	char path[CGROUP_PATH_MAX];
	if (cgroup_validate_name(name) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/%s", CGROUP_CFS_PARENT, name);
	return cgroup_open(group, path);
}

static void print_value(const char *key, long long value)
{
	if (value == CGROUP_LIMIT_UNLIMITED)
		printf("%s=max\n", key);
	else if (value < 0)
		printf("%s=unknown\n", key);
	else
		printf("%s=%lld\n", key, value);
}

/* cgctl stats: one key=value a line, like the probe. */
static void print_stats(const struct cgroup_stats *stats)
{
	print_value("memory.current", stats->memory_current_bytes);
	print_value("memory.peak", stats->memory_peak_bytes);
	print_value("memory.max", stats->memory_max_bytes);
	print_value("memory.limit_hits", stats->memory_limit_hits);
	print_value("memory.oom_kills", stats->oom_kills);
	print_value("pids.current", stats->pids_current);
	print_value("pids.peak", stats->pids_peak);
	print_value("pids.max", stats->pids_max);
	print_value("pids.fork_refusals", stats->pids_fork_refusals);
	print_value("cpu.usage_usec", stats->cpu_usage_us);
	print_value("cpu.periods", stats->cpu_periods);
	print_value("cpu.throttled_periods", stats->cpu_throttled_periods);
	print_value("cpu.throttled_usec", stats->cpu_throttled_us);
}

static const char *count_text(long long value, char *buf, size_t size)
{
	if (value == CGROUP_LIMIT_UNLIMITED)
		snprintf(buf, size, "max");
	else if (value < 0)
		snprintf(buf, size, "unknown");
	else
		snprintf(buf, size, "%lld", value);
	return buf;
}

static const char *seconds_text(long long microseconds, char *buf, size_t size)
{
	if (microseconds < 0)
		snprintf(buf, size, "unknown");
	else
		snprintf(buf, size, "%.2f s", (double)microseconds / 1e6);
	return buf;
}

/* cgctl run's report, on stderr: three lines a person reads. */
static void report_usage(const struct cgroup *group, const struct cgroup_stats *s)
{
	char a[32], b[32], c[32], d[32];

	fprintf(stderr, "cgctl: %s (cgroup %s) used:\n", group->relative_path, cgroup_mode_name(group->mode));
	fprintf(stderr, "cgctl:   memory: peak %s of max %s, limit hit %s times, OOM kills %s\n",
		cgroup_format_bytes(s->memory_peak_bytes, a, sizeof a),
		cgroup_format_bytes(s->memory_max_bytes, b, sizeof b),
		count_text(s->memory_limit_hits, c, sizeof c), count_text(s->oom_kills, d, sizeof d));
	fprintf(stderr, "cgctl:   pids: peak %s of max %s, forks refused %s, left %s\n",
		count_text(s->pids_peak, a, sizeof a), count_text(s->pids_max, b, sizeof b),
		count_text(s->pids_fork_refusals, c, sizeof c), count_text(s->pids_current, d, sizeof d));
	fprintf(stderr, "cgctl:   cpu: %s, throttled in %s of %s periods for %s\n",
		seconds_text(s->cpu_usage_us, a, sizeof a), count_text(s->cpu_throttled_periods, b, sizeof b),
		count_text(s->cpu_periods, c, sizeof c), seconds_text(s->cpu_throttled_us, d, sizeof d));
}

static volatile sig_atomic_t child_to_signal;

/* Pass SIGINT/SIGTERM/SIGHUP on to the command: cgctl must outlive it to
 * remove the cgroup. */
static void forward_signal(int signal_number)
{
	if (child_to_signal > 0)
		kill((pid_t)child_to_signal, signal_number);
}

static int command_run(int argc, char **argv)
{
	struct cgroup_limits limits;
	struct more_limits more;
	struct cgroup group;
	const char *name = NULL;
	char default_name[32];
	int limit_count;

	/* "+": stop at the first non-option, so the command's own options
	 * (cgctl run ls -l) are left alone. */
	int parsed = parse_limits(argc, argv, &limits, &more, &name, &limit_count, "+h");
	if (parsed != 0)
		return parsed == 1 ? 0 : parsed == 2 ? 2 : EXIT_CGCTL_FAILED;
	if (optind >= argc) {
		fprintf(stderr, "cgctl: run: missing COMMAND (try cgctl --help)\n");
		return 2;
	}
	char **command = &argv[optind];
	if (name == NULL) {
		snprintf(default_name, sizeof default_name, "run-%d", (int)getpid());
		name = default_name;
	}
	if (open_named(&group, name) != 0 || cgroup_create(&group) != 0)
		return EXIT_CGCTL_FAILED;
	if (limit_count > 0 &&
	    (cgroup_set_limits(&group, &limits) != 0 || set_more_limits(&group, &more) != 0)) {
		cgroup_destroy(&group);
		return EXIT_CGCTL_FAILED;
	}

	// tag::run[]
	/* The child waits on this pipe until it is inside the cgroup, so
	 * not one instruction of COMMAND runs unlimited. */
	int go[2];
	if (pipe2(go, O_CLOEXEC) != 0) {
		fail_errno("pipe");
		cgroup_destroy(&group);
		return EXIT_CGCTL_FAILED;
	}
	fflush(NULL);
	pid_t child = fork();
	if (child < 0) {
		fail_errno("fork");
		cgroup_destroy(&group);
		return EXIT_CGCTL_FAILED;
	}
	if (child == 0) {
		char byte;
		close(go[1]);
		/* EOF instead of a byte: the parent could not attach us. */
		if (read(go[0], &byte, 1) != 1)
			_exit(EXIT_CGCTL_FAILED);
		execvp(command[0], command);
		int saved_errno = errno;
		fail_errno("exec %s", command[0]);
		_exit(saved_errno == ENOENT ? 127 : 126);
	}
	close(go[0]);
	/* cgctl itself stays outside: the OOM killer or a fork bomb in the
	 * cgroup cannot take it down, and it can clean up after them. */
	if (cgroup_attach(&group, child) != 0) {
		close(go[1]);
		waitpid(child, NULL, 0);
		cgroup_destroy(&group);
		return EXIT_CGCTL_FAILED;
	}
	if (write(go[1], "g", 1) != 1)
		fail_errno("start %s", command[0]);
	close(go[1]);
	// end::run[]

	child_to_signal = child;
	struct sigaction forward = {.sa_handler = forward_signal};
	sigemptyset(&forward.sa_mask);
	sigaction(SIGINT, &forward, NULL);
	sigaction(SIGTERM, &forward, NULL);
	sigaction(SIGHUP, &forward, NULL);
	int status;
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			fail_errno("waitpid %d", (int)child);
			status = EXIT_CGCTL_FAILED << 8;
			break;
		}
	}
	child_to_signal = 0;

	/* Read the numbers before destroy: they go with the cgroup. Whatever
	 * COMMAND left running is still counted. */
	struct cgroup_stats stats;
	if (cgroup_read_stats(&group, &stats) == 0)
		report_usage(&group, &stats);
	if (cgroup_destroy(&group) != 0)
		return EXIT_CGCTL_FAILED;
	return exit_code_from_wait_status(status);
}

static int command_mode(void)
{
	struct cgroup group;
	if (cgroup_open(&group, CGROUP_CFS_PARENT) != 0)
		return 1;
	printf("mode=%s\n", cgroup_mode_name(group.mode));
	printf("controllers=");
	const char *separator = "";
	for (int c = 0; c < CGROUP_CONTROLLER_COUNT; c++) {
		if (group.available & (1u << c)) {
			printf("%s%s", separator, cgroup_controller_name(c));
			separator = " ";
		}
	}
	printf("\n");
	return 0;
}

/* create, set, attach, stats, freeze, thaw, destroy: NAME first. */
static int command_on_name(const char *subcommand, int argc, char **argv)
{
	struct cgroup_limits limits;
	struct more_limits more;
	struct cgroup group;
	int limit_count = 0;
	bool takes_limits = strcmp(subcommand, "create") == 0 || strcmp(subcommand, "set") == 0;

	if (takes_limits) {
		/* "h" alone: options may come before or after NAME. */
		int parsed = parse_limits(argc, argv, &limits, &more, NULL, &limit_count, "h");
		if (parsed != 0)
			return parsed == 1 ? 0 : parsed == 2 ? 2 : 1;
	} else {
		optind = 1;
		if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
			usage(stdout);
			return 0;
		}
	}
	int wanted = strcmp(subcommand, "attach") == 0 ? 2 : 1;
	if (argc - optind != wanted) {
		fprintf(stderr, "cgctl: %s: expected %s (try cgctl --help)\n", subcommand,
			wanted == 2 ? "NAME PID" : "NAME");
		return 2;
	}
	if (strcmp(subcommand, "set") == 0 && limit_count == 0) {
		fprintf(stderr, "cgctl: set: no limit given (--memory, --pids, --cpus, ...)\n");
		return 2;
	}
	const char *name = argv[optind];
	long pid = 0;
	if (wanted == 2 && parse_long(argv[optind + 1], 1, 4194304, &pid) != 0) {
		fprintf(stderr, "cgctl: attach: PID '%s': not a process id\n", argv[optind + 1]);
		return 2;
	}
	if (open_named(&group, name) != 0)
		return 1;

	if (strcmp(subcommand, "create") == 0) {
		if (cgroup_create(&group) != 0)
			return 1;
		/* Nothing left behind: a bad limit undoes the create. */
		if (limit_count > 0 &&
		    (cgroup_set_limits(&group, &limits) != 0 || set_more_limits(&group, &more) != 0)) {
			cgroup_destroy(&group);
			return 1;
		}
		return 0;
	}
	if (strcmp(subcommand, "set") == 0)
		return cgroup_set_limits(&group, &limits) == 0 && set_more_limits(&group, &more) == 0 ? 0 : 1;
	if (strcmp(subcommand, "attach") == 0)
		return cgroup_attach(&group, (pid_t)pid) == 0 ? 0 : 1;
	if (strcmp(subcommand, "stats") == 0) {
		struct cgroup_stats stats;
		if (cgroup_read_stats(&group, &stats) != 0)
			return 1;
		print_stats(&stats);
		return 0;
	}
	if (strcmp(subcommand, "freeze") == 0 || strcmp(subcommand, "thaw") == 0)
		return cgroup_freeze(&group, strcmp(subcommand, "freeze") == 0) == 0 ? 0 : 1;
	return cgroup_destroy(&group) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const char *const on_name[] = {"create", "set", "attach", "stats",
					      "freeze", "thaw", "destroy"};

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *subcommand = argv[1];
	if (strcmp(subcommand, "--help") == 0 || strcmp(subcommand, "-h") == 0 ||
	    strcmp(subcommand, "help") == 0) {
		usage(stdout);
		return 0;
	}
	/* Each subcommand parses its own options, as if it were argv[0]. */
	if (strcmp(subcommand, "run") == 0)
		return command_run(argc - 1, argv + 1);
	if (strcmp(subcommand, "mode") == 0) {
		if (argc != 2) {
			fprintf(stderr, "cgctl: mode takes no arguments\n");
			return 2;
		}
		return command_mode();
	}
	for (size_t i = 0; i < sizeof on_name / sizeof on_name[0]; i++)
		if (strcmp(subcommand, on_name[i]) == 0)
			return command_on_name(subcommand, argc - 1, argv + 1);
	fprintf(stderr, "cgctl: unknown subcommand '%s' (try cgctl --help)\n", subcommand);
	return 2;
}
