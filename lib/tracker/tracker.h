/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Shadow-domain tracker internals (layer 1 in DESIGN.md): pure logic over
 * a sink; it knows nothing of ioctls.
 *
 * Every host address space ("as") the tracker drives mirrors one thing:
 * nothing (EMPTY), one guest domain, or guest RAM (PASSTHROUGH).  Each
 * records the host areas it holds, because a host unmap must cover whole
 * areas (iommufd refuses to cut one): removing part of an area means
 * unmapping it and mapping back what remains.
 */
#ifndef IOMMUNEST_TRACKER_INTERNAL_H
#define IOMMUNEST_TRACKER_INTERNAL_H

#include "internal.h"
#include "libiommunest/tracker.h"
#include "rangemap.h"

#define TRK_PAGE 4096ull
#define TRK_PERMS (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define TRK_CLEAR_TRIES 3 /* unmap-all attempts before giving up */

/* A domain mapping's value: the guest-physical address, page aligned,
 * with the permission in the low bits. */
static inline uint64_t trk_gpa(uint64_t val)
{
	return val & ~(TRK_PAGE - 1);
}

static inline uint32_t trk_perm(uint64_t val)
{
	return (uint32_t)(val & (TRK_PAGE - 1));
}

enum as_kind { AS_EMPTY, AS_DOMAIN, AS_PASSTHROUGH };

struct trk_as {
	uint32_t id;            /* the sink's name for it */
	enum as_kind kind;
	struct trk_domain *dom; /* AS_DOMAIN */
	struct trk_as *next;    /* in the mirror list of what it mirrors */
	struct trk_as *prev;
	struct rangemap areas;  /* host areas it holds */
	uint32_t users;         /* devices on it (sharing mode) */
	bool owned;             /* allocated by the tracker (sharing mode) */
	bool dirty;             /* an unmap-all failed: may hold leftovers */
	struct trk_device *dev; /* own mode: the one device it serves */
};

struct trk_domain {
	uint32_t id;            /* first: idtab keys on it */
	struct rangemap maps;   /* iova -> gpa | perm */
	struct trk_as *mirrors; /* address spaces mirroring it */
	struct trk_as *shared;  /* sharing mode: its address space */
};

struct trk_device {
	uint32_t id;            /* first: idtab keys on it */
	uint32_t state;         /* IOMMUNEST_DEV_* */
	struct trk_domain *dom;
	struct trk_as *as;      /* where it is: own or spare */
	struct trk_as own;      /* the VMM's address space (own mode) */
	struct trk_as spare;    /* own mode: the second one, for cuts */
	bool has_spare;         /* spare.id names an address space */
	iommunest_replace_fn replace;
	void *opaque;
};

struct trk_ram {
	uint64_t gpa;
	uint64_t len;
	uint8_t *hva;
};

/* Objects sorted by their leading uint32_t id. */
struct idtab {
	void **v;
	uint32_t n;
	uint32_t cap;
};

struct iommunest_tracker {
	struct iommunest_sink sink;
	struct iommunest_sink_ext ext;
	uint32_t flags;
	struct rm_pool pool;
	struct idtab domains;
	struct idtab devices;
	struct trk_ram *ram;    /* sorted by gpa */
	uint32_t nram;
	struct trk_as *pt_mirrors; /* passthrough address spaces */
	struct trk_as *pt_shared;  /* sharing mode */
	struct trk_as *blocked;    /* sharing mode: an empty address space */
	struct iommunest_tracker_stats stats;
};

/* tracker-as.c: keeping one address space in step. */
void trk_as_init(struct iommunest_tracker *t, struct trk_as *as,
		 uint32_t id);
void trk_as_link(struct iommunest_tracker *t, struct trk_as *as,
		 enum as_kind kind, struct trk_domain *dom);
void trk_as_unlink(struct iommunest_tracker *t, struct trk_as *as);
int trk_as_clear(struct iommunest_tracker *t, struct trk_as *as);
int trk_as_replay(struct iommunest_tracker *t, struct trk_as *as);
int trk_as_replay_range(struct iommunest_tracker *t, struct trk_as *as,
			uint64_t start, uint64_t len);
int trk_as_map_ram(struct iommunest_tracker *t, struct trk_as *as,
		   const struct trk_ram *r);
int trk_as_unmap_range(struct iommunest_tracker *t, struct trk_as *as,
		       uint64_t start, uint64_t len);
int trk_as_fail_closed(struct iommunest_tracker *t, struct trk_as *as);
int trk_as_clear_all(struct iommunest_tracker *t, struct trk_as *as);
int trk_as_replay_fine(struct iommunest_tracker *t, struct trk_as *as,
		       uint64_t start, uint64_t len);
int trk_as_copy(struct iommunest_tracker *t, struct trk_as *from,
		struct trk_as *to, uint64_t iova, uint64_t len, uint32_t perm);
/* Allocate (through the sink), delete, and (sharing mode) delete if
 * unused and empty. */
struct trk_as *trk_as_new(struct iommunest_tracker *t, int *rc);
void trk_as_delete(struct iommunest_tracker *t, struct trk_as *as);
void trk_as_release(struct iommunest_tracker *t, struct trk_as *as);
const struct trk_ram *trk_ram_find(const struct iommunest_tracker *t,
				   uint64_t gpa);

/* tracker-device.c: moving a device to another address space. */
int trk_device_move(struct iommunest_tracker *t, struct trk_device *d,
		    struct trk_as *to);
/* Own mode: put the device back on its own address space and free the
 * second one (removal, tracker_free). */
int trk_device_restore(struct iommunest_tracker *t, struct trk_device *d);

/* tracker-cut.c: removing a range from an address space in use without
 * a hole around it. */
int trk_unmap(struct iommunest_tracker *t, struct trk_as *as, uint64_t start,
	      uint64_t len);

/* tracker-table.c: the id tables. */
void *idtab_find(const struct idtab *tab, uint32_t id);
int idtab_insert(struct idtab *tab, void *obj);
void idtab_remove(struct idtab *tab, uint32_t id);
void idtab_fini(struct idtab *tab);

#endif /* IOMMUNEST_TRACKER_INTERNAL_H */
