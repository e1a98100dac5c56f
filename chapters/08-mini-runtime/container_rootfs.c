/* container_rootfs.c: the steps the container's first process takes to
 * build its world from config.json: mounts, /dev, masked and read-only
 * paths, process attributes (chapter 08). Not an exercise: exercise 08.1
 * puts these steps, and chapter 01's, in the right order.
 *
 * Not yet hardened against a rootfs that plants symlinks: destinations
 * are joined to the root path as strings (issue 9 resolves them inside
 * the root with openat2(RESOLVE_IN_ROOT)).
 *
 * Masked and read-only paths, credentials and capabilities are chapter
 * 07's (security.h); the cgroup layout is chapter 05's (cgroup.h).
 *
 * Read: mount(2) (MS_BIND, MS_REMOUNT, propagation flags), statvfs(3),
 * setrlimit(2), proc(5) (oom_score_adj, /proc/sys), posix_openpt(3), pts(4),
 * netdevice(7) (SIOCSIFFLAGS), seccomp(2), seccomp_export_bpf(3),
 * unix(7) (SCM_RIGHTS), tty_ioctl(4) (TIOCSCTTY), setsid(2), the OCI
 * config.md "Mounts" and "Console", config-linux.md "Default Devices".
 */
#include "cgroup.h"
#include "container.h"
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <unistd.h>

/* mkdir -p, for a path whose every component we may create. */
static int make_directories(const char *path, mode_t mode)
{
	char partial[PATH_MAX];

	if (snprintf(partial, sizeof partial, "%s", path) >= (int)sizeof partial)
		return errno = ENAMETOOLONG, -1;
	for (char *slash = partial + 1; *slash; slash++) {
		if (*slash != '/')
			continue;
		*slash = '\0';
		if (mkdir(partial, mode) != 0 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	if (mkdir(partial, mode) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* A bind mount of a file needs a file to cover, not a directory. */
static int make_mount_point(const char *target, bool for_file)
{
	if (!for_file)
		return make_directories(target, 0755);
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", target);
	char *slash = strrchr(parent, '/');
	if (slash != NULL && slash != parent) {
		*slash = '\0';
		if (make_directories(parent, 0755) != 0)
			return -1;
	}
	int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && errno != EISDIR)
		return -1;
	if (fd >= 0)
		close(fd);
	return 0;
}

/* The flags a remount must keep: a remount without nosuid on a nosuid
 * mount is refused in a user namespace, and would weaken it otherwise. */
static unsigned long mount_flags_of(const char *path)
{
	struct statvfs info;
	unsigned long flags = 0;

	if (statvfs(path, &info) != 0)
		return 0;
	if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
	if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
	if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
	if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
	if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
	if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
	return flags;
}

/* One hierarchy of a v1 (or hybrid) host in the container's cgroup
 * tmpfs at target/name: with a cgroup namespace a fresh mount of it
 * (rooted by the namespace at the container's cgroup); without one (or
 * where the mount is refused: a user namespace) a bind of the
 * container's own directory of it, path being that cgroup as
 * /proc/self/cgroup shows it. */
static int mount_cgroup_hierarchy(const struct oci_mount *entry, const char *target,
				  const char *name, const char *controllers, const char *path,
				  bool cgroup_namespace)
{
	char where[PATH_MAX], source[PATH_MAX], options[256];
	unsigned long flags = (entry->flags & ~(MS_REMOUNT | MS_BIND | MS_REC)) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	bool unified = controllers[0] == '\0';

	if (snprintf(where, sizeof where, "%s/%s", target, name) >= (int)sizeof where ||
	    snprintf(source, sizeof source, "%s/%s%s", CGROUP_ROOT, name, path) >= (int)sizeof source)
		return fail_msg("cgroup mount %s/%s: path too long", entry->destination, name);
	if (mkdir(where, 0755) != 0 && errno != EEXIST)
		return fail_errno("mkdir %s/%s", entry->destination, name);
	if (strncmp(controllers, "name=", 5) == 0)
		snprintf(options, sizeof options, "none,%s", controllers);
	else
		snprintf(options, sizeof options, "%s", controllers);
	if (cgroup_namespace &&
	    mount("cgroup", where, unified ? "cgroup2" : "cgroup", flags, unified ? NULL : options) == 0)
		return 0;
	/* A bind takes its flags in a second, remounting call. */
	if (mount(source, where, NULL, MS_BIND | MS_REC, NULL) != 0)
		return fail_errno("bind-mount %s on %s/%s", source, entry->destination, name);
	if (mount(NULL, where, NULL, MS_REMOUNT | MS_BIND | flags, NULL) != 0)
		return fail_errno("remount %s/%s with its options", entry->destination, name);
	return 0;
}

/* The cgroup mount on a v1 or hybrid host: a tmpfs with a directory
 * per hierarchy the process is in (read from /proc/self/cgroup: the
 * runtime attached this process to its cgroup before releasing it),
 * links for joined names ("cpu" -> "cpu,cpuacct"), and on a hybrid
 * host the cgroup2 mount at "unified" when it holds controllers. */
static int mount_cgroup_v1(const struct oci_config *config, const struct oci_mount *entry,
			   const char *target)
{
	char text[8192];
	bool cgroup_namespace = (config->clone_flags & CLONE_NEWCGROUP) ||
				oci_config_namespace(config, "cgroup") != NULL;
	unsigned long tmpfs_flags = (entry->flags & ~(MS_REMOUNT | MS_RDONLY | MS_BIND | MS_REC)) |
				    MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (read_file("/proc/self/cgroup", text, sizeof text) < 0)
		return -1;
	if (mount("tmpfs", target, "tmpfs", tmpfs_flags, "mode=755,size=1m") != 0)
		return fail_errno("mount tmpfs on %s (cgroup v1)", entry->destination);
	char *saved = NULL;
	for (char *line = strtok_r(text, "\n", &saved); line != NULL; line = strtok_r(NULL, "\n", &saved)) {
		/* "4:cpu,cpuacct:/cfs/x", "1:name=systemd:/...", "0::/..." */
		char *controllers = strchr(line, ':');
		char *path = controllers != NULL ? strchr(controllers + 1, ':') : NULL;
		if (path == NULL)
			continue;
		*controllers++ = '\0';
		*path++ = '\0';
		const char *name = strncmp(controllers, "name=", 5) == 0 ? controllers + 5 : controllers;
		if (controllers[0] == '\0') {
			/* The v2 hierarchy of a hybrid host: only where it
			 * holds controllers is it part of the picture. */
			char holds[256] = "";
			if (read_file(CGROUP_ROOT "/unified/cgroup.controllers", holds, sizeof holds) <= 0 ||
			    holds[0] == '\n' || holds[0] == '\0')
				continue;
			name = "unified";
		}
		if (mount_cgroup_hierarchy(entry, target, name, controllers, path, cgroup_namespace) != 0)
			return -1;
		/* "cpu,cpuacct" is also reachable as cpu and cpuacct. */
		if (strchr(name, ',') != NULL) {
			char joined[256], link_path[PATH_MAX];
			snprintf(joined, sizeof joined, "%s", name);
			char *inner = NULL;
			for (char *one = strtok_r(joined, ",", &inner); one != NULL; one = strtok_r(NULL, ",", &inner)) {
				if (snprintf(link_path, sizeof link_path, "%s/%s", target, one) >=
				    (int)sizeof link_path)
					return fail_msg("symlink %s/%s: path too long", entry->destination, one);
				if (symlink(name, link_path) != 0 && errno != EEXIST)
					return fail_errno("symlink %s/%s", entry->destination, one);
			}
		}
	}
	/* The tmpfs itself stays writable, as crun leaves it: "ro" is for
	 * the hierarchies, where it matters. */
	return 0;
}

static int mount_one(const struct oci_config *config, const struct oci_mount *entry, bool debug)
{
	char target[PATH_MAX];
	struct stat source_info;

	if (snprintf(target, sizeof target, "%s%s", config->root_path, entry->destination) >=
	    (int)sizeof target)
		return fail_msg("mount on %s: path too long", entry->destination);
	bool source_is_file = entry->is_bind && stat(entry->source, &source_info) == 0 &&
			      !S_ISDIR(source_info.st_mode);
	if (make_mount_point(target, source_is_file) != 0)
		return fail_errno("make mount point %s", entry->destination);

	if (entry->is_bind) {
		/* A bind mount ignores every flag but MS_REC: the others
		 * (ro, nosuid, ...) take a second, remounting call. */
		if (mount(entry->source, target, NULL, MS_BIND | (entry->flags & MS_REC), NULL) != 0)
			return fail_errno("bind-mount %s on %s", entry->source, entry->destination);
		unsigned long extra = entry->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
		if (extra != 0 && mount(NULL, target, NULL,
					MS_REMOUNT | MS_BIND | extra | mount_flags_of(target), NULL) != 0)
			return fail_errno("remount %s with its options", entry->destination);
	} else if (strcmp(entry->type, "proc") == 0) {
		/* A fresh procfs: inside the new PID namespace it lists the
		 * container's processes only. With exactly the config's
		 * flags (as runc and crun do), not chapter 01's fixed
		 * nosuid,nodev,noexec: the masked and read-only paths under
		 * /proc inherit them. */
		if (mount("proc", target, "proc", entry->flags & ~MS_REMOUNT,
			  entry->data[0] ? entry->data : NULL) != 0)
			return fail_errno("mount proc on %s", entry->destination);
	} else if (strcmp(entry->type, "cgroup") == 0 || strcmp(entry->type, "cgroup2") == 0) {
		/* Chapter 05 knows the layout. On v2 one cgroup2 mount, which
		 * the cgroup namespace (made after the cgroup was joined)
		 * roots at the container's own cgroup. On v1 a tmpfs holding
		 * one mount per hierarchy, as runc and crun build it. */
		enum cgroup_mode mode;
		if (cgroup_detect_mode(&mode) != 0)
			return -1;
		if (mode != CGROUP_MODE_V2) {
			if (debug)
				fprintf(stderr, "minirun: debug: %s: a tmpfs of cgroup %s hierarchies\n",
					entry->destination, cgroup_mode_name(mode));
			if (mount_cgroup_v1(config, entry, target) != 0)
				return -1;
		} else if (mount("cgroup2", target, "cgroup2", entry->flags & ~MS_REMOUNT, NULL) != 0) {
			/* In a user namespace without a cgroup namespace of its
			 * own, a cgroup2 mount is refused: bind the host's. */
			if (errno != EPERM ||
			    mount(CGROUP_ROOT, target, NULL, MS_BIND | MS_REC, NULL) != 0)
				return fail_errno("mount cgroup2 on %s", entry->destination);
		}
	} else {
		const char *source = entry->source != NULL ? entry->source : entry->type;
		if (mount(source, target, entry->type, entry->flags & ~MS_REMOUNT,
			  entry->data[0] ? entry->data : NULL) != 0)
			return fail_errno("mount %s on %s", entry->type, entry->destination);
	}
	if (entry->propagation != 0 && mount(NULL, target, NULL, entry->propagation, NULL) != 0)
		return fail_errno("set propagation of %s", entry->destination);
	return 0;
}

// tag::mounts-apply[]
int container_mounts_apply(const struct oci_config *config, bool debug)
{
	/* In the order of config.json: /dev/pts needs /dev first. */
	for (size_t i = 0; i < config->mount_count; i++)
		if (mount_one(config, &config->mounts[i], debug) != 0)
			return -1;
	return 0;
}
// end::mounts-apply[]

static bool dev_is_fresh_tmpfs(const struct oci_config *config)
{
	for (size_t i = 0; i < config->mount_count; i++)
		if (strcmp(config->mounts[i].destination, "/dev") == 0 && config->mounts[i].type != NULL &&
		    strcmp(config->mounts[i].type, "tmpfs") == 0)
			return true;
	return false;
}

int container_dev_populate(const struct oci_config *config)
{
	static const char *devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
	static const struct {
		const char *name, *target;
	} links[] = {
		{"fd", "/proc/self/fd"},         {"stdin", "/proc/self/fd/0"},
		{"stdout", "/proc/self/fd/1"},   {"stderr", "/proc/self/fd/2"},
		{"ptmx", "pts/ptmx"},
	};
	char path[PATH_MAX], host_path[64];

	if (!dev_is_fresh_tmpfs(config))
		return 0;
	/* Bind the host's device nodes rather than mknod new ones: it works
	 * in a user namespace too, where mknod is refused. Done before
	 * pivot_root, while the host's /dev is still reachable. */
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		snprintf(path, sizeof path, "%s/dev/%s", config->root_path, devices[i]);
		snprintf(host_path, sizeof host_path, "/dev/%s", devices[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
		if (fd < 0)
			return fail_errno("create /dev/%s in the container", devices[i]);
		close(fd);
		if (mount(host_path, path, NULL, MS_BIND, NULL) != 0)
			return fail_errno("bind-mount %s into the container", host_path);
	}
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		snprintf(path, sizeof path, "%s/dev/%s", config->root_path, links[i].name);
		if (symlink(links[i].target, path) != 0 && errno != EEXIST)
			return fail_errno("symlink /dev/%s in the container", links[i].name);
	}
	return 0;
}

int container_root_make_readonly(const struct oci_config *config)
{
	if (!config->root_readonly)
		return 0;
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | mount_flags_of("/"), NULL) != 0)
		return fail_errno("remount / read-only");
	return 0;
}

int container_sysctl_apply(const struct oci_config *config)
{
	const char *key;
	json_t *value;
	char path[PATH_MAX];

	if (config->sysctl == NULL)
		return 0;
	/* "net.ipv4.ip_forward" is /proc/sys/net/ipv4/ip_forward, of the
	 * container's /proc: its namespaces' values (the parser let only
	 * namespaced keys through). */
	json_object_foreach(config->sysctl, key, value) {
		if (snprintf(path, sizeof path, "/proc/sys/%s", key) >= (int)sizeof path)
			return fail_msg("sysctl %s: name too long", key);
		for (char *dot = path + strlen("/proc/sys/"); *dot; dot++)
			if (*dot == '.')
				*dot = '/';
		if (write_file(path, json_string_value(value)) != 0)
			return -1; /* it said which file */
	}
	return 0;
}

int container_root_propagation_apply(const struct oci_config *config)
{
	if (config->rootfs_propagation == 0)
		return 0;
	if (mount(NULL, "/", NULL, config->rootfs_propagation, NULL) != 0)
		return fail_errno("set the propagation of / (linux.rootfsPropagation)");
	return 0;
}

int container_process_attributes_apply(const struct oci_process *process)
{
	char text[32];

	if (process->has_oom_score_adj) {
		snprintf(text, sizeof text, "%d", process->oom_score_adj);
		if (write_file("/proc/self/oom_score_adj", text) != 0)
			return -1;
	}
	for (size_t i = 0; i < process->rlimit_count; i++) {
		const struct oci_rlimit *limit = &process->rlimits[i];
		struct rlimit value = {(rlim_t)limit->soft, (rlim_t)limit->hard}, current;
		if (setrlimit(limit->resource, &value) == 0)
			continue;
		/* Raising a hard limit needs CAP_SYS_RESOURCE, which some
		 * hosts keep out of even root's bounding set. */
		if (errno == EPERM && getrlimit(limit->resource, &current) == 0 &&
		    value.rlim_max > current.rlim_max)
			return fail_msg("setrlimit %s: hard limit %llu is above the current %llu, and raising it needs CAP_SYS_RESOURCE, which this process lacks",
					limit->name, (unsigned long long)limit->hard,
					(unsigned long long)current.rlim_max);
		return fail_errno("setrlimit %s", limit->name);
	}
	return 0;
}

int container_find_program(const struct oci_process *process, char *path, size_t size)
{
	const char *program = process->args[0];
	const char *search = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	struct stat info;

	if (strchr(program, '/') != NULL) {
		snprintf(path, size, "%s", program);
		if (stat(path, &info) != 0)
			return fail_errno("exec %s", program);
		if (!S_ISREG(info.st_mode) || access(path, X_OK) != 0)
			return errno = EACCES, fail_errno("exec %s", program);
		return 0;
	}
	/* The container's PATH, not ours: it is the container's files. */
	for (char **entry = process->env; *entry != NULL; entry++)
		if (strncmp(*entry, "PATH=", 5) == 0)
			search = *entry + 5;
	const char *start = search;
	while (true) {
		const char *end = strchrnul(start, ':');
		int length = (int)(end - start);
		snprintf(path, size, "%.*s%s%s", length, start, length ? "/" : "", program);
		if (stat(path, &info) == 0 && S_ISREG(info.st_mode) && access(path, X_OK) == 0)
			return 0;
		if (*end == '\0')
			break;
		start = end + 1;
	}
	errno = ENOENT;
	return fail_errno("exec %s: not found in PATH %s", program, search);
}

int container_loopback_up(void)
{
	struct ifreq request = {0};

	/* ioctl(SIOCSIFFLAGS) on any socket of the namespace: the classic
	 * interface of ifconfig, enough for one flag on one link. */
	int socket_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (socket_fd < 0)
		return fail_errno("socket (to bring lo up)");
	snprintf(request.ifr_name, sizeof request.ifr_name, "lo");
	if (ioctl(socket_fd, SIOCGIFFLAGS, &request) != 0) {
		fail_errno("read the flags of lo");
		close(socket_fd);
		return -1;
	}
	request.ifr_flags |= IFF_UP;
	if (ioctl(socket_fd, SIOCSIFFLAGS, &request) != 0) {
		fail_errno("bring lo up");
		close(socket_fd);
		return -1;
	}
	close(socket_fd);
	return 0;
}

int container_console_connect(const char *path)
{
	struct sockaddr_un address = {.sun_family = AF_UNIX};

	if (strlen(path) >= sizeof address.sun_path)
		return fail_msg("console socket %s: path too long", path);
	strcpy(address.sun_path, path);
	int socket_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (socket_fd < 0)
		return fail_errno("console socket: socket");
	if (connect(socket_fd, (struct sockaddr *)&address, sizeof address) != 0) {
		fail_errno("connect to console socket %s", path);
		close(socket_fd);
		return -1;
	}
	return socket_fd;
}

// tag::terminal[]
int container_terminal_setup(int console_socket, bool bind_console)
{
	char slave_name[64];

	/* /dev/ptmx is the container's: a link to /dev/pts/ptmx of its own
	 * devpts (newinstance), so the pty exists only in the container. */
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0) {
		fail_errno("open a pseudo-terminal (/dev/ptmx)");
		close(console_socket);
		return -1;
	}
	if (grantpt(master) != 0 || unlockpt(master) != 0 ||
	    ptsname_r(master, slave_name, sizeof slave_name) != 0) {
		fail_errno("unlock the pseudo-terminal");
		goto fail;
	}
	int slave = open(slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0) {
		fail_errno("open %s", slave_name);
		goto fail;
	}
	/* The master goes to whoever listens on the socket (conmon): one
	 * byte of data (the pty's name) carrying the descriptor. */
	union {
		char buffer[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = {0};
	struct iovec data = {.iov_base = slave_name, .iov_len = strlen(slave_name)};
	struct msghdr message = {.msg_iov = &data, .msg_iovlen = 1,
				 .msg_control = control.buffer, .msg_controllen = sizeof control.buffer};
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(header), &master, sizeof(int));
	if (sendmsg(console_socket, &message, 0) < 0) {
		fail_errno("send the terminal over the console socket");
		close(slave);
		goto fail;
	}
	close(master);
	close(console_socket);
	/* The spec's /dev/console is the terminal too: the slave bound on
	 * it, as runc and crun do (a program that opens /dev/console, an
	 * init, writes to the same terminal). The first process only: an
	 * exec'd one shares the container's /dev. */
	if (bind_console) {
		int console = open("/dev/console", O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (console < 0) {
			close(slave);
			return fail_errno("create /dev/console");
		}
		close(console);
		if (mount(slave_name, "/dev/console", NULL, MS_BIND, NULL) != 0) {
			close(slave);
			return fail_errno("bind-mount %s on /dev/console", slave_name);
		}
	}
	/* A new session whose controlling terminal is the slave: ^C on the
	 * master side now signals this process's foreground group. */
	if (setsid() < 0 && errno != EPERM) {
		close(slave);
		return fail_errno("setsid");
	}
	if (ioctl(slave, TIOCSCTTY, 0) != 0) {
		close(slave);
		return fail_errno("make %s the controlling terminal", slave_name);
	}
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(slave, fd) < 0) {
			close(slave);
			return fail_errno("dup2 the terminal to %d", fd);
		}
	close(slave);
	return 0;
fail:
	close(master);
	close(console_socket);
	return -1;
}
// end::terminal[]

int container_seccomp_compile(scmp_filter_ctx filter, struct sock_fprog *program)
{
	*program = (struct sock_fprog){0};
	/* libseccomp writes the program to a descriptor (its 2.5 has no
	 * in-memory export): a memfd, read back whole. */
	int memory = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	if (memory < 0) {
		seccomp_release(filter);
		return fail_errno("memfd_create (seccomp program)");
	}
	int rc = seccomp_export_bpf(filter, memory);
	seccomp_release(filter);
	if (rc != 0) {
		errno = -rc;
		fail_errno("compile the seccomp filter to BPF");
		close(memory);
		return -1;
	}
	struct stat info;
	if (fstat(memory, &info) != 0 || info.st_size <= 0 ||
	    info.st_size % (off_t)sizeof(struct sock_filter) != 0 ||
	    info.st_size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS) {
		fail_msg("compile the seccomp filter to BPF: a program of %lld bytes",
			 (long long)info.st_size);
		close(memory);
		return -1;
	}
	program->filter = malloc((size_t)info.st_size);
	if (program->filter == NULL ||
	    pread(memory, program->filter, (size_t)info.st_size, 0) != info.st_size) {
		fail_errno("read the seccomp program back");
		free(program->filter);
		program->filter = NULL;
		close(memory);
		return -1;
	}
	close(memory);
	program->len = (unsigned short)(info.st_size / (off_t)sizeof(struct sock_filter));
	return 0;
}

int container_seccomp_install(const struct sock_fprog *program)
{
	/* seccomp(2) itself: one system call, nothing left to compute. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, program) == 0)
		return 0;
	if (errno == EACCES)
		return fail_errno("load the seccomp filter (needs no_new_privs or CAP_SYS_ADMIN)");
	return fail_errno("load the seccomp filter");
}

void container_seccomp_free(struct sock_fprog *program)
{
	free(program->filter);
	*program = (struct sock_fprog){0};
}

int container_close_inherited_fds(void)
{
	/* What the runtime opened is O_CLOEXEC (and its log must stay
	 * usable until execve); what it inherited (a client's pipes) is
	 * not, and a created container must not hold it while it waits. */
	DIR *directory = opendir("/proc/self/fd");
	if (directory == NULL) {
		/* A container without /proc: then all of them go at execve. */
		if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
			return fail_errno("close_range (mark descriptors close-on-exec)");
		return 0;
	}
	int own = dirfd(directory);
	struct dirent *entry;
	while ((entry = readdir(directory)) != NULL) {
		char *end;
		long fd = strtol(entry->d_name, &end, 10);
		if (*end != '\0' || end == entry->d_name || fd < 3 || fd == own)
			continue;
		int flags = fcntl((int)fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
			close((int)fd);
	}
	closedir(directory);
	return 0;
}
