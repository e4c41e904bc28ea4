/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The library's only way into the kernel.  Everything above goes through
 * these calls so a test can observe and script each one.
 */
#ifndef IOMMUNEST_SYS_H
#define IOMMUNEST_SYS_H

/* ioctl(2) through libc; returns 0 or -errno, never leaves it in errno. */
int inest_ioctl(int fd, unsigned long request, void *arg);

/* As inest_ioctl() for ioctls newer than some supported kernels: the
 * ENOTTY of a kernel that predates the ioctl becomes -ENOSYS, "not
 * supported by this kernel", an errno no iommufd ioctl returns itself. */
int inest_ioctl_newer(int fd, unsigned long request, void *arg);

/* 0 if fd is an open descriptor, else -EBADF. Issues no ioctl. */
int inest_fd_check(int fd);

#endif /* IOMMUNEST_SYS_H */
