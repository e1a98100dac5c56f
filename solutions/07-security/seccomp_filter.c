/* seccomp_filter.c: the default system call filter and its installation
 * (chapter 07, exercise 07.4).
 *
 * Capabilities decide what root may do; seccomp decides which system
 * calls may be made at all, by anyone. The kernel runs a small BPF
 * program on every system call's number and arguments. libseccomp
 * writes that program for us from rules ("keyctl -> EPERM"), for every
 * architecture the process could use (a 64-bit x86 process can also make
 * 32-bit calls, with other numbers).
 *
 * Read: seccomp(2), seccomp_init(3), seccomp_rule_add(3),
 * seccomp_arch_add(3), seccomp_attr_set(3), seccomp_load(3), clone3(2),
 * Docker's default profile (docs.docker.com/engine/security/seccomp/).
 */
#include "security.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <stddef.h>

/* Calls no container needs that reach into the kernel or the host: key
 * management (keys are not namespaced), tracing, mounts, loading kernel
 * code or modules, BPF, clocks, swap, accounting, rebooting. */
static const char *const denied_calls[] = {
	"keyctl", "add_key", "request_key", "ptrace", "process_vm_readv", "process_vm_writev",
	"mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsmount",
	"fspick", "bpf", "perf_event_open", "kexec_load", "kexec_file_load", "open_by_handle_at",
	"name_to_handle_at", "init_module", "finit_module", "delete_module", "reboot", "swapon",
	"swapoff", "acct", "setns", "userfaultfd", "lookup_dcookie", "quotactl", "settimeofday",
	"clock_settime", "clock_adjtime", "adjtimex", "syslog", "iopl", "ioperm", "vhangup",
	"nfsservctl", "uselib", "ustat", "sysfs", "_sysctl", NULL,
};

/* The flags that make clone(2) and unshare(2) create namespaces. */
static const unsigned long namespace_flags[] = {
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
	CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP, 0x00000080 /* CLONE_NEWTIME */,
};

// tag::default-filter[]
scmp_filter_ctx seccomp_default_filter(void)
{
	// BEGIN SOLUTION 07.4: build and load the seccomp filter
	// HINT: seccomp_init(SCMP_ACT_ALLOW) (a deny list), seccomp_arch_add the x86 and x32 ABIs
	// HINT: on x86_64, then seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), number, 0) for each
	// HINT: name in denied_calls (seccomp_syscall_resolve_name; skip __NR_SCMP_ERROR);
	// HINT: clone and unshare with a namespace flag: one rule per flag and call,
	// HINT: SCMP_A0(SCMP_CMP_MASKED_EQ, f, f);
	// HINT: clone3 gets SCMP_ACT_ERRNO(ENOSYS).
	/* Default allow, deny a list: easy to read, but a call added by a
	 * new kernel is allowed until someone lists it. Docker's real
	 * profile is the opposite (default deny, allow ~350 calls). */
	scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
	if (filter == NULL) {
		fail_msg("seccomp_init failed");
		return NULL;
	}
	/* The filter sees (architecture, number). Without the 32-bit ABIs
	 * a 32-bit keyctl would slip through under another number; with
	 * them listed, every rule is written for each ABI. A call from an
	 * ABI not listed kills the process (the "bad arch" action). */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		int rc = seccomp_arch_add(filter, SCMP_ARCH_X86);
		if (rc == 0 || rc == -EEXIST)
			rc = seccomp_arch_add(filter, SCMP_ARCH_X32);
		if (rc != 0 && rc != -EEXIST) {
			errno = -rc;
			fail_errno("seccomp: add the x86 and x32 ABIs");
			goto fail;
		}
	}
	for (size_t i = 0; denied_calls[i] != NULL; i++) {
		int number = seccomp_syscall_resolve_name(denied_calls[i]);
		if (number == __NR_SCMP_ERROR)
			continue; /* not a call of this architecture */
		int rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), number, 0);
		if (rc != 0) {
			errno = -rc;
			fail_errno("seccomp: rule for %s", denied_calls[i]);
			goto fail;
		}
	}
	/* clone(2) itself must work (fork, threads), and unshare(2) of a
	 * file table is harmless, but not with a namespace flag: a new user
	 * namespace gives back every capability, over new kernel code. A
	 * filter sees only the register, so one rule per flag, each
	 * "flags & F == F". (The flags are argument 0 on x86 and arm.) */
	static const int flag_calls[] = {SCMP_SYS(clone), SCMP_SYS(unshare)};
	for (size_t c = 0; c < 2; c++) {
		for (size_t i = 0; i < sizeof namespace_flags / sizeof namespace_flags[0]; i++) {
			unsigned long flag = namespace_flags[i];
			int rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), flag_calls[c], 1,
						  SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
			if (rc != 0) {
				errno = -rc;
				fail_errno("seccomp: rule for %s with flag %#lx",
					   c == 0 ? "clone" : "unshare", flag);
				goto fail;
			}
		}
	}
	/* clone3 passes its flags in memory, which a filter cannot read. So
	 * refuse it whole, with ENOSYS: "this kernel has no clone3", the one
	 * answer on which glibc falls back to clone, which we can check.
	 * EPERM would make every fork and pthread_create fail. */
	int rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc != 0) {
		errno = -rc;
		fail_errno("seccomp: rule for clone3");
		goto fail;
	}
	return filter;
fail:
	seccomp_release(filter);
	return NULL;
	// END SOLUTION
	// STUB: lab_todo("07.4");
	// STUB: return NULL;
}
// end::default-filter[]

// tag::install[]
int seccomp_filter_install(scmp_filter_ctx filter)
{
	// BEGIN SOLUTION 07.4: build and load the seccomp filter
	// HINT: libseccomp sets no_new_privs itself unless told not to: seccomp_attr_set
	// HINT: SCMP_FLTATR_CTL_NNP to 0 (no_new_privs is the caller's choice), and
	// HINT: SCMP_FLTATR_API_SYSRAWRC to 1 (the kernel's errno, not ECANCELED); then
	// HINT: seccomp_load, and seccomp_release in every case. Errors are negative errno values.
	/* By default libseccomp would quietly set no_new_privs for us;
	 * whether to set it is the caller's decision (--no-new-privs). */
	int rc = seccomp_attr_set(filter, SCMP_FLTATR_CTL_NNP, 0);
	/* And it would report any refusal by the kernel as ECANCELED: ask
	 * for the kernel's own errno, which says why. */
	if (rc == 0)
		rc = seccomp_attr_set(filter, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (rc == 0)
		rc = seccomp_load(filter);
	seccomp_release(filter);
	if (rc != 0) {
		errno = -rc;
		if (errno == EACCES)
			return fail_errno("load the seccomp filter (needs no_new_privs or CAP_SYS_ADMIN)");
		return fail_errno("load the seccomp filter");
	}
	return 0;
	// END SOLUTION
	// STUB: seccomp_release(filter);
	// STUB: return lab_todo("07.4");
}
// end::install[]
