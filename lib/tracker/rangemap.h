/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * An ordered map of non-overlapping ranges [start, start + len) with a
 * 64-bit value each, for the shadow tracker.  A B+-tree: leaves hold up
 * to 31 ranges in order and are chained both ways, inner nodes up to 64
 * children.  Every node is one 768-byte block (12 cache lines) of a pool
 * shared by the maps of one tracker and addressed by 32-bit indices, so a
 * lookup among a million ranges reads four blocks, the upper ones hot in
 * the cache, and a range costs about 30 bytes.  Depth is O(log n) and
 * bounded by the index space; nothing recurses.  Lookups take a const map
 * but may move its hint, a cache of where the last one went.
 */
#ifndef IOMMUNEST_RANGEMAP_H
#define IOMMUNEST_RANGEMAP_H

#include <stdbool.h>
#include <stdint.h>

#define RM_NIL 0u /* no range */

struct rm_node {
	uint64_t start;
	uint64_t len;
	uint64_t val; /* advanced with start when a range is cut */
};

union rm_block;

/* Blocks of every map of one tracker, in chunks that add an eighth at
 * most.  Chunks never move, so a range read during a walk of one map
 * stays put while the visitor changes another. */
struct rm_pool {
	union rm_block **chunks;
	uint32_t nchunks;
	uint32_t tabcap;    /* slots in chunks[] */
	uint32_t end;       /* first block no chunk holds */
	uint32_t next;      /* first never-used block */
	uint32_t free_head; /* freed blocks */
	uint32_t nfree;
};

struct rangemap {
	struct rm_pool *pool;
	uint32_t root;
	uint32_t height;  /* inner levels above the leaves */
	uint64_t count;
	/* The leaf last reached and the keys that lead there, lo <= key
	 * <= hi: the next operation is most often about the same place. */
	uint32_t hint;
	union rm_block *hint_blk;
	uint64_t hint_lo, hint_hi;
};

void rm_pool_init(struct rm_pool *pool);
void rm_pool_fini(struct rm_pool *pool);
/* Bytes the pool holds, for the memory figures. */
uint64_t rm_pool_bytes(const struct rm_pool *pool);

void rm_init(struct rangemap *map, struct rm_pool *pool);
/* Frees every range. */
void rm_clear(struct rangemap *map);

/* The range a handle names; valid until its map next changes. */
struct rm_node *rm_at(const struct rm_pool *pool, uint32_t idx);

/* Insert a range that overlaps none in the map; -ENOMEM. */
int rm_insert(struct rangemap *map, uint64_t start, uint64_t len,
	      uint64_t val);
/* Start fetching the leaf where key belongs, to overlap its cache miss
 * with other work before the map is used there. */
void rm_prefetch(const struct rangemap *map, uint64_t key);
/* A handle on the range with the greatest start <= key, or RM_NIL. */
uint32_t rm_find_le(const struct rangemap *map, uint64_t key);
/* Does any range overlap [start, start + len)? */
bool rm_overlaps(const struct rangemap *map, uint64_t start, uint64_t len);
/* If a range strictly contains key, split it there; -ENOMEM leaves it
 * whole. */
int rm_cut(struct rangemap *map, uint64_t key);

/* Visit, in order, the ranges overlapping [start, start + len); a
 * non-zero return stops the walk and is returned.  The visitor must not
 * change this map (it may change others of the pool). */
typedef int (*rm_visit_fn)(void *arg, const struct rm_node *node);
int rm_walk(const struct rangemap *map, uint64_t start, uint64_t len,
	    rm_visit_fn fn, void *arg);

/* Remove the ranges whose start lies in [start, start + len) (cut the
 * boundaries first for an exact range), visiting each in order before it
 * is freed.  A visit error stops nothing: every range is removed, and the
 * first error is returned. */
int rm_remove(struct rangemap *map, uint64_t start, uint64_t len,
	      rm_visit_fn fn, void *arg);

#endif /* IOMMUNEST_RANGEMAP_H */
