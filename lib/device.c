/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* VFIO device cdevs: bind to the context, attach, replace, detach. */
#include "abi.h"
#include "internal.h"

/* Shared checks for calls on a device fd; 0 when both fds look usable. */
static int device_args(const struct iommunest_ctx *ctx, int vfio_fd)
{
	if (!inest_ctx_ok(ctx))
		return -EINVAL;
	return inest_fd_check(vfio_fd);
}

INEST_EXPORT int iommunest_device_bind(struct iommunest_ctx *ctx,
				       int vfio_fd, uint32_t *dev_id)
{
	struct kabi_vfio_bind_iommufd cmd = { .argsz = sizeof(cmd) };
	int rc;

	if (!dev_id)
		return -EINVAL;
	rc = device_args(ctx, vfio_fd);
	if (rc)
		return rc;
	cmd.iommufd = ctx->fd;
	rc = inest_ioctl(vfio_fd, KABI_VFIO_DEVICE_BIND_IOMMUFD, &cmd);
	if (!rc)
		*dev_id = cmd.out_devid;
	return rc;
}

static int device_attach_pt(struct iommunest_ctx *ctx, int vfio_fd,
			    uint32_t pt_id)
{
	struct kabi_vfio_attach_pt cmd = {
		.argsz = sizeof(cmd),
		.pt_id = pt_id,
	};
	int rc = device_args(ctx, vfio_fd);

	if (rc)
		return rc;
	return inest_ioctl(vfio_fd, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd);
}

INEST_EXPORT int iommunest_device_attach(struct iommunest_ctx *ctx,
					 int vfio_fd, uint32_t pt_id)
{
	return device_attach_pt(ctx, vfio_fd, pt_id);
}

/* VFIO turns an attach of an already attached device into an atomic
 * iommufd replace; the separate name documents the intent. */
INEST_EXPORT int iommunest_device_replace(struct iommunest_ctx *ctx,
					  int vfio_fd, uint32_t pt_id)
{
	return device_attach_pt(ctx, vfio_fd, pt_id);
}

INEST_EXPORT int iommunest_device_detach(struct iommunest_ctx *ctx,
					 int vfio_fd)
{
	struct kabi_vfio_detach_pt cmd = { .argsz = sizeof(cmd) };
	int rc = device_args(ctx, vfio_fd);

	if (rc)
		return rc;
	return inest_ioctl(vfio_fd, KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, &cmd);
}
