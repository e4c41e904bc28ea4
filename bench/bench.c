/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Linear interpolation between the closest ranks. */
static double quantile(const double *v, unsigned int n, double q)
{
	double pos = q * (n - 1);
	unsigned int i = (unsigned int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

void bench_stat(double *v, unsigned int n, struct bench_stat *st)
{
	qsort(v, n, sizeof(*v), cmp_double);
	st->med = quantile(v, n, 0.5);
	st->q1 = quantile(v, n, 0.25);
	st->q3 = quantile(v, n, 0.75);
}

void bench_calibrate(struct bench_cmp *c, uint64_t slice_ns)
{
	unsigned int v;
	uint64_t n;
	double t;

	for (v = 0; v < c->variants; v++) {
		for (n = 1;; n *= 4) {
			t = c->run(c->arg, v, n);
			if (t >= (double)slice_ns / 4 || n >= (1ull << 40))
				break;
		}
		c->est[v] = (t > 1 ? t : 1) / (double)n;
		c->iters[v] = (uint64_t)((double)slice_ns / c->est[v]);
		if (!c->iters[v])
			c->iters[v] = 1;
	}
}

void bench_fit_slices(struct bench_cmp *c, uint64_t round_ns,
		      unsigned int max)
{
	double slice = 0, t;
	unsigned int v;

	for (v = 0; v < c->variants; v++) {
		t = c->est[v] * (double)c->iters[v];
		slice = t > slice ? t : slice;
	}
	c->slices = (unsigned int)((double)round_ns / slice);
	if (c->slices > max)
		c->slices = max;
	if (!c->slices)
		c->slices = 1;
}

/* Round r: each variant's median slice, so a burst of load that hits a
 * few slices does not move it. */
static void compare_round(struct bench_cmp *c, unsigned int r)
{
	double t[BENCH_MAX_VARIANTS][BENCH_MAX_SLICES];
	struct bench_stat st;
	unsigned int s, k, v;

	for (s = 0; s < c->slices; s++)
		for (k = 0; k < c->variants; k++) {
			v = (r + s + k) % c->variants;
			t[v][s] = c->run(c->arg, v, c->iters[v]) /
				  (double)c->iters[v];
		}
	for (v = 0; v < c->variants; v++) {
		bench_stat(t[v], c->slices, &st);
		c->ns[v][r] = st.med;
	}
}

void bench_compare(struct bench_cmp *c)
{
	unsigned int r;

	if (c->rounds < 3 || c->rounds > BENCH_MAX_ROUNDS ||
	    !c->variants || c->variants > BENCH_MAX_VARIANTS ||
	    !c->slices || c->slices > BENCH_MAX_SLICES)
		bench_fail("compare: 3 to %d rounds, 1 to %d variants and "
			   "1 to %d slices", BENCH_MAX_ROUNDS,
			   BENCH_MAX_VARIANTS, BENCH_MAX_SLICES);
	for (r = 0; r < c->rounds; r++)
		compare_round(c, r);
}

void bench_cmp_stat(const struct bench_cmp *c, unsigned int a,
		    struct bench_stat *st)
{
	double x[BENCH_MAX_ROUNDS];
	unsigned int r;

	for (r = 0; r < c->rounds; r++)
		x[r] = c->ns[a][r];
	bench_stat(x, c->rounds, st);
}

void bench_cmp_ratio(const struct bench_cmp *c, unsigned int a,
		     unsigned int b, struct bench_stat *st)
{
	double x[BENCH_MAX_ROUNDS];
	unsigned int r;

	for (r = 0; r < c->rounds; r++)
		x[r] = c->ns[a][r] / c->ns[b][r];
	bench_stat(x, c->rounds, st);
}

void bench_rng_seed(struct bench_rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	r->s = (z ^ (z >> 31)) | 1; /* never zero */
}

uint64_t bench_rng_next(struct bench_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

uint64_t bench_rng_below(struct bench_rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)bench_rng_next(r) * n) >> 64);
}

char *bench_fmt_time(char *buf, double ns)
{
	if (ns < 1e3)
		snprintf(buf, BENCH_TXT, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, BENCH_TXT, "%.2f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, BENCH_TXT, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, BENCH_TXT, "%.2f s", ns / 1e9);
	return buf;
}

char *bench_fmt_ratio(char *buf, double x)
{
	if (x < 10)
		snprintf(buf, BENCH_TXT, "%.3fx", x);
	else if (x < 1000)
		snprintf(buf, BENCH_TXT, "%.1fx", x);
	else
		snprintf(buf, BENCH_TXT, "%.0fx", x);
	return buf;
}

char *bench_fmt_rate(char *buf, double per_sec)
{
	if (per_sec >= 1e6)
		snprintf(buf, BENCH_TXT, "%.2f M/s", per_sec / 1e6);
	else if (per_sec >= 1e3)
		snprintf(buf, BENCH_TXT, "%.1f k/s", per_sec / 1e3);
	else
		snprintf(buf, BENCH_TXT, "%.0f /s", per_sec);
	return buf;
}

char *bench_fmt_pct(char *buf, double ratio)
{
	snprintf(buf, BENCH_TXT, "%+.1f%%", (ratio - 1) * 100);
	return buf;
}

void bench_fmt_stat(char *val, char *spread, const struct bench_stat *st,
		    char *(*fmt)(char *, double))
{
	char lo[BENCH_TXT], hi[BENCH_TXT];

	fmt(val, st->med);
	snprintf(spread, BENCH_TXT, "%s .. %s", fmt(lo, st->q1),
		 fmt(hi, st->q3));
}

void bench_row(const char *area, const char *profile, const char *what,
	       const char *figure, const char *median, const char *spread,
	       const char *target)
{
	printf("@@BENCH|%s|%s|%s|%s|%s|%s|%s\n", area, profile, what, figure,
	       median, spread, target);
	fflush(stdout);
}

void bench_table_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("@@NOTE|", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
}

char *bench_target(char *buf, const char *goal, bool met)
{
	snprintf(buf, BENCH_TXT, "%s: %s", goal, met ? "PASS" : "MISSED");
	return buf;
}

void bench_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void bench_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench: FAILED: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}
