/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
#include <stdlib.h>

#include "bench.h"
#include "layout.h"

#define RUN_MAX 16  /* pages in a fragmented run */
#define GAP_MAX 3   /* pages between fragmented runs */
#define SLOT 17     /* guest-physical pages per run slot: > RUN_MAX */

const char *layout_name(enum lay_kind kind)
{
	return kind == LAY_CONTIG ? "contiguous" : "fragmented";
}

static void contig(struct layout *l, uint64_t m, uint64_t iova0,
		   uint64_t gpa0)
{
	l->runs[0] = (struct lay_run){ iova0, gpa0, m, 0 };
	l->nruns = 1;
	l->gpa_end = gpa0 + m * LAY_PAGE;
}

/* Slot s of the shuffled slots: a run ends at most RUN_MAX pages into
 * its slot, so the next slot never continues it. */
static void frag(struct layout *l, uint64_t m, uint64_t iova0,
		 uint64_t gpa0, struct bench_rng *rng)
{
	uint64_t iova = iova0, done = 0, i, j, t;
	uint64_t *slot;

	while (done < m) {
		struct lay_run *r = &l->runs[l->nruns++];

		r->pages = 1 + bench_rng_below(rng, RUN_MAX);
		if (r->pages > m - done)
			r->pages = m - done;
		r->iova = iova;
		r->first = done;
		iova += (r->pages + bench_rng_below(rng, GAP_MAX + 1)) *
			LAY_PAGE;
		done += r->pages;
	}
	slot = malloc(l->nruns * sizeof(*slot));
	if (!slot)
		bench_fail("out of memory");
	for (i = 0; i < l->nruns; i++)
		slot[i] = i;
	for (i = l->nruns - 1; i > 0; i--) { /* Fisher-Yates */
		j = bench_rng_below(rng, i + 1);
		t = slot[i];
		slot[i] = slot[j];
		slot[j] = t;
	}
	for (i = 0; i < l->nruns; i++)
		l->runs[i].gpa = gpa0 + slot[i] * SLOT * LAY_PAGE;
	l->gpa_end = gpa0 + l->nruns * SLOT * LAY_PAGE;
	free(slot);
}

void layout_make(struct layout *l, enum lay_kind kind, uint64_t m,
		 uint64_t iova0, uint64_t gpa0, uint64_t seed)
{
	struct bench_rng rng;

	*l = (struct layout){ .pages = m };
	/* A fragmented run holds at least one page. */
	l->runs = malloc((kind == LAY_CONTIG ? 1 : m) * sizeof(*l->runs));
	if (!l->runs)
		bench_fail("out of memory");
	bench_rng_seed(&rng, seed);
	if (kind == LAY_CONTIG)
		contig(l, m, iova0, gpa0);
	else
		frag(l, m, iova0, gpa0, &rng);
}

void layout_free(struct layout *l)
{
	free(l->runs);
	*l = (struct layout){ 0 };
}

const struct lay_run *layout_run_of(const struct layout *l, uint64_t k)
{
	uint64_t lo = 0, hi = l->nruns;

	while (hi - lo > 1) { /* the last run with first <= k */
		uint64_t mid = lo + (hi - lo) / 2;

		if (l->runs[mid].first <= k)
			lo = mid;
		else
			hi = mid;
	}
	return &l->runs[lo];
}
