/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Fuzz target: the VT-d invalidation queue translator.
 *
 * The input makes a ring (16- or 32-byte slots, 1 to 64 of them), a
 * window [head, tail) of descriptors built from templates of every type
 * (valid ones, reserved bits flipped, raw bytes), a batch (capacity 1 to
 * 8, STOP or CONTINUE, with or without AUTOFLUSH) and a kernel whose
 * answer to each entry depends on the entry alone (so that a resubmitted
 * entry is answered alike): done, or one of EINVAL, EOPNOTSUPP,
 * ETIMEDOUT, EIO, ENOMEM, EFAULT, ENOENT.
 *
 * The ring sits between PROT_NONE guard pages, placed so that any read
 * past the ring's end, before its start, or (for a window that does not
 * wrap) past the window's last slot or before its first, faults.  Slots
 * outside the window hold garbage.
 *
 * The oracle decodes the window itself, from the VT-d specification as
 * written in iommunest_vtd_queue_translate(3), and checks exactly: the
 * return value, every field of the result (stop, stop slot, consumed,
 * class, fault bit, errno, entries produced), that consumed plus the stop
 * slot account for every descriptor read, that every entry the kernel
 * saw is valid for it and is one of those the window's descriptors ask
 * for, in order, and that nothing was produced past the stop.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi.h"
#include "fuzz.h"
#include "libiommunest/batch.h"
#include "libiommunest/guestq.h"

#define SLOTS_MAX 64u
#define CAP_MAX 8u
#define PAGE 4096u
#define TARGET 0x33u
#define ALL UINT64_MAX

#define bug(...) fz_die("fuzz-guestq-vtd", __VA_ARGS__)

struct ent {
	uint64_t addr, npages;
	uint32_t flags;
};

enum kind { K_ENTRY, K_SYNC, K_VMM, K_IQE };

struct want {
	enum kind k;
	uint32_t vmm;
	struct ent e;
};

static struct {
	int fd;
	uint8_t salt;               /* picks which entries fail */
	struct ent sent[4 * SLOTS_MAX + 64];
	unsigned int nsent;
	uint8_t *map;               /* guard | data | guard */
} m;

static const int errs[] = { EINVAL, EOPNOTSUPP, ETIMEDOUT, EIO,
			    ENOMEM, EFAULT, ENOENT };

/* ---- the kernel ---------------------------------------------------------- */

/* 0 or the errno the kernel answers this entry with, always the same. */
FZ_ORACLE static int entry_err(const struct ent *e)
{
	uint64_t h = e->addr * 0x9e3779b97f4a7c15ull ^ e->npages ^
		     (uint64_t)e->flags << 7 ^ m.salt;

	h ^= h >> 29;
	if (m.salt < 64 || (h & 7) != 0)
		return 0;
	return errs[(h >> 3) % (sizeof(errs) / sizeof(errs[0]))];
}

/* What 7.3's VT-d nested invalidation accepts. */
FZ_ORACLE static void check_entry(const struct kabi_vtd_s1_invalidate *e)
{
	if (e->flags & ~KABI_VTD_INV_FLAGS_LEAF || e->reserved)
		bug("entry flags %#x reserved %#x", e->flags, e->reserved);
	if (e->addr & (PAGE - 1) || !e->npages)
		bug("entry %#llx + %llu", (unsigned long long)e->addr,
		    (unsigned long long)e->npages);
	if (e->npages == ALL ? e->addr != 0
			     : e->npages - 1 > (ALL - e->addr) / PAGE)
		bug("entry %#llx + %llu overflows", (unsigned long long)e->addr,
		    (unsigned long long)e->npages);
}

FZ_ORACLE static int vtd_ioctl(int fd, unsigned long req, void *arg)
{
	struct kabi_hwpt_invalidate *cmd = arg;
	const struct kabi_vtd_s1_invalidate *e;
	uint32_t i;
	int err;

	if (fd != m.fd || req != KABI_IOMMU_HWPT_INVALIDATE)
		bug("ioctl %#lx on fd %d", req, fd);
	if (cmd->size != sizeof(*cmd) || cmd->hwpt_id != TARGET ||
	    cmd->data_type != KABI_INVALIDATE_DATA_VTD_S1 ||
	    cmd->entry_len != sizeof(*e) || !cmd->entry_num || cmd->reserved)
		bug("invalidate call: size %u hwpt %u type %u len %u num %u",
		    cmd->size, cmd->hwpt_id, cmd->data_type, cmd->entry_len,
		    cmd->entry_num);
	e = (const void *)(uintptr_t)cmd->data_uptr;
	for (i = 0; i < cmd->entry_num; i++) {
		struct ent x = { e[i].addr, e[i].npages, e[i].flags };

		check_entry(&e[i]);
		if (m.nsent < sizeof(m.sent) / sizeof(m.sent[0]))
			m.sent[m.nsent++] = x;
		err = entry_err(&x);
		if (err) {
			cmd->entry_num = i; /* VT-d counts exactly */
			errno = err;
			return -1;
		}
	}
	return 0;
}

/* ---- the oracle's reading of a descriptor ------------------------------- */

FZ_ORACLE static struct ent span(uint64_t addr, unsigned int order, bool leaf)
{
	struct ent e = { 0, ALL, leaf };
	uint64_t bytes;

	if (order + 12 >= 64)
		return e;
	bytes = 1ull << (order + 12);
	e.addr = addr / bytes * bytes;
	e.npages = bytes / PAGE;
	return e;
}

/* Device-TLB size: S set, the first 0 bit of ADDR from bit 12 is at k:
 * 2^(k+1) bytes. */
FZ_ORACLE static struct ent devspan(uint64_t addr, bool s)
{
	unsigned int k = 12;

	if (!s)
		return span(addr, 0, false);
	while (k < 64 && (addr >> k) & 1)
		k++;
	return span(addr, k + 1 - 12, false);
}

FZ_ORACLE static struct want expect(const uint64_t q[4], bool wide)
{
	unsigned int type = (unsigned int)((q[0] & 15) | ((q[0] >> 5) & 0x70));
	struct want w = { K_IQE, 0, { 0, 0, 0 } };
	uint64_t g = (q[0] >> 4) & 3;

	if (wide && (q[2] | q[3]))
		return w;
	if (!wide && type >= 6 && type <= 8)
		return w;
	switch (type) {
	case 1: case 2: case 4: case 7: case 9:
		w.k = K_VMM;
		w.vmm = type == 1 ? IOMMUNEST_VTD_DESC_CONTEXT
		      : type == 2 ? IOMMUNEST_VTD_DESC_IOTLB
		      : type == 4 ? IOMMUNEST_VTD_DESC_IEC
		      : type == 7 ? IOMMUNEST_VTD_DESC_PASID
				  : IOMMUNEST_VTD_DESC_PAGE_RESP;
		return w;
	case 5:
		if (!((q[0] >> 12) & 0xfffff) && !(q[1] & 3))
			w.k = K_SYNC;
		return w;
	case 6:
		if ((q[0] >> 6) & 7 || (q[0] >> 12) & 15 || q[0] >> 52 ||
		    (q[1] >> 7) & 31 || g < 2)
			return w;
		w.k = K_ENTRY;
		w.e = g == 2 ? span(0, 64, false)
			     : span(q[1] & ~0xfffull, (unsigned int)(q[1] & 63),
				    (q[1] >> 6) & 1);
		return w;
	case 3:
		if ((q[0] >> 4) & 31 || (q[0] >> 21) & 0x7ff ||
		    (q[0] >> 48) & 15 || (q[1] >> 1) & 0x7ff)
			return w;
		w.k = K_ENTRY;
		w.e = devspan(q[1] & ~0xfffull, q[1] & 1);
		return w;
	case 8:
		if ((q[1] >> 1) & 0x3ff)
			return w;
		w.k = K_ENTRY;
		w.e = devspan(q[1] & ~0xfffull, (q[1] >> 11) & 1);
		return w;
	}
	return w;
}

/* ---- descriptors from the input ----------------------------------------- */

static void make_desc(struct fz_in *in, uint64_t q[4], bool wide)
{
	uint8_t t = fz_u8(in);
	uint64_t a = fz_u64(in), b = fz_u64(in);

	q[0] = q[1] = q[2] = q[3] = 0;
	switch (t % 12) {
	case 0: /* PASID-based IOTLB, page-selective */
		q[0] = 6 | 3u << 4 | (a & 0x000fffffffff0000ull);
		q[1] = (b & ~0xfffull) | (b & 0x40) | (t >> 4) % 64;
		break;
	case 1: /* all of a PASID */
		q[0] = 6 | 2u << 4 | (a & 0x000fffffffff0000ull);
		break;
	case 2: /* PASID-based device TLB */
		q[0] = 8 | (a & 0xfffffffffffff1f0ull);
		q[1] = (b & ~0x7feull);
		break;
	case 3: /* device TLB */
		q[0] = 3 | (a & 0xfff0ffff001ff000ull);
		q[1] = b & ~0xffeull;
		break;
	case 4: /* wait */
		q[0] = 5 | (a & 0xffffffff000000f0ull);
		q[1] = b & ~3ull;
		break;
	case 5: q[0] = 1 | (a & 0xfffffffffffff1f0ull); q[1] = b; break;
	case 6: q[0] = 2 | (a & 0xfffffffffffff1f0ull); q[1] = b; break;
	case 7: q[0] = 4 | (a & 0xfffffffffffff1f0ull); q[1] = b; break;
	case 8: q[0] = 7 | (a & 0xfffffffffffff1f0ull); q[1] = b; break;
	case 9: q[0] = 9 | (a & 0xfffffffffffff1f0ull); q[1] = b; break;
	case 10: /* raw */
		q[0] = a;
		q[1] = b;
		break;
	case 11: { /* a valid page-selective one with one bit flipped */
		uint8_t bit = fz_u8(in);

		q[0] = 6 | 3u << 4;
		q[1] = b & ~0xf80ull;
		q[(bit >> 6) & (wide ? 3 : 1)] ^= 1ull << (bit & 63);
		break;
	}
	}
}

/* ---- the run -------------------------------------------------------------- */

static void open_ctx(struct iommunest_ctx **ctx)
{
	static struct iommunest_ctx *c;
	static int fd = -1;

	if (!c) {
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd < 0 || iommunest_open_fd(fd, &c))
			bug("cannot open a context");
		m.map = mmap(NULL, 3 * PAGE, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m.map == MAP_FAILED ||
		    mprotect(m.map + PAGE, PAGE, PROT_READ | PROT_WRITE))
			bug("cannot map the guard pages");
	}
	m.fd = fd;
	fz_fake_fd(fd, vtd_ioctl);
	*ctx = c;
}

struct setup {
	uint32_t len, size, head, n, cap, flags;
	uint8_t *base;
};

/* Where the ring goes between the guards: its end or start at a guard,
 * or, for a window that does not wrap, its window's end or start. */
static uint8_t *place(const struct setup *s, uint8_t how)
{
	uint8_t *data = m.map + PAGE;
	bool wraps = s->head + s->n > s->size;

	switch (how % 4) {
	case 1:
		return data;
	case 2:
		if (!wraps)
			return data + PAGE - (size_t)(s->head + s->n) * s->len;
		break;
	case 3:
		if (!wraps)
			return data - (size_t)s->head * s->len;
		return data;
	}
	return data + PAGE - (size_t)s->size * s->len;
}

/* Write slot i (its bytes that lie in the data page). */
static void put_slot(const struct setup *s, uint32_t i, const uint64_t q[4])
{
	uint8_t *p = s->base + (size_t)i * s->len, *data = m.map + PAGE;
	uint64_t le[4];
	uint32_t j;

	if (p < data || p + s->len > data + PAGE)
		return; /* in a guard: the translator must never read it */
	for (j = 0; j < 4; j++)
		le[j] = htole64(q[j]);
	memcpy(p, le, s->len);
}

FZ_ORACLE static uint32_t fault_bit(int err)
{
	return err == -EINVAL || err == -EOPNOTSUPP ? IOMMUNEST_VTD_IQE
	       : err == -ETIMEDOUT ? IOMMUNEST_VTD_ITE
	       : err == -EIO ? IOMMUNEST_VTD_ICE : 0;
}

/* The result the window must give, and the entries it asks for. */
FZ_ORACLE static int oracle(const struct setup *s, const struct want *w,
			    struct iommunest_guest_queue_result *r,
			    struct ent *ents)
{
	uint32_t k, ne = 0, fail = UINT32_MAX;
	int err = 0;

	memset(r, 0, sizeof(*r));
	for (k = 0; k < s->n && w[k].k == K_ENTRY; k++) {
		ents[ne] = w[k].e;
		err = entry_err(&ents[ne]);
		ne++;
		if (err) {
			fail = k;
			break;
		}
	}
	if (fail != UINT32_MAX) {
		/* The translator fills whole batches: it produced up to the
		 * end of the failing entry's batch, or to the stop before. */
		uint32_t end = (fail / s->cap + 1) * s->cap, more = fail + 1;

		while (more < end && more < s->n && w[more].k == K_ENTRY) {
			ents[more] = w[more].e;
			more++;
		}
		r->entries = more;
		r->stop = IOMMUNEST_GQ_ERROR;
		r->consumed = fail;
		r->error = -err;
		r->guest_error = fault_bit(-err);
		r->stop_slot = (s->head + fail) % s->size;
		return r->guest_error ? 0 : -err;
	}
	r->entries = ne;
	r->consumed = k;
	r->stop_slot = (s->head + k) % s->size;
	if (k == s->n) {
		r->stop = IOMMUNEST_GQ_DONE;
	} else if (w[k].k == K_SYNC) {
		r->stop = IOMMUNEST_GQ_SYNC;
	} else if (w[k].k == K_VMM) {
		r->stop = IOMMUNEST_GQ_VMM;
		r->vmm_kind = w[k].vmm;
	} else {
		r->stop = IOMMUNEST_GQ_ERROR;
		r->guest_error = IOMMUNEST_VTD_IQE;
		r->error = -EINVAL;
	}
	return 0;
}

FZ_ORACLE static bool same_ent(const struct ent *a, const struct ent *b)
{
	return a->addr == b->addr && a->npages == b->npages &&
	       a->flags == b->flags;
}

FZ_ORACLE static void check(const struct setup *s, const struct want *w,
			    int rc, const struct iommunest_guest_queue_result *r)
{
	struct iommunest_guest_queue_result x;
	struct ent ents[SLOTS_MAX];
	unsigned int i, j;
	int xrc = oracle(s, w, &x, ents);

	if (rc != xrc || memcmp(r, &x, sizeof(x)))
		bug("rc %d (want %d) stop %u/%u slot %u/%u consumed %u/%u "
		    "kind %u/%u fault %#x/%#x errno %d/%d entries %u/%u", rc,
		    xrc, r->stop, x.stop, r->stop_slot, x.stop_slot,
		    r->consumed, x.consumed, r->vmm_kind, x.vmm_kind,
		    r->guest_error, x.guest_error, r->error, x.error,
		    r->entries, x.entries);
	/* Every entry the kernel saw is one the window asks for before the
	 * stop (a lone resubmission repeats one; CONTINUE goes past a
	 * failure), and each consumed descriptor's entry reached it. */
	for (i = 0; i < m.nsent; i++) {
		for (j = 0; j < x.entries; j++)
			if (same_ent(&m.sent[i], &ents[j]))
				break;
		if (j == x.entries)
			bug("entry %u sent (%#llx + %llu) is not asked for", i,
			    (unsigned long long)m.sent[i].addr,
			    (unsigned long long)m.sent[i].npages);
	}
	if (m.nsent < x.consumed)
		bug("%u entries sent for %u consumed", m.nsent, x.consumed);
}

int fuzz_guestq_vtd_one(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size, 0 };
	struct iommunest_ctx *ctx;
	struct iommunest_batch *b = NULL;
	struct iommunest_guest_queue_result r;
	struct want w[SLOTS_MAX];
	struct setup s;
	uint64_t q[4];
	uint8_t c0 = fz_u8(&in), how;
	uint32_t i;
	int rc;

	memset(&m.sent, 0, sizeof(m.sent));
	m.nsent = 0;
	open_ctx(&ctx);
	s.len = c0 & 1 ? 32 : 16;
	s.flags = (c0 & 2 ? IOMMUNEST_BATCH_AUTOFLUSH : 0) |
		  (c0 & 4 ? IOMMUNEST_BATCH_CONTINUE : 0);
	s.size = 1 + fz_u8(&in) % SLOTS_MAX;
	s.head = fz_u8(&in) % s.size;
	s.n = fz_u8(&in) % s.size;
	s.cap = 1 + fz_u8(&in) % CAP_MAX;
	m.salt = fz_u8(&in);
	how = fz_u8(&in);
	s.base = place(&s, how);
	/* Garbage everywhere, then the window's descriptors. */
	memset(m.map + PAGE, 0xa5 ^ how, PAGE);
	for (i = 0; i < s.n; i++) {
		make_desc(&in, q, s.len == 32);
		w[i] = expect(q, s.len == 32);
		put_slot(&s, (s.head + i) % s.size, q);
	}
	{
		struct iommunest_batch_config cfg = {
			.target_id = TARGET,
			.data_type = IOMMUNEST_INV_VTD_S1,
			.entry_len = sizeof(struct kabi_vtd_s1_invalidate),
			.capacity = s.cap,
			.flags = s.flags,
		};
		struct iommunest_guest_queue gq = {
			.base = s.base, .size = s.size, .slot_len = s.len,
			.head = s.head, .tail = (s.head + s.n) % s.size,
		};

		if (iommunest_batch_new(ctx, &cfg, &b))
			bug("batch_new");
		memset(&r, 0x5a, sizeof(r));
		rc = iommunest_vtd_queue_translate(b, &gq, &r);
		check(&s, w, rc, &r);
		iommunest_batch_free(b);
	}
	return 0;
}

#ifndef FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_guestq_vtd_one(data, size);
}
#endif
