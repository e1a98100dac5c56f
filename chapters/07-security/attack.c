/* attack: small attacks a container must stop, one per subcommand
 * (chapter 07). Built statically so it runs inside the busybox rootfs.
 *
 *   attack mount          mount a tmpfs               (needs CAP_SYS_ADMIN)
 *   attack keyctl         read the session keyring     (keys are not namespaced)
 *   attack unshare-user   make a user namespace        (regain every capability)
 *   attack ptrace         attach to a child process
 *   attack clone3         fork with clone3(2)          (must see ENOSYS under a filter)
 *   attack fork           fork with glibc's fork()     (must still work)
 *   attack whoami         print uid and euid           (as a setuid-root copy)
 *   attack read FILE      read FILE, print how many bytes came
 *   attack write FILE TEXT  write TEXT into FILE
 *
 * Each prints one line, "attack NAME: ok ..." and exits 0 when the attack
 * worked, or "attack NAME: ERRNO (message)" and exits 1 when the kernel
 * refused it.
 *
 * Read: mount(2), keyctl(2), unshare(2), ptrace(2), clone3(2),
 * setuid(2), capabilities(7), seccomp(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *attack_name;

static int refused(int error)
{
	const char *name = strerrorname_np(error);
	printf("attack %s: %s (%s)\n", attack_name, name ? name : "?", strerror(error));
	return 1;
}

static int attack_mount(void)
{
	char dir[] = "/tmp/attack.XXXXXX";
	if (mkdtemp(dir) == NULL)
		return refused(errno);
	int rc = mount("attack", dir, "tmpfs", 0, NULL);
	int error = errno;
	if (rc == 0)
		umount(dir);
	rmdir(dir);
	if (rc != 0)
		return refused(error);
	printf("attack mount: ok: mounted a tmpfs\n");
	return 0;
}

static int attack_keyctl(void)
{
	long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1);
	if (id < 0)
		return refused(errno);
	printf("attack keyctl: ok: session keyring %ld\n", id);
	return 0;
}

static int attack_unshare_user(void)
{
	if (unshare(CLONE_NEWUSER) != 0)
		return refused(errno);
	printf("attack unshare-user: ok: in a new user namespace\n");
	return 0;
}

static int attack_ptrace(void)
{
	pid_t child = fork();
	if (child < 0)
		return refused(errno);
	if (child == 0) {
		pause();
		_exit(0);
	}
	long rc = ptrace(PTRACE_ATTACH, child, NULL, NULL);
	int error = errno;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (rc != 0)
		return refused(error);
	printf("attack ptrace: ok: attached to process %d\n", (int)child);
	return 0;
}

static int attack_clone3(void)
{
	struct clone_args args = {.exit_signal = SIGCHLD};
	fflush(stdout);
	long pid = syscall(SYS_clone3, &args, sizeof args);
	if (pid < 0)
		return refused(errno);
	if (pid == 0)
		_exit(0);
	waitpid((pid_t)pid, NULL, 0);
	printf("attack clone3: ok: made process %ld\n", pid);
	return 0;
}

static int attack_fork(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return refused(errno);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	printf("attack fork: ok: made process %d\n", (int)pid);
	return 0;
}

static int attack_whoami(void)
{
	/* The effective capabilities too: a setuid-root program gets the
	 * bounding set, not every capability. */
	char status[4096] = "", *cap_eff;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, status, sizeof status - 1);
		status[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	cap_eff = strstr(status, "CapEff:\t");
	if (cap_eff) {
		cap_eff += 8;
		cap_eff[strcspn(cap_eff, "\n")] = '\0';
	}
	printf("attack whoami: uid=%d euid=%d CapEff=%s\n", (int)getuid(), (int)geteuid(),
	       cap_eff ? cap_eff : "?");
	return geteuid() == 0 ? 0 : 1;
}

static int attack_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return refused(errno);
	char buffer[4096];
	ssize_t n = read(fd, buffer, sizeof buffer);
	int error = errno;
	close(fd);
	if (n < 0)
		return refused(error);
	printf("attack read: ok: %zd bytes from %s\n", n, path);
	return n > 0 ? 0 : 1;
}

static int attack_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return refused(errno);
	ssize_t n = write(fd, text, strlen(text));
	int error = errno;
	close(fd);
	if (n < 0)
		return refused(error);
	printf("attack write: ok: wrote %zd bytes to %s\n", n, path);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: attack mount|keyctl|unshare-user|ptrace|clone3|fork|whoami\n"
		     "       attack read FILE | attack write FILE TEXT\n"
		     "Try one thing a container must not do; print what the kernel said.\n"
		     "Exit status 0 if it worked, 1 if it was refused, 2 on usage errors.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	attack_name = argv[1];
	/* One line each, whole, even into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(attack_name, "mount") == 0) return attack_mount();
	if (strcmp(attack_name, "keyctl") == 0) return attack_keyctl();
	if (strcmp(attack_name, "unshare-user") == 0) return attack_unshare_user();
	if (strcmp(attack_name, "ptrace") == 0) return attack_ptrace();
	if (strcmp(attack_name, "clone3") == 0) return attack_clone3();
	if (strcmp(attack_name, "fork") == 0) return attack_fork();
	if (strcmp(attack_name, "whoami") == 0) return attack_whoami();
	if (strcmp(attack_name, "read") == 0 && argc == 3) return attack_read(argv[2]);
	if (strcmp(attack_name, "write") == 0 && argc == 4) return attack_write(argv[2], argv[3]);
	usage(stderr);
	return 2;
}
