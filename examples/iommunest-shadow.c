/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest-shadow: shadow mode, for IOMMUs without nesting.
 *
 * A small scripted guest (two I/O domains, a few mappings, a device that
 * switches A -> B -> passthrough -> blocked) is fed to the shadow-domain
 * tracker, which mirrors it onto the device's real IOAS.  The tracker's
 * sink here wraps the library's IOAS sink and prints every host operation
 * before passing it on: each switch empties the address space in one
 * unmap-all before the new domain is replayed, and contiguous pages are
 * replayed as one mapping.  When the guest then unmaps a page inside that
 * mapping, the tracker builds the rest beside, in a second IOAS, and
 * moves the device there in one replace: the pages the guest keeps stay
 * mapped throughout (IOMMUNEST_TRACKER_NO_HOLES).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiommunest/iommunest.h>
#include <libiommunest/tracker.h>

#include "common.h"

static const char usage[] =
"usage: iommunest-shadow [--mock | DEVICE]\n"
"\n"
"Drive a scripted guest through the shadow-domain tracker onto the\n"
"device's IOAS, printing every host operation and the tracker's counts.\n"
"DEVICE is a VFIO cdev (default: the first in " EX_CDEV_DIR ", or the\n"
"mock IOMMU when there is none); with the mock, the device's page table\n"
"is read back after every step to show it holds exactly what it should.\n"
"\n"
"  --mock      use the kernel's mock IOMMU device (CONFIG_IOMMUFD_TEST)\n"
"  -h, --help  print this help\n"
"\n"
"Exit status: 0 done, 1 failed (one-line reason on stderr), 2 bad usage,\n"
"77 no iommufd or no device here.\n";

#define PG           EX_PAGE
#define RAM_GPA      0x1000000ull /* guest RAM: 16 pages from 16 MiB */
#define RAM_PAGES    16u
#define RW           (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define DOM_A        1u
#define DOM_B        2u
#define GUEST_DEVICE 1u
_Static_assert(RAM_GPA >= MOCK_APERTURE_START, "1:1 map inside the mock");

/* A guest mapping: pages from iova to gpa, in domain dom. */
struct guest_map {
	uint32_t dom;
	uint64_t iova;
	uint64_t gpa;
	uint32_t pages;
	uint32_t perm;
	bool live; /* mapped by the guest now */
};

/* A's first eight pages are mapped one page at a time below, in three
 * guest mappings: the tracker replays them as one host mapping. */
enum { A_LOW, A_MID, A_HIGH, A_EXTRA, B_RO, B_SHARED, NMAPS };
static struct guest_map maps[NMAPS] = {
	[A_LOW] = { DOM_A, 0x2000000, RAM_GPA, 3, RW, false },
	[A_MID] = { DOM_A, 0x2003000, RAM_GPA + 3 * PG, 1, RW, false },
	[A_HIGH] = { DOM_A, 0x2004000, RAM_GPA + 4 * PG, 4, RW, false },
	[A_EXTRA] = { DOM_A, 0x2008000, RAM_GPA + 12 * PG, 1, RW, false },
	[B_RO] = { DOM_B, 0x3000000, RAM_GPA + 8 * PG, 2,
		   IOMMUNEST_MAP_READ, false },
	/* The same RAM page as A's third, at another IOVA. */
	[B_SHARED] = { DOM_B, 0x3100000, RAM_GPA + 2 * PG, 1, RW, false },
};

struct shadow {
	struct iommunest_ctx *ctx;
	struct ex_device dev;
	uint32_t ioas;
	uint8_t *ram;
	struct iommunest_sink ioas_sink; /* the library's, wrapped */
	struct iommunest_sink_ext ioas_ext;
	struct iommunest_tracker *tracker;
	unsigned int ops; /* host operations the current step emitted */
};

/* ---- The logging sink ------------------------------------------------ */

static uint64_t gpa_of(const struct shadow *s, const void *hva)
{
	return RAM_GPA + (uint64_t)((const uint8_t *)hva - s->ram);
}

static int logged(struct shadow *s, int rc)
{
	s->ops++;
	if (rc)
		printf("            -> failed: %s\n", ex_err(rc));
	return rc;
}

static int log_map(void *opaque, uint32_t as, uint64_t iova, uint64_t len,
		   void *hva, uint32_t perm)
{
	struct shadow *s = opaque;

	printf("  host    map        IOAS %" PRIu32 "  0x%" PRIx64 "-0x%" PRIx64
	       " -> gpa 0x%" PRIx64 " %s%s\n", as, iova, iova + len - 1,
	       gpa_of(s, hva), perm & IOMMUNEST_MAP_READ ? "r" : "-",
	       perm & IOMMUNEST_MAP_WRITE ? "w" : "-");
	return logged(s, s->ioas_sink.map(s->ioas_sink.opaque, as, iova, len,
				       hva, perm));
}

static int log_unmap(void *opaque, uint32_t as, uint64_t iova, uint64_t len)
{
	struct shadow *s = opaque;

	printf("  host    unmap      IOAS %" PRIu32 "  0x%" PRIx64 "-0x%" PRIx64
	       "\n", as, iova, iova + len - 1);
	return logged(s, s->ioas_sink.unmap(s->ioas_sink.opaque, as, iova, len));
}

static int log_unmap_all(void *opaque, uint32_t as)
{
	struct shadow *s = opaque;

	printf("  host    unmap-all  IOAS %" PRIu32 "\n", as);
	return logged(s, s->ioas_sink.unmap_all(s->ioas_sink.opaque, as));
}

static int log_alloc(void *opaque, uint32_t *as)
{
	struct shadow *s = opaque;
	int rc = s->ioas_sink.as_alloc(s->ioas_sink.opaque, as);

	printf("  host    alloc      IOAS %" PRIu32 "\n", rc ? 0 : *as);
	return logged(s, rc);
}

static int log_free(void *opaque, uint32_t as)
{
	struct shadow *s = opaque;

	printf("  host    destroy    IOAS %" PRIu32 "\n", as);
	return logged(s, s->ioas_sink.as_free(s->ioas_sink.opaque, as));
}

static int log_copy(void *opaque, uint32_t from, uint32_t to, uint64_t iova,
		    uint64_t len, uint32_t perm)
{
	struct shadow *s = opaque;

	printf("  host    copy       IOAS %" PRIu32 "  0x%" PRIx64 "-0x%" PRIx64
	       " from IOAS %" PRIu32 "\n", to, iova, iova + len - 1, from);
	return logged(s, s->ioas_ext.copy(s->ioas_sink.opaque, from, to, iova,
					  len, perm));
}

/* The tracker moves the device between its IOAS and a second one. */
static int log_replace(void *opaque, uint32_t pt_id)
{
	struct shadow *s = opaque;

	printf("  host    replace    device -> IOAS %" PRIu32 "\n", pt_id);
	return logged(s, ex_device_replace(s->ctx, &s->dev, pt_id));
}

static int new_tracker(struct shadow *s)
{
	struct iommunest_sink sink = {
		.map = log_map,
		.unmap = log_unmap,
		.unmap_all = log_unmap_all,
		.as_alloc = log_alloc,
		.as_free = log_free,
		.opaque = s,
	};
	struct iommunest_sink_ext ext = { .size = sizeof(ext),
					  .copy = log_copy };
	int rc = iommunest_sink_ioas(s->ctx, &s->ioas_sink);

	if (!rc)
		rc = iommunest_sink_ioas_ext(s->ctx, &s->ioas_ext);
	if (!rc)
		rc = iommunest_tracker_new(&sink, IOMMUNEST_TRACKER_NO_HOLES,
					   &s->tracker);
	if (!rc)
		rc = iommunest_tracker_set_sink_ext(s->tracker, &ext);
	if (!rc)
		rc = iommunest_tracker_add_ram(s->tracker, RAM_GPA,
					       RAM_PAGES * PG, s->ram);
	return ex_check(rc, "shadow tracker");
}

/* ---- The device's view (mock only: its page table can be read) -------- */

/* Pages of m that the device's page table maps as the guest meant. */
static uint32_t pages_seen(const struct shadow *s, const struct guest_map *m)
{
	uint32_t p, n = 0;

	for (p = 0; p < m->pages; p++)
		n += !mock_check_map(s->ctx, s->dev.mock_dev.hwpt_id,
				     m->iova + p * PG, PG,
				     s->ram + (m->gpa - RAM_GPA) + p * PG);
	return n;
}

/* Print what the device sees of A, B and the 1:1 RAM map; fail unless
 * it is exactly what its current state allows, and nothing the guest
 * unmapped. */
static int show_view(const struct shadow *s, uint32_t state, uint32_t dom)
{
	const struct guest_map ram = { 0, RAM_GPA, RAM_GPA, RAM_PAGES, RW,
				       true };
	uint32_t seen[3] = { 0 }, want[3] = { 0 }, live[3] = { 0 };
	uint32_t stale = 0;
	int i;

	for (i = 0; i < NMAPS; i++) {
		uint32_t got = pages_seen(s, &maps[i]);

		if (!maps[i].live) {
			stale += got;
			continue;
		}
		seen[maps[i].dom] += got;
		live[maps[i].dom] += maps[i].pages;
	}
	seen[0] = pages_seen(s, &ram);
	live[0] = RAM_PAGES;
	if (state == IOMMUNEST_DEV_PASSTHROUGH)
		want[0] = RAM_PAGES;
	else if (state == IOMMUNEST_DEV_DOMAIN)
		want[dom] = live[dom];
	printf("device    page table maps A %" PRIu32 "/%" PRIu32 ", B %"
	       PRIu32 "/%" PRIu32 ", RAM 1:1 %" PRIu32 "/%" PRIu32 " pages\n",
	       seen[DOM_A], live[DOM_A], seen[DOM_B], live[DOM_B], seen[0],
	       live[0]);
	if (stale || memcmp(seen, want, sizeof(seen)))
		return ex_fail(EX_FAIL, "the device's page table does not "
			       "match its guest state");
	return EX_OK;
}

/* After each step: the device's view when it changed and there is a way
 * to read it. */
static int after_step(struct shadow *s, int rc, const char *what)
{
	uint32_t state = 0, dom = 0;
	unsigned int ops = s->ops;

	s->ops = 0;
	if (rc)
		return ex_check(rc, "%s", what);
	if (!ops)
		printf("  host    nothing: no device uses that domain\n");
	if (!ops || !s->dev.mock)
		return EX_OK;
	rc = iommunest_tracker_device_state(s->tracker, GUEST_DEVICE, &state,
					    &dom);
	return rc ? ex_check(rc, "device state") : show_view(s, state, dom);
}

/* ---- The guest's script ------------------------------------------------ */

static char dom_name(uint32_t dom)
{
	return dom == DOM_A ? 'A' : 'B';
}

static int guest_map(struct shadow *s, int i)
{
	struct guest_map *m = &maps[i];
	uint32_t p;
	int rc = 0;

	printf("guest     domain %c maps 0x%" PRIx64 " (%" PRIu32 " page%s)"
	       " -> gpa 0x%" PRIx64 "%s\n", dom_name(m->dom), m->iova,
	       m->pages, m->pages > 1 ? "s" : "", m->gpa,
	       m->pages > 1 ? ", one page at a time" : "");
	for (p = 0; p < m->pages && !rc; p++)
		rc = iommunest_tracker_map(s->tracker, m->dom,
					   m->iova + p * PG, PG,
					   m->gpa + p * PG, m->perm);
	m->live = !rc;
	return after_step(s, rc, "tracker map");
}

static int guest_unmap(struct shadow *s, int i)
{
	struct guest_map *m = &maps[i];
	int rc;

	printf("guest     domain %c unmaps 0x%" PRIx64 "\n",
	       dom_name(m->dom), m->iova);
	rc = iommunest_tracker_unmap(s->tracker, m->dom, m->iova,
				     m->pages * PG);
	m->live = rc != 0;
	return after_step(s, rc, "tracker unmap");
}

static int guest_switch(struct shadow *s, uint32_t state, uint32_t dom)
{
	bool blocked = state == IOMMUNEST_DEV_BLOCKED;
	int rc;

	if (state == IOMMUNEST_DEV_DOMAIN) {
		printf("guest     device -> domain %c\n", dom_name(dom));
		rc = iommunest_tracker_set_domain(s->tracker, GUEST_DEVICE,
						  dom);
	} else {
		printf("guest     device -> %s\n",
		       blocked ? "blocked" : "passthrough");
		rc = blocked ?
		     iommunest_tracker_set_blocked(s->tracker, GUEST_DEVICE) :
		     iommunest_tracker_set_passthrough(s->tracker,
						       GUEST_DEVICE);
	}
	return after_step(s, rc, "context switch");
}

/* A new device starts blocked: its address space is emptied first. */
static int plug_device(struct shadow *s)
{
	int rc;

	printf("guest     device plugged in, blocked until the guest sets "
	       "its context\n");
	rc = iommunest_tracker_device_add(s->tracker, GUEST_DEVICE, s->ioas,
					  log_replace, s);
	return after_step(s, rc, "tracker device");
}

static int script(struct shadow *s)
{
	int rc = iommunest_tracker_domain_add(s->tracker, DOM_A);

	if (!rc)
		rc = iommunest_tracker_domain_add(s->tracker, DOM_B);
	if (rc)
		return ex_check(rc, "guest domains");
	printf("guest     domains A and B created\n");
	return plug_device(s) ||
	       guest_map(s, A_LOW) ||
	       guest_map(s, A_MID) ||
	       guest_map(s, A_HIGH) ||
	       guest_map(s, B_RO) ||
	       guest_map(s, B_SHARED) ||
	       guest_switch(s, IOMMUNEST_DEV_DOMAIN, DOM_A) ||
	       guest_map(s, A_EXTRA) ||
	       guest_unmap(s, A_MID) ||
	       guest_switch(s, IOMMUNEST_DEV_DOMAIN, DOM_B) ||
	       guest_unmap(s, B_SHARED) ||
	       guest_switch(s, IOMMUNEST_DEV_PASSTHROUGH, 0) ||
	       guest_switch(s, IOMMUNEST_DEV_BLOCKED, 0) ?
	       EX_FAIL : EX_OK;
}

static void summary(const struct shadow *s)
{
	struct iommunest_tracker_stats st;

	if (iommunest_tracker_stats(s->tracker, &st))
		return;
	printf("summary   host operations: map %" PRIu64 ", unmap %" PRIu64
	       ", unmap-all %" PRIu64 ", replace %" PRIu64 ", failed %" PRIu64
	       "\n          the tracker holds %" PRIu64 " guest mappings in %"
	       PRIu64 " bytes\n", st.maps, st.unmaps, st.unmap_alls,
	       st.replaces, st.failures, st.mappings, st.bytes);
}

/* ---- Set-up ---------------------------------------------------------- */

/* Every IOVA of the script must be one this IOMMU can map. */
static int check_iovas(struct shadow *s)
{
	int i, status = ex_check_iova(s->ctx, s->ioas, RAM_GPA,
				      RAM_PAGES * PG);

	for (i = 0; i < NMAPS && !status; i++)
		status = ex_check_iova(s->ctx, s->ioas, maps[i].iova,
				       maps[i].pages * PG);
	return status;
}

static int run(struct shadow *s, const struct ex_target *t)
{
	int status = ex_device_open(t, &s->dev);

	if (!status)
		status = ex_open_iommufd(&s->ctx);
	if (!status)
		status = ex_check(iommunest_ioas_alloc(s->ctx, &s->ioas),
				  "IOAS alloc");
	if (!status)
		status = ex_device_attach(s->ctx, t, &s->dev, s->ioas);
	if (!status)
		status = check_iovas(s);
	if (status)
		return status;
	s->ram = ex_alloc(RAM_PAGES * PG);
	if (!s->ram)
		return ex_fail(EX_FAIL, "out of memory for guest RAM");
	printf("device    %s%s, device ID %" PRIu32 ", on IOAS %" PRIu32
	       "; guest RAM %u pages at gpa 0x%llx\n", s->dev.name,
	       t->fallback ? " (no VFIO device here)" : "", s->dev.dev_id,
	       s->ioas, RAM_PAGES, RAM_GPA);
	status = new_tracker(s);
	if (!status)
		status = script(s);
	if (!status)
		summary(s);
	/* Back on its own IOAS, and the second one destroyed. */
	if (!status)
		status = ex_check(iommunest_tracker_device_remove(s->tracker,
						GUEST_DEVICE), "device remove");
	return status;
}

int main(int argc, char **argv)
{
	struct shadow s = { 0 };
	struct ex_target t;
	const char *path = NULL;
	bool mock = false;
	int status;

	ex_init(argv[0]);
	s.dev.vfio_fd = -1;
	status = ex_parse_device_args(argc, argv, usage, &mock, &path);
	if (status)
		return status;
	status = ex_pick_target(path, mock, &t);
	if (!status)
		status = run(&s, &t);
	iommunest_tracker_free(s.tracker);
	ex_device_close(s.ctx, &s.dev);
	iommunest_close(s.ctx);
	ex_free(s.ram, RAM_PAGES * PG);
	ex_target_free(&t);
	return status;
}
