/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Shadow-tracker benchmark (see trk.h). */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "layout.h"
#include "trk.h"

#define AREA "tracker"
#define RW (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define DEV 7u
#define IOVA0 (1ull << 24) /* inside the mock IOMMU's aperture */
#define GOAL_RATE 2e6
#define GOAL_RATE_FROM 1048576 /* mappings */
#define GOAL_BYTES 64.0

/* Switch variants: the tracker, the QEMU way, then each sharing mode. */
enum { SW_OWN, SW_QEMU, SW_SHARED, SW_MAX = SW_SHARED + TRK_MAX_SHARED };
enum upd { UPD_LIVE, UPD_IDLE, NUPD };

/* Cuts: without holes, the 0.1 way (a device without replace), and in
 * QEMU's per-page layout.  Host operations are counted by kind. */
enum { CUT_NH, CUT_OLD, CUT_QEMU, NCUT };
enum { OP_MAP, OP_UNMAP, OP_ALL, OP_REPLACE, NOPS };

struct cut_fig {
	double ns[2][BENCH_MAX_ROUNDS]; /* first and second cut, a round */
	uint64_t ops[2][NOPS];          /* summed over the rounds */
};

/* A random page of a domain with its addresses, found before timing so
 * that the layout's own lookup is not measured as the tracker's cost. */
struct pick {
	uint64_t iova;
	uint64_t gpa;
};

#define NPICKS 65536u /* cycled through: far more than one slice uses */

struct trk_case {
	const struct trk_env *env;
	enum lay_kind kind;
	uint64_t m;
	struct layout lay[2];          /* domains 1 and 2 */
	uint8_t *hva;                  /* guest RAM from guest-physical 0 */
	uint64_t ram_len;
	struct iommunest_tracker *own, *shr[TRK_MAX_SHARED];
	unsigned int on[SW_MAX];       /* the domain each device is in */
	struct bench_cmp sw;           /* ns per switch */
	uint64_t switches, ops, min_ops;
	bool exact, one_replace[TRK_MAX_SHARED];
	struct bench_cmp upd;          /* ns per unmap + map pair */
	double first[BENCH_MAX_ROUNDS]; /* ns: first pair after a switch */
	struct bench_rng rng;
	struct pick *picks[2];         /* random pages, looked up untimed */
	uint32_t next_pick[2];
	double bytes;                  /* per mapping */
	struct iommunest_tracker *nh;  /* device with replace, sink ext */
	unsigned int nh_on;
	uint64_t nh_switches, nh_ops, nh_min;
	bool nh_exact, nh_plain;       /* minimum switches; plain 2nd cuts */
	struct cut_fig cut[NCUT];
};

static uint64_t sink_ops(const struct iommunest_tracker_stats *s)
{
	return s->maps + s->unmaps + s->unmap_alls;
}

static struct iommunest_tracker_stats stats_of(struct iommunest_tracker *t)
{
	struct iommunest_tracker_stats st;

	if (iommunest_tracker_stats(t, &st))
		bench_fail("tracker stats");
	return st;
}

/* ---- setting up --------------------------------------------------------- */

/* Page by page, as a VMM learns of them from the guest. */
static void map_layout(struct iommunest_tracker *t, uint32_t dom,
		       const struct layout *l)
{
	const struct lay_run *r;
	uint64_t i, off;

	for (i = 0; i < l->nruns; i++) {
		r = &l->runs[i];
		for (off = 0; off < r->pages * LAY_PAGE; off += LAY_PAGE)
			if (iommunest_tracker_map(t, dom, r->iova + off,
						  LAY_PAGE, r->gpa + off, RW))
				bench_fail("tracker map");
	}
}

static struct iommunest_tracker *new_tracker(struct trk_case *c,
					     uint32_t flags)
{
	struct iommunest_tracker *t;
	uint32_t d;

	if (iommunest_tracker_new(c->env->sink, flags, &t) ||
	    iommunest_tracker_add_ram(t, 0, c->ram_len, c->hva))
		bench_fail("tracker with %llu bytes of RAM",
			   (unsigned long long)c->ram_len);
	for (d = 0; d < 2; d++) {
		if (iommunest_tracker_domain_add(t, d + 1))
			bench_fail("domain add");
		map_layout(t, d + 1, &c->lay[d]);
	}
	return t;
}

static void set_domain(struct iommunest_tracker *t, unsigned int d)
{
	int rc = iommunest_tracker_set_domain(t, DEV, d + 1);

	if (rc)
		bench_fail("switch to domain %u: %d", d + 1, rc);
}

/* The QEMU way: one host map or unmap per page. */
static void qemu_pages(struct trk_case *c, const struct layout *l, bool map)
{
	const struct iommunest_sink *s = c->env->sink;
	uint32_t as = c->env->qemu_as;
	const struct lay_run *r;
	uint64_t i, off;
	int rc;

	for (i = 0; i < l->nruns; i++) {
		r = &l->runs[i];
		for (off = 0; off < r->pages * LAY_PAGE; off += LAY_PAGE) {
			rc = map ? s->map(s->opaque, as, r->iova + off,
					  LAY_PAGE, c->hva + r->gpa + off, RW)
				 : s->unmap(s->opaque, as, r->iova + off,
					    LAY_PAGE);
			if (rc)
				bench_fail("QEMU way %s: %d",
					   map ? "map" : "unmap", rc);
		}
	}
}

/* Sharing mode makes each domain's address space on first use: use
 * both before timing. */
static void setup_shared(struct trk_case *c, unsigned int i)
{
	const struct trk_shared *sh = &c->env->shared[i];

	c->shr[i] = new_tracker(c, IOMMUNEST_TRACKER_SHARED);
	if (iommunest_tracker_device_add(c->shr[i], DEV, 0, sh->replace,
					 sh->opaque))
		bench_fail("sharing-mode device add");
	set_domain(c->shr[i], 0);
	set_domain(c->shr[i], 1);
	c->on[SW_SHARED + i] = 1;
	c->one_replace[i] = true;
}

static void make_picks(struct trk_case *c, unsigned int d)
{
	const struct layout *l = &c->lay[d];
	const struct lay_run *run;
	uint64_t k, off;
	uint32_t i;

	c->picks[d] = calloc(NPICKS, sizeof(*c->picks[d]));
	if (!c->picks[d])
		bench_fail("out of memory");
	for (i = 0; i < NPICKS; i++) {
		k = bench_rng_below(&c->rng, l->pages);
		run = layout_run_of(l, k);
		off = (k - run->first) * LAY_PAGE;
		c->picks[d][i] = (struct pick){ run->iova + off,
						run->gpa + off };
	}
}

static void setup_noholes(struct trk_case *c)
{
	const struct trk_noholes *nh = c->env->noholes;

	c->nh = new_tracker(c, 0);
	if (nh->ext && iommunest_tracker_set_sink_ext(c->nh, nh->ext))
		bench_fail("sink extension");
	if (iommunest_tracker_device_add(c->nh, DEV, nh->as, nh->replace,
					 nh->opaque))
		bench_fail("no-holes device add");
	set_domain(c->nh, 0);
	c->nh_on = 0;
}

static void setup(struct trk_case *c)
{
	const struct trk_env *e = c->env;
	unsigned int i;

	layout_make(&c->lay[0], c->kind, c->m, IOVA0, 0, c->m * 2 + 1);
	layout_make(&c->lay[1], c->kind, c->m, IOVA0, c->lay[0].gpa_end,
		    c->m * 2 + 2);
	c->ram_len = c->lay[1].gpa_end;
	c->hva = e->ram_get(c->ram_len);
	c->own = new_tracker(c, 0);
	if (iommunest_tracker_device_add(c->own, DEV, e->own_as, NULL, NULL))
		bench_fail("device add");
	set_domain(c->own, 0);
	setup_noholes(c);
	for (i = 0; i < e->nshared; i++)
		setup_shared(c, i);
	qemu_pages(c, &c->lay[0], true);
	c->exact = true;
	bench_rng_seed(&c->rng, c->m);
	for (i = 0; i < 2; i++)
		make_picks(c, i);
}

static void teardown(struct trk_case *c)
{
	const struct trk_env *e = c->env;
	const struct iommunest_sink *s = e->sink;
	unsigned int i;

	free(c->picks[0]);
	free(c->picks[1]);
	if (iommunest_tracker_device_remove(c->own, DEV))
		bench_fail("device remove");
	iommunest_tracker_free(c->own);
	/* Back on its own address space, and the spare freed. */
	if (iommunest_tracker_device_remove(c->nh, DEV))
		bench_fail("no-holes device remove");
	iommunest_tracker_free(c->nh);
	for (i = 0; i < e->nshared; i++) {
		if (iommunest_tracker_device_remove(c->shr[i], DEV))
			bench_fail("sharing-mode device remove");
		e->shared[i].go_home(e->shared[i].opaque);
		iommunest_tracker_free(c->shr[i]);
	}
	if (s->unmap_all(s->opaque, e->qemu_as))
		bench_fail("QEMU way: unmap all");
	e->ram_put(c->hva, c->ram_len);
	layout_free(&c->lay[0]);
	layout_free(&c->lay[1]);
}

/* ---- switches ------------------------------------------------------------ */

static void own_switch(struct trk_case *c)
{
	unsigned int to = !c->on[SW_OWN];
	struct iommunest_tracker_stats a = stats_of(c->own), b;
	uint64_t min = 1 + c->lay[to].nruns; /* unmap-all + one map a run */

	set_domain(c->own, to);
	b = stats_of(c->own);
	c->on[SW_OWN] = to;
	c->switches++;
	c->ops += sink_ops(&b) - sink_ops(&a);
	c->min_ops += min;
	if (sink_ops(&b) - sink_ops(&a) != min)
		c->exact = false;
}

static void shared_switch(struct trk_case *c, unsigned int i)
{
	unsigned int to = !c->on[SW_SHARED + i];
	struct iommunest_tracker_stats a = stats_of(c->shr[i]), b;

	set_domain(c->shr[i], to);
	b = stats_of(c->shr[i]);
	c->on[SW_SHARED + i] = to;
	if (b.replaces - a.replaces != 1 || sink_ops(&b) != sink_ops(&a))
		c->one_replace[i] = false;
}

static void qemu_switch(struct trk_case *c)
{
	unsigned int to = !c->on[SW_QEMU];

	qemu_pages(c, &c->lay[!to], false);
	qemu_pages(c, &c->lay[to], true);
	c->on[SW_QEMU] = to;
}

static double switch_sample(void *arg, unsigned int v, uint64_t n)
{
	struct trk_case *c = arg;
	uint64_t t0 = bench_now_ns(), k;

	for (k = 0; k < n; k++) {
		if (v == SW_OWN)
			own_switch(c);
		else if (v == SW_QEMU)
			qemu_switch(c);
		else
			shared_switch(c, v - SW_SHARED);
	}
	return (double)(bench_now_ns() - t0);
}

/* The first and last page of the domain the own-mode device is in. */
static void check_own(const struct trk_case *c)
{
	const struct layout *l = &c->lay[c->on[SW_OWN]];
	const struct lay_run *last = &l->runs[l->nruns - 1];
	uint64_t end = (last->pages - 1) * LAY_PAGE;

	if (!c->env->check)
		return;
	if (c->env->check(l->runs[0].iova, c->hva + l->runs[0].gpa) ||
	    c->env->check(last->iova + end, c->hva + last->gpa + end))
		bench_fail("the device does not map what its domain maps");
}

static void measure_switches(struct trk_case *c)
{
	c->sw = (struct bench_cmp){
		.run = switch_sample, .arg = c, .rounds = c->env->rounds,
		.variants = SW_SHARED + c->env->nshared,
	};
	bench_calibrate(&c->sw, c->env->slice_ns);
	bench_fit_slices(&c->sw, c->env->round_ns, 16);
	c->switches = c->ops = c->min_ops = 0; /* count timed ones only */
	c->exact = true;
	bench_compare(&c->sw);
	check_own(c);
}

/* ---- updates ------------------------------------------------------------ */

/* n random pages of domain d: each unmapped, then mapped back. */
static void update_pairs(struct trk_case *c, unsigned int d, uint64_t n)
{
	const struct pick *p;

	while (n--) {
		p = &c->picks[d][c->next_pick[d]++ % NPICKS];
		if (iommunest_tracker_unmap(c->own, d + 1, p->iova, LAY_PAGE) ||
		    iommunest_tracker_map(c->own, d + 1, p->iova, LAY_PAGE,
					  p->gpa, RW))
			bench_fail("random update");
	}
}

static double update_sample(void *arg, unsigned int u, uint64_t n)
{
	struct trk_case *c = arg;
	unsigned int d = u == UPD_LIVE ? c->on[SW_OWN] : !c->on[SW_OWN];
	uint64_t t0 = bench_now_ns();

	update_pairs(c, d, n);
	return (double)(bench_now_ns() - t0);
}

/* Right after a switch the device's host areas are whole runs, and
 * cutting one costs its length: time the first pair after each of a few
 * switches (there and back again, untimed). */
static void measure_first_cut(struct trk_case *c)
{
	unsigned int r;

	for (r = 0; r < c->env->rounds; r++) {
		own_switch(c);
		own_switch(c);
		c->first[r] = update_sample(c, UPD_LIVE, 1);
	}
}

/* Then warm up with M/8 pairs a domain, and measure the steady state. */
static void measure_updates(struct trk_case *c)
{
	c->upd = (struct bench_cmp){
		.run = update_sample, .arg = c, .variants = NUPD,
		.rounds = c->env->rounds,
	};
	update_sample(c, UPD_LIVE, c->m / 8 + 1);
	update_sample(c, UPD_IDLE, c->m / 8 + 1);
	bench_calibrate(&c->upd, c->env->slice_ns);
	bench_fit_slices(&c->upd, c->env->round_ns, 16);
	bench_compare(&c->upd);
}

/* ---- cuts --------------------------------------------------------------- */

/* A switch of the no-holes device, counted against the minimum. */
static void nh_switch(struct trk_case *c)
{
	unsigned int to = !c->nh_on;
	struct iommunest_tracker_stats a = stats_of(c->nh), b;
	uint64_t min = 1 + c->lay[to].nruns;

	set_domain(c->nh, to);
	b = stats_of(c->nh);
	c->nh_on = to;
	c->nh_switches++;
	c->nh_ops += sink_ops(&b) - sink_ops(&a);
	c->nh_min += min;
	if (sink_ops(&b) - sink_ops(&a) != min || b.replaces != a.replaces)
		c->nh_exact = false;
}

/* Two pages of one run of domain d (a run of two pages or more): the
 * first cut falls inside the run's host area. */
static void pick_cut(struct trk_case *c, unsigned int d, struct pick p[2])
{
	const struct layout *l = &c->lay[d];
	const struct lay_run *run;
	unsigned int tries = 0;
	uint64_t k[2];
	int i;

	do {
		if (++tries > 1000)
			bench_fail("no run of two pages to cut");
		run = layout_run_of(l, bench_rng_below(&c->rng, l->pages));
	} while (run->pages < 2);
	k[0] = bench_rng_below(&c->rng, run->pages);
	k[1] = (k[0] + 1 + bench_rng_below(&c->rng, run->pages - 1)) %
	       run->pages;
	for (i = 0; i < 2; i++)
		p[i] = (struct pick){ run->iova + k[i] * LAY_PAGE,
				      run->gpa + k[i] * LAY_PAGE };
}

static struct iommunest_tracker *cut_tracker(struct trk_case *c,
					     unsigned int v)
{
	return v == CUT_NH ? c->nh : c->own;
}

/* Unmap one page of domain d, timed; its host operations into op. */
static double cut_one(struct trk_case *c, unsigned int v, unsigned int d,
		      const struct pick *p, uint64_t op[NOPS])
{
	const struct iommunest_sink *s = c->env->sink;
	struct iommunest_tracker *t = cut_tracker(c, v);
	struct iommunest_tracker_stats a, b;
	uint64_t t0, t1;
	int rc;

	if (v == CUT_QEMU) {
		t0 = bench_now_ns();
		rc = s->unmap(s->opaque, c->env->qemu_as, p->iova, LAY_PAGE);
		t1 = bench_now_ns();
		op[OP_UNMAP] = 1;
	} else {
		a = stats_of(t);
		t0 = bench_now_ns();
		rc = iommunest_tracker_unmap(t, d + 1, p->iova, LAY_PAGE);
		t1 = bench_now_ns();
		b = stats_of(t);
		op[OP_MAP] = b.maps - a.maps;
		op[OP_UNMAP] = b.unmaps - a.unmaps;
		op[OP_ALL] = b.unmap_alls - a.unmap_alls;
		op[OP_REPLACE] = b.replaces - a.replaces;
	}
	if (rc)
		bench_fail("cut, variant %u: %d", v, rc);
	return (double)(t1 - t0);
}

static void uncut(struct trk_case *c, unsigned int v, unsigned int d,
		  const struct pick *p)
{
	const struct iommunest_sink *s = c->env->sink;
	int rc;

	if (v == CUT_QEMU)
		rc = s->map(s->opaque, c->env->qemu_as, p->iova, LAY_PAGE,
			    c->hva + p->gpa, RW);
	else
		rc = iommunest_tracker_map(cut_tracker(c, v), d + 1, p->iova,
					   LAY_PAGE, p->gpa, RW);
	if (rc)
		bench_fail("map a cut page back: %d", rc);
}

/* Does the no-holes device map page p (want) or not? */
static void nh_check(const struct trk_case *c, const struct pick *p,
		     bool want)
{
	const struct trk_noholes *nh = c->env->noholes;
	bool mapped;

	if (!nh->check)
		return;
	mapped = !nh->check(nh->opaque, p->iova, c->hva + p->gpa);
	if (mapped != want)
		bench_fail("no-holes cut: a page %s", want ? "went missing"
							    : "stayed mapped");
}

/* Both cuts of variant v in round r, then both pages back. */
static void cut_variant(struct trk_case *c, unsigned int v, unsigned int r,
			unsigned int d, const struct pick p[2])
{
	struct cut_fig *f = &c->cut[v];
	uint64_t op[NOPS];
	unsigned int i, k;

	for (i = 0; i < 2; i++) {
		for (k = 0; k < NOPS; k++)
			op[k] = 0;
		f->ns[i][r] = cut_one(c, v, d, &p[i], op);
		for (k = 0; k < NOPS; k++)
			f->ops[i][k] += op[k];
		if (v != CUT_NH)
			continue;
		if (i == 0)
			nh_check(c, &p[1], true);
		nh_check(c, &p[i], false);
		if (i == 1 && (op[OP_UNMAP] != 1 || op[OP_MAP] ||
			       op[OP_ALL] || op[OP_REPLACE]))
			c->nh_plain = false;
	}
	for (i = 0; i < 2; i++)
		uncut(c, v, d, &p[i]);
}

/*
 * Each round: both trackers switch away and back, so the domain's runs
 * are whole host areas again; then each variant, in turn, cuts a page
 * inside a run and then another page of that run.  QEMU's address space
 * holds the same domain page by page.
 */
static void measure_cuts(struct trk_case *c)
{
	unsigned int r, k, d;
	struct pick p[2];

	c->nh_switches = c->nh_ops = c->nh_min = 0;
	c->nh_exact = c->nh_plain = true;
	if (c->on[SW_QEMU] != c->on[SW_OWN])
		own_switch(c);
	d = c->on[SW_OWN];
	if (c->nh_on != d)
		nh_switch(c);
	for (r = 0; r < c->env->rounds; r++) {
		own_switch(c);
		own_switch(c);
		nh_switch(c);
		nh_switch(c);
		pick_cut(c, d, p);
		for (k = 0; k < NCUT; k++)
			cut_variant(c, (r + k) % NCUT, r, d, p);
	}
}

/* ---- results ------------------------------------------------------------ */

static void row(const struct trk_case *c, const char *figure,
		const char *val, const char *spread, const char *target)
{
	char what[BENCH_TXT];

	snprintf(what, sizeof(what), "M=%llu %s", (unsigned long long)c->m,
		 layout_name(c->kind));
	bench_row(AREA, c->env->profile, what, figure, val, spread, target);
}

static void report_shared(struct trk_case *c, unsigned int i)
{
	char fig[2 * BENCH_TXT], val[BENCH_TXT], spread[BENCH_TXT];
	struct bench_stat st;

	snprintf(fig, sizeof(fig), "sharing mode switch: time (%s%s)",
		 c->env->shared[i].how,
		 c->one_replace[i] ? "" : "; NOT one replace");
	bench_cmp_stat(&c->sw, SW_SHARED + i, &st);
	bench_fmt_stat(val, spread, &st, bench_fmt_time);
	row(c, fig, val, spread, "");
	snprintf(fig, sizeof(fig), "unmap-all + replay / sharing mode (%s)",
		 c->env->shared[i].how);
	bench_cmp_ratio(&c->sw, SW_OWN, SW_SHARED + i, &st);
	bench_fmt_stat(val, spread, &st, bench_fmt_ratio);
	row(c, fig, val, spread, "");
}

static void report_switches(struct trk_case *c)
{
	char val[3 * BENCH_TXT], spread[BENCH_TXT], tgt[BENCH_TXT];
	char t[BENCH_TXT], o[BENCH_TXT];
	double sw = (double)c->switches;
	struct bench_stat st;
	unsigned int i;

	snprintf(val, sizeof(val), "%.6g (min %.6g)", (double)c->ops / sw,
		 (double)c->min_ops / sw);
	row(c, "switch: host ops (unmap-all + maps)", val, "",
	    bench_target(tgt, "= minimum", c->exact));
	bench_cmp_stat(&c->sw, SW_OWN, &st);
	bench_fmt_stat(val, spread, &st, bench_fmt_time);
	row(c, "switch: time, unmap-all + replay", val, spread, "");
	bench_cmp_ratio(&c->sw, SW_QEMU, SW_OWN, &st);
	bench_fmt_stat(t, spread, &st, bench_fmt_ratio);
	bench_fmt_ratio(o, 2.0 * (double)c->m * sw / (double)c->ops);
	snprintf(val, sizeof(val), "%s time, %s ops", t, o);
	row(c, "switch: QEMU way (per-page unmap, map) / lib", val, spread,
	    "");
	for (i = 0; i < c->env->nshared; i++)
		report_shared(c, i);
}

/* Updates per second: two per unmap + map pair. */
static void rate_stat(const struct trk_case *c, unsigned int u,
		      struct bench_stat *st)
{
	double x[BENCH_MAX_ROUNDS];
	unsigned int r;

	for (r = 0; r < c->upd.rounds; r++)
		x[r] = 2e9 / c->upd.ns[u][r];
	bench_stat(x, c->upd.rounds, st);
}

static void report_updates_memory(struct trk_case *c)
{
	static const char *const fig[NUPD] = {
		"random updates: domain live on the device",
		"random updates: domain idle",
	};
	char val[BENCH_TXT], spread[BENCH_TXT], tgt[BENCH_TXT] = "";
	struct bench_stat st;
	unsigned int u;

	for (u = 0; u < NUPD; u++) {
		rate_stat(c, u, &st);
		bench_fmt_stat(val, spread, &st, bench_fmt_rate);
		tgt[0] = 0;
		if (c->m >= GOAL_RATE_FROM)
			bench_target(tgt, ">= 2 M/s", st.med >= GOAL_RATE);
		row(c, fig[u], val, spread, tgt);
	}
	bench_stat(c->first, c->env->rounds, &st);
	bench_fmt_stat(val, spread, &st, bench_fmt_time);
	row(c, "first unmap + map after a switch (cuts a whole run)", val,
	    spread, "");
	snprintf(val, sizeof(val), "%.1f", c->bytes);
	row(c, "tracker bytes per mapping", val, "",
	    bench_target(tgt, "<= 64", c->bytes <= GOAL_BYTES));
}

/* A ratio, also when far below 1. */
static char *fmt_ratio(char *buf, double x)
{
	if (x >= 0.01)
		return bench_fmt_ratio(buf, x);
	snprintf(buf, BENCH_TXT, "%.2gx", x);
	return buf;
}

/* A mean count: whole when large, three digits when small. */
static char *fmt_mean(char *buf, double x)
{
	snprintf(buf, BENCH_TXT, x >= 1000 ? "%.0f" : "%.3g", x);
	return buf;
}

static uint64_t op_total(const uint64_t op[NOPS])
{
	return op[OP_MAP] + op[OP_UNMAP] + op[OP_ALL] + op[OP_REPLACE];
}

/* Host operations per cut: the total, then each kind there was. */
static void fmt_ops(char *buf, size_t size, const struct trk_case *c,
		    const uint64_t op[NOPS])
{
	static const char *const kind[NOPS] = {
		"map/copy", "unmap", "unmap-all", "replace",
	};
	char num[BENCH_TXT];
	double n = c->env->rounds;
	const char *sep = ":";
	size_t len;
	int k;

	len = (size_t)snprintf(buf, size, "%s",
			       fmt_mean(num, (double)op_total(op) / n));
	for (k = 0; k < NOPS && len < size; k++) {
		if (!op[k])
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s %s %s", sep,
					fmt_mean(num, (double)op[k] / n),
					kind[k]);
		sep = ",";
	}
}

/* Per-round ratios of two variants' times for cut i, and their ops. */
static void cut_ratio(const struct trk_case *c, unsigned int a,
		      unsigned int b, unsigned int i, const char *figure)
{
	char val[3 * BENCH_TXT], spread[BENCH_TXT], t[BENCH_TXT];
	char o[BENCH_TXT];
	const struct cut_fig *fa = &c->cut[a], *fb = &c->cut[b];
	double x[BENCH_MAX_ROUNDS];
	struct bench_stat st;
	unsigned int r;

	for (r = 0; r < c->env->rounds; r++)
		x[r] = fa->ns[i][r] / (fb->ns[i][r] > 0 ? fb->ns[i][r] : 1);
	bench_stat(x, c->env->rounds, &st);
	bench_fmt_stat(t, spread, &st, fmt_ratio);
	fmt_ratio(o, (double)op_total(fa->ops[i]) /
		     (double)op_total(fb->ops[i]));
	snprintf(val, sizeof(val), "%s time, %s ops", t, o);
	row(c, figure, val, spread, "");
}

static void cut_time(const struct trk_case *c, unsigned int v,
		     unsigned int i, const char *figure)
{
	char val[BENCH_TXT], spread[BENCH_TXT];
	double x[BENCH_MAX_ROUNDS];
	struct bench_stat st;
	unsigned int r;

	for (r = 0; r < c->env->rounds; r++)
		x[r] = c->cut[v].ns[i][r];
	bench_stat(x, c->env->rounds, &st);
	bench_fmt_stat(val, spread, &st, bench_fmt_time);
	row(c, figure, val, spread, "");
}

static void cut_ops(const struct trk_case *c, unsigned int v,
		    unsigned int i, const char *figure)
{
	char val[4 * BENCH_TXT];

	fmt_ops(val, sizeof(val), c, c->cut[v].ops[i]);
	row(c, figure, val, "", "");
}

static void report_cuts(struct trk_case *c)
{
	char fig[2 * BENCH_TXT], val[BENCH_TXT], tgt[BENCH_TXT];
	double sw = (double)c->nh_switches;

	snprintf(fig, sizeof(fig), "switch, no-holes setup (%s): host ops",
		 c->env->noholes->how);
	snprintf(val, sizeof(val), "%.6g (min %.6g)", (double)c->nh_ops / sw,
		 (double)c->nh_min / sw);
	row(c, fig, val, "", bench_target(tgt, "= minimum", c->nh_exact));
	cut_ops(c, CUT_NH, 0, "first cut after a switch, no holes "
			      "(built beside, replace): host ops");
	cut_time(c, CUT_NH, 0, "first cut after a switch, no holes: time");
	cut_ops(c, CUT_OLD, 0, "first cut after a switch, 0.1 way "
			       "(unmap, map back the rest): host ops");
	cut_time(c, CUT_OLD, 0, "first cut after a switch, 0.1 way: time");
	cut_time(c, CUT_QEMU, 0, "first cut after a switch, QEMU way "
				 "(per-page layout: unmap 1 page): time");
	cut_ratio(c, CUT_NH, CUT_OLD, 0, "first cut: no holes / 0.1 way");
	cut_ratio(c, CUT_NH, CUT_QEMU, 0, "first cut: no holes / QEMU way");
	cut_time(c, CUT_NH, 1, c->nh_plain
		 ? "second cut, same run, along guest mappings, no holes: "
		   "time (1 plain unmap)"
		 : "second cut, same run, along guest mappings, no holes: "
		   "time (NOT 1 plain unmap)");
	cut_ratio(c, CUT_OLD, CUT_NH, 1, "second cut: 0.1 way / no holes");
	cut_ratio(c, CUT_QEMU, CUT_NH, 1, "second cut: QEMU way / no holes");
}

static void memory(struct trk_case *c)
{
	struct iommunest_tracker_stats st = stats_of(c->own);

	c->bytes = (double)st.bytes / (double)st.mappings;
}

static void run_case(const struct trk_env *env, enum lay_kind kind,
		     uint64_t m)
{
	struct trk_case *c = calloc(1, sizeof(*c));

	if (!c)
		bench_fail("out of memory");
	c->env = env;
	c->kind = kind;
	c->m = m;
	bench_note("%s: tracker, M=%llu %s", env->profile,
		   (unsigned long long)m, layout_name(kind));
	setup(c);
	measure_switches(c);
	report_switches(c);
	measure_first_cut(c);
	measure_cuts(c);
	measure_updates(c);
	memory(c);
	report_updates_memory(c);
	report_cuts(c);
	teardown(c);
	free(c);
}

void trk_run(const struct trk_env *env)
{
	unsigned int i;

	if (env->nshared > TRK_MAX_SHARED)
		bench_fail("at most %d sharing modes", TRK_MAX_SHARED);
	if (!env->noholes)
		bench_fail("no no-holes device");
	if (env->size_note)
		bench_table_note("%s", env->size_note);
	bench_table_note("%s: a cut is one unmap, timed alone once a round "
			 "(clock reads included); its host ops are means",
			 env->profile);
	for (i = 0; i < env->nsizes; i++) {
		run_case(env, LAY_CONTIG, env->sizes[i]);
		run_case(env, LAY_FRAG, env->sizes[i]);
	}
}
