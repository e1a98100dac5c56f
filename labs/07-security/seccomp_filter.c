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
	// TODO 07.4: build and load the seccomp filter
	// HINT: seccomp_init(SCMP_ACT_ALLOW) (a deny list), seccomp_arch_add the x86 and x32 ABIs
	// HINT: on x86_64, then seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), number, 0) for each
	// HINT: name in denied_calls (seccomp_syscall_resolve_name; skip __NR_SCMP_ERROR);
	// HINT: clone and unshare with a namespace flag: one rule per flag and call,
	// HINT: SCMP_A0(SCMP_CMP_MASKED_EQ, f, f);
	// HINT: clone3 gets SCMP_ACT_ERRNO(ENOSYS).
	lab_todo("07.4");
	return NULL;
}
// end::default-filter[]

// tag::install[]
int seccomp_filter_install(scmp_filter_ctx filter)
{
	// TODO 07.4: build and load the seccomp filter
	// HINT: libseccomp sets no_new_privs itself unless told not to: seccomp_attr_set
	// HINT: SCMP_FLTATR_CTL_NNP to 0 (no_new_privs is the caller's choice), and
	// HINT: SCMP_FLTATR_API_SYSRAWRC to 1 (the kernel's errno, not ECANCELED); then
	// HINT: seccomp_load, and seccomp_release in every case. Errors are negative errno values.
	seccomp_release(filter);
	return lab_todo("07.4");
}
// end::install[]
