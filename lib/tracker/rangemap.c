/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Ordered range map: a B+-tree over pooled blocks (see rangemap.h).
 *
 * The calls of one tracker update all land on the same leaf, so the map
 * remembers the last leaf it reached and the keys that lead there (the
 * hint): one descent serves them all.  Only a change of the tree's shape
 * (a leaf full or short) descends again, noting the path, and drops the
 * hint.  A block's lines are all fetched at once when it is reached, so a
 * cold descent costs about one memory latency a level; blocks are large,
 * so that the inner levels are few and small enough to stay cached.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rangemap.h"

#define BLOCK 768               /* bytes, 12 cache lines */
#define LEAF_CAP 31             /* (BLOCK - 24) / 24 */
#define LEAF_MIN (LEAF_CAP / 2) /* shorter: merge with a sibling or borrow */
#define FAN 64                  /* children of an inner node: BLOCK / 12 */
#define FAN_MIN (FAN / 4)
/* A handle is block << SLOT_BITS | (slot + 1), in 32 bits. */
#define SLOT_BITS 6
#define MAX_BLOCKS (1u << (32 - SLOT_BITS))
/* Inner nodes below the root keep FAN_MIN children, so MAX_BLOCKS blocks
 * never make a tree more than 7 inner levels high. */
#define MAX_HEIGHT 8

/* Ranges in order of start; prev and next chain the leaves in order. */
struct rm_leaf {
	uint32_t n;
	uint32_t next; /* also the free-list link of a free block */
	uint32_t prev;
	uint32_t pad[3];
	struct rm_node e[LEAF_CAP];
};

/* Every start under child[i] is below key[i], every one under
 * child[i + 1] at or above it. */
struct rm_inner {
	uint32_t n; /* children */
	uint32_t pad;
	uint64_t key[FAN - 1];
	uint32_t child[FAN];
};

union rm_block {
	struct rm_leaf leaf;
	struct rm_inner inner;
};

_Static_assert(sizeof(union rm_block) == BLOCK && BLOCK % 64 == 0,
	       "whole cache lines");
_Static_assert(LEAF_CAP < (1 << SLOT_BITS), "a slot fits a handle");

struct path {
	uint32_t node[MAX_HEIGHT]; /* inner nodes from the root down */
	uint32_t slot[MAX_HEIGHT]; /* the child taken in each */
};

/* ---- the pool ------------------------------------------------------------ */

/*
 * Blocks [2^h, 2^(h+1)) lie in eight chunks of 2^(h-3) blocks (a block a
 * chunk below 16): the pool grows by an eighth at most, in single blocks
 * while small, and the chunk table stays short enough to stay cached.
 * Block b is in chunk 8 * s + (b >> s), s = max(h - 3, 0).  Chunk 0, for
 * block 0 (RM_NIL), is never made.
 */
static inline unsigned int chunk_shift(uint32_t b)
{
	unsigned int h = 31 - (unsigned int)__builtin_clz(b);

	return h > 3 ? h - 3 : 0;
}

static inline union rm_block *blk(const struct rm_pool *p, uint32_t b)
{
	unsigned int s = chunk_shift(b);

	return &p->chunks[8 * s + (b >> s)][b & ((1u << s) - 1)];
}

static inline struct rm_leaf *leaf_of(const struct rm_pool *p, uint32_t b)
{
	return &blk(p, b)->leaf;
}

static inline struct rm_inner *inner_of(const struct rm_pool *p, uint32_t b)
{
	return &blk(p, b)->inner;
}

/* A block is read all over: ask for its lines at once rather than meet
 * the misses one after another.  Always inlined: GCC may find a function
 * that only prefetches free of effects and drop the calls. */
static inline __attribute__((always_inline)) void
prefetch_block(const void *b)
{
	const char *c = b;
	unsigned int i;

#pragma GCC unroll 12
	for (i = 0; i < BLOCK; i += 64)
		__builtin_prefetch(c + i);
}

void rm_pool_init(struct rm_pool *pool)
{
	*pool = (struct rm_pool){ .nchunks = 1, .end = 1, .next = 1 };
}

void rm_pool_fini(struct rm_pool *pool)
{
	uint32_t i;

	for (i = 1; i < pool->nchunks; i++)
		free(pool->chunks[i]);
	free(pool->chunks);
	rm_pool_init(pool);
}

uint64_t rm_pool_bytes(const struct rm_pool *pool)
{
	return (uint64_t)(pool->end - 1) * sizeof(union rm_block) +
	       (uint64_t)pool->tabcap * sizeof(*pool->chunks);
}

static int grow(struct rm_pool *p)
{
	uint32_t c = p->nchunks, cap;
	uint32_t size = 1u << chunk_shift(p->end); /* the next chunk's */
	union rm_block **t;

	if (p->end > MAX_BLOCKS - size)
		return -ENOMEM;
	if (c >= p->tabcap) {
		cap = p->tabcap ? 2 * p->tabcap : 16;
		t = realloc(p->chunks, cap * sizeof(*t));
		if (!t)
			return -ENOMEM;
		t[0] = NULL;
		p->chunks = t;
		p->tabcap = cap;
	}
	p->chunks[c] = aligned_alloc(64, size * sizeof(union rm_block));
	if (!p->chunks[c])
		return -ENOMEM;
	p->nchunks = c + 1;
	p->end += size;
	return 0;
}

/* Make sure n blocks can be had, so that a change never fails half
 * done. */
static int reserve(struct rm_pool *p, uint32_t n)
{
	while (p->nfree + (p->end - p->next) < n)
		if (grow(p))
			return -ENOMEM;
	return 0;
}

/* Only after reserve(). */
static uint32_t block_alloc(struct rm_pool *p)
{
	uint32_t b = p->free_head;

	if (b) {
		p->free_head = leaf_of(p, b)->next;
		p->nfree--;
		return b;
	}
	return p->next++;
}

static void block_free(struct rm_pool *p, uint32_t b)
{
	leaf_of(p, b)->next = p->free_head;
	p->free_head = b;
	p->nfree++;
}

/* ---- finding ------------------------------------------------------------- */

void rm_init(struct rangemap *map, struct rm_pool *pool)
{
	*map = (struct rangemap){ .pool = pool };
}

struct rm_node *rm_at(const struct rm_pool *pool, uint32_t idx)
{
	return &leaf_of(pool, idx >> SLOT_BITS)
			->e[(idx & ((1u << SLOT_BITS) - 1)) - 1];
}

/* How many keys of an inner node are at or below key: the child to take.
 * A binary search by conditional moves, not branches. */
static inline unsigned int inner_pos(const struct rm_inner *in, uint64_t key)
{
	const uint64_t *k = in->key;
	unsigned int n = in->n - 1, half;

	while (n > 1) {
		half = n / 2;
		k = k[half] <= key ? k + half : k;
		n -= half;
	}
	return (unsigned int)(k - in->key) + (*k <= key);
}

/* How many ranges of a leaf (never empty) start at or below key. */
static inline unsigned int leaf_pos(const struct rm_leaf *l, uint64_t key)
{
	const struct rm_node *e = l->e;
	unsigned int n = l->n, half;

	while (n > 1) {
		half = n / 2;
		e = e[half].start <= key ? e + half : e;
		n -= half;
	}
	return (unsigned int)(e - l->e) + (e->start <= key);
}

/* The leaf where key belongs (its block in *bp), NULL if the map is
 * empty.  The hint is a cache, not content: a lookup may update it. */
static struct rm_leaf *find_leaf(const struct rangemap *cm, uint64_t key,
				 uint32_t *bp)
{
	struct rangemap *m = (struct rangemap *)cm;
	uint64_t lo = 0, hi = UINT64_MAX;
	uint32_t b = m->root;
	struct rm_leaf *l;
	unsigned int h, s;

	if (m->hint && key >= m->hint_lo && key <= m->hint_hi) {
		*bp = m->hint;
		return &m->hint_blk->leaf;
	}
	*bp = b;
	if (!b)
		return NULL;
	for (h = 0; h < m->height; h++) {
		const struct rm_inner *in = inner_of(m->pool, b);

		prefetch_block(in);
		s = inner_pos(in, key);
		if (s)
			lo = in->key[s - 1];
		if (s < in->n - 1)
			hi = in->key[s] - 1; /* a key is above some start */
		b = in->child[s];
	}
	l = leaf_of(m->pool, b);
	prefetch_block(l);
	m->hint = b;
	m->hint_blk = (union rm_block *)l;
	m->hint_lo = lo;
	m->hint_hi = hi;
	*bp = b;
	return l;
}

/* The way down to the leaf where key belongs, for changing the tree's
 * shape; it drops the hint, as such changes move keys between leaves. */
static void descend(struct rangemap *m, uint64_t key, struct path *pa)
{
	uint32_t b = m->root;
	unsigned int h, s;

	m->hint = RM_NIL;
	for (h = 0; h < m->height; h++) {
		const struct rm_inner *in = inner_of(m->pool, b);

		s = inner_pos(in, key);
		pa->node[h] = b;
		pa->slot[h] = s;
		b = in->child[s];
	}
}

/* The range before position pos of leaf l, maybe in the previous leaf. */
static struct rm_node *before(const struct rm_pool *p,
			      const struct rm_leaf *l, unsigned int pos)
{
	if (pos)
		return (struct rm_node *)&l->e[pos - 1];
	if (!l->prev)
		return NULL;
	l = leaf_of(p, l->prev);
	return (struct rm_node *)&l->e[l->n - 1];
}

/* The range at position pos of leaf l, maybe the next leaf's first. */
static const struct rm_node *from(const struct rm_pool *p,
				  const struct rm_leaf *l, unsigned int pos)
{
	if (pos < l->n)
		return &l->e[pos];
	return l->next ? &leaf_of(p, l->next)->e[0] : NULL;
}

void rm_prefetch(const struct rangemap *map, uint64_t key)
{
	uint32_t b;

	find_leaf(map, key, &b);
}

uint32_t rm_find_le(const struct rangemap *map, uint64_t key)
{
	uint32_t b;
	const struct rm_leaf *l = find_leaf(map, key, &b);
	unsigned int pos;

	if (!l)
		return RM_NIL;
	pos = leaf_pos(l, key);
	if (!pos) {
		b = l->prev;
		if (!b)
			return RM_NIL;
		pos = leaf_of(map->pool, b)->n;
	}
	return b << SLOT_BITS | pos;
}

bool rm_overlaps(const struct rangemap *map, uint64_t start, uint64_t len)
{
	uint32_t b;
	const struct rm_leaf *l = find_leaf(map, start, &b);
	const struct rm_node *n;
	unsigned int pos;

	if (!l)
		return false;
	pos = leaf_pos(l, start);
	n = before(map->pool, l, pos);
	if (n && n->start + n->len > start)
		return true;
	n = from(map->pool, l, pos);
	return n && n->start < start + len;
}

/* A walk will go on into the next leaf: have it on its way meanwhile. */
static inline void prefetch_next(const struct rm_pool *p,
				 const struct rm_leaf *l, uint64_t end)
{
	if (l->next && l->e[l->n - 1].start < end)
		prefetch_block(leaf_of(p, l->next));
}

int rm_walk(const struct rangemap *map, uint64_t start, uint64_t len,
	    rm_visit_fn fn, void *arg)
{
	uint64_t end = start + len;
	uint32_t b;
	const struct rm_leaf *l = find_leaf(map, start, &b);
	const struct rm_node *n;
	unsigned int i;
	int rc;

	if (!l)
		return 0;
	i = leaf_pos(l, start);
	/* Only the range before start can reach over it. */
	n = before(map->pool, l, i);
	if (n && n->start + n->len > start) {
		if (i) {
			i--;
		} else {
			l = leaf_of(map->pool, l->prev);
			i = l->n - 1;
		}
	}
	prefetch_next(map->pool, l, end);
	for (;;) {
		if (i == l->n) {
			if (!l->next)
				return 0;
			l = leaf_of(map->pool, l->next);
			prefetch_next(map->pool, l, end);
			i = 0;
		}
		n = &l->e[i++];
		if (n->start >= end)
			return 0;
		rc = fn(arg, n);
		if (rc)
			return rc;
	}
}

/* ---- inserting ----------------------------------------------------------- */

/* tmp = a's ranges then b's, with x put in at position at. */
static unsigned int gather(struct rm_node *tmp, const struct rm_leaf *a,
			   const struct rm_leaf *b, unsigned int at,
			   const struct rm_node *x)
{
	unsigned int n = a->n + b->n;

	memcpy(tmp, a->e, a->n * sizeof(*tmp));
	memcpy(tmp + a->n, b->e, b->n * sizeof(*tmp));
	memmove(tmp + at + 1, tmp + at, (n - at) * sizeof(*tmp));
	tmp[at] = *x;
	return n + 1;
}

/* The first nl of tmp to a, the rest to b. */
static void spread(const struct rm_node *tmp, unsigned int n,
		   unsigned int nl, struct rm_leaf *a, struct rm_leaf *b)
{
	memcpy(a->e, tmp, nl * sizeof(*tmp));
	a->n = nl;
	memcpy(b->e, tmp + nl, (n - nl) * sizeof(*tmp));
	b->n = n - nl;
}

/* Put key and child right of the slot taken at level lv of the path,
 * splitting full inner nodes on the way up.  Blocks are reserved. */
static void grow_up(struct rangemap *m, const struct path *pa,
		    unsigned int lv, uint64_t key, uint32_t child)
{
	struct rm_pool *p = m->pool;
	unsigned int s, nl, cnt;
	uint64_t k[FAN];
	uint32_t c[FAN + 1], b;
	struct rm_inner *in, *o;

	while (lv--) {
		in = inner_of(p, pa->node[lv]);
		s = pa->slot[lv];
		cnt = in->n - 1 - s; /* keys right of the new one */
		if (in->n < FAN) {
			memmove(&in->key[s + 1], &in->key[s], cnt * sizeof(*k));
			memmove(&in->child[s + 2], &in->child[s + 1],
				cnt * sizeof(*c));
			in->key[s] = key;
			in->child[s + 1] = child;
			in->n++;
			return;
		}
		/* Full: FAN + 1 children in two nodes, a key between them
		 * going up.  When appending, as a map built in order does,
		 * the old node stays nearly full. */
		nl = s + 1 == FAN ? FAN + 1 - FAN_MIN : (FAN + 1) / 2;
		memcpy(k, in->key, s * sizeof(*k));
		k[s] = key;
		memcpy(&k[s + 1], &in->key[s], cnt * sizeof(*k));
		memcpy(c, in->child, (s + 1) * sizeof(*c));
		c[s + 1] = child;
		memcpy(&c[s + 2], &in->child[s + 1], cnt * sizeof(*c));
		b = block_alloc(p);
		o = inner_of(p, b);
		memcpy(in->key, k, (nl - 1) * sizeof(*k));
		memcpy(in->child, c, nl * sizeof(*c));
		in->n = nl;
		o->n = FAN + 1 - nl;
		memcpy(o->key, &k[nl], (o->n - 1) * sizeof(*k));
		memcpy(o->child, &c[nl], o->n * sizeof(*c));
		key = k[nl - 1];
		child = b;
	}
	b = block_alloc(p);
	in = inner_of(p, b);
	in->n = 2;
	in->key[0] = key;
	in->child[0] = m->root;
	in->child[1] = child;
	m->root = b;
	m->height++;
}

/* Leaf b is full: share with a sibling that has room (fuller leaves, no
 * new block), else split it.  Fails only before changing anything. */
static int insert_full(struct rangemap *m, uint32_t b, unsigned int pos,
		       const struct rm_node *x)
{
	struct rm_node tmp[2 * LEAF_CAP + 1];
	struct rm_pool *p = m->pool;
	struct rm_leaf *l = leaf_of(p, b), *left = NULL, *right = NULL, *o;
	unsigned int h = m->height, s, n, nl;
	struct rm_inner *par = NULL;
	struct path pa;
	uint32_t nb;

	descend(m, x->start, &pa);
	if (h) {
		par = inner_of(p, pa.node[h - 1]);
		s = pa.slot[h - 1];
		if (s > 0)
			prefetch_block(left = leaf_of(p, par->child[s - 1]));
		if (s + 1 < par->n)
			prefetch_block(right = leaf_of(p, par->child[s + 1]));
		if (left && left->n < LEAF_CAP) {
			n = gather(tmp, left, l, left->n + pos, x);
			spread(tmp, n, n / 2, left, l);
			par->key[s - 1] = l->e[0].start;
			m->count++;
			return 0;
		}
		if (right && right->n < LEAF_CAP) {
			n = gather(tmp, l, right, pos, x);
			spread(tmp, n, n / 2, l, right);
			par->key[s] = right->e[0].start;
			m->count++;
			return 0;
		}
	}
	/* A new leaf, and maybe one a level and a root above. */
	if (h == MAX_HEIGHT || reserve(p, h + 2))
		return -ENOMEM;
	nb = block_alloc(p);
	o = leaf_of(p, nb);
	o->n = 0;
	n = gather(tmp, l, o, pos, x);
	/* Appending at the very end, as a map built in order does: keep
	 * the old leaf full. */
	nl = pos == LEAF_CAP && !l->next ? LEAF_CAP : n / 2;
	spread(tmp, n, nl, l, o);
	o->prev = b;
	o->next = l->next;
	if (l->next)
		leaf_of(p, l->next)->prev = nb;
	l->next = nb;
	grow_up(m, &pa, h, o->e[0].start, nb);
	m->count++;
	return 0;
}

/* Insert x at position pos of leaf l (block b), where x->start belongs;
 * l is NULL if the map is empty. */
static int insert_at(struct rangemap *m, struct rm_leaf *l, uint32_t b,
		     unsigned int pos, const struct rm_node *x)
{
	if (!l) {
		if (reserve(m->pool, 1))
			return -ENOMEM;
		b = block_alloc(m->pool);
		l = leaf_of(m->pool, b);
		*l = (struct rm_leaf){ .n = 1, .e[0] = *x };
		m->root = b;
		m->count++;
		return 0;
	}
	if (l->n == LEAF_CAP)
		return insert_full(m, b, pos, x);
	memmove(&l->e[pos + 1], &l->e[pos], (l->n - pos) * sizeof(*x));
	l->e[pos] = *x;
	l->n++;
	m->count++;
	return 0;
}

int rm_insert(struct rangemap *map, uint64_t start, uint64_t len,
	      uint64_t val)
{
	struct rm_node x = { start, len, val };
	uint32_t b;
	struct rm_leaf *l = find_leaf(map, start, &b);

	return insert_at(map, l, b, l ? leaf_pos(l, start) : 0, &x);
}

int rm_cut(struct rangemap *map, uint64_t key)
{
	uint32_t b;
	struct rm_leaf *l = find_leaf(map, key, &b);
	struct rm_node *n, x;
	unsigned int pos;
	uint64_t head;
	int rc;

	if (!l)
		return 0;
	pos = leaf_pos(l, key);
	n = before(map->pool, l, pos);
	if (!n || n->start == key || n->start + n->len <= key)
		return 0;
	head = key - n->start;
	x = (struct rm_node){ key, n->len - head, n->val + head };
	/* The tail starts at key, so it goes where key leads.  An insert
	 * that fails has moved nothing: n is still there to mend. */
	n->len = head;
	rc = insert_at(map, l, b, pos, &x);
	if (rc)
		n->len += x.len;
	return rc;
}

/* ---- removing ------------------------------------------------------------ */

/* Take key ks and child ks + 1 out of the inner node at level lv of the
 * path, then merge or even out short inner nodes on the way up. */
static void drop_child(struct rangemap *m, const struct path *pa,
		       unsigned int lv, unsigned int ks)
{
	struct rm_pool *p = m->pool;
	struct rm_inner *in, *par, *a, *c;
	unsigned int cnt, d;
	uint32_t b;

	for (;;) {
		b = pa->node[lv];
		in = inner_of(p, b);
		cnt = in->n - 2 - ks;
		memmove(&in->key[ks], &in->key[ks + 1], cnt * sizeof(in->key[0]));
		memmove(&in->child[ks + 1], &in->child[ks + 2],
			cnt * sizeof(in->child[0]));
		in->n--;
		if (!lv) {
			if (in->n == 1) { /* a root of one child: drop a level */
				m->root = in->child[0];
				m->height--;
				block_free(p, b);
			}
			return;
		}
		if (in->n >= FAN_MIN)
			return;
		par = inner_of(p, pa->node[lv - 1]);
		ks = pa->slot[lv - 1] ? pa->slot[lv - 1] - 1 : 0;
		a = inner_of(p, par->child[ks]);
		c = inner_of(p, par->child[ks + 1]);
		if (a->n + c->n <= FAN) {
			/* Merge c into a, the parent's key between them. */
			a->key[a->n - 1] = par->key[ks];
			memcpy(&a->key[a->n], c->key,
			       (c->n - 1) * sizeof(c->key[0]));
			memcpy(&a->child[a->n], c->child,
			       c->n * sizeof(c->child[0]));
			a->n += c->n;
			block_free(p, par->child[ks + 1]);
			lv--;
			continue;
		}
		/* Even them out, rotating keys through the parent. */
		d = (a->n + c->n) / 2;
		if (a->n < d) {
			d -= a->n;
			a->key[a->n - 1] = par->key[ks];
			memcpy(&a->key[a->n], c->key,
			       (d - 1) * sizeof(c->key[0]));
			memcpy(&a->child[a->n], c->child,
			       d * sizeof(c->child[0]));
			par->key[ks] = c->key[d - 1];
			memmove(c->key, &c->key[d],
				(c->n - 1 - d) * sizeof(c->key[0]));
			memmove(c->child, &c->child[d],
				(c->n - d) * sizeof(c->child[0]));
			a->n += d;
			c->n -= d;
		} else {
			d = a->n - d;
			memmove(&c->key[d], c->key,
				(c->n - 1) * sizeof(c->key[0]));
			memmove(&c->child[d], c->child,
				c->n * sizeof(c->child[0]));
			c->key[d - 1] = par->key[ks];
			memcpy(c->key, &a->key[a->n - d],
			       (d - 1) * sizeof(c->key[0]));
			memcpy(c->child, &a->child[a->n - d],
			       d * sizeof(c->child[0]));
			par->key[ks] = a->key[a->n - d - 1];
			a->n -= d;
			c->n += d;
		}
		return;
	}
}

/* The leaf where key belongs is short: merge it with a sibling, or even
 * the two out. */
static void leaf_refill(struct rangemap *m, uint64_t key)
{
	struct rm_pool *p = m->pool;
	unsigned int h = m->height, ks, n, nl, d;
	struct rm_inner *par;
	struct rm_leaf *a, *c;
	struct path pa;
	uint32_t cb;

	descend(m, key, &pa);
	par = inner_of(p, pa.node[h - 1]);
	ks = pa.slot[h - 1] ? pa.slot[h - 1] - 1 : 0;
	cb = par->child[ks + 1];
	a = leaf_of(p, par->child[ks]);
	c = leaf_of(p, cb);
	n = a->n + c->n;
	if (n <= LEAF_CAP) {
		memcpy(&a->e[a->n], c->e, c->n * sizeof(c->e[0]));
		a->n = n;
		a->next = c->next;
		if (c->next)
			leaf_of(p, c->next)->prev = par->child[ks];
		block_free(p, cb);
		drop_child(m, &pa, h - 1, ks);
		return;
	}
	nl = n / 2;
	if (a->n > nl) {
		d = a->n - nl;
		memmove(&c->e[d], c->e, c->n * sizeof(c->e[0]));
		memcpy(c->e, &a->e[nl], d * sizeof(c->e[0]));
	} else {
		d = nl - a->n;
		memcpy(&a->e[a->n], c->e, d * sizeof(c->e[0]));
		memmove(c->e, &c->e[d], (c->n - d) * sizeof(c->e[0]));
	}
	a->n = nl;
	c->n = n - nl;
	par->key[ks] = c->e[0].start;
}

/* Drop ranges [i, j) of leaf l (block b), where key belongs. */
static void leaf_drop(struct rangemap *m, uint64_t key, struct rm_leaf *l,
		      uint32_t b, unsigned int i, unsigned int j)
{
	memmove(&l->e[i], &l->e[j], (l->n - j) * sizeof(l->e[0]));
	l->n -= j - i;
	m->count -= j - i;
	if (l->n >= LEAF_MIN)
		return;
	if (m->height) {
		leaf_refill(m, key);
	} else if (!l->n) {
		block_free(m->pool, b);
		m->root = RM_NIL;
		m->hint = RM_NIL;
	}
}

/* Free every block of a tree: depth first, without recursion. */
static void free_tree(struct rm_pool *p, uint32_t root, unsigned int height)
{
	uint32_t node[MAX_HEIGHT + 1];
	unsigned int next[MAX_HEIGHT + 1];
	unsigned int d = 0;
	struct rm_inner *in;

	node[0] = root;
	next[0] = 0;
	for (;;) {
		if (d < height) {
			in = inner_of(p, node[d]);
			if (next[d] < in->n) {
				node[d + 1] = in->child[next[d]++];
				next[d + 1] = 0;
				d++;
				continue;
			}
		}
		block_free(p, node[d]);
		if (!d)
			return;
		d--;
	}
}

void rm_clear(struct rangemap *map)
{
	if (map->root)
		free_tree(map->pool, map->root, map->height);
	rm_init(map, map->pool);
}

/* The first or the last leaf. */
static const struct rm_leaf *edge_leaf(const struct rangemap *m, bool last)
{
	uint32_t b = m->root;
	unsigned int h;

	for (h = 0; h < m->height; h++) {
		const struct rm_inner *in = inner_of(m->pool, b);

		b = in->child[last ? in->n - 1 : 0];
	}
	return leaf_of(m->pool, b);
}

/* Everything goes: visit along the leaf chain, then free the lot. */
static int remove_all(struct rangemap *map, rm_visit_fn fn, void *arg)
{
	const struct rm_leaf *l = edge_leaf(map, false);
	unsigned int i;
	int rc = 0, r;

	for (; fn; l = leaf_of(map->pool, l->next)) {
		for (i = 0; i < l->n; i++) {
			r = fn(arg, &l->e[i]);
			rc = rc ? rc : r;
		}
		if (!l->next)
			break;
	}
	rm_clear(map);
	return rc;
}

int rm_remove(struct rangemap *map, uint64_t start, uint64_t len,
	      rm_visit_fn fn, void *arg)
{
	uint64_t end = start + len, key = start;
	const struct rm_leaf *last;
	struct rm_leaf *l;
	unsigned int i, j;
	int rc = 0, r;
	uint32_t b;
	bool done;

	if (!map->root)
		return 0;
	if (!start) { /* as when emptying an address space */
		last = edge_leaf(map, true);
		if (last->e[last->n - 1].start < end)
			return remove_all(map, fn, arg);
	}
	/* A leaf at a time; what is left of a short leaf may move to its
	 * sibling, so look again from start after each. */
	while ((l = find_leaf(map, key, &b))) {
		i = start ? leaf_pos(l, start - 1) : 0;
		if (i == l->n) {
			/* Nothing here from start on: try the next leaf. */
			if (!l->next ||
			    leaf_of(map->pool, l->next)->e[0].start >= end)
				break;
			key = leaf_of(map->pool, l->next)->e[0].start;
			continue;
		}
		for (j = i; j < l->n && l->e[j].start < end; j++) {
			if (fn) {
				r = fn(arg, &l->e[j]);
				rc = rc ? rc : r;
			}
		}
		if (j == i)
			break;
		done = j < l->n; /* stopped inside the leaf */
		leaf_drop(map, key, l, b, i, j);
		if (done)
			break;
		key = start;
	}
	return rc;
}
