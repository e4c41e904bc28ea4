/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* One IOMMU_HWPT_INVALIDATE call; the batcher builds on it. */
#include "abi.h"
#include "internal.h"

INEST_EXPORT int iommunest_invalidate(struct iommunest_ctx *ctx,
				      uint32_t target_id, uint32_t data_type,
				      const void *entries, uint32_t entry_len,
				      uint32_t *num)
{
	struct kabi_hwpt_invalidate cmd = {
		.size = sizeof(cmd),
		.hwpt_id = target_id,
		.data_uptr = inest_uptr(entries),
		.data_type = data_type,
		.entry_len = entry_len,
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !num)
		return -EINVAL;
	if (*num && (!entry_len ||
		     !inest_buf_ok(entries, (uint64_t)entry_len * *num)))
		return -EINVAL;
	cmd.entry_num = *num;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_HWPT_INVALIDATE, &cmd);
	*num = cmd.entry_num;
	return rc;
}
