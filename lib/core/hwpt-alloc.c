/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* IOMMU_HWPT_ALLOC in its general form, and the AMD guest typed form. */
#include <string.h>

#include "abi.h"
#include "internal.h"

#define HWPT_FLAGS (IOMMUNEST_HWPT_NEST_PARENT | \
		    IOMMUNEST_HWPT_DIRTY_TRACKING | IOMMUNEST_HWPT_FAULT | \
		    IOMMUNEST_HWPT_PASID)

/* The library's flags as the kernel spells them. */
static uint32_t kernel_flags(uint32_t flags)
{
	uint32_t k = 0;

	if (flags & IOMMUNEST_HWPT_NEST_PARENT)
		k |= KABI_HWPT_ALLOC_NEST_PARENT;
	if (flags & IOMMUNEST_HWPT_DIRTY_TRACKING)
		k |= KABI_HWPT_ALLOC_DIRTY_TRACKING;
	if (flags & IOMMUNEST_HWPT_FAULT)
		k |= KABI_HWPT_FAULT_ID_VALID;
	if (flags & IOMMUNEST_HWPT_PASID)
		k |= KABI_HWPT_ALLOC_PASID;
	return k;
}

/* Data goes with a type and only with one; a fault ID only with FAULT. */
static bool args_ok(const struct iommunest_hwpt_args *a)
{
	if (a->flags & ~HWPT_FLAGS)
		return false;
	if (!(a->flags & IOMMUNEST_HWPT_FAULT) && a->fault_id)
		return false;
	if (a->data_type == KABI_HWPT_DATA_NONE)
		return !a->data && !a->data_len;
	return inest_buf_ok(a->data, a->data_len);
}

INEST_EXPORT int iommunest_hwpt_alloc(struct iommunest_ctx *ctx,
				      const struct iommunest_hwpt_args *args,
				      uint32_t *hwpt_id)
{
	struct kabi_hwpt_alloc cmd = { .size = sizeof(cmd) };
	int rc;

	if (!inest_ctx_ok(ctx) || !args || !hwpt_id || !args_ok(args))
		return -EINVAL;
	cmd.flags = kernel_flags(args->flags);
	cmd.dev_id = args->dev_id;
	cmd.pt_id = args->pt_id;
	cmd.data_type = args->data_type;
	cmd.data_len = args->data_len;
	cmd.data_uptr = inest_uptr(args->data);
	cmd.fault_id = args->fault_id;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_HWPT_ALLOC, &cmd);
	if (!rc)
		*hwpt_id = cmd.out_hwpt_id;
	return rc;
}

INEST_EXPORT int iommunest_hwpt_alloc_amd_guest(struct iommunest_ctx *ctx,
						uint32_t dev_id,
						uint32_t parent_id,
						const uint64_t dte[4],
						uint32_t *hwpt_id)
{
	struct kabi_hwpt_amd_guest d;
	struct iommunest_hwpt_args a = {
		.dev_id = dev_id,
		.pt_id = parent_id,
		.data_type = IOMMUNEST_HWPT_DATA_AMD_GUEST,
		.data_len = sizeof(d),
		.data = &d,
	};

	if (!dte)
		return -EINVAL;
	/* The kernel takes the DTE in CPU order (unlike SMMUv3's STE). */
	memcpy(d.dte, dte, sizeof(d.dte));
	return iommunest_hwpt_alloc(ctx, &a, hwpt_id);
}
