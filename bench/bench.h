/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Shared by the benchmarks: a clock, statistics over rounds, a PRNG and
 * the result rows that tools/bench gathers into one table.
 *
 * Every figure is the median of several rounds with its interquartile
 * range.  Compared variants run side by side within each round (struct
 * bench_cmp), and a ratio is the median of the per-round ratios, so a
 * noisy machine slows both sides of a ratio alike.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>

#define BENCH_MAX_ROUNDS 64
#define BENCH_MAX_VARIANTS 4
#define BENCH_MAX_SLICES 32
#define BENCH_TXT 96 /* room for one formatted field */

struct bench_stat {
	double med, q1, q3;
};

uint64_t bench_now_ns(void);

/*
 * Variants compared side by side.  run(arg, v, n) does n operations of
 * variant v and returns the nanoseconds they took.  Each round is cut
 * into slices; every slice runs each variant once, in an order that
 * rotates, so whatever slows the machine for a while slows all variants
 * alike.  ns[v][r] is variant v's time per operation in round r: the
 * median of its slices, which a short burst of load does not move.
 */
typedef double (*bench_run_fn)(void *arg, unsigned int v, uint64_t n);

struct bench_cmp {
	bench_run_fn run;
	void *arg;
	unsigned int variants;
	unsigned int rounds;
	unsigned int slices;                 /* per round */
	uint64_t iters[BENCH_MAX_VARIANTS];  /* operations per slice */
	double est[BENCH_MAX_VARIANTS];      /* calibration: ns per op */
	double ns[BENCH_MAX_VARIANTS][BENCH_MAX_ROUNDS];
};

/* Warm up, and size each variant's slice to about slice_ns. */
void bench_calibrate(struct bench_cmp *c, uint64_t slice_ns);
/* At most max slices in a round of about round_ns per variant. */
void bench_fit_slices(struct bench_cmp *c, uint64_t round_ns,
		      unsigned int max);
void bench_compare(struct bench_cmp *c);
/* Summaries of ns[a] and of the per-round ratios ns[a] / ns[b]. */
void bench_cmp_stat(const struct bench_cmp *c, unsigned int a,
		    struct bench_stat *st);
void bench_cmp_ratio(const struct bench_cmp *c, unsigned int a,
		     unsigned int b, struct bench_stat *st);

/* Median and quartiles of n values (v is sorted in place). */
void bench_stat(double *v, unsigned int n, struct bench_stat *st);

/* A small fast PRNG (xorshift64*), seeded through splitmix64. */
struct bench_rng {
	uint64_t s;
};
void bench_rng_seed(struct bench_rng *r, uint64_t seed);
uint64_t bench_rng_next(struct bench_rng *r);
uint64_t bench_rng_below(struct bench_rng *r, uint64_t n);

/* Formatting into buf (BENCH_TXT bytes); each returns buf. */
char *bench_fmt_time(char *buf, double ns);
char *bench_fmt_ratio(char *buf, double x);
char *bench_fmt_rate(char *buf, double per_sec);
/* A ratio as the percentage it exceeds 1 by ("+3.1%"). */
char *bench_fmt_pct(char *buf, double ratio);
/* A median with its quartiles, through one of the formatters above. */
void bench_fmt_stat(char *val, char *spread, const struct bench_stat *st,
		    char *(*fmt)(char *, double));

/*
 * One table row, printed as
 *   @@BENCH|area|profile|case|figure|median|spread|target
 * target is "" or "<goal>: PASS" / "<goal>: MISSED".
 */
void bench_row(const char *area, const char *profile, const char *what,
	       const char *figure, const char *median, const char *spread,
	       const char *target);
/* A note printed under the table ("@@NOTE|text"). */
__attribute__((format(printf, 1, 2)))
void bench_table_note(const char *fmt, ...);
/* The target column for a goal that was met or not. */
char *bench_target(char *buf, const char *goal, bool met);
/* Progress and notes on stderr (tools/bench shows them while it runs). */
__attribute__((format(printf, 1, 2)))
void bench_note(const char *fmt, ...);
/* Abort the benchmark: an operation that must succeed failed. */
__attribute__((noreturn, format(printf, 1, 2)))
void bench_fail(const char *fmt, ...);

#endif /* BENCH_H */
