/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Removing part of a domain from an address space in use, without a hole.
 *
 * iommufd unmaps only whole host areas, and replay coalesces, so a guest
 * unmap can fall inside an area whose other pages the guest keeps.
 * Unmapping the area and mapping back the rest would leave those pages
 * unmapped for a moment.  Instead the new content is built beside the old,
 * in a second address space: the areas untouched by the cut are copied
 * whole, the pages kept from a cut area come back as one area per guest
 * mapping (so a later cut along the guest's own lines is a plain unmap),
 * each device moves over with one atomic replace, and the old address
 * space is emptied.  Without the means (no as_alloc/as_free, a device
 * without replace) the tracker falls back to unmapping and mapping back.
 */
#include "tracker.h"

static bool shared(const struct iommunest_tracker *t)
{
	return t->flags & IOMMUNEST_TRACKER_SHARED;
}

/* Does a host area cross start or end?  Then a plain unmap cannot do. */
static bool crosses(const struct iommunest_tracker *t,
		    const struct trk_as *as, uint64_t key)
{
	uint32_t idx = rm_find_le(&as->areas, key - 1);
	const struct rm_node *n = idx ? rm_at(&t->pool, idx) : NULL;

	return n && key > n->start && key < n->start + n->len;
}

/* The devices on the address space, and whether each can be moved. */
static uint32_t movable_users(const struct iommunest_tracker *t,
			      const struct trk_as *as, bool *all)
{
	uint32_t i, n = 0;

	*all = t->sink.as_alloc && t->sink.as_free;
	for (i = 0; i < t->devices.n; i++) {
		const struct trk_device *d = t->devices.v[i];

		if (d->as != as)
			continue;
		n++;
		*all = *all && d->replace;
	}
	return n;
}

/* Where to build: the device's other address space (own mode, allocated
 * once and kept), or a new one (sharing mode).  It starts empty. */
static struct trk_as *beside(struct iommunest_tracker *t, struct trk_as *as,
			     int *rc)
{
	struct trk_device *d = as->dev;
	struct trk_as *other;
	uint32_t id;

	*rc = 0;
	if (shared(t))
		return trk_as_new(t, rc);
	other = as == &d->own ? &d->spare : &d->own;
	if (other == &d->spare && !d->has_spare) {
		*rc = t->sink.as_alloc(t->sink.opaque, &id);
		if (*rc)
			return NULL;
		trk_as_init(t, other, id);
		other->dev = d;
		d->has_spare = true;
	}
	if (other->dirty)
		*rc = trk_as_clear_all(t, other);
	return *rc ? NULL : other;
}

/* Let go of the address space built beside, unused. */
static void drop(struct iommunest_tracker *t, struct trk_as *as)
{
	trk_as_unlink(t, as);
	if (shared(t))
		trk_as_delete(t, as);
	else
		trk_as_clear_all(t, as); /* if that fails it stays dirty */
}

struct build {
	struct iommunest_tracker *t;
	struct trk_as *from, *to;
	uint64_t start, end; /* the cut */
	uint64_t lo, hi;     /* build_fine's window */
};

/* One guest mapping's pages inside the window: one copy. */
static int copy_mapping(void *arg, const struct rm_node *n)
{
	struct build *b = arg;
	uint64_t s = n->start > b->lo ? n->start : b->lo;
	uint64_t e = n->start + n->len < b->hi ? n->start + n->len : b->hi;

	return trk_as_copy(b->t, b->from, b->to, s, e - s, trk_perm(n->val));
}

/* Pages kept from a cut area, [lo, hi): one host area per guest mapping,
 * copied or mapped from guest RAM. */
static int build_fine(struct build *b, uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return 0;
	if (!b->t->ext.copy)
		return trk_as_replay_fine(b->t, b->to, lo, hi - lo);
	b->lo = lo;
	b->hi = hi;
	return rm_walk(&b->from->dom->maps, lo, hi - lo, copy_mapping, b);
}

static int build_area(void *arg, const struct rm_node *n)
{
	struct build *b = arg;
	uint64_t end = n->start + n->len;
	int rc;

	if (end <= b->start || n->start >= b->end) /* untouched: whole */
		return b->t->ext.copy
			? trk_as_copy(b->t, b->from, b->to, n->start, n->len,
				      (uint32_t)n->val)
			: trk_as_replay_range(b->t, b->to, n->start, n->len);
	rc = build_fine(b, n->start, b->start < end ? b->start : end);
	if (!rc)
		rc = build_fine(b, b->end > n->start ? b->end : n->start, end);
	return rc;
}

/* Move every device on from to to; the first error, once all tried. */
static int move_users(struct iommunest_tracker *t, struct trk_as *from,
		      struct trk_as *to, uint32_t *moved)
{
	uint32_t i;
	int rc = 0, err;

	*moved = 0;
	for (i = 0; i < t->devices.n; i++) {
		struct trk_device *d = t->devices.v[i];

		if (d->as != from)
			continue;
		err = trk_device_move(t, d, to);
		if (!err)
			(*moved)++;
		else if (!rc)
			rc = err;
	}
	return rc;
}

static int cut_beside(struct iommunest_tracker *t, struct trk_as *as,
		      uint64_t start, uint64_t len)
{
	struct build b = { t, as, NULL, start, start + len, 0, 0 };
	struct trk_domain *dom = as->dom;
	uint32_t moved;
	int rc;

	b.to = beside(t, as, &rc);
	if (!b.to)
		return rc;
	b.to->dom = dom; /* replay reads it; linked once built */
	rc = rm_walk(&as->areas, 0, UINT64_MAX, build_area, &b);
	if (rc) {
		b.to->dom = NULL;
		drop(t, b.to);
		return rc;
	}
	/* Linked before the moves: it is what the domain's devices use. */
	trk_as_link(t, b.to, AS_DOMAIN, dom);
	if (shared(t)) {
		dom->shared = b.to;
		trk_as_unlink(t, as);
	}
	rc = move_users(t, as, b.to, &moved);
	if (!moved) {
		if (shared(t)) {
			dom->shared = as;
			trk_as_link(t, as, AS_DOMAIN, dom);
		}
		drop(t, b.to);
		return rc; /* the caller fails as closed */
	}
	if (!shared(t)) {
		trk_as_unlink(t, as);
		trk_as_clear_all(t, as); /* the spare now: dirty if this fails */
	}
	return rc; /* sharing mode: devices left on as are failed closed */
}

int trk_unmap(struct iommunest_tracker *t, struct trk_as *as, uint64_t start,
	      uint64_t len)
{
	bool all;

	if ((crosses(t, as, start) || crosses(t, as, start + len)) &&
	    movable_users(t, as, &all) && all)
		return cut_beside(t, as, start, len);
	return trk_as_unmap_range(t, as, start, len);
}
