/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* IO address spaces: allocation, map, unmap, copy and IOVA ranges. */
#include <limits.h>

#include "abi.h"
#include "internal.h"

#define MAP_PERMS (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)

uint32_t inest_map_flags(uint32_t flags)
{
	uint32_t k = 0;

	if (!flags || (flags & ~MAP_PERMS))
		return 0;
	if (flags & IOMMUNEST_MAP_READ)
		k |= KABI_MAP_READABLE;
	if (flags & IOMMUNEST_MAP_WRITE)
		k |= KABI_MAP_WRITEABLE;
	return k;
}

INEST_EXPORT int iommunest_ioas_alloc(struct iommunest_ctx *ctx,
				      uint32_t *ioas_id)
{
	struct kabi_ioas_alloc cmd = { .size = sizeof(cmd) };
	int rc;

	if (!inest_ctx_ok(ctx) || !ioas_id)
		return -EINVAL;
	rc = inest_ioctl(ctx->fd, KABI_IOMMU_IOAS_ALLOC, &cmd);
	if (!rc)
		*ioas_id = cmd.out_ioas_id;
	return rc;
}

static int ioas_map(struct iommunest_ctx *ctx, uint32_t ioas_id, void *vaddr,
		    uint64_t length, uint32_t flags, uint64_t *iova,
		    uint32_t fixed)
{
	struct kabi_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = inest_map_flags(flags) | fixed,
		.ioas_id = ioas_id,
		.user_va = inest_uptr(vaddr),
		.length = length,
		.iova = *iova,
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !inest_map_flags(flags) ||
	    !inest_buf_ok(vaddr, length) ||
	    (fixed && !inest_range_ok(cmd.iova, length)))
		return -EINVAL;
	rc = inest_ioctl(ctx->fd, KABI_IOMMU_IOAS_MAP, &cmd);
	if (!rc)
		*iova = cmd.iova;
	return rc;
}

INEST_EXPORT int iommunest_ioas_map(struct iommunest_ctx *ctx,
				    uint32_t ioas_id, void *vaddr,
				    uint64_t length, uint64_t iova,
				    uint32_t flags)
{
	return ioas_map(ctx, ioas_id, vaddr, length, flags, &iova,
			KABI_MAP_FIXED_IOVA);
}

INEST_EXPORT int iommunest_ioas_map_any(struct iommunest_ctx *ctx,
					uint32_t ioas_id, void *vaddr,
					uint64_t length, uint32_t flags,
					uint64_t *iova)
{
	uint64_t picked = 0;
	int rc;

	if (!iova)
		return -EINVAL;
	rc = ioas_map(ctx, ioas_id, vaddr, length, flags, &picked, 0);
	if (!rc)
		*iova = picked;
	return rc;
}

static int ioas_unmap(struct iommunest_ctx *ctx, uint32_t ioas_id,
		      uint64_t iova, uint64_t length, uint64_t *unmapped)
{
	struct kabi_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.iova = iova,
		.length = length,
	};
	int rc;

	rc = inest_ioctl(ctx->fd, KABI_IOMMU_IOAS_UNMAP, &cmd);
	if (!rc && unmapped)
		*unmapped = cmd.length;
	return rc;
}

INEST_EXPORT int iommunest_ioas_unmap(struct iommunest_ctx *ctx,
				      uint32_t ioas_id, uint64_t iova,
				      uint64_t length, uint64_t *unmapped)
{
	if (!inest_ctx_ok(ctx) || !inest_range_ok(iova, length))
		return -EINVAL;
	return ioas_unmap(ctx, ioas_id, iova, length, unmapped);
}

INEST_EXPORT int iommunest_ioas_unmap_all(struct iommunest_ctx *ctx,
					  uint32_t ioas_id,
					  uint64_t *unmapped)
{
	if (!inest_ctx_ok(ctx))
		return -EINVAL;
	/* iommufd reads iova 0, length U64_MAX as "everything". */
	return ioas_unmap(ctx, ioas_id, 0, UINT64_MAX, unmapped);
}

static int ioas_copy(struct iommunest_ctx *ctx, struct kabi_ioas_copy *cmd,
		     uint32_t flags)
{
	bool fixed = cmd->flags & KABI_MAP_FIXED_IOVA;

	cmd->flags |= inest_map_flags(flags);
	if (!inest_ctx_ok(ctx) || !inest_map_flags(flags) ||
	    !inest_range_ok(cmd->src_iova, cmd->length) ||
	    (fixed && !inest_range_ok(cmd->dst_iova, cmd->length)))
		return -EINVAL;
	return inest_ioctl(ctx->fd, KABI_IOMMU_IOAS_COPY, cmd);
}

INEST_EXPORT int iommunest_ioas_copy(struct iommunest_ctx *ctx,
				     uint32_t dst_ioas_id, uint64_t dst_iova,
				     uint32_t src_ioas_id, uint64_t src_iova,
				     uint64_t length, uint32_t flags)
{
	struct kabi_ioas_copy cmd = {
		.size = sizeof(cmd),
		.flags = KABI_MAP_FIXED_IOVA,
		.dst_ioas_id = dst_ioas_id,
		.src_ioas_id = src_ioas_id,
		.length = length,
		.dst_iova = dst_iova,
		.src_iova = src_iova,
	};

	return ioas_copy(ctx, &cmd, flags);
}

INEST_EXPORT int iommunest_ioas_copy_any(struct iommunest_ctx *ctx,
					 uint32_t dst_ioas_id,
					 uint32_t src_ioas_id,
					 uint64_t src_iova, uint64_t length,
					 uint32_t flags, uint64_t *dst_iova)
{
	struct kabi_ioas_copy cmd = {
		.size = sizeof(cmd),
		.dst_ioas_id = dst_ioas_id,
		.src_ioas_id = src_ioas_id,
		.length = length,
		.src_iova = src_iova,
	};
	int rc;

	if (!dst_iova)
		return -EINVAL;
	rc = ioas_copy(ctx, &cmd, flags);
	if (!rc)
		*dst_iova = cmd.dst_iova;
	return rc;
}

/* The public and kernel range structs must stay interchangeable. */
_Static_assert(sizeof(struct iommunest_iova_range) ==
	       sizeof(struct kabi_iova_range), "iova range layout");

INEST_EXPORT int iommunest_ioas_iova_ranges(struct iommunest_ctx *ctx,
					    uint32_t ioas_id,
					    struct iommunest_iova_range *ranges,
					    uint32_t max, uint64_t *alignment)
{
	struct kabi_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.num_iovas = max,
		.allowed_iovas = inest_uptr(ranges),
	};
	int rc;

	if (!inest_ctx_ok(ctx) || (max && !ranges))
		return -EINVAL;
	rc = inest_ioctl(ctx->fd, KABI_IOMMU_IOAS_IOVA_RANGES, &cmd);
	/* EMSGSIZE: the array was short; the kernel still filled it and
	 * told the total, which is what we return. */
	if (rc && rc != -EMSGSIZE)
		return rc;
	if (cmd.num_iovas > INT_MAX)
		return -EOVERFLOW;
	if (alignment)
		*alignment = cmd.out_iova_alignment;
	return (int)cmd.num_iovas;
}

INEST_EXPORT int iommunest_ioas_allow_iovas(struct iommunest_ctx *ctx,
				uint32_t ioas_id,
				const struct iommunest_iova_range *ranges,
				uint32_t count)
{
	struct kabi_ioas_allow_iovas cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.num_iovas = count,
		.allowed_iovas = inest_uptr(ranges),
	};
	uint32_t i;

	if (!inest_ctx_ok(ctx) ||
	    (count && !inest_buf_ok(ranges, (uint64_t)count * sizeof(*ranges))))
		return -EINVAL;
	/* The kernel takes no empty or single-byte ranges either. */
	for (i = 0; i < count; i++)
		if (ranges[i].start >= ranges[i].last)
			return -EINVAL;
	return inest_ioctl(ctx->fd, KABI_IOMMU_IOAS_ALLOW_IOVAS, &cmd);
}
