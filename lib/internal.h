/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Shared by the object layer: the context, argument checks, exports. */
#ifndef IOMMUNEST_INTERNAL_H
#define IOMMUNEST_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libiommunest/iommunest.h"
#include "abi.h"
#include "sys.h"

/* Marks a public symbol; everything else is hidden by -fvisibility. */
#define INEST_EXPORT __attribute__((visibility("default")))

struct iommunest_ctx {
	int fd; /* /dev/iommu, owned */
};

/* A user pointer as the kernel ABI carries it. */
static inline uint64_t inest_uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* [start, start + length) is non-empty and does not wrap past 2^64. */
static inline bool inest_range_ok(uint64_t start, uint64_t length)
{
	return length != 0 && start + (length - 1) >= start;
}

/* [p, p + length) is a non-empty user buffer inside the address space
 * (on 32-bit hosts a 64-bit length can run past it). */
static inline bool inest_buf_ok(const void *p, uint64_t length)
{
	return p != NULL && length != 0 &&
	       length - 1 <= (uint64_t)(UINTPTR_MAX - (uintptr_t)p);
}

/* A context that can be used for an ioctl. */
static inline bool inest_ctx_ok(const struct iommunest_ctx *ctx)
{
	return ctx != NULL && ctx->fd >= 0;
}

/* Public permission flags (IOMMUNEST_MAP_*) to the kernel's; 0 if none
 * or unknown bits. */
uint32_t inest_map_flags(uint32_t flags);

/* One IOMMU_HWPT_INVALIDATE with arguments already checked; *num in and
 * out as for iommunest_invalidate().  Inline: it is the batcher's hot
 * path, where a VMM compares the library with its own ioctl loop. */
static inline int inest_invalidate(int fd, uint32_t target_id,
				   uint32_t data_type, const void *entries,
				   uint32_t entry_len, uint32_t *num)
{
	struct kabi_hwpt_invalidate cmd = {
		.size = sizeof(cmd),
		.hwpt_id = target_id,
		.data_uptr = inest_uptr(entries),
		.data_type = data_type,
		.entry_len = entry_len,
		.entry_num = *num,
	};
	int rc = inest_ioctl_newer(fd, KABI_IOMMU_HWPT_INVALIDATE, &cmd);

	*num = cmd.entry_num;
	return rc;
}

/* entry_len is non-zero and, for a type the library knows, its size. */
bool inest_inv_len_ok(uint32_t data_type, uint32_t entry_len);

/* What the guest queue translators must know of a batch they fill: its
 * type, entry size, capacity, and entries added but not yet flushed. */
struct inest_batch_info {
	uint32_t data_type;
	uint32_t entry_len;
	uint32_t capacity;
	uint32_t pending;
};
struct iommunest_batch;
void inest_batch_info(const struct iommunest_batch *batch,
		      struct inest_batch_info *info);

#endif /* IOMMUNEST_INTERNAL_H */
