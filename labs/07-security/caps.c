/* caps.c: capabilities and no_new_privs (chapter 07, exercises 07.1-07.3).
 *
 * Root's power is a set of about 40 capabilities. A process carries five
 * sets of them: bounding (the ceiling), permitted (what it may use),
 * effective (what the kernel checks now), inheritable and ambient (what
 * survives execve). A container keeps a few and drops the rest from every
 * set, the bounding set first, so nothing it runs later can get them back.
 *
 * Read: capabilities(7) ("Transformation of capabilities during
 * execve()"), cap_drop_bound(3), cap_init(3), cap_set_flag(3),
 * cap_set_proc(3), cap_reset_ambient(3), cap_set_ambient(3),
 * prctl(2) PR_SET_NO_NEW_PRIVS.
 */
#include "security.h"
#include "util.h"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

static int has(uint64_t mask, cap_value_t cap)
{
	return (mask >> cap) & 1;
}

// tag::drop-bounding[]
int caps_drop_bounding(uint64_t keep)
{
	// TODO 07.1: drop the bounding set
	// HINT: for every capability number from 0 to cap_max_bits() - 1 that is not in keep
	// HINT: (bit (keep >> cap) & 1), call cap_drop_bound(cap). It needs CAP_SETPCAP.
	return lab_todo("07.1");
}
// end::drop-bounding[]

// tag::apply-sets[]
int caps_apply(const struct caps_sets *sets)
{
	// TODO 07.2: set the capability sets
	// HINT: cap_init() gives an empty state; cap_set_flag it for CAP_PERMITTED, CAP_EFFECTIVE
	// HINT: and CAP_INHERITABLE from the masks, then cap_set_proc and cap_free. Ambient last:
	// HINT: cap_reset_ambient(), then cap_set_ambient(cap, CAP_SET) for each bit of sets->ambient.
	return lab_todo("07.2");
}
// end::apply-sets[]

// tag::no-new-privs[]
int security_set_no_new_privs(void)
{
	// TODO 07.3: set no_new_privs
	// HINT: one prctl(2) call: PR_SET_NO_NEW_PRIVS with the argument 1 (and three zeros).
	return lab_todo("07.3");
}
// end::no-new-privs[]
