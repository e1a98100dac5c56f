/* cgroup_values.c: parsing and printing the values cgctl accepts (chapter
 * 05). Not an exercise: the same in both trees.
 *
 * The kernel accepts more than we do (memory.max takes "64M" itself), but
 * we check every value before touching the machine, so a typo is one
 * clear line and not a half-configured cgroup.
 *
 * Read: strtoll(3), Documentation/admin-guide/cgroup-v2.rst ("cpu.max",
 * "memory.max", "pids.max", "cpu.weight", "Cpuset", "HugeTLB"),
 * Documentation/admin-guide/cgroup-v1/devices.rst.
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
		[CGROUP_CPUACCT] = "cpuacct", [CGROUP_FREEZER] = "freezer", [CGROUP_CPUSET] = "cpuset",
		[CGROUP_DEVICES] = "devices", [CGROUP_HUGETLB] = "hugetlb",
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

/* Highest CPU or memory node number we accept in a list (the kernel's
 * NR_CPUS is at most 8192; it checks the real range itself). */
#define CPU_LIST_NUMBER_MAX 65535L

int cgroup_validate_cpu_list(const char *what, const char *list)
{
	const char *p = list;

	errno = EINVAL;
	if (*p == '\0')
		return fail_msg("cpuset %s '%s': empty (a list like 0-3,6)", what, list);
	/* list := range ("," range)*, range := N | N "-" N with N <= N. */
	for (;;) {
		char *end;
		size_t digits = strspn(p, "0123456789");
		if (digits == 0 || digits > 5)
			break;
		long low = strtol(p, &end, 10), high = low;
		p = end;
		if (*p == '-') {
			p++;
			digits = strspn(p, "0123456789");
			if (digits == 0 || digits > 5)
				break;
			high = strtol(p, &end, 10);
			p = end;
		}
		if (low > CPU_LIST_NUMBER_MAX || high > CPU_LIST_NUMBER_MAX || high < low) {
			errno = ERANGE;
			return fail_msg("cpuset %s '%s': range %ld-%ld is reversed or above %ld", what, list,
					low, high, CPU_LIST_NUMBER_MAX);
		}
		if (*p == '\0') {
			errno = 0;
			return 0;
		}
		if (*p != ',')
			break;
		p++;
	}
	return fail_msg("cpuset %s '%s': not a list of numbers and ranges (like 0-3,6)", what, list);
}

int cgroup_parse_cpu_shares(const char *text, unsigned long long *shares)
{
	long value;

	if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text)) {
		errno = EINVAL;
		return fail_msg("cpu shares '%s': not a number (%llu to %llu; 1024 is the default)", text,
				CGROUP_CPU_SHARES_MIN, CGROUP_CPU_SHARES_MAX);
	}
	if (parse_long(text, (long)CGROUP_CPU_SHARES_MIN, (long)CGROUP_CPU_SHARES_MAX, &value) != 0) {
		errno = ERANGE;
		return fail_msg("cpu shares '%s': out of range (%llu to %llu)", text, CGROUP_CPU_SHARES_MIN,
				CGROUP_CPU_SHARES_MAX);
	}
	*shares = (unsigned long long)value;
	return 0;
}

unsigned long long cgroup_cpu_shares_to_weight(unsigned long long shares)
{
	/* Map v1's 2..262144 linearly onto v2's 1..10000. */
	if (shares < CGROUP_CPU_SHARES_MIN)
		shares = CGROUP_CPU_SHARES_MIN;
	if (shares > CGROUP_CPU_SHARES_MAX)
		shares = CGROUP_CPU_SHARES_MAX;
	return 1 + ((shares - 2) * 9999) / 262142;
}

int cgroup_validate_hugetlb_page_size(const char *page_size)
{
	size_t digits = strspn(page_size, "0123456789");
	const char *unit = page_size + digits;

	/* The kernel's names: the size in the largest unit that divides
	 * it, "2MB", "1GB", "64KB", with no leading zero. */
	if (digits == 0 || digits > 4 || page_size[0] == '0' ||
	    (strcmp(unit, "KB") != 0 && strcmp(unit, "MB") != 0 && strcmp(unit, "GB") != 0)) {
		errno = EINVAL;
		return fail_msg("hugetlb page size '%s': not a size like 2MB or 1GB", page_size);
	}
	return 0;
}

int cgroup_parse_hugetlb_limit(const char *text, char *page_size, size_t size, long long *bytes)
{
	const char *equals = strchr(text, '=');
	if (equals == NULL || (size_t)(equals - text) >= size) {
		errno = EINVAL;
		return fail_msg("hugetlb limit '%s': not SIZE=LIMIT (like 2MB=64M or 1GB=max)", text);
	}
	memcpy(page_size, text, (size_t)(equals - text));
	page_size[equals - text] = '\0';
	if (cgroup_validate_hugetlb_page_size(page_size) != 0)
		return -1;
	/* 0 is a real limit here: no huge pages of this size at all. */
	if (strcmp(equals + 1, "0") == 0) {
		*bytes = 0;
		return 0;
	}
	return cgroup_parse_memory(equals + 1, bytes);
}

/* "*" (-1) or a device number (0 to 2^32 - 1) for a device rule. */
static int parse_device_number(const char *text, size_t length, long long *number)
{
	if (length == 1 && text[0] == '*') {
		*number = -1;
		return 0;
	}
	if (length == 0 || length > 10 || strspn(text, "0123456789") < length)
		return -1;
	*number = strtoll(text, NULL, 10);
	return *number > 0xffffffffLL ? -1 : 0;
}

int cgroup_parse_device_rule(const char *text, bool allow, struct cgroup_device_rule *rule)
{
	*rule = (struct cgroup_device_rule){.allow = allow, .type = 'a', .major = -1, .minor = -1,
					    .access = "rwm"};
	if (strcmp(text, "a") == 0)
		return 0;
	/* "c 1:3 rwm": type, space, major:minor, space, access. */
	const char *colon = strchr(text, ':');
	const char *second_space = colon ? strchr(colon, ' ') : NULL;
	size_t access_length = second_space ? strlen(second_space + 1) : 0;
	if (strchr("acb", text[0]) == NULL || text[0] == '\0' || text[1] != ' ' || colon == NULL ||
	    second_space == NULL || parse_device_number(text + 2, (size_t)(colon - text - 2), &rule->major) != 0 ||
	    parse_device_number(colon + 1, (size_t)(second_space - colon - 1), &rule->minor) != 0 ||
	    access_length == 0 || access_length > 3 ||
	    strspn(second_space + 1, "rwm") != access_length) {
		errno = EINVAL;
		return fail_msg("device rule '%s': not \"a\" or \"TYPE MAJOR:MINOR ACCESS\" (like c 1:3 rwm; "
				"TYPE a, c or b, * for any number, ACCESS some of rwm)", text);
	}
	rule->type = text[0];
	memcpy(rule->access, second_space + 1, access_length);
	rule->access[access_length] = '\0';
	return 0;
}

const char *cgroup_format_device_rule(const struct cgroup_device_rule *rule, char *buf, size_t size)
{
	char major[24], minor[24];

	/* "a" with no numbers and every access is the kernel's "all". */
	if (rule->type == 'a' && rule->major < 0 && rule->minor < 0 && strchr(rule->access, 'r') &&
	    strchr(rule->access, 'w') && strchr(rule->access, 'm')) {
		snprintf(buf, size, "a");
		return buf;
	}
	if (rule->major < 0)
		snprintf(major, sizeof major, "*");
	else
		snprintf(major, sizeof major, "%lld", rule->major);
	if (rule->minor < 0)
		snprintf(minor, sizeof minor, "*");
	else
		snprintf(minor, sizeof minor, "%lld", rule->minor);
	snprintf(buf, size, "%c %s:%s %s", rule->type, major, minor, rule->access);
	return buf;
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
