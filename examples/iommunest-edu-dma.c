/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest-edu-dma: real DMA through the IOMMU, with QEMU's edu device.
 *
 * The edu device (PCI 1234:11e8) has a small DMA engine that copies
 * between RAM, addressed by IOVA, and a 4 KiB buffer inside the device.
 * Driven from user space through its VFIO cdev, it shows what a mapping
 * means: a DMA to a mapped IOVA lands in our buffer, and once the IOVA is
 * unmapped the IOMMU stops the same DMA.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include <libiommunest/iommunest.h>

#include "common.h"

static const char usage[] =
"usage: iommunest-edu-dma [DEVICE]\n"
"\n"
"Bind QEMU's edu device (PCI 1234:11e8; DEVICE is its VFIO cdev, default:\n"
"the first edu device in " EX_CDEV_DIR "), attach it to an IOAS, map\n"
"a buffer, let the device DMA into it and show the bytes arrived; then\n"
"unmap the buffer and show that the same DMA no longer arrives.\n"
"\n"
"  -h, --help  print this help\n"
"\n"
"Exit status: 0 done, 1 failed (one-line reason on stderr), 2 bad usage,\n"
"77 no iommufd or no edu device here.\n";

#define EDU_VENDOR     0x1234
#define EDU_DEVICE     0x11e8
/* BAR0 registers. */
#define EDU_DMA_SRC    0x80
#define EDU_DMA_DST    0x88
#define EDU_DMA_COUNT  0x90
#define EDU_DMA_CMD    0x98
#define EDU_CMD_START  (1u << 0) /* write: start; read: still busy */
#define EDU_CMD_TO_RAM (1u << 1) /* device buffer -> RAM */
/* The device's buffer, as the DMA engine addresses it.  A transfer must
 * end strictly inside its 4 KiB or QEMU stops the whole machine. */
#define EDU_BUFFER     0x40000u
#define XFER           2048u
/* The engine drives 28 address bits: IOVAs stay below 256 MiB. */
#define EDU_DMA_LIMIT  (1ull << 28)

#define SRC_IOVA 0x100000ull
#define DST_IOVA 0x200000ull

struct edu {
	struct iommunest_ctx *ctx;
	struct ex_device dev;
	uint32_t ioas;
	uint64_t bar0;   /* file offsets of regions in the cdev */
	uint64_t config;
	uint8_t *src, *dst;
};

/* ---- Finding the device ------------------------------------------------ */

/* A hex attribute of the PCI device behind a cdev, from sysfs (0 if
 * unknown): finding the edu device this way opens no other device. */
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

static bool sysfs_is_edu(const char *cdev)
{
	return pci_attr(cdev, "vendor") == EDU_VENDOR &&
	       pci_attr(cdev, "device") == EDU_DEVICE;
}

/* The target: the given cdev, else the first edu device's. */
static int find_edu(const char *path, struct ex_target *t)
{
	char **cdevs;
	int n, i;

	memset(t, 0, sizeof(*t));
	if (path) {
		t->path = strdup(path);
		return t->path ? EX_OK : ex_fail(EX_FAIL, "out of memory");
	}
	n = ex_list_cdevs(&cdevs);
	if (n < 0)
		return ex_check(n, "listing " EX_CDEV_DIR);
	for (i = 0; i < n && !sysfs_is_edu(cdevs[i]); i++)
		;
	if (i < n)
		t->path = strdup(cdevs[i]);
	ex_free_paths(cdevs);
	if (i == n)
		return ex_fail(EX_UNSUPPORTED, "no QEMU edu device (1234:11e8) "
			       "in " EX_CDEV_DIR);
	return t->path ? EX_OK : ex_fail(EX_FAIL, "out of memory");
}

/* ---- VFIO regions and the edu registers -------------------------------- */

static int region_offset(const struct edu *e, uint32_t index, uint64_t *off)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = index };

	if (ioctl(e->dev.vfio_fd, VFIO_DEVICE_GET_REGION_INFO, &ri))
		return -errno;
	*off = ri.offset;
	return 0;
}

static int rw_region(const struct edu *e, bool write, uint64_t off,
		     void *buf, size_t len)
{
	ssize_t n = write ? pwrite(e->dev.vfio_fd, buf, len, (off_t)off)
			  : pread(e->dev.vfio_fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int edu_write(const struct edu *e, uint32_t reg, uint64_t value)
{
	return rw_region(e, true, e->bar0 + reg, &value, sizeof(value));
}

/* Check the IDs, then turn on bus mastering: vfio-pci leaves it off,
 * and without it the engine moves nothing. */
static int setup_pci(struct edu *e)
{
	uint16_t id[2], cmd;
	int rc = region_offset(e, VFIO_PCI_BAR0_REGION_INDEX, &e->bar0);

	if (!rc)
		rc = region_offset(e, VFIO_PCI_CONFIG_REGION_INDEX, &e->config);
	if (!rc)
		rc = rw_region(e, false, e->config + PCI_VENDOR_ID, id,
			       sizeof(id));
	if (rc)
		return ex_check(rc, "%s: VFIO regions", e->dev.name);
	if (id[0] != EDU_VENDOR || id[1] != EDU_DEVICE)
		return ex_fail(EX_FAIL, "%s: PCI %04x:%04x is not QEMU's edu "
			       "device (1234:11e8)", e->dev.name, id[0], id[1]);
	rc = rw_region(e, false, e->config + PCI_COMMAND, &cmd, sizeof(cmd));
	cmd |= PCI_COMMAND_MASTER;
	if (!rc)
		rc = rw_region(e, true, e->config + PCI_COMMAND, &cmd,
			       sizeof(cmd));
	return ex_check(rc, "%s: enable bus mastering", e->dev.name);
}

/* Start one transfer and wait (up to two seconds) for the engine to go
 * idle.  A DMA the IOMMU blocks still completes for the device: only our
 * memory tells whether it arrived. */
static int edu_dma(const struct edu *e, uint64_t src, uint64_t dst,
		   uint32_t cmd)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	uint64_t status;
	int rc, i;

	rc = edu_write(e, EDU_DMA_SRC, src);
	if (!rc)
		rc = edu_write(e, EDU_DMA_DST, dst);
	if (!rc)
		rc = edu_write(e, EDU_DMA_COUNT, XFER);
	if (!rc)
		rc = edu_write(e, EDU_DMA_CMD, cmd | EDU_CMD_START);
	for (i = 0; !rc && i < 200; i++) {
		rc = rw_region(e, false, e->bar0 + EDU_DMA_CMD, &status,
			       sizeof(status));
		if (!rc && !(status & EDU_CMD_START))
			return 0;
		nanosleep(&tick, NULL);
	}
	return rc ? rc : -ETIMEDOUT;
}

/* ---- The demonstration ------------------------------------------------- */

static int map(struct edu *e, void *buf, uint64_t iova, uint32_t perm,
	       const char *what)
{
	int rc = iommunest_ioas_map(e->ctx, e->ioas, buf, EX_PAGE, iova, perm);

	if (rc)
		return ex_check(rc, "map %s at IOVA 0x%" PRIx64, what, iova);
	printf("map       %s page at IOVA 0x%" PRIx64 " (device may %s)\n",
	       what, iova, perm == IOMMUNEST_MAP_READ ? "read" : "write");
	return EX_OK;
}

static size_t bytes_arrived(const struct edu *e)
{
	size_t i, n = 0;

	for (i = 0; i < XFER; i++)
		n += e->dst[i] == e->src[i];
	return n;
}

/* Printed first: a fault the IOMMU reports shows up after it. */
static int dma(const struct edu *e, bool to_ram)
{
	int rc;

	if (to_ram) {
		printf("DMA       device buffer -> IOVA 0x%llx, %u bytes\n",
		       DST_IOVA, XFER);
		fflush(stdout);
		rc = edu_dma(e, EDU_BUFFER, DST_IOVA, EDU_CMD_TO_RAM);
	} else {
		printf("DMA       IOVA 0x%llx -> device buffer, %u bytes\n",
		       SRC_IOVA, XFER);
		fflush(stdout);
		rc = edu_dma(e, SRC_IOVA, EDU_BUFFER, 0);
	}
	return ex_check(rc, "%s: DMA", e->dev.name);
}

/* Mapped: the device's write lands in dst. */
static int dma_mapped(struct edu *e)
{
	static const char msg[] = "written by the edu device through the "
				  "IOMMU. ";
	size_t i, n;
	int status;

	for (i = 0; i < EX_PAGE; i++)
		e->src[i] = (uint8_t)msg[i % (sizeof(msg) - 1)];
	status = map(e, e->src, SRC_IOVA, IOMMUNEST_MAP_READ, "source");
	if (!status)
		status = map(e, e->dst, DST_IOVA, IOMMUNEST_MAP_WRITE,
			     "destination");
	if (!status)
		status = dma(e, false);
	if (!status)
		status = dma(e, true);
	if (status)
		return status;
	n = bytes_arrived(e);
	printf("result    %zu of %u bytes arrived: \"%.40s...\"\n", n, XFER,
	       (const char *)e->dst);
	if (n != XFER)
		return ex_fail(EX_FAIL, "the DMA to a mapped IOVA did not "
			       "arrive (%zu of %u bytes)", n, XFER);
	return EX_OK;
}

/* Unmapped: the same write is stopped by the IOMMU. */
static int dma_unmapped(struct edu *e)
{
	uint64_t unmapped = 0;
	size_t n;
	int rc, status;

	rc = iommunest_ioas_unmap(e->ctx, e->ioas, DST_IOVA, EX_PAGE,
				  &unmapped);
	if (rc)
		return ex_check(rc, "unmap IOVA 0x%llx", DST_IOVA);
	printf("unmap     destination: %" PRIu64 " bytes at IOVA 0x%llx\n",
	       unmapped, DST_IOVA);
	memset(e->dst, 0, EX_PAGE);
	status = dma(e, true);
	if (status)
		return status;
	n = bytes_arrived(e);
	printf("result    %zu of %u bytes arrived: the IOMMU blocked the "
	       "write\n", n, XFER);
	if (n)
		return ex_fail(EX_FAIL, "a DMA to an unmapped IOVA arrived "
			       "(%zu bytes)", n);
	return EX_OK;
}

static int run(struct edu *e, const struct ex_target *t)
{
	int status = ex_device_open(t, &e->dev);

	if (!status)
		status = ex_open_iommufd(&e->ctx);
	if (!status)
		status = ex_check(iommunest_ioas_alloc(e->ctx, &e->ioas),
				  "IOAS alloc");
	if (!status)
		status = ex_device_attach(e->ctx, t, &e->dev, e->ioas);
	if (!status)
		status = setup_pci(e);
	if (!status)
		status = ex_check_iova(e->ctx, e->ioas, SRC_IOVA,
				       DST_IOVA + EX_PAGE - SRC_IOVA);
	if (status)
		return status;
	printf("device    %s (QEMU edu), device ID %" PRIu32 ", IOAS %" PRIu32
	       ", bus mastering on\n", e->dev.name, e->dev.dev_id, e->ioas);
	e->src = ex_alloc(EX_PAGE);
	e->dst = ex_alloc(EX_PAGE);
	if (!e->src || !e->dst)
		return ex_fail(EX_FAIL, "out of memory");
	status = dma_mapped(e);
	return status ? status : dma_unmapped(e);
}

_Static_assert(DST_IOVA + EX_PAGE <= EDU_DMA_LIMIT, "edu DMA mask");

int main(int argc, char **argv)
{
	struct edu e = { 0 };
	struct ex_target t = { 0 };
	const char *path = NULL;
	int status;

	ex_init(argv[0]);
	e.dev.vfio_fd = -1;
	status = ex_parse_device_args(argc, argv, usage, NULL, &path);
	if (!status)
		status = find_edu(path, &t);
	if (!status)
		status = run(&e, &t);
	ex_device_close(e.ctx, &e.dev);
	iommunest_close(e.ctx);
	ex_free(e.src, EX_PAGE);
	ex_free(e.dst, EX_PAGE);
	ex_target_free(&t);
	return status;
}
