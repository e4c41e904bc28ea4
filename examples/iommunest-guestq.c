/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest-guestq: a VMM's invalidation-queue handler, fed a recorded
 * guest queue, printing what the guest would see.
 *
 * The VT-d part replays what a Linux guest queues when it unmaps pages of
 * a nested domain with an ATS device: PASID-based IOTLB and device-TLB
 * invalidations, waits, a PASID-cache and an IOTLB invalidation for the
 * VMM, and one malformed descriptor, in 256-bit descriptors wrapping
 * around the end of the ring.  iommunest_vtd_queue_translate(3) turns it
 * into batches of stage-1 entries on the nested HWPT and stops at each
 * point the VMM must act on.
 *
 * On the kernel's mock IOMMU (--mock) the nested HWPT is the mock's,
 * which takes only the mock's own invalidation entries: the kernel
 * refuses the VT-d entries (EINVAL), so the guest is shown an
 * invalidation queue error at each descriptor that asked for one.  On a
 * VT-d IOMMU with nesting the same entries complete.
 *
 * The SMMUv3 part replays a Linux guest's command queue: an STE change
 * and its CMD_SYNC, TLB and ATC invalidations and a CMD_SYNC with an
 * MSI, then an illegal TLBI_EL2_ALL, wrapping around the ring.
 * iommunest_smmuv3_queue_translate(3) hands the STE change and the syncs
 * to the VMM, batches the invalidations on a vIOMMU, and shows the guest
 * CERROR_ILL for the last command.  The mock's vIOMMU takes only the
 * mock's entries, so there the kernel refuses the batch, which is not the
 * guest's doing.
 */
#include <endian.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libiommunest/batch.h>
#include <libiommunest/guestq.h>
#include <libiommunest/iommunest.h>

#include "common.h"

static const char usage[] =
"usage: iommunest-guestq [--mock | DEVICE]\n"
"\n"
"Translate a recorded guest invalidation queue into stage-1 invalidations\n"
"on a nested HWPT, and a recorded SMMUv3 command queue into commands on\n"
"a vIOMMU, and print, stop by stop, what the guest would see.\n"
"DEVICE is a VFIO cdev behind an IOMMU with nesting (default: the first\n"
"in " EX_CDEV_DIR ", or the mock IOMMU when there is none).\n"
"\n"
"  --mock      use the kernel's mock IOMMU device (CONFIG_IOMMUFD_TEST)\n"
"  --help      show this help\n";

/* ---- the recorded VT-d queue ---------------------------------------------- */

#define VTD_RING 16u
#define VTD_HEAD 12u
#define VTD_TAIL 5u
#define PASID_SHIFT 32
#define DID(d) ((uint64_t)(d) << 16)

struct vtd_desc {
	uint64_t qw[4];
	const char *what;
};

/* Slots VTD_HEAD.. then 0..: what the guest wrote, in its words. */
static const struct vtd_desc vtd_queue[] = {
	{ { 6 | 3u << 4 | DID(1), 0x200000 | 4 },
	  "PASID-based IOTLB, 16 pages at 0x200000" },
	{ { 3 | (0x0008ull << 32), 0x207000 | 1 },
	  "device TLB, S=1: 64 KiB at 0x200000" },
	{ { 5 | 1u << 5 | (0x1ull << 32), 0x7f000 }, "wait, status write" },
	{ { 7 | 1u << 4 | DID(1) }, "PASID cache, one PASID" },
	{ { 6 | 2u << 4 | DID(1) }, "PASID-based IOTLB, all of the PASID" },
	{ { 8 | (0x0008ull << 16), 0x7ffffffffffff000 | 1u << 11 | 1 },
	  "PASID-based device TLB, global, everything" },
	{ { 5 | 1u << 4 | 1u << 5 | (0x2ull << 32), 0x7f000 },
	  "wait, status write and interrupt" },
	{ { 2 | 1u << 4 }, "IOTLB, global" },
	{ { 6 | 3u << 4 | 1u << 7, 0x300000 },
	  "PASID-based IOTLB with reserved bit 7 set" },
};

static const char *vtd_kind(uint32_t kind)
{
	switch (kind) {
	case IOMMUNEST_VTD_DESC_CONTEXT: return "context cache";
	case IOMMUNEST_VTD_DESC_IOTLB:   return "IOTLB";
	case IOMMUNEST_VTD_DESC_IEC:     return "interrupt entry cache";
	case IOMMUNEST_VTD_DESC_PASID:   return "PASID cache";
	default:                         return "page response";
	}
}

static const char *vtd_fault(uint32_t bit)
{
	return bit == IOMMUNEST_VTD_IQE ? "IQE" : bit == IOMMUNEST_VTD_ICE
	       ? "ICE" : bit == IOMMUNEST_VTD_ITE ? "ITE" : "none";
}

/* Print one stop of the translation; the next head to translate from. */
static uint32_t vtd_show(const struct iommunest_guest_queue_result *r,
			 const struct iommunest_guest_queue *q)
{
	uint32_t k = (r->stop_slot + VTD_RING - VTD_HEAD) % VTD_RING;

	printf("  slots %2" PRIu32 "..: %" PRIu32 " handled, %" PRIu32
	       " entries; ", q->head, r->consumed, r->entries);
	switch (r->stop) {
	case IOMMUNEST_GQ_DONE:
		printf("done, head = tail = %" PRIu32 "\n", r->stop_slot);
		return r->stop_slot;
	case IOMMUNEST_GQ_SYNC:
		printf("slot %" PRIu32 " (%s): the VMM completes the wait\n",
		       r->stop_slot, vtd_queue[k].what);
		break;
	case IOMMUNEST_GQ_VMM:
		printf("slot %" PRIu32 " (%s): the VMM's %s\n", r->stop_slot,
		       vtd_queue[k].what, vtd_kind(r->vmm_kind));
		break;
	default:
		printf("slot %" PRIu32 " (%s): guest sees %s, head stays "
		       "(%s)\n", r->stop_slot, vtd_queue[k].what,
		       vtd_fault(r->guest_error), ex_err(r->error));
		/* A guest driver repairs the queue and moves on; so do we. */
		break;
	}
	return (r->stop_slot + 1) % VTD_RING;
}

static int vtd_replay(struct iommunest_ctx *ctx, uint32_t nested)
{
	static uint64_t ring[VTD_RING][4];
	struct iommunest_batch_config cfg = {
		.target_id = nested, .data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = 24, .capacity = 8,
	};
	struct iommunest_guest_queue q = {
		.base = ring, .size = VTD_RING, .slot_len = 32,
		.head = VTD_HEAD, .tail = VTD_TAIL,
	};
	struct iommunest_guest_queue_result r;
	struct iommunest_batch_stats st;
	struct iommunest_batch *b;
	uint32_t i, j;
	int rc;

	for (i = 0; i < EX_ARRAY_SIZE(vtd_queue); i++)
		for (j = 0; j < 4; j++)
			ring[(VTD_HEAD + i) % VTD_RING][j] =
				htole64(vtd_queue[i].qw[j]);
	rc = iommunest_batch_new(ctx, &cfg, &b);
	if (rc)
		return ex_check(rc, "VT-d batch on nested HWPT %" PRIu32,
				nested);
	printf("VT-d queue: %u slots of 256 bits, head %u, tail %u\n",
	       VTD_RING, VTD_HEAD, VTD_TAIL);
	do {
		rc = iommunest_vtd_queue_translate(b, &q, &r);
		if (rc < 0)
			break;
		q.head = vtd_show(&r, &q);
	} while (r.stop != IOMMUNEST_GQ_DONE);
	if (!rc && !iommunest_batch_stats(b, &st))
		printf("  batch: %" PRIu64 " ioctls, %" PRIu64 " entries done, "
		       "%" PRIu64 " failed\n", st.ioctls, st.done, st.failed);
	iommunest_batch_free(b);
	return rc < 0 ? ex_check(rc, "translate at slot %" PRIu32,
				 r.stop_slot) : EX_OK;
}

/* ---- the recorded SMMUv3 queue ------------------------------------------ */

#define SMMU_RING 8u
#define SMMU_HEAD 5u
#define SMMU_TAIL 4u
#define SMMU_VSID 8u
#define SMMU_SID(s) ((uint64_t)(s) << 32)
#define SMMU_ASID(a) ((uint64_t)(a) << 48)

struct smmu_cmd {
	uint64_t w[2];
	const char *what;
};

/* Slots SMMU_HEAD.. then 0..: what a Linux guest queues when it changes
 * a device's STE and then unmaps pages of its stage-1 table. */
static const struct smmu_cmd smmu_queue[] = {
	{ { 0x03 | SMMU_SID(SMMU_VSID), 1 }, "CFGI_STE, vSID 8, leaf" },
	{ { 0x46 | 2u << 12 }, "CMD_SYNC, CS=SEV" },
	{ { 0x12 | SMMU_ASID(1), 0x200000 | 1 },
	  "TLBI_NH_VA, ASID 1, 0x200000, leaf" },
	{ { 0x11 | SMMU_ASID(1) }, "TLBI_NH_ASID, ASID 1" },
	{ { 0x40 | SMMU_SID(SMMU_VSID), 52 }, "ATC_INV, vSID 8, everything" },
	{ { 0x46 | 1u << 12 | 0x1234ull << 32, 0x7f000 },
	  "CMD_SYNC, CS=IRQ, MSI 0x1234 to 0x7f000" },
	{ { 0x20 }, "TLBI_EL2_ALL: no EL2 for the guest" },
};

static const char *smmu_kind(uint32_t kind)
{
	switch (kind) {
	case IOMMUNEST_SMMU_CMD_CFGI_STE:       return "STE reload";
	case IOMMUNEST_SMMU_CMD_CFGI_STE_RANGE: return "STE range reload";
	case IOMMUNEST_SMMU_CMD_CFGI_ALL:       return "reload of every STE";
	default:                                return "prefetch (ignored)";
	}
}

static const char *smmu_cerror(uint32_t code)
{
	return code == IOMMUNEST_SMMU_CERROR_ILL ? "CERROR_ILL"
	       : code == IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC
	       ? "CERROR_ATC_INV_SYNC" : "CERROR_ABT";
}

/* Print one stop; the next head to translate from. */
static uint32_t smmu_show(const struct iommunest_guest_queue_result *r,
			  const struct iommunest_guest_queue *q)
{
	uint32_t k = (r->stop_slot + SMMU_RING - SMMU_HEAD) % SMMU_RING;

	printf("  slots %" PRIu32 "..: %" PRIu32 " handled, %" PRIu32
	       " entries; ", q->head, r->consumed, r->entries);
	switch (r->stop) {
	case IOMMUNEST_GQ_DONE:
		printf("done, CONS = PROD = %" PRIu32 "\n", r->stop_slot);
		return r->stop_slot;
	case IOMMUNEST_GQ_SYNC:
		printf("slot %" PRIu32 " (%s): the VMM signals it\n",
		       r->stop_slot, smmu_queue[k].what);
		break;
	case IOMMUNEST_GQ_VMM:
		printf("slot %" PRIu32 " (%s): the VMM's %s\n", r->stop_slot,
		       smmu_queue[k].what, smmu_kind(r->vmm_kind));
		break;
	default:
		printf("slot %" PRIu32 " (%s): guest sees %s, CONS stays "
		       "(%s)\n", r->stop_slot, smmu_queue[k].what,
		       smmu_cerror(r->guest_error), ex_err(r->error));
		/* A guest driver skips the command and moves on; so do we. */
		break;
	}
	return (r->stop_slot + 1) % SMMU_RING;
}

/* Translate the queue on a vIOMMU (the mock's vIOMMU takes only its own
 * entries: there the kernel refuses the first flush, which is not the
 * guest's doing, and the example says so). */
static int smmu_replay(struct iommunest_ctx *ctx, uint32_t viommu)
{
	static uint64_t ring[SMMU_RING][2];
	struct iommunest_batch_config cfg = {
		.target_id = viommu, .data_type = IOMMUNEST_INV_ARM_SMMUV3,
		.entry_len = 16, .capacity = 8,
	};
	struct iommunest_guest_queue q = {
		.base = ring, .size = SMMU_RING, .slot_len = 16,
		.head = SMMU_HEAD, .tail = SMMU_TAIL,
	};
	struct iommunest_guest_queue_result r;
	struct iommunest_batch *b;
	uint32_t i;
	int rc;

	for (i = 0; i < EX_ARRAY_SIZE(smmu_queue); i++) {
		ring[(SMMU_HEAD + i) % SMMU_RING][0] =
			htole64(smmu_queue[i].w[0]);
		ring[(SMMU_HEAD + i) % SMMU_RING][1] =
			htole64(smmu_queue[i].w[1]);
	}
	rc = iommunest_batch_new(ctx, &cfg, &b);
	if (rc)
		return ex_check(rc, "SMMUv3 batch on vIOMMU %" PRIu32, viommu);
	printf("SMMUv3 queue: %u slots of 128 bits, CONS %u, PROD %u\n",
	       SMMU_RING, SMMU_HEAD, SMMU_TAIL);
	do {
		rc = iommunest_smmuv3_queue_translate(b, &q, &r);
		if (rc < 0) {
			printf("  slot %" PRIu32 ": not the guest's (%s): the "
			       "VMM retries from there later\n", r.stop_slot,
			       ex_err(rc));
			break;
		}
		q.head = smmu_show(&r, &q);
	} while (r.stop != IOMMUNEST_GQ_DONE);
	iommunest_batch_free(b);
	return EX_OK;
}

/* ---- the host side: a nested HWPT to invalidate ------------------------- */

struct host {
	struct iommunest_ctx *ctx;
	struct ex_device dev;
	uint32_t ioas, parent, nested, viommu, vdev;
	void *table;
};

#define TABLE_GPA 0x1000000ull /* the guest's (empty) stage-1 table */

static int nest(struct host *h)
{
	struct iommunest_hw_info info;
	int rc = iommunest_hw_info(h->ctx, h->dev.dev_id, &info);

	if (rc)
		return ex_check(rc, "hardware info");
	if (!h->dev.mock && (info.type != IOMMUNEST_HW_INFO_INTEL_VTD ||
			     !(info.caps & IOMMUNEST_CAP_NESTING)))
		return ex_fail(EX_UNSUPPORTED, "%s: not a VT-d IOMMU with "
			       "nesting (--mock shows the example)",
			       h->dev.name);
	h->table = ex_alloc(EX_PAGE);
	if (!h->table)
		return ex_fail(EX_FAIL, "out of memory");
	rc = iommunest_ioas_map(h->ctx, h->ioas, h->table, EX_PAGE, TABLE_GPA,
				IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE);
	if (!rc)
		rc = iommunest_hwpt_alloc_paging(h->ctx, h->dev.dev_id,
						 h->ioas,
						 IOMMUNEST_HWPT_NEST_PARENT,
						 &h->parent);
	if (!rc && h->dev.mock)
		rc = iommunest_hwpt_alloc_selftest(h->ctx, h->dev.dev_id,
						   h->parent,
						   MOCK_IOTLB_DEFAULT,
						   &h->nested);
	else if (!rc)
		rc = iommunest_hwpt_alloc_vtd_s1(h->ctx, h->dev.dev_id,
						 h->parent, TABLE_GPA, 48, 0,
						 &h->nested);
	if (!rc)
		rc = ex_device_replace(h->ctx, &h->dev, h->nested);
	if (rc)
		return ex_check(rc, "nested HWPT");
	printf("nested HWPT %" PRIu32 " on parent %" PRIu32 " (%s)\n",
	       h->nested, h->parent,
	       h->dev.mock ? "mock: it refuses VT-d entries" : "VT-d");
	return EX_OK;
}

/* A vIOMMU on the nesting parent and the device's vSID on it, for the
 * SMMUv3 queue; skipped where the IOMMU has no such vIOMMU. */
static int smmu_part(struct host *h)
{
	int rc = iommunest_viommu_alloc(h->ctx, h->dev.dev_id, h->parent,
					h->dev.mock ? IOMMUNEST_VIOMMU_SELFTEST
						    : IOMMUNEST_VIOMMU_ARM_SMMUV3,
					&h->viommu);

	if (!rc)
		rc = iommunest_vdevice_alloc(h->ctx, h->viommu, h->dev.dev_id,
					     SMMU_VSID, &h->vdev);
	if (rc) {
		printf("SMMUv3 queue: skipped, no vIOMMU here (%s)\n",
		       ex_err(rc));
		return EX_OK;
	}
	printf("vIOMMU %" PRIu32 " on parent %" PRIu32 ", vSID %u (%s)\n",
	       h->viommu, h->parent, SMMU_VSID,
	       h->dev.mock ? "mock: it refuses SMMUv3 commands" : "SMMUv3");
	return smmu_replay(h->ctx, h->viommu);
}

static void teardown(struct host *h)
{
	if (h->vdev)
		iommunest_destroy(h->ctx, h->vdev);
	if (h->viommu)
		iommunest_destroy(h->ctx, h->viommu);
	if (h->nested)
		ex_device_replace(h->ctx, &h->dev, h->ioas);
	if (h->nested)
		iommunest_destroy(h->ctx, h->nested);
	if (h->parent)
		iommunest_destroy(h->ctx, h->parent);
	ex_device_close(h->ctx, &h->dev);
	iommunest_close(h->ctx);
	ex_free(h->table, EX_PAGE);
}

static int run(struct host *h, const struct ex_target *t)
{
	int status = ex_device_open(t, &h->dev);

	if (!status)
		status = ex_open_iommufd(&h->ctx);
	if (!status)
		status = ex_check(iommunest_ioas_alloc(h->ctx, &h->ioas),
				  "IOAS alloc");
	if (!status)
		status = ex_device_attach(h->ctx, t, &h->dev, h->ioas);
	if (!status)
		status = nest(h);
	if (!status)
		status = vtd_replay(h->ctx, h->nested);
	if (!status)
		status = smmu_part(h);
	return status;
}

int main(int argc, char **argv)
{
	struct host h = { 0 };
	struct ex_target t;
	const char *path = NULL;
	bool mock = false;
	int status;

	ex_init(argv[0]);
	h.dev.vfio_fd = -1;
	status = ex_parse_device_args(argc, argv, usage, &mock, &path);
	if (status)
		return status;
	status = ex_pick_target(path, mock, &t);
	if (!status)
		status = run(&h, &t);
	teardown(&h);
	ex_target_free(&t);
	return status;
}
