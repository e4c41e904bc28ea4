/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Invalidation benchmark (see inv.h).  All three variants read the same
 * "guest queue" (one IOTLB slot per entry) and check every answer, as a
 * VMM must; the raw loops are what a VMM without the library would write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "abi.h"
#include "bench.h"
#include "inv.h"
#include "libiommunest/batch.h"

#define AREA "invalidation"
#define SLOTS 4 /* the mock IOTLB */
#define GOAL_FROM 64 /* the overhead target holds from this batch size */
#define GOAL_RATIO 1.05

enum variant { V_LIB, V_RAW, V_ONE, V_ADD, NVARIANTS };

struct inv_case {
	const struct inv_env *env;
	uint32_t n;                /* entries per batch */
	uint32_t *queue;           /* the slot each entry clears */
	struct kabi_selftest_invalidate *entries; /* the raw loop's array */
	struct iommunest_batch *batch;
	struct bench_cmp cmp;      /* ns per batch */
};

static void raw_submit(const struct inv_case *c,
		       const struct kabi_selftest_invalidate *e, uint32_t n)
{
	struct kabi_hwpt_invalidate cmd = {
		.size = sizeof(cmd),
		.hwpt_id = c->env->hwpt,
		.data_uptr = (uint64_t)(uintptr_t)e,
		.data_type = KABI_INVALIDATE_DATA_SELFTEST,
		.entry_len = sizeof(*e),
		.entry_num = n,
	};

	if (ioctl(iommunest_fd(c->env->ctx), KABI_IOMMU_HWPT_INVALIDATE,
		  &cmd) || cmd.entry_num != n)
		bench_fail("raw invalidate of %u entries", n);
}

/* The library as a VMM decoding a guest queue uses it: entries written
 * in place into reserved slots, then one flush. */
static void run_lib(const struct inv_case *c)
{
	struct kabi_selftest_invalidate *e;
	void *slots;
	uint32_t i;

	if (iommunest_batch_reserve(c->batch, c->n, &slots) < 0)
		bench_fail("batch reserve");
	e = slots;
	for (i = 0; i < c->n; i++)
		e[i] = (struct kabi_selftest_invalidate){
			.iotlb_id = c->queue[i] };
	if (iommunest_batch_flush(c->batch))
		bench_fail("batch flush of %u entries", c->n);
}

/* One library call per entry, with the typed adder. */
static void run_add(const struct inv_case *c)
{
	uint32_t i;

	for (i = 0; i < c->n; i++)
		if (iommunest_batch_add_selftest(c->batch, c->queue[i], 0) < 0)
			bench_fail("batch add");
	if (iommunest_batch_flush(c->batch))
		bench_fail("batch flush of %u entries", c->n);
}

static void run_raw(const struct inv_case *c)
{
	uint32_t i;

	for (i = 0; i < c->n; i++)
		c->entries[i] = (struct kabi_selftest_invalidate){
			.iotlb_id = c->queue[i] };
	raw_submit(c, c->entries, c->n);
}

static void run_one(const struct inv_case *c)
{
	struct kabi_selftest_invalidate e = { 0 };
	uint32_t i;

	for (i = 0; i < c->n; i++) {
		e.iotlb_id = c->queue[i];
		raw_submit(c, &e, 1);
	}
}

/* Nanoseconds for n batches of variant v. */
static double sample(void *arg, unsigned int v, uint64_t n)
{
	static void (*const run[NVARIANTS])(const struct inv_case *) = {
		run_lib, run_raw, run_one, run_add,
	};
	const struct inv_case *c = arg;
	uint64_t t0 = bench_now_ns(), k;

	for (k = 0; k < n; k++)
		run[v](c);
	return (double)(bench_now_ns() - t0);
}

static void measure(struct inv_case *c)
{
	c->cmp = (struct bench_cmp){
		.run = sample, .arg = c, .variants = NVARIANTS,
		.rounds = c->env->rounds, .slices = c->env->slices,
	};
	bench_calibrate(&c->cmp, c->env->slice_ns);
	bench_compare(&c->cmp);
}

/* A ratio of variants a and b with the times behind it: nanoseconds per
 * flush (per batch) and per entry. */
static void ratio_beside(char *out, size_t len, const struct inv_case *c,
			 const char *ratio, unsigned int a, unsigned int b)
{
	char ta[BENCH_TXT], tb[BENCH_TXT];
	struct bench_stat sa, sb;

	bench_cmp_stat(&c->cmp, a, &sa);
	bench_cmp_stat(&c->cmp, b, &sb);
	snprintf(out, len, "%s (%s vs %s per flush; %.3g vs %.3g ns per "
		 "entry)", ratio, bench_fmt_time(ta, sa.med),
		 bench_fmt_time(tb, sb.med), sa.med / c->n, sb.med / c->n);
}

static void report(struct inv_case *c, double lib_ioctls)
{
	char n[BENCH_TXT], val[5 * BENCH_TXT], spread[BENCH_TXT];
	char tgt[BENCH_TXT] = "", tmp[2 * BENCH_TXT], pct[BENCH_TXT];
	const char *p = c->env->profile;
	struct bench_stat st;

	snprintf(n, sizeof(n), "batch of %u", c->n);
	bench_cmp_stat(&c->cmp, V_LIB, &st);
	bench_fmt_stat(val, spread, &st, bench_fmt_time);
	bench_row(AREA, p, n, "lib batch: reserve + fill + flush, per batch",
		  val, spread, "");

	bench_cmp_ratio(&c->cmp, V_LIB, V_RAW, &st);
	bench_fmt_stat(pct, spread, &st, bench_fmt_pct);
	if (c->n >= GOAL_FROM)
		bench_target(tgt, "<= +5%", st.med <= GOAL_RATIO);
	ratio_beside(val, sizeof(val), c, pct, V_LIB, V_RAW);
	bench_row(AREA, p, n, "lib overhead over the raw ioctl loop", val,
		  spread, tgt);

	bench_cmp_ratio(&c->cmp, V_ADD, V_RAW, &st);
	bench_fmt_stat(pct, spread, &st, bench_fmt_pct);
	ratio_beside(val, sizeof(val), c, pct, V_ADD, V_RAW);
	bench_row(AREA, p, n, "lib overhead, one add call per entry", val,
		  spread, "");

	bench_cmp_ratio(&c->cmp, V_ONE, V_LIB, &st);
	bench_fmt_stat(pct, spread, &st, bench_fmt_ratio);
	snprintf(tmp, sizeof(tmp), "%s time, %.4gx ioctls", pct,
		 (double)c->n / lib_ioctls);
	ratio_beside(val, sizeof(val), c, tmp, V_ONE, V_LIB);
	bench_row(AREA, p, n, "1 entry per ioctl (QEMU) / lib batch", val,
		  spread, "");
}

static void setup(struct inv_case *c)
{
	struct iommunest_batch_config cfg = {
		.target_id = c->env->hwpt,
		.data_type = IOMMUNEST_INV_SELFTEST,
		.entry_len = sizeof(struct kabi_selftest_invalidate),
		.capacity = c->n,
	};
	uint32_t i;

	c->queue = calloc(c->n, sizeof(*c->queue));
	c->entries = calloc(c->n, sizeof(*c->entries));
	if (!c->queue || !c->entries)
		bench_fail("out of memory");
	for (i = 0; i < c->n; i++)
		c->queue[i] = i % SLOTS;
	if (iommunest_batch_new(c->env->ctx, &cfg, &c->batch))
		bench_fail("batch of %u", c->n);
}

static void run_size(const struct inv_env *env, uint32_t n)
{
	struct inv_case *c = calloc(1, sizeof(*c));
	struct iommunest_batch_stats st;

	if (!c)
		bench_fail("out of memory");
	c->env = env;
	c->n = n;
	setup(c);
	measure(c);
	iommunest_batch_stats(c->batch, &st);
	report(c, (double)st.ioctls / (double)st.flushes);
	iommunest_batch_free(c->batch);
	free(c->queue);
	free(c->entries);
	free(c);
}

void inv_run(const struct inv_env *env)
{
	static const uint32_t sizes[] = { 1, 16, 64, 256, 1024 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		bench_note("%s: invalidation, batches of %u", env->profile,
			   sizes[i]);
		run_size(env, sizes[i]);
	}
}
