/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Keeping one host address space in step with what it mirrors: replay
 * (coalescing contiguous runs into one map each), partial unmaps on whole
 * host areas, emptying, and failing closed.
 */
#include <stdlib.h>

#include "tracker.h"

const struct trk_ram *trk_ram_find(const struct iommunest_tracker *t,
				   uint64_t gpa)
{
	uint32_t lo = 0, hi = t->nram;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct trk_ram *r = &t->ram[mid];

		if (gpa < r->gpa)
			hi = mid;
		else if (gpa >= r->gpa + r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

void trk_as_init(struct iommunest_tracker *t, struct trk_as *as, uint32_t id)
{
	*as = (struct trk_as){ .id = id, .kind = AS_EMPTY };
	rm_init(&as->areas, &t->pool);
}

static struct trk_as **mirror_list(struct iommunest_tracker *t,
				   struct trk_as *as)
{
	return as->kind == AS_DOMAIN ? &as->dom->mirrors : &t->pt_mirrors;
}

void trk_as_link(struct iommunest_tracker *t, struct trk_as *as,
		 enum as_kind kind, struct trk_domain *dom)
{
	struct trk_as **head;

	trk_as_unlink(t, as);
	as->kind = kind;
	as->dom = dom;
	if (kind == AS_EMPTY)
		return;
	head = mirror_list(t, as);
	as->prev = NULL;
	as->next = *head;
	if (*head)
		(*head)->prev = as;
	*head = as;
}

void trk_as_unlink(struct iommunest_tracker *t, struct trk_as *as)
{
	if (as->kind == AS_EMPTY)
		return;
	if (as->prev)
		as->prev->next = as->next;
	else
		*mirror_list(t, as) = as->next;
	if (as->next)
		as->next->prev = as->prev;
	as->next = as->prev = NULL;
	as->kind = AS_EMPTY;
	as->dom = NULL;
}

/* ---- address spaces of the tracker's own ----------------------------- */

struct trk_as *trk_as_new(struct iommunest_tracker *t, int *rc)
{
	struct trk_as *as = malloc(sizeof(*as));
	uint32_t id;

	*rc = as ? t->sink.as_alloc(t->sink.opaque, &id) : -ENOMEM;
	if (*rc) {
		free(as);
		return NULL;
	}
	trk_as_init(t, as, id);
	as->owned = true;
	return as;
}

void trk_as_delete(struct iommunest_tracker *t, struct trk_as *as)
{
	trk_as_unlink(t, as);
	rm_clear(&as->areas);
	t->sink.as_free(t->sink.opaque, as->id);
	free(as);
}

/* Drop a tracker-owned address space nobody is on and nothing needs. */
void trk_as_release(struct iommunest_tracker *t, struct trk_as *as)
{
	if (!as || !as->owned || as->users || as == t->blocked)
		return;
	if (as->kind == AS_EMPTY)
		trk_as_delete(t, as);
}

/* ---- sink calls, counted --------------------------------------------- */

static int sink_map(struct iommunest_tracker *t, struct trk_as *as,
		    uint64_t iova, uint64_t len, void *hva, uint32_t perm)
{
	int rc;

	t->stats.maps++;
	rc = t->sink.map(t->sink.opaque, as->id, iova, len, hva, perm);
	if (!rc)
		rc = rm_insert(&as->areas, iova, len, perm);
	else
		t->stats.failures++;
	/* An area mapped but not recorded would be lost: the caller fails
	 * closed, and unmap-all takes it away with the rest. */
	return rc;
}

/* Counted as a map: it makes one host area. */
int trk_as_copy(struct iommunest_tracker *t, struct trk_as *from,
		struct trk_as *to, uint64_t iova, uint64_t len, uint32_t perm)
{
	int rc;

	t->stats.maps++;
	rc = t->ext.copy(t->sink.opaque, from->id, to->id, iova, len, perm);
	if (!rc)
		rc = rm_insert(&to->areas, iova, len, perm);
	else
		t->stats.failures++;
	return rc;
}

static int sink_unmap(struct iommunest_tracker *t, struct trk_as *as,
		      uint64_t iova, uint64_t len)
{
	int rc;

	t->stats.unmaps++;
	rc = t->sink.unmap(t->sink.opaque, as->id, iova, len);
	if (rc)
		t->stats.failures++;
	return rc;
}

static int sink_unmap_all(struct iommunest_tracker *t, struct trk_as *as)
{
	int rc;

	t->stats.unmap_alls++;
	rc = t->sink.unmap_all(t->sink.opaque, as->id);
	if (rc)
		t->stats.failures++;
	return rc;
}

/* ---- replay with coalescing ------------------------------------------ */

/* A maximal run: contiguous in IOVA and guest-physical space, inside one
 * RAM region, with one permission; emitted as one map. */
struct run {
	struct iommunest_tracker *t;
	struct trk_as *as;
	const struct trk_ram *ram;
	uint64_t iova, gpa, len;
	uint32_t perm;
	uint64_t clip_start, clip_end; /* replay only this IOVA window */
	int rc;
};

static void run_flush(struct run *r)
{
	if (!r->len || r->rc)
		return;
	r->rc = sink_map(r->t, r->as, r->iova, r->len,
			 r->ram->hva + (r->gpa - r->ram->gpa), r->perm);
	r->len = 0;
}

/* Feed [iova, +len) -> gpa; it may span RAM regions: split there. */
static void run_feed(struct run *r, uint64_t iova, uint64_t len,
		     uint64_t gpa, uint32_t perm)
{
	while (len && !r->rc) {
		const struct trk_ram *ram = trk_ram_find(r->t, gpa);
		uint64_t piece;

		if (!ram) { /* checked when mapped; RAM never goes away */
			r->rc = -EFAULT;
			return;
		}
		piece = ram->gpa + ram->len - gpa;
		if (piece > len)
			piece = len;
		if (r->len && ram == r->ram && perm == r->perm &&
		    iova == r->iova + r->len && gpa == r->gpa + r->len) {
			r->len += piece;
		} else {
			run_flush(r);
			*r = (struct run){ r->t, r->as, ram, iova, gpa, piece,
					   perm, r->clip_start, r->clip_end,
					   r->rc };
		}
		iova += piece;
		gpa += piece;
		len -= piece;
	}
}

static int feed_mapping(void *arg, const struct rm_node *n)
{
	struct run *r = arg;
	uint64_t start = n->start, end = n->start + n->len;
	uint64_t gpa = trk_gpa(n->val);

	if (start < r->clip_start) {
		gpa += r->clip_start - start;
		start = r->clip_start;
	}
	if (end > r->clip_end)
		end = r->clip_end;
	run_feed(r, start, end - start, gpa, trk_perm(n->val));
	return r->rc;
}

int trk_as_replay_range(struct iommunest_tracker *t, struct trk_as *as,
			uint64_t start, uint64_t len)
{
	struct run r = { .t = t, .as = as, .clip_start = start,
			 .clip_end = start + len };

	rm_walk(&as->dom->maps, start, len, feed_mapping, &r);
	run_flush(&r);
	return r.rc;
}

/* As trk_as_replay_range(), but one host area per guest mapping (split
 * only where RAM regions meet), so that later cuts along the guest's own
 * lines are whole-area unmaps. */
static int feed_fine(void *arg, const struct rm_node *n)
{
	struct run *r = arg;
	int rc = feed_mapping(arg, n);

	run_flush(r);
	return rc ? rc : r->rc;
}

int trk_as_replay_fine(struct iommunest_tracker *t, struct trk_as *as,
		       uint64_t start, uint64_t len)
{
	struct run r = { .t = t, .as = as, .clip_start = start,
			 .clip_end = start + len };

	rm_walk(&as->dom->maps, start, len, feed_fine, &r);
	run_flush(&r);
	return r.rc;
}

int trk_as_map_ram(struct iommunest_tracker *t, struct trk_as *as,
		   const struct trk_ram *ram)
{
	struct run r = { .t = t, .as = as };

	run_feed(&r, ram->gpa, ram->len, ram->gpa, TRK_PERMS);
	run_flush(&r);
	return r.rc;
}

int trk_as_replay(struct iommunest_tracker *t, struct trk_as *as)
{
	uint32_t i;
	int rc = 0;

	if (as->kind == AS_DOMAIN)
		return trk_as_replay_range(t, as, 0, UINT64_MAX);
	for (i = 0; i < t->nram && !rc && as->kind == AS_PASSTHROUGH; i++)
		rc = trk_as_map_ram(t, as, &t->ram[i]);
	return rc;
}

/* ---- removal ----------------------------------------------------------- */

struct unmap_ctx {
	struct iommunest_tracker *t;
	struct trk_as *as;
	int rc;
};

static int unmap_area(void *arg, const struct rm_node *n)
{
	struct unmap_ctx *u = arg;
	int rc = sink_unmap(u->t, u->as, n->start, n->len);

	if (rc && !u->rc)
		u->rc = rc;
	return 0; /* keep going: every area is forgotten either way */
}

/* Empty the address space.  After a failure the recorded areas may not
 * be all it holds, so only unmap-all will do (force_all). */
static int clear(struct iommunest_tracker *t, struct trk_as *as,
		 bool force_all)
{
	struct unmap_ctx u = { t, as, 0 };
	int tries, rc = 0;

	if ((t->flags & IOMMUNEST_TRACKER_UNMAP_RANGES) && !as->dirty &&
	    !force_all) {
		rm_remove(&as->areas, 0, UINT64_MAX, unmap_area, &u);
		if (!u.rc)
			return 0;
	}
	/* Whatever the ranges did, a successful unmap-all leaves it empty. */
	rm_clear(&as->areas);
	for (tries = 0; tries < TRK_CLEAR_TRIES; tries++) {
		rc = sink_unmap_all(t, as);
		if (!rc)
			break;
	}
	as->dirty = rc != 0;
	return rc;
}

int trk_as_clear(struct iommunest_tracker *t, struct trk_as *as)
{
	return clear(t, as, false);
}

/* Empty it with unmap-all whatever the mode (it may hold leftovers). */
int trk_as_clear_all(struct iommunest_tracker *t, struct trk_as *as)
{
	return clear(t, as, true);
}

/* Remove [start, +len) of what the address space mirrors: whole host
 * areas go, then what they held outside the range comes back. */
int trk_as_unmap_range(struct iommunest_tracker *t, struct trk_as *as,
		       uint64_t start, uint64_t len)
{
	struct unmap_ctx u = { t, as, 0 };
	uint64_t end = start + len, a = start, b = end;
	uint32_t idx;
	int rc;

	idx = rm_find_le(&as->areas, start);
	if (idx && rm_at(&t->pool, idx)->start + rm_at(&t->pool, idx)->len > a)
		a = rm_at(&t->pool, idx)->start;
	idx = rm_find_le(&as->areas, end - 1);
	if (idx && rm_at(&t->pool, idx)->start + rm_at(&t->pool, idx)->len > b)
		b = rm_at(&t->pool, idx)->start + rm_at(&t->pool, idx)->len;
	rm_remove(&as->areas, a, b - a, unmap_area, &u);
	if (u.rc)
		return u.rc;
	rc = a < start ? trk_as_replay_range(t, as, a, start - a) : 0;
	if (!rc && b > end)
		rc = trk_as_replay_range(t, as, end, b - end);
	return rc;
}

/*
 * A host operation failed: empty the address space and take it off what
 * it mirrored, so whoever is on it is blocked, never left half updated.
 * If even emptying fails, say so (STALE) rather than claim blocked.
 */
int trk_as_fail_closed(struct iommunest_tracker *t, struct trk_as *as)
{
	uint32_t i;
	int rc;

	if (as->kind == AS_DOMAIN && as->dom->shared == as)
		as->dom->shared = NULL;
	trk_as_unlink(t, as);
	rc = clear(t, as, true);
	for (i = 0; i < t->devices.n; i++) {
		struct trk_device *d = t->devices.v[i];

		if (d->as == as) {
			d->state = rc ? IOMMUNEST_DEV_STALE
				      : IOMMUNEST_DEV_BLOCKED;
			d->dom = NULL;
		}
	}
	if (t->pt_shared == as)
		t->pt_shared = NULL;
	trk_as_release(t, as); /* sharing mode: nobody on it, nothing needs it */
	return rc;
}
