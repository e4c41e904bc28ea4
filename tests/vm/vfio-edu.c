/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, vfio profile: QEMU's edu device behind an emulated
 * Intel VT-d, bound to vfio-pci and driven through the library.  Its DMA
 * engine proves that a mapping really reaches memory and that an unmapped,
 * replaced-away or detached IOVA really does not.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "vmtest.h"
#include "edu.h" /* examples/: QEMU's edu device */
#include "libiommunest/tracker.h"

#define PAGE 4096ull
#define IOVA_SRC 0x100000ull /* below the edu's 28-bit DMA limit */
#define IOVA_DST 0x200000ull

static struct iommunest_ctx *ctx;
static struct edu edu;
static int vfio_fd = -1;
static uint32_t dev_id;

/* Fill the device buffer from a source page seen at IOVA_SRC. */
static int load_device(uint32_t ioas, uint8_t *src, uint8_t pattern)
{
	int rc;

	memset(src, pattern, PAGE);
	rc = iommunest_ioas_map(ctx, ioas, src, PAGE, IOVA_SRC,
				IOMMUNEST_MAP_READ);
	if (!rc)
		rc = edu_from_ram(&edu, IOVA_SRC, EDU_XFER);
	if (!rc)
		rc = iommunest_ioas_unmap(ctx, ioas, IOVA_SRC, PAGE, NULL);
	return rc;
}

static int all_bytes(const uint8_t *p, uint8_t v)
{
	uint64_t i;

	for (i = 0; i < EDU_XFER; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void test_info(void)
{
	struct iommunest_hw_info info;
	uint32_t ioas, hwpt;
	int rc;

	OK_EQ(iommunest_hw_info(ctx, dev_id, &info), 0, "hardware info");
	OK_EQ(info.type, IOMMUNEST_HW_INFO_INTEL_VTD, "the IOMMU is Intel VT-d");
	OK(info.u.vtd.cap_reg && info.u.vtd.ecap_reg,
	   "cap 0x%llx ecap 0x%llx", (unsigned long long)info.u.vtd.cap_reg,
	   (unsigned long long)info.u.vtd.ecap_reg);
	OK(info.addr_bits >= 39, "address width %u bits", info.addr_bits);
	OK(info.pgsize_bitmap & PAGE, "4 KiB pages supported");
	OK(!(info.caps & IOMMUNEST_CAP_NESTING),
	   "QEMU's VT-d does not claim nesting");
	OK_EQ(iommunest_ioas_alloc(ctx, &ioas), 0, "IOAS alloc");
	rc = iommunest_hwpt_alloc_paging(ctx, dev_id, ioas,
					 IOMMUNEST_HWPT_NEST_PARENT, &hwpt);
	OK_EQ(rc, -EOPNOTSUPP, "a NEST_PARENT HWPT is refused cleanly");
	rc = iommunest_hwpt_alloc_paging(ctx, dev_id, ioas,
					 IOMMUNEST_HWPT_DIRTY_TRACKING, &hwpt);
	if (info.caps & IOMMUNEST_CAP_DIRTY_TRACKING) {
		OK_EQ(rc, 0, "dirty tracking HWPT where the IOMMU has it");
		iommunest_destroy(ctx, hwpt);
	} else {
		OK_EQ(rc, -EOPNOTSUPP,
		      "no dirty tracking claimed: its HWPT is refused");
	}
	OK_EQ(iommunest_hwpt_alloc_paging(ctx, dev_id, ioas, 0, &hwpt), 0,
	      "a plain paging HWPT");
	OK_EQ(iommunest_destroy(ctx, hwpt), 0, "destroyed");
	OK_EQ(iommunest_destroy(ctx, ioas), 0, "IOAS destroyed");
}

/*
 * QEMU's VT-d has no nesting: a nested switch is refused before the device
 * moves, and DMA still reaches the page of the IOAS it is attached to.
 */
static void test_nested_refused(uint32_t ioas, uint8_t *page)
{
	struct kabi_hwpt_vtd_s1 s1 = { .pgtbl_addr = 0x1000, .addr_width = 48 };
	uint32_t paging, cur = 0;
	int rc;

	OK_EQ(iommunest_hwpt_alloc_paging(ctx, dev_id, ioas, 0, &paging), 0,
	      "a plain paging HWPT as would-be parent");
	rc = iommunest_hwpt_alloc_vtd_s1(ctx, dev_id, paging, 0x1000, 48, 0,
					 &cur);
	OK(rc == -EINVAL || rc == -EOPNOTSUPP,
	   "a VT-d stage-1 nested HWPT is refused cleanly (%d)", rc);
	rc = iommunest_nested_switch(ctx, vfio_fd, dev_id, paging,
				     IOMMUNEST_HWPT_DATA_VTD_S1, &s1,
				     sizeof(s1), &cur);
	OK(rc == -EINVAL || rc == -EOPNOTSUPP,
	   "a nested switch is refused before the device moves (%d)", rc);
	OK_EQ(cur, 0, "no nested HWPT was reported");
	memset(page, 0, PAGE);
	edu_to_ram(&edu, IOVA_DST, EDU_XFER);
	OK(all_bytes(page, 0x33), "DMA still lands where it did before");
	OK_EQ(iommunest_destroy(ctx, paging), 0, "would-be parent destroyed");
}

static void test_dma(void)
{
	uint8_t *src = vm_buffer(PAGE), *a = vm_buffer(PAGE),
		*b = vm_buffer(PAGE);
	struct iommunest_iova_range r[8];
	uint32_t ioas_a, ioas_b;
	int n;

	OK_EQ(iommunest_ioas_alloc(ctx, &ioas_a), 0, "IOAS A");
	OK_EQ(iommunest_device_attach(ctx, vfio_fd, ioas_a), 0,
	      "attach the device to A");
	n = iommunest_ioas_iova_ranges(ctx, ioas_a, r, 8, NULL);
	OK(n >= 1 && n <= 8 && r[0].start <= IOVA_SRC && r[0].last > IOVA_DST,
	   "A's allowed ranges (%d) cover the test IOVAs", n);
	OK_EQ(edu_setup(&edu, vfio_fd), 0, "edu BAR0 found, bus master on");

	OK_EQ(load_device(ioas_a, src, 0x5a), 0, "DMA RAM -> device via A");
	memset(a, 0, PAGE);
	OK_EQ(iommunest_ioas_map(ctx, ioas_a, a, PAGE, IOVA_DST,
				 IOMMUNEST_MAP_WRITE), 0, "map page a in A");
	OK_EQ(edu_to_ram(&edu, IOVA_DST, EDU_XFER), 0, "DMA device -> RAM");
	OK(all_bytes(a, 0x5a), "the bytes arrived in page a through VT-d");

	OK_EQ(iommunest_ioas_unmap(ctx, ioas_a, IOVA_DST, PAGE, NULL), 0,
	      "unmap page a");
	memset(a, 0, PAGE);
	OK_EQ(load_device(ioas_a, src, 0x33), 0, "device loaded with 0x33");
	edu_to_ram(&edu, IOVA_DST, EDU_XFER);
	OK(all_bytes(a, 0), "after unmap a DMA to that IOVA does not reach a");

	OK_EQ(iommunest_ioas_alloc(ctx, &ioas_b), 0, "IOAS B");
	memset(b, 0, PAGE);
	OK_EQ(iommunest_ioas_map(ctx, ioas_b, b, PAGE, IOVA_DST,
				 IOMMUNEST_MAP_WRITE), 0, "map page b in B");
	OK_EQ(iommunest_ioas_map(ctx, ioas_a, a, PAGE, IOVA_DST,
				 IOMMUNEST_MAP_WRITE), 0, "map page a in A again");
	OK_EQ(iommunest_device_replace(ctx, vfio_fd, ioas_b), 0,
	      "replace: the device moves from A to B");
	edu_to_ram(&edu, IOVA_DST, EDU_XFER);
	OK(all_bytes(b, 0x33), "DMA now lands in B's page");
	OK(all_bytes(a, 0), "and not in A's page at the same IOVA");

	test_nested_refused(ioas_b, b);

	OK_EQ(iommunest_device_detach(ctx, vfio_fd), 0, "detach");
	memset(b, 0, PAGE);
	edu_to_ram(&edu, IOVA_DST, EDU_XFER);
	OK(all_bytes(b, 0) && all_bytes(a, 0),
	   "a detached device reaches neither page");
	OK_EQ(iommunest_ioas_unmap_all(ctx, ioas_a, NULL), 0, "unmap all of A");
	OK_EQ(iommunest_ioas_unmap_all(ctx, ioas_b, NULL), 0, "unmap all of B");
	OK_EQ(iommunest_destroy(ctx, ioas_a) | iommunest_destroy(ctx, ioas_b),
	      0, "both IOASes destroyed");
}

/*
 * The tracker switches the device from guest domain A to B.  Both map the
 * source page at IOVA_SRC; only A maps page a at IOVA_DST and only B maps
 * page b at IOVA_B.  RAM: the three pages at guest-physical 0, 1, 2.
 */
#define IOVA_B 0x400000ull

static void test_tracker(void)
{
	uint8_t *src = vm_buffer(PAGE), *a = vm_buffer(PAGE),
		*b = vm_buffer(PAGE);
	struct iommunest_tracker *t = NULL;
	struct iommunest_sink sink;
	uint32_t ioas;
	int rc;

	OK_EQ(iommunest_ioas_alloc(ctx, &ioas) |
	      iommunest_device_attach(ctx, vfio_fd, ioas), 0,
	      "tracker: the device on its own IOAS");
	iommunest_sink_ioas(ctx, &sink);
	rc = iommunest_tracker_new(&sink, 0, &t);
	rc |= iommunest_tracker_add_ram(t, 0, PAGE, src);
	rc |= iommunest_tracker_add_ram(t, PAGE, PAGE, a);
	rc |= iommunest_tracker_add_ram(t, 2 * PAGE, PAGE, b);
	rc |= iommunest_tracker_device_add(t, 1, ioas, NULL, NULL);
	rc |= iommunest_tracker_domain_add(t, 1) |
	      iommunest_tracker_domain_add(t, 2);
	rc |= iommunest_tracker_map(t, 1, IOVA_SRC, PAGE, 0,
				    IOMMUNEST_MAP_READ);
	rc |= iommunest_tracker_map(t, 1, IOVA_DST, PAGE, PAGE,
				    IOMMUNEST_MAP_WRITE);
	rc |= iommunest_tracker_map(t, 2, IOVA_SRC, PAGE, 0,
				    IOMMUNEST_MAP_READ);
	rc |= iommunest_tracker_map(t, 2, IOVA_B, PAGE, 2 * PAGE,
				    IOMMUNEST_MAP_WRITE);
	OK_EQ(rc, 0, "tracker: RAM, device, domains A and B");
	if (rc)
		return;
	memset(src, 0x6c, PAGE);
	memset(a, 0, PAGE);
	memset(b, 0, PAGE);
	OK_EQ(iommunest_tracker_set_domain(t, 1, 1), 0, "tracker: device -> A");
	edu_from_ram(&edu, IOVA_SRC, EDU_XFER);
	edu_to_ram(&edu, IOVA_DST, EDU_XFER);
	OK(all_bytes(a, 0x6c), "in A: DMA to A's IOVA reaches A's page");
	memset(a, 0, PAGE);
	OK_EQ(iommunest_tracker_set_domain(t, 1, 2), 0, "tracker: A -> B");
	edu_to_ram(&edu, IOVA_B, EDU_XFER);
	OK(all_bytes(b, 0x6c), "in B: DMA to B's IOVA reaches B's page");
	edu_to_ram(&edu, IOVA_DST, EDU_XFER);
	OK(all_bytes(a, 0), "in B: DMA to the IOVA only A had does not "
	   "reach A's page");
	OK_EQ(iommunest_tracker_set_blocked(t, 1), 0, "tracker: blocked");
	memset(b, 0, PAGE);
	edu_to_ram(&edu, IOVA_B, EDU_XFER);
	OK(all_bytes(b, 0), "blocked: DMA reaches nothing");
	iommunest_tracker_free(t);
	iommunest_device_detach(ctx, vfio_fd);
	OK_EQ(iommunest_destroy(ctx, ioas), 0, "tracker: IOAS destroyed");
}

/*
 * No holes with real DMA: seven single-page guest mappings replay as one
 * host area; the guest unmaps the fourth.  Between every host operation
 * of that unmap the device writes to the sixth page, which the guest
 * keeps: every write must arrive.  Afterwards a write to the unmapped
 * page must not.  Done the 0.1 way too (no replace function), where the
 * same check must see writes lost.
 */
#define IOVA_R 0x600000ull
#define NPAGES 8 /* gpa 0: the source page; 1..7 behind IOVA_R */

static struct {
	uint8_t *ram;
	unsigned int writes, lost;
	bool armed;
} dm;

/* The device writes the kept page; did it arrive? */
static void dm_probe(void)
{
	uint8_t *kept = dm.ram + 6 * PAGE; /* IOVA_R + 5 pages */

	if (!dm.armed)
		return;
	memset(kept, 0, PAGE);
	dm.writes++;
	if (edu_to_ram(&edu, IOVA_R + 5 * PAGE, EDU_XFER) ||
	    !all_bytes(kept, 0x5a))
		dm.lost++;
}

static int dm_replace(void *opaque, uint32_t pt_id)
{
	int rc = iommunest_device_replace(ctx, vfio_fd, pt_id);

	(void)opaque;
	dm_probe();
	return rc;
}

static struct iommunest_tracker *dm_tracker(bool movable, uint32_t ioas)
{
	struct iommunest_sink sink;
	struct iommunest_sink_ext ext;
	struct iommunest_tracker *t = NULL;
	uint64_t i;
	int rc;

	vt_watched_sink(ctx, dm_probe, &sink, &ext);
	rc = iommunest_tracker_new(&sink, 0, &t);
	if (rc)
		return NULL;
	rc |= iommunest_tracker_set_sink_ext(t, &ext);
	rc |= iommunest_tracker_add_ram(t, 0, NPAGES * PAGE, dm.ram);
	rc |= iommunest_tracker_device_add(t, 1, ioas,
					   movable ? dm_replace : NULL, NULL);
	rc |= iommunest_tracker_domain_add(t, 1);
	rc |= iommunest_tracker_map(t, 1, IOVA_SRC, PAGE, 0,
				    IOMMUNEST_MAP_READ);
	for (i = 0; i < 7; i++)
		rc |= iommunest_tracker_map(t, 1, IOVA_R + i * PAGE, PAGE,
					    (1 + i) * PAGE, IOMMUNEST_MAP_WRITE);
	rc |= iommunest_tracker_set_domain(t, 1, 1);
	if (rc) {
		iommunest_tracker_free(t);
		return NULL;
	}
	return t;
}

static void test_no_holes_dma(bool movable)
{
	const char *how = movable ? "no holes" : "0.1 way";
	struct iommunest_tracker *t;
	uint8_t *gone;
	uint32_t ioas;
	int rc;

	memset(&dm, 0, sizeof(dm));
	dm.ram = vm_buffer(NPAGES * PAGE);
	if (!dm.ram)
		return;
	gone = dm.ram + 4 * PAGE; /* IOVA_R + 3 pages */
	rc = iommunest_ioas_alloc(ctx, &ioas) |
	     iommunest_device_attach(ctx, vfio_fd, ioas);
	t = rc ? NULL : dm_tracker(movable, ioas);
	OK(t != NULL, "%s DMA: seven pages in one host area", how);
	if (!t)
		return;
	memset(dm.ram, 0x5a, PAGE);
	OK_EQ(edu_from_ram(&edu, IOVA_SRC, EDU_XFER), 0,
	      "%s DMA: the device loads its buffer", how);
	dm.armed = true;
	dm_probe();
	OK(dm.lost == 0, "%s DMA: the kept page is reached before the unmap",
	   how);
	rc = iommunest_tracker_unmap(t, 1, IOVA_R + 3 * PAGE, PAGE);
	dm.armed = false;
	OK_EQ(rc, 0, "%s DMA: the guest unmaps the fourth page", how);
	if (movable)
		OK(dm.lost == 0, "no holes DMA: all %u writes to the kept page "
		   "arrived, one after every host operation", dm.writes);
	else
		OK(dm.lost > 0, "0.1 way DMA: %u of %u writes to the kept "
		   "page were lost (the check can fail)", dm.lost, dm.writes);
	memset(gone, 0, PAGE);
	edu_to_ram(&edu, IOVA_R + 3 * PAGE, EDU_XFER);
	OK(all_bytes(gone, 0), "%s DMA: a write to the unmapped page does "
	   "not arrive", how);
	OK_EQ(iommunest_tracker_device_remove(t, 1), 0,
	      "%s DMA: removed, back on its own IOAS", how);
	iommunest_tracker_free(t);
	iommunest_device_detach(ctx, vfio_fd);
	OK_EQ(iommunest_destroy(ctx, ioas), 0, "%s DMA: IOAS destroyed", how);
}

int main(void)
{
	OK_EQ(iommunest_open(&ctx), 0, "open /dev/iommu");
	vfio_fd = open(EDU_CDEV, O_RDWR | O_CLOEXEC);
	OK(vfio_fd >= 0, "open " EDU_CDEV);
	if (!ctx || vfio_fd < 0)
		return tap_done();
	OK_EQ(iommunest_device_bind(ctx, vfio_fd, &dev_id), 0,
	      "bind the edu device");
	OK(dev_id != 0, "device ID %u", dev_id);
	OK_EQ(iommunest_device_bind(ctx, vfio_fd, &dev_id), -EINVAL,
	      "a second bind of the same fd is refused by the kernel");
	test_info();
	test_dma();
	test_tracker();
	test_no_holes_dma(true);
	test_no_holes_dma(false);
	close(vfio_fd);
	OK_EQ(iommunest_close(ctx), 0, "close");
	return tap_done();
}
