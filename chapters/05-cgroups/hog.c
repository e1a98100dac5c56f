/* hog: use up one resource, so a cgroup limit has something to stop
 * (chapter 05). Static, so it also runs inside the busybox rootfs.
 *
 *   hog memory MIB     allocate and touch MIB mebibytes, one at a time
 *   hog forks SECONDS  a fork bomb that ends by itself after SECONDS
 *   hog cpu SECONDS    spin on the CPU for SECONDS of wall-clock time
 *
 * Each prints one line about what it managed and exits 0, unless the
 * kernel stops it first (the OOM killer: exit 137 in a shell).
 *
 * Read: malloc(3), fork(2), clock_gettime(2), getrusage(2).
 */
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)

static double now_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int hog_memory(long mebibytes)
{
	for (long i = 0; i < mebibytes; i++) {
		char *block = malloc(MIB);
		if (block == NULL) {
			printf("hog: malloc failed after %ld MiB\n", i);
			return 1;
		}
		/* Touch every page: untouched memory is only promised, and
		 * the cgroup charges only pages really used. */
		memset(block, 0x5a, MIB);
	}
	printf("hog: touched %ld MiB\n", mebibytes);
	return 0;
}

static int hog_forks(double seconds)
{
	double deadline = now_seconds() + seconds;
	pid_t first = getpid();
	long refused = 0;

	/* No zombies: children are reaped by the kernel, so only live
	 * processes count against the limit. */
	signal(SIGCHLD, SIG_IGN);
	fflush(stdout);
	/* Every process, children included, forks as fast as it can. */
	while (now_seconds() < deadline) {
		pid_t pid = fork();
		if (pid < 0) {
			refused++;
			/* EAGAIN at the pids limit: wait a little, try again. */
			struct timespec pause = {.tv_sec = 0, .tv_nsec = 10000000L};
			nanosleep(&pause, NULL);
		}
	}
	if (getpid() != first)
		_exit(0);
	printf("hog: survived %.1f s of fork bomb; this process was refused %ld forks\n", seconds,
	       refused);
	return 0;
}

static int hog_cpu(double seconds)
{
	double deadline = now_seconds() + seconds;
	volatile unsigned long spins = 0;
	struct rusage usage;

	while (now_seconds() < deadline)
		spins++;
	getrusage(RUSAGE_SELF, &usage);
	printf("hog: spun %.2f s, got %.2f s of CPU\n", seconds,
	       (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
		       (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	long amount;

	if (argc != 3 || parse_long(argv[2], 1, 100000, &amount) != 0) {
		fprintf(stderr, "usage: hog memory MIB | hog forks SECONDS | hog cpu SECONDS\n");
		return 2;
	}
	if (strcmp(argv[1], "memory") == 0)
		return hog_memory(amount);
	if (strcmp(argv[1], "forks") == 0)
		return hog_forks((double)amount);
	if (strcmp(argv[1], "cpu") == 0)
		return hog_cpu((double)amount);
	fprintf(stderr, "usage: hog memory MIB | hog forks SECONDS | hog cpu SECONDS\n");
	return 2;
}
