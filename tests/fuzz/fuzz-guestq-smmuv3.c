/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Fuzz target: iommunest_smmuv3_queue_translate() over a guest command
 * queue that lives between inaccessible pages, against a fake vIOMMU.
 *
 * The input makes a ring (1 to 64 slots, or 256 or 512 so that pages
 * hold whole parts of it), a window [head, tail) (in the large rings
 * sometimes on page boundaries), a batch (capacity 1 to 8, STOP or
 * CONTINUE, AUTOFLUSH or not), the commands (templates of every legal
 * command with random legal fields, illegal opcodes, flipped bits, random
 * bytes) and the kernel's fate for each command (done, EIO, ETIMEDOUT,
 * ENOMEM), which the fake kernel applies as Linux 7.3 counts: the count
 * is the failing command's index.
 *
 * Every page of the ring without a window slot is PROT_NONE, the others
 * PROT_READ, and the ring ends at an inaccessible page: a read outside
 * the window's pages, or any write to the queue, crashes.  The oracle,
 * from the man page and the architecture (classified here on its own),
 * checks: the return and *r agree (consumed within the window, stop_slot
 * the slot after the consumed ones, tail for DONE); every consumed slot
 * holds a command the kernel takes and the fake kernel did not fail,
 * except ATC_INVs that timed out when the guest is shown
 * CERROR_ATC_INV_SYNC; the stop slot holds what r->stop says (a CMD_SYNC,
 * the VMM's command of that kind, an illegal command for CERROR_ILL with
 * -EINVAL, a command the kernel refused with EIO, a timed-out ATC_INV or
 * a CMD_SYNC after one, a command whose fate is the negative return);
 * every call carries the vIOMMU's ID, the SMMUv3 type, 16-byte entries,
 * and a run of consecutive window slots holding batched commands, byte
 * for byte.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libiommunest/guestq.h"
#include "abi.h"
#include "fuzz.h"

#define PAGE 4096u
#define SLOT 16u
#define VIOMMU 0x2cu
#define MAX_SLOTS 512u
#define MAX_CALLS 4096u

#define bug(...) fz_die("fuzz-guestq-smmuv3", __VA_ARGS__)

enum cls { C_BATCH, C_SYNC, C_VMM, C_ILL };
enum fate { FT_OK, FT_EIO, FT_TIMEOUT, FT_NOMEM };

static struct {
	int fd;
	struct iommunest_ctx *ctx;
	uint8_t *map;          /* guard, data pages, guard */
	size_t map_len;
	uint8_t *base;         /* the ring: ends where the data pages end */
	uint32_t size, head, tail, n;
	uint8_t fates[16];
	uint64_t rng;
	unsigned int calls;
} m;

static uint64_t rnd(void)
{
	m.rng ^= m.rng << 13;
	m.rng ^= m.rng >> 7;
	m.rng ^= m.rng << 17;
	return m.rng;
}

static void cmd_at(uint32_t k, uint64_t w[2]) /* window slot k */
{
	uint64_t le[2];

	memcpy(le, m.base + (size_t)((m.head + k) % m.size) * SLOT, SLOT);
	w[0] = le64toh(le[0]);
	w[1] = le64toh(le[1]);
}

/* The architecture's view (IHI 0070, chapter 4), written apart from the
 * library's table. */
FZ_ORACLE static enum cls oracle(const uint64_t w[2], uint32_t *kind)
{
	uint64_t w0 = w[0], w1 = w[1];
	unsigned int op = (unsigned int)(w0 & 0xff);

	*kind = 0;
	if (w0 & 1ull << 10) /* SSec on the Non-secure queue */
		return C_ILL;
	switch (op) {
	case 0x01: /* PREFETCH_CONFIG */
		*kind = IOMMUNEST_SMMU_CMD_PREFETCH;
		return (w0 & 0x700) || w1 ? C_ILL : C_VMM;
	case 0x02: /* PREFETCH_ADDR */
		*kind = IOMMUNEST_SMMU_CMD_PREFETCH;
		return (w0 & 0x700) ? C_ILL : C_VMM;
	case 0x03: /* CFGI_STE */
		*kind = IOMMUNEST_SMMU_CMD_CFGI_STE;
		return (w0 & 0xffffff00ull) || (w1 & ~1ull) ? C_ILL : C_VMM;
	case 0x04: /* CFGI_STE_RANGE, CFGI_ALL */
		*kind = (w1 & 31) == 31 ? IOMMUNEST_SMMU_CMD_CFGI_ALL
					: IOMMUNEST_SMMU_CMD_CFGI_STE_RANGE;
		return (w0 & 0xffffff00ull) || (w1 & ~31ull) ? C_ILL : C_VMM;
	case 0x05: /* CFGI_CD */
		return (w0 & 0xf00) || (w1 & ~1ull) ? C_ILL : C_BATCH;
	case 0x06: /* CFGI_CD_ALL */
		return (w0 & 0xffffff00ull) || w1 ? C_ILL : C_BATCH;
	case 0x10: /* TLBI_NH_ALL */
		return (w0 & 0xffff0000ffffff00ull) || w1 ? C_ILL : C_BATCH;
	case 0x11: /* TLBI_NH_ASID */
		return (w0 & 0xffffff00ull) || w1 ? C_ILL : C_BATCH;
	case 0x12: /* TLBI_NH_VA */
		return (w0 & 0xfc0e0f00ull) || (w1 & 0xfeull) ? C_ILL : C_BATCH;
	case 0x13: /* TLBI_NH_VAA */
		return (w0 & 0xffff0000fc0e0f00ull) || (w1 & 0xfeull) ? C_ILL
								      : C_BATCH;
	case 0x30: /* TLBI_NSNH_ALL */
		return (w0 & ~0xffull) || w1 ? C_ILL : C_BATCH;
	case 0x40: /* ATC_INV */
		return (w0 & 0x500) || (w1 & 0xfc0) ? C_ILL : C_BATCH;
	case 0x46: /* CMD_SYNC */
		if ((w0 & 0x3000) == 0x3000 || (w0 & 0xf03fcf00ull) ||
		    (w1 & 0xff00000000000003ull))
			return C_ILL;
		return C_SYNC;
	default:
		return C_ILL;
	}
}

static enum fate fate_of(const uint64_t w[2])
{
	uint64_t h = (w[0] ^ (w[1] * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;

	return (enum fate)(m.fates[h >> 60] & 3);
}

/* ---- the fake vIOMMU ---------------------------------------------------- */

static const int errs[] = { 0, EIO, ETIMEDOUT, ENOMEM };

/* Every call: a run of consecutive window slots of batched commands. */
FZ_ORACLE static void check_run(const struct kabi_smmuv3_invalidate *e,
				uint32_t n)
{
	uint32_t p, i;
	uint64_t w[2], kind_w[2];
	uint32_t kind;

	for (p = 0; p < m.n; p++) {
		for (i = 0; i < n && p + i < m.n; i++) {
			cmd_at(p + i, w);
			if (le64toh(e[i].cmd[0]) != w[0] ||
			    le64toh(e[i].cmd[1]) != w[1])
				break;
		}
		if (i == n)
			break;
	}
	if (p == m.n)
		bug("call %u: %u entries that are no run of window slots",
		    m.calls, n);
	for (i = 0; i < n; i++) {
		kind_w[0] = le64toh(e[i].cmd[0]);
		kind_w[1] = le64toh(e[i].cmd[1]);
		if (oracle(kind_w, &kind) != C_BATCH)
			bug("call %u: entry %u (%#llx) is not for the kernel",
			    m.calls, i, (unsigned long long)kind_w[0]);
	}
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	struct kabi_hwpt_invalidate *c = arg;
	const struct kabi_smmuv3_invalidate *e;
	uint64_t w[2];
	uint32_t i;

	(void)fd;
	if (req != KABI_IOMMU_HWPT_INVALIDATE)
		bug("ioctl %#lx", req);
	if (c->size != sizeof(*c) || c->hwpt_id != VIOMMU ||
	    c->data_type != KABI_INVALIDATE_DATA_ARM_SMMUV3 ||
	    c->entry_len != SLOT || c->reserved || !c->entry_num)
		bug("call %u: size %u id %u type %u len %u num %u", m.calls,
		    c->size, c->hwpt_id, c->data_type, c->entry_len,
		    c->entry_num);
	if (++m.calls > MAX_CALLS)
		bug("more than %u calls", MAX_CALLS);
	e = (const void *)(uintptr_t)c->data_uptr;
	check_run(e, c->entry_num);
	for (i = 0; i < c->entry_num; i++) {
		w[0] = le64toh(e[i].cmd[0]);
		w[1] = le64toh(e[i].cmd[1]);
		if (fate_of(w) != FT_OK) {
			c->entry_num = i;
			errno = errs[fate_of(w)];
			return -1;
		}
	}
	return 0;
}

/* ---- the guest's queue -------------------------------------------------- */

/* A command of class pick (mostly legal), with random fields. */
static void make_cmd(uint8_t pick, uint64_t w[2])
{
	uint64_t r0 = rnd(), r1 = rnd(), op;

	switch (pick % 16) {
	case 0: w[0] = 0x30; w[1] = 0; break;
	case 1: w[0] = 0x10 | (r0 & 0x0000ffff00000000ull); w[1] = 0; break;
	case 2: w[0] = 0x11 | (r0 & 0xffffffff00000000ull); w[1] = 0; break;
	case 3: w[0] = 0x12 | (r0 & 0xffffffff03f1f000ull);
		w[1] = r1 & 0xffffffffffffff01ull; break;
	case 4: w[0] = 0x13 | (r0 & 0x0000ffff03f1f000ull);
		w[1] = r1 & 0xffffffffffffff01ull; break;
	case 5: w[0] = 0x40 | (r0 & 0xfffffffffffffa00ull);
		w[1] = r1 & 0xfffffffffffff03full; break;
	case 6: w[0] = 0x05 | (r0 & 0xfffffffffffff000ull); w[1] = r1 & 1;
		break;
	case 7: w[0] = 0x06 | (r0 & 0xffffffff00000000ull); w[1] = 0; break;
	case 8: w[0] = 0x46 | (r0 % 3) << 12 | (r0 & 0xffffffff0fc00000ull);
		w[1] = r1 & 0x00fffffffffffffcull; break;
	case 9: w[0] = 0x03 | (r0 & 0xffffffff00000000ull); w[1] = r1 & 1;
		break;
	case 10: w[0] = 0x04 | (r0 & 0xffffffff00000000ull); w[1] = r1 & 31;
		break;
	case 11: op = r1 & 1 ? 0x02 : 0x01;
		w[0] = op | (r0 & 0xfffffffffffff800ull);
		w[1] = op == 0x02 ? r1 : 0; break;
	case 12: w[0] = r0 & (r1 & 1 ? ~0ull : 0xffull);
		w[1] = r0 >> 63 ? r1 : 0; break;
	case 13: make_cmd((uint8_t)(r0 % 12), w); /* one bit flipped */
		w[r1 & 1] ^= 1ull << (r1 >> 58);
		break;
	default: w[0] = r0; w[1] = r1; break;
	}
}

/* Window slot k's data page index, for each slot of the ring. */
static bool in_window(uint32_t slot)
{
	return m.head <= m.tail ? slot >= m.head && slot < m.tail
				: slot >= m.head || slot < m.tail;
}

/* Map the ring between guard pages; fill it; protect it. */
static void make_ring(struct fz_in *in)
{
	static const uint32_t big[] = { 256, 512 };
	uint8_t sel = fz_u8(in), hb = fz_u8(in), tb = fz_u8(in);
	size_t data, off;
	uint32_t i, pages, p;
	uint64_t w[2], le[2];

	if (sel & 0x80) {
		m.size = big[sel & 1];
		m.head = (uint32_t)((hb | (uint32_t)fz_u8(in) << 8) % m.size);
		m.tail = (uint32_t)((tb | (uint32_t)fz_u8(in) << 8) % m.size);
		if (sel & 0x40) { /* window ends on page boundaries */
			m.head &= ~255u;
			m.tail &= ~255u;
		}
	} else {
		m.size = (sel & 63u) + 1;
		m.head = hb % m.size;
		m.tail = tb % m.size;
	}
	m.n = m.tail >= m.head ? m.tail - m.head : m.size - m.head + m.tail;
	pages = (m.size * SLOT + PAGE - 1) / PAGE;
	data = (size_t)pages * PAGE;
	m.map_len = data + 2 * PAGE;
	m.map = mmap(NULL, m.map_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m.map == MAP_FAILED)
		bug("mmap: %d", errno);
	m.base = m.map + PAGE + data - (size_t)m.size * SLOT;
	for (i = 0; i < m.size; i++) {
		make_cmd(fz_more(in) ? fz_u8(in) : (uint8_t)rnd(), w);
		le[0] = htole64(w[0]);
		le[1] = htole64(w[1]);
		memcpy(m.base + (size_t)i * SLOT, le, SLOT);
	}
	if (mprotect(m.map, PAGE, PROT_NONE) ||
	    mprotect(m.map + PAGE + data, PAGE, PROT_NONE))
		bug("mprotect: %d", errno);
	for (p = 0; p < pages; p++) {
		int prot = PROT_NONE;

		for (i = 0; i < m.size; i++) {
			off = (size_t)(m.base - m.map) + (size_t)i * SLOT;
			if (off / PAGE == p + 1 && in_window(i))
				prot = PROT_READ;
		}
		if (mprotect(m.map + (size_t)(p + 1) * PAGE, PAGE, prot))
			bug("mprotect: %d", errno);
	}
}

/* ---- the oracle --------------------------------------------------------- */

FZ_ORACLE static void check(int rc, const struct iommunest_guest_queue_result *r,
			    uint32_t entries_seen)
{
	uint64_t w[2], sw[2];
	uint32_t i, kind, skind = 0;
	bool atc_late = false;
	enum cls sc = C_BATCH;
	enum fate sf = FT_OK;

	if (r->consumed > m.n)
		bug("consumed %u of %u", r->consumed, m.n);
	if (r->reserved[0] | r->reserved[1] | r->reserved[2])
		bug("reserved written");
	if (r->entries > entries_seen)
		bug("entries %u, the kernel saw %u", r->entries, entries_seen);
	if (r->stop == IOMMUNEST_GQ_DONE) {
		if (rc || r->consumed != m.n || r->stop_slot != m.tail)
			bug("DONE: rc %d consumed %u/%u stop_slot %u tail %u",
			    rc, r->consumed, m.n, r->stop_slot, m.tail);
	} else {
		if (r->consumed >= m.n ||
		    r->stop_slot != (m.head + r->consumed) % m.size)
			bug("stop %u at %u: consumed %u of %u from %u",
			    r->stop, r->stop_slot, r->consumed, m.n, m.head);
		cmd_at(r->consumed, sw);
		sc = oracle(sw, &skind);
		sf = fate_of(sw);
	}
	for (i = 0; i < r->consumed; i++) {
		cmd_at(i, w);
		if (oracle(w, &kind) != C_BATCH)
			bug("consumed slot %u (%#llx) is no batched command",
			    i, (unsigned long long)w[0]);
		if (fate_of(w) == FT_TIMEOUT && (w[0] & 0xff) == 0x40)
			atc_late = true;
		else if (fate_of(w) != FT_OK)
			bug("consumed slot %u failed (fate %d)", i, fate_of(w));
	}
	if (atc_late && !(r->stop == IOMMUNEST_GQ_ERROR &&
			  r->guest_error == IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC &&
			  sc == C_SYNC))
		bug("an ATC timeout before slot %u was not shown",
		    r->consumed);
	switch (r->stop) {
	case IOMMUNEST_GQ_DONE:
		return;
	case IOMMUNEST_GQ_SYNC:
		if (rc || sc != C_SYNC)
			bug("SYNC at a class %d command, rc %d", sc, rc);
		return;
	case IOMMUNEST_GQ_VMM:
		if (rc || sc != C_VMM || r->vmm_kind != skind)
			bug("VMM %u at a class %d command (kind %u), rc %d",
			    r->vmm_kind, sc, skind, rc);
		return;
	case IOMMUNEST_GQ_ERROR:
		break;
	default:
		bug("stop %u", r->stop);
	}
	if (r->guest_error == IOMMUNEST_SMMU_CERROR_ILL) {
		if (rc || !(r->error == -EINVAL ? sc == C_ILL
			    : r->error == -EIO && sc == C_BATCH &&
			      sf == FT_EIO))
			bug("ILL (%d) at a class %d command, fate %d, rc %d",
			    r->error, sc, sf, rc);
	} else if (r->guest_error == IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC) {
		if (rc || r->error != -ETIMEDOUT ||
		    !(atc_late ? sc == C_SYNC
		      : sc == C_BATCH && (sw[0] & 0xff) == 0x40 &&
			sf == FT_TIMEOUT))
			bug("ATC_INV_SYNC at a class %d command, rc %d", sc, rc);
	} else if (r->guest_error) {
		bug("guest_error %u", r->guest_error);
	} else if (rc >= 0 || rc != r->error || sc != C_BATCH ||
		   -errs[sf] != rc || (sf == FT_TIMEOUT &&
				       (sw[0] & 0xff) == 0x40)) {
		bug("host failure rc %d error %d at a class %d command, fate %d",
		    rc, r->error, sc, sf);
	}
}

/* ---- the run ------------------------------------------------------------ */

static void open_ctx(void)
{
	static struct iommunest_ctx *ctx;
	static int fd = -1;

	if (!ctx) {
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd < 0 || iommunest_open_fd(fd, &ctx))
			bug("open /dev/null: %d", errno);
		fz_fake_fd(fd, fake_ioctl);
	}
	m.ctx = ctx;
	m.fd = fd;
}

/* Entries the fake kernel received, resubmissions included. */
static uint32_t seen;

static int counting_ioctl(int fd, unsigned long req, void *arg)
{
	seen += ((struct kabi_hwpt_invalidate *)arg)->entry_num;
	return fake_ioctl(fd, req, arg);
}

int fuzz_guestq_smmuv3_one(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size, 0 };
	struct iommunest_batch_config cfg = {
		.target_id = VIOMMU, .data_type = IOMMUNEST_INV_ARM_SMMUV3,
		.entry_len = SLOT,
	};
	struct iommunest_guest_queue q;
	struct iommunest_guest_queue_result r, before;
	struct iommunest_batch *b = NULL;
	uint8_t c = fz_u8(&in);
	unsigned int i;
	int rc;

	memset(&m, 0, sizeof(m));
	open_ctx();
	fz_fake_fd(m.fd, counting_ioctl);
	seen = 0;
	m.rng = fz_u32(&in) | 1ull << 40;
	for (i = 0; i < 16; i++)
		m.fates[i] = (uint8_t)(fz_u8(&in) % 8 < 5 ? FT_OK
							: fz_u8(&in) & 3);
	cfg.capacity = (c & 7u) + 1;
	cfg.flags = (c & 8 ? IOMMUNEST_BATCH_CONTINUE : 0) |
		    (c & 16 ? IOMMUNEST_BATCH_AUTOFLUSH : 0);
	if (iommunest_batch_new(m.ctx, &cfg, &b))
		bug("batch_new");
	make_ring(&in);
	q = (struct iommunest_guest_queue){
		.base = m.base, .size = m.size, .slot_len = SLOT,
		.head = m.head, .tail = m.tail,
	};
	memset(&r, 0x5a, sizeof(r));
	before = r;
	rc = iommunest_smmuv3_queue_translate(b, &q, &r);
	if (rc < 0 && !memcmp(&r, &before, sizeof(r)))
		bug("rc %d with r untouched", rc);
	check(rc, &r, seen);
	/* The batch is left with nothing pending: it is taken again. */
	q.head = q.tail;
	rc = iommunest_smmuv3_queue_translate(b, &q, &r);
	if (rc || r.stop != IOMMUNEST_GQ_DONE || r.consumed)
		bug("empty window after a run: rc %d stop %u", rc, r.stop);
	iommunest_batch_free(b);
	munmap(m.map, m.map_len);
	return 0;
}

#ifndef FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_guestq_smmuv3_one(data, size);
}
#endif
