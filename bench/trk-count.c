/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Shadow-tracker benchmark in-process: a sink whose callbacks, copy
 * extension and replace only count, so what is measured is the tracker
 * itself.  Guest RAM is an address that is never touched: nothing here
 * dereferences it.
 *
 * Usage: trk-count [ROUNDS [M...]]
 */
#include <stdlib.h>

#include "bench.h"
#include "trk.h"

#define FAKE_HVA (1ull << 40)
#define MAX_SIZES 8

struct counts {
	uint64_t maps, unmaps, unmap_alls, replaces, copies, as_next;
};

static struct counts counts;

static int count_map(void *o, uint32_t as, uint64_t iova, uint64_t len,
		     void *hva, uint32_t perm)
{
	(void)as, (void)iova, (void)len, (void)hva, (void)perm;
	((struct counts *)o)->maps++;
	return 0;
}

static int count_unmap(void *o, uint32_t as, uint64_t iova, uint64_t len)
{
	(void)as, (void)iova, (void)len;
	((struct counts *)o)->unmaps++;
	return 0;
}

static int count_unmap_all(void *o, uint32_t as)
{
	(void)as;
	((struct counts *)o)->unmap_alls++;
	return 0;
}

static int count_as_alloc(void *o, uint32_t *as)
{
	*as = (uint32_t)++((struct counts *)o)->as_next;
	return 0;
}

static int count_as_free(void *o, uint32_t as)
{
	(void)o, (void)as;
	return 0;
}

static int count_copy(void *o, uint32_t from, uint32_t to, uint64_t iova,
		      uint64_t len, uint32_t perm)
{
	(void)from, (void)to, (void)iova, (void)len, (void)perm;
	((struct counts *)o)->copies++;
	return 0;
}

static int count_replace(void *o, uint32_t pt)
{
	(void)pt;
	((struct counts *)o)->replaces++;
	return 0;
}

static void stay_home(void *o)
{
	(void)o;
}

static void *ram_get(uint64_t len)
{
	(void)len;
	return (void *)(uintptr_t)FAKE_HVA;
}

static void ram_put(void *hva, uint64_t len)
{
	(void)hva, (void)len;
}

int main(int argc, char **argv)
{
	static const struct iommunest_sink sink = {
		.map = count_map, .unmap = count_unmap,
		.unmap_all = count_unmap_all, .as_alloc = count_as_alloc,
		.as_free = count_as_free, .opaque = &counts,
	};
	static const struct trk_shared shared = {
		.how = "1 replace", .replace = count_replace,
		.go_home = stay_home, .opaque = &counts,
	};
	static const struct iommunest_sink_ext ext = {
		.size = sizeof(ext), .copy = count_copy,
	};
	static const struct trk_noholes noholes = {
		.how = "replace + copy", .as = 1000002,
		.replace = count_replace, .opaque = &counts, .ext = &ext,
	};
	uint64_t sizes[MAX_SIZES] = { 1000, 65536, 1048576 };
	struct trk_env env = {
		.profile = "in-process",
		.sink = &sink,
		.own_as = 1000000, .qemu_as = 1000001,
		.shared = &shared, .nshared = 1, .noholes = &noholes,
		.ram_get = ram_get, .ram_put = ram_put,
		.sizes = sizes, .nsizes = 3,
		.rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 11,
		.slice_ns = 2000000, .round_ns = 20000000,
	};
	int i;

	if (argc > 2) {
		for (i = 2; i < argc && i - 2 < MAX_SIZES; i++)
			sizes[i - 2] = strtoull(argv[i], NULL, 0);
		env.nsizes = (unsigned int)(i - 2);
	}
	trk_run(&env);
	return 0;
}
