/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * QEMU's "edu" teaching device (PCI 1234:11e8), driven from user space
 * through its VFIO cdev: its DMA engine copies between RAM, addressed by
 * an IOVA the IOMMU translates, and a 4 KiB buffer inside the device,
 * which makes it a probe of what the IOMMU really lets through.  Shared
 * by the examples and the test VM's programs.  Functions return 0 or a
 * negative errno and print nothing.
 */
#ifndef EXAMPLES_EDU_H
#define EXAMPLES_EDU_H

#include <stdbool.h>
#include <stdint.h>

#define EDU_VENDOR 0x1234u
#define EDU_DEVICE 0x11e8u
/* The device's buffer, as the DMA engine addresses it.  A transfer must
 * end strictly inside its 4 KiB or QEMU stops the whole machine. */
#define EDU_BUFFER 0x40000u
#define EDU_XFER   2048u
/* The engine drives 28 address bits: IOVAs stay below 256 MiB. */
#define EDU_DMA_LIMIT (1ull << 28)

struct edu {
	int fd;                   /* the VFIO device cdev (not owned) */
	uint64_t bar0, config;    /* file offsets of its regions */
	uint16_t vendor, device;  /* PCI IDs read by edu_setup() */
};

/* Is the PCI device behind this VFIO cdev path an edu device?  Asked of
 * sysfs, so finding edu opens no other device. */
bool edu_sysfs_match(const char *cdev);

/* Find the regions of the bound device fd, check its IDs (-ENODEV when it
 * is not edu; the IDs are in e) and turn bus mastering on: vfio-pci leaves
 * it off, and without it the engine moves nothing. */
int edu_setup(struct edu *e, int fd);

/* One transfer of len bytes; 0 once the engine went idle, -ETIMEDOUT if
 * it did not within about two seconds.  A DMA the IOMMU blocks still
 * completes for the device: only memory tells whether it got through. */
int edu_from_ram(const struct edu *e, uint64_t iova, uint32_t len);
int edu_to_ram(const struct edu *e, uint64_t iova, uint32_t len);

#endif /* EXAMPLES_EDU_H */
