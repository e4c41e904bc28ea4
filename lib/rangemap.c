/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Ordered range map: a treap over pooled nodes (see rangemap.h). */
#include <errno.h>
#include <stdlib.h>

#include "rangemap.h"

#define CHUNK_SHIFT 12 /* 4096 nodes, 128 KiB a chunk */
#define CHUNK_NODES (1u << CHUNK_SHIFT)
#define MAX_CHUNKS (1u << (32 - CHUNK_SHIFT))

void rm_pool_init(struct rm_pool *pool)
{
	*pool = (struct rm_pool){ .next = 1 }; /* index 0 is RM_NIL */
}

void rm_pool_fini(struct rm_pool *pool)
{
	uint32_t i;

	for (i = 0; i < pool->nchunks; i++)
		free(pool->chunks[i]);
	free(pool->chunks);
	rm_pool_init(pool);
}

uint64_t rm_pool_bytes(const struct rm_pool *pool)
{
	return (uint64_t)pool->nchunks * CHUNK_NODES * sizeof(struct rm_node) +
	       (uint64_t)pool->nchunks * sizeof(*pool->chunks);
}

struct rm_node *rm_at(const struct rm_pool *pool, uint32_t idx)
{
	return &pool->chunks[idx >> CHUNK_SHIFT][idx & (CHUNK_NODES - 1)];
}

/* The chunk table grows by doubling; chunks themselves never move, so
 * node pointers stay valid while a map is being changed. */
static int grow(struct rm_pool *pool)
{
	uint32_t n = pool->nchunks;
	struct rm_node **t;

	if (n == MAX_CHUNKS)
		return -ENOMEM;
	if (!(n & (n - 1))) { /* 0 or a power of two: double the table */
		t = realloc(pool->chunks, (n ? 2 * n : 1) * sizeof(*t));
		if (!t)
			return -ENOMEM;
		pool->chunks = t;
	}
	pool->chunks[n] = malloc(CHUNK_NODES * sizeof(struct rm_node));
	if (!pool->chunks[n])
		return -ENOMEM;
	pool->nchunks = n + 1;
	return 0;
}

static uint32_t node_alloc(struct rm_pool *pool)
{
	uint32_t idx = pool->free_head;

	if (idx) {
		pool->free_head = rm_at(pool, idx)->left;
	} else {
		if (pool->next == UINT32_MAX) /* every index is in use */
			return RM_NIL;
		if ((pool->next >> CHUNK_SHIFT) >= pool->nchunks && grow(pool))
			return RM_NIL;
		idx = pool->next++;
	}
	pool->live++;
	return idx;
}

static void node_free(struct rm_pool *pool, uint32_t idx)
{
	rm_at(pool, idx)->left = pool->free_head;
	pool->free_head = idx;
	pool->live--;
}

/* Heap priority: a mixing hash of the index, so it costs no storage. */
static uint32_t prio(uint32_t idx)
{
	idx ^= idx >> 16;
	idx *= 0x7feb352du;
	idx ^= idx >> 15;
	idx *= 0x846ca68bu;
	return idx ^ (idx >> 16);
}

void rm_init(struct rangemap *map, struct rm_pool *pool)
{
	*map = (struct rangemap){ .pool = pool };
}

/* Split t into nodes starting below key (*l) and the rest (*r). */
static void split(struct rm_pool *p, uint32_t t, uint64_t key, uint32_t *l,
		  uint32_t *r)
{
	struct rm_node *n;

	if (!t) {
		*l = *r = RM_NIL;
		return;
	}
	n = rm_at(p, t);
	if (n->start < key) {
		split(p, n->right, key, &n->right, r);
		*l = t;
	} else {
		split(p, n->left, key, l, &n->left);
		*r = t;
	}
}

/* Join two treaps where every start in l is below every start in r. */
static uint32_t merge(struct rm_pool *p, uint32_t l, uint32_t r)
{
	if (!l)
		return r;
	if (!r)
		return l;
	if (prio(l) > prio(r)) {
		rm_at(p, l)->right = merge(p, rm_at(p, l)->right, r);
		return l;
	}
	rm_at(p, r)->left = merge(p, l, rm_at(p, r)->left);
	return r;
}

/* Descend to where x's priority belongs, then split the subtree there. */
static uint32_t insert_node(struct rm_pool *p, uint32_t t, uint32_t x)
{
	struct rm_node *n, *nx = rm_at(p, x);

	if (!t) {
		return x;
	}
	if (prio(x) > prio(t)) {
		split(p, t, nx->start, &nx->left, &nx->right);
		return x;
	}
	n = rm_at(p, t);
	if (nx->start < n->start)
		n->left = insert_node(p, n->left, x);
	else
		n->right = insert_node(p, n->right, x);
	return t;
}

int rm_insert(struct rangemap *map, uint64_t start, uint64_t len,
	      uint64_t val)
{
	uint32_t x = node_alloc(map->pool);
	struct rm_node *n;

	if (!x)
		return -ENOMEM;
	n = rm_at(map->pool, x);
	*n = (struct rm_node){ .start = start, .len = len, .val = val };
	map->root = insert_node(map->pool, map->root, x);
	map->count++;
	return 0;
}

uint32_t rm_find_le(const struct rangemap *map, uint64_t key)
{
	uint32_t t = map->root, best = RM_NIL;

	while (t) {
		const struct rm_node *n = rm_at(map->pool, t);

		if (n->start <= key) {
			best = t;
			t = n->right;
		} else {
			t = n->left;
		}
	}
	return best;
}

/* The first node with start >= key, or RM_NIL. */
static uint32_t find_ge(const struct rangemap *map, uint64_t key)
{
	uint32_t t = map->root, best = RM_NIL;

	while (t) {
		const struct rm_node *n = rm_at(map->pool, t);

		if (n->start >= key) {
			best = t;
			t = n->left;
		} else {
			t = n->right;
		}
	}
	return best;
}

bool rm_overlaps(const struct rangemap *map, uint64_t start, uint64_t len)
{
	uint32_t le = rm_find_le(map, start), ge;

	if (le) {
		const struct rm_node *n = rm_at(map->pool, le);

		if (n->start + n->len > start)
			return true;
	}
	ge = find_ge(map, start);
	return ge && rm_at(map->pool, ge)->start < start + len;
}

int rm_cut(struct rangemap *map, uint64_t key)
{
	uint32_t idx = rm_find_le(map, key);
	struct rm_node *n;
	uint64_t head, val;

	if (!idx)
		return 0;
	n = rm_at(map->pool, idx);
	if (n->start == key || n->start + n->len <= key)
		return 0;
	head = key - n->start;
	val = n->val + head;
	/* Insert the tail first: on ENOMEM the node is still whole. */
	if (rm_insert(map, key, n->len - head, val))
		return -ENOMEM;
	rm_at(map->pool, idx)->len = head;
	return 0;
}

struct walk {
	const struct rm_pool *pool;
	uint64_t start, end;
	rm_visit_fn fn;
	void *arg;
};

/* In order, pruned to the subtrees that can overlap [start, end). */
static int walk(const struct walk *w, uint32_t t)
{
	const struct rm_node *n;
	int rc;

	if (!t)
		return 0;
	n = rm_at(w->pool, t);
	if (w->start < n->start) {
		rc = walk(w, n->left);
		if (rc)
			return rc;
	}
	if (n->start < w->end && n->start + n->len > w->start) {
		rc = w->fn(w->arg, n);
		if (rc)
			return rc;
	}
	return n->start < w->end ? walk(w, n->right) : 0;
}

int rm_walk(const struct rangemap *map, uint64_t start, uint64_t len,
	    rm_visit_fn fn, void *arg)
{
	struct walk w = { map->pool, start, start + len, fn, arg };

	return walk(&w, map->root);
}

/* Visit in order and free every node of a detached subtree. */
static int drain(struct rangemap *map, uint32_t t, rm_visit_fn fn,
		 void *arg)
{
	struct rm_node *n;
	uint32_t right;
	int rc = 0, r;

	if (!t)
		return 0;
	n = rm_at(map->pool, t);
	rc = drain(map, n->left, fn, arg);
	if (fn) {
		r = fn(arg, n);
		rc = rc ? rc : r;
	}
	right = n->right;
	node_free(map->pool, t);
	map->count--;
	r = drain(map, right, fn, arg);
	return rc ? rc : r;
}

int rm_remove(struct rangemap *map, uint64_t start, uint64_t len,
	      rm_visit_fn fn, void *arg)
{
	uint32_t l, mid, r;

	split(map->pool, map->root, start, &l, &r);
	split(map->pool, r, start + len, &mid, &r);
	map->root = merge(map->pool, l, r);
	return drain(map, mid, fn, arg);
}

void rm_clear(struct rangemap *map)
{
	drain(map, map->root, NULL, NULL);
	map->root = RM_NIL;
}
