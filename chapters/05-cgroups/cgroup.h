/* cgroup.h: control groups on cgroup v2 and v1 (chapter 05).
 *
 * The module behind `cgctl`, reused by minirun (chapter 08) for an OCI
 * container's linux.resources and cgroupsPath. A cgroup is a directory in
 * a special filesystem: on cgroup v2 one tree at /sys/fs/cgroup; on v1 one
 * tree per controller, usually at /sys/fs/cgroup/<controller> (the mount
 * table says where: cgroup_find_mount), where the same relative path
 * names the group in each tree. "Hybrid" machines (v1
 * controllers plus a cgroup2 mount at /sys/fs/cgroup/unified) are driven
 * exactly like v1.
 *
 * Every function except the parsers needs root (write access to the
 * cgroup filesystem). Each returns 0 on success, or reports one line
 * ("cgctl: write 64M to /sys/fs/cgroup/x/memory.max: Invalid argument")
 * and returns -1, undoing what it made.
 *
 * The usual order:  cgroup_open -> cgroup_create -> cgroup_set_limits ->
 *   cgroup_attach (the container's init, before it execs) ->
 *   cgroup_read_stats ... -> cgroup_freeze (pause/resume) -> cgroup_destroy
 *
 * Read: cgroups(7), Documentation/admin-guide/cgroup-v2.rst,
 * Documentation/admin-guide/cgroup-v1/{memory,pids,freezer-subsystem,cpusets,
 * devices,hugetlb}.rst, statfs(2), mkdir(2), rmdir(2).
 */
#ifndef LAB_CGROUP_H
#define LAB_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

/* Where every cgroup filesystem is mounted on a modern distribution. */
#define CGROUP_ROOT "/sys/fs/cgroup"
/* The parent of every cgroup cgctl makes: /sys/fs/cgroup/cfs/NAME on v2,
 * /sys/fs/cgroup/<controller>/cfs/NAME on v1. `make clean-host` looks
 * there. It is shared by concurrent users and never removed by destroy. */
#define CGROUP_CFS_PARENT "cfs"
#define CGROUP_PATH_MAX 512

enum cgroup_mode {
	CGROUP_MODE_NONE,   /* no cgroup filesystem at /sys/fs/cgroup */
	CGROUP_MODE_V1,     /* one hierarchy per controller */
	CGROUP_MODE_HYBRID, /* v1 controllers + a cgroup2 at /sys/fs/cgroup/unified */
	CGROUP_MODE_V2,     /* one unified hierarchy at /sys/fs/cgroup */
};

/* The controllers this module uses. On v1 each is a hierarchy (cpuacct
 * and freezer hold the cpu time and the freeze switch); on v2 cpu time
 * is in cpu.stat and freezing is built into every cgroup (cgroup.freeze). */
enum cgroup_controller {
	CGROUP_MEMORY,
	CGROUP_PIDS,
	CGROUP_CPU,
	CGROUP_CPUACCT, /* v1 only */
	CGROUP_FREEZER, /* v1 only */
	CGROUP_CPUSET,  /* which CPUs and memory nodes */
	CGROUP_DEVICES, /* v1 only: v2 filters devices with an eBPF program (cgroup_device_bpf.c) */
	CGROUP_HUGETLB, /* huge pages */
	CGROUP_CONTROLLER_COUNT,
};

/* One cgroup, as cgroup_open computes it. */
struct cgroup {
	enum cgroup_mode mode;
	/* The cgroup's path below the root of every hierarchy, without a
	 * leading slash: "cfs/web" (an OCI cgroupsPath "/cfs/web"). */
	char relative_path[CGROUP_PATH_MAX];
	/* v2: the cgroup's one directory, /sys/fs/cgroup/cfs/web. */
	char unified_dir[CGROUP_PATH_MAX];
	/* v1 (and hybrid): the cgroup's directory in each controller's
	 * hierarchy, wherever that is mounted; "" when it is not mounted.
	 * Two entries are equal when controllers are mounted together
	 * (cpu,cpuacct). */
	char controller_dir[CGROUP_CONTROLLER_COUNT][CGROUP_PATH_MAX];
	/* Bit (1 << controller) set when the controller can be used. */
	unsigned available;
};

/* Leave this limit as it is (cgroup_set_limits). */
#define CGROUP_LIMIT_UNCHANGED (-1LL)
/* Remove this limit ("max" on v2, -1 on v1). */
#define CGROUP_LIMIT_UNLIMITED (-2LL)
/* The period cgctl uses for --cpus: 100 ms, the kernel's default. */
#define CGROUP_CPU_PERIOD_DEFAULT_US 100000LL

struct cgroup_limits {
	long long memory_max_bytes; /* memory.max / memory.limit_in_bytes */
	long long pids_max;         /* pids.max */
	/* cpu.max "QUOTA PERIOD" / cpu.cfs_quota_us + cpu.cfs_period_us:
	 * at most quota microseconds of CPU time in every period. */
	long long cpu_quota_us;
	long long cpu_period_us; /* used only when cpu_quota_us is set */
};

/* A device rule, as devices.allow/devices.deny spell it: "c 1:3 rwm". */
struct cgroup_device_rule {
	bool allow;      /* devices.allow, or devices.deny */
	char type;       /* 'a' (every device), 'c' (character), 'b' (block) */
	long long major; /* -1: any ("*") */
	long long minor; /* -1: any */
	char access[4];  /* some of "rwm": read, write, mknod */
};

/* The largest cpu.shares v1 accepts; the smallest is 2. */
#define CGROUP_CPU_SHARES_MIN 2ULL
#define CGROUP_CPU_SHARES_MAX 262144ULL

/* Every field is -1 when this kernel or mode does not provide it. */
struct cgroup_stats {
	long long memory_current_bytes; /* memory.current / memory.usage_in_bytes */
	long long memory_peak_bytes;    /* memory.peak / memory.max_usage_in_bytes */
	long long memory_max_bytes;     /* the limit; -2 = unlimited */
	long long memory_limit_hits;    /* memory.events max / memory.failcnt */
	long long oom_kills;            /* memory.events / memory.oom_control oom_kill */
	long long pids_current;         /* pids.current */
	long long pids_peak;            /* pids.peak (Linux >= 6.1 on v2) */
	long long pids_max;             /* the limit; -2 = unlimited */
	long long pids_fork_refusals;   /* pids.events max: forks refused at the limit */
	long long cpu_usage_us;         /* cpu.stat usage_usec / cpuacct.usage */
	long long cpu_periods;          /* cpu.stat nr_periods */
	long long cpu_throttled_periods; /* cpu.stat nr_throttled */
	long long cpu_throttled_us;     /* cpu.stat throttled_usec / throttled_time */
};

/* ---- values (chapters/05-cgroups/cgroup_values.c, not an exercise) ---- */

/* The mode's name: "v2", "v1", "hybrid" or "none". */
const char *cgroup_mode_name(enum cgroup_mode mode);

/* The controller's name as the kernel spells it ("memory", "cpuacct"). */
const char *cgroup_controller_name(enum cgroup_controller controller);

/* Parse a memory size: "67108864", "512K", "64M", "1G", "2T" (powers of
 * 1024) or "max" (CGROUP_LIMIT_UNLIMITED); from 1M to 1P. Reports
 * "memory limit 'X': REASON" and returns -1 otherwise. */
int cgroup_parse_memory(const char *text, long long *bytes);

/* Parse a process count from 1 to 4194304, or "max". Reports and returns
 * -1 otherwise. */
int cgroup_parse_pids(const char *text, long long *pids);

/* Parse a CPU share ("0.5" = half a CPU, "2" = two CPUs, at most two
 * decimals, from 0.01 to 1024) into a quota per CGROUP_CPU_PERIOD_DEFAULT_US
 * period, or "max". Reports and returns -1 otherwise. */
int cgroup_parse_cpus(const char *text, long long *quota_us, long long *period_us);

/* Check a cgctl NAME: 1 to 64 of [A-Za-z0-9_.-], not starting with a
 * dot. Reports "cgroup name 'X': REASON" and returns -1 otherwise. */
int cgroup_validate_name(const char *name);

/* Check a CPU or memory node list ("0", "0-3", "0,2-3"): numbers below
 * 65536, ranges low-high. Reports "cpuset WHAT 'X': REASON", returns -1. */
int cgroup_validate_cpu_list(const char *what, const char *list);

/* Parse cpu shares, from 2 to 262144 (v1's range). Reports and returns
 * -1 otherwise. */
int cgroup_parse_cpu_shares(const char *text, unsigned long long *shares);

/* v1 cpu.shares -> v2 cpu.weight (1 to 10000), the conversion crun and
 * runc use: 1 + ((shares - 2) * 9999) / 262142; 1024 becomes 39. */
unsigned long long cgroup_cpu_shares_to_weight(unsigned long long shares);

/* Check a huge page size as the kernel names it in the hugetlb files: a
 * number and KB, MB or GB ("64KB", "2MB", "1GB"). Reports and returns -1. */
int cgroup_validate_hugetlb_page_size(const char *page_size);

/* Parse "SIZE=LIMIT" ("2MB=64M", "1GB=max") into page_size (size bytes)
 * and *bytes (a memory size or "max", as cgroup_parse_memory; 0 is also
 * allowed: no huge pages at all). Reports and returns -1. */
int cgroup_parse_hugetlb_limit(const char *text, char *page_size, size_t size, long long *bytes);

/* Parse a device rule in devices.allow's syntax, "a" or "TYPE MAJOR:MINOR
 * ACCESS" ("c 1:3 rwm", "b 8:* r", "c *:* m"), into rule (allow as given).
 * Reports "device rule 'X': REASON" and returns -1 otherwise. */
int cgroup_parse_device_rule(const char *text, bool allow, struct cgroup_device_rule *rule);

/* Format a device rule as devices.allow takes it ("c 1:3 rwm", "a"). */
const char *cgroup_format_device_rule(const struct cgroup_device_rule *rule, char *buf, size_t size);

/* Format bytes as "64.0M" into buf. Returns buf. */
const char *cgroup_format_bytes(long long bytes, char *buf, size_t size);

/* ---- mounts (chapters/05-cgroups/cgroup_mounts.c, not an exercise) ---- */

/* Where the hierarchy of controllers ("memory", "cpu,cpuacct",
 * "name=systemd"; "" for the cgroup2 one) is mounted in this mount
 * namespace, from /proc/self/mountinfo: the first mount of the whole
 * hierarchy, else (inside a cgroup namespace, or where only a part of it
 * is mounted) the first mount of it. Returns 1 and fills mount_point
 * (size bytes), 0 when it is not mounted anywhere (not an error: nothing
 * is reported), -1 on error. */
int cgroup_find_mount(const char *controllers, char *mount_point, size_t size);

/* ---- the cgroup (solutions/05-cgroups/cgroup.c) ---- */

/* Exercise 05.1: tell which cgroup layout this machine runs, from the
 * filesystem type of /sys/fs/cgroup (and of /sys/fs/cgroup/unified).
 * Sets *mode; returns -1 (CGROUP_MODE_NONE) when no cgroups are mounted. */
int cgroup_detect_mode(enum cgroup_mode *mode);

/* Fill group for the cgroup at path (relative to the root of every
 * hierarchy, e.g. "cfs/web"; a leading "/" is ignored; no "." or ".."
 * parts): the mode, its directories, the usable controllers. Changes
 * nothing on the machine. Needs cgroup_detect_mode. */
int cgroup_open(struct cgroup *group, const char *path);

/* Exercise 05.2: make the cgroup's directory (v2) or directories (v1),
 * and its missing parents. On v2, first enable the memory, pids and cpu
 * controllers in cgroup.subtree_control of every ancestor, which must
 * hold no processes (the no-internal-processes rule; the root is exempt).
 * Fails with EEXIST when the cgroup exists. Removes what it made on error. */
int cgroup_create(const struct cgroup *group);

/* Exercise 05.3: write the limits that are not CGROUP_LIMIT_UNCHANGED
 * into the controllers' files. A memory limit also sets memory.swap.max
 * to 0 on v2 where it exists, so the limit cannot be dodged by swapping.
 * Fails when a needed controller is not available. */
int cgroup_set_limits(const struct cgroup *group, const struct cgroup_limits *limits);

/* Exercise 05.4: move process pid (0: the caller) into the cgroup, in
 * every hierarchy on v1. Its future children are born inside. A runtime
 * attaches its container's init before that execs the user's program. */
int cgroup_attach(const struct cgroup *group, pid_t pid);

/* Exercise 05.5: read the cgroup's usage and events into stats (fields
 * the kernel does not provide are -1). Works on an empty cgroup: peaks
 * and counters survive the processes. */
int cgroup_read_stats(const struct cgroup *group, struct cgroup_stats *stats);

/* Exercise 05.6: freeze (frozen = true) or thaw every process in the
 * cgroup: cgroup.freeze on v2, freezer.state on v1. Returns once the
 * kernel reports the state reached (bounded wait). */
int cgroup_freeze(const struct cgroup *group, bool frozen);

/* ---- more resources (solutions/05-cgroups/cgroup.c, not exercises) ----
 * What an OCI runtime also applies from linux.resources. Each needs the
 * cgroup made by cgroup_create, reports one line and returns -1 on
 * failure (ENODEV: the controller is not available here). */


/* Restrict the cgroup to the CPUs cpus and memory nodes mems (lists as
 * "0-3,6"; NULL leaves one unchanged): cpuset.cpus, cpuset.mems, on v1 and
 * v2. The kernel refuses CPUs or nodes outside the parent's (EINVAL). */
int cgroup_set_cpuset(const struct cgroup *group, const char *cpus, const char *mems);

/* Set the cgroup's relative CPU weight from OCI/v1 shares (2 to 262144;
 * 1024 is the default): cpu.shares on v1, cpu.weight on v2 (converted by
 * cgroup_cpu_shares_to_weight). Only matters when CPUs are contended. */
int cgroup_set_cpu_shares(const struct cgroup *group, unsigned long long shares);

/* Limit the cgroup's huge pages of page_size ("2MB", "1GB": see
 * cgroup_validate_hugetlb_page_size) to bytes (CGROUP_LIMIT_UNLIMITED:
 * none): hugetlb.<size>.limit_in_bytes on v1, hugetlb.<size>.max on v2.
 * Fails with EINVAL when this kernel has no such page size. */
int cgroup_set_hugetlb_limit(const struct cgroup *group, const char *page_size, long long bytes);

/* Can cgroup_set_device_rules work here? On v2 (an eBPF program), and
 * on v1 or hybrid with the devices hierarchy. */
bool cgroup_supports_device_rules(const struct cgroup *group);

/* Apply count device rules in order: later rules override earlier ones,
 * so a runtime's list starts with "deny a" and allows what the container
 * may use. v1: written into devices.allow/devices.deny, adding to what
 * the cgroup had. v2: compiled into one eBPF program attached to the
 * cgroup (cgroup_device_program_attach), which REPLACES the rules of an
 * earlier call, and denies any device no rule names. */
int cgroup_set_device_rules(const struct cgroup *group, const struct cgroup_device_rule *rules,
			    size_t count);

/* cgroup v2: compile rules (as above) into a BPF_PROG_TYPE_CGROUP_DEVICE
 * program, attach it to the cgroup directory cgroup_dir (with
 * BPF_F_ALLOW_MULTI: the ancestors' programs still apply) and detach the
 * programs attached there before. Fails with E2BIG past a few hundred
 * rules; a verifier refusal is reported with its last line. */
int cgroup_device_program_attach(const char *cgroup_dir, const struct cgroup_device_rule *rules,
				 size_t count);

/* Exercise 05.7: kill every process left in the cgroup (cgroup.kill
 * where the kernel has it, Linux >= 5.14 on v2; otherwise freeze, SIGKILL
 * each pid, thaw), wait until it is empty and remove its directories,
 * retrying a bounded number of times. Succeeds if any part existed; the
 * shared parents (cfs/) are kept. Fails with ENOENT if nothing existed. */
int cgroup_destroy(const struct cgroup *group);

#endif
