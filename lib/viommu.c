/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* vIOMMU and vDEVICE objects (Linux 6.13 and later). */
#include "abi.h"
#include "internal.h"

INEST_EXPORT int iommunest_viommu_alloc(struct iommunest_ctx *ctx,
					uint32_t dev_id,
					uint32_t parent_hwpt_id, uint32_t type,
					uint32_t *viommu_id)
{
	struct kabi_viommu_alloc cmd = {
		.size = sizeof(cmd),
		.type = type,
		.dev_id = dev_id,
		.hwpt_id = parent_hwpt_id,
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !viommu_id || !type)
		return -EINVAL;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_VIOMMU_ALLOC, &cmd);
	if (!rc)
		*viommu_id = cmd.out_viommu_id;
	return rc;
}

INEST_EXPORT int iommunest_vdevice_alloc(struct iommunest_ctx *ctx,
					 uint32_t viommu_id, uint32_t dev_id,
					 uint64_t virt_id, uint32_t *vdevice_id)
{
	struct kabi_vdevice_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu_id,
		.dev_id = dev_id,
		.virt_id = virt_id,
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !vdevice_id)
		return -EINVAL;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_VDEVICE_ALLOC, &cmd);
	if (!rc)
		*vdevice_id = cmd.out_vdevice_id;
	return rc;
}
