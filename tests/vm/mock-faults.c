/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, mock profile: kernel fault injection (hardening tier).
 *
 * With the calling thread's fail-nth set to n, the n-th fault point the
 * thread passes in the kernel fails: slab allocations (failslab, with
 * ignore-gfp-wait off), page allocations of order >= 1 (fail_page_alloc)
 * and iommufd's own points (fail_iommufd: object lookup, pinning, the mock
 * domain's map, ...).  For n = 1, 2, ... each scenario is built from
 * nothing (a fresh /dev/iommu, IOAS and mock device), the operation under
 * test runs with fail-nth armed, and then, disarmed, the library's answer
 * is held against what the kernel shows:
 *
 *  - the return is 0 or a plausible -errno, and no error without a fault;
 *  - the tracker's guarantee: after a switch A -> B the device holds
 *    exactly B, or it is blocked with nothing of A or B (check-map); and
 *    switching on afterwards still works, so its records match the IOAS;
 *  - the batch's per-entry results agree with the mock IOTLB (check-IOTLB);
 *  - the nested switch leaves the device on the old or on the new HWPT,
 *    whichever the library reports;
 *  - every object the library reported destroys, no other object is left
 *    (a sweep of the small IDs a fresh context hands out), the fd closes,
 *    and the kernel logged no WARN, BUG or Oops.
 *
 * A scenario's sweep ends at the first n whose fault never fired: the
 * operation ran past all of its fault points.  NTH_MAX bounds it.
 * fail-nth takes precedence over the debugfs probability, which stays 0,
 * so nothing outside this thread's armed window is affected.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vmtest.h"
#include "libiommunest/batch.h"
#include "libiommunest/tracker.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PG 4096ull
#define RAM_GPA MOCK_APERTURE_START
#define RAM_PAGES 32ull
#define RW (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define DOM_A 1u
#define DOM_B 2u
#define DEV 10u
#define IOVA_A (MOCK_APERTURE_START + 0x1000000ull)
#define IOVA_B (MOCK_APERTURE_START + 0x2000000ull)

#define NTH_MAX 2000    /* a sweep that gets here is a failure */
#define ID_SWEEP 64     /* a fresh context hands out far fewer IDs */
#ifndef DETAILS_MAX
#define DETAILS_MAX 10  /* detail lines printed per scenario */
#endif
#define ERRNO_KINDS 16

#define NA IOMMUNEST_INV_NOT_ATTEMPTED
#define NENT 4
#define BAD_SLOT MOCK_IOTLB_NUM /* one past the IOTLB: the kernel's EINVAL */

#define DBGFS "/sys/kernel/debug/"

/* Build with -DMOCK_FAULTS_TRACE=1 for one line per n. */
#ifndef MOCK_FAULTS_TRACE
#define MOCK_FAULTS_TRACE 0
#endif

static uint8_t *ram; /* guest RAM: RAM_PAGES pages at RAM_GPA */
static int nth_fd = -1;
static unsigned int klog_seen; /* WARN/BUG/Oops lines already counted */

/* ---- fault injection control ---------------------------------------- */

struct knob {
	const char *path;
	const char *value;
	char saved[32];
	bool changed;
};

#define KNOB(file, val) { .path = DBGFS file, .value = val }

/* As the kernel's own iommufd fail-nth selftest sets it up: any
 * allocation may fail, and injected failures are not logged. */
static struct knob knobs[] = {
	KNOB("failslab/ignore-gfp-wait", "N"),
	KNOB("fail_page_alloc/ignore-gfp-wait", "N"),
	KNOB("fail_page_alloc/ignore-gfp-highmem", "N"),
	KNOB("failslab/verbose", "0"),
	KNOB("fail_page_alloc/verbose", "0"),
	KNOB("fail_iommufd/verbose", "0"),
	/* fail-nth needs none of these; 0 leaves everything else alone. */
	KNOB("failslab/probability", "0"),
	KNOB("fail_page_alloc/probability", "0"),
	KNOB("fail_iommufd/probability", "0"),
};

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_text(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static int knobs_set(void)
{
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		rc = read_text(knobs[i].path, knobs[i].saved,
			       sizeof(knobs[i].saved));
		if (!rc)
			rc = write_text(knobs[i].path, knobs[i].value);
		if (rc) {
			printf("# %s: %s\n", knobs[i].path, strerror(-rc));
			return rc;
		}
		knobs[i].changed = true;
	}
	return 0;
}

static void knobs_restore(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (knobs[i].changed)
			write_text(knobs[i].path, knobs[i].saved);
}

static int nth_open(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
		 (long)syscall(SYS_gettid));
	nth_fd = open(path, O_RDWR | O_CLOEXEC);
	return nth_fd < 0 ? -errno : 0;
}

/* From here on, the n-th fault point this thread passes fails. */
static int nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(nth_fd, buf, (size_t)len, 0) == len ? 0 : -EIO;
}

/* The fault points still to pass before the armed one; 0 once it fired
 * (the kernel counts down and stops at 0). */
static unsigned int nth_left(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		return 1;
	return (unsigned int)strtoul(buf, NULL, 10);
}

/* Disarm; returns nth_left() from just before. */
static unsigned int nth_disarm(void)
{
	unsigned int left = nth_left();

	if (pwrite(nth_fd, "0", 1, 0) != 1)
		printf("# disarming fail-nth failed: %s\n", strerror(errno));
	return left;
}

/* Lines in the kernel log (since the harness last cleared it) that a
 * kernel bug prints. */
static unsigned int klog_problems(void)
{
	static const char *const bad[] = { "WARNING:", "BUG:", "Oops",
					   "refcount_t:" };
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *line, *save = NULL;
	unsigned int count = 0;
	size_t i;
	int n;

	if (size <= 0)
		return 0;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return 0;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			if (strstr(line, bad[i])) {
				count++;
				break;
			}
		}
	}
	free(buf);
	return count;
}

/*
 * Keep the C library out of the kernel inside an armed window: a heap
 * grown and touched once and never trimmed serves every later malloc(),
 * so the faults land in the library's own ioctls, the same ones each time.
 */
static void prewarm(void)
{
	size_t len = 16u << 20;
	char *p;

	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	p = malloc(len);
	if (p) {
		memset(p, 1, len);
		free(p);
	}
}

/* ---- sweep bookkeeping ---------------------------------------------- */

enum check { CK_RC, CK_STATE, CK_CLEANUP, CK_KLOG, CK_SETUP, NCHECK };

struct sweep {
	const char *name;
	unsigned int n;         /* current n */
	unsigned int tried;     /* n values run */
	unsigned int fired;     /* ... in which the fault fired */
	unsigned int errors;    /* ... and the operation failed */
	unsigned int absorbed;  /* ... and it succeeded all the same */
	unsigned int clean_n;   /* first n whose fault never fired */
	unsigned int bad[NCHECK];
	unsigned int details;
	int errnos[ERRNO_KINDS];
	unsigned int errno_count[ERRNO_KINDS];
};

/* A failed check: counted, and the first few are printed. */
__attribute__((format(printf, 3, 4)))
static void note(struct sweep *s, enum check ck, const char *fmt, ...)
{
	va_list ap;

	s->bad[ck]++;
	if (s->details++ >= DETAILS_MAX)
		return;
	printf("# %s n=%u: ", s->name, s->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void tally(struct sweep *s, int rc)
{
	int i;

	for (i = 0; i < ERRNO_KINDS; i++) {
		if (s->errnos[i] == rc || !s->errnos[i]) {
			s->errnos[i] = rc;
			s->errno_count[i]++;
			return;
		}
	}
}

/* What an injected fault can come back as: allocation failures, and
 * iommufd's fault points (object lookup: ENOENT, or EINVAL for a HWPT's
 * parent; pinning: EFAULT; the mock domain's map: ENOENT). */
static bool plausible(int rc)
{
	switch (-rc) {
	case ENOMEM:
	case ENOENT:
	case EINVAL:
	case EFAULT:
	case ENOSPC:
		return true;
	}
	return false;
}

static const char *errno_name(int rc)
{
	switch (-rc) {
	case ENOMEM:
		return "ENOMEM";
	case ENOENT:
		return "ENOENT";
	case EINVAL:
		return "EINVAL";
	case EFAULT:
		return "EFAULT";
	case ENOSPC:
		return "ENOSPC";
	}
	return NULL;
}

/* An operation failed with rc: judge the code and count it. */
static void judge_error(struct sweep *s, int rc, bool fired, const char *op)
{
	if (rc >= 0 || !plausible(rc))
		note(s, CK_RC, "%s: %d, not a plausible -errno", op, rc);
	else if (!fired)
		note(s, CK_RC, "%s: %d, though no fault fired", op, rc);
	tally(s, rc);
}

/* ---- one iteration's objects ---------------------------------------- */

struct iter {
	struct iommunest_ctx *ctx;
	struct mock_dev dev;
	uint32_t ioas;
	uint32_t parent;
	uint32_t nested;       /* nested HWPT reported (or set up) */
	uint32_t old;          /* nested switch: the HWPT before it */
	uint32_t flags;        /* the scenario's tracker or batch flags */
	bool persist;          /* the scenario's faults persist */
	bool persisting;       /* ... and the operation is running */
	unsigned int refired;  /* faults armed again after the first */
	struct iommunest_sink inner; /* the IOAS sink, wrapped */
	struct iommunest_tracker *t;
	struct iommunest_batch *b;
	int rc_alloc, rc_batch, rc_flush;
	int add_idx[NENT];
};

struct scenario {
	const char *name;
	const char *guarantee; /* what CK_STATE proves, for its TAP line */
	uint32_t flags;
	bool persist;
	int (*setup)(struct iter *it);
	int (*run)(struct iter *it);
	/* true when the operation did all it does, as without a fault */
	bool (*check)(struct iter *it, struct sweep *s, int rc, bool fired);
	void (*teardown)(struct iter *it, struct sweep *s);
};

static int common_setup(struct iter *it)
{
	int rc = iommunest_open(&it->ctx);

	if (!rc)
		rc = iommunest_ioas_alloc(it->ctx, &it->ioas);
	if (!rc)
		rc = mock_domain(it->ctx, it->ioas, &it->dev);
	return rc;
}

/* Destroy an object the library (or the setup) reported. */
static void destroy_id(struct iter *it, struct sweep *s, uint32_t *id,
		       const char *what)
{
	int rc;

	if (!*id)
		return;
	rc = iommunest_destroy(it->ctx, *id);
	if (rc)
		note(s, CK_CLEANUP, "destroying %s %u: %d", what, *id, rc);
	*id = 0;
}

/* Everything reported is gone, no ID is left, the fd closes. */
static void common_teardown(struct iter *it, struct sweep *s)
{
	uint32_t id;
	int rc;

	if (!it->ctx)
		return;
	destroy_id(it, s, &it->dev.stdev_id, "mock device");
	destroy_id(it, s, &it->ioas, "IOAS");
	for (id = 1; id <= ID_SWEEP; id++) {
		rc = iommunest_destroy(it->ctx, id);
		if (rc != -ENOENT)
			note(s, CK_CLEANUP, "object %u left over (destroy: %d)",
			     id, rc);
	}
	rc = iommunest_close(it->ctx);
	if (rc)
		note(s, CK_CLEANUP, "close: %d", rc);
	it->ctx = NULL;
}

/* ---- (a) the tracker, through the IOAS sink ------------------------- */

struct expect {
	uint64_t iova, gpa, pages;
};

/* A: eight pages, one run; B: two runs, one sharing a page with A. */
static const struct expect dom_a[] = { { IOVA_A, RAM_GPA, 8 } };
static const struct expect dom_b[] = {
	{ IOVA_B, RAM_GPA + 20 * PG, 4 },
	{ IOVA_B + 16 * PG, RAM_GPA + 2 * PG, 1 },
};
/* A after unmapping two pages from its middle. */
static const struct expect a_left[] = {
	{ IOVA_A, RAM_GPA, 3 },
	{ IOVA_A + 5 * PG, RAM_GPA + 5 * PG, 3 },
};
static const struct expect a_hole[] = {
	{ IOVA_A + 3 * PG, RAM_GPA + 3 * PG, 2 },
};

/* What a device in a domain must show: exactly these, none of those. */
struct view {
	uint32_t dom;
	const struct expect *has;
	size_t nhas;
	const struct expect *lacks;
	size_t nlacks;
};

#define VIEW(d, h, l) { d, h, ARRAY_SIZE(h), l, ARRAY_SIZE(l) }
static const struct view view_a = VIEW(DOM_A, dom_a, dom_b);
static const struct view view_b = VIEW(DOM_B, dom_b, dom_a);
static const struct view view_holed = VIEW(DOM_A, a_left, a_hole);

static void *hva_of(uint64_t gpa)
{
	return ram + (gpa - RAM_GPA);
}

/* The device's page table maps every page of the list to its page. */
static bool maps_all(struct iter *it, const struct expect *e, size_t n)
{
	uint64_t p;
	size_t i;

	for (i = 0; i < n; i++)
		for (p = 0; p < e[i].pages; p++)
			if (mock_check_map(it->ctx, it->dev.hwpt_id,
					   e[i].iova + p * PG, PG,
					   hva_of(e[i].gpa + p * PG)))
				return false;
	return true;
}

/* No IOVA of the list maps any RAM page (the only memory ever mapped;
 * check-map fails alike for "unmapped" and "maps another page"). */
static bool maps_none(struct iter *it, const struct expect *e, size_t n)
{
	uint64_t p, g;
	size_t i;

	for (i = 0; i < n; i++)
		for (p = 0; p < e[i].pages; p++)
			for (g = 0; g < RAM_PAGES; g++)
				if (!mock_check_map(it->ctx, it->dev.hwpt_id,
						    e[i].iova + p * PG, PG,
						    hva_of(RAM_GPA + g * PG)))
					return false;
	return true;
}

static bool shows(struct iter *it, const struct view *v)
{
	return maps_all(it, v->has, v->nhas) &&
	       maps_none(it, v->lacks, v->nlacks);
}

/*
 * Faults that persist: in a scenario with persist set, once the armed
 * fault has fired every later host operation of the tracker is armed
 * again (n = 1), so its first fault point fails as well: the operation
 * that failed, the repair (unmap-all) and every retry all meet a failing
 * kernel.  Otherwise the wrapper is the IOAS sink, unchanged.
 */
static void persist_rearm(struct iter *it)
{
	if (!it->persisting || nth_left())
		return;
	it->refired++;
	nth_arm(1);
}

static int wrap_map(void *o, uint32_t as, uint64_t iova, uint64_t len,
		    void *hva, uint32_t perm)
{
	struct iter *it = o;

	persist_rearm(it);
	return it->inner.map(it->inner.opaque, as, iova, len, hva, perm);
}

static int wrap_unmap(void *o, uint32_t as, uint64_t iova, uint64_t len)
{
	struct iter *it = o;

	persist_rearm(it);
	return it->inner.unmap(it->inner.opaque, as, iova, len);
}

static int wrap_unmap_all(void *o, uint32_t as)
{
	struct iter *it = o;

	persist_rearm(it);
	return it->inner.unmap_all(it->inner.opaque, as);
}

static int wrap_as_alloc(void *o, uint32_t *as)
{
	struct iter *it = o;

	persist_rearm(it);
	return it->inner.as_alloc(it->inner.opaque, as);
}

static int wrap_as_free(void *o, uint32_t as)
{
	struct iter *it = o;

	persist_rearm(it);
	return it->inner.as_free(it->inner.opaque, as);
}

static int replace_mock(void *opaque, uint32_t pt_id)
{
	struct iter *it = opaque;

	return mock_replace(it->ctx, &it->dev, pt_id);
}

/* RAM, domains A and B, the device in A; nothing armed. */
static int tracker_setup(struct iter *it)
{
	bool shared = it->flags & IOMMUNEST_TRACKER_SHARED;
	struct iommunest_sink sink = {
		.map = wrap_map,
		.unmap = wrap_unmap,
		.unmap_all = wrap_unmap_all,
		.as_alloc = wrap_as_alloc,
		.as_free = wrap_as_free,
		.opaque = it,
	};
	struct iommunest_tracker *t;
	int rc = common_setup(it);

	if (!rc)
		rc = iommunest_sink_ioas(it->ctx, &it->inner);
	if (!rc)
		rc = iommunest_tracker_new(&sink, it->flags, &it->t);
	if (rc)
		return rc;
	t = it->t;
	rc = iommunest_tracker_add_ram(t, RAM_GPA, RAM_PAGES * PG, ram);
	if (!rc)
		rc = iommunest_tracker_domain_add(t, DOM_A);
	if (!rc)
		rc = iommunest_tracker_domain_add(t, DOM_B);
	if (!rc)
		rc = iommunest_tracker_map(t, DOM_A, IOVA_A, 8 * PG, RAM_GPA,
					   RW);
	if (!rc)
		rc = iommunest_tracker_map(t, DOM_B, IOVA_B, 4 * PG,
					   RAM_GPA + 20 * PG,
					   IOMMUNEST_MAP_READ);
	if (!rc)
		rc = iommunest_tracker_map(t, DOM_B, IOVA_B + 16 * PG, PG,
					   RAM_GPA + 2 * PG, RW);
	if (!rc)
		rc = iommunest_tracker_device_add(t, DEV, shared ? 0 : it->ioas,
						  shared ? replace_mock : NULL,
						  it);
	if (!rc)
		rc = iommunest_tracker_set_domain(t, DEV, DOM_A);
	if (!rc && !maps_all(it, dom_a, ARRAY_SIZE(dom_a)))
		rc = -EIO;
	return rc;
}

static int tracker_switch_run(struct iter *it)
{
	int rc;

	it->persisting = it->persist;
	rc = iommunest_tracker_set_domain(it->t, DEV, DOM_B);
	it->persisting = false;
	return rc;
}

/* Unmapping the middle of A while the device is in A: iommufd unmaps
 * whole areas only, so the tracker unmaps A's one area and maps back the
 * two pieces around the hole. */
static int tracker_hole_run(struct iter *it)
{
	return iommunest_tracker_unmap(it->t, DOM_A, IOVA_A + 3 * PG, 2 * PG);
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case IOMMUNEST_DEV_BLOCKED:
		return "blocked";
	case IOMMUNEST_DEV_PASSTHROUGH:
		return "passthrough";
	case IOMMUNEST_DEV_DOMAIN:
		return "domain";
	case IOMMUNEST_DEV_STALE:
		return "stale";
	}
	return "?";
}

/*
 * The operation returned 0 and the device is in want's domain, showing
 * it; or it failed and the device is blocked with nothing of A or B
 * mapped, or, when even emptying failed, reported stale (never blocked
 * while it still maps something).  Then the tracker must still work:
 * into each of after[] in turn.
 */
static void tracker_judge(struct iter *it, struct sweep *s, int rc,
			  bool fired, const char *op, const struct view *want,
			  const struct view *const *after, size_t nafter)
{
	uint32_t state = 99, dom = 99;
	bool a, b;
	size_t i;

	iommunest_tracker_device_state(it->t, DEV, &state, &dom);
	if (!rc) {
		if (state != IOMMUNEST_DEV_DOMAIN || dom != want->dom)
			note(s, CK_STATE, "%s: 0, yet the device is %s (%u)",
			     op, state_name(state), dom);
		if (!shows(it, want))
			note(s, CK_STATE, "%s: 0, yet check-map differs", op);
	} else {
		judge_error(s, rc, fired, op);
		a = !maps_none(it, dom_a, ARRAY_SIZE(dom_a));
		b = !maps_none(it, dom_b, ARRAY_SIZE(dom_b));
		if (!(state == IOMMUNEST_DEV_BLOCKED && !a && !b) &&
		    state != IOMMUNEST_DEV_STALE)
			note(s, CK_STATE, "%s: %d, the device is %s%s%s", op,
			     rc, state_name(state),
			     a ? ", check-map: A mapped" : "",
			     b ? ", check-map: B (partly) mapped" : "");
	}
	for (i = 0; i < nafter; i++) {
		rc = iommunest_tracker_set_domain(it->t, DEV, after[i]->dom);
		if (rc || !shows(it, after[i]))
			note(s, CK_STATE, "then set_domain(%u): %d%s",
			     after[i]->dom, rc, rc ? "" : ", check-map differs");
	}
}

static bool tracker_switch_check(struct iter *it, struct sweep *s, int rc,
				 bool fired)
{
	static const struct view *const after[] = { &view_b, &view_a };

	tracker_judge(it, s, rc, fired, "set_domain(B)", &view_b, after,
		      ARRAY_SIZE(after));
	return rc == 0;
}

static bool tracker_hole_check(struct iter *it, struct sweep *s, int rc,
			       bool fired)
{
	static const struct view *const after[] = { &view_holed, &view_b };

	tracker_judge(it, s, rc, fired, "unmap(A, hole)", &view_holed, after,
		      ARRAY_SIZE(after));
	return rc == 0;
}

static void tracker_teardown(struct iter *it, struct sweep *s)
{
	int rc;

	if (it->t) {
		rc = iommunest_tracker_device_remove(it->t, DEV);
		if (rc && rc != -ENOENT)
			note(s, CK_CLEANUP, "tracker_device_remove: %d", rc);
		/* Off the tracker's address spaces, so it can free them. */
		destroy_id(it, s, &it->dev.stdev_id, "mock device");
		iommunest_tracker_free(it->t);
		it->t = NULL;
	}
	common_teardown(it, s);
}

/* ---- (b) a nested HWPT and an invalidation flush -------------------- */

static const uint32_t slots[NENT] = { 0, 1, BAD_SLOT, 3 };
/* The results without a fault: the bad entry stops the queue, or is
 * passed over.  No entry names slot 2. */
static const int want_stop[NENT] = { 0, 0, -EINVAL, NA };
static const int want_cont[NENT] = { 0, 0, -EINVAL, 0 };

static int nested_setup(struct iter *it)
{
	int rc = common_setup(it);

	if (!rc)
		rc = iommunest_hwpt_alloc_paging(it->ctx, it->dev.idev_id,
						 it->ioas,
						 IOMMUNEST_HWPT_NEST_PARENT,
						 &it->parent);
	return rc;
}

static int nested_run(struct iter *it)
{
	struct iommunest_batch_config cfg = {
		.data_type = IOMMUNEST_INV_SELFTEST,
		.entry_len = 8,
		.capacity = NENT,
		.max_per_call = 2, /* two ioctls */
		.flags = it->flags,
	};
	int i;

	it->rc_alloc = iommunest_hwpt_alloc_selftest(it->ctx, it->dev.idev_id,
						     it->parent,
						     MOCK_IOTLB_DEFAULT,
						     &it->nested);
	if (it->rc_alloc)
		return it->rc_alloc;
	cfg.target_id = it->nested;
	it->rc_batch = iommunest_batch_new(it->ctx, &cfg, &it->b);
	if (it->rc_batch)
		return it->rc_batch;
	for (i = 0; i < NENT; i++)
		it->add_idx[i] = iommunest_batch_add_selftest(it->b, slots[i],
							      0);
	it->rc_flush = iommunest_batch_flush(it->b);
	return it->rc_flush;
}

/* IOTLB slot of the nested HWPT holds value. */
static bool iotlb_has(struct iter *it, uint32_t slot, uint32_t value)
{
	return !mock_check_iotlb(it->ctx, it->nested, slot, value);
}

/* Each entry's result against the IOTLB and the batch's policy. */
static void check_entries(struct iter *it, struct sweep *s, const int *res,
			  bool stop)
{
	int first = iommunest_batch_first_failed(it->b), i, r;

	if (first >= 0 ? it->rc_flush != res[first] : it->rc_flush != 0)
		note(s, CK_RC, "flush: %d, yet the first failed entry is %d",
		     it->rc_flush, first);
	for (i = 0; i < NENT; i++) {
		r = res[i];
		if (it->add_idx[i] != i)
			note(s, CK_RC, "add %d: %d", i, it->add_idx[i]);
		if (r != 0 && r != NA && !(r < 0 && plausible(r)))
			note(s, CK_RC, "entry %d: result %d", i, r);
		if (stop && first >= 0 && i < first && r != 0)
			note(s, CK_RC, "stop: entry %d before the failure: %d",
			     i, r);
		if (stop && first >= 0 && i > first && r != NA)
			note(s, CK_RC, "stop: entry %d after the failure: %d",
			     i, r);
		if (!stop && r == NA)
			note(s, CK_RC, "continue: entry %d not attempted", i);
		if (slots[i] == BAD_SLOT) {
			if (r == 0)
				note(s, CK_STATE, "bad entry %d reported done",
				     i);
		} else if (!iotlb_has(it, slots[i],
				      r == 0 ? 0 : MOCK_IOTLB_DEFAULT)) {
			note(s, CK_STATE, "entry %d: %d, yet IOTLB slot %u is %s",
			     i, r, slots[i], r == 0 ? "not cleared" : "cleared");
		}
	}
}

static bool nested_check(struct iter *it, struct sweep *s, int rc,
			 bool fired)
{
	bool stop = !(it->flags & IOMMUNEST_BATCH_CONTINUE);
	const int *want = stop ? want_stop : want_cont;
	int res[NENT], i, unexpected = 0;
	uint32_t slot;

	(void)rc;
	if (it->rc_alloc) {
		judge_error(s, it->rc_alloc, fired, "hwpt_alloc_selftest");
		if (it->nested)
			note(s, CK_RC, "alloc: %d, yet it reported ID %u",
			     it->rc_alloc, it->nested);
		it->nested = 0; /* not ours: the ID sweep finds it */
		return false;
	}
	if (!it->nested)
		note(s, CK_RC, "alloc: 0, and no ID");
	if (!iotlb_has(it, 2, MOCK_IOTLB_DEFAULT))
		note(s, CK_STATE, "IOTLB slot 2, which no entry names, changed");
	if (it->rc_batch) {
		judge_error(s, it->rc_batch, fired, "batch_new");
		for (slot = 0; slot < MOCK_IOTLB_NUM; slot++)
			if (!iotlb_has(it, slot, MOCK_IOTLB_DEFAULT))
				note(s, CK_STATE, "no batch, yet IOTLB slot %u cleared",
				     slot);
		return false;
	}
	for (i = 0; i < NENT; i++) {
		res[i] = iommunest_batch_result(it->b, (uint32_t)i);
		if (res[i] != want[i] && !unexpected)
			unexpected = res[i] < 0 ? res[i] : -EIO;
	}
	check_entries(it, s, res, stop);
	if (unexpected) {
		if (!fired)
			note(s, CK_RC, "no fault fired, yet results %d %d %d %d",
			     res[0], res[1], res[2], res[3]);
		tally(s, unexpected);
	}
	return !unexpected;
}

static void nested_teardown(struct iter *it, struct sweep *s)
{
	iommunest_batch_free(it->b);
	it->b = NULL;
	destroy_id(it, s, &it->nested, "nested HWPT");
	destroy_id(it, s, &it->parent, "parent HWPT");
	common_teardown(it, s);
}

/* ---- (b') the nested switch, make before break ---------------------- */

/* The device on nested HWPT "old" of the parent; nothing armed. */
static int switch_setup(struct iter *it)
{
	int rc = nested_setup(it);

	if (!rc)
		rc = iommunest_hwpt_alloc_selftest(it->ctx, it->dev.idev_id,
						   it->parent,
						   MOCK_IOTLB_DEFAULT,
						   &it->nested);
	if (!rc)
		rc = mock_replace(it->ctx, &it->dev, it->nested);
	it->old = it->nested;
	return rc;
}

static int switch_run(struct iter *it)
{
	struct { uint32_t iotlb; } data = { MOCK_IOTLB_DEFAULT };

	return iommunest_nested_switch_fn(it->ctx, it->dev.idev_id, it->parent,
					  IOMMUNEST_HWPT_DATA_SELFTEST, &data,
					  sizeof(data), replace_mock, it,
					  &it->nested);
}

/* The HWPT the device is on is busy: destroying it must fail. */
static void expect_in_use(struct iter *it, struct sweep *s, uint32_t *id,
			  const char *what)
{
	int rc = iommunest_destroy(it->ctx, *id);

	if (rc == -EBUSY)
		return;
	note(s, CK_STATE, "the %s HWPT %u is not in use (destroy: %d)", what,
	     *id, rc);
	if (!rc)
		*id = 0;
}

static bool switch_check(struct iter *it, struct sweep *s, int rc,
			 bool fired)
{
	uint32_t old = it->old;
	int d;

	it->old = 0;
	if (rc < 0) {
		judge_error(s, rc, fired, "nested_switch");
		if (it->nested != old)
			note(s, CK_RC, "switch: %d, yet its ID moved %u -> %u",
			     rc, old, it->nested);
		if (it->dev.hwpt_id != old)
			note(s, CK_STATE, "switch: %d, yet the device is on %u",
			     rc, it->dev.hwpt_id);
		expect_in_use(it, s, &it->nested, "old");
		return false;
	}
	if (rc)
		note(s, CK_RC, "switch: %d (old HWPT kept), yet nothing else uses it",
		     rc);
	if (it->nested == old)
		note(s, CK_RC, "switch: %d, yet the ID stayed %u", rc, old);
	if (it->dev.hwpt_id != it->nested)
		note(s, CK_STATE, "switch: %d, yet the device is on %u, not %u",
		     rc, it->dev.hwpt_id, it->nested);
	expect_in_use(it, s, &it->nested, "new");
	d = iommunest_destroy(it->ctx, old);
	if (rc == 0 && d != -ENOENT)
		note(s, CK_STATE, "switch: 0, yet the old HWPT %u is there (destroy: %d)",
		     old, d);
	if (rc && d)
		note(s, CK_CLEANUP, "switch: %d, and the old HWPT %u does not destroy: %d",
		     rc, old, d);
	return true;
}

static void switch_teardown(struct iter *it, struct sweep *s)
{
	if (it->old == it->nested)
		it->old = 0;
	/* The device goes first: then its HWPT is free to destroy. */
	if (it->ctx)
		destroy_id(it, s, &it->dev.stdev_id, "mock device");
	destroy_id(it, s, &it->nested, "nested HWPT");
	destroy_id(it, s, &it->old, "old nested HWPT");
	destroy_id(it, s, &it->parent, "parent HWPT");
	common_teardown(it, s);
}

/* ---- the sweep ------------------------------------------------------ */

static void report(const struct scenario *sc, const struct sweep *s,
		   bool done)
{
	char errs[256] = "";
	const char *name;
	unsigned int k;
	size_t len;

	if (s->details > DETAILS_MAX)
		printf("# %s: %u more details not shown\n", s->name,
		       s->details - DETAILS_MAX);
	for (k = 0; k < ERRNO_KINDS && s->errnos[k]; k++) {
		len = strlen(errs);
		name = errno_name(s->errnos[k]);
		if (name)
			snprintf(errs + len, sizeof(errs) - len, "%s%s x%u",
				 k ? ", " : "", name, s->errno_count[k]);
		else
			snprintf(errs + len, sizeof(errs) - len, "%s%d x%u",
				 k ? ", " : "", s->errnos[k],
				 s->errno_count[k]);
	}
	printf("# %s: errors returned: %s\n", s->name, *errs ? errs : "none");
	if (!done && !s->bad[CK_SETUP])
		printf("# %s: every n up to %u hit a fault\n", s->name, NTH_MAX);
	OK(done && !s->bad[CK_SETUP] && s->errors > 0,
	   "%s: n = 1..%u, %u faults fired (%u failed, %u absorbed), first run without a fault at n = %u",
	   s->name, s->tried, s->fired, s->errors, s->absorbed, s->clean_n);
	OK(!s->bad[CK_RC], "%s: every return 0 or a plausible -errno (%u bad)",
	   s->name, s->bad[CK_RC]);
	OK(!s->bad[CK_STATE], "%s: %s (%u bad)", s->name, sc->guarantee,
	   s->bad[CK_STATE]);
	OK(!s->bad[CK_CLEANUP],
	   "%s: every reported object destroyed, none left, fd closed (%u bad)",
	   s->name, s->bad[CK_CLEANUP]);
	OK(!s->bad[CK_KLOG], "%s: no kernel WARN/BUG/Oops", s->name);
}

static void sweep(const struct scenario *sc)
{
	struct sweep s = { .name = sc->name };
	bool done = false, fired, ok;
	unsigned int n, klog;
	int rc;

	for (n = 1; n <= NTH_MAX && !done; n++) {
		struct iter it = { .flags = sc->flags, .persist = sc->persist };

		s.n = n;
		rc = sc->setup(&it);
		if (!rc && nth_arm(n))
			rc = -EIO;
		if (rc) {
			note(&s, CK_SETUP, "setup (nothing armed) failed: %d",
			     rc);
			sc->teardown(&it, &s);
			break;
		}
		rc = sc->run(&it);
		fired = nth_disarm() == 0 || it.refired;
		s.tried++;
		ok = sc->check(&it, &s, rc, fired);
		if (MOCK_FAULTS_TRACE)
			printf("# %s n=%u: %s, rc %d, %s\n", s.name, n,
			       fired ? "fired" : "not fired", rc,
			       ok ? "succeeded" : "failed");
		if (!fired) {
			s.clean_n = n;
			done = true;
			if (!ok)
				note(&s, CK_RC, "no fault fired, yet it failed");
		} else if (ok) {
			s.fired++;
			s.absorbed++;
		} else {
			s.fired++;
			s.errors++;
		}
		sc->teardown(&it, &s);
		klog = klog_problems();
		if (klog > klog_seen)
			note(&s, CK_KLOG, "%u new WARN/BUG/Oops lines in the kernel log",
			     klog - klog_seen);
		klog_seen = klog;
	}
	report(sc, &s, done);
}

static const char tracker_guarantee[] =
	"device in exactly B, or blocked with nothing of A or B; B and A work after";

#define TRACKER_SWITCH .setup = tracker_setup, .run = tracker_switch_run, \
	.check = tracker_switch_check, .teardown = tracker_teardown, \
	.guarantee = tracker_guarantee
#define NESTED_FLUSH .setup = nested_setup, .run = nested_run, \
	.check = nested_check, .teardown = nested_teardown, \
	.guarantee = "per-entry results agree with check-IOTLB"

static const struct scenario scenarios[] = {
	{ .name = "tracker A->B (unmap-all)", TRACKER_SWITCH },
	{ .name = "tracker A->B (unmap ranges)", TRACKER_SWITCH,
	  .flags = IOMMUNEST_TRACKER_UNMAP_RANGES },
	{ .name = "tracker A->B (sharing, replace)", TRACKER_SWITCH,
	  .flags = IOMMUNEST_TRACKER_SHARED },
	{ .name = "tracker unmap in live A",
	  .setup = tracker_setup, .run = tracker_hole_run,
	  .check = tracker_hole_check, .teardown = tracker_teardown,
	  .guarantee = "device in exactly A minus the hole, or blocked with nothing; A and B work after" },
	{ .name = "nested alloc + flush (stop)", NESTED_FLUSH },
	{ .name = "nested alloc + flush (continue)", NESTED_FLUSH,
	  .flags = IOMMUNEST_BATCH_CONTINUE },
	{ .name = "nested switch",
	  .setup = switch_setup, .run = switch_run, .check = switch_check,
	  .teardown = switch_teardown,
	  .guarantee = "device on the old or the new HWPT, as reported" },
	/* Harsher: the repair after a failure fails as well. */
	{ .name = "tracker A->B (unmap-all), faults persist", TRACKER_SWITCH,
	  .persist = true },
};

/* The mechanism itself: with n = 1, IOAS allocation fails at its first
 * allocation and the fault is seen to fire. */
static bool injection_works(void)
{
	struct iommunest_ctx *ctx = NULL;
	uint32_t id = 0;
	bool fired;
	int rc;

	if (iommunest_open(&ctx))
		return OK(0, "open /dev/iommu");
	nth_arm(1);
	rc = iommunest_ioas_alloc(ctx, &id);
	fired = nth_disarm() == 0;
	if (!rc)
		iommunest_destroy(ctx, id);
	iommunest_close(ctx);
	return OK(rc < 0 && fired,
		  "fail-nth reaches iommufd: IOAS alloc with n = 1 fails (%d)",
		  rc);
}

int main(void)
{
	size_t i;

	if (access(DBGFS "fail_iommufd", F_OK)) {
		printf("# SKIP no fail_iommufd in debugfs (IOMMUFD_TEST, FAULT_INJECTION_DEBUG_FS)\n");
		return 77;
	}
	if (nth_open()) {
		printf("# SKIP no per-task fail-nth (FAULT_INJECTION)\n");
		return 77;
	}
	ram = vm_buffer(RAM_PAGES * PG);
	if (!OK(ram != NULL, "guest RAM buffer") ||
	    !OK(!knobs_set(), "fault injection set up (ignore-gfp-wait N, verbose 0)"))
		goto out;
	prewarm();
	klog_seen = klog_problems();
	if (!injection_works())
		goto out;
	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		sweep(&scenarios[i]);
out:
	knobs_restore();
	return tap_done();
}
