/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Shadow-tracker benchmark: for domains of M single-page mappings in each
 * layout (layout.h), a device switching between two such domains
 *  - as the tracker does it (unmap-all, then replay coalesced runs),
 *  - the QEMU way (unmap every page, then map every page, one by one),
 *  - in sharing mode (one attachment replace);
 * then random updates (unmap a page, map it back) on the domain the
 * device is on and on the idle one, and the tracker's memory.  Last, the
 * first cut inside a run after a switch and a second cut in that run:
 * without holes (built beside, one replace), the 0.1 way (unmap the run,
 * map back the rest) and in QEMU's per-page layout.
 */
#ifndef BENCH_TRK_H
#define BENCH_TRK_H

#include <stdint.h>

#include "libiommunest/tracker.h"

#define TRK_MAX_SHARED 2

/* A sharing-mode device: how it moves, and how it goes back home before
 * its tracker (and the address spaces the tracker made) is freed. */
struct trk_shared {
	const char *how;            /* table text: what a replace does */
	iommunest_replace_fn replace;
	void (*go_home)(void *opaque);
	void *opaque;
};

/* The own-mode device that cuts without holes: the tracker moves it with
 * replace between its address space as and a spare it allocates. */
struct trk_noholes {
	const char *how;            /* table text: how it builds and moves */
	uint32_t as;
	iommunest_replace_fn replace;
	void *opaque;
	const struct iommunest_sink_ext *ext; /* NULL: maps from guest RAM */
	/* If set: 0 when the device, wherever it is, maps iova to the page
	 * at hva (to check that a cut kept what it should). */
	int (*check)(void *opaque, uint64_t iova, const void *hva);
};

struct trk_env {
	const char *profile;        /* table column: where it ran */
	const struct iommunest_sink *sink;
	uint32_t own_as;            /* the own-mode device's address space */
	uint32_t qemu_as;           /* where the QEMU way maps page by page */
	/* If set: 0 when the own-mode device's page table maps iova to the
	 * page at hva (a sanity check that the switches really happened). */
	int (*check)(uint64_t iova, const void *hva);
	const struct trk_shared *shared; /* one tracker each */
	unsigned int nshared;
	const struct trk_noholes *noholes;
	/* Host memory for len bytes of guest RAM, and its release. */
	void *(*ram_get)(uint64_t len);
	void (*ram_put)(void *hva, uint64_t len);
	const uint64_t *sizes;      /* M values */
	unsigned int nsizes;
	const char *size_note;      /* why the sizes are what they are */
	unsigned int rounds;
	uint64_t slice_ns;          /* aim for one variant's slice */
	uint64_t round_ns;          /* and for its share of a round */
};

void trk_run(const struct trk_env *env);

#endif /* BENCH_TRK_H */
