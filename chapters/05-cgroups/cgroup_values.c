/* cgroup_values.c: parsing and printing the values cgctl accepts (chapter
 * 05). Not an exercise: the same in both trees.
 *
 * The kernel accepts more than we do (memory.max takes "64M" itself), but
 * we check every value before touching the machine, so a typo is one
 * clear line and not a half-configured cgroup.
 *
 * Read: strtoll(3), Documentation/admin-guide/cgroup-v2.rst ("cpu.max",
 * "memory.max", "pids.max").
 */
#include "cgroup.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIB 1024LL
#define MIB (1024LL * KIB)
#define PIB (1024LL * 1024LL * 1024LL * MIB)
/* PID_MAX_LIMIT on 64-bit kernels: no cgroup can hold more tasks. */
#define PIDS_LIMIT_MAX 4194304LL

const char *cgroup_mode_name(enum cgroup_mode mode)
{
	switch (mode) {
	case CGROUP_MODE_V2: return "v2";
	case CGROUP_MODE_V1: return "v1";
	case CGROUP_MODE_HYBRID: return "hybrid";
	case CGROUP_MODE_NONE: break;
	}
	return "none";
}

const char *cgroup_controller_name(enum cgroup_controller controller)
{
	static const char *const names[CGROUP_CONTROLLER_COUNT] = {
		[CGROUP_MEMORY] = "memory", [CGROUP_PIDS] = "pids", [CGROUP_CPU] = "cpu",
		[CGROUP_CPUACCT] = "cpuacct", [CGROUP_FREEZER] = "freezer",
	};
	if ((unsigned)controller >= CGROUP_CONTROLLER_COUNT)
		return "?";
	return names[controller];
}

int cgroup_parse_memory(const char *text, long long *bytes)
{
	if (strcmp(text, "max") == 0) {
		*bytes = CGROUP_LIMIT_UNLIMITED;
		return 0;
	}
	/* Digits only: strtoll would also take "-5", " 5" and "0x10". */
	size_t digits = strspn(text, "0123456789");
	if (digits == 0)
		goto malformed;
	const char *suffix = text + digits;
	long long multiplier = 1;
	if (*suffix != '\0') {
		const char *units = "KMGT";
		const char *unit = strchr(units, toupper((unsigned char)*suffix));
		if (unit == NULL || suffix[1] != '\0')
			goto malformed;
		for (const char *u = units; u <= unit; u++)
			multiplier *= 1024;
	}
	/* More than 16 digits is more than 1P in any unit. */
	long long number = digits > 16 ? LLONG_MAX : strtoll(text, NULL, 10);
	if (number > PIB / multiplier || number * multiplier < MIB) {
		errno = ERANGE;
		return fail_msg("memory limit '%s': out of range (from 1M to 1P, or max)", text);
	}
	*bytes = number * multiplier;
	return 0;
malformed:
	errno = EINVAL;
	return fail_msg("memory limit '%s': not a size (a number with an optional K, M, G or T, "
			"or max)", text);
}

int cgroup_parse_pids(const char *text, long long *pids)
{
	long value;

	if (strcmp(text, "max") == 0) {
		*pids = CGROUP_LIMIT_UNLIMITED;
		return 0;
	}
	if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text)) {
		errno = EINVAL;
		return fail_msg("pids limit '%s': not a number (a process count, or max)", text);
	}
	if (parse_long(text, 1, PIDS_LIMIT_MAX, &value) != 0) {
		errno = ERANGE;
		return fail_msg("pids limit '%s': out of range (from 1 to %lld, or max)", text,
				PIDS_LIMIT_MAX);
	}
	*pids = value;
	return 0;
}

int cgroup_parse_cpus(const char *text, long long *quota_us, long long *period_us)
{
	if (strcmp(text, "max") == 0) {
		*quota_us = CGROUP_LIMIT_UNLIMITED;
		*period_us = CGROUP_CPU_PERIOD_DEFAULT_US;
		return 0;
	}
	/* Fixed point by hand, in hundredths of a CPU: "0.5" -> 50. No
	 * floating point, so 0.29 cannot become 28.999. */
	size_t whole_digits = strspn(text, "0123456789");
	long long hundredths = 0;
	const char *p = text;
	if (whole_digits == 0 || whole_digits > 6)
		goto malformed;
	for (; p < text + whole_digits; p++)
		hundredths = hundredths * 10 + (*p - '0');
	hundredths *= 100;
	if (*p == '.') {
		p++;
		size_t decimals = strspn(p, "0123456789");
		if (decimals == 0 || decimals > 2)
			goto malformed;
		hundredths += (p[0] - '0') * 10 + (decimals == 2 ? p[1] - '0' : 0);
		p += decimals;
	}
	if (*p != '\0')
		goto malformed;
	if (hundredths < 1 || hundredths > 1024 * 100) {
		errno = ERANGE;
		return fail_msg("cpu limit '%s': out of range (from 0.01 to 1024 CPUs, or max)", text);
	}
	*period_us = CGROUP_CPU_PERIOD_DEFAULT_US;
	*quota_us = hundredths * CGROUP_CPU_PERIOD_DEFAULT_US / 100;
	return 0;
malformed:
	errno = EINVAL;
	return fail_msg("cpu limit '%s': not a number of CPUs (like 0.5 or 2, at most two decimals, "
			"or max)", text);
}

int cgroup_validate_name(const char *name)
{
	size_t length = strlen(name);

	errno = EINVAL;
	if (length == 0 || length > 64)
		return fail_msg("cgroup name '%s': must have 1 to 64 characters", name);
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != length)
		return fail_msg("cgroup name '%s': use only letters, digits, '_', '.' and '-'", name);
	if (name[0] == '.')
		return fail_msg("cgroup name '%s': must not start with a dot", name);
	errno = 0;
	return 0;
}

const char *cgroup_format_bytes(long long bytes, char *buf, size_t size)
{
	static const char units[] = "KMGTP";
	double value = (double)bytes;
	int unit = -1;

	if (bytes < 0) {
		snprintf(buf, size, "%s", bytes == CGROUP_LIMIT_UNLIMITED ? "max" : "unknown");
		return buf;
	}
	while (value >= 1024 && unit < 4) {
		value /= 1024;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, size, "%lldB", bytes);
	else
		snprintf(buf, size, "%.1f%c", value, units[unit]);
	return buf;
}
