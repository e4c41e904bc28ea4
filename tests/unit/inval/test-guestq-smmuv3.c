/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest_smmuv3_queue_translate(): tables of guest commands against
 * the entries the (fake) kernel receives, byte for byte, and what the
 * guest is shown.  The kernel is a model of Linux 7.3's vIOMMU path
 * (arm_vsmmu_cache_invalidate): commands converted one by one, issued in
 * blocks of 63, the count at the first refused command; a command is
 * refused when the test marks it.
 */
#include <endian.h>
#include <stdlib.h>

#include "suites.h"
#include "libiommunest/guestq.h"

#define RING 8u
#define VIOMMU 0x4du
#define LOG_MAX 64u
#define BLOCK 63u
#define NONE 0xffu

/* Opcodes (Arm IHI 0070, 4.1.1). */
#define PF_CFG 0x01ull
#define PF_ADDR 0x02ull
#define CFGI_STE 0x03ull
#define CFGI_RANGE 0x04ull
#define CFGI_CD 0x05ull
#define CFGI_CD_ALL 0x06ull
#define NH_ALL 0x10ull
#define NH_ASID 0x11ull
#define NH_VA 0x12ull
#define NH_VAA 0x13ull
#define NSNH_ALL 0x30ull
#define ATC_INV 0x40ull
#define SYNC 0x46ull

#define SID(x) ((uint64_t)(x) << 32)
#define SSID(x) ((uint64_t)(x) << 12)
#define ASID(x) ((uint64_t)(x) << 48)
#define VMID(x) ((uint64_t)(x) << 32)

static uint64_t ring[RING][2];          /* the guest's queue (LE) */
static uint64_t issued[LOG_MAX][2];     /* what reached the "hardware" */
static unsigned int nissued, ncalls;
static uint32_t call_num[LOG_MAX];      /* entries of each call */
static struct {
	uint64_t w0;
	int err;
} refuse[4];                            /* word 0 the kernel refuses */
static unsigned int nrefuse;

static void put(uint32_t slot, uint64_t w0, uint64_t w1)
{
	ring[slot][0] = htole64(w0);
	ring[slot][1] = htole64(w1);
}

static int refused(uint64_t w0)
{
	unsigned int i;

	for (i = 0; i < nrefuse; i++)
		if (refuse[i].w0 == w0)
			return refuse[i].err;
	return 0;
}

static void kernel_refuses(uint64_t w0, int err)
{
	refuse[nrefuse].w0 = w0;
	refuse[nrefuse++].err = err;
}

/* The 7.3 vIOMMU path, counting as arm_vsmmu_cache_invalidate() does. */
static int smmuv3_kernel(void *arg)
{
	struct kabi_hwpt_invalidate *c = arg;
	const struct kabi_smmuv3_invalidate *e =
		(const void *)(uintptr_t)c->data_uptr;
	uint32_t cur, last = 0, i, n = c->entry_num;
	int err = 0;

	ck_assert_uint_eq(c->size, sizeof(*c));
	ck_assert_uint_eq(c->hwpt_id, VIOMMU);
	ck_assert_uint_eq(c->data_type, 1); /* ARM_SMMUV3 */
	ck_assert_uint_eq(c->entry_len, 16);
	ck_assert_uint_eq(c->reserved, 0);
	ck_assert_uint_lt(ncalls, LOG_MAX);
	call_num[ncalls++] = n;
	for (cur = 0; cur < n;) {
		err = refused(le64toh(e[cur].cmd[0]));
		if (err)
			break;
		cur++;
		if (cur != n && cur - last != BLOCK)
			continue;
		for (i = last; i < cur; i++) {
			ck_assert_uint_lt(nissued, LOG_MAX);
			issued[nissued][0] = le64toh(e[i].cmd[0]);
			issued[nissued++][1] = le64toh(e[i].cmd[1]);
		}
		last = cur;
	}
	c->entry_num = cur;
	return err;
}

static struct iommunest_batch *batch;

static void setup(void)
{
	unit_setup();
	memset(ring, 0, sizeof(ring));
	nissued = ncalls = nrefuse = 0;
	fk_model(KABI_IOMMU_HWPT_INVALIDATE, smmuv3_kernel);
}

static void teardown(void)
{
	iommunest_batch_free(batch);
	batch = NULL;
	unit_teardown();
}

static struct iommunest_batch *make_batch(uint32_t cap, uint32_t flags)
{
	struct iommunest_batch_config cfg = {
		.target_id = VIOMMU, .data_type = IOMMUNEST_INV_ARM_SMMUV3,
		.entry_len = 16, .capacity = cap, .flags = flags,
	};

	iommunest_batch_free(batch);
	batch = NULL;
	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &batch), 0);
	return batch;
}

static int translate(uint32_t head, uint32_t tail,
		     struct iommunest_guest_queue_result *r)
{
	struct iommunest_guest_queue q = {
		.base = ring, .size = RING, .slot_len = 16,
		.head = head, .tail = tail,
	};

	return iommunest_smmuv3_queue_translate(batch, &q, r);
}

/* What the guest sees, and what the call produced. */
struct want {
	uint32_t stop, stop_slot, consumed, vmm_kind, guest_error;
	int error;
	uint32_t entries;
};

static void check_r(const struct iommunest_guest_queue_result *r,
		    const struct want *w)
{
	ck_assert_uint_eq(r->stop, w->stop);
	ck_assert_uint_eq(r->stop_slot, w->stop_slot);
	ck_assert_uint_eq(r->consumed, w->consumed);
	ck_assert_uint_eq(r->vmm_kind, w->vmm_kind);
	ck_assert_uint_eq(r->guest_error, w->guest_error);
	ck_assert_int_eq(r->error, w->error);
	ck_assert_uint_eq(r->entries, w->entries);
	ck_assert_uint_eq(r->reserved[0] | r->reserved[1] | r->reserved[2], 0);
}

/* The "hardware" saw exactly these commands, in this order. */
static void check_issued(const uint64_t (*cmds)[2], unsigned int n)
{
	unsigned int i;

	ck_assert_uint_eq(nissued, n);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(issued[i][0], cmds[i][0]);
		ck_assert_uint_eq(issued[i][1], cmds[i][1]);
	}
}

/* ---- one command: classification, reserved fields ------------------- */

enum { BATCHED, SYNCED, VMM, ILL };

static const struct row {
	uint64_t w0, w1;
	int what;
	uint32_t kind; /* vmm_kind */
} rows[] = {
	/* Batched: every field the command defines. */
	{ NSNH_ALL, 0, BATCHED, 0 },
	{ NH_ALL | VMID(0xffff), 0, BATCHED, 0 },
	{ NH_ASID | VMID(3) | ASID(0xffff), 0, BATCHED, 0 },
	{ NH_VA | 0x1full << 12 | 0x3full << 20 | VMID(1) | ASID(0xbeef),
	  0xfffffffffffff000ull | 3u << 10 | 3u << 8 | 1, BATCHED, 0 },
	{ NH_VAA | 1ull << 12 | VMID(9), 0x12345000ull | 1u << 10 | 2u << 8,
	  BATCHED, 0 },
	{ ATC_INV | 1ull << 9 | 1ull << 11 | SSID(0xfffff) | SID(0xffffffff),
	  0xfffffffffffff000ull | 52, BATCHED, 0 },
	{ CFGI_CD | SSID(5) | SID(0x10), 1, BATCHED, 0 },
	{ CFGI_CD_ALL | SID(0x10), 0, BATCHED, 0 },
	/* CMD_SYNC: CS none, IRQ, SEV with the MSI fields. */
	{ SYNC, 0, SYNCED, 0 },
	{ SYNC | 1ull << 12 | 3ull << 22 | 0xfull << 24 | SID(0xcafe),
	  0x00fffffffffffffcull, SYNCED, 0 },
	{ SYNC | 2ull << 12, 0, SYNCED, 0 },
	/* The VMM's: stream table configuration and prefetch hints. */
	{ CFGI_STE | SID(0x42), 1, VMM, IOMMUNEST_SMMU_CMD_CFGI_STE },
	{ CFGI_RANGE | SID(0x40), 5, VMM, IOMMUNEST_SMMU_CMD_CFGI_STE_RANGE },
	{ CFGI_RANGE, 31, VMM, IOMMUNEST_SMMU_CMD_CFGI_ALL },
	{ PF_CFG | 1ull << 11 | SSID(2) | SID(7), 0, VMM,
	  IOMMUNEST_SMMU_CMD_PREFETCH },
	{ PF_ADDR | SID(7), ~0ull, VMM, IOMMUNEST_SMMU_CMD_PREFETCH },
	/* Illegal opcodes: reserved, stage 2, EL2/EL3, PRI, stall, Secure,
	 * IMPLEMENTATION DEFINED. */
	{ 0x00, 0, ILL, 0 }, { 0x07, 0, ILL, 0 }, { 0x08, 0, ILL, 0 },
	{ 0x14, 0, ILL, 0 }, { 0x18, 0, ILL, 0 }, { 0x1a, 0, ILL, 0 },
	{ 0x20, 0, ILL, 0 }, { 0x21, 0, ILL, 0 }, { 0x22, 0, ILL, 0 },
	{ 0x23, 0, ILL, 0 }, { 0x28, 0, ILL, 0 }, { 0x2a, 0, ILL, 0 },
	{ 0x31, 0, ILL, 0 }, { 0x41, 0, ILL, 0 }, { 0x44, 0, ILL, 0 },
	{ 0x45, 0, ILL, 0 }, { 0x47, 0, ILL, 0 }, { 0x50, 0, ILL, 0 },
	{ 0x5a, 0, ILL, 0 }, { 0x60, 0, ILL, 0 }, { 0x70, 0, ILL, 0 },
	{ 0x73, 0, ILL, 0 }, { 0x80, 0, ILL, 0 }, { 0x8f, 0, ILL, 0 },
	{ 0xff, 0, ILL, 0 },
	/* A RES0 bit, or SSec, set. */
	{ NSNH_ALL | 1ull << 8, 0, ILL, 0 },
	{ NSNH_ALL | VMID(1), 0, ILL, 0 },
	{ NSNH_ALL, 1, ILL, 0 },
	{ NH_ALL | ASID(1), 0, ILL, 0 },
	{ NH_ALL, 1ull << 12, ILL, 0 },
	{ NH_ASID | 1ull << 31, 0, ILL, 0 },
	{ NH_ASID, 1, ILL, 0 },
	{ NH_VA | 1ull << 17, 0x1000, ILL, 0 },
	{ NH_VA | 1ull << 26, 0x1000, ILL, 0 },
	{ NH_VA, 0x1000 | 1u << 1, ILL, 0 },
	{ NH_VA, 0x1000 | 1u << 7, ILL, 0 },
	{ NH_VAA | ASID(1), 0x1000, ILL, 0 },
	{ ATC_INV | 1ull << 10, 0, ILL, 0 },
	{ ATC_INV | 1ull << 8, 0, ILL, 0 },
	{ ATC_INV, 1u << 6, ILL, 0 },
	{ CFGI_CD | 1ull << 11, 0, ILL, 0 },
	{ CFGI_CD | 1ull << 10, 0, ILL, 0 },
	{ CFGI_CD, 2, ILL, 0 },
	{ CFGI_CD_ALL | SSID(1), 0, ILL, 0 },
	{ CFGI_CD_ALL, 1, ILL, 0 },
	{ CFGI_STE | 1ull << 10, 0, ILL, 0 },
	{ CFGI_STE | SSID(1), 0, ILL, 0 },
	{ CFGI_STE, 2, ILL, 0 },
	{ CFGI_RANGE, 1u << 5, ILL, 0 },
	{ CFGI_RANGE | 1ull << 10, 31, ILL, 0 },
	{ PF_CFG | 1ull << 10, 0, ILL, 0 },
	{ PF_CFG, 1, ILL, 0 },
	{ PF_ADDR | 1ull << 9, 0, ILL, 0 },
	{ SYNC | 3ull << 12, 0, ILL, 0 }, /* CS 0b11 is reserved */
	{ SYNC | 1ull << 15, 0, ILL, 0 },
	{ SYNC | 1ull << 28, 0, ILL, 0 },
	{ SYNC, 1, ILL, 0 },
	{ SYNC, 1ull << 56, ILL, 0 },
};

START_TEST(one_command)
{
	const struct row *w = &rows[_i];
	struct iommunest_guest_queue_result r;
	const uint64_t cmd[1][2] = { { w->w0, w->w1 } };
	struct want want = { .stop_slot = 5, .consumed = 0 };

	make_batch(4, 0);
	put(5, w->w0, w->w1);
	put(6, NH_ALL, 0); /* past the stop: never looked at */
	ck_assert_int_eq(translate(5, w->what == BATCHED ? 6 : 7, &r), 0);
	switch (w->what) {
	case BATCHED:
		want.stop = IOMMUNEST_GQ_DONE;
		want.stop_slot = 6;
		want.consumed = 1;
		want.entries = 1;
		check_issued(cmd, 1);
		ck_assert_uint_eq(call_num[0], 1);
		break;
	case SYNCED:
		want.stop = IOMMUNEST_GQ_SYNC;
		break;
	case VMM:
		want.stop = IOMMUNEST_GQ_VMM;
		want.vmm_kind = w->kind;
		break;
	default:
		want.stop = IOMMUNEST_GQ_ERROR;
		want.guest_error = IOMMUNEST_SMMU_CERROR_ILL;
		want.error = -EINVAL;
		break;
	}
	check_r(&r, &want);
	ck_assert_uint_eq(ncalls, w->what == BATCHED ? 1 : 0);
}
END_TEST

/* ---- recorded queues ---------------------------------------------------- */

/* A queue that wraps: TLBIs, an ATC and a CD invalidation, then CMD_SYNC;
 * one ioctl with the four commands, the sync handed back. */
START_TEST(wrap_to_sync)
{
	static const uint64_t cmds[4][2] = {
		{ NH_VA | ASID(1), 0x40000000ull | 1 },
		{ NH_ASID | ASID(2), 0 },
		{ ATC_INV | SID(8), 0x40000000ull | 3 },
		{ CFGI_CD | SID(8), 1 },
	};
	struct iommunest_guest_queue_result r;
	unsigned int i;

	make_batch(16, 0);
	for (i = 0; i < 4; i++)
		put((6 + i) % RING, cmds[i][0], cmds[i][1]);
	put(2, SYNC | 1ull << 12, 0);
	ck_assert_int_eq(translate(6, 3, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_SYNC, 2, 4, 0, 0, 0, 4 });
	check_issued(cmds, 4);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(call_num[0], 4);
	/* The VMM completes the sync and goes on from the next slot: an
	 * empty window, no ioctl. */
	ck_assert_int_eq(translate(3, 3, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_DONE, 3, 0, 0, 0, 0, 0 });
	ck_assert_uint_eq(ncalls, 1);
}
END_TEST

/* Stream table invalidation: what came before is flushed first; the VMM
 * gets the command; the rest is translated by the next call. */
START_TEST(vmm_command_flushes_first)
{
	static const uint64_t before[1][2] = { { NH_VA, 0x2000 } };
	static const uint64_t all[2][2] = { { NH_VA, 0x2000 }, { NH_ALL, 0 } };
	struct iommunest_guest_queue_result r;

	make_batch(16, 0);
	put(7, NH_VA, 0x2000);
	put(0, CFGI_STE | SID(3), 1);
	put(1, NH_ALL, 0);
	ck_assert_int_eq(translate(7, 2, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_VMM, 0, 1,
				    IOMMUNEST_SMMU_CMD_CFGI_STE, 0, 0, 1 });
	check_issued(before, 1);
	ck_assert_int_eq(translate(1, 2, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_DONE, 2, 1, 0, 0, 0, 1 });
	check_issued(all, 2);
}
END_TEST

/* An illegal command stops the queue at it, after flushing what came
 * before; nothing after it is submitted. */
START_TEST(illegal_stops_after_flush)
{
	static const uint64_t cmds[2][2] = { { NH_VA, 0x3000 },
					     { NH_ASID, 0 } };
	struct iommunest_guest_queue_result r;

	make_batch(16, 0);
	put(3, cmds[0][0], cmds[0][1]);
	put(4, cmds[1][0], cmds[1][1]);
	put(5, 0x2a, 0x1000); /* TLBI_S2_IPA: no stage 2 for the guest */
	put(6, NH_ALL, 0);
	ck_assert_int_eq(translate(3, 7, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_ERROR, 5, 2, 0,
				    IOMMUNEST_SMMU_CERROR_ILL, -EINVAL, 2 });
	check_issued(cmds, 2);
}
END_TEST

/* The kernel refuses the fourth of five batched commands (a StreamID
 * without a vDEVICE): CERROR_ILL at its slot; the three before it were
 * done (the batch confirmed them); the fifth never reached the
 * hardware; whichever policy the batch has. */
START_TEST(kernel_refusal_maps_back)
{
	static const uint64_t cmds[5][2] = {
		{ NH_VA, 0x1000 }, { NH_VA, 0x2000 }, { NH_ALL, 0 },
		{ CFGI_CD_ALL | SID(0x99), 0 }, { NH_VA, 0x5000 },
	};
	struct iommunest_guest_queue_result r;
	unsigned int i;

	make_batch(16, _i ? IOMMUNEST_BATCH_CONTINUE : 0);
	for (i = 0; i < 5; i++)
		put((6 + i) % RING, cmds[i][0], cmds[i][1]);
	put(3, SYNC, 0);
	kernel_refuses(CFGI_CD_ALL | SID(0x99), EIO);
	ck_assert_int_eq(translate(6, 4, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_ERROR, 1, 3, 0,
				    IOMMUNEST_SMMU_CERROR_ILL, -EIO, 5 });
	/* Done: the first three (and, under CONTINUE, the fifth, resubmitted
	 * past the failure: an early invalidation the guest cannot see). */
	ck_assert_uint_eq(nissued, _i ? 4 : 3);
	nissued = 3;
	check_issued(cmds, 3);
}
END_TEST

/* An ATC invalidation whose completion timed out is shown by the
 * CMD_SYNC that follows it (CONS on the CMD_SYNC); the commands between
 * them still take effect. */
START_TEST(atc_timeout_at_sync)
{
	static const uint64_t done[2][2] = { { NH_VA, 0x1000 },
					     { NH_ASID | ASID(4), 0 } };
	struct iommunest_guest_queue_result r;

	make_batch(16, 0);
	put(0, NH_VA, 0x1000);
	put(1, ATC_INV | SID(9), 52);
	put(2, NH_ASID | ASID(4), 0);
	put(3, SYNC | 1ull << 12, 0);
	put(4, NH_ALL, 0);
	kernel_refuses(ATC_INV | SID(9), ETIMEDOUT);
	ck_assert_int_eq(translate(0, 5, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_ERROR, 3, 3, 0,
				    IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC,
				    -ETIMEDOUT, 4 });
	check_issued(done, 2);
}
END_TEST

/* No CMD_SYNC in the window to carry it: the timeout is shown at the
 * ATC_INV itself rather than lost. */
START_TEST(atc_timeout_without_sync)
{
	struct iommunest_guest_queue_result r;

	make_batch(16, 0);
	put(6, NH_VA, 0x1000);
	put(7, ATC_INV | SID(9), 52);
	put(0, NH_ALL, 0);
	kernel_refuses(ATC_INV | SID(9), ETIMEDOUT);
	ck_assert_int_eq(translate(6, 1, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_ERROR, 7, 1, 0,
				    IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC,
				    -ETIMEDOUT, 4 });
	/* Before a VMM command, the same. */
	nissued = 0;
	put(0, CFGI_STE, 0);
	ck_assert_int_eq(translate(6, 1, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_ERROR, 7, 1, 0,
				    IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC,
				    -ETIMEDOUT, 2 });
}
END_TEST

/* Failures that are not the guest's: a negative return, stop_slot at the
 * command whose entry was not confirmed, nothing for the guest. */
static const struct {
	int kerr, rc;
	uint64_t w0;
} host_failures[] = {
	{ ETIMEDOUT, -ETIMEDOUT, NH_ALL }, /* a stuck host queue */
	{ ENOMEM, -ENOMEM, NH_ALL },
	{ EFAULT, -EFAULT, NH_ALL },
	{ ENOTTY, -ENOSYS, NH_ALL },       /* a kernel before 6.13 */
	{ EOPNOTSUPP, -EOPNOTSUPP, NH_ALL },
};

START_TEST(host_failure)
{
	static const uint64_t done[1][2] = { { NH_VA, 0x1000 } };
	struct iommunest_guest_queue_result r;

	make_batch(16, 0);
	put(2, NH_VA, 0x1000);
	put(3, host_failures[_i].w0, 0);
	put(4, SYNC, 0);
	kernel_refuses(host_failures[_i].w0, host_failures[_i].kerr);
	ck_assert_int_eq(translate(2, 5, &r), host_failures[_i].rc);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_ERROR, 3, 1, 0, 0,
				    host_failures[_i].rc, 2 });
	check_issued(done, 1);
}
END_TEST

/* A batch smaller than the window is flushed whenever full, by the
 * translator (never by the batch itself, even with AUTOFLUSH); a refusal
 * in a later chunk maps back to its slot. */
START_TEST(full_batch)
{
	static const uint64_t cmds[5][2] = {
		{ NH_VA, 0x1000 }, { NH_VA, 0x2000 }, { NH_VA, 0x3000 },
		{ NH_VA, 0x4000 }, { NH_VA, 0x5000 },
	};
	static const uint32_t flags[] = {
		0, IOMMUNEST_BATCH_AUTOFLUSH,
		IOMMUNEST_BATCH_AUTOFLUSH | IOMMUNEST_BATCH_CONTINUE,
	};
	struct iommunest_guest_queue_result r;
	unsigned int i;

	make_batch(2, flags[_i]);
	for (i = 0; i < 5; i++)
		put(i + 1, cmds[i][0], cmds[i][1]);
	put(6, SYNC, 0);
	ck_assert_int_eq(translate(1, 7, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_SYNC, 6, 5, 0, 0, 0, 5 });
	check_issued(cmds, 5);
	ck_assert_uint_eq(ncalls, 3);
	ck_assert_uint_eq(call_num[0], 2);
	ck_assert_uint_eq(call_num[1], 2);
	ck_assert_uint_eq(call_num[2], 1);

	/* The fourth refused: the second chunk [3rd, 4th] fails at its
	 * second entry. */
	nissued = ncalls = 0;
	put(4, NH_VA | ASID(0x77), 0x4000);
	kernel_refuses(NH_VA | ASID(0x77), EIO);
	ck_assert_int_eq(translate(1, 7, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_ERROR, 4, 3, 0,
				    IOMMUNEST_SMMU_CERROR_ILL, -EIO, 4 });
	check_issued(cmds, 3);
}
END_TEST

/* ---- bad arguments ------------------------------------------------------ */

START_TEST(bad_arguments)
{
	struct iommunest_guest_queue q = {
		.base = ring, .size = RING, .slot_len = 16, .head = 1,
		.tail = 2,
	};
	struct iommunest_guest_queue bad;
	struct iommunest_guest_queue_result r, untouched;
	struct iommunest_batch_config vcfg = {
		.target_id = 3, .data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = 24, .capacity = 4,
	};
	struct iommunest_batch *vtd = NULL;
	static const uint64_t one[2] = { NH_ALL, 0 };

	make_batch(4, 0);
	put(1, NH_ALL, 0);
	memset(&r, 0xa5, sizeof(r));
	untouched = r;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(NULL, &q, &r),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, NULL, &r),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &q, NULL),
		       -EINVAL);
	bad = q, bad.base = NULL;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &bad, &r),
		       -EINVAL);
	bad = q, bad.size = 0, bad.head = bad.tail = 0;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &bad, &r),
		       -EINVAL);
	bad = q, bad.slot_len = 32;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &bad, &r),
		       -EINVAL);
	bad = q, bad.slot_len = 8;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &bad, &r),
		       -EINVAL);
	bad = q, bad.head = RING;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &bad, &r),
		       -EINVAL);
	bad = q, bad.tail = RING;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &bad, &r),
		       -EINVAL);
	bad = q, bad.size = UINT32_MAX, bad.base = (const void *)~(uintptr_t)0xff;
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &bad, &r),
		       -EINVAL);
	/* A VT-d batch, and a batch holding the caller's own entries. */
	ck_assert_int_eq(iommunest_batch_new(uctx, &vcfg, &vtd), 0);
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(vtd, &q, &r),
		       -EINVAL);
	iommunest_batch_free(vtd);
	ck_assert_int_eq(iommunest_batch_add_smmuv3(batch, one), 0);
	ASSERT_REFUSED(iommunest_smmuv3_queue_translate(batch, &q, &r),
		       -EINVAL);
	ck_assert_mem_eq(&r, &untouched, sizeof(r));
	ck_assert_uint_eq(ncalls, 0);
	/* Once flushed, the batch is taken again. */
	ck_assert_int_eq(iommunest_batch_flush(batch), 0);
	ck_assert_int_eq(iommunest_smmuv3_queue_translate(batch, &q, &r), 0);
	ck_assert_uint_eq(r.stop, IOMMUNEST_GQ_DONE);
}
END_TEST

START_TEST(empty_window)
{
	struct iommunest_guest_queue_result r;

	make_batch(4, 0);
	put(0, 0xff, ~0ull); /* would be illegal: never read */
	ck_assert_int_eq(translate(0, 0, &r), 0);
	check_r(&r, &(struct want){ IOMMUNEST_GQ_DONE, 0, 0, 0, 0, 0, 0 });
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

Suite *suite_guestq_smmuv3(void)
{
	Suite *s = suite_create("guestq-smmuv3");
	TCase *tc = tcase_create("translate");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, one_command, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, wrap_to_sync);
	tcase_add_test(tc, vmm_command_flushes_first);
	tcase_add_test(tc, illegal_stops_after_flush);
	tcase_add_loop_test(tc, kernel_refusal_maps_back, 0, 2);
	tcase_add_test(tc, atc_timeout_at_sync);
	tcase_add_test(tc, atc_timeout_without_sync);
	tcase_add_loop_test(tc, host_failure, 0,
			    (int)(sizeof(host_failures) /
				  sizeof(host_failures[0])));
	tcase_add_loop_test(tc, full_batch, 0, 3);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, empty_window);
	suite_add_tcase(s, tc);
	return s;
}
