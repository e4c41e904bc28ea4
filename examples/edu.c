/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* QEMU's edu device through its VFIO cdev: finding it, its DMA engine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "edu.h"

/* BAR0 registers. */
#define EDU_DMA_SRC    0x80
#define EDU_DMA_DST    0x88
#define EDU_DMA_COUNT  0x90
#define EDU_DMA_CMD    0x98
#define EDU_CMD_START  (1u << 0) /* write: start; read: still busy */
#define EDU_CMD_TO_RAM (1u << 1) /* device buffer -> RAM */

/* A hex attribute of the PCI device behind a cdev (0 if unknown). */
static unsigned int pci_attr(const char *cdev, const char *attr)
{
	const char *name = strrchr(cdev, '/');
	unsigned int value = 0;
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/vfio-dev/%s/device/%s",
		 name ? name + 1 : cdev, attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%x", &value) != 1)
		value = 0;
	fclose(f);
	return value;
}

bool edu_sysfs_match(const char *cdev)
{
	return pci_attr(cdev, "vendor") == EDU_VENDOR &&
	       pci_attr(cdev, "device") == EDU_DEVICE;
}

static int region_offset(int fd, uint32_t index, uint64_t *off)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = index };

	if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &ri))
		return -errno;
	*off = ri.offset;
	return 0;
}

static int rw_region(int fd, bool write, uint64_t off, void *buf,
		     size_t len)
{
	ssize_t n = write ? pwrite(fd, buf, len, (off_t)off)
			  : pread(fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int reg_write(const struct edu *e, uint32_t reg, uint64_t value)
{
	return rw_region(e->fd, true, e->bar0 + reg, &value, sizeof(value));
}

int edu_setup(struct edu *e, int fd)
{
	uint16_t id[2] = { 0, 0 }, cmd = 0;
	int rc;

	memset(e, 0, sizeof(*e));
	e->fd = fd;
	rc = region_offset(fd, VFIO_PCI_BAR0_REGION_INDEX, &e->bar0);
	if (!rc)
		rc = region_offset(fd, VFIO_PCI_CONFIG_REGION_INDEX,
				   &e->config);
	if (!rc)
		rc = rw_region(fd, false, e->config + PCI_VENDOR_ID, id,
			       sizeof(id));
	if (rc)
		return rc;
	e->vendor = id[0];
	e->device = id[1];
	if (id[0] != EDU_VENDOR || id[1] != EDU_DEVICE)
		return -ENODEV;
	rc = rw_region(fd, false, e->config + PCI_COMMAND, &cmd, sizeof(cmd));
	cmd |= PCI_COMMAND_MASTER;
	return rc ? rc : rw_region(fd, true, e->config + PCI_COMMAND, &cmd,
				   sizeof(cmd));
}

static int edu_dma(const struct edu *e, uint64_t src, uint64_t dst,
		   uint32_t len, uint32_t cmd)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	uint64_t status;
	int rc, i;

	rc = reg_write(e, EDU_DMA_SRC, src);
	if (!rc)
		rc = reg_write(e, EDU_DMA_DST, dst);
	if (!rc)
		rc = reg_write(e, EDU_DMA_COUNT, len);
	if (!rc)
		rc = reg_write(e, EDU_DMA_CMD, cmd | EDU_CMD_START);
	for (i = 0; !rc && i < 200; i++) {
		rc = rw_region(e->fd, false, e->bar0 + EDU_DMA_CMD, &status,
			       sizeof(status));
		if (!rc && !(status & EDU_CMD_START))
			return 0;
		nanosleep(&tick, NULL);
	}
	return rc ? rc : -ETIMEDOUT;
}

int edu_from_ram(const struct edu *e, uint64_t iova, uint32_t len)
{
	return edu_dma(e, iova, EDU_BUFFER, len, 0);
}

int edu_to_ram(const struct edu *e, uint64_t iova, uint32_t len)
{
	return edu_dma(e, EDU_BUFFER, iova, len, EDU_CMD_TO_RAM);
}
