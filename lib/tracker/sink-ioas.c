/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The tracker's sink onto IOASes: where layer 1 meets the object layer. */
#include "internal.h"
#include "libiommunest/tracker.h"

static int ioas_map(void *ctx, uint32_t as, uint64_t iova, uint64_t length,
		    void *hva, uint32_t perm)
{
	return iommunest_ioas_map(ctx, as, hva, length, iova, perm);
}

static int ioas_unmap(void *ctx, uint32_t as, uint64_t iova, uint64_t length)
{
	return iommunest_ioas_unmap(ctx, as, iova, length, NULL);
}

static int ioas_unmap_all(void *ctx, uint32_t as)
{
	return iommunest_ioas_unmap_all(ctx, as, NULL);
}

static int ioas_alloc(void *ctx, uint32_t *as)
{
	return iommunest_ioas_alloc(ctx, as);
}

static int ioas_free(void *ctx, uint32_t as)
{
	return iommunest_destroy(ctx, as);
}

INEST_EXPORT int iommunest_sink_ioas(struct iommunest_ctx *ctx,
				     struct iommunest_sink *sink)
{
	if (!inest_ctx_ok(ctx) || !sink)
		return -EINVAL;
	*sink = (struct iommunest_sink){
		.map = ioas_map,
		.unmap = ioas_unmap,
		.unmap_all = ioas_unmap_all,
		.as_alloc = ioas_alloc,
		.as_free = ioas_free,
		.opaque = ctx,
	};
	return 0;
}

static int ioas_copy(void *ctx, uint32_t from, uint32_t to, uint64_t iova,
		     uint64_t length, uint32_t perm)
{
	return iommunest_ioas_copy(ctx, to, iova, from, iova, length, perm);
}

INEST_EXPORT int iommunest_sink_ioas_ext(struct iommunest_ctx *ctx,
					 struct iommunest_sink_ext *ext)
{
	if (!inest_ctx_ok(ctx) || !ext)
		return -EINVAL;
	*ext = (struct iommunest_sink_ext){
		.size = sizeof(*ext),
		.copy = ioas_copy,
	};
	return 0;
}
