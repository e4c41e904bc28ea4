/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Fuzz target: the shadow-domain tracker against a reference model.
 *
 * The coverage-guided sibling of tests/unit/tracker/test-tracker-model.c.  The
 * input is decoded into tracker calls on a small guest (64 pages of IOVA
 * and guest-physical space, four domain slots, three device slots):
 * maps (new, overlapping, identical re-adds), unmaps (partial, with
 * holes, up to the top of the address space), switches among domains,
 * passthrough and blocked, RAM hot-add, devices (with or without a
 * replace function) and domains added and removed, and calls with bad
 * arguments.  The host side is a fake sink that behaves like iommufd: a
 * map must not overlap what is mapped, an unmap must cover whole areas
 * (and something), unmap-all works on an empty space, a copy
 * (IOMMU_IOAS_COPY) needs its source range mapped throughout and its
 * destination free, adds no write permission and makes one area per
 * piece of a source area, replace is atomic.  Any host operation (map,
 * unmap, unmap-all, copy, as_alloc, replace) can be made to fail, as the
 * input says.
 *
 * Checked after every host operation: no device's address space holds
 * more than the old or more than the new content of the call (the
 * "never a superset" rule); and every device the tracker can move (in
 * sharing mode, or with a replace function and a sink with as_alloc and
 * as_free) holds its floor, the pages it held before the call and still
 * holds after it (none for a device the call switches or removes): a
 * page of the floor may go missing only in a call that fails and leaves
 * that device blocked or stale (the "no holes" rule).  Checked after
 * every call, against the man pages: the return value is the model's
 * when nothing was made to fail, else the first failure's error (a
 * retried unmap-all's failures, the failed unmaps of an emptying that
 * unmap-all then completes, and the emptying of the space a cut moved a
 * device off do not count); each device is in a state the call can lead
 * to (failed closed: blocked) and its address space holds exactly what
 * that state allows; a device reads IOMMUNEST_DEV_STALE exactly when
 * unmap-all on its space failed three times; the host operations are the
 * documented ones: none for refused calls, identical re-adds, empty
 * unmaps, switches to where the device is, domain changes; one map per
 * RAM region and space for a map or a hot-add; for an unmap, in place,
 * one unmap per touched area and at most two maps, but where a host area
 * crosses an edge of the cut and every device on the space can move, the
 * new content built in a second space instead (one copy per untouched
 * area, or one map from guest RAM without copy, and one per guest
 * mapping for the pages kept from a cut area, so as many areas), one
 * replace per device, then the old space emptied with one unmap-all (own
 * mode) or freed (sharing mode); one emptying and one map per run for a
 * switch; only a replace for a switch in sharing mode, after a first
 * replay.  Without sharing a second space is allocated only by a cut, at
 * most one per device, and the device only moves between it and its own
 * space; removing the device puts it back on its own space, empty, and
 * frees the second one.  The tracker frees every address space it
 * allocated (without sharing: unless tracker_free could not move a
 * device off it, after an injected failure).  Any violation aborts.
 *
 * Input: byte 0 is the mode (bit 0 sharing mode, bit 1 UNMAP_RANGES,
 * bit 2 the VMM's address spaces hold mappings before the devices are
 * added, bit 3 start without domains and devices, bit 4 start without
 * RAM, bit 5 give the sink extension's copy, bit 6 NO_HOLES, bit 7 a
 * second mode byte follows).  The second mode byte: bit d (0..2) adds
 * device d at the start without a replace function (own mode without
 * NO_HOLES only), bit 3 the sink has no as_alloc and as_free (own mode
 * without NO_HOLES; elsewhere tracker_new must refuse it), bit 4 the
 * extension's size cuts copy off or short (bits 5-7: by how much it
 * reaches into copy), so the tracker has none.  Then operations:
 * an opcode byte, if its bit 7 is set a failure-injection byte, then the
 * operation's argument bytes.
 */
#include <errno.h>
#include <string.h>

#include "libiommunest/tracker.h"
#include "fuzz.h"

#define P 64		/* pages modelled */
#define PG 4096ull
#define NDOM 4		/* domain IDs 1..NDOM */
#define NDEV 3		/* device IDs 10..10+NDEV-1 */
#define NAS 32		/* fake address-space slots */
#define NFAIL 64	/* injected failures remembered per call */
#define CLEAR_TRIES 3	/* unmap-all attempts, as the man pages say */
#define MAX_OPS 4096
#define RW (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define VMM_AS(d) (100u + (d)) /* the VMM's own IOAS of each device */
#define FIRST_ALLOC 1000u	 /* IDs the fake hands the tracker */
#define NO_DEVICE 99u
#define NO_DOMAIN 77u
#define NONE 0xffffffffu
/* Tracker-allocated spaces that may live at once in sharing mode: one
 * per domain, passthrough, blocked, and one per device left behind on a
 * space that failed. */
#define MAX_LIVE_ALLOC (NDOM + 2 + NDEV)

#define MODE_SHARED	0x01
#define MODE_RANGES	0x02
#define MODE_PRECONTENT	0x04
#define MODE_BARE	0x08
#define MODE_NO_RAM	0x10
#define MODE_COPY	0x20
#define MODE_NO_HOLES	0x40
#define MODE_MORE	0x80
/* The second mode byte. */
#define MORE_FIXED	0x07	/* bit d: device d added without replace */
#define MORE_NO_ALLOC	0x08
#define MORE_OLD_EXT	0x10	/* bits 5-7: bytes of copy within size */

/* Errors the fake host gives, one per kind, to tell them apart. */
#define ERR_MAP		(-ENOMEM)
#define ERR_UNMAP	(-EIO)
#define ERR_UNMAP_ALL	(-EBUSY)
#define ERR_ALLOC	(-ENOSPC)
#define ERR_REPLACE	(-EPERM)
#define ERR_COPY	(-ENXIO)

enum host_kind { H_MAP, H_UNMAP, H_UNMAP_ALL, H_ALLOC, H_REPLACE, H_COPY };

/* One page of a host address space, and the host area that mapped it. */
struct hpage {
	bool on;
	uint8_t perm;
	uint8_t area_start, area_len; /* pages */
	uint64_t hva;
};

struct fake_as {
	bool exists;
	bool owned;	/* allocated by the tracker */
	bool unclean;	/* its last unmap-all failed */
	int owner;	/* own mode, allocated: the device on it once, or -1 */
	uint32_t id;
	struct hpage pg[P];
	/* this call's operations on it */
	uint32_t maps, unmaps, unmap_alls, copies;
};

/* A guest domain's page: IOVA page -> guest-physical page. */
struct dpage {
	bool on;
	bool start;	/* a guest mapping (a node of the tracker's) starts */
	uint8_t gpa;
	uint8_t perm;
};

struct failure {
	enum host_kind kind;
	uint32_t as;
	int err;
};

/* An unmap call's view of one address space before it starts. */
struct plan {
	bool exists;
	uint32_t id;
	bool unclean;
	bool used;	/* some device is on it */
	bool mirror;	/* a device on it is in the domain cut */
	bool movable;	/* every device on it can be moved */
	bool crossed;	/* a host area crosses an edge of the cut */
	uint32_t touched; /* host areas the cut touches */
	uint32_t build;	/* host areas a build beside makes */
};

static struct {
	struct iommunest_tracker *t;
	bool shared, ranges, copy, no_holes, alloc_sink;
	/* the fake host */
	struct fake_as as[NAS];
	uint32_t next_alloc, live_alloc;
	uint32_t phys[NDEV];	/* where each device is attached */
	uint32_t blocked_as;	/* sharing mode: the tracker's empty space */
	uint64_t n_map, n_unmap, n_unmap_all, n_replace, n_copy, n_failed;
	/* the reference model */
	bool dom_on[NDOM];
	struct dpage dom[NDOM][P];
	bool ram[P];
	uint64_t ram_hva[P];
	uint8_t region[P];
	uint32_t nregions;
	bool dev_on[NDEV];
	bool has_replace[NDEV];
	uint32_t own[NDEV];	/* without sharing: the device's space */
	uint32_t state[NDEV], domain[NDEV];
	/* the call under way */
	const char *op;
	unsigned long calls;
	bool in_call, teardown, unmap_call, removing;
	int subject;			/* the device the call is about */
	bool watch[NDEV];		/* checked after each host operation */
	struct hpage env[NDEV][2][P];	/* old and new envelope */
	bool floor_on[NDEV];		/* the device's floor is checked */
	struct hpage floor[NDEV][P];	/* what it must keep holding */
	bool hole[NDEV];		/* a floor page went missing */
	char hole_why[NDEV][160];
	uint32_t pre_phys[NDEV];
	bool pre_unclean[NDEV];
	bool post_on[NDEV];
	uint32_t post_state[NDEV], post_dom[NDEV];
	unsigned int host_ops, maps, unmaps, unmap_alls, allocs, replaces;
	unsigned int copies, dev_replaces[NDEV];
	uint32_t left[NDEV];		/* spaces a cut moved a device off */
	unsigned int nleft;
	struct plan plan[NAS];
	enum host_kind first_kind;
	uint32_t first_as;
	/* failure injection */
	unsigned int chances;
	unsigned int fail_first, fail_count;
	bool fail_rest;
	struct failure fails[NFAIL];
	unsigned int nfails, injected;
	unsigned int ua_run;	/* unmap-all failures in a row on ua_as */
	uint32_t ua_as;
	uint32_t emptying_as;	/* the space a switch empties first */
} m;

#define bug(...) fz_die("fuzz-tracker", __VA_ARGS__)
#define call_bug(fmt, ...) \
	bug("call %lu (%s): " fmt, m.calls, m.op, __VA_ARGS__)

static uint32_t dev_id(uint32_t d)
{
	return 10 + d;
}

/* ---- the fake host: iommufd's rules ------------------------------------- */

FZ_ORACLE static struct fake_as *find_as(uint32_t id)
{
	uint32_t i;

	for (i = 0; i < NAS; i++)
		if (m.as[i].exists && m.as[i].id == id)
			return &m.as[i];
	return NULL;
}

/* The space device d is attached to. */
static struct fake_as *dev_as(uint32_t d)
{
	struct fake_as *a = find_as(m.phys[d]);

	if (!a)
		bug("device %u is on address space %u, which does not exist",
		    d, m.phys[d]);
	return a;
}

/* A tracked device on space id, or -1. */
FZ_ORACLE static int user_of(uint32_t id)
{
	uint32_t d;

	for (d = 0; d < NDEV; d++)
		if (m.dev_on[d] && m.phys[d] == id)
			return (int)d;
	return -1;
}

/* Every host operation happens inside a call, on a space that exists;
 * tracker_free only takes devices off their second spaces. */
static struct fake_as *host_op(enum host_kind kind, uint32_t id,
			       const char *what)
{
	struct fake_as *a = find_as(id);

	if (!m.in_call)
		bug("%s on space %u outside a call", what, id);
	if (m.teardown &&
	    (m.shared || (kind != H_UNMAP_ALL && kind != H_REPLACE)))
		bug("%s on space %u in tracker_free", what, id);
	if (!a)
		call_bug("%s on address space %u, which does not exist", what,
			 id);
	if (!m.host_ops++) {
		m.first_kind = kind;
		m.first_as = id;
	}
	if (kind != H_UNMAP_ALL || id != m.ua_as)
		m.ua_run = 0;
	return a;
}

/* Does this host operation fail?  The input decides, per call.  counts:
 * the failure is an error of the call (remembered to check rc). */
static int inject(enum host_kind kind, uint32_t as, int err, bool counts)
{
	unsigned int i = m.chances++;

	if (i < m.fail_first ||
	    (!m.fail_rest && i >= m.fail_first + m.fail_count))
		return 0;
	m.injected++;
	if (kind != H_ALLOC)
		m.n_failed++;
	if (counts && m.nfails < NFAIL)
		m.fails[m.nfails++] = (struct failure){ kind, as, err };
	return err;
}

FZ_ORACLE static bool page_eq(const struct hpage *a, const struct hpage *b)
{
	return a->on == b->on &&
	       (!a->on || (a->hva == b->hva && a->perm == b->perm));
}

/* Every page mapped in have is mapped the same way in allowed. */
FZ_ORACLE static bool subset(const struct hpage *have,
				 const struct hpage *allowed)
{
	uint32_t i;

	for (i = 0; i < P; i++)
		if (have[i].on && !page_eq(&have[i], &allowed[i]))
			return false;
	return true;
}

FZ_ORACLE static bool as_empty(const struct fake_as *a)
{
	uint32_t i;

	for (i = 0; i < P; i++)
		if (a->pg[i].on)
			return false;
	return true;
}

/* A floor page device d lacks: remembered, judged at the end of the
 * call (a call that fails may leave the device blocked). */
FZ_ORACLE static void check_floor(uint32_t d, const struct fake_as *a,
				  const char *what)
{
	uint32_t i;

	for (i = 0; i < P && !m.hole[d]; i++) {
		if (!m.floor[d][i].on || page_eq(&a->pg[i], &m.floor[d][i]))
			continue;
		m.hole[d] = true;
		snprintf(m.hole_why[d], sizeof(m.hole_why[d]),
			 "host operation %u (%s) left space %u without page "
			 "%u", m.host_ops, what, a->id, i);
	}
}

/* After every host operation: no device holds more than the old or more
 * than the new content of the call, nor less than its floor. */
FZ_ORACLE static void check_bounds(const char *what)
{
	uint32_t d;

	for (d = 0; d < NDEV; d++) {
		const struct fake_as *a;

		if (!m.watch[d])
			continue;
		a = find_as(m.phys[d]);
		if (!a)
			call_bug("after a %s, device %u is on address space "
				 "%u, which was freed", what, d, m.phys[d]);
		if (!subset(a->pg, m.env[d][0]) &&
		    !subset(a->pg, m.env[d][1]))
			call_bug("after a %s, device %u (space %u) holds more "
				 "than the old or the new content", what, d,
				 a->id);
		if (m.floor_on[d])
			check_floor(d, a, what);
	}
}

static int s_map(void *o, uint32_t id, uint64_t iova, uint64_t len,
		 void *hva, uint32_t perm)
{
	struct fake_as *a = host_op(H_MAP, id, "map");
	uint64_t first = iova / PG, n = len / PG, i;
	int err;

	(void)o;
	m.maps++;
	a->maps++;
	m.n_map++;
	if (iova % PG || len % PG || !n || first >= P || n > P - first)
		call_bug("map [%#llx, +%#llx) outside the modelled space",
			 (unsigned long long)iova, (unsigned long long)len);
	if (!hva || ((uintptr_t)hva & (PG - 1)) || !perm ||
	    (perm & ~(uint32_t)RW))
		call_bug("map with hva %p perm %u", hva, perm);
	err = inject(H_MAP, id, ERR_MAP, true);
	if (err)
		return err;
	for (i = first; i < first + n; i++)
		if (a->pg[i].on)
			call_bug("map [%llu, +%llu) over mapped page %llu of "
				 "space %u (iommufd: EEXIST)",
				 (unsigned long long)first,
				 (unsigned long long)n, (unsigned long long)i,
				 id);
	for (i = first; i < first + n; i++)
		a->pg[i] = (struct hpage){
			.on = true,
			.perm = (uint8_t)perm,
			.area_start = (uint8_t)first,
			.area_len = (uint8_t)n,
			.hva = (uint64_t)(uintptr_t)hva + (i - first) * PG,
		};
	check_bounds("map");
	return 0;
}

static int s_unmap(void *o, uint32_t id, uint64_t iova, uint64_t len)
{
	struct fake_as *a = host_op(H_UNMAP, id, "unmap");
	uint64_t first = iova / PG, n = len / PG, i;
	bool any = false;
	int err;

	(void)o;
	m.unmaps++;
	a->unmaps++;
	m.n_unmap++;
	if (iova % PG || len % PG || !n || first >= P || n > P - first)
		call_bug("unmap [%#llx, +%#llx) outside the modelled space",
			 (unsigned long long)iova, (unsigned long long)len);
	err = inject(H_UNMAP, id, ERR_UNMAP, true);
	if (err)
		return err;
	/* iommufd: every area the range touches must lie wholly in it. */
	for (i = first; i < first + n; i++) {
		const struct hpage *p = &a->pg[i];

		if (p->on && (p->area_start < first ||
			      p->area_start + p->area_len > first + n))
			call_bug("unmap [%llu, +%llu) cuts the area [%u, +%u) "
				 "of space %u (iommufd: ENOENT)",
				 (unsigned long long)first,
				 (unsigned long long)n, p->area_start,
				 p->area_len, id);
		any |= p->on;
	}
	/* iommufd answers ENOENT; the tracker only unmaps what it mapped. */
	if (!any)
		call_bug("unmap [%llu, +%llu) of space %u, which holds "
			 "nothing there (iommufd: ENOENT)",
			 (unsigned long long)first, (unsigned long long)n, id);
	for (i = first; i < first + n; i++)
		memset(&a->pg[i], 0, sizeof(a->pg[i]));
	check_bounds("unmap");
	return 0;
}

/* A switch empties a space with unmaps (UNMAP_RANGES) and, if one
 * fails, with unmap-all: the unmap-all decides (tracker_new(3)). */
FZ_ORACLE static void forgive_unmaps(uint32_t id)
{
	unsigned int i, j;

	for (i = j = 0; i < m.nfails; i++)
		if (m.fails[i].kind != H_UNMAP || m.fails[i].as != id)
			m.fails[j++] = m.fails[i];
	m.nfails = j;
}

/* Without sharing, a cut empties the space it moved a device off; if
 * that fails the space is only marked for emptying before its next use,
 * and the call does not fail for it. */
FZ_ORACLE static bool left_by_cut(uint32_t id)
{
	unsigned int i;

	for (i = 0; i < m.nleft; i++)
		if (m.left[i] == id)
			return true;
	return false;
}

/* tracker_free: is id the own space of a device on its second one? */
FZ_ORACLE static bool taking_back(uint32_t id)
{
	uint32_t d;

	for (d = 0; d < NDEV; d++)
		if (m.dev_on[d] && m.own[d] == id && m.phys[d] != id)
			return true;
	return false;
}

static int s_unmap_all(void *o, uint32_t id)
{
	struct fake_as *a = host_op(H_UNMAP_ALL, id, "unmap-all");
	bool counts = !left_by_cut(id);
	int err;

	(void)o;
	m.unmap_alls++;
	a->unmap_alls++;
	m.n_unmap_all++;
	if (m.teardown && !taking_back(id))
		bug("tracker_free: unmap-all on space %u, the own space of "
		    "no device on a second one", id);
	if (id == m.emptying_as)
		forgive_unmaps(id);
	err = inject(H_UNMAP_ALL, id, ERR_UNMAP_ALL, counts);
	if (err) {
		a->unclean = true;
		m.ua_as = id;
		m.ua_run += counts;
		return err;
	}
	/* The failed attempts of the emptying this one completes were
	 * only retries; CLEAR_TRIES failures in a row failed an emptying. */
	m.nfails -= m.ua_run % CLEAR_TRIES < m.nfails
		    ? m.ua_run % CLEAR_TRIES : m.nfails;
	m.ua_run = 0;
	if (id == m.emptying_as)
		forgive_unmaps(id);
	memset(a->pg, 0, sizeof(a->pg));
	a->unclean = false;
	check_bounds("unmap-all");
	return 0;
}

/* IOMMU_IOAS_COPY, as a cut uses it: from the space the devices are on
 * into the one built beside it. */
static int s_copy(void *o, uint32_t from, uint32_t to, uint64_t iova,
		  uint64_t len, uint32_t perm)
{
	struct fake_as *a = host_op(H_COPY, to, "copy");
	const struct fake_as *src = find_as(from);
	uint64_t first = iova / PG, n = len / PG, i;
	int err;

	(void)o;
	m.copies++;
	a->copies++;
	m.n_copy++;
	if (!m.copy)
		call_bug("copy, but the extension given has none%s", "");
	if (!src || src == a)
		call_bug("copy from space %u to %u", from, to);
	if (user_of(from) < 0 || user_of(to) >= 0)
		call_bug("copy from space %u (device %d on it) to %u (device "
			 "%d on it)", from, user_of(from), to, user_of(to));
	if (iova % PG || len % PG || !n || first >= P || n > P - first)
		call_bug("copy [%#llx, +%#llx) outside the modelled space",
			 (unsigned long long)iova, (unsigned long long)len);
	if (!perm || (perm & ~(uint32_t)RW))
		call_bug("copy with perm %u", perm);
	for (i = first; i < first + n; i++) {
		if (!src->pg[i].on || a->pg[i].on)
			call_bug("copy [%llu, +%llu) from %u to %u: page %llu "
				 "is %s (iommufd: %s)",
				 (unsigned long long)first,
				 (unsigned long long)n, from, to,
				 (unsigned long long)i,
				 a->pg[i].on ? "mapped in the destination"
					     : "not mapped in the source",
				 a->pg[i].on ? "EEXIST" : "ENOENT");
		if ((perm & IOMMUNEST_MAP_WRITE) &&
		    !(src->pg[i].perm & IOMMUNEST_MAP_WRITE))
			call_bug("copy adds write to read-only page %llu "
				 "(iommufd: EPERM)", (unsigned long long)i);
	}
	err = inject(H_COPY, to, ERR_COPY, true);
	if (err)
		return err;
	/* Each piece of a source area is an area of its own. */
	for (i = first; i < first + n; i++) {
		const struct hpage *sp = &src->pg[i];
		uint64_t lo = sp->area_start > first ? sp->area_start : first;
		uint64_t hi = sp->area_start + sp->area_len;

		if (hi > first + n)
			hi = first + n;
		a->pg[i] = (struct hpage){
			.on = true,
			.perm = (uint8_t)perm,
			.area_start = (uint8_t)lo,
			.area_len = (uint8_t)(hi - lo),
			.hva = sp->hva,
		};
	}
	check_bounds("copy");
	return 0;
}

static int s_as_alloc(void *o, uint32_t *id)
{
	uint32_t i;
	int err;

	(void)o;
	if (!m.in_call || m.teardown)
		bug("as_alloc outside a call");
	/* Without sharing only a cut needs a second space. */
	if (!m.shared && !m.unmap_call)
		call_bug("as_alloc without sharing, outside an unmap%s", "");
	if (!m.host_ops++) {
		m.first_kind = H_ALLOC;
		m.first_as = NONE;
	}
	m.ua_run = 0;
	err = inject(H_ALLOC, NONE, ERR_ALLOC, true);
	if (err)
		return err;
	for (i = 0; i < NAS; i++)
		if (!m.as[i].exists)
			break;
	if (i == NAS)
		call_bug("%u address spaces allocated: a leak", m.live_alloc);
	memset(&m.as[i], 0, sizeof(m.as[i]));
	m.as[i].exists = true;
	m.as[i].owned = true;
	m.as[i].owner = -1;
	m.as[i].id = *id = FIRST_ALLOC + m.next_alloc++;
	m.live_alloc++;
	m.allocs++;
	return 0;
}

static int s_as_free(void *o, uint32_t id)
{
	struct fake_as *a = find_as(id);
	uint32_t d;

	(void)o;
	if (!a)
		call_bug("as_free of space %u, which does not exist", id);
	if (!a->owned)
		call_bug("freed address space %u, which the tracker did not "
			 "allocate", id);
	if (id == m.blocked_as && !m.teardown)
		call_bug("freed its empty address space %u", id);
	/* iommufd refuses (EBUSY); at teardown in sharing mode the VMM
	 * detaches first, but a second space is only freed once the
	 * device is off it. */
	for (d = 0; d < NDEV && (!m.teardown || !m.shared); d++)
		if (m.dev_on[d] && m.phys[d] == id)
			call_bug("freed address space %u with device %u on it",
				 id, d);
	if (!m.shared && !m.teardown &&
	    (!m.removing || (a->owner >= 0 && a->owner != m.subject)))
		call_bug("freed the second space %u of device %d while %s",
			 id, a->owner, m.removing ? "removing another"
						  : "no device is removed");
	a->exists = false;
	m.live_alloc--;
	return 0;
}

/* Without sharing a device moves only between its own space and its
 * second one: either way in a cut, back to its own when removed. */
FZ_ORACLE static void check_own_replace(uint32_t d, const struct fake_as *a)
{
	uint32_t i;

	if (!m.dev_on[d] || !m.has_replace[d])
		call_bug("replace of device %u, which is %s", d,
			 m.dev_on[d] ? "added without replace"
				     : "not tracked");
	if (a->id == m.own[d] && (m.unmap_call || m.removing || m.teardown))
		return;
	if (!m.unmap_call)
		call_bug("device %u moved to space %u (its own is %u) "
			 "outside a cut", d, a->id, m.own[d]);
	if (!a->owned || (a->owner >= 0 && a->owner != (int)d))
		call_bug("device %u moved to space %u, which is not its "
			 "second one", d, a->id);
	for (i = 0; i < NAS; i++)
		if (m.as[i].exists && m.as[i].owner == (int)d &&
		    &m.as[i] != a)
			call_bug("device %u has two second spaces, %u and %u",
				 d, m.as[i].id, a->id);
}

static int s_replace(void *opaque, uint32_t id)
{
	uint32_t d = (uint32_t)(uintptr_t)opaque;
	struct fake_as *a = host_op(H_REPLACE, id, "replace");
	int err;

	if (d >= NDEV)
		call_bug("replace of device slot %u", d);
	if (!m.shared)
		check_own_replace(d, a);
	m.replaces++;
	m.n_replace++;
	m.dev_replaces[d]++;
	err = inject(H_REPLACE, id, ERR_REPLACE, true);
	if (err)
		return err;
	if (!m.shared && m.unmap_call && m.nleft < NDEV)
		m.left[m.nleft++] = m.phys[d];
	if (!m.shared && a->owned)
		a->owner = (int)d;
	m.phys[d] = id; /* atomic, as the kernel's replace */
	check_bounds("replace");
	return 0;
}

/* ---- the reference model ------------------------------------------------ */

FZ_ORACLE static void content_domain(uint32_t di, struct hpage *out)
{
	uint32_t i;

	memset(out, 0, sizeof(struct hpage) * P);
	for (i = 0; i < P; i++)
		if (m.dom[di][i].on) {
			out[i].on = true;
			out[i].hva = m.ram_hva[m.dom[di][i].gpa];
			out[i].perm = m.dom[di][i].perm;
		}
}

FZ_ORACLE static void content_state(uint32_t state, uint32_t domain,
			  struct hpage *out)
{
	uint32_t i;

	memset(out, 0, sizeof(struct hpage) * P);
	if (state == IOMMUNEST_DEV_DOMAIN) {
		if (domain < 1 || domain > NDOM)
			call_bug("a device is in domain %u", domain);
		content_domain(domain - 1, out);
	} else if (state == IOMMUNEST_DEV_PASSTHROUGH) {
		for (i = 0; i < P; i++)
			if (m.ram[i]) {
				out[i].on = true;
				out[i].hva = m.ram_hva[i];
				out[i].perm = RW;
			}
	}
}

/* Maximal runs: contiguous in IOVA and host address (so in one RAM
 * region: regions live 4 GiB apart), one permission. */
FZ_ORACLE static uint32_t runs(const struct hpage *c)
{
	uint32_t i, n = 0;

	for (i = 0; i < P; i++)
		if (c[i].on && !(i && c[i - 1].on &&
				 c[i - 1].hva + PG == c[i].hva &&
				 c[i - 1].perm == c[i].perm))
			n++;
	return n;
}

FZ_ORACLE static uint32_t areas(const struct hpage *c)
{
	uint32_t i, n = 0;

	for (i = 0; i < P; i++)
		if (c[i].on && c[i].area_start == i)
			n++;
	return n;
}

static bool in_domain(uint32_t d, uint32_t di)
{
	return m.dev_on[d] && m.state[d] == IOMMUNEST_DEV_DOMAIN &&
	       m.domain[d] == di + 1;
}

static bool own_taken(uint32_t as)
{
	uint32_t e;

	for (e = 0; e < NDEV; e++)
		if (m.dev_on[e] && m.own[e] == as)
			return true;
	return false;
}

/* Can the tracker move device d, to cut without a hole?  Only those
 * have their floors checked: the others get the 0.1 cut (unmap the
 * area, map back the rest), which leaves holes by design. */
static bool movable(uint32_t d)
{
	return m.shared || (m.has_replace[d] && m.alloc_sink);
}

/* Guest mappings of domain di in the IOVA pages [lo, hi), each cut to
 * the window: what a build beside makes of a cut area's kept pages. */
FZ_ORACLE static uint32_t pieces(uint32_t di, uint64_t lo, uint64_t hi)
{
	uint64_t i;
	uint32_t n = 0;

	for (i = lo; i < hi && i < P; i++)
		if (m.dom[di][i].on && (i == lo || m.dom[di][i].start ||
					!m.dom[di][i - 1].on))
			n++;
	return n;
}

/* ---- one call: envelopes before, checks after --------------------------- */

/* Start a call: by default nothing changes for anybody. */
FZ_ORACLE static void begin(const char *op)
{
	uint32_t d, i;

	m.op = op;
	m.calls++;
	m.host_ops = m.maps = m.unmaps = m.unmap_alls = 0;
	m.allocs = m.replaces = m.copies = m.nleft = 0;
	m.chances = m.injected = m.nfails = m.ua_run = 0;
	m.emptying_as = NONE;
	m.unmap_call = m.removing = false;
	m.subject = -1;
	for (i = 0; i < NAS; i++)
		m.as[i].maps = m.as[i].unmaps = m.as[i].unmap_alls =
			m.as[i].copies = 0;
	for (d = 0; d < NDEV; d++) {
		const struct fake_as *a = find_as(m.phys[d]);

		if (!a)
			call_bug("device %u is on no address space", d);
		m.dev_replaces[d] = 0;
		m.watch[d] = m.dev_on[d];
		/* The floor starts as all the device holds: floors() keeps
		 * what it holds after the call too. */
		m.floor_on[d] = m.dev_on[d] && movable(d);
		m.hole[d] = false;
		memset(m.floor[d], 0, sizeof(m.floor[d]));
		if (m.dev_on[d])
			content_state(m.state[d], m.domain[d], m.floor[d]);
		m.post_on[d] = m.dev_on[d];
		m.post_state[d] = m.state[d];
		m.post_dom[d] = m.domain[d];
		m.pre_phys[d] = m.phys[d];
		m.pre_unclean[d] = a->unclean;
		memcpy(m.env[d][0], a->pg, sizeof(a->pg));
		memcpy(m.env[d][1], a->pg, sizeof(a->pg));
	}
	m.in_call = true;
}

/* The new envelope of device d: what its post state allows. */
static void env_post(uint32_t d)
{
	content_state(m.post_state[d], m.post_dom[d], m.env[d][1]);
}

/* Once the model holds the call's outcome: each floor keeps only what
 * the device holds after the call too, and nothing if the call switches
 * or removes the device (a switch empties first). */
FZ_ORACLE static void floors(void)
{
	struct hpage after[P];
	uint32_t d, i;

	for (d = 0; d < NDEV; d++) {
		bool stays = m.dev_on[d] && m.post_on[d] &&
			     m.post_state[d] == m.state[d] &&
			     m.post_dom[d] == m.domain[d];

		if (!stays) {
			memset(m.floor[d], 0, sizeof(m.floor[d]));
			continue;
		}
		content_state(m.post_state[d], m.post_dom[d], after);
		for (i = 0; i < P; i++)
			if (!page_eq(&m.floor[d][i], &after[i]))
				m.floor[d][i].on = false;
	}
}

static void no_injection(void)
{
	m.fail_first = m.fail_count = 0;
	m.fail_rest = false;
}

/* One device after a call: known or not, state, content. */
FZ_ORACLE static void check_device(uint32_t d, int rc, int subject)
{
	const struct fake_as *a = find_as(m.phys[d]);
	bool pre_ok, post_ok, on;
	struct hpage exp[P];
	uint32_t st, dm, i;
	int r;

	r = iommunest_tracker_device_state(m.t, dev_id(d), &st, &dm);
	if (r && r != -ENOENT)
		call_bug("device_state: %d", r);
	on = !r;
	if (on != m.post_on[d] && (!rc || on != m.dev_on[d]))
		call_bug("rc %d, device %u is %s", rc, d,
			 on ? "tracked" : "unknown");
	m.dev_on[d] = on;
	if (!on)
		return;
	if (st != IOMMUNEST_DEV_DOMAIN)
		dm = 0;
	/* No holes, except in a call that fails the device closed. */
	if (m.hole[d] && !(rc && (st == IOMMUNEST_DEV_BLOCKED ||
				  st == IOMMUNEST_DEV_STALE)))
		call_bug("rc %d: device %u ends in state %u/%u, but went "
			 "without part of its floor: %s", rc, d, st, dm,
			 m.hole_why[d]);
	post_ok = st == m.post_state[d] && dm == m.post_dom[d];
	pre_ok = st == m.state[d] && dm == m.domain[d];
	if (!rc && !post_ok)
		call_bug("device %u in state %u/%u, the model says %u/%u", d,
			 st, dm, m.post_state[d], m.post_dom[d]);
	if (rc && !post_ok && !pre_ok && st != IOMMUNEST_DEV_BLOCKED &&
	    st != IOMMUNEST_DEV_STALE)
		call_bug("failed (%d): device %u left in state %u/%u", rc, d,
			 st, dm);
	if (rc && (int)d == subject) {
		/* Failed closed: without sharing, blocked (or stale); in
		 * sharing mode on the empty space, or wholly where it was. */
		if (!m.shared && st != IOMMUNEST_DEV_BLOCKED &&
		    st != IOMMUNEST_DEV_STALE)
			call_bug("failed (%d): device %u not blocked", rc, d);
		if (m.shared &&
		    !(st == IOMMUNEST_DEV_BLOCKED &&
		      m.phys[d] == m.blocked_as) &&
		    !(pre_ok && m.phys[d] == m.pre_phys[d]))
			call_bug("failed (%d): device %u in state %u/%u on "
				 "space %u, neither blocked on %u nor where it "
				 "was (%u)", rc, d, st, dm, m.phys[d],
				 m.blocked_as, m.pre_phys[d]);
	}
	m.state[d] = st;
	m.domain[d] = dm;
	if (!a)
		call_bug("device %u is nowhere", d);
	/* Stale exactly when unmap-all failed three times on its space; it
	 * may then hold anything within the envelopes checked above. */
	if ((st == IOMMUNEST_DEV_STALE) != a->unclean)
		call_bug("rc %d: device %u reads %u/%u, but unmap-all on its "
			 "space %u %s", rc, d, st, dm, a->id,
			 a->unclean ? "failed" : "succeeded last");
	if (st == IOMMUNEST_DEV_STALE)
		return;
	content_state(st, dm, exp);
	for (i = 0; i < P; i++) {
		if (page_eq(&a->pg[i], &exp[i]))
			continue;
		call_bug("rc %d: device %u (space %u, state %u/%u) page %u is "
			 "%s (hva %#llx perm %u), want %s (hva %#llx perm %u)",
			 rc, d, a->id, st, dm, i,
			 a->pg[i].on ? "mapped" : "empty",
			 (unsigned long long)a->pg[i].hva, a->pg[i].perm,
			 exp[i].on ? "mapped" : "empty",
			 (unsigned long long)exp[i].hva, exp[i].perm);
	}
}

/*
 * After a call: rc is the model's unless a failure was injected, and
 * then the first failure's error; each device is where the call can
 * lead it.  no_ops: the call must not have touched the host.  subject:
 * the device a switch, add or remove was about, or -1.
 */
FZ_ORACLE static void end(int rc, int want, bool no_ops, int subject)
{
	uint32_t d, n;

	m.in_call = false;
	/* Failures made good by a retry do not count. */
	if (!m.nfails && rc != want)
		call_bug("returned %d, the model says %d (%u failures "
			 "injected, all retried)", rc, want, m.injected);
	if (m.nfails && rc != m.fails[0].err)
		call_bug("returned %d, but the first failure was %d (of %u)",
			 rc, m.fails[0].err, m.nfails);
	if ((want < 0 || no_ops) && m.host_ops)
		call_bug("%u host operations (%u maps, %u unmaps, %u "
			 "unmap-alls, %u copies, %u replaces), none expected",
			 m.host_ops, m.maps, m.unmaps, m.unmap_alls,
			 m.copies, m.replaces);
	for (d = n = 0; d < NDEV; d++) {
		check_device(d, rc, subject);
		n += m.dev_on[d];
	}
	/* Without sharing: at most a second space per device. */
	if (m.live_alloc > (m.shared ? MAX_LIVE_ALLOC : n))
		call_bug("%u address spaces allocated, %u devices: a leak",
			 m.live_alloc, n);
}

/* ---- the operations ----------------------------------------------------- */

/* What map should answer: 0 (1 when identical, no host op) or -errno. */
static int expect_map(uint32_t di, uint32_t first, uint32_t n, uint32_t gpa,
		      uint32_t perm)
{
	bool free_range = true, same = true;
	uint32_t i;

	if (!m.dom_on[di])
		return -ENOENT;
	for (i = 0; i < n; i++)
		if (gpa + i >= P || !m.ram[gpa + i])
			return -EFAULT;
	for (i = first; i < first + n; i++) {
		const struct dpage *p = &m.dom[di][i];

		free_range &= !p->on;
		same &= p->on && p->gpa == gpa + (i - first) &&
			p->perm == perm;
	}
	return free_range ? 0 : same ? 1 : -EEXIST;
}

/* Devices in domain di see old or new page by page: both envelopes are
 * the union of the domain's content before and after. */
FZ_ORACLE static void union_envelope(uint32_t di, const struct hpage *before)
{
	struct hpage now[P];
	uint32_t d, i;

	content_domain(di, now);
	for (i = 0; i < P; i++)
		if (!now[i].on)
			now[i] = before[i];
	for (d = 0; d < NDEV; d++)
		if (in_domain(d, di)) {
			memcpy(m.env[d][0], now, sizeof(now));
			memcpy(m.env[d][1], now, sizeof(now));
		}
}

/* RAM regions [gpa, +n) touches. */
FZ_ORACLE static uint32_t regions_touched(uint32_t gpa, uint32_t n)
{
	uint32_t i, k = 1;

	for (i = gpa + 1; i < gpa + n; i++)
		k += m.region[i] != m.region[i - 1];
	return k;
}

static void do_map(uint32_t di, uint32_t first, uint32_t n, uint32_t gpa,
		   uint32_t perm)
{
	struct hpage before[P];
	uint32_t i, d, k;
	int want, rc;

	if (n > P - first)
		n = P - first;
	begin("map");
	want = expect_map(di, first, n, gpa, perm);
	content_domain(di, before);
	if (want == 0)
		for (i = 0; i < n; i++)
			m.dom[di][first + i] = (struct dpage){
				true, i == 0, (uint8_t)(gpa + i),
				(uint8_t)perm };
	union_envelope(di, before);
	floors();
	rc = iommunest_tracker_map(m.t, di + 1, first * PG, n * PG, gpa * PG,
				   perm);
	end(rc, want == 1 ? 0 : want, want == 1, -1);
	if (want || rc)
		return;
	/* One host area per RAM region touched, in every mirror. */
	k = regions_touched(gpa, n);
	if (m.copies || m.replaces || m.allocs)
		call_bug("a map made %u copies, %u replaces, %u allocations",
			 m.copies, m.replaces, m.allocs);
	for (i = 0; i < NAS; i++)
		if (m.as[i].exists && (m.as[i].maps || m.as[i].unmaps ||
				       m.as[i].unmap_alls) &&
		    (m.as[i].maps != k || m.as[i].unmaps ||
		     m.as[i].unmap_alls))
			call_bug("space %u: %u maps, %u unmaps, %u unmap-alls "
				 "for a map over %u RAM regions", m.as[i].id,
				 m.as[i].maps, m.as[i].unmaps,
				 m.as[i].unmap_alls, k);
	for (d = 0; d < NDEV; d++)
		if (in_domain(d, di) && dev_as(d)->maps != k)
			call_bug("device %u in the domain got %u maps, not %u",
				 d, dev_as(d)->maps, k);
}

/* Host areas of a that [first, first + n) touches. */
FZ_ORACLE static uint32_t areas_touched(const struct fake_as *a, uint64_t first,
			      uint64_t n)
{
	uint32_t i, k = 0;

	for (i = 0; i < P; i++)
		if (a->pg[i].on && a->pg[i].area_start == i &&
		    i < first + n && i + a->pg[i].area_len > first)
			k++;
	return k;
}

/* Does a host area of a hold page key and the page before it? */
FZ_ORACLE static bool crosses(const struct fake_as *a, uint64_t key)
{
	return key > 0 && key < P && a->pg[key].on &&
	       a->pg[key].area_start < key;
}

/* Host areas a build beside a makes for a cut of pages [start, end) of
 * domain di: each untouched area whole, and one per guest mapping of
 * what the cut keeps of a touched one (it lies in one RAM region). */
FZ_ORACLE static uint32_t build_count(const struct fake_as *a, uint32_t di,
				      uint64_t start, uint64_t end)
{
	uint32_t i, n = 0;

	for (i = 0; i < P; i++) {
		uint64_t e = i + (uint64_t)a->pg[i].area_len;

		if (!a->pg[i].on || a->pg[i].area_start != i)
			continue;
		if (e <= start || i >= end) {
			n++;
			continue;
		}
		n += pieces(di, i, start < e ? start : e);
		n += pieces(di, end > i ? end : i, e);
	}
	return n;
}

/* Before an unmap of pages [start, end) of domain di (the model
 * already updated): what each address space holds and who is on it. */
FZ_ORACLE static void plan_unmap(uint32_t di, uint64_t start, uint64_t end)
{
	uint32_t i, d;

	for (i = 0; i < NAS; i++) {
		const struct fake_as *a = &m.as[i];
		struct plan *p = &m.plan[i];

		*p = (struct plan){ .exists = a->exists, .id = a->id,
				    .unclean = a->unclean, .movable = true };
		if (!a->exists)
			continue;
		for (d = 0; d < NDEV; d++) {
			if (!m.dev_on[d] || m.phys[d] != a->id)
				continue;
			p->used = true;
			p->mirror |= in_domain(d, di);
			p->movable &= movable(d);
		}
		p->touched = areas_touched(a, start, end - start);
		p->crossed = crosses(a, start) || crosses(a, end);
		p->build = build_count(a, di, start, end);
	}
}

FZ_ORACLE static const struct plan *plan_of(uint32_t id)
{
	uint32_t i;

	for (i = 0; i < NAS; i++)
		if (m.plan[i].exists && m.plan[i].id == id)
			return &m.plan[i];
	return NULL;
}

/* Must a cut of the space be built beside it? */
FZ_ORACLE static bool beside(const struct plan *p)
{
	return p->mirror && p->crossed && p->movable;
}

/* A space built beside by a cut: its devices came from one space, whose
 * content it holds as build_count() says, made by copies when the sink
 * has copy; a second space left dirty is emptied first. */
FZ_ORACLE static void check_built(const struct fake_as *a,
				  const struct plan *p)
{
	const struct plan *x = NULL;
	bool dirty = p && p->unclean;
	uint32_t d;

	for (d = 0; d < NDEV; d++) {
		const struct plan *from;

		if (!m.dev_on[d] || m.phys[d] != a->id)
			continue;
		from = plan_of(m.pre_phys[d]);
		if (!from || (x && from != x))
			call_bug("device %u moved onto space %u from %u, not "
				 "with the others", d, a->id, m.pre_phys[d]);
		x = from;
	}
	if (!x || !beside(x))
		call_bug("devices moved to space %u, but no host area of "
			 "their space crosses the cut, or one cannot move",
			 a->id);
	if (a->unmaps || a->maps + a->copies != x->build ||
	    (m.copy ? a->maps : a->copies) || areas(a->pg) != x->build)
		call_bug("space %u built beside %u with %u maps, %u copies, "
			 "%u unmaps into %u areas; want %u %s", a->id, x->id,
			 a->maps, a->copies, a->unmaps, areas(a->pg),
			 x->build, m.copy ? "copies" : "maps");
	if (dirty ? !a->unmap_alls || a->unmap_alls > CLEAR_TRIES ||
		    (!m.injected && a->unmap_alls != 1)
		  : a->unmap_alls)
		call_bug("space %u (%s) built beside after %u unmap-alls",
			 a->id, dirty ? "dirty" : "clean", a->unmap_alls);
}

/* A space a cut moved its devices off: freed in sharing mode; without
 * sharing it is emptied with unmap-all, retried if that fails. */
FZ_ORACLE static void check_left(const struct fake_as *a,
				 const struct plan *p)
{
	if (!beside(p))
		call_bug("devices moved off space %u, though no host area "
			 "there crosses the cut, or one cannot move", a->id);
	if (m.shared)
		call_bug("space %u kept after the cut moved its devices off",
			 a->id);
	if (a->maps || a->unmaps || a->copies || !a->unmap_alls ||
	    a->unmap_alls > CLEAR_TRIES ||
	    (!m.injected && a->unmap_alls != 1))
		call_bug("space %u left by a cut: %u maps, %u unmaps, %u "
			 "copies, %u unmap-alls", a->id, a->maps, a->unmaps,
			 a->copies, a->unmap_alls);
}

/* A cut in place: whole areas unmapped, at most two maps back. */
FZ_ORACLE static void check_in_place(const struct fake_as *a,
				     const struct plan *p)
{
	if (!p || (!p->used && !m.shared))
		call_bug("space %u, which no device was or is on, got %u "
			 "maps, %u unmaps, %u unmap-alls, %u copies", a->id,
			 a->maps, a->unmaps, a->unmap_alls, a->copies);
	if (beside(p))
		call_bug("space %u cut in place, though a host area crosses "
			 "the cut and its devices can move", a->id);
	if (a->maps > 2 || a->unmaps != p->touched || a->unmap_alls ||
	    a->copies)
		call_bug("space %u: %u maps, %u unmaps (%u areas touched), "
			 "%u unmap-alls, %u copies for an unmap", a->id,
			 a->maps, a->unmaps, p->touched, a->unmap_alls,
			 a->copies);
}

/* What a successful unmap did, space by space: each device moved with
 * one replace or stayed; every allocation is a space built beside. */
FZ_ORACLE static void check_unmap_ops(void)
{
	uint32_t i, d, moved = 0, fresh = 0;

	for (d = 0; d < NDEV; d++) {
		bool gone = m.dev_on[d] && m.phys[d] != m.pre_phys[d];

		if (m.dev_replaces[d] != gone)
			call_bug("device %u %s with %u replaces", d,
				 gone ? "moved" : "stayed", m.dev_replaces[d]);
		moved += gone;
	}
	for (i = 0; i < NAS; i++) {
		const struct fake_as *a = &m.as[i];
		const struct plan *p;
		bool was, now;

		if (!a->exists)
			continue;
		p = plan_of(a->id);
		was = p && p->used;
		now = user_of(a->id) >= 0;
		if (now && !was) {
			check_built(a, p);
			fresh += !p;
		} else if (was && !now) {
			check_left(a, p);
		} else if (a->maps || a->unmaps || a->unmap_alls ||
			   a->copies || (p && now && beside(p))) {
			check_in_place(a, p);
		}
	}
	if (m.allocs != fresh || m.replaces != moved)
		call_bug("%u allocations for %u spaces built, %u replaces for "
			 "%u devices moved", m.allocs, fresh, m.replaces,
			 moved);
}

static void do_unmap(uint32_t di, uint32_t first, uint64_t len)
{
	uint64_t i, last = first + len / PG;
	struct hpage before[P];
	bool held = false;
	int rc;

	begin("unmap");
	m.unmap_call = true;
	content_domain(di, before);
	for (i = first; m.dom_on[di] && i < P && i < last; i++) {
		held |= m.dom[di][i].on;
		m.dom[di][i].on = false;
	}
	/* The tracker cuts the guest mapping the range ends in. */
	if (m.dom_on[di] && last < P && m.dom[di][last].on)
		m.dom[di][last].start = true;
	plan_unmap(di, first, last);
	union_envelope(di, before);
	floors();
	rc = iommunest_tracker_unmap(m.t, di + 1, first * PG, len);
	/* Holding nothing there: no host operation. */
	end(rc, m.dom_on[di] ? 0 : -ENOENT, !held, -1);
	if (!rc)
		check_unmap_ops();
}

/* What a successful switch of device d may do on the host. */
static void check_switch_ops(uint32_t d, bool same)
{
	const struct fake_as *a = dev_as(d);
	struct hpage exp[P];
	uint32_t want_maps;

	/* Asking for what it has: nothing, except where a failure left the
	 * space in doubt, or a blocked device sits off the empty space. */
	if (same && !m.host_ops)
		return;
	if (same && !(m.shared ? m.state[d] == IOMMUNEST_DEV_BLOCKED &&
				 m.pre_phys[d] != m.blocked_as
			       : m.pre_unclean[d]))
		call_bug("device %u already had the target: %u host "
			 "operations", d, m.host_ops);
	content_state(m.state[d], m.domain[d], exp);
	want_maps = runs(exp);
	if (m.shared) {
		/* One replace; maps only to build a fresh space. */
		if (m.unmaps || m.unmap_alls || m.copies || m.replaces != 1 ||
		    (m.maps && !m.allocs) || (m.allocs && m.maps != want_maps))
			call_bug("sharing mode switch: %u maps (%u runs), %u "
				 "unmaps, %u unmap-alls, %u copies, %u "
				 "replaces, %u allocations", m.maps, want_maps,
				 m.unmaps, m.unmap_alls, m.copies, m.replaces,
				 m.allocs);
		return;
	}
	/* In place: the device stays on the space it is on. */
	if (m.copies || m.replaces || m.allocs)
		call_bug("device %u switched with %u copies, %u replaces, %u "
			 "allocations", d, m.copies, m.replaces, m.allocs);
	/* Emptied first, then one map per run. */
	if (m.maps != want_maps || areas(a->pg) != want_maps)
		call_bug("device %u replayed with %u maps into %u areas; the "
			 "content has %u runs", d, m.maps, areas(a->pg),
			 want_maps);
	if (m.injected)
		return;
	if (m.ranges && !m.pre_unclean[d]
	    ? m.unmap_alls || m.unmaps != areas(m.env[d][0])
	    : m.unmap_alls != 1 || m.unmaps)
		call_bug("device %u emptied with %u unmaps (%u areas) and %u "
			 "unmap-alls", d, m.unmaps, areas(m.env[d][0]),
			 m.unmap_alls);
}

/* kind: IOMMUNEST_DEV_*; domain: an ID (maybe absent) for DEV_DOMAIN. */
static void do_switch(uint32_t d, uint32_t kind, uint32_t domain)
{
	bool known = d < NDEV && m.dev_on[d], same = false;
	int want = 0, rc;

	begin("switch");
	if (!known || (kind == IOMMUNEST_DEV_DOMAIN &&
		       (domain < 1 || domain > NDOM || !m.dom_on[domain - 1])))
		want = -ENOENT;
	if (!want) {
		m.post_state[d] = kind;
		m.post_dom[d] = kind == IOMMUNEST_DEV_DOMAIN ? domain : 0;
		same = m.state[d] == m.post_state[d] &&
		       m.domain[d] == m.post_dom[d];
		env_post(d);
		if (!m.shared)
			m.emptying_as = m.phys[d];
	}
	floors();
	if (kind == IOMMUNEST_DEV_DOMAIN)
		rc = iommunest_tracker_set_domain(m.t, dev_id(d), domain);
	else if (kind == IOMMUNEST_DEV_PASSTHROUGH)
		rc = iommunest_tracker_set_passthrough(m.t, dev_id(d));
	else
		rc = iommunest_tracker_set_blocked(m.t, dev_id(d));
	end(rc, want, false, want ? -1 : (int)d);
	/* Any switch of a stale device starts by emptying its space. */
	if (!want && !m.shared && m.pre_unclean[d] &&
	    (!m.host_ops || m.first_kind != H_UNMAP_ALL ||
	     m.first_as != m.pre_phys[d]))
		call_bug("device %u was stale, but the switch began with host "
			 "operation %u on space %u", d, m.first_kind,
			 m.first_as);
	if (!want && !rc)
		check_switch_ops(d, same);
}

static void do_add_ram(uint32_t first, uint32_t n)
{
	uint64_t hva = (uint64_t)(m.nregions + 1) << 32;
	uint32_t i, d;
	int want = 0, rc;

	if (n > P - first)
		n = P - first;
	begin("add_ram");
	for (i = first; i < first + n; i++)
		if (m.ram[i])
			want = -EEXIST;
	/* The region is kept even if mapping it somewhere fails. */
	if (!want) {
		for (i = first; i < first + n; i++) {
			m.ram[i] = true;
			m.ram_hva[i] = hva + (i - first) * PG;
			m.region[i] = (uint8_t)m.nregions;
		}
		m.nregions++;
	}
	for (d = 0; d < NDEV; d++)
		if (m.dev_on[d] && m.state[d] == IOMMUNEST_DEV_PASSTHROUGH)
			env_post(d);
	floors();
	rc = iommunest_tracker_add_ram(m.t, first * PG, n * PG,
				       (void *)(uintptr_t)hva);
	end(rc, want, false, -1);
	if (rc)
		return;
	/* One map per passthrough space, covering the region. */
	if (m.copies || m.replaces || m.allocs)
		call_bug("new RAM made %u copies, %u replaces, %u allocations",
			 m.copies, m.replaces, m.allocs);
	for (i = 0; i < NAS; i++)
		if (m.as[i].exists && (m.as[i].maps || m.as[i].unmaps ||
				       m.as[i].unmap_alls) &&
		    (m.as[i].maps != 1 || m.as[i].unmaps ||
		     m.as[i].unmap_alls))
			call_bug("space %u: %u maps, %u unmaps, %u unmap-alls "
				 "for new RAM", m.as[i].id, m.as[i].maps,
				 m.as[i].unmaps, m.as[i].unmap_alls);
	for (d = 0; d < NDEV; d++)
		if (m.dev_on[d] && m.state[d] == IOMMUNEST_DEV_PASSTHROUGH &&
		    dev_as(d)->maps != 1)
			call_bug("passthrough device %u got %u maps", d,
				 dev_as(d)->maps);
}

/* own: without sharing, the device's space is VMM_AS(own). */
static void do_dev_add(uint32_t d, uint32_t own, bool null_replace)
{
	uint32_t as = VMM_AS(own);
	int want = 0, rc;

	if (m.dev_on[d])
		want = -EEXIST;
	else if ((m.shared || m.no_holes) && null_replace)
		want = -EINVAL;
	else if (!m.shared && own_taken(as))
		want = -EEXIST;
	/* Without sharing the VMM attaches the device to its space. */
	if (!want && !m.shared)
		m.phys[d] = as;
	begin("device_add");
	if (!want) {
		m.watch[d] = true;
		m.post_on[d] = true;
		m.post_state[d] = IOMMUNEST_DEV_BLOCKED;
		m.post_dom[d] = 0;
		env_post(d);
	}
	floors();
	rc = iommunest_tracker_device_add(m.t, dev_id(d), as,
					  null_replace ? NULL : s_replace,
					  (void *)(uintptr_t)d);
	end(rc, want, false, want ? -1 : (int)d);
	if (want || rc)
		return;
	m.own[d] = as;
	m.has_replace[d] = !null_replace;
	if (m.copies || (m.allocs && !m.shared))
		call_bug("device %u added with %u copies, %u allocations", d,
			 m.copies, m.allocs);
	if (m.shared) {
		/* Moved onto the one empty space. */
		if (m.blocked_as == NONE)
			m.blocked_as = m.phys[d];
		if (m.phys[d] != m.blocked_as || m.replaces != 1 ||
		    m.maps || m.unmaps || m.unmap_alls)
			call_bug("device %u added onto space %u (the empty one "
				 "is %u) with %u replaces, %u maps, %u unmaps, "
				 "%u unmap-alls", d, m.phys[d], m.blocked_as,
				 m.replaces, m.maps, m.unmaps, m.unmap_alls);
	} else if (!m.injected && (m.unmap_alls != 1 || m.host_ops != 1)) {
		/* Emptied with one unmap-all, also with UNMAP_RANGES. */
		call_bug("device %u added with %u host operations, %u "
			 "unmap-alls", d, m.host_ops, m.unmap_alls);
	}
}

/* Without sharing a removed device is back on its own space, empty,
 * and its second space, if it had one, is freed. */
FZ_ORACLE static void check_own_removal(uint32_t d)
{
	bool back = m.pre_phys[d] != m.own[d];
	uint32_t i;

	if (m.phys[d] != m.own[d] || !as_empty(dev_as(d)))
		call_bug("device %u removed on space %u (its own is %u), %s", d,
			 m.phys[d], m.own[d],
			 as_empty(dev_as(d)) ? "empty" : "with mappings left");
	for (i = 0; i < NAS; i++)
		if (m.as[i].exists && m.as[i].owner == (int)d)
			call_bug("device %u removed, its second space %u kept",
				 d, m.as[i].id);
	if (m.maps || m.copies || m.allocs || m.dev_replaces[d] != back)
		call_bug("device %u removed with %u maps, %u copies, %u "
			 "allocations, %u replaces", d, m.maps, m.copies,
			 m.allocs, m.dev_replaces[d]);
}

static void do_dev_remove(uint32_t d)
{
	int want = m.dev_on[d] ? 0 : -ENOENT, rc;

	begin("device_remove");
	m.removing = true;
	m.subject = want ? -1 : (int)d;
	if (!want) {
		m.post_on[d] = false;
		m.post_state[d] = IOMMUNEST_DEV_BLOCKED;
		m.post_dom[d] = 0;
		env_post(d);
		if (!m.shared)
			m.emptying_as = m.phys[d];
	}
	floors();
	rc = iommunest_tracker_device_remove(m.t, dev_id(d));
	end(rc, want, false, m.subject);
	if (rc)
		return;
	/* Left blocked: without sharing the VMM gets its empty space back;
	 * in sharing mode it stays on the tracker's empty space. */
	if (!m.shared)
		check_own_removal(d);
	if (m.shared && m.phys[d] != m.blocked_as)
		call_bug("device %u removed on space %u, not the empty %u", d,
			 m.phys[d], m.blocked_as);
}

static void do_dom_add(uint32_t di)
{
	int want = m.dom_on[di] ? -EEXIST : 0, rc;

	begin("domain_add");
	if (!want) {
		m.dom_on[di] = true;
		memset(m.dom[di], 0, sizeof(m.dom[di]));
	}
	rc = iommunest_tracker_domain_add(m.t, di + 1);
	end(rc, want, true, -1);
}

static void do_dom_remove(uint32_t di)
{
	int want = 0, rc;
	uint32_t d;

	begin("domain_remove");
	if (!m.dom_on[di])
		want = -ENOENT;
	for (d = 0; d < NDEV && !want; d++)
		if (in_domain(d, di))
			want = -EBUSY;
	if (!want) {
		m.dom_on[di] = false;
		memset(m.dom[di], 0, sizeof(m.dom[di]));
	}
	rc = iommunest_tracker_domain_remove(m.t, di + 1);
	/* Only as_free, in sharing mode, which is not a host operation. */
	end(rc, want, true, -1);
}

/* iommunest_tracker_new() refusals: -EINVAL, and *tracker untouched. */
static int new_refused(uint8_t x)
{
	struct iommunest_tracker *t = (struct iommunest_tracker *)&m;
	struct iommunest_sink sink = {
		.map = s_map, .unmap = s_unmap, .unmap_all = s_unmap_all,
		.as_alloc = s_as_alloc, .as_free = s_as_free,
	};
	uint32_t flags = 0;
	int rc;

	switch (x % 6) {
	case 0:
		rc = iommunest_tracker_new(NULL, 0, &t);
		break;
	case 1:
		rc = iommunest_tracker_new(&sink, 0, NULL);
		break;
	case 2: /* a callback missing */
		if (x & 8)
			sink.map = NULL;
		else if (x & 16)
			sink.unmap = NULL;
		else
			sink.unmap_all = NULL;
		rc = iommunest_tracker_new(&sink, 0, &t);
		break;
	case 3: /* sharing or no holes without allocation */
		flags = x & 32 ? IOMMUNEST_TRACKER_NO_HOLES
			       : IOMMUNEST_TRACKER_SHARED;
		if (x & 8)
			sink.as_alloc = NULL;
		else
			sink.as_free = NULL;
		rc = iommunest_tracker_new(&sink, flags, &t);
		break;
	default: /* an unknown flag */
		flags = 1u << (3 + x % 29);
		rc = iommunest_tracker_new(&sink, flags, &t);
		break;
	}
	if (t != (struct iommunest_tracker *)&m)
		call_bug("tracker_new refused (%d) but wrote *tracker", rc);
	return rc;
}

/* iommunest_tracker_set_sink_ext() refusals: -EINVAL, and the copy the
 * tracker uses unchanged.  The extension offered has copy where the
 * tracker has none and none where it has: taking it would show. */
static int ext_refused(uint8_t x)
{
	struct iommunest_sink_ext ext = {
		.size = sizeof(ext), .copy = m.copy ? NULL : s_copy,
	};

	switch (x % 4) {
	case 0:
		return iommunest_tracker_set_sink_ext(NULL, &ext);
	case 1:
		return iommunest_tracker_set_sink_ext(m.t, NULL);
	case 2: /* reserved must be 0 */
		ext.reserved = 1u << (x >> 3 & 31);
		return iommunest_tracker_set_sink_ext(m.t, &ext);
	default: /* too short even for size and reserved */
		ext.size = x % 8u;
		return iommunest_tracker_set_sink_ext(m.t, &ext);
	}
}

/* Bad arguments: refused before anything happens. */
static void do_invalid(uint8_t sub, uint8_t x)
{
	uint32_t st = 0xdead, dm = 0xbeef, dom = 1 + (x & 3u);
	uint64_t iova = (uint64_t)(x % P) * PG;
	struct iommunest_tracker_stats stats = { .maps = 0xdead };
	int want = -EINVAL, rc;

	begin("invalid");
	switch (sub % 20) {
	case 0: /* misaligned IOVA */
		rc = iommunest_tracker_map(m.t, dom, iova + 1 + x, PG, 0, RW);
		break;
	case 1: /* empty */
		rc = iommunest_tracker_map(m.t, dom, iova, 0, 0, RW);
		break;
	case 2: /* no permission */
		rc = iommunest_tracker_map(m.t, dom, iova, PG, 0, 0);
		break;
	case 3: /* unknown permission bit */
		rc = iommunest_tracker_map(m.t, dom, iova, PG, 0,
					   RW | (4u << (x & 7)));
		break;
	case 4: /* IOVA reaches the top */
		rc = iommunest_tracker_map(m.t, dom, 0 - PG * (1 + (x & 1)),
					   2 * PG, 0, RW);
		break;
	case 5: /* guest-physical range reaches the top */
		rc = iommunest_tracker_map(m.t, dom, iova, 2 * PG,
					   0 - PG * (1 + (x & 1)), RW);
		break;
	case 6: /* misaligned guest-physical address */
		rc = iommunest_tracker_map(m.t, dom, iova, PG, 8u + x, RW);
		break;
	case 7: /* misaligned length */
		rc = iommunest_tracker_unmap(m.t, dom, iova, PG + 1 + x);
		break;
	case 8:
		rc = iommunest_tracker_unmap(m.t, dom, iova, 0);
		break;
	case 9: /* reaches the top of the address space */
		rc = iommunest_tracker_unmap(m.t, dom, iova, 0 - iova);
		break;
	case 10:
		rc = iommunest_tracker_add_ram(m.t, iova, PG, NULL);
		break;
	case 11: /* misaligned guest-physical address */
		rc = iommunest_tracker_add_ram(m.t, iova + 512, PG,
					       (void *)(uintptr_t)0x1000);
		break;
	case 12: /* hva + length wraps */
		rc = iommunest_tracker_add_ram(m.t, iova, 2 * PG,
					       (void *)(uintptr_t)(0 - PG));
		break;
	case 13: /* misaligned host address */
		rc = iommunest_tracker_add_ram(m.t, iova, PG,
				(void *)(uintptr_t)(0x10000 + 8u * (1u + x)));
		break;
	case 14: /* a domain that is never added */
		want = -ENOENT;
		rc = x & 1 ? iommunest_tracker_map(m.t, NO_DOMAIN, iova, PG,
						   0, RW)
			   : iommunest_tracker_unmap(m.t, NO_DOMAIN, iova, PG);
		if (rc == -ENOENT)
			rc = iommunest_tracker_domain_remove(m.t, NO_DOMAIN);
		break;
	case 15: /* a device that is never added; nothing written */
		want = -ENOENT;
		rc = iommunest_tracker_device_state(m.t, NO_DEVICE, &st, &dm);
		if (st != 0xdead || dm != 0xbeef)
			call_bug("device_state wrote %u/%u on failure", st,
				 dm);
		if (rc == -ENOENT)
			rc = iommunest_tracker_device_remove(m.t, NO_DEVICE);
		if (rc == -ENOENT)
			rc = iommunest_tracker_set_passthrough(m.t, NO_DEVICE);
		break;
	case 16: /* no tracker */
		rc = iommunest_tracker_map(NULL, dom, iova, PG, 0, RW);
		if (rc == -EINVAL)
			rc = iommunest_tracker_unmap(NULL, dom, iova, PG);
		if (rc == -EINVAL)
			rc = iommunest_tracker_set_blocked(NULL, dev_id(0));
		if (rc == -EINVAL)
			rc = iommunest_tracker_device_remove(NULL, dev_id(0));
		if (rc == -EINVAL)
			rc = iommunest_tracker_device_add(NULL, NO_DEVICE,
					VMM_AS(0), s_replace, NULL);
		if (rc == -EINVAL)
			rc = iommunest_tracker_domain_remove(NULL, 1);
		if (rc == -EINVAL)
			rc = iommunest_tracker_add_ram(NULL, 0, PG,
					(void *)(uintptr_t)0x1000);
		if (rc == -EINVAL)
			rc = iommunest_tracker_stats(NULL, &stats);
		if (stats.maps != 0xdead)
			call_bug("tracker_stats(NULL) wrote %s", "stats");
		break;
	case 17: /* the same device twice */
		want = -EEXIST;
		rc = m.dev_on[x % NDEV]
			? iommunest_tracker_device_add(m.t, dev_id(x % NDEV),
				VMM_AS(NDEV + x % 4u), s_replace,
				(void *)(uintptr_t)(x % NDEV))
			: -EEXIST;
		break;
	case 18: /* trackers that cannot be made; nothing to free */
		rc = new_refused(x);
		iommunest_tracker_free(NULL);
		if (rc == -EINVAL)
			rc = iommunest_tracker_domain_add(NULL, dom);
		break;
	default: /* no result pointer; sink extensions refused */
		rc = iommunest_tracker_device_state(m.t, dev_id(x % NDEV),
						    NULL, NULL);
		if (rc == -EINVAL)
			rc = iommunest_tracker_stats(m.t, NULL);
		if (rc == -EINVAL)
			rc = ext_refused(x);
		break;
	}
	end(rc, want, true, -1);
}

/* ---- decoding ----------------------------------------------------------- */

static const uint32_t perms[4] = { RW, IOMMUNEST_MAP_READ,
				   IOMMUNEST_MAP_WRITE, RW };

static void decode_op(struct fz_in *in, uint8_t op)
{
	uint8_t a = fz_u8(in), b, c;
	uint32_t di = a & 3u, d = a % NDEV, first, n, gpa, kind;
	uint64_t len;

	switch ((op & 0x7f) % 12) {
	case 0:
	case 1: /* map: a = domain, pages-1, perm, offset mode; b, c */
		b = fz_u8(in);
		c = fz_u8(in);
		first = b % P;
		n = 1 + ((a >> 2) & 7u);
		gpa = a & 0x80 ? (first + c) % P : c % P;
		if (op & 0x40 && m.dom[di][first].on) { /* re-add */
			do_map(di, first, n, m.dom[di][first].gpa,
			       m.dom[di][first].perm);
			break;
		}
		do_map(di, first, n, gpa, perms[(a >> 5) & 3u]);
		break;
	case 2:
	case 3: /* unmap: a = domain, pages; b = first page */
		b = fz_u8(in);
		first = b % P;
		n = 1 + (a >> 2);
		len = n == 64 ? 0 - PG - first * PG : n * PG;
		do_unmap(di, first, len);
		break;
	case 4:
	case 5:
	case 6: /* switch: a = device (3: unknown), target */
		kind = (a >> 2) & 7u;
		d = a & 3u;
		if (d == 3)
			d = NO_DEVICE;
		if (kind < 4)
			do_switch(d, IOMMUNEST_DEV_DOMAIN, 1 + kind);
		else if (kind == 4)
			do_switch(d, IOMMUNEST_DEV_DOMAIN, NO_DOMAIN);
		else
			do_switch(d, kind == 5 ? IOMMUNEST_DEV_PASSTHROUGH
					       : IOMMUNEST_DEV_BLOCKED, 0);
		break;
	case 7: /* hot-add RAM: a = first page; b = pages - 1 */
		b = fz_u8(in);
		do_add_ram(a % P, 1 + (b & 15u));
		break;
	case 8: /* device: a = device, remove, NULL replace, whose space */
		if (a & 0x80)
			do_dev_remove(d);
		else
			do_dev_add(d, a & 0x20 ? (a >> 2) % NDEV : d,
				   a & 0x40);
		break;
	case 9:
		if (a & 0x80)
			do_dom_remove(di);
		else
			do_dom_add(di);
		break;
	case 10:
		b = fz_u8(in);
		do_invalid(a, b);
		break;
	default: /* a switch there and back */
		do_switch(d, IOMMUNEST_DEV_DOMAIN, 1 + ((a >> 2) & 3u));
		do_switch(d, a & 0x40 ? IOMMUNEST_DEV_PASSTHROUGH
				      : IOMMUNEST_DEV_BLOCKED, 0);
		break;
	}
}

/* The failure-injection byte: fail host operations first .. first+count-1
 * of each call of the operation (bit 7: and every later one). */
static void decode_failures(struct fz_in *in, uint8_t op)
{
	uint8_t f;

	no_injection();
	if (!(op & 0x80))
		return;
	f = fz_u8(in);
	m.fail_first = f & 15u;
	m.fail_count = 1 + ((f >> 4) & 7u);
	m.fail_rest = f & 0x80;
}

/* A tracker refuses a sink that cannot allocate in sharing mode and
 * with NO_HOLES: check that, then carry on with the whole sink. */
static void check_needs_alloc(const struct iommunest_sink *sink,
			      uint32_t flags)
{
	struct iommunest_sink bare = *sink;
	struct iommunest_tracker *t = NULL;
	int rc;

	bare.as_alloc = NULL;
	bare.as_free = NULL;
	rc = iommunest_tracker_new(&bare, flags, &t);
	if (rc != -EINVAL || t)
		bug("tracker_new (flags %#x) took a sink without as_alloc "
		    "and as_free: %d", flags, rc);
}

static void setup(struct fz_in *in)
{
	struct iommunest_sink sink = {
		.map = s_map, .unmap = s_unmap, .unmap_all = s_unmap_all,
		.as_alloc = s_as_alloc, .as_free = s_as_free,
	};
	struct iommunest_sink_ext ext = { .size = sizeof(ext),
					  .copy = s_copy };
	uint8_t mode = fz_u8(in), more = mode & MODE_MORE ? fz_u8(in) : 0;
	uint32_t flags = 0, d, i;
	int rc;

	memset(&m, 0, sizeof(m));
	m.shared = mode & MODE_SHARED;
	m.ranges = mode & MODE_RANGES;
	m.no_holes = mode & MODE_NO_HOLES;
	m.alloc_sink = true;
	m.blocked_as = NONE;
	if (m.shared)
		flags |= IOMMUNEST_TRACKER_SHARED;
	if (m.ranges)
		flags |= IOMMUNEST_TRACKER_UNMAP_RANGES;
	if (m.no_holes)
		flags |= IOMMUNEST_TRACKER_NO_HOLES;
	if ((more & MORE_NO_ALLOC) && (m.shared || m.no_holes)) {
		check_needs_alloc(&sink, flags);
	} else if (more & MORE_NO_ALLOC) {
		sink.as_alloc = NULL;
		sink.as_free = NULL;
		m.alloc_sink = false;
	}
	rc = iommunest_tracker_new(&sink, flags, &m.t);
	if (rc)
		bug("tracker_new: %d", rc);
	/* An extension whose size cuts copy off, or short, gives none. */
	if (mode & MODE_COPY) {
		if (more & MORE_OLD_EXT)
			ext.size = (uint32_t)offsetof(struct iommunest_sink_ext,
						      copy) + (more >> 5);
		rc = iommunest_tracker_set_sink_ext(m.t, &ext);
		if (rc)
			bug("set_sink_ext (size %u): %d", ext.size, rc);
		m.copy = !(more & MORE_OLD_EXT);
	}
	for (d = 0; d < NDEV; d++) { /* the VMM's own IOAS per device */
		m.as[d].exists = true;
		m.as[d].id = VMM_AS(d);
		m.as[d].owner = -1;
		m.phys[d] = VMM_AS(d);
		m.own[d] = NONE;
		if (!(mode & MODE_PRECONTENT))
			continue;
		for (i = 8 * d; i < 8 * d + 4; i++)
			m.as[d].pg[i] = (struct hpage){
				.on = true, .perm = RW,
				.area_start = (uint8_t)(8 * d), .area_len = 4,
				.hva = 0xdead00000000ull + i * PG,
			};
	}
	no_injection();
	/* Two touching regions (a run breaks between them), a hole, a third
	 * region; the rest is for hot-add. */
	if (!(mode & MODE_NO_RAM)) {
		do_add_ram(0, 16);
		do_add_ram(16, 8);
		do_add_ram(32, 16);
	}
	if (mode & MODE_BARE)
		return;
	for (i = 0; i < NDOM; i++)
		do_dom_add(i);
	for (d = 0; d < NDEV; d++)
		do_dev_add(d, d, !m.shared && !m.no_holes &&
				 (more & MORE_FIXED & (1u << d)));
}

/* After tracker_free: what it allocated is freed, except (without
 * sharing, after an injected failure) a second space a device could not
 * be moved off; a device it moved is back on its own space, empty. */
FZ_ORACLE static void check_freed(void)
{
	uint32_t i, d;

	for (i = 0; i < NAS; i++)
		if (m.as[i].exists && m.as[i].owned &&
		    (m.shared || !m.injected || user_of(m.as[i].id) < 0))
			bug("tracker_free left address space %u allocated (%u "
			    "in all)", m.as[i].id, m.live_alloc);
	for (d = 0; d < NDEV; d++)
		if (m.dev_on[d] && m.phys[d] != m.pre_phys[d] &&
		    (m.phys[d] != m.own[d] || !as_empty(dev_as(d))))
			bug("tracker_free moved device %u to space %u (its own "
			    "is %u), %s", d, m.phys[d], m.own[d],
			    as_empty(dev_as(d)) ? "empty" : "not empty");
}

static void teardown(void)
{
	struct iommunest_tracker_stats st;
	uint32_t d;
	int rc;

	m.op = "teardown";
	rc = iommunest_tracker_stats(m.t, &st);
	if (rc)
		bug("tracker_stats: %d", rc);
	/* A copy makes a host area: counted as a map. */
	if (st.maps != m.n_map + m.n_copy || st.unmaps != m.n_unmap ||
	    st.unmap_alls != m.n_unmap_all || st.replaces != m.n_replace ||
	    st.failures != m.n_failed)
		bug("stats: %llu maps, %llu unmaps, %llu unmap-alls, %llu "
		    "replaces, %llu failures; the sink saw %llu (and %llu "
		    "copies), %llu, %llu, %llu, %llu",
		    (unsigned long long)st.maps,
		    (unsigned long long)st.unmaps,
		    (unsigned long long)st.unmap_alls,
		    (unsigned long long)st.replaces,
		    (unsigned long long)st.failures,
		    (unsigned long long)m.n_map, (unsigned long long)m.n_copy,
		    (unsigned long long)m.n_unmap,
		    (unsigned long long)m.n_unmap_all,
		    (unsigned long long)m.n_replace,
		    (unsigned long long)m.n_failed);
	/* Without sharing tracker_free moves devices off their second
	 * spaces (host_op() allows nothing else), failing as the last
	 * call's input says. */
	begin("teardown");
	m.teardown = true;
	for (d = 0; d < NDEV; d++)
		m.floor_on[d] = false;
	iommunest_tracker_free(m.t);
	m.in_call = false;
	check_freed();
}

int fuzz_tracker_one(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size, 0 };
	unsigned int ops = 0;
	uint8_t op;

	setup(&in);
	while (fz_more(&in) && ops++ < MAX_OPS) {
		op = fz_u8(&in);
		decode_failures(&in, op);
		decode_op(&in, op);
	}
	teardown();
	return 0;
}

#ifndef FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_tracker_one(data, size);
}
#endif
