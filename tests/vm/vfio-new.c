/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, vfio profile: the 0.2 API with a real device behind
 * the emulated Intel VT-d.  Feature discovery on a real IOMMU; MAP_FILE
 * proven by the edu device's DMA into a memfd page (6.13 on); the PASID
 * attach calls refused cleanly for a device without PASID; a kernel that
 * lacks a call answers with the library's -ENOSYS.
 */
#define _GNU_SOURCE /* memfd_create */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "vmtest.h"
#include "edu.h" /* examples/: QEMU's edu device */

#define PAGE 4096ull
#define IOVA_SRC 0x100000ull
#define IOVA_DST 0x200000ull

static struct iommunest_ctx *ctx;
static struct edu edu;
static int vfio_fd = -1;
static uint32_t dev_id;
#define has kernel_has

static void test_features(void)
{
	struct iommunest_features f;

	memset(&f, 0, sizeof(f));
	OK_EQ(iommunest_features(ctx, dev_id, IOMMUNEST_FEATURES_PROBE, &f),
	      0, "features of the kernel and the VT-d behind edu");
	printf("# ioctls 0x%llx hwpt data 0x%x inv 0x%x viommu 0x%x\n",
	       (unsigned long long)f.ioctls, f.hwpt_data_types, f.inv_types,
	       f.viommu_types);
	OK_EQ(f.hw_info_type, IOMMUNEST_HW_INFO_INTEL_VTD, "VT-d found");
	OK(f.hwpt_data_types == 0 && f.inv_types == 0,
	   "no nested types: this VT-d cannot nest");
	OK(!!(f.ioctls & IOMMUNEST_FEAT_MAP_FILE) == has(6, 13),
	   "MAP_FILE %s", has(6, 13) ? "found" : "absent, as on 6.12");
	OK(f.viommu_types == 0 && f.veventq_types == 0,
	   "no vIOMMU types for VT-d");
	OK(!(f.caps & IOMMUNEST_CAP_NESTING),
	   "no nesting: the emulated VT-d does not set ECAP.NEST");
}

static int all_bytes(const uint8_t *p, uint8_t v, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* The device writes into a memfd's page mapped by MAP_FILE. */
static void test_map_file_dma(void)
{
	uint8_t *src = vm_buffer(PAGE), *view;
	uint32_t ioas = 0;
	int mfd, rc;

	OK_EQ(iommunest_ioas_alloc(ctx, &ioas), 0, "IOAS for MAP_FILE");
	OK_EQ(iommunest_device_attach(ctx, vfio_fd, ioas), 0,
	      "device attached to it");
	OK_EQ(edu_setup(&edu, vfio_fd), 0, "edu BAR0 found, bus master on");
	mfd = memfd_create("inest-dma", 0);
	OK(mfd >= 0 && ftruncate(mfd, 4 * (off_t)PAGE) == 0, "memfd, 4 pages");
	view = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd,
		    0);
	memset(view, 0, 4 * PAGE);
	rc = iommunest_ioas_map_file(ctx, ioas, mfd, 2 * PAGE, PAGE, IOVA_DST,
				     IOMMUNEST_MAP_WRITE);
	OK_EQ(rc, has(6, 13) ? 0 : -ENOSYS,
	      "MAP_FILE of the memfd's third page");
	if (!rc) {
		memset(src, 0x6b, PAGE);
		OK_EQ(iommunest_ioas_map(ctx, ioas, src, PAGE, IOVA_SRC,
					 IOMMUNEST_MAP_READ), 0,
		      "source page mapped");
		OK_EQ(edu_from_ram(&edu, IOVA_SRC, EDU_XFER), 0,
		      "DMA RAM -> device");
		OK_EQ(edu_to_ram(&edu, IOVA_DST, EDU_XFER), 0,
		      "DMA device -> the MAP_FILE IOVA");
		OK(all_bytes(view + 2 * PAGE, 0x6b, EDU_XFER),
		   "the bytes arrived in the memfd's third page");
		OK(all_bytes(view, 0, 2 * PAGE) &&
		   all_bytes(view + 3 * PAGE, 0, PAGE),
		   "and nowhere else in the memfd");
	}
	OK_EQ(iommunest_device_detach(ctx, vfio_fd), 0, "detach");
	iommunest_ioas_unmap_all(ctx, ioas, NULL);
	iommunest_destroy(ctx, ioas);
	munmap(view, 4 * PAGE);
	close(mfd);
}

/*
 * The VFIO cdev's PASID calls.  7.3 takes them (edu reports no PASID
 * width, yet VT-d accepts the attachment; no test device can issue
 * PASID-tagged DMA, so only the kernel's bookkeeping is seen) and refuses
 * a PASID while the RID's page table is not PASID-compatible; 6.12's VFIO
 * has no PASID attach: the library says -ENOSYS.
 */
static void test_pasid(void)
{
	struct iommunest_hwpt_args a = { .dev_id = dev_id,
					 .flags = IOMMUNEST_HWPT_PASID };
	uint32_t ioas = 0, h1 = 0, h2 = 0;
	int newer = has(6, 15);

	iommunest_ioas_alloc(ctx, &ioas);
	a.pt_id = ioas;
	OK_EQ(iommunest_device_attach(ctx, vfio_fd, ioas), 0,
	      "the RID on its IOAS (automatic, not PASID-compatible)");
	OK_EQ(iommunest_hwpt_alloc(ctx, &a, &h1), newer ? 0 : -EOPNOTSUPP,
	      "paging HWPT with ALLOC_PASID: %s",
	      newer ? "allocated" : "EOPNOTSUPP from 6.12");
	OK_EQ(iommunest_device_pasid_attach(ctx, vfio_fd, 1, newer ? h1 : ioas),
	      newer ? -EINVAL : -ENOSYS, "PASID attach while the RID's table "
	      "is not PASID-compatible: %s", newer ? "EINVAL" : "-ENOSYS");
	if (newer) {
		iommunest_hwpt_alloc(ctx, &a, &h2);
		OK_EQ(iommunest_device_replace(ctx, vfio_fd, h1), 0,
		      "the RID moved onto a PASID-compatible HWPT");
		OK_EQ(iommunest_device_pasid_attach(ctx, vfio_fd, 1, h1), 0,
		      "PASID 1 attached");
		OK_EQ(iommunest_device_pasid_replace(ctx, vfio_fd, 1, h2), 0,
		      "PASID 1 replaced onto another HWPT");
		OK_EQ(iommunest_destroy(ctx, h2), -EBUSY,
		      "that HWPT is in use by the PASID");
	}
	OK_EQ(iommunest_device_pasid_detach(ctx, vfio_fd, 1),
	      newer ? 0 : -ENOSYS, "PASID 1 detached%s",
	      newer ? "" : ": -ENOSYS on 6.12");
	if (newer)
		OK_EQ(iommunest_destroy(ctx, h2), 0,
		      "the PASID's HWPT is free again");
	iommunest_device_detach(ctx, vfio_fd);
	if (h1)
		iommunest_destroy(ctx, h1);
	iommunest_destroy(ctx, ioas);
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
	test_features();
	test_map_file_dma();
	test_pasid();
	close(vfio_fd);
	OK_EQ(iommunest_close(ctx), 0, "close");
	return tap_done();
}
