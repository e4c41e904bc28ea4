/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The shadow-domain tracker, case by case.  A recording sink keeps every
 * host operation the tracker emits, so each test states the exact
 * sequence it expects; test-tracker-model.c covers random sequences.
 */
#include <limits.h>
#include <stdio.h>

#include "suites.h"
#include "libiommunest/tracker.h"

#define PG 4096ull
#define R IOMMUNEST_MAP_READ
#define W IOMMUNEST_MAP_WRITE
#define RW (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define TOP_PAGE (UINT64_MAX - 4095) /* the last page below 2^64 */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Guest RAM: RAM0 and RAM1 are adjacent (a run must still break between
 * them), then a hole, then RAM2.  The host addresses are made up: the
 * tracker only passes them on. */
#define RAM0 0x000000ull
#define RAM1 0x400000ull
#define HOLE 0x800000ull
#define RAM2 0xc00000ull
#define RAM_LEN 0x400000ull  /* RAM0 and RAM1: 1024 pages each */
#define RAM2_LEN 0x100000ull
#define RAM3 0x2000000ull    /* hot-added in some tests */
#define RAM3_LEN 0x10000ull
#define H0 0x10000000ull
#define H1 0x20000000ull
#define H2 0x30000000ull
#define H3 0x40000000ull
#define HVA(x) ((void *)(uintptr_t)(x))

/* Where the domains map: nowhere near a guest-physical address, so a
 * swapped iova and gpa cannot pass. */
#define IOVA 0x80000000ull

/* Devices and, without sharing, their own address spaces.  In sharing
 * mode the sink hands out 1000 (the blocked space), 1001, ... */
#define DEV_A 7u
#define DEV_B 8u
#define DEV_C 9u
#define AS_OF(dev) (100u + (dev) - DEV_A)
#define AS_A AS_OF(DEV_A)
#define AS_B AS_OF(DEV_B)
#define AS_C AS_OF(DEV_C)
#define FIRST_ALLOC 1000u

/* ---- the recording sink --------------------------------------------- */

enum { OP_MAP = 1, OP_UNMAP, OP_UNMAP_ALL, OP_ALLOC, OP_FREE, OP_REPLACE,
       OP_COPY };

struct rec {
	int op;
	uint32_t as;   /* replace: where the device went */
	uint64_t iova;
	uint64_t len;
	uint64_t hva;
	uint32_t perm;
	uint32_t dev;  /* replace: the device */
	int rc;        /* what the sink answered */
};

#define MAP(as, iova, len, hva, perm) \
	{ OP_MAP, (as), (iova), (len), (hva), (perm), 0, 0 }
#define MAP_ERR(as, iova, len, hva, perm, err) \
	{ OP_MAP, (as), (iova), (len), (hva), (perm), 0, (err) }
#define UNMAP(as, iova, len) { OP_UNMAP, (as), (iova), (len), 0, 0, 0, 0 }
#define UNMAP_ERR(as, iova, len, err) \
	{ OP_UNMAP, (as), (iova), (len), 0, 0, 0, (err) }
#define UNMAP_ALL(as) { OP_UNMAP_ALL, (as), 0, 0, 0, 0, 0, 0 }
#define UNMAP_ALL_ERR(as, err) { OP_UNMAP_ALL, (as), 0, 0, 0, 0, 0, (err) }
#define ALLOC(as) { OP_ALLOC, (as), 0, 0, 0, 0, 0, 0 }
#define FREE(as) { OP_FREE, (as), 0, 0, 0, 0, 0, 0 }
/* A copy names its source address space in the dev slot. */
#define COPY(from, to, iova, len, perm) \
	{ OP_COPY, (to), (iova), (len), 0, (perm), (from), 0 }
#define REPLACE(dev, as) { OP_REPLACE, (as), 0, 0, 0, 0, (dev), 0 }
#define REPLACE_ERR(dev, as, err) \
	{ OP_REPLACE, (as), 0, 0, 0, 0, (dev), (err) }

/* Fail `times` calls of op on as (0: any), after `after` of them pass. */
struct fail_rule {
	int op;
	uint32_t as;
	unsigned int after;
	unsigned int times;
	int err;
};

#define MAX_RECS 4096
#define MAX_RULES 4

static struct {
	struct rec r[MAX_RECS];
	unsigned int n;
	uint32_t next_as;
	struct fail_rule rules[MAX_RULES];
	unsigned int nrules;
} s;

static struct iommunest_tracker *t;

static int answer(int op, uint32_t as)
{
	unsigned int i;

	for (i = 0; i < s.nrules; i++) {
		struct fail_rule *f = &s.rules[i];

		if (f->op != op || (f->as && f->as != as))
			continue;
		if (f->after) {
			f->after--;
			return 0;
		}
		if (f->times) {
			f->times--;
			return f->err;
		}
	}
	return 0;
}

static int record(int op, uint32_t as, uint64_t iova, uint64_t len,
		  const void *hva, uint32_t perm, uint32_t dev)
{
	int rc = answer(op, as);

	if (s.n < MAX_RECS)
		s.r[s.n] = (struct rec){ op, as, iova, len,
					 (uint64_t)(uintptr_t)hva, perm, dev,
					 rc };
	s.n++;
	return rc;
}

static int s_map(void *opaque, uint32_t as, uint64_t iova, uint64_t len,
		 void *hva, uint32_t perm)
{
	(void)opaque;
	return record(OP_MAP, as, iova, len, hva, perm, 0);
}

static int s_unmap(void *opaque, uint32_t as, uint64_t iova, uint64_t len)
{
	(void)opaque;
	return record(OP_UNMAP, as, iova, len, NULL, 0, 0);
}

static int s_unmap_all(void *opaque, uint32_t as)
{
	(void)opaque;
	return record(OP_UNMAP_ALL, as, 0, 0, NULL, 0, 0);
}

static int s_as_alloc(void *opaque, uint32_t *as)
{
	uint32_t id = s.next_as;
	int rc = record(OP_ALLOC, id, 0, 0, NULL, 0, 0);

	(void)opaque;
	if (!rc) {
		*as = id;
		s.next_as++;
	}
	return rc;
}

static int s_as_free(void *opaque, uint32_t as)
{
	(void)opaque;
	return record(OP_FREE, as, 0, 0, NULL, 0, 0);
}

static int s_replace(void *opaque, uint32_t as)
{
	return record(OP_REPLACE, as, 0, 0, NULL, 0,
		      (uint32_t)(uintptr_t)opaque);
}

static int s_copy(void *opaque, uint32_t from, uint32_t to, uint64_t iova,
		  uint64_t len, uint32_t perm)
{
	(void)opaque;
	return record(OP_COPY, to, iova, len, NULL, perm, from);
}

static const struct iommunest_sink full_sink = {
	.map = s_map,
	.unmap = s_unmap,
	.unmap_all = s_unmap_all,
	.as_alloc = s_as_alloc,
	.as_free = s_as_free,
};

static void ops_reset(void)
{
	s.n = 0;
}

static void sink_fails(int op, uint32_t as, unsigned int after,
		       unsigned int times, int err)
{
	ck_assert_uint_lt(s.nrules, MAX_RULES);
	s.rules[s.nrules++] = (struct fail_rule){ op, as, after, times, err };
}

static void heal(void)
{
	s.nrules = 0;
}

static const char *op_name(int op)
{
	static const char *const names[] = {
		"none", "map", "unmap", "unmap_all", "alloc", "free", "replace",
		"copy(dev: from)"
	};

	return op >= 0 && op < (int)ARRAY_SIZE(names) ? names[op] : "?";
}

static void describe(const struct rec *r, char *buf, size_t size)
{
	if (!r) {
		snprintf(buf, size, "nothing");
		return;
	}
	snprintf(buf, size,
		 "%s(as %u, iova 0x%llx, len 0x%llx, hva 0x%llx, perm %u, "
		 "dev %u) = %d", op_name(r->op), r->as,
		 (unsigned long long)r->iova, (unsigned long long)r->len,
		 (unsigned long long)r->hva, r->perm, r->dev, r->rc);
}

static bool rec_eq(const struct rec *a, const struct rec *b)
{
	return a->op == b->op && a->as == b->as && a->iova == b->iova &&
	       a->len == b->len && a->hva == b->hva && a->perm == b->perm &&
	       a->dev == b->dev && a->rc == b->rc;
}

/* Plain compares, one Check assertion: each costs a pipe write. */
static void expect_ops(const struct rec *want, unsigned int n, int line)
{
	char got[200], exp[200];
	unsigned int i;

	for (i = 0; i < n && i < s.n && i < MAX_RECS; i++)
		if (!rec_eq(&s.r[i], &want[i]))
			break;
	if (i == n && s.n == n)
		return;
	describe(i < s.n && i < MAX_RECS ? &s.r[i] : NULL, got, sizeof(got));
	describe(i < n ? &want[i] : NULL, exp, sizeof(exp));
	ck_abort_msg("line %d: %u host operations, want %u; #%u is %s, "
		     "want %s", line, s.n, n, i, got, exp);
}

/* The same operations in any order (the order of address spaces
 * mirroring one domain is not part of the contract). */
static void expect_ops_unordered(const struct rec *want, unsigned int n,
				 int line)
{
	bool used[MAX_RECS] = { false };
	char exp[200];
	unsigned int i, j;

	if (s.n != n)
		ck_abort_msg("line %d: %u host operations, want %u", line,
			     s.n, n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < s.n; j++)
			if (!used[j] && rec_eq(&s.r[j], &want[i]))
				break;
		if (j == s.n) {
			describe(&want[i], exp, sizeof(exp));
			ck_abort_msg("line %d: no %s", line, exp);
		}
		used[j] = true;
	}
}

#define EXPECT_OPS(...)                                                   \
	do {                                                              \
		const struct rec want_[] = { __VA_ARGS__ };               \
		expect_ops(want_, ARRAY_SIZE(want_), __LINE__);           \
	} while (0)

#define EXPECT_OPS_UNORDERED(...)                                         \
	do {                                                              \
		const struct rec want_[] = { __VA_ARGS__ };               \
		expect_ops_unordered(want_, ARRAY_SIZE(want_), __LINE__); \
	} while (0)

#define EXPECT_NO_OPS() expect_ops(NULL, 0, __LINE__)

/* Index of the first recorded operation equal to want, or -1. */
static int find_op(const struct rec *want)
{
	unsigned int i;

	for (i = 0; i < s.n && i < MAX_RECS; i++)
		if (rec_eq(&s.r[i], want))
			return (int)i;
	return -1;
}

/* ---- setting the scene ---------------------------------------------- */

static void new_tracker(uint32_t flags)
{
	memset(&s, 0, sizeof(s));
	s.next_as = FIRST_ALLOC;
	ck_assert_int_eq(iommunest_tracker_new(&full_sink, flags, &t), 0);
}

/* The sink's 0.2 extension: copies instead of maps from RAM. */
static void with_copy(void)
{
	struct iommunest_sink_ext ext = { .size = sizeof(ext),
					  .copy = s_copy };

	ck_assert_int_eq(iommunest_tracker_set_sink_ext(t, &ext), 0);
}

static void teardown(void)
{
	iommunest_tracker_free(t);
	t = NULL;
}

static void add_ram(uint64_t gpa, uint64_t len, uint64_t hva)
{
	ck_assert_int_eq(iommunest_tracker_add_ram(t, gpa, len, HVA(hva)), 0);
}

static void std_ram(void)
{
	add_ram(RAM0, RAM_LEN, H0);
	add_ram(RAM1, RAM_LEN, H1);
	add_ram(RAM2, RAM2_LEN, H2);
}

static void add_domain(uint32_t domain)
{
	ck_assert_int_eq(iommunest_tracker_domain_add(t, domain), 0);
}

static void map_ok(uint32_t domain, uint64_t iova, uint64_t len,
		   uint64_t gpa, uint32_t perm)
{
	ck_assert_int_eq(iommunest_tracker_map(t, domain, iova, len, gpa,
					       perm), 0);
}

static void unmap_ok(uint32_t domain, uint64_t iova, uint64_t len)
{
	ck_assert_int_eq(iommunest_tracker_unmap(t, domain, iova, len), 0);
}

/* The replace callback is passed in both modes: without sharing it must
 * never be called, and the recording would show it. */
static void add_dev(uint32_t dev)
{
	ck_assert_int_eq(iommunest_tracker_device_add(t, dev, AS_OF(dev),
			s_replace, (void *)(uintptr_t)dev), 0);
}

/* A device the tracker cannot move (no replace function). */
static void add_dev_fixed(uint32_t dev)
{
	ck_assert_int_eq(iommunest_tracker_device_add(t, dev, AS_OF(dev),
			NULL, NULL), 0);
}

static void set_domain_ok(uint32_t dev, uint32_t domain)
{
	ck_assert_int_eq(iommunest_tracker_set_domain(t, dev, domain), 0);
}

static void state_is(uint32_t dev, uint32_t state, uint32_t domain)
{
	uint32_t st = 99, dom = 99;

	ck_assert_int_eq(iommunest_tracker_device_state(t, dev, &st, &dom), 0);
	ck_assert_uint_eq(st, state);
	ck_assert_uint_eq(dom, domain);
}

static struct iommunest_tracker_stats stats(void)
{
	struct iommunest_tracker_stats st;

	ck_assert_int_eq(iommunest_tracker_stats(t, &st), 0);
	return st;
}

/* Domain 1: two runs, [IOVA, +2 pages) RW in RAM0 and one read-only page
 * of RAM2 at IOVA + 4 pages.  Domain 2: one read-only page of RAM2 at IOVA
 * + 16 pages and three write-only pages at IOVA + 32 pages. */
static void two_domains(void)
{
	add_domain(1);
	map_ok(1, IOVA, 2 * PG, RAM0, RW);
	map_ok(1, IOVA + 4 * PG, PG, RAM2, R);
	add_domain(2);
	map_ok(2, IOVA + 16 * PG, PG, RAM2, R);
	map_ok(2, IOVA + 32 * PG, 3 * PG, RAM2 + 8 * PG, W);
}

#define DOM1_REPLAY(as)                                                   \
	MAP((as), IOVA, 2 * PG, H0, RW),                                  \
	MAP((as), IOVA + 4 * PG, PG, H2, R)
#define DOM2_REPLAY(as)                                                   \
	MAP((as), IOVA + 16 * PG, PG, H2, R),                             \
	MAP((as), IOVA + 32 * PG, 3 * PG, H2 + 8 * PG, W)

/* ---- refusals: nothing reaches the host ----------------------------- */

START_TEST(new_refuses_bad_sink_and_flags)
{
	struct iommunest_tracker *tr = NULL;
	struct iommunest_sink bad;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(iommunest_tracker_new(NULL, 0, &tr), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_new(&full_sink, 0, NULL), -EINVAL);
	bad = full_sink;
	bad.map = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad, 0, &tr), -EINVAL);
	bad = full_sink;
	bad.unmap = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad, 0, &tr), -EINVAL);
	bad = full_sink;
	bad.unmap_all = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad, 0, &tr), -EINVAL);
	/* Unknown flags, alone or beside known ones. */
	ck_assert_int_eq(iommunest_tracker_new(&full_sink, 1u << 3, &tr),
			 -EINVAL);
	/* NO_HOLES needs a sink that can make address spaces. */
	bad = full_sink;
	bad.as_alloc = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad,
			IOMMUNEST_TRACKER_NO_HOLES, &tr), -EINVAL);
	bad = full_sink;
	bad.as_free = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad,
			IOMMUNEST_TRACKER_NO_HOLES, &tr), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_new(&full_sink, 1u << 31, &tr),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_new(&full_sink,
			IOMMUNEST_TRACKER_SHARED |
			IOMMUNEST_TRACKER_UNMAP_RANGES | 1u << 3, &tr),
			 -EINVAL);
	/* Sharing needs address spaces of its own; without it they are
	 * optional. */
	bad = full_sink;
	bad.as_alloc = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad, IOMMUNEST_TRACKER_SHARED,
					       &tr), -EINVAL);
	bad = full_sink;
	bad.as_free = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad, IOMMUNEST_TRACKER_SHARED,
					       &tr), -EINVAL);
	ck_assert_ptr_null(tr);
	bad.as_alloc = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&bad,
			IOMMUNEST_TRACKER_UNMAP_RANGES, &tr), 0);
	ck_assert_ptr_nonnull(tr);
	iommunest_tracker_free(tr);
	/* A sharing tracker allocates nothing until a device comes. */
	tr = NULL;
	ck_assert_int_eq(iommunest_tracker_new(&full_sink,
			IOMMUNEST_TRACKER_SHARED, &tr), 0);
	iommunest_tracker_free(tr);
	EXPECT_NO_OPS();
}
END_TEST

START_TEST(null_pointers_refused)
{
	struct iommunest_tracker_stats st;
	uint32_t state, dom;

	new_tracker(0);
	std_ram();
	add_domain(1);
	add_dev(DEV_A);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_add_ram(NULL, HOLE, PG, HVA(H3)),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_domain_add(NULL, 2), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_domain_remove(NULL, 1), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(NULL, 1, IOVA, PG, RAM0, RW),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_unmap(NULL, 1, IOVA, PG), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_device_add(NULL, DEV_B, AS_B, NULL,
						      NULL), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_device_remove(NULL, DEV_A),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_set_domain(NULL, DEV_A, 1),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(NULL, DEV_A),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_set_blocked(NULL, DEV_A), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_device_state(NULL, DEV_A, &state,
							&dom), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_device_state(t, DEV_A, NULL, &dom),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_stats(NULL, &st), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_stats(t, NULL), -EINVAL);
	iommunest_tracker_free(NULL);
	EXPECT_NO_OPS();
	/* None of it changed anything. */
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	ck_assert_uint_eq(stats().mappings, 0);
}
END_TEST

START_TEST(add_ram_refusals)
{
	new_tracker(0);
	add_ram(0x100000, 0x100000, H0);
	/* A device in passthrough: RAM wrongly accepted would be mapped. */
	add_dev(DEV_A);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	ops_reset();

	ck_assert_int_eq(iommunest_tracker_add_ram(t, HOLE, PG, NULL),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, HOLE + 0x800, PG,
						   HVA(H1)), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, HOLE, 0x1800, HVA(H1)),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, HOLE, 0, HVA(H1)),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, HOLE, PG,
						   HVA(H1 + 0x800)), -EINVAL);
	/* Reaching 2^64, exactly or by wrapping. */
	ck_assert_int_eq(iommunest_tracker_add_ram(t, TOP_PAGE, PG, HVA(H1)),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, TOP_PAGE - PG, 4 * PG,
						   HVA(H1)), -EINVAL);
	/* The host range must fit the host address space too. */
	ck_assert_int_eq(iommunest_tracker_add_ram(t, HOLE, 2 * PG,
			HVA(UINTPTR_MAX - 4095)), -EINVAL);
	/* Overlaps: identical, from below, from above, around, inside. */
	ck_assert_int_eq(iommunest_tracker_add_ram(t, 0x100000, 0x100000,
						   HVA(H1)), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, 0x80000, 0x100000,
						   HVA(H1)), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, 0x1ff000, 2 * PG,
						   HVA(H1)), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, 0, 0x400000, HVA(H1)),
			 -EEXIST);
	ck_assert_int_eq(iommunest_tracker_add_ram(t, 0x140000, PG, HVA(H1)),
			 -EEXIST);
	EXPECT_NO_OPS();

	/* Adjacent on either side is fine, and so is the last page below
	 * the top. */
	add_ram(0xff000, PG, H1);
	add_ram(0x200000, PG, H2);
	add_ram(TOP_PAGE - PG, PG, H3);
	EXPECT_OPS(MAP(AS_A, 0xff000, PG, H1, RW),
		   MAP(AS_A, 0x200000, PG, H2, RW),
		   MAP(AS_A, TOP_PAGE - PG, PG, H3, RW));
}
END_TEST

START_TEST(unknown_and_duplicate_names)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();

	ck_assert_int_eq(iommunest_tracker_domain_add(t, 1), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 3), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_device_add(t, DEV_A, AS_C, NULL,
						      NULL), -EEXIST);
	/* Without sharing, one address space is one device's alone. */
	ck_assert_int_eq(iommunest_tracker_device_add(t, DEV_B, AS_A, NULL,
						      NULL), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_B, 1), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 3), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_B),
			 -ENOENT);
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_B), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_B), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_device_state(t, DEV_B,
			&(uint32_t){ 0 }, NULL), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_map(t, 3, IOVA, PG, RAM0, RW),
			 -ENOENT);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 3, IOVA, PG), -ENOENT);
	EXPECT_NO_OPS();
	/* A switch to an unknown domain leaves the device where it was. */
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);
	ck_assert_uint_eq(stats().mappings, 4);
}
END_TEST

START_TEST(map_refuses_bad_ranges_and_perms)
{
	new_tracker(0);
	std_ram();
	add_domain(1);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();

	/* Unaligned iova, gpa, length; empty. */
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA + 0x800, PG, RAM0,
					       RW), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, RAM0 + 0x800,
					       RW), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, 0x1800, RAM0, RW),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, 0, RAM0, RW),
			 -EINVAL);
	/* IOVA or gpa range reaching 2^64. */
	ck_assert_int_eq(iommunest_tracker_map(t, 1, TOP_PAGE, PG, RAM0, RW),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, TOP_PAGE - PG, 4 * PG,
					       RAM0, RW), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, TOP_PAGE, RW),
			 -EINVAL);
	/* Permissions: none, or bits beyond read and write. */
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, RAM0, 0),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, RAM0, 1u << 2),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, RAM0, RW | 8),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, RAM0,
					       R | 1u << 31), -EINVAL);
	/* An unknown domain, once the arguments are sound. */
	ck_assert_int_eq(iommunest_tracker_map(t, 2, IOVA, PG, RAM0, RW),
			 -ENOENT);
	/* Guest-physical ranges not wholly RAM: in the hole, running from
	 * RAM1 into it, from it into RAM2, past all RAM. */
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, HOLE, RW),
			 -EFAULT);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, 2 * PG,
					       HOLE - PG, RW), -EFAULT);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, 2 * PG,
					       RAM2 - PG, RW), -EFAULT);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, 2 * PG,
					       RAM2 + RAM2_LEN - PG, RW),
			 -EFAULT);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, PG, 0x10000000,
					       RW), -EFAULT);
	EXPECT_NO_OPS();
	ck_assert_uint_eq(stats().mappings, 0);
}
END_TEST

START_TEST(map_overlap_refused_identical_accepted)
{
	new_tracker(0);
	std_ram();
	add_domain(1);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	map_ok(1, IOVA, 4 * PG, 0x10000, RW);
	/* Built from two adjacent maps. */
	map_ok(1, IOVA + 16 * PG, PG, 0x20000, R);
	map_ok(1, IOVA + 17 * PG, PG, 0x21000, R);
	/* Two maps with a hole between them. */
	map_ok(1, IOVA + 32 * PG, PG, 0x30000, RW);
	map_ok(1, IOVA + 34 * PG, PG, 0x32000, RW);
	/* Adjacent, but not contiguous in gpa. */
	map_ok(1, IOVA + 48 * PG, PG, 0x40000, RW);
	map_ok(1, IOVA + 49 * PG, PG, 0x48000, RW);
	ops_reset();

	/* Different gpa, different permission, sticking out either end. */
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, 4 * PG, 0x11000,
					       RW), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA, 4 * PG, 0x10000,
					       R), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA + 2 * PG, 4 * PG,
					       0x12000, RW), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA - PG, 2 * PG,
					       0xf000, RW), -EEXIST);
	/* Over a hole: the hole would need a new mapping. */
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA + 32 * PG, 3 * PG,
					       0x30000, RW), -EEXIST);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA + 48 * PG, 2 * PG,
					       0x40000, RW), -EEXIST);
	EXPECT_NO_OPS();
	ck_assert_uint_eq(stats().mappings, 7);

	/* Identical: the whole, a part, and across two adjacent maps. */
	map_ok(1, IOVA, 4 * PG, 0x10000, RW);
	map_ok(1, IOVA + PG, 2 * PG, 0x11000, RW);
	map_ok(1, IOVA + 16 * PG, 2 * PG, 0x20000, R);
	map_ok(1, IOVA + 34 * PG, PG, 0x32000, RW);
	EXPECT_NO_OPS();
	ck_assert_uint_eq(stats().mappings, 7);
}
END_TEST

START_TEST(unmap_refusals)
{
	new_tracker(0);
	std_ram();
	add_domain(1);
	map_ok(1, IOVA, 4 * PG, RAM0, RW);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();

	ck_assert_int_eq(iommunest_tracker_unmap(t, 1, IOVA + 0x800, PG),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 1, IOVA, 0x800), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 1, IOVA, 0), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 1, TOP_PAGE, PG),
			 -EINVAL);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 1, IOVA, UINT64_MAX -
						 UINT64_C(4095)), -EINVAL);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 2, IOVA, PG), -ENOENT);
	EXPECT_NO_OPS();
	ck_assert_uint_eq(stats().mappings, 1);
}
END_TEST

static void domain_remove_busy(uint32_t flags)
{
	new_tracker(flags);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 1), -EBUSY);
	EXPECT_NO_OPS();
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);
	ck_assert_uint_eq(stats().mappings, 4);

	set_domain_ok(DEV_A, 2);
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 1), 0);
	ck_assert_uint_eq(stats().mappings, 2);
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 1), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 1), -ENOENT);
	/* The name can be used again, and starts empty. */
	add_domain(1);
	set_domain_ok(DEV_A, 1);
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);
}

START_TEST(domain_remove_busy_own)
{
	domain_remove_busy(0);
}
END_TEST

START_TEST(domain_remove_busy_shared)
{
	domain_remove_busy(IOMMUNEST_TRACKER_SHARED);
}
END_TEST

/* ---- replay coalescing ---------------------------------------------- */

START_TEST(replay_coalesces_contiguous_pages)
{
	uint64_t i;

	new_tracker(0);
	std_ram();
	add_domain(1);
	for (i = 0; i < 1000; i++)
		map_ok(1, IOVA + i * PG, PG, RAM0 + i * PG, RW);
	add_dev(DEV_A);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(UNMAP_ALL(AS_A), MAP(AS_A, IOVA, 1000 * PG, H0, RW));
	ck_assert_uint_eq(stats().mappings, 1000);
}
END_TEST

START_TEST(replay_splits_at_ram_region_boundary)
{
	const uint64_t gpa = RAM1 - 500 * PG; /* 500 pages on each side */
	uint64_t i;

	new_tracker(0);
	std_ram();
	add_domain(1);
	for (i = 0; i < 1000; i++)
		map_ok(1, IOVA + i * PG, PG, gpa + i * PG, RW);
	add_dev(DEV_A);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(UNMAP_ALL(AS_A),
		   MAP(AS_A, IOVA, 500 * PG, H0 + (gpa - RAM0), RW),
		   MAP(AS_A, IOVA + 500 * PG, 500 * PG, H1, RW));
}
END_TEST

START_TEST(replay_alternating_perms_one_map_per_page)
{
	static struct rec want[1001];
	uint64_t i;

	new_tracker(0);
	std_ram();
	add_domain(1);
	for (i = 0; i < 1000; i++)
		map_ok(1, IOVA + i * PG, PG, RAM0 + i * PG, i & 1 ? R : RW);
	add_dev(DEV_A);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	want[0] = (struct rec)UNMAP_ALL(AS_A);
	for (i = 0; i < 1000; i++)
		want[i + 1] = (struct rec)MAP(AS_A, IOVA + i * PG, PG,
					      H0 + i * PG, i & 1 ? R : RW);
	expect_ops(want, 1001, __LINE__);
}
END_TEST

START_TEST(replay_breaks_at_gpa_and_iova_discontinuity)
{
	uint64_t i;

	new_tracker(0);
	std_ram();
	add_domain(1);
	for (i = 0; i < 10; i++)
		map_ok(1, IOVA + i * PG, PG, RAM0 + i * PG, RW);
	/* gpa skips page 10; IOVA goes on. */
	for (i = 10; i < 20; i++)
		map_ok(1, IOVA + i * PG, PG, RAM0 + (i + 1) * PG, RW);
	/* IOVA skips page 20; gpa goes on from page 21. */
	for (i = 21; i < 30; i++)
		map_ok(1, IOVA + i * PG, PG, RAM0 + i * PG, RW);
	add_dev(DEV_A);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(UNMAP_ALL(AS_A),
		   MAP(AS_A, IOVA, 10 * PG, H0, RW),
		   MAP(AS_A, IOVA + 10 * PG, 10 * PG, H0 + 11 * PG, RW),
		   MAP(AS_A, IOVA + 21 * PG, 9 * PG, H0 + 21 * PG, RW));
}
END_TEST

START_TEST(mapping_across_adjacent_ram_is_split)
{
	new_tracker(0);
	std_ram();
	add_domain(1);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	/* Four pages, two at the end of RAM0 and two at the start of RAM1:
	 * one host map per region, each at its own host address. */
	map_ok(1, IOVA, 4 * PG, RAM1 - 2 * PG, RW);
	EXPECT_OPS(MAP(AS_A, IOVA, 2 * PG, H0 + (RAM1 - 2 * PG), RW),
		   MAP(AS_A, IOVA + 2 * PG, 2 * PG, H1, RW));
	ck_assert_uint_eq(stats().mappings, 1);
	/* The same on replay. */
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(UNMAP_ALL(AS_A),
		   MAP(AS_A, IOVA, 2 * PG, H0 + (RAM1 - 2 * PG), RW),
		   MAP(AS_A, IOVA + 2 * PG, 2 * PG, H1, RW));
	/* Cutting out the middle two pages cuts both host areas: the outer
	 * pages are built beside, each at the right host address, and the
	 * device moves there. */
	ops_reset();
	unmap_ok(1, IOVA + PG, 2 * PG);
	EXPECT_OPS(ALLOC(1000),
		   MAP(1000, IOVA, PG, H0 + (RAM1 - 2 * PG), RW),
		   MAP(1000, IOVA + 3 * PG, PG, H1 + PG, RW),
		   REPLACE(DEV_A, 1000), UNMAP_ALL(AS_A));
	ck_assert_uint_eq(stats().mappings, 2);
}
END_TEST

/* ---- context switches ------------------------------------------------ */

START_TEST(new_device_space_is_emptied)
{
	new_tracker(0);
	add_dev(DEV_A);
	EXPECT_OPS(UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
}
END_TEST

/* The tracker has no record of what the VMM left in a new device's
 * space, so only an unmap-all can make it empty ("a new device is
 * blocked"), whatever the unmap mode. */
START_TEST(new_device_space_is_emptied_unmap_ranges)
{
	new_tracker(IOMMUNEST_TRACKER_UNMAP_RANGES);
	add_dev(DEV_A);
	EXPECT_OPS(UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
}
END_TEST

START_TEST(switch_unmaps_all_before_replay)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	set_domain_ok(DEV_A, 1);
	set_domain_ok(DEV_B, 1);
	ops_reset();
	set_domain_ok(DEV_A, 2);
	/* Emptied strictly before the first map; B is left alone. */
	EXPECT_OPS(UNMAP_ALL(AS_A), DOM2_REPLAY(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 2);
	state_is(DEV_B, IOMMUNEST_DEV_DOMAIN, 1);
	/* A follows domain 2 now, not domain 1. */
	ops_reset();
	map_ok(1, IOVA + 8 * PG, PG, RAM0 + 8 * PG, RW);
	map_ok(2, IOVA + 8 * PG, PG, RAM0 + 9 * PG, R);
	EXPECT_OPS(MAP(AS_B, IOVA + 8 * PG, PG, H0 + 8 * PG, RW),
		   MAP(AS_A, IOVA + 8 * PG, PG, H0 + 9 * PG, R));
	/* And back. */
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(UNMAP_ALL(AS_A), DOM1_REPLAY(AS_A),
		   MAP(AS_A, IOVA + 8 * PG, PG, H0 + 8 * PG, RW));
}
END_TEST

START_TEST(switch_unmap_ranges_one_unmap_per_area)
{
	new_tracker(IOMMUNEST_TRACKER_UNMAP_RANGES);
	std_ram();
	two_domains();
	/* Domain 1 gets a third run, split in two areas by RAM1's start. */
	map_ok(1, IOVA + 8 * PG, 4 * PG, RAM1 - 2 * PG, RW);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	set_domain_ok(DEV_A, 2);
	EXPECT_OPS(UNMAP(AS_A, IOVA, 2 * PG),
		   UNMAP(AS_A, IOVA + 4 * PG, PG),
		   UNMAP(AS_A, IOVA + 8 * PG, 2 * PG),
		   UNMAP(AS_A, IOVA + 10 * PG, 2 * PG),
		   DOM2_REPLAY(AS_A));
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_OPS(UNMAP(AS_A, IOVA + 16 * PG, PG),
		   UNMAP(AS_A, IOVA + 32 * PG, 3 * PG));
	/* Known empty: nothing to unmap on the way in. */
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(DOM1_REPLAY(AS_A),
		   MAP(AS_A, IOVA + 8 * PG, 2 * PG, H0 + (RAM1 - 2 * PG), RW),
		   MAP(AS_A, IOVA + 10 * PG, 2 * PG, H1, RW));
}
END_TEST

START_TEST(switch_to_same_target_emits_nothing)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_NO_OPS();
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);

	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	EXPECT_NO_OPS();
	state_is(DEV_A, IOMMUNEST_DEV_PASSTHROUGH, 0);

	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_NO_OPS();
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
}
END_TEST

START_TEST(passthrough_maps_each_ram_region_identity)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	/* One map per region, adjacent or not; iova = gpa, read-write. */
	EXPECT_OPS(UNMAP_ALL(AS_A),
		   MAP(AS_A, RAM0, RAM_LEN, H0, RW),
		   MAP(AS_A, RAM1, RAM_LEN, H1, RW),
		   MAP(AS_A, RAM2, RAM2_LEN, H2, RW));
	state_is(DEV_A, IOMMUNEST_DEV_PASSTHROUGH, 0);
	/* New RAM reaches it; domain changes do not. */
	ops_reset();
	add_ram(RAM3, RAM3_LEN, H3);
	map_ok(1, IOVA + 8 * PG, PG, RAM3, RW);
	unmap_ok(1, IOVA, 2 * PG);
	EXPECT_OPS(MAP(AS_A, RAM3, RAM3_LEN, H3, RW));
}
END_TEST

START_TEST(blocked_empties)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_OPS(UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	/* Nothing reaches a blocked device: not maps, not RAM. */
	ops_reset();
	map_ok(1, IOVA + 8 * PG, PG, RAM0, RW);
	add_ram(RAM3, RAM3_LEN, H3);
	EXPECT_NO_OPS();
	/* From passthrough too. */
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_OPS(UNMAP_ALL(AS_A));
}
END_TEST

/* ---- keeping mirrors in step ---------------------------------------- */

START_TEST(map_reaches_every_device_in_domain)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	add_dev(DEV_C);
	set_domain_ok(DEV_A, 1);
	set_domain_ok(DEV_B, 1);
	set_domain_ok(DEV_C, 2);
	ops_reset();
	map_ok(1, IOVA + 8 * PG, 2 * PG, RAM1, R);
	EXPECT_OPS_UNORDERED(MAP(AS_A, IOVA + 8 * PG, 2 * PG, H1, R),
			     MAP(AS_B, IOVA + 8 * PG, 2 * PG, H1, R));
	ops_reset();
	unmap_ok(1, IOVA + 8 * PG, 2 * PG);
	EXPECT_OPS_UNORDERED(UNMAP(AS_A, IOVA + 8 * PG, 2 * PG),
			     UNMAP(AS_B, IOVA + 8 * PG, 2 * PG));
}
END_TEST

START_TEST(partial_unmap_builds_beside_then_cuts_along_mappings)
{
	uint64_t i;

	new_tracker(0);
	std_ram();
	add_domain(1);
	/* Eight single-page mappings, replayed as one host area. */
	for (i = 0; i < 8; i++)
		map_ok(1, IOVA + i * PG, PG, RAM1 + i * PG, RW);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	/* Pages 2-3 go: the kept pages of the area are built beside, one
	 * area per guest mapping; the device moves; the old one empties. */
	unmap_ok(1, IOVA + 2 * PG, 2 * PG);
	EXPECT_OPS(ALLOC(1000),
		   MAP(1000, IOVA, PG, H1, RW),
		   MAP(1000, IOVA + PG, PG, H1 + PG, RW),
		   MAP(1000, IOVA + 4 * PG, PG, H1 + 4 * PG, RW),
		   MAP(1000, IOVA + 5 * PG, PG, H1 + 5 * PG, RW),
		   MAP(1000, IOVA + 6 * PG, PG, H1 + 6 * PG, RW),
		   MAP(1000, IOVA + 7 * PG, PG, H1 + 7 * PG, RW),
		   REPLACE(DEV_A, 1000), UNMAP_ALL(AS_A));
	/* Pages 1-4 now are whole areas: plain unmaps, nothing built. */
	ops_reset();
	unmap_ok(1, IOVA + PG, 4 * PG);
	EXPECT_OPS(UNMAP(1000, IOVA + PG, PG), UNMAP(1000, IOVA + 4 * PG, PG));
	ops_reset();
	unmap_ok(1, IOVA, PG);
	EXPECT_OPS(UNMAP(1000, IOVA, PG));
	ck_assert_uint_eq(stats().mappings, 3);
	/* A switch replays coalesced where the device is; the next cut
	 * builds in the VMM's address space, which is empty, and moves the
	 * device back. */
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	unmap_ok(1, IOVA + 6 * PG, PG);
	EXPECT_OPS(MAP(AS_A, IOVA + 5 * PG, PG, H1 + 5 * PG, RW),
		   MAP(AS_A, IOVA + 7 * PG, PG, H1 + 7 * PG, RW),
		   REPLACE(DEV_A, AS_A), UNMAP_ALL(1000));
	/* Removal leaves the device on its own address space and frees the
	 * second one. */
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_A), 0);
	EXPECT_OPS(UNMAP_ALL(AS_A), FREE(1000));
}
END_TEST

START_TEST(partial_unmap_without_replace_remaps_remaining_pieces)
{
	uint64_t i;

	new_tracker(0);
	std_ram();
	add_domain(1);
	for (i = 0; i < 8; i++)
		map_ok(1, IOVA + i * PG, PG, RAM1 + i * PG, RW);
	add_dev_fixed(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	/* Pages 2-3 go: without a way to move the device, the whole area
	 * goes, then pages 0-1 and 4-7 come back, each piece coalesced. */
	unmap_ok(1, IOVA + 2 * PG, 2 * PG);
	EXPECT_OPS(UNMAP(AS_A, IOVA, 8 * PG),
		   MAP(AS_A, IOVA, 2 * PG, H1, RW),
		   MAP(AS_A, IOVA + 4 * PG, 4 * PG, H1 + 4 * PG, RW));
	/* Pages 1-4 touch both new areas: both go, pages 0 and 5-7 come
	 * back. */
	ops_reset();
	unmap_ok(1, IOVA + PG, 4 * PG);
	EXPECT_OPS(UNMAP(AS_A, IOVA, 2 * PG),
		   UNMAP(AS_A, IOVA + 4 * PG, 4 * PG),
		   MAP(AS_A, IOVA, PG, H1, RW),
		   MAP(AS_A, IOVA + 5 * PG, 3 * PG, H1 + 5 * PG, RW));
	/* A whole area: just its unmap. */
	ops_reset();
	unmap_ok(1, IOVA, PG);
	EXPECT_OPS(UNMAP(AS_A, IOVA, PG));
	ck_assert_uint_eq(stats().mappings, 3);
}
END_TEST

START_TEST(cut_with_copy_shares_what_is_pinned)
{
	new_tracker(0);
	with_copy();
	std_ram();
	two_domains();
	map_ok(1, IOVA + 8 * PG, PG, RAM1, RW);
	map_ok(1, IOVA + 9 * PG, 2 * PG, RAM1 + PG, RW);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	/* Page 10 goes: untouched areas are copied whole, the kept pages of
	 * the cut area one guest mapping at a time (page 9 is the head of
	 * the second mapping). */
	unmap_ok(1, IOVA + 10 * PG, PG);
	EXPECT_OPS(ALLOC(1000),
		   COPY(AS_A, 1000, IOVA, 2 * PG, RW),
		   COPY(AS_A, 1000, IOVA + 4 * PG, PG, R),
		   COPY(AS_A, 1000, IOVA + 8 * PG, PG, RW),
		   COPY(AS_A, 1000, IOVA + 9 * PG, PG, RW),
		   REPLACE(DEV_A, 1000), UNMAP_ALL(AS_A));
	ck_assert_uint_eq(stats().maps, 3 + 4); /* replay, then copies */
}
END_TEST

START_TEST(cut_failures_leave_the_device_blocked)
{
	new_tracker(0);
	with_copy();
	std_ram();
	add_domain(1);
	map_ok(1, IOVA, 4 * PG, RAM0, RW);
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	/* A failed copy: the device never moved; its address space is
	 * emptied and it reads blocked; the second one is emptied too. */
	ops_reset();
	sink_fails(OP_COPY, 0, 1, 1, -ENOMEM);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 1, IOVA + PG, PG),
			 -ENOMEM);
	EXPECT_OPS(ALLOC(1000), COPY(AS_A, 1000, IOVA, PG, RW),
		   { OP_COPY, 1000, IOVA + 2 * PG, 2 * PG, 0, RW, AS_A,
		     -ENOMEM },
		   UNMAP_ALL(1000), UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	heal();
	/* A failed replace: the same, and the second one is kept. */
	set_domain_ok(DEV_A, 1);
	ops_reset();
	sink_fails(OP_REPLACE, 0, 0, 1, -EBUSY);
	ck_assert_int_eq(iommunest_tracker_unmap(t, 1, IOVA + 2 * PG, PG),
			 -EBUSY);
	EXPECT_OPS(COPY(AS_A, 1000, IOVA, PG, RW),
		   COPY(AS_A, 1000, IOVA + 3 * PG, PG, RW),
		   REPLACE_ERR(DEV_A, 1000, -EBUSY),
		   UNMAP_ALL(1000), UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	heal();
	/* The old address space will not empty after the move: the cut
	 * still succeeded (the device is where it should be), and the next
	 * cut empties the leftover before it builds there. */
	set_domain_ok(DEV_A, 1);
	map_ok(1, IOVA + 8 * PG, 2 * PG, RAM0 + 8 * PG, RW);
	ops_reset();
	sink_fails(OP_UNMAP_ALL, AS_A, 0, 3, -EIO);
	unmap_ok(1, IOVA + 8 * PG, PG);
	EXPECT_OPS(COPY(AS_A, 1000, IOVA, PG, RW),
		   COPY(AS_A, 1000, IOVA + 3 * PG, PG, RW),
		   COPY(AS_A, 1000, IOVA + 9 * PG, PG, RW),
		   REPLACE(DEV_A, 1000),
		   UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO),
		   UNMAP_ALL_ERR(AS_A, -EIO));
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);
	heal();
	ops_reset();
	unmap_ok(1, IOVA + 3 * PG, PG);
	ck_assert_uint_eq(s.r[0].op, OP_UNMAP);
	ck_assert_uint_eq(s.r[0].as, 1000); /* a whole area: plain unmap */
}
END_TEST

START_TEST(unmap_of_hole_emits_nothing)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	unmap_ok(1, IOVA + 2 * PG, 2 * PG);      /* between the two runs */
	unmap_ok(1, IOVA + 100 * PG, 10 * PG);   /* past them */
	unmap_ok(1, 0, IOVA);                    /* below them */
	unmap_ok(2, IOVA, 16 * PG);              /* nobody's domain */
	EXPECT_NO_OPS();
	ck_assert_uint_eq(stats().mappings, 4);
}
END_TEST

/* ---- failing closed --------------------------------------------------- */

START_TEST(map_failure_in_switch_blocks_device)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	ops_reset();
	sink_fails(OP_MAP, 0, 1, 1, -ENOMEM);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 1), -ENOMEM);
	EXPECT_OPS(UNMAP_ALL(AS_A),
		   MAP(AS_A, IOVA, 2 * PG, H0, RW),
		   MAP_ERR(AS_A, IOVA + 4 * PG, PG, H2, R, -ENOMEM),
		   UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	ck_assert_uint_eq(stats().failures, 1);
	/* Off the domain: its changes no longer reach the device. */
	ops_reset();
	map_ok(1, IOVA + 8 * PG, PG, RAM0 + 8 * PG, RW);
	EXPECT_NO_OPS();
	/* Trying again replays everything from an empty space. */
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(UNMAP_ALL(AS_A), DOM1_REPLAY(AS_A),
		   MAP(AS_A, IOVA + 8 * PG, PG, H0 + 8 * PG, RW));
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);
}
END_TEST

START_TEST(map_failure_fails_closed_with_unmap_all_unmap_ranges)
{
	new_tracker(IOMMUNEST_TRACKER_UNMAP_RANGES);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 2);
	ops_reset();
	sink_fails(OP_MAP, 0, 1, 1, -ENOMEM);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 1), -ENOMEM);
	/* The failed map may have left something: only unmap-all is sure. */
	EXPECT_OPS(UNMAP(AS_A, IOVA + 16 * PG, PG),
		   UNMAP(AS_A, IOVA + 32 * PG, 3 * PG),
		   MAP(AS_A, IOVA, 2 * PG, H0, RW),
		   MAP_ERR(AS_A, IOVA + 4 * PG, PG, H2, R, -ENOMEM),
		   UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
}
END_TEST

START_TEST(unmap_all_retried_until_success)
{
	struct iommunest_tracker_stats st;

	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	sink_fails(OP_UNMAP_ALL, 0, 0, 2, -EIO);
	set_domain_ok(DEV_A, 2);
	EXPECT_OPS(UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO),
		   UNMAP_ALL(AS_A), DOM2_REPLAY(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 2);
	st = stats();
	ck_assert_uint_eq(st.unmap_alls, 5); /* add, first switch, 3 here */
	ck_assert_uint_eq(st.failures, 2);
}
END_TEST

START_TEST(unmap_all_failing_three_times_returns_error)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	sink_fails(OP_UNMAP_ALL, 0, 0, 3, -EIO);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 2), -EIO);
	/* Three tries give up; failing closed empties it on a fourth. */
	EXPECT_OPS(UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO),
		   UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	/* That worked: the space is known empty. */
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_NO_OPS();
	set_domain_ok(DEV_A, 2);
	EXPECT_OPS(UNMAP_ALL(AS_A), DOM2_REPLAY(AS_A));
}
END_TEST

START_TEST(unmap_all_failing_for_good_retried_by_next_switch)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	sink_fails(OP_UNMAP_ALL, 0, 0, UINT_MAX, -EIO);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 2), -EIO);
	/* Three tries in the switch, three more failing closed; no map. */
	EXPECT_OPS(UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO),
		   UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO),
		   UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO));
	/* Not blocked: the space may hold leftovers, and the state says so.
	 * Blocking again retries the unmap-all. */
	state_is(DEV_A, IOMMUNEST_DEV_STALE, 0);
	heal();
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_OPS(UNMAP_ALL(AS_A));
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_NO_OPS();
}
END_TEST

START_TEST(dirty_space_unmap_all_first_unmap_ranges)
{
	new_tracker(IOMMUNEST_TRACKER_UNMAP_RANGES);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	sink_fails(OP_UNMAP, AS_A, 0, 1, -EIO);
	sink_fails(OP_UNMAP_ALL, AS_A, 0, UINT_MAX, -EIO);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 2), -EIO);
	/* Every area is tried, then unmap-all, which fails for good. */
	EXPECT_OPS(UNMAP_ERR(AS_A, IOVA, 2 * PG, -EIO),
		   UNMAP(AS_A, IOVA + 4 * PG, PG),
		   UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO),
		   UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO),
		   UNMAP_ALL_ERR(AS_A, -EIO), UNMAP_ALL_ERR(AS_A, -EIO));
	state_is(DEV_A, IOMMUNEST_DEV_STALE, 0);
	/* The areas are forgotten, so range by range would unmap nothing:
	 * the next switch starts with unmap-all. */
	heal();
	ops_reset();
	set_domain_ok(DEV_A, 2);
	EXPECT_OPS(UNMAP_ALL(AS_A), DOM2_REPLAY(AS_A));
	/* Clean again: back to range by range. */
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_OPS(UNMAP(AS_A, IOVA + 16 * PG, PG),
		   UNMAP(AS_A, IOVA + 32 * PG, 3 * PG));
}
END_TEST

START_TEST(propagation_failure_blocks_only_that_device)
{
	const struct rec failed = MAP_ERR(AS_A, IOVA + 8 * PG, PG,
					  H0 + 8 * PG, RW, -ENOMEM);
	const struct rec emptied = UNMAP_ALL(AS_A);
	const struct rec other = MAP(AS_B, IOVA + 8 * PG, PG, H0 + 8 * PG, RW);

	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	set_domain_ok(DEV_A, 1);
	set_domain_ok(DEV_B, 1);
	ops_reset();
	sink_fails(OP_MAP, AS_A, 0, 1, -ENOMEM);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA + 8 * PG, PG,
					       RAM0 + 8 * PG, RW), -ENOMEM);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_int_ge(find_op(&failed), 0);
	ck_assert_int_gt(find_op(&emptied), find_op(&failed));
	ck_assert_int_ge(find_op(&other), 0);
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	state_is(DEV_B, IOMMUNEST_DEV_DOMAIN, 1);
	/* The domain keeps the mapping; A gets it when it comes back. */
	ck_assert_uint_eq(stats().mappings, 5);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(UNMAP_ALL(AS_A), DOM1_REPLAY(AS_A),
		   MAP(AS_A, IOVA + 8 * PG, PG, H0 + 8 * PG, RW));
}
END_TEST

/* ---- sharing mode ----------------------------------------------------- */

START_TEST(shared_device_add_uses_blocked_space)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	add_dev(DEV_A);
	add_dev(DEV_B);
	/* One empty space, allocated once, for every blocked device. */
	EXPECT_OPS(ALLOC(1000), REPLACE(DEV_A, 1000), REPLACE(DEV_B, 1000));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_device_add(t, DEV_C, AS_C, NULL,
						      NULL), -EINVAL);
	EXPECT_NO_OPS();
}
END_TEST

START_TEST(shared_switch_is_one_replace)
{
	struct iommunest_tracker_stats st;

	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	ops_reset();
	/* The first device on a domain has its space made and replayed. */
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(ALLOC(1001), DOM1_REPLAY(1001), REPLACE(DEV_A, 1001));
	ops_reset();
	set_domain_ok(DEV_B, 1);
	EXPECT_OPS(REPLACE(DEV_B, 1001));
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_NO_OPS();
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	EXPECT_OPS(ALLOC(1002),
		   MAP(1002, RAM0, RAM_LEN, H0, RW),
		   MAP(1002, RAM1, RAM_LEN, H1, RW),
		   MAP(1002, RAM2, RAM2_LEN, H2, RW),
		   REPLACE(DEV_A, 1002));
	state_is(DEV_A, IOMMUNEST_DEV_PASSTHROUGH, 0);
	/* From here on every target exists: one replace each. */
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(REPLACE(DEV_A, 1001));
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	EXPECT_OPS(REPLACE(DEV_A, 1002));
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	EXPECT_OPS(REPLACE(DEV_A, 1000));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(REPLACE(DEV_A, 1001));
	st = stats();
	ck_assert_uint_eq(st.unmaps, 0);
	ck_assert_uint_eq(st.unmap_alls, 0);
	ck_assert_uint_eq(st.replaces, 9);
}
END_TEST

START_TEST(shared_domain_map_goes_to_its_space_once)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	set_domain_ok(DEV_A, 1);
	set_domain_ok(DEV_B, 1);
	ops_reset();
	map_ok(1, IOVA + 8 * PG, 2 * PG, RAM1, RW);
	EXPECT_OPS(MAP(1001, IOVA + 8 * PG, 2 * PG, H1, RW));
	ops_reset();
	/* A cut inside an area: the domain's space is built again beside,
	 * both devices move, and the old one goes. */
	unmap_ok(1, IOVA + 9 * PG, PG);
	EXPECT_OPS(ALLOC(1002), DOM1_REPLAY(1002),
		   MAP(1002, IOVA + 8 * PG, PG, H1, RW),
		   REPLACE(DEV_A, 1002), REPLACE(DEV_B, 1002), FREE(1001));
	/* Nobody has used domain 2: it has no space to keep. */
	ops_reset();
	map_ok(2, IOVA + 8 * PG, PG, RAM1, RW);
	EXPECT_NO_OPS();
	/* Domain 1's space is kept up to date with nobody on it, so
	 * coming back stays one replace. */
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_B), 0);
	ops_reset();
	map_ok(1, IOVA + 12 * PG, PG, RAM1, R);
	EXPECT_OPS(MAP(1002, IOVA + 12 * PG, PG, H1, R));
	/* With nobody on it, a cut is unmap and map back. */
	ops_reset();
	unmap_ok(1, IOVA + PG, PG);
	EXPECT_OPS(UNMAP(1002, IOVA, 2 * PG), MAP(1002, IOVA, PG, H0, RW));
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(REPLACE(DEV_A, 1002));
}
END_TEST

START_TEST(shared_failing_replace_moves_device_to_blocked)
{
	struct iommunest_tracker_stats st;

	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	sink_fails(OP_REPLACE, 1002, 0, 1, -EBUSY);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 2), -EBUSY);
	EXPECT_OPS(ALLOC(1002), DOM2_REPLAY(1002),
		   REPLACE_ERR(DEV_A, 1002, -EBUSY),
		   REPLACE(DEV_A, 1000));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	/* Domain 2's space was kept: the retry is one replace. */
	ops_reset();
	set_domain_ok(DEV_A, 2);
	EXPECT_OPS(REPLACE(DEV_A, 1002));
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 2);
	st = stats();
	ck_assert_uint_eq(st.replaces, 5); /* add, 1, failed, blocked, 2 */
	ck_assert_uint_eq(st.failures, 1);
}
END_TEST

START_TEST(shared_replace_failing_twice_leaves_device_in_place)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	set_domain_ok(DEV_A, 2);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	/* If even the move to the blocked space fails, the device is still
	 * wholly in domain 1's space, and says so. */
	sink_fails(OP_REPLACE, 0, 0, 2, -EBUSY);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 2), -EBUSY);
	EXPECT_OPS(REPLACE_ERR(DEV_A, 1002, -EBUSY),
		   REPLACE_ERR(DEV_A, 1000, -EBUSY));
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 1);
	/* Already on the blocked space: a failed replace needs no second. */
	heal();
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	ops_reset();
	sink_fails(OP_REPLACE, 0, 0, 1, -EBUSY);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 1), -EBUSY);
	EXPECT_OPS(REPLACE_ERR(DEV_A, 1001, -EBUSY));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	ck_assert_uint_eq(stats().failures, 3);
}
END_TEST

START_TEST(shared_failed_replay_frees_new_space)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	ops_reset();
	sink_fails(OP_MAP, 0, 0, 1, -ENOMEM);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 1), -ENOMEM);
	/* The device never left the blocked space. */
	EXPECT_OPS(ALLOC(1001),
		   MAP_ERR(1001, IOVA, 2 * PG, H0, RW, -ENOMEM),
		   FREE(1001));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(ALLOC(1002), DOM1_REPLAY(1002), REPLACE(DEV_A, 1002));
}
END_TEST

START_TEST(shared_map_failure_fails_domain_space_closed)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	set_domain_ok(DEV_A, 1);
	set_domain_ok(DEV_B, 1);
	ops_reset();
	sink_fails(OP_MAP, 1001, 0, 1, -ENOMEM);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA + 8 * PG, PG,
					       RAM0 + 8 * PG, RW), -ENOMEM);
	EXPECT_OPS(MAP_ERR(1001, IOVA + 8 * PG, PG, H0 + 8 * PG, RW, -ENOMEM),
		   UNMAP_ALL(1001));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	state_is(DEV_B, IOMMUNEST_DEV_BLOCKED, 0);
	/* The domain gets a fresh space; the emptied one goes with its
	 * last user. */
	ops_reset();
	set_domain_ok(DEV_A, 1);
	EXPECT_OPS(ALLOC(1002), DOM1_REPLAY(1002),
		   MAP(1002, IOVA + 8 * PG, PG, H0 + 8 * PG, RW),
		   REPLACE(DEV_A, 1002));
	ops_reset();
	set_domain_ok(DEV_B, 1);
	EXPECT_OPS(REPLACE(DEV_B, 1002), FREE(1001));
}
END_TEST

START_TEST(shared_add_ram_maps_passthrough_space)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	add_dev(DEV_A);
	add_dev(DEV_B);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_B), 0);
	ops_reset();
	add_ram(RAM3, RAM3_LEN, H3);
	EXPECT_OPS(MAP(1001, RAM3, RAM3_LEN, H3, RW));
	state_is(DEV_B, IOMMUNEST_DEV_PASSTHROUGH, 0);
}
END_TEST

START_TEST(own_add_ram_maps_each_passthrough_space)
{
	new_tracker(0);
	std_ram();
	add_dev(DEV_A);
	add_dev(DEV_B);
	add_dev(DEV_C);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_B), 0);
	ops_reset();
	add_ram(RAM3, RAM3_LEN, H3);
	EXPECT_OPS_UNORDERED(MAP(AS_A, RAM3, RAM3_LEN, H3, RW),
			     MAP(AS_B, RAM3, RAM3_LEN, H3, RW));
}
END_TEST

START_TEST(shared_domain_remove_frees_its_space)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 1), 0);
	EXPECT_OPS(FREE(1001));
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 2), 0);
	EXPECT_NO_OPS();
}
END_TEST

START_TEST(shared_free_releases_its_spaces)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	set_domain_ok(DEV_A, 1);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_B), 0);
	ops_reset();
	iommunest_tracker_free(t);
	t = NULL;
	EXPECT_OPS_UNORDERED(FREE(1000), FREE(1001), FREE(1002));
}
END_TEST

START_TEST(own_free_leaves_spaces_alone)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	iommunest_tracker_free(t);
	t = NULL;
	EXPECT_NO_OPS();
}
END_TEST

/* ---- devices: removal, state, counters -------------------------------- */

START_TEST(device_remove_empties_space)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	add_dev(DEV_B);
	set_domain_ok(DEV_A, 1);
	set_domain_ok(DEV_B, 1);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_A), 0);
	EXPECT_OPS(UNMAP_ALL(AS_A));
	ck_assert_int_eq(iommunest_tracker_device_state(t, DEV_A,
			&(uint32_t){ 0 }, NULL), -ENOENT);
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_A), -ENOENT);
	/* Gone from the domain's mirrors. */
	ops_reset();
	map_ok(1, IOVA + 8 * PG, PG, RAM0, RW);
	EXPECT_OPS(MAP(AS_B, IOVA + 8 * PG, PG, H0, RW));
	/* The name can come back, blocked. */
	ops_reset();
	add_dev(DEV_A);
	EXPECT_OPS(UNMAP_ALL(AS_A));
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
}
END_TEST

START_TEST(device_remove_empties_space_unmap_ranges)
{
	new_tracker(IOMMUNEST_TRACKER_UNMAP_RANGES);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_A), 0);
	EXPECT_OPS(UNMAP(AS_A, IOVA, 2 * PG), UNMAP(AS_A, IOVA + 4 * PG, PG));
	/* The domain has nobody left. */
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 1), 0);
}
END_TEST

START_TEST(device_remove_shared_moves_to_blocked)
{
	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_A), 0);
	EXPECT_OPS(REPLACE(DEV_A, 1000));
	ck_assert_int_eq(iommunest_tracker_domain_remove(t, 1), 0);
}
END_TEST

START_TEST(device_remove_failing_keeps_device)
{
	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	set_domain_ok(DEV_A, 1);
	sink_fails(OP_UNMAP_ALL, 0, 0, UINT_MAX, -EIO);
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_A), -EIO);
	/* Still tracked, and stale (emptying failed): the VMM can try
	 * again. */
	state_is(DEV_A, IOMMUNEST_DEV_STALE, 0);
	heal();
	ops_reset();
	ck_assert_int_eq(iommunest_tracker_device_remove(t, DEV_A), 0);
	EXPECT_OPS(UNMAP_ALL(AS_A));
}
END_TEST

START_TEST(device_state_reports_state_and_domain)
{
	uint32_t st = 99;

	new_tracker(0);
	std_ram();
	two_domains();
	add_dev(DEV_A);
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
	set_domain_ok(DEV_A, 2);
	state_is(DEV_A, IOMMUNEST_DEV_DOMAIN, 2);
	/* The domain pointer is optional. */
	ck_assert_int_eq(iommunest_tracker_device_state(t, DEV_A, &st, NULL),
			 0);
	ck_assert_uint_eq(st, IOMMUNEST_DEV_DOMAIN);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, DEV_A), 0);
	state_is(DEV_A, IOMMUNEST_DEV_PASSTHROUGH, 0);
	ck_assert_int_eq(iommunest_tracker_set_blocked(t, DEV_A), 0);
	state_is(DEV_A, IOMMUNEST_DEV_BLOCKED, 0);
}
END_TEST

START_TEST(stats_count_operations)
{
	struct iommunest_tracker_stats st;

	new_tracker(0);
	std_ram();
	add_domain(1);
	st = stats();
	ck_assert_uint_eq(st.maps + st.unmaps + st.unmap_alls + st.replaces +
			  st.failures + st.mappings, 0);
	ck_assert_uint_gt(st.bytes, 0);

	map_ok(1, IOVA, PG, RAM0, RW);
	map_ok(1, IOVA + PG, PG, RAM0 + PG, RW);
	map_ok(1, IOVA + 4 * PG, PG, RAM2, R);
	map_ok(1, IOVA + 4 * PG, PG, RAM2, R); /* identical: not counted */
	add_dev(DEV_A);                        /* unmap-all */
	set_domain_ok(DEV_A, 1);               /* unmap-all, 2 maps */
	unmap_ok(1, IOVA, PG);  /* alloc, 2 maps beside, replace, unmap-all */
	unmap_ok(1, IOVA + PG, PG);            /* a whole area: unmap */
	sink_fails(OP_MAP, 0, 0, 1, -ENOMEM);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, IOVA + 8 * PG, PG,
					       RAM0 + 8 * PG, RW), -ENOMEM);
	st = stats();                   /* the failed map, its unmap-all */
	ck_assert_uint_eq(st.maps, 5);
	ck_assert_uint_eq(st.unmaps, 1);
	ck_assert_uint_eq(st.unmap_alls, 4);
	ck_assert_uint_eq(st.replaces, 1);
	ck_assert_uint_eq(st.failures, 1);
	ck_assert_uint_eq(st.mappings, 2);
	ck_assert_uint_gt(st.bytes, sizeof(st));
	/* Every operation but the one allocation is counted. */
	ck_assert_uint_eq(st.maps + st.unmaps + st.unmap_alls + st.replaces,
			  s.n - 1);
}
END_TEST

START_TEST(stats_count_replaces)
{
	struct iommunest_tracker_stats st;

	new_tracker(IOMMUNEST_TRACKER_SHARED);
	std_ram();
	two_domains();
	add_dev(DEV_A);                          /* replace */
	set_domain_ok(DEV_A, 1);                 /* 2 maps, replace */
	sink_fails(OP_REPLACE, 0, 0, 1, -EBUSY);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, DEV_A, 2), -EBUSY);
	st = stats();                           /* 2 maps, 2 replaces */
	ck_assert_uint_eq(st.maps, 4);
	ck_assert_uint_eq(st.unmaps, 0);
	ck_assert_uint_eq(st.unmap_alls, 0);
	ck_assert_uint_eq(st.replaces, 4);
	ck_assert_uint_eq(st.failures, 1);
	ck_assert_uint_eq(st.mappings, 4);
	ck_assert_uint_gt(st.bytes, 0);
}
END_TEST

/* ---- the IOAS sink ------------------------------------------------------ */

static void answer_ioas_id(void *arg, void *priv)
{
	((struct kabi_ioas_alloc *)arg)->out_ioas_id = *(uint32_t *)priv;
}

static uint32_t replaced_to;

static int note_replace(void *opaque, uint32_t as)
{
	(void)opaque;
	replaced_to = as;
	return 0;
}

static void check_ioas_map(unsigned int n, uint32_t ioas, uint64_t iova,
			   uint64_t len, uint64_t hva, uint32_t kflags)
{
	struct kabi_ioas_map m;

	FK_GET(n, KABI_IOMMU_IOAS_MAP, m);
	ck_assert_uint_eq(m.size, sizeof(m));
	ck_assert_uint_eq(m.flags, KABI_MAP_FIXED_IOVA | kflags);
	ck_assert_uint_eq(m.ioas_id, ioas);
	ck_assert_uint_eq(m.user_va, hva);
	ck_assert_uint_eq(m.length, len);
	ck_assert_uint_eq(m.iova, iova);
}

static void check_ioas_unmap(unsigned int n, uint32_t ioas, uint64_t iova,
			     uint64_t len)
{
	struct kabi_ioas_unmap u;

	FK_GET(n, KABI_IOMMU_IOAS_UNMAP, u);
	ck_assert_uint_eq(u.size, sizeof(u));
	ck_assert_uint_eq(u.ioas_id, ioas);
	ck_assert_uint_eq(u.iova, iova);
	ck_assert_uint_eq(u.length, len);
}

START_TEST(sink_ioas_refuses_null)
{
	struct iommunest_sink sink = { .opaque = &sink };

	ASSERT_REFUSED(iommunest_sink_ioas(NULL, &sink), -EINVAL);
	ASSERT_REFUSED(iommunest_sink_ioas(uctx, NULL), -EINVAL);
	ck_assert_ptr_null(sink.map);
	ck_assert_ptr_eq(sink.opaque, &sink);
}
END_TEST

START_TEST(sink_ioas_drives_ioas_ioctls)
{
	struct iommunest_tracker *tr = NULL;
	struct iommunest_sink sink;

	ck_assert_int_eq(iommunest_sink_ioas(uctx, &sink), 0);
	ck_assert_ptr_nonnull(sink.as_alloc);
	ck_assert_ptr_nonnull(sink.as_free);
	ck_assert_ptr_eq(sink.opaque, uctx);
	ck_assert_int_eq(iommunest_tracker_new(&sink, 0, &tr), 0);
	ck_assert_int_eq(iommunest_tracker_add_ram(tr, RAM0, 16 * PG,
						   HVA(H0)), 0);
	ck_assert_int_eq(iommunest_tracker_domain_add(tr, 1), 0);
	ck_assert_int_eq(iommunest_tracker_map(tr, 1, IOVA, 2 * PG,
					       RAM0 + 2 * PG, RW), 0);
	ck_assert_uint_eq(fk_ncalls(), 0);

	/* Unmap-all is iommufd's "iova 0, length U64_MAX". */
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_device_add(tr, DEV_A, 5, NULL,
						      NULL), 0);
	check_ioas_unmap(0, 5, 0, UINT64_MAX);

	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_set_domain(tr, DEV_A, 1), 0);
	check_ioas_unmap(1, 5, 0, UINT64_MAX);
	check_ioas_map(2, 5, IOVA, 2 * PG, H0 + 2 * PG,
		       KABI_MAP_READABLE | KABI_MAP_WRITEABLE);

	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_map(tr, 1, IOVA + 8 * PG, PG,
					       RAM0 + 8 * PG, R), 0);
	ck_assert_int_eq(iommunest_tracker_map(tr, 1, IOVA + 9 * PG, PG,
					       RAM0 + 12 * PG, W), 0);
	check_ioas_map(3, 5, IOVA + 8 * PG, PG, H0 + 8 * PG,
		       KABI_MAP_READABLE);
	check_ioas_map(4, 5, IOVA + 9 * PG, PG, H0 + 12 * PG,
		       KABI_MAP_WRITEABLE);

	/* An unmap of an area, then a cut into one: the whole area goes and
	 * the rest comes back. */
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_unmap(tr, 1, IOVA + 8 * PG, PG),
			 0);
	check_ioas_unmap(5, 5, IOVA + 8 * PG, PG);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_unmap(tr, 1, IOVA, PG), 0);
	check_ioas_unmap(6, 5, IOVA, 2 * PG);
	check_ioas_map(7, 5, IOVA + PG, PG, H0 + 3 * PG,
		       KABI_MAP_READABLE | KABI_MAP_WRITEABLE);

	/* Not sharing: the VMM's IOAS is left as it is. */
	iommunest_tracker_free(tr);
	ck_assert_uint_eq(fk_ncalls(), 8);
}
END_TEST

START_TEST(sink_ioas_kernel_error_fails_closed)
{
	struct iommunest_tracker *tr = NULL;
	struct iommunest_sink sink;
	uint32_t st = 99;

	ck_assert_int_eq(iommunest_sink_ioas(uctx, &sink), 0);
	ck_assert_int_eq(iommunest_tracker_new(&sink, 0, &tr), 0);
	ck_assert_int_eq(iommunest_tracker_add_ram(tr, RAM0, 16 * PG,
						   HVA(H0)), 0);
	ck_assert_int_eq(iommunest_tracker_domain_add(tr, 1), 0);
	ck_assert_int_eq(iommunest_tracker_map(tr, 1, IOVA, PG, RAM0, RW), 0);
	/* Two failed unmap-alls are retried. */
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, EIO);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, EIO);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_device_add(tr, DEV_A, 5, NULL,
						      NULL), 0);
	/* The kernel's errno comes back negated, after failing closed. */
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, ENOMEM);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_set_domain(tr, DEV_A, 1), -ENOMEM);
	check_ioas_unmap(5, 5, 0, UINT64_MAX);
	ck_assert_int_eq(iommunest_tracker_device_state(tr, DEV_A, &st, NULL),
			 0);
	ck_assert_uint_eq(st, IOMMUNEST_DEV_BLOCKED);
	iommunest_tracker_free(tr);
}
END_TEST

START_TEST(sink_ioas_allocates_and_destroys_in_sharing_mode)
{
	static uint32_t ids[2] = { 40, 41 };
	struct iommunest_tracker *tr = NULL;
	struct iommunest_sink sink;
	struct kabi_ioas_alloc a;
	struct kabi_destroy d[2];

	ck_assert_int_eq(iommunest_sink_ioas(uctx, &sink), 0);
	ck_assert_int_eq(iommunest_tracker_new(&sink,
			IOMMUNEST_TRACKER_SHARED, &tr), 0);
	ck_assert_int_eq(iommunest_tracker_add_ram(tr, RAM0, 16 * PG,
						   HVA(H0)), 0);
	ck_assert_int_eq(iommunest_tracker_domain_add(tr, 1), 0);
	ck_assert_int_eq(iommunest_tracker_map(tr, 1, IOVA, PG, RAM0, R), 0);

	fk_expect(KABI_IOMMU_IOAS_ALLOC, answer_ioas_id, &ids[0], 0);
	ck_assert_int_eq(iommunest_tracker_device_add(tr, DEV_A, 0,
						      note_replace, NULL), 0);
	FK_GET(0, KABI_IOMMU_IOAS_ALLOC, a);
	ck_assert_uint_eq(a.size, sizeof(a));
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_uint_eq(replaced_to, 40);

	fk_expect(KABI_IOMMU_IOAS_ALLOC, answer_ioas_id, &ids[1], 0);
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_set_domain(tr, DEV_A, 1), 0);
	check_ioas_map(2, 41, IOVA, PG, H0, KABI_MAP_READABLE);
	ck_assert_uint_eq(replaced_to, 41);

	/* Freeing the tracker destroys both IOASes it allocated. */
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	iommunest_tracker_free(tr);
	ck_assert_uint_eq(fk_ncalls(), 5);
	FK_GET(3, KABI_IOMMU_DESTROY, d[0]);
	FK_GET(4, KABI_IOMMU_DESTROY, d[1]);
	ck_assert_uint_eq(d[0].size, sizeof(d[0]));
	ck_assert_uint_eq(d[0].id + d[1].id, 40 + 41);
	ck_assert_uint_ne(d[0].id, d[1].id);
}
END_TEST

Suite *suite_tracker(void)
{
	Suite *su = suite_create("tracker");
	TCase *refuse = tcase_create("refusals");
	TCase *replay = tcase_create("replay");
	TCase *sw = tcase_create("switches");
	TCase *mirror = tcase_create("mirrors");
	TCase *closed = tcase_create("fail closed");
	TCase *share = tcase_create("sharing");
	TCase *dev = tcase_create("devices");
	TCase *ioas = tcase_create("ioas sink");

	tcase_add_checked_fixture(refuse, NULL, teardown);
	tcase_add_test(refuse, new_refuses_bad_sink_and_flags);
	tcase_add_test(refuse, null_pointers_refused);
	tcase_add_test(refuse, add_ram_refusals);
	tcase_add_test(refuse, unknown_and_duplicate_names);
	tcase_add_test(refuse, map_refuses_bad_ranges_and_perms);
	tcase_add_test(refuse, map_overlap_refused_identical_accepted);
	tcase_add_test(refuse, unmap_refusals);
	tcase_add_test(refuse, domain_remove_busy_own);
	tcase_add_test(refuse, domain_remove_busy_shared);
	suite_add_tcase(su, refuse);

	tcase_add_checked_fixture(replay, NULL, teardown);
	tcase_add_test(replay, replay_coalesces_contiguous_pages);
	tcase_add_test(replay, replay_splits_at_ram_region_boundary);
	tcase_add_test(replay, replay_alternating_perms_one_map_per_page);
	tcase_add_test(replay, replay_breaks_at_gpa_and_iova_discontinuity);
	tcase_add_test(replay, mapping_across_adjacent_ram_is_split);
	suite_add_tcase(su, replay);

	tcase_add_checked_fixture(sw, NULL, teardown);
	tcase_add_test(sw, new_device_space_is_emptied);
	tcase_add_test(sw, new_device_space_is_emptied_unmap_ranges);
	tcase_add_test(sw, switch_unmaps_all_before_replay);
	tcase_add_test(sw, switch_unmap_ranges_one_unmap_per_area);
	tcase_add_test(sw, switch_to_same_target_emits_nothing);
	tcase_add_test(sw, passthrough_maps_each_ram_region_identity);
	tcase_add_test(sw, blocked_empties);
	suite_add_tcase(su, sw);

	tcase_add_checked_fixture(mirror, NULL, teardown);
	tcase_add_test(mirror, map_reaches_every_device_in_domain);
	tcase_add_test(mirror,
		       partial_unmap_builds_beside_then_cuts_along_mappings);
	tcase_add_test(mirror,
		       partial_unmap_without_replace_remaps_remaining_pieces);
	tcase_add_test(mirror, cut_with_copy_shares_what_is_pinned);
	tcase_add_test(mirror, cut_failures_leave_the_device_blocked);
	tcase_add_test(mirror, unmap_of_hole_emits_nothing);
	tcase_add_test(mirror, own_add_ram_maps_each_passthrough_space);
	suite_add_tcase(su, mirror);

	tcase_add_checked_fixture(closed, NULL, teardown);
	tcase_add_test(closed, map_failure_in_switch_blocks_device);
	tcase_add_test(closed,
		       map_failure_fails_closed_with_unmap_all_unmap_ranges);
	tcase_add_test(closed, unmap_all_retried_until_success);
	tcase_add_test(closed, unmap_all_failing_three_times_returns_error);
	tcase_add_test(closed,
		       unmap_all_failing_for_good_retried_by_next_switch);
	tcase_add_test(closed, dirty_space_unmap_all_first_unmap_ranges);
	tcase_add_test(closed, propagation_failure_blocks_only_that_device);
	suite_add_tcase(su, closed);

	tcase_add_checked_fixture(share, NULL, teardown);
	tcase_add_test(share, shared_device_add_uses_blocked_space);
	tcase_add_test(share, shared_switch_is_one_replace);
	tcase_add_test(share, shared_domain_map_goes_to_its_space_once);
	tcase_add_test(share, shared_failing_replace_moves_device_to_blocked);
	tcase_add_test(share,
		       shared_replace_failing_twice_leaves_device_in_place);
	tcase_add_test(share, shared_failed_replay_frees_new_space);
	tcase_add_test(share, shared_map_failure_fails_domain_space_closed);
	tcase_add_test(share, shared_add_ram_maps_passthrough_space);
	tcase_add_test(share, shared_domain_remove_frees_its_space);
	tcase_add_test(share, shared_free_releases_its_spaces);
	tcase_add_test(share, own_free_leaves_spaces_alone);
	suite_add_tcase(su, share);

	tcase_add_checked_fixture(dev, NULL, teardown);
	tcase_add_test(dev, device_remove_empties_space);
	tcase_add_test(dev, device_remove_empties_space_unmap_ranges);
	tcase_add_test(dev, device_remove_shared_moves_to_blocked);
	tcase_add_test(dev, device_remove_failing_keeps_device);
	tcase_add_test(dev, device_state_reports_state_and_domain);
	tcase_add_test(dev, stats_count_operations);
	tcase_add_test(dev, stats_count_replaces);
	suite_add_tcase(su, dev);

	tcase_add_checked_fixture(ioas, unit_setup, unit_teardown);
	tcase_add_test(ioas, sink_ioas_refuses_null);
	tcase_add_test(ioas, sink_ioas_drives_ioas_ioctls);
	tcase_add_test(ioas, sink_ioas_kernel_error_fails_closed);
	tcase_add_test(ioas, sink_ioas_allocates_and_destroys_in_sharing_mode);
	suite_add_tcase(su, ioas);
	return su;
}
