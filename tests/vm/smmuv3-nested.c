/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, smmuv3 profile (arm64, Linux 7.3, QEMU's emulated
 * SMMUv3 doing both stages): real nesting.  Guest RAM is a buffer mapped
 * in an IOAS (stage 2, through a NEST_PARENT HWPT); the test plays the
 * guest's SMMU driver, writing context descriptors and stage-1 page tables
 * into that RAM, and QEMU's edu device proves every claim by DMA:
 *  - abort, bypass and stage-1 STEs as nested HWPTs on a vIOMMU;
 *  - a rewritten PTE keeps hitting the old page until a CMD_TLBI_NH_VA
 *    batch goes through the vIOMMU; the other accepted commands are done,
 *    CFGI_STE is refused entry by entry;
 *  - a recorded guest command queue, wrapping, through
 *    iommunest_smmuv3_queue_translate(): its TLBI done at the CMD_SYNC,
 *    CFGI_STE handed to the VMM, a refused command and an illegal one
 *    shown to the guest as CERROR_ILL;
 *  - a make-before-break nested switch between two guest tables;
 *  - a stage-1 translation fault read from the vEVENTQ with the vSID.
 */
#include <endian.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "vmtest.h"
#include "edu.h"    /* examples/: QEMU's edu device */
#include "smmuv3.h" /* examples/: what a guest's SMMUv3 driver writes */
#include "libiommunest/batch.h"
#include "libiommunest/guestq.h"

#define PAGE 4096ull
#define RAM_GPA 0x100000ull     /* guest RAM: 1 MiB at 1 MiB */
#define RAM_LEN 0x100000ull
#define VSID 0x10u              /* the guest's StreamID for edu */
#define VA 0x4000000ull         /* a stage-1 address (64 MiB) */
#define VA_HOLE (VA + 0x10000)  /* in the same table, never mapped */
#define NA IOMMUNEST_INV_NOT_ATTEMPTED
#define NCMDS 140               /* three of the driver's 63-command blocks */

/* Guest RAM pages. */
enum {
	PG_CD = 0,             /* CD A at +0, CD B at +64 */
	PG_A_L1 = 1, PG_A_L2, PG_A_L3,
	PG_B_L1 = 4, PG_B_L2, PG_B_L3,
	PG_P1 = 16, PG_P2, PG_P3,
	PG_BYPASS = 20,
	PG_SRC = 21,
};

static struct iommunest_ctx *ctx;
static struct edu edu;
static int vfio_fd = -1;
static uint32_t dev_id, ioas, parent, viommu, vdev;
static uint8_t *ram;
static struct iommunest_veventq *evq;

static uint64_t gpa(unsigned int pg)
{
	return RAM_GPA + pg * PAGE;
}

static uint8_t *page(unsigned int pg)
{
	return ram + pg * PAGE;
}

static int all_bytes(const uint8_t *p, uint8_t v)
{
	uint64_t i;

	for (i = 0; i < EDU_XFER; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void clear_targets(void)
{
	memset(page(PG_P1), 0, PAGE);
	memset(page(PG_P2), 0, PAGE);
	memset(page(PG_P3), 0, PAGE);
	memset(page(PG_BYPASS), 0, PAGE);
}

static int nested(unsigned int cfg, uint64_t cd_gpa, uint32_t *hwpt)
{
	uint64_t ste[2];

	ste_make(ste, cfg, cd_gpa);
	return iommunest_hwpt_alloc_smmuv3(ctx, dev_id, viommu, ste, hwpt);
}

static void test_info(void)
{
	struct iommunest_hw_info info;

	OK_EQ(iommunest_hw_info(ctx, dev_id, &info), 0, "hardware info");
	OK_EQ(info.type, IOMMUNEST_HW_INFO_ARM_SMMUV3, "the IOMMU is an SMMUv3");
	printf("# IDR0 0x%x IDR1 0x%x IDR3 0x%x IDR5 0x%x IIDR 0x%x AIDR 0x%x\n",
	       info.u.smmuv3.idr[0], info.u.smmuv3.idr[1],
	       info.u.smmuv3.idr[3], info.u.smmuv3.idr[5], info.u.smmuv3.iidr,
	       info.u.smmuv3.aidr);
	OK(info.caps & IOMMUNEST_CAP_NESTING,
	   "both stages implemented (IDR0 S1P and S2P): nesting");
	OK(info.addr_bits >= 40, "output address size %u bits",
	   info.addr_bits);
	OK(info.pgsize_bitmap & PAGE, "4 KiB granule (page sizes 0x%llx)",
	   (unsigned long long)info.pgsize_bitmap);
}

/* Stage 2 (the IOAS), the nesting parent, vIOMMU, vDEVICE, vEVENTQ. */
static int setup(void)
{
	int rc;

	ram = vm_buffer(RAM_LEN);
	OK(ram != NULL, "1 MiB of guest RAM");
	OK_EQ(iommunest_ioas_alloc(ctx, &ioas), 0, "IOAS: the guest's stage 2");
	OK_EQ(iommunest_ioas_map(ctx, ioas, ram, RAM_LEN, RAM_GPA,
				 IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE), 0,
	      "guest RAM mapped at its guest-physical address");
	OK_EQ(iommunest_hwpt_alloc_paging(ctx, dev_id, ioas,
					  IOMMUNEST_HWPT_NEST_PARENT, &parent),
	      0, "NEST_PARENT HWPT");
	OK_EQ(iommunest_device_attach(ctx, vfio_fd, parent), 0,
	      "device on stage 2 alone");
	OK_EQ(edu_setup(&edu, vfio_fd), 0, "edu BAR0 found, bus master on");
	rc = iommunest_viommu_alloc(ctx, dev_id, parent,
				    IOMMUNEST_VIOMMU_ARM_SMMUV3, &viommu);
	OK_EQ(rc, 0, "SMMUv3 vIOMMU (needs the CANWBS root complex)");
	if (rc)
		return rc;
	OK_EQ(iommunest_vdevice_alloc(ctx, viommu, dev_id, VSID, &vdev), 0,
	      "vDEVICE: vSID 0x%x", VSID);
	OK_EQ(iommunest_veventq_alloc(ctx, viommu, IOMMUNEST_VEVENTQ_ARM_SMMUV3,
				      64, 0, &evq), 0, "SMMUv3 vEVENTQ");
	/* The device's buffer, loaded once through stage 2 alone. */
	memset(page(PG_SRC), 0xa5, PAGE);
	OK_EQ(edu_from_ram(&edu, gpa(PG_SRC), EDU_XFER), 0,
	      "edu's buffer loaded (0xa5) by DMA through stage 2");
	return 0;
}

/* Abort faults; bypass is stage 2 only. */
static void test_abort_and_bypass(void)
{
	uint32_t abort = 0, bypass = 0;

	OK_EQ(nested(STE_CFG_ABORT, 0, &abort), 0, "nested HWPT: abort STE");
	OK_EQ(nested(STE_CFG_BYPASS, 0, &bypass), 0, "nested HWPT: bypass STE");
	clear_targets();
	OK_EQ(iommunest_device_replace(ctx, vfio_fd, abort), 0,
	      "device onto the abort STE");
	edu_to_ram(&edu, gpa(PG_BYPASS), EDU_XFER);
	OK(all_bytes(page(PG_BYPASS), 0), "abort: the DMA did not arrive");
	OK_EQ(iommunest_device_replace(ctx, vfio_fd, bypass), 0,
	      "device onto the bypass STE");
	edu_to_ram(&edu, gpa(PG_BYPASS), EDU_XFER);
	OK(all_bytes(page(PG_BYPASS), 0xa5),
	   "bypass: the DMA to a guest-physical address arrived (stage 2)");
	OK_EQ(iommunest_device_replace(ctx, vfio_fd, parent), 0,
	      "device back on stage 2");
	OK_EQ(iommunest_destroy(ctx, abort) | iommunest_destroy(ctx, bypass), 0,
	      "abort and bypass HWPTs destroyed");
}

static struct s1_tables tables(unsigned int l1)
{
	struct s1_tables t = {
		.l1 = (uint64_t *)(void *)page(l1),
		.l2 = (uint64_t *)(void *)page(l1 + 1),
		.l3 = (uint64_t *)(void *)page(l1 + 2),
		.l1_gpa = gpa(l1), .l2_gpa = gpa(l1 + 1), .l3_gpa = gpa(l1 + 2),
	};

	return t;
}

static struct iommunest_batch *smmu_batch(uint32_t cap)
{
	struct iommunest_batch_config cfg = {
		.target_id = viommu,
		.data_type = IOMMUNEST_INV_ARM_SMMUV3,
		.entry_len = 16,
		.capacity = cap,
		.flags = IOMMUNEST_BATCH_CONTINUE,
	};
	struct iommunest_batch *b = NULL;

	return iommunest_batch_new(ctx, &cfg, &b) ? NULL : b;
}

/*
 * The driver issues commands in blocks of 63 and reports a failing
 * command's index although the commands of its block before it were
 * never issued.  The one TLBI that matters sits at position good, an
 * illegal command at bad in the same block; the PTE moves from page
 * old to page new.  The library confirms the entries before bad, so
 * "done" must mean done: the DMA must land in the new page.
 */
static void test_block_miscount(struct s1_tables *ta, int good, int bad,
				unsigned int new, unsigned int old)
{
	struct iommunest_batch *b = smmu_batch(NCMDS);
	uint64_t c[2];
	int i;

	if (!b)
		return;
	/* The IOTLB holds VA -> old: map it, invalidate, use it. */
	s1_map(ta, VA, gpa(old));
	cmd_tlbi_va(c, CMD_TLBI_NH_VA, 1, VA);
	iommunest_batch_add_smmuv3(b, c);
	iommunest_batch_flush(b);
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(old), 0xa5), "VA -> page %u, in the IOTLB", old);
	iommunest_batch_reset(b);
	s1_map(ta, VA, gpa(new));
	for (i = 0; i < NCMDS; i++) {
		if (i == bad)
			cmd_cfgi(c, CMD_CFGI_STE, VSID);
		else    /* elsewhere: harmless TLBIs of other addresses */
			cmd_tlbi_va(c, CMD_TLBI_NH_VA, 1,
				    i == good ? VA : VA + 0x200000ull * (i + 1));
		iommunest_batch_add_smmuv3(b, c);
	}
	OK_EQ(iommunest_batch_flush(b), -EIO,
	      "%d commands, the TLBI at %d, CFGI_STE at %d: EIO", NCMDS, good,
	      bad);
	OK_EQ(iommunest_batch_result(b, (uint32_t)good), 0,
	      "the TLBI at %d is reported done", good);
	OK_EQ(iommunest_batch_result(b, (uint32_t)bad), -EIO,
	      "the CFGI_STE at %d failed", bad);
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(new), 0xa5) && all_bytes(page(old), 0),
	   "and it was really issued: the DMA follows the new PTE");
	iommunest_batch_free(b);
}

/* Stage 1 through guest tables, a stale IOTLB, invalidation batches. */
static uint32_t test_stage1(struct s1_tables *ta)
{
	struct iommunest_batch *b = smmu_batch(16);
	uint32_t s1 = 0;
	uint64_t c[2];
	int i;

	s1_link(ta, VA);
	s1_map(ta, VA, gpa(PG_P1));
	cd_make(page(PG_CD), 1, ta->l1_gpa);
	OK_EQ(nested(STE_CFG_S1, gpa(PG_CD), &s1), 0,
	      "nested HWPT: stage-1 STE, CD and tables in guest RAM");
	clear_targets();
	OK_EQ(iommunest_device_replace(ctx, vfio_fd, s1), 0,
	      "device onto the stage-1 STE");
	OK_EQ(edu_to_ram(&edu, VA, EDU_XFER), 0, "DMA to VA 0x%llx",
	      (unsigned long long)VA);
	OK(all_bytes(page(PG_P1), 0xa5),
	   "it arrived in P1: stage 1 (guest tables) then stage 2");
	OK(all_bytes(page(PG_P2), 0) && all_bytes(page(PG_BYPASS), 0),
	   "and nowhere else");
	/* The guest rewrites its PTE without invalidating. */
	s1_map(ta, VA, gpa(PG_P2));
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(PG_P1), 0xa5) && all_bytes(page(PG_P2), 0),
	   "PTE rewritten to P2: DMA still hits P1 (the IOTLB holds it)");
	OK(b != NULL, "an SMMUv3 batch on the vIOMMU");
	if (!b)
		return s1;
	cmd_tlbi_va(c, CMD_TLBI_NH_VA, 1, VA);
	iommunest_batch_add_smmuv3(b, c);
	OK_EQ(iommunest_batch_flush(b), 0, "CMD_TLBI_NH_VA flushed, done");
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(PG_P2), 0xa5) && all_bytes(page(PG_P1), 0),
	   "after the TLBI the DMA lands in P2");

	/* Every accepted opcode is done; CFGI_STE is refused alone. */
	cmd_asid(c, CMD_TLBI_NH_ASID, 1);
	iommunest_batch_add_smmuv3(b, c);
	cmd_tlbi_va(c, CMD_TLBI_NH_VAA, 0, VA);
	iommunest_batch_add_smmuv3(b, c);
	cmd_asid(c, CMD_TLBI_NH_ALL, 0);
	iommunest_batch_add_smmuv3(b, c);
	cmd_asid(c, CMD_TLBI_NSNH_ALL, 0);
	iommunest_batch_add_smmuv3(b, c);
	cmd_cfgi(c, CMD_CFGI_CD, VSID);
	iommunest_batch_add_smmuv3(b, c);
	cmd_cfgi(c, CMD_CFGI_CD_ALL, VSID);
	iommunest_batch_add_smmuv3(b, c);
	cmd_cfgi(c, CMD_CFGI_STE, VSID);
	iommunest_batch_add_smmuv3(b, c);
	cmd_cfgi(c, CMD_CFGI_CD, VSID + 1);   /* no vDEVICE: EIO */
	iommunest_batch_add_smmuv3(b, c);
	cmd_tlbi_va(c, CMD_TLBI_NH_VA, 1, VA);
	iommunest_batch_add_smmuv3(b, c);
	OK_EQ(iommunest_batch_flush(b), -EIO,
	      "a batch with CFGI_STE and an unknown vSID: EIO");
	for (i = 0; i < 6; i++)
		OK_EQ(iommunest_batch_result(b, (uint32_t)i), 0,
		      "entry %d (an accepted opcode) done", i);
	OK_EQ(iommunest_batch_result(b, 6), -EIO,
	      "entry 6: CFGI_STE refused through a vIOMMU");
	OK_EQ(iommunest_batch_result(b, 7), -EIO,
	      "entry 7: CFGI_CD of a vSID without a vDEVICE refused");
	OK_EQ(iommunest_batch_result(b, 8), 0, "entry 8 (after them) done");
	iommunest_batch_free(b);
	/* Inside the first block, inside a later one, and at the edges:
	 * the bad command last in a block, or first of the next. */
	test_block_miscount(ta, 40, 50, PG_P1, PG_P2);
	test_block_miscount(ta, 70, 100, PG_P2, PG_P1);
	test_block_miscount(ta, 61, 62, PG_P1, PG_P2);
	test_block_miscount(ta, 62, 63, PG_P2, PG_P1);
	test_block_miscount(ta, 125, 126, PG_P1, PG_P2);
	return s1;
}

/* ---- a guest's command queue through the translator ------------------ */

#define RING 8u

static uint64_t ring[RING][2]; /* the guest's CMDQ, as the VMM maps it */

static void put(uint32_t slot, const uint64_t c[2])
{
	ring[slot][0] = htole64(c[0]);
	ring[slot][1] = htole64(c[1]);
}

static int translate(struct iommunest_batch *b, uint32_t head,
		     uint32_t tail, struct iommunest_guest_queue_result *r)
{
	struct iommunest_guest_queue q = {
		.base = ring, .size = RING, .slot_len = 16,
		.head = head, .tail = tail,
	};

	return iommunest_smmuv3_queue_translate(b, &q, r);
}

/*
 * Recorded guest command queues, wrapping around the ring, translated
 * onto the real vIOMMU; the edu DMA proves that the TLBI before each
 * CMD_SYNC reached the hardware, and that a command the kernel refuses
 * stops the guest's queue at it with what came before it done.
 */
static void test_guest_queue(struct s1_tables *ta)
{
	struct iommunest_batch *b = smmu_batch(4);
	struct iommunest_guest_queue_result r;
	uint64_t c[2];

	OK(b != NULL, "an SMMUv3 batch for the guest queue");
	if (!b)
		return;
	/* The IOTLB holds VA -> P1 (the last check above); the guest moves
	 * the PTE to P3 and queues its invalidation. */
	s1_map(ta, VA, gpa(PG_P1));
	cmd_tlbi_va(c, CMD_TLBI_NH_VA, 1, VA);
	iommunest_batch_add_smmuv3(b, c);
	iommunest_batch_flush(b);
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(PG_P1), 0xa5), "guest queue: VA -> P1, cached");
	s1_map(ta, VA, gpa(PG_P3));
	cmd_cfgi(c, CMD_CFGI_CD, VSID);
	put(6, c);
	cmd_asid(c, CMD_TLBI_NH_ASID, 2);
	put(7, c);
	cmd_tlbi_va(c, CMD_TLBI_NH_VA, 1, VA);
	put(0, c);
	c[0] = CMD_SYNC | 2u << 12; /* CS = SEV */
	c[1] = 0;
	put(1, c);
	cmd_cfgi(c, CMD_CFGI_STE, VSID);
	put(2, c);
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(PG_P1), 0xa5) && all_bytes(page(PG_P3), 0),
	   "PTE moved to P3, not yet invalidated: DMA still hits P1");
	OK_EQ(translate(b, 6, 3, &r), 0, "queue [6, 3) translated");
	OK(r.stop == IOMMUNEST_GQ_SYNC && r.stop_slot == 1 &&
	   r.consumed == 3 && r.entries == 3,
	   "CFGI_CD, TLBI_NH_ASID, TLBI_NH_VA batched, CMD_SYNC at slot 1 "
	   "(stop %u at %u, %u consumed, %u entries)", r.stop, r.stop_slot,
	   r.consumed, r.entries);
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(PG_P3), 0xa5) && all_bytes(page(PG_P1), 0),
	   "at the CMD_SYNC the TLBI is done: DMA lands in P3");
	OK_EQ(translate(b, 2, 3, &r), 0, "queue [2, 3) translated");
	OK(r.stop == IOMMUNEST_GQ_VMM && r.stop_slot == 2 && !r.consumed &&
	   r.vmm_kind == IOMMUNEST_SMMU_CMD_CFGI_STE && !r.entries,
	   "CFGI_STE handed to the VMM, nothing submitted");
	OK_EQ(translate(b, 3, 3, &r), 0, "empty window");
	OK(r.stop == IOMMUNEST_GQ_DONE && !r.consumed, "nothing to do");

	/* A CFGI_CD for a vSID without a vDEVICE: the kernel refuses it, the
	 * guest sees CERROR_ILL there; the TLBI before it was done. */
	s1_map(ta, VA, gpa(PG_P2));
	cmd_tlbi_va(c, CMD_TLBI_NH_VA, 1, VA);
	put(3, c);
	cmd_cfgi(c, CMD_CFGI_CD, VSID + 1);
	put(4, c);
	cmd_asid(c, CMD_TLBI_NH_ALL, 0);
	put(5, c);
	c[0] = CMD_SYNC;
	c[1] = 0;
	put(6, c);
	c[0] = 0x2a; /* TLBI_S2_IPA: no stage 2 for the guest */
	c[1] = VA;
	put(7, c);
	OK_EQ(translate(b, 3, 0, &r), 0, "queue [3, 0) translated");
	OK(r.stop == IOMMUNEST_GQ_ERROR && r.stop_slot == 4 &&
	   r.consumed == 1 && r.guest_error == IOMMUNEST_SMMU_CERROR_ILL &&
	   r.error == -EIO,
	   "CFGI_CD of an unknown vSID: CERROR_ILL at slot 4 (stop %u at %u,"
	   " error %d)", r.stop, r.stop_slot, r.error);
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(PG_P2), 0xa5) && all_bytes(page(PG_P3), 0),
	   "the TLBI before it was done: DMA lands in P2");
	OK_EQ(translate(b, 5, 0, &r), 0, "the guest skips it: [5, 0)");
	OK(r.stop == IOMMUNEST_GQ_SYNC && r.stop_slot == 6 && r.consumed == 1,
	   "TLBI_NH_ALL done, CMD_SYNC at slot 6");
	OK_EQ(translate(b, 7, 0, &r), 0, "queue [7, 0) translated");
	OK(r.stop == IOMMUNEST_GQ_ERROR && r.stop_slot == 7 &&
	   r.guest_error == IOMMUNEST_SMMU_CERROR_ILL && r.error == -EINVAL &&
	   !r.entries, "TLBI_S2_IPA: CERROR_ILL, nothing submitted");
	iommunest_batch_free(b);
}

/* Make before break: from table A (P2) to table B (P3). */
static uint32_t test_switch(uint32_t s1)
{
	struct s1_tables tb = tables(PG_B_L1);
	uint64_t ste[2];
	uint32_t cur = s1;

	s1_link(&tb, VA);
	s1_map(&tb, VA, gpa(PG_P3));
	cd_make(page(PG_CD) + 64, 2, tb.l1_gpa);
	ste_make(ste, STE_CFG_S1, gpa(PG_CD) + 64);
	OK_EQ(iommunest_nested_switch(ctx, vfio_fd, dev_id, viommu,
				      IOMMUNEST_HWPT_DATA_ARM_SMMUV3, ste,
				      sizeof(ste), &cur), 0,
	      "nested switch to the STE of table B");
	OK(cur != s1, "a new HWPT; the old one was destroyed");
	OK_EQ(iommunest_destroy(ctx, s1), -ENOENT, "the old HWPT is gone");
	clear_targets();
	edu_to_ram(&edu, VA, EDU_XFER);
	OK(all_bytes(page(PG_P3), 0xa5), "DMA to VA lands in table B's P3");
	OK(all_bytes(page(PG_P2), 0) && all_bytes(page(PG_P1), 0),
	   "and not in table A's pages");
	return cur;
}

/* A stage-1 translation fault, as the guest would see it. */
static void test_fault_event(void)
{
	struct iommunest_vevent ev[8];
	uint64_t evt[4];
	int n, i, found = 0;

	while (iommunest_veventq_read(evq, ev, 8) > 0)
		; /* drain what earlier tests caused (the abort STE) */
	edu_to_ram(&edu, VA_HOLE, EDU_XFER);
	OK(poll(&(struct pollfd){ .fd = iommunest_veventq_fd(evq),
				  .events = POLLIN }, 1, 2000) == 1,
	   "a DMA to an unmapped VA: the vEVENTQ has an event");
	n = iommunest_veventq_read(evq, ev, 8);
	OK(n >= 1, "vEVENTQ read: %d event(s)", n);
	for (i = 0; i < n; i++) {
		memcpy(evt, ev[i].data, sizeof(evt));
		printf("# event 0x%016llx 0x%016llx 0x%016llx 0x%016llx\n",
		       (unsigned long long)evt[0], (unsigned long long)evt[1],
		       (unsigned long long)evt[2], (unsigned long long)evt[3]);
		if ((evt[0] & 0xff) == EVT_F_TRANSLATION &&
		    (uint32_t)(evt[0] >> 32) == VSID &&
		    (evt[2] & ~0xfffull) == VA_HOLE)
			found = 1;
	}
	OK(found, "F_TRANSLATION with the guest's StreamID 0x%x and the VA",
	   VSID);
}

int main(void)
{
	struct s1_tables ta;
	uint32_t s1;

	OK_EQ(iommunest_open(&ctx), 0, "open /dev/iommu");
	vfio_fd = open(EDU_CDEV, O_RDWR | O_CLOEXEC);
	OK(vfio_fd >= 0, "open " EDU_CDEV);
	if (!ctx || vfio_fd < 0)
		return tap_done();
	OK_EQ(iommunest_device_bind(ctx, vfio_fd, &dev_id), 0,
	      "bind the edu device");
	test_info();
	if (setup())
		return tap_done();
	test_abort_and_bypass();
	ta = tables(PG_A_L1);
	s1 = test_stage1(&ta);
	test_guest_queue(&ta);
	s1 = test_switch(s1);
	test_fault_event();
	OK_EQ(iommunest_device_replace(ctx, vfio_fd, parent), 0,
	      "device back on stage 2");
	iommunest_destroy(ctx, s1);
	OK_EQ(iommunest_veventq_free(evq), 0, "vEVENTQ freed");
	iommunest_destroy(ctx, vdev);
	OK_EQ(iommunest_destroy(ctx, viommu), 0, "vIOMMU destroyed");
	iommunest_device_detach(ctx, vfio_fd);
	OK_EQ(iommunest_destroy(ctx, parent), 0, "parent destroyed");
	close(vfio_fd);
	OK_EQ(iommunest_close(ctx), 0, "close");
	return tap_done();
}
