/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The shadow-domain tracker, for vIOMMUs without hardware nesting.
 *
 * The VMM tells it what it learns of the guest: guest RAM, the mappings of
 * each guest domain, and which domain each device is in.  The tracker
 * emits the host operations (map, unmap, unmap all) that keep every
 * device's host address space equal to what its guest domain allows.
 *
 * Guarantees (libiommunest(7)): on a switch from A to B the old address
 * space is emptied before B is replayed, so a device never holds a mapping
 * of A that B lacks; a failed host operation leaves the device blocked
 * (its address space emptied) or, if even emptying failed, stale; never
 * half old and half new.  And no
 * holes: a page the guest did not unmap stays mapped while the tracker
 * removes its neighbours, given the means to build a second address space
 * beside the first (as_alloc and as_free, and a replace function for each
 * device; IOMMUNEST_TRACKER_NO_HOLES insists on them).
 *
 * Addresses, lengths and guest-physical addresses are multiples of
 * 4 KiB, and no range may reach the top of the 64-bit space.
 */
#ifndef LIBIOMMUNEST_TRACKER_H
#define LIBIOMMUNEST_TRACKER_H

#include <stdbool.h>
#include <stdint.h>

#include <libiommunest/iommunest.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iommunest_tracker;

/* Where the tracker sends host operations.  "as" names a host address
 * space (with the IOAS sink: an IOAS ID).  Each returns 0 or -errno. */
struct iommunest_sink {
	int (*map)(void *opaque, uint32_t as, uint64_t iova, uint64_t length,
		   void *hva, uint32_t perm);
	int (*unmap)(void *opaque, uint32_t as, uint64_t iova,
		     uint64_t length);
	int (*unmap_all)(void *opaque, uint32_t as);
	/* Sharing mode only: create and drop address spaces. */
	int (*as_alloc)(void *opaque, uint32_t *as);
	int (*as_free)(void *opaque, uint32_t as);
	void *opaque;
};

/* A sink that drives IOASes of ctx (map, unmap, unmap-all, IOAS alloc and
 * destroy).  The context must outlive every tracker using the sink. */
int iommunest_sink_ioas(struct iommunest_ctx *ctx,
			struct iommunest_sink *sink);

/* Sink operations added after 0.1, given with
 * iommunest_tracker_set_sink_ext(); every member is optional. */
struct iommunest_sink_ext {
	uint32_t size;     /* sizeof(struct iommunest_sink_ext) */
	uint32_t reserved; /* 0 */
	/* Map into address space to at [iova, +length), with perm, the
	 * pages that address space from maps there (IOMMU_IOAS_COPY: no
	 * second pin, no second charge against the locked-memory limit).
	 * The range may start and end inside host areas of from.  Without
	 * it the tracker maps from guest RAM instead. */
	int (*copy)(void *opaque, uint32_t from, uint32_t to, uint64_t iova,
		    uint64_t length, uint32_t perm);
};

/* The IOAS sink's extension: copy is iommunest_ioas_copy(). */
int iommunest_sink_ioas_ext(struct iommunest_ctx *ctx,
			    struct iommunest_sink_ext *ext);

/*
 * Paging HWPTs kept ready on the IOASes a tracker uses (sharing mode), so
 * that a switch is one replace onto a page table that exists whatever the
 * domain's size: replaced onto a bare IOAS, the kernel builds a table for
 * the device and drops it when the device leaves.  The cache's sink is the
 * IOAS sink whose as_free first destroys the HWPTs kept for that IOAS.
 */
struct iommunest_ptcache;

int iommunest_ptcache_new(struct iommunest_ctx *ctx,
			  struct iommunest_ptcache **pc);
/* Destroys the HWPTs it keeps (one a device is still on stays). */
void iommunest_ptcache_free(struct iommunest_ptcache *pc);
/* The sink (opaque is pc) and, if ext is not NULL, its extension. */
int iommunest_ptcache_sink(struct iommunest_ptcache *pc,
			   struct iommunest_sink *sink,
			   struct iommunest_sink_ext *ext);
/* Move device dev_id (its iommufd device ID) onto ioas_id: onto a HWPT
 * kept there that its IOMMU accepts, else onto a new one kept for the
 * next time, else (the kernel makes none) onto the IOAS itself.
 * replace(opaque, pt_id) does each move; its error is returned. */
int iommunest_ptcache_replace(struct iommunest_ptcache *pc, uint32_t dev_id,
			      uint32_t ioas_id, iommunest_replace_fn replace,
			      void *opaque);

/* Tracker flags. */
/* Devices in one domain share one address space per domain; a switch is
 * one attachment replace, with no map or unmap. */
#define IOMMUNEST_TRACKER_SHARED       (1u << 0)
/* Empty an address space by unmapping its live ranges one by one instead
 * of one unmap-all (for sinks whose unmap-all is expensive). */
#define IOMMUNEST_TRACKER_UNMAP_RANGES (1u << 1)
/* Refuse what would let a cut leave a hole: a sink without as_alloc and
 * as_free (-EINVAL from iommunest_tracker_new()) and a device without a
 * replace function (-EINVAL from iommunest_tracker_device_add()). */
#define IOMMUNEST_TRACKER_NO_HOLES     (1u << 2)

/* Mapping permissions: IOMMUNEST_MAP_READ and IOMMUNEST_MAP_WRITE. */

/* Device states. */
#define IOMMUNEST_DEV_BLOCKED     0u /* no DMA: empty address space */
#define IOMMUNEST_DEV_PASSTHROUGH 1u /* IOVA = guest-physical, all RAM */
#define IOMMUNEST_DEV_DOMAIN      2u /* a guest domain's mappings */
/* Failing closed failed: the host would not empty the address space, so
 * it may still hold mappings.  Retry with iommunest_tracker_set_blocked()
 * or take the device away from the guest. */
#define IOMMUNEST_DEV_STALE       3u

/* Counters for tests and benchmarks. */
struct iommunest_tracker_stats {
	uint64_t maps;        /* sink map operations */
	uint64_t unmaps;      /* sink unmap operations */
	uint64_t unmap_alls;  /* sink unmap-all operations */
	uint64_t replaces;    /* device attachment replaces */
	uint64_t failures;    /* failed sink operations */
	uint64_t mappings;    /* guest mappings held, all domains */
	uint64_t bytes;       /* memory the tracker holds */
};

int iommunest_tracker_new(const struct iommunest_sink *sink, uint32_t flags,
			  struct iommunest_tracker **tracker);
/* Give the sink's optional operations (opaque is the sink's); ext->size
 * may be smaller than this header's, for callers built against an older
 * one. */
int iommunest_tracker_set_sink_ext(struct iommunest_tracker *tracker,
				   const struct iommunest_sink_ext *ext);
/* Frees the tracker; host address spaces are left as they are, except
 * those it allocated, which it frees: in own mode a device a cut moved to
 * the second address space is moved back to its own first (which may be
 * empty).  Remove devices first to choose when that happens. */
void iommunest_tracker_free(struct iommunest_tracker *tracker);

/* Guest RAM: [gpa, gpa + length) lives at host address hva.  Regions do
 * not overlap; devices in passthrough get the new region mapped. */
int iommunest_tracker_add_ram(struct iommunest_tracker *tracker,
			      uint64_t gpa, uint64_t length, void *hva);

/* Guest domains, named by the VMM (a VT-d domain ID, say). */
int iommunest_tracker_domain_add(struct iommunest_tracker *tracker,
				 uint32_t domain);
int iommunest_tracker_domain_remove(struct iommunest_tracker *tracker,
				    uint32_t domain);
/* Add a mapping to a domain and to every address space that mirrors it.
 * Adding over an existing mapping fails (-EEXIST) unless identical;
 * guest-physical ranges outside RAM are refused (-EFAULT). */
int iommunest_tracker_map(struct iommunest_tracker *tracker, uint32_t domain,
			  uint64_t iova, uint64_t length, uint64_t gpa,
			  uint32_t perm);
/* Remove whatever the domain maps in [iova, iova + length), splitting
 * mappings at the edges; holes are fine. */
int iommunest_tracker_unmap(struct iommunest_tracker *tracker,
			    uint32_t domain, uint64_t iova, uint64_t length);

/* Devices (or groups sharing one host address space), named by the VMM.
 * as: the device's own address space (not used in sharing mode).
 * replace(opaque, as): moves the device to an address space: in sharing
 * mode, and in own mode to cut without holes, where the tracker moves the
 * device between as and a second address space it allocates (it is back
 * on as when removed).  May be NULL in own mode without
 * IOMMUNEST_TRACKER_NO_HOLES.  A new device is blocked. */
int iommunest_tracker_device_add(struct iommunest_tracker *tracker,
				 uint32_t device, uint32_t as,
				 iommunest_replace_fn replace, void *opaque);
int iommunest_tracker_device_remove(struct iommunest_tracker *tracker,
				    uint32_t device);
/* Context switches: empty the old address space, then replay the new. */
int iommunest_tracker_set_domain(struct iommunest_tracker *tracker,
				 uint32_t device, uint32_t domain);
int iommunest_tracker_set_passthrough(struct iommunest_tracker *tracker,
				      uint32_t device);
int iommunest_tracker_set_blocked(struct iommunest_tracker *tracker,
				  uint32_t device);
/* Current state (IOMMUNEST_DEV_*) and domain of a device. */
int iommunest_tracker_device_state(const struct iommunest_tracker *tracker,
				   uint32_t device, uint32_t *state,
				   uint32_t *domain);
int iommunest_tracker_stats(const struct iommunest_tracker *tracker,
			    struct iommunest_tracker_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* LIBIOMMUNEST_TRACKER_H */
