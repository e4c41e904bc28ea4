/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Paging HWPTs: allocation, dirty tracking on/off, reading dirty bits. */
#include <stdint.h>

#include "suites.h"

/* The last page below 2^64: a range may end exactly at the top. */
#define TOP_PAGE (UINT64_MAX - 4095)

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void answer_hwpt_id(void *arg, void *priv)
{
	((struct kabi_hwpt_alloc *)arg)->out_hwpt_id = *(uint32_t *)priv;
}

/* ---- IOMMU_HWPT_ALLOC, paging ------------------------------------- */

START_TEST(alloc_paging_passes_struct)
{
	static const struct {
		uint32_t flags;
		uint32_t kflags;
	} cases[] = {
		{ 0, 0 },
		{ IOMMUNEST_HWPT_NEST_PARENT, KABI_HWPT_ALLOC_NEST_PARENT },
		{ IOMMUNEST_HWPT_DIRTY_TRACKING,
		  KABI_HWPT_ALLOC_DIRTY_TRACKING },
		{ IOMMUNEST_HWPT_NEST_PARENT | IOMMUNEST_HWPT_DIRTY_TRACKING,
		  KABI_HWPT_ALLOC_NEST_PARENT |
		  KABI_HWPT_ALLOC_DIRTY_TRACKING },
	};
	struct kabi_hwpt_alloc h;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		uint32_t want = 100 + i, id = 0;

		fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
		ck_assert_int_eq(iommunest_hwpt_alloc_paging(uctx, 5, 6 + i,
							     cases[i].flags,
							     &id), 0);
		ck_assert_uint_eq(id, 100 + i);
		FK_GET(i, KABI_IOMMU_HWPT_ALLOC, h);
		ck_assert_int_eq(fk_call(i)->fd, iommunest_fd(uctx));
		ck_assert_uint_eq(h.size, sizeof(h));
		ck_assert_uint_eq(h.flags, cases[i].kflags);
		ck_assert_uint_eq(h.dev_id, 5);
		ck_assert_uint_eq(h.pt_id, 6 + i);
		ck_assert_uint_eq(h.out_hwpt_id, 0);
		ck_assert_uint_eq(h.reserved, 0);
		ck_assert_uint_eq(h.data_type, KABI_HWPT_DATA_NONE);
		ck_assert_uint_eq(h.data_len, 0);
		ck_assert_uint_eq(h.data_uptr, 0);
		ck_assert_uint_eq(h.fault_id, 0);
		ck_assert_uint_eq(h.reserved2, 0);
	}
}
END_TEST

START_TEST(alloc_paging_reports_kernel_error)
{
	uint32_t junk = 9, id = 42;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &junk, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_hwpt_alloc_paging(uctx, 1, 2,
						     IOMMUNEST_HWPT_NEST_PARENT,
						     &id), -EOPNOTSUPP);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_paging_refuses_bad_input)
{
	uint32_t id = 42;

	ASSERT_REFUSED(iommunest_hwpt_alloc_paging(NULL, 1, 2, 0, &id),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_paging(uctx, 1, 2, 0, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_paging(uctx, 1, 2, 1u << 2, &id),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_paging(uctx, 1, 2,
						   IOMMUNEST_HWPT_NEST_PARENT |
						   (1u << 31), &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

/* ---- IOMMU_HWPT_SET_DIRTY_TRACKING -------------------------------- */

START_TEST(set_dirty_tracking_passes_struct)
{
	struct kabi_hwpt_set_dirty_tracking d;

	fk_expect(KABI_IOMMU_HWPT_SET_DIRTY_TRACKING, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_HWPT_SET_DIRTY_TRACKING, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_hwpt_set_dirty_tracking(uctx, 31, true), 0);
	ck_assert_int_eq(iommunest_hwpt_set_dirty_tracking(uctx, 32, false),
			 0);

	FK_GET(0, KABI_IOMMU_HWPT_SET_DIRTY_TRACKING, d);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(d.size, sizeof(d));
	ck_assert_uint_eq(d.flags, KABI_DIRTY_TRACKING_ENABLE);
	ck_assert_uint_eq(d.hwpt_id, 31);
	ck_assert_uint_eq(d.reserved, 0);

	FK_GET(1, KABI_IOMMU_HWPT_SET_DIRTY_TRACKING, d);
	ck_assert_uint_eq(d.size, sizeof(d));
	ck_assert_uint_eq(d.flags, 0);
	ck_assert_uint_eq(d.hwpt_id, 32);
	ck_assert_uint_eq(d.reserved, 0);
}
END_TEST

START_TEST(set_dirty_tracking_errors)
{
	fk_expect(KABI_IOMMU_HWPT_SET_DIRTY_TRACKING, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_hwpt_set_dirty_tracking(uctx, 1, true),
			 -EOPNOTSUPP);
	ASSERT_REFUSED(iommunest_hwpt_set_dirty_tracking(NULL, 1, true),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_set_dirty_tracking(NULL, 1, false),
		       -EINVAL);
}
END_TEST

/* ---- IOMMU_HWPT_GET_DIRTY_BITMAP ---------------------------------- */

/* The kernel sets bits 0 and 63 of word 0 and bit 1 of word 1. */
static void answer_dirty(void *arg, void *priv)
{
	struct kabi_hwpt_get_dirty_bitmap *cmd = arg;
	uint64_t *bm = (uint64_t *)(uintptr_t)cmd->data;

	(void)priv;
	bm[0] = 1ull | (1ull << 63);
	bm[1] = 2;
}

START_TEST(get_dirty_bitmap_passes_struct)
{
	uint64_t bitmap[2] = { 0, 0 };
	struct kabi_hwpt_get_dirty_bitmap g;

	/* 128 pages of 4K: two words. */
	fk_expect(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, answer_dirty, NULL, 0);
	ck_assert_int_eq(iommunest_hwpt_get_dirty_bitmap(uctx, 44, 0x40000000,
							 128 * 4096, 4096,
							 bitmap, 0), 0);
	ck_assert_uint_eq(bitmap[0], 1ull | (1ull << 63));
	ck_assert_uint_eq(bitmap[1], 2);
	FK_GET(0, KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, g);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(g.size, sizeof(g));
	ck_assert_uint_eq(g.hwpt_id, 44);
	ck_assert_uint_eq(g.flags, 0);
	ck_assert_uint_eq(g.reserved, 0);
	ck_assert_uint_eq(g.iova, 0x40000000);
	ck_assert_uint_eq(g.length, 128 * 4096);
	ck_assert_uint_eq(g.page_size, 4096);
	ck_assert_uint_eq(g.data, uptr(bitmap));
}
END_TEST

START_TEST(get_dirty_bitmap_no_clear)
{
	const uint32_t nc = IOMMUNEST_DIRTY_NO_CLEAR;
	uint64_t bitmap[1] = { 0 };
	struct kabi_hwpt_get_dirty_bitmap g;

	fk_expect(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_hwpt_get_dirty_bitmap(uctx, 44, 0x200000,
							 0x200000, 0x200000,
							 bitmap, nc), 0);
	FK_GET(0, KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, g);
	ck_assert_uint_eq(g.size, sizeof(g));
	ck_assert_uint_eq(g.flags, KABI_GET_DIRTY_BITMAP_NO_CLEAR);
	ck_assert_uint_eq(g.reserved, 0);
	ck_assert_uint_eq(g.iova, 0x200000);
	ck_assert_uint_eq(g.length, 0x200000);
	ck_assert_uint_eq(g.page_size, 0x200000);
	ck_assert_uint_eq(g.data, uptr(bitmap));
}
END_TEST

START_TEST(get_dirty_bitmap_accepts_range_ending_at_top)
{
	uint64_t bitmap[1] = { 0 };
	struct kabi_hwpt_get_dirty_bitmap g;

	fk_expect(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_hwpt_get_dirty_bitmap(uctx, 1, TOP_PAGE,
							 4096, 4096, bitmap,
							 0), 0);
	FK_GET(0, KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, g);
	ck_assert_uint_eq(g.iova, TOP_PAGE);
	ck_assert_uint_eq(g.length, 4096);

	/* The largest power-of-two page: the top half in one bit. */
	fk_expect(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 1ull << 63,
							 1ull << 63,
							 1ull << 63, bitmap,
							 0), 0);
	FK_GET(1, KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, g);
	ck_assert_uint_eq(g.page_size, 1ull << 63);
}
END_TEST

START_TEST(get_dirty_bitmap_reports_kernel_error)
{
	const uint32_t nc = IOMMUNEST_DIRTY_NO_CLEAR;
	uint64_t bitmap[2] = { 0x1234, 0x5678 };

	fk_expect(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, NULL, NULL, EINVAL);
	ck_assert_int_eq(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 4096,
							 4096, bitmap, 0),
			 -EINVAL);
	fk_expect(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, NULL, NULL, ENOENT);
	ck_assert_int_eq(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 4096,
							 4096, bitmap, nc),
			 -ENOENT);
	/* The library itself never writes the bitmap. */
	ck_assert_uint_eq(bitmap[0], 0x1234);
	ck_assert_uint_eq(bitmap[1], 0x5678);
}
END_TEST

START_TEST(get_dirty_bitmap_refuses_bad_input)
{
	const uint32_t nc = IOMMUNEST_DIRTY_NO_CLEAR;
	uint64_t bm[1] = { 0x1234 };

	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(NULL, 1, 0, 4096, 4096,
						       bm, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 4096, 4096,
						       NULL, 0), -EINVAL);
	/* Unknown flags. */
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 4096, 4096,
						       bm, 1u << 1), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 4096, 4096,
						       bm, nc | (1u << 31)),
		       -EINVAL);
	/* Page size: zero, or not a power of two. */
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 4096, 0,
						       bm, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 12288, 3072,
						       bm, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 4097 * 2,
						       4097, bm, 0), -EINVAL);
	/* Whole pages only. */
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0x800, 4096,
						       4096, bm, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 6144, 4096,
						       bm, 0), -EINVAL);
	/* Empty, and wrapping past 2^64. */
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, 0, 0, 4096,
						       bm, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_get_dirty_bitmap(uctx, 1, TOP_PAGE, 8192,
						       4096, bm, 0), -EINVAL);
	ck_assert_uint_eq(bm[0], 0x1234);
}
END_TEST

Suite *suite_hwpt(void)
{
	Suite *s = suite_create("hwpt");
	TCase *alloc = tcase_create("alloc");
	TCase *dirty = tcase_create("dirty");

	tcase_add_checked_fixture(alloc, unit_setup, unit_teardown);
	tcase_add_test(alloc, alloc_paging_passes_struct);
	tcase_add_test(alloc, alloc_paging_reports_kernel_error);
	tcase_add_test(alloc, alloc_paging_refuses_bad_input);
	suite_add_tcase(s, alloc);

	tcase_add_checked_fixture(dirty, unit_setup, unit_teardown);
	tcase_add_test(dirty, set_dirty_tracking_passes_struct);
	tcase_add_test(dirty, set_dirty_tracking_errors);
	tcase_add_test(dirty, get_dirty_bitmap_passes_struct);
	tcase_add_test(dirty, get_dirty_bitmap_no_clear);
	tcase_add_test(dirty, get_dirty_bitmap_accepts_range_ending_at_top);
	tcase_add_test(dirty, get_dirty_bitmap_reports_kernel_error);
	tcase_add_test(dirty, get_dirty_bitmap_refuses_bad_input);
	suite_add_tcase(s, dirty);
	return s;
}
