/* seccomp_oci.c: an OCI seccomp profile (JSON) into a libseccomp filter
 * (not an exercise: reading JSON is not the lesson; what the filter does
 * is, in seccomp_filter.c).
 *
 * The object is config.json's linux.seccomp, the same format Docker's and
 * podman's profiles use:
 *   { "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
 *     "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
 *     "syscalls": [ { "names": ["keyctl"], "action": "SCMP_ACT_ERRNO",
 *                     "errnoRet": 1,
 *                     "args": [ {"index": 0, "value": 2080505856,
 *                                "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"} ] } ] }
 * A profile the runtime cannot apply exactly is an error, never a filter
 * that is quietly weaker than asked.
 *
 * Read: seccomp_init(3), seccomp_rule_add(3), seccomp_arch_add(3),
 * seccomp_syscall_resolve_name(3), the OCI runtime spec config-linux.md
 * ("Seccomp"), jansson's json_load_file.
 */
#include "security.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	uint32_t action; /* for ERRNO and TRACE the value is added later */
} action_names[] = {
	{"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},
	{"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
	{"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
	{"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
	{"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
	{"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
	{"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
	{"SCMP_ACT_LOG", SCMP_ACT_LOG},
};

static const struct {
	const char *name;
	enum scmp_compare op;
} operator_names[] = {
	{"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT},
	{"SCMP_CMP_LE", SCMP_CMP_LE}, {"SCMP_CMP_EQ", SCMP_CMP_EQ},
	{"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
	{"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

/* "SCMP_ACT_ERRNO" + errnoRet into a libseccomp action. errno_ret < 0:
 * not given (EPERM, as runc). Returns 0 or -1 after reporting. */
static int parse_action(const char *source, const char *where, const json_t *value,
			const json_t *errno_ret, uint32_t *action)
{
	if (!json_is_string(value))
		return fail_msg("seccomp profile %s: %s: missing or not a string", source, where);
	const char *name = json_string_value(value);
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++) {
		if (strcmp(name, action_names[i].name) != 0)
			continue;
		*action = action_names[i].action;
		if (*action == SCMP_ACT_ERRNO(0) || *action == SCMP_ACT_TRACE(0)) {
			json_int_t code = EPERM;
			if (errno_ret != NULL) {
				if (!json_is_integer(errno_ret) || json_integer_value(errno_ret) < 0 ||
				    json_integer_value(errno_ret) > 0xffff)
					return fail_msg("seccomp profile %s: %s: errnoRet is not a "
							"number from 0 to 65535", source, where);
				code = json_integer_value(errno_ret);
			}
			*action = *action == SCMP_ACT_ERRNO(0) ? SCMP_ACT_ERRNO((uint16_t)code)
							      : SCMP_ACT_TRACE((uint16_t)code);
		}
		return 0;
	}
	return fail_msg("seccomp profile %s: %s: unknown action \"%s\"", source, where, name);
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token for x86_64. */
static int add_architecture(scmp_filter_ctx filter, const char *source, size_t index,
			    const json_t *value)
{
	if (!json_is_string(value))
		return fail_msg("seccomp profile %s: architectures[%zu]: not a string", source, index);
	const char *name = json_string_value(value);
	char lower[32];
	size_t i = 0;
	if (strncmp(name, "SCMP_ARCH_", 10) == 0)
		name += 10;
	for (; name[i] && i < sizeof lower - 1; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[i] = '\0';
	uint32_t arch = seccomp_arch_resolve_name(lower);
	if (arch == 0)
		return fail_msg("seccomp profile %s: architectures[%zu]: unknown architecture \"%s\"",
				source, index, json_string_value(value));
	int rc = seccomp_arch_add(filter, arch);
	if (rc != 0 && rc != -EEXIST) {
		errno = -rc;
		return fail_errno("seccomp profile %s: architectures[%zu]: add %s", source, index,
				  json_string_value(value));
	}
	return 0;
}

/* One "args" entry into a comparison. */
static int parse_argument(const char *source, size_t rule, size_t index, const json_t *arg,
			  struct scmp_arg_cmp *out)
{
	if (!json_is_object(arg))
		return fail_msg("seccomp profile %s: syscalls[%zu].args[%zu]: not an object", source,
				rule, index);
	const json_t *number = json_object_get(arg, "index");
	const json_t *value = json_object_get(arg, "value");
	const json_t *value_two = json_object_get(arg, "valueTwo");
	const json_t *op = json_object_get(arg, "op");
	if (!json_is_integer(number) || json_integer_value(number) < 0 ||
	    json_integer_value(number) > 5)
		return fail_msg("seccomp profile %s: syscalls[%zu].args[%zu].index: not a number "
				"from 0 to 5", source, rule, index);
	if (!json_is_integer(value) || (value_two != NULL && !json_is_integer(value_two)))
		return fail_msg("seccomp profile %s: syscalls[%zu].args[%zu].value: not a number",
				source, rule, index);
	if (!json_is_string(op))
		return fail_msg("seccomp profile %s: syscalls[%zu].args[%zu].op: missing", source,
				rule, index);
	for (size_t i = 0; i < sizeof operator_names / sizeof operator_names[0]; i++) {
		if (strcmp(json_string_value(op), operator_names[i].name) == 0) {
			/* JSON numbers are signed 64-bit; the kernel compares
			 * unsigned 64-bit register values. */
			*out = (struct scmp_arg_cmp){
				.arg = (unsigned)json_integer_value(number),
				.op = operator_names[i].op,
				.datum_a = (scmp_datum_t)json_integer_value(value),
				.datum_b = value_two ? (scmp_datum_t)json_integer_value(value_two) : 0,
			};
			return 0;
		}
	}
	return fail_msg("seccomp profile %s: syscalls[%zu].args[%zu].op: unknown operator \"%s\"",
			source, rule, index, json_string_value(op));
}

/* One entry of "syscalls": the same action for every name it lists. */
static int add_rule(scmp_filter_ctx filter, const char *source, size_t rule, const json_t *entry,
		    uint32_t default_action)
{
	char where[64];
	snprintf(where, sizeof where, "syscalls[%zu].action", rule);
	if (!json_is_object(entry))
		return fail_msg("seccomp profile %s: syscalls[%zu]: not an object", source, rule);
	uint32_t action;
	if (parse_action(source, where, json_object_get(entry, "action"),
			 json_object_get(entry, "errnoRet"), &action) != 0)
		return -1;

	const json_t *args = json_object_get(entry, "args");
	struct scmp_arg_cmp compare[6];
	size_t ncompare = 0;
	if (args != NULL && !json_is_null(args)) {
		if (!json_is_array(args) || json_array_size(args) > 6)
			return fail_msg("seccomp profile %s: syscalls[%zu].args: not an array of at "
					"most 6", source, rule);
		size_t index;
		const json_t *arg;
		json_array_foreach(args, index, arg) {
			if (parse_argument(source, rule, index, arg, &compare[ncompare++]) != 0)
				return -1;
		}
	}

	const json_t *names = json_object_get(entry, "names");
	if (!json_is_array(names))
		return fail_msg("seccomp profile %s: syscalls[%zu].names: missing or not an array",
				source, rule);
	/* libseccomp refuses a rule whose action is the default one; such a
	 * rule changes nothing anyway (runc skips it too). */
	if (action == default_action)
		return 0;
	size_t index;
	const json_t *name;
	json_array_foreach(names, index, name) {
		if (!json_is_string(name))
			return fail_msg("seccomp profile %s: syscalls[%zu].names[%zu]: not a string",
					source, rule, index);
		int number = seccomp_syscall_resolve_name(json_string_value(name));
		/* Profiles list the calls of every architecture (and of newer
		 * kernels): one this libseccomp does not know cannot be made
		 * here, so there is nothing to filter. */
		if (number == __NR_SCMP_ERROR)
			continue;
		int rc = seccomp_rule_add_array(filter, action, number, (unsigned)ncompare, compare);
		if (rc != 0) {
			errno = -rc;
			return fail_errno("seccomp profile %s: syscalls[%zu]: rule for %s", source, rule,
					  json_string_value(name));
		}
	}
	return 0;
}

scmp_filter_ctx seccomp_filter_from_oci(const json_t *profile, const char *source)
{
	if (!json_is_object(profile)) {
		fail_msg("seccomp profile %s: not a JSON object", source);
		return NULL;
	}
	uint32_t default_action;
	if (parse_action(source, "defaultAction", json_object_get(profile, "defaultAction"),
			 json_object_get(profile, "defaultErrnoRet"), &default_action) != 0)
		return NULL;
	scmp_filter_ctx filter = seccomp_init(default_action);
	if (filter == NULL) {
		fail_msg("seccomp profile %s: seccomp_init failed", source);
		return NULL;
	}

	const json_t *architectures = json_object_get(profile, "architectures");
	if (architectures != NULL && !json_is_null(architectures)) {
		if (!json_is_array(architectures)) {
			fail_msg("seccomp profile %s: architectures: not an array", source);
			goto fail;
		}
		size_t index;
		const json_t *arch;
		json_array_foreach(architectures, index, arch) {
			if (add_architecture(filter, source, index, arch) != 0)
				goto fail;
		}
	}

	const json_t *syscalls = json_object_get(profile, "syscalls");
	if (syscalls != NULL && !json_is_null(syscalls)) {
		if (!json_is_array(syscalls)) {
			fail_msg("seccomp profile %s: syscalls: not an array", source);
			goto fail;
		}
		size_t index;
		const json_t *entry;
		json_array_foreach(syscalls, index, entry) {
			if (add_rule(filter, source, index, entry, default_action) != 0)
				goto fail;
		}
	}
	return filter;
fail:
	seccomp_release(filter);
	return NULL;
}

scmp_filter_ctx seccomp_filter_from_file(const char *path)
{
	json_error_t error;
	json_t *profile = json_load_file(path, 0, &error);
	if (profile == NULL) {
		if (error.line < 0)
			fail_msg("seccomp profile %s: %s", path, error.text);
		else
			fail_msg("seccomp profile %s: line %d column %d: %s", path, error.line,
				 error.column, error.text);
		return NULL;
	}
	scmp_filter_ctx filter = seccomp_filter_from_oci(profile, path);
	json_decref(profile);
	return filter;
}
