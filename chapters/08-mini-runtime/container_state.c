/* container_state.c: the state directory ROOT/ID of a container, its
 * state.json, and the small checks every command needs (chapter 08).
 * Not an exercise. See container.h.
 *
 * Read: mkdir(2) (EEXIST), rename(2) (atomic replacement), proc(5)
 * (/proc/PID/stat), signal(7), the OCI runtime specification's "State".
 */
#include "container.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

// tag::id-grammar[]
int container_id_validate(const char *id)
{
	size_t length = strlen(id);

	/* The ID becomes a directory name under --root: anything that could
	 * climb out of it ("..", "/") or hide in a listing is refused before
	 * it gets near the file system. */
	if (length == 0)
		return fail_msg("container id: must not be empty");
	if (length > CONTAINER_ID_MAX)
		return fail_msg("container id: longer than %d characters", CONTAINER_ID_MAX);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return fail_msg("container id \"%s\": not allowed", id);
	if (!isalnum((unsigned char)id[0]) || !isascii((unsigned char)id[0]))
		return fail_msg("container id \"%.64s\": must start with a letter or a digit", id);
	for (size_t i = 1; i < length; i++) {
		unsigned char c = (unsigned char)id[i];
		if (!(isascii(c) && (isalnum(c) || c == '_' || c == '.' || c == '-')))
			return fail_msg("container id \"%.64s\": only letters, digits, '_', '.' and '-' are allowed",
					id);
	}
	return 0;
}
// end::id-grammar[]

// tag::state-dir-check[]
/* A directory of the state tree (the root, ROOT/ID) is trusted only if
 * no one else can change what is in it: owned by the user who runs
 * minirun (root, or the invoking user when rootless), writable by no
 * group and no other user, and not reached through a symlink (the
 * caller opened it O_NOFOLLOW). Whoever could write there could plant
 * a config.json whose hooks minirun runs as root. */
static int state_directory_check(int fd, const char *path)
{
	struct stat info;

	if (fstat(fd, &info) != 0)
		return fail_errno("stat %s", path);
	if (info.st_uid != geteuid())
		return fail_msg("state directory %s: owned by uid %u, not by uid %u who runs minirun: refused",
				path, (unsigned)info.st_uid, (unsigned)geteuid());
	if (info.st_mode & (S_IWGRP | S_IWOTH))
		return fail_msg("state directory %s: writable by group or others (mode %04o): refused",
				path, (unsigned)(info.st_mode & 07777));
	return 0;
}

/* Open a directory of the state tree (relative to at_fd, or AT_FDCWD)
 * without following a symlink, and check it. Returns the descriptor,
 * or -1 after one line (errno ENOENT kept when it does not exist). */
static int state_directory_open(int at_fd, const char *name, const char *path)
{
	int fd = openat(at_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		if (errno == ELOOP || errno == ENOTDIR)
			return fail_msg("state directory %s: not a directory (a symlink?): refused", path);
		return fail_errno("open %s", path);
	}
	if (state_directory_check(fd, path) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
// end::state-dir-check[]

int container_state_directory_create(const char *root, const char *id,
				     struct container_state *state)
{
	memset(state, 0, sizeof *state);
	snprintf(state->id, sizeof state->id, "%s", id);
	if ((size_t)snprintf(state->directory, sizeof state->directory, "%s/%s", root, id) >=
	    sizeof state->directory)
		return fail_msg("state directory %s/%s: name too long", root, id);
	/* The state root holds every container's record: only root reads it. */
	if (mkdir(root, 0700) != 0 && errno != EEXIST)
		return fail_errno("mkdir %s", root);
	int root_fd = state_directory_open(AT_FDCWD, root, root);
	if (root_fd < 0)
		return errno == ENOENT ? fail_errno("open %s", root) : -1;
	/* mkdir is atomic: of two creates with the same ID, one wins. */
	if (mkdirat(root_fd, id, 0700) != 0) {
		int saved_errno = errno;
		close(root_fd);
		if (saved_errno == EEXIST)
			return fail_msg("create %s: container already exists", id);
		errno = saved_errno;
		return fail_errno("mkdir %s", state->directory);
	}
	/* Ours by construction: checked all the same (mode, umask). */
	int fd = state_directory_open(root_fd, id, state->directory);
	close(root_fd);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

const char *container_status_name(enum container_status status)
{
	switch (status) {
	case CONTAINER_CREATING: return "creating";
	case CONTAINER_CREATED: return "created";
	case CONTAINER_RUNNING: return "running";
	case CONTAINER_STOPPED: return "stopped";
	case CONTAINER_PAUSED: return "paused";
	}
	return "unknown";
}

static int status_from_name(const char *name, enum container_status *status)
{
	for (int s = CONTAINER_CREATING; s <= CONTAINER_PAUSED; s++)
		if (strcmp(name, container_status_name((enum container_status)s)) == 0) {
			*status = (enum container_status)s;
			return 0;
		}
	return -1;
}

json_t *container_state_to_json(const struct container_state *state, enum container_status status)
{
	json_t *object = json_pack("{s:s, s:s, s:s, s:s}", "ociVersion", "1.0.2", "id", state->id,
				   "status", container_status_name(status), "bundle", state->bundle);
	if (object == NULL)
		return NULL;
	/* The spec wants the PID while the process exists. */
	if (status != CONTAINER_STOPPED && state->pid > 0)
		json_object_set_new(object, "pid", json_integer(state->pid));
	json_object_set_new(object, "annotations",
			    state->annotations != NULL ? json_incref(state->annotations) : json_object());
	return object;
}

int container_state_write(const struct container_state *state)
{
	char path[PATH_MAX + 32], temporary[PATH_MAX + 32];
	json_t *object = container_state_to_json(state, state->status);

	if (object == NULL)
		return fail_msg("state of %s: out of memory", state->id);
	/* What only minirun needs, next to the spec's fields. */
	json_object_set_new(object, "pid", json_integer(state->pid));
	json_object_set_new(object, "minirun",
			    json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "pidStartTime",
				      (json_int_t)state->pid_start_time, "rootfs", state->rootfs,
				      "created", state->created, "cgroupPath", state->cgroup_path,
				      "networkLink", state->network_link, "rootMountId",
				      (json_int_t)state->root_mount_id));
	snprintf(path, sizeof path, "%s/%s", state->directory, CONTAINER_STATE_FILE);
	// tag::state-write[]
	/* Write a new file, then rename it over the old one: rename(2) is
	 * atomic, so a concurrent `state` never reads half a record. Every
	 * step goes through the checked directory's descriptor, and the
	 * new file has a random name and must not exist yet (O_EXCL,
	 * O_NOFOLLOW): nothing planted in the directory is written
	 * through. */
	int dir_fd = state_directory_open(AT_FDCWD, state->directory, state->directory);
	if (dir_fd < 0) {
		json_decref(object);
		return errno == ENOENT ? fail_errno("open %s", state->directory) : -1;
	}
	int fd = -1;
	for (int attempt = 0; fd < 0 && attempt < 8; attempt++) {
		unsigned int random_part;
		if (getrandom(&random_part, sizeof random_part, 0) != (ssize_t)sizeof random_part)
			break;
		snprintf(temporary, sizeof temporary, ".%s.%08x", CONTAINER_STATE_FILE, random_part);
		fd = openat(dir_fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		fail_errno("create a new %s in %s", CONTAINER_STATE_FILE, state->directory);
		json_decref(object);
		close(dir_fd);
		return -1;
	}
	int result = json_dumpfd(object, fd, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(object);
	if (result != 0 || close(fd) != 0) {
		fail_errno("write %s/%s", state->directory, temporary);
		unlinkat(dir_fd, temporary, 0);
		close(dir_fd);
		return -1;
	}
	if (renameat(dir_fd, temporary, dir_fd, CONTAINER_STATE_FILE) != 0) {
		fail_errno("rename %s/%s to %s", state->directory, temporary, path);
		unlinkat(dir_fd, temporary, 0);
		close(dir_fd);
		return -1;
	}
	close(dir_fd);
	return 0;
	// end::state-write[]
}

static void copy_string(char *target, size_t size, json_t *object, const char *key)
{
	const char *value = json_string_value(json_object_get(object, key));
	snprintf(target, size, "%s", value != NULL ? value : "");
}

bool container_state_exists(const char *root, const char *id)
{
	char path[PATH_MAX + CONTAINER_ID_MAX + 2];

	snprintf(path, sizeof path, "%s/%s", root, id);
	return access(path, F_OK) == 0;
}

int container_state_read(const char *root, const char *id, struct container_state *state)
{
	char path[PATH_MAX + 32];
	json_error_t error;

	memset(state, 0, sizeof *state);
	snprintf(state->id, sizeof state->id, "%s", id);
	if ((size_t)snprintf(state->directory, sizeof state->directory, "%s/%s", root, id) >=
	    sizeof state->directory)
		return fail_msg("state directory %s/%s: name too long", root, id);
	snprintf(path, sizeof path, "%s/%s", state->directory, CONTAINER_STATE_FILE);
	/* The root and ROOT/ID are checked (owner, mode, no symlink) before
	 * anything in them is believed. */
	int root_fd = state_directory_open(AT_FDCWD, root, root);
	if (root_fd < 0)
		return errno == ENOENT ? fail_msg("container %s does not exist", id) : -1;
	int dir_fd = state_directory_open(root_fd, id, state->directory);
	close(root_fd);
	if (dir_fd < 0)
		return errno == ENOENT ? fail_msg("container %s does not exist", id) : -1;
	json_t *object = NULL;
	int fd = openat(dir_fd, CONTAINER_STATE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dir_fd);
	if (fd < 0) {
		/* The directory exists but its record does not (yet): a create
		 * killed before its first write. Only delete --force helps. */
		if (errno == ENOENT) {
			state->status = CONTAINER_CREATING;
			return 0;
		}
		return fail_errno("open %s", path);
	}
	object = json_loadfd(fd, 0, &error);
	close(fd);
	if (object == NULL)
		return fail_msg("%s: line %d: %s", path, error.line, error.text);
	copy_string(state->bundle, sizeof state->bundle, object, "bundle");
	const char *status = json_string_value(json_object_get(object, "status"));
	if (status == NULL || status_from_name(status, &state->status) != 0) {
		json_decref(object);
		return fail_msg("%s: status: unknown", path);
	}
	state->pid = (pid_t)json_integer_value(json_object_get(object, "pid"));
	json_t *own = json_object_get(object, "minirun");
	state->pid_start_time = (unsigned long long)json_integer_value(json_object_get(own, "pidStartTime"));
	copy_string(state->rootfs, sizeof state->rootfs, own, "rootfs");
	copy_string(state->created, sizeof state->created, own, "created");
	copy_string(state->cgroup_path, sizeof state->cgroup_path, own, "cgroupPath");
	copy_string(state->network_link, sizeof state->network_link, own, "networkLink");
	state->root_mount_id = (long long)json_integer_value(json_object_get(own, "rootMountId"));
	json_t *annotations = json_object_get(object, "annotations");
	if (json_is_object(annotations) && json_object_size(annotations) > 0)
		state->annotations = json_incref(annotations);
	json_decref(object);
	return 0;
}

void container_state_release(struct container_state *state)
{
	if (state->annotations != NULL)
		json_decref(state->annotations);
	state->annotations = NULL;
}

int container_state_directory_remove(const struct container_state *state)
{
	int fd = open(state->directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : fail_errno("open %s", state->directory);
	DIR *directory = fdopendir(fd);
	if (directory == NULL) {
		fail_errno("open %s", state->directory);
		close(fd);
		return -1;
	}
	/* Only files live in a state directory: remove them, then it. */
	struct dirent *entry;
	while ((entry = readdir(directory)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(directory), entry->d_name, 0) != 0 && errno != ENOENT) {
			fail_errno("remove %s/%s", state->directory, entry->d_name);
			closedir(directory);
			return -1;
		}
	}
	closedir(directory);
	if (rmdir(state->directory) != 0 && errno != ENOENT)
		return fail_errno("rmdir %s", state->directory);
	return 0;
}

int process_start_time(pid_t pid, unsigned long long *start_time)
{
	char path[64], buffer[1024];

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	ssize_t length = read(fd, buffer, sizeof buffer - 1);
	int saved_errno = errno;
	close(fd);
	if (length <= 0) {
		errno = length < 0 ? saved_errno : ESRCH;
		return -1;
	}
	buffer[length] = '\0';
	/* The command name (field 2) is in parentheses and may hold spaces:
	 * count fields from the last ')'. Field 3 (state) follows it; the
	 * start time is field 22. */
	char *after_name = strrchr(buffer, ')');
	if (after_name == NULL) {
		errno = EINVAL;
		return -1;
	}
	char state_letter;
	if (sscanf(after_name + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &state_letter, start_time) != 2) {
		errno = EINVAL;
		return -1;
	}
	/* A zombie has exited: for a container that is "stopped". */
	if (state_letter == 'Z' || state_letter == 'X') {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

bool container_process_alive(const struct container_state *state)
{
	unsigned long long start_time;

	if (state->pid <= 0)
		return false;
	/* kill(pid, 0) says a process with this PID exists; the start time
	 * says it is still ours and not a newcomer that got the PID. */
	if (kill(state->pid, 0) != 0 && errno == ESRCH)
		return false;
	if (process_start_time(state->pid, &start_time) != 0)
		return false;
	return start_time == state->pid_start_time;
}

int container_signal_parse(const char *text)
{
	long number;

	if (parse_long(text, 1, SIGRTMAX, &number) == 0)
		return (int)number;
	const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
	for (int signal = 1; signal < NSIG; signal++) {
		const char *abbreviation = sigabbrev_np(signal);
		if (abbreviation != NULL && strcasecmp(name, abbreviation) == 0)
			return signal;
	}
	return fail_msg("unknown signal %s", text);
}
