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
	// BEGIN SOLUTION 07.1: drop the bounding set
	// HINT: for every capability number from 0 to cap_max_bits() - 1 that is not in keep
	// HINT: (bit (keep >> cap) & 1), call cap_drop_bound(cap). It needs CAP_SETPCAP.
	/* Once dropped from the bounding set a capability can never come
	 * back to this process or its children: not through a setuid-root
	 * program, not through file capabilities. */
	for (cap_value_t cap = 0; cap < cap_max_bits(); cap++) {
		if (has(keep, cap))
			continue;
		if (cap_drop_bound(cap) != 0) {
			char *name = cap_to_name(cap);
			fail_errno("drop %s from the bounding set", name ? name : "?");
			cap_free(name);
			return -1;
		}
	}
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("07.1");
}
// end::drop-bounding[]

// tag::apply-sets[]
int caps_apply(const struct caps_sets *sets)
{
	// BEGIN SOLUTION 07.2: set the capability sets
	// HINT: cap_init() gives an empty state; cap_set_flag it for CAP_PERMITTED, CAP_EFFECTIVE
	// HINT: and CAP_INHERITABLE from the masks, then cap_set_proc and cap_free. Ambient last:
	// HINT: cap_reset_ambient(), then cap_set_ambient(cap, CAP_SET) for each bit of sets->ambient.
	cap_t state = cap_init(); /* every flag clear */
	if (state == NULL)
		return fail_errno("cap_init");
	static const struct {
		cap_flag_t flag;
		size_t offset;
	} flags[] = {
		{CAP_PERMITTED, offsetof(struct caps_sets, permitted)},
		{CAP_EFFECTIVE, offsetof(struct caps_sets, effective)},
		{CAP_INHERITABLE, offsetof(struct caps_sets, inheritable)},
	};
	for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
		uint64_t mask = *(const uint64_t *)((const char *)sets + flags[f].offset);
		for (cap_value_t cap = 0; cap < cap_max_bits(); cap++) {
			if (has(mask, cap) && cap_set_flag(state, flags[f].flag, 1, &cap, CAP_SET) != 0) {
				fail_errno("cap_set_flag %d", cap);
				cap_free(state);
				return -1;
			}
		}
	}
	/* One capset(2): the three sets change together. It can only lower
	 * permitted, and effective must be a subset of the new permitted. */
	if (cap_set_proc(state) != 0) {
		char *text = cap_to_text(state, NULL);
		fail_errno("set capabilities to %s", text ? text : "?");
		cap_free(text);
		cap_free(state);
		return -1;
	}
	cap_free(state);

	/* The ambient set is what a non-root program keeps across execve.
	 * Clear what we inherited, then raise exactly what was asked. */
	if (cap_reset_ambient() != 0)
		return fail_errno("clear the ambient set");
	for (cap_value_t cap = 0; cap < cap_max_bits(); cap++) {
		if (has(sets->ambient, cap) && cap_set_ambient(cap, CAP_SET) != 0) {
			char *name = cap_to_name(cap);
			fail_errno("raise %s in the ambient set (it must be permitted and inheritable)",
				   name ? name : "?");
			cap_free(name);
			return -1;
		}
	}
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("07.2");
}
// end::apply-sets[]

// tag::no-new-privs[]
int security_set_no_new_privs(void)
{
	// BEGIN SOLUTION 07.3: set no_new_privs
	// HINT: one prctl(2) call: PR_SET_NO_NEW_PRIVS with the argument 1 (and three zeros).
	/* After this, execve of a setuid-root program runs it with our own
	 * uid, and file capabilities are ignored: nothing we run can gain
	 * what we do not have. It is also what lets an unprivileged process
	 * install a seccomp filter. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return fail_errno("prctl(PR_SET_NO_NEW_PRIVS)");
	return 0;
	// END SOLUTION
	// STUB: return lab_todo("07.3");
}
// end::no-new-privs[]
