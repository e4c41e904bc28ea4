/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Fuzz target: the invalidation batcher against a scripted kernel.
 *
 * The input makes a batch (entry type VT-d, SMMUv3, the mock IOMMU's or
 * an unknown raw type; capacity; max_per_call; STOP or CONTINUE;
 * AUTOFLUSH; a done callback or none), fills it with typed and raw
 * entries and with entries written in place after
 * iommunest_batch_reserve(), flushes, resets and probes it, and also
 * answers every
 * IOMMU_HWPT_INVALIDATE the library makes: success or an errno (ENOTTY,
 * a failure with errno 0, a positive return included), and an entry_num
 * out that fits, is 0, is the input count, is above it, or is a short
 * success.  The calls reach it through fuzz-ioctl.c's ioctl(), which
 * interposes on libc's for the library's single entry point.
 *
 * The oracle is iommunest_batch_flush(3) and the header comment of
 * lib/inval/batch.c.  Safety, checked on the results the library reports:
 * every entry has one result in {0, -errno, IOMMUNEST_INV_NOT_ATTEMPTED};
 * an entry is done only if a call covering it returned success with a
 * count covering it, or a fitting count (1..n-1) below a failure; an
 * entry failed only with the error of a call that named it (a fitting
 * count, or a lone entry; -EIO for a lone unconfirmed success); under
 * STOP the results are done up to the first failure and not attempted
 * after it, and no call is made after the call that found it; under
 * CONTINUE nothing is left not attempted; a flush makes at most
 * 2 * entries + chunks calls.  Contract,
 * checked exactly: each call's first entry and size (in order, chunks of
 * max_per_call, a lone resubmission after a count that does not fit), the
 * results, the return values of flush, add and reserve (index, ENOSPC,
 * ECANCELED, the entries' place),
 * count, result, first_failed and probe, the statistics, the done
 * callback (once per flush that submitted something, results readable
 * in it), and that refused calls change nothing and make no ioctl.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libiommunest/batch.h"
#include "abi.h"
#include "fuzz.h"

#define CAP_MAX 64
#define LEN_MAX 64
#define TARGET 0x2au
#define NA IOMMUNEST_INV_NOT_ATTEMPTED
#define MAX_OPS 2048
#define MAX_WHY 12	/* distinct errors remembered per entry: all there are */

#define CFG_CONTINUE	0x04
#define CFG_AUTOFLUSH	0x08
#define CFG_CALLBACK	0x10
#define CFG_BAD		0x20

enum phase { PH_NONE, PH_FLUSH, PH_PROBE };

static struct {
	struct iommunest_ctx *ctx;
	int fd;
	struct fz_in *in;
	struct iommunest_batch *b;
	struct iommunest_batch_config cfg;
	uint32_t len, cap, eff_max;
	bool cont, autoflush, callback;
	/* the model of the batch */
	uint8_t shadow[CAP_MAX * LEN_MAX];
	uint32_t count;
	bool flushed;
	int32_t res[CAP_MAX];
	int status;
	uint32_t seq;
	bool probe_known;
	int probe_rc;
	struct iommunest_batch_stats st;
	unsigned int callbacks;
	/* the flush or probe under way */
	enum phase phase;
	const char *op;
	unsigned long ops;
	uintptr_t base;
	bool base_known;
	uint32_t next;		/* first entry without a result */
	uint32_t limit;		/* calls stop short of it: a failure to */
	int32_t limit_rc;	/* settle once the entries before it are */
	bool lone;		/* the next call resubmits it alone */
	bool stopped;		/* STOP met a failure */
	unsigned int ncalls, bound, last_justified;
	bool may_done[CAP_MAX];
	int may_fail[CAP_MAX][MAX_WHY];
	uint8_t nmay_fail[CAP_MAX];
} m;

#define bug(...) fz_die("fuzz-batch", __VA_ARGS__)
#define op_bug(fmt, ...) bug("op %lu (%s): " fmt, m.ops, m.op, __VA_ARGS__)

/* ---- the scripted kernel ------------------------------------------------ */

/* What the input makes the kernel answer to one call of n entries. */
struct answer {
	int err;	/* errno of a failure, 0: success */
	bool fail;	/* return -1 */
	int ret;	/* on success: 0, or a positive value */
	uint32_t k;	/* entry_num out */
};

static const int errnos[] = {
	EINVAL, EOPNOTSUPP, ENOENT, EFAULT, ENOTTY, EIO, ENOMEM, ETIMEDOUT,
};

static struct answer decode_answer(uint32_t n)
{
	uint8_t a = fz_u8(m.in), kind = a & 15u, how = a >> 4;
	struct answer r = { 0, false, 0, n };

	if (kind >= 6 && kind < 14) {
		r.fail = true;
		r.err = errnos[kind - 6];
	} else if (kind == 14) {
		r.fail = true; /* errno 0: the library makes it EIO */
	} else if (kind == 15) {
		r.ret = 1;
	}
	if (how < 8) /* the kernel's way: all on success, an index else */
		r.k = r.fail ? (n ? fz_u8(m.in) % n : 0) : n;
	else if (how < 10)
		r.k = 0;
	else if (how < 12)
		r.k = n;
	else if (how == 12)
		r.k = n + 1 + fz_u8(m.in);
	else if (how == 13)
		r.k = n ? fz_u8(m.in) % n : 0;
	else if (how == 14)
		r.k = UINT32_MAX;
	else
		r.k = fz_u8(m.in);
	return r;
}

/* The library's view of an answer: 0 or -errno. */
static int lib_rc(const struct answer *r)
{
	if (!r->fail)
		return 0;
	if (r->err == ENOTTY)
		return -ENOSYS;
	return r->err ? -r->err : -EIO;
}

static void may_fail(uint32_t i, int rc)
{
	uint8_t j;

	/* Confirming calls can name one entry often: keep each error once. */
	for (j = 0; j < m.nmay_fail[i] && m.may_fail[i][j] != rc; j++)
		;
	if (j == m.nmay_fail[i] && j < MAX_WHY)
		m.may_fail[i][m.nmay_fail[i]++] = rc;
	m.last_justified = m.ncalls;
}

/* Counts of VT-d stage 1 and the mock are exact; of SMMUv3 (blocks of 63)
 * and of types the library does not know, a failure's count proves
 * nothing before it (iommunest_batch_flush(3)). */
static bool count_exact(void)
{
	return m.cfg.data_type == IOMMUNEST_INV_VTD_S1 ||
	       m.cfg.data_type == IOMMUNEST_INV_SELFTEST;
}

/* What the call (start, n) with answer (rc, k) lets the library say. */
FZ_ORACLE static void justify(uint32_t start, uint32_t n, int rc, uint32_t k)
{
	uint32_t i, upto = 0;

	if (!rc && k <= n)
		upto = k; /* all, or a short success */
	else if (rc && k && k < n && count_exact())
		upto = k; /* a fitting count below the failure */
	for (i = 0; i < upto; i++)
		m.may_done[start + i] = true;
	if (rc && k && k < n)
		may_fail(start + k, rc);
	else if (n == 1 && rc)
		may_fail(start, rc); /* a lone entry: its own answer */
	if (n == 1 && !rc && k != 1)
		may_fail(start, -EIO);
}

static void mark(uint32_t first, uint32_t n, int32_t r)
{
	uint32_t i;

	for (i = first; i < first + n; i++)
		m.res[i] = r;
}

/* iommunest_batch_flush(3), "What the kernel's count is trusted with". */
static void apply(uint32_t n, int rc, uint32_t k)
{
	int32_t r;

	if (m.lone || n == 1) {
		/* A lone entry, resubmitted or the call's only one. */
		r = rc ? rc : k == 1 ? 0 : -EIO;
		mark(m.next++, 1, r);
		m.lone = false;
		m.stopped = r < 0 && !m.cont;
	} else if (!rc && k == n) {
		mark(m.next, n, 0);
		m.next += n;
	} else if (k < n && k && rc && !count_exact()) {
		/* Confirm the entries before the failure first; if the
		 * confirming call fails too, one by one. */
		m.st.retries++;
		if (m.limit < m.count) {
			m.lone = true;
		} else {
			m.limit = m.next + k;
			m.limit_rc = rc;
		}
	} else if (k < n && (k || !rc)) {
		/* An error with count 0 may be "before any entry". */
		mark(m.next, k, 0);
		m.next += k;
		if (!rc) {
			m.lone = true;
			m.st.retries++;
			return;
		}
		mark(m.next++, 1, rc);
		m.stopped = !m.cont;
	} else {
		m.lone = true;
		m.st.retries++;
	}
	if (m.next == m.limit && m.limit < m.count && !m.stopped) {
		/* Confirmed: now the failure the count named. */
		mark(m.next++, 1, m.limit_rc);
		m.limit = m.count;
		m.stopped = !m.cont;
		m.last_justified = m.ncalls;
	}
}

static int invalidate(struct kabi_hwpt_invalidate *cmd)
{
	uint32_t n = cmd->entry_num, start, want_n;
	struct answer a;
	uintptr_t p;
	int rc;

	if (cmd->size != sizeof(*cmd) || cmd->hwpt_id != TARGET ||
	    cmd->data_type != m.cfg.data_type || cmd->entry_len != m.len ||
	    cmd->reserved)
		op_bug("invalidate with size %u target %u type %#x len %u "
		       "reserved %u", cmd->size, cmd->hwpt_id, cmd->data_type,
		       cmd->entry_len, cmd->reserved);
	m.st.ioctls++;
	m.ncalls++;
	if (m.phase == PH_PROBE) {
		if (n || m.ncalls > 1)
			op_bug("probe call %u with %u entries", m.ncalls, n);
		a = decode_answer(0);
		cmd->entry_num = a.k;
		goto answer;
	}
	if (m.phase != PH_FLUSH)
		op_bug("an invalidate of %u entries outside a flush", n);
	if (m.ncalls > m.bound)
		op_bug("call %u of a flush of %u entries in chunks of %u: more "
		       "than 2 * entries + chunks", m.ncalls, m.count,
		       m.eff_max);
	if (m.next >= m.count || m.stopped)
		op_bug("call %u after the flush should have ended (entry %u of "
		       "%u, %s)", m.ncalls, m.next, m.count,
		       m.stopped ? "stopped" : "all answered");
	p = (uintptr_t)cmd->data_uptr;
	if (!m.base_known) { /* the batch's array, fixed from now on */
		m.base = p;
		m.base_known = true;
	}
	if (p < m.base || (p - m.base) % m.len)
		op_bug("call %u: entries at %#lx, not in the array at %#lx",
		       m.ncalls, (unsigned long)p, (unsigned long)m.base);
	start = (uint32_t)((p - m.base) / m.len);
	if (!n || start >= m.count || n > m.count - start)
		op_bug("call %u: entries [%u, +%u) of %u", m.ncalls, start, n,
		       m.count);
	if (memcmp((const void *)p, m.shadow + (size_t)start * m.len,
		   (size_t)n * m.len))
		op_bug("call %u: entries [%u, +%u) are not those added",
		       m.ncalls, start, n);
	/* In order, in chunks, lone after a count that does not fit. */
	want_n = m.lone ? 1 : m.limit - m.next;
	if (want_n > m.eff_max)
		want_n = m.eff_max;
	if (start != m.next || n != want_n)
		op_bug("call %u: entries [%u, +%u), the man page says [%u, +%u)"
		       " (%s)", m.ncalls, start, n, m.next, want_n,
		       m.lone ? "lone resubmission" : "chunk");
	a = decode_answer(n);
	cmd->entry_num = a.k;
	rc = lib_rc(&a);
	justify(start, n, rc, a.k);
	apply(n, rc, a.k);
answer:
	if (a.fail) {
		errno = a.err;
		return -1;
	}
	return a.ret;
}

/* This target's fake kernel (fuzz-ioctl.c's ioctl() calls it). */
static int batch_ioctl(int fd, unsigned long req, void *arg)
{
	if (fd != m.fd || m.fd < 0) /* not ours: the real thing */
		return (int)syscall(SYS_ioctl, fd, req, arg);
	if (req != KABI_IOMMU_HWPT_INVALIDATE)
		op_bug("ioctl %#lx", req);
	return invalidate(arg);
}

/* ---- the model's flushes ------------------------------------------------ */

FZ_ORACLE static void flush_begin(void)
{
	uint32_t i;

	m.phase = PH_FLUSH;
	m.next = m.ncalls = m.last_justified = 0;
	m.limit = m.count;
	m.lone = m.stopped = false;
	/* at most one call per chunk plus one lone call per entry */
	m.bound = 2 * m.count + (m.count + m.eff_max - 1) / m.eff_max;
	for (i = 0; i < m.count; i++) {
		m.res[i] = NA;
		m.may_done[i] = false;
		m.nmay_fail[i] = 0;
	}
	m.st.flushes++;
}

FZ_ORACLE static void flush_end(void)
{
	uint32_t i;

	if (m.phase != PH_FLUSH)
		return;
	m.phase = PH_NONE;
	if (m.next < m.count && !m.stopped)
		op_bug("the flush ended after %u calls with entry %u of %u not "
		       "answered", m.ncalls, m.next, m.count);
	if (m.stopped && m.last_justified != m.ncalls)
		op_bug("STOP: call %u found the failure, but %u calls were "
		       "made", m.last_justified, m.ncalls);
	m.status = 0;
	for (i = 0; i < m.count; i++) {
		if (m.res[i] == 0)
			m.st.done++;
		else if (m.res[i] < 0)
			m.st.failed++;
		if (m.res[i] < 0 && !m.status)
			m.status = m.res[i];
	}
	m.flushed = true;
}

/* The results the library reports: safe first, then exactly the model. */
FZ_ORACLE static void check_results(const char *where)
{
	int r, first = -1, ff;
	uint32_t i, j;

	for (i = 0; i < m.count; i++) {
		r = iommunest_batch_result(m.b, i);
		if (r != 0 && r != NA && (r >= 0 || r < -4095))
			op_bug("%s: entry %u has result %d", where, i, r);
		if (!r && !m.may_done[i])
			op_bug("%s: entry %u reported done, but no call "
			       "confirmed it", where, i);
		if (r < 0) {
			for (j = 0; j < m.nmay_fail[i]; j++)
				if (m.may_fail[i][j] == r)
					break;
			if (j == m.nmay_fail[i])
				op_bug("%s: entry %u failed with %d, which no "
				       "answer about it gave", where, i, r);
			if (first < 0)
				first = (int)i;
		}
		if (r == NA && m.cont)
			op_bug("%s: CONTINUE left entry %u not attempted",
			       where, i);
		if (!m.cont && first < 0 && r == NA)
			op_bug("%s: STOP: entry %u not attempted before any "
			       "failure", where, i);
		if (!m.cont && first >= 0 && (int)i > first && r != NA)
			op_bug("%s: STOP: entry %u has result %d after the "
			       "failure of entry %d", where, i, r, first);
		if (r != m.res[i])
			op_bug("%s: entry %u has result %d, the man page says "
			       "%d", where, i, r, m.res[i]);
	}
	ff = iommunest_batch_first_failed(m.b);
	if (ff != (first < 0 ? -ENOENT : first))
		op_bug("%s: first_failed %d, want %d", where, ff, first);
	if (iommunest_batch_result(m.b, m.count) != -EINVAL ||
	    iommunest_batch_result(m.b, UINT32_MAX) != -EINVAL)
		op_bug("%s: a result past the count", where);
}

FZ_ORACLE static void check_stats(void)
{
	struct iommunest_batch_stats s;
	int rc = iommunest_batch_stats(m.b, &s);

	if (rc || memcmp(&s, &m.st, sizeof(s)))
		op_bug("stats (rc %d): %llu flushes %llu ioctls %llu done %llu "
		       "failed %llu retries; want %llu %llu %llu %llu %llu", rc,
		       (unsigned long long)s.flushes,
		       (unsigned long long)s.ioctls,
		       (unsigned long long)s.done,
		       (unsigned long long)s.failed,
		       (unsigned long long)s.retries,
		       (unsigned long long)m.st.flushes,
		       (unsigned long long)m.st.ioctls,
		       (unsigned long long)m.st.done,
		       (unsigned long long)m.st.failed,
		       (unsigned long long)m.st.retries);
}

/* After every operation: what can be read agrees with the model. */
static void check_state(void)
{
	int c = iommunest_batch_count(m.b);

	if (c != (int)m.count)
		op_bug("count %d, want %u", c, m.count);
	if (m.flushed) {
		check_results("after");
	} else if (iommunest_batch_result(m.b, 0) != -EINVAL ||
		   iommunest_batch_first_failed(m.b) != -EINVAL) {
		op_bug("results readable before a flush (%d, %d)",
		       iommunest_batch_result(m.b, 0),
		       iommunest_batch_first_failed(m.b));
	}
	check_stats();
}

static void done_cb(void *opaque, struct iommunest_batch *b)
{
	if (opaque != &m || b != m.b)
		op_bug("callback with %p, %p", opaque, (void *)b);
	if (m.phase != PH_FLUSH)
		op_bug("callback outside a flush%s", "");
	flush_end();
	m.callbacks++;
	if (iommunest_batch_count(b) != (int)m.count)
		op_bug("callback: count %d, want %u", iommunest_batch_count(b),
		       m.count);
	check_results("in the callback");
	check_stats();
}

/* ---- operations --------------------------------------------------------- */

/* Before adding n entries: the index they get, or -ENOSPC; with
 * AUTOFLUSH a batch without room is flushed first (*flushing). */
static int room_for(uint32_t n, bool *flushing)
{
	*flushing = false;
	if (m.flushed) { /* the next add starts a new batch */
		m.count = 0;
		m.flushed = false;
	}
	if (m.count + n <= m.cap)
		return (int)m.count;
	if (!m.autoflush)
		return -ENOSPC;
	*flushing = true;
	flush_begin();
	return 0;
}

/* After the call: what it should have returned. */
static int after_room(int want, bool flushing, unsigned int cb)
{
	if (!flushing)
		return want;
	flush_end();
	if (m.callback && m.callbacks != cb + 1)
		op_bug("autoflush ran the callback %u times", m.callbacks - cb);
	if (m.status && !m.cont)
		return -ECANCELED; /* results stay readable */
	m.count = 0;
	m.flushed = false;
	return 0;
}

/* Add one entry (its bytes in e) with the call given. */
static void add_entry(const uint8_t *e, int (*call)(const void *))
{
	unsigned int cb = m.callbacks;
	bool flushing;
	int want, rc;

	want = room_for(1, &flushing);
	rc = call(e);
	want = after_room(want, flushing, cb);
	if (rc != want)
		op_bug("add returned %d, want %d", rc, want);
	if (rc >= 0) {
		memcpy(m.shadow + (size_t)m.count * m.len, e, m.len);
		m.count++;
	}
}

/* Each add function, called with the entry it should produce. */
static int call_raw(const void *e)
{
	return iommunest_batch_add_raw(m.b, e);
}

static int call_vtd(const void *e)
{
	const struct kabi_vtd_s1_invalidate *v = e;

	return iommunest_batch_add_vtd(m.b, v->addr, v->npages,
				       v->flags & KABI_VTD_INV_FLAGS_LEAF);
}

static int call_vtd_all(const void *e)
{
	(void)e;
	return iommunest_batch_add_vtd_all(m.b);
}

static int call_smmuv3(const void *e)
{
	const struct kabi_smmuv3_invalidate *s = e;
	uint64_t cmd[2] = { le64toh(s->cmd[0]), le64toh(s->cmd[1]) };

	return iommunest_batch_add_smmuv3(m.b, cmd);
}

static int call_selftest(const void *e)
{
	const struct kabi_selftest_invalidate *s = e;

	return iommunest_batch_add_selftest(m.b, s->iotlb_id, s->flags);
}

/* Raw bytes, made distinct by a running number in the first bytes. */
static void raw_bytes(uint8_t *e)
{
	uint32_t i, seq = ++m.seq;

	for (i = 0; i < m.len; i++)
		e[i] = fz_u8(m.in);
	for (i = 0; i < m.len && i < 4; i++)
		e[i] ^= (uint8_t)(seq >> (8 * i));
}

/* Where entry idx must live: the array the kernel is handed too. */
static void check_place(const void *p, int idx)
{
	uintptr_t at = (uintptr_t)p - (uintptr_t)idx * m.len;

	if (!p)
		op_bug("reserve gave NULL for index %d", idx);
	if (!m.base_known) {
		m.base = at;
		m.base_known = true;
	} else if (at != m.base) {
		op_bug("reserve gave %p for index %d; the array is at %#lx", p,
		       idx, (unsigned long)m.base);
	}
}

/* Reserve n entries and write them in place, as a VMM decoding a guest
 * queue would. */
static void op_reserve(uint8_t sel)
{
	unsigned int cb = m.callbacks;
	uint32_t n = 1 + fz_u8(m.in) % m.cap, i;
	void *p = NULL;
	bool flushing;
	int want, rc;

	m.op = "reserve";
	if (sel & 0x40) { /* refused: no room asked, more than it holds */
		rc = iommunest_batch_reserve(m.b, sel & 0x20 ? 0 : m.cap + n,
					     &p);
		if (rc == -EINVAL)
			rc = iommunest_batch_reserve(m.b, n, NULL);
		if (rc == -EINVAL)
			rc = iommunest_batch_reserve(NULL, n, &p);
		if (rc != -EINVAL || p)
			op_bug("refused reserve returned %d, wrote %p", rc, p);
		return;
	}
	want = room_for(n, &flushing);
	rc = iommunest_batch_reserve(m.b, n, &p);
	want = after_room(want, flushing, cb);
	if (rc != want)
		op_bug("reserve of %u returned %d, want %d", n, rc, want);
	if (rc < 0)
		return;
	check_place(p, rc);
	for (i = 0; i < n; i++)
		raw_bytes(m.shadow + (size_t)(m.count + i) * m.len);
	memcpy(p, m.shadow + (size_t)m.count * m.len, (size_t)n * m.len);
	m.count += n;
}

static void op_add(uint8_t sel)
{
	union {
		uint8_t raw[LEN_MAX];
		struct kabi_vtd_s1_invalidate vtd;
		struct kabi_smmuv3_invalidate smmu;
		struct kabi_selftest_invalidate st;
	} e;

	memset(&e, 0, sizeof(e));
	m.op = "add";
	if (sel & 8) {
		raw_bytes(e.raw);
		add_entry(e.raw, call_raw);
		return;
	}
	switch (m.cfg.data_type) {
	case IOMMUNEST_INV_VTD_S1:
		if ((sel & 0x30) == 0x30) {
			e.vtd.npages = UINT64_MAX; /* everything */
			add_entry(e.raw, call_vtd_all);
			break;
		}
		if ((sel & 0x30) == 0x20) { /* up to 2^64 exactly */
			e.vtd.npages = 1 + (uint64_t)fz_u8(m.in);
			e.vtd.addr = 0 - e.vtd.npages * 4096;
			add_entry(e.raw, call_vtd);
			break;
		}
		e.vtd.addr = (uint64_t)fz_u16(m.in) << 12;
		e.vtd.npages = sel & 0x80 ? 1 + (uint64_t)fz_u32(m.in)
					 : 1 + (uint64_t)fz_u8(m.in);
		e.vtd.flags = sel & 0x40 ? KABI_VTD_INV_FLAGS_LEAF : 0;
		add_entry(e.raw, call_vtd);
		break;
	case IOMMUNEST_INV_ARM_SMMUV3:
		e.smmu.cmd[0] = htole64(fz_u64(m.in));
		e.smmu.cmd[1] = htole64(fz_u64(m.in) ^ ++m.seq);
		add_entry(e.raw, call_smmuv3);
		break;
	case IOMMUNEST_INV_SELFTEST:
		e.st.iotlb_id = fz_u8(m.in) % 5u + (++m.seq << 8);
		e.st.flags = sel & 0x40 ? fz_u8(m.in) : sel >> 7;
		add_entry(e.raw, call_selftest);
		break;
	default:
		raw_bytes(e.raw);
		add_entry(e.raw, call_raw);
		break;
	}
}

static void op_flush(void)
{
	unsigned int cb = m.callbacks;
	int rc, want;

	m.op = "flush";
	if (m.flushed || !m.count) {
		want = m.flushed ? m.status : 0; /* nothing new */
		rc = iommunest_batch_flush(m.b);
		if (m.callbacks != cb)
			op_bug("a flush with nothing new ran the callback%s",
			       "");
	} else {
		flush_begin();
		rc = iommunest_batch_flush(m.b);
		flush_end();
		want = m.status;
		if (m.callbacks != cb + (m.callback ? 1u : 0u))
			op_bug("the callback ran %u times", m.callbacks - cb);
	}
	if (rc != want)
		op_bug("flush returned %d, want %d", rc, want);
}

static bool lasting(int rc)
{
	return rc == 0 || rc == -EINVAL || rc == -EOPNOTSUPP ||
	       rc == -ENOENT || rc == -ENOSYS;
}

static void op_probe(void)
{
	int rc;

	m.op = "probe";
	m.phase = PH_PROBE;
	m.ncalls = 0;
	rc = iommunest_batch_probe(m.b);
	m.phase = PH_NONE;
	if (m.probe_known && (m.ncalls || rc != m.probe_rc))
		op_bug("remembered probe: %u calls, rc %d, want %d", m.ncalls,
		       rc, m.probe_rc);
	if (!m.probe_known && m.ncalls != 1)
		op_bug("probe made %u calls", m.ncalls);
	if (!m.probe_known && lasting(rc)) {
		m.probe_known = true;
		m.probe_rc = rc;
	}
}

/* Calls that must be refused, changing nothing, with no ioctl. */
static void op_refused(uint8_t sel)
{
	struct iommunest_batch_stats s;
	uint64_t cmd[2] = { 1, 2 };
	uint8_t raw[LEN_MAX] = { 0 };
	int rc = -EINVAL, r;

	m.op = "refused";
	switch (sel % 8) {
	case 0: /* a typed add of another type */
		if (m.cfg.data_type != IOMMUNEST_INV_VTD_S1)
			rc = iommunest_batch_add_vtd(m.b, 0x1000, 1, false);
		if (rc == -EINVAL &&
		    m.cfg.data_type != IOMMUNEST_INV_ARM_SMMUV3)
			rc = iommunest_batch_add_smmuv3(m.b, cmd);
		if (rc == -EINVAL && m.cfg.data_type != IOMMUNEST_INV_SELFTEST)
			rc = iommunest_batch_add_selftest(m.b, 1, 0);
		break;
	case 1: /* malformed VT-d entries */
		rc = iommunest_batch_add_vtd(m.b, 0x1000 + 1 + sel, 1, false);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_vtd(m.b, 0x1000, 0, true);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_vtd(m.b, 0x1000u << (sel & 7),
						     UINT64_MAX, false);
		if (rc == -EINVAL) /* one page past 2^64 */
			rc = iommunest_batch_add_vtd(m.b,
						     0 - 4096ull * (1 + sel),
						     2 + sel, false);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_vtd(m.b, 0, UINT64_MAX - 1,
						     false);
		break;
	case 2:
		rc = iommunest_batch_add_raw(m.b, NULL);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_smmuv3(m.b, NULL);
		break;
	case 3: /* no batch */
		rc = iommunest_batch_add_raw(NULL, raw);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_vtd(NULL, 0, 1, false);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_vtd_all(NULL);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_smmuv3(NULL, cmd);
		if (rc == -EINVAL)
			rc = iommunest_batch_add_selftest(NULL, 0, 0);
		if (rc == -EINVAL)
			rc = iommunest_batch_flush(NULL);
		break;
	case 4:
		rc = iommunest_batch_count(NULL);
		if (rc == -EINVAL)
			rc = iommunest_batch_result(NULL, 0);
		if (rc == -EINVAL)
			rc = iommunest_batch_first_failed(NULL);
		if (rc == -EINVAL)
			rc = iommunest_batch_reset(NULL);
		if (rc == -EINVAL)
			rc = iommunest_batch_probe(NULL);
		if (rc == -EINVAL)
			rc = iommunest_batch_stats(NULL, &s);
		if (rc == -EINVAL)
			rc = iommunest_batch_stats(m.b, NULL);
		iommunest_batch_free(NULL);
		break;
	default: /* results past the count */
		r = iommunest_batch_result(m.b, m.count + sel);
		rc = r == -EINVAL ? iommunest_batch_result(m.b, m.cap) : r;
		break;
	}
	if (rc != -EINVAL)
		op_bug("returned %d, want -EINVAL", rc);
}

/* ---- configuration ------------------------------------------------------ */

static const uint32_t types[3] = {
	IOMMUNEST_INV_VTD_S1, IOMMUNEST_INV_ARM_SMMUV3, IOMMUNEST_INV_SELFTEST,
};
static const uint32_t type_len[3] = {
	sizeof(struct kabi_vtd_s1_invalidate),
	sizeof(struct kabi_smmuv3_invalidate),
	sizeof(struct kabi_selftest_invalidate),
};

/* Configurations batch_new must refuse, with no ioctl. */
static void bad_configs(const struct iommunest_batch_config *good)
{
	struct iommunest_batch_config c;
	struct iommunest_batch *b = NULL;
	unsigned int i;
	int rc;

	m.op = "batch_new";
	for (i = 0; i < 7; i++) {
		c = *good;
		switch (i) {
		case 0:
			c.capacity = 0;
			break;
		case 1:
			c.entry_len = 0;
			break;
		case 2:
			c.flags |= 1u << (2 + (good->capacity % 30));
			break;
		case 3: /* a known type with another size */
			c.data_type = types[good->capacity % 3];
			c.entry_len = type_len[good->capacity % 3] + 8;
			break;
		case 4: /* more than the address space can hold */
			c.capacity = UINT32_MAX;
			c.entry_len = UINT32_MAX;
			break;
		default:
			break;
		}
		if (i == 5)
			rc = iommunest_batch_new(NULL, &c, &b);
		else if (i == 6)
			rc = iommunest_batch_new(m.ctx, NULL, &b) == -EINVAL
				? iommunest_batch_new(m.ctx, &c, NULL) : 0;
		else
			rc = iommunest_batch_new(m.ctx, &c, &b);
		if (rc != -EINVAL || b)
			op_bug("bad configuration %u: %d", i, rc);
	}
}

static void setup(void)
{
	uint8_t c0 = fz_u8(m.in), c1 = fz_u8(m.in), c2 = fz_u8(m.in);
	struct iommunest_batch_config cfg = { .target_id = TARGET };
	int rc;

	if (c0 & 3u) {
		cfg.data_type = types[(c0 & 3u) - 1];
		cfg.entry_len = type_len[(c0 & 3u) - 1];
	} else { /* a type the library does not know: any size */
		cfg.data_type = 0x100u + fz_u8(m.in);
		cfg.entry_len = 1u + fz_u8(m.in) % LEN_MAX;
	}
	cfg.capacity = 1u + (c1 & 63u);
	switch (c0 >> 6) {
	case 0:
		cfg.max_per_call = 0; /* the kernel's cap */
		break;
	case 1:
		cfg.max_per_call = 1u + c2 % 8u;
		break;
	case 2:
		cfg.max_per_call = 1u + c2;
		break;
	default: /* at or above the kernel's cap */
		cfg.max_per_call = KABI_INVALIDATE_ENTRY_NUM_MAX + c2;
		break;
	}
	if (c0 & CFG_CONTINUE)
		cfg.flags |= IOMMUNEST_BATCH_CONTINUE;
	if (c0 & CFG_AUTOFLUSH)
		cfg.flags |= IOMMUNEST_BATCH_AUTOFLUSH;
	if (c0 & CFG_CALLBACK) {
		cfg.done = done_cb;
		cfg.opaque = &m;
	}
	if (c0 & CFG_BAD)
		bad_configs(&cfg);
	m.op = "batch_new";
	rc = iommunest_batch_new(m.ctx, &cfg, &m.b);
	if (rc)
		op_bug("batch_new: %d", rc);
	m.cfg = cfg;
	m.len = cfg.entry_len;
	m.cap = cfg.capacity;
	m.eff_max = cfg.max_per_call;
	if (!m.eff_max || m.eff_max > KABI_INVALIDATE_ENTRY_NUM_MAX)
		m.eff_max = KABI_INVALIDATE_ENTRY_NUM_MAX;
	m.cont = c0 & CFG_CONTINUE;
	m.autoflush = c0 & CFG_AUTOFLUSH;
	m.callback = c0 & CFG_CALLBACK;
}

/* One context for the whole run, on a real fd (/dev/null) so that the
 * library's fd checks pass; the fake answers its ioctls. */
static void open_ctx(void)
{
	static struct iommunest_ctx *ctx;
	static int fd = -1;
	int rc;

	if (!ctx) {
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			bug("open /dev/null: %d", errno);
		fz_fake_fd(fd, batch_ioctl);
		rc = iommunest_open_fd(fd, &ctx);
		if (rc)
			bug("open_fd: %d", rc);
	}
	m.ctx = ctx;
	m.fd = fd;
}

int fuzz_batch_one(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size, 0 };
	uint8_t op;

	memset(&m, 0, sizeof(m));
	m.fd = -1;
	m.in = &in;
	open_ctx();
	setup();
	while (fz_more(&in) && m.ops++ < MAX_OPS) {
		op = fz_u8(&in);
		switch (op & 7u) {
		case 0:
		case 1:
		case 2:
			op_add(op);
			break;
		case 3:
			op_flush();
			break;
		case 4:
			m.op = "reset";
			if (iommunest_batch_reset(m.b))
				op_bug("reset failed%s", "");
			m.count = 0;
			m.flushed = false;
			break;
		case 5:
			op_probe();
			break;
		case 6:
			if (op & 0x80)
				op_reserve(op);
			else
				op_refused(op >> 3);
			break;
		default: /* flush twice: the second submits nothing */
			op_flush();
			op_flush();
			break;
		}
		check_state();
	}
	iommunest_batch_free(m.b);
	m.b = NULL;
	m.fd = -1;
	return 0;
}

#ifndef FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_batch_one(data, size);
}
#endif
