/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The Arm SMMUv3 command queue translator: a guest's CMDQ window in, a
 * batch of vIOMMU invalidation commands and the guest-visible CONS and
 * CERROR out.
 *
 * Facts it rests on (Arm IHI 0070, chapter 4; Linux 7.3
 * arm_vsmmu_cache_invalidate()):
 *  - commands are 16 bytes, little-endian, opcode in bits [7:0];
 *  - the queue stops at the first command it cannot consume; CONS stays
 *    on it and CMDQ_CONS.ERR says why (CERROR_ILL: a reserved opcode, an
 *    illegal parameter, or a RES0 field found non-zero; the architecture
 *    lets an implementation check RES0 fields or ignore them, and this
 *    one checks them);
 *  - a command on the Non-secure queue with SSec == 1 is ILLEGAL;
 *  - CERROR_ATC_INV_SYNC is raised by the CMD_SYNC that could not
 *    complete an earlier ATC_INV: CONS stays on the CMD_SYNC, and the
 *    commands before it still take effect;
 *  - the kernel takes TLBI_NSNH_ALL, TLBI_NH_{ALL,ASID,VA,VAA}, ATC_INV,
 *    CFGI_CD and CFGI_CD_ALL through a vIOMMU, refuses everything else
 *    with EIO, and also answers EIO for a field the host SMMU does not
 *    implement or a StreamID without a vDEVICE.
 *
 * Between two flushes every batched command makes exactly one entry and
 * every other command ends the run, so entry j of a flush came from
 * window slot first + j: no map is kept.
 */
#include <endian.h>
#include <string.h>

#include "guestq.h"
#include "internal.h"
#include "libiommunest/guestq.h"

#define CMD_LEN 16u

/* Opcodes (IHI 0070, 4.1.1). */
#define OP_PREFETCH_CONFIG 0x01u
#define OP_PREFETCH_ADDR   0x02u
#define OP_CFGI_STE        0x03u
#define OP_CFGI_STE_RANGE  0x04u /* CFGI_ALL: the same with Range 31 */
#define OP_CFGI_CD         0x05u
#define OP_CFGI_CD_ALL     0x06u
#define OP_TLBI_NH_ALL     0x10u
#define OP_TLBI_NH_ASID    0x11u
#define OP_TLBI_NH_VA      0x12u
#define OP_TLBI_NH_VAA     0x13u
#define OP_TLBI_NSNH_ALL   0x30u
#define OP_ATC_INV         0x40u
#define OP_CMD_SYNC        0x46u

#define BITS(hi, lo) ((~0ull >> (63 - (hi))) & (~0ull << (lo)))

/* The fields each command defines; every other bit is RES0.  SSec
 * (word 0 bit 10) is left out: it must be 0 on the Non-secure queue. */
#define W0_OP        BITS(7, 0)
#define W0_ATC_G     BITS(9, 9)
#define W0_SSV       BITS(11, 11)
#define W0_SSID      BITS(31, 12)
#define W0_SID       BITS(63, 32)
#define W0_NUM       BITS(16, 12)
#define W0_SCALE     BITS(25, 20)
#define W0_VMID      BITS(47, 32)
#define W0_ASID      BITS(63, 48)
#define W0_SYNC_CS   BITS(13, 12)
#define W0_SYNC_MSH  BITS(23, 22)
#define W0_SYNC_ATTR BITS(27, 24)
#define W0_SYNC_DATA BITS(63, 32)
#define W1_LEAF      BITS(0, 0)
#define W1_RANGE     BITS(4, 0)
#define W1_TTL       BITS(9, 8)
#define W1_TG        BITS(11, 10)
#define W1_ADDR      BITS(63, 12)
#define W1_ATC_SIZE  BITS(5, 0)
#define W1_MSIADDR   BITS(55, 2)

#define CS_RESERVED  3u /* CMD_SYNC.CS 0b11 */
#define RANGE_ALL    31u

enum action {
	ACT_ILLEGAL, /* CERROR_ILL at it */
	ACT_BATCH,   /* one entry for the kernel */
	ACT_SYNC,    /* flush; the VMM completes it */
	ACT_VMM,     /* flush; the VMM handles it */
};

struct rule {
	uint8_t op;
	uint8_t action;
	uint8_t vmm_kind;
	uint64_t w0, w1; /* defined fields */
};

/*
 * What each legal opcode is.  The rest is illegal for a stage-1 vSMMU
 * over iommufd: stage-2 and EL2/EL3 invalidations (S2P and Hyp are not
 * offered: the host owns stage 2), PRI_RESP, RESUME and STALL_TERM (the
 * vSMMU offers neither PRI nor stalls: the kernel passes no page request
 * or stall of a nested domain to a guest, and takes none of these
 * commands through a vIOMMU), CFGI_VMS_PIDM, Secure-only and reserved
 * opcodes.  PREFETCH_ADDR's word 1 (Size, NS, Stride, Addr) is not
 * inspected: the command is a hint that the VMM may drop.
 */
static const struct rule rules[] = {
	{ OP_PREFETCH_CONFIG, ACT_VMM, IOMMUNEST_SMMU_CMD_PREFETCH,
	  W0_OP | W0_SSV | W0_SSID | W0_SID, 0 },
	{ OP_PREFETCH_ADDR, ACT_VMM, IOMMUNEST_SMMU_CMD_PREFETCH,
	  W0_OP | W0_SSV | W0_SSID | W0_SID, ~0ull },
	{ OP_CFGI_STE, ACT_VMM, IOMMUNEST_SMMU_CMD_CFGI_STE,
	  W0_OP | W0_SID, W1_LEAF },
	{ OP_CFGI_STE_RANGE, ACT_VMM, IOMMUNEST_SMMU_CMD_CFGI_STE_RANGE,
	  W0_OP | W0_SID, W1_RANGE },
	{ OP_CFGI_CD, ACT_BATCH, 0, W0_OP | W0_SSID | W0_SID, W1_LEAF },
	{ OP_CFGI_CD_ALL, ACT_BATCH, 0, W0_OP | W0_SID, 0 },
	{ OP_TLBI_NH_ALL, ACT_BATCH, 0, W0_OP | W0_VMID, 0 },
	{ OP_TLBI_NH_ASID, ACT_BATCH, 0, W0_OP | W0_VMID | W0_ASID, 0 },
	{ OP_TLBI_NH_VA, ACT_BATCH, 0,
	  W0_OP | W0_NUM | W0_SCALE | W0_VMID | W0_ASID,
	  W1_LEAF | W1_TTL | W1_TG | W1_ADDR },
	{ OP_TLBI_NH_VAA, ACT_BATCH, 0,
	  W0_OP | W0_NUM | W0_SCALE | W0_VMID,
	  W1_LEAF | W1_TTL | W1_TG | W1_ADDR },
	{ OP_TLBI_NSNH_ALL, ACT_BATCH, 0, W0_OP, 0 },
	{ OP_ATC_INV, ACT_BATCH, 0, W0_OP | W0_ATC_G | W0_SSV | W0_SSID | W0_SID,
	  W1_ATC_SIZE | W1_ADDR },
	{ OP_CMD_SYNC, ACT_SYNC, 0,
	  W0_OP | W0_SYNC_CS | W0_SYNC_MSH | W0_SYNC_ATTR | W0_SYNC_DATA,
	  W1_MSIADDR },
};

/* A command's action (and vmm_kind) from its host-order words. */
static enum action classify(const uint64_t w[2], uint32_t *vmm_kind)
{
	const struct rule *ru = NULL;
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].op == (w[0] & W0_OP))
			ru = &rules[i];
	if (!ru || (w[0] & ~ru->w0) || (w[1] & ~ru->w1))
		return ACT_ILLEGAL;
	if (ru->op == OP_CMD_SYNC &&
	    ((w[0] & W0_SYNC_CS) >> 12) == CS_RESERVED)
		return ACT_ILLEGAL;
	*vmm_kind = ru->vmm_kind;
	if (ru->op == OP_CFGI_STE_RANGE && (w[1] & W1_RANGE) == RANGE_ALL)
		*vmm_kind = IOMMUNEST_SMMU_CMD_CFGI_ALL;
	return (enum action)ru->action;
}

/* The translation under way. */
struct walk {
	struct iommunest_batch *b;
	const struct iommunest_guest_queue *q;
	uint32_t n;        /* slots in the window */
	uint32_t next;     /* next window slot to read */
	uint32_t first;    /* window slot of the batch's entry 0 */
	uint32_t pending;  /* entries reserved since the last flush */
	uint32_t cap;      /* the batch's capacity */
	uint32_t entries;  /* entries submitted by this call */
	const uint8_t *e0; /* the batch's entry 0 while pending */
	bool atc_late;     /* an ATC_INV's completion timed out ... */
	uint32_t atc_slot; /* ... at this window slot */
};

/* Why the walk stops: what r is set to. */
struct stop {
	uint32_t stop, slot, vmm_kind, guest_error;
	int error; /* with GQ_ERROR; the return value when guest_error is 0 */
};

enum flushed { FL_DONE, FL_STOP, FL_RESUME };

/* The guest's command in host order: read once, so that what is checked
 * is what is submitted while the guest may rewrite its queue. */
static void read_cmd(const struct walk *w, uint32_t k, uint64_t cmd[2])
{
	uint64_t le[2];

	memcpy(le, inest_gq_slot(w->q, k), CMD_LEN);
	cmd[0] = le64toh(le[0]);
	cmd[1] = le64toh(le[1]);
}

static void set_stop(struct stop *s, uint32_t stop, uint32_t slot,
		     uint32_t guest_error, int error)
{
	*s = (struct stop){ .stop = stop, .slot = slot,
			    .guest_error = guest_error, .error = error };
}

/*
 * A stop other than a CMD_SYNC while an ATC_INV timeout is owed: with no
 * CMD_SYNC in the window to carry it, it is shown at the ATC_INV itself
 * (never dropped), and what was batched after it is dropped, to be
 * translated again when the guest resumes there.
 */
static void atc_owed(struct walk *w, struct stop *s)
{
	w->pending = 0;
	iommunest_batch_reset(w->b);
	set_stop(s, IOMMUNEST_GQ_ERROR, w->atc_slot,
		 IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC, -ETIMEDOUT);
}

/*
 * Submit the pending entries.  A failure maps back to its slot: EIO is
 * the kernel refusing the command (CERROR_ILL); ETIMEDOUT on an ATC_INV
 * is a completion that did not come, owed to the next CMD_SYNC, so the
 * walk resumes after it (resubmitting what followed it is harmless:
 * invalidation is idempotent); anything else is not the guest's doing.
 */
static enum flushed flush(struct walk *w, struct stop *s)
{
	uint64_t op;
	uint32_t slot;
	int idx, res, rc;

	if (!w->pending)
		return FL_DONE;
	w->entries += w->pending;
	w->pending = 0;
	rc = iommunest_batch_flush(w->b);
	if (!rc)
		return FL_DONE;
	idx = iommunest_batch_first_failed(w->b);
	res = idx >= 0 ? iommunest_batch_result(w->b, (uint32_t)idx) : rc;
	if (idx < 0 || res >= 0) {
		idx = 0; /* not expected: a failed flush names its entry */
		res = rc;
	}
	slot = w->first + (uint32_t)idx;
	memcpy(&op, w->e0 + (size_t)idx * CMD_LEN, sizeof(op));
	if (res == -ETIMEDOUT && (le64toh(op) & W0_OP) == OP_ATC_INV) {
		if (!w->atc_late) {
			w->atc_late = true;
			w->atc_slot = slot;
		}
		w->next = slot + 1;
		return FL_RESUME;
	}
	if (w->atc_late) {
		atc_owed(w, s); /* it comes first in the queue */
		return FL_STOP;
	}
	if (res == -EIO)
		set_stop(s, IOMMUNEST_GQ_ERROR, slot, IOMMUNEST_SMMU_CERROR_ILL,
			 res);
	else
		set_stop(s, IOMMUNEST_GQ_ERROR, slot, 0, res);
	return FL_STOP;
}

/* Put the command of slot k into the batch, flushing a full one first. */
static enum flushed add(struct walk *w, uint32_t k, const uint64_t cmd[2],
			struct stop *s)
{
	enum flushed f;
	uint64_t le[2];
	void *e;
	int rc;

	if (w->pending == w->cap) {
		f = flush(w, s);
		if (f != FL_DONE)
			return f;
	}
	/* Never full here, so the batch cannot flush by itself: the results
	 * of such a flush could not be mapped back to their slots. */
	rc = iommunest_batch_reserve(w->b, 1, &e);
	if (rc < 0) {
		/* Not expected; drop what is pending, so that the batch is
		 * taken again, and stop at the first command not done. */
		set_stop(s, IOMMUNEST_GQ_ERROR, w->pending ? w->first : k, 0,
			 rc);
		w->pending = 0;
		iommunest_batch_reset(w->b);
		return FL_STOP;
	}
	if (!w->pending) {
		w->first = k;
		w->e0 = e;
	}
	w->pending++;
	le[0] = htole64(cmd[0]);
	le[1] = htole64(cmd[1]);
	memcpy(e, le, CMD_LEN);
	return FL_DONE;
}

/* Where the walk of slot k stops, or FL_DONE / FL_RESUME to go on. */
static enum flushed step(struct walk *w, uint32_t k, struct stop *s)
{
	uint32_t kind = 0;
	enum action a;
	enum flushed f;
	uint64_t cmd[2];

	read_cmd(w, k, cmd);
	a = classify(cmd, &kind);
	if (a == ACT_BATCH)
		return add(w, k, cmd, s);
	if (w->atc_late && a != ACT_SYNC) {
		atc_owed(w, s);
		return FL_STOP;
	}
	f = flush(w, s);
	if (f != FL_DONE)
		return f;
	if (a == ACT_SYNC && w->atc_late)
		set_stop(s, IOMMUNEST_GQ_ERROR, k,
			 IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC, -ETIMEDOUT);
	else if (a == ACT_SYNC)
		set_stop(s, IOMMUNEST_GQ_SYNC, k, 0, 0);
	else if (a == ACT_VMM)
		set_stop(s, IOMMUNEST_GQ_VMM, k, 0, 0);
	else
		set_stop(s, IOMMUNEST_GQ_ERROR, k, IOMMUNEST_SMMU_CERROR_ILL,
			 -EINVAL);
	s->vmm_kind = a == ACT_VMM ? kind : 0;
	return FL_STOP;
}

/* Walk the window to its end or to a stop. */
static void run(struct walk *w, struct stop *s)
{
	for (;;) {
		while (w->next < w->n)
			if (step(w, w->next++, s) == FL_STOP)
				return;
		/* The end of the window: flush what is left. */
		switch (flush(w, s)) {
		case FL_STOP:
			return;
		case FL_RESUME:
			continue;
		case FL_DONE:
			break;
		}
		if (w->atc_late)
			atc_owed(w, s);
		else
			set_stop(s, IOMMUNEST_GQ_DONE, w->n, 0, 0);
		return;
	}
}

INEST_EXPORT int
iommunest_smmuv3_queue_translate(struct iommunest_batch *batch,
				 const struct iommunest_guest_queue *q,
				 struct iommunest_guest_queue_result *r)
{
	struct inest_batch_info info;
	struct walk w = { .b = batch, .q = q };
	struct stop s;

	if (!batch || !q || !r || q->slot_len != CMD_LEN || !inest_gq_ok(q) ||
	    !inest_gq_batch_ok(batch, IOMMUNEST_INV_ARM_SMMUV3, CMD_LEN))
		return -EINVAL;
	inest_batch_info(batch, &info);
	w.cap = info.capacity;
	w.n = inest_gq_count(q);
	run(&w, &s);
	*r = (struct iommunest_guest_queue_result){
		.stop = s.stop,
		.stop_slot = s.stop == IOMMUNEST_GQ_DONE
				     ? q->tail
				     : inest_gq_index(q, s.slot),
		.consumed = s.slot,
		.vmm_kind = s.vmm_kind,
		.guest_error = s.guest_error,
		.error = s.error,
		.entries = w.entries,
	};
	return s.stop == IOMMUNEST_GQ_ERROR && !s.guest_error ? s.error : 0;
}
