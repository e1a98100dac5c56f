/* userns.c: uid and gid maps of a user namespace (chapter 07, 07.5).
 *
 * A process in a new user namespace has every capability, but only over
 * that namespace and what it owns. Its parent writes the maps that say
 * which host ids the ids inside stand for: "0 100000 65536" makes root
 * inside the host's uid 100000, a nobody.
 *
 * Read: user_namespaces(7) ("User and group ID mappings: uid_map and
 * gid_map", "Interaction with system calls that change process UIDs or
 * GIDs", /proc/PID/setgroups), newuidmap(1).
 */
#include "security.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "0 100000 65536,1 2 3" -> "0 100000 65536\n1 2 3\n" in buf. */
static int map_text(const char *map, char *buf, size_t size)
{
	size_t length = strlen(map);
	if (length + 2 > size)
		return fail_msg("id map \"%s\": too long", map);
	for (size_t i = 0; i < length; i++)
		buf[i] = map[i] == ',' ? '\n' : map[i];
	buf[length] = '\n';
	buf[length + 1] = '\0';
	return 0;
}

// tag::write-maps[]
int userns_write_maps(pid_t pid, const char *uid_map, const char *gid_map)
{
	char path[64], text[4096];

	// TODO 07.5: write uid_map and gid_map, with setgroups denied
	// HINT: write_file("/proc/PID/setgroups", "deny") first, then the maps converted by
	// HINT: map_text() into /proc/PID/uid_map and /proc/PID/gid_map (each written once).
	return lab_todo("07.5");
}
// end::write-maps[]
