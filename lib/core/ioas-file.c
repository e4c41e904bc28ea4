/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Live update: IOAS mappings of memfd pages and moving their charge. */
#include <sys/stat.h>

#include "abi.h"
#include "internal.h"

/*
 * A regular file (a memfd) must hold [start, start + length).  The kernel
 * checks this only when it pins the pages, which for an IOAS without a
 * page table is the next attach, far from the mistake.  Other files
 * (a dma-buf) are left to the kernel.
 */
static int file_range_ok(int fd, uint64_t start, uint64_t length)
{
	struct stat st;
	uint64_t size;
	int rc = inest_fstat(fd, &st);

	if (rc)
		return rc;
	if (!S_ISREG(st.st_mode))
		return 0;
	size = st.st_size < 0 ? 0 : (uint64_t)st.st_size;
	/* Written so that a range ending at 2^64 cannot wrap to 0. */
	return start > size || length > size - start ? -EINVAL : 0;
}

static int map_file(struct iommunest_ctx *ctx, uint32_t ioas_id, int fd,
		    uint64_t start, uint64_t length, uint32_t flags,
		    uint64_t *iova, uint32_t fixed)
{
	struct kabi_ioas_map_file cmd = {
		.size = sizeof(cmd),
		.flags = inest_map_flags(flags) | fixed,
		.ioas_id = ioas_id,
		.fd = fd,
		.start = start,
		.length = length,
		.iova = *iova,
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !inest_map_flags(flags) ||
	    !inest_range_ok(start, length) ||
	    (fixed && !inest_range_ok(cmd.iova, length)))
		return -EINVAL;
	rc = inest_fd_check(fd);
	if (!rc)
		rc = file_range_ok(fd, start, length);
	if (rc)
		return rc;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_IOAS_MAP_FILE, &cmd);
	if (!rc)
		*iova = cmd.iova;
	return rc;
}

INEST_EXPORT int iommunest_ioas_map_file(struct iommunest_ctx *ctx,
					 uint32_t ioas_id, int fd,
					 uint64_t start, uint64_t length,
					 uint64_t iova, uint32_t flags)
{
	return map_file(ctx, ioas_id, fd, start, length, flags, &iova,
			KABI_MAP_FIXED_IOVA);
}

INEST_EXPORT int iommunest_ioas_map_file_any(struct iommunest_ctx *ctx,
					     uint32_t ioas_id, int fd,
					     uint64_t start, uint64_t length,
					     uint32_t flags, uint64_t *iova)
{
	uint64_t picked = 0;
	int rc;

	if (!iova)
		return -EINVAL;
	rc = map_file(ctx, ioas_id, fd, start, length, flags, &picked, 0);
	if (!rc)
		*iova = picked;
	return rc;
}

INEST_EXPORT int iommunest_ioas_change_process(struct iommunest_ctx *ctx)
{
	struct kabi_ioas_change_process cmd = { .size = sizeof(cmd) };

	if (!inest_ctx_ok(ctx))
		return -EINVAL;
	return inest_ioctl_newer(ctx->fd, KABI_IOMMU_IOAS_CHANGE_PROCESS,
				 &cmd);
}
