/* nstypes.c: the namespace types nsjoin knows, and the set of namespace
 * file descriptors (chapter 03). Not an exercise: the same in both trees.
 *
 * Read: namespaces(7) (the /proc/PID/ns files), setns(2) (nstype).
 */
#include "nsjoin.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// tag::types[]
/* Every namespace type: its file under /proc/PID/ns and the clone flag
 * that creates it (clone(2), unshare(2)) or names it (setns(2)). */
const struct nsjoin_type nsjoin_types[NSJOIN_TYPE_COUNT] = {
	{"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC},   {"mnt", CLONE_NEWNS},
	{"net", CLONE_NEWNET},       {"pid", CLONE_NEWPID},   {"time", CLONE_NEWTIME},
	{"user", CLONE_NEWUSER},     {"uts", CLONE_NEWUTS},
};
// end::types[]

int nsjoin_type_index(int nstype)
{
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++)
		if (nsjoin_types[i].nstype == nstype)
			return i;
	return -1;
}

int nsjoin_type_index_by_name(const char *name)
{
	/* OCI's config.json says "network" and "mount" where /proc says
	 * "net" and "mnt". */
	if (strcmp(name, "network") == 0)
		name = "net";
	else if (strcmp(name, "mount") == 0)
		name = "mnt";
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++)
		if (strcmp(nsjoin_types[i].name, name) == 0)
			return i;
	return -1;
}

void nsjoin_set_init(struct nsjoin_set *set)
{
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++) {
		set->fds[i] = -1;
		set->sources[i] = NULL;
	}
}

void nsjoin_close(struct nsjoin_set *set)
{
	for (int i = 0; i < NSJOIN_TYPE_COUNT; i++) {
		if (set->fds[i] >= 0)
			close(set->fds[i]);
		set->fds[i] = -1;
		free(set->sources[i]);
		set->sources[i] = NULL;
	}
}
