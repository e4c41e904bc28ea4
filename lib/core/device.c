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

/* ---- PASIDs (Linux 6.15) ---------------------------------------------- */

/* The PCI PASID is 20 bits wide.  PASID 0 is the kernel's "no PASID": the
 * device's own requests, which iommunest_device_attach() handles. */
#define PASID_LIMIT (1u << 20)

static int pasid_args(const struct iommunest_ctx *ctx, int vfio_fd,
		      uint32_t pasid)
{
	if (!inest_ctx_ok(ctx) || !pasid || pasid >= PASID_LIMIT)
		return -EINVAL;
	return inest_fd_check(vfio_fd);
}

/*
 * VFIO before 6.15 refuses the PASID flag with EINVAL, as newer kernels
 * refuse a HWPT that does not fit.  Tell them apart by the iommufd's
 * vEVENTQ call, of the same release: a zeroed request is refused before
 * it looks at anything (EOPNOTSUPP), or is unknown (ENOTTY).
 */
static int pasid_result(const struct iommunest_ctx *ctx, int rc)
{
	struct kabi_veventq_alloc probe = { .size = sizeof(probe) };

	if (rc != -EINVAL)
		return rc;
	if (inest_ioctl(ctx->fd, KABI_IOMMU_VEVENTQ_ALLOC, &probe) == -ENOTTY)
		return -ENOSYS;
	return rc;
}

static int pasid_attach_pt(struct iommunest_ctx *ctx, int vfio_fd,
			   uint32_t pasid, uint32_t pt_id)
{
	struct kabi_vfio_attach_pt_pasid cmd = {
		.argsz = sizeof(cmd),
		.flags = KABI_VFIO_DEVICE_ATTACH_PASID,
		.pt_id = pt_id,
		.pasid = pasid,
	};
	int rc = pasid_args(ctx, vfio_fd, pasid);

	if (rc)
		return rc;
	rc = inest_ioctl(vfio_fd, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd);
	return pasid_result(ctx, rc);
}

INEST_EXPORT int iommunest_device_pasid_attach(struct iommunest_ctx *ctx,
					       int vfio_fd, uint32_t pasid,
					       uint32_t pt_id)
{
	return pasid_attach_pt(ctx, vfio_fd, pasid, pt_id);
}

/* As for the whole device, VFIO replaces when the PASID is attached. */
INEST_EXPORT int iommunest_device_pasid_replace(struct iommunest_ctx *ctx,
						int vfio_fd, uint32_t pasid,
						uint32_t pt_id)
{
	return pasid_attach_pt(ctx, vfio_fd, pasid, pt_id);
}

INEST_EXPORT int iommunest_device_pasid_detach(struct iommunest_ctx *ctx,
					       int vfio_fd, uint32_t pasid)
{
	struct kabi_vfio_detach_pt_pasid cmd = {
		.argsz = sizeof(cmd),
		.flags = KABI_VFIO_DEVICE_DETACH_PASID,
		.pasid = pasid,
	};
	int rc = pasid_args(ctx, vfio_fd, pasid);

	if (rc)
		return rc;
	rc = inest_ioctl(vfio_fd, KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, &cmd);
	return pasid_result(ctx, rc);
}
