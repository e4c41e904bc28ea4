/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Context lifetime: the one /dev/iommu fd everything else runs through. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

#define IOMMUFD_PATH "/dev/iommu"

INEST_EXPORT int iommunest_open_fd(int fd, struct iommunest_ctx **ctx)
{
	struct iommunest_ctx *c;
	int rc;

	if (!ctx)
		return -EINVAL;
	rc = inest_fd_check(fd);
	if (rc)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = fd;
	*ctx = c;
	return 0;
}

INEST_EXPORT int iommunest_open(struct iommunest_ctx **ctx)
{
	int fd, rc;

	if (!ctx)
		return -EINVAL;
	fd = open(IOMMUFD_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = iommunest_open_fd(fd, ctx);
	if (rc)
		close(fd);
	return rc;
}

INEST_EXPORT int iommunest_close(struct iommunest_ctx *ctx)
{
	int rc = 0;

	if (!ctx)
		return 0;
	/* Linux releases the fd even when close() reports an error. */
	if (close(ctx->fd) < 0)
		rc = -errno;
	free(ctx);
	return rc;
}

INEST_EXPORT int iommunest_fd(const struct iommunest_ctx *ctx)
{
	return inest_ctx_ok(ctx) ? ctx->fd : -EINVAL;
}
