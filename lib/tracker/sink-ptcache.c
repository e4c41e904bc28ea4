/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Paging HWPTs kept ready on the IOASes of a tracker.
 *
 * Replacing a device onto an IOAS makes the kernel build a page table for
 * it from the IOAS's mappings, and drop that table when the last device
 * leaves: in sharing mode every switch back to a domain rebuilt its whole
 * table.  A paging HWPT allocated on the IOAS lives until destroyed and
 * follows the IOAS's maps and unmaps, so a switch onto it is one replace.
 * One HWPT per IOAS serves every device whose IOMMU accepts it; a device
 * that the kernel finds incompatible (EINVAL) gets one of its own; where
 * the kernel refuses to allocate one, the device goes onto the IOAS.
 */
#include <stdlib.h>

#include "internal.h"
#include "libiommunest/tracker.h"

struct pt_entry {
	uint32_t ioas;
	uint32_t hwpt;
};

struct iommunest_ptcache {
	struct iommunest_ctx *ctx;
	struct pt_entry *v;
	uint32_t n, cap;
	uint32_t *refused; /* devices the kernel gave no HWPT: lasting */
	uint32_t nrefused;
};

INEST_EXPORT int iommunest_ptcache_new(struct iommunest_ctx *ctx,
				       struct iommunest_ptcache **pc)
{
	if (!inest_ctx_ok(ctx) || !pc)
		return -EINVAL;
	*pc = calloc(1, sizeof(**pc));
	if (!*pc)
		return -ENOMEM;
	(*pc)->ctx = ctx;
	return 0;
}

/* Destroy the HWPTs kept for ioas (all: ioas 0); one still in use stays
 * kept, and its error is returned. */
static int drop_hwpts(struct iommunest_ptcache *pc, uint32_t ioas)
{
	uint32_t i = 0;
	int rc = 0, err;

	while (i < pc->n) {
		if (ioas && pc->v[i].ioas != ioas) {
			i++;
			continue;
		}
		err = iommunest_destroy(pc->ctx, pc->v[i].hwpt);
		if (err) {
			rc = rc ? rc : err;
			i++;
			continue;
		}
		pc->v[i] = pc->v[--pc->n];
	}
	return rc;
}

INEST_EXPORT void iommunest_ptcache_free(struct iommunest_ptcache *pc)
{
	if (!pc)
		return;
	drop_hwpts(pc, 0);
	free(pc->v);
	free(pc->refused);
	free(pc);
}

/* ---- the sink: the IOAS sink's operations on pc->ctx ------------------ */

static int pc_map(void *o, uint32_t as, uint64_t iova, uint64_t length,
		  void *hva, uint32_t perm)
{
	struct iommunest_ptcache *pc = o;

	return iommunest_ioas_map(pc->ctx, as, hva, length, iova, perm);
}

static int pc_unmap(void *o, uint32_t as, uint64_t iova, uint64_t length)
{
	struct iommunest_ptcache *pc = o;

	return iommunest_ioas_unmap(pc->ctx, as, iova, length, NULL);
}

static int pc_unmap_all(void *o, uint32_t as)
{
	struct iommunest_ptcache *pc = o;

	return iommunest_ioas_unmap_all(pc->ctx, as, NULL);
}

static int pc_alloc(void *o, uint32_t *as)
{
	struct iommunest_ptcache *pc = o;

	return iommunest_ioas_alloc(pc->ctx, as);
}

/* The HWPTs hold the IOAS: they go first. */
static int pc_free(void *o, uint32_t as)
{
	struct iommunest_ptcache *pc = o;
	int rc = drop_hwpts(pc, as);

	return rc ? rc : iommunest_destroy(pc->ctx, as);
}

static int pc_copy(void *o, uint32_t from, uint32_t to, uint64_t iova,
		   uint64_t length, uint32_t perm)
{
	struct iommunest_ptcache *pc = o;

	return iommunest_ioas_copy(pc->ctx, to, iova, from, iova, length,
				   perm);
}

INEST_EXPORT int iommunest_ptcache_sink(struct iommunest_ptcache *pc,
					struct iommunest_sink *sink,
					struct iommunest_sink_ext *ext)
{
	if (!pc || !sink)
		return -EINVAL;
	*sink = (struct iommunest_sink){
		.map = pc_map,
		.unmap = pc_unmap,
		.unmap_all = pc_unmap_all,
		.as_alloc = pc_alloc,
		.as_free = pc_free,
		.opaque = pc,
	};
	if (ext)
		*ext = (struct iommunest_sink_ext){ .size = sizeof(*ext),
						    .copy = pc_copy };
	return 0;
}

/* ---- moving a device ---------------------------------------------------- */

static bool refused(const struct iommunest_ptcache *pc, uint32_t dev_id)
{
	uint32_t i;

	for (i = 0; i < pc->nrefused; i++)
		if (pc->refused[i] == dev_id)
			return true;
	return false;
}

/* The kernel has no paging HWPT for this device (EOPNOTSUPP) or will not
 * make one on an IOAS (EINVAL): remember, so it is asked once. */
static void remember_refusal(struct iommunest_ptcache *pc, uint32_t dev_id,
			     int rc)
{
	uint32_t *v;

	if (rc != -EOPNOTSUPP && rc != -EINVAL)
		return;
	v = realloc(pc->refused, (pc->nrefused + 1) * sizeof(*v));
	if (!v)
		return;
	pc->refused = v;
	pc->refused[pc->nrefused++] = dev_id;
}

static int keep(struct iommunest_ptcache *pc, uint32_t ioas, uint32_t hwpt)
{
	if (pc->n == pc->cap) {
		uint32_t cap = pc->cap ? 2 * pc->cap : 8;
		struct pt_entry *v = realloc(pc->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		pc->v = v;
		pc->cap = cap;
	}
	pc->v[pc->n++] = (struct pt_entry){ ioas, hwpt };
	return 0;
}

/* A new HWPT on ioas for the device, kept; 0 when none can be had. */
static uint32_t new_hwpt(struct iommunest_ptcache *pc, uint32_t dev_id,
			 uint32_t ioas)
{
	uint32_t hwpt = 0;
	int rc;

	if (refused(pc, dev_id))
		return 0;
	rc = iommunest_hwpt_alloc_paging(pc->ctx, dev_id, ioas, 0, &hwpt);
	if (rc) {
		remember_refusal(pc, dev_id, rc);
		return 0;
	}
	if (keep(pc, ioas, hwpt)) {
		iommunest_destroy(pc->ctx, hwpt);
		return 0;
	}
	return hwpt;
}

INEST_EXPORT int iommunest_ptcache_replace(struct iommunest_ptcache *pc,
					   uint32_t dev_id, uint32_t ioas_id,
					   iommunest_replace_fn replace,
					   void *opaque)
{
	uint32_t i, hwpt;
	int rc;

	if (!pc || !replace || !ioas_id)
		return -EINVAL;
	/* A HWPT already kept on the IOAS, if the device's IOMMU takes it;
	 * EINVAL is the kernel's "incompatible", so try the next. */
	for (i = 0; i < pc->n; i++) {
		if (pc->v[i].ioas != ioas_id)
			continue;
		rc = replace(opaque, pc->v[i].hwpt);
		if (rc != -EINVAL)
			return rc;
	}
	hwpt = new_hwpt(pc, dev_id, ioas_id);
	return replace(opaque, hwpt ? hwpt : ioas_id);
}
