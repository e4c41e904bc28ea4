/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The library's only way into the kernel.  Everything above goes through
 * these calls so a test can observe and script each one.
 */
#ifndef IOMMUNEST_SYS_H
#define IOMMUNEST_SYS_H

#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/types.h>

/* ioctl(2) through libc; returns 0 or -errno, never leaves it in errno.
 * Inline, as its caller on the invalidation hot path: under emulation
 * (a VMM's test rig, TCG) every call and return costs a lookup. */
static inline int inest_ioctl(int fd, unsigned long request, void *arg)
{
	int saved = errno;
	int rc;

	/* libc leaves errno alone on success: only a failure restores it. */
	if (ioctl(fd, request, arg) >= 0)
		return 0;
	rc = errno ? -errno : -EIO;
	errno = saved;
	return rc;
}

/* As inest_ioctl() for ioctls newer than some supported kernels: the
 * ENOTTY of a kernel that predates the ioctl becomes -ENOSYS, "not
 * supported by this kernel", an errno no iommufd ioctl returns itself. */
static inline int inest_ioctl_newer(int fd, unsigned long request, void *arg)
{
	int rc = inest_ioctl(fd, request, arg);

	return rc == -ENOTTY ? -ENOSYS : rc;
}

/* read(2) and write(2) of an event queue fd (fault queue, vEVENTQ):
 * the byte count, or -errno; errno is left as it was. */
ssize_t inest_read(int fd, void *buf, size_t count);
ssize_t inest_write(int fd, const void *buf, size_t count);

/* fstat(2): 0 or -errno (errno left as it was).  Not a kernel call the
 * fake kernel scripts: it only looks at the descriptor. */
struct stat;
int inest_fstat(int fd, struct stat *st);

/* mmap(2) of a shared mapping: 0 and *addr, or -errno (errno left as it
 * was); *addr is written only on success. */
int inest_mmap(int fd, off_t offset, size_t length, int prot, void **addr);

/* 0 if fd is an open descriptor, else -EBADF. Issues no ioctl. */
int inest_fd_check(int fd);

#endif /* IOMMUNEST_SYS_H */
