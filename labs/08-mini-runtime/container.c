/* container.c: create, start, exec, kill and delete a container, the
 * OCI way (chapter 08). The orchestration on top of the earlier
 * chapters' modules; see container.h for the lifecycle.
 *
 *   chapter 01 (rootfs.h)   rootfs_validate, pivot_into, mount_proc
 *   chapter 02 (pidns.h)    pidns_spawn / pidns_release: the first process
 *   chapter 03 (nsjoin.h)   namespaces joined by path (pods), and exec
 *   chapter 05 (cgroup.h)   the cgroup, its limits, pause/resume, delete
 *   chapter 07 (security.h) id maps, masked paths, capabilities, seccomp
 *
 * Read: clone(2), pipe(7), fifo(7), poll(2), prctl(2) (PR_SET_PDEATHSIG),
 * setns(2), kill(2), waitpid(2), execve(2), runtime.md of the OCI
 * runtime spec.
 */
#include "cgroup.h"
#include "container.h"
#include "container_paths.h"
#include "nsjoin.h"
#include "pidns.h"
#include "rootfs.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The byte the first process sends on the ready pipe when it is set up. */
#define INIT_READY 'R'
/* Exit status of an exec whose setup failed: the tool's own failure. */
#define EXEC_SETUP_FAILED 125

/* What the container's first process gets from create. The child runs
 * on a copy of the parent's memory (clone without CLONE_VM), so every
 * pointer in here stays valid there. */
/* The largest state JSON handed to startContainer hooks: less than a
 * pipe's buffer, so the runtime's write never waits for the init. */
#define CONTAINER_HOOK_STATE_MAX 16384

struct init_arguments {
	const struct oci_config *config;
	int ready_write;          /* "ready" goes here; EOF means it failed */
	int ready_read;           /* the parent's end, closed in the child */
	int exec_fifo;            /* O_PATH fd of ROOT/ID/exec.fifo */
	int console_socket;       /* connected --console-socket, or -1 */
	struct nsjoin_set cgroup_namespace; /* a cgroup namespace joined by path */
	struct nsjoin_set mount_namespace;  /* a mount namespace joined by path */
	bool mount_namespace_listed; /* linux.namespaces has "mount" (new or by path) */
	/* No mount namespace, but mounts to make: they go into the host's
	 * table, under the bind mount create made (container_host_root_mount). */
	bool root_on_host;
	struct container_lsm_plan lsm; /* the labels to set, decided from the host's view */
	const char *joined_hostname; /* hostname for a uts namespace joined by path, or NULL */
	bool user_namespace;      /* the container has a user namespace of its own */
	bool debug;
	struct sock_fprog seccomp; /* linux.seccomp as BPF, compiled before clone; filter NULL: none */
	/* hooks.createContainer and startContainer: the state JSON, written
	 * by the runtime into this pipe before release; -1: no such hooks. */
	int start_state_read, start_state_write;
	/* That JSON once read (at createContainer time, before pivot_root),
	 * kept for startContainer; NULL until then. */
	char *hook_state;
};

// tag::process-security[]
/* The security of a process of the container (its first one, or one
 * exec runs), in the order chapter 07 requires: each step still needs a
 * privilege that the next one takes away. seccomp (a program compiled
 * before, or one with filter NULL: none) is installed here. */
static int container_process_security_apply(const struct oci_process *process,
					    const struct sock_fprog *seccomp, bool user_namespace)
{
	// TODO 08.8: capabilities, user, no_new_privs and seccomp in the safe order
	// HINT: security.h lists the order. With process->capabilities.present: fill a struct
	// HINT: caps_sets from its five masks and caps_drop_bounding() first (needs CAP_SETPCAP).
	// HINT: security_set_user(uid, gid, groups...) (setgroups is denied in a user namespace),
	// HINT: then caps_apply(); umask; security_set_no_new_privs() if noNewPrivileges.
	// HINT: container_seccomp_install(seccomp) LAST (if seccomp->filter != NULL). Without
	// HINT: no_new_privs a filter needs CAP_SYS_ADMIN:
	// HINT: then install it before security_set_user, while the process is still root.
	return lab_todo("08.8");
}
// end::process-security[]

/* Read the state JSON the runtime left in the pipe (it wrote all of it
 * and closed its end before the release: this never waits). */
static int read_hook_state(struct init_arguments *init)
{
	static char text[CONTAINER_HOOK_STATE_MAX];
	size_t length = 0;
	ssize_t got;

	while (length < sizeof text - 1 &&
	       (got = read(init->start_state_read, text + length, sizeof text - 1 - length)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return fail_errno("hooks: read the container's state");
		}
		length += (size_t)got;
	}
	text[length] = '\0';
	close(init->start_state_read);
	init->start_state_read = -1;
	init->hook_state = text;
	return 0;
}

/* The hooks the container's own process runs: createContainer (in the
 * container's namespaces, after the mounts and before pivot_root or
 * chroot, so its path and what it touches are the host's) and
 * startContainer (after start, just before the program: the
 * container's paths). */
static int run_container_hooks(struct init_arguments *init, enum oci_hook_kind kind)
{
	if (init->config->hook_count[kind] == 0)
		return 0;
	if (init->hook_state == NULL && read_hook_state(init) != 0)
		return -1;
	return container_hooks_run_text(init->config, kind, init->hook_state);
}

/* What goes under the root while the host's files are still in view:
 * config.json's mounts (a bind mount's source is a host path), /dev,
 * linux.devices (made while we still have CAP_MKNOD) and the masked
 * paths, resolved inside the root with the host's /dev/null (checked to
 * be the null device), never the image's, which may be anything. */
static int container_root_populate(const struct init_arguments *init)
{
	const struct oci_config *config = init->config;

	if (container_mounts_apply(config, init->debug) != 0 || container_dev_populate(config) != 0 ||
	    container_devices_create(config) != 0)
		return -1;
	int null_fd = container_null_device_open();
	if (null_fd < 0)
		return -1;
	int masked = container_paths_mask(config->root_path, config, null_fd);
	close(null_fd);
	return masked;
}

// tag::init-setup[]
/* Inside the new namespaces, before anything runs: build the container's
 * world out of config.json. Chapter 02's pidns has already set the
 * hostname and made the mount tree private. */
static int container_init_setup(struct init_arguments *init)
{
	const struct oci_config *config = init->config;

	// TODO 08.1: the order of setup inside the container's first process
	// HINT: Each step needs the one before. In a user namespace, become its root first
	// HINT: (security_set_user(0, 0, 0, NULL, 0)): files made by an unmapped uid are refused.
	// HINT: Then the cgroup namespace (the parent has put
	// HINT: us in our cgroup by now): nsjoin_enter(&init->cgroup_namespace) if one was given
	// HINT: by path, else unshare(CLONE_NEWCGROUP) if config->clone_flags asks for one. In a
	// HINT: new network namespace, container_loopback_up(). Then
	// HINT: config.json's mounts, /dev, linux.devices and the masked paths, all in
	// HINT: container_root_populate, while host paths are reachable (the
	// HINT: root bound onto itself first, MS_BIND|MS_REC); the createContainer hooks
	// HINT: (run_container_hooks, still in the host's view); pivot_into the root (01.4); then
	// HINT: inside: container_root_propagation_apply, container_sysctl_apply,
	// HINT: container_paths_make_readonly("/", config) (linux.readonlyPaths), the terminal if
	// HINT: console_socket >= 0 (container_terminal_setup, binding /dev/console),
	// HINT: container_root_make_readonly, rlimits (container_process_attributes_apply), and
	// HINT: container_chdir to process.cwd (resolved inside the root).
	return lab_todo("08.1");
}
// end::init-setup[]

// tag::init-wait[]
/* Block until `minirun start` opens the exec fifo for reading. */
static int container_init_wait_for_start(int exec_fifo)
{
	// TODO 08.2: wait on the exec fifo until start releases the process
	// HINT: exec_fifo is an O_PATH descriptor of the fifo, opened by the runtime before clone
	// HINT: (no path leads to the state directory after pivot_root). Open it for writing
	// HINT: through "/proc/self/fd/N" (O_WRONLY | O_CLOEXEC): that open blocks until a reader
	// HINT: opens the fifo, and that reader is `minirun start`. Then write one byte so start
	// HINT: knows the process went through, and close both descriptors.
	return lab_todo("08.2");
}
// end::init-wait[]

// tag::init[]
/* The container's first process, from chapter 02's release to execve:
 * pidns calls this just before it would exec process.args; it execs
 * the program itself and returns only on a failure before the exec
 * (-1: pidns exits with 125). */
static int container_init(void *argument)
{
	struct init_arguments *init = argument;
	const struct oci_config *config = init->config;
	char program[PATH_MAX];

	/* If the runtime dies during setup, die too rather than be a
	 * half-built container nobody knows about. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(init->ready_read);
	if (init->start_state_write >= 0)
		close(init->start_state_write);
	if (container_init_setup(init) != 0)
		return -1;
	/* No terminal: a session of its own all the same, out of the
	 * caller's (and its terminal's) reach. */
	if (init->console_socket < 0 && container_session_start() != 0)
		return -1;
	/* The AppArmor profile or SELinux label the program starts in. */
	if (container_lsm_set_exec_labels(&config->process, &init->lsm) != 0)
		return -1;
	/* Find the program now, so create (not start) fails on a typo
	 * (in a chroot, only once it is made, after the wait). */
	if (init->mount_namespace_listed &&
	    container_find_program(&config->process, program, sizeof program) != 0)
		return -1;
	/* Ready: from here the process outlives the runtime (create exits). */
	prctl(PR_SET_PDEATHSIG, 0);
	char ready = INIT_READY;
	if (write(init->ready_write, &ready, 1) != 1)
		return -1;
	close(init->ready_write);

	/* Everything that does not need "start" is done before the wait,
	 * so that start releases a process one execve away from the
	 * program: a signal sent right after start then reaches the
	 * program, not a runtime still busy. The program gets the default
	 * signal actions and an empty mask (chapter 02 blocked the
	 * forwarded signals), and none of the runtime's descriptors: the
	 * inherited ones are closed now, the runtime's own are O_CLOEXEC
	 * (the log keeps working until execve). */
	for (int signal = 1; signal < NSIG; signal++)
		if (signal != SIGKILL && signal != SIGSTOP)
			sigaction(signal, &(struct sigaction){.sa_handler = SIG_DFL}, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (container_close_inherited_fds() != 0)
		return -1;
	fflush(NULL);

	if (container_init_wait_for_start(init->exec_fifo) != 0)
		return -1;
	/* hooks.startContainer: in the container, after start, just before
	 * the program (paths are the container's, after pivot_root). */
	if (run_container_hooks(init, OCI_HOOK_START_CONTAINER) != 0)
		return -1;
	if (!init->mount_namespace_listed) {
		if (chroot(config->root_path) != 0)
			return fail_errno("chroot %s", config->root_path);
		/* "/" in here is the bind mount create made: read-only now. */
		if (init->root_on_host && container_root_make_readonly(config) != 0)
			return -1;
		if (container_chdir(config->process.cwd) != 0)
			return -1;
		if (container_find_program(&config->process, program, sizeof program) != 0)
			_exit(127);
	}
	/* After the wait: the fifo is in the state directory, which only
	 * root may open, and security is what the program runs with. */
	if (container_process_security_apply(&config->process, &init->seccomp,
					     init->user_namespace) != 0)
		return -1;
	/* The program's own execve, not chapter 02's (which would reset
	 * the signals and close descriptors again, under the filter). */
	execve(program, config->process.args, config->process.env);
	int saved_errno = errno;
	fail_errno("exec %s", program);
	fflush(NULL);
	_exit(saved_errno == ENOENT ? 127 : 126);
}
// end::init[]

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
	 * create exits, and must never see an empty or half-written file. */
	if (snprintf(temporary, sizeof temporary, "%s.tmp", pid_file) >= (int)sizeof temporary)
		return fail_msg("pid file %s: name too long", pid_file);
	snprintf(text, sizeof text, "%d", (int)pid);
	/* A new file, never one already there: whatever sits at the name
	 * (a crashed runtime's leftover, a planted symlink) is removed,
	 * not written through. */
	int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST && unlink(temporary) == 0)
		fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
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

/* linux.uidMappings as chapter 07 takes them: "0 100000 65536,1 ...". */
static int id_map_text(const struct oci_id_mapping *mappings, size_t count, char *text, size_t size)
{
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		int length = snprintf(text + used, size - used, "%s%u %u %u", i ? "," : "",
				      mappings[i].container_id,
				      mappings[i].host_id, mappings[i].size);
		if (length < 0 || (size_t)length >= size - used)
			return fail_msg("config.json: linux.uidMappings: too many lines");
		used += (size_t)length;
	}
	return 0;
}

/* The host uid and gid of the container's root: 0 without a user
 * namespace, else what linux.uidMappings maps 0 to. */
static void fifo_owner_from_mappings(const struct oci_config *config, uid_t *uid, gid_t *gid)
{
	*uid = 0;
	*gid = 0;
	if (!(config->clone_flags & CLONE_NEWUSER))
		return;
	for (size_t i = 0; i < config->uid_mapping_count; i++)
		if (config->uid_mappings[i].container_id == 0)
			*uid = config->uid_mappings[i].host_id;
	for (size_t i = 0; i < config->gid_mapping_count; i++)
		if (config->gid_mappings[i].container_id == 0)
			*gid = config->gid_mappings[i].host_id;
}

/* Does any directory of the cgroup exist (after a crash, only some may)? */
static bool cgroup_exists(const struct cgroup *group)
{
	if (group->mode == CGROUP_MODE_V2)
		return access(group->unified_dir, F_OK) == 0;
	for (int c = 0; c < CGROUP_CONTROLLER_COUNT; c++)
		if (group->controller_dir[c][0] != '\0' && access(group->controller_dir[c], F_OK) == 0)
			return true;
	return false;
}

/* The cgroup the state records, if it exists. Returns 1, 0, or -1. */
static int container_cgroup(const struct container_state *state, struct cgroup *group)
{
	if (state->cgroup_path[0] == '\0')
		return 0;
	if (cgroup_open(group, state->cgroup_path) != 0)
		return -1;
	return cgroup_exists(group) ? 1 : 0;
}

/* config.json's linux.resources as chapter 05's limits. -1 in the
 * spec is "no limit", which a new cgroup already has. */
static void cgroup_limits_from_config(const struct oci_resources *resources,
				      struct cgroup_limits *limits)
{
	limits->memory_max_bytes = resources->memory_limit > 0 ? resources->memory_limit
								: CGROUP_LIMIT_UNCHANGED;
	limits->pids_max = resources->pids_limit > 0 ? resources->pids_limit : CGROUP_LIMIT_UNCHANGED;
	limits->cpu_quota_us = resources->cpu_quota > 0 ? resources->cpu_quota : CGROUP_LIMIT_UNCHANGED;
	limits->cpu_period_us = resources->cpu_period > 0 ? resources->cpu_period
							  : CGROUP_CPU_PERIOD_DEFAULT_US;
}

/* linux.resources that minirun does not apply (chapter 05 knows memory,
 * pids, the cpu quota and shares, cpuset, huge pages and v1 device
 * rules): one warning line each, never a silent skip. */
static void resources_warn_unapplied(const struct oci_config *config)
{
	static const char *const unapplied[] = {"blockIO", "network", "rdma", "unified"};
	json_t *resources = json_object_get(json_object_get(config->document, "linux"), "resources");
	const struct oci_resources *wanted = &config->resources;

	if (resources == NULL)
		return;
	for (size_t i = 0; i < sizeof unapplied / sizeof unapplied[0]; i++) {
		json_t *value = json_object_get(resources, unapplied[i]);
		if (value != NULL && !json_is_null(value) &&
		    !(json_is_array(value) && json_array_size(value) == 0))
			fprintf(stderr, "minirun: warning: linux.resources.%s is not applied (not supported)\n",
				unapplied[i]);
	}
	if (wanted->memory_reservation >= 0)
		fprintf(stderr, "minirun: warning: linux.resources.memory.reservation is not applied (not supported)\n");
	if (wanted->memory_swap >= 0)
		fprintf(stderr, "minirun: warning: linux.resources.memory.swap is not applied (not supported)\n");
}

/* Check linux.resources' cpuset lists, shares and huge page sizes with
 * chapter 05's validators: in create_prepare, before anything exists. */
static int resources_validate(const struct oci_resources *wanted)
{
	/* Each reports its one line ("cpuset cpus '0-x': ..."). */
	if ((wanted->cpu_cpus != NULL && cgroup_validate_cpu_list("cpus", wanted->cpu_cpus) != 0) ||
	    (wanted->cpu_mems != NULL && cgroup_validate_cpu_list("mems", wanted->cpu_mems) != 0))
		return -1;
	for (size_t i = 0; i < wanted->hugepage_limit_count; i++)
		if (cgroup_validate_hugetlb_page_size(wanted->hugepage_limits[i].page_size) != 0)
			return -1;
	return 0;
}

/* Everything of linux.resources beyond memory, pids and the cpu quota
 * that chapter 05 applies: cpuset, shares, huge pages, device rules (on
 * cgroup v2 an eBPF program, chapter 05's cgroup_device_bpf.c). */
/* The devices every container gets (its /dev), allowed after the config's
 * own rules as runc and crun do: null, zero, full, random, urandom, tty,
 * console, ptmx and the pts, plus mknod of anything (the nodes it can
 * then open are still these). */
static const struct cgroup_device_rule default_device_rules[] = {
	{true, 'c', -1, -1, "m"}, {true, 'b', -1, -1, "m"},   {true, 'c', 1, 3, "rwm"},
	{true, 'c', 1, 5, "rwm"}, {true, 'c', 1, 7, "rwm"},   {true, 'c', 1, 8, "rwm"},
	{true, 'c', 1, 9, "rwm"}, {true, 'c', 5, 0, "rwm"},   {true, 'c', 5, 1, "rwm"},
	{true, 'c', 5, 2, "rwm"}, {true, 'c', 136, -1, "rwm"},
};
#define DEFAULT_DEVICE_RULE_COUNT (sizeof default_device_rules / sizeof default_device_rules[0])

static int cgroup_apply_more_resources(const struct cgroup *group, const struct oci_config *config,
				       bool debug)
{
	const struct oci_resources *wanted = &config->resources;
	if (cgroup_set_cpuset(group, wanted->cpu_cpus, wanted->cpu_mems) != 0)
		return -1;
	if (wanted->cpu_shares > 0 && cgroup_set_cpu_shares(group, (unsigned long long)wanted->cpu_shares) != 0)
		return -1;
	for (size_t i = 0; i < wanted->hugepage_limit_count; i++)
		if (cgroup_set_hugetlb_limit(group, wanted->hugepage_limits[i].page_size,
					     (long long)wanted->hugepage_limits[i].limit) != 0)
			return -1;
	if (wanted->device_rule_count == 0)
		return 0;
	if (!cgroup_supports_device_rules(group)) {
		/* cgroup v1 without its devices hierarchy mounted: nothing can
		 * apply them. Said with --debug only: every podman container
		 * carries device rules, and a warning on each would end up in
		 * the container's own output. */
		if (debug)
			fprintf(stderr, "minirun: debug: linux.resources.devices is not applied (no devices "
					"controller on this cgroup %s machine)\n", cgroup_mode_name(group->mode));
		return 0;
	}
	size_t count = 0;
	struct cgroup_device_rule *rules = calloc(wanted->device_rule_count + DEFAULT_DEVICE_RULE_COUNT +
							  config->device_count, sizeof *rules);
	if (rules == NULL)
		return fail_errno("linux.resources.devices");
	for (size_t i = 0; i < wanted->device_rule_count; i++, count++) {
		const struct oci_device_rule *rule = &wanted->device_rules[i];
		rules[count] = (struct cgroup_device_rule){.allow = rule->allow, .type = rule->type,
							   .major = rule->major, .minor = rule->minor};
		snprintf(rules[count].access, sizeof rules[count].access, "%s", rule->access);
	}
	for (size_t i = 0; i < DEFAULT_DEVICE_RULE_COUNT; i++)
		rules[count++] = default_device_rules[i];
	/* The nodes of linux.devices are the container's too. */
	for (size_t i = 0; i < config->device_count; i++) {
		const struct oci_device *device = &config->devices[i];
		if (device->type == 'p')
			continue;
		rules[count++] = (struct cgroup_device_rule){true, device->type == 'b' ? 'b' : 'c',
							     device->major, device->minor, "rwm"};
	}
	int result = cgroup_set_device_rules(group, rules, count);
	free(rules);
	return result;
}

/* Everything create checks and prepares before it changes the machine:
 * a bad config fails here, leaving nothing. */
static int create_prepare(const struct container_create_options *options,
			  struct init_arguments *init, struct nsjoin_set *joined,
			  struct cgroup *group)
{
	const struct oci_config *config = options->config;
	char cgroup_path[CGROUP_PATH_MAX];

	if (rootfs_validate(config->root_path) != 0)
		return -1;
	const struct oci_namespace *uts = oci_config_namespace(config, "uts");
	if (config->hostname != NULL && uts == NULL)
		return fail_msg("config.json: hostname: needs a uts namespace (it would change the host's name)");
	if (config->hostname != NULL && uts->path != NULL)
		init->joined_hostname = config->hostname;
	/* Without a mount namespace the container shares the runtime's:
	 * its mounts land in the host's table (under one bind mount of the
	 * root, which delete removes). What would change the host's own
	 * mounts or files outside the root is refused. */
	init->mount_namespace_listed = oci_config_namespace(config, "mount") != NULL;
	if (!init->mount_namespace_listed) {
		const char *field = config->rootfs_propagation ? "linux.rootfsPropagation"
				    : config->sysctl != NULL ? "linux.sysctl"
				    : config->process.terminal ? "process.terminal" : NULL;
		if (field != NULL)
			return fail_msg("config.json: %s: needs a mount namespace (linux.namespaces has no \"mount\")",
					field);
		init->root_on_host = config->mount_count > 0 || config->masked_path_count > 0 ||
				     config->readonly_path_count > 0 || config->root_readonly ||
				     config->device_count > 0;
		/* A root that is the host's own / would get a new /proc and
		 * /dev on top of the host's. */
		char real_root[PATH_MAX];
		if (init->root_on_host && realpath(config->root_path, real_root) == NULL)
			return fail_errno("config.json: root.path %s", config->root_path);
		if (init->root_on_host && strcmp(real_root, "/") == 0)
			return fail_msg("config.json: root.path: %s is the host's /: without a mount namespace the container's mounts would cover the host's",
					config->root_path);
	}
	if (config->process.terminal && options->console_socket == NULL)
		return fail_msg("config.json: process.terminal: needs --console-socket (the terminal's master goes there)");
	/* Namespaces given by path are opened (and checked) now, joined
	 * later: net, ipc, uts and pid by the runtime before clone (the
	 * child inherits them), cgroup by the child once in its cgroup,
	 * mount by the child before its first mount. A user namespace of
	 * someone else's would leave the runtime unable to write the
	 * maps and set up the root: refused. */
	for (size_t i = 0; i < config->namespace_count; i++) {
		const struct oci_namespace *namespace = &config->namespaces[i];
		if (namespace->path == NULL)
			continue;
		if (namespace->clone_flag == CLONE_NEWUSER)
			return fail_msg("config.json: linux.namespaces[%zu].path: joining an existing %s namespace is not supported",
					i, namespace->type);
		struct nsjoin_set *set = namespace->clone_flag == CLONE_NEWCGROUP ? &init->cgroup_namespace
					 : namespace->clone_flag == CLONE_NEWNS   ? &init->mount_namespace
										  : joined;
		if (nsjoin_open_path(set, namespace->clone_flag, namespace->path) != 0)
			return -1;
	}
	resources_warn_unapplied(config);
	container_lsm_plan(&config->process, &init->lsm);
	if (resources_validate(&config->resources) != 0)
		return -1;
	/* The filter is compiled now, while an error is still one line
	 * (or read from the cache: compiling podman's profile is most of a
	 * container's lifecycle; seccomp_cache.c). */
	if (config->seccomp != NULL &&
	    container_seccomp_program(config->seccomp, "config.json linux.seccomp",
				      CONTAINER_SECCOMP_CACHE, &init->seccomp) != 0)
		return -1;
	/* Every container gets a cgroup: for its limits, and so that pause,
	 * ps and delete find all of its processes. */
	if (config->cgroups_path != NULL)
		snprintf(cgroup_path, sizeof cgroup_path, "%s", config->cgroups_path);
	else if (snprintf(cgroup_path, sizeof cgroup_path, "%s/minirun/%s", CGROUP_CFS_PARENT,
			  options->id) >= (int)sizeof cgroup_path)
		return fail_msg("create %s: the ID is too long for a cgroup path", options->id);
	if (cgroup_open(group, cgroup_path) != 0)
		return -1;
	if (options->console_socket != NULL && config->process.terminal) {
		init->console_socket = container_console_connect(options->console_socket);
		if (init->console_socket < 0)
			return -1;
	}
	return 0;
}

/* prestart and createRuntime (the same point; prestart is deprecated);
 * then the state for the createContainer and startContainer hooks into
 * their pipe, which the init reads when it runs them. Every create-time
 * hook sees the status "created", as crun's do and runtime-tools checks
 * (the spec only says the state goes on stdin). */
static int create_runtime_hooks(const struct oci_config *config, const struct container_state *state,
				struct init_arguments *init)
{
	if (container_hooks_run(config, OCI_HOOK_PRESTART, state, CONTAINER_CREATED) != 0 ||
	    container_hooks_run(config, OCI_HOOK_CREATE_RUNTIME, state, CONTAINER_CREATED) != 0)
		return -1;
	if (init->start_state_write < 0)
		return 0;
	char *text = container_hooks_state_text(state, CONTAINER_CREATED);
	if (text == NULL)
		return -1;
	/* Fits in the pipe (never blocks): the init reads it only at start. */
	size_t length = strlen(text);
	int result = 0;
	if (length >= CONTAINER_HOOK_STATE_MAX)
		result = fail_msg("hooks: the state JSON for the container's hooks is over %d bytes (annotations?)",
				  CONTAINER_HOOK_STATE_MAX);
	else if (write(init->start_state_write, text, length) != (ssize_t)length)
		result = fail_errno("hooks: write the state for the container's hooks");
	free(text);
	close(init->start_state_write);
	init->start_state_write = -1;
	return result;
}

// tag::create[]
int container_create(const struct container_create_options *options,
		     struct container_state *state)
{
	const struct oci_config *config = options->config;
	struct init_arguments init = {
		.config = config, .ready_write = -1, .ready_read = -1, .exec_fifo = -1,
		.start_state_read = -1, .start_state_write = -1,
		.console_socket = -1, .debug = options->debug,
		.user_namespace = (config->clone_flags & CLONE_NEWUSER) != 0,
	};
	struct nsjoin_set joined;
	struct cgroup group;
	struct pidns_child child = {.pid = -1, .release_fd = -1};
	bool spawned = false, cgroup_made = false;
	char path[PATH_MAX + 32], uid_map[4096], gid_map[4096];

	memset(state, 0, sizeof *state);
	nsjoin_set_init(&joined);
	nsjoin_set_init(&init.cgroup_namespace);
	nsjoin_set_init(&init.mount_namespace);
	/* Everything that can be checked without changing the machine is
	 * checked before the state directory exists. */
	if (create_prepare(options, &init, &joined, &group) != 0 ||
	    id_map_text(config->uid_mappings, config->uid_mapping_count, uid_map, sizeof uid_map) ||
	    id_map_text(config->gid_mappings, config->gid_mapping_count, gid_map, sizeof gid_map))
		goto fail_before_state;

	if (container_state_directory_create(options->state_root, options->id, state) != 0)
		goto fail_before_state;
	snprintf(state->bundle, sizeof state->bundle, "%s", config->bundle);
	snprintf(state->rootfs, sizeof state->rootfs, "%s", config->root_path);
	utc_now(state->created, sizeof state->created);
	if (config->annotations != NULL)
		state->annotations = json_incref(config->annotations);
	state->status = CONTAINER_CREATING;
	/* Recorded before it is made: delete --force removes it if a
	 * create dies half-way. */
	snprintf(state->cgroup_path, sizeof state->cgroup_path, "%s", group.relative_path);
	if (container_state_write(state) != 0)
		goto fail;
	/* exec and delete read the config from here: the bundle may change. */
	snprintf(path, sizeof path, "%s/%s", state->directory, CONTAINER_CONFIG_FILE);
	if (json_dump_file(config->document, path, JSON_COMPACT) != 0) {
		fail_errno("write %s", path);
		goto fail;
	}

	// TODO 08.3: the runtime's steps from the cgroup to "created"
	// HINT: mkfifo the exec fifo (0600) in state->directory, chown it to the container's root
	// HINT: (fifo_owner_from_mappings) and open it O_PATH | O_CLOEXEC into init.exec_fifo;
	// HINT: pipe2(O_CLOEXEC) for
	// HINT: "ready" (init.ready_read/ready_write). cgroup_create (05.2; on EEXIST clear
	// HINT: state->cgroup_path: not ours), cgroup_set_limits (cgroup_limits_from_config) and
	// HINT: cgroup_apply_more_resources (cpuset, shares, huge pages, device rules).
	// HINT: nsjoin_enter(&joined) for namespaces given by path (the child inherits them).
	// HINT: Without a mount namespace (init.root_on_host): container_host_root_mount.
	// HINT: pidns_spawn (02.1) with namespaces = config->clone_flags minus CLONE_NEWCGROUP
	// HINT: (08.1 makes it later), the hostname (with a new uts), command = process.args,
	// HINT: before_exec = container_init, &init. Record the PID and process_start_time AT
	// HINT: ONCE. Then, while the child waits: userns_write_maps (07.5) if init.user_namespace,
	// HINT: cgroup_attach (05.4), container_oom_score_adj_set (from outside: the container's
	// HINT: /proc may be a fake), the prestart and createRuntime hooks (create_runtime_hooks),
	// HINT: pidns_release. Close your ready_write and read one byte:
	// HINT: INIT_READY, or EOF when the child failed (it said why). Restore the signal mask
	// HINT: (pidns_signals_restore), record "created", write the pid file if asked.
	lab_todo("08.3");
	goto fail;
	/* The child holds its own copies of these now. */
	if (init.start_state_read >= 0)
		close(init.start_state_read);
	close(init.ready_read);
	close(init.exec_fifo);
	if (init.console_socket >= 0)
		close(init.console_socket);
	container_seccomp_free(&init.seccomp);
	nsjoin_close(&joined);
	nsjoin_close(&init.cgroup_namespace);
	nsjoin_close(&init.mount_namespace);
	return 0;

fail:
	if (spawned)
		pidns_cancel(&child); /* kills, reaps, restores the signal mask */
	container_host_root_unmount(state);
	if (cgroup_made)
		cgroup_destroy(&group);
	container_state_directory_remove(state);
	container_state_release(state);
fail_before_state:
	if (init.start_state_read >= 0)
		close(init.start_state_read);
	if (init.start_state_write >= 0)
		close(init.start_state_write);
	if (init.ready_read >= 0)
		close(init.ready_read);
	if (init.ready_write >= 0)
		close(init.ready_write);
	if (init.exec_fifo >= 0)
		close(init.exec_fifo);
	if (init.console_socket >= 0)
		close(init.console_socket);
	container_seccomp_free(&init.seccomp);
	nsjoin_close(&joined);
	nsjoin_close(&init.cgroup_namespace);
	nsjoin_close(&init.mount_namespace);
	return -1;
}
// end::create[]

// tag::status[]
enum container_status container_status(const struct container_state *state)
{
	// TODO 08.4: the state machine: what status is the container in now?
	// HINT: The record says creating, created, running or paused; the process may have
	// HINT: exited since. If the recorded status is not "stopped" and container_process_alive()
	// HINT: says the process is gone (or its PID now belongs to someone else), it is
	// HINT: "stopped". "creating" with no PID yet is still "creating".
	lab_todo("08.4");
	return CONTAINER_STOPPED;
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
	// TODO 08.5: release the waiting process through the exec fifo
	// HINT: open the fifo O_RDONLY | O_NONBLOCK (a blocking open would hang forever if the
	// HINT: process died); poll(2) it for POLLIN in short steps, giving up if
	// HINT: container_process_alive() turns false; read the byte; unlink the fifo (start
	// HINT: works once); record status "running".
	return lab_todo("08.5");
}
// end::start[]

json_t *container_processes(const struct container_state *state)
{
	struct cgroup group;
	char path[CGROUP_PATH_MAX + 32], text[65536];
	int exists = container_cgroup(state, &group);

	if (exists < 0)
		return NULL;
	if (exists == 0) {
		fail_msg("container %s has no cgroup", state->id);
		return NULL;
	}
	/* Every process of the container is in its cgroup: exec'd ones
	 * too, and those of a container without a PID namespace. */
	const char *directory = group.unified_dir;
	if (group.mode != CGROUP_MODE_V2)
		directory = group.controller_dir[CGROUP_PIDS][0] ? group.controller_dir[CGROUP_PIDS]
								 : group.controller_dir[CGROUP_MEMORY];
	snprintf(path, sizeof path, "%s/cgroup.procs", directory);
	if (read_file(path, text, sizeof text) < 0)
		return NULL;
	json_t *pids = json_array();
	for (char *line = strtok(text, "\n"); line != NULL && pids != NULL; line = strtok(NULL, "\n")) {
		long pid;
		if (parse_long(line, 1, INT32_MAX, &pid) == 0)
			json_array_append_new(pids, json_integer(pid));
	}
	if (pids == NULL)
		fail_msg("ps %s: out of memory", state->id);
	return pids;
}

// tag::kill[]
int container_kill(const struct container_state *state, int signal, bool all)
{
	// TODO 08.6: signal the container's process, if there is one
	// HINT: Only a created, running or paused container has a process (container_status). A
	// HINT: stopped one is an error ("container X is stopped"), never a kill(2) of a PID
	// HINT: that may belong to someone else by now. With all, signal every PID of
	// HINT: container_processes() (its cgroup's).
	return lab_todo("08.6");
}
// end::kill[]

int container_freeze(struct container_state *state, bool frozen)
{
	enum container_status status = container_status(state);
	enum container_status from = frozen ? CONTAINER_RUNNING : CONTAINER_PAUSED;
	struct cgroup group;

	if (status != from)
		return fail_msg("%s %s: the container is %s, not %s", frozen ? "pause" : "resume",
				state->id, container_status_name(status), container_status_name(from));
	int exists = container_cgroup(state, &group);
	if (exists <= 0)
		return exists < 0 ? -1 : fail_msg("container %s has no cgroup", state->id);
	/* Chapter 05's freezer: every process of the cgroup at once. */
	if (cgroup_freeze(&group, frozen) != 0)
		return -1;
	state->status = frozen ? CONTAINER_PAUSED : CONTAINER_RUNNING;
	return container_state_write(state);
}

// tag::delete[]
int container_delete(struct container_state *state, bool force)
{
	struct cgroup group;

	// TODO 08.7: delete a stopped container, or kill first with --force
	// HINT: Without force, anything but "stopped" is an error. With force: thaw a paused one
	// HINT: (cgroup_freeze false: a frozen process cannot die), SIGKILL the process if
	// HINT: container_process_alive(), wait until it is gone (poll every 10 ms; reap it with
	// HINT: waitpid(WNOHANG) in case we are its parent). Then the cgroup the state records, if
	// HINT: it exists (container_cgroup; cgroup_destroy kills what exec left in it), then
	// HINT: the state directory (container_state_directory_remove). A container without a
	// HINT: mount namespace left its mounts on the host: container_host_root_unmount first.
	return lab_todo("08.7");
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

/* ---------------------------------------------------------------- exec */

/* What the exec'd process's parent and the process share. */
struct exec_child {
	const struct container_exec_options *options;
	struct nsjoin_set *inner;  /* user, cgroup, mount: joined by the child */
	int release_read;          /* the parent says go (it has attached the cgroup) */
	int status_write;          /* an int exit code on failure; EOF once exec'd */
	int console_socket;
	/* No mount namespace: the container's root (/proc/PID/root), to
	 * chroot into; joining the host's own mount namespace again would
	 * leave the process at the host's /. -1 otherwise. */
	int root_fd;
	struct container_lsm_plan lsm;
	struct sock_fprog seccomp;
	bool user_namespace;
};

static __attribute__((noreturn)) void exec_child_fail(const struct exec_child *child, int code)
{
	fflush(NULL);
	if (write(child->status_write, &code, sizeof code) < 0) {
		/* the parent is gone: nobody to tell */
	}
	_exit(code);
}

// tag::exec-child[]
/* In the child of nsjoin_fork: already in the container's IPC, network,
 * PID, time and UTS namespaces. Never returns. */
static __attribute__((noreturn)) void exec_child_run(struct exec_child *child)
{
	const struct oci_process *process = &child->options->config->process;
	char program[PATH_MAX], go;

	if (read(child->release_read, &go, 1) != 1)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	close(child->release_read);
	/* Detached, the process must outlive us (nsjoin_fork set it to die
	 * with its parent, which is right only while we wait for it). */
	if (child->options->detach)
		prctl(PR_SET_PDEATHSIG, 0);
	/* Now the namespaces that would hide the host from the runtime:
	 * the cgroup namespace (after the parent attached us to the
	 * cgroup) and the mount namespace last. */
	if (nsjoin_enter(child->inner) != 0)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	nsjoin_close(child->inner);
	if (child->root_fd >= 0 && (fchdir(child->root_fd) != 0 || chroot(".") != 0)) {
		fail_errno("chroot into the container's root");
		exec_child_fail(child, EXEC_SETUP_FAILED);
	}
	if (container_lsm_set_exec_labels(process, &child->lsm) != 0)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	if (child->console_socket >= 0 && container_terminal_setup(child->console_socket, false) != 0)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	if (child->console_socket < 0 && container_session_start() != 0)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	if (container_chdir(process->cwd) != 0)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	if (container_process_attributes_apply(process) != 0)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	if (container_find_program(process, program, sizeof program) != 0)
		exec_child_fail(child, errno == ENOENT ? 127 : 126);
	/* Nothing of the runtime's reaches the program: every descriptor
	 * is closed on exec, the status pipe too (its EOF says "running").
	 * Done before the filter, which may refuse close_range. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
		fail_errno("close_range (mark the runtime's descriptors close-on-exec)");
		exec_child_fail(child, EXEC_SETUP_FAILED);
	}
	if (container_process_security_apply(process, &child->seccomp, child->user_namespace) != 0)
		exec_child_fail(child, EXEC_SETUP_FAILED);
	fflush(NULL);
	execve(program, process->args, process->env);
	int saved_errno = errno;
	fail_errno("exec %s", program);
	exec_child_fail(child, saved_errno == ENOENT ? 127 : 126);
}
// end::exec-child[]

// tag::exec[]
int container_exec(const struct container_state *state, const struct container_exec_options *options)
{
	const struct oci_config *config = options->config;
	struct nsjoin_set outer, inner;
	struct cgroup group;
	struct exec_child child = {.options = options, .inner = &inner, .release_read = -1,
				   .status_write = -1, .console_socket = -1, .root_fd = -1,
				   .user_namespace = oci_config_namespace(config, "user") != NULL};
	int release_pipe[2] = {-1, -1}, status_pipe[2] = {-1, -1};
	int result = EXEC_SETUP_FAILED;
	pid_t pid = -1;

	nsjoin_set_init(&outer);
	nsjoin_set_init(&inner);
	enum container_status status = container_status(state);
	if (status != CONTAINER_RUNNING && status != CONTAINER_CREATED) {
		fail_msg("exec %s: the container is %s", state->id, container_status_name(status));
		return EXEC_SETUP_FAILED;
	}
	if (config->process.terminal && options->console_socket == NULL) {
		fail_msg("exec %s: a terminal needs --console-socket", state->id);
		return EXEC_SETUP_FAILED;
	}
	int cgroup_found = container_cgroup(state, &group);
	if (cgroup_found < 0)
		return EXEC_SETUP_FAILED;
	/* The container's seccomp profile applies to every one of its
	 * processes: compiled now, installed last in the child. */
	if (config->seccomp != NULL &&
	    container_seccomp_program(config->seccomp, "config.json linux.seccomp",
				      CONTAINER_SECCOMP_CACHE, &child.seccomp) != 0)
		return EXEC_SETUP_FAILED;
	if (config->process.terminal &&
	    (child.console_socket = container_console_connect(options->console_socket)) < 0)
		goto out;
	if (pipe2(release_pipe, O_CLOEXEC) != 0 || pipe2(status_pipe, O_CLOEXEC) != 0) {
		fail_errno("pipe2");
		goto out;
	}
	container_lsm_plan(&config->process, &child.lsm);
	if (oci_config_namespace(config, "mount") == NULL) {
		char root[64];
		snprintf(root, sizeof root, "/proc/%d/root", (int)state->pid);
		child.root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (child.root_fd < 0) {
			fail_errno("open %s", root);
			goto out;
		}
	}

	// TODO 08.9: exec: join the container, in two halves around the fork
	// HINT: Open every namespace of state->pid first (03.1): `outer` = IPC, network, PID, time,
	// HINT: UTS; `inner` = user, cgroup, mount. nsjoin_enter(&outer) here: the runtime keeps
	// HINT: the host's mounts and cgroup view, which it needs to attach the child. Then
	// HINT: nsjoin_fork() (03.3): the child (in the PID namespace) sets child.release_read and
	// HINT: child.status_write, closes the other ends and calls exec_child_run. The parent:
	// HINT: cgroup_attach (05.4) the child, container_oom_score_adj_set, write the pid file,
	// HINT: release it, then read an int
	// HINT: from the status pipe: EOF means it exec'd (return 0 with detach, else
	// HINT: nsjoin_wait); an int is its exit code (reap it, return the int).
	lab_todo("08.9");
	goto out;
out_kill:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
out:
	for (int i = 0; i < 2; i++) {
		if (release_pipe[i] >= 0)
			close(release_pipe[i]);
		if (status_pipe[i] >= 0)
			close(status_pipe[i]);
	}
	if (child.console_socket >= 0)
		close(child.console_socket);
	if (child.root_fd >= 0)
		close(child.root_fd);
	container_seccomp_free(&child.seccomp);
	nsjoin_close(&outer);
	nsjoin_close(&inner);
	return result;
}
// end::exec[]
