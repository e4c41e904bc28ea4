/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The benchmarks against a real kernel: the test VM's mock profile, run
 * by tools/bench through tests/vm/run-vm.sh --show.  Invalidation goes to
 * a nested HWPT of the selftest type on a NEST_PARENT parent; the tracker
 * drives IOASes with mock devices attached through the IOAS sink and its
 * copy extension.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"
#include "inv.h"
#include "layout.h"
#include "trk.h"
#include "../tests/vm/vmtest.h"

/* Guest RAM for the tracker is one small memfd mapped over and over: the
 * guest has 512 MiB, the layouts need up to 1 GiB of guest-physical
 * space, and pinning the same page twice costs what pinning two does. */
#define ALIAS_LEN (16ull << 20)

static struct iommunest_ctx *ctx;
static int ram_fd = -1;

static uint64_t alias_round(uint64_t len)
{
	return (len + ALIAS_LEN - 1) / ALIAS_LEN * ALIAS_LEN;
}

static void *ram_get(uint64_t len)
{
	uint64_t all = alias_round(len), off;
	uint8_t *base;

	base = mmap(NULL, all, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		bench_fail("reserve %llu bytes", (unsigned long long)all);
	for (off = 0; off < all; off += ALIAS_LEN)
		if (mmap(base + off, ALIAS_LEN, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED | MAP_POPULATE, ram_fd,
			 0) == MAP_FAILED)
			bench_fail("map the RAM memfd");
	return base;
}

static void ram_put(void *hva, uint64_t len)
{
	munmap(hva, alias_round(len));
}

/* An IOAS with a mock device on it. */
static uint32_t ioas_with_dev(struct mock_dev *dev)
{
	uint32_t ioas;

	if (iommunest_ioas_alloc(ctx, &ioas) || mock_domain(ctx, ioas, dev))
		bench_fail("IOAS with a mock device");
	return ioas;
}

static void run_inv(void)
{
	struct inv_env env = {
		.profile = "vm-mock", .ctx = ctx, .rounds = 11,
		.slices = 24, .slice_ns = 1000000,
	};
	struct mock_dev dev;
	uint32_t parent, ioas = ioas_with_dev(&dev);

	if (iommunest_hwpt_alloc_paging(ctx, dev.idev_id, ioas,
					IOMMUNEST_HWPT_NEST_PARENT, &parent) ||
	    iommunest_hwpt_alloc_selftest(ctx, dev.idev_id, parent,
					  MOCK_IOTLB_DEFAULT, &env.hwpt))
		bench_fail("nested HWPT of the selftest type");
	inv_run(&env);
	iommunest_destroy(ctx, env.hwpt);
	iommunest_destroy(ctx, parent);
	iommunest_destroy(ctx, dev.stdev_id);
	iommunest_destroy(ctx, ioas);
}

/*
 * A sharing-mode device; its own IOAS is home between benchmarks.  Moved
 * to an IOAS, the kernel gives it a fresh domain, filled from the IOAS,
 * and frees the one it leaves.  With keep, it moves through the library's
 * page-table cache (iommunest_ptcache_replace(3)): onto a paging HWPT made
 * once per IOAS and kept, which makes a switch one replace.
 */
struct roaming {
	struct mock_dev dev;
	uint32_t home;
	bool keep;
	struct iommunest_ptcache *pc;
};

static int mock_move(void *opaque, uint32_t pt_id)
{
	return mock_replace(ctx, opaque, pt_id);
}

static int roam(void *opaque, uint32_t pt_id)
{
	struct roaming *r = opaque;

	if (!r->keep)
		return mock_replace(ctx, &r->dev, pt_id);
	if (!r->pc && iommunest_ptcache_new(ctx, &r->pc))
		return -ENOMEM;
	return iommunest_ptcache_replace(r->pc, r->dev.idev_id, pt_id,
					 mock_move, &r->dev);
}

/* Back home; the kept HWPTs go, so the tracker can free its IOASes. */
static void go_home(void *opaque)
{
	struct roaming *r = opaque;

	if (mock_replace(ctx, &r->dev, r->home))
		bench_fail("sharing-mode device back home");
	iommunest_ptcache_free(r->pc);
	r->pc = NULL;
}

static uint32_t own_hwpt;

static int check_own(uint64_t iova, const void *hva)
{
	return mock_check_map(ctx, own_hwpt, iova, LAY_PAGE, hva);
}

/* The no-holes device: a mock device the tracker moves, with the same
 * replace as a sharing-mode device, between its IOAS and the spare. */
static int nh_replace(void *opaque, uint32_t pt_id)
{
	return mock_replace(ctx, opaque, pt_id);
}

/* Through the domain the device is attached to now, wherever it is. */
static int nh_check(void *opaque, uint64_t iova, const void *hva)
{
	const struct mock_dev *dev = opaque;

	return mock_check_map(ctx, dev->hwpt_id, iova, LAY_PAGE, hva);
}

static void run_trk(void)
{
	static const uint64_t sizes[] = { 1000, 65536 };
	static struct roaming roamer[TRK_MAX_SHARED] = { [1].keep = true };
	const struct trk_shared shared[TRK_MAX_SHARED] = {
		{ "replace to the IOAS", roam, go_home, &roamer[0] },
		{ "replace to a HWPT kept per IOAS (iommunest_ptcache)", roam,
		  go_home, &roamer[1] },
	};
	struct iommunest_sink sink;
	struct iommunest_sink_ext ext;
	struct mock_dev own, qemu, nh_dev;
	struct trk_noholes noholes = {
		.how = "mock-domain replace + IOAS copy", .replace = nh_replace,
		.opaque = &nh_dev, .ext = &ext, .check = nh_check,
	};
	struct trk_env env = {
		.profile = "vm-mock", .sink = &sink, .check = check_own,
		.shared = shared, .nshared = TRK_MAX_SHARED,
		.noholes = &noholes,
		.ram_get = ram_get, .ram_put = ram_put,
		.sizes = sizes, .nsizes = 2,
		.size_note = "vm-mock: M is capped at 65536 single pages: "
			     "1048576 of them would not fit the mock IOMMU's "
			     "2 GiB aperture, and the QEMU way alone would "
			     "take minutes under TCG",
		.rounds = 7, .slice_ns = 5000000, .round_ns = 60000000,
	};
	unsigned int i;

	ram_fd = memfd_create("bench-ram", MFD_CLOEXEC);
	if (ram_fd < 0 || ftruncate(ram_fd, (off_t)ALIAS_LEN) ||
	    iommunest_sink_ioas(ctx, &sink) ||
	    iommunest_sink_ioas_ext(ctx, &ext))
		bench_fail("RAM memfd and IOAS sink");
	env.own_as = ioas_with_dev(&own);
	own_hwpt = own.hwpt_id;
	env.qemu_as = ioas_with_dev(&qemu);
	noholes.as = ioas_with_dev(&nh_dev);
	for (i = 0; i < TRK_MAX_SHARED; i++)
		roamer[i].home = ioas_with_dev(&roamer[i].dev);
	trk_run(&env);
	iommunest_destroy(ctx, own.stdev_id);
	iommunest_destroy(ctx, qemu.stdev_id);
	iommunest_destroy(ctx, nh_dev.stdev_id);
	for (i = 0; i < TRK_MAX_SHARED; i++)
		iommunest_destroy(ctx, roamer[i].dev.stdev_id);
	close(ram_fd);
}

int main(void)
{
	struct utsname u;

	if (iommunest_open(&ctx))
		bench_fail("open /dev/iommu");
	uname(&u);
	bench_table_note("vm-mock: guest kernel %s, QEMU TCG, 1 vCPU, "
			 "512 MiB; mock IOMMU (IOMMUFD_TEST)", u.release);
	run_inv();
	run_trk();
	iommunest_close(ctx);
	return 0;
}
