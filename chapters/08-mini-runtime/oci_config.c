/* oci_config.c: read and check an OCI bundle's config.json (chapter 08).
 * See oci_config.h. Not an exercise: parsing is not the lesson, but every
 * later step trusts what this file let through, so it checks everything.
 *
 * Read: config.md and config-linux.md of the OCI runtime specification,
 * jansson's API reference (json_loads, json_object_get, json_array_size).
 */
#include "oci_config.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

/* Every error names the field, as a path a reader can find in the file:
 * "process.rlimits[1].soft". */
/* Which file is being checked: "config.json", or "process.json" for
 * exec --process (whose fields are then named without "process."). */
static const char *document_name = "config.json";
static int field_error(const char *field, const char *reason)
{
	if (strcmp(document_name, "config.json") != 0 && strncmp(field, "process.", 8) == 0)
		field += 8;
	return fail_msg("%s: %s: %s", document_name, field, reason);
}

/* Build "PARENT.KEY" or "PARENT[INDEX]" into a caller's buffer. */
#define FIELD_SIZE 256
static const char *field_key(char *buffer, const char *parent, const char *key)
{
	/* A name too long for the buffer is cut, marked with '~'. */
	if (snprintf(buffer, FIELD_SIZE, "%s%s%s", parent, *parent ? "." : "", key) >= FIELD_SIZE)
		buffer[FIELD_SIZE - 2] = '~';
	return buffer;
}
static const char *field_index(char *buffer, const char *parent, size_t index)
{
	if (snprintf(buffer, FIELD_SIZE, "%s[%zu]", parent, index) >= FIELD_SIZE)
		buffer[FIELD_SIZE - 2] = '~';
	return buffer;
}

/* A string without NUL bytes (jansson is told to allow "\u0000" so that
 * we can name the field instead of failing the whole parse). */
static int read_string(json_t *value, const char *field, const char **out)
{
	if (!json_is_string(value))
		return field_error(field, "must be a string");
	if (strlen(json_string_value(value)) != json_string_length(value))
		return field_error(field, "must not contain a NUL byte");
	*out = json_string_value(value);
	return 0;
}

static int read_optional_string(json_t *object, const char *key, const char *parent,
				const char **out)
{
	char field[FIELD_SIZE];
	json_t *value = json_object_get(object, key);

	*out = NULL;
	if (value == NULL || json_is_null(value))
		return 0;
	return read_string(value, field_key(field, parent, key), out);
}

/* A security label (an AppArmor profile, an SELinux context): one line
 * of printable text, written as is into /proc/self/attr files or mount
 * options. "" counts as absent, as runc and crun treat it. */
static int read_label(json_t *object, const char *key, const char *parent, const char **out)
{
	char field[FIELD_SIZE];

	if (read_optional_string(object, key, parent, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	if ((*out)[0] == '\0') {
		*out = NULL;
		return 0;
	}
	if (strlen(*out) > 4095)
		return field_error(field_key(field, parent, key), "must be at most 4095 characters");
	for (const char *c = *out; *c; c++)
		if (*c < 0x21 || *c == 0x7f || *c == '"')
			return field_error(field_key(field, parent, key),
					   "must be printable, without spaces or double quotes");
	return 0;
}

static int read_absolute_path(json_t *value, const char *field, const char **out)
{
	if (read_string(value, field, out) != 0)
		return -1;
	if ((*out)[0] != '/')
		return field_error(field, "must be an absolute path");
	return 0;
}

static int read_bool(json_t *object, const char *key, const char *parent, bool *out)
{
	char field[FIELD_SIZE];
	json_t *value = json_object_get(object, key);

	*out = false;
	if (value == NULL)
		return 0;
	if (!json_is_boolean(value))
		return field_error(field_key(field, parent, key), "must be true or false");
	*out = json_is_true(value);
	return 0;
}

/* An integer in [min, max]. jansson already refuses integers that do not
 * fit in 64 bits, so a huge number can never wrap into -1 ("unlimited"). */
static int read_integer(json_t *value, const char *field, long long min, long long max,
			long long *out)
{
	char reason[128];

	if (!json_is_integer(value))
		return field_error(field, "must be an integer");
	long long number = json_integer_value(value);
	if (number < min || number > max) {
		snprintf(reason, sizeof reason, "%lld is out of range [%lld, %lld]", number, min, max);
		return field_error(field, reason);
	}
	*out = number;
	return 0;
}

/* An optional integer member: absent leaves *out at absent_value. */
static int read_optional_integer(json_t *object, const char *key, const char *parent,
				 long long min, long long max, long long absent_value,
				 long long *out)
{
	char field[FIELD_SIZE];
	json_t *value = json_object_get(object, key);

	*out = absent_value;
	if (value == NULL)
		return 0;
	return read_integer(value, field_key(field, parent, key), min, max, out);
}

/* A uid or gid: 32 bits, but (uid_t)-1 means "unchanged" to the kernel. */
#define ID_MAX 4294967294LL

static json_t *optional_member(json_t *object, const char *key, const char *parent,
			       json_type type, const char *type_name, int *failed)
{
	char field[FIELD_SIZE], reason[64];
	json_t *value = json_object_get(object, key);

	if (value == NULL || json_is_null(value))
		return NULL;
	if (json_typeof(value) != type) {
		snprintf(reason, sizeof reason, "must be %s", type_name);
		field_error(field_key(field, parent, key), reason);
		*failed = 1;
		return NULL;
	}
	return value;
}

/* An array of strings as a NULL-terminated char * array. */
static int read_string_array(json_t *array, const char *field, char ***out, size_t *count)
{
	char element_field[FIELD_SIZE];
	size_t index;
	json_t *element;

	*count = json_array_size(array);
	*out = calloc(*count + 1, sizeof **out);
	if (*out == NULL)
		return fail_errno("config.json: %s", field);
	json_array_foreach(array, index, element) {
		const char *text;
		if (read_string(element, field_index(element_field, field, index), &text) != 0)
			return -1;
		(*out)[index] = (char *)text;
	}
	return 0;
}

/* ------------------------------------------------------------------ hooks */

static const char *const hook_keys[OCI_HOOK_KIND_COUNT] = {
	[OCI_HOOK_PRESTART] = "prestart",
	[OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
	[OCI_HOOK_CREATE_CONTAINER] = "createContainer",
	[OCI_HOOK_START_CONTAINER] = "startContainer",
	[OCI_HOOK_POSTSTART] = "poststart",
	[OCI_HOOK_POSTSTOP] = "poststop",
};

const char *oci_hook_kind_name(enum oci_hook_kind kind)
{
	return (unsigned)kind < OCI_HOOK_KIND_COUNT ? hook_keys[kind] : "?";
}

/* hooks: each kind an array of {path, args, env, timeout}. */
static int parse_hooks(json_t *hooks, struct oci_config *config)
{
	char parent[FIELD_SIZE], field[FIELD_SIZE], member[FIELD_SIZE];
	size_t index, count;
	json_t *element;
	int failed = 0;

	for (int kind = 0; kind < OCI_HOOK_KIND_COUNT; kind++) {
		json_t *array = optional_member(hooks, hook_keys[kind], "hooks", JSON_ARRAY,
						"an array of objects", &failed);
		if (failed)
			return -1;
		field_key(parent, "hooks", hook_keys[kind]);
		config->hooks[kind] = calloc(json_array_size(array) + 1, sizeof *config->hooks[kind]);
		if (config->hooks[kind] == NULL)
			return fail_errno("config.json: %s", parent);
		json_array_foreach(array, index, element) {
			struct oci_hook *hook = &config->hooks[kind][index];
			field_index(field, parent, index);
			if (!json_is_object(element))
				return field_error(field, "must be an object");
			json_t *path = json_object_get(element, "path");
			if (path == NULL)
				return field_error(field, "needs path");
			if (read_absolute_path(path, field_key(member, field, "path"), &hook->path) != 0)
				return -1;
			json_t *args = optional_member(element, "args", field, JSON_ARRAY, "an array of strings",
						       &failed);
			json_t *env = optional_member(element, "env", field, JSON_ARRAY, "an array of strings",
						      &failed);
			if (failed ||
			    read_string_array(args, field_key(member, field, "args"), &hook->args, &count) != 0 ||
			    read_string_array(env, field_key(member, field, "env"), &hook->env, &count) != 0)
				return -1;
			for (size_t i = 0; hook->env[i] != NULL; i++)
				if (strchr(hook->env[i], '=') == NULL || hook->env[i][0] == '=')
					return field_error(field_index(member, field_key(parent, field, "env"), i),
							   "must be NAME=value");
			field_key(parent, "hooks", hook_keys[kind]);
			long long timeout;
			if (read_optional_integer(element, "timeout", field, 1, 86400, 0, &timeout) != 0)
				return -1;
			hook->timeout = (int)timeout;
			config->hook_count[kind]++;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- process */

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{"RLIMIT_AS", RLIMIT_AS},         {"RLIMIT_CORE", RLIMIT_CORE},
	{"RLIMIT_CPU", RLIMIT_CPU},       {"RLIMIT_DATA", RLIMIT_DATA},
	{"RLIMIT_FSIZE", RLIMIT_FSIZE},   {"RLIMIT_LOCKS", RLIMIT_LOCKS},
	{"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
	{"RLIMIT_NICE", RLIMIT_NICE},     {"RLIMIT_NOFILE", RLIMIT_NOFILE},
	{"RLIMIT_NPROC", RLIMIT_NPROC},   {"RLIMIT_RSS", RLIMIT_RSS},
	{"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},
	{"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
};

static int parse_rlimits(json_t *array, struct oci_process *process)
{
	const char *parent = "process.rlimits";
	char field[FIELD_SIZE], member[FIELD_SIZE];
	size_t index;
	json_t *entry;

	process->rlimits = calloc(json_array_size(array) + 1, sizeof *process->rlimits);
	if (process->rlimits == NULL)
		return fail_errno("config.json: %s", parent);
	json_array_foreach(array, index, entry) {
		struct oci_rlimit *limit = &process->rlimits[index];
		long long soft, hard;
		const char *type;

		field_index(field, parent, index);
		if (!json_is_object(entry))
			return field_error(field, "must be an object");
		json_t *type_value = json_object_get(entry, "type");
		if (type_value == NULL)
			return field_error(field_key(member, field, "type"), "is required");
		if (read_string(type_value, field_key(member, field, "type"), &type) != 0)
			return -1;
		limit->resource = -1;
		for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
			if (strcmp(type, rlimit_names[i].name) == 0) {
				limit->name = rlimit_names[i].name;
				limit->resource = rlimit_names[i].resource;
			}
		if (limit->resource < 0)
			return field_error(field_key(member, field, "type"), "unknown rlimit type");
		for (size_t earlier = 0; earlier < index; earlier++)
			if (process->rlimits[earlier].resource == limit->resource)
				return field_error(field_key(member, field, "type"),
						   "duplicate rlimit type");
		json_t *soft_value = json_object_get(entry, "soft");
		json_t *hard_value = json_object_get(entry, "hard");
		if (soft_value == NULL)
			return field_error(field_key(member, field, "soft"), "is required");
		if (hard_value == NULL)
			return field_error(field_key(member, field, "hard"), "is required");
		if (read_integer(soft_value, field_key(member, field, "soft"), 0, LLONG_MAX, &soft) ||
		    read_integer(hard_value, field_key(member, field, "hard"), 0, LLONG_MAX, &hard))
			return -1;
		if (soft > hard)
			return field_error(field, "soft limit is above the hard limit");
		limit->soft = (uint64_t)soft;
		limit->hard = (uint64_t)hard;
		process->rlimit_count++;
	}
	return 0;
}

/* A capability set as a bit mask. An unknown name is a warning, not an
 * error: a config written for a newer kernel may list capabilities this
 * one lacks, and runc and crun accept it too. */
static int parse_capability_set(json_t *capabilities, const char *key, uint64_t *mask)
{
	char field[FIELD_SIZE], element_field[FIELD_SIZE];
	int failed = 0;
	json_t *array = optional_member(capabilities, key, "process.capabilities", JSON_ARRAY,
					"an array of strings", &failed);
	size_t index;
	json_t *element;

	*mask = 0;
	if (failed)
		return -1;
	if (array == NULL)
		return 0;
	field_key(field, "process.capabilities", key);
	json_array_foreach(array, index, element) {
		const char *name;
		cap_value_t value;
		if (read_string(element, field_index(element_field, field, index), &name) != 0)
			return -1;
		if (strncmp(name, "CAP_", 4) != 0 || cap_from_name(name, &value) != 0 ||
		    value < 0 || value > 63) {
			warn_msg("config.json: %s: unknown capability %s ignored", element_field, name);
			continue;
		}
		*mask |= UINT64_C(1) << value;
	}
	return 0;
}

static int parse_process(json_t *process_json, struct oci_process *process)
{
	const char *parent = "process";
	char field[FIELD_SIZE];
	long long number;
	int failed = 0;

	if (read_bool(process_json, "terminal", parent, &process->terminal) != 0)
		return -1;

	json_t *user = optional_member(process_json, "user", parent, JSON_OBJECT, "an object", &failed);
	if (failed)
		return -1;
	if (user != NULL) {
		json_t *uid = json_object_get(user, "uid"), *gid = json_object_get(user, "gid");
		if (uid == NULL)
			return field_error("process.user.uid", "is required");
		if (gid == NULL)
			return field_error("process.user.gid", "is required");
		if (read_integer(uid, "process.user.uid", 0, ID_MAX, &number) != 0)
			return -1;
		process->uid = (uint32_t)number;
		if (read_integer(gid, "process.user.gid", 0, ID_MAX, &number) != 0)
			return -1;
		process->gid = (uint32_t)number;
		json_t *umask_value = json_object_get(user, "umask");
		if (umask_value != NULL) {
			if (read_integer(umask_value, "process.user.umask", 0, 0777, &number) != 0)
				return -1;
			process->has_umask = true;
			process->umask = (uint32_t)number;
		}
		json_t *groups = optional_member(user, "additionalGids", "process.user", JSON_ARRAY,
						 "an array of integers", &failed);
		if (failed)
			return -1;
		if (groups != NULL) {
			size_t index;
			json_t *element;
			process->additional_gids = calloc(json_array_size(groups) + 1, sizeof(uint32_t));
			if (process->additional_gids == NULL)
				return fail_errno("config.json: process.user.additionalGids");
			json_array_foreach(groups, index, element) {
				if (read_integer(element,
						 field_index(field, "process.user.additionalGids", index),
						 0, ID_MAX, &number) != 0)
					return -1;
				process->additional_gids[process->additional_gid_count++] = (uint32_t)number;
			}
		}
	}

	json_t *args = json_object_get(process_json, "args");
	if (!json_is_array(args) || json_array_size(args) == 0)
		return field_error("process.args", "must be a non-empty array of strings");
	size_t count;
	if (read_string_array(args, "process.args", &process->args, &count) != 0)
		return -1;
	if (process->args[0][0] == '\0')
		return field_error("process.args[0]", "must not be empty");

	json_t *env = optional_member(process_json, "env", parent, JSON_ARRAY,
				      "an array of strings", &failed);
	if (failed)
		return -1;
	if (env != NULL) {
		if (read_string_array(env, "process.env", &process->env, &count) != 0)
			return -1;
		for (size_t i = 0; i < count; i++) {
			const char *equals = strchr(process->env[i], '=');
			if (equals == NULL || equals == process->env[i])
				return field_error(field_index(field, "process.env", i),
						   "must be NAME=VALUE");
		}
	} else {
		process->env = calloc(1, sizeof *process->env);
		if (process->env == NULL)
			return fail_errno("config.json: process.env");
	}

	json_t *cwd = json_object_get(process_json, "cwd");
	if (cwd == NULL)
		return field_error("process.cwd", "is required");
	if (read_absolute_path(cwd, "process.cwd", &process->cwd) != 0)
		return -1;

	json_t *rlimits = optional_member(process_json, "rlimits", parent, JSON_ARRAY,
					  "an array of objects", &failed);
	if (failed || (rlimits != NULL && parse_rlimits(rlimits, process) != 0))
		return -1;

	json_t *oom = json_object_get(process_json, "oomScoreAdj");
	if (oom != NULL) {
		if (read_integer(oom, "process.oomScoreAdj", -1000, 1000, &number) != 0)
			return -1;
		process->has_oom_score_adj = true;
		process->oom_score_adj = (int)number;
	}

	json_t *capabilities = optional_member(process_json, "capabilities", parent, JSON_OBJECT,
					       "an object", &failed);
	if (failed)
		return -1;
	if (capabilities != NULL) {
		struct oci_capabilities *caps = &process->capabilities;
		caps->present = true;
		if (parse_capability_set(capabilities, "bounding", &caps->bounding) ||
		    parse_capability_set(capabilities, "effective", &caps->effective) ||
		    parse_capability_set(capabilities, "inheritable", &caps->inheritable) ||
		    parse_capability_set(capabilities, "permitted", &caps->permitted) ||
		    parse_capability_set(capabilities, "ambient", &caps->ambient))
			return -1;
	}
	if (read_label(process_json, "apparmorProfile", parent, &process->apparmor_profile) != 0 ||
	    read_label(process_json, "selinuxLabel", parent, &process->selinux_label) != 0)
		return -1;
	return read_bool(process_json, "noNewPrivileges", parent, &process->no_new_privileges);
}

/* ---------------------------------------------------------------- mounts */

/* The mount options that are flags to mount(2) rather than data for the
 * filesystem, as runc and crun read them. */
static const struct {
	const char *name;
	bool clear; /* "rw" clears MS_RDONLY, "suid" clears MS_NOSUID, ... */
	unsigned long flag;
} mount_flag_names[] = {
	{"ro", false, MS_RDONLY},           {"rw", true, MS_RDONLY},
	{"nosuid", false, MS_NOSUID},       {"suid", true, MS_NOSUID},
	{"nodev", false, MS_NODEV},         {"dev", true, MS_NODEV},
	{"noexec", false, MS_NOEXEC},       {"exec", true, MS_NOEXEC},
	{"sync", false, MS_SYNCHRONOUS},    {"async", true, MS_SYNCHRONOUS},
	{"dirsync", false, MS_DIRSYNC},     {"remount", false, MS_REMOUNT},
	{"mand", false, MS_MANDLOCK},       {"nomand", true, MS_MANDLOCK},
	{"noatime", false, MS_NOATIME},     {"atime", true, MS_NOATIME},
	{"nodiratime", false, MS_NODIRATIME}, {"diratime", true, MS_NODIRATIME},
	{"relatime", false, MS_RELATIME},   {"norelatime", true, MS_RELATIME},
	{"strictatime", false, MS_STRICTATIME}, {"nostrictatime", true, MS_STRICTATIME},
	{"bind", false, MS_BIND},           {"rbind", false, MS_BIND | MS_REC},
};

static const struct {
	const char *name;
	unsigned long flag;
} propagation_names[] = {
	{"private", MS_PRIVATE},   {"rprivate", MS_PRIVATE | MS_REC},
	{"shared", MS_SHARED},     {"rshared", MS_SHARED | MS_REC},
	{"slave", MS_SLAVE},       {"rslave", MS_SLAVE | MS_REC},
	{"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static int parse_mount_options(json_t *options, const char *field, struct oci_mount *mount)
{
	char element_field[FIELD_SIZE];
	size_t index, data_length = 0;
	json_t *element;

	mount->data = calloc(1, 1);
	if (mount->data == NULL)
		return fail_errno("config.json: %s", field);
	json_array_foreach(options, index, element) {
		const char *option;
		bool known = false;
		if (read_string(element, field_index(element_field, field, index), &option) != 0)
			return -1;
		for (size_t i = 0; !known && i < sizeof mount_flag_names / sizeof mount_flag_names[0]; i++)
			if (strcmp(option, mount_flag_names[i].name) == 0) {
				known = true;
				if (mount_flag_names[i].clear)
					mount->flags &= ~mount_flag_names[i].flag;
				else
					mount->flags |= mount_flag_names[i].flag;
			}
		for (size_t i = 0; !known && i < sizeof propagation_names / sizeof propagation_names[0]; i++)
			if (strcmp(option, propagation_names[i].name) == 0) {
				known = true;
				mount->propagation = propagation_names[i].flag;
			}
		if (known)
			continue;
		/* Anything else is for the filesystem ("mode=755"), passed
		 * through as mount(2)'s data, comma-separated. */
		size_t length = strlen(option);
		if (strchr(option, ',') != NULL)
			return field_error(element_field, "must not contain ','");
		char *grown = realloc(mount->data, data_length + length + 2);
		if (grown == NULL)
			return fail_errno("config.json: %s", field);
		mount->data = grown;
		if (data_length > 0)
			mount->data[data_length++] = ',';
		memcpy(mount->data + data_length, option, length + 1);
		data_length += length;
	}
	return 0;
}

static int parse_mounts(json_t *array, struct oci_config *config)
{
	char field[FIELD_SIZE], member[FIELD_SIZE];
	size_t index;
	json_t *entry;
	int failed = 0;

	config->mounts = calloc(json_array_size(array) + 1, sizeof *config->mounts);
	if (config->mounts == NULL)
		return fail_errno("config.json: mounts");
	json_array_foreach(array, index, entry) {
		struct oci_mount *mount = &config->mounts[index];
		config->mount_count++;
		field_index(field, "mounts", index);
		if (!json_is_object(entry))
			return field_error(field, "must be an object");
		json_t *destination = json_object_get(entry, "destination");
		if (destination == NULL)
			return field_error(field_key(member, field, "destination"), "is required");
		if (read_absolute_path(destination, field_key(member, field, "destination"),
				       &mount->destination) != 0)
			return -1;
		if (read_optional_string(entry, "type", field, &mount->type) != 0 ||
		    read_optional_string(entry, "source", field, &mount->source) != 0)
			return -1;
		json_t *options = optional_member(entry, "options", field, JSON_ARRAY,
						  "an array of strings", &failed);
		if (failed)
			return -1;
		if (options != NULL) {
			if (parse_mount_options(options, field_key(member, field, "options"), mount) != 0)
				return -1;
		} else if ((mount->data = calloc(1, 1)) == NULL) {
			return fail_errno("config.json: %s", field);
		}
		if (mount->type != NULL && strcmp(mount->type, "bind") == 0)
			mount->flags |= MS_BIND;
		mount->is_bind = (mount->flags & MS_BIND) != 0;
		if (mount->is_bind && mount->source == NULL)
			return field_error(field_key(member, field, "source"), "is required for a bind mount");
		if (!mount->is_bind && mount->type == NULL)
			return field_error(field_key(member, field, "type"), "is required unless the mount is a bind mount");
	}
	return 0;
}

/* ---------------------------------------------------------------- linux */

static const struct {
	const char *type;
	int clone_flag;
} namespace_types[] = {
	{"pid", CLONE_NEWPID},   {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
	{"ipc", CLONE_NEWIPC},   {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
	{"cgroup", CLONE_NEWCGROUP},
#ifdef CLONE_NEWTIME
	{"time", CLONE_NEWTIME},
#endif
};

static int parse_namespaces(json_t *array, struct oci_config *config)
{
	char field[FIELD_SIZE], member[FIELD_SIZE];
	size_t index;
	json_t *entry;

	config->namespaces = calloc(json_array_size(array) + 1, sizeof *config->namespaces);
	if (config->namespaces == NULL)
		return fail_errno("config.json: linux.namespaces");
	json_array_foreach(array, index, entry) {
		struct oci_namespace *namespace = &config->namespaces[index];
		const char *type;
		field_index(field, "linux.namespaces", index);
		if (!json_is_object(entry))
			return field_error(field, "must be an object");
		json_t *type_value = json_object_get(entry, "type");
		if (type_value == NULL)
			return field_error(field_key(member, field, "type"), "is required");
		if (read_string(type_value, field_key(member, field, "type"), &type) != 0)
			return -1;
		for (size_t i = 0; i < sizeof namespace_types / sizeof namespace_types[0]; i++)
			if (strcmp(type, namespace_types[i].type) == 0) {
				namespace->type = namespace_types[i].type;
				namespace->clone_flag = namespace_types[i].clone_flag;
			}
		if (namespace->type == NULL)
			return field_error(member, "unknown namespace type");
		for (size_t earlier = 0; earlier < index; earlier++)
			if (config->namespaces[earlier].clone_flag == namespace->clone_flag)
				return field_error(member, "duplicate namespace type");
		json_t *path = json_object_get(entry, "path");
		if (path != NULL && read_absolute_path(path, field_key(member, field, "path"),
						       &namespace->path) != 0)
			return -1;
		if (namespace->path == NULL)
			config->clone_flags |= namespace->clone_flag;
		config->namespace_count++;
	}
	return 0;
}

static int parse_id_mappings(json_t *array, const char *parent, struct oci_id_mapping **out,
			     size_t *count)
{
	char field[FIELD_SIZE], member[FIELD_SIZE];
	static const char *keys[] = {"containerID", "hostID", "size"};
	size_t index;
	json_t *entry;

	*out = calloc(json_array_size(array) + 1, sizeof **out);
	if (*out == NULL)
		return fail_errno("config.json: %s", parent);
	json_array_foreach(array, index, entry) {
		long long values[3];
		field_index(field, parent, index);
		if (!json_is_object(entry))
			return field_error(field, "must be an object");
		for (int k = 0; k < 3; k++) {
			json_t *value = json_object_get(entry, keys[k]);
			field_key(member, field, keys[k]);
			if (value == NULL)
				return field_error(member, "is required");
			if (read_integer(value, member, k == 2 ? 1 : 0, 4294967295LL, &values[k]) != 0)
				return -1;
		}
		/* The kernel refuses a range that runs past 2^32 - 1. */
		if (values[0] + values[2] > 4294967296LL || values[1] + values[2] > 4294967296LL)
			return field_error(field, "the range runs past the last 32-bit id");
		(*out)[index] = (struct oci_id_mapping){(uint32_t)values[0], (uint32_t)values[1],
							(uint32_t)values[2]};
		(*count)++;
	}
	return 0;
}

static int parse_path_list(json_t *linux_json, const char *key, const char ***out, size_t *count)
{
	char parent[FIELD_SIZE], field[FIELD_SIZE];
	int failed = 0;
	json_t *array = optional_member(linux_json, key, "linux", JSON_ARRAY,
					"an array of strings", &failed);
	size_t index;
	json_t *element;

	if (failed)
		return -1;
	*out = calloc(json_array_size(array) + 1, sizeof **out);
	if (*out == NULL)
		return fail_errno("config.json: linux.%s", key);
	field_key(parent, "linux", key);
	json_array_foreach(array, index, element) {
		if (read_absolute_path(element, field_index(field, parent, index), &(*out)[index]) != 0)
			return -1;
		(*count)++;
	}
	return 0;
}

/* linux.resources.hugepageLimits and .devices (the cgroup rules). */
static int parse_resource_arrays(json_t *resources, struct oci_resources *out)
{
	char field[FIELD_SIZE], member[FIELD_SIZE];
	int failed = 0;
	size_t index;
	json_t *element;

	json_t *hugepages = optional_member(resources, "hugepageLimits", "linux.resources", JSON_ARRAY,
					    "an array of objects", &failed);
	json_t *devices = optional_member(resources, "devices", "linux.resources", JSON_ARRAY,
					  "an array of objects", &failed);
	if (failed)
		return -1;
	out->hugepage_limits = calloc(json_array_size(hugepages) + 1, sizeof *out->hugepage_limits);
	out->device_rules = calloc(json_array_size(devices) + 1, sizeof *out->device_rules);
	if (out->hugepage_limits == NULL || out->device_rules == NULL)
		return fail_errno("config.json: linux.resources");
	json_array_foreach(hugepages, index, element) {
		struct oci_hugepage_limit *limit = &out->hugepage_limits[index];
		long long bytes;
		field_index(field, "linux.resources.hugepageLimits", index);
		if (!json_is_object(element))
			return field_error(field, "must be an object");
		json_t *size = json_object_get(element, "pageSize");
		json_t *value = json_object_get(element, "limit");
		if (size == NULL || value == NULL)
			return field_error(field, "needs pageSize and limit");
		if (read_string(size, field_key(member, field, "pageSize"), &limit->page_size) != 0 ||
		    read_integer(value, field_key(member, field, "limit"), 0, LLONG_MAX, &bytes) != 0)
			return -1;
		limit->limit = (uint64_t)bytes;
		out->hugepage_limit_count++;
	}
	json_array_foreach(devices, index, element) {
		struct oci_device_rule *rule = &out->device_rules[index];
		const char *type = NULL, *access = NULL;
		long long number;
		field_index(field, "linux.resources.devices", index);
		if (!json_is_object(element))
			return field_error(field, "must be an object");
		if (json_object_get(element, "allow") == NULL)
			return field_error(field, "needs allow");
		if (read_bool(element, "allow", field, &rule->allow) != 0 ||
		    read_optional_string(element, "type", field, &type) != 0 ||
		    read_optional_string(element, "access", field, &access) != 0)
			return -1;
		if (type != NULL && (strlen(type) != 1 || strchr("acb", type[0]) == NULL))
			return field_error(field_key(member, field, "type"), "must be \"a\", \"c\" or \"b\"");
		rule->type = type ? type[0] : 'a';
		if (access != NULL && (access[0] == '\0' || strlen(access) > 3 ||
				       strspn(access, "rwm") != strlen(access)))
			return field_error(field_key(member, field, "access"), "must be some of \"rwm\"");
		snprintf(rule->access, sizeof rule->access, "%s", access ? access : "rwm");
		/* -1 (or absent) is "any", as "*" in devices.allow. */
		if (read_optional_integer(element, "major", field, -1, 0xffffffffLL, -1, &number) != 0)
			return -1;
		rule->major = number;
		if (read_optional_integer(element, "minor", field, -1, 0xffffffffLL, -1, &number) != 0)
			return -1;
		rule->minor = number;
		out->device_rule_count++;
	}
	return 0;
}

/* linux.devices: the device nodes to make in the container's /dev. */
static int parse_devices(json_t *linux_json, struct oci_config *config)
{
	char field[FIELD_SIZE], member[FIELD_SIZE];
	int failed = 0;
	size_t index;
	json_t *element;
	json_t *array = optional_member(linux_json, "devices", "linux", JSON_ARRAY, "an array of objects",
					&failed);
	if (failed)
		return -1;
	config->devices = calloc(json_array_size(array) + 1, sizeof *config->devices);
	if (config->devices == NULL)
		return fail_errno("config.json: linux.devices");
	json_array_foreach(array, index, element) {
		struct oci_device *device = &config->devices[index];
		const char *type;
		long long number;
		field_index(field, "linux.devices", index);
		if (!json_is_object(element))
			return field_error(field, "must be an object");
		json_t *path = json_object_get(element, "path"), *type_json = json_object_get(element, "type");
		if (path == NULL || type_json == NULL)
			return field_error(field, "needs path and type");
		if (read_absolute_path(path, field_key(member, field, "path"), &device->path) != 0 ||
		    read_string(type_json, field_key(member, field, "type"), &type) != 0)
			return -1;
		if (strlen(type) != 1 || strchr("cbup", type[0]) == NULL)
			return field_error(member, "must be \"c\", \"b\", \"u\" or \"p\"");
		device->type = type[0];
		/* A fifo has no numbers; every other type needs both. */
		bool needs_numbers = device->type != 'p';
		json_t *major = json_object_get(element, "major"), *minor = json_object_get(element, "minor");
		if (needs_numbers && (major == NULL || minor == NULL))
			return field_error(field, "needs major and minor for a device of type c, b or u");
		if (read_optional_integer(element, "major", field, 0, 0xfff, 0, &number) != 0)
			return -1;
		device->major = number;
		if (read_optional_integer(element, "minor", field, 0, 0xfffff, 0, &number) != 0)
			return -1;
		device->minor = number;
		device->has_file_mode = json_object_get(element, "fileMode") != NULL;
		if (read_optional_integer(element, "fileMode", field, 0, 07777, 0666, &number) != 0)
			return -1;
		device->file_mode = (uint32_t)number;
		device->has_uid = json_object_get(element, "uid") != NULL;
		if (read_optional_integer(element, "uid", field, 0, ID_MAX, 0, &number) != 0)
			return -1;
		device->uid = (uint32_t)number;
		device->has_gid = json_object_get(element, "gid") != NULL;
		if (read_optional_integer(element, "gid", field, 0, ID_MAX, 0, &number) != 0)
			return -1;
		device->gid = (uint32_t)number;
		for (size_t earlier = 0; earlier < index; earlier++)
			if (strcmp(config->devices[earlier].path, device->path) == 0)
				return field_error(field_key(member, field, "path"), "listed twice");
		config->device_count++;
	}
	return 0;
}

static int parse_resources(json_t *resources, struct oci_resources *out)
{
	long long value;
	int failed = 0;

	/* In the spec -1 means "no limit"; any other negative number is a
	 * mistake, never silently "unlimited". */
	json_t *memory = optional_member(resources, "memory", "linux.resources", JSON_OBJECT,
					 "an object", &failed);
	if (failed)
		return -1;
	const char *memory_field = "linux.resources.memory";
	if (read_optional_integer(memory, "limit", memory_field, -1, LLONG_MAX, -1, &value))
		return -1;
	out->memory_limit = value;
	if (read_optional_integer(memory, "reservation", memory_field, -1, LLONG_MAX, -1, &value))
		return -1;
	out->memory_reservation = value;
	if (read_optional_integer(memory, "swap", memory_field, -1, LLONG_MAX, -1, &value))
		return -1;
	out->memory_swap = value;
	if (out->memory_limit > 0 && out->memory_swap > 0 && out->memory_swap < out->memory_limit)
		return field_error("linux.resources.memory.swap",
				   "must be at least the memory limit (it counts memory plus swap)");

	json_t *cpu = optional_member(resources, "cpu", "linux.resources", JSON_OBJECT,
				      "an object", &failed);
	if (failed)
		return -1;
	const char *cpu_field = "linux.resources.cpu";
	if (read_optional_integer(cpu, "shares", cpu_field, 2, 262144, -1, &value))
		return -1;
	out->cpu_shares = value;
	if (read_optional_integer(cpu, "quota", cpu_field, -1, LLONG_MAX, -1, &value))
		return -1;
	if (value == 0)
		return field_error("linux.resources.cpu.quota", "must be -1 (no limit) or positive");
	out->cpu_quota = value;
	/* The kernel accepts periods from 1 ms to 1 s. */
	if (read_optional_integer(cpu, "period", cpu_field, 1000, 1000000, -1, &value))
		return -1;
	out->cpu_period = value;
	if (read_optional_string(cpu, "cpus", cpu_field, &out->cpu_cpus) != 0 ||
	    read_optional_string(cpu, "mems", cpu_field, &out->cpu_mems) != 0)
		return -1;

	json_t *pids = optional_member(resources, "pids", "linux.resources", JSON_OBJECT,
				       "an object", &failed);
	if (failed)
		return -1;
	if (read_optional_integer(pids, "limit", "linux.resources.pids", -1, LLONG_MAX, -1, &value))
		return -1;
	out->pids_limit = value;
	return parse_resource_arrays(resources, out);
}

/* A sysctl is written inside the container, in /proc/sys: only the
 * namespaced ones, which change the container's namespaces and not the
 * host (the list runc checks): IPC's kernel.msg*, kernel.sem, kernel.shm*
 * and fs.mqueue.* with an ipc namespace, net.* with a network namespace,
 * kernel.hostname and kernel.domainname with a uts namespace. */
static int sysctl_key_check(const struct oci_config *config, const char *key, const char *field)
{
	static const char *const ipc_exact[] = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
						"kernel.sem", "kernel.shmall", "kernel.shmmax",
						"kernel.shmmni", "kernel.shm_rmid_forced"};
	const char *needs = NULL;

	if (key[0] == '\0' || strstr(key, "..") != NULL || strchr(key, '/') != NULL || key[0] == '.')
		return field_error(field, "not a sysctl name (no \"..\", no \"/\")");
	for (size_t i = 0; i < sizeof ipc_exact / sizeof ipc_exact[0]; i++)
		if (strcmp(key, ipc_exact[i]) == 0)
			needs = "ipc";
	if (strncmp(key, "fs.mqueue.", 10) == 0)
		needs = "ipc";
	else if (strncmp(key, "net.", 4) == 0)
		needs = "network";
	else if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
		needs = "uts";
	if (needs == NULL)
		return field_error(field, "not a namespaced sysctl: it would change the host");
	const struct oci_namespace *namespace = oci_config_namespace(config, needs);
	if (namespace == NULL) {
		char reason[96];
		snprintf(reason, sizeof reason, "needs a %s namespace (it would change the host's)", needs);
		return field_error(field, reason);
	}
	return 0;
}

static int parse_linux(json_t *linux_json, struct oci_config *config)
{
	int failed = 0;
	json_t *value;

	if ((value = optional_member(linux_json, "namespaces", "linux", JSON_ARRAY,
				     "an array of objects", &failed)) != NULL &&
	    parse_namespaces(value, config) != 0)
		return -1;
	if (failed)
		return -1;
	if ((value = optional_member(linux_json, "uidMappings", "linux", JSON_ARRAY,
				     "an array of objects", &failed)) != NULL &&
	    parse_id_mappings(value, "linux.uidMappings", &config->uid_mappings,
			      &config->uid_mapping_count) != 0)
		return -1;
	if (failed)
		return -1;
	if ((value = optional_member(linux_json, "gidMappings", "linux", JSON_ARRAY,
				     "an array of objects", &failed)) != NULL &&
	    parse_id_mappings(value, "linux.gidMappings", &config->gid_mappings,
			      &config->gid_mapping_count) != 0)
		return -1;
	if (failed)
		return -1;
	if (parse_path_list(linux_json, "maskedPaths", &config->masked_paths,
			    &config->masked_path_count) != 0 ||
	    parse_path_list(linux_json, "readonlyPaths", &config->readonly_paths,
			    &config->readonly_path_count) != 0)
		return -1;
	config->seccomp = optional_member(linux_json, "seccomp", "linux", JSON_OBJECT,
					  "an object", &failed);
	if (failed)
		return -1;
	if (read_label(linux_json, "mountLabel", "linux", &config->mount_label) != 0)
		return -1;
	config->sysctl = optional_member(linux_json, "sysctl", "linux", JSON_OBJECT,
					 "an object", &failed);
	if (failed)
		return -1;
	if (config->sysctl != NULL) {
		const char *key, *text;
		char field[FIELD_SIZE];
		json_object_foreach(config->sysctl, key, value) {
			if (read_string(value, field_key(field, "linux.sysctl", key), &text) != 0)
				return -1;
			if (sysctl_key_check(config, key, field) != 0)
				return -1;
		}
	}
	const char *propagation = NULL;
	if (read_optional_string(linux_json, "rootfsPropagation", "linux", &propagation) != 0)
		return -1;
	if (propagation != NULL) {
		for (size_t i = 0; i < sizeof propagation_names / sizeof propagation_names[0]; i++)
			if (strcmp(propagation, propagation_names[i].name) == 0)
				config->rootfs_propagation = propagation_names[i].flag;
		if (config->rootfs_propagation == 0)
			return field_error("linux.rootfsPropagation",
					   "must be shared, slave, private or unbindable (or their r- variants)");
	}
	json_t *resources = optional_member(linux_json, "resources", "linux", JSON_OBJECT,
					    "an object", &failed);
	if (failed || parse_resources(resources, &config->resources) != 0 || parse_devices(linux_json, config) != 0)
		return -1;
	if (read_optional_string(linux_json, "cgroupsPath", "linux", &config->cgroups_path) != 0)
		return -1;
	/* A user namespace without mappings leaves every id unmapped
	 * (nobody), and the runtime could not set one up. */
	const struct oci_namespace *user = oci_config_namespace(config, "user");
	if (user != NULL && user->path == NULL &&
	    (config->uid_mapping_count == 0 || config->gid_mapping_count == 0))
		return field_error("linux.uidMappings", "a new user namespace needs uidMappings and gidMappings");
	return 0;
}

/* ---------------------------------------------------------------- top level */

static int parse_document(struct oci_config *config)
{
	json_t *document = config->document;
	int failed = 0;

	if (!json_is_object(document))
		return fail_msg("config.json: must be a JSON object");

	json_t *version = json_object_get(document, "ociVersion");
	if (version == NULL)
		return field_error("ociVersion", "is required");
	if (read_string(version, "ociVersion", &config->oci_version) != 0)
		return -1;
	if (strncmp(config->oci_version, "1.", 2) != 0)
		return field_error("ociVersion", "must be a 1.x version of the runtime specification");

	json_t *root = json_object_get(document, "root");
	if (root == NULL)
		return field_error("root", "is required");
	if (!json_is_object(root))
		return field_error("root", "must be an object");
	json_t *root_path = json_object_get(root, "path");
	const char *path;
	if (root_path == NULL)
		return field_error("root.path", "is required");
	if (read_string(root_path, "root.path", &path) != 0)
		return -1;
	if (path[0] == '\0')
		return field_error("root.path", "must not be empty");
	if (read_bool(root, "readonly", "root", &config->root_readonly) != 0)
		return -1;
	/* A relative root is relative to the bundle; podman passes an
	 * absolute one, somewhere else entirely. */
	if (path[0] == '/')
		config->root_path = strdup(path);
	else if (asprintf(&config->root_path, "%s/%s", config->bundle, path) < 0)
		config->root_path = NULL;
	if (config->root_path == NULL)
		return fail_errno("config.json: root.path");

	json_t *process = json_object_get(document, "process");
	if (process == NULL)
		return field_error("process", "is required");
	if (!json_is_object(process))
		return field_error("process", "must be an object");
	if (parse_process(process, &config->process) != 0)
		return -1;

	if (read_optional_string(document, "hostname", "", &config->hostname) != 0)
		return -1;
	if (config->hostname != NULL && strlen(config->hostname) > 64)
		return field_error("hostname", "must be at most 64 characters");

	json_t *mounts = optional_member(document, "mounts", "", JSON_ARRAY,
					 "an array of objects", &failed);
	if (failed || (mounts != NULL && parse_mounts(mounts, config) != 0))
		return -1;

	config->annotations = optional_member(document, "annotations", "", JSON_OBJECT,
					      "an object", &failed);
	if (failed)
		return -1;
	if (config->annotations != NULL) {
		const char *key, *text;
		char field[FIELD_SIZE];
		json_t *value;
		json_object_foreach(config->annotations, key, value)
			if (read_string(value, field_key(field, "annotations", key), &text) != 0)
				return -1;
	}

	json_t *hooks = optional_member(document, "hooks", "", JSON_OBJECT, "an object", &failed);
	if (failed || parse_hooks(hooks, config) != 0)
		return -1;

	config->resources = (struct oci_resources){
		.memory_limit = -1, .memory_reservation = -1, .memory_swap = -1, .cpu_shares = -1,
		.cpu_quota = -1, .cpu_period = -1, .pids_limit = -1,
	};
	json_t *linux_json = optional_member(document, "linux", "", JSON_OBJECT, "an object", &failed);
	if (failed)
		return -1;
	if (linux_json != NULL && parse_linux(linux_json, config) != 0)
		return -1;
	return 0;
}

int oci_config_parse(const char *json_text, size_t length, const char *bundle,
		     struct oci_config *config)
{
	json_error_t error;

	memset(config, 0, sizeof *config);
	config->bundle = strdup(bundle);
	if (config->bundle == NULL)
		return fail_errno("config.json");
	/* Duplicate keys are refused (which one would win?); "\u0000" is
	 * let through so that the field can be named. */
	config->document = json_loadb(json_text, length, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
				      &error);
	if (config->document == NULL) {
		fail_msg("config.json: line %d column %d: %s", error.line, error.column, error.text);
		oci_config_free(config);
		return -1;
	}
	if (parse_document(config) != 0) {
		oci_config_free(config);
		return -1;
	}
	return 0;
}

int oci_config_load(const char *bundle, struct oci_config *config)
{
	char path[PATH_MAX];
	json_error_t error;

	memset(config, 0, sizeof *config);
	char *absolute_bundle = realpath(bundle, NULL);
	if (absolute_bundle == NULL)
		return fail_errno("bundle %s", bundle);
	snprintf(path, sizeof path, "%s/config.json", absolute_bundle);
	json_t *document = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &error);
	if (document == NULL) {
		/* jansson reports a missing file in its own words; errno is
		 * the clearer reason then. */
		if (access(path, R_OK) != 0)
			fail_errno("%s", path);
		else
			fail_msg("config.json: line %d column %d: %s", error.line, error.column,
				 error.text);
		free(absolute_bundle);
		return -1;
	}
	config->bundle = absolute_bundle;
	config->document = document;
	if (parse_document(config) != 0) {
		oci_config_free(config);
		return -1;
	}
	return 0;
}

void oci_config_free(struct oci_config *config)
{
	for (size_t i = 0; config->mounts != NULL && i < config->mount_count; i++)
		free(config->mounts[i].data);
	free(config->mounts);
	free(config->namespaces);
	free(config->uid_mappings);
	free(config->gid_mappings);
	free(config->masked_paths);
	free(config->readonly_paths);
	free(config->resources.hugepage_limits);
	free(config->resources.device_rules);
	free(config->devices);
	for (int kind = 0; kind < OCI_HOOK_KIND_COUNT; kind++) {
		/* Up to the zeroed entry calloc left at the end: a hook that
		 * failed half-way is not counted but may hold arrays. */
		for (size_t i = 0; config->hooks[kind] != NULL &&
				   (config->hooks[kind][i].path != NULL || config->hooks[kind][i].args != NULL);
		     i++) {
			free(config->hooks[kind][i].args);
			free(config->hooks[kind][i].env);
		}
		free(config->hooks[kind]);
	}
	free(config->process.args);
	free(config->process.env);
	free(config->process.rlimits);
	free(config->process.additional_gids);
	free(config->root_path);
	free(config->bundle);
	if (config->document != NULL)
		json_decref(config->document);
	memset(config, 0, sizeof *config);
}

int oci_config_replace_process(struct oci_config *config, const char *path)
{
	json_error_t error;
	struct oci_process process = {0};

	json_t *document = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &error);
	if (document == NULL) {
		if (access(path, R_OK) != 0)
			return fail_errno("%s", path);
		return fail_msg("process.json %s: line %d column %d: %s", path, error.line,
				error.column, error.text);
	}
	document_name = "process.json";
	int result = json_is_object(document) ? parse_process(document, &process)
					      : field_error("process", "must be a JSON object");
	document_name = "config.json";
	if (result != 0 || json_object_set_new(config->document, "minirun.exec", document) != 0) {
		if (result == 0)
			fail_msg("process.json: out of memory");
		else
			json_decref(document);
		free(process.args);
		free(process.env);
		free(process.rlimits);
		free(process.additional_gids);
		return -1;
	}
	/* The strings point into document, now kept alive by config. */
	free(config->process.args);
	free(config->process.env);
	free(config->process.rlimits);
	free(config->process.additional_gids);
	config->process = process;
	return 0;
}

int oci_config_replace_args(struct oci_config *config, char **args, bool terminal)
{
	size_t count = 0;

	while (args[count] != NULL)
		count++;
	if (count == 0 || args[0][0] == '\0')
		return fail_msg("exec: no command to run");
	char **copy = calloc(count + 1, sizeof *copy);
	if (copy == NULL)
		return fail_errno("exec: arguments");
	memcpy(copy, args, count * sizeof *copy);
	free(config->process.args);
	config->process.args = copy;
	config->process.terminal = terminal;
	return 0;
}

const struct oci_namespace *oci_config_namespace(const struct oci_config *config,
						  const char *type)
{
	for (size_t i = 0; i < config->namespace_count; i++)
		if (strcmp(config->namespaces[i].type, type) == 0)
			return &config->namespaces[i];
	return NULL;
}

// tag::default-spec[]
/* What `minirun spec` writes: like `runc spec`, for the busybox rootfs in
 * ./rootfs. No terminal (minirun spec output runs under scripts and
 * tests), and the namespaces a container has unless asked otherwise. */
static const char default_config[] =
	"{\n"
	"  \"ociVersion\": \"1.0.2\",\n"
	"  \"process\": {\n"
	"    \"terminal\": false,\n"
	"    \"user\": { \"uid\": 0, \"gid\": 0 },\n"
	"    \"args\": [ \"sh\" ],\n"
	"    \"env\": [ \"PATH=/usr/sbin:/usr/bin:/sbin:/bin\", \"TERM=xterm\" ],\n"
	"    \"cwd\": \"/\",\n"
	"    \"capabilities\": {\n"
	"      \"bounding\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
	"      \"effective\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
	"      \"permitted\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ]\n"
	"    },\n"
	"    \"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 } ],\n"
	"    \"noNewPrivileges\": true\n"
	"  },\n"
	"  \"root\": { \"path\": \"rootfs\", \"readonly\": true },\n"
	"  \"hostname\": \"minirun\",\n"
	"  \"mounts\": [\n"
	"    { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n"
	"    { \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	"      \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },\n"
	"    { \"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\",\n"
	"      \"options\": [ \"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\" ] },\n"
	"    { \"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\",\n"
	"      \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\" ] },\n"
	"    { \"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\",\n"
	"      \"options\": [ \"nosuid\", \"noexec\", \"nodev\" ] },\n"
	"    { \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\",\n"
	"      \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] }\n"
	"  ],\n"
	"  \"linux\": {\n"
	"    \"namespaces\": [\n"
	"      { \"type\": \"pid\" }, { \"type\": \"network\" }, { \"type\": \"ipc\" },\n"
	"      { \"type\": \"uts\" }, { \"type\": \"mount\" }\n"
	"    ],\n"
	"    \"maskedPaths\": [ \"/proc/acpi\", \"/proc/kcore\", \"/proc/keys\", \"/proc/latency_stats\",\n"
	"      \"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\", \"/proc/scsi\",\n"
	"      \"/sys/firmware\" ],\n"
	"    \"readonlyPaths\": [ \"/proc/asound\", \"/proc/bus\", \"/proc/fs\", \"/proc/irq\",\n"
	"      \"/proc/sys\", \"/proc/sysrq-trigger\" ]\n"
	"  }\n"
	"}\n";
// end::default-spec[]

char *oci_config_default_text(void)
{
	char *text = strdup(default_config);
	if (text == NULL)
		fail_errno("spec");
	return text;
}
