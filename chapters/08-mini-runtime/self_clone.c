/* self_clone.c: minirun runs container code only from a sealed copy of
 * itself (chapter 08). Not an exercise. See container.h.
 *
 * The attack (CVE-2019-5736, found in runc): an image whose /bin/sh is
 * a symlink to /proc/self/exe. When the runtime, already inside the
 * container, execs "sh", /proc/self/exe names the runtime's own binary
 * on the host: the kernel loads it again, with its ELF interpreter
 * (/lib64/ld-linux-x86-64.so.2) taken from the container's root, that
 * is from the attacker. That "loader" keeps /proc/self/exe open (an
 * O_PATH descriptor), and once the runtime has gone reopens it for
 * writing: the host's runtime binary is now the attacker's, and the
 * next container anyone starts runs it as root on the host.
 *
 * The defence (runc's): before the runtime goes near a container, it
 * copies itself into a memfd, seals the copy so that nobody can ever
 * write to it, grow or shrink it, and re-executes from that copy. Then
 * /proc/self/exe is the sealed copy, not the file on the host.
 *
 * Read: memfd_create(2), fcntl(2) (F_ADD_SEALS, F_GET_SEALS),
 * sendfile(2), fexecve(3), proc(5) (/proc/self/exe).
 */
#include "container.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* Linux 6.3: say that the memfd will be executed */
#endif

extern char **environ;

// tag::self-clone[]
/* Sealed against every change: no write, no growing, no shrinking, and
 * no removing of the seals themselves. */
#define SELF_CLONE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Is the program this process runs already such a copy? A file on a
 * disk has no seals (F_GET_SEALS fails); our memfd has all four. */
static bool running_from_sealed_copy(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	return seals >= 0 && (seals & SELF_CLONE_SEALS) == SELF_CLONE_SEALS;
}

int runtime_run_from_sealed_copy(char **argv)
{
	if (running_from_sealed_copy())
		return 0;
	int source = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (source < 0)
		return fail_errno("open /proc/self/exe (to copy the runtime)");
	struct stat info;
	if (fstat(source, &info) != 0) {
		fail_errno("stat /proc/self/exe");
		close(source);
		return -1;
	}
	/* MFD_EXEC: kernels with vm.memfd_noexec would otherwise refuse
	 * to run it; older kernels do not know the flag (EINVAL). */
	int copy = memfd_create("minirun", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (copy < 0 && errno == EINVAL)
		copy = memfd_create("minirun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0) {
		fail_errno("memfd_create (a sealed copy of the runtime)");
		close(source);
		return -1;
	}
	/* The copy is made by the kernel, page cache to page cache:
	 * no read into and write out of our memory. */
	off_t offset = 0;
	while (offset < info.st_size) {
		ssize_t sent = sendfile(copy, source, &offset, (size_t)(info.st_size - offset));
		if (sent <= 0) {
			if (sent == 0)
				errno = EIO; /* the binary shrank under us */
			fail_errno("copy /proc/self/exe into a memfd");
			goto fail;
		}
	}
	if (fcntl(copy, F_ADD_SEALS, SELF_CLONE_SEALS) != 0) {
		fail_errno("seal the runtime's copy (F_ADD_SEALS)");
		goto fail;
	}
	close(source);
	/* The same arguments and environment, from the copy: main starts
	 * again, finds itself sealed, and goes on. */
	fflush(NULL);
	fexecve(copy, argv, environ);
	fail_errno("execute the runtime's sealed copy");
	close(copy);
	return -1;
fail:
	close(copy);
	close(source);
	return -1;
}
// end::self-clone[]
