/* probe: print what a process can see of its world, as key=value lines.
 *
 * Tests and demos run it inside containers and compare its view with the
 * host's. It is the lab's instrument, not an exercise, and it is linked
 * statically so it runs inside a rootfs that has no C library.
 *
 *   probe               every section
 *   probe SECTION...    only these: id ns caps cgroup limits mounts net procs
 *
 * Keys (one per line; repeated keys are listed in order):
 *   pid ppid uid gid euid egid groups hostname cwd oom_score_adj
 *   uid_map gid_map setgroups           maps joined with ',' ("0 1000 1")
 *   ns.TYPE                             inode of /proc/self/ns/TYPE
 *   CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp NSpid
 *   cgroup                              a line of /proc/self/cgroup
 *   cgroup.mode                         v2 | v1 | hybrid | none
 *   cgroup.memory.max cgroup.pids.max cgroup.cpu.max   ("max" = no limit)
 *   rlimit.NAME                         soft:hard ("unlimited" spelled out)
 *   mount                               TARGET FSTYPE SOURCE OPTIONS
 *   netif                               NAME up|down ADDRESS/PREFIX...
 *   procs                               the PIDs this process can see
 *
 * Read: proc(5) (status, mountinfo, cgroup, ns), getifaddrs(3),
 * getrlimit(2), cgroups(7).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static char *read_small_file(const char *path)
{
	static char buffer[65536];
	FILE *file = fopen(path, "re");
	if (!file)
		return NULL;
	size_t n = fread(buffer, 1, sizeof buffer - 1, file);
	fclose(file);
	buffer[n] = '\0';
	return buffer;
}

/* Print a file's lines joined by ',' with runs of blanks squeezed. */
static void print_joined(const char *key, const char *path)
{
	char *text = read_small_file(path);
	if (!text)
		return;
	printf("%s=", key);
	int pending_space = 0, first_line = 1, line_started = 0;
	for (char *p = text; *p; p++) {
		if (*p == '\n') {
			first_line = 0;
			line_started = 0;
			pending_space = 0;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			pending_space = line_started;
			continue;
		}
		if (!line_started && !first_line)
			putchar(',');
		if (pending_space)
			putchar(' ');
		pending_space = 0;
		line_started = 1;
		putchar(*p);
	}
	putchar('\n');
}

static void section_id(void)
{
	char hostname[256] = "";
	char cwd[PATH_MAX] = "";

	printf("pid=%d\nppid=%d\n", getpid(), getppid());
	printf("uid=%d\ngid=%d\neuid=%d\negid=%d\n", getuid(), getgid(), geteuid(), getegid());
	gid_t groups[256];
	int count = getgroups(256, groups);
	printf("groups=");
	for (int i = 0; i < count; i++)
		printf("%s%d", i ? "," : "", groups[i]);
	putchar('\n');
	gethostname(hostname, sizeof hostname - 1);
	printf("hostname=%s\n", hostname);
	if (getcwd(cwd, sizeof cwd))
		printf("cwd=%s\n", cwd);
	print_joined("uid_map", "/proc/self/uid_map");
	print_joined("gid_map", "/proc/self/gid_map");
	print_joined("setgroups", "/proc/self/setgroups");
	print_joined("oom_score_adj", "/proc/self/oom_score_adj");
}

static void section_ns(void)
{
	static const char *types[] = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
				      "time", "time_for_children", "user", "uts"};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof path, "/proc/self/ns/%s", types[i]);
		if (stat(path, &st) == 0)
			printf("ns.%s=%lu\n", types[i], (unsigned long)st.st_ino);
	}
}

static void section_caps(void)
{
	static const char *keys[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
				     "NoNewPrivs", "Seccomp", "NSpid"};
	char *text = read_small_file("/proc/self/status");
	if (!text)
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			size_t len = strlen(keys[i]);
			if (strncmp(line, keys[i], len) == 0 && line[len] == ':') {
				char *value = line + len + 1;
				while (isspace((unsigned char)*value))
					value++;
				for (char *p = value; *p; p++)
					if (*p == '\t')
						*p = ' ';
				printf("%s=%s\n", keys[i], value);
			}
		}
	}
}

static const char *cgroup_mode(void)
{
	struct statfs fs;
	if (statfs("/sys/fs/cgroup", &fs) != 0)
		return "none";
	if (fs.f_type == CGROUP2_SUPER_MAGIC)
		return "v2";
	if (statfs("/sys/fs/cgroup/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
		return "hybrid";
	struct stat st;
	if (stat("/sys/fs/cgroup/memory", &st) == 0 || stat("/sys/fs/cgroup/pids", &st) == 0)
		return "v1";
	return "none";
}

static void section_cgroup(void)
{
	char *text = read_small_file("/proc/self/cgroup");
	if (!text)
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		printf("cgroup=%s\n", line);
	printf("cgroup.mode=%s\n", cgroup_mode());
}

/* The path of this process's cgroup in a hierarchy: the third field of
 * the /proc/self/cgroup line whose controller list matches. */
static int own_cgroup_path(const char *controller, char *out, size_t size)
{
	char *text = read_small_file("/proc/self/cgroup");
	if (!text)
		return -1;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *first = strchr(line, ':');
		char *second = first ? strchr(first + 1, ':') : NULL;
		if (!second)
			continue;
		*second = '\0';
		const char *controllers = first + 1;
		int match = controller ? 0 : (*controllers == '\0');
		if (controller) {
			char list[256];
			snprintf(list, sizeof list, ",%s,", controllers);
			char wanted[64];
			snprintf(wanted, sizeof wanted, ",%s,", controller);
			match = strstr(list, wanted) != NULL;
		}
		if (match) {
			snprintf(out, size, "%s", second + 1);
			return 0;
		}
	}
	return -1;
}

static void print_limit(const char *key, const char *path)
{
	char *text = read_small_file(path);
	if (!text)
		return;
	text[strcspn(text, "\n")] = '\0';
	printf("%s=%s\n", key, text);
}

/* A v1 controller file of this process's cgroup. Inside a container the
 * hierarchy may be mounted at its own cgroup (crun, minirun bind it
 * there), so fall back to the top of the controller's mount. */
static char *read_v1_file(const char *controller, const char *file)
{
	char own[PATH_MAX], path[PATH_MAX + 128];
	if (own_cgroup_path(controller, own, sizeof own) == 0) {
		snprintf(path, sizeof path, "/sys/fs/cgroup/%s%s/%s", controller,
			 strcmp(own, "/") == 0 ? "" : own, file);
		char *text = read_small_file(path);
		if (text)
			return text;
	}
	snprintf(path, sizeof path, "/sys/fs/cgroup/%s/%s", controller, file);
	return read_small_file(path);
}

static void section_limits(void)
{
	char own[PATH_MAX], path[PATH_MAX + 64];
	const char *mode = cgroup_mode();

	if (strcmp(mode, "v2") == 0 && own_cgroup_path(NULL, own, sizeof own) == 0) {
		/* Inside a cgroup namespace the path is relative to its root,
		 * which is what is mounted at /sys/fs/cgroup. */
		static const char *files[] = {"memory.max", "pids.max", "cpu.max"};
		for (size_t i = 0; i < 3; i++) {
			snprintf(path, sizeof path, "/sys/fs/cgroup%s/%s",
				 strcmp(own, "/") == 0 ? "" : own, files[i]);
			char key[64];
			snprintf(key, sizeof key, "cgroup.%s", files[i]);
			print_limit(key, path);
		}
	} else if (strcmp(mode, "none") != 0) {
		char *text = read_v1_file("memory", "memory.limit_in_bytes");
		if (text) {
			unsigned long long bytes = strtoull(text, NULL, 10);
			/* v1 spells "no limit" as a huge page-aligned number. */
			if (bytes >= (1ULL << 62))
				printf("cgroup.memory.max=max\n");
			else
				printf("cgroup.memory.max=%llu\n", bytes);
		}
		text = read_v1_file("pids", "pids.max");
		if (text)
			printf("cgroup.pids.max=%.*s\n", (int)strcspn(text, "\n"), text);
		text = read_v1_file("cpu", "cpu.cfs_quota_us");
		if (text) {
			char quota[64];
			snprintf(quota, sizeof quota, "%.*s", (int)strcspn(text, "\n"), text);
			text = read_v1_file("cpu", "cpu.cfs_period_us");
			if (text)
				printf("cgroup.cpu.max=%s %.*s\n", strcmp(quota, "-1") == 0 ? "max" : quota,
				       (int)strcspn(text, "\n"), text);
		}
	}

	static const struct {
		const char *name;
		int resource;
	} rlimits[] = {{"NOFILE", RLIMIT_NOFILE}, {"NPROC", RLIMIT_NPROC}, {"CORE", RLIMIT_CORE},
		       {"AS", RLIMIT_AS}, {"STACK", RLIMIT_STACK}};
	for (size_t i = 0; i < sizeof rlimits / sizeof rlimits[0]; i++) {
		struct rlimit limit;
		if (getrlimit(rlimits[i].resource, &limit) != 0)
			continue;
		printf("rlimit.%s=", rlimits[i].name);
		if (limit.rlim_cur == RLIM_INFINITY)
			printf("unlimited:");
		else
			printf("%llu:", (unsigned long long)limit.rlim_cur);
		if (limit.rlim_max == RLIM_INFINITY)
			printf("unlimited\n");
		else
			printf("%llu\n", (unsigned long long)limit.rlim_max);
	}
}

static void section_mounts(void)
{
	char *text = read_small_file("/proc/self/mountinfo");
	if (!text)
		return;
	/* mountinfo: ID PARENT MAJ:MIN ROOT TARGET OPTIONS [TAGS] - FSTYPE SOURCE SUPER */
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *fields[32];
		int count = 0;
		for (char *save, *f = strtok_r(line, " ", &save); f && count < 32;
		     f = strtok_r(NULL, " ", &save))
			fields[count++] = f;
		int dash = -1;
		for (int i = 6; i < count; i++)
			if (strcmp(fields[i], "-") == 0) {
				dash = i;
				break;
			}
		if (count < 6 || dash < 0 || dash + 3 > count)
			continue;
		printf("mount=%s %s %s %s\n", fields[4], fields[dash + 1], fields[dash + 2],
		       fields[5]);
	}
}

static void section_net(void)
{
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0)
		return;
	/* One line per interface: its state, then every IPv4/IPv6 address. */
	char names[64][IF_NAMESIZE];
	int count = 0;
	for (struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
		int seen = 0;
		for (int i = 0; i < count; i++)
			if (strcmp(names[i], ifa->ifa_name) == 0)
				seen = 1;
		if (!seen && count < 64)
			snprintf(names[count++], IF_NAMESIZE, "%s", ifa->ifa_name);
	}
	for (int i = 0; i < count; i++) {
		unsigned flags = 0;
		char addresses[1024] = "";
		for (struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
			if (strcmp(ifa->ifa_name, names[i]) != 0)
				continue;
			flags |= ifa->ifa_flags;
			if (!ifa->ifa_addr)
				continue;
			int family = ifa->ifa_addr->sa_family;
			if (family != AF_INET && family != AF_INET6)
				continue;
			char text[INET6_ADDRSTRLEN] = "";
			int prefix = 0;
			if (family == AF_INET) {
				inet_ntop(AF_INET, &((struct sockaddr_in *)ifa->ifa_addr)->sin_addr,
					  text, sizeof text);
				if (ifa->ifa_netmask) {
					uint32_t mask = ntohl(
						((struct sockaddr_in *)ifa->ifa_netmask)->sin_addr.s_addr);
					prefix = __builtin_popcount(mask);
				}
			} else {
				inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr,
					  text, sizeof text);
				if (ifa->ifa_netmask)
					for (int b = 0; b < 16; b++)
						prefix += __builtin_popcount(
							((struct sockaddr_in6 *)ifa->ifa_netmask)
								->sin6_addr.s6_addr[b]);
			}
			size_t used = strlen(addresses);
			snprintf(addresses + used, sizeof addresses - used, " %s/%d", text, prefix);
		}
		printf("netif=%s %s%s\n", names[i], (flags & IFF_UP) ? "up" : "down", addresses);
	}
	freeifaddrs(list);
}

static void section_procs(void)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return;
	int pids[4096], count = 0;
	struct dirent *entry;
	while ((entry = readdir(proc)) && count < 4096) {
		char *end;
		long pid = strtol(entry->d_name, &end, 10);
		if (*end == '\0' && pid > 0)
			pids[count++] = (int)pid;
	}
	closedir(proc);
	/* Sort so the line is stable. */
	for (int i = 1; i < count; i++)
		for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--) {
			int t = pids[j];
			pids[j] = pids[j - 1];
			pids[j - 1] = t;
		}
	printf("procs=");
	for (int i = 0; i < count; i++)
		printf("%s%d", i ? " " : "", pids[i]);
	putchar('\n');
}

static const struct {
	const char *name;
	void (*print)(void);
} sections[] = {
	{"id", section_id},	    {"ns", section_ns},		{"caps", section_caps},
	{"cgroup", section_cgroup}, {"limits", section_limits}, {"mounts", section_mounts},
	{"net", section_net},	    {"procs", section_procs},
};

int main(int argc, char **argv)
{
	size_t n = sizeof sections / sizeof sections[0];
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: probe [SECTION...]\nsections:");
		for (size_t i = 0; i < n; i++)
			printf(" %s", sections[i].name);
		printf("\n");
		return 0;
	}
	if (argc == 1) {
		for (size_t i = 0; i < n; i++)
			sections[i].print();
		return 0;
	}
	for (int a = 1; a < argc; a++) {
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(argv[a], sections[i].name) == 0)
				break;
		if (i == n) {
			fprintf(stderr, "probe: unknown section '%s' (try --help)\n", argv[a]);
			return 2;
		}
		sections[i].print();
	}
	return 0;
}
