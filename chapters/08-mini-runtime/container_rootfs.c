/* container_rootfs.c: the steps the container's first process takes to
 * build its world from config.json: mounts, /dev, masked and read-only
 * paths, process attributes (chapter 08). Not an exercise: exercise 08.1
 * puts these steps, and chapter 01's, in the right order.
 *
 * Hardened against a rootfs that plants symlinks: every destination is
 * resolved inside the root (safe_path.h: openat2 RESOLVE_IN_ROOT) and
 * mounted on through its descriptor, never joined to the root as a
 * string.
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
#include "container_paths.h"
#include "safe_path.h"
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
#include <sys/sysmacros.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <linux/magic.h>
#include <sys/un.h>
#include <unistd.h>

/* The flags a remount must keep: a remount without nosuid on a nosuid
 * mount is refused in a user namespace, and would weaken it otherwise. */
static unsigned long mount_flags_of(const char *path)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return 0;
	unsigned long flags = safe_path_mount_flags(fd);
	close(fd);
	return flags;
}

/* One hierarchy of a v1 (or hybrid) host in the container's cgroup
 * tmpfs at target/name: with a cgroup namespace a fresh mount of it
 * (rooted by the namespace at the container's cgroup); without one (or
 * where the mount is refused: a user namespace) a bind of the
 * container's own directory of it: path, that cgroup as
 * /proc/self/cgroup shows it, below host_mount, where the host has the
 * hierarchy mounted. */
static int mount_cgroup_hierarchy(const struct oci_mount *entry, const char *target,
				  const char *name, const char *controllers, const char *path,
				  const char *host_mount, bool cgroup_namespace)
{
	char where[PATH_MAX], source[PATH_MAX], options[256];
	unsigned long flags = (entry->flags & ~(MS_REMOUNT | MS_BIND | MS_REC)) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	bool unified = controllers[0] == '\0';

	if (snprintf(where, sizeof where, "%s/%s", target, name) >= (int)sizeof where ||
	    snprintf(source, sizeof source, "%s%s", host_mount, path) >= (int)sizeof source)
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
 * runtime attached this process to its cgroup before releasing it) and
 * the host has mounted (where, the mount table says: chapter 05's
 * cgroup_find_mount), links for joined names ("cpu" -> "cpu,cpuacct"),
 * and on a hybrid host the cgroup2 mount at "unified" when it holds
 * controllers. */
static int mount_cgroup_v1_hierarchies(const struct oci_config *config, const struct oci_mount *entry,
				       const char *target, char *text, bool cgroup_namespace);

static int mount_cgroup_v1(const struct oci_config *config, const struct oci_mount *entry,
			   int root_fd, int target_fd)
{
	char target[SAFE_PATH_FD_PATH_MAX];
	char text[8192];
	bool cgroup_namespace = (config->clone_flags & CLONE_NEWCGROUP) ||
				oci_config_namespace(config, "cgroup") != NULL;
	unsigned long tmpfs_flags = (entry->flags & ~(MS_REMOUNT | MS_RDONLY | MS_BIND | MS_REC)) |
				    MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (read_file("/proc/self/cgroup", text, sizeof text) < 0)
		return -1;
	if (safe_path_mount("tmpfs", target_fd, entry->destination, "tmpfs", tmpfs_flags,
			    "mode=755,size=1m") != 0)
		return -1;
	/* Below here everything is in the tmpfs just made, which no image
	 * wrote: reached through a descriptor of it (the one of the mount
	 * point still holds the covered directory). */
	int tmpfs_fd = safe_path_open(root_fd, entry->destination, O_PATH | O_DIRECTORY);
	if (tmpfs_fd < 0)
		return fail_errno("open %s in the container's root", entry->destination);
	if (safe_path_check_fs_type(tmpfs_fd, TMPFS_MAGIC, entry->destination) != 0) {
		close(tmpfs_fd);
		return -1;
	}
	safe_path_fd_path(tmpfs_fd, target, sizeof target);
	int result = mount_cgroup_v1_hierarchies(config, entry, target, text, cgroup_namespace);
	close(tmpfs_fd);
	return result;
}

static int mount_cgroup_v1_hierarchies(const struct oci_config *config, const struct oci_mount *entry,
				       const char *target, char *text, bool cgroup_namespace)
{
	(void)config;
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
		/* A hierarchy can exist without being mounted (unmounted
		 * while it still held cgroups): the host itself cannot see
		 * it, so neither does the container. */
		char host_mount[PATH_MAX];
		int mounted = cgroup_find_mount(controllers, host_mount, sizeof host_mount);
		if (mounted < 0)
			return -1;
		if (mounted == 0)
			continue;
		if (controllers[0] == '\0') {
			/* The v2 hierarchy of a hybrid host: only where it
			 * holds controllers is it part of the picture. */
			char file[PATH_MAX + 32], holds[256] = "";
			snprintf(file, sizeof file, "%s/cgroup.controllers", host_mount);
			if (read_file(file, holds, sizeof holds) <= 0 || holds[0] == '\n' || holds[0] == '\0')
				continue;
			name = "unified";
		}
		if (mount_cgroup_hierarchy(entry, target, name, controllers, path, host_mount,
					   cgroup_namespace) != 0)
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

/* Reopen destination inside the root after something was mounted on it:
 * the mount point's descriptor still holds the covered file, and a
 * remount must reach the new mount on top. Replaces *fd. */
static int reopen_mounted(int root_fd, const char *destination, int *fd, char *target, size_t size)
{
	close(*fd);
	*fd = safe_path_open(root_fd, destination, O_PATH);
	if (*fd < 0)
		return fail_errno("open %s in the container's root", destination);
	safe_path_fd_path(*fd, target, size);
	return 0;
}

static int mount_one_at(const struct oci_config *config, int root_fd, const struct oci_mount *entry,
			bool debug, int *target_fd_holder)
{
	char target[SAFE_PATH_FD_PATH_MAX];
	struct stat source_info;

	/* The mount point, resolved (and made) inside the root: a symlink
	 * the image planted at /proc or /mnt/x leads somewhere inside it,
	 * never onto the host. Everything below works on the descriptor
	 * (/proc/self/fd/N), so a link swapped in meanwhile changes nothing. */
	bool source_is_file = entry->is_bind && stat(entry->source, &source_info) == 0 &&
			      !S_ISDIR(source_info.st_mode);
	int target_fd = source_is_file ? safe_path_create_file(root_fd, entry->destination, 0644)
				       : safe_path_mkdir_all(root_fd, entry->destination, 0755);
	if (target_fd < 0)
		return -1;
	*target_fd_holder = target_fd;
	safe_path_fd_path(target_fd, target, sizeof target);

	if (entry->is_bind) {
		/* A bind mount ignores every flag but MS_REC: the others
		 * (ro, nosuid, ...) take a second, remounting call. */
		if (mount(entry->source, target, NULL, MS_BIND | (entry->flags & MS_REC), NULL) != 0)
			return fail_errno("bind-mount %s on %s", entry->source, entry->destination);
		unsigned long extra = entry->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
		if (extra != 0 &&
		    reopen_mounted(root_fd, entry->destination, target_fd_holder, target, sizeof target) != 0)
			return -1;
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
		/* Masked paths go over it and sysctls are written into it: it
		 * must be a procfs (runc's CVE-2019-16884). */
		if (container_mounted_fs_check(root_fd, entry->destination, PROC_SUPER_MAGIC) != 0)
			return -1;
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
			if (mount_cgroup_v1(config, entry, root_fd, target_fd) != 0)
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
		const char *data = entry->data;
		char labeled[4096 + 4200];
		/* linux.mountLabel: the SELinux context of the files of the
		 * filesystems made for the container (as runc does for these). */
		if (config->mount_label != NULL && container_selinux_enabled() &&
		    (strcmp(entry->type, "tmpfs") == 0 || strcmp(entry->type, "devpts") == 0 ||
		     strcmp(entry->type, "mqueue") == 0)) {
			if (snprintf(labeled, sizeof labeled, "%s%scontext=\"%s\"", data, data[0] ? "," : "",
				     config->mount_label) >= (int)sizeof labeled)
				return fail_msg("mounts: the options of %s are too long with linux.mountLabel",
						entry->destination);
			data = labeled;
		}
		if (mount(source, target, entry->type, entry->flags & ~MS_REMOUNT,
			  data[0] ? data : NULL) != 0)
			return fail_errno("mount %s on %s", entry->type, entry->destination);
		if (strcmp(entry->type, "sysfs") == 0 &&
		    container_mounted_fs_check(root_fd, entry->destination, SYSFS_MAGIC) != 0)
			return -1;
	}
	if (entry->propagation != 0 &&
	    reopen_mounted(root_fd, entry->destination, target_fd_holder, target, sizeof target) != 0)
		return -1;
	if (entry->propagation != 0 && mount(NULL, target, NULL, entry->propagation, NULL) != 0)
		return fail_errno("set propagation of %s", entry->destination);
	return 0;
}

static int mount_one(const struct oci_config *config, int root_fd, const struct oci_mount *entry,
		     bool debug)
{
	int target_fd = -1;
	int result = mount_one_at(config, root_fd, entry, debug, &target_fd);

	if (target_fd >= 0)
		close(target_fd);
	return result;
}

// tag::mounts-apply[]
int container_mounts_apply(const struct oci_config *config, bool debug)
{
	/* Every destination is resolved from this descriptor of the root. */
	int root_fd = open(config->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return fail_errno("open %s", config->root_path);
	/* In the order of config.json: /dev/pts needs /dev first. */
	int result = 0;
	for (size_t i = 0; i < config->mount_count && result == 0; i++)
		result = mount_one(config, root_fd, &config->mounts[i], debug);
	close(root_fd);
	return result;
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
	char host_path[64], source[SAFE_PATH_FD_PATH_MAX];
	int root_fd, dev_fd = -1, result = -1;

	if (!dev_is_fresh_tmpfs(config))
		return 0;
	root_fd = open(config->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return fail_errno("open %s", config->root_path);
	/* The container's /dev, resolved inside the root, must be the fresh
	 * tmpfs just mounted: nothing of the image's is trusted there. */
	dev_fd = safe_path_open(root_fd, "/dev", O_PATH | O_DIRECTORY);
	if (dev_fd < 0) {
		fail_errno("open /dev in the container's root");
		goto out;
	}
	if (safe_path_check_fs_type(dev_fd, TMPFS_MAGIC, "/dev in the container") != 0)
		goto out;
	/* Bind the host's device nodes rather than mknod new ones: it works
	 * in a user namespace too, where mknod is refused. Done before
	 * pivot_root, while the host's /dev is still reachable. Each host
	 * node is checked to be a character device (null: 1:3) first. */
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		snprintf(host_path, sizeof host_path, "/dev/%s", devices[i]);
		int host_fd = open(host_path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (host_fd < 0) {
			fail_errno("open the host's %s", host_path);
			goto out;
		}
		struct stat info;
		if (fstat(host_fd, &info) != 0 || !S_ISCHR(info.st_mode)) {
			fail_msg("the host's %s is not a character device", host_path);
			close(host_fd);
			goto out;
		}
		if (strcmp(devices[i], "null") == 0 && safe_path_check_dev_null(host_fd, host_path) != 0) {
			close(host_fd);
			goto out;
		}
		int target_fd = safe_path_create_file(dev_fd, devices[i], 0666);
		if (target_fd < 0) {
			close(host_fd);
			goto out;
		}
		safe_path_fd_path(host_fd, source, sizeof source);
		int mounted = safe_path_mount(source, target_fd, host_path, NULL, MS_BIND, NULL);
		close(target_fd);
		close(host_fd);
		if (mounted != 0)
			goto out;
	}
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (symlinkat(links[i].target, dev_fd, links[i].name) != 0 && errno != EEXIST) {
			fail_errno("symlink /dev/%s in the container", links[i].name);
			goto out;
		}
	result = 0;
out:
	if (dev_fd >= 0)
		close(dev_fd);
	close(root_fd);
	return result;
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
	/* Into the container's procfs, never into files an image put at
	 * /proc/sys (a fake would swallow the writes). */
	int sys_fd = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sys_fd < 0)
		return fail_errno("open /proc/sys for linux.sysctl");
	int checked = safe_path_check_fs_type(sys_fd, PROC_SUPER_MAGIC, "/proc/sys");
	close(sys_fd);
	if (checked != 0)
		return -1;
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
	/* oomScoreAdj is the runtime's to write, from outside
	 * (container_oom_score_adj_set). */
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
	if (setsid() < 0) {
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

// tag::session[]
int container_session_start(void)
{
	/* Without a terminal of its own the process would stay in the
	 * caller's session, with the caller's terminal as its controlling
	 * terminal: ioctl(TIOCSTI) on it pushes characters into the input
	 * of the caller's shell, which reads and runs them once the
	 * container is gone. A session of its own has no controlling
	 * terminal, and TIOCSTI on the caller's is refused (EPERM). */
	if (setsid() < 0)
		return fail_errno("setsid (a session of its own for the container's process)");
	return 0;
}
// end::session[]

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
// tag::devices[]
/* Set owner and mode of the node node_fd (an O_PATH descriptor) if it is
 * still a node of this type and number; errno ENXIO if it is anything
 * else. chown through AT_EMPTY_PATH, chmod through the descriptor's
 * /proc/self/fd link (fchmod refuses O_PATH descriptors): neither
 * resolves a name in the root again. */
static int device_node_set_owner_and_mode(int node_fd, mode_t type, dev_t number,
					  const struct oci_device *device, mode_t mode)
{
	struct stat info;
	char link[64];

	if (fstat(node_fd, &info) != 0)
		return -1;
	if ((info.st_mode & S_IFMT) != type || (type != S_IFIFO && info.st_rdev != number)) {
		errno = ENXIO;
		return -1;
	}
	if (fchownat(node_fd, "", device->uid, device->gid, AT_EMPTY_PATH) != 0)
		return -1;
	snprintf(link, sizeof link, "/proc/self/fd/%d", node_fd);
	return chmod(link, mode);
}

/* linux.devices: make each node in the container's root (before
 * pivot_root), every path resolved inside the root. mknod(2) needs
 * CAP_MKNOD in the initial user namespace: refused in a user namespace. */
int container_devices_create(const struct oci_config *config)
{
	char parent[PATH_MAX];
	int root_fd, result = -1;

	if (config->device_count == 0)
		return 0;
	root_fd = open(config->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return fail_errno("open %s", config->root_path);
	for (size_t i = 0; i < config->device_count; i++) {
		const struct oci_device *device = &config->devices[i];
		mode_t type = device->type == 'b' ? S_IFBLK : device->type == 'p' ? S_IFIFO : S_IFCHR;
		dev_t number = makedev((unsigned)device->major, (unsigned)device->minor);
		mode_t mode = device->has_file_mode ? (mode_t)device->file_mode : 0666;

		snprintf(parent, sizeof parent, "%s", device->path);
		char *slash = strrchr(parent, '/');
		const char *name = device->path + (slash - parent) + 1;
		if (*name == '\0') {
			fail_msg("config.json: linux.devices[%zu].path: %s names a directory", i, device->path);
			goto out;
		}
		*slash = '\0';
		int dir_fd = safe_path_mkdir_all(root_fd, parent[0] ? parent : "/", 0755);
		if (dir_fd < 0)
			goto out;
		if (mknodat(dir_fd, name, type | (mode & 07777), number) != 0) {
			struct stat existing;
			/* Already there (the default /dev/null listed again) is
			 * fine if it is the same node; anything else is refused. */
			if (errno != EEXIST || fstatat(dir_fd, name, &existing, AT_SYMLINK_NOFOLLOW) != 0 ||
			    (existing.st_mode & S_IFMT) != type || (type != S_IFIFO && existing.st_rdev != number)) {
				if (errno == EEXIST)
					fail_msg("linux.devices[%zu]: %s exists in the container and is another file",
						 i, device->path);
				else
					fail_errno("linux.devices[%zu]: mknod %s", i, device->path);
				close(dir_fd);
				goto out;
			}
		}
		/* mknod's mode went through the umask: set it exactly, and the
		 * owner. Never by name: whoever shares the root directory
		 * could have swapped the node for a symlink to a host file by
		 * now. On a descriptor of what is there (O_PATH opens a device
		 * without calling its driver, O_NOFOLLOW a symlink itself),
		 * checked to be the node we want. */
		int node_fd = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(dir_fd);
		if (node_fd < 0) {
			fail_errno("linux.devices[%zu]: open %s", i, device->path);
			goto out;
		}
		if (device_node_set_owner_and_mode(node_fd, type, number, device, mode & 07777) != 0) {
			if (errno == ENXIO)
				fail_msg("linux.devices[%zu]: %s was replaced by another file after mknod: refused",
					 i, device->path);
			else
				fail_errno("linux.devices[%zu]: chown/chmod %s", i, device->path);
			close(node_fd);
			goto out;
		}
		close(node_fd);
	}
	result = 0;
out:
	close(root_fd);
	return result;
}
// end::devices[]

/* ---------------------------------------------------------------- no mount namespace */

/* The ID of the mount path is on (statx STATX_MNT_ID, Linux 5.8). */
static int mount_id_of(const char *path, long long *id)
{
	struct statx attributes;
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &attributes) != 0)
		return -1;
	if (!(attributes.stx_mask & STATX_MNT_ID)) {
		errno = ENOTSUP;
		return -1;
	}
	*id = (long long)attributes.stx_mnt_id;
	return 0;
}

// tag::host-root[]
int container_host_root_mount(const char *root, struct container_state *state)
{
	/* Recorded before it is made: a runtime killed right after the
	 * mount leaves a record that something may be there. */
	state->root_mount_id = CONTAINER_ROOT_MOUNT_PENDING;
	if (container_state_write(state) != 0)
		return -1;
	/* MS_REC: what the image already has mounted under its root stays
	 * visible in the copy; the originals are never touched. */
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) != 0) {
		fail_errno("bind-mount %s on itself (the container has no mount namespace)", root);
		state->root_mount_id = CONTAINER_ROOT_MOUNT_NONE; /* nothing was made */
		return -1;
	}
	long long id;
	if (mount_id_of(root, &id) != 0) {
		fail_errno("statx %s (its mount ID)", root);
		umount2(root, MNT_DETACH);
		state->root_mount_id = CONTAINER_ROOT_MOUNT_NONE;
		return -1;
	}
	state->root_mount_id = id;
	return container_state_write(state);
}

int container_host_root_unmount(struct container_state *state)
{
	long long id;

	if (state->root_mount_id == CONTAINER_ROOT_MOUNT_NONE)
		return 0;
	if (state->root_mount_id == CONTAINER_ROOT_MOUNT_PENDING) {
		warn_msg("%s: create stopped half-way through binding it on itself; not unmounted (cannot tell it is ours)",
			 state->rootfs);
		return 0;
	}
	if (mount_id_of(state->rootfs, &id) != 0 || id != state->root_mount_id) {
		warn_msg("%s: the mount there is not the one create made; left alone", state->rootfs);
		return 0;
	}
	/* Lazy: a process that still has a file open under it keeps its
	 * view; for everyone else the whole tree goes at once. */
	if (umount2(state->rootfs, MNT_DETACH) != 0)
		return fail_errno("unmount %s", state->rootfs);
	state->root_mount_id = CONTAINER_ROOT_MOUNT_NONE;
	return 0;
}
// end::host-root[]
