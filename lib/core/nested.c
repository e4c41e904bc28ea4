/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Nested HWPTs: allocation (generic and typed) and the nested switch. */
#include <endian.h>

#include "abi.h"
#include "internal.h"

#define VTD_S1_FLAGS (IOMMUNEST_VTD_S1_SRE | IOMMUNEST_VTD_S1_EAFE | \
		      IOMMUNEST_VTD_S1_WPE)
#define VTD_PAGE 4096u

static bool nested_args_ok(const struct iommunest_ctx *ctx,
			   uint32_t data_type, const void *data,
			   uint32_t data_len)
{
	return inest_ctx_ok(ctx) && data_type != KABI_HWPT_DATA_NONE &&
	       inest_buf_ok(data, data_len);
}

INEST_EXPORT int iommunest_hwpt_alloc_nested(struct iommunest_ctx *ctx,
					     uint32_t dev_id,
					     uint32_t parent_id,
					     uint32_t data_type,
					     const void *data,
					     uint32_t data_len,
					     uint32_t *hwpt_id)
{
	struct kabi_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.dev_id = dev_id,
		.pt_id = parent_id,
		.data_type = data_type,
		.data_len = data_len,
		.data_uptr = inest_uptr(data),
	};
	int rc;

	if (!hwpt_id || !nested_args_ok(ctx, data_type, data, data_len))
		return -EINVAL;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_HWPT_ALLOC, &cmd);
	if (!rc)
		*hwpt_id = cmd.out_hwpt_id;
	return rc;
}

INEST_EXPORT int iommunest_hwpt_alloc_vtd_s1(struct iommunest_ctx *ctx,
					     uint32_t dev_id,
					     uint32_t parent_id,
					     uint64_t pgtbl_addr,
					     uint32_t addr_width,
					     uint32_t flags,
					     uint32_t *hwpt_id)
{
	struct kabi_hwpt_vtd_s1 d = {
		.flags = flags,
		.pgtbl_addr = pgtbl_addr,
		.addr_width = addr_width,
	};

	/* A first-level table is one page; 4- or 5-level paging only. */
	if ((flags & ~VTD_S1_FLAGS) || (pgtbl_addr & (VTD_PAGE - 1)) ||
	    (addr_width != 48 && addr_width != 57))
		return -EINVAL;
	return iommunest_hwpt_alloc_nested(ctx, dev_id, parent_id,
					   KABI_HWPT_DATA_VTD_S1, &d,
					   sizeof(d), hwpt_id);
}

INEST_EXPORT int iommunest_hwpt_alloc_smmuv3(struct iommunest_ctx *ctx,
					     uint32_t dev_id,
					     uint32_t viommu_id,
					     const uint64_t ste[2],
					     uint32_t *hwpt_id)
{
	struct kabi_hwpt_arm_smmuv3 d;

	if (!ste)
		return -EINVAL;
	d.ste[0] = htole64(ste[0]);
	d.ste[1] = htole64(ste[1]);
	return iommunest_hwpt_alloc_nested(ctx, dev_id, viommu_id,
					   KABI_HWPT_DATA_ARM_SMMUV3, &d,
					   sizeof(d), hwpt_id);
}

INEST_EXPORT int iommunest_hwpt_alloc_selftest(struct iommunest_ctx *ctx,
					       uint32_t dev_id,
					       uint32_t parent_id,
					       uint32_t iotlb,
					       uint32_t *hwpt_id)
{
	struct kabi_hwpt_selftest d = { .iotlb = iotlb };

	return iommunest_hwpt_alloc_nested(ctx, dev_id, parent_id,
					   KABI_HWPT_DATA_SELFTEST, &d,
					   sizeof(d), hwpt_id);
}

INEST_EXPORT int iommunest_nested_switch_fn(struct iommunest_ctx *ctx,
					    uint32_t dev_id,
					    uint32_t parent_id,
					    uint32_t data_type,
					    const void *data,
					    uint32_t data_len,
					    iommunest_replace_fn replace,
					    void *opaque, uint32_t *hwpt_id)
{
	uint32_t old, new_id = 0;
	int rc;

	if (!replace || !hwpt_id ||
	    !nested_args_ok(ctx, data_type, data, data_len))
		return -EINVAL;
	/* Make: the new table exists before the device leaves the old. */
	rc = iommunest_hwpt_alloc_nested(ctx, dev_id, parent_id, data_type,
					 data, data_len, &new_id);
	if (rc)
		return rc;
	rc = replace(opaque, new_id);
	if (rc) {
		/* The device is still on the old table; drop the new one. */
		iommunest_destroy(ctx, new_id);
		return rc;
	}
	/* Break: only now can the old table go. */
	old = *hwpt_id;
	*hwpt_id = new_id;
	if (old && iommunest_destroy(ctx, old))
		return 1;
	return 0;
}

struct vfio_target {
	struct iommunest_ctx *ctx;
	int fd;
};

static int vfio_replace(void *opaque, uint32_t pt_id)
{
	struct vfio_target *t = opaque;

	return iommunest_device_replace(t->ctx, t->fd, pt_id);
}

INEST_EXPORT int iommunest_nested_switch(struct iommunest_ctx *ctx,
					 int vfio_fd, uint32_t dev_id,
					 uint32_t parent_id, uint32_t data_type,
					 const void *data, uint32_t data_len,
					 uint32_t *hwpt_id)
{
	struct vfio_target t = { .ctx = ctx, .fd = vfio_fd };
	int rc;

	if (!inest_ctx_ok(ctx))
		return -EINVAL;
	rc = inest_fd_check(vfio_fd);
	if (rc)
		return rc;
	return iommunest_nested_switch_fn(ctx, dev_id, parent_id, data_type,
					  data, data_len, vfio_replace, &t,
					  hwpt_id);
}
