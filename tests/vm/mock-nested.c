/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, mock profile: nested HWPTs and batched invalidation
 * against the kernel's mock IOMMU, whose nested domain has a 4-slot IOTLB
 * that invalidation clears and the check-IOTLB op reads back.  Every
 * per-entry result the library reports is compared with what the IOTLB
 * shows.
 */
#include <stdlib.h>

#include "vmtest.h"
#include "libiommunest/batch.h"

#define NA IOMMUNEST_INV_NOT_ATTEMPTED
#define BAD_SLOT 4 /* one past the mock IOTLB: the kernel says EINVAL */

static struct iommunest_ctx *ctx;
static struct mock_dev dev;
static uint32_t ioas, parent;

/* A fresh nested HWPT: its four IOTLB slots all hold the default. */
static uint32_t fresh_nested(void)
{
	uint32_t id = 0;

	if (iommunest_hwpt_alloc_selftest(ctx, dev.idev_id, parent,
					  MOCK_IOTLB_DEFAULT, &id))
		OK(0, "nested HWPT alloc failed");
	return id;
}

/* The IOTLB holds 0 in the slots of mask and the default elsewhere. */
static int iotlb_is(uint32_t hwpt, unsigned int cleared_mask)
{
	unsigned int i;

	for (i = 0; i < MOCK_IOTLB_NUM; i++) {
		uint32_t want = (cleared_mask >> i) & 1 ? 0 : MOCK_IOTLB_DEFAULT;

		if (mock_check_iotlb(ctx, hwpt, i, want))
			return 0;
	}
	return 1;
}

static struct iommunest_batch *selftest_batch(uint32_t hwpt, uint32_t cap,
					      uint32_t per_call, uint32_t flags)
{
	struct iommunest_batch_config cfg = {
		.target_id = hwpt,
		.data_type = IOMMUNEST_INV_SELFTEST,
		.entry_len = 8,
		.capacity = cap,
		.max_per_call = per_call,
		.flags = flags,
	};
	struct iommunest_batch *b = NULL;

	if (iommunest_batch_new(ctx, &cfg, &b))
		return NULL;
	return b;
}

/* n entries clearing slots 0, 1, 2, 3, 0, ... in one batch. */
static void test_batch_of(uint32_t n, uint32_t per_call)
{
	uint32_t hwpt = fresh_nested(), i, done = 0;
	struct iommunest_batch *b = selftest_batch(hwpt, n, per_call, 0);
	struct iommunest_batch_stats st;
	unsigned int mask = 0;

	OK(b != NULL, "batch of %u entries, %u per call", n, per_call);
	if (!b)
		return;
	OK(iotlb_is(hwpt, 0), "fresh nested HWPT: IOTLB full");
	for (i = 0; i < n; i++) {
		iommunest_batch_add_selftest(b, i % MOCK_IOTLB_NUM, 0);
		mask |= 1u << (i % MOCK_IOTLB_NUM);
	}
	OK_EQ(iommunest_batch_flush(b), 0, "flush of %u entries", n);
	for (i = 0; i < n; i++)
		done += iommunest_batch_result(b, i) == 0;
	OK_EQ(done, n, "every entry reported done");
	iommunest_batch_stats(b, &st);
	OK_EQ(st.ioctls, (n + per_call - 1) / per_call,
	      "ceil(%u / %u) ioctls", n, per_call);
	OK(iotlb_is(hwpt, mask), "check-IOTLB: exactly slots 0x%x cleared",
	   mask);
	iommunest_batch_free(b);
	iommunest_destroy(ctx, hwpt);
}

/* Entries: slot 0, a bad slot, slot 2. */
static void test_middle_failure(uint32_t flags, const char *policy)
{
	uint32_t hwpt = fresh_nested();
	struct iommunest_batch *b = selftest_batch(hwpt, 3, 0, flags);
	int stop = !(flags & IOMMUNEST_BATCH_CONTINUE);

	if (!b)
		return;
	iommunest_batch_add_selftest(b, 0, 0);
	iommunest_batch_add_selftest(b, BAD_SLOT, 0);
	iommunest_batch_add_selftest(b, 2, 0);
	OK_EQ(iommunest_batch_flush(b), -EINVAL,
	      "%s: flush reports the bad entry's error", policy);
	OK_EQ(iommunest_batch_result(b, 0), 0, "%s: entry 0 done", policy);
	OK_EQ(iommunest_batch_result(b, 1), -EINVAL,
	      "%s: entry 1 failed with the kernel's EINVAL", policy);
	OK_EQ(iommunest_batch_result(b, 2), stop ? NA : 0,
	      "%s: entry 2 %s", policy, stop ? "not attempted" : "done");
	OK_EQ(iommunest_batch_first_failed(b), 1, "%s: first failure at 1",
	      policy);
	OK(iotlb_is(hwpt, stop ? 0x1 : 0x5),
	   "%s: check-IOTLB shows exactly the done entries", policy);
	iommunest_batch_free(b);
	iommunest_destroy(ctx, hwpt);
}

static void test_bad_flags_entry(void)
{
	uint32_t hwpt = fresh_nested();
	struct iommunest_batch *b = selftest_batch(hwpt, 2, 0, 0);

	if (!b)
		return;
	iommunest_batch_add_selftest(b, 1, 0);
	iommunest_batch_add_selftest(b, 3, 1u << 5);
	OK_EQ(iommunest_batch_flush(b), -EOPNOTSUPP,
	      "an entry with unknown flags fails with EOPNOTSUPP");
	OK(iommunest_batch_result(b, 0) == 0 &&
	   iommunest_batch_result(b, 1) == -EOPNOTSUPP && iotlb_is(hwpt, 0x2),
	   "results and IOTLB agree");
	iommunest_batch_free(b);
	iommunest_destroy(ctx, hwpt);
}

static void test_probe(void)
{
	uint32_t hwpt = fresh_nested();
	struct iommunest_batch *ok = selftest_batch(hwpt, 1, 0, 0);
	struct iommunest_batch_config cfg = {
		.target_id = hwpt,
		.data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = 24,
		.capacity = 1,
	};
	struct iommunest_batch *vtd = NULL;

	OK_EQ(iommunest_batch_probe(ok), 0, "probe: the mock takes selftest");
	OK_EQ(iommunest_batch_new(ctx, &cfg, &vtd), 0, "a VT-d batch");
	OK_EQ(iommunest_batch_probe(vtd), -EINVAL,
	      "probe: the mock refuses VT-d entries");
	OK(iotlb_is(hwpt, 0), "probes invalidate nothing");
	iommunest_batch_free(ok);
	iommunest_batch_free(vtd);
	iommunest_destroy(ctx, hwpt);
}

struct mock_target {
	struct mock_dev *dev;
	int fail;
};

static int replace_mock(void *opaque, uint32_t pt_id)
{
	struct mock_target *t = opaque;

	return t->fail ? -EIO : mock_replace(ctx, t->dev, pt_id);
}

static void test_nested_switch(void)
{
	struct selftest_data { uint32_t iotlb; } a = { MOCK_IOTLB_DEFAULT };
	struct mock_target t = { .dev = &dev };
	uint32_t cur = 0, first;

	OK_EQ(iommunest_nested_switch_fn(ctx, dev.idev_id, parent,
					 IOMMUNEST_HWPT_DATA_SELFTEST, &a,
					 sizeof(a), replace_mock, &t, &cur), 0,
	      "switch: device from the parent onto nested HWPT A");
	OK(cur != 0 && dev.hwpt_id == cur, "the device is on A (%u)", cur);
	first = cur;
	OK_EQ(iommunest_nested_switch_fn(ctx, dev.idev_id, parent,
					 IOMMUNEST_HWPT_DATA_SELFTEST, &a,
					 sizeof(a), replace_mock, &t, &cur), 0,
	      "switch: A to a new nested HWPT B");
	OK(cur != first && dev.hwpt_id == cur, "the device is on B (%u)", cur);
	OK_EQ(iommunest_destroy(ctx, first), -ENOENT,
	      "A was destroyed after the device left it");
	t.fail = 1;
	first = cur;
	OK_EQ(iommunest_nested_switch_fn(ctx, dev.idev_id, parent,
					 IOMMUNEST_HWPT_DATA_SELFTEST, &a,
					 sizeof(a), replace_mock, &t, &cur), -EIO,
	      "a failing replace is reported");
	OK(cur == first && dev.hwpt_id == first,
	   "and the device stays on B");
	OK_EQ(iommunest_destroy(ctx, first), -EBUSY, "B is still in use");
	OK_EQ(iommunest_nested_switch_fn(ctx, dev.idev_id, parent,
					 IOMMUNEST_HWPT_DATA_VTD_S1, &a,
					 sizeof(a), replace_mock, &t, &cur),
	      -EOPNOTSUPP, "a nested type the IOMMU lacks is refused");
	OK(cur == first, "and nothing changed");
	t.fail = 0;
	mock_replace(ctx, &dev, ioas);
	OK_EQ(iommunest_destroy(ctx, first), 0, "B goes once the device left");
}

/* The mock is no SMMUv3: 6.12 lacks vIOMMUs, 6.13 on lacks this type. */
static void test_viommu_refused(void)
{
	int newer = kernel_has(6, 13);
	uint32_t id = 0;

	OK_EQ(iommunest_viommu_alloc(ctx, dev.idev_id, parent,
				     IOMMUNEST_VIOMMU_ARM_SMMUV3, &id),
	      newer ? -EOPNOTSUPP : -ENOSYS,
	      "SMMUv3 vIOMMU on the mock: %s", newer ?
	      "'not this IOMMU'" : "'not supported by this kernel' on 6.12");
	OK_EQ(iommunest_vdevice_alloc(ctx, ioas, dev.idev_id, 7, &id),
	      newer ? -ENOENT : -ENOSYS,
	      "vDEVICE on an IOAS ID: %s", newer ? "no such vIOMMU" :
	      "'not supported by this kernel' on 6.12");
}

int main(void)
{
	OK_EQ(iommunest_open(&ctx), 0, "open /dev/iommu");
	if (!ctx)
		return tap_done();
	OK_EQ(iommunest_ioas_alloc(ctx, &ioas), 0, "IOAS");
	OK_EQ(mock_domain(ctx, ioas, &dev), 0, "mock device");
	OK_EQ(iommunest_hwpt_alloc_paging(ctx, dev.idev_id, ioas,
					  IOMMUNEST_HWPT_NEST_PARENT, &parent),
	      0, "NEST_PARENT paging HWPT");
	test_batch_of(1, 1);
	test_batch_of(2, 2);
	test_batch_of(4, 4);
	test_batch_of(1000, 64);
	test_batch_of(1000, 0x80000);
	test_middle_failure(0, "stop");
	test_middle_failure(IOMMUNEST_BATCH_CONTINUE, "continue");
	test_bad_flags_entry();
	test_probe();
	test_nested_switch();
	test_viommu_refused();
	iommunest_destroy(ctx, dev.stdev_id);
	OK_EQ(iommunest_destroy(ctx, parent), 0, "parent destroyed");
	OK_EQ(iommunest_destroy(ctx, ioas), 0, "IOAS destroyed");
	OK_EQ(iommunest_close(ctx), 0, "close");
	return tap_done();
}
