/* oci_config.h: an OCI bundle's config.json, read and checked (chapter 08).
 *
 * oci_config_load reads BUNDLE/config.json with jansson, checks every
 * field minirun uses (types, required fields, ranges, duplicates) and
 * fills a struct oci_config. Nothing on the machine is touched: a bad
 * config is refused before the state directory, a mount or a process
 * exists. Errors are one line naming the field:
 *     minirun: config.json: process.args: must be a non-empty array of strings
 * Unknown fields are ignored, as the runtime specification demands;
 * unknown capabilities are a warning (a newer kernel may know them).
 *
 * Strings point into the parsed JSON document, which the struct keeps
 * alive until oci_config_free.
 *
 * Read: the OCI runtime specification, config.md and config-linux.md
 * (https://github.com/opencontainers/runtime-spec), jansson's API
 * reference, getrlimit(2), capabilities(7), mount(2).
 */
#ifndef LAB_OCI_CONFIG_H
#define LAB_OCI_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One entry of linux.namespaces: a new namespace, or one joined by path. */
struct oci_namespace {
	const char *type;  /* "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time" */
	int clone_flag;    /* CLONE_NEWPID, ... */
	const char *path;  /* NULL: create a new one; else join this one (setns) */
};

/* One line of linux.uidMappings or linux.gidMappings. */
struct oci_id_mapping {
	uint32_t container_id, host_id, size;
};

/* One entry of mounts, its options already split into what mount(2) takes. */
struct oci_mount {
	const char *destination;   /* absolute, inside the container */
	const char *type;          /* "proc", "tmpfs", "bind", ... (NULL: bind if options say so) */
	const char *source;        /* may be NULL (then the type is used) */
	unsigned long flags;       /* MS_NOSUID, MS_RDONLY, MS_BIND, MS_REC, ... */
	unsigned long propagation; /* 0 or one of MS_PRIVATE, MS_SLAVE, MS_SHARED, MS_UNBINDABLE (| MS_REC) */
	char *data;                /* the options mount(2) passes to the filesystem ("mode=755,size=64k") */
	bool is_bind;              /* "bind"/"rbind" in options or type "bind" */
};

/* One entry of process.rlimits. */
struct oci_rlimit {
	const char *name; /* "RLIMIT_NOFILE" */
	int resource;     /* RLIMIT_NOFILE */
	uint64_t soft, hard;
};

/* process.capabilities: each set as a bit mask of capability numbers. */
struct oci_capabilities {
	bool present; /* false: the field was absent */
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

/* One entry of linux.resources.hugepageLimits. */
struct oci_hugepage_limit {
	const char *page_size; /* "2MB" */
	uint64_t limit;        /* bytes */
};

/* One entry of linux.resources.devices: a device cgroup rule. */
struct oci_device_rule {
	bool allow;
	char type;             /* 'a', 'c' or 'b' ('a' when absent) */
	int64_t major, minor;  /* -1: any (absent) */
	char access[4];        /* some of "rwm" ("rwm" when absent) */
};

/* One entry of linux.devices: a device node made in the container's /dev. */
struct oci_device {
	const char *path;      /* absolute, inside the container */
	char type;             /* 'c', 'b', 'u' (unbuffered c) or 'p' (fifo) */
	int64_t major, minor;  /* 0 for 'p' */
	bool has_file_mode, has_uid, has_gid;
	uint32_t file_mode, uid, gid;
};

/* The hooks' points in the lifecycle (config.md, "POSIX-platform Hooks"). */
enum oci_hook_kind {
	OCI_HOOK_PRESTART,         /* deprecated: run with createRuntime */
	OCI_HOOK_CREATE_RUNTIME,   /* runtime namespace, namespaces made, before pivot_root */
	OCI_HOOK_CREATE_CONTAINER, /* the container's namespaces, before pivot_root */
	OCI_HOOK_START_CONTAINER,  /* in the container, just before the user's program */
	OCI_HOOK_POSTSTART,        /* runtime namespace, after start */
	OCI_HOOK_POSTSTOP,         /* runtime namespace, in delete */
	OCI_HOOK_KIND_COUNT,
};

/* One hook: a program run with the container's state JSON on stdin. */
struct oci_hook {
	const char *path; /* absolute */
	char **args;      /* NULL-terminated (args[0] is argv[0]); path alone when absent */
	char **env;       /* NULL-terminated "NAME=value"; empty when absent */
	int timeout;      /* seconds, > 0; 0: none */
};

/* linux.resources that minirun applies (memory, cpu, pids, huge pages,
 * device rules). A field that was absent is -1 (for limits, "no limit"
 * is also -1). */
struct oci_resources {
	int64_t memory_limit, memory_reservation, memory_swap;
	int64_t cpu_shares, cpu_quota, cpu_period;
	const char *cpu_cpus, *cpu_mems; /* NULL when absent */
	int64_t pids_limit;
	size_t hugepage_limit_count;
	struct oci_hugepage_limit *hugepage_limits;
	size_t device_rule_count;
	struct oci_device_rule *device_rules; /* in order */
};

struct oci_process {
	bool terminal;
	uint32_t uid, gid;
	size_t additional_gid_count;
	uint32_t *additional_gids;
	bool has_umask;
	uint32_t umask;
	char **args;           /* NULL-terminated; args[0] non-empty */
	char **env;            /* NULL-terminated; each "NAME=value" */
	const char *cwd;       /* absolute */
	size_t rlimit_count;
	struct oci_rlimit *rlimits;
	bool has_oom_score_adj;
	int oom_score_adj;     /* -1000..1000 */
	struct oci_capabilities capabilities;
	bool no_new_privileges;
	/* The Linux security module's label for the program: an AppArmor
	 * profile name, an SELinux context; NULL when absent (or ""). */
	const char *apparmor_profile;
	const char *selinux_label;
};

struct oci_config {
	json_t *document;      /* the parsed config.json: owns every const char * below */
	const char *oci_version;
	char *bundle;          /* absolute path of the bundle directory */
	char *root_path;       /* absolute: root.path, resolved against the bundle */
	bool root_readonly;
	const char *hostname;  /* NULL when absent */
	struct oci_process process;
	size_t mount_count;
	struct oci_mount *mounts;
	size_t namespace_count;
	struct oci_namespace *namespaces;
	int clone_flags;       /* CLONE_NEW* of every namespace to create (path == NULL) */
	size_t uid_mapping_count, gid_mapping_count;
	struct oci_id_mapping *uid_mappings, *gid_mappings;
	size_t masked_path_count, readonly_path_count;
	const char **masked_paths, **readonly_paths;
	json_t *seccomp;       /* linux.seccomp as parsed (borrowed), or NULL: chapter 07 compiles it */
	json_t *sysctl;        /* linux.sysctl (borrowed; keys checked: namespaced only), or NULL */
	const char *mount_label; /* linux.mountLabel: SELinux context of the container's mounts, or NULL */
	unsigned long rootfs_propagation; /* linux.rootfsPropagation: MS_SHARED, ... (| MS_REC), or 0 */
	json_t *annotations;   /* the annotations object (borrowed), or NULL */
	struct oci_resources resources;
	const char *cgroups_path; /* NULL when absent */
	size_t device_count;
	struct oci_device *devices;  /* linux.devices */
	size_t hook_count[OCI_HOOK_KIND_COUNT];
	struct oci_hook *hooks[OCI_HOOK_KIND_COUNT];
};

/* Read BUNDLE/config.json and check it. Fills *config (free it with
 * oci_config_free). Needs nothing; touches nothing. Returns 0, or -1
 * after one line "config.json: FIELD: REASON" on stderr. */
int oci_config_load(const char *bundle, struct oci_config *config);

/* The same from a JSON text already in memory (tests, fuzzing); bundle
 * is the directory a relative root.path is resolved against. */
int oci_config_parse(const char *json_text, size_t length, const char *bundle,
		     struct oci_config *config);

/* Release what oci_config_load allocated. Safe on a zeroed struct. */
void oci_config_free(struct oci_config *config);

/* exec --process FILE: read FILE (a process object, as config.json's
 * "process": podman writes one per exec), check it as parse does, and put
 * it in place of config->process. Errors name the field as
 * "process.json: args: ...". Returns 0 or -1 (config unchanged). */
int oci_config_replace_process(struct oci_config *config, const char *path);

/* exec -- CMD...: keep config->process but run args (NULL-terminated,
 * borrowed: they must outlive config) with terminal as given. */
int oci_config_replace_args(struct oci_config *config, char **args, bool terminal);

/* The hook kind's name as config.json spells it ("createRuntime"). */
const char *oci_hook_kind_name(enum oci_hook_kind kind);

/* Find the namespace of this type ("network") in the config, or NULL. */
const struct oci_namespace *oci_config_namespace(const struct oci_config *config,
						  const char *type);

/* The default config.json text `minirun spec` writes: the busybox rootfs
 * in "rootfs", /bin/sh, the usual namespaces and mounts (like `runc spec`).
 * Returns a string to free(), or NULL after reporting. */
char *oci_config_default_text(void);

#endif
