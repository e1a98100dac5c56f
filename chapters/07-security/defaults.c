/* defaults.c: the lists a container runtime applies when told nothing
 * else (not an exercise). They follow Docker's and runc's defaults.
 *
 * Read: capabilities(7); runc's and the OCI runtime spec's defaults
 * (config-linux.md "Masked Paths", "Readonly Paths").
 */
#include "security.h"

#include <stddef.h>

/* What a process needs to behave like root on its own files and ports,
 * and nothing that reaches the kernel or other containers: no
 * CAP_SYS_ADMIN (mount, namespaces, ...), CAP_SYS_MODULE, CAP_SYS_PTRACE,
 * CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_NET_ADMIN, CAP_SYS_BOOT, ... */
const char *const caps_container_defaults[] = {
	"CAP_CHOWN",	  "CAP_DAC_OVERRIDE", "CAP_FSETID",	      "CAP_FOWNER",
	"CAP_MKNOD",	  "CAP_NET_RAW",      "CAP_SETGID",	      "CAP_SETUID",
	"CAP_SETFCAP",	  "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
	"CAP_KILL",	  "CAP_AUDIT_WRITE",  NULL,
};

/* Files that show the host's kernel memory, keys, timers or firmware
 * even from a new PID namespace. */
const char *const paths_default_masked[] = {
	"/proc/acpi",	     "/proc/asound",	     "/proc/kcore",	 "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list",   "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi",	     "/sys/firmware",	     "/sys/devices/virtual/powercap", NULL,
};

/* Knobs that change the whole machine, not just this container. */
const char *const paths_default_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};
