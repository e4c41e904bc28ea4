/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* One IOMMU_HWPT_INVALIDATE call; the batcher builds on it. */
#include "abi.h"
#include "internal.h"

bool inest_inv_len_ok(uint32_t data_type, uint32_t entry_len)
{
	switch (data_type) {
	case KABI_INVALIDATE_DATA_VTD_S1:
		return entry_len == sizeof(struct kabi_vtd_s1_invalidate);
	case KABI_INVALIDATE_DATA_ARM_SMMUV3:
		return entry_len == sizeof(struct kabi_smmuv3_invalidate);
	case KABI_INVALIDATE_DATA_SELFTEST:
		/* The mock uses one number for two types: a nested HWPT's
		 * IOTLB entries and its vIOMMU's device-cache entries. */
		return entry_len == sizeof(struct kabi_selftest_invalidate) ||
		       entry_len == sizeof(struct kabi_selftest_viommu_invalidate);
	}
	return entry_len != 0; /* a newer kernel's type: its own business */
}

INEST_EXPORT int iommunest_invalidate(struct iommunest_ctx *ctx,
				      uint32_t target_id, uint32_t data_type,
				      const void *entries, uint32_t entry_len,
				      uint32_t *num)
{
	if (!inest_ctx_ok(ctx) || !num)
		return -EINVAL;
	if (*num && (!entry_len ||
		     !inest_buf_ok(entries, (uint64_t)entry_len * *num)))
		return -EINVAL;
	/* A known type takes entries of its own size only. */
	if (*num && !inest_inv_len_ok(data_type, entry_len))
		return -EINVAL;
	return inest_invalidate(ctx->fd, target_id, data_type, entries,
				entry_len, num);
}
