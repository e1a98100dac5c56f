/* cgroup_mounts.c: where each cgroup hierarchy is mounted, read from
 * the mount table (chapter 05, not an exercise).
 *
 * On a v1 (or hybrid) machine each controller's hierarchy is usually
 * mounted at /sys/fs/cgroup/<controller>, but nothing makes it so: a
 * hierarchy can be mounted anywhere, several controllers can share one
 * ("cpu,cpuacct"), and a hierarchy can exist without being mounted at
 * all (unmounted while it still holds cgroups: the kernel keeps it, with
 * no path to reach it). A path guessed from the controller's name is
 * wrong in each of these cases; /proc/self/mountinfo is the truth.
 *
 * Read: proc(5) (/proc/[pid]/mountinfo), cgroups(7).
 */
#include "cgroup.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mountinfo writes a space, tab, newline and backslash in a path as
 * \040, \011, \012 and \134: turn them back, in place. */
static void unescape_octal(char *text)
{
	char *out = text;
	for (const char *in = text; *in != '\0'; out++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
		    in[3] >= '0' && in[3] <= '7') {
			*out = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
			in += 4;
		} else {
			*out = *in++;
		}
	}
	*out = '\0';
}

/* Is word one of the comma-separated words of list ("rw,cpu,cpuacct")? */
static bool has_option(const char *list, const char *word, size_t length)
{
	for (const char *p = list; *p != '\0';) {
		size_t part = strcspn(p, ",");
		if (part == length && strncmp(p, word, length) == 0)
			return true;
		p += part;
		if (*p == ',')
			p++;
	}
	return false;
}

// tag::find-mount[]
int cgroup_find_mount(const char *controllers, char *mount_point, size_t size)
{
	/* One controller names its hierarchy: a controller is in exactly
	 * one, so "cpu,cpuacct" is found by "cpu" alone. */
	size_t length = strcspn(controllers, ",");
	bool unified = length == 0;
	FILE *stream = fopen("/proc/self/mountinfo", "re");
	if (stream == NULL)
		return fail_errno("open /proc/self/mountinfo");

	char *line = NULL, root[PATH_MAX], point[PATH_MAX], type[32], options[1024];
	char best_point[PATH_MAX] = "";
	size_t capacity = 0;
	int found = 0;
	while (found == 0 && getline(&line, &capacity, stream) > 0) {
		/* "36 30 0:33 / /sys/fs/cgroup/pids rw,relatime shared:15 - cgroup cgroup rw,pids":
		 * the optional fields vary in number, so split at " - ". */
		char *separator = strstr(line, " - ");
		if (separator == NULL)
			continue;
		*separator = '\0';
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    sscanf(separator + 3, "%31s %*s %1023s", type, options) != 2)
			continue;
		if (unified ? strcmp(type, "cgroup2") != 0
			    : strcmp(type, "cgroup") != 0 || !has_option(options, controllers, length))
			continue;
		unescape_octal(point);
		/* Best a mount of the whole hierarchy (root "/"): a bind of
		 * one of its cgroups ("/cfs/x") is not where the others are.
		 * Inside a cgroup namespace every root is shown relative to
		 * the namespace's ("/.."): then the first mount will do. */
		if (strcmp(root, "/") == 0) {
			snprintf(best_point, sizeof best_point, "%s", point);
			found = 1;
		} else if (best_point[0] == '\0') {
			snprintf(best_point, sizeof best_point, "%s", point);
		}
	}
	free(line);
	fclose(stream);
	if (best_point[0] == '\0')
		return 0;
	if (snprintf(mount_point, size, "%s", best_point) >= (int)size) {
		errno = ENAMETOOLONG;
		return fail_errno("cgroup mount point %s", best_point);
	}
	return 1;
}
// end::find-mount[]
