/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Paging HW page tables and their dirty tracking. */
#include "abi.h"
#include "internal.h"

#define PAGING_FLAGS (IOMMUNEST_HWPT_NEST_PARENT | IOMMUNEST_HWPT_DIRTY_TRACKING)

INEST_EXPORT int iommunest_hwpt_alloc_paging(struct iommunest_ctx *ctx,
					     uint32_t dev_id, uint32_t ioas_id,
					     uint32_t flags, uint32_t *hwpt_id)
{
	struct kabi_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.dev_id = dev_id,
		.pt_id = ioas_id,
		.data_type = KABI_HWPT_DATA_NONE,
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !hwpt_id || (flags & ~PAGING_FLAGS))
		return -EINVAL;
	if (flags & IOMMUNEST_HWPT_NEST_PARENT)
		cmd.flags |= KABI_HWPT_ALLOC_NEST_PARENT;
	if (flags & IOMMUNEST_HWPT_DIRTY_TRACKING)
		cmd.flags |= KABI_HWPT_ALLOC_DIRTY_TRACKING;
	rc = inest_ioctl(ctx->fd, KABI_IOMMU_HWPT_ALLOC, &cmd);
	if (!rc)
		*hwpt_id = cmd.out_hwpt_id;
	return rc;
}

INEST_EXPORT int iommunest_hwpt_set_dirty_tracking(struct iommunest_ctx *ctx,
						   uint32_t hwpt_id,
						   bool enable)
{
	struct kabi_hwpt_set_dirty_tracking cmd = {
		.size = sizeof(cmd),
		.flags = enable ? KABI_DIRTY_TRACKING_ENABLE : 0,
		.hwpt_id = hwpt_id,
	};

	if (!inest_ctx_ok(ctx))
		return -EINVAL;
	return inest_ioctl(ctx->fd, KABI_IOMMU_HWPT_SET_DIRTY_TRACKING, &cmd);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

INEST_EXPORT int iommunest_hwpt_get_dirty_bitmap(struct iommunest_ctx *ctx,
						 uint32_t hwpt_id,
						 uint64_t iova,
						 uint64_t length,
						 uint64_t page_size,
						 uint64_t *bitmap,
						 uint32_t flags)
{
	struct kabi_hwpt_get_dirty_bitmap cmd = {
		.size = sizeof(cmd),
		.hwpt_id = hwpt_id,
		.iova = iova,
		.length = length,
		.page_size = page_size,
		.data = inest_uptr(bitmap),
	};

	if (!inest_ctx_ok(ctx) || !bitmap || (flags & ~IOMMUNEST_DIRTY_NO_CLEAR))
		return -EINVAL;
	/* The kernel wants whole pages of a power-of-two size. */
	if (!is_pow2(page_size) || !inest_range_ok(iova, length) ||
	    (iova & (page_size - 1)) || (length & (page_size - 1)))
		return -EINVAL;
	/* One bit a page, in whole 64-bit words, inside the address space. */
	if (!inest_buf_ok(bitmap, ((length / page_size + 63) / 64) * 8))
		return -EINVAL;
	if (flags & IOMMUNEST_DIRTY_NO_CLEAR)
		cmd.flags |= KABI_GET_DIRTY_BITMAP_NO_CLEAR;
	return inest_ioctl(ctx->fd, KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, &cmd);
}
