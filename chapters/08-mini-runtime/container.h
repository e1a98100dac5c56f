/* container.h: a container's lifecycle and its state directory (chapter 08).
 *
 * The OCI lifecycle (runtime.md of the runtime specification):
 *
 *   create  ROOT/ID/ is made (mkdir: the uniqueness lock), state.json is
 *           written with status "creating", the exec fifo is made, then
 *           the container's first process is cloned into new namespaces.
 *           It sets up its root, mounts, hostname, ... and blocks opening
 *           the exec fifo. The runtime records "created" and exits; the
 *           process waits, reparented to the host's init.
 *   start   opens the fifo: the process is released and execs the
 *           program of config.json. Status "running".
 *   kill    sends a signal to that process.
 *   delete  removes ROOT/ID once the process is gone ("stopped"), or
 *           kills it first with --force, from any partial state.
 *
 * Between create and start the container exists but runs nothing: that
 * is when a network is plugged into its namespace (chapter 04).
 *
 * Read: runtime.md of the OCI runtime specification, clone(2), fifo(7),
 * pivot_root(2), mount(2), kill(2), proc(5) (/proc/PID/stat), rename(2).
 */
#ifndef LAB_CONTAINER_H
#define LAB_CONTAINER_H

#include "oci_config.h"

#include <jansson.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define CONTAINER_DEFAULT_STATE_ROOT "/run/minirun"
#define CONTAINER_ID_MAX 1024
#define CONTAINER_EXEC_FIFO "exec.fifo"
#define CONTAINER_STATE_FILE "state.json"
/* A copy of the bundle's config.json, for exec (its seccomp profile, its
 * process) and delete: the bundle may change or go after create. */
#define CONTAINER_CONFIG_FILE "config.json"

enum container_status {
	CONTAINER_CREATING,
	CONTAINER_CREATED,
	CONTAINER_RUNNING,
	CONTAINER_STOPPED,
	CONTAINER_PAUSED, /* not in the spec's list, but what runc and crun report */
};

/* What ROOT/ID/state.json records. Everything a later `delete --force`
 * must undo is written here BEFORE it is made, so that a runtime killed
 * half-way leaves a record of what exists. */
struct container_state {
	char id[CONTAINER_ID_MAX + 1];
	char directory[PATH_MAX];     /* ROOT/ID */
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	enum container_status status; /* as last recorded; see container_status() */
	pid_t pid;                    /* the container's first process on the host; 0 before clone */
	unsigned long long pid_start_time; /* its start time (/proc/PID/stat), to detect PID reuse */
	char created[40];             /* RFC 3339 UTC time of create */
	json_t *annotations;          /* owned reference, or NULL */
	/* Resources of later chapters, recorded before they are made:
	 * chapter 05's cgroup directory, chapter 04's host-side link. */
	char cgroup_path[PATH_MAX];
	char network_link[32];
	/* No mount namespace: the bind mount of the root on itself that
	 * create made in the host's mount table, under which every mount
	 * of the container lands (container_host_root_*). Its mount ID, or
	 * CONTAINER_ROOT_MOUNT_NONE, or _PENDING between the record and the
	 * mount (then delete cannot tell it from someone else's). */
	long long root_mount_id;
};
#define CONTAINER_ROOT_MOUNT_NONE 0LL
#define CONTAINER_ROOT_MOUNT_PENDING (-1LL)

/* ---------------------------------------------------------------- state directory
 * container_state.c (not an exercise). */

/* Check an ID against the grammar of runc's: [A-Za-z0-9][A-Za-z0-9_.-]*,
 * at most 1024 characters, never "." or "..". Called by every command
 * before any file is touched. Returns 0, or -1 after one line. */
int container_id_validate(const char *id);

/* Make ROOT (0700) if needed and ROOT/ID; mkdir(2) fails if another
 * create took the ID first, which makes it the lock. ROOT and ROOT/ID
 * are refused unless owned by the user running minirun, not writable by
 * group or others, and not symlinks (someone else could plant hooks in
 * them). Fills state->id and state->directory. Returns 0, or -1
 * ("container ID already exists", "owned by uid N: refused"). */
int container_state_directory_create(const char *root, const char *id,
				     struct container_state *state);

/* Write state->directory/state.json atomically (a new file with a
 * random name, O_EXCL|O_NOFOLLOW, through the checked directory's
 * descriptor, then renameat(2)): a reader sees the old record or the
 * new, never half, and nothing planted there is written through. */
int container_state_write(const struct container_state *state);

/* Read ROOT/ID/state.json into *state (container_state_release after),
 * after the same checks of ROOT and ROOT/ID as at create. Returns 0, or
 * -1 ("container ID does not exist", "owned by uid N: refused"). */
int container_state_read(const char *root, const char *id, struct container_state *state);

/* Is there a state directory ROOT/ID (a container, maybe half made)?
 * Prints nothing. */
bool container_state_exists(const char *root, const char *id);

/* Drop the annotations reference. */
void container_state_release(struct container_state *state);

/* Remove ROOT/ID and what is in it (state.json, exec.fifo, ...). */
int container_state_directory_remove(const struct container_state *state);

/* The spec's state object: ociVersion, id, status, pid, bundle,
 * annotations. The caller json_decref()s it. */
json_t *container_state_to_json(const struct container_state *state, enum container_status status);

/* "creating", "created", "running", "stopped". */
const char *container_status_name(enum container_status status);

/* Field 22 of /proc/PID/stat (start time in clock ticks since boot).
 * Returns 0, or -1 with errno set (ESRCH when gone); prints nothing. */
int process_start_time(pid_t pid, unsigned long long *start_time);

/* Is this the same process that was recorded (alive, same start time)? */
bool container_process_alive(const struct container_state *state);

/* A signal by name or number: "KILL", "SIGKILL", "9", "sigterm". Returns
 * the number, or -1 after one line ("unknown signal X"). */
int container_signal_parse(const char *text);

/* ---------------------------------------------------------------- the runtime's own binary
 * self_clone.c (not an exercise). */

/* Make sure no container can ever write to the program this process
 * runs: unless it already runs from one, copy /proc/self/exe into a
 * memfd, seal it (no write, grow, shrink or unseal) and fexecve it with
 * argv and the same environment. Called by the commands that run a
 * container's code (create, run, exec) before anything else. Returns 0
 * when already running from the sealed copy; -1 after one line. */
int runtime_run_from_sealed_copy(char **argv);

/* ---------------------------------------------------------------- lifecycle
 * solutions/08-mini-runtime/container.c (the exercises). */

/* How create runs: what the CLI passes down. */
struct container_create_options {
	const char *state_root;     /* --root */
	const char *id;
	const struct oci_config *config;
	const char *pid_file;       /* --pid-file, or NULL */
	const char *console_socket; /* --console-socket (process.terminal), or NULL */
	bool debug;                 /* --debug: say what is skipped, and why */
};

/* Exercise 08.4: the state machine. The status now: the recorded one,
 * unless the process is gone (or its PID was reused): then "stopped". */
enum container_status container_status(const struct container_state *state);

/* Exercises 08.1-08.3 and 08.8: make the container of options->config:
 * its cgroup (chapter 05), its process in new namespaces (chapter 02)
 * with its id maps (chapter 07), set up inside (chapters 01 and 07) and
 * left waiting on the exec fifo; record status "created" and fill
 * *state. Needs root. On failure removes everything it made (process,
 * cgroup, state directory) and returns -1. */
int container_create(const struct container_create_options *options,
		     struct container_state *state);

/* Exercise 08.5: release a created container's process so it execs its
 * program; record "running". Fails unless the status is "created". */
int container_start(struct container_state *state);

/* Exercise 08.6: send signal to the container's process (with all, to
 * every process of its cgroup). Fails when the container is stopped
 * (there is nothing to signal). */
int container_kill(const struct container_state *state, int signal, bool all);

/* Exercise 08.7: remove a stopped container and its cgroup; with force,
 * kill a live one first and wait for it to die. Works from any recorded
 * status, and removes only what the record says was made. */
int container_delete(struct container_state *state, bool force);

/* Wait for the process of a container this process created (run), and
 * record "stopped". Returns its wait status (see exit_code_from_wait_status)
 * or -1. */
int container_wait(struct container_state *state);

/* How exec runs: the process to start (from --process FILE, or the
 * container's own process with args from the command line). */
struct container_exec_options {
	const struct oci_config *config; /* the container's config, process replaced */
	bool detach;                     /* --detach: return once it runs */
	const char *pid_file;            /* --pid-file, or NULL */
	const char *console_socket;      /* --console-socket, for process.terminal */
};

/* Exercise 08.9: run another process in a created or running container:
 * in all of its namespaces (chapter 03), its cgroup (chapter 05), with
 * the security of options->config->process (chapter 07) and the
 * container's seccomp profile. Returns the process's exit code as a
 * shell shows it (0 with detach once it has exec'd), 125 when minirun
 * fails (after one line), 126/127 when the program cannot run. */
int container_exec(const struct container_state *state, const struct container_exec_options *options);

/* pause/resume: freeze or thaw every process of the container's cgroup
 * (chapter 05's freezer). Fails unless it is running (pause) or paused
 * (resume). */
int container_freeze(struct container_state *state, bool frozen);

/* ps: the host PIDs of the container's processes (its cgroup's), as a
 * JSON array the caller json_decref()s, or NULL after one line. */
json_t *container_processes(const struct container_state *state);

/* ---------------------------------------------------------------- inside the container
 * container_rootfs.c (not an exercise): steps of the first process,
 * called in the order exercise 08.1 chooses. */

/* Mount every entry of config->mounts under config->root_path (before
 * pivot_root, so bind sources on the host are still reachable), creating
 * the destination directories (files for bind mounts of files). Each
 * destination is resolved inside the root (safe_path.h), never through
 * a symlink out of it, and mounted on through its descriptor; a mounted
 * proc or sysfs is checked to be one. A /proc mount gets exactly the
 * config's flags. A cgroup mount is a cgroup2
 * mount on a v2 host (scoped by the cgroup namespace); on a v1 or hybrid
 * host a tmpfs of one read-only mount per hierarchy (as runc and crun). */
int container_mounts_apply(const struct oci_config *config, bool debug);

/* If /dev is a fresh tmpfs (checked), fill it with the default devices
 * (null, zero, full, random, urandom, tty, bind-mounted from the host's,
 * each checked to be a character device) and the
 * usual links (fd, stdin, stdout, stderr, ptmx). Run after
 * container_mounts_apply and BEFORE pivot_root: the host's /dev is the
 * source. */
int container_dev_populate(const struct oci_config *config);

/* linux.devices: mknod each node (type, numbers, fileMode, uid, gid)
 * inside the root, before pivot_root (container_rootfs.c). A node that
 * already exists is fine if it is the same device; another file there is
 * refused with one line. Needs CAP_MKNOD (no user namespace). */
int container_devices_create(const struct oci_config *config);

/* Run the config's hooks of this kind, in order, each with the state JSON
 * (of state, with status) on stdin, its args and env, its timeout
 * (container_hooks.c). Returns 0, or -1 after one line at the first hook
 * that fails, times out or cannot run. */
int container_hooks_run(const struct oci_config *config, enum oci_hook_kind kind,
			const struct container_state *state, enum container_status status);
/* The same with the state JSON already made (container_hooks_state_text,
 * a malloc'd string the caller frees, or NULL after one line): the
 * container's init gets it from the runtime for startContainer. Failures
 * of poststart and poststop hooks are printed as warnings. */
int container_hooks_run_text(const struct oci_config *config, enum oci_hook_kind kind,
			     const char *state_json);
char *container_hooks_state_text(const struct container_state *state, enum container_status status);

/* A process started without a terminal (the first, an exec'd one):
 * setsid(2), so that it leaves the caller's session and its controlling
 * terminal (TIOCSTI could type into the caller's shell). With a
 * terminal, container_terminal_setup makes the session instead. Returns
 * 0, or -1 after one line. */
int container_session_start(void);

/* Remount / read-only when root.readonly is set. After pivot_root. */
int container_root_make_readonly(const struct oci_config *config);

/* A container without a mount namespace shares the host's mount table:
 * its mounts would stay there after it. create binds the root on itself
 * first (recording CONTAINER_ROOT_MOUNT_PENDING in state.json before, the
 * mount's ID after), and every mount of the container goes on top of
 * that one. Returns 0, or -1 after one line (nothing left mounted). */
int container_host_root_mount(const char *root, struct container_state *state);

/* Which of process.apparmorProfile and process.selinuxLabel this kernel
 * can apply (container_lsm.c). */
struct container_lsm_plan {
	bool apparmor, selinux;
};

/* Decide it from the host's /sys, in the runtime, before the container's
 * process is started: a label for a module this kernel does not run gets
 * one warning. */
void container_lsm_plan(const struct oci_process *process, struct container_lsm_plan *plan);

/* In the container's process, after the setup and before the security
 * step: ask the module to switch the process to the planned label at its
 * next execve, through /proc/thread-self/attr (checked to be a procfs).
 * Returns 0, or -1 after one line. */
int container_lsm_set_exec_labels(const struct oci_process *process, const struct container_lsm_plan *plan);

/* Is SELinux running (selinuxfs at /sys/fs/selinux)? */
bool container_selinux_enabled(void);

/* delete: if the mount at state->rootfs is still the one recorded, detach
 * it (MNT_DETACH), and with it every mount the container made under it.
 * A mount someone else put there is left alone, with a warning. */
int container_host_root_unmount(struct container_state *state);

/* linux.sysctl: write each value to /proc/sys/KEY (dots made slashes)
 * of the container's /proc, checked to be a procfs: after pivot_root,
 * before the read-only paths (/proc/sys is one). Returns 0, or -1 after
 * one line. */
int container_sysctl_apply(const struct oci_config *config);

/* linux.rootfsPropagation on / (shared, slave, private, unbindable):
 * after pivot_root. */
int container_root_propagation_apply(const struct oci_config *config);

/* The rlimits of process (an rlimit above the current hard limit needs
 * CAP_SYS_RESOURCE: the error says so). Its oomScoreAdj is the
 * runtime's to write, from outside (container_oom_score_adj_set in
 * container_paths.h). */
int container_process_attributes_apply(const struct oci_process *process);

/* Look args[0] up in the container's PATH (from process.env) as execvp
 * would, so create fails early on a missing program. Fills path. */
int container_find_program(const struct oci_process *process, char *path, size_t size);

/* Connect to the unix socket at path (--console-socket), on the host,
 * before the process leaves the host's mount namespace. Returns the
 * connected socket, or -1 after one line. */
int container_console_connect(const char *path);

/* process.terminal: open a new pseudo-terminal in the container's
 * /dev/pts (posix_openpt on /dev/ptmx), send its master over
 * console_socket with SCM_RIGHTS (as runc does: conmon or a test holds
 * the other end), and make the slave this process's controlling terminal
 * and its stdin, stdout and stderr. With bind_console (the first
 * process, after pivot_root) the slave is also bound on /dev/console.
 * Closes console_socket. */
int container_terminal_setup(int console_socket, bool bind_console);

/* In a new network namespace only lo exists, and it is down: bring it
 * up (127.0.0.1 then works), as runc and crun do. */
int container_loopback_up(void);

/* Close every descriptor above 2 that is not close-on-exec (those the
 * runtime inherited from its client): the runtime's own are all
 * O_CLOEXEC and go at execve. Without a /proc every descriptor is
 * marked close-on-exec instead. Returns 0, or -1 after one line. */
int container_close_inherited_fds(void);

/* linux.seccomp as a BPF program, compiled by the runtime before the
 * container's process exists (libseccomp's work is then done once, and
 * never between start and execve). Releases filter. Fills *program
 * (program->filter is malloc'd). Returns 0, or -1 after one line. */
int container_seccomp_compile(scmp_filter_ctx filter, struct sock_fprog *program);

/* Where compiled seccomp programs are kept (seccomp_cache.c). */
#define CONTAINER_SECCOMP_CACHE "/run/minirun-seccomp"

/* linux.seccomp (profile, named source in errors) as a BPF program:
 * read from CACHE_DIRECTORY/<sha256>.bpf when the same profile was
 * compiled before by the same runtime and libseccomp, else compiled
 * (container_seccomp_compile) and kept there (made 0700 if missing;
 * failing to keep it is silent). cache_directory NULL: no cache. Fills
 * *program (malloc'd). Returns 0, or -1 after one line. */
int container_seccomp_program(const json_t *profile, const char *source, const char *cache_directory,
			      struct sock_fprog *program);

/* Install a compiled program with seccomp(2) SECCOMP_SET_MODE_FILTER:
 * needs no_new_privs or CAP_SYS_ADMIN. Returns 0, or -1 after one line. */
int container_seccomp_install(const struct sock_fprog *program);

/* Free program->filter; safe on an empty program. */
void container_seccomp_free(struct sock_fprog *program);

#endif
