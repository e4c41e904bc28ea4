/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * An ordered map of non-overlapping ranges [start, start + len) with a
 * 64-bit value each, for the shadow tracker.  A treap whose priorities are
 * a hash of the node index (no storage), over a pool of 32-byte nodes
 * addressed by 32-bit indices and allocated in fixed chunks: O(log n)
 * expected per update and no per-node malloc overhead.
 */
#ifndef IOMMUNEST_RANGEMAP_H
#define IOMMUNEST_RANGEMAP_H

#include <stdbool.h>
#include <stdint.h>

#define RM_NIL 0u /* index 0 is never a node */

struct rm_node {
	uint64_t start;
	uint64_t len;
	uint64_t val;   /* advanced with start when a node is cut */
	uint32_t left;
	uint32_t right;
};

/* Nodes of every map of one tracker. */
struct rm_pool {
	struct rm_node **chunks;
	uint32_t nchunks;
	uint32_t next;      /* first never-used index */
	uint32_t free_head; /* freed nodes, chained through .left */
	uint64_t live;
};

struct rangemap {
	struct rm_pool *pool;
	uint32_t root;
	uint64_t count;
};

void rm_pool_init(struct rm_pool *pool);
void rm_pool_fini(struct rm_pool *pool);
/* Bytes the pool holds, for the memory figures. */
uint64_t rm_pool_bytes(const struct rm_pool *pool);

void rm_init(struct rangemap *map, struct rm_pool *pool);
/* Frees every node. */
void rm_clear(struct rangemap *map);

struct rm_node *rm_at(const struct rm_pool *pool, uint32_t idx);

/* Insert a range that overlaps none in the map; -ENOMEM. */
int rm_insert(struct rangemap *map, uint64_t start, uint64_t len,
	      uint64_t val);
/* The node with the greatest start <= key, or RM_NIL. */
uint32_t rm_find_le(const struct rangemap *map, uint64_t key);
/* Does any node overlap [start, start + len)? */
bool rm_overlaps(const struct rangemap *map, uint64_t start, uint64_t len);
/* If a node strictly contains key, split it there; -ENOMEM. */
int rm_cut(struct rangemap *map, uint64_t key);

/* Visit, in order, the nodes overlapping [start, start + len). */
typedef int (*rm_visit_fn)(void *arg, const struct rm_node *node);
int rm_walk(const struct rangemap *map, uint64_t start, uint64_t len,
	    rm_visit_fn fn, void *arg);

/* Remove the nodes whose start lies in [start, start + len) (cut the
 * boundaries first for an exact range), visiting each in order before it
 * is freed.  A visit error stops nothing: every node is removed. */
int rm_remove(struct rangemap *map, uint64_t start, uint64_t len,
	      rm_visit_fn fn, void *arg);

#endif /* IOMMUNEST_RANGEMAP_H */
