/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* vIOMMU and vDEVICE objects (Linux 6.13 and later), driver data, mmap. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/*
 * A 6.13 to 6.16 kernel has no data fields: it refuses them as unknown
 * trailing bytes (E2BIG), which a newer driver also answers for data
 * longer than its struct.  Tell them apart by the HW queue call of the
 * release that added the fields: a zeroed request is refused before it
 * looks at anything (EOPNOTSUPP), or is unknown (ENOTTY).
 */
static int viommu_data_result(const struct iommunest_ctx *ctx, int rc)
{
	struct kabi_hw_queue_alloc probe = { .size = sizeof(probe) };

	if (rc != -E2BIG)
		return rc;
	if (inest_ioctl(ctx->fd, KABI_IOMMU_HW_QUEUE_ALLOC, &probe) == -ENOTTY)
		return -ENOSYS;
	return rc;
}

INEST_EXPORT int iommunest_viommu_alloc_data(struct iommunest_ctx *ctx,
					     uint32_t dev_id,
					     uint32_t parent_hwpt_id,
					     uint32_t type, void *data,
					     uint32_t data_len,
					     uint32_t *viommu_id)
{
	struct kabi_viommu_alloc cmd = {
		.size = sizeof(cmd),
		.type = type,
		.dev_id = dev_id,
		.hwpt_id = parent_hwpt_id,
		.data_len = data_len,
	};
	void *bounce;
	int rc;

	if (!inest_ctx_ok(ctx) || !viommu_id || !type ||
	    (data_len ? !inest_buf_ok(data, data_len) : data != NULL))
		return -EINVAL;
	if (!data_len)
		return iommunest_viommu_alloc(ctx, dev_id, parent_hwpt_id, type,
					      viommu_id);
	/* The driver writes its outputs as it goes, also on a call that
	 * fails later: a copy keeps data as it was unless all went well. */
	bounce = malloc(data_len);
	if (!bounce)
		return -ENOMEM;
	memcpy(bounce, data, data_len);
	cmd.data_uptr = inest_uptr(bounce);
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_VIOMMU_ALLOC, &cmd);
	rc = viommu_data_result(ctx, rc);
	if (!rc) {
		memcpy(data, bounce, data_len);
		*viommu_id = cmd.out_viommu_id;
	}
	free(bounce);
	return rc;
}

#define MMAP_PROTS (PROT_READ | PROT_WRITE)

INEST_EXPORT int iommunest_mmap(struct iommunest_ctx *ctx, uint64_t offset,
				uint64_t length, int prot, void **addr)
{
	long page = sysconf(_SC_PAGESIZE);
	off_t off = (off_t)offset;
	int rc;

	if (!inest_ctx_ok(ctx) || !addr || !length || length > SIZE_MAX ||
	    (prot & ~MMAP_PROTS) || page <= 0 ||
	    offset % (uint64_t)page || off < 0 || (uint64_t)off != offset)
		return -EINVAL;
	rc = inest_mmap(ctx->fd, off, (size_t)length, prot, addr);
	/* A kernel before 6.17 has no mmap for the iommufd at all. */
	return rc == -ENODEV ? -ENOSYS : rc;
}
