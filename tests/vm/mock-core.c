/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, mock profile: every core function of the library
 * against the kernel's mock IOMMU, checking the kernel's own view (the
 * mock domain's page table through check-map) and not only return codes.
 */
#include <stdlib.h>
#include <unistd.h>

#include "vmtest.h"

#define BUF_LEN (64ull * 1024)
#define IOVA_A  (MOCK_APERTURE_START + 0x100000)

static struct iommunest_ctx *ctx;

/* An IOAS with one mock device attached; the device's HWPT is the one
 * check-map reads. */
static int ioas_with_device(uint32_t *ioas, struct mock_dev *dev)
{
	int rc = iommunest_ioas_alloc(ctx, ioas);

	if (!rc)
		rc = mock_domain(ctx, *ioas, dev);
	return rc;
}

static void test_map_unmap(void)
{
	uint8_t *buf = vm_buffer(BUF_LEN);
	struct mock_dev dev;
	uint64_t iova = 0, done = 0;
	uint32_t ioas;

	OK_EQ(ioas_with_device(&ioas, &dev), 0, "IOAS alloc + mock device");
	OK_EQ(iommunest_ioas_map(ctx, ioas, buf, BUF_LEN, IOVA_A,
				 IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE), 0,
	      "map at a fixed IOVA");
	OK_EQ(mock_check_map(ctx, dev.hwpt_id, IOVA_A, BUF_LEN, buf), 0,
	      "check-map: the mock domain maps the buffer at that IOVA");
	OK_EQ(iommunest_ioas_map(ctx, ioas, buf, BUF_LEN, IOVA_A,
				 IOMMUNEST_MAP_READ), -EEXIST,
	      "mapping over a mapped IOVA is refused by the kernel");
	/* iommufd unmaps whole areas only: a range that cuts one is refused
	 * and leaves it whole, which the shadow tracker has to respect. */
	OK_EQ(iommunest_ioas_unmap(ctx, ioas, IOVA_A, BUF_LEN / 2, &done),
	      -ENOENT, "unmapping part of one mapped area is refused");
	OK_EQ(mock_check_map(ctx, dev.hwpt_id, IOVA_A, BUF_LEN, buf), 0,
	      "check-map: the refused unmap left the whole area mapped");
	OK_EQ(iommunest_ioas_unmap(ctx, ioas, IOVA_A, BUF_LEN, &done), 0,
	      "unmap the whole area");
	OK_EQ(iommunest_ioas_map(ctx, ioas, buf, BUF_LEN / 2, IOVA_A,
				 IOMMUNEST_MAP_READ) |
	      iommunest_ioas_map(ctx, ioas, buf + BUF_LEN / 2, BUF_LEN / 2,
				 IOVA_A + BUF_LEN / 2, IOMMUNEST_MAP_READ), 0,
	      "map it again as two halves");
	OK_EQ(iommunest_ioas_unmap(ctx, ioas, IOVA_A, BUF_LEN / 2, &done), 0,
	      "unmap the first half");
	OK_EQ(done, BUF_LEN / 2, "unmap reports the bytes it removed");
	OK_EQ(mock_count_mapped(ctx, dev.hwpt_id, IOVA_A, BUF_LEN, buf),
	      BUF_LEN / 2 / MOCK_IO_PAGE, "check-map: only the second half left");
	OK_EQ(mock_check_map(ctx, dev.hwpt_id, IOVA_A + BUF_LEN / 2,
			     BUF_LEN / 2, buf + BUF_LEN / 2), 0,
	      "check-map: the second half still maps its own pages");
	OK_EQ(iommunest_ioas_map_any(ctx, ioas, buf, BUF_LEN,
				     IOMMUNEST_MAP_WRITE, &iova), 0,
	      "map at an IOVA the kernel picks");
	OK(iova >= MOCK_APERTURE_START && iova + BUF_LEN - 1 <=
	   MOCK_APERTURE_LAST, "picked IOVA 0x%llx lies in the mock aperture",
	   (unsigned long long)iova);
	OK_EQ(mock_check_map(ctx, dev.hwpt_id, iova, BUF_LEN, buf), 0,
	      "check-map: the kernel-picked mapping is in the mock domain");
	OK_EQ(iommunest_ioas_unmap_all(ctx, ioas, &done), 0, "unmap everything");
	OK_EQ(done, BUF_LEN + BUF_LEN / 2, "unmap-all reports every byte");
	OK_EQ(mock_count_mapped(ctx, dev.hwpt_id, IOVA_A, BUF_LEN, buf) +
	      mock_count_mapped(ctx, dev.hwpt_id, iova, BUF_LEN, buf), 0,
	      "check-map: nothing is left mapped after unmap-all");
	OK_EQ(iommunest_ioas_unmap(ctx, ioas, IOVA_A, BUF_LEN, &done), -ENOENT,
	      "unmapping an empty range reports ENOENT");
	OK_EQ(iommunest_destroy(ctx, ioas), -EBUSY,
	      "an IOAS with an attached device cannot be destroyed");
	OK_EQ(iommunest_destroy(ctx, dev.stdev_id), 0, "destroy the device");
	OK_EQ(iommunest_destroy(ctx, ioas), 0, "then the IOAS goes");
	OK_EQ(iommunest_destroy(ctx, ioas), -ENOENT, "a destroyed ID is gone");
	munmap(buf, BUF_LEN);
}

static void test_copy(void)
{
	uint8_t *buf = vm_buffer(BUF_LEN);
	struct mock_dev src_dev, dst_dev;
	uint32_t src, dst;
	uint64_t iova = 0;

	OK_EQ(ioas_with_device(&src, &src_dev) |
	      ioas_with_device(&dst, &dst_dev), 0, "two IOASes with devices");
	OK_EQ(iommunest_ioas_map(ctx, src, buf, BUF_LEN, IOVA_A,
				 IOMMUNEST_MAP_READ), 0, "map in the source");
	OK_EQ(iommunest_ioas_copy(ctx, dst, IOVA_A + BUF_LEN, src, IOVA_A,
				  BUF_LEN, IOMMUNEST_MAP_READ), 0,
	      "copy to a fixed IOVA of the destination");
	OK_EQ(mock_check_map(ctx, dst_dev.hwpt_id, IOVA_A + BUF_LEN, BUF_LEN,
			     buf), 0, "check-map: the destination maps the same pages");
	OK_EQ(iommunest_ioas_copy_any(ctx, dst, src, IOVA_A, BUF_LEN,
				      IOMMUNEST_MAP_READ, &iova), 0,
	      "copy to an IOVA the kernel picks");
	OK_EQ(mock_check_map(ctx, dst_dev.hwpt_id, iova, BUF_LEN, buf), 0,
	      "check-map: the picked destination maps the same pages");
	OK_EQ(iommunest_ioas_copy(ctx, dst, IOVA_A, src, IOVA_A + BUF_LEN,
				  BUF_LEN, IOMMUNEST_MAP_READ), -ENOENT,
	      "copying from an unmapped source range reports ENOENT");
	iommunest_destroy(ctx, src_dev.stdev_id);
	iommunest_destroy(ctx, dst_dev.stdev_id);
	OK_EQ(iommunest_destroy(ctx, src) | iommunest_destroy(ctx, dst), 0,
	      "both IOASes destroyed");
	munmap(buf, BUF_LEN);
}

static void test_iova_ranges(void)
{
	struct iommunest_iova_range r[4], allow = {
		.start = MOCK_APERTURE_START,
		.last = MOCK_APERTURE_START + 0xffffff,
	}, wide = { .start = 0, .last = MOCK_APERTURE_LAST };
	struct mock_dev dev;
	uint64_t align = 0;
	uint32_t ioas;
	int n;

	OK_EQ(iommunest_ioas_alloc(ctx, &ioas), 0, "IOAS alloc");
	n = iommunest_ioas_iova_ranges(ctx, ioas, r, 4, &align);
	OK(n == 1 && r[0].start == 0 && r[0].last == UINT64_MAX,
	   "a fresh IOAS allows every IOVA (%d range(s))", n);
	OK_EQ(mock_domain(ctx, ioas, &dev), 0, "attach a mock device");
	n = iommunest_ioas_iova_ranges(ctx, ioas, r, 4, &align);
	OK(n == 1 && r[0].start == MOCK_APERTURE_START &&
	   r[0].last == MOCK_APERTURE_LAST,
	   "the device narrows the ranges to the mock aperture");
	OK(align != 0 && align <= (uint64_t)sysconf(_SC_PAGESIZE),
	   "IOVA alignment reported (%llu)", (unsigned long long)align);
	OK_EQ(iommunest_ioas_iova_ranges(ctx, ioas, NULL, 0, NULL), 1,
	      "size query with no array returns the count");
	OK_EQ(iommunest_ioas_allow_iovas(ctx, ioas, &allow, 1), 0,
	      "allow a range inside the aperture");
	OK_EQ(iommunest_ioas_allow_iovas(ctx, ioas, &wide, 1), -EADDRINUSE,
	      "allowing IOVAs the device cannot reach is refused");
	OK_EQ(iommunest_ioas_allow_iovas(ctx, ioas, NULL, 0), 0,
	      "an empty list clears the allowed ranges");
	iommunest_destroy(ctx, dev.stdev_id);
	iommunest_destroy(ctx, ioas);
}

static void test_ranges_short_array(void)
{
	struct iommunest_iova_range r[1];
	struct mock_cmd res = { .op = MOCK_OP_ADD_RESERVED };
	uint32_t ioas;
	int n;

	OK_EQ(iommunest_ioas_alloc(ctx, &ioas), 0, "IOAS alloc");
	/* A reserved hole in the middle splits the space in two ranges. */
	res.id = ioas;
	res.add_reserved.start = 1ull << 32;
	res.add_reserved.length = 1ull << 20;
	OK_EQ(mock_call(ctx, &res), 0, "reserve a hole (mock add-reserved)");
	memset(r, 0, sizeof(r));
	n = iommunest_ioas_iova_ranges(ctx, ioas, r, 1, NULL);
	OK_EQ(n, 2, "a one-entry array: the kernel's EMSGSIZE becomes the total");
	OK(r[0].start == 0 && r[0].last == (1ull << 32) - 1,
	   "and the first range was still filled in");
	iommunest_destroy(ctx, ioas);
}

static void test_options(void)
{
	uint64_t v = 9;
	uint32_t ioas;

	OK_EQ(iommunest_ioas_alloc(ctx, &ioas), 0, "IOAS alloc");
	OK_EQ(iommunest_option_get(ctx, IOMMUNEST_OPTION_HUGE_PAGES, ioas, &v),
	      0, "read huge-pages option");
	OK_EQ(v, 1, "huge pages are on by default");
	OK_EQ(iommunest_option_set(ctx, IOMMUNEST_OPTION_HUGE_PAGES, ioas, 0),
	      0, "turn huge pages off");
	iommunest_option_get(ctx, IOMMUNEST_OPTION_HUGE_PAGES, ioas, &v);
	OK_EQ(v, 0, "the kernel reads back off");
	OK_EQ(iommunest_option_set(ctx, IOMMUNEST_OPTION_RLIMIT_MODE, 0, 1),
	      -EBUSY, "rlimit mode cannot change once objects exist");
	OK_EQ(iommunest_option_get(ctx, IOMMUNEST_OPTION_HUGE_PAGES, 0xfffff,
				   &v), -ENOENT, "an unknown IOAS is ENOENT");
	iommunest_destroy(ctx, ioas);
}

/* The accounting mode is set on a context that holds no object yet. */
static void test_rlimit_mode(void)
{
	struct iommunest_ctx *fresh = NULL;
	uint64_t v = 9;

	OK_EQ(iommunest_open(&fresh), 0, "a second context");
	OK_EQ(iommunest_option_get(fresh, IOMMUNEST_OPTION_RLIMIT_MODE, 0, &v),
	      0, "read rlimit mode");
	OK_EQ(v, 0, "rlimit mode is per user by default");
	OK_EQ(iommunest_option_set(fresh, IOMMUNEST_OPTION_RLIMIT_MODE, 0, 1),
	      0, "root may switch an empty context to per process");
	iommunest_option_get(fresh, IOMMUNEST_OPTION_RLIMIT_MODE, 0, &v);
	OK_EQ(v, 1, "the kernel reads back per process");
	OK_EQ(iommunest_close(fresh), 0, "close the second context");
}

static void test_hw_info_and_paging(void)
{
	struct iommunest_hw_info info;
	struct mock_dev dev, dev2;
	uint32_t ioas, parent, hwpt;
	uint32_t reg;

	OK_EQ(ioas_with_device(&ioas, &dev), 0, "IOAS + mock device");
	OK_EQ(iommunest_hw_info(ctx, dev.idev_id, &info), 0, "hardware info");
	OK_EQ(info.type, MOCK_HW_INFO_TYPE, "the mock IOMMU's info type");
	memcpy(&reg, info.raw + 4, sizeof(reg));
	OK(info.raw_len >= 8 && reg == MOCK_HW_INFO_REGVAL,
	   "raw data carries the mock register value");
	OK(info.caps & IOMMUNEST_CAP_DIRTY_TRACKING,
	   "the mock IOMMU reports dirty tracking");
	OK_EQ(iommunest_hw_info(ctx, ioas, &info), -ENOENT,
	      "hardware info of a non-device ID is ENOENT");
	OK_EQ(iommunest_hwpt_alloc_paging(ctx, dev.idev_id, ioas,
					  IOMMUNEST_HWPT_NEST_PARENT, &parent),
	      0, "paging HWPT with NEST_PARENT");
	OK_EQ(mock_domain(ctx, parent, &dev2), 0,
	      "a second mock device attaches to the NEST_PARENT HWPT");
	OK_EQ(dev2.hwpt_id, parent, "and it is on that HWPT");
	OK_EQ(iommunest_hwpt_alloc_paging(ctx, dev.idev_id, ioas, 0, &hwpt), 0,
	      "plain paging HWPT");
	OK_EQ(mock_replace(ctx, &dev, hwpt), 0,
	      "replace the first device's attachment with the new HWPT");
	OK_EQ(dev.hwpt_id, hwpt, "the kernel reports the new HWPT");
	OK_EQ(iommunest_destroy(ctx, hwpt), -EBUSY, "an HWPT in use stays");
	iommunest_destroy(ctx, dev.stdev_id);
	iommunest_destroy(ctx, dev2.stdev_id);
	OK_EQ(iommunest_destroy(ctx, hwpt) | iommunest_destroy(ctx, parent), 0,
	      "HWPTs destroyed once their devices are gone");
	iommunest_destroy(ctx, ioas);
}

/*
 * The mock's dirty bits live in its PTEs: 2 KiB IO pages on 6.12; from 7.x
 * its page table is the generic AMDv1 format, where a PTE is at least one
 * CPU page, or more when the memory happens to be contiguous.  Huge pages
 * off makes every PTE one CPU page, so the granularity is known.
 */
static void test_dirty_tracking(void)
{
	uint8_t *buf = vm_buffer(BUF_LEN);
	uint64_t npages = BUF_LEN / MOCK_IO_PAGE, marks = 0, got[1] = { 0 };
	/* Every fourth IO page: a different CPU page each time. */
	uint64_t mark = 0x1111111111111111ull & ((1ull << npages) - 1);
	uint64_t want = kernel_has(7, 0) ? mark | mark << 1 : mark;
	struct mock_dev dev, tracked;
	uint32_t ioas, hwpt;

	OK_EQ(ioas_with_device(&ioas, &dev), 0, "IOAS + mock device");
	OK_EQ(iommunest_option_set(ctx, IOMMUNEST_OPTION_HUGE_PAGES, ioas, 0),
	      0, "huge pages off: one PTE per CPU page");
	OK_EQ(iommunest_hwpt_alloc_paging(ctx, dev.idev_id, ioas,
					  IOMMUNEST_HWPT_DIRTY_TRACKING, &hwpt),
	      0, "paging HWPT with DIRTY_TRACKING");
	OK_EQ(mock_domain(ctx, hwpt, &tracked), 0, "device on that HWPT");
	OK_EQ(iommunest_ioas_map(ctx, ioas, buf, BUF_LEN, IOVA_A,
				 IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE), 0,
	      "map a buffer");
	OK_EQ(iommunest_hwpt_set_dirty_tracking(ctx, hwpt, true), 0,
	      "dirty tracking on");
	OK_EQ(mock_dirty(ctx, hwpt, IOVA_A, BUF_LEN, &mark, &marks), 0,
	      "the mock IOMMU marks every fourth IO page dirty");
	OK_EQ(marks, npages / 4, "it marked a quarter of the pages");
	OK_EQ(iommunest_hwpt_get_dirty_bitmap(ctx, hwpt, IOVA_A, BUF_LEN,
					      MOCK_IO_PAGE, got,
					      IOMMUNEST_DIRTY_NO_CLEAR), 0,
	      "read the bitmap without clearing");
	OK_EQ(got[0], want, "the bitmap shows exactly the dirty PTEs");
	got[0] = 0;
	iommunest_hwpt_get_dirty_bitmap(ctx, hwpt, IOVA_A, BUF_LEN,
					MOCK_IO_PAGE, got, 0);
	OK_EQ(got[0], want, "still there after NO_CLEAR; this read clears");
	got[0] = 0;
	OK_EQ(iommunest_hwpt_get_dirty_bitmap(ctx, hwpt, IOVA_A, BUF_LEN,
					      MOCK_IO_PAGE, got, 0), 0,
	      "read again");
	OK_EQ(got[0], 0, "the bits were cleared by the previous read");
	OK_EQ(iommunest_hwpt_set_dirty_tracking(ctx, hwpt, false), 0,
	      "dirty tracking off");
	iommunest_destroy(ctx, tracked.stdev_id);
	iommunest_destroy(ctx, dev.stdev_id);
	iommunest_destroy(ctx, hwpt);
	iommunest_destroy(ctx, ioas);
	munmap(buf, BUF_LEN);
}

int main(void)
{
	int rc = iommunest_open(&ctx);

	OK_EQ(rc, 0, "iommunest_open opens /dev/iommu");
	if (rc)
		return tap_done();
	OK(iommunest_fd(ctx) >= 0, "the context has an fd");
	test_map_unmap();
	test_copy();
	test_iova_ranges();
	test_ranges_short_array();
	test_rlimit_mode();
	test_options();
	test_hw_info_and_paging();
	test_dirty_tracking();
	OK_EQ(iommunest_close(ctx), 0, "close");
	return tap_done();
}
