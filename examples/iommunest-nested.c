/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest-nested: nested translation as a VMM with a vIOMMU sets it up.
 *
 * Stage 2 (guest-physical -> host) is a NEST_PARENT paging HWPT on the
 * IOAS holding guest RAM; stage 1 is a nested HWPT pointing at the guest's
 * own I/O page table.  When the guest changes that table it queues IOTLB
 * invalidations; the VMM submits them as one batch and reports a result
 * for each entry back to the guest.  One entry here is deliberately bad,
 * to show a failed entry and the one after it left not attempted.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiommunest/batch.h>
#include <libiommunest/iommunest.h>

#include "common.h"

static const char usage[] =
"usage: iommunest-nested [--mock | DEVICE]\n"
"\n"
"Build a nesting parent (stage 2) and a nested HWPT (stage 1) for the\n"
"device, submit a batch of stage-1 invalidations with one bad entry and\n"
"print the result of every entry.  DEVICE is a VFIO cdev behind an Intel\n"
"VT-d with nesting (default: the first in " EX_CDEV_DIR ", or the\n"
"mock IOMMU when there is none).\n"
"\n"
"  --mock      use the kernel's mock IOMMU device (CONFIG_IOMMUFD_TEST)\n"
"  -h, --help  print this help\n"
"\n"
"Exit status: 0 done, 1 failed (one-line reason on stderr), 2 bad usage,\n"
"77 this IOMMU cannot nest (said in one line on stderr).\n";

/* Guest RAM, mapped at IOVA = guest-physical address (inside the mock
 * aperture, below any x86 MSI window). */
#define GUEST_RAM_GPA  0x1000000ull
#define GUEST_RAM_SIZE (64 * 1024ull)
#define STAGE1_WIDTH   48 /* VT-d: 4-level guest stage-1 table */
#define BAD_IOTLB_SLOT 7  /* the mock IOTLB has slots 0 to 3 */
#define MAX_ENTRIES    4

/* A guest invalidation descriptor, as the VMM decoded it.  Mock: clear
 * IOTLB slot addr.  VT-d: npages from addr (UINT64_MAX: everything). */
struct guest_inv {
	const char *what;
	uint64_t addr;
	uint64_t npages;
	uint32_t flags;
};

static const struct guest_inv mock_invs[] = {
	{ "clear IOTLB slot 0", 0, 0, 0 },
	{ "clear IOTLB slot 1", 1, 0, 0 },
	{ "clear IOTLB slot 7 (there is no such slot)", BAD_IOTLB_SLOT, 0, 0 },
	{ "clear IOTLB slot 2", 2, 0, 0 },
};

/* VT-d entry flags: only bit 0 (leaf only) is defined. */
#define VTD_INV_LEAF         (1u << 0)
#define VTD_INV_UNKNOWN_FLAG (1u << 3)

static const struct guest_inv vtd_invs[] = {
	{ "IOVA 0x100000, 1 page", 0x100000, 1, 0 },
	{ "IOVA 0x200000, 16 pages, leaf only", 0x200000, 16, VTD_INV_LEAF },
	{ "IOVA 0x300000, a reserved flag set", 0x300000, 1,
	  VTD_INV_UNKNOWN_FLAG },
	{ "everything", 0, UINT64_MAX, 0 },
};

_Static_assert(EX_ARRAY_SIZE(mock_invs) == MAX_ENTRIES, "mock queue");
_Static_assert(EX_ARRAY_SIZE(vtd_invs) == MAX_ENTRIES, "VT-d queue");

/* struct iommu_hwpt_vtd_s1_invalidate, written by hand only for the bad
 * entry: iommunest_batch_add_vtd() has no flags argument to misuse. */
struct vtd_inv_entry {
	uint64_t addr;
	uint64_t npages;
	uint32_t flags;
	uint32_t reserved;
};
_Static_assert(sizeof(struct vtd_inv_entry) == 24, "VT-d entry size");

struct nest {
	struct iommunest_ctx *ctx;
	struct ex_device dev;
	uint32_t ioas, parent, nested;
	void *ram;
	struct iommunest_batch *batch;
	const struct guest_inv *invs; /* the guest's queue */
	int queued[MAX_ENTRIES];      /* batch index -> invs index */
	int count;                    /* entries in the batch */
	uint32_t cleared;             /* mock: slots of entries done */
};

/* The one-line refusal: nothing here can run a guest's stage 1. */
static int refuse(const struct nest *n, const char *why)
{
	return ex_fail(EX_UNSUPPORTED, "%s: %s (--mock shows nesting on a "
		       "kernel with CONFIG_IOMMUFD_TEST)", n->dev.name, why);
}

/* Only an IOMMU that walks both stages can take a guest's stage 1. */
static int check_nesting(struct nest *n)
{
	struct iommunest_hw_info info;
	int rc = iommunest_hw_info(n->ctx, n->dev.dev_id, &info);

	if (rc)
		return ex_check(rc, "%s: hardware info", n->dev.name);
	if (n->dev.mock)
		return EX_OK;
	if (!(info.caps & IOMMUNEST_CAP_NESTING))
		return refuse(n, "no nesting: this IOMMU cannot translate "
			      "in two stages");
	if (info.type != IOMMUNEST_HW_INFO_INTEL_VTD)
		return refuse(n, "this example nests on Intel VT-d only");
	return EX_OK;
}

static int build_stage2(struct nest *n)
{
	int rc;

	n->ram = ex_alloc(GUEST_RAM_SIZE);
	if (!n->ram)
		return ex_fail(EX_FAIL, "out of memory for guest RAM");
	rc = iommunest_ioas_map(n->ctx, n->ioas, n->ram, GUEST_RAM_SIZE,
				GUEST_RAM_GPA,
				IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE);
	if (rc)
		return ex_check(rc, "map guest RAM at IOVA 0x%llx",
				GUEST_RAM_GPA);
	rc = iommunest_hwpt_alloc_paging(n->ctx, n->dev.dev_id, n->ioas,
					 IOMMUNEST_HWPT_NEST_PARENT,
					 &n->parent);
	if (rc == -EOPNOTSUPP)
		return refuse(n, "no nesting: this IOMMU refuses a nesting "
			      "parent");
	if (rc)
		return ex_check(rc, "NEST_PARENT paging HWPT");
	printf("stage 2   NEST_PARENT paging HWPT %" PRIu32 " on IOAS %" PRIu32
	       ": guest RAM %lluK at IOVA 0x%llx\n", n->parent, n->ioas,
	       GUEST_RAM_SIZE / 1024, GUEST_RAM_GPA);
	return EX_OK;
}

/* The guest's stage-1 table: the mock has none; for VT-d, its first page
 * of RAM (zeroed: an empty table, so DMA would fault, not leak). */
static int build_stage1(struct nest *n)
{
	int rc;

	if (n->dev.mock)
		rc = iommunest_hwpt_alloc_selftest(n->ctx, n->dev.dev_id,
						   n->parent,
						   MOCK_IOTLB_DEFAULT,
						   &n->nested);
	else
		rc = iommunest_hwpt_alloc_vtd_s1(n->ctx, n->dev.dev_id,
						 n->parent, GUEST_RAM_GPA,
						 STAGE1_WIDTH, 0, &n->nested);
	if (rc)
		return ex_check(rc, "nested HWPT on parent %" PRIu32,
				n->parent);
	rc = ex_device_replace(n->ctx, &n->dev, n->nested);
	if (rc)
		return ex_check(rc, "attach %s to nested HWPT %" PRIu32,
				n->dev.name, n->nested);
	printf("stage 1   nested HWPT %" PRIu32 " (%s); the device moved "
	       "onto it\n", n->nested, n->dev.mock ?
	       "mock stage 1 with a 4-slot IOTLB" :
	       "VT-d stage-1 table at guest-physical 0x1000000");
	return EX_OK;
}

/* The state of one mock IOTLB slot, as the check command sees it. */
static const char *slot_state(const struct nest *n, uint32_t slot)
{
	if (!mock_check_iotlb(n->ctx, n->nested, slot, 0))
		return "cleared";
	if (!mock_check_iotlb(n->ctx, n->nested, slot, MOCK_IOTLB_DEFAULT))
		return "cached";
	return "unknown";
}

/* Print the mock's IOTLB, which must agree with the entries the batch
 * reported done. */
static int show_iotlb(const struct nest *n, const char *when)
{
	uint32_t slot, cleared = 0;
	const char *state;

	if (!n->dev.mock)
		return EX_OK;
	printf("IOTLB     %s:", when);
	for (slot = 0; slot < MOCK_IOTLB_SLOTS; slot++) {
		state = slot_state(n, slot);
		printf("%s slot%" PRIu32 " %s", slot ? "," : "", slot, state);
		if (!strcmp(state, "cleared"))
			cleared |= 1u << slot;
	}
	putchar('\n');
	if (cleared != n->cleared)
		return ex_fail(EX_FAIL, "the mock IOTLB disagrees with the "
			       "results the batch reported");
	return EX_OK;
}

static int new_batch(struct nest *n)
{
	struct iommunest_batch_config cfg = {
		.target_id = n->nested,
		.data_type = n->dev.mock ? IOMMUNEST_INV_SELFTEST
					 : IOMMUNEST_INV_VTD_S1,
		.entry_len = n->dev.mock ? 8 : 24,
		.capacity = MAX_ENTRIES,
		/* flags 0: stop at the first failure, as a guest's
		 * invalidation queue does. */
	};

	return ex_check(iommunest_batch_new(n->ctx, &cfg, &n->batch),
			"invalidation batch");
}

static int add_vtd(struct iommunest_batch *b, const struct guest_inv *g)
{
	struct vtd_inv_entry raw = { .addr = g->addr, .npages = g->npages,
				     .flags = g->flags };

	if (g->flags & ~VTD_INV_LEAF)
		return iommunest_batch_add_raw(b, &raw);
	if (g->npages == UINT64_MAX)
		return iommunest_batch_add_vtd_all(b);
	return iommunest_batch_add_vtd(b, g->addr, g->npages,
				       g->flags & VTD_INV_LEAF);
}

/* Queue guest descriptor i in the batch. */
static int queue(struct nest *n, int i)
{
	const struct guest_inv *g = &n->invs[i];
	int rc;

	if (n->dev.mock)
		rc = iommunest_batch_add_selftest(n->batch, (uint32_t)g->addr,
						  g->flags);
	else
		rc = add_vtd(n->batch, g);
	if (rc < 0)
		return ex_check(rc, "add entry '%s'", g->what);
	n->queued[rc] = i;
	n->count = rc + 1;
	return EX_OK;
}

static void print_result(const struct nest *n, int i)
{
	int res = iommunest_batch_result(n->batch, (uint32_t)i);

	printf("  #%d  %-44s ", n->queued[i], n->invs[n->queued[i]].what);
	if (res == 0)
		printf("done\n");
	else if (res == IOMMUNEST_INV_NOT_ATTEMPTED)
		printf("not attempted\n");
	else
		printf("failed: %s\n", ex_err(res));
}

/* Mock: the IOTLB slots that entries reported done have cleared. */
static void note_done(struct nest *n, int i)
{
	uint64_t slot = n->invs[n->queued[i]].addr;

	if (n->dev.mock && slot < MOCK_IOTLB_SLOTS &&
	    !iommunest_batch_result(n->batch, (uint32_t)i))
		n->cleared |= 1u << slot;
}

static int flush(struct nest *n)
{
	struct iommunest_batch_stats st = { 0 };
	int i, first, rc = iommunest_batch_flush(n->batch);

	if (rc == -ENOSYS)
		return ex_fail(EX_UNSUPPORTED, "this kernel cannot invalidate "
			       "nested HWPTs (Linux 6.8 or later needed)");
	for (i = 0; i < n->count; i++) {
		print_result(n, i);
		note_done(n, i);
	}
	first = iommunest_batch_first_failed(n->batch);
	iommunest_batch_stats(n->batch, &st);
	if (first >= 0)
		printf("flush     stopped at #%d: %s", n->queued[first],
		       ex_err(rc));
	else if (rc)
		printf("flush     failed: %s", ex_err(rc));
	else
		printf("flush     all done");
	printf(" (batch so far: ioctls %" PRIu64 ", entries done %" PRIu64
	       ", failed %" PRIu64 ")\n", st.ioctls, st.done, st.failed);
	return EX_OK;
}

/* What a VMM does next: report the failed descriptor to the guest (its
 * queue stops there), and once the guest moves on, submit the rest again;
 * invalidations are idempotent, so that is always safe. */
static int resubmit(struct nest *n)
{
	int first = iommunest_batch_first_failed(n->batch);
	int later[MAX_ENTRIES], nlater = 0, i, status = EX_OK;

	for (i = first + 1; first >= 0 && i < n->count; i++)
		if (iommunest_batch_result(n->batch, (uint32_t)i) ==
		    IOMMUNEST_INV_NOT_ATTEMPTED)
			later[nlater++] = n->queued[i];
	if (!nlater)
		return EX_OK;
	printf("guest     is told descriptor #%d failed and moves on; the VMM "
	       "submits the rest again:\n", n->queued[first]);
	iommunest_batch_reset(n->batch);
	n->count = 0;
	for (i = 0; i < nlater && !status; i++)
		status = queue(n, later[i]);
	return status ? status : flush(n);
}

static int invalidate(struct nest *n)
{
	int status, i;

	n->invs = n->dev.mock ? mock_invs : vtd_invs;
	status = new_batch(n);
	for (i = 0; i < MAX_ENTRIES && !status; i++)
		status = queue(n, i);
	if (status)
		return status;
	printf("batch     %d invalidation entries for nested HWPT %" PRIu32
	       ", stop at the first failure:\n", n->count, n->nested);
	status = flush(n);
	if (!status)
		status = show_iotlb(n, "after");
	if (!status)
		status = resubmit(n);
	if (!status)
		status = show_iotlb(n, "then");
	return status;
}

static void teardown(struct nest *n)
{
	iommunest_batch_free(n->batch);
	/* Off the HWPTs before they go; the context destroys the rest. */
	if (n->nested || n->parent)
		ex_device_replace(n->ctx, &n->dev, n->ioas);
	if (n->nested)
		iommunest_destroy(n->ctx, n->nested);
	if (n->parent)
		iommunest_destroy(n->ctx, n->parent);
	ex_device_close(n->ctx, &n->dev);
	iommunest_close(n->ctx);
	ex_free(n->ram, GUEST_RAM_SIZE);
}

static int run(struct nest *n, const struct ex_target *t)
{
	int status;

	status = ex_device_open(t, &n->dev);
	if (!status)
		status = ex_open_iommufd(&n->ctx);
	if (!status)
		status = ex_check(iommunest_ioas_alloc(n->ctx, &n->ioas),
				  "IOAS alloc");
	if (!status)
		status = ex_device_attach(n->ctx, t, &n->dev, n->ioas);
	if (status)
		return status;
	printf("device    %s%s, device ID %" PRIu32 ", IOAS %" PRIu32 "\n",
	       n->dev.name, t->fallback ? " (no VFIO device here)" : "",
	       n->dev.dev_id, n->ioas);
	status = check_nesting(n);
	if (!status)
		status = build_stage2(n);
	if (!status)
		status = build_stage1(n);
	if (!status)
		status = show_iotlb(n, "before");
	return status ? status : invalidate(n);
}

int main(int argc, char **argv)
{
	struct nest n = { 0 };
	struct ex_target t;
	const char *path = NULL;
	bool mock = false;
	int status;

	ex_init(argv[0]);
	n.dev.vfio_fd = -1;
	status = ex_parse_device_args(argc, argv, usage, &mock, &path);
	if (status)
		return status;
	status = ex_pick_target(path, mock, &t);
	if (!status)
		status = run(&n, &t);
	teardown(&n);
	ex_target_free(&t);
	return status;
}
