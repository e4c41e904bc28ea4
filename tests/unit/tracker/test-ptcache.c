/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Paging HWPTs kept ready on a tracker's IOASes (iommunest_ptcache_*). */
#include <stdint.h>

#include "suites.h"
#include "libiommunest/tracker.h"

/* Each move the cache asks for, and what the "device" answers. */
static struct {
	uint32_t to[8];
	unsigned int n;
	int answer[8]; /* per move, in order; 0 beyond */
} mv;

static int move(void *opaque, uint32_t pt_id)
{
	(void)opaque;
	ck_assert_uint_lt(mv.n, 8);
	mv.to[mv.n] = pt_id;
	return mv.answer[mv.n++];
}

static void answer_hwpt_id(void *arg, void *priv)
{
	((struct kabi_hwpt_alloc *)arg)->out_hwpt_id = *(uint32_t *)priv;
}

static struct iommunest_ptcache *new_cache(void)
{
	struct iommunest_ptcache *pc = NULL;

	memset(&mv, 0, sizeof(mv));
	ck_assert_int_eq(iommunest_ptcache_new(uctx, &pc), 0);
	return pc;
}

START_TEST(one_hwpt_per_ioas_serves_every_compatible_device)
{
	struct iommunest_ptcache *pc = new_cache();
	struct kabi_hwpt_alloc h;
	uint32_t hwpt = 50;

	/* First device onto IOAS 7: a HWPT for it, kept. */
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &hwpt, 0);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 7, move, NULL), 0);
	FK_GET(0, KABI_IOMMU_HWPT_ALLOC, h);
	ck_assert_uint_eq(h.dev_id, 3);
	ck_assert_uint_eq(h.pt_id, 7);
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_uint_eq(mv.n, 1);
	ck_assert_uint_eq(mv.to[0], 50);
	/* Again, and a second device: the same HWPT, no kernel call. */
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 7, move, NULL), 0);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 4, 7, move, NULL), 0);
	ck_assert_uint_eq(fk_ncalls(), 1);
	ck_assert_uint_eq(mv.to[1], 50);
	ck_assert_uint_eq(mv.to[2], 50);
	/* Free destroys it. */
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	iommunest_ptcache_free(pc);
}
END_TEST

START_TEST(incompatible_device_gets_its_own)
{
	struct iommunest_ptcache *pc = new_cache();
	uint32_t a = 50, b = 51;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &a, 0);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 7, move, NULL), 0);
	/* Device 4's IOMMU refuses HWPT 50 (EINVAL): one of its own. */
	mv.answer[1] = -EINVAL;
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &b, 0);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 4, 7, move, NULL), 0);
	ck_assert_uint_eq(mv.n, 3);
	ck_assert_uint_eq(mv.to[1], 50);
	ck_assert_uint_eq(mv.to[2], 51);
	/* Any other error of a move is the caller's: no new HWPT. */
	mv.answer[3] = -EBUSY;
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 7, move, NULL),
			 -EBUSY);
	ck_assert_uint_eq(mv.n, 4);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	iommunest_ptcache_free(pc);
}
END_TEST

START_TEST(refused_hwpt_falls_back_to_the_ioas_once)
{
	struct iommunest_ptcache *pc = new_cache();
	uint32_t junk = 9, c = 52;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &junk, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 7, move, NULL), 0);
	ck_assert_uint_eq(mv.to[0], 7);
	/* Remembered: the next IOAS is not asked for again. */
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 8, move, NULL), 0);
	ck_assert_uint_eq(mv.to[1], 8);
	ck_assert_uint_eq(fk_ncalls(), 1);
	/* A passing failure (ENOMEM) falls back but is asked again. */
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &junk, ENOMEM);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 4, 7, move, NULL), 0);
	ck_assert_uint_eq(mv.to[2], 7);
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &c, 0);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 4, 7, move, NULL), 0);
	ck_assert_uint_eq(mv.to[3], 52);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	iommunest_ptcache_free(pc);
}
END_TEST

START_TEST(sink_free_destroys_hwpts_before_the_ioas)
{
	struct iommunest_ptcache *pc = new_cache();
	struct iommunest_sink sink;
	struct iommunest_sink_ext ext;
	struct kabi_destroy d;
	uint32_t a = 50, b = 51;

	ck_assert_int_eq(iommunest_ptcache_sink(pc, &sink, &ext), 0);
	ck_assert_ptr_eq(sink.opaque, pc);
	ck_assert_ptr_nonnull(sink.as_alloc);
	ck_assert_ptr_nonnull(ext.copy);
	ck_assert_uint_eq(ext.size, sizeof(ext));
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &a, 0);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 7, move, NULL), 0);
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &b, 0);
	ck_assert_int_eq(iommunest_ptcache_replace(pc, 3, 8, move, NULL), 0);
	/* IOAS 7 goes: its HWPT first, then the IOAS; 8's HWPT stays. */
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(sink.as_free(sink.opaque, 7), 0);
	FK_GET(2, KABI_IOMMU_DESTROY, d);
	ck_assert_uint_eq(d.id, 50);
	FK_GET(3, KABI_IOMMU_DESTROY, d);
	ck_assert_uint_eq(d.id, 7);
	/* A HWPT a device is still on (EBUSY): the IOAS stays, and so does
	 * the HWPT, kept for the next try. */
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, EBUSY);
	ck_assert_int_eq(sink.as_free(sink.opaque, 8), -EBUSY);
	ck_assert_uint_eq(fk_ncalls(), 5);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	iommunest_ptcache_free(pc);
	FK_GET(5, KABI_IOMMU_DESTROY, d);
	ck_assert_uint_eq(d.id, 51);
}
END_TEST

START_TEST(bad_input_is_refused)
{
	struct iommunest_ptcache *pc = new_cache();
	struct iommunest_sink sink;

	ASSERT_REFUSED(iommunest_ptcache_new(NULL, &pc), -EINVAL);
	ASSERT_REFUSED(iommunest_ptcache_new(uctx, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_ptcache_sink(NULL, &sink, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_ptcache_sink(pc, NULL, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_ptcache_replace(NULL, 3, 7, move, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ptcache_replace(pc, 3, 7, NULL, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ptcache_replace(pc, 3, 0, move, NULL),
		       -EINVAL);
	ck_assert_uint_eq(mv.n, 0);
	iommunest_ptcache_free(pc);
	iommunest_ptcache_free(NULL);
}
END_TEST

Suite *suite_ptcache(void)
{
	Suite *s = suite_create("ptcache");
	TCase *tc = tcase_create("ptcache");

	tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
	tcase_add_test(tc, one_hwpt_per_ioas_serves_every_compatible_device);
	tcase_add_test(tc, incompatible_device_gets_its_own);
	tcase_add_test(tc, refused_hwpt_falls_back_to_the_ioas_once);
	tcase_add_test(tc, sink_free_destroys_hwpts_before_the_ioas);
	tcase_add_test(tc, bad_input_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
