/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Intel VT-d invalidation queue → VT-d stage-1 batch entries, sync points,
 * descriptors for the VMM, and the fault status the guest must see.
 *
 * Descriptor layout (VT-d specification 6.5.2, as the Linux 7.3 driver
 * encodes it): the type is bits 3:0 with bits 11:9 above them; a queue
 * with DW=0 holds 128-bit descriptors, with DW=1 256-bit ones whose upper
 * 128 bits are reserved for every type handled here.  The PASID-based
 * types (6, 7, 8) exist only as 256-bit descriptors: in a DW=0 queue they
 * are an invalidation queue error.
 *
 * The nested HWPT the batch targets caches one guest PASID table entry's
 * translations, and the 7.3 driver flushes the device TLBs of a nested
 * domain together with its IOTLB, so a device-TLB invalidation becomes the
 * stage-1 entry of the same range: neither dropped nor widened.
 */
#include <endian.h>
#include <string.h>

#include "abi.h"
#include "guestq.h"
#include "internal.h"
#include "libiommunest/batch.h"

#define VTD_PAGE_SHIFT 12u
#define VTD_ADDR_MASK (~UINT64_C(0xfff))
#define ORDER_ALL (64u - VTD_PAGE_SHIFT) /* 2^52 pages: the whole space */

/* Descriptor types (bits 3:0, then bits 11:9 as bits 6:4). */
#define T_CC      1u /* context cache */
#define T_IOTLB   2u /* IOTLB (domain or second-stage pages) */
#define T_DEVTLB  3u /* device TLB, requests without PASID */
#define T_IEC     4u /* interrupt entry cache */
#define T_WAIT    5u /* invalidation wait */
#define T_PIOTLB  6u /* PASID-based IOTLB */
#define T_PC      7u /* PASID cache */
#define T_PDEVTLB 8u /* PASID-based device TLB */
#define T_PGRP    9u /* page group response */

/* PASID-based IOTLB: granularity (bits 5:4), reserved bits. */
#define PIOTLB_G_PASID 2u /* all of one PASID */
#define PIOTLB_G_PAGE  3u /* 2^AM pages within a PASID */
#define PIOTLB_RSVD0 UINT64_C(0xfff000000000f1c0) /* 63:52 15:12 8:6 */
#define PIOTLB_RSVD1 UINT64_C(0x0000000000000f80) /* 11:7 */
#define PIOTLB_IH    (UINT64_C(1) << 6)
#define PIOTLB_AM    UINT64_C(0x3f)
/* Device TLB: size bit S and reserved bits.  QW0 of the PASID-based one
 * has none (MIP 8:4, PFSID 15:12 and 63:52, SID, PASID fill it). */
#define DEVTLB_S      UINT64_C(1)         /* type 3: QW1 bit 0 */
#define DEVTLB_RSVD0  UINT64_C(0x000f0000ffe001f0) /* 51:48 31:21 8:4 */
#define DEVTLB_RSVD1  UINT64_C(0x0000000000000ffe) /* 11:1 */
#define PDEVTLB_S     (UINT64_C(1) << 11) /* type 8: QW1 bit 11 */
#define PDEVTLB_RSVD1 UINT64_C(0x00000000000007fe) /* 10:1 */
/* Wait: IF, SW, FN, PD (7:4) are the VMM's; 31:12 and QW1 1:0 reserved. */
#define WAIT_RSVD0 UINT64_C(0x00000000fffff000)
#define WAIT_RSVD1 UINT64_C(0x3)

enum act { ACT_ENTRY, ACT_SYNC, ACT_VMM, ACT_IQE };

/* What one descriptor asks for. */
struct action {
	enum act what;
	uint32_t kind;   /* ACT_VMM: IOMMUNEST_VTD_DESC_* */
	uint64_t addr;   /* ACT_ENTRY: the stage-1 entry */
	uint64_t npages;
	bool leaf;
};

/* One descriptor as little-endian quadwords; qw[2..3] are 0 in DW=0. */
struct desc {
	uint64_t qw[4];
};

static void read_desc(const unsigned char *p, uint32_t len, struct desc *d)
{
	uint32_t i;

	memset(d, 0, sizeof(*d));
	memcpy(d->qw, p, len); /* guest memory: no alignment promised */
	for (i = 0; i < 4; i++)
		d->qw[i] = le64toh(d->qw[i]);
}

static uint32_t desc_type(uint64_t qw0)
{
	return (uint32_t)(qw0 & 0xf) | (uint32_t)((qw0 >> 9) & 0x7) << 4;
}

static void set_all(struct action *a, bool leaf)
{
	a->what = ACT_ENTRY;
	a->addr = 0;
	a->npages = UINT64_MAX; /* the kernel's "everything" */
	a->leaf = leaf;
}

/* The 2^order pages holding addr: the descriptor's mask makes hardware
 * ignore the address bits below it.  An order of 52 or more covers the
 * whole 64-bit space. */
static void set_range(struct action *a, uint64_t addr, uint32_t order,
		      bool leaf)
{
	if (order >= ORDER_ALL) {
		set_all(a, leaf);
		return;
	}
	a->what = ACT_ENTRY;
	a->addr = addr & ~((UINT64_C(1) << (order + VTD_PAGE_SHIFT)) - 1);
	a->npages = UINT64_C(1) << order;
	a->leaf = leaf;
}

/* Device-TLB address with size bit S: S=0 is the page at addr; S=1 puts
 * the size in the address, the lowest 0 bit from bit 12 up at bit k
 * meaning 2^(k+1) bytes (bit 12 clear: 8 KiB).  No 0 bit, or bit 63,
 * is the whole space. */
static void set_devtlb(struct action *a, uint64_t addr, bool s)
{
	uint64_t pfn = addr >> VTD_PAGE_SHIFT;
	uint32_t ones;

	if (!s) {
		set_range(a, addr, 0, false);
		return;
	}
	ones = (uint32_t)__builtin_ctzll(~pfn); /* ~pfn: top 12 bits set */
	set_range(a, addr, ones + 1, false);
}

static void piotlb(const struct desc *d, struct action *a)
{
	uint32_t g = (uint32_t)(d->qw[0] >> 4) & 3;

	if ((d->qw[0] & PIOTLB_RSVD0) || (d->qw[1] & PIOTLB_RSVD1))
		return; /* ACT_IQE */
	if (g == PIOTLB_G_PASID)
		set_all(a, false); /* the HWPT is this PASID's entry */
	else if (g == PIOTLB_G_PAGE)
		set_range(a, d->qw[1] & VTD_ADDR_MASK,
			  (uint32_t)(d->qw[1] & PIOTLB_AM),
			  d->qw[1] & PIOTLB_IH);
	/* Granularities 0 and 1 are reserved: ACT_IQE. */
}

static void devtlb(const struct desc *d, struct action *a)
{
	if ((d->qw[0] & DEVTLB_RSVD0) || (d->qw[1] & DEVTLB_RSVD1))
		return;
	set_devtlb(a, d->qw[1] & VTD_ADDR_MASK, d->qw[1] & DEVTLB_S);
}

static void pdevtlb(const struct desc *d, struct action *a)
{
	if (d->qw[1] & PDEVTLB_RSVD1)
		return;
	/* Global (QW1 bit 0) widens to every PASID of the device; this
	 * HWPT is one of them, with the same range. */
	set_devtlb(a, d->qw[1] & VTD_ADDR_MASK, d->qw[1] & PDEVTLB_S);
}

static void vmm(struct action *a, uint32_t kind)
{
	a->what = ACT_VMM;
	a->kind = kind;
}

/* Decode one descriptor; anything not understood is ACT_IQE. */
static void decode(const struct desc *d, bool wide, struct action *a)
{
	uint32_t type = desc_type(d->qw[0]);

	memset(a, 0, sizeof(*a));
	a->what = ACT_IQE;
	if (wide && (d->qw[2] || d->qw[3]))
		return; /* bits 255:128 are reserved */
	if (!wide && (type == T_PIOTLB || type == T_PC || type == T_PDEVTLB))
		return; /* 256-bit only */
	switch (type) {
	case T_PIOTLB:
		piotlb(d, a);
		break;
	case T_DEVTLB:
		devtlb(d, a);
		break;
	case T_PDEVTLB:
		pdevtlb(d, a);
		break;
	case T_WAIT:
		if (!(d->qw[0] & WAIT_RSVD0) && !(d->qw[1] & WAIT_RSVD1))
			a->what = ACT_SYNC;
		break;
	case T_CC:
		vmm(a, IOMMUNEST_VTD_DESC_CONTEXT);
		break;
	case T_IOTLB:
		vmm(a, IOMMUNEST_VTD_DESC_IOTLB);
		break;
	case T_IEC:
		vmm(a, IOMMUNEST_VTD_DESC_IEC);
		break;
	case T_PC:
		vmm(a, IOMMUNEST_VTD_DESC_PASID);
		break;
	case T_PGRP:
		vmm(a, IOMMUNEST_VTD_DESC_PAGE_RESP);
		break;
	default:
		break; /* unknown type */
	}
}

/*
 * The fault status bit for a batch entry's error.  The kernel refusing a
 * request (EINVAL, EOPNOTSUPP) is a malformed descriptor (IQE); a
 * time-out is ITE; another completion failure (EIO) is ICE.  Anything
 * else is not the guest's doing: 0, and the caller returns the errno.
 */
static uint32_t guest_bit(int err)
{
	switch (err) {
	case -EINVAL:
	case -EOPNOTSUPP:
		return IOMMUNEST_VTD_IQE;
	case -ETIMEDOUT:
		return IOMMUNEST_VTD_ITE;
	case -EIO:
		return IOMMUNEST_VTD_ICE;
	default:
		return 0;
	}
}

/* A translation under way. */
struct walk {
	struct iommunest_batch *batch;
	const struct iommunest_guest_queue *q;
	struct iommunest_guest_queue_result res;
	uint32_t first;   /* window offset of the batch's entry 0 */
	uint32_t pending; /* entries reserved since the last flush */
};

/* Stop at window offset k for why. */
static void stop_at(struct walk *w, uint32_t k, uint32_t why)
{
	w->res.stop = why;
	w->res.stop_slot = inest_gq_index(w->q, k);
	w->res.consumed = k;
}

/*
 * Flush what is pending.  0 when all of it is done; else the walk is
 * over: 1 with a guest-visible error recorded at the failed entry's
 * descriptor, or the negative errno that is not the guest's.
 */
static int settle(struct walk *w)
{
	uint32_t base = w->first, bit;
	int rc, idx, err;

	if (!w->pending)
		return 0;
	rc = iommunest_batch_flush(w->batch);
	w->first += w->pending;
	w->pending = 0;
	if (!rc)
		return 0;
	/* Entries map one to one onto the descriptors from base. */
	idx = iommunest_batch_first_failed(w->batch);
	err = idx >= 0 ? iommunest_batch_result(w->batch, (uint32_t)idx) : rc;
	if (idx < 0 || err >= 0) {
		idx = 0; /* not expected: a failed flush names its entry */
		err = rc;
	}
	stop_at(w, base + (uint32_t)idx, IOMMUNEST_GQ_ERROR);
	w->res.error = err;
	bit = guest_bit(err);
	w->res.guest_error = bit;
	return bit ? 1 : err;
}

/* Append the stage-1 entry of the next descriptor, flushing a full
 * batch first. */
static int add_entry(struct walk *w, const struct action *a,
		     uint32_t capacity)
{
	struct kabi_vtd_s1_invalidate *e;
	void *slot;
	int rc;

	if (w->pending == capacity) {
		rc = settle(w);
		if (rc)
			return rc;
	}
	rc = iommunest_batch_reserve(w->batch, 1, &slot);
	if (rc < 0) {
		/* Not expected with room made above; drop what this call
		 * added so that nothing is left half done. */
		iommunest_batch_reset(w->batch);
		stop_at(w, w->first, IOMMUNEST_GQ_ERROR);
		w->res.error = rc;
		return rc;
	}
	e = slot;
	*e = (struct kabi_vtd_s1_invalidate){
		.addr = a->addr,
		.npages = a->npages,
		.flags = a->leaf ? KABI_VTD_INV_FLAGS_LEAF : 0,
	};
	w->pending++;
	w->res.entries++;
	return 0;
}

/* Stop at descriptor k (not an entry) after flushing what precedes it. */
static int stop_before(struct walk *w, const struct action *a, uint32_t k)
{
	int rc = settle(w);

	if (rc)
		return rc;
	switch (a->what) {
	case ACT_SYNC:
		stop_at(w, k, IOMMUNEST_GQ_SYNC);
		break;
	case ACT_VMM:
		stop_at(w, k, IOMMUNEST_GQ_VMM);
		w->res.vmm_kind = a->kind;
		break;
	default:
		stop_at(w, k, IOMMUNEST_GQ_ERROR);
		w->res.guest_error = IOMMUNEST_VTD_IQE;
		w->res.error = -EINVAL;
		break;
	}
	return 1;
}

static bool args_ok(const struct iommunest_batch *batch,
		    const struct iommunest_guest_queue *q,
		    const struct iommunest_guest_queue_result *r)
{
	if (!batch || !q || !r)
		return false;
	if (q->slot_len != 16 && q->slot_len != 32)
		return false;
	return inest_gq_ok(q) &&
	       inest_gq_batch_ok(batch, KABI_INVALIDATE_DATA_VTD_S1,
				 sizeof(struct kabi_vtd_s1_invalidate));
}

INEST_EXPORT int
iommunest_vtd_queue_translate(struct iommunest_batch *batch,
			      const struct iommunest_guest_queue *q,
			      struct iommunest_guest_queue_result *r)
{
	struct inest_batch_info info;
	struct walk w = { .batch = batch, .q = q };
	struct action a;
	struct desc d;
	uint32_t k, n;
	int rc = 0;

	if (!args_ok(batch, q, r))
		return -EINVAL;
	inest_batch_info(batch, &info);
	n = inest_gq_count(q);
	for (k = 0; k < n && !rc; k++) {
		read_desc(inest_gq_slot(q, k), q->slot_len, &d);
		decode(&d, q->slot_len == 32, &a);
		if (a.what == ACT_ENTRY)
			rc = add_entry(&w, &a, info.capacity);
		else
			rc = stop_before(&w, &a, k);
	}
	if (!rc) {
		rc = settle(&w);
		if (!rc)
			stop_at(&w, n, IOMMUNEST_GQ_DONE);
	}
	*r = w.res;
	return rc < 0 ? rc : 0;
}
