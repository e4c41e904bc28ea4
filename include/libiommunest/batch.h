/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Batched stage-1 cache invalidation with a result for every entry.
 *
 * A batch has one target (a nested HWPT or a vIOMMU) and one entry type.
 * It is created once with a capacity; adding and flushing allocate
 * nothing.  After a flush every entry has exactly one result: done (0),
 * failed (a negative errno), or not attempted (IOMMUNEST_INV_NOT_ATTEMPTED).
 * An entry is reported done only when the kernel confirmed it.
 */
#ifndef LIBIOMMUNEST_BATCH_H
#define LIBIOMMUNEST_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include <libiommunest/iommunest.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iommunest_batch;

/* Result of an entry the flush did not get to (stop policy). */
#define IOMMUNEST_INV_NOT_ATTEMPTED 1

/* Policy flags (iommunest_batch_config.flags). */
/* Default: stop at the first failing entry, as a guest's invalidation
 * queue halts there; later entries stay not attempted. */
#define IOMMUNEST_BATCH_CONTINUE  (1u << 0) /* resubmit past a failure */
#define IOMMUNEST_BATCH_AUTOFLUSH (1u << 1) /* adding to a full batch flushes */

/* Called after every flush (explicit or automatic) while the results of
 * that flush can still be read from the batch. */
typedef void (*iommunest_batch_done_fn)(void *opaque,
					struct iommunest_batch *batch);

struct iommunest_batch_config {
	uint32_t target_id;    /* nested HWPT or vIOMMU */
	uint32_t data_type;    /* IOMMUNEST_INV_* or a newer kernel type */
	uint32_t entry_len;    /* bytes per entry; must match a known type */
	uint32_t capacity;     /* entries held before a flush */
	uint32_t max_per_call; /* entries per ioctl; 0: the kernel's cap */
	uint32_t flags;        /* IOMMUNEST_BATCH_* */
	iommunest_batch_done_fn done; /* may be NULL */
	void *opaque;
};

struct iommunest_batch_stats {
	uint64_t flushes;   /* flushes with at least one entry */
	uint64_t ioctls;    /* IOMMU_HWPT_INVALIDATE calls, the probe's too */
	uint64_t done;      /* entries confirmed by the kernel */
	uint64_t failed;    /* entries that got an error */
	uint64_t retries;   /* lone and confirming calls (see the man page) */
};

/* Create a batch.  The context must outlive it. */
int iommunest_batch_new(struct iommunest_ctx *ctx,
			const struct iommunest_batch_config *config,
			struct iommunest_batch **batch);
void iommunest_batch_free(struct iommunest_batch *batch);

/* Add one entry; returns its index in the current batch (>= 0).  A full
 * batch returns -ENOSPC, or with AUTOFLUSH is flushed first (then the
 * entry gets index 0); when that flush stopped at a failure the entry is
 * not added and -ECANCELED is returned with the results still readable. */
int iommunest_batch_add_raw(struct iommunest_batch *batch, const void *entry);
/* Reserve n entries for the caller to fill in place, in the kernel's
 * layout for the batch's type (no copy: for VMMs that build entries
 * straight from a guest queue).  *entries gets the first; returns the
 * index of the first.  A batch without room for n behaves as for one
 * entry (-ENOSPC, or an automatic flush); n above the capacity: -EINVAL.
 * The entries must be filled before the next flush. */
int iommunest_batch_reserve(struct iommunest_batch *batch, uint32_t n,
			    void **entries);
/* VT-d stage 1: npages 4 KiB pages from addr (4 KiB aligned). */
int iommunest_batch_add_vtd(struct iommunest_batch *batch, uint64_t addr,
			    uint64_t npages, bool leaf_only);
/* VT-d stage 1: everything the nested HWPT caches. */
int iommunest_batch_add_vtd_all(struct iommunest_batch *batch);
/* SMMUv3: one 128-bit CMDQ command (host endianness, as two words). */
int iommunest_batch_add_smmuv3(struct iommunest_batch *batch,
			       const uint64_t cmd[2]);
/* The kernel's mock IOMMU: clear IOTLB slot iotlb_id, or all with flag. */
#define IOMMUNEST_SELFTEST_INV_ALL (1u << 0)
int iommunest_batch_add_selftest(struct iommunest_batch *batch,
				 uint32_t iotlb_id, uint32_t flags);
/* The mock IOMMU's vIOMMU (0.2): clear cache slot cache_id of the vDEVICE
 * whose virtual ID is vdev_id, or all of its slots with the ALL flag.  The
 * type number is IOMMUNEST_INV_SELFTEST with 12-byte entries. */
#define IOMMUNEST_INV_SELFTEST_VIOMMU_LEN 12u
int iommunest_batch_add_selftest_viommu(struct iommunest_batch *batch,
					uint32_t vdev_id, uint32_t cache_id,
					uint32_t flags);

/* Submit every entry added since the last flush, split into calls of at
 * most max_per_call entries, in order.  Returns 0 when every entry is
 * done, else the (negative) error of the first failed entry. */
int iommunest_batch_flush(struct iommunest_batch *batch);
/* Entries in the current batch (added, or flushed and not yet reused). */
int iommunest_batch_count(const struct iommunest_batch *batch);
/* Result of entry index of the last flush: 0, -errno or NOT_ATTEMPTED. */
int iommunest_batch_result(const struct iommunest_batch *batch,
			   uint32_t index);
/* Index of the first failed entry of the last flush, or -ENOENT. */
int iommunest_batch_first_failed(const struct iommunest_batch *batch);
/* Drop the current entries and results. */
int iommunest_batch_reset(struct iommunest_batch *batch);
/* Does the target take this entry type?  0 or the kernel's error, from
 * an empty submission.  A lasting answer (0, -EINVAL, -EOPNOTSUPP,
 * -ENOENT, -ENOSYS) is remembered by the batch; any other is asked about
 * again by the next call. */
int iommunest_batch_probe(struct iommunest_batch *batch);
int iommunest_batch_stats(const struct iommunest_batch *batch,
			  struct iommunest_batch_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* LIBIOMMUNEST_BATCH_H */
