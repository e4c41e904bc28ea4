/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest-nested: nested translation as a VMM with a vIOMMU sets it up.
 *
 * Stage 2 (guest-physical -> host) is a NEST_PARENT paging HWPT on the
 * IOAS holding guest RAM; stage 1 is a nested HWPT pointing at the guest's
 * own I/O page table.  When the guest changes that table it queues IOTLB
 * invalidations; the VMM submits them as one batch and reports a result
 * for each entry back to the guest.  One entry here is deliberately bad,
 * to show a failed entry and the one after it left not attempted.
 *
 * On an Arm SMMUv3 the example also plays the guest's SMMU driver: it
 * writes a context descriptor and a stage-1 page table into guest RAM,
 * and the nested HWPT is the guest's stage-1 stream table entry on a
 * vIOMMU.  When the device is QEMU's edu, its DMA shows the translation:
 * a transfer to a stage-1 address lands in the page the guest's PTE
 * names, keeps landing there after the guest rewrote the PTE, and follows
 * the new PTE once the batch with the guest's CMD_TLBI_NH_VA went through.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiommunest/batch.h>
#include <libiommunest/iommunest.h>

#include "common.h"
#include "edu.h"
#include "smmuv3.h"

static const char usage[] =
"usage: iommunest-nested [--mock | DEVICE]\n"
"\n"
"Build a nesting parent (stage 2) and a nested HWPT (stage 1) for the\n"
"device, submit a batch of stage-1 invalidations with one bad entry and\n"
"print the result of every entry.  DEVICE is a VFIO cdev behind an Intel\n"
"VT-d or an Arm SMMUv3 with nesting (default: the first in\n"
EX_CDEV_DIR ", or the mock IOMMU when there is none).  On an SMMUv3 the\n"
"guest's context descriptor and stage-1 table are written into guest\n"
"RAM, and when the device is QEMU's edu (1234:11e8) its DMA shows the\n"
"translation before and after the guest's TLB invalidation.\n"
"\n"
"  --mock      use the kernel's mock IOMMU device (CONFIG_IOMMUFD_TEST)\n"
"  -h, --help  print this help\n"
"\n"
"Exit status: 0 done, 1 failed (one-line reason on stderr), 2 bad usage,\n"
"77 this IOMMU cannot nest (said in one line on stderr).\n";

/* Guest RAM, mapped at IOVA = guest-physical address (inside the mock
 * aperture, below any x86 MSI window). */
#define GUEST_RAM_GPA  0x1000000ull
#define GUEST_RAM_SIZE (64 * 1024ull)
#define STAGE1_WIDTH   48 /* VT-d: 4-level guest stage-1 table */
#define BAD_IOTLB_SLOT 7  /* the mock IOTLB has slots 0 to 3 */
#define MAX_ENTRIES    4

/* SMMUv3: the guest's view.  Its driver calls the device StreamID 0x10
 * (the vSID) and gives it one context (ASID 1) whose stage-1 table maps
 * the 4 KiB page at STAGE1_VA (below edu's 28-bit DMA limit). */
#define GUEST_VSID 0x10u
#define GUEST_ASID 1u
#define STAGE1_VA  0x4000000ull

/* SMMUv3: the pages of guest RAM the guest's driver uses. */
enum {
	PG_CD,   /* its one context descriptor */
	PG_L1,   /* stage-1 table levels 1, 2 and 3 */
	PG_L2,
	PG_L3,
	PG_OLD,  /* what STAGE1_VA maps to first ("page A") */
	PG_NEW,  /* and after the guest rewrote its PTE ("page B") */
	PG_SRC,  /* what edu's buffer is loaded from */
	PG_COUNT
};

/* A guest invalidation descriptor, as the VMM decoded it.  Mock: clear
 * IOTLB slot addr.  VT-d: npages from addr (UINT64_MAX: everything).
 * SMMUv3: the command whose opcode is flags, for the VA or the vSID in
 * addr (TLBIs name the guest's one ASID). */
struct guest_inv {
	const char *what;
	uint64_t addr;
	uint64_t npages;
	uint32_t flags;
};

static const struct guest_inv mock_invs[] = {
	{ "clear IOTLB slot 0", 0, 0, 0 },
	{ "clear IOTLB slot 1", 1, 0, 0 },
	{ "clear IOTLB slot 7 (there is no such slot)", BAD_IOTLB_SLOT, 0, 0 },
	{ "clear IOTLB slot 2", 2, 0, 0 },
};

/* VT-d entry flags: only bit 0 (leaf only) is defined. */
#define VTD_INV_LEAF         (1u << 0)
#define VTD_INV_UNKNOWN_FLAG (1u << 3)

static const struct guest_inv vtd_invs[] = {
	{ "IOVA 0x100000, 1 page", 0x100000, 1, 0 },
	{ "IOVA 0x200000, 16 pages, leaf only", 0x200000, 16, VTD_INV_LEAF },
	{ "IOVA 0x300000, a reserved flag set", 0x300000, 1,
	  VTD_INV_UNKNOWN_FLAG },
	{ "everything", 0, UINT64_MAX, 0 },
};

/* SMMUv3: the guest's command queue.  CFGI_STE is the one command a
 * vIOMMU refuses: stream table entries are the host's to install. */
static const struct guest_inv smmu_invs[] = {
	{ "CMD_TLBI_NH_VA, ASID 1, VA 0x4000000", STAGE1_VA, 0,
	  CMD_TLBI_NH_VA },
	{ "CMD_CFGI_CD, vSID 0x10", GUEST_VSID, 0, CMD_CFGI_CD },
	{ "CMD_CFGI_STE, vSID 0x10 (the host owns STEs)", GUEST_VSID, 0,
	  CMD_CFGI_STE },
	{ "CMD_TLBI_NH_ASID, ASID 1", 0, 0, CMD_TLBI_NH_ASID },
};

_Static_assert(EX_ARRAY_SIZE(mock_invs) == MAX_ENTRIES, "mock queue");
_Static_assert(EX_ARRAY_SIZE(vtd_invs) == MAX_ENTRIES, "VT-d queue");
_Static_assert(EX_ARRAY_SIZE(smmu_invs) == MAX_ENTRIES, "SMMUv3 queue");
_Static_assert(PG_COUNT * EX_PAGE <= GUEST_RAM_SIZE, "SMMUv3 guest pages");
_Static_assert(STAGE1_VA + EX_PAGE <= EDU_DMA_LIMIT, "edu DMA mask");

/* struct iommu_hwpt_vtd_s1_invalidate, written by hand only for the bad
 * entry: iommunest_batch_add_vtd() has no flags argument to misuse. */
struct vtd_inv_entry {
	uint64_t addr;
	uint64_t npages;
	uint32_t flags;
	uint32_t reserved;
};
_Static_assert(sizeof(struct vtd_inv_entry) == 24, "VT-d entry size");

struct nest {
	struct iommunest_ctx *ctx;
	struct ex_device dev;
	uint32_t ioas, parent, nested;
	void *ram;
	struct iommunest_batch *batch;
	const struct guest_inv *invs; /* the guest's queue */
	int queued[MAX_ENTRIES];      /* batch index -> invs index */
	int count;                    /* entries in the batch */
	uint32_t cleared;             /* mock: slots of entries done */
	bool smmu;                    /* an Arm SMMUv3 that can nest */
	uint32_t viommu, vdev;        /* SMMUv3: the guest's SMMU, its device */
	struct s1_tables s1;          /* SMMUv3: the guest's stage-1 table */
	struct edu edu;               /* SMMUv3: the device, when it is edu */
	bool dma;                     /* edu is set up: DMA can show things */
};

/* The one-line refusal: nothing here can run a guest's stage 1. */
static int refuse(const struct nest *n, const char *why)
{
	return ex_fail(EX_UNSUPPORTED, "%s: %s (--mock shows nesting on a "
		       "kernel with CONFIG_IOMMUFD_TEST)", n->dev.name, why);
}

/* Only an IOMMU that walks both stages can take a guest's stage 1. */
static int check_nesting(struct nest *n)
{
	struct iommunest_hw_info info;
	int rc = iommunest_hw_info(n->ctx, n->dev.dev_id, &info);

	if (rc)
		return ex_check(rc, "%s: hardware info", n->dev.name);
	if (n->dev.mock)
		return EX_OK;
	if (!(info.caps & IOMMUNEST_CAP_NESTING))
		return refuse(n, "no nesting: this IOMMU cannot translate "
			      "in two stages");
	n->smmu = info.type == IOMMUNEST_HW_INFO_ARM_SMMUV3;
	if (info.type != IOMMUNEST_HW_INFO_INTEL_VTD && !n->smmu)
		return refuse(n, "this example nests on Intel VT-d and Arm "
			      "SMMUv3 only");
	return EX_OK;
}

static int build_stage2(struct nest *n)
{
	int rc;

	n->ram = ex_alloc(GUEST_RAM_SIZE);
	if (!n->ram)
		return ex_fail(EX_FAIL, "out of memory for guest RAM");
	rc = iommunest_ioas_map(n->ctx, n->ioas, n->ram, GUEST_RAM_SIZE,
				GUEST_RAM_GPA,
				IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE);
	if (rc)
		return ex_check(rc, "map guest RAM at IOVA 0x%llx",
				GUEST_RAM_GPA);
	rc = iommunest_hwpt_alloc_paging(n->ctx, n->dev.dev_id, n->ioas,
					 IOMMUNEST_HWPT_NEST_PARENT,
					 &n->parent);
	if (rc == -EOPNOTSUPP)
		return refuse(n, "no nesting: this IOMMU refuses a nesting "
			      "parent");
	if (rc)
		return ex_check(rc, "NEST_PARENT paging HWPT");
	printf("stage 2   NEST_PARENT paging HWPT %" PRIu32 " on IOAS %" PRIu32
	       ": guest RAM %lluK at IOVA 0x%llx\n", n->parent, n->ioas,
	       GUEST_RAM_SIZE / 1024, GUEST_RAM_GPA);
	return EX_OK;
}

/* ---- SMMUv3: the guest's SMMU driver, played by the VMM ---------------- */

static uint64_t gpa(unsigned int pg)
{
	return GUEST_RAM_GPA + pg * EX_PAGE;
}

static uint8_t *page(const struct nest *n, unsigned int pg)
{
	return (uint8_t *)n->ram + pg * EX_PAGE;
}

/* The guest's SMMU as the host sees it (a vIOMMU on stage 2), and the
 * device by the StreamID the guest knows it by (a vDEVICE). */
static int build_viommu(struct nest *n)
{
	int rc = iommunest_viommu_alloc(n->ctx, n->dev.dev_id, n->parent,
					IOMMUNEST_VIOMMU_ARM_SMMUV3,
					&n->viommu);

	if (rc == -ENOSYS)
		return refuse(n, "no nesting: this kernel has no vIOMMU "
			      "(Linux 6.13 added them)");
	if (rc == -EOPNOTSUPP)
		return refuse(n, "no nesting: the SMMUv3 driver refuses a "
			      "vIOMMU here (it needs Linux 6.14 and coherent "
			      "DMA: CANWBS or S2FWB)");
	if (rc)
		return ex_check(rc, "SMMUv3 vIOMMU on parent %" PRIu32,
				n->parent);
	rc = iommunest_vdevice_alloc(n->ctx, n->viommu, n->dev.dev_id,
				     GUEST_VSID, &n->vdev);
	if (rc)
		return ex_check(rc, "vDEVICE vSID 0x%x", GUEST_VSID);
	printf("vIOMMU    SMMUv3 vIOMMU %" PRIu32 " on the parent; vDEVICE %"
	       PRIu32 ": the guest knows the device as StreamID 0x%x\n",
	       n->viommu, n->vdev, GUEST_VSID);
	return EX_OK;
}

/* What the guest's driver writes into its RAM: one context descriptor
 * and a three-level table mapping STAGE1_VA to page A. */
static void write_guest_tables(struct nest *n)
{
	n->s1 = (struct s1_tables){
		.l1 = (uint64_t *)(void *)page(n, PG_L1),
		.l2 = (uint64_t *)(void *)page(n, PG_L2),
		.l3 = (uint64_t *)(void *)page(n, PG_L3),
		.l1_gpa = gpa(PG_L1), .l2_gpa = gpa(PG_L2),
		.l3_gpa = gpa(PG_L3),
	};
	s1_link(&n->s1, STAGE1_VA);
	s1_map(&n->s1, STAGE1_VA, gpa(PG_OLD));
	cd_make(page(n, PG_CD), GUEST_ASID, n->s1.l1_gpa);
	printf("guest     writes a CD (ASID %u, table at 0x%" PRIx64 ") and "
	       "a stage-1 table, 4 KiB granule:\n"
	       "          VA 0x%llx -> page A at guest-physical 0x%" PRIx64
	       "\n", GUEST_ASID, n->s1.l1_gpa, STAGE1_VA, gpa(PG_OLD));
}

/* QEMU's edu is the one device whose DMA this example can start.  Its
 * buffer is loaded once, through stage 2 alone, before stage 1 exists. */
static int setup_edu(struct nest *n)
{
	static const char msg[] = "written by edu through stage 1 and 2. ";
	uint8_t *src = page(n, PG_SRC);
	size_t i;
	int rc;

	if (n->dev.mock || !edu_sysfs_match(n->dev.name)) {
		printf("DMA       cannot be shown: %s is not QEMU's edu device "
		       "(1234:11e8)\n", n->dev.name);
		return EX_OK;
	}
	rc = edu_setup(&n->edu, n->dev.vfio_fd);
	if (rc)
		return ex_check(rc, "%s: edu device setup", n->dev.name);
	for (i = 0; i < EX_PAGE; i++)
		src[i] = (uint8_t)msg[i % (sizeof(msg) - 1)];
	rc = edu_from_ram(&n->edu, gpa(PG_SRC), EDU_XFER);
	if (rc)
		return ex_check(rc, "%s: DMA", n->dev.name);
	printf("edu       %s: buffer loaded by DMA from guest-physical 0x%"
	       PRIx64 " (stage 2)\n", n->dev.name, gpa(PG_SRC));
	n->dma = true;
	return EX_OK;
}

static bool arrived(const struct nest *n, unsigned int pg)
{
	return !memcmp(page(n, pg), page(n, PG_SRC), EDU_XFER);
}

/* One DMA from edu's buffer to STAGE1_VA; *pg: the page it landed in,
 * PG_COUNT when neither page A nor page B (alone) received it. */
static int dma_to_va(struct nest *n, unsigned int *pg)
{
	int rc;

	memset(page(n, PG_OLD), 0, EX_PAGE);
	memset(page(n, PG_NEW), 0, EX_PAGE);
	rc = edu_to_ram(&n->edu, STAGE1_VA, EDU_XFER);
	if (rc)
		return ex_check(rc, "%s: DMA", n->dev.name);
	*pg = PG_COUNT;
	if (arrived(n, PG_OLD) != arrived(n, PG_NEW))
		*pg = arrived(n, PG_OLD) ? PG_OLD : PG_NEW;
	printf("DMA       device buffer -> VA 0x%llx: ", STAGE1_VA);
	if (*pg == PG_COUNT)
		printf("neither page A nor page B\n");
	else
		printf("page %c", *pg == PG_OLD ? 'A' : 'B');
	return EX_OK;
}

/* Stage 1 works: the DMA lands where the guest's PTE points. */
static int show_dma_first(struct nest *n)
{
	unsigned int pg;
	int status;

	if (!n->dma)
		return EX_OK;
	status = dma_to_va(n, &pg);
	if (status)
		return status;
	if (pg == PG_OLD) {
		printf(", as the PTE says\n");
		return EX_OK;
	}
	if (pg == PG_NEW)
		putchar('\n');
	return ex_fail(EX_FAIL, "the DMA missed the page the PTE names");
}

/* The guest moves STAGE1_VA to page B and queues its invalidations.  The
 * IOMMU may still hold the old translation: with QEMU's it does. */
static int rewrite_pte(struct nest *n)
{
	unsigned int pg;
	int status;

	if (!n->smmu)
		return EX_OK;
	s1_map(&n->s1, STAGE1_VA, gpa(PG_NEW));
	printf("guest     rewrites its PTE: VA 0x%llx -> page B at "
	       "guest-physical 0x%" PRIx64 ", invalidates later\n",
	       STAGE1_VA, gpa(PG_NEW));
	if (!n->dma)
		return EX_OK;
	status = dma_to_va(n, &pg);
	if (status || pg == PG_COUNT)
		return status ? status : ex_fail(EX_FAIL, "the DMA got lost");
	printf(pg == PG_OLD ? " still (the IOTLB holds the old PTE)\n"
			    : " already (nothing had cached the old PTE)\n");
	return EX_OK;
}

/* Once the TLBI is done the DMA must follow the new PTE. */
static int show_dma_after(struct nest *n)
{
	unsigned int pg;
	int status;

	if (!n->dma)
		return EX_OK;
	status = dma_to_va(n, &pg);
	if (status || pg == PG_COUNT)
		return status ? status : ex_fail(EX_FAIL, "the DMA got lost");
	if (iommunest_batch_result(n->batch, 0)) {
		printf(" (CMD_TLBI_NH_VA was not done)\n");
		return EX_OK;
	}
	if (pg == PG_OLD) {
		printf(", although CMD_TLBI_NH_VA was done\n");
		return ex_fail(EX_FAIL, "the DMA still used the old PTE");
	}
	printf(": after CMD_TLBI_NH_VA the DMA follows the new PTE\n");
	return EX_OK;
}

/* ---- Stage 1 and the guest's invalidations ---------------------------- */

/* The nested HWPT: SMMUv3 takes the guest's stage-1 STE, on the vIOMMU. */
static int alloc_smmuv3_s1(struct nest *n)
{
	uint64_t ste[2];

	ste_make(ste, STE_CFG_S1, gpa(PG_CD));
	return iommunest_hwpt_alloc_smmuv3(n->ctx, n->dev.dev_id, n->viommu,
					   ste, &n->nested);
}

static const char *stage1_what(const struct nest *n)
{
	if (n->dev.mock)
		return "mock stage 1 with a 4-slot IOTLB";
	if (n->smmu)
		return "SMMUv3 stage-1 STE: the CD at guest-physical 0x1000000";
	return "VT-d stage-1 table at guest-physical 0x1000000";
}

/* The guest's stage-1 table: the mock has none; for VT-d, its first page
 * of RAM (zeroed: an empty table, so DMA would fault, not leak); for
 * SMMUv3, the tables the guest's driver wrote. */
static int build_stage1(struct nest *n)
{
	int rc;

	if (n->smmu)
		rc = alloc_smmuv3_s1(n);
	else if (n->dev.mock)
		rc = iommunest_hwpt_alloc_selftest(n->ctx, n->dev.dev_id,
						   n->parent,
						   MOCK_IOTLB_DEFAULT,
						   &n->nested);
	else
		rc = iommunest_hwpt_alloc_vtd_s1(n->ctx, n->dev.dev_id,
						 n->parent, GUEST_RAM_GPA,
						 STAGE1_WIDTH, 0, &n->nested);
	if (rc)
		return ex_check(rc, "nested HWPT on parent %" PRIu32,
				n->parent);
	rc = ex_device_replace(n->ctx, &n->dev, n->nested);
	if (rc)
		return ex_check(rc, "attach %s to nested HWPT %" PRIu32,
				n->dev.name, n->nested);
	printf("stage 1   nested HWPT %" PRIu32 " (%s); the device moved "
	       "onto it\n", n->nested, stage1_what(n));
	return show_dma_first(n);
}

/* The state of one mock IOTLB slot, as the check command sees it. */
static const char *slot_state(const struct nest *n, uint32_t slot)
{
	if (!mock_check_iotlb(n->ctx, n->nested, slot, 0))
		return "cleared";
	if (!mock_check_iotlb(n->ctx, n->nested, slot, MOCK_IOTLB_DEFAULT))
		return "cached";
	return "unknown";
}

/* Print the mock's IOTLB, which must agree with the entries the batch
 * reported done. */
static int show_iotlb(const struct nest *n, const char *when)
{
	uint32_t slot, cleared = 0;
	const char *state;

	if (!n->dev.mock)
		return EX_OK;
	printf("IOTLB     %s:", when);
	for (slot = 0; slot < MOCK_IOTLB_SLOTS; slot++) {
		state = slot_state(n, slot);
		printf("%s slot%" PRIu32 " %s", slot ? "," : "", slot, state);
		if (!strcmp(state, "cleared"))
			cleared |= 1u << slot;
	}
	putchar('\n');
	if (cleared != n->cleared)
		return ex_fail(EX_FAIL, "the mock IOTLB disagrees with the "
			       "results the batch reported");
	return EX_OK;
}

static int new_batch(struct nest *n)
{
	struct iommunest_batch_config cfg = {
		.target_id = n->smmu ? n->viommu : n->nested,
		.data_type = n->dev.mock ? IOMMUNEST_INV_SELFTEST
			     : n->smmu ? IOMMUNEST_INV_ARM_SMMUV3
			     : IOMMUNEST_INV_VTD_S1,
		.entry_len = n->dev.mock ? 8 : n->smmu ? 16 : 24,
		.capacity = MAX_ENTRIES,
		/* flags 0: stop at the first failure, as a guest's
		 * invalidation queue does. */
	};

	return ex_check(iommunest_batch_new(n->ctx, &cfg, &n->batch),
			"invalidation batch");
}

static int add_vtd(struct iommunest_batch *b, const struct guest_inv *g)
{
	struct vtd_inv_entry raw = { .addr = g->addr, .npages = g->npages,
				     .flags = g->flags };

	if (g->flags & ~VTD_INV_LEAF)
		return iommunest_batch_add_raw(b, &raw);
	if (g->npages == UINT64_MAX)
		return iommunest_batch_add_vtd_all(b);
	return iommunest_batch_add_vtd(b, g->addr, g->npages,
				       g->flags & VTD_INV_LEAF);
}

/* An SMMUv3 command as the guest's driver would write it. */
static int add_smmuv3(struct iommunest_batch *b, const struct guest_inv *g)
{
	uint64_t cmd[2];

	if (g->flags == CMD_TLBI_NH_VA)
		cmd_tlbi_va(cmd, g->flags, GUEST_ASID, g->addr);
	else if (g->flags == CMD_TLBI_NH_ASID)
		cmd_asid(cmd, g->flags, GUEST_ASID);
	else
		cmd_cfgi(cmd, g->flags, (uint32_t)g->addr);
	return iommunest_batch_add_smmuv3(b, cmd);
}

/* Queue guest descriptor i in the batch. */
static int queue(struct nest *n, int i)
{
	const struct guest_inv *g = &n->invs[i];
	int rc;

	if (n->dev.mock)
		rc = iommunest_batch_add_selftest(n->batch, (uint32_t)g->addr,
						  g->flags);
	else if (n->smmu)
		rc = add_smmuv3(n->batch, g);
	else
		rc = add_vtd(n->batch, g);
	if (rc < 0)
		return ex_check(rc, "add entry '%s'", g->what);
	n->queued[rc] = i;
	n->count = rc + 1;
	return EX_OK;
}

static void print_result(const struct nest *n, int i)
{
	int res = iommunest_batch_result(n->batch, (uint32_t)i);

	printf("  #%d  %-44s ", n->queued[i], n->invs[n->queued[i]].what);
	if (res == 0)
		printf("done\n");
	else if (res == IOMMUNEST_INV_NOT_ATTEMPTED)
		printf("not attempted\n");
	else
		printf("failed: %s\n", ex_err(res));
}

/* Mock: the IOTLB slots that entries reported done have cleared. */
static void note_done(struct nest *n, int i)
{
	uint64_t slot = n->invs[n->queued[i]].addr;

	if (n->dev.mock && slot < MOCK_IOTLB_SLOTS &&
	    !iommunest_batch_result(n->batch, (uint32_t)i))
		n->cleared |= 1u << slot;
}

static int flush(struct nest *n)
{
	struct iommunest_batch_stats st = { 0 };
	int i, first, rc = iommunest_batch_flush(n->batch);

	if (rc == -ENOSYS)
		return ex_fail(EX_UNSUPPORTED, "this kernel cannot invalidate "
			       "nested HWPTs (Linux 6.8 or later needed)");
	for (i = 0; i < n->count; i++) {
		print_result(n, i);
		note_done(n, i);
	}
	first = iommunest_batch_first_failed(n->batch);
	iommunest_batch_stats(n->batch, &st);
	if (first >= 0)
		printf("flush     stopped at #%d: %s", n->queued[first],
		       ex_err(rc));
	else if (rc)
		printf("flush     failed: %s", ex_err(rc));
	else
		printf("flush     all done");
	printf(" (batch so far: ioctls %" PRIu64 ", entries done %" PRIu64
	       ", failed %" PRIu64 ")\n", st.ioctls, st.done, st.failed);
	return EX_OK;
}

/* What a VMM does next: report the failed descriptor to the guest (its
 * queue stops there), and once the guest moves on, submit the rest again;
 * invalidations are idempotent, so that is always safe. */
static int resubmit(struct nest *n)
{
	int first = iommunest_batch_first_failed(n->batch);
	int later[MAX_ENTRIES], nlater = 0, i, status = EX_OK;

	for (i = first + 1; first >= 0 && i < n->count; i++)
		if (iommunest_batch_result(n->batch, (uint32_t)i) ==
		    IOMMUNEST_INV_NOT_ATTEMPTED)
			later[nlater++] = n->queued[i];
	if (!nlater)
		return EX_OK;
	printf("guest     is told descriptor #%d failed and moves on; the VMM "
	       "submits the rest again:\n", n->queued[first]);
	iommunest_batch_reset(n->batch);
	n->count = 0;
	for (i = 0; i < nlater && !status; i++)
		status = queue(n, later[i]);
	return status ? status : flush(n);
}

static int invalidate(struct nest *n)
{
	int status, i;

	n->invs = n->dev.mock ? mock_invs : n->smmu ? smmu_invs : vtd_invs;
	status = rewrite_pte(n);
	if (!status)
		status = new_batch(n);
	for (i = 0; i < MAX_ENTRIES && !status; i++)
		status = queue(n, i);
	if (status)
		return status;
	printf("batch     %d invalidation entries for %s %" PRIu32
	       ", stop at the first failure:\n", n->count,
	       n->smmu ? "vIOMMU" : "nested HWPT",
	       n->smmu ? n->viommu : n->nested);
	status = flush(n);
	if (!status)
		status = show_iotlb(n, "after");
	if (!status)
		status = show_dma_after(n);
	if (!status)
		status = resubmit(n);
	if (!status)
		status = show_iotlb(n, "then");
	return status;
}

static void teardown(struct nest *n)
{
	iommunest_batch_free(n->batch);
	/* Off the HWPTs before they go; the context destroys the rest. */
	if (n->nested || n->parent)
		ex_device_replace(n->ctx, &n->dev, n->ioas);
	if (n->nested)
		iommunest_destroy(n->ctx, n->nested);
	if (n->vdev)
		iommunest_destroy(n->ctx, n->vdev);
	if (n->viommu)
		iommunest_destroy(n->ctx, n->viommu);
	if (n->parent)
		iommunest_destroy(n->ctx, n->parent);
	ex_device_close(n->ctx, &n->dev);
	iommunest_close(n->ctx);
	ex_free(n->ram, GUEST_RAM_SIZE);
}

static int run(struct nest *n, const struct ex_target *t)
{
	int status;

	status = ex_device_open(t, &n->dev);
	if (!status)
		status = ex_open_iommufd(&n->ctx);
	if (!status)
		status = ex_check(iommunest_ioas_alloc(n->ctx, &n->ioas),
				  "IOAS alloc");
	if (!status)
		status = ex_device_attach(n->ctx, t, &n->dev, n->ioas);
	if (status)
		return status;
	printf("device    %s%s, device ID %" PRIu32 ", IOAS %" PRIu32 "\n",
	       n->dev.name, t->fallback ? " (no VFIO device here)" : "",
	       n->dev.dev_id, n->ioas);
	status = check_nesting(n);
	if (!status)
		status = build_stage2(n);
	if (!status && n->smmu)
		status = build_viommu(n);
	if (!status && n->smmu) {
		write_guest_tables(n);
		status = setup_edu(n);
	}
	if (!status)
		status = build_stage1(n);
	if (!status)
		status = show_iotlb(n, "before");
	return status ? status : invalidate(n);
}

int main(int argc, char **argv)
{
	struct nest n = { 0 };
	struct ex_target t;
	const char *path = NULL;
	bool mock = false;
	int status;

	ex_init(argv[0]);
	n.dev.vfio_fd = -1;
	status = ex_parse_device_args(argc, argv, usage, &mock, &path);
	if (status)
		return status;
	status = ex_pick_target(path, mock, &t);
	if (!status)
		status = run(&n, &t);
	teardown(&n);
	ex_target_free(&t);
	return status;
}
