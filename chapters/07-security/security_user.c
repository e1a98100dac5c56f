/* security_user.c: switching to the container's user (not an exercise).
 *
 * Read: setresuid(2), setgroups(2), prctl(2) PR_SET_KEEPCAPS,
 * capabilities(7) "Effect of user ID changes on capabilities".
 */
#include "security.h"
#include "util.h"

#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

int security_set_user(uid_t uid, gid_t gid, size_t ngroups, const gid_t *groups,
		      int setgroups_allowed)
{
	/* Leaving uid 0 clears the permitted and effective sets, unless
	 * KEEPCAPS is set: we want to choose them ourselves afterwards. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		return fail_errno("prctl(PR_SET_KEEPCAPS)");
	/* Groups first: once the uid changes we may lose CAP_SETGID. */
	if (setgroups_allowed && setgroups(ngroups, groups) != 0)
		return fail_errno("setgroups (%zu groups)", ngroups);
	if (setresgid(gid, gid, gid) != 0)
		return fail_errno("setresgid %d", (int)gid);
	if (setresuid(uid, uid, uid) != 0)
		return fail_errno("setresuid %d", (int)uid);
	/* KEEPCAPS is reset by execve anyway; clear it so nothing relies on it. */
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return fail_errno("prctl(PR_SET_KEEPCAPS, 0)");
	return 0;
}
