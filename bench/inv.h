/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Invalidation benchmark: the library's batch (add + flush) against a
 * hand-written IOMMU_HWPT_INVALIDATE loop submitting the same batches,
 * and against one entry per ioctl, for batches of 1 to 1024 entries of
 * the mock IOMMU's selftest type (8 bytes each).
 */
#ifndef BENCH_INV_H
#define BENCH_INV_H

#include <stdint.h>

#include "libiommunest/iommunest.h"

struct inv_env {
	const char *profile;       /* table column: where it ran */
	struct iommunest_ctx *ctx;
	uint32_t hwpt;             /* a nested HWPT taking selftest entries */
	unsigned int rounds;
	unsigned int slices;       /* per round (bench.h) */
	uint64_t slice_ns;         /* aim for one variant's slice */
};

void inv_run(const struct inv_env *env);

#endif /* BENCH_INV_H */
