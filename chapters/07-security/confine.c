/* confine: run a command in new namespaces and a new root, with root's
 * powers taken away layer by layer (chapter 07).
 *
 *   confine [OPTIONS] ROOTFS [COMMAND [ARG...]]
 *
 * Every layer is off unless asked for, so that each attack in the chapter
 * can be shown working first and failing after. --secure turns on the
 * defaults a container runtime uses.
 *
 * Exit status: the command's own; 125 when confine fails, 126 when the
 * command cannot be executed, 127 when it is not found.
 *
 * Read: clone(2), user_namespaces(7), capabilities(7), seccomp(2),
 * prctl(2) PR_SET_NO_NEW_PRIVS, and the order of steps in security.h.
 *
 * (The clone with a stack and a pipe to hold the child is chapter 02's
 * spawn, written out here so this chapter stands on chapter 01 alone.)
 */
#include "rootfs.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_CONFINE_FAILED 125
#define CHILD_STACK_SIZE (1024 * 1024)
#define MAX_PATHS 64

struct confinement {
	const char *rootfs;      /* absolute */
	char **command;
	int bounding_only;       /* --cap-bound: drop the bounding set, nothing else */
	int keep_caps;           /* --cap-keep or --ambient given */
	struct caps_sets caps;
	int no_new_privs;
	scmp_filter_ctx filter;  /* NULL: no seccomp */
	const char *masked[MAX_PATHS];
	size_t masked_count;
	const char *readonly[MAX_PATHS];
	size_t readonly_count;
	const char *uid_map, *gid_map; /* both or neither: a user namespace */
	int switch_user;
	uid_t uid;
	gid_t gid;
	int go_pipe[2];          /* the parent writes one byte when the maps are in */
	void *stack;             /* the child's stack, so AddressSanitizer can be told */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: confine [OPTIONS] ROOTFS [COMMAND [ARG...]]\n"
		"\n"
		"Run COMMAND (default /bin/sh) in new mount, PID, UTS and IPC namespaces with\n"
		"ROOTFS as its root (pivot_root) and a fresh /proc, taking away what is asked:\n"
		"\n"
		"  --cap-keep LIST     keep only these capabilities (comma-separated, CAP_ optional;\n"
		"                      \"default\": Docker's 14; \"\": none) in the bounding, permitted\n"
		"                      and effective sets; inheritable and ambient are cleared\n"
		"  --cap-bound LIST    drop every other capability from the bounding set only\n"
		"                      (what execve can give), leaving this process's sets alone\n"
		"  --ambient LIST      raise these in the inheritable and ambient sets (for a\n"
		"                      non-root --user); they must be kept\n"
		"  --no-new-privs      set no_new_privs: setuid bits and file caps stop working\n"
		"  --seccomp PROFILE   default (built-in deny list), FILE (OCI JSON) or none\n"
		"  --mask PATH         hide PATH: /dev/null over a file, an empty read-only tmpfs over\n"
		"                      a directory; \"default\" adds runc's list (/proc/kcore, ...)\n"
		"  --readonly PATH     make PATH read-only; \"default\" adds /proc/sys, /proc/sysrq-trigger, ...\n"
		"  --userns            a user namespace mapping root inside to uid/gid 100000 outside\n"
		"  --uid-map MAP       a user namespace with this uid map (\"0 100000 65536\", ','\n"
		"  --gid-map MAP       between lines); both are needed\n"
		"  --user UID[:GID]    run as this user (inside the user namespace, if any)\n"
		"  --secure            all of: --cap-keep default --no-new-privs --seccomp default\n"
		"                      --mask default --readonly default\n"
		"  --report            run the probe (/bin/probe id caps) instead of COMMAND\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: COMMAND's; 125 if confine fails, 126 if COMMAND cannot run, 127 if\n"
		"it is not found. Needs root.\n");
}

static int add_paths(const char **paths, size_t *count, const char *path,
		     const char *const *defaults, const char *option)
{
	if (strcmp(path, "default") == 0) {
		for (size_t i = 0; defaults[i] != NULL; i++)
			if (add_paths(paths, count, defaults[i], defaults, option) != 0)
				return -1;
		return 0;
	}
	if (path[0] != '/')
		return fail_msg("%s %s: not an absolute path", option, path);
	if (*count == MAX_PATHS)
		return fail_msg("%s %s: more than %d paths", option, path, MAX_PATHS);
	paths[(*count)++] = path;
	return 0;
}

static int parse_user(const char *text, uid_t *uid, gid_t *gid)
{
	long value;
	char *copy = strdup(text);
	if (copy == NULL)
		return fail_errno("--user");
	char *colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	int rc = parse_long(copy, 0, 0x7fffffff, &value);
	if (rc == 0) {
		*uid = (uid_t)value;
		*gid = (gid_t)value;
		if (colon && (rc = parse_long(colon + 1, 0, 0x7fffffff, &value)) == 0)
			*gid = (gid_t)value;
	}
	free(copy);
	if (rc != 0)
		return fail_msg("--user %s: not UID or UID:GID", text);
	return 0;
}

// tag::child-steps[]
/* The child: PID 1 of the new namespaces. Each step needs a privilege
 * the next one may take away, so the order is fixed (see security.h). */
static int confined_child(void *argument)
{
	struct confinement *c = argument;
	char go;

	sanitizer_adopt_stack(c->stack, CHILD_STACK_SIZE);
	/* Wait until the parent has written our uid/gid maps: before that,
	 * in a user namespace, we are nobody. */
	close(c->go_pipe[1]);
	if (read(c->go_pipe[0], &go, 1) != 1)
		return EXIT_CONFINE_FAILED; /* the parent failed and said why */
	close(c->go_pipe[0]);

	/* 1. Mounts, while we have CAP_SYS_ADMIN: /proc, then masks and
	 *    read-only paths on top of it, then the new root. */
	char proc[4096];
	snprintf(proc, sizeof proc, "%s/proc", c->rootfs);
	if (mount_tree_make_private() != 0 || mount_proc(proc) != 0)
		return EXIT_CONFINE_FAILED;
	for (size_t i = 0; i < c->masked_count; i++)
		if (paths_mask(c->rootfs, c->masked[i]) != 0)
			return EXIT_CONFINE_FAILED;
	for (size_t i = 0; i < c->readonly_count; i++)
		if (paths_make_readonly(c->rootfs, c->readonly[i]) != 0)
			return EXIT_CONFINE_FAILED;
	if (pivot_into(c->rootfs) != 0)
		return EXIT_CONFINE_FAILED;

	/* 2. The bounding set, while CAP_SETPCAP is still effective. */
	if ((c->keep_caps || c->bounding_only) && caps_drop_bounding(c->caps.bounding) != 0)
		return EXIT_CONFINE_FAILED;

	/* 3. The user: root of the user namespace, or --user. */
	if (c->switch_user &&
	    security_set_user(c->uid, c->gid, 0, NULL, c->uid_map == NULL) != 0)
		return EXIT_CONFINE_FAILED;

	/* 4. The process's own capability sets: the last use of privilege. */
	if (c->keep_caps && caps_apply(&c->caps) != 0)
		return EXIT_CONFINE_FAILED;

	/* 5. no_new_privs: nothing we execute can gain more. */
	if (c->no_new_privs && security_set_no_new_privs() != 0)
		return EXIT_CONFINE_FAILED;

	/* 6. seccomp, last: from here on every system call is judged,
	 *    and the only one left to make is execve. */
	if (c->filter != NULL) {
		scmp_filter_ctx filter = c->filter;
		c->filter = NULL;
		if (seccomp_filter_install(filter) != 0)
			return EXIT_CONFINE_FAILED;
	}

	fflush(NULL);
	execvp(c->command[0], c->command);
	int saved_errno = errno;
	fail_errno("exec %s", c->command[0]);
	return saved_errno == ENOENT ? 127 : 126;
}
// end::child-steps[]

int main(int argc, char **argv)
{
	static struct confinement c = {.go_pipe = {-1, -1}};
	const char *seccomp_profile = NULL, *cap_keep = NULL, *cap_bound = NULL, *ambient = NULL;
	int report = 0, userns = 0;
	enum { OPT_CAP_KEEP = 256, OPT_CAP_BOUND, OPT_AMBIENT, OPT_NNP, OPT_SECCOMP, OPT_MASK, OPT_READONLY,
	       OPT_USERNS, OPT_UID_MAP, OPT_GID_MAP, OPT_USER, OPT_SECURE, OPT_REPORT };
	static const struct option options[] = {
		{"cap-keep", required_argument, NULL, OPT_CAP_KEEP},
		{"cap-bound", required_argument, NULL, OPT_CAP_BOUND},
		{"ambient", required_argument, NULL, OPT_AMBIENT},
		{"no-new-privs", no_argument, NULL, OPT_NNP},
		{"seccomp", required_argument, NULL, OPT_SECCOMP},
		{"mask", required_argument, NULL, OPT_MASK},
		{"readonly", required_argument, NULL, OPT_READONLY},
		{"userns", no_argument, NULL, OPT_USERNS},
		{"uid-map", required_argument, NULL, OPT_UID_MAP},
		{"gid-map", required_argument, NULL, OPT_GID_MAP},
		{"user", required_argument, NULL, OPT_USER},
		{"secure", no_argument, NULL, OPT_SECURE},
		{"report", no_argument, NULL, OPT_REPORT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int option;

	while ((option = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (option) {
		case OPT_CAP_KEEP: cap_keep = optarg; break;
		case OPT_CAP_BOUND: cap_bound = optarg; break;
		case OPT_AMBIENT: ambient = optarg; break;
		case OPT_NNP: c.no_new_privs = 1; break;
		case OPT_SECCOMP: seccomp_profile = optarg; break;
		case OPT_MASK:
			if (add_paths(c.masked, &c.masked_count, optarg, paths_default_masked, "--mask"))
				return 2;
			break;
		case OPT_READONLY:
			if (add_paths(c.readonly, &c.readonly_count, optarg, paths_default_readonly,
				      "--readonly"))
				return 2;
			break;
		case OPT_USERNS: userns = 1; break;
		case OPT_UID_MAP: c.uid_map = optarg; break;
		case OPT_GID_MAP: c.gid_map = optarg; break;
		case OPT_USER:
			if (parse_user(optarg, &c.uid, &c.gid) != 0)
				return 2;
			c.switch_user = 1;
			break;
		case OPT_SECURE:
			cap_keep = cap_keep ? cap_keep : "default";
			c.no_new_privs = 1;
			seccomp_profile = seccomp_profile ? seccomp_profile : "default";
			add_paths(c.masked, &c.masked_count, "default", paths_default_masked, "--mask");
			add_paths(c.readonly, &c.readonly_count, "default", paths_default_readonly,
				  "--readonly");
			break;
		case OPT_REPORT: report = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "confine: missing ROOTFS (try confine --help)\n");
		return 2;
	}
	if ((c.uid_map == NULL) != (c.gid_map == NULL)) {
		fprintf(stderr, "confine: --uid-map and --gid-map go together\n");
		return 2;
	}
	if (userns && c.uid_map == NULL)
		c.uid_map = c.gid_map = "0 100000 65536";
	if (c.uid_map != NULL && !c.switch_user)
		c.switch_user = 1; /* become root of the user namespace: uid 0, gid 0 */

	const char *rootfs = argv[optind++];
	char *default_command[] = {"/bin/sh", NULL};
	char *report_command[] = {"/bin/probe", "id", "caps", NULL};
	c.command = report ? report_command : optind < argc ? &argv[optind] : default_command;

	/* Check everything before making anything. */
	if (rootfs_validate(rootfs) != 0)
		return EXIT_CONFINE_FAILED;
	char *absolute_rootfs = realpath(rootfs, NULL);
	if (absolute_rootfs == NULL) {
		fail_errno("rootfs %s", rootfs);
		return EXIT_CONFINE_FAILED;
	}
	c.rootfs = absolute_rootfs;
	// tag::caps-from-options[]
	if (cap_keep != NULL && cap_bound != NULL) {
		fprintf(stderr, "confine: --cap-keep and --cap-bound do not go together\n");
		return 2;
	}
	if (cap_keep != NULL || ambient != NULL) {
		uint64_t keep = cap_keep ? 0 : caps_all_known(), raise = 0;
		/* An unknown name is a warning (the OCI rule), not an error. */
		if ((cap_keep && caps_mask_from_list(cap_keep, &keep) < 0) ||
		    (ambient && caps_mask_from_list(ambient, &raise) < 0))
			return EXIT_CONFINE_FAILED;
		if ((raise & ~keep) != 0) {
			fail_msg("--ambient: every ambient capability must also be kept (--cap-keep)");
			return EXIT_CONFINE_FAILED;
		}
		c.keep_caps = 1;
		c.caps = (struct caps_sets){.bounding = keep, .permitted = keep, .effective = keep,
					    .inheritable = raise, .ambient = raise};
	} else if (cap_bound != NULL) {
		if (caps_mask_from_list(cap_bound, &c.caps.bounding) < 0)
			return EXIT_CONFINE_FAILED;
		c.bounding_only = 1;
	}
	// end::caps-from-options[]
	if (seccomp_profile != NULL && strcmp(seccomp_profile, "none") != 0) {
		c.filter = strcmp(seccomp_profile, "default") == 0
				   ? seccomp_default_filter()
				   : seccomp_filter_from_file(seccomp_profile);
		if (c.filter == NULL)
			return EXIT_CONFINE_FAILED;
	}

	// tag::clone[]
	/* The child runs on its own stack; the pipe holds it until its
	 * uid/gid maps are written (only the parent, outside, can). */
	int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
	if (c.uid_map != NULL)
		flags |= CLONE_NEWUSER;
	if (pipe2(c.go_pipe, O_CLOEXEC) != 0) {
		fail_errno("pipe");
		return EXIT_CONFINE_FAILED;
	}
	char *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		fail_errno("mmap the child's stack");
		return EXIT_CONFINE_FAILED;
	}
	c.stack = stack;
	fflush(NULL);
	pid_t child = clone(confined_child, stack + CHILD_STACK_SIZE, flags, &c);
	if (child < 0) {
		fail_errno("clone (new namespaces)");
		return EXIT_CONFINE_FAILED;
	}
	close(c.go_pipe[0]);
	if (c.uid_map != NULL && userns_write_maps(child, c.uid_map, c.gid_map) != 0) {
		/* Closing the pipe unread tells the child to give up. */
		close(c.go_pipe[1]);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return EXIT_CONFINE_FAILED;
	}
	if (write(c.go_pipe[1], "g", 1) != 1) {
		fail_errno("wake the child");
		kill(child, SIGKILL);
	}
	close(c.go_pipe[1]);
	// end::clone[]
	if (c.filter != NULL)
		seccomp_release(c.filter); /* the child has its own copy */

	int status;
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			fail_errno("wait for the child %d", (int)child);
			return EXIT_CONFINE_FAILED;
		}
	}
	munmap(stack, CHILD_STACK_SIZE);
	free(absolute_rootfs);
	return exit_code_from_wait_status(status);
}
