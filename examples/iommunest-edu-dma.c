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

#include <libiommunest/iommunest.h>

#include "common.h"
#include "edu.h"

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

#define SRC_IOVA 0x100000ull
#define DST_IOVA 0x200000ull

struct demo {
	struct iommunest_ctx *ctx;
	struct ex_device dev;
	uint32_t ioas;
	struct edu edu;
	uint8_t *src, *dst;
};

/* ---- Finding the device ------------------------------------------------ */

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
	for (i = 0; i < n && !edu_sysfs_match(cdevs[i]); i++)
		;
	if (i < n)
		t->path = strdup(cdevs[i]);
	ex_free_paths(cdevs);
	if (i == n)
		return ex_fail(EX_UNSUPPORTED, "no QEMU edu device (1234:11e8) "
			       "in " EX_CDEV_DIR);
	return t->path ? EX_OK : ex_fail(EX_FAIL, "out of memory");
}

/* ---- The device ------------------------------------------------------- */

/* Check the IDs and turn on bus mastering (edu.c). */
static int setup_pci(struct demo *e)
{
	int rc = edu_setup(&e->edu, e->dev.vfio_fd);

	if (rc == -ENODEV)
		return ex_fail(EX_FAIL, "%s: PCI %04x:%04x is not QEMU's edu "
			       "device (1234:11e8)", e->dev.name,
			       e->edu.vendor, e->edu.device);
	return ex_check(rc, "%s: VFIO regions and bus mastering",
			e->dev.name);
}

/* ---- The demonstration ------------------------------------------------- */

static int map(struct demo *e, void *buf, uint64_t iova, uint32_t perm,
	       const char *what)
{
	int rc = iommunest_ioas_map(e->ctx, e->ioas, buf, EX_PAGE, iova, perm);

	if (rc)
		return ex_check(rc, "map %s at IOVA 0x%" PRIx64, what, iova);
	printf("map       %s page at IOVA 0x%" PRIx64 " (device may %s)\n",
	       what, iova, perm == IOMMUNEST_MAP_READ ? "read" : "write");
	return EX_OK;
}

static size_t bytes_arrived(const struct demo *e)
{
	size_t i, n = 0;

	for (i = 0; i < EDU_XFER; i++)
		n += e->dst[i] == e->src[i];
	return n;
}

/* Printed first: a fault the IOMMU reports shows up after it. */
static int dma(const struct demo *e, bool to_ram)
{
	int rc;

	if (to_ram) {
		printf("DMA       device buffer -> IOVA 0x%llx, %u bytes\n",
		       DST_IOVA, EDU_XFER);
		fflush(stdout);
		rc = edu_to_ram(&e->edu, DST_IOVA, EDU_XFER);
	} else {
		printf("DMA       IOVA 0x%llx -> device buffer, %u bytes\n",
		       SRC_IOVA, EDU_XFER);
		fflush(stdout);
		rc = edu_from_ram(&e->edu, SRC_IOVA, EDU_XFER);
	}
	return ex_check(rc, "%s: DMA", e->dev.name);
}

/* Mapped: the device's write lands in dst. */
static int dma_mapped(struct demo *e)
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
	printf("result    %zu of %u bytes arrived: \"%.40s...\"\n", n, EDU_XFER,
	       (const char *)e->dst);
	if (n != EDU_XFER)
		return ex_fail(EX_FAIL, "the DMA to a mapped IOVA did not "
			       "arrive (%zu of %u bytes)", n, EDU_XFER);
	return EX_OK;
}

/* Unmapped: the same write is stopped by the IOMMU. */
static int dma_unmapped(struct demo *e)
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
	       "write\n", n, EDU_XFER);
	if (n)
		return ex_fail(EX_FAIL, "a DMA to an unmapped IOVA arrived "
			       "(%zu bytes)", n);
	return EX_OK;
}

static int run(struct demo *e, const struct ex_target *t)
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
	struct demo e = { 0 };
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
