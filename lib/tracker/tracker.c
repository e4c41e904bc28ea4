/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The shadow-domain tracker's API: RAM, domains, devices and switches. */
#include <stdlib.h>
#include <string.h>

#include "tracker.h"

#define TRACKER_FLAGS (IOMMUNEST_TRACKER_SHARED | \
		       IOMMUNEST_TRACKER_UNMAP_RANGES | \
		       IOMMUNEST_TRACKER_NO_HOLES)

/* Page aligned, non-empty, and clear of the top of the 64-bit space. */
static bool range_ok(uint64_t start, uint64_t len)
{
	return len && !(start & (TRK_PAGE - 1)) && !(len & (TRK_PAGE - 1)) &&
	       start + len > start;
}

INEST_EXPORT int iommunest_tracker_new(const struct iommunest_sink *sink,
				       uint32_t flags,
				       struct iommunest_tracker **tracker)
{
	struct iommunest_tracker *t;

	if (!sink || !tracker || !sink->map || !sink->unmap ||
	    !sink->unmap_all || (flags & ~TRACKER_FLAGS))
		return -EINVAL;
	if ((flags & (IOMMUNEST_TRACKER_SHARED | IOMMUNEST_TRACKER_NO_HOLES)) &&
	    (!sink->as_alloc || !sink->as_free))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->sink = *sink;
	t->flags = flags;
	rm_pool_init(&t->pool);
	*tracker = t;
	return 0;
}

INEST_EXPORT void iommunest_tracker_free(struct iommunest_tracker *t)
{
	uint32_t i;

	if (!t)
		return;
	for (i = 0; i < t->devices.n; i++) {
		struct trk_device *d = t->devices.v[i];

		if (d->as && d->as->owned && d->as->kind == AS_EMPTY &&
		    d->as != t->blocked && !--d->as->users)
			trk_as_delete(t, d->as);
		/* Own mode: a device on the second address space goes back
		 * to its own, so that one can be freed; if the device cannot
		 * move, both stay. */
		trk_as_unlink(t, &d->own);
		trk_as_unlink(t, &d->spare);
		if (!(t->flags & IOMMUNEST_TRACKER_SHARED))
			trk_device_restore(t, d);
		rm_clear(&d->own.areas);
		rm_clear(&d->spare.areas);
		free(d);
	}
	for (i = 0; i < t->domains.n; i++) {
		struct trk_domain *dom = t->domains.v[i];

		if (dom->shared)
			trk_as_delete(t, dom->shared);
		free(dom);
	}
	if (t->pt_shared)
		trk_as_delete(t, t->pt_shared);
	if (t->blocked)
		trk_as_delete(t, t->blocked);
	idtab_fini(&t->devices);
	idtab_fini(&t->domains);
	rm_pool_fini(&t->pool);
	free(t->ram);
	free(t);
}

INEST_EXPORT int iommunest_tracker_set_sink_ext(
	struct iommunest_tracker *t, const struct iommunest_sink_ext *ext)
{
	struct iommunest_sink_ext e = { 0 };

	if (!t || !ext || ext->reserved ||
	    ext->size < offsetof(struct iommunest_sink_ext, copy))
		return -EINVAL;
	memcpy(&e, ext, ext->size < sizeof(e) ? ext->size : sizeof(e));
	/* A member the caller's size cuts short is one it does not have. */
	if (ext->size < offsetof(struct iommunest_sink_ext, copy) +
			sizeof(e.copy))
		e.copy = NULL;
	e.size = sizeof(e);
	t->ext = e;
	return 0;
}

/* ---- guest RAM ---------------------------------------------------------- */

static int ram_insert(struct iommunest_tracker *t, uint64_t gpa,
		      uint64_t len, void *hva)
{
	struct trk_ram *v;
	uint32_t i = 0;

	while (i < t->nram && t->ram[i].gpa < gpa)
		i++;
	if ((i > 0 && t->ram[i - 1].gpa + t->ram[i - 1].len > gpa) ||
	    (i < t->nram && gpa + len > t->ram[i].gpa))
		return -EEXIST;
	v = realloc(t->ram, (t->nram + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->ram = v;
	memmove(&v[i + 1], &v[i], (t->nram - i) * sizeof(*v));
	v[i] = (struct trk_ram){ gpa, len, hva };
	t->nram++;
	return (int)i;
}

INEST_EXPORT int iommunest_tracker_add_ram(struct iommunest_tracker *t,
					   uint64_t gpa, uint64_t length,
					   void *hva)
{
	struct trk_as *as, *next;
	const struct trk_ram *r;
	int idx, rc = 0, err;

	if (!t || !hva || ((uintptr_t)hva & (TRK_PAGE - 1)) ||
	    !range_ok(gpa, length) || !inest_buf_ok(hva, length))
		return -EINVAL;
	idx = ram_insert(t, gpa, length, hva);
	if (idx < 0)
		return idx;
	r = &t->ram[idx];
	for (as = t->pt_mirrors; as; as = next) {
		next = as->next;
		err = trk_as_map_ram(t, as, r);
		if (err) {
			trk_as_fail_closed(t, as);
			rc = rc ? rc : err;
		}
	}
	return rc;
}

/* Is [gpa, +len) all guest RAM (possibly across adjacent regions)? */
static bool in_ram(const struct iommunest_tracker *t, uint64_t gpa,
		   uint64_t len)
{
	uint64_t end = gpa + len;

	while (gpa < end) {
		const struct trk_ram *r = trk_ram_find(t, gpa);

		if (!r)
			return false;
		gpa = r->gpa + r->len;
	}
	return true;
}

/* ---- domains ----------------------------------------------------------- */

INEST_EXPORT int iommunest_tracker_domain_add(struct iommunest_tracker *t,
					      uint32_t domain)
{
	struct trk_domain *dom;
	int rc;

	if (!t)
		return -EINVAL;
	if (idtab_find(&t->domains, domain))
		return -EEXIST;
	dom = calloc(1, sizeof(*dom));
	if (!dom)
		return -ENOMEM;
	dom->id = domain;
	rm_init(&dom->maps, &t->pool);
	rc = idtab_insert(&t->domains, dom);
	if (rc)
		free(dom);
	return rc;
}

INEST_EXPORT int iommunest_tracker_domain_remove(struct iommunest_tracker *t,
						 uint32_t domain)
{
	struct trk_domain *dom = t ? idtab_find(&t->domains, domain) : NULL;

	if (!dom)
		return t ? -ENOENT : -EINVAL;
	if ((dom->shared && dom->shared->users) ||
	    (dom->mirrors && dom->mirrors != dom->shared))
		return -EBUSY;
	if (dom->shared)
		trk_as_delete(t, dom->shared);
	dom->shared = NULL;
	rm_clear(&dom->maps);
	idtab_remove(&t->domains, domain);
	free(dom);
	return 0;
}

struct same_ctx {
	uint64_t iova, gpa, covered;
	uint32_t perm;
	bool same;
};

static int check_same(void *arg, const struct rm_node *n)
{
	struct same_ctx *s = arg;

	if (n->start > s->iova + s->covered ||
	    trk_gpa(n->val) - n->start != s->gpa - s->iova ||
	    trk_perm(n->val) != s->perm)
		s->same = false;
	s->covered = n->start + n->len - s->iova;
	return s->same ? 0 : 1;
}

/* Re-adding what is there already is not an error: the range must be
 * covered without a gap (check_same sees a gap before the first node
 * too) by mappings with the same offset and permission. */
static bool identical(const struct trk_domain *dom, uint64_t iova,
		      uint64_t len, uint64_t gpa, uint32_t perm)
{
	struct same_ctx s = { iova, gpa, 0, perm, true };

	rm_walk(&dom->maps, iova, len, check_same, &s);
	return s.same && s.covered >= len;
}

/* The domain's mappings at iova and each mirror's host areas there are
 * about to be read: start their cache misses together rather than one
 * after another. */
static void prefetch_at(const struct trk_domain *dom, uint64_t iova)
{
	const struct trk_as *as;

	rm_prefetch(&dom->maps, iova);
	for (as = dom->mirrors; as; as = as->next)
		rm_prefetch(&as->areas, iova);
}

/* Apply fn to every address space mirroring dom; failures fail closed. */
static int for_mirrors(struct iommunest_tracker *t, struct trk_domain *dom,
		       int (*fn)(struct iommunest_tracker *, struct trk_as *,
				 uint64_t, uint64_t),
		       uint64_t start, uint64_t len)
{
	struct trk_as *as, *next;
	int rc = 0, err;

	for (as = dom->mirrors; as; as = next) {
		next = as->next;
		err = fn(t, as, start, len);
		if (err) {
			trk_as_fail_closed(t, as);
			rc = rc ? rc : err;
		}
	}
	return rc;
}

INEST_EXPORT int iommunest_tracker_map(struct iommunest_tracker *t,
				       uint32_t domain, uint64_t iova,
				       uint64_t length, uint64_t gpa,
				       uint32_t perm)
{
	struct trk_domain *dom = t ? idtab_find(&t->domains, domain) : NULL;
	int rc;

	if (!t || !range_ok(iova, length) || !range_ok(gpa, length) ||
	    !perm || (perm & ~TRK_PERMS))
		return -EINVAL;
	if (!dom)
		return -ENOENT;
	if (!in_ram(t, gpa, length))
		return -EFAULT;
	if (rm_overlaps(&dom->maps, iova, length))
		return identical(dom, iova, length, gpa, perm) ? 0 : -EEXIST;
	rc = rm_insert(&dom->maps, iova, length, gpa | perm);
	if (rc)
		return rc;
	return for_mirrors(t, dom, trk_as_replay_range, iova, length);
}

INEST_EXPORT int iommunest_tracker_unmap(struct iommunest_tracker *t,
					 uint32_t domain, uint64_t iova,
					 uint64_t length)
{
	struct trk_domain *dom = t ? idtab_find(&t->domains, domain) : NULL;
	int rc;

	if (!t || !range_ok(iova, length))
		return -EINVAL;
	if (!dom)
		return -ENOENT;
	prefetch_at(dom, iova);
	/* Cut mappings at both edges, then drop what lies between. */
	rc = rm_cut(&dom->maps, iova);
	if (!rc)
		rc = rm_cut(&dom->maps, iova + length);
	if (rc)
		return rc;
	rm_remove(&dom->maps, iova, length, NULL, NULL);
	return for_mirrors(t, dom, trk_unmap, iova, length);
}
