/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Randomized test of the range map against a plain model.
 *
 * The map's source is compiled in here: its symbols are hidden in the
 * library, this way its allocator can be made to fail, and its B+-tree
 * can be checked block by block (key order, separators, fill, the leaf
 * chain, the hint, block accounting).  Maps share a pool, as a tracker's
 * do.  Keys are whole units of a scale above a base; the model is a
 * bitmap of the units where a range starts, with each one's length and
 * value, so that it stays cheap with a hundred thousand ranges, enough
 * for three inner levels.  Every answer of the map is compared with the
 * model's, and after a failed allocation the map must be as it was.
 */
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

/* check's own asserts write a record each: too slow for millions. */
#define CK(cond)                                                          \
	do {                                                              \
		if (!(cond))                                              \
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

static struct {
	uint64_t rng;
	unsigned int fail_per_mille; /* of allocations */
	unsigned long injected;
} fx;

static uint64_t rnd64(void)
{
	fx.rng ^= fx.rng << 13;
	fx.rng ^= fx.rng >> 7;
	fx.rng ^= fx.rng << 17;
	return fx.rng;
}

static uint64_t rnd(uint64_t n)
{
	return rnd64() % n;
}

static bool fail_now(void)
{
	if (!fx.fail_per_mille || rnd(1000) >= fx.fail_per_mille)
		return false;
	fx.injected++;
	return true;
}

static void *test_aligned_alloc(size_t align, size_t size)
{
	return fail_now() ? NULL : aligned_alloc(align, size);
}

static void *test_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : realloc(p, size);
}

#define aligned_alloc test_aligned_alloc
#define realloc test_realloc
#include "tracker/rangemap.c"
#undef aligned_alloc
#undef realloc

#define DEFAULT_SEED 0x7a9e5eedu
#define MAX_MAPS 2
#define NONE UINT64_MAX

/* A map and what it must hold: bit u of starts is set if a range starts
 * at unit u, of len[u] units and value val[u]. */
struct model {
	struct rangemap map;
	uint64_t *starts;
	uint32_t *len;
	uint64_t *val;
	uint64_t n;
};

static struct {
	struct rm_pool pool;
	struct model m[MAX_MAPS];
	unsigned int nmaps;
	uint64_t base, scale;   /* unit u is key base + u * scale */
	uint64_t span, maxlen;  /* in units */
	unsigned long enomem;
} t;

static uint64_t key_of(uint64_t u)
{
	return t.base + u * t.scale;
}

/* ---- the model ---------------------------------------------------------- */

/* The last start at or below u, or NONE. */
static uint64_t m_prev(const struct model *m, uint64_t u)
{
	uint64_t w = u / 64, bits;

	if (u >= t.span)
		return m_prev(m, t.span - 1);
	bits = m->starts[w] & (~0ull >> (63 - u % 64));
	while (!bits) {
		if (!w)
			return NONE;
		bits = m->starts[--w];
	}
	return w * 64 + 63 - (uint64_t)__builtin_clzll(bits);
}

/* The first start at or above u, or NONE. */
static uint64_t m_next(const struct model *m, uint64_t u)
{
	uint64_t w = u / 64, bits;

	if (u >= t.span)
		return NONE;
	bits = m->starts[w] & (~0ull << (u % 64));
	while (!bits) {
		if (++w == t.span / 64)
			return NONE;
		bits = m->starts[w];
	}
	return w * 64 + (uint64_t)__builtin_ctzll(bits);
}

static void m_set(struct model *m, uint64_t u, uint64_t len, uint64_t val)
{
	m->starts[u / 64] |= 1ull << (u % 64);
	m->len[u] = (uint32_t)len;
	m->val[u] = val;
	m->n++;
}

static void m_clear(struct model *m, uint64_t u)
{
	m->starts[u / 64] &= ~(1ull << (u % 64));
	m->n--;
}

static bool m_overlaps(const struct model *m, uint64_t u, uint64_t len)
{
	uint64_t p = m_prev(m, u), q = m_next(m, u + 1);

	return (p != NONE && p + m->len[p] > u) || (q != NONE && q < u + len);
}

static bool same(const struct model *m, uint64_t u, const struct rm_node *n)
{
	return n->start == key_of(u) && n->len == m->len[u] * t.scale &&
	       n->val == m->val[u];
}

/* ---- checking the tree --------------------------------------------------- */

struct tally {
	const struct model *m;
	uint64_t next;      /* unit of the next range in order */
	uint64_t seen;
	uint32_t last_leaf;
	uint32_t blocks;
};

/* Keys under block b lie in [lo, hi]; every leaf at the same depth. */
static void check_node(struct tally *c, uint32_t b, unsigned int depth,
		       uint64_t lo, uint64_t hi)
{
	const struct rangemap *map = &c->m->map;
	unsigned int i;

	c->blocks++;
	if (depth < map->height) {
		const struct rm_inner *in = inner_of(map->pool, b);

		CK(in->n <= FAN);
		CK(in->n >= (depth ? FAN_MIN : 2));
		for (i = 0; i + 1 < in->n; i++) {
			CK(in->key[i] > lo && in->key[i] <= hi);
			CK(!i || in->key[i] > in->key[i - 1]);
		}
		for (i = 0; i < in->n; i++)
			check_node(c, in->child[i], depth + 1,
				   i ? in->key[i - 1] : lo,
				   i + 1 < in->n ? in->key[i] - 1 : hi);
		return;
	} else {
		const struct rm_leaf *l = leaf_of(map->pool, b);

		CK(l->n >= 1 && l->n <= LEAF_CAP);
		CK(l->prev == c->last_leaf);
		if (c->last_leaf)
			CK(leaf_of(map->pool, c->last_leaf)->next == b);
		c->last_leaf = b;
		for (i = 0; i < l->n; i++) {
			CK(c->next != NONE);
			CK(l->e[i].start >= lo && l->e[i].start <= hi);
			CK(same(c->m, c->next, &l->e[i]));
			c->next = m_next(c->m, c->next + 1);
			c->seen++;
		}
	}
}

/* Where the way down from the root leads. */
static uint32_t plain_leaf(const struct rangemap *map, uint64_t key)
{
	uint32_t b = map->root;
	unsigned int h;

	for (h = 0; h < map->height; h++)
		b = inner_of(map->pool, b)->child[inner_pos(
			inner_of(map->pool, b), key)];
	return b;
}

static void check_all(void)
{
	uint32_t blocks = 0, b, k;

	for (k = 0; k < t.nmaps; k++) {
		struct model *m = &t.m[k];
		struct tally c = { .m = m, .next = m_next(m, 0) };

		CK(m->map.count == m->n);
		CK(m->map.height <= MAX_HEIGHT);
		if (m->map.root) {
			check_node(&c, m->map.root, 0, 0, UINT64_MAX);
			CK(leaf_of(&t.pool, c.last_leaf)->next == 0);
		} else {
			CK(m->map.height == 0);
		}
		CK(c.seen == m->n);
		if (m->map.hint) {
			CK(m->map.hint_lo <= m->map.hint_hi);
			CK(plain_leaf(&m->map, m->map.hint_lo) == m->map.hint);
			CK(plain_leaf(&m->map, m->map.hint_hi) == m->map.hint);
			CK(m->map.hint_blk == blk(&t.pool, m->map.hint));
		}
		blocks += c.blocks;
	}
	/* Every block is in a tree or on the free list, once. */
	for (b = t.pool.free_head, k = 0; b; b = leaf_of(&t.pool, b)->next)
		k++;
	CK(k == t.pool.nfree);
	CK(blocks + t.pool.nfree == t.pool.next - 1);
	CK(t.pool.next <= t.pool.end);
}

/* ---- visitors ------------------------------------------------------------ */

struct visits {
	const struct model *m;
	uint64_t u;            /* the range expected next */
	uint64_t end;          /* ... while it starts below this unit */
	uint64_t seen;
	uint64_t stop_at;      /* return non-zero on this visit */
	unsigned int fail_mask; /* rm_remove: the visits that fail */
};

static int visit(void *arg, const struct rm_node *n)
{
	struct visits *v = arg;

	CK(v->u != NONE && v->u < v->end);
	CK(same(v->m, v->u, n));
	v->u = m_next(v->m, v->u + 1);
	v->seen++;
	if (v->seen == v->stop_at)
		return 7;
	return (v->fail_mask >> (v->seen % 8)) & 1 ? -(int)(v->seen % 8) : 0;
}

/* ---- operations ---------------------------------------------------------- */

static uint64_t runit(void)
{
	return rnd(t.span - t.maxlen);
}

static void op_insert(struct model *m)
{
	uint64_t u = runit(), len = 1 + rnd(t.maxlen), val = rnd64();
	bool ov = m_overlaps(m, u, len);
	int rc;

	CK(rm_overlaps(&m->map, key_of(u), len * t.scale) == ov);
	if (ov)
		return;
	rc = rm_insert(&m->map, key_of(u), len * t.scale, val);
	if (rc == -ENOMEM) {
		t.enomem++;
		return;
	}
	CK(rc == 0);
	m_set(m, u, len, val);
}

/* Cut both, or on ENOMEM check that there was a range to cut. */
static int cut(struct model *m, uint64_t u)
{
	uint64_t p = m_prev(m, u);
	bool inside = p != NONE && p < u && p + m->len[p] > u;
	int rc = rm_cut(&m->map, key_of(u));

	if (rc == -ENOMEM) {
		t.enomem++;
		CK(inside);
		return rc;
	}
	CK(rc == 0);
	if (inside) {
		m_set(m, u, p + m->len[p] - u, m->val[p] + (u - p) * t.scale);
		m->len[p] = (uint32_t)(u - p);
	}
	return 0;
}

static void op_cut(struct model *m)
{
	cut(m, runit());
}

static void op_find(struct model *m)
{
	uint64_t key = rnd(4) ? key_of(runit()) + rnd(t.scale) : rnd64();
	uint64_t p = key < t.base ? NONE : m_prev(m, (key - t.base) / t.scale);
	uint32_t h;

	if (rnd(2))
		rm_prefetch(&m->map, key);
	h = rm_find_le(&m->map, key);

	if (p == NONE) {
		CK(h == RM_NIL);
		return;
	}
	CK(h != RM_NIL);
	CK(same(m, p, rm_at(&t.pool, h)));
}

static void op_walk(struct model *m)
{
	uint64_t u = runit(), len = 1 + rnd(rnd(8) ? 4 * t.maxlen : t.span);
	uint64_t p = m_prev(m, u), start, klen;
	struct visits v = { .m = m };
	uint64_t want = 0, w;
	int rc;

	/* Mostly from inside a range, which may begin in another leaf. */
	if (p != NONE && rnd(2))
		u = p + rnd(m->len[p]);
	start = key_of(u);
	klen = len * t.scale;
	v.u = m_next(m, u + 1);
	v.end = u + len;
	if (!rnd(16)) { /* everything */
		start = 0;
		klen = UINT64_MAX;
		p = NONE;
		v.u = m_next(m, 0);
		v.end = NONE;
	}
	if (p != NONE && p + m->len[p] > u)
		v.u = p;
	for (w = v.u; w != NONE && w < v.end; w = m_next(m, w + 1))
		want++;
	if (want && rnd(2))
		v.stop_at = 1 + rnd(want);
	rc = rm_walk(&m->map, start, klen, visit, &v);
	CK(rc == (v.stop_at ? 7 : 0));
	CK(v.seen == (v.stop_at ? v.stop_at : want));
}

/* Remove the ranges starting in [u, u + len), from the model too. */
static void remove_units(struct model *m, uint64_t u, uint64_t len, bool all)
{
	uint64_t start = all ? 0 : key_of(u), w, k = 0;
	uint64_t klen = all ? UINT64_MAX : len * t.scale;
	struct visits v = { .m = m, .u = m_next(m, all ? 0 : u),
			    .end = all ? NONE : u + len,
			    .fail_mask = (unsigned int)rnd(256) };
	int rc, want = 0;

	for (w = v.u; w != NONE && w < v.end; w = m_next(m, w + 1))
		if (!want && (v.fail_mask >> (++k % 8)) & 1)
			want = -(int)(k % 8);
	rc = rm_remove(&m->map, start, klen, rnd(4) ? visit : NULL, &v);
	if (v.seen) {
		CK(v.u == NONE || v.u >= v.end);
		CK(rc == want);
	} else {
		CK(rc == 0);
	}
	for (w = m_next(m, all ? 0 : u); w != NONE && w < v.end;
	     w = m_next(m, w + 1))
		m_clear(m, w);
}

/* Growing, a range or two; shrinking, now and then many or all. */
static void op_remove(struct model *m, bool grow)
{
	uint64_t r = grow ? 4096 : rnd(4096);

	if (!r)
		remove_units(m, 0, 0, true);
	else if (r == 1) /* not from 0: one leaf at a time */
		remove_units(m, 1, t.span, false);
	else if (r < 64)
		remove_units(m, runit(), 1 + rnd(t.span / 32), false);
	else
		remove_units(m, runit(), 1 + rnd(2 * t.maxlen), false);
}

/* Unmap the way the tracker does: cut both edges, drop between. */
static void op_unmap(struct model *m)
{
	uint64_t u = runit(), len = 1 + rnd(2 * t.maxlen);

	if (u + len >= t.span || cut(m, u) || cut(m, u + len))
		return;
	remove_units(m, u, len, false);
}

static void reset(void)
{
	unsigned int k;

	for (k = 0; k < t.nmaps; k++) {
		rm_clear(&t.m[k].map);
		memset(t.m[k].starts, 0, t.span / 8);
		t.m[k].n = 0;
	}
	rm_pool_fini(&t.pool);
	rm_pool_init(&t.pool);
}

static void run(unsigned int nmaps, uint64_t base, uint64_t scale,
		uint64_t span, uint64_t maxlen, uint64_t target,
		unsigned long nops, unsigned long check_every,
		unsigned long reset_every)
{
	const char *s = getenv("INEST_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : DEFAULT_SEED;
	unsigned int k, h = 0;
	uint64_t most = 0;
	unsigned long i;

	memset(&t, 0, sizeof(t));
	memset(&fx, 0, sizeof(fx));
	fx.rng = (seed ^ span) ? seed ^ span : 1;
	t.nmaps = nmaps;
	t.base = base;
	t.scale = scale;
	t.span = span;
	t.maxlen = maxlen;
	rm_pool_init(&t.pool);
	for (k = 0; k < nmaps; k++) {
		struct model *m = &t.m[k];

		rm_init(&m->map, &t.pool);
		m->starts = calloc(span / 64, sizeof(*m->starts));
		m->len = malloc(span * sizeof(*m->len));
		m->val = malloc(span * sizeof(*m->val));
		CK(m->starts && m->len && m->val);
	}
	fx.fail_per_mille = 100;
	for (i = 0; i < nops; i++) {
		struct model *m = &t.m[rnd(nmaps)];
		/* Grow towards the target, then shrink, and again. */
		bool grow = (i / (nops / 4 + 1)) % 2 == 0 && m->n < target;
		uint64_t r = rnd(100);

		if (r < (grow ? 75 : 20))
			op_insert(m);
		else if (r < (grow ? 82 : 30))
			op_cut(m);
		else if (r < (grow ? 88 : 40))
			op_find(m);
		else if (r < (grow ? 94 : 50))
			op_walk(m);
		else if (r < (grow ? 97 : 75))
			op_remove(m, grow);
		else
			op_unmap(m);
		h = m->map.height > h ? m->map.height : h;
		most = m->n > most ? m->n : most;
		if (!(i % check_every))
			check_all();
		/* Start over now and then: the pool grows, and may fail to,
		 * only while it is new. */
		if (!rnd(reset_every)) {
			check_all();
			reset();
		}
	}
	check_all();
	printf("range map: seed 0x%llx, %lu operations, up to %llu ranges "
	       "a map and %u inner levels, %lu failed allocations, %lu "
	       "ENOMEM\n", (unsigned long long)seed, nops,
	       (unsigned long long)most, h, fx.injected, t.enomem);
	fflush(stdout);
	CK(t.enomem > 0);
	fx.fail_per_mille = 0;
	for (k = 0; k < nmaps; k++) {
		rm_clear(&t.m[k].map);
		free(t.m[k].starts);
		free(t.m[k].len);
		free(t.m[k].val);
	}
	CK(t.pool.nfree == t.pool.next - 1);
	rm_pool_fini(&t.pool);
}

/* Small and dense, checked after every operation. */
START_TEST(rangemap_dense)
{
	run(2, 0, 1, 8192, 16, 600, 200000, 1, 2000);
}
END_TEST

/* Pages, up against the top of the 64-bit space. */
START_TEST(rangemap_top)
{
	run(2, UINT64_MAX - (1ull << 32) + 1, 4096, 1u << 16, 8, 5000, 100000,
	    50, 20000);
}
END_TEST

/* A hundred thousand ranges: three inner levels, grown and shrunk. */
START_TEST(rangemap_deep)
{
	run(1, 1ull << 40, 4096, 1u << 21, 8, 150000, 600000, 50000,
	    1000000);
}
END_TEST

/* The tracker walks one map while its visitor inserts into another. */
struct copy {
	struct rangemap *to;
	uint64_t n;
};

static int copy_range(void *arg, const struct rm_node *n)
{
	struct copy *c = arg;

	c->n++;
	return rm_insert(c->to, n->start, n->len, n->val);
}

START_TEST(rangemap_walk_while_growing)
{
	struct rangemap a, b;
	struct rm_pool pool;
	struct copy c = { &b, 0 };
	uint64_t i, n = 50000;
	uint32_t h;

	memset(&fx, 0, sizeof(fx));
	rm_pool_init(&pool);
	rm_init(&a, &pool);
	rm_init(&b, &pool);
	/* In order, as the tracker builds: leaves stay full. */
	for (i = 0; i < n; i++)
		ck_assert_int_eq(rm_insert(&a, 3 * i, 2, i), 0);
	ck_assert_uint_le(rm_pool_bytes(&pool), n * 30);
	ck_assert_int_eq(rm_walk(&a, 0, UINT64_MAX, copy_range, &c), 0);
	ck_assert_uint_eq(c.n, n);
	ck_assert_uint_eq(b.count, n);
	for (i = 0; i < n; i += 7) {
		h = rm_find_le(&b, 3 * i + 2);
		ck_assert_uint_eq(rm_at(&pool, h)->start, 3 * i);
		ck_assert_uint_eq(rm_at(&pool, h)->val, i);
		ck_assert(rm_overlaps(&b, 3 * i + 1, 1));
		ck_assert(!rm_overlaps(&b, 3 * i + 2, 1));
	}
	ck_assert_int_eq(rm_remove(&a, 0, UINT64_MAX, NULL, NULL), 0);
	ck_assert_int_eq(rm_remove(&b, 1, UINT64_MAX - 1, NULL, NULL), 0);
	ck_assert_uint_eq(a.count, 0);
	ck_assert_uint_eq(b.count, 1);
	rm_clear(&b);
	ck_assert_uint_eq(pool.nfree, pool.next - 1);
	rm_pool_fini(&pool);
}
END_TEST

struct seen {
	uint64_t start[8], len[8];
	unsigned int n;
};

static int note(void *arg, const struct rm_node *n)
{
	struct seen *s = arg;

	ck_assert_uint_lt(s->n, 8);
	s->start[s->n] = n->start;
	s->len[s->n++] = n->len;
	return 0;
}

/* A range reaching past the key that separates its leaf from the next:
 * the key that leads to the second leaf must still find it. */
static void straddle(void)
{
	struct rm_pool pool;
	struct rangemap a;
	struct seen s = { .n = 0 };
	uint64_t i;

	rm_pool_init(&pool);
	rm_init(&a, &pool);
	for (i = 0; i < 3 * LEAF_CAP + 7; i++) /* full leaves, in order */
		ck_assert_int_eq(rm_insert(&a, 4 * i, 1, i), 0);
	/* Room in the first leaf, the second leaf's first range gone. */
	ck_assert_int_eq(rm_remove(&a, 0, 1, NULL, NULL), 0);
	ck_assert_int_eq(rm_remove(&a, 4 * LEAF_CAP, 1, NULL, NULL), 0);
	ck_assert_int_eq(rm_insert(&a, 4 * LEAF_CAP - 2, 5, 1000), 0);
	ck_assert_uint_eq(a.height, 1);
	ck_assert_uint_eq(inner_of(&pool, a.root)->key[0], 4 * LEAF_CAP);

	ck_assert_int_eq(rm_walk(&a, 4 * LEAF_CAP + 1, 1, note, &s), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.start[0], 4 * LEAF_CAP - 2);
	ck_assert_uint_eq(rm_at(&pool, rm_find_le(&a, 4 * LEAF_CAP + 1))->val,
			  1000);
	ck_assert(rm_overlaps(&a, 4 * LEAF_CAP + 2, 1));
	ck_assert(!rm_overlaps(&a, 4 * LEAF_CAP + 3, 1));
	ck_assert_int_eq(rm_cut(&a, 4 * LEAF_CAP + 1), 0);
	s.n = 0;
	ck_assert_int_eq(rm_walk(&a, 4 * LEAF_CAP - 4, 9, note, &s), 0);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_uint_eq(s.start[1], 4 * LEAF_CAP - 2);
	ck_assert_uint_eq(s.len[1], 3);
	ck_assert_uint_eq(s.start[2], 4 * LEAF_CAP + 1);
	ck_assert_uint_eq(s.len[2], 2);
	ck_assert_uint_eq(rm_at(&pool, rm_find_le(&a, 4 * LEAF_CAP + 2))->val,
			  1003);
	/* Not from 0: removed a leaf at a time, down to an empty root. */
	ck_assert_int_eq(rm_remove(&a, 1, UINT64_MAX - 1, NULL, NULL), 0);
	ck_assert_uint_eq(a.count, 0);
	ck_assert_uint_eq(a.root, RM_NIL);
	ck_assert_uint_eq(pool.nfree, pool.next - 1);
	rm_pool_fini(&pool);
}

/* An inner node short of children next to a full one: the two are evened
 * out, not merged.  Built in order, the first inner node keeps 49 leaves
 * and the second gets the rest; removing from the front empties leaves of
 * the first until it is short. */
static void even_out_inner(void)
{
	uint64_t leaves = 110, n = leaves * LEAF_CAP, i, gone;
	struct model *m = &t.m[0];
	const struct rm_inner *root;

	memset(&t, 0, sizeof(t));
	memset(&fx, 0, sizeof(fx));
	t.nmaps = 1;
	t.scale = 4;
	t.span = 64 * (n / 64 + 1);
	m->starts = calloc(t.span / 64, sizeof(*m->starts));
	m->len = malloc(t.span * sizeof(*m->len));
	m->val = malloc(t.span * sizeof(*m->val));
	ck_assert(m->starts && m->len && m->val);
	rm_pool_init(&t.pool);
	rm_init(&m->map, &t.pool);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(rm_insert(&m->map, 4 * i, 4, i), 0);
		m_set(m, i, 1, i);
	}
	ck_assert_uint_eq(m->map.height, 2);
	ck_assert_uint_eq(inner_of(&t.pool, m->map.root)->n, 2);
	check_all();
	gone = (FAN + 1 - FAN_MIN - FAN_MIN + 1) * LEAF_CAP;
	remove_units(m, 1, gone, false);
	check_all();
	root = inner_of(&t.pool, m->map.root);
	ck_assert_uint_eq(root->n, 2);
	ck_assert_uint_gt(inner_of(&t.pool, root->child[0])->n +
			  inner_of(&t.pool, root->child[1])->n, FAN);
	rm_clear(&m->map);
	free(m->starts);
	free(m->len);
	free(m->val);
	rm_pool_fini(&t.pool);
}

START_TEST(rangemap_shapes)
{
	straddle();
	even_out_inner();
}
END_TEST

Suite *suite_rangemap(void)
{
	Suite *s = suite_create("range map");
	TCase *tc = tcase_create("random");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, rangemap_dense);
	tcase_add_test(tc, rangemap_top);
	tcase_add_test(tc, rangemap_deep);
	tcase_add_test(tc, rangemap_walk_while_growing);
	tcase_add_test(tc, rangemap_shapes);
	suite_add_tcase(s, tc);
	return s;
}
