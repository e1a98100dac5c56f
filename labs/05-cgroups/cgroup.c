/* cgroup.c: make a cgroup, limit it, move a process in, read what it
 * used, freeze it and remove it, on cgroup v2 and on v1 (chapter 05).
 *
 * Everything here is reading and writing small files under /sys/fs/cgroup:
 * the cgroup filesystem is the whole interface. v2 has one directory per
 * cgroup; v1 has one per controller hierarchy, and every operation is
 * repeated in each.
 *
 * Read: cgroups(7), statfs(2), Documentation/admin-guide/cgroup-v2.rst
 * ("Controlling Controllers", "No Internal Process Constraint", "Core
 * Interface Files", "Memory", "CPU", "PID"),
 * Documentation/admin-guide/cgroup-v1/{memory,pids,freezer-subsystem,cpusets,
 * devices,hugetlb}.rst.
 */
#include "cgroup.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

/* How long destroy and freeze wait for the kernel, in steps of 10 ms. */
#define WAIT_STEP_NS 10000000L
#define WAIT_STEPS 500 /* 5 s */
/* v1 reports "no limit" as the largest page-aligned number; anything
 * above 2^62 bytes is no limit. */
#define V1_UNLIMITED_THRESHOLD (1LL << 62)

static void sleep_one_step(void)
{
	struct timespec step = {.tv_sec = 0, .tv_nsec = WAIT_STEP_NS};
	nanosleep(&step, NULL);
}

/* dir + "/" + file into out (CGROUP_PATH_MAX bytes). */
static int join_path(char *out, const char *dir, const char *file)
{
	int length = snprintf(out, CGROUP_PATH_MAX, "%s/%s", dir, file);
	if (length < 0 || length >= CGROUP_PATH_MAX) {
		errno = ENAMETOOLONG;
		return fail_errno("path %s/%s", dir, file);
	}
	return 0;
}

/* Write text into dir/file, reporting the failure once. */
static int write_knob(const char *dir, const char *file, const char *text)
{
	char path[CGROUP_PATH_MAX];
	if (join_path(path, dir, file) != 0)
		return -1;
	return write_file(path, text);
}

static bool knob_exists(const char *dir, const char *file)
{
	char path[CGROUP_PATH_MAX];
	int length = snprintf(path, sizeof path, "%s/%s", dir, file);
	return length > 0 && length < (int)sizeof path && access(path, F_OK) == 0;
}

/* Read a file holding one number or "max" (CGROUP_LIMIT_UNLIMITED).
 * Quiet: a missing file (an older kernel) is -1, not an error. */
static long long read_number_quietly(const char *dir, const char *file)
{
	char path[CGROUP_PATH_MAX], text[64];
	long long value;

	if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
		return -1;
	FILE *stream = fopen(path, "re");
	if (stream == NULL)
		return -1;
	if (fgets(text, sizeof text, stream) == NULL)
		value = -1;
	else if (strncmp(text, "max", 3) == 0)
		value = CGROUP_LIMIT_UNLIMITED;
	else
		value = strtoll(text, NULL, 10);
	fclose(stream);
	return value;
}

/* Read the value of key in a flat-keyed file ("key value" lines, as
 * memory.events, cpu.stat, memory.oom_control). -1 if absent. */
static long long read_keyed_quietly(const char *dir, const char *file, const char *key)
{
	char path[CGROUP_PATH_MAX], name[64];
	long long value, found = -1;

	if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
		return -1;
	FILE *stream = fopen(path, "re");
	if (stream == NULL)
		return -1;
	while (fscanf(stream, "%63s %lld", name, &value) == 2) {
		if (strcmp(name, key) == 0) {
			found = value;
			break;
		}
	}
	fclose(stream);
	return found;
}

static bool is_filesystem(const char *path, long magic)
{
	struct statfs fs;
	return statfs(path, &fs) == 0 && fs.f_type == magic;
}

// tag::detect-mode[]
int cgroup_detect_mode(enum cgroup_mode *mode)
{
	*mode = CGROUP_MODE_NONE;
	// TODO 05.1: tell cgroup v2, v1 and hybrid apart
	// HINT: statfs(2) CGROUP_ROOT: f_type CGROUP2_SUPER_MAGIC (linux/magic.h) is v2. On v1
	// HINT: CGROUP_ROOT is a tmpfs and each controller (memory, pids, cpu) has its own
	// HINT: CGROUP_SUPER_MAGIC mount below it; if CGROUP_ROOT/unified is also a cgroup2
	// HINT: mount, the machine is "hybrid" (used exactly like v1).
	return lab_todo("05.1");
}
// end::detect-mode[]

/* Is word one of the space-separated words of list? */
static bool has_word(const char *list, const char *word)
{
	size_t length = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += length)
		if ((p == list || p[-1] == ' ') && (p[length] == ' ' || p[length] == '\0' || p[length] == '\n'))
			return true;
	return false;
}

/* The controllers that exist on v2, in the order we enable them. */
static const enum cgroup_controller v2_controllers[] = {CGROUP_MEMORY, CGROUP_PIDS, CGROUP_CPU,
							 CGROUP_CPUSET, CGROUP_HUGETLB};
#define V2_CONTROLLER_COUNT (sizeof v2_controllers / sizeof v2_controllers[0])

int cgroup_open(struct cgroup *group, const char *path)
{
	memset(group, 0, sizeof *group);
	while (*path == '/')
		path++;
	size_t length = strlen(path);
	while (length > 0 && path[length - 1] == '/')
		length--;
	/* Keep room for the longest mount point and file name after it. */
	if (length == 0 || length >= CGROUP_PATH_MAX - 100) {
		errno = EINVAL;
		return fail_msg("cgroup path '%s': must be 1 to %d characters", path, CGROUP_PATH_MAX - 101);
	}
	memcpy(group->relative_path, path, length);
	group->relative_path[length] = '\0';
	/* No "." or ".." parts: the cgroup must stay below the root. */
	for (char *part = group->relative_path; part != NULL;) {
		char *slash = strchr(part, '/');
		size_t part_length = slash ? (size_t)(slash - part) : strlen(part);
		if (part_length == 0 || (part_length == 1 && part[0] == '.') ||
		    (part_length == 2 && part[0] == '.' && part[1] == '.')) {
			errno = EINVAL;
			return fail_msg("cgroup path '%s': empty, '.' or '..' part", path);
		}
		part = slash ? slash + 1 : NULL;
	}

	if (cgroup_detect_mode(&group->mode) != 0)
		return -1;
	if (group->mode == CGROUP_MODE_V2) {
		if (join_path(group->unified_dir, CGROUP_ROOT, group->relative_path) != 0)
			return -1;
		/* The root's cgroup.controllers lists what the kernel offers. */
		char controllers[256];
		if (read_file(CGROUP_ROOT "/cgroup.controllers", controllers, sizeof controllers) < 0)
			return -1;
		for (size_t i = 0; i < V2_CONTROLLER_COUNT; i++)
			if (has_word(controllers, cgroup_controller_name(v2_controllers[i])))
				group->available |= 1u << v2_controllers[i];
		return 0;
	}
	for (int c = 0; c < CGROUP_CONTROLLER_COUNT; c++) {
		/* Where the controller's hierarchy is mounted, from the mount
		 * table: usually CGROUP_ROOT/<name>, but it can be anywhere, or
		 * nowhere (then the controller is not usable here). cpu and
		 * cpuacct are often one mount, "cpu,cpuacct": both find it. */
		char mount_point[CGROUP_PATH_MAX];
		int mounted = cgroup_find_mount(cgroup_controller_name(c), mount_point, sizeof mount_point);
		if (mounted < 0)
			return -1;
		if (mounted == 0)
			continue;
		if (join_path(group->controller_dir[c], mount_point, group->relative_path) != 0)
			return -1;
		group->available |= 1u << c;
	}
	return 0;
}

/* v1: is controller c's directory the same as an earlier controller's
 * (mounted together)? Then every operation on it is already done. */
static bool same_dir_as_earlier(const struct cgroup *group, int c)
{
	for (int earlier = 0; earlier < c; earlier++)
		if ((group->available & (1u << earlier)) &&
		    strcmp(group->controller_dir[earlier], group->controller_dir[c]) == 0)
			return true;
	return false;
}

/* v1: call for each distinct directory of the cgroup. */
#define for_each_v1_dir(group, c)                                                   \
	for (int c = 0; c < CGROUP_CONTROLLER_COUNT; c++)                           \
		if (((group)->available & (1u << c)) && !same_dir_as_earlier(group, c))

/* mkdir, but an existing directory is fine. Returns 1 if it made it. */
static int make_dir_if_missing(const char *dir)
{
	if (mkdir(dir, 0755) == 0)
		return 1;
	if (errno == EEXIST)
		return 0;
	return fail_errno("mkdir %s", dir);
}

/* Make every parent directory of leaf (not leaf itself). */
static int make_parents(const char *leaf)
{
	char dir[CGROUP_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", leaf);
	for (char *slash = dir + strlen(CGROUP_ROOT) + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		int made = make_dir_if_missing(dir);
		*slash = '/';
		if (made < 0)
			return -1;
	}
	return 0;
}

/* v2: let the children of dir use controller name, if the kernel offers
 * it there and it is not enabled yet. */
static int enable_controller(const char *dir, const char *name)
{
	char available[256], enabled[256], path[CGROUP_PATH_MAX], request[32];

	if (join_path(path, dir, "cgroup.controllers") != 0 ||
	    read_file(path, available, sizeof available) < 0)
		return -1;
	if (!has_word(available, name))
		return 0;
	if (join_path(path, dir, "cgroup.subtree_control") != 0 ||
	    read_file(path, enabled, sizeof enabled) < 0)
		return -1;
	if (has_word(enabled, name))
		return 0;
	snprintf(request, sizeof request, "+%s", name);
	FILE *stream = fopen(path, "we");
	if (stream == NULL)
		return fail_errno("open %s", path);
	int failed = fputs(request, stream) < 0;
	failed |= fclose(stream) != 0;
	if (failed) {
		if (errno == EBUSY)
			return fail_errno("write %s to %s (it holds processes, and a cgroup with "
					  "controllers enabled for children cannot)", request, path);
		return fail_errno("write %s to %s", request, path);
	}
	return 0;
}

/* v1: undo cgroup_create's directories (not the shared parents). */
static void remove_v1_dirs(const struct cgroup *group, int before)
{
	int saved_errno = errno;
	for (int made = 0; made < before; made++)
		if ((group->available & (1u << made)) && !same_dir_as_earlier(group, made))
			rmdir(group->controller_dir[made]);
	errno = saved_errno;
}

static int make_cgroup_dirs(const struct cgroup *group);
static int fill_v1_cpuset(const struct cgroup *group);

int cgroup_create(const struct cgroup *group)
{
	if (make_cgroup_dirs(group) != 0)
		return -1;
	if (group->mode != CGROUP_MODE_V2 && (group->available & (1u << CGROUP_CPUSET)) &&
	    fill_v1_cpuset(group) != 0) {
		remove_v1_dirs(group, CGROUP_CONTROLLER_COUNT);
		return -1;
	}
	return 0;
}

// tag::create[]
static int make_cgroup_dirs(const struct cgroup *group)
{
	// TODO 05.2: make the cgroup and enable its controllers
	// HINT: v2: walk from CGROUP_ROOT down to the parent of group->unified_dir; in each
	// HINT: directory write "+memory", "+pids", "+cpu", "+cpuset", "+hugetlb" to
	// HINT: cgroup.subtree_control (the v2_controllers; only those its cgroup.controllers
	// HINT: lists: enable_controller does one), then mkdir(2) the
	// HINT: next part (EEXIST is fine). Finally mkdir the cgroup itself (EEXIST is an error).
	// HINT: v1: for_each_v1_dir: make_parents, then mkdir each controller_dir; on failure
	// HINT: rmdir the ones you made.
	return lab_todo("05.2");
}
// end::create[]

// tag::cpuset-fill[]
/* v1 cpuset: a new cgroup starts with empty cpuset.cpus and cpuset.mems,
 * and the kernel refuses to attach a process to it (ENOSPC). Give every
 * level below the mount point that is still empty its parent's lists,
 * from the top down (a child may only hold a subset of its parent's). */
static int fill_v1_cpuset(const struct cgroup *group)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	const char *leaf = group->controller_dir[CGROUP_CPUSET];
	char dir[CGROUP_PATH_MAX], parent[CGROUP_PATH_MAX], path[CGROUP_PATH_MAX], list[4096];

	/* The mount point is leaf without "/relative_path". */
	size_t mount_length = strlen(leaf) - strlen(group->relative_path) - 1;
	snprintf(dir, sizeof dir, "%s", leaf);
	for (char *slash = dir + mount_length; slash != NULL; slash = strchr(slash + 1, '/')) {
		/* dir up to this slash is the parent, up to the next the child. */
		char *next = strchr(slash + 1, '/');
		*slash = '\0';
		snprintf(parent, sizeof parent, "%s", dir);
		*slash = '/';
		if (next != NULL)
			*next = '\0';
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			if (join_path(path, dir, files[i]) != 0 || read_file(path, list, sizeof list) < 0)
				return -1;
			if (list[0] != '\0' && list[0] != '\n')
				continue;
			if (join_path(path, parent, files[i]) != 0 || read_file(path, list, sizeof list) < 0 ||
			    write_knob(dir, files[i], list) != 0)
				return -1;
		}
		if (next != NULL)
			*next = '/';
	}
	return 0;
}
// end::cpuset-fill[]

/* "max" or the number, as v2's files spell a limit. */
static const char *v2_limit_text(long long value, char *buf, size_t size)
{
	if (value == CGROUP_LIMIT_UNLIMITED)
		snprintf(buf, size, "max");
	else
		snprintf(buf, size, "%lld", value);
	return buf;
}

/* Called only for what the caller was asked to set: a controller that
 * is missing but not needed is no error. */
static int require_controller(const struct cgroup *group, enum cgroup_controller c)
{
	if (group->available & (1u << c))
		return 0;
	const char *name = cgroup_controller_name(c), *why = "";
	char unified_point[CGROUP_PATH_MAX], path[CGROUP_PATH_MAX], holds[256] = "";
	if (group->mode == CGROUP_MODE_V2) {
		why = "not in " CGROUP_ROOT "/cgroup.controllers";
	} else if (cgroup_find_mount("", unified_point, sizeof unified_point) == 1 &&
		   join_path(path, unified_point, "cgroup.controllers") == 0 &&
		   read_file(path, holds, sizeof holds) >= 0 && has_word(holds, name)) {
		/* Hybrid: the kernel gave it to the cgroup2 mount, which a
		 * v1 runtime does not manage. */
		why = "it is on the cgroup2 mount, not in a v1 hierarchy";
	} else {
		why = "no v1 hierarchy of it is mounted (see /proc/self/mountinfo)";
	}
	errno = ENODEV;
	return fail_msg("cgroup %s: the %s controller is not available on this machine (%s: %s)",
			group->relative_path, name, cgroup_mode_name(group->mode), why);
}

// tag::set-limits[]
int cgroup_set_limits(const struct cgroup *group, const struct cgroup_limits *limits)
{
	bool set_memory = limits->memory_max_bytes != CGROUP_LIMIT_UNCHANGED;
	bool set_pids = limits->pids_max != CGROUP_LIMIT_UNCHANGED;
	bool set_cpu = limits->cpu_quota_us != CGROUP_LIMIT_UNCHANGED;
	char text[64];

	/* Check every controller before writing anything, so a missing one
	 * does not leave half the limits set. */
	if ((set_memory && require_controller(group, CGROUP_MEMORY) != 0) ||
	    (set_pids && require_controller(group, CGROUP_PIDS) != 0) ||
	    (set_cpu && require_controller(group, CGROUP_CPU) != 0))
		return -1;
	// TODO 05.3: write the limits into the controllers' files
	// HINT: v2, in group->unified_dir: memory.max ("max" or bytes), pids.max ("max" or a
	// HINT: count), cpu.max ("QUOTA PERIOD" or "max PERIOD"); with a memory limit also
	// HINT: memory.swap.max "0" if that file exists (knob_exists). v1, in controller_dir[...]:
	// HINT: memory.limit_in_bytes (-1 = none), pids.max, cpu.cfs_period_us then
	// HINT: cpu.cfs_quota_us (-1 = none). write_knob(dir, file, text) writes one.
	return lab_todo("05.3");
}
// end::set-limits[]

// tag::attach[]
int cgroup_attach(const struct cgroup *group, pid_t pid)
{
	char text[32];
	snprintf(text, sizeof text, "%d", pid == 0 ? (int)getpid() : (int)pid);
	// TODO 05.4: move a process into the cgroup
	// HINT: write the pid (text) into cgroup.procs: once on v2 (group->unified_dir), and in
	// HINT: every hierarchy on v1 (for_each_v1_dir, group->controller_dir[c]), since a v1
	// HINT: process belongs to one cgroup per hierarchy.
	return lab_todo("05.4");
}
// end::attach[]

/* v1's "no limit" is a huge number; call it unlimited. */
static long long v1_limit(long long value)
{
	return value >= V1_UNLIMITED_THRESHOLD ? CGROUP_LIMIT_UNLIMITED : value;
}

/* The cgroup's main directory: v2's one, or the first v1 hierarchy's. */
static const char *main_dir(const struct cgroup *group)
{
	if (group->mode == CGROUP_MODE_V2)
		return group->unified_dir;
	for (int c = 0; c < CGROUP_CONTROLLER_COUNT; c++)
		if (group->available & (1u << c))
			return group->controller_dir[c];
	return "";
}

// tag::read-stats[]
int cgroup_read_stats(const struct cgroup *group, struct cgroup_stats *stats)
{
	/* Unknown until read: a kernel without the file leaves -1. */
	memset(stats, 0xff, sizeof *stats);
	if (access(main_dir(group), F_OK) != 0)
		return fail_errno("cgroup %s", main_dir(group));
	// TODO 05.5: read what the cgroup used
	// HINT: read_number_quietly(dir, file) reads a one-number file, read_keyed_quietly(dir,
	// HINT: file, key) one "key value" line; both give -1 for a missing file. v2 (unified_dir):
	// HINT: memory.current, memory.peak, memory.max, memory.events (max, oom_kill), pids.current,
	// HINT: pids.peak, pids.max, pids.events (max), cpu.stat (usage_usec, nr_periods,
	// HINT: nr_throttled, throttled_usec). v1: memory.usage_in_bytes, memory.max_usage_in_bytes,
	// HINT: memory.limit_in_bytes (v1_limit), memory.failcnt, memory.oom_control (oom_kill), the
	// HINT: same pids files, cpuacct.usage and cpu.stat throttled_time (nanoseconds: / 1000).
	return lab_todo("05.5");
}
// end::read-stats[]

/* Wait until dir/file holds expected (v1 freezer.state), or its key has
 * the value (v2 cgroup.events "frozen 1"). Bounded. */
static int wait_for_state(const char *dir, const char *file, const char *key, long long value,
			  const char *expected)
{
	char path[CGROUP_PATH_MAX], text[64];
	if (join_path(path, dir, file) != 0)
		return -1;
	for (int step = 0; step < WAIT_STEPS; step++) {
		if (key != NULL) {
			if (read_keyed_quietly(dir, file, key) == value)
				return 0;
		} else if (read_file(path, text, sizeof text) >= 0 && strcmp(text, expected) == 0) {
			return 0;
		}
		sleep_one_step();
	}
	errno = ETIMEDOUT;
	return fail_errno("wait for %s to show %s %s", path, key ? key : expected, key ? (value ? "1" : "0") : "");
}

// tag::freeze[]
int cgroup_freeze(const struct cgroup *group, bool frozen)
{
	// TODO 05.6: freeze and thaw the cgroup
	// HINT: v2: write "1" or "0" to cgroup.freeze, then wait (wait_for_state) until
	// HINT: cgroup.events shows "frozen 1" or "frozen 0". v1: the freezer hierarchy
	// HINT: (controller_dir[CGROUP_FREEZER], require_controller first): write "FROZEN" or
	// HINT: "THAWED" to freezer.state and wait until it reads back the same (not FREEZING).
	return lab_todo("05.6");
}
// end::freeze[]

/* SIGKILL every process listed in dir/cgroup.procs. Returns how many
 * were listed, or -1. */
static int kill_listed_processes(const char *dir)
{
	char path[CGROUP_PATH_MAX];
	int pid, listed = 0;

	if (join_path(path, dir, "cgroup.procs") != 0)
		return -1;
	FILE *procs = fopen(path, "re");
	if (procs == NULL)
		return errno == ENOENT ? 0 : fail_errno("open %s", path);
	while (fscanf(procs, "%d", &pid) == 1) {
		listed++;
		if (kill(pid, SIGKILL) != 0 && errno != ESRCH)
			warn_msg("kill %d in %s: %s", pid, dir, strerror(errno));
	}
	fclose(procs);
	return listed;
}

// tag::kill-all[]
/* End every process in the cgroup, without racing against new ones. */
static int kill_every_process(const struct cgroup *group)
{
	// TODO 05.7: end what is left and remove the cgroup
	// HINT: v2 with a cgroup.kill file (Linux >= 5.14): write "1" to it: the kernel kills
	// HINT: every process, even those being forked. Otherwise (and on v1): freeze the cgroup
	// HINT: so nothing can fork, kill_listed_processes in each directory, then thaw it so
	// HINT: the SIGKILLs are delivered. Without a freezer, just kill what is listed.
	return lab_todo("05.7");
}
// end::kill-all[]

// tag::destroy[]
int cgroup_destroy(const struct cgroup *group)
{
	const char *dirs[CGROUP_CONTROLLER_COUNT];
	int dir_count = 0;

	/* The directories that exist: after a crash, only some may. */
	if (group->mode == CGROUP_MODE_V2) {
		if (access(group->unified_dir, F_OK) == 0)
			dirs[dir_count++] = group->unified_dir;
	} else {
		for_each_v1_dir(group, c)
			if (access(group->controller_dir[c], F_OK) == 0)
				dirs[dir_count++] = group->controller_dir[c];
	}
	if (dir_count == 0) {
		errno = ENOENT;
		return fail_errno("destroy cgroup %s", group->relative_path);
	}
	// TODO 05.7: end what is left and remove the cgroup
	// HINT: loop a bounded number of times (WAIT_STEPS, sleep_one_step between tries):
	// HINT: kill_every_process (at the first try and every 50th), then rmdir(2) each of
	// HINT: dirs[0..dir_count) not yet removed; ENOENT counts as removed, EBUSY means a
	// HINT: process is still exiting. Return 0 once all are gone; report the rmdir error.
	return lab_todo("05.7");
}
// end::destroy[]

/* ---- more resources: cpuset, cpu shares, huge pages, devices ---- */

/* The directory holding controller c's files: v2's one, or its v1 one. */
static const char *dir_of(const struct cgroup *group, enum cgroup_controller c)
{
	return group->mode == CGROUP_MODE_V2 ? group->unified_dir : group->controller_dir[c];
}

// tag::cpuset[]
int cgroup_set_cpuset(const struct cgroup *group, const char *cpus, const char *mems)
{
	if (cpus == NULL && mems == NULL)
		return 0;
	if ((cpus != NULL && cgroup_validate_cpu_list("cpus", cpus) != 0) ||
	    (mems != NULL && cgroup_validate_cpu_list("mems", mems) != 0) ||
	    require_controller(group, CGROUP_CPUSET) != 0)
		return -1;
	/* The same two files on v1 and v2; the kernel checks that they are
	 * within the parent's (EINVAL) and that the CPUs are online. */
	const char *dir = dir_of(group, CGROUP_CPUSET);
	if (cpus != NULL && write_knob(dir, "cpuset.cpus", cpus) != 0)
		return -1;
	if (mems != NULL && write_knob(dir, "cpuset.mems", mems) != 0)
		return -1;
	return 0;
}
// end::cpuset[]

// tag::cpu-shares[]
int cgroup_set_cpu_shares(const struct cgroup *group, unsigned long long shares)
{
	char text[32];

	if (shares < CGROUP_CPU_SHARES_MIN || shares > CGROUP_CPU_SHARES_MAX) {
		errno = ERANGE;
		return fail_msg("cpu shares %llu: out of range (%llu to %llu)", shares, CGROUP_CPU_SHARES_MIN,
				CGROUP_CPU_SHARES_MAX);
	}
	if (require_controller(group, CGROUP_CPU) != 0)
		return -1;
	if (group->mode != CGROUP_MODE_V2) {
		snprintf(text, sizeof text, "%llu", shares);
		return write_knob(group->controller_dir[CGROUP_CPU], "cpu.shares", text);
	}
	/* v2 has a weight from 1 to 10000 (default 100) instead: the same
	 * idea on another scale. */
	snprintf(text, sizeof text, "%llu", cgroup_cpu_shares_to_weight(shares));
	return write_knob(group->unified_dir, "cpu.weight", text);
}
// end::cpu-shares[]

// tag::hugetlb[]
int cgroup_set_hugetlb_limit(const struct cgroup *group, const char *page_size, long long bytes)
{
	char file[64], text[32];

	if (cgroup_validate_hugetlb_page_size(page_size) != 0 ||
	    require_controller(group, CGROUP_HUGETLB) != 0)
		return -1;
	/* One file per page size the kernel supports: hugetlb.2MB.max (v2),
	 * hugetlb.2MB.limit_in_bytes (v1). */
	bool v2 = group->mode == CGROUP_MODE_V2;
	snprintf(file, sizeof file, "hugetlb.%s.%s", page_size, v2 ? "max" : "limit_in_bytes");
	const char *dir = dir_of(group, CGROUP_HUGETLB);
	if (!knob_exists(dir, file)) {
		errno = EINVAL;
		return fail_msg("hugetlb page size %s: not supported by this kernel (no %s/%s)", page_size,
				dir, file);
	}
	if (bytes == CGROUP_LIMIT_UNLIMITED)
		snprintf(text, sizeof text, "%s", v2 ? "max" : "-1");
	else
		snprintf(text, sizeof text, "%lld", bytes);
	return write_knob(dir, file, text);
}
// end::hugetlb[]

bool cgroup_supports_device_rules(const struct cgroup *group)
{
	return group->mode == CGROUP_MODE_V2 || (group->available & (1u << CGROUP_DEVICES));
}

/* Write one rule into devices.allow or devices.deny. */
static int write_device_rule(const char *dir, const struct cgroup_device_rule *rule)
{
	char text[64];
	return write_knob(dir, rule->allow ? "devices.allow" : "devices.deny",
			  cgroup_format_device_rule(rule, text, sizeof text));
}

// tag::devices[]
int cgroup_set_device_rules(const struct cgroup *group, const struct cgroup_device_rule *rules,
			    size_t count)
{
	if (count == 0)
		return 0;
	/* v2 has no files for this: the rules become an eBPF program. */
	if (group->mode == CGROUP_MODE_V2)
		return cgroup_device_program_attach(group->unified_dir, rules, count);
	if (require_controller(group, CGROUP_DEVICES) != 0)
		return -1;
	const char *dir = group->controller_dir[CGROUP_DEVICES];
	/* In order: each rule changes the list the previous ones left, so
	 * "deny a" then "allow c 1:3 rwm" leaves only /dev/null. */
	for (size_t i = 0; i < count; i++) {
		struct cgroup_device_rule rule = rules[i];
		char formatted[64];
		/* The kernel reads "a" as every device with every access and
		 * ignores the rest; a narrower "a" rule is one rule for
		 * character devices and one for block devices. */
		if (rule.type == 'a' && strcmp(cgroup_format_device_rule(&rule, formatted, sizeof formatted), "a") != 0) {
			rule.type = 'c';
			if (write_device_rule(dir, &rule) != 0)
				return -1;
			rule.type = 'b';
		}
		if (write_device_rule(dir, &rule) != 0)
			return -1;
	}
	return 0;
}
// end::devices[]
