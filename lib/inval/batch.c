/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The invalidation batcher (layer 2 in DESIGN.md): typed entry builders,
 * chunking into ioctls, and a result for every entry.
 *
 * What the kernel's entry_num can be trusted with: entries are handled in
 * order and, on a failure, entry_num is the index of the failing entry.
 * Some paths report 0 or leave the input count when they fail before or
 * around an entry, so a count that does not fit the answer (>= the
 * entries sent on an error, or != them on success) means "position
 * unknown", and so does 0 on an error from a call of several entries (it
 * may mean "before any entry").  Invalidation is idempotent, so the
 * batcher then resubmits the first unconfirmed entry alone, whose answer
 * is unambiguous.  A count that fits proves the entries before it done
 * only for drivers that handle entries one by one (count_is_exact());
 * for the others the batcher confirms them with one more call first.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "internal.h"
#include "libiommunest/batch.h"

#define BATCH_FLAGS (IOMMUNEST_BATCH_CONTINUE | IOMMUNEST_BATCH_AUTOFLUSH)
#define PROBE_UNKNOWN 1 /* probe_rc before the first probe */
#define VTD_PAGE 4096u

struct iommunest_batch {
	struct iommunest_ctx *ctx;
	struct iommunest_batch_config cfg;
	uint8_t *entries;   /* capacity * entry_len bytes */
	int32_t *results;   /* one per entry of the last flush */
	uint32_t count;     /* entries in the batch */
	int32_t first_fail; /* index of the first failed entry, or -1 */
	bool all_done;      /* results[] unwritten: every entry so far done */
	bool flushed;       /* results are those of the current entries */
	int probe_rc;
	struct iommunest_batch_stats stats;
};

static bool config_ok(const struct iommunest_batch_config *c)
{
	if (!inest_inv_len_ok(c->data_type, c->entry_len) || !c->capacity ||
	    (c->flags & ~BATCH_FLAGS))
		return false;
	/* The whole array must be addressable. */
	return (uint64_t)c->entry_len * c->capacity <= SIZE_MAX / 2;
}

INEST_EXPORT int iommunest_batch_new(struct iommunest_ctx *ctx,
				     const struct iommunest_batch_config *cfg,
				     struct iommunest_batch **batch)
{
	struct iommunest_batch *b;

	if (!inest_ctx_ok(ctx) || !cfg || !batch || !config_ok(cfg))
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->ctx = ctx;
	b->cfg = *cfg;
	if (!b->cfg.max_per_call ||
	    b->cfg.max_per_call > KABI_INVALIDATE_ENTRY_NUM_MAX)
		b->cfg.max_per_call = KABI_INVALIDATE_ENTRY_NUM_MAX;
	b->probe_rc = PROBE_UNKNOWN;
	b->first_fail = -1;
	b->entries = calloc(cfg->capacity, cfg->entry_len);
	b->results = calloc(cfg->capacity, sizeof(*b->results));
	if (!b->entries || !b->results) {
		iommunest_batch_free(b);
		return -ENOMEM;
	}
	*batch = b;
	return 0;
}

INEST_EXPORT void iommunest_batch_free(struct iommunest_batch *b)
{
	if (!b)
		return;
	free(b->entries);
	free(b->results);
	free(b);
}

INEST_EXPORT int iommunest_batch_reset(struct iommunest_batch *b)
{
	if (!b)
		return -EINVAL;
	b->count = 0;
	b->flushed = false;
	return 0;
}

/*
 * Record the result of n entries from first.  Entries are settled in
 * order, so while all of them are done nothing is written (a flush that
 * succeeds costs nothing per entry); the first other result writes the
 * zeros before it.
 */
static void mark(struct iommunest_batch *b, uint32_t first, uint32_t n,
		 int32_t result)
{
	uint32_t i;

	if (b->all_done && result) {
		memset(b->results, 0, first * sizeof(*b->results));
		b->all_done = false;
	}
	if (!b->all_done)
		for (i = first; i < first + n; i++)
			b->results[i] = result;
	if (result == 0) {
		b->stats.done += n;
	} else if (result < 0) {
		b->stats.failed += n;
		if (b->first_fail < 0)
			b->first_fail = (int32_t)first;
	}
}

/* One ioctl for n entries from first; *handled gets the kernel's count. */
static inline int submit(struct iommunest_batch *b, uint32_t first, uint32_t n,
		  uint32_t *handled)
{
	*handled = n;
	b->stats.ioctls++;
	/* The batch was checked when made: straight to the kernel. */
	return inest_invalidate(b->ctx->fd, b->cfg.target_id,
				b->cfg.data_type,
				b->entries + (size_t)first * b->cfg.entry_len,
				b->cfg.entry_len, handled);
}

/*
 * Fate of a single resubmitted entry: its own answer.  A success whose
 * count is not 1 confirms nothing, so it is a failure (-EIO), never done.
 */
static int32_t single_result(int rc, uint32_t handled)
{
	if (rc)
		return rc;
	return handled == 1 ? 0 : -EIO;
}

/* 0 when every flushed entry is done, else the first failure's error. */
static int flush_status(const struct iommunest_batch *b)
{
	return b->flushed && b->first_fail >= 0 ? b->results[b->first_fail]
						 : 0;
}

/*
 * Does a failed call's count k prove entries [0, k) done?  The VT-d
 * stage-1 path and the mock IOMMU handle entries one by one and stop at
 * the failing one, so yes.  The SMMUv3 vIOMMU path converts commands one
 * by one but issues them in blocks of 63, so when command k fails to
 * convert, the commands of the block before k were never issued although
 * k is reported; a type the library does not know may do the same.
 */
static bool count_is_exact(uint32_t data_type)
{
	return data_type == KABI_INVALIDATE_DATA_VTD_S1 ||
	       data_type == KABI_INVALIDATE_DATA_SELFTEST;
}

/* Every entry done in one call: no result is written (all_done). */
static inline int flushed_done(struct iommunest_batch *b, uint32_t n)
{
	b->stats.done += n;
	b->flushed = true;
	if (b->cfg.done)
		b->cfg.done(b->cfg.opaque, b);
	return 0;
}

INEST_EXPORT int iommunest_batch_flush(struct iommunest_batch *b)
{
	bool stop = false, single = false, first;
	uint32_t next = 0, n, handled = 0, limit;
	int32_t limit_rc = 0;
	int rc = 0;

	if (!b)
		return -EINVAL;
	if (b->flushed || !b->count)
		return flush_status(b); /* nothing new to submit */
	/* Each entry's result is written once: as it is settled below, or
	 * as not attempted when the flush stops before it. */
	b->first_fail = -1;
	b->all_done = true;
	b->stats.flushes++;
	/* The hot case first: one call the kernel takes whole. */
	n = b->count;
	first = n <= b->cfg.max_per_call;
	if (first) {
		rc = submit(b, 0, n, &handled);
		if (!rc && handled == n)
			return flushed_done(b, n);
	}
	/* Submissions stop short of limit: the entry there failed with
	 * limit_rc, and those before it await confirmation. */
	limit = b->count;
	while (next < b->count && !stop) {
		if (next == limit) {
			mark(b, next, 1, limit_rc);
			next++;
			limit = b->count;
			stop = !(b->cfg.flags & IOMMUNEST_BATCH_CONTINUE);
			continue;
		}
		n = single ? 1 : limit - next;
		if (n > b->cfg.max_per_call)
			n = b->cfg.max_per_call;
		if (!first) /* else: the hot case's answer, for these n */
			rc = submit(b, next, n, &handled);
		first = false;
		if (!rc && handled == n) {
			mark(b, next, n, 0);
			next += n;
			single = false;
		} else if (single || n == 1) {
			/* A lone entry's answer is its own. */
			int32_t r = single_result(rc, handled);

			mark(b, next, 1, r);
			next++;
			single = false;
			stop = r < 0 && !(b->cfg.flags & IOMMUNEST_BATCH_CONTINUE);
		} else if (handled < n && handled && rc &&
			   !count_is_exact(b->cfg.data_type)) {
			/* The count names the failing entry but does not
			 * prove those before it done: resubmit them alone
			 * (invalidation is idempotent), then settle it.  If
			 * that confirming call fails too, ask one by one:
			 * the calls stay linear in the entries. */
			b->stats.retries++;
			if (limit < b->count) {
				single = true;
			} else {
				limit = next + handled;
				limit_rc = rc;
			}
		} else if (handled < n && (handled || !rc)) {
			/* The count fits: entries before it are done. */
			mark(b, next, handled, 0);
			next += handled;
			if (!rc) {
				/* Short success: the next entry's fate is
				 * unknown; ask about it alone. */
				b->stats.retries++;
				single = true;
				continue;
			}
			mark(b, next, 1, rc);
			next++;
			stop = !(b->cfg.flags & IOMMUNEST_BATCH_CONTINUE);
		} else {
			/* Position unknown: resubmit the first unconfirmed
			 * entry alone. */
			b->stats.retries++;
			single = true;
		}
	}
	if (next < b->count)
		mark(b, next, b->count - next, IOMMUNEST_INV_NOT_ATTEMPTED);
	b->flushed = true;
	if (b->cfg.done)
		b->cfg.done(b->cfg.opaque, b);
	return flush_status(b);
}

/* Room for n more entries: the index of the first, or -errno. */
static int make_room(struct iommunest_batch *b, uint32_t n)
{
	int rc;

	if (b->flushed) {
		b->count = 0;
		b->flushed = false;
	}
	if (b->count + n <= b->cfg.capacity)
		return (int)b->count;
	if (!(b->cfg.flags & IOMMUNEST_BATCH_AUTOFLUSH))
		return -ENOSPC;
	rc = iommunest_batch_flush(b);
	/* A stopped queue takes nothing more until the caller has seen it. */
	if (rc && !(b->cfg.flags & IOMMUNEST_BATCH_CONTINUE))
		return -ECANCELED;
	b->count = 0;
	b->flushed = false;
	return 0;
}

/*
 * The slot of the next entry of data_type, which the caller fills in
 * place (no copy through a temporary: adding is on a VMM's hot path), or
 * NULL with the error in *idx.
 */
static void *slot(struct iommunest_batch *b, uint32_t data_type, int *idx)
{
	if (b->cfg.data_type != data_type) {
		*idx = -EINVAL;
		return NULL;
	}
	if (b->count < b->cfg.capacity && !b->flushed)
		*idx = (int)b->count; /* the common case */
	else
		*idx = make_room(b, 1);
	if (*idx < 0)
		return NULL;
	b->count++;
	return b->entries + (size_t)*idx * b->cfg.entry_len;
}

INEST_EXPORT int iommunest_batch_reserve(struct iommunest_batch *b,
					 uint32_t n, void **entries)
{
	int idx;

	if (!b || !entries || !n || n > b->cfg.capacity)
		return -EINVAL;
	if (!b->flushed && b->count + n <= b->cfg.capacity)
		idx = (int)b->count; /* the common case */
	else
		idx = make_room(b, n);
	if (idx < 0)
		return idx;
	b->count += n;
	*entries = b->entries + (size_t)idx * b->cfg.entry_len;
	return idx;
}

INEST_EXPORT int iommunest_batch_add_raw(struct iommunest_batch *b,
					 const void *entry)
{
	void *e;
	int idx;

	if (!b || !entry)
		return -EINVAL;
	e = slot(b, b->cfg.data_type, &idx);
	if (e)
		memcpy(e, entry, b->cfg.entry_len);
	return idx;
}

INEST_EXPORT int iommunest_batch_add_vtd(struct iommunest_batch *b,
					 uint64_t addr, uint64_t npages,
					 bool leaf_only)
{
	struct kabi_vtd_s1_invalidate *e;
	int idx;

	/* The kernel takes "all" only as addr 0 with npages U64_MAX. */
	if (!b || !npages || (addr & (VTD_PAGE - 1)))
		return -EINVAL;
	/* "All" is addr 0 with U64_MAX pages; any other range must end at
	 * or below 2^64 (npages - 1 more pages fit above addr). */
	if (npages == UINT64_MAX ? addr != 0
				 : npages - 1 > (UINT64_MAX - addr) / VTD_PAGE)
		return -EINVAL;
	e = slot(b, KABI_INVALIDATE_DATA_VTD_S1, &idx);
	if (e)
		*e = (struct kabi_vtd_s1_invalidate){
			.addr = addr,
			.npages = npages,
			.flags = leaf_only ? KABI_VTD_INV_FLAGS_LEAF : 0,
		};
	return idx;
}

INEST_EXPORT int iommunest_batch_add_vtd_all(struct iommunest_batch *b)
{
	return iommunest_batch_add_vtd(b, 0, UINT64_MAX, false);
}

INEST_EXPORT int iommunest_batch_add_smmuv3(struct iommunest_batch *b,
					    const uint64_t cmd[2])
{
	struct kabi_smmuv3_invalidate *e;
	int idx;

	if (!b || !cmd)
		return -EINVAL;
	e = slot(b, KABI_INVALIDATE_DATA_ARM_SMMUV3, &idx);
	if (e) {
		e->cmd[0] = htole64(cmd[0]);
		e->cmd[1] = htole64(cmd[1]);
	}
	return idx;
}

INEST_EXPORT int iommunest_batch_add_selftest(struct iommunest_batch *b,
					      uint32_t iotlb_id,
					      uint32_t flags)
{
	struct kabi_selftest_invalidate *e;
	int idx;

	/* Unknown flags go through: the kernel's refusal is a test case. */
	if (!b || b->cfg.entry_len != sizeof(*e))
		return -EINVAL;
	e = slot(b, KABI_INVALIDATE_DATA_SELFTEST, &idx);
	if (e) {
		e->flags = flags;
		e->iotlb_id = iotlb_id;
	}
	return idx;
}

INEST_EXPORT int iommunest_batch_add_selftest_viommu(struct iommunest_batch *b,
						     uint32_t vdev_id,
						     uint32_t cache_id,
						     uint32_t flags)
{
	struct kabi_selftest_viommu_invalidate *e;
	int idx;

	if (!b || b->cfg.entry_len != sizeof(*e))
		return -EINVAL;
	e = slot(b, KABI_INVALIDATE_DATA_SELFTEST, &idx);
	if (e) {
		e->flags = flags;
		e->vdev_id = vdev_id;
		e->cache_id = cache_id;
	}
	return idx;
}

void inest_batch_info(const struct iommunest_batch *b,
		      struct inest_batch_info *info)
{
	info->data_type = b->cfg.data_type;
	info->entry_len = b->cfg.entry_len;
	info->capacity = b->cfg.capacity;
	info->pending = b->flushed ? 0 : b->count;
}

INEST_EXPORT int iommunest_batch_count(const struct iommunest_batch *b)
{
	return b ? (int)b->count : -EINVAL;
}

INEST_EXPORT int iommunest_batch_result(const struct iommunest_batch *b,
					uint32_t index)
{
	if (!b || !b->flushed || index >= b->count)
		return -EINVAL;
	return b->all_done ? 0 : b->results[index];
}

INEST_EXPORT int iommunest_batch_first_failed(const struct iommunest_batch *b)
{
	if (!b || !b->flushed)
		return -EINVAL;
	return b->first_fail >= 0 ? b->first_fail : -ENOENT;
}

/*
 * Answers about the target, the type or the kernel, which asking again
 * cannot change: success; EINVAL (the driver does not take the type, or
 * the object takes no invalidations), EOPNOTSUPP (its driver has no
 * invalidation call), ENOENT (no such object), ENOSYS (no such ioctl).
 * Anything else (ENOMEM, EFAULT, EINTR, ...) is passing trouble.
 */
static bool lasting(int rc)
{
	return rc == 0 || rc == -EINVAL || rc == -EOPNOTSUPP ||
	       rc == -ENOENT || rc == -ENOSYS;
}

INEST_EXPORT int iommunest_batch_probe(struct iommunest_batch *b)
{
	uint32_t none = 0;
	int rc;

	if (!b)
		return -EINVAL;
	if (b->probe_rc != PROBE_UNKNOWN)
		return b->probe_rc;
	/* Every call the batch makes is counted, the probe's too.  The
	 * batch was checked when made: straight to the kernel, as submit(). */
	b->stats.ioctls++;
	rc = inest_invalidate(b->ctx->fd, b->cfg.target_id, b->cfg.data_type,
			      NULL, b->cfg.entry_len, &none);
	if (lasting(rc))
		b->probe_rc = rc;
	return rc;
}

INEST_EXPORT int iommunest_batch_stats(const struct iommunest_batch *b,
				       struct iommunest_batch_stats *stats)
{
	if (!b || !stats)
		return -EINVAL;
	*stats = b->stats;
	return 0;
}
