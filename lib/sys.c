/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The single kernel entry point (layer 4 in DESIGN.md). */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>

#include "sys.h"

int inest_ioctl(int fd, unsigned long request, void *arg)
{
	int saved = errno;
	int rc = 0;

	if (ioctl(fd, request, arg) < 0)
		rc = errno ? -errno : -EIO;
	errno = saved;
	return rc;
}

int inest_ioctl_newer(int fd, unsigned long request, void *arg)
{
	int rc = inest_ioctl(fd, request, arg);

	return rc == -ENOTTY ? -ENOSYS : rc;
}

int inest_fd_check(int fd)
{
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	return 0;
}
