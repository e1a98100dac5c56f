/* pidns.h: starting a process in new namespaces, and being its init
 * (chapter 02).
 *
 * The module behind `pidns`, reused by netwire (chapter 04), which wires
 * a network into the child between pidns_spawn and pidns_release, and by
 * minirun (chapter 08), which writes user-namespace maps and joins a
 * cgroup at the same moment.
 *
 * The usual order, in the parent:
 *
 *   pidns_spawn  -> (the caller's own setup: maps, cgroup, network)
 *   -> pidns_release -> pidns_wait            (or pidns_cancel on failure)
 *
 * and, in the child, once released:
 *
 *   sethostname -> mount_tree_make_private -> pivot_into -> mount_proc
 *   -> before_exec hook -> exec COMMAND          (run_init = false)
 *   -> fork; exec COMMAND in the child; pidns_supervise in PID 1 (run_init)
 *
 * Every function returns 0 (or what it documents) on success; on failure
 * it reports one line ("pidns: clone: Operation not permitted") and
 * returns -1, leaving no process behind. Creating namespaces needs
 * CAP_SYS_ADMIN, or CLONE_NEWUSER in the same call.
 *
 * Read: clone(2), namespaces(7), pid_namespaces(7), uts_namespaces(7),
 * ipc_namespaces(7), mount_namespaces(7), sigwaitinfo(2), waitpid(2).
 */
#ifndef LAB_PIDNS_H
#define LAB_PIDNS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* What the child gets: its namespaces, its identity, its root. */
struct pidns_config {
	/* CLONE_NEW* flags: CLONE_NEWPID, CLONE_NEWNS, CLONE_NEWUTS,
	 * CLONE_NEWIPC, and any other (CLONE_NEWNET, CLONE_NEWUSER,
	 * CLONE_NEWCGROUP) the caller wants made in the same clone(2). */
	int namespaces;
	/* Hostname to set in the new UTS namespace; NULL keeps the
	 * parent's. Needs CLONE_NEWUTS. */
	const char *hostname;
	/* Absolute path of a directory to pivot_root into (chapter 01);
	 * NULL keeps the parent's root. Needs CLONE_NEWNS. */
	const char *root;
	/* Mount a fresh procfs on /proc (inside root, if any), showing the
	 * new PID namespace. Needs CLONE_NEWNS. */
	bool mount_proc;
	/* true: PID 1 is a minimal init (this module) that runs the command
	 * as PID 2, forwards signals to it and reaps orphans. false: the
	 * command itself is PID 1, as in an OCI container. */
	bool run_init;
	/* The command and its arguments, NULL-terminated; command[0] is
	 * looked up in PATH after the root changed. */
	char *const *command;
	/* File descriptors 3 .. 3+preserve_fds-1 are passed to the command;
	 * every other descriptor above 2 is closed before exec. */
	int preserve_fds;
	/* Optional: called in the command's process after all the setup,
	 * just before exec (drop capabilities, install seccomp, wait for an
	 * OCI "start"). Returning -1 makes the process exit with 125. */
	int (*before_exec)(void *arg);
	void *before_exec_arg;
};

/* A spawned child, as its parent holds it. */
struct pidns_child {
	pid_t pid;           /* the child's PID in the parent's PID namespace */
	int release_fd;      /* write end of the sync pipe; -1 once released */
	sigset_t saved_mask; /* the caller's signal mask before pidns_spawn */
};

/* Exercise 02.1: clone(2) a child into config->namespaces, on a stack of
 * its own, blocked on a sync pipe until pidns_release. Blocks the
 * forwarded signals and SIGCHLD in the caller (so none is lost before
 * pidns_wait) and flushes stdio first. Fills child; returns 0 or -1. */
int pidns_spawn(const struct pidns_config *config, struct pidns_child *child);

/* Let the child go on: it sets itself up (02.2, 02.3) and runs the
 * command. The caller's setup (maps, network) must be done by now.
 * Returns 0, or -1 (then call pidns_cancel). */
int pidns_release(struct pidns_child *child);

/* Undo pidns_spawn: close the sync pipe (a child still waiting exits
 * quietly), SIGKILL and reap the child, restore the signal mask. */
void pidns_cancel(struct pidns_child *child);

/* Wait for the child, forwarding pidns_forwarded_signals to it, then
 * restore the signal mask. Returns its exit code as a shell shows it
 * (128+N when killed by signal N), or -1 after killing it on an error. */
int pidns_wait(struct pidns_child *child);

/* The signals an init or a supervisor passes on to its main child:
 * SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH. */
void pidns_forwarded_signals(sigset_t *set);

/* Block the forwarded signals and SIGCHLD (they are then collected by
 * pidns_supervise), saving the old mask. Returns 0 or -1. */
int pidns_signals_block(sigset_t *saved_mask);

/* Put back a mask saved by pidns_signals_block (before exec, so the
 * command does not start with SIGTERM blocked). */
void pidns_signals_restore(const sigset_t *saved_mask);

/* The loop of an init: with the signals blocked (pidns_signals_block),
 * wait for them with sigwaitinfo(2); pass each on to main_child (02.5);
 * on SIGCHLD reap main_child, and with reap_orphans every other child
 * too (02.4: the orphans a PID 1 inherits). Returns main_child's exit
 * code (128+N when killed by signal N) once it is reaped, or -1. */
int pidns_supervise(pid_t main_child, bool reap_orphans);

#endif
