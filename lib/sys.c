/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The single kernel entry point (layer 4 in DESIGN.md). */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

ssize_t inest_read(int fd, void *buf, size_t count)
{
	int saved = errno;
	ssize_t n = read(fd, buf, count);

	if (n < 0)
		n = errno ? -errno : -EIO;
	errno = saved;
	return n;
}

ssize_t inest_write(int fd, const void *buf, size_t count)
{
	int saved = errno;
	ssize_t n = write(fd, buf, count);

	if (n < 0)
		n = errno ? -errno : -EIO;
	errno = saved;
	return n;
}

int inest_fstat(int fd, struct stat *st)
{
	int saved = errno;
	int rc = 0;

	if (fstat(fd, st) < 0)
		rc = errno ? -errno : -EIO;
	errno = saved;
	return rc;
}

int inest_mmap(int fd, off_t offset, size_t length, int prot, void **addr)
{
	int saved = errno;
	void *p = mmap(NULL, length, prot, MAP_SHARED, fd, offset);
	int rc = 0;

	if (p == MAP_FAILED)
		rc = errno ? -errno : -EIO;
	else
		*addr = p;
	errno = saved;
	return rc;
}

int inest_fd_check(int fd)
{
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	return 0;
}
