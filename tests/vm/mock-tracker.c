/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, mock profile: the shadow-domain tracker driving real
 * IOASes through the IOAS sink, with two mock devices.  After every switch
 * the mock check-map op proves that the device's page table holds exactly
 * the new target's pages and nothing of the old one; and through a random
 * run of maps, partial unmaps and switches, after every single host
 * operation, that no page the guest kept is missing (no holes) and
 * nothing the guest never had is there.
 */
#include <stdlib.h>

#include "vmtest.h"
#include "libiommunest/tracker.h"

#define PG 4096ull
#define RAM_GPA MOCK_APERTURE_START /* identity maps land in the aperture */
#define RAM_PAGES 32ull
#define NDEV 2
#define RW (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define DOM_A 1u
#define DOM_B 2u
#define IOVA_A (MOCK_APERTURE_START + 0x1000000ull)
#define IOVA_B (MOCK_APERTURE_START + 0x2000000ull)

static struct iommunest_ctx *ctx;
static uint8_t *ram[2];          /* two RAM regions, 16 pages each */
static struct mock_dev dev[NDEV];
static uint32_t ioas[NDEV];

static void *hva_of(uint64_t gpa)
{
	uint64_t page = (gpa - RAM_GPA) / PG;

	return ram[page / 16] + (page % 16) * PG;
}

/* Pages of domain A: 8 pages at IOVA_A -> gpa pages 0..7 (one run);
 * domain B: 4 pages at IOVA_B -> gpa pages 20..23, and one page at
 * IOVA_B + 16 pages -> gpa page 2 (shared with A). */
struct expect {
	uint64_t iova, gpa, pages;
};
static const struct expect dom_a[] = { { IOVA_A, RAM_GPA, 8 } };
static const struct expect dom_b[] = {
	{ IOVA_B, RAM_GPA + 20 * PG, 4 },
	{ IOVA_B + 16 * PG, RAM_GPA + 2 * PG, 1 },
};

/* The device's page table maps exactly this list, page by page. */
static int maps_exactly(uint32_t hwpt, const struct expect *e, size_t n)
{
	size_t i;
	uint64_t p;

	for (i = 0; i < n; i++)
		for (p = 0; p < e[i].pages; p++)
			if (mock_check_map(ctx, hwpt, e[i].iova + p * PG, PG,
					   hva_of(e[i].gpa + p * PG)))
				return 0;
	return 1;
}

/* None of the list's IOVAs is mapped at all (checked against any page:
 * check-map fails both for "unmapped" and "maps something else", so a
 * page is unmapped when it matches no RAM page we own). */
static int maps_none(uint32_t hwpt, const struct expect *e, size_t n)
{
	uint64_t p, g;
	size_t i;

	for (i = 0; i < n; i++)
		for (p = 0; p < e[i].pages; p++)
			for (g = 0; g < RAM_PAGES; g++)
				if (!mock_check_map(ctx, hwpt,
						    e[i].iova + p * PG, PG,
						    hva_of(RAM_GPA + g * PG)))
					return 0;
	return 1;
}

static const struct expect identity[] = { { RAM_GPA, RAM_GPA, RAM_PAGES } };

static void build_domains(struct iommunest_tracker *t)
{
	uint64_t p;
	int rc = 0;

	rc |= iommunest_tracker_domain_add(t, DOM_A);
	rc |= iommunest_tracker_domain_add(t, DOM_B);
	/* A: eight single-page maps that replay as one run. */
	for (p = 0; p < 8; p++)
		rc |= iommunest_tracker_map(t, DOM_A, IOVA_A + p * PG, PG,
					    RAM_GPA + p * PG, RW);
	rc |= iommunest_tracker_map(t, DOM_B, IOVA_B, 4 * PG,
				    RAM_GPA + 20 * PG, IOMMUNEST_MAP_READ);
	rc |= iommunest_tracker_map(t, DOM_B, IOVA_B + 16 * PG, PG,
				    RAM_GPA + 2 * PG, RW);
	OK_EQ(rc, 0, "domains A and B built");
}

static struct iommunest_tracker *new_tracker(const struct iommunest_sink *s,
					     uint32_t flags)
{
	struct iommunest_tracker *t = NULL;
	int rc = iommunest_tracker_new(s, flags, &t);

	if (!rc)
		rc = iommunest_tracker_add_ram(t, RAM_GPA, 16 * PG, ram[0]);
	if (!rc)
		rc = iommunest_tracker_add_ram(t, RAM_GPA + 16 * PG, 16 * PG,
					       ram[1]);
	OK_EQ(rc, 0, "tracker with two RAM regions");
	return t;
}

static void test_switches(void)
{
	struct iommunest_tracker_stats st0, st1;
	struct iommunest_sink sink;
	struct iommunest_tracker *t;
	uint32_t state = 9, dom = 9;
	int i;

	iommunest_sink_ioas(ctx, &sink);
	t = new_tracker(&sink, 0);
	if (!t)
		return;
	for (i = 0; i < NDEV; i++)
		OK_EQ(iommunest_tracker_device_add(t, 10 + (uint32_t)i, ioas[i],
						   NULL, NULL), 0,
		      "device %d on its own IOAS", i);
	build_domains(t);

	iommunest_tracker_stats(t, &st0);
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_A), 0, "dev0 -> A");
	iommunest_tracker_stats(t, &st1);
	OK_EQ(st1.maps - st0.maps, 1, "A's eight pages replay as one map");
	OK(maps_exactly(dev[0].hwpt_id, dom_a, 1), "check-map: A's pages");
	OK(maps_none(dev[0].hwpt_id, dom_b, 2), "check-map: nothing of B");

	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_B), 0, "dev0 A -> B");
	OK(maps_exactly(dev[0].hwpt_id, dom_b, 2), "check-map: B's pages");
	OK(maps_none(dev[0].hwpt_id, dom_a, 1),
	   "check-map: A's IOVAs are no longer mapped");

	OK_EQ(iommunest_tracker_set_passthrough(t, 10), 0, "dev0 -> passthrough");
	OK(maps_exactly(dev[0].hwpt_id, identity, 1),
	   "check-map: all RAM at IOVA = guest-physical");
	OK(maps_none(dev[0].hwpt_id, dom_a, 1) &&
	   maps_none(dev[0].hwpt_id, dom_b, 2), "check-map: no domain pages");

	OK_EQ(iommunest_tracker_set_blocked(t, 10), 0, "dev0 -> blocked");
	OK(maps_none(dev[0].hwpt_id, identity, 1) &&
	   maps_none(dev[0].hwpt_id, dom_a, 1) &&
	   maps_none(dev[0].hwpt_id, dom_b, 2), "check-map: nothing at all");

	/* Both devices in A: updates reach both, partial unmaps are exact. */
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_A) |
	      iommunest_tracker_set_domain(t, 11, DOM_A), 0, "both -> A");
	OK_EQ(iommunest_tracker_unmap(t, DOM_A, IOVA_A + 3 * PG, 2 * PG), 0,
	      "unmap two pages in the middle of A's run");
	for (i = 0; i < NDEV; i++) {
		const struct expect left[] = { { IOVA_A, RAM_GPA, 3 },
			{ IOVA_A + 5 * PG, RAM_GPA + 5 * PG, 3 } };
		const struct expect gone[] = {
			{ IOVA_A + 3 * PG, RAM_GPA + 3 * PG, 2 } };

		OK(maps_exactly(dev[i].hwpt_id, left, 2) &&
		   maps_none(dev[i].hwpt_id, gone, 1),
		   "check-map: device %d keeps exactly the rest of A", i);
	}
	OK_EQ(iommunest_tracker_map(t, DOM_A, IOVA_A + 3 * PG, PG,
				    RAM_GPA + 30 * PG, RW), 0,
	      "map a page of the other RAM region into the hole");
	for (i = 0; i < NDEV; i++) {
		const struct expect now[] = {
			{ IOVA_A + 3 * PG, RAM_GPA + 30 * PG, 1 } };

		OK(maps_exactly(dev[i].hwpt_id, now, 1),
		   "check-map: device %d sees the new page", i);
	}
	OK_EQ(iommunest_tracker_map(t, DOM_A, IOVA_B, PG, 0x7fff0000000ull, RW),
	      -EFAULT, "a guest-physical address outside RAM is refused");
	OK_EQ(iommunest_tracker_device_state(t, 11, &state, &dom), 0,
	      "device state");
	OK(state == IOMMUNEST_DEV_DOMAIN && dom == DOM_A, "device 1 is in A");
	OK_EQ(iommunest_tracker_domain_remove(t, DOM_A), -EBUSY,
	      "a domain in use stays");
	OK_EQ(iommunest_tracker_device_remove(t, 10) |
	      iommunest_tracker_device_remove(t, 11), 0, "devices removed");
	OK(maps_none(dev[0].hwpt_id, dom_a, 1) &&
	   maps_none(dev[1].hwpt_id, dom_a, 1), "removed devices are empty");
	iommunest_tracker_free(t);
}

/* A sink over the IOAS sink that fails the n-th map. */
struct failing {
	struct iommunest_sink ioas;
	int maps_left;
};

static int failing_map(void *o, uint32_t as, uint64_t iova, uint64_t len,
		       void *hva, uint32_t perm)
{
	struct failing *f = o;

	if (f->maps_left-- == 0)
		return -ENOMEM;
	return f->ioas.map(f->ioas.opaque, as, iova, len, hva, perm);
}

static int failing_unmap(void *o, uint32_t as, uint64_t iova, uint64_t len)
{
	struct failing *f = o;

	return f->ioas.unmap(f->ioas.opaque, as, iova, len);
}

static int failing_unmap_all(void *o, uint32_t as)
{
	struct failing *f = o;

	return f->ioas.unmap_all(f->ioas.opaque, as);
}

static void test_failure_mid_replay(void)
{
	struct failing f = { .maps_left = -1 };
	struct iommunest_sink sink = {
		.map = failing_map, .unmap = failing_unmap,
		.unmap_all = failing_unmap_all, .opaque = &f,
	};
	struct iommunest_tracker *t;
	uint32_t state = 9;

	iommunest_sink_ioas(ctx, &f.ioas);
	t = new_tracker(&sink, 0);
	if (!t)
		return;
	OK_EQ(iommunest_tracker_device_add(t, 10, ioas[0], NULL, NULL), 0,
	      "device 0");
	build_domains(t);
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_A), 0, "dev0 -> A");
	f.maps_left = 1; /* B replays in two maps: the second fails */
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_B), -ENOMEM,
	      "a map failing in the middle of B's replay is reported");
	iommunest_tracker_device_state(t, 10, &state, NULL);
	OK_EQ(state, IOMMUNEST_DEV_BLOCKED, "the device ends blocked");
	OK(maps_none(dev[0].hwpt_id, dom_a, 1) &&
	   maps_none(dev[0].hwpt_id, dom_b, 2) &&
	   maps_none(dev[0].hwpt_id, identity, 1),
	   "check-map: nothing at all is mapped, neither A nor half of B");
	f.maps_left = -1;
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_B), 0, "retry -> B");
	OK(maps_exactly(dev[0].hwpt_id, dom_b, 2), "check-map: B's pages");
	iommunest_tracker_device_remove(t, 10);
	iommunest_tracker_free(t);
}

static int replace_mock(void *opaque, uint32_t pt_id)
{
	return mock_replace(ctx, opaque, pt_id);
}

/* ---- no holes, checked after every host operation ---------------------- */

#define W 16                     /* IOVA pages of the random run */
#define IOVA_W (MOCK_APERTURE_START + 0x3000000ull)
#define NONE_ (-1)
#define DOM_W 11u                /* its two domains: 11 and 12 */

static struct {
	int dom[2][W];           /* guest domains: IOVA page -> gpa page */
	int state[NDEV];         /* domain index, or NONE_ (blocked) */
	int floor[NDEV][W];      /* must stay mapped throughout the call */
	int allow[NDEV][2][W];   /* may be mapped: before or after */
	unsigned long ops, bad;
	uint64_t rng;
} h;

static uint32_t h_rnd(uint32_t n)
{
	h.rng ^= h.rng << 13;
	h.rng ^= h.rng >> 7;
	h.rng ^= h.rng << 17;
	return (uint32_t)(h.rng % n);
}

static int h_content(int state, int p)
{
	return state == NONE_ ? NONE_ : h.dom[state][p];
}

static void h_wrong(const char *what, int i, int p)
{
	if (!h.bad++)
		printf("# host operation %lu: device %d %s page %d\n", h.ops,
		       i, what, p);
}

/* The device's page table: the floor is there, and a page neither
 * content allows maps nothing. */
static void h_check(void)
{
	int i, p;

	h.ops++;
	for (i = 0; i < NDEV; i++)
		for (p = 0; p < W; p++) {
			uint64_t iova = IOVA_W + (uint64_t)p * PG;
			const struct expect one = { iova, 0, 1 };

			if (h.floor[i][p] != NONE_ &&
			    mock_check_map(ctx, dev[i].hwpt_id, iova, PG,
				hva_of(RAM_GPA + (uint64_t)h.floor[i][p] * PG)))
				h_wrong("lacks", i, p);
			if (h.allow[i][0][p] == NONE_ &&
			    h.allow[i][1][p] == NONE_ &&
			    !maps_none(dev[i].hwpt_id, &one, 1))
				h_wrong("has", i, p);
		}
}

static int h_replace(void *opaque, uint32_t pt_id)
{
	int rc = mock_replace(ctx, opaque, pt_id);

	h_check();
	return rc;
}

/* Before a call: floors and allowances from what each device holds. */
static void h_before(void)
{
	int i, p;

	for (i = 0; i < NDEV; i++)
		for (p = 0; p < W; p++)
			h.floor[i][p] = h.allow[i][0][p] =
				h_content(h.state[i], p);
}

/* After the model changed: keep in the floor what stays.  A device that
 * switches keeps nothing: a switch empties first. */
static void h_after(const int *post)
{
	int i, p;

	for (i = 0; i < NDEV; i++)
		for (p = 0; p < W; p++) {
			int now = h_content(post[i], p);

			h.allow[i][1][p] = now;
			if (post[i] != h.state[i] || now != h.floor[i][p])
				h.floor[i][p] = NONE_;
		}
}

static int h_map_call(struct iommunest_tracker *t, int d, int p,
		      const int *post)
{
	int n = 1 + (int)h_rnd(3), k, i;

	for (k = 0; k < n; k++)
		if (p + k >= W || h.dom[d][p + k] != NONE_)
			return 0; /* not free: no call */
	k = (int)h_rnd(RAM_PAGES - (uint32_t)n);
	for (i = 0; i < n; i++)
		h.dom[d][p + i] = k + i;
	h_after(post);
	return iommunest_tracker_map(t, DOM_W + (uint32_t)d,
				     IOVA_W + (uint64_t)p * PG,
				     (uint64_t)n * PG,
				     RAM_GPA + (uint64_t)k * PG, RW);
}

static int h_unmap_call(struct iommunest_tracker *t, int d, int p,
			const int *post)
{
	int n = 1 + (int)h_rnd(3), k;

	if (p + n > W)
		n = W - p;
	for (k = p; k < p + n; k++)
		h.dom[d][k] = NONE_;
	h_after(post);
	return iommunest_tracker_unmap(t, DOM_W + (uint32_t)d,
				       IOVA_W + (uint64_t)p * PG,
				       (uint64_t)n * PG);
}

static int h_switch_call(struct iommunest_tracker *t, int d, int *post)
{
	int i = (int)h_rnd(NDEV);

	post[i] = h_rnd(3) ? d : NONE_;
	h_after(post);
	h.state[i] = post[i];
	if (post[i] == NONE_)
		return iommunest_tracker_set_blocked(t, 10 + (uint32_t)i);
	return iommunest_tracker_set_domain(t, 10 + (uint32_t)i,
					    DOM_W + (uint32_t)d);
}

static int h_call(struct iommunest_tracker *t)
{
	int post[NDEV], d = (int)h_rnd(2), p = (int)h_rnd(W);
	uint32_t r = h_rnd(10);

	memcpy(post, h.state, sizeof(post));
	h_before();
	if (r < 4)
		return h_map_call(t, d, p, post);
	if (r < 7)
		return h_unmap_call(t, d, p, post);
	return h_switch_call(t, d, post);
}

static struct iommunest_tracker *h_setup(bool movable)
{
	struct iommunest_sink sink;
	struct iommunest_sink_ext ext;
	struct iommunest_tracker *t;
	int i, rc;

	memset(&h, 0, sizeof(h));
	/* Nothing mapped, nothing kept, nothing allowed, all blocked. */
	memset(h.dom, 0xff, sizeof(h.dom));
	memset(h.state, 0xff, sizeof(h.state));
	memset(h.floor, 0xff, sizeof(h.floor));
	memset(h.allow, 0xff, sizeof(h.allow));
	h.rng = 0x40135eedull;
	vt_watched_sink(ctx, h_check, &sink, &ext);
	t = new_tracker(&sink, movable ? IOMMUNEST_TRACKER_NO_HOLES : 0);
	if (!t)
		return NULL;
	rc = iommunest_tracker_set_sink_ext(t, &ext);
	for (i = 0; i < NDEV; i++)
		rc |= iommunest_tracker_device_add(t, 10 + (uint32_t)i, ioas[i],
				movable ? h_replace : NULL, &dev[i]);
	rc |= iommunest_tracker_domain_add(t, DOM_W) |
	      iommunest_tracker_domain_add(t, DOM_W + 1);
	OK_EQ(rc, 0, "%s: IOAS sink with copy, two devices, two domains",
	      movable ? "no holes" : "0.1 way");
	return t;
}

/* movable: devices with a replace function (the guarantee), or without
 * (the 0.1 way: the check must see holes, which shows it can fail). */
static void test_no_holes(bool movable)
{
	const char *how = movable ? "no holes" : "0.1 way";
	struct iommunest_tracker_stats st;
	struct iommunest_tracker *t = h_setup(movable);
	int i, rc = 0, calls;

	if (!t)
		return;
	for (calls = 0; calls < 200 && !rc; calls++)
		rc = h_call(t);
	OK_EQ(rc, 0, "%s: %d random maps, unmaps and switches", how, calls);
	iommunest_tracker_stats(t, &st);
	if (movable) {
		OK(h.bad == 0, "no holes: after each of %lu host operations "
		   "every kept page was mapped and nothing else (%lu wrong)",
		   h.ops, h.bad);
		OK(st.replaces > 0, "no holes: %llu cuts built beside and "
		   "moved to", (unsigned long long)st.replaces);
	} else {
		OK(h.bad > 0, "0.1 way: the check sees what unmapping an area "
		   "and mapping back the rest does (%lu holes in %lu host "
		   "operations)", h.bad, h.ops);
	}
	memset(h.floor, 0xff, sizeof(h.floor)); /* removal empties */
	OK_EQ(iommunest_tracker_device_remove(t, 10) |
	      iommunest_tracker_device_remove(t, 11), 0,
	      "%s: devices removed", how);
	/* Removal puts each device back on its own IOAS. */
	for (i = 0; i < NDEV; i++)
		OK_EQ(mock_replace(ctx, &dev[i], ioas[i]), 0,
		      "%s: device %d can be replaced onto its IOAS %u", how,
		      i, ioas[i]);
	iommunest_tracker_free(t);
}

static void test_sharing(void)
{
	struct iommunest_tracker_stats st0, st1;
	struct iommunest_sink sink;
	struct iommunest_tracker *t;
	int i;

	iommunest_sink_ioas(ctx, &sink);
	t = new_tracker(&sink, IOMMUNEST_TRACKER_SHARED);
	if (!t)
		return;
	for (i = 0; i < NDEV; i++)
		OK_EQ(iommunest_tracker_device_add(t, 10 + (uint32_t)i, 0,
						   replace_mock, &dev[i]), 0,
		      "sharing: device %d onto the empty IOAS", i);
	OK(maps_none(dev[0].hwpt_id, identity, 1), "sharing: blocked is empty");
	build_domains(t);
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_A) |
	      iommunest_tracker_set_domain(t, 10, DOM_B), 0,
	      "sharing: dev0 -> A -> B (each domain's IOAS made once)");
	iommunest_tracker_stats(t, &st0);
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_A), 0,
	      "sharing: dev0 B -> A");
	OK_EQ(iommunest_tracker_set_domain(t, 11, DOM_A), 0,
	      "sharing: dev1 -> A");
	iommunest_tracker_stats(t, &st1);
	OK(st1.maps == st0.maps && st1.unmaps == st0.unmaps &&
	   st1.unmap_alls == st0.unmap_alls && st1.replaces - st0.replaces == 2,
	   "sharing: two switches were two replaces, no map or unmap");
	OK(maps_exactly(dev[0].hwpt_id, dom_a, 1) &&
	   maps_none(dev[0].hwpt_id, dom_b, 2), "sharing: check-map dev0 = A");
	OK(dev[0].hwpt_id == dev[1].hwpt_id,
	   "sharing: both devices on A's one page table");
	OK_EQ(iommunest_tracker_set_blocked(t, 10), 0, "sharing: dev0 blocked");
	OK(maps_none(dev[0].hwpt_id, dom_a, 1), "sharing: dev0 sees nothing");
	OK(maps_exactly(dev[1].hwpt_id, dom_a, 1), "sharing: dev1 still A");
	iommunest_tracker_device_remove(t, 10);
	iommunest_tracker_device_remove(t, 11);
	/* Devices go back to their own IOASes so the tracker's can go. */
	for (i = 0; i < NDEV; i++)
		mock_replace(ctx, &dev[i], ioas[i]);
	iommunest_tracker_free(t);
}

/* Sharing mode onto page tables kept ready: a switch back to a domain
 * nobody stayed on finds the same HWPT, still filled. */
static struct iommunest_ptcache *ready_pc;

static int replace_ready(void *opaque, uint32_t ioas_id)
{
	struct mock_dev *d = opaque;

	return iommunest_ptcache_replace(ready_pc, d->idev_id, ioas_id,
					 replace_mock, d);
}

static void test_sharing_ready(void)
{
	struct iommunest_sink sink;
	struct iommunest_sink_ext ext;
	struct iommunest_tracker *t;
	uint32_t first_a;
	int i, rc;

	rc = iommunest_ptcache_new(ctx, &ready_pc) |
	     iommunest_ptcache_sink(ready_pc, &sink, &ext);
	OK_EQ(rc, 0, "ready: a page-table cache and its sink");
	if (rc)
		return;
	t = new_tracker(&sink, IOMMUNEST_TRACKER_SHARED |
			       IOMMUNEST_TRACKER_NO_HOLES);
	if (!t)
		return;
	rc = iommunest_tracker_set_sink_ext(t, &ext);
	for (i = 0; i < NDEV; i++)
		rc |= iommunest_tracker_device_add(t, 10 + (uint32_t)i, 0,
						   replace_ready, &dev[i]);
	OK_EQ(rc, 0, "ready: two devices onto the empty IOAS's HWPT");
	build_domains(t);
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_A), 0, "ready: dev0 -> A");
	first_a = dev[0].hwpt_id;
	OK(maps_exactly(first_a, dom_a, 1), "ready: check-map dev0 = A");
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_B), 0, "ready: dev0 -> B");
	OK(maps_exactly(dev[0].hwpt_id, dom_b, 2) &&
	   maps_none(dev[0].hwpt_id, dom_a, 1), "ready: check-map dev0 = B");
	OK(maps_exactly(first_a, dom_a, 1),
	   "ready: with nobody on it, A's HWPT is still there, still A");
	/* Nobody was left on A: a bare IOAS would have lost its table. */
	OK_EQ(iommunest_tracker_set_domain(t, 10, DOM_A), 0,
	      "ready: dev0 back to A");
	OK_EQ(dev[0].hwpt_id, first_a,
	      "ready: back on the HWPT A had, kept while nobody used it");
	OK_EQ(iommunest_tracker_set_domain(t, 11, DOM_A), 0, "ready: dev1 -> A");
	OK(dev[1].hwpt_id == first_a,
	   "ready: dev1 shares A's HWPT (a compatible IOMMU)");
	/* A cut in sharing mode moves both to a new IOAS and its HWPT. */
	OK_EQ(iommunest_tracker_unmap(t, DOM_A, IOVA_A + 3 * PG, 2 * PG), 0,
	      "ready: unmap two pages in the middle of A's run");
	for (i = 0; i < NDEV; i++) {
		const struct expect left[] = { { IOVA_A, RAM_GPA, 3 },
			{ IOVA_A + 5 * PG, RAM_GPA + 5 * PG, 3 } };
		const struct expect gone[] = {
			{ IOVA_A + 3 * PG, RAM_GPA + 3 * PG, 2 } };

		OK(dev[i].hwpt_id != first_a &&
		   maps_exactly(dev[i].hwpt_id, left, 2) &&
		   maps_none(dev[i].hwpt_id, gone, 1),
		   "ready: device %d moved to a new table with exactly the "
		   "rest of A", i);
	}
	OK_EQ(iommunest_tracker_device_remove(t, 10) |
	      iommunest_tracker_device_remove(t, 11), 0,
	      "ready: devices removed");
	for (i = 0; i < NDEV; i++)
		mock_replace(ctx, &dev[i], ioas[i]);
	iommunest_tracker_free(t); /* HWPTs go with their IOASes */
	iommunest_ptcache_free(ready_pc);
}

int main(void)
{
	int i;

	OK_EQ(iommunest_open(&ctx), 0, "open /dev/iommu");
	ram[0] = vm_buffer(16 * PG);
	ram[1] = vm_buffer(16 * PG);
	if (!ctx || !ram[0] || !ram[1])
		return tap_done();
	for (i = 0; i < NDEV; i++)
		OK_EQ(iommunest_ioas_alloc(ctx, &ioas[i]) |
		      mock_domain(ctx, ioas[i], &dev[i]), 0,
		      "mock device %d on IOAS %u", i, ioas[i]);
	test_switches();
	test_failure_mid_replay();
	test_no_holes(true);
	test_no_holes(false);
	test_sharing();
	test_sharing_ready();
	for (i = 0; i < NDEV; i++)
		iommunest_destroy(ctx, dev[i].stdev_id);
	OK_EQ(iommunest_close(ctx), 0, "close");
	return tap_done();
}
