/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Devices and their context switches.  Without sharing, a switch empties
 * the device's own address space and then replays the new target into
 * it.  With sharing, every target has an address space kept up to date,
 * and a switch is one attachment replace.  Any failure leaves the device
 * blocked, or stale when even emptying failed.
 */
#include <stdlib.h>

#include "tracker.h"

static bool shared(const struct iommunest_tracker *t)
{
	return t->flags & IOMMUNEST_TRACKER_SHARED;
}

static uint32_t state_of(enum as_kind kind)
{
	switch (kind) {
	case AS_DOMAIN:
		return IOMMUNEST_DEV_DOMAIN;
	case AS_PASSTHROUGH:
		return IOMMUNEST_DEV_PASSTHROUGH;
	case AS_EMPTY:
		break;
	}
	return IOMMUNEST_DEV_BLOCKED;
}

/* Sharing mode: account the device on its new address space. */
static void move_to(struct iommunest_tracker *t, struct trk_device *d,
		    struct trk_as *to)
{
	struct trk_as *from = d->as;

	to->users++;
	d->as = to;
	if (from) {
		from->users--;
		trk_as_release(t, from);
	}
}

/* The device's replace function, counted. */
static int sink_replace(struct iommunest_tracker *t, struct trk_device *d,
			struct trk_as *to)
{
	int rc;

	t->stats.replaces++;
	rc = d->replace(d->opaque, to->id);
	if (rc)
		t->stats.failures++;
	return rc;
}

static int replace(struct iommunest_tracker *t, struct trk_device *d,
		   struct trk_as *to)
{
	int rc = sink_replace(t, d, to);

	if (!rc)
		move_to(t, d, to);
	return rc;
}

int trk_device_move(struct iommunest_tracker *t, struct trk_device *d,
		    struct trk_as *to)
{
	int rc;

	if (shared(t))
		return replace(t, d, to);
	rc = sink_replace(t, d, to);
	if (!rc)
		d->as = to;
	return rc;
}

/* Sharing mode, after a failure: onto the empty address space.  If even
 * that replace fails the device is still wholly where it was. */
static void block_shared(struct iommunest_tracker *t, struct trk_device *d)
{
	if (d->as == t->blocked || !replace(t, d, t->blocked)) {
		d->state = IOMMUNEST_DEV_BLOCKED;
		d->dom = NULL;
	}
}

/* Sharing mode: the address space of a target, made and replayed once. */
static struct trk_as *shared_target(struct iommunest_tracker *t,
				    enum as_kind kind,
				    struct trk_domain *dom, int *rc)
{
	struct trk_as **slot = kind == AS_DOMAIN ? &dom->shared : &t->pt_shared;
	struct trk_as *as;

	*rc = 0;
	if (kind == AS_EMPTY)
		return t->blocked;
	if (*slot)
		return *slot;
	as = trk_as_new(t, rc);
	if (!as)
		return NULL;
	trk_as_link(t, as, kind, dom);
	*rc = trk_as_replay(t, as);
	if (*rc) {
		trk_as_delete(t, as);
		return NULL;
	}
	*slot = as;
	return as;
}

static int switch_shared(struct iommunest_tracker *t, struct trk_device *d,
			 enum as_kind kind, struct trk_domain *dom)
{
	struct trk_as *to;
	int rc;

	to = shared_target(t, kind, dom, &rc);
	if (to && d->as == to)
		return 0;
	if (to)
		rc = replace(t, d, to);
	if (rc) {
		block_shared(t, d);
		return rc;
	}
	d->state = state_of(kind);
	d->dom = dom;
	return 0;
}

/* Without sharing: empty first, so the device never holds old and new
 * at once; then replay the new target.  The device stays on whichever of
 * its two address spaces it is on (tracker-cut.c moves it). */
static int switch_own(struct iommunest_tracker *t, struct trk_device *d,
		      enum as_kind kind, struct trk_domain *dom)
{
	struct trk_as *as = d->as;
	int rc;

	if (d->state == state_of(kind) && d->dom == dom && !as->dirty)
		return 0;
	trk_as_unlink(t, as);
	d->state = IOMMUNEST_DEV_BLOCKED;
	d->dom = NULL;
	rc = trk_as_clear(t, as);
	if (!rc && kind != AS_EMPTY) {
		trk_as_link(t, as, kind, dom);
		rc = trk_as_replay(t, as);
	}
	if (rc) {
		trk_as_fail_closed(t, as);
		return rc;
	}
	d->state = state_of(kind);
	d->dom = dom;
	return 0;
}

static int switch_to(struct iommunest_tracker *t, uint32_t device,
		     enum as_kind kind, uint32_t domain)
{
	struct trk_device *d;
	struct trk_domain *dom = NULL;

	if (!t)
		return -EINVAL;
	d = idtab_find(&t->devices, device);
	if (kind == AS_DOMAIN)
		dom = idtab_find(&t->domains, domain);
	if (!d || (kind == AS_DOMAIN && !dom))
		return -ENOENT;
	return shared(t) ? switch_shared(t, d, kind, dom)
			 : switch_own(t, d, kind, dom);
}

INEST_EXPORT int iommunest_tracker_set_domain(struct iommunest_tracker *t,
					      uint32_t device, uint32_t domain)
{
	return switch_to(t, device, AS_DOMAIN, domain);
}

INEST_EXPORT int iommunest_tracker_set_passthrough(
	struct iommunest_tracker *t, uint32_t device)
{
	return switch_to(t, device, AS_PASSTHROUGH, 0);
}

INEST_EXPORT int iommunest_tracker_set_blocked(struct iommunest_tracker *t,
					       uint32_t device)
{
	return switch_to(t, device, AS_EMPTY, 0);
}

/* ---- adding and removing devices -------------------------------------- */

/* Without sharing each device needs an address space of its own. */
static bool own_space_taken(const struct iommunest_tracker *t, uint32_t as)
{
	uint32_t i;

	for (i = 0; i < t->devices.n; i++) {
		const struct trk_device *d = t->devices.v[i];

		if (d->own.id == as || (d->has_spare && d->spare.id == as))
			return true;
	}
	return false;
}

static int add_shared(struct iommunest_tracker *t, struct trk_device *d)
{
	int rc = 0;

	if (!d->replace)
		return -EINVAL;
	if (!t->blocked) {
		t->blocked = trk_as_new(t, &rc);
		if (!t->blocked)
			return rc;
	}
	return replace(t, d, t->blocked);
}

INEST_EXPORT int iommunest_tracker_device_add(struct iommunest_tracker *t,
					      uint32_t device, uint32_t as,
					      iommunest_replace_fn fn,
					      void *opaque)
{
	struct trk_device *d;
	int rc;

	if (!t)
		return -EINVAL;
	if (idtab_find(&t->devices, device))
		return -EEXIST;
	if (!fn && (t->flags & IOMMUNEST_TRACKER_NO_HOLES))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	*d = (struct trk_device){ .id = device, .replace = fn,
				  .opaque = opaque };
	trk_as_init(t, &d->own, as);
	d->own.dev = d;
	if (shared(t)) {
		rc = add_shared(t, d);
	} else if (own_space_taken(t, as)) {
		rc = -EEXIST;
	} else {
		/* A new device starts blocked: make sure its space is, with
		 * unmap-all, since the tracker never saw what it may hold. */
		d->as = &d->own;
		d->own.dirty = true;
		rc = trk_as_clear(t, &d->own);
	}
	if (!rc)
		rc = idtab_insert(&t->devices, d);
	if (rc) {
		if (shared(t) && d->as)
			d->as->users--;
		free(d);
	}
	return rc;
}

/* Own mode: back onto the VMM's address space, emptied, and let the
 * second one go.  On failure the device stays where it is, blocked. */
int trk_device_restore(struct iommunest_tracker *t, struct trk_device *d)
{
	int rc = 0;

	if (!d->has_spare)
		return 0;
	if (d->as == &d->spare) {
		if (d->own.dirty)
			rc = trk_as_clear_all(t, &d->own);
		if (!rc)
			rc = trk_device_move(t, d, &d->own);
		if (rc)
			return rc;
	}
	rm_clear(&d->spare.areas);
	t->sink.as_free(t->sink.opaque, d->spare.id);
	d->has_spare = false;
	return 0;
}

INEST_EXPORT int iommunest_tracker_device_remove(struct iommunest_tracker *t,
						 uint32_t device)
{
	struct trk_device *d = t ? idtab_find(&t->devices, device) : NULL;
	int rc;

	if (!d)
		return t ? -ENOENT : -EINVAL;
	/* The device leaves blocked, on the address space it came with; if
	 * that fails it stays tracked. */
	rc = switch_to(t, device, AS_EMPTY, 0);
	if (!rc && !shared(t))
		rc = trk_device_restore(t, d);
	if (rc)
		return rc;
	if (shared(t))
		d->as->users--;
	idtab_remove(&t->devices, device);
	free(d);
	return 0;
}

INEST_EXPORT int iommunest_tracker_device_state(
	const struct iommunest_tracker *t, uint32_t device, uint32_t *state,
	uint32_t *domain)
{
	const struct trk_device *d = t ? idtab_find(&t->devices, device)
				       : NULL;

	if (!t || !state)
		return -EINVAL;
	if (!d)
		return -ENOENT;
	*state = d->state;
	if (domain)
		*domain = d->dom ? d->dom->id : 0;
	return 0;
}

INEST_EXPORT int iommunest_tracker_stats(const struct iommunest_tracker *t,
					 struct iommunest_tracker_stats *st)
{
	uint32_t i;

	if (!t || !st)
		return -EINVAL;
	*st = t->stats;
	st->mappings = 0;
	for (i = 0; i < t->domains.n; i++)
		st->mappings += ((struct trk_domain *)t->domains.v[i])->maps.count;
	st->bytes = sizeof(*t) + rm_pool_bytes(&t->pool) +
		    (uint64_t)t->domains.cap * sizeof(void *) +
		    (uint64_t)t->devices.cap * sizeof(void *) +
		    (uint64_t)t->domains.n * sizeof(struct trk_domain) +
		    (uint64_t)t->devices.n * sizeof(struct trk_device) +
		    (uint64_t)t->nram * sizeof(struct trk_ram);
	return 0;
}
