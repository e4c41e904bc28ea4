/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The VT-d invalidation queue translator: descriptors in, entries out. */
#include <endian.h>

#include "suites.h"
#include "libiommunest/batch.h"
#include "libiommunest/guestq.h"

#define TARGET 91u
#define RING 8u
#define MAXE 16u
#define ALL UINT64_MAX
#define IQE IOMMUNEST_VTD_IQE
#define ICE IOMMUNEST_VTD_ICE
#define ITE IOMMUNEST_VTD_ITE
#define S_DONE IOMMUNEST_GQ_DONE
#define S_SYNC IOMMUNEST_GQ_SYNC
#define S_VMM IOMMUNEST_GQ_VMM
#define S_ERR IOMMUNEST_GQ_ERROR

/* ---- descriptors, encoded from the VT-d specification ----------------- */

struct d {
	uint64_t qw[4];
};

#define DID(x) ((uint64_t)(x) << 16)
#define PASID(x) ((uint64_t)(x) << 32)
/* PASID-based IOTLB, page-selective within PASID (G=3). */
#define PSI(addr, am, ih)                                                 \
	{ { 6 | 3u << 4 | DID(5) | PASID(9),                              \
	    (uint64_t)(addr) | (uint64_t)(ih) << 6 | (am) } }
/* PASID-based IOTLB, all of one PASID (G=2). */
#define PASID_ALL { { 6 | 2u << 4 | DID(5) | PASID(9), 0 } }
/* PASID-based device TLB: SID 31:16, PASID 51:32, S at QW1 bit 11. */
#define PDEV(addr, s) { { 8 | (0x10ull << 16) | PASID(9),                \
			  (uint64_t)(addr) | (uint64_t)(s) << 11 } }
/* Device TLB (no PASID): SID 47:32, S at QW1 bit 0. */
#define DEV(addr, s) { { 3 | (0x10ull << 32), (uint64_t)(addr) | (s) } }
#define WAIT { { 5 | 1u << 5 | (0xabcdull << 32), 0x1000 } }
#define CC { { 1 | 1u << 4 } }
#define IOTLB { { 2 | 1u << 4 } }
#define IEC { { 4 } }
#define PC { { 7 | 3u << 4 } }
#define PGRP { { 9 } }

/* ---- the kernel: VT-d nested invalidation, failing where scripted ----- */

static struct kabi_vtd_s1_invalidate got[64];
static unsigned int ngot, ncalls, call_len[16];
static int fail_at = -1, fail_err; /* entry (counted over calls), errno */

static int vtd_model(void *arg)
{
	struct kabi_hwpt_invalidate *cmd = arg;
	const struct kabi_vtd_s1_invalidate *e =
		(const void *)(uintptr_t)cmd->data_uptr;
	uint32_t i;

	ck_assert_uint_eq(cmd->size, sizeof(*cmd));
	ck_assert_uint_eq(cmd->hwpt_id, TARGET);
	ck_assert_uint_eq(cmd->data_type, KABI_INVALIDATE_DATA_VTD_S1);
	ck_assert_uint_eq(cmd->entry_len, sizeof(*e));
	ck_assert_uint_eq(cmd->reserved, 0);
	if (ncalls < 16)
		call_len[ncalls] = cmd->entry_num;
	ncalls++;
	for (i = 0; i < cmd->entry_num; i++) {
		if (fail_at == (int)ngot) {
			fail_at = -1; /* once: a resubmission succeeds */
			cmd->entry_num = i;
			return fail_err;
		}
		ck_assert_uint_lt(ngot, 64);
		got[ngot++] = e[i];
	}
	return 0;
}

static struct iommunest_batch *batch(uint32_t capacity, uint32_t flags)
{
	struct iommunest_batch_config cfg = {
		.target_id = TARGET,
		.data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = sizeof(struct kabi_vtd_s1_invalidate),
		.capacity = capacity,
		.flags = flags,
	};
	struct iommunest_batch *b = NULL;

	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	ngot = ncalls = 0;
	fail_at = -1;
	fk_model(KABI_IOMMU_HWPT_INVALIDATE, vtd_model);
	return b;
}

/* A ring of RING slots of slot_len bytes, descriptors from slot head. */
static uint64_t ring[RING * 4];

static void put(uint32_t slot_len, uint32_t head, const struct d *ds,
		uint32_t n)
{
	uint32_t i, j, w = slot_len / 8;

	memset(ring, 0xee, sizeof(ring)); /* slots outside: garbage */
	for (i = 0; i < n; i++)
		for (j = 0; j < w; j++)
			ring[((head + i) % RING) * w + j] = htole64(ds[i].qw[j]);
}

/* ---- the table ----------------------------------------------------------- */

struct entry {
	uint64_t addr, npages;
	uint32_t flags;
};

struct row {
	const char *what;
	uint32_t slot_len, head, n;     /* window: n slots from head */
	struct d in[6];
	int fail_at, fail_err;          /* scripted kernel failure */
	uint32_t capacity;
	int rc;                         /* return value */
	uint32_t stop, stop_off, consumed, kind, gerr, entries;
	int error;
	uint32_t calls;
	struct entry out[6];
	uint32_t nout;                  /* entries the kernel handled */
};

#define E(a, n, f) { (a), (n), (f) }

static const struct row rows[] = {
	{ "empty window", 16, 3, 0, { PSI(0x1000, 0, 0) }, -1, 0, 8,
	  0, S_DONE, 0, 0, 0, 0, 0, 0, 0, { { 0 } }, 0 },
	{ "page, AM 0", 32, 0, 1, { PSI(0x12345000, 0, 0) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x12345000, 1, 0) }, 1 },
	{ "AM 3, IH: aligned down, leaf", 32, 0, 1,
	  { PSI(0x12345000, 3, 1) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x12340000, 8, 1) }, 1 },
	{ "AM 51", 32, 0, 1, { PSI(0x8000000000000000, 51, 0) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1,
	  { E(0x8000000000000000, 1ull << 51, 0) }, 1 },
	{ "AM 52 is everything", 32, 0, 1, { PSI(0x5000, 52, 1) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0, ALL, 1) }, 1 },
	{ "AM 63 is everything", 32, 0, 1, { PSI(0, 63, 0) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0, ALL, 0) }, 1 },
	{ "all of a PASID", 32, 0, 1, { PASID_ALL }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0, ALL, 0) }, 1 },
	{ "granularity 0 reserved", 32, 0, 2,
	  { PSI(0x1000, 0, 0), { { 6 | DID(1) } } }, -1, 0, 8,
	  0, S_ERR, 1, 1, 0, IQE, 1, -EINVAL, 1, { E(0x1000, 1, 0) }, 1 },
	{ "granularity 1 reserved", 32, 0, 1, { { { 6 | 1u << 4 } } }, -1, 0,
	  8, 0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "PIOTLB QW0 bit 7", 32, 0, 1,
	  { { { 6 | 3u << 4 | 1u << 7, 0x1000 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "PIOTLB QW0 bit 52", 32, 0, 1,
	  { { { 6 | 3u << 4 | 1ull << 52, 0x1000 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "PIOTLB QW1 bit 7", 32, 0, 1, { { { 6 | 3u << 4, 0x1080 } } }, -1,
	  0, 8, 0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "upper half set", 32, 0, 1,
	  { { { 6 | 3u << 4 | PASID(1), 0x1000, 0, 1 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "type bits 11:9 unknown", 32, 0, 1,
	  { { { 6 | 3u << 4 | 1u << 9, 0x1000 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "unknown type 0xb", 32, 0, 1, { { { 0xb } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "type 0", 16, 0, 1, { { { 0 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "PIOTLB in a 128-bit queue", 16, 0, 1, { PSI(0x1000, 0, 0) }, -1,
	  0, 8, 0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "PASID cache in a 128-bit queue", 16, 0, 1, { PC }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "P-devTLB page", 32, 0, 1, { PDEV(0x7000, 0) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x7000, 1, 0) }, 1 },
	{ "P-devTLB S: bit 12 clear is 8 KiB", 32, 0, 1, { PDEV(0x6000, 1) },
	  -1, 0, 8, 0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x6000, 2, 0) }, 1 },
	{ "P-devTLB S: bit 13 clear is 16 KiB", 32, 0, 1,
	  { PDEV(0x5000, 1) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x4000, 4, 0) }, 1 },
	{ "P-devTLB S: 1 MiB", 32, 0, 1, { PDEV(0x1237f000, 1) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x12300000, 256, 0) }, 1 },
	{ "P-devTLB S: bit 63 clear is everything", 32, 0, 1,
	  { PDEV(0x7ffffffffffff000, 1) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0, ALL, 0) }, 1 },
	{ "P-devTLB S: no clear bit is everything", 32, 0, 1,
	  { PDEV(0xfffffffffffff000, 1) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0, ALL, 0) }, 1 },
	{ "P-devTLB global, PFSID and MIP set", 32, 0, 1,
	  { { { 8 | 0x1f0 | 0xf000 | 0xfffull << 52, 0x9000 | 1 } } }, -1, 0,
	  8, 0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x9000, 1, 0) }, 1 },
	{ "P-devTLB QW1 bit 1", 32, 0, 1, { { { 8, 0x9002 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "devTLB (no PASID) S", 16, 0, 1, { DEV(0x3000, 1) }, -1,
	  0, 8, 0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0, 8, 0) }, 1 },
	{ "devTLB page", 32, 0, 1, { DEV(0x3000, 0) }, -1, 0, 8,
	  0, S_DONE, 1, 1, 0, 0, 1, 0, 1, { E(0x3000, 1, 0) }, 1 },
	{ "devTLB QW0 bit 4", 16, 0, 1, { { { 3 | 1u << 4, 0x3000 } } }, -1, 0,
	  8, 0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "devTLB QW1 bit 11", 16, 0, 1, { { { 3, 0x3800 } } }, -1, 0,
	  8, 0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "wait: flush, stop, read no further", 32, 0, 3,
	  { PSI(0x1000, 0, 0), WAIT, PSI(0x2000, 0, 0) }, -1, 0, 8,
	  0, S_SYNC, 1, 1, 0, 0, 1, 0, 1, { E(0x1000, 1, 0) }, 1 },
	{ "wait first: no ioctl", 16, 5, 2, { WAIT, IEC }, -1, 0, 8,
	  0, S_SYNC, 0, 0, 0, 0, 0, 0, 0, { { 0 } }, 0 },
	{ "wait QW0 bit 12", 16, 0, 1, { { { 5 | 1u << 12 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "wait QW1 bit 0", 16, 0, 1, { { { 5, 1 } } }, -1, 0, 8,
	  0, S_ERR, 0, 0, 0, IQE, 0, -EINVAL, 0, { { 0 } }, 0 },
	{ "context cache after entries", 32, 0, 3,
	  { PSI(0x1000, 0, 0), PDEV(0x2000, 0), CC }, -1, 0, 8,
	  0, S_VMM, 2, 2, IOMMUNEST_VTD_DESC_CONTEXT, 0, 2, 0, 1,
	  { E(0x1000, 1, 0), E(0x2000, 1, 0) }, 2 },
	{ "IOTLB", 16, 0, 1, { IOTLB }, -1, 0, 8,
	  0, S_VMM, 0, 0, IOMMUNEST_VTD_DESC_IOTLB, 0, 0, 0, 0, { { 0 } }, 0 },
	{ "IEC", 16, 0, 1, { IEC }, -1, 0, 8,
	  0, S_VMM, 0, 0, IOMMUNEST_VTD_DESC_IEC, 0, 0, 0, 0, { { 0 } }, 0 },
	{ "PASID cache", 32, 0, 1, { PC }, -1, 0, 8,
	  0, S_VMM, 0, 0, IOMMUNEST_VTD_DESC_PASID, 0, 0, 0, 0, { { 0 } }, 0 },
	{ "page group response", 32, 0, 1, { PGRP }, -1, 0, 8,
	  0, S_VMM, 0, 0, IOMMUNEST_VTD_DESC_PAGE_RESP, 0, 0, 0, 0,
	  { { 0 } }, 0 },
	{ "IQE after entries: they are done first", 32, 0, 3,
	  { PSI(0x1000, 0, 0), { { 0xf } }, PSI(0x2000, 0, 0) }, -1, 0, 8,
	  0, S_ERR, 1, 1, 0, IQE, 1, -EINVAL, 1, { E(0x1000, 1, 0) }, 1 },
	{ "wrap-around", 32, 6, 4,
	  { PSI(0x1000, 0, 0), PSI(0x2000, 0, 1), PDEV(0x3000, 0),
	    PASID_ALL }, -1, 0, 8,
	  0, S_DONE, 4, 4, 0, 0, 4, 0, 1,
	  { E(0x1000, 1, 0), E(0x2000, 1, 1), E(0x3000, 1, 0), E(0, ALL, 0) },
	  4 },
	{ "wrap-around, stop after the wrap", 16, 7, 3,
	  { DEV(0x1000, 0), IEC, DEV(0x2000, 0) }, -1, 0, 8,
	  0, S_VMM, 1, 1, IOMMUNEST_VTD_DESC_IEC, 0, 1, 0, 1,
	  { E(0x1000, 1, 0) }, 1 },
	{ "EINVAL on entry 2 of 4: IQE there", 32, 0, 4,
	  { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0), PSI(0x3000, 0, 0),
	    PSI(0x4000, 0, 0) }, 2, EINVAL, 8,
	  0, S_ERR, 2, 2, 0, IQE, 4, -EINVAL, 1,
	  { E(0x1000, 1, 0), E(0x2000, 1, 0) }, 2 },
	{ "EOPNOTSUPP: IQE", 32, 0, 2, { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0) },
	  1, EOPNOTSUPP, 8, 0, S_ERR, 1, 1, 0, IQE, 2, -EOPNOTSUPP, 1,
	  { E(0x1000, 1, 0) }, 1 },
	{ "ETIMEDOUT: ITE", 32, 5, 3,
	  { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0), PSI(0x3000, 0, 0) }, 1,
	  ETIMEDOUT, 8, 0, S_ERR, 1, 1, 0, ITE, 3, -ETIMEDOUT, 1,
	  { E(0x1000, 1, 0) }, 1 },
	{ "EIO: ICE", 32, 0, 1, { PSI(0x1000, 0, 0) }, 0,
	  EIO, 8, 0, S_ERR, 0, 0, 0, ICE, 1, -EIO, 1, { { 0 } }, 0 },
	{ "ENOMEM is not the guest's", 32, 0, 3,
	  { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0), WAIT }, 1, ENOMEM, 8,
	  -ENOMEM, S_ERR, 1, 1, 0, 0, 2, -ENOMEM, 1, { E(0x1000, 1, 0) }, 1 },
	{ "EFAULT is not the guest's", 32, 0, 1, { PSI(0x1000, 0, 0) }, 0,
	  EFAULT, 8, -EFAULT, S_ERR, 0, 0, 0, 0, 1, -EFAULT, 1, { { 0 } }, 0 },
	{ "ENOENT is not the guest's", 32, 0, 1, { PSI(0x1000, 0, 0) }, 0,
	  ENOENT, 8, -ENOENT, S_ERR, 0, 0, 0, 0, 1, -ENOENT, 1, { { 0 } }, 0 },
	{ "full batch: flushed, then on", 32, 0, 5,
	  { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0), PSI(0x3000, 0, 0),
	    PSI(0x4000, 0, 0), PSI(0x5000, 0, 0) }, -1, 0, 2,
	  0, S_DONE, 5, 5, 0, 0, 5, 0, 3,
	  { E(0x1000, 1, 0), E(0x2000, 1, 0), E(0x3000, 1, 0),
	    E(0x4000, 1, 0), E(0x5000, 1, 0) }, 5 },
	{ "full batch: failure in the second flush", 32, 0, 5,
	  { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0), PSI(0x3000, 0, 0),
	    PSI(0x4000, 0, 0), PSI(0x5000, 0, 0) }, 3, ETIMEDOUT, 2,
	  0, S_ERR, 3, 3, 0, ITE, 4, -ETIMEDOUT, 2,
	  { E(0x1000, 1, 0), E(0x2000, 1, 0), E(0x3000, 1, 0) }, 3 },
	{ "capacity 1", 32, 0, 2, { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0) },
	  -1, 0, 1, 0, S_DONE, 2, 2, 0, 0, 2, 0, 2,
	  { E(0x1000, 1, 0), E(0x2000, 1, 0) }, 2 },
};

#define NROWS (int)(sizeof(rows) / sizeof(rows[0]))

static void run_row(const struct row *t, uint32_t flags)
{
	struct iommunest_batch *b = batch(t->capacity, flags);
	struct iommunest_guest_queue q = {
		.base = ring, .size = RING, .slot_len = t->slot_len,
		.head = t->head, .tail = (t->head + t->n) % RING,
	};
	struct iommunest_guest_queue_result r;
	uint32_t i;

	put(t->slot_len, t->head, t->in, t->n);
	fail_at = t->fail_at;
	fail_err = t->fail_err;
	memset(&r, 0x5a, sizeof(r));
	ck_assert_msg(iommunest_vtd_queue_translate(b, &q, &r) == t->rc,
		      "%s: return", t->what);
	ck_assert_msg(r.stop == t->stop, "%s: stop %u", t->what, r.stop);
	ck_assert_msg(r.stop_slot == (t->head + t->stop_off) % RING,
		      "%s: stop_slot %u", t->what, r.stop_slot);
	ck_assert_msg(r.consumed == t->consumed, "%s: consumed %u", t->what,
		      r.consumed);
	ck_assert_msg(r.vmm_kind == t->kind, "%s: kind", t->what);
	ck_assert_msg(r.guest_error == t->gerr, "%s: guest_error %#x",
		      t->what, r.guest_error);
	ck_assert_msg(r.error == t->error, "%s: error %d", t->what, r.error);
	ck_assert_msg(r.entries == t->entries, "%s: entries %u", t->what,
		      r.entries);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(r.reserved[i], 0);
	ck_assert_msg(ncalls == t->calls, "%s: %u calls", t->what, ncalls);
	ck_assert_msg(ngot == t->nout, "%s: %u entries done", t->what, ngot);
	for (i = 0; i < t->nout; i++) {
		struct kabi_vtd_s1_invalidate want = {
			.addr = t->out[i].addr, .npages = t->out[i].npages,
			.flags = t->out[i].flags,
		};

		ck_assert_msg(!memcmp(&got[i], &want, sizeof(want)),
			      "%s: entry %u: %#llx + %llu flags %u", t->what,
			      i, (unsigned long long)got[i].addr,
			      (unsigned long long)got[i].npages,
			      got[i].flags);
	}
	iommunest_batch_free(b);
	fk_model(0, NULL);
}

START_TEST(table)
{
	run_row(&rows[_i], 0);
}
END_TEST

/* AUTOFLUSH must not change what the guest sees: the translator flushes
 * a full batch itself, so every failure maps to its descriptor. */
START_TEST(table_autoflush)
{
	run_row(&rows[_i], IOMMUNEST_BATCH_AUTOFLUSH);
}
END_TEST

/* CONTINUE resubmits past a failure: the guest still sees the first. */
START_TEST(continue_policy_stops_at_first)
{
	struct iommunest_batch *b = batch(8, IOMMUNEST_BATCH_CONTINUE);
	static const struct d in[] = { PSI(0x1000, 0, 0), PSI(0x2000, 0, 0),
				       PSI(0x3000, 0, 0) };
	struct iommunest_guest_queue q = {
		.base = ring, .size = RING, .slot_len = 32, .head = 2,
		.tail = 5,
	};
	struct iommunest_guest_queue_result r;

	put(32, 2, in, 3);
	fail_at = 1;
	fail_err = EIO;
	ck_assert_int_eq(iommunest_vtd_queue_translate(b, &q, &r), 0);
	ck_assert_uint_eq(r.stop, S_ERR);
	ck_assert_uint_eq(r.stop_slot, 3);
	ck_assert_uint_eq(r.consumed, 1);
	ck_assert_uint_eq(r.guest_error, ICE);
	ck_assert_int_eq(r.error, -EIO);
	iommunest_batch_free(b);
	fk_model(0, NULL);
}
END_TEST

/* A VMM's loop: resume after each stop until the window is done. */
START_TEST(resume_after_each_stop)
{
	struct iommunest_batch *b = batch(8, 0);
	static const struct d in[] = { PSI(0x1000, 0, 0), WAIT, CC,
				       PDEV(0x2000, 0), WAIT };
	struct iommunest_guest_queue q = {
		.base = ring, .size = RING, .slot_len = 32, .head = 6,
		.tail = 3,
	};
	struct iommunest_guest_queue_result r;
	static const uint32_t stops[] = { S_SYNC, S_VMM, S_SYNC, S_DONE };
	static const uint32_t slots[] = { 7, 0, 2, 3 };
	uint32_t i;

	put(32, 6, in, 5);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(iommunest_vtd_queue_translate(b, &q, &r), 0);
		ck_assert_uint_eq(r.stop, stops[i]);
		ck_assert_uint_eq(r.stop_slot, slots[i]);
		q.head = (r.stop_slot + (r.stop == S_DONE ? 0 : 1)) % RING;
	}
	ck_assert_uint_eq(ngot, 2);
	ck_assert_uint_eq(got[1].addr, 0x2000);
	iommunest_batch_free(b);
	fk_model(0, NULL);
}
END_TEST

START_TEST(bad_arguments)
{
	struct iommunest_batch *b = batch(8, 0), *sb = NULL;
	struct iommunest_batch_config scfg = {
		.target_id = TARGET, .data_type = IOMMUNEST_INV_ARM_SMMUV3,
		.entry_len = 16, .capacity = 4,
	};
	struct iommunest_guest_queue q = {
		.base = ring, .size = RING, .slot_len = 32, .head = 0,
		.tail = 1,
	}, bad;
	struct iommunest_guest_queue_result r, before;
	static const uint32_t lens[] = { 0, 8, 24, 64 };
	uint32_t i;

	memset(&r, 0x77, sizeof(r));
	before = r;
	ck_assert_int_eq(iommunest_batch_new(uctx, &scfg, &sb), 0);
	ASSERT_REFUSED(iommunest_vtd_queue_translate(NULL, &q, &r), -EINVAL);
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, NULL, &r), -EINVAL);
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &q, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_vtd_queue_translate(sb, &q, &r), -EINVAL);
	for (i = 0; i < 4; i++) {
		bad = q;
		bad.slot_len = lens[i];
		ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &bad, &r),
			       -EINVAL);
	}
	bad = q;
	bad.base = NULL;
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &bad, &r), -EINVAL);
	bad = q;
	bad.size = 0;
	bad.tail = 0;
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &bad, &r), -EINVAL);
	bad = q;
	bad.head = RING;
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &bad, &r), -EINVAL);
	bad = q;
	bad.tail = RING;
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &bad, &r), -EINVAL);
	bad = q;
	bad.base = (const void *)(UINTPTR_MAX - 64);
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &bad, &r), -EINVAL);
	/* Entries the VMM added and did not flush are not the guest's. */
	ck_assert_int_eq(iommunest_batch_add_vtd_all(b), 0);
	ASSERT_REFUSED(iommunest_vtd_queue_translate(b, &q, &r), -EINVAL);
	ck_assert_int_eq(memcmp(&r, &before, sizeof(r)), 0);
	ck_assert_uint_eq(ncalls, 0);
	iommunest_batch_free(sb);
	iommunest_batch_free(b);
	fk_model(0, NULL);
}
END_TEST

Suite *suite_guestq_vtd(void)
{
	Suite *s = suite_create("guest queue: VT-d");
	TCase *tc = tcase_create("translate");

	tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
	tcase_add_loop_test(tc, table, 0, NROWS);
	tcase_add_loop_test(tc, table_autoflush, 0, NROWS);
	tcase_add_test(tc, continue_policy_stops_at_first);
	tcase_add_test(tc, resume_after_each_stop);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}
