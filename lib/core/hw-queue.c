/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* HW queues: guest queues the IOMMU reads directly (Linux 6.17). */
#include "abi.h"
#include "internal.h"

INEST_EXPORT int iommunest_hw_queue_alloc(struct iommunest_ctx *ctx,
					  uint32_t viommu_id, uint32_t type,
					  uint32_t index, uint64_t iova,
					  uint64_t length,
					  uint32_t *hw_queue_id)
{
	struct kabi_hw_queue_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu_id,
		.type = type,
		.index = index,
		.nesting_parent_iova = iova,
		.length = length,
	};
	int rc;

	/* Type 0 is the kernel's "default", which no queue has. */
	if (!inest_ctx_ok(ctx) || !hw_queue_id || !type ||
	    !inest_range_ok(iova, length))
		return -EINVAL;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_HW_QUEUE_ALLOC, &cmd);
	if (!rc)
		*hw_queue_id = cmd.out_hw_queue_id;
	return rc;
}
