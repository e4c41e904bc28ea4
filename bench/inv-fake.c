/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Invalidation benchmark in-process: this program defines ioctl(), which
 * interposes on the library's single kernel entry point (as the unit
 * tier's fake kernel does), and answers every invalidation at once with
 * all entries handled.  What is left is the cost of user space: the
 * library's against a raw loop's.
 *
 * Usage: inv-fake [ROUNDS]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "abi.h"
#include "bench.h"
#include "inv.h"

int ioctl(int fd, unsigned long req, ...)
{
	struct kabi_hwpt_invalidate *cmd;
	va_list ap;

	va_start(ap, req);
	cmd = va_arg(ap, struct kabi_hwpt_invalidate *);
	va_end(ap);
	if (fd < 0 || req != KABI_IOMMU_HWPT_INVALIDATE || !cmd) {
		errno = ENOTTY;
		return -1;
	}
	/* entry_num comes back as the entries handled: all of them, which
	 * is the count sent, so it stays as it is. */
	return 0;
}

int main(int argc, char **argv)
{
	struct inv_env env = {
		.profile = "in-process",
		.hwpt = 1,
		.rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 15,
		.slices = 12, .slice_ns = 500000,
	};
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0 || iommunest_open_fd(fd, &env.ctx))
		bench_fail("context on /dev/null");
	inv_run(&env);
	iommunest_close(env.ctx);
	return 0;
}
