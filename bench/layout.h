/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The guest domains the tracker benchmark switches between: M mappings of
 * one 4 KiB page each, laid out either as one contiguous run (IOVA and
 * guest-physical both consecutive, so they coalesce into one host map) or
 * as fragmented random runs of 1 to 16 pages, separated by IOVA gaps of 0
 * to 3 pages and placed at shuffled guest-physical slots, so no two runs
 * can be joined.  The runs listed are therefore the maximal runs, and
 * 1 + their number is the fewest host operations a switch to the domain
 * can take (one unmap-all and one map per run).
 */
#ifndef BENCH_LAYOUT_H
#define BENCH_LAYOUT_H

#include <stdint.h>

#define LAY_PAGE 4096ull

enum lay_kind { LAY_CONTIG, LAY_FRAG };

struct lay_run {
	uint64_t iova;
	uint64_t gpa;
	uint64_t pages;
	uint64_t first; /* index of its first page among all pages */
};

struct layout {
	struct lay_run *runs;
	uint64_t nruns;
	uint64_t pages;   /* M */
	uint64_t gpa_end; /* guest RAM it uses ends here */
};

/* M pages at IOVA iova0 and upwards, guest-physical from gpa0. */
void layout_make(struct layout *l, enum lay_kind kind, uint64_t m,
		 uint64_t iova0, uint64_t gpa0, uint64_t seed);
void layout_free(struct layout *l);
/* The run holding page index k, for random updates. */
const struct lay_run *layout_run_of(const struct layout *l, uint64_t k);
const char *layout_name(enum lay_kind kind);

#endif /* BENCH_LAYOUT_H */
