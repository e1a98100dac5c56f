/* container_lsm.c: the AppArmor profile and SELinux label of config.json
 * (chapter 08). Not an exercise: the same in both trees.
 *
 * A Linux security module confines a process by a label the kernel
 * keeps with it. Both AppArmor and SELinux let a process ask for a label
 * for its NEXT program: it writes the label into its own
 * /proc/self/attr/.../exec, and the execve(2) that follows switches to
 * it (what aa-exec(8) and runcon(1) do, and libapparmor's
 * aa_change_onexec and libselinux's setexeccon). So the runtime writes
 * process.apparmorProfile or process.selinuxLabel there just before the
 * container's program is exec'd, and the program starts confined.
 *
 * It is written once the process's own credentials are final but for
 * the security step (the kernel lets only the opener, with the same
 * credentials, write it) and before no_new_privs, which limits which
 * profiles a process may switch to: after the setup, in the container's
 * own (checked) /proc.
 *
 * Whether the kernel runs the module is decided by the runtime, from the
 * host's /sys, before the container's process sees only the container's
 * (an image could ship a /sys saying "N"). A config that names a label
 * for a module this kernel does not run gets one warning and runs without
 * it, as runc does (podman names one only where the module is on); a
 * label the module does not know fails create.
 *
 * Read: proc(5) (/proc/pid/attr), apparmor(7), aa-exec(1), runcon(1),
 * Documentation/admin-guide/LSM/apparmor.rst, selinux(8) "context=".
 */
#include "container.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

static bool apparmor_enabled(void)
{
	char enabled = 0;
	int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t got = read(fd, &enabled, 1);
	close(fd);
	return got == 1 && enabled == 'Y';
}

bool container_selinux_enabled(void)
{
	struct statfs selinuxfs;
	return statfs("/sys/fs/selinux", &selinuxfs) == 0 && selinuxfs.f_type == SELINUX_MAGIC;
}

/* Write text into this thread's exec attribute: the module's own file
 * where the kernel has one (AppArmor's, Linux 5.1+), else the shared
 * one. Only ever a procfs: the container's /proc was checked to be one
 * when it was mounted, and an image's fake /proc would swallow the label. */
static int write_exec_attribute(const char *module_path, const char *text, const char *field,
				const char *label)
{
	int fd = module_path != NULL ? open(module_path, O_WRONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		fd = open("/proc/thread-self/attr/exec", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("%s %s: open /proc/thread-self/attr/exec (is /proc mounted?)", field, label);
	struct statfs procfs;
	if (fstatfs(fd, &procfs) != 0 || procfs.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		errno = EXDEV;
		return fail_msg("%s %s: /proc/thread-self/attr/exec is not on a procfs", field, label);
	}
	ssize_t written = write(fd, text, strlen(text));
	int saved_errno = errno;
	close(fd);
	if (written != (ssize_t)strlen(text)) {
		errno = saved_errno;
		return fail_errno("%s %s: set it for the program (is it loaded?)", field, label);
	}
	return 0;
}

// tag::lsm[]
void container_lsm_plan(const struct oci_process *process, struct container_lsm_plan *plan)
{
	plan->apparmor = process->apparmor_profile != NULL && apparmor_enabled();
	plan->selinux = process->selinux_label != NULL && container_selinux_enabled();
	if (process->apparmor_profile != NULL && !plan->apparmor)
		warn_msg("process.apparmorProfile %s: AppArmor is not enabled on this host: not applied",
			 process->apparmor_profile);
	if (process->selinux_label != NULL && !plan->selinux)
		warn_msg("process.selinuxLabel %s: SELinux is not enabled on this host: not applied",
			 process->selinux_label);
}

int container_lsm_set_exec_labels(const struct oci_process *process, const struct container_lsm_plan *plan)
{
	char command[4200];

	/* AppArmor's command "exec PROFILE": switch at the next execve. */
	if (plan->apparmor) {
		snprintf(command, sizeof command, "exec %s", process->apparmor_profile);
		if (write_exec_attribute("/proc/thread-self/attr/apparmor/exec", command,
					 "process.apparmorProfile", process->apparmor_profile) != 0)
			return -1;
	}
	/* SELinux takes the context itself. */
	if (plan->selinux && write_exec_attribute(NULL, process->selinux_label, "process.selinuxLabel",
						  process->selinux_label) != 0)
		return -1;
	return 0;
}
// end::lsm[]
