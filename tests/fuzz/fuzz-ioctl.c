/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The one ioctl() of a fuzz program.  It interposes on libc's for the
 * library's single kernel entry point, as tests/unit/fake-kernel.c does,
 * and hands a call on a descriptor a target has claimed (fz_fake_fd()) to
 * that target's fake kernel; any other call goes to the real one.  Kept
 * apart from the targets so that one program can hold several of them
 * (tests/fuzz/regress).
 */
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzz.h"

#define FAKES_MAX 8

static struct {
	int fd;
	fz_ioctl_fn fn;
} fakes[FAKES_MAX];
static unsigned int nfakes;

void fz_fake_fd(int fd, fz_ioctl_fn fn)
{
	unsigned int i;

	for (i = 0; i < nfakes; i++)
		if (fakes[i].fd == fd) {
			fakes[i].fn = fn;
			return;
		}
	if (nfakes == FAKES_MAX)
		fz_die("fuzz-ioctl", "more than %u fake descriptors", FAKES_MAX);
	fakes[nfakes].fd = fd;
	fakes[nfakes++].fn = fn;
}

int ioctl(int fd, unsigned long req, ...)
{
	unsigned int i;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	for (i = 0; i < nfakes; i++)
		if (fakes[i].fd == fd && fakes[i].fn)
			return fakes[i].fn(fd, req, arg);
	return (int)syscall(SYS_ioctl, fd, req, arg);
}
