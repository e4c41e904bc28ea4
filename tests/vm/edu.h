/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * QEMU's "edu" teaching device, driven from userspace through its VFIO
 * cdev: its DMA engine copies between RAM (an IOVA, translated by the
 * guest's IOMMU) and a 4 KiB buffer inside the device.  That makes it a
 * probe of what the IOMMU really lets through.  Facts used: BAR0 holds
 * the DMA source (0x80), destination (0x88), count (0x90) and command
 * (0x98: bit 0 start/busy, bit 1 device-to-RAM); the device buffer sits
 * at 0x40000; the device masks DMA addresses to 28 bits.  A transfer
 * outside its buffer stops QEMU, so transfers stay well inside it.
 */
#ifndef EDU_H
#define EDU_H

#include <stdint.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define EDU_CDEV "/dev/vfio/devices/vfio0"
#define EDU_REG_SRC 0x80
#define EDU_REG_DST 0x88
#define EDU_REG_CNT 0x90
#define EDU_REG_CMD 0x98
#define EDU_CMD_START   1u
#define EDU_CMD_TO_RAM  2u
#define EDU_BUF 0x40000u
#define EDU_BUF_LEN 4096u
/* QEMU 7.2 wants a transfer to end strictly inside the buffer. */
#define EDU_XFER 2048u
#define EDU_DMA_LIMIT (1ull << 28)

/* VFIO region lookup (VFIO_DEVICE_GET_REGION_INFO). */
#define EDU_VFIO_GET_REGION_INFO _IO(';', 100 + 8)
#define EDU_REGION_BAR0 0
#define EDU_REGION_CONFIG 7
#define EDU_PCI_COMMAND 0x04
#define EDU_PCI_COMMAND_MASTER 0x4

struct edu_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	kabi_u64 size;
	kabi_u64 offset;
};

struct edu {
	int fd;
	uint64_t bar0; /* file offset of BAR0 in the device fd */
};

static inline int edu_region(int fd, uint32_t index, uint64_t *offset)
{
	struct edu_region_info ri = { .argsz = sizeof(ri), .index = index };

	if (ioctl(fd, EDU_VFIO_GET_REGION_INFO, &ri))
		return -errno;
	*offset = ri.offset;
	return 0;
}

static inline int edu_write64(struct edu *e, uint32_t reg, uint64_t v)
{
	return pwrite(e->fd, &v, sizeof(v), (off_t)(e->bar0 + reg)) ==
	       (ssize_t)sizeof(v) ? 0 : -EIO;
}

static inline uint64_t edu_read64(struct edu *e, uint32_t reg)
{
	uint64_t v = ~0ull;

	if (pread(e->fd, &v, sizeof(v), (off_t)(e->bar0 + reg)) !=
	    (ssize_t)sizeof(v))
		return ~0ull;
	return v;
}

/* Find BAR0 and let the device master the bus (vfio-pci leaves it off). */
static inline int edu_setup(struct edu *e, int fd)
{
	uint64_t cfg;
	uint16_t cmd;
	int rc;

	e->fd = fd;
	rc = edu_region(fd, EDU_REGION_BAR0, &e->bar0);
	if (!rc)
		rc = edu_region(fd, EDU_REGION_CONFIG, &cfg);
	if (rc)
		return rc;
	if (pread(fd, &cmd, sizeof(cmd), (off_t)(cfg + EDU_PCI_COMMAND)) != 2)
		return -EIO;
	cmd |= EDU_PCI_COMMAND_MASTER;
	if (pwrite(fd, &cmd, sizeof(cmd), (off_t)(cfg + EDU_PCI_COMMAND)) != 2)
		return -EIO;
	return 0;
}

/* One DMA; returns 0 once the engine went idle, -ETIMEDOUT if it did not
 * within about two seconds.  A DMA the IOMMU blocks still completes from
 * the device's view: only memory tells whether it got through. */
static inline int edu_dma(struct edu *e, uint64_t src, uint64_t dst,
			  uint64_t len, uint32_t cmd)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i;

	if (edu_write64(e, EDU_REG_SRC, src) ||
	    edu_write64(e, EDU_REG_DST, dst) ||
	    edu_write64(e, EDU_REG_CNT, len) ||
	    edu_write64(e, EDU_REG_CMD, cmd | EDU_CMD_START))
		return -EIO;
	for (i = 0; i < 200; i++) {
		if (!(edu_read64(e, EDU_REG_CMD) & EDU_CMD_START))
			return 0;
		nanosleep(&tick, NULL);
	}
	return -ETIMEDOUT;
}

/* RAM at iova -> the device's buffer. */
static inline int edu_from_ram(struct edu *e, uint64_t iova, uint64_t len)
{
	return edu_dma(e, iova, EDU_BUF, len, 0);
}

/* The device's buffer -> RAM at iova. */
static inline int edu_to_ram(struct edu *e, uint64_t iova, uint64_t len)
{
	return edu_dma(e, EDU_BUF, iova, len, EDU_CMD_TO_RAM);
}

#endif /* EDU_H */
