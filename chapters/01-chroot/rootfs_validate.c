/* rootfs_validate.c: the check jail makes before touching anything.
 * Not an exercise. Read: stat(2), access(2). */
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

int rootfs_validate(const char *path)
{
	struct stat st;

	if (path == NULL || *path == '\0') {
		errno = EINVAL;
		return fail_errno("rootfs ''");
	}
	if (stat(path, &st) != 0)
		return fail_errno("rootfs %s", path);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return fail_errno("rootfs %s", path);
	}
	if (access(path, X_OK) != 0)
		return fail_errno("rootfs %s", path);
	return 0;
}
