/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Bad input, table driven, over every public function: NULL pointers,
 * zero, maximum and overflowing values, misalignment, negative and closed
 * descriptors, unknown flag bits, entry sizes that do not fit the type and
 * IDs of the wrong kind of object.
 *
 * Each row names the function, what is wrong with the inputs, the return
 * its man page documents and who decides:
 *  - LIB: the library alone.  The fake kernel must see no ioctl, and a
 *    refusal must change nothing (batches, trackers and outputs are
 *    compared before and after);
 *  - K(request, errno) and friends: the library cannot tell (a wrong-type
 *    ID, an alignment only the kernel knows).  The row scripts the
 *    kernel's answer; the library must make exactly those calls and pass
 *    the answer through (ENOTTY of a newer ioctl reads ENOSYS, as the
 *    pages say).
 *
 * Arguments follow the function's prototype.  Pointer, context,
 * descriptor, batch and tracker arguments are tokens the call adapters
 * turn into the fixture's objects; every other argument is its value.
 */
#include <endian.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "suites.h"
#include "libiommunest/batch.h"
#include "libiommunest/guestq.h"
#include "libiommunest/tracker.h"

#define PAGE 4096ull
#define U32M ((uint64_t)UINT32_MAX)
#define U64M UINT64_MAX
#define TOP_PAGE (UINT64_MAX - (PAGE - 1)) /* the last page: 2^64 - 4096 */
#define HALF (1ull << 63)
#define RW (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)

/* Kernel object IDs as the scripted kernel sees them. */
#define ID_IOAS   1u
#define ID_PAGING 2u  /* a paging HWPT */
#define ID_NESTED 3u  /* a nested HWPT */
#define ID_DEV    4u  /* a bound device */
#define ID_VIOMMU 5u
#define ID_NONE   0x7777u /* no object */
#define HWPT_OLD  0x4242u /* *hwpt_id before a nested switch */

/* ---- argument tokens -------------------------------------------------- */

#define NUL 0 /* NULL: any pointer, context, batch, tracker or sink */

/* contexts */
#define CTX   1 /* the fixture's context on the fake kernel */
#define STALE 2 /* a context whose descriptor was closed behind its back */

/* pointers */
enum {
	BUF = 1,     /* a page-aligned, writable 64 KiB buffer */
	ODD,         /* BUF + 1 */
	ENDP,        /* the last page of the address space */
	OUT,         /* an output area filled with a pattern */
	INOUT,       /* nested switch: *hwpt_id, HWPT_OLD */
	NUM,         /* invalidate: *num, set from the row */
	CFG,         /* batch_new: a config built from the row */
	RNG_OK,      /* two good IOVA ranges */
	RNG_EMPTY,   /* start == last */
	RNG_BACK,    /* start > last */
	RNG_2ND_BAD, /* a good range, then start == last */
	RNG_OVERLAP, /* two ranges that overlap */
	REPLACE_FAIL, /* a replace function that answers -EPERM */
};

/* descriptors: negative values are themselves */
#define FD_NEG   ((uint64_t)-1)
#define FD_MIN   ((uint64_t)(int64_t)INT_MIN)
#define FD_OPEN  0x10000001u /* open, but /dev/null: not a VFIO device */
#define FD_SHUT  0x10000002u /* a number that was open and is closed */
#define FD_IOMMU 0x10000003u /* the context's own iommufd */

/* batches: the fixture's, by index */
enum {
	B_VTD = 1, /* VT-d, empty, never flushed */
	B_FULL,    /* VT-d, capacity 1, holding 1, no AUTOFLUSH */
	B_FLUSHED, /* VT-d, 1 entry, flushed and done */
	B_SELFTEST,
	B_SMMUV3,
	B_FOREIGN, /* VT-d with an IOAS as target, 1 entry */
	B_COUNT
};

/* trackers */
enum {
	T_OWN = 1, /* own address spaces on IOAS sink: RAM [0, 64K), domains
		    * 1 and 2, 1 maps 0x10000+0x4000; device 10 (as 100) in
		    * domain 1, device 11 (as 101) in passthrough */
	T_SHARED,  /* sharing mode, nothing in it */
	T_HOLES,   /* IOMMUNEST_TRACKER_NO_HOLES, nothing in it */
	T_COUNT
};

/* sink extensions for tracker_set_sink_ext */
enum {
	E_OK = 1,     /* the IOAS sink's */
	E_RESERVED,   /* reserved not 0 */
	E_SHORT,      /* size ends before copy */
	E_COUNT
};
static struct iommunest_sink_ext exts[E_COUNT] = {
	[E_RESERVED] = { .size = sizeof(struct iommunest_sink_ext),
			 .reserved = 1 },
	[E_SHORT] = { .size = 4 },
};
#define EXT(i) (r->a[i] ? &exts[r->a[i]] : NULL)

/* the page-table cache */
enum { PC = 1 };
static struct iommunest_ptcache *ptcache;
#define PTCACHE(i) (r->a[i] ? ptcache : NULL)

/* sinks for tracker_new */
enum {
	S_IOAS = 1,
	S_NO_MAP,
	S_NO_UNMAP,
	S_NO_UNMAP_ALL,
	S_NO_ALLOC,
	S_NO_FREE,
	S_COUNT
};

/* ---- the table -------------------------------------------------------- */

struct kstep {
	unsigned long req;
	int err;         /* positive errno, 0: success */
	fk_handler h;    /* writes the kernel's outputs; may be NULL */
};

struct row {
	const char *fn;
	const char *what;
	int (*call)(const struct row *r);
	int want;
	struct kstep k[3]; /* the kernel's answers; none: LIB */
	uint64_t a[9];
};

static void no_entries_done(void *arg, void *priv)
{
	(void)priv;
	((struct kabi_hwpt_invalidate *)arg)->entry_num = 0;
}

#define LIB { { 0, 0, NULL } }
#define K(req, err) { { (req), (err), NULL } }
/* The kernel handled none of the entries (it fails before them). */
#define K_INV(err) { { KABI_IOMMU_HWPT_INVALIDATE, (err), no_entries_done } }
#define K3(r1, e1, r2, e2, r3, e3) \
	{ { (r1), (e1), NULL }, { (r2), (e2), NULL }, { (r3), (e3), NULL } }

#define ROW(f, what_, want_, kern, ...)                                   \
	{ .fn = "iommunest_" #f, .what = (what_), .call = call_##f,       \
	  .want = (want_), .k = kern, .a = { __VA_ARGS__ } }

/* ---- the fixture ------------------------------------------------------ */

static uint64_t buf[8192] __attribute__((aligned(4096)));
static uint64_t ram[8192] __attribute__((aligned(4096)));

static const struct iommunest_iova_range rng_ok[] = {
	{ 0x100000, 0x1fffff }, { 0x400000, 0x4fffff } };
static const struct iommunest_iova_range rng_empty[] = { { 0x1000, 0x1000 } };
static const struct iommunest_iova_range rng_back[] = { { 0x2000, 0x1000 } };
static const struct iommunest_iova_range rng_2nd_bad[] = {
	{ 0x100000, 0x1fffff }, { U64M, U64M } };
static const struct iommunest_iova_range rng_overlap[] = {
	{ 0x1000, 0x2fff }, { 0x2000, 0x3fff } };

#define OUT_BYTES 1024
#define OUT_FILL 0xa5

struct snapshot {
	int count[B_COUNT];
	struct iommunest_batch_stats bst[B_COUNT];
	struct iommunest_tracker_stats tst[T_COUNT];
	uint32_t state[2], domain[2];
};

static struct {
	struct iommunest_ctx *stale;
	int vfio_fd, shut_fd;
	struct iommunest_batch *b[B_COUNT];
	struct iommunest_tracker *t[T_COUNT];
	struct iommunest_sink sink[S_COUNT];
	struct iommunest_batch_config cfg;
	uint32_t hwpt, num;
	uint64_t out[OUT_BYTES / 8];
	unsigned int n0;
	struct iommunest_veventq *vq; /* a selftest vEVENTQ */
	int vq_peer;                  /* the other end of its fd */
} env;

static struct iommunest_batch *new_batch(uint32_t target, uint32_t type,
					 uint32_t len, uint32_t capacity)
{
	struct iommunest_batch_config c = {
		.target_id = target, .data_type = type, .entry_len = len,
		.capacity = capacity,
	};
	struct iommunest_batch *b = NULL;

	ck_assert_int_eq(iommunest_batch_new(uctx, &c, &b), 0);
	return b;
}

static void setup_batches(void)
{
	env.b[B_VTD] = new_batch(ID_NESTED, IOMMUNEST_INV_VTD_S1, 24, 4);
	env.b[B_FULL] = new_batch(ID_NESTED, IOMMUNEST_INV_VTD_S1, 24, 1);
	ck_assert_int_eq(iommunest_batch_add_vtd(env.b[B_FULL], 0, 1, false),
			 0);
	env.b[B_FLUSHED] = new_batch(ID_NESTED, IOMMUNEST_INV_VTD_S1, 24, 4);
	ck_assert_int_eq(iommunest_batch_add_vtd_all(env.b[B_FLUSHED]), 0);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_batch_flush(env.b[B_FLUSHED]), 0);
	env.b[B_SELFTEST] = new_batch(ID_NESTED, IOMMUNEST_INV_SELFTEST, 8, 4);
	env.b[B_SMMUV3] = new_batch(ID_VIOMMU, IOMMUNEST_INV_ARM_SMMUV3, 16,
				    4);
	env.b[B_FOREIGN] = new_batch(ID_IOAS, IOMMUNEST_INV_VTD_S1, 24, 4);
	ck_assert_int_eq(iommunest_batch_add_vtd(env.b[B_FOREIGN], 0, 1,
						 false), 0);
}

static void setup_trackers(void)
{
	struct iommunest_tracker *t;
	int i;

	ck_assert_int_eq(iommunest_sink_ioas(uctx, &env.sink[S_IOAS]), 0);
	for (i = S_NO_MAP; i < S_COUNT; i++)
		env.sink[i] = env.sink[S_IOAS];
	env.sink[S_NO_MAP].map = NULL;
	env.sink[S_NO_UNMAP].unmap = NULL;
	env.sink[S_NO_UNMAP_ALL].unmap_all = NULL;
	env.sink[S_NO_ALLOC].as_alloc = NULL;
	env.sink[S_NO_FREE].as_free = NULL;

	ck_assert_int_eq(iommunest_tracker_new(&env.sink[S_IOAS], 0, &t), 0);
	env.t[T_OWN] = t;
	ck_assert_int_eq(iommunest_tracker_add_ram(t, 0, sizeof(ram), ram),
			 0);
	ck_assert_int_eq(iommunest_tracker_domain_add(t, 1), 0);
	ck_assert_int_eq(iommunest_tracker_domain_add(t, 2), 0);
	ck_assert_int_eq(iommunest_tracker_map(t, 1, 0x10000, 0x4000, 0, RW),
			 0);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_device_add(t, 10, 100, NULL, NULL),
			 0);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_set_domain(t, 10, 1), 0);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_device_add(t, 11, 101, NULL, NULL),
			 0);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_tracker_set_passthrough(t, 11), 0);

	ck_assert_int_eq(iommunest_tracker_new(&env.sink[S_IOAS],
					       IOMMUNEST_TRACKER_SHARED,
					       &env.t[T_SHARED]), 0);
	ck_assert_int_eq(iommunest_tracker_new(&env.sink[S_IOAS],
					       IOMMUNEST_TRACKER_NO_HOLES,
					       &env.t[T_HOLES]), 0);
	ck_assert_int_eq(iommunest_sink_ioas_ext(uctx, &exts[E_OK]), 0);
	ck_assert_int_eq(iommunest_ptcache_new(uctx, &ptcache), 0);
}

#define ID_VEVENTQ 6u

static void answer_veventq(void *arg, void *priv)
{
	struct kabi_veventq_alloc *cmd = arg;

	cmd->out_veventq_id = ID_VEVENTQ;
	cmd->out_veventq_fd = (uint32_t)*(const int *)priv;
}

/* A selftest vEVENTQ whose fd is one end of a socket pair. */
static void setup_veventq(void)
{
	int sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK,
				    0, sp), 0);
	env.vq_peer = sp[1];
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, answer_veventq, &sp[0], 0);
	ck_assert_int_eq(iommunest_veventq_alloc(uctx, ID_VIOMMU,
						 IOMMUNEST_VEVENTQ_SELFTEST, 4,
						 0, &env.vq), 0);
}

static void badinput_setup(void)
{
	int stale_fd;

	memset(&env, 0, sizeof(env));
	unit_setup();
	env.vfio_fd = fk_open_fd();
	env.shut_fd = fk_open_fd();
	stale_fd = fk_open_fd();
	ck_assert_int_ge(env.vfio_fd, 0);
	ck_assert_int_ge(env.shut_fd, 0);
	ck_assert_int_eq(iommunest_open_fd(stale_fd, &env.stale), 0);
	setup_veventq(); /* before the closes: its fds must not reuse them */
	close(env.shut_fd);
	close(stale_fd);
	setup_batches();
	setup_trackers();
	memset(env.out, OUT_FILL, sizeof(env.out));
	env.hwpt = HWPT_OLD;
	ck_assert_uint_eq(fk_unexpected(), 0);
	ck_assert_uint_eq(fk_pending(), 0);
	env.n0 = fk_ncalls();
}

static void badinput_teardown(void)
{
	int i;

	for (i = 1; i < B_COUNT; i++)
		iommunest_batch_free(env.b[i]);
	for (i = 1; i < T_COUNT; i++)
		iommunest_tracker_free(env.t[i]);
	iommunest_ptcache_free(ptcache); /* keeps no HWPT: no ioctl */
	ptcache = NULL;
	/* Its descriptor is gone: close reports it and frees all the same. */
	ck_assert_int_eq(iommunest_close(env.stale), -EBADF);
	close(env.vfio_fd);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_veventq_free(env.vq), 0);
	close(env.vq_peer);
	unit_teardown();
}

/* ---- tokens to arguments ---------------------------------------------- */

static void *ptr(uint64_t tok)
{
	switch (tok) {
	case NUL:
		return NULL;
	case BUF:
		return buf;
	case ODD:
		return (uint8_t *)buf + 1;
	case ENDP:
		return (void *)(UINTPTR_MAX & ~(uintptr_t)(PAGE - 1));
	case OUT:
		return env.out;
	case INOUT:
		return &env.hwpt;
	case NUM:
		return &env.num;
	case CFG:
		return &env.cfg;
	case RNG_OK:
		return (void *)rng_ok;
	case RNG_EMPTY:
		return (void *)rng_empty;
	case RNG_BACK:
		return (void *)rng_back;
	case RNG_2ND_BAD:
		return (void *)rng_2nd_bad;
	case RNG_OVERLAP:
		return (void *)rng_overlap;
	}
	ck_abort_msg("bad pointer token %llu", (unsigned long long)tok);
	return NULL;
}

static struct iommunest_ctx *ctx_of(uint64_t tok)
{
	return tok == CTX ? uctx : tok == STALE ? env.stale : NULL;
}

static int fd_of(uint64_t tok)
{
	switch (tok) {
	case FD_OPEN:
		return env.vfio_fd;
	case FD_SHUT:
		return env.shut_fd;
	case FD_IOMMU:
		return iommunest_fd(uctx);
	}
	return (int)(int64_t)tok;
}

static int replace_fail(void *opaque, uint32_t pt_id)
{
	(void)opaque;
	(void)pt_id;
	return -EPERM;
}

static iommunest_replace_fn replace_of(uint64_t tok)
{
	return tok == REPLACE_FAIL ? replace_fail : NULL;
}

#define U32(i) ((uint32_t)r->a[i])
#define U64(i) (r->a[i])
#define PTR(i) ptr(r->a[i])
#define CTX_(i) ctx_of(r->a[i])
#define FD(i) fd_of(r->a[i])
#define BATCH(i) env.b[r->a[i]]
#define TRACKER(i) env.t[r->a[i]]
#define SINK(i) (r->a[i] ? &env.sink[r->a[i]] : NULL)
#define KERNEL_ROW(r) ((r)->k[0].req != 0)

/* ---- call adapters: one per public function -------------------------- */

/* iommunest.h: context */
static int call_open(const struct row *r)
{
	return iommunest_open(PTR(0));
}

static int call_open_fd(const struct row *r)
{
	int fd = FD(0), rc = iommunest_open_fd(fd, PTR(1));

	/* A refusal does not adopt the descriptor: it is still open. */
	if (r->a[0] == FD_OPEN)
		ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	return rc;
}

static int call_close(const struct row *r)
{
	struct iommunest_ctx *c = NULL;
	int fd;

	if (r->a[0] != STALE)
		return iommunest_close(CTX_(0));
	/* A context of its own: the descriptor closed behind its back. */
	fd = fk_open_fd();
	ck_assert_int_eq(iommunest_open_fd(fd, &c), 0);
	close(fd);
	return iommunest_close(c);
}

static int call_fd(const struct row *r)
{
	return iommunest_fd(CTX_(0));
}

static int call_destroy(const struct row *r)
{
	return iommunest_destroy(CTX_(0), U32(1));
}

static int call_option_set(const struct row *r)
{
	return iommunest_option_set(CTX_(0), (enum iommunest_option)(int)U64(1),
				    U32(2), U64(3));
}

static int call_option_get(const struct row *r)
{
	return iommunest_option_get(CTX_(0), (enum iommunest_option)(int)U64(1),
				    U32(2), PTR(3));
}

/* iommunest.h: IOAS */
static int call_ioas_alloc(const struct row *r)
{
	return iommunest_ioas_alloc(CTX_(0), PTR(1));
}

static int call_ioas_map(const struct row *r)
{
	return iommunest_ioas_map(CTX_(0), U32(1), PTR(2), U64(3), U64(4),
				  U32(5));
}

static int call_ioas_map_any(const struct row *r)
{
	return iommunest_ioas_map_any(CTX_(0), U32(1), PTR(2), U64(3), U32(4),
				      PTR(5));
}

static int call_ioas_unmap(const struct row *r)
{
	return iommunest_ioas_unmap(CTX_(0), U32(1), U64(2), U64(3), PTR(4));
}

static int call_ioas_unmap_all(const struct row *r)
{
	return iommunest_ioas_unmap_all(CTX_(0), U32(1), PTR(2));
}

static int call_ioas_copy(const struct row *r)
{
	return iommunest_ioas_copy(CTX_(0), U32(1), U64(2), U32(3), U64(4),
				   U64(5), U32(6));
}

static int call_ioas_copy_any(const struct row *r)
{
	return iommunest_ioas_copy_any(CTX_(0), U32(1), U32(2), U64(3),
				       U64(4), U32(5), PTR(6));
}

static int call_ioas_iova_ranges(const struct row *r)
{
	return iommunest_ioas_iova_ranges(CTX_(0), U32(1), PTR(2), U32(3),
					  PTR(4));
}

static int call_ioas_allow_iovas(const struct row *r)
{
	return iommunest_ioas_allow_iovas(CTX_(0), U32(1), PTR(2), U32(3));
}

/* iommunest.h: devices and hardware information */
static int call_device_bind(const struct row *r)
{
	return iommunest_device_bind(CTX_(0), FD(1), PTR(2));
}

static int call_device_attach(const struct row *r)
{
	return iommunest_device_attach(CTX_(0), FD(1), U32(2));
}

static int call_device_replace(const struct row *r)
{
	return iommunest_device_replace(CTX_(0), FD(1), U32(2));
}

static int call_device_detach(const struct row *r)
{
	return iommunest_device_detach(CTX_(0), FD(1));
}

static int call_hw_info(const struct row *r)
{
	return iommunest_hw_info(CTX_(0), U32(1), PTR(2));
}

/* iommunest.h: HWPTs, nesting, vIOMMUs, invalidation */
static int call_hwpt_alloc_paging(const struct row *r)
{
	return iommunest_hwpt_alloc_paging(CTX_(0), U32(1), U32(2), U32(3),
					   PTR(4));
}

static int call_hwpt_set_dirty_tracking(const struct row *r)
{
	return iommunest_hwpt_set_dirty_tracking(CTX_(0), U32(1), U64(2) != 0);
}

static int call_hwpt_get_dirty_bitmap(const struct row *r)
{
	return iommunest_hwpt_get_dirty_bitmap(CTX_(0), U32(1), U64(2), U64(3),
					       U64(4), PTR(5), U32(6));
}

static int call_hwpt_alloc_nested(const struct row *r)
{
	return iommunest_hwpt_alloc_nested(CTX_(0), U32(1), U32(2), U32(3),
					   PTR(4), U32(5), PTR(6));
}

static int call_hwpt_alloc_vtd_s1(const struct row *r)
{
	return iommunest_hwpt_alloc_vtd_s1(CTX_(0), U32(1), U32(2), U64(3),
					   U32(4), U32(5), PTR(6));
}

static int call_hwpt_alloc_smmuv3(const struct row *r)
{
	return iommunest_hwpt_alloc_smmuv3(CTX_(0), U32(1), U32(2), PTR(3),
					   PTR(4));
}

static int call_hwpt_alloc_selftest(const struct row *r)
{
	return iommunest_hwpt_alloc_selftest(CTX_(0), U32(1), U32(2), U32(3),
					     PTR(4));
}

static int call_nested_switch(const struct row *r)
{
	int rc = iommunest_nested_switch(CTX_(0), FD(1), U32(2), U32(3),
					 U32(4), PTR(5), U32(6), PTR(7));

	/* Every error leaves *hwpt_id as it was. */
	ck_assert_uint_eq(env.hwpt, HWPT_OLD);
	return rc;
}

static int call_nested_switch_fn(const struct row *r)
{
	int rc = iommunest_nested_switch_fn(CTX_(0), U32(1), U32(2), U32(3),
					    PTR(4), U32(5), replace_of(U64(6)),
					    NULL, PTR(8));

	ck_assert_uint_eq(env.hwpt, HWPT_OLD);
	return rc;
}

static int call_viommu_alloc(const struct row *r)
{
	return iommunest_viommu_alloc(CTX_(0), U32(1), U32(2), U32(3), PTR(4));
}

static int call_vdevice_alloc(const struct row *r)
{
	return iommunest_vdevice_alloc(CTX_(0), U32(1), U32(2), U64(3),
				       PTR(4));
}

/* iommunest.h, 0.2: live update, PASIDs, HW queues, vIOMMU extras and
 * typed hardware information. */
#define FD_FILE   0x10000004u /* a regular file of FILE_SIZE bytes, as a
				* memfd is; made afresh for the call */
#define FILE_SIZE (16 * PAGE)

/* hw_info_amd/_tegra241 inputs: an answer of this type and raw size. */
enum { HI_AMD = 1, HI_AMD_SHORT, HI_AMD_EMPTY, HI_TEGRA, HI_TEGRA_SHORT,
       HI_VTD, HI_SMMUV3 };

static int file_call(uint64_t tok, int (*fn)(const struct row *, int),
		     const struct row *r)
{
	FILE *f;
	int rc;

	if (tok != FD_FILE)
		return fn(r, fd_of(tok));
	f = tmpfile();
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ftruncate(fileno(f), (off_t)FILE_SIZE), 0);
	rc = fn(r, fileno(f));
	fclose(f);
	return rc;
}

static int map_file_fd(const struct row *r, int fd)
{
	return iommunest_ioas_map_file(CTX_(0), U32(1), fd, U64(3), U64(4),
				       U64(5), U32(6));
}

static int call_ioas_map_file(const struct row *r)
{
	return file_call(r->a[2], map_file_fd, r);
}

static int map_file_any_fd(const struct row *r, int fd)
{
	return iommunest_ioas_map_file_any(CTX_(0), U32(1), fd, U64(3),
					   U64(4), U32(5), PTR(6));
}

static int call_ioas_map_file_any(const struct row *r)
{
	return file_call(r->a[2], map_file_any_fd, r);
}

static int call_ioas_change_process(const struct row *r)
{
	return iommunest_ioas_change_process(CTX_(0));
}

static int call_device_pasid_attach(const struct row *r)
{
	return iommunest_device_pasid_attach(CTX_(0), FD(1), U32(2), U32(3));
}

static int call_device_pasid_replace(const struct row *r)
{
	return iommunest_device_pasid_replace(CTX_(0), FD(1), U32(2), U32(3));
}

static int call_device_pasid_detach(const struct row *r)
{
	return iommunest_device_pasid_detach(CTX_(0), FD(1), U32(2));
}

static int call_hw_queue_alloc(const struct row *r)
{
	return iommunest_hw_queue_alloc(CTX_(0), U32(1), U32(2), U32(3),
					U64(4), U64(5), PTR(6));
}

static int call_viommu_alloc_data(const struct row *r)
{
	return iommunest_viommu_alloc_data(CTX_(0), U32(1), U32(2), U32(3),
					   PTR(4), U32(5), PTR(6));
}

static int call_mmap(const struct row *r)
{
	return iommunest_mmap(CTX_(0), U64(1), U64(2), (int)(int64_t)U64(3),
			      PTR(4));
}

static int call_hw_info_type(const struct row *r)
{
	return iommunest_hw_info_type(CTX_(0), U32(1), U32(2), PTR(3));
}

static const struct iommunest_hw_info *hw_info_of(uint64_t tok)
{
	static const struct { uint32_t type, len; } kinds[] = {
		[HI_AMD] = { IOMMUNEST_HW_INFO_AMD, 16 },
		[HI_AMD_SHORT] = { IOMMUNEST_HW_INFO_AMD, 15 },
		[HI_AMD_EMPTY] = { IOMMUNEST_HW_INFO_AMD, 0 },
		[HI_TEGRA] = { IOMMUNEST_HW_INFO_TEGRA241_CMDQV, 8 },
		[HI_TEGRA_SHORT] = { IOMMUNEST_HW_INFO_TEGRA241_CMDQV, 7 },
		[HI_VTD] = { IOMMUNEST_HW_INFO_INTEL_VTD, 24 },
		[HI_SMMUV3] = { IOMMUNEST_HW_INFO_ARM_SMMUV3, 40 },
	};
	static struct iommunest_hw_info info;

	if (tok == NUL)
		return NULL;
	ck_assert_uint_lt(tok, sizeof(kinds) / sizeof(kinds[0]));
	memset(&info, 0xff, sizeof(info));
	info.type = kinds[tok].type;
	info.raw_len = kinds[tok].len;
	return &info;
}

static int call_hw_info_amd(const struct row *r)
{
	return iommunest_hw_info_amd(hw_info_of(r->a[0]), PTR(1));
}

static int call_hw_info_tegra241(const struct row *r)
{
	return iommunest_hw_info_tegra241(hw_info_of(r->a[0]), PTR(1));
}

static int call_invalidate(const struct row *r)
{
	int rc;

	env.num = U32(6);
	rc = iommunest_invalidate(CTX_(0), U32(1), U32(2), PTR(3), U32(4),
				  PTR(5));
	/* A refusal leaves *num alone; otherwise it is the kernel's count
	 * (the kernel rows report none handled). */
	ck_assert_uint_eq(env.num, KERNEL_ROW(r) ? 0 : U32(6));
	return rc;
}

/* batch.h */
static int call_batch_new(const struct row *r)
{
	env.cfg = (struct iommunest_batch_config){
		.target_id = ID_NESTED,
		.data_type = U32(3),
		.entry_len = U32(4),
		.capacity = U32(5),
		.flags = U32(6),
	};
	return iommunest_batch_new(CTX_(0), PTR(1), PTR(2));
}

static int call_batch_free(const struct row *r)
{
	iommunest_batch_free(BATCH(0));
	return 0;
}

static int call_batch_add_raw(const struct row *r)
{
	return iommunest_batch_add_raw(BATCH(0), PTR(1));
}

static int call_batch_reserve(const struct row *r)
{
	void *slots = NULL;
	int rc = iommunest_batch_reserve(BATCH(0), U32(1),
					 PTR(2) ? &slots : NULL);

	ck_assert_ptr_null(slots); /* not written on a refusal */
	return rc;
}

static int call_batch_add_vtd(const struct row *r)
{
	return iommunest_batch_add_vtd(BATCH(0), U64(1), U64(2), U64(3) != 0);
}

static int call_batch_add_vtd_all(const struct row *r)
{
	return iommunest_batch_add_vtd_all(BATCH(0));
}

static int call_batch_add_smmuv3(const struct row *r)
{
	return iommunest_batch_add_smmuv3(BATCH(0), PTR(1));
}

static int call_batch_add_selftest(const struct row *r)
{
	return iommunest_batch_add_selftest(BATCH(0), U32(1), U32(2));
}

static int call_batch_add_selftest_viommu(const struct row *r)
{
	return iommunest_batch_add_selftest_viommu(BATCH(0), U32(1), U32(2),
						   U32(3));
}

static int call_batch_flush(const struct row *r)
{
	int rc = iommunest_batch_flush(BATCH(0));

	/* The kernel's answer is also the entry's result. */
	if (KERNEL_ROW(r))
		ck_assert_int_eq(iommunest_batch_result(BATCH(0), 0), rc);
	return rc;
}

static int call_batch_count(const struct row *r)
{
	return iommunest_batch_count(BATCH(0));
}

static int call_batch_result(const struct row *r)
{
	return iommunest_batch_result(BATCH(0), U32(1));
}

static int call_batch_first_failed(const struct row *r)
{
	return iommunest_batch_first_failed(BATCH(0));
}

static int call_batch_reset(const struct row *r)
{
	return iommunest_batch_reset(BATCH(0));
}

static int call_batch_probe(const struct row *r)
{
	int rc = iommunest_batch_probe(BATCH(0));
	unsigned int n = fk_ncalls();

	/* A lasting answer is remembered: asking again makes no call. */
	if (KERNEL_ROW(r)) {
		ck_assert_int_eq(iommunest_batch_probe(BATCH(0)), rc);
		ck_assert_uint_eq(fk_ncalls(), n);
	}
	return rc;
}

static int call_batch_stats(const struct row *r)
{
	return iommunest_batch_stats(BATCH(0), PTR(1));
}

/* tracker.h */
static int call_sink_ioas(const struct row *r)
{
	return iommunest_sink_ioas(CTX_(0), PTR(1));
}

static int call_sink_ioas_ext(const struct row *r)
{
	return iommunest_sink_ioas_ext(CTX_(0), PTR(1));
}

static int call_tracker_set_sink_ext(const struct row *r)
{
	return iommunest_tracker_set_sink_ext(TRACKER(0), EXT(1));
}

static int call_ptcache_new(const struct row *r)
{
	return iommunest_ptcache_new(CTX_(0), PTR(1));
}

static int call_ptcache_free(const struct row *r)
{
	iommunest_ptcache_free(PTCACHE(0));
	return 0;
}

static int call_ptcache_sink(const struct row *r)
{
	return iommunest_ptcache_sink(PTCACHE(0), PTR(1), PTR(2));
}

static int call_ptcache_replace(const struct row *r)
{
	return iommunest_ptcache_replace(PTCACHE(0), U32(1), U32(2),
					 replace_of(U64(3)), NULL);
}

static int call_tracker_new(const struct row *r)
{
	return iommunest_tracker_new(SINK(0), U32(1), PTR(2));
}

static int call_tracker_free(const struct row *r)
{
	iommunest_tracker_free(TRACKER(0));
	return 0;
}

static int call_tracker_add_ram(const struct row *r)
{
	return iommunest_tracker_add_ram(TRACKER(0), U64(1), U64(2), PTR(3));
}

static int call_tracker_domain_add(const struct row *r)
{
	return iommunest_tracker_domain_add(TRACKER(0), U32(1));
}

static int call_tracker_domain_remove(const struct row *r)
{
	return iommunest_tracker_domain_remove(TRACKER(0), U32(1));
}

static int call_tracker_map(const struct row *r)
{
	return iommunest_tracker_map(TRACKER(0), U32(1), U64(2), U64(3),
				     U64(4), U32(5));
}

static int call_tracker_unmap(const struct row *r)
{
	return iommunest_tracker_unmap(TRACKER(0), U32(1), U64(2), U64(3));
}

static int call_tracker_device_add(const struct row *r)
{
	uint32_t state;
	int rc = iommunest_tracker_device_add(TRACKER(0), U32(1), U32(2),
					      replace_of(U64(3)), NULL);

	/* A device whose add failed is not tracked. */
	if (rc && TRACKER(0) && U32(1) != 10 && U32(1) != 11)
		ck_assert_int_eq(iommunest_tracker_device_state(TRACKER(0),
								U32(1),
								&state, NULL),
				 -ENOENT);
	return rc;
}

static int call_tracker_device_remove(const struct row *r)
{
	return iommunest_tracker_device_remove(TRACKER(0), U32(1));
}

static int call_tracker_set_domain(const struct row *r)
{
	return iommunest_tracker_set_domain(TRACKER(0), U32(1), U32(2));
}

static int call_tracker_set_passthrough(const struct row *r)
{
	return iommunest_tracker_set_passthrough(TRACKER(0), U32(1));
}

static int call_tracker_set_blocked(const struct row *r)
{
	return iommunest_tracker_set_blocked(TRACKER(0), U32(1));
}

static int call_tracker_device_state(const struct row *r)
{
	return iommunest_tracker_device_state(TRACKER(0), U32(1), PTR(2),
					      PTR(3));
}

static int call_tracker_stats(const struct row *r)
{
	return iommunest_tracker_stats(TRACKER(0), PTR(1));
}

/* iommunest.h, 0.2: HWPTs, fault queues, vEVENTQs */
#define NO_ARGS (1ull << 32) /* hwpt_alloc: as dev_id, args NULL */
#define VQ 1                 /* the fixture's vEVENTQ */
#define VEVENTQ(i) (r->a[i] == VQ ? env.vq : NULL)

static int call_hwpt_alloc(const struct row *r)
{
	const struct iommunest_hwpt_args a = {
		.dev_id = U32(1), .pt_id = U32(2), .flags = U32(3),
		.fault_id = U32(4), .data_type = U32(5), .data_len = U32(6),
		.data = PTR(7),
	};

	return iommunest_hwpt_alloc(CTX_(0), r->a[1] == NO_ARGS ? NULL : &a,
				    PTR(8));
}

static int call_hwpt_alloc_amd_guest(const struct row *r)
{
	return iommunest_hwpt_alloc_amd_guest(CTX_(0), U32(1), U32(2), PTR(3),
					      PTR(4));
}

static int call_fault_queue_alloc(const struct row *r)
{
	return iommunest_fault_queue_alloc(CTX_(0), PTR(1), PTR(2));
}

static int call_fault_read(const struct row *r)
{
	return iommunest_fault_read(FD(0), PTR(1), U32(2));
}

static int call_fault_respond(const struct row *r)
{
	return iommunest_fault_respond(FD(0), U32(1), U32(2));
}

static int call_veventq_alloc(const struct row *r)
{
	return iommunest_veventq_alloc(CTX_(0), U32(1), U32(2), U32(3),
				       U32(4), PTR(5));
}

static int call_veventq_free(const struct row *r)
{
	return iommunest_veventq_free(VEVENTQ(0));
}

static int call_veventq_fd(const struct row *r)
{
	return iommunest_veventq_fd(VEVENTQ(0));
}

static int call_veventq_id(const struct row *r)
{
	return iommunest_veventq_id(VEVENTQ(0), PTR(1));
}

static int call_veventq_read(const struct row *r)
{
	return iommunest_veventq_read(VEVENTQ(0), PTR(1), U32(2));
}

static int call_features(const struct row *r)
{
	return iommunest_features(CTX_(0), U32(1), U32(2), PTR(3));
}

/* guestq.h: a window of a[2]-byte slots (ring of a[3], [a[4], a[5])) at
 * a[1] (a ring of one PASID-based IOTLB descriptor when BUF), the queue
 * itself NULL when a[6] is NUL, the result at a[7] (OUT, NUL, or any
 * other token: a result the call may write). */
static int call_vtd_queue_translate(const struct row *r)
{
	static uint64_t ring[4 * 4];
	struct iommunest_guest_queue q = {
		.base = r->a[1] == BUF ? (const void *)ring : PTR(1),
		.slot_len = U32(2), .size = U32(3), .head = U32(4),
		.tail = U32(5),
	};
	struct iommunest_guest_queue_result res;

	memset(ring, 0, sizeof(ring));
	ring[0] = htole64(6 | 3u << 4); /* page 0, AM 0 */
	return iommunest_vtd_queue_translate(BATCH(0),
					     r->a[6] == NUL ? NULL : &q,
					     r->a[7] == NUL ? NULL
					     : r->a[7] == OUT ? PTR(7) : &res);
}

/* The same for SMMUv3: a ring of one TLBI_NH_ALL command when BUF. */
static int call_smmuv3_queue_translate(const struct row *r)
{
	static uint64_t ring[4 * 2];
	struct iommunest_guest_queue q = {
		.base = r->a[1] == BUF ? (const void *)ring : PTR(1),
		.slot_len = U32(2), .size = U32(3), .head = U32(4),
		.tail = U32(5),
	};
	struct iommunest_guest_queue_result res;

	memset(ring, 0, sizeof(ring));
	ring[0] = htole64(0x10); /* CMD_TLBI_NH_ALL */
	return iommunest_smmuv3_queue_translate(BATCH(0),
						r->a[6] == NUL ? NULL : &q,
						r->a[7] == NUL ? NULL
						: r->a[7] == OUT ? PTR(7)
								 : &res);
}

/* ---- the rows --------------------------------------------------------- */

#define HA KABI_IOMMU_HWPT_ALLOC
#define INV KABI_IOMMU_HWPT_INVALIDATE

static const struct row rows[] = {
	/* ---- iommunest_open(3) ---- */
	ROW(open, "ctx NULL", -EINVAL, LIB, NUL),
	ROW(open_fd, "ctx NULL (the fd stays the caller's)", -EINVAL, LIB,
	    FD_OPEN, NUL),
	ROW(open_fd, "fd -1", -EBADF, LIB, FD_NEG, OUT),
	ROW(open_fd, "fd INT_MIN", -EBADF, LIB, FD_MIN, OUT),
	ROW(open_fd, "fd closed", -EBADF, LIB, FD_SHUT, OUT),
	ROW(open_fd, "fd INT_MAX, never open", -EBADF, LIB, INT_MAX, OUT),
	ROW(close, "ctx NULL: accepted and ignored", 0, LIB, NUL),
	ROW(close, "descriptor closed behind its back", -EBADF, LIB, STALE),
	ROW(fd, "ctx NULL", -EINVAL, LIB, NUL),

	/* ---- iommunest_destroy(3) ---- */
	ROW(destroy, "ctx NULL", -EINVAL, LIB, NUL, ID_IOAS),
	ROW(destroy, "ctx NULL, id 0", -EINVAL, LIB, NUL, 0),
	ROW(destroy, "id 0, which the kernel never uses", -ENOENT,
	    K(KABI_IOMMU_DESTROY, ENOENT), CTX, 0),
	ROW(destroy, "id UINT32_MAX, no object", -ENOENT,
	    K(KABI_IOMMU_DESTROY, ENOENT), CTX, U32M),
	ROW(destroy, "id of a bound device (wrong type)", -EBUSY,
	    K(KABI_IOMMU_DESTROY, EBUSY), CTX, ID_DEV),
	ROW(destroy, "context's descriptor closed behind its back", -EBADF,
	    K(KABI_IOMMU_DESTROY, EBADF), STALE, ID_IOAS),

	/* ---- iommunest_option_set(3) ---- */
	ROW(option_set, "ctx NULL", -EINVAL, LIB,
	    NUL, IOMMUNEST_OPTION_HUGE_PAGES, ID_IOAS, 1),
	ROW(option_set, "unknown option 9", -EINVAL, LIB, CTX, 9, 0, 0),
	ROW(option_set, "option -1", -EINVAL, LIB, CTX, U64M, 0, 0),
	ROW(option_set, "option INT_MAX", -EINVAL, LIB, CTX, INT_MAX, 1, 0),
	ROW(option_set, "RLIMIT_MODE on object 1 (a global knob)", -EINVAL,
	    LIB, CTX, IOMMUNEST_OPTION_RLIMIT_MODE, 1, 1),
	ROW(option_set, "RLIMIT_MODE on object UINT32_MAX", -EINVAL, LIB,
	    CTX, IOMMUNEST_OPTION_RLIMIT_MODE, U32M, 0),
	ROW(option_set, "HUGE_PAGES on object 0 (needs an IOAS)", -EINVAL,
	    LIB, CTX, IOMMUNEST_OPTION_HUGE_PAGES, 0, 1),
	ROW(option_set, "value 2 (booleans)", -EINVAL, LIB,
	    CTX, IOMMUNEST_OPTION_HUGE_PAGES, ID_IOAS, 2),
	ROW(option_set, "value UINT64_MAX", -EINVAL, LIB,
	    CTX, IOMMUNEST_OPTION_RLIMIT_MODE, 0, U64M),
	ROW(option_set, "HUGE_PAGES on a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_OPTION, ENOENT),
	    CTX, IOMMUNEST_OPTION_HUGE_PAGES, ID_PAGING, 0),
	ROW(option_get, "ctx NULL", -EINVAL, LIB,
	    NUL, IOMMUNEST_OPTION_HUGE_PAGES, ID_IOAS, OUT),
	ROW(option_get, "value NULL", -EINVAL, LIB,
	    CTX, IOMMUNEST_OPTION_HUGE_PAGES, ID_IOAS, NUL),
	ROW(option_get, "unknown option 2", -EINVAL, LIB, CTX, 2, 0, OUT),
	ROW(option_get, "RLIMIT_MODE on object UINT32_MAX", -EINVAL, LIB,
	    CTX, IOMMUNEST_OPTION_RLIMIT_MODE, U32M, OUT),
	ROW(option_get, "HUGE_PAGES on object 0", -EINVAL, LIB,
	    CTX, IOMMUNEST_OPTION_HUGE_PAGES, 0, OUT),
	ROW(option_get, "HUGE_PAGES on a device (wrong type)", -ENOENT,
	    K(KABI_IOMMU_OPTION, ENOENT),
	    CTX, IOMMUNEST_OPTION_HUGE_PAGES, ID_DEV, OUT),

	/* ---- iommunest_ioas_alloc(3) ---- */
	ROW(ioas_alloc, "ctx NULL", -EINVAL, LIB, NUL, OUT),
	ROW(ioas_alloc, "ioas_id NULL", -EINVAL, LIB, CTX, NUL),

	/* ---- iommunest_ioas_map(3): (ctx, ioas, vaddr, len, iova, flags) */
	ROW(ioas_map, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, BUF, PAGE, 0, RW),
	ROW(ioas_map, "vaddr NULL", -EINVAL, LIB,
	    CTX, ID_IOAS, NUL, PAGE, 0, RW),
	ROW(ioas_map, "length 0", -EINVAL, LIB, CTX, ID_IOAS, BUF, 0, 0, RW),
	ROW(ioas_map, "flags 0", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, PAGE, 0, 0),
	ROW(ioas_map, "unknown flag bit 2", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, PAGE, 0, 1u << 2),
	ROW(ioas_map, "READ|WRITE plus bit 31", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, PAGE, 0, RW | 1u << 31),
	ROW(ioas_map, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, PAGE, 0, U32M),
	ROW(ioas_map, "vaddr + length runs past the address space", -EINVAL,
	    LIB, CTX, ID_IOAS, ENDP, 2 * PAGE, 0, RW),
	ROW(ioas_map, "length UINT64_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, U64M, 0, RW),
	ROW(ioas_map, "iova + length wraps past 2^64", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, 2 * PAGE, TOP_PAGE, RW),
	ROW(ioas_map, "iova UINT64_MAX, length 2", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, 2, U64M, RW),
	ROW(ioas_map, "iova 2^63, length 2^63 + 4096", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, HALF + PAGE, HALF, RW),
	ROW(ioas_map, "vaddr's last page, ending exactly at the top", -EFAULT,
	    K(KABI_IOMMU_IOAS_MAP, EFAULT), CTX, ID_IOAS, ENDP, PAGE, 0, RW),
	ROW(ioas_map, "iova UINT64_MAX, length 1 (the kernel's type)",
	    -EOVERFLOW, K(KABI_IOMMU_IOAS_MAP, EOVERFLOW),
	    CTX, ID_IOAS, BUF, 1, U64M, RW),
	ROW(ioas_map, "iova 1: unaligned for the IOAS", -EINVAL,
	    K(KABI_IOMMU_IOAS_MAP, EINVAL), CTX, ID_IOAS, BUF, PAGE, 1, RW),
	ROW(ioas_map, "vaddr unaligned for the IOAS", -EINVAL,
	    K(KABI_IOMMU_IOAS_MAP, EINVAL), CTX, ID_IOAS, ODD, PAGE, 0, RW),
	ROW(ioas_map, "ioas_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_MAP, ENOENT), CTX, ID_PAGING, BUF, PAGE, 0, RW),

	/* ---- iommunest_ioas_map_any(3):
	 * (ctx, ioas, vaddr, len, flags, *iova) */
	ROW(ioas_map_any, "iova NULL", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, PAGE, RW, NUL),
	ROW(ioas_map_any, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, BUF, PAGE, RW, OUT),
	ROW(ioas_map_any, "vaddr NULL", -EINVAL, LIB,
	    CTX, ID_IOAS, NUL, PAGE, RW, OUT),
	ROW(ioas_map_any, "length 0", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, 0, RW, OUT),
	ROW(ioas_map_any, "flags 0", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, PAGE, 0, OUT),
	ROW(ioas_map_any, "unknown flag bit 5", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, PAGE, IOMMUNEST_MAP_READ | 1u << 5, OUT),
	ROW(ioas_map_any, "vaddr + length runs past the address space",
	    -EINVAL, LIB, CTX, ID_IOAS, ENDP, 2 * PAGE, RW, OUT),
	ROW(ioas_map_any, "length UINT64_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, BUF, U64M, RW, OUT),
	ROW(ioas_map_any, "length 2^63 (half the address space)", -EOVERFLOW,
	    K(KABI_IOMMU_IOAS_MAP, EOVERFLOW), CTX, ID_IOAS, BUF, HALF, RW,
	    OUT),
	ROW(ioas_map_any, "ioas_id of a nested HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_MAP, ENOENT), CTX, ID_NESTED, BUF, PAGE, RW,
	    OUT),

	/* ---- iommunest_ioas_unmap(3): (ctx, ioas, iova, len, *unmapped) */
	ROW(ioas_unmap, "ctx NULL", -EINVAL, LIB, NUL, ID_IOAS, 0, PAGE, OUT),
	ROW(ioas_unmap, "length 0", -EINVAL, LIB, CTX, ID_IOAS, 0, 0, OUT),
	ROW(ioas_unmap, "iova + length wraps past 2^64", -EINVAL, LIB,
	    CTX, ID_IOAS, TOP_PAGE, 2 * PAGE, OUT),
	ROW(ioas_unmap, "iova and length UINT64_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, U64M, U64M, OUT),
	ROW(ioas_unmap, "iova 1, length UINT64_MAX: the kernel's type",
	    -EOVERFLOW, K(KABI_IOMMU_IOAS_UNMAP, EOVERFLOW),
	    CTX, ID_IOAS, 1, U64M, OUT),
	ROW(ioas_unmap, "iova UINT64_MAX, length 1: the kernel's type",
	    -EOVERFLOW, K(KABI_IOMMU_IOAS_UNMAP, EOVERFLOW),
	    CTX, ID_IOAS, U64M, 1, OUT),
	ROW(ioas_unmap, "ioas_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_UNMAP, ENOENT), CTX, ID_PAGING, 0, PAGE, OUT),
	ROW(ioas_unmap_all, "ctx NULL", -EINVAL, LIB, NUL, ID_IOAS, OUT),
	ROW(ioas_unmap_all, "ioas_id of a device (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_UNMAP, ENOENT), CTX, ID_DEV, OUT),
	ROW(ioas_unmap_all, "ioas_id 0", -ENOENT,
	    K(KABI_IOMMU_IOAS_UNMAP, ENOENT), CTX, 0, NUL),

	/* ---- iommunest_ioas_copy(3):
	 * (ctx, dst, dst_iova, src, src_iova, len, flags) */
	ROW(ioas_copy, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, 0, ID_IOAS, 0, PAGE, RW),
	ROW(ioas_copy, "flags 0", -EINVAL, LIB,
	    CTX, ID_IOAS, 0, ID_IOAS, 0, PAGE, 0),
	ROW(ioas_copy, "unknown flag bit 2", -EINVAL, LIB,
	    CTX, ID_IOAS, 0, ID_IOAS, 0, PAGE, RW | 1u << 2),
	ROW(ioas_copy, "length 0", -EINVAL, LIB,
	    CTX, ID_IOAS, 0, ID_IOAS, 0, 0, RW),
	ROW(ioas_copy, "src_iova + length wraps", -EINVAL, LIB,
	    CTX, ID_IOAS, 0, ID_IOAS, TOP_PAGE, 2 * PAGE, RW),
	ROW(ioas_copy, "dst_iova + length wraps", -EINVAL, LIB,
	    CTX, ID_IOAS, TOP_PAGE, ID_IOAS, 0, 2 * PAGE, RW),
	ROW(ioas_copy, "both at 2^63, length 2^63 + 4096", -EINVAL, LIB,
	    CTX, ID_IOAS, HALF, ID_IOAS, HALF, HALF + PAGE, RW),
	ROW(ioas_copy, "length UINT64_MAX from 0: the kernel's type",
	    -EOVERFLOW, K(KABI_IOMMU_IOAS_COPY, EOVERFLOW),
	    CTX, ID_IOAS, 0, ID_IOAS, 0, U64M, RW),
	ROW(ioas_copy, "dst_iova 1: unaligned for the IOAS", -EINVAL,
	    K(KABI_IOMMU_IOAS_COPY, EINVAL),
	    CTX, ID_IOAS, 1, ID_IOAS, 0, PAGE, RW),
	ROW(ioas_copy, "src of a nested HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_COPY, ENOENT),
	    CTX, ID_IOAS, 0, ID_NESTED, 0, PAGE, RW),
	/* (ctx, dst, src, src_iova, len, flags, *dst_iova) */
	ROW(ioas_copy_any, "dst_iova NULL", -EINVAL, LIB,
	    CTX, ID_IOAS, ID_IOAS, 0, PAGE, RW, NUL),
	ROW(ioas_copy_any, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, ID_IOAS, 0, PAGE, RW, OUT),
	ROW(ioas_copy_any, "flags 0", -EINVAL, LIB,
	    CTX, ID_IOAS, ID_IOAS, 0, PAGE, 0, OUT),
	ROW(ioas_copy_any, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, ID_IOAS, 0, PAGE, U32M, OUT),
	ROW(ioas_copy_any, "length 0", -EINVAL, LIB,
	    CTX, ID_IOAS, ID_IOAS, 0, 0, RW, OUT),
	ROW(ioas_copy_any, "src_iova + length wraps", -EINVAL, LIB,
	    CTX, ID_IOAS, ID_IOAS, U64M, 2, RW, OUT),
	ROW(ioas_copy_any, "length 2^63 (half the address space)",
	    -EOVERFLOW, K(KABI_IOMMU_IOAS_COPY, EOVERFLOW),
	    CTX, ID_IOAS, ID_IOAS, 0, HALF, RW, OUT),
	ROW(ioas_copy_any, "dst of a device (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_COPY, ENOENT),
	    CTX, ID_DEV, ID_IOAS, 0, PAGE, RW, OUT),

	/* ---- iommunest_ioas_iova_ranges(3):
	 * (ctx, ioas, ranges, max, *alignment) */
	ROW(ioas_iova_ranges, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, NUL, 0, OUT),
	ROW(ioas_iova_ranges, "ranges NULL, max 1", -EINVAL, LIB,
	    CTX, ID_IOAS, NUL, 1, OUT),
	ROW(ioas_iova_ranges, "ranges NULL, max UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, NUL, U32M, OUT),
	ROW(ioas_iova_ranges, "ioas_id of a device (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_IOVA_RANGES, ENOENT), CTX, ID_DEV, NUL, 0, OUT),

	/* ---- iommunest_ioas_allow_iovas(3): (ctx, ioas, ranges, count) */
	ROW(ioas_allow_iovas, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, RNG_OK, 2),
	ROW(ioas_allow_iovas, "ranges NULL, count 1", -EINVAL, LIB,
	    CTX, ID_IOAS, NUL, 1),
	ROW(ioas_allow_iovas, "ranges NULL, count UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, NUL, U32M),
	ROW(ioas_allow_iovas, "a range with start == last", -EINVAL, LIB,
	    CTX, ID_IOAS, RNG_EMPTY, 1),
	ROW(ioas_allow_iovas, "a range with start > last", -EINVAL, LIB,
	    CTX, ID_IOAS, RNG_BACK, 1),
	ROW(ioas_allow_iovas, "second range UINT64_MAX..UINT64_MAX", -EINVAL,
	    LIB, CTX, ID_IOAS, RNG_2ND_BAD, 2),
	ROW(ioas_allow_iovas, "two ranges overlap", -EINVAL,
	    K(KABI_IOMMU_IOAS_ALLOW_IOVAS, EINVAL),
	    CTX, ID_IOAS, RNG_OVERLAP, 2),
	ROW(ioas_allow_iovas, "ioas_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_ALLOW_IOVAS, ENOENT),
	    CTX, ID_PAGING, RNG_OK, 2),

	/* ---- iommunest_device_bind(3): (ctx, vfio_fd, *dev_id) ---- */
	ROW(device_bind, "ctx NULL", -EINVAL, LIB, NUL, FD_OPEN, OUT),
	ROW(device_bind, "dev_id NULL", -EINVAL, LIB, CTX, FD_OPEN, NUL),
	ROW(device_bind, "vfio_fd -1", -EBADF, LIB, CTX, FD_NEG, OUT),
	ROW(device_bind, "vfio_fd INT_MIN", -EBADF, LIB, CTX, FD_MIN, OUT),
	ROW(device_bind, "vfio_fd closed", -EBADF, LIB, CTX, FD_SHUT, OUT),
	ROW(device_bind, "vfio_fd not a VFIO device", -ENOTTY,
	    K(KABI_VFIO_DEVICE_BIND_IOMMUFD, ENOTTY), CTX, FD_OPEN, OUT),
	ROW(device_bind, "vfio_fd is the iommufd itself", -ENOTTY,
	    K(KABI_VFIO_DEVICE_BIND_IOMMUFD, ENOTTY), CTX, FD_IOMMU, OUT),

	/* ---- iommunest_device_attach(3): (ctx, vfio_fd, pt_id) ---- */
	ROW(device_attach, "ctx NULL", -EINVAL, LIB, NUL, FD_OPEN, ID_IOAS),
	ROW(device_attach, "vfio_fd -1", -EBADF, LIB, CTX, FD_NEG, ID_IOAS),
	ROW(device_attach, "vfio_fd INT_MIN", -EBADF, LIB,
	    CTX, FD_MIN, ID_IOAS),
	ROW(device_attach, "vfio_fd closed", -EBADF, LIB,
	    CTX, FD_SHUT, ID_IOAS),
	ROW(device_attach, "pt_id of a device (wrong type)", -EINVAL,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, EINVAL),
	    CTX, FD_OPEN, ID_DEV),
	ROW(device_attach, "pt_id 0", -ENOENT,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, ENOENT), CTX, FD_OPEN, 0),
	ROW(device_attach, "vfio_fd not a VFIO device", -ENOTTY,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, ENOTTY),
	    CTX, FD_OPEN, ID_IOAS),
	ROW(device_replace, "ctx NULL", -EINVAL, LIB,
	    NUL, FD_OPEN, ID_PAGING),
	ROW(device_replace, "vfio_fd -1", -EBADF, LIB,
	    CTX, FD_NEG, ID_PAGING),
	ROW(device_replace, "vfio_fd closed", -EBADF, LIB,
	    CTX, FD_SHUT, ID_PAGING),
	ROW(device_replace, "pt_id of a device (wrong type)", -EINVAL,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, EINVAL),
	    CTX, FD_OPEN, ID_DEV),
	ROW(device_replace, "pt_id UINT32_MAX, no object", -ENOENT,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, ENOENT),
	    CTX, FD_OPEN, U32M),
	ROW(device_detach, "ctx NULL", -EINVAL, LIB, NUL, FD_OPEN),
	ROW(device_detach, "vfio_fd -1", -EBADF, LIB, CTX, FD_NEG),
	ROW(device_detach, "vfio_fd INT_MIN", -EBADF, LIB, CTX, FD_MIN),
	ROW(device_detach, "vfio_fd closed", -EBADF, LIB, CTX, FD_SHUT),
	ROW(device_detach, "vfio_fd not a VFIO device", -ENOTTY,
	    K(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, ENOTTY), CTX, FD_OPEN),

	/* ---- iommunest_hw_info(3): (ctx, dev_id, *info) ---- */
	ROW(hw_info, "ctx NULL", -EINVAL, LIB, NUL, ID_DEV, OUT),
	ROW(hw_info, "info NULL", -EINVAL, LIB, CTX, ID_DEV, NUL),
	ROW(hw_info, "dev_id of an IOAS (wrong type)", -ENOENT,
	    K(KABI_IOMMU_GET_HW_INFO, ENOENT), CTX, ID_IOAS, OUT),
	ROW(hw_info, "dev_id 0", -ENOENT,
	    K(KABI_IOMMU_GET_HW_INFO, ENOENT), CTX, 0, OUT),

	/* ---- iommunest_hwpt_alloc_paging(3): (ctx, dev, ioas, flags, *id) */
	ROW(hwpt_alloc_paging, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_IOAS, 0, OUT),
	ROW(hwpt_alloc_paging, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, 0, NUL),
	ROW(hwpt_alloc_paging, "unknown flag bit 2", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, 1u << 2, OUT),
	ROW(hwpt_alloc_paging, "NEST_PARENT plus bit 31", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, IOMMUNEST_HWPT_NEST_PARENT | 1u << 31, OUT),
	ROW(hwpt_alloc_paging, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, U32M, OUT),
	ROW(hwpt_alloc_paging, "ioas_id of a device (wrong type)", -EINVAL,
	    K(HA, EINVAL), CTX, ID_DEV, ID_DEV, 0, OUT),
	ROW(hwpt_alloc_paging, "ioas_id of no object (kernel: EINVAL)",
	    -EINVAL, K(HA, EINVAL), CTX, ID_DEV, ID_NONE, 0, OUT),
	ROW(hwpt_alloc_paging, "ioas_id of a HWPT (would need data)",
	    -EOPNOTSUPP, K(HA, EOPNOTSUPP), CTX, ID_DEV, ID_PAGING, 0, OUT),
	ROW(hwpt_alloc_paging, "dev_id of an IOAS (wrong type)", -ENOENT,
	    K(HA, ENOENT), CTX, ID_IOAS, ID_IOAS, 0, OUT),

	/* ---- iommunest_hwpt_set_dirty_tracking(3): (ctx, hwpt, enable) */
	ROW(hwpt_set_dirty_tracking, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_PAGING, 1),
	ROW(hwpt_set_dirty_tracking, "hwpt_id of an IOAS (wrong type)",
	    -ENOENT, K(KABI_IOMMU_HWPT_SET_DIRTY_TRACKING, ENOENT),
	    CTX, ID_IOAS, 1),
	/* (ctx, hwpt, iova, len, page_size, bitmap, flags) */
	ROW(hwpt_get_dirty_bitmap, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_PAGING, 0, PAGE, PAGE, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "bitmap NULL", -EINVAL, LIB,
	    CTX, ID_PAGING, 0, PAGE, PAGE, NUL, 0),
	ROW(hwpt_get_dirty_bitmap, "unknown flag bit 1", -EINVAL, LIB,
	    CTX, ID_PAGING, 0, PAGE, PAGE, BUF, 1u << 1),
	ROW(hwpt_get_dirty_bitmap, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_PAGING, 0, PAGE, PAGE, BUF, U32M),
	ROW(hwpt_get_dirty_bitmap, "page_size 0", -EINVAL, LIB,
	    CTX, ID_PAGING, 0, PAGE, 0, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "page_size 3 (not a power of two)",
	    -EINVAL, LIB, CTX, ID_PAGING, 0, 3 * PAGE, 3, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "page_size 4097", -EINVAL, LIB,
	    CTX, ID_PAGING, 0, 4097, 4097, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "page_size UINT64_MAX", -EINVAL, LIB,
	    CTX, ID_PAGING, 0, U64M, U64M, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "length 0", -EINVAL, LIB,
	    CTX, ID_PAGING, 0, 0, PAGE, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "iova not a multiple of page_size",
	    -EINVAL, LIB, CTX, ID_PAGING, 512, PAGE, PAGE, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "length not a multiple of page_size",
	    -EINVAL, LIB, CTX, ID_PAGING, 0, PAGE + 1, PAGE, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "iova + length wraps past 2^64", -EINVAL,
	    LIB, CTX, ID_PAGING, TOP_PAGE, 2 * PAGE, PAGE, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "iova 2^63, length 2^63 + 4096", -EINVAL,
	    LIB, CTX, ID_PAGING, HALF, HALF + PAGE, PAGE, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "hwpt_id of an IOAS (wrong type)",
	    -ENOENT, K(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, ENOENT),
	    CTX, ID_IOAS, 0, PAGE, PAGE, BUF, 0),
	ROW(hwpt_get_dirty_bitmap, "iova unaligned for the IOAS (2M pages)",
	    -EINVAL, K(KABI_IOMMU_HWPT_GET_DIRTY_BITMAP, EINVAL),
	    CTX, ID_PAGING, PAGE, PAGE, PAGE, BUF, 0),

	/* ---- iommunest_hwpt_alloc_nested(3):
	 * (ctx, dev, parent, type, data, len, *hwpt_id) */
	ROW(hwpt_alloc_nested, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4, OUT),
	ROW(hwpt_alloc_nested, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4, NUL),
	ROW(hwpt_alloc_nested, "data_type 0 (paging)", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, BUF, 4, OUT),
	ROW(hwpt_alloc_nested, "data NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, NUL, 4, OUT),
	ROW(hwpt_alloc_nested, "data_len 0", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 0, OUT),
	ROW(hwpt_alloc_nested, "data NULL and data_len 0", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_VTD_S1, NUL, 0, OUT),
	ROW(hwpt_alloc_nested, "parent_id of an IOAS (wrong type)",
	    -EOPNOTSUPP, K(HA, EOPNOTSUPP),
	    CTX, ID_DEV, ID_IOAS, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4, OUT),
	ROW(hwpt_alloc_nested, "parent_id of a nested HWPT (wrong type)",
	    -EINVAL, K(HA, EINVAL),
	    CTX, ID_DEV, ID_NESTED, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4, OUT),
	ROW(hwpt_alloc_nested, "parent_id of a device (wrong type)", -EINVAL,
	    K(HA, EINVAL),
	    CTX, ID_DEV, ID_DEV, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4, OUT),
	ROW(hwpt_alloc_nested, "dev_id of an IOAS (wrong type)", -ENOENT,
	    K(HA, ENOENT),
	    CTX, ID_IOAS, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4, OUT),
	ROW(hwpt_alloc_nested, "data_len UINT32_MAX (more than known)",
	    -EINVAL, K(HA, EINVAL),
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, U32M,
	    OUT),
	ROW(hwpt_alloc_nested, "data + data_len past the address space",
	    -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_VTD_S1, ENDP,
	    2 * PAGE, OUT),
	ROW(hwpt_alloc_nested, "data_type 0x7777, unknown", -EOPNOTSUPP,
	    K(HA, EOPNOTSUPP), CTX, ID_DEV, ID_PAGING, 0x7777, BUF, 4, OUT),
	ROW(hwpt_alloc_nested, "kernel before 6.6: ENOTTY reads ENOSYS",
	    -ENOSYS, K(HA, ENOTTY),
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4, OUT),
	/* (ctx, dev, parent, pgtbl_addr, addr_width, flags, *hwpt_id) */
	ROW(hwpt_alloc_vtd_s1, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_PAGING, 0x1000, 48, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1000, 48, 0, NUL),
	ROW(hwpt_alloc_vtd_s1, "unknown flag bit 3", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1000, 48, 1u << 3, OUT),
	ROW(hwpt_alloc_vtd_s1, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1000, 57, U32M, OUT),
	ROW(hwpt_alloc_vtd_s1, "pgtbl_addr 0x1001 (unaligned)", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1001, 48, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "pgtbl_addr 0x800 (unaligned)", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x800, 48, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "pgtbl_addr UINT64_MAX", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, U64M, 48, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "addr_width 0", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1000, 0, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "addr_width 39", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1000, 39, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "addr_width 64", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1000, 64, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "addr_width UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0x1000, U32M, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "parent_id of an IOAS (wrong type)",
	    -EOPNOTSUPP, K(HA, EOPNOTSUPP),
	    CTX, ID_DEV, ID_IOAS, 0x1000, 48, 0, OUT),
	ROW(hwpt_alloc_vtd_s1, "kernel before 6.6: ENOTTY reads ENOSYS",
	    -ENOSYS, K(HA, ENOTTY), CTX, ID_DEV, ID_PAGING, 0x1000, 57, 0, OUT),
	/* (ctx, dev, viommu, ste, *hwpt_id) */
	ROW(hwpt_alloc_smmuv3, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_VIOMMU, BUF, OUT),
	ROW(hwpt_alloc_smmuv3, "ste NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_VIOMMU, NUL, OUT),
	ROW(hwpt_alloc_smmuv3, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_VIOMMU, BUF, NUL),
	ROW(hwpt_alloc_smmuv3, "viommu_id of a device (wrong type)", -EINVAL,
	    K(HA, EINVAL), CTX, ID_DEV, ID_DEV, BUF, OUT),
	/* (ctx, dev, parent, iotlb, *hwpt_id) */
	ROW(hwpt_alloc_selftest, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_PAGING, 0, OUT),
	ROW(hwpt_alloc_selftest, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, NUL),
	ROW(hwpt_alloc_selftest, "parent_id of a device (wrong type)",
	    -EINVAL, K(HA, EINVAL), CTX, ID_DEV, ID_DEV, 0, OUT),

	/* ---- iommunest_nested_switch(3):
	 * (ctx, fd, dev, parent, type, data, len, *hwpt_id) */
	ROW(nested_switch, "ctx NULL", -EINVAL, LIB,
	    NUL, FD_OPEN, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 4, INOUT),
	ROW(nested_switch, "vfio_fd -1", -EBADF, LIB,
	    CTX, FD_NEG, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 4, INOUT),
	ROW(nested_switch, "vfio_fd INT_MIN", -EBADF, LIB,
	    CTX, FD_MIN, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 4, INOUT),
	ROW(nested_switch, "vfio_fd closed", -EBADF, LIB,
	    CTX, FD_SHUT, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 4, INOUT),
	ROW(nested_switch, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, FD_OPEN, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 4, NUL),
	ROW(nested_switch, "data_type 0", -EINVAL, LIB,
	    CTX, FD_OPEN, ID_DEV, ID_PAGING, 0, BUF, 4, INOUT),
	ROW(nested_switch, "data NULL", -EINVAL, LIB,
	    CTX, FD_OPEN, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    NUL, 4, INOUT),
	ROW(nested_switch, "data_len 0", -EINVAL, LIB,
	    CTX, FD_OPEN, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 0, INOUT),
	ROW(nested_switch, "parent_id of a device (wrong type)", -EINVAL,
	    K(HA, EINVAL),
	    CTX, FD_OPEN, ID_DEV, ID_DEV, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 4, INOUT),
	ROW(nested_switch, "vfio_fd not a VFIO device: new HWPT dropped",
	    -ENOTTY, K3(HA, 0, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, ENOTTY,
			KABI_IOMMU_DESTROY, 0),
	    CTX, FD_OPEN, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST,
	    BUF, 4, INOUT),
	/* (ctx, dev, parent, type, data, len, replace, opaque, *hwpt_id) */
	ROW(nested_switch_fn, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4,
	    REPLACE_FAIL, NUL, INOUT),
	ROW(nested_switch_fn, "replace NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4,
	    NUL, NUL, INOUT),
	ROW(nested_switch_fn, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4,
	    REPLACE_FAIL, NUL, NUL),
	ROW(nested_switch_fn, "data_type 0", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, BUF, 4, REPLACE_FAIL, NUL, INOUT),
	ROW(nested_switch_fn, "data NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, NUL, 4,
	    REPLACE_FAIL, NUL, INOUT),
	ROW(nested_switch_fn, "data_len 0", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 0,
	    REPLACE_FAIL, NUL, INOUT),
	ROW(nested_switch_fn, "dev_id of an IOAS (wrong type)", -ENOENT,
	    K(HA, ENOENT),
	    CTX, ID_IOAS, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4,
	    REPLACE_FAIL, NUL, INOUT),
	ROW(nested_switch_fn, "replace refuses (-EPERM): new HWPT dropped",
	    -EPERM, K3(HA, 0, KABI_IOMMU_DESTROY, 0, 0, 0),
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_HWPT_DATA_SELFTEST, BUF, 4,
	    REPLACE_FAIL, NUL, INOUT),

	/* ---- iommunest_viommu_alloc(3): (ctx, dev, parent, type, *id) */
	ROW(viommu_alloc, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_ARM_SMMUV3, OUT),
	ROW(viommu_alloc, "viommu_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_ARM_SMMUV3, NUL),
	ROW(viommu_alloc, "type 0 (reserved)", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, OUT),
	ROW(viommu_alloc, "Linux 6.12 (no vIOMMU): ENOTTY reads ENOSYS",
	    -ENOSYS, K(KABI_IOMMU_VIOMMU_ALLOC, ENOTTY),
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_ARM_SMMUV3, OUT),
	ROW(viommu_alloc, "parent of an IOAS (wrong type)", -ENOENT,
	    K(KABI_IOMMU_VIOMMU_ALLOC, ENOENT),
	    CTX, ID_DEV, ID_IOAS, IOMMUNEST_VIOMMU_ARM_SMMUV3, OUT),
	ROW(viommu_alloc, "dev_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_VIOMMU_ALLOC, ENOENT),
	    CTX, ID_PAGING, ID_PAGING, IOMMUNEST_VIOMMU_ARM_SMMUV3, OUT),
	ROW(viommu_alloc, "type UINT32_MAX, unknown", -EOPNOTSUPP,
	    K(KABI_IOMMU_VIOMMU_ALLOC, EOPNOTSUPP),
	    CTX, ID_DEV, ID_PAGING, U32M, OUT),
	/* (ctx, viommu, dev, virt_id, *vdevice_id) */
	ROW(vdevice_alloc, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_VIOMMU, ID_DEV, 0, OUT),
	ROW(vdevice_alloc, "vdevice_id NULL", -EINVAL, LIB,
	    CTX, ID_VIOMMU, ID_DEV, 0, NUL),
	ROW(vdevice_alloc, "Linux 6.12 (no vIOMMU): ENOTTY reads ENOSYS",
	    -ENOSYS, K(KABI_IOMMU_VDEVICE_ALLOC, ENOTTY),
	    CTX, ID_VIOMMU, ID_DEV, 0, OUT),
	ROW(vdevice_alloc, "viommu_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_VDEVICE_ALLOC, ENOENT),
	    CTX, ID_PAGING, ID_DEV, 0, OUT),

	/* ---- iommunest_viommu_alloc_data(3):
	 * (ctx, dev, parent, type, data, data_len, *viommu_id) */
	ROW(viommu_alloc_data, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, BUF, 24, OUT),
	ROW(viommu_alloc_data, "viommu_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, BUF, 24, NUL),
	ROW(viommu_alloc_data, "type 0 (reserved)", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, BUF, 24, OUT),
	ROW(viommu_alloc_data, "data NULL, data_len 24", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, NUL, 24, OUT),
	ROW(viommu_alloc_data, "data without data_len", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, BUF, 0, OUT),
	ROW(viommu_alloc_data, "data + data_len past the address space",
	    -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, ENDP,
	    2 * PAGE, OUT),
	ROW(viommu_alloc_data, "Linux 6.12 (no vIOMMU): ENOTTY reads ENOSYS",
	    -ENOSYS, K(KABI_IOMMU_VIOMMU_ALLOC, ENOTTY),
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, BUF, 24, OUT),
	ROW(viommu_alloc_data, "6.13 to 6.16: data unknown (E2BIG), no HW "
	    "queue call: ENOSYS", -ENOSYS,
	    K3(KABI_IOMMU_VIOMMU_ALLOC, E2BIG, KABI_IOMMU_HW_QUEUE_ALLOC,
	       ENOTTY, 0, 0),
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, BUF, 24, OUT),
	ROW(viommu_alloc_data, "data_len 4096, longer than the driver's "
	    "struct", -E2BIG,
	    K3(KABI_IOMMU_VIOMMU_ALLOC, E2BIG, KABI_IOMMU_HW_QUEUE_ALLOC,
	       EOPNOTSUPP, 0, 0),
	    CTX, ID_DEV, ID_PAGING, IOMMUNEST_VIOMMU_SELFTEST, BUF, PAGE, OUT),
	ROW(viommu_alloc_data, "parent of an IOAS (wrong type)", -ENOENT,
	    K(KABI_IOMMU_VIOMMU_ALLOC, ENOENT),
	    CTX, ID_DEV, ID_IOAS, IOMMUNEST_VIOMMU_SELFTEST, BUF, 24, OUT),

	/* ---- iommunest_mmap(3): (ctx, offset, length, prot, *addr) ---- */
	ROW(mmap, "ctx NULL", -EINVAL, LIB, NUL, 0, PAGE, PROT_READ, OUT),
	ROW(mmap, "addr NULL", -EINVAL, LIB, CTX, 0, PAGE, PROT_READ, NUL),
	ROW(mmap, "length 0", -EINVAL, LIB, CTX, 0, 0, PROT_READ, OUT),
	ROW(mmap, "offset 1 (unaligned)", -EINVAL, LIB,
	    CTX, 1, PAGE, PROT_READ, OUT),
	ROW(mmap, "offset 2^63 (past off_t)", -EINVAL, LIB,
	    CTX, HALF, PAGE, PROT_READ, OUT),
	ROW(mmap, "prot PROT_EXEC", -EINVAL, LIB,
	    CTX, 0, PAGE, PROT_READ | PROT_EXEC, OUT),
	ROW(mmap, "unknown prot bit 7", -EINVAL, LIB,
	    CTX, 0, PAGE, 1u << 7, OUT),
	ROW(mmap, "prot -1", -EINVAL, LIB, CTX, 0, PAGE, U64M, OUT),
	ROW(mmap, "no mmap before 6.17 (here /dev/null): ENODEV reads "
	    "ENOSYS", -ENOSYS, LIB, CTX, 0, PAGE, PROT_READ | PROT_WRITE, OUT),
	ROW(mmap, "context's descriptor closed behind its back", -EBADF, LIB,
	    STALE, 0, PAGE, PROT_READ, OUT),

	/* ---- iommunest_hw_queue_alloc(3):
	 * (ctx, viommu, type, index, iova, length, *hw_queue_id) */
	ROW(hw_queue_alloc, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_VIOMMU, IOMMUNEST_HW_QUEUE_SELFTEST, 0, 0, PAGE, OUT),
	ROW(hw_queue_alloc, "hw_queue_id NULL", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_HW_QUEUE_SELFTEST, 0, 0, PAGE, NUL),
	ROW(hw_queue_alloc, "type 0 (reserved)", -EINVAL, LIB,
	    CTX, ID_VIOMMU, 0, 0, 0, PAGE, OUT),
	ROW(hw_queue_alloc, "length 0", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_HW_QUEUE_SELFTEST, 0, 0, 0, OUT),
	ROW(hw_queue_alloc, "iova + length wraps past 2^64", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_HW_QUEUE_SELFTEST, 0, TOP_PAGE,
	    2 * PAGE, OUT),
	ROW(hw_queue_alloc, "iova UINT64_MAX, length 2", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_HW_QUEUE_SELFTEST, 0, U64M, 2, OUT),
	ROW(hw_queue_alloc, "Linux 6.12: ENOTTY reads ENOSYS", -ENOSYS,
	    K(KABI_IOMMU_HW_QUEUE_ALLOC, ENOTTY),
	    CTX, ID_VIOMMU, IOMMUNEST_HW_QUEUE_SELFTEST, 0, 0, PAGE, OUT),
	ROW(hw_queue_alloc, "viommu_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_HW_QUEUE_ALLOC, ENOENT),
	    CTX, ID_PAGING, IOMMUNEST_HW_QUEUE_SELFTEST, 0, 0, PAGE, OUT),
	ROW(hw_queue_alloc, "type 0x7777, unknown to the vIOMMU", -EOPNOTSUPP,
	    K(KABI_IOMMU_HW_QUEUE_ALLOC, EOPNOTSUPP),
	    CTX, ID_VIOMMU, 0x7777, 0, 0, PAGE, OUT),
	ROW(hw_queue_alloc, "index UINT32_MAX, past the vIOMMU's queues",
	    -EINVAL, K(KABI_IOMMU_HW_QUEUE_ALLOC, EINVAL),
	    CTX, ID_VIOMMU, IOMMUNEST_HW_QUEUE_SELFTEST, U32M, 0, PAGE, OUT),

	/* ---- iommunest_ioas_map_file(3):
	 * (ctx, ioas, fd, start, length, iova, flags) */
	ROW(ioas_map_file, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, FD_FILE, 0, PAGE, 0, RW),
	ROW(ioas_map_file, "flags 0", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, 0, 0),
	ROW(ioas_map_file, "unknown flag bit 2", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, 0, RW | 1u << 2),
	ROW(ioas_map_file, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, 0, U32M),
	ROW(ioas_map_file, "length 0", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, 0, 0, RW),
	ROW(ioas_map_file, "start + length wraps past 2^64", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, U64M, 2, 0, RW),
	ROW(ioas_map_file, "iova + length wraps past 2^64", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, 2 * PAGE, TOP_PAGE, RW),
	ROW(ioas_map_file, "fd -1", -EBADF, LIB,
	    CTX, ID_IOAS, FD_NEG, 0, PAGE, 0, RW),
	ROW(ioas_map_file, "fd INT_MIN", -EBADF, LIB,
	    CTX, ID_IOAS, FD_MIN, 0, PAGE, 0, RW),
	ROW(ioas_map_file, "fd closed", -EBADF, LIB,
	    CTX, ID_IOAS, FD_SHUT, 0, PAGE, 0, RW),
	ROW(ioas_map_file, "length 0 and fd -1: EINVAL first", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_NEG, 0, 0, 0, RW),
	ROW(ioas_map_file, "one byte past the end of the file", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, FILE_SIZE + 1, 0, RW),
	ROW(ioas_map_file, "start at the end of the file", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, FILE_SIZE, 1, 0, RW),
	ROW(ioas_map_file, "start 2^64 - 4096, ending at 2^64", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, TOP_PAGE, PAGE, 0, RW),
	ROW(ioas_map_file, "Linux 6.12: ENOTTY reads ENOSYS", -ENOSYS,
	    K(KABI_IOMMU_IOAS_MAP_FILE, ENOTTY),
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, 0, RW),
	ROW(ioas_map_file, "fd /dev/null, not a memfd: the kernel's to judge",
	    -EINVAL, K(KABI_IOMMU_IOAS_MAP_FILE, EINVAL),
	    CTX, ID_IOAS, FD_OPEN, 0, PAGE, 0, RW),
	ROW(ioas_map_file, "iova 1: unaligned for the IOAS", -EINVAL,
	    K(KABI_IOMMU_IOAS_MAP_FILE, EINVAL),
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, 1, RW),
	ROW(ioas_map_file, "ioas_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_MAP_FILE, ENOENT),
	    CTX, ID_PAGING, FD_FILE, 0, PAGE, 0, RW),
	/* (ctx, ioas, fd, start, length, flags, *iova) */
	ROW(ioas_map_file_any, "iova NULL", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, RW, NUL),
	ROW(ioas_map_file_any, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_IOAS, FD_FILE, 0, PAGE, RW, OUT),
	ROW(ioas_map_file_any, "flags 0", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, 0, OUT),
	ROW(ioas_map_file_any, "length 0", -EINVAL, LIB,
	    CTX, ID_IOAS, FD_FILE, 0, 0, RW, OUT),
	ROW(ioas_map_file_any, "start + length wraps past 2^64", -EINVAL,
	    LIB, CTX, ID_IOAS, FD_FILE, TOP_PAGE, 2 * PAGE, RW, OUT),
	ROW(ioas_map_file_any, "fd closed", -EBADF, LIB,
	    CTX, ID_IOAS, FD_SHUT, 0, PAGE, RW, OUT),
	ROW(ioas_map_file_any, "length UINT64_MAX, past the file", -EINVAL,
	    LIB, CTX, ID_IOAS, FD_FILE, 0, U64M, RW, OUT),
	ROW(ioas_map_file_any, "Linux 6.12: ENOTTY reads ENOSYS", -ENOSYS,
	    K(KABI_IOMMU_IOAS_MAP_FILE, ENOTTY),
	    CTX, ID_IOAS, FD_FILE, 0, PAGE, RW, OUT),
	ROW(ioas_map_file_any, "ioas_id of a device (wrong type)", -ENOENT,
	    K(KABI_IOMMU_IOAS_MAP_FILE, ENOENT),
	    CTX, ID_DEV, FD_FILE, 0, PAGE, RW, OUT),

	/* ---- iommunest_ioas_change_process(3): (ctx) ---- */
	ROW(ioas_change_process, "ctx NULL", -EINVAL, LIB, NUL),
	ROW(ioas_change_process, "a mapping not made from a file", -EINVAL,
	    K(KABI_IOMMU_IOAS_CHANGE_PROCESS, EINVAL), CTX),
	ROW(ioas_change_process, "Linux 6.12 and 6.13: ENOTTY reads ENOSYS",
	    -ENOSYS, K(KABI_IOMMU_IOAS_CHANGE_PROCESS, ENOTTY), CTX),
	ROW(ioas_change_process, "context's descriptor closed behind its "
	    "back", -EBADF, K(KABI_IOMMU_IOAS_CHANGE_PROCESS, EBADF), STALE),

	/* ---- iommunest_device_pasid_attach(3): (ctx, vfio_fd, pasid, pt) */
	ROW(device_pasid_attach, "ctx NULL", -EINVAL, LIB,
	    NUL, FD_OPEN, 1, ID_PAGING),
	ROW(device_pasid_attach, "pasid 0 (the device's own requests)",
	    -EINVAL, LIB, CTX, FD_OPEN, 0, ID_PAGING),
	ROW(device_pasid_attach, "pasid 2^20 (wider than PCI's)", -EINVAL,
	    LIB, CTX, FD_OPEN, 1u << 20, ID_PAGING),
	ROW(device_pasid_attach, "pasid UINT32_MAX", -EINVAL, LIB,
	    CTX, FD_OPEN, U32M, ID_PAGING),
	ROW(device_pasid_attach, "vfio_fd -1", -EBADF, LIB,
	    CTX, FD_NEG, 1, ID_PAGING),
	ROW(device_pasid_attach, "vfio_fd INT_MIN", -EBADF, LIB,
	    CTX, FD_MIN, 1, ID_PAGING),
	ROW(device_pasid_attach, "vfio_fd closed", -EBADF, LIB,
	    CTX, FD_SHUT, 1, ID_PAGING),
	ROW(device_pasid_attach, "pasid 0 and vfio_fd -1: EINVAL first",
	    -EINVAL, LIB, CTX, FD_NEG, 0, ID_PAGING),
	ROW(device_pasid_attach, "Linux 6.12 (VFIO: EINVAL, no vEVENTQ "
	    "call): ENOSYS", -ENOSYS,
	    K3(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, EINVAL,
	       KABI_IOMMU_VEVENTQ_ALLOC, ENOTTY, 0, 0),
	    CTX, FD_OPEN, 1, ID_PAGING),
	ROW(device_pasid_attach, "pt_id of an IOAS (7.3: no PASID-capable "
	    "automatic HWPT)", -EINVAL,
	    K3(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, EINVAL,
	       KABI_IOMMU_VEVENTQ_ALLOC, EOPNOTSUPP, 0, 0),
	    CTX, FD_OPEN, 1, ID_IOAS),
	ROW(device_pasid_attach, "driver without PASID support", -EOPNOTSUPP,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, EOPNOTSUPP),
	    CTX, FD_OPEN, 1, ID_PAGING),
	ROW(device_pasid_attach, "vfio_fd not a VFIO device", -ENOTTY,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, ENOTTY),
	    CTX, FD_OPEN, 1, ID_PAGING),
	ROW(device_pasid_replace, "ctx NULL", -EINVAL, LIB,
	    NUL, FD_OPEN, 1, ID_PAGING),
	ROW(device_pasid_replace, "pasid 0", -EINVAL, LIB,
	    CTX, FD_OPEN, 0, ID_PAGING),
	ROW(device_pasid_replace, "pasid 2^20", -EINVAL, LIB,
	    CTX, FD_OPEN, 1u << 20, ID_PAGING),
	ROW(device_pasid_replace, "vfio_fd closed", -EBADF, LIB,
	    CTX, FD_SHUT, 1, ID_PAGING),
	ROW(device_pasid_replace, "Linux 6.12: ENOSYS", -ENOSYS,
	    K3(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, EINVAL,
	       KABI_IOMMU_VEVENTQ_ALLOC, ENOTTY, 0, 0),
	    CTX, FD_OPEN, 1, ID_PAGING),
	ROW(device_pasid_replace, "pt_id UINT32_MAX, no object", -ENOENT,
	    K(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, ENOENT),
	    CTX, FD_OPEN, 1, U32M),
	/* (ctx, vfio_fd, pasid) */
	ROW(device_pasid_detach, "ctx NULL", -EINVAL, LIB, NUL, FD_OPEN, 1),
	ROW(device_pasid_detach, "pasid 0", -EINVAL, LIB, CTX, FD_OPEN, 0),
	ROW(device_pasid_detach, "pasid 2^20", -EINVAL, LIB,
	    CTX, FD_OPEN, 1u << 20),
	ROW(device_pasid_detach, "vfio_fd -1", -EBADF, LIB, CTX, FD_NEG, 1),
	ROW(device_pasid_detach, "vfio_fd closed", -EBADF, LIB,
	    CTX, FD_SHUT, 1),
	ROW(device_pasid_detach, "Linux 6.12: ENOSYS", -ENOSYS,
	    K3(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, EINVAL,
	       KABI_IOMMU_VEVENTQ_ALLOC, ENOTTY, 0, 0),
	    CTX, FD_OPEN, 1),
	ROW(device_pasid_detach, "vfio_fd not a VFIO device", -ENOTTY,
	    K(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, ENOTTY), CTX, FD_OPEN, 1),

	/* ---- iommunest_hw_info_type(3): (ctx, dev_id, type, *info) ---- */
	ROW(hw_info_type, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, IOMMUNEST_HW_INFO_AMD, OUT),
	ROW(hw_info_type, "info NULL", -EINVAL, LIB,
	    CTX, ID_DEV, IOMMUNEST_HW_INFO_AMD, NUL),
	ROW(hw_info_type, "dev_id of an IOAS (wrong type)", -ENOENT,
	    K(KABI_IOMMU_GET_HW_INFO, ENOENT),
	    CTX, ID_IOAS, IOMMUNEST_HW_INFO_AMD, OUT),
	ROW(hw_info_type, "a type this IOMMU has no data for", -EOPNOTSUPP,
	    K3(KABI_IOMMU_GET_HW_INFO, EOPNOTSUPP, KABI_IOMMU_GET_HW_INFO,
	       ENOENT, 0, 0),
	    CTX, ID_DEV, IOMMUNEST_HW_INFO_TEGRA241_CMDQV, OUT),
	ROW(hw_info_type, "type UINT32_MAX, unknown", -EOPNOTSUPP,
	    K3(KABI_IOMMU_GET_HW_INFO, EOPNOTSUPP, KABI_IOMMU_GET_HW_INFO,
	       ENOENT, 0, 0), CTX, ID_DEV, U32M, OUT),
	ROW(hw_info_type, "kernel before 6.17 (flag unknown): ENOSYS",
	    -ENOSYS,
	    K3(KABI_IOMMU_GET_HW_INFO, EOPNOTSUPP, KABI_IOMMU_GET_HW_INFO,
	       EOPNOTSUPP, 0, 0),
	    CTX, ID_DEV, IOMMUNEST_HW_INFO_ARM_SMMUV3, OUT),
	ROW(hw_info_type, "type 0 on a device without an IOMMU", -EOPNOTSUPP,
	    K(KABI_IOMMU_GET_HW_INFO, EOPNOTSUPP), CTX, ID_DEV, 0, OUT),

	/* ---- iommunest_hw_info_amd(3): (info, *amd) ---- */
	ROW(hw_info_amd, "info NULL", -EINVAL, LIB, NUL, OUT),
	ROW(hw_info_amd, "amd NULL", -EINVAL, LIB, HI_AMD, NUL),
	ROW(hw_info_amd, "info of VT-d (wrong type)", -EINVAL, LIB,
	    HI_VTD, OUT),
	ROW(hw_info_amd, "info of Tegra241 (wrong type)", -EINVAL, LIB,
	    HI_TEGRA, OUT),
	ROW(hw_info_amd, "AMD type, 15 bytes of data", -EINVAL, LIB,
	    HI_AMD_SHORT, OUT),
	ROW(hw_info_amd, "AMD type, no data", -EINVAL, LIB,
	    HI_AMD_EMPTY, OUT),
	/* (info, *cmdqv) */
	ROW(hw_info_tegra241, "info NULL", -EINVAL, LIB, NUL, OUT),
	ROW(hw_info_tegra241, "cmdqv NULL", -EINVAL, LIB, HI_TEGRA, NUL),
	ROW(hw_info_tegra241, "info of SMMUv3 (wrong type)", -EINVAL, LIB,
	    HI_SMMUV3, OUT),
	ROW(hw_info_tegra241, "info of AMD (wrong type)", -EINVAL, LIB,
	    HI_AMD, OUT),
	ROW(hw_info_tegra241, "Tegra241 type, 7 bytes of data", -EINVAL, LIB,
	    HI_TEGRA_SHORT, OUT),

	/* ---- iommunest_hwpt_alloc(3): (ctx, dev, pt, flags, fault_id,
	 * data_type, data_len, data, *hwpt_id); dev NO_ARGS: args NULL */
	ROW(hwpt_alloc, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_IOAS, 0, 0, 0, 0, NUL, OUT),
	ROW(hwpt_alloc, "args NULL", -EINVAL, LIB,
	    CTX, NO_ARGS, ID_IOAS, 0, 0, 0, 0, NUL, OUT),
	ROW(hwpt_alloc, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, 0, 0, 0, 0, NUL, NUL),
	ROW(hwpt_alloc, "unknown flag bit 4", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, 1u << 4, 0, 0, 0, NUL, OUT),
	ROW(hwpt_alloc, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, U32M, 0, 0, 0, NUL, OUT),
	ROW(hwpt_alloc, "fault_id without FAULT", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, IOMMUNEST_HWPT_NEST_PARENT, ID_NONE, 0, 0,
	    NUL, OUT),
	ROW(hwpt_alloc, "data and data_len without a type", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, 0, 0, 0, 4, BUF, OUT),
	ROW(hwpt_alloc, "data without a type or data_len", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, 0, 0, 0, 0, BUF, OUT),
	ROW(hwpt_alloc, "data_len without a type or data", -EINVAL, LIB,
	    CTX, ID_DEV, ID_IOAS, 0, 0, 0, 4, NUL, OUT),
	ROW(hwpt_alloc, "a type without data", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, 0, IOMMUNEST_HWPT_DATA_SELFTEST, 0,
	    NUL, OUT),
	ROW(hwpt_alloc, "a type, data, data_len 0", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, 0, IOMMUNEST_HWPT_DATA_SELFTEST, 0,
	    BUF, OUT),
	ROW(hwpt_alloc, "a type, data_len 4, data NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, 0, IOMMUNEST_HWPT_DATA_SELFTEST, 4,
	    NUL, OUT),
	ROW(hwpt_alloc, "data runs past the address space", -EINVAL, LIB,
	    CTX, ID_DEV, ID_PAGING, 0, 0, IOMMUNEST_HWPT_DATA_SELFTEST,
	    2 * PAGE, ENDP, OUT),
	ROW(hwpt_alloc, "no HWPT_ALLOC (before 6.6): ENOTTY reads ENOSYS",
	    -ENOSYS, K(HA, ENOTTY),
	    CTX, ID_DEV, ID_IOAS, 0, 0, 0, 0, NUL, OUT),
	ROW(hwpt_alloc, "pt_id of a device (wrong type)", -EINVAL,
	    K(HA, EINVAL), CTX, ID_DEV, ID_DEV, 0, 0, 0, 0, NUL, OUT),
	ROW(hwpt_alloc, "FAULT, fault_id of an IOAS (wrong type)", -ENOENT,
	    K(HA, ENOENT), CTX, ID_DEV, ID_IOAS, IOMMUNEST_HWPT_FAULT,
	    ID_IOAS, 0, 0, NUL, OUT),
	ROW(hwpt_alloc, "FAULT with NEST_PARENT", -EOPNOTSUPP,
	    K(HA, EOPNOTSUPP), CTX, ID_DEV, ID_IOAS,
	    IOMMUNEST_HWPT_FAULT | IOMMUNEST_HWPT_NEST_PARENT, ID_NONE, 0, 0,
	    NUL, OUT),
	ROW(hwpt_alloc, "PASID on Linux 6.12 (an unknown flag there)",
	    -EOPNOTSUPP, K(HA, EOPNOTSUPP),
	    CTX, ID_DEV, ID_IOAS, IOMMUNEST_HWPT_PASID, 0, 0, 0, NUL, OUT),
	/* (ctx, dev, parent, dte, *hwpt_id) */
	ROW(hwpt_alloc_amd_guest, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_DEV, ID_VIOMMU, BUF, OUT),
	ROW(hwpt_alloc_amd_guest, "dte NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_VIOMMU, NUL, OUT),
	ROW(hwpt_alloc_amd_guest, "hwpt_id NULL", -EINVAL, LIB,
	    CTX, ID_DEV, ID_VIOMMU, BUF, NUL),
	ROW(hwpt_alloc_amd_guest, "an IOMMU that is not AMD's", -EOPNOTSUPP,
	    K(HA, EOPNOTSUPP), CTX, ID_DEV, ID_VIOMMU, BUF, OUT),
	ROW(hwpt_alloc_amd_guest, "parent of a device (wrong type)", -EINVAL,
	    K(HA, EINVAL), CTX, ID_DEV, ID_DEV, BUF, OUT),

	/* ---- iommunest_fault_queue_alloc(3): (ctx, *fault_id, *fault_fd) */
	ROW(fault_queue_alloc, "ctx NULL", -EINVAL, LIB, NUL, OUT, OUT),
	ROW(fault_queue_alloc, "fault_id NULL", -EINVAL, LIB, CTX, NUL, OUT),
	ROW(fault_queue_alloc, "fault_fd NULL", -EINVAL, LIB, CTX, OUT, NUL),
	ROW(fault_queue_alloc, "Linux before 6.11: ENOTTY reads ENOSYS",
	    -ENOSYS, K(KABI_IOMMU_FAULT_QUEUE_ALLOC, ENOTTY), CTX, OUT, OUT),
	ROW(fault_queue_alloc, "no descriptor left", -EMFILE,
	    K(KABI_IOMMU_FAULT_QUEUE_ALLOC, EMFILE), CTX, OUT, OUT),
	/* (fault_fd, faults, max) */
	ROW(fault_read, "faults NULL", -EINVAL, LIB, FD_OPEN, NUL, 1),
	ROW(fault_read, "max 0", -EINVAL, LIB, FD_OPEN, OUT, 0),
	ROW(fault_read, "max 65537 (over the limit)", -EINVAL, LIB,
	    FD_OPEN, OUT, 65537),
	ROW(fault_read, "max UINT32_MAX", -EINVAL, LIB, FD_OPEN, OUT, U32M),
	ROW(fault_read, "faults runs past the address space", -EINVAL, LIB,
	    FD_OPEN, ENDP, 200),
	ROW(fault_read, "max 0 and fd -1: EINVAL first", -EINVAL, LIB,
	    FD_NEG, OUT, 0),
	ROW(fault_read, "fd -1", -EBADF, LIB, FD_NEG, OUT, 1),
	ROW(fault_read, "fd INT_MIN", -EBADF, LIB, FD_MIN, OUT, 1),
	ROW(fault_read, "fd closed", -EBADF, LIB, FD_SHUT, OUT, 1),
	/* (fault_fd, cookie, code) */
	ROW(fault_respond, "code 2 (unknown)", -EINVAL, LIB, FD_OPEN, 1, 2),
	ROW(fault_respond, "code UINT32_MAX", -EINVAL, LIB, FD_OPEN, 1, U32M),
	ROW(fault_respond, "code 2 and fd -1: EINVAL first", -EINVAL, LIB,
	    FD_NEG, 1, 2),
	ROW(fault_respond, "fd -1", -EBADF, LIB, FD_NEG, 1, 0),
	ROW(fault_respond, "fd closed", -EBADF, LIB, FD_SHUT, 1, 1),

	/* ---- iommunest_veventq_alloc(3):
	 * (ctx, viommu, type, depth, event_len, *q) */
	ROW(veventq_alloc, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_VIOMMU, IOMMUNEST_VEVENTQ_ARM_SMMUV3, 8, 0, OUT),
	ROW(veventq_alloc, "q NULL", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_ARM_SMMUV3, 8, 0, NUL),
	ROW(veventq_alloc, "type 0 (reserved)", -EINVAL, LIB,
	    CTX, ID_VIOMMU, 0, 8, 4, OUT),
	ROW(veventq_alloc, "depth 0", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_ARM_SMMUV3, 0, 0, OUT),
	ROW(veventq_alloc, "depth 2^19 + 1", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_ARM_SMMUV3, (1u << 19) + 1, 0,
	    OUT),
	ROW(veventq_alloc, "depth UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_SELFTEST, U32M, 0, OUT),
	ROW(veventq_alloc, "SMMUv3, event_len 16 (its size is 32)", -EINVAL,
	    LIB, CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_ARM_SMMUV3, 8, 16, OUT),
	ROW(veventq_alloc, "Tegra241, event_len 32 (its size is 16)", -EINVAL,
	    LIB, CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_TEGRA241_CMDQV, 8, 32, OUT),
	ROW(veventq_alloc, "selftest, event_len 1 (its size is 4)", -EINVAL,
	    LIB, CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_SELFTEST, 8, 1, OUT),
	ROW(veventq_alloc, "unknown type, event_len 0", -EINVAL, LIB,
	    CTX, ID_VIOMMU, 0x77, 8, 0, OUT),
	ROW(veventq_alloc, "unknown type, event_len 33 (over DATA_MAX)",
	    -EINVAL, LIB, CTX, ID_VIOMMU, 0x77, 8,
	    IOMMUNEST_VEVENT_DATA_MAX + 1, OUT),
	ROW(veventq_alloc, "unknown type, event_len UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_VIOMMU, 0x77, 8, U32M, OUT),
	ROW(veventq_alloc, "Linux before 6.15: ENOTTY reads ENOSYS", -ENOSYS,
	    K(KABI_IOMMU_VEVENTQ_ALLOC, ENOTTY),
	    CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_ARM_SMMUV3, 8, 0, OUT),
	ROW(veventq_alloc, "viommu_id of a HWPT (wrong type)", -ENOENT,
	    K(KABI_IOMMU_VEVENTQ_ALLOC, ENOENT),
	    CTX, ID_PAGING, IOMMUNEST_VEVENTQ_ARM_SMMUV3, 8, 0, OUT),
	ROW(veventq_alloc, "the vIOMMU has a queue of this type", -EEXIST,
	    K(KABI_IOMMU_VEVENTQ_ALLOC, EEXIST),
	    CTX, ID_VIOMMU, IOMMUNEST_VEVENTQ_SELFTEST, 8, 0, OUT),
	ROW(veventq_free, "q NULL: accepted and ignored", 0, LIB, NUL),
	ROW(veventq_fd, "q NULL", -EINVAL, LIB, NUL),
	ROW(veventq_id, "q NULL", -EINVAL, LIB, NUL, OUT),
	ROW(veventq_id, "id NULL", -EINVAL, LIB, VQ, NUL),
	/* (q, events, max) */
	ROW(veventq_read, "q NULL", -EINVAL, LIB, NUL, OUT, 1),
	ROW(veventq_read, "events NULL", -EINVAL, LIB, VQ, NUL, 1),
	ROW(veventq_read, "max 0", -EINVAL, LIB, VQ, OUT, 0),

	/* ---- iommunest_features(3): (ctx, dev_id, flags, *f); the
	 * kernel rows are the first command probe (0x80), refused ---- */
	ROW(features, "ctx NULL", -EINVAL, LIB, NUL, ID_DEV, 0, OUT),
	ROW(features, "f NULL", -EINVAL, LIB, CTX, ID_DEV, 0, NUL),
	ROW(features, "unknown flag bit 1", -EINVAL, LIB,
	    CTX, ID_DEV, 1u << 1, OUT),
	ROW(features, "flags UINT32_MAX", -EINVAL, LIB, CTX, ID_DEV, U32M, OUT),
	ROW(features, "PROBE without a device", -EINVAL, LIB,
	    CTX, 0, IOMMUNEST_FEATURES_PROBE, OUT),
	ROW(features, "descriptor closed behind its back", -EBADF,
	    K(KABI_IOMMU_DESTROY, EBADF), STALE, ID_DEV, 0, OUT),
	ROW(features, "ioctl denied by a security module", -EACCES,
	    K(KABI_IOMMU_DESTROY, EACCES), CTX, 0, 0, OUT),

	/* ---- iommunest_invalidate(3):
	 * (ctx, target, type, entries, entry_len, num, *num) */
	ROW(invalidate, "ctx NULL", -EINVAL, LIB,
	    NUL, ID_NESTED, IOMMUNEST_INV_VTD_S1, BUF, 24, NUM, 1),
	ROW(invalidate, "num NULL", -EINVAL, LIB,
	    CTX, ID_NESTED, IOMMUNEST_INV_VTD_S1, BUF, 24, NUL, 1),
	ROW(invalidate, "entries NULL, *num 1", -EINVAL, LIB,
	    CTX, ID_NESTED, IOMMUNEST_INV_VTD_S1, NUL, 24, NUM, 1),
	ROW(invalidate, "entry_len 0, *num 1", -EINVAL, LIB,
	    CTX, ID_NESTED, IOMMUNEST_INV_VTD_S1, BUF, 0, NUM, 1),
	ROW(invalidate, "array runs past the address space", -EINVAL, LIB,
	    CTX, ID_NESTED, IOMMUNEST_INV_VTD_S1, ENDP, 4096, NUM, 2),
	ROW(invalidate, "entry_len and *num UINT32_MAX", -EINVAL, LIB,
	    CTX, ID_NESTED, 0x7777, ENDP, U32M, NUM, U32M),
	ROW(invalidate, "VT-d type with 16-byte entries", -EINVAL, LIB,
	    CTX, ID_NESTED, IOMMUNEST_INV_VTD_S1, BUF, 16, NUM, 1),
	ROW(invalidate, "target of an IOAS (wrong type)", -ENOENT,
	    K_INV(ENOENT), CTX, ID_IOAS, IOMMUNEST_INV_VTD_S1, BUF, 24, NUM, 1),
	ROW(invalidate, "*num 2^19 + 1 (more than a call takes)", -EINVAL,
	    K_INV(EINVAL), CTX, ID_NESTED, IOMMUNEST_INV_SELFTEST, BUF, 8, NUM,
	    (1u << 19) + 1),
	ROW(invalidate, "data_type 0x7777, unknown to the driver", -EINVAL,
	    K_INV(EINVAL), CTX, ID_NESTED, 0x7777, BUF, 8, NUM, 1),
	ROW(invalidate, "kernel before 6.8: ENOTTY reads ENOSYS", -ENOSYS,
	    K_INV(ENOTTY), CTX, ID_NESTED, IOMMUNEST_INV_VTD_S1, BUF, 24, NUM,
	    1),

	/* ---- iommunest_batch_new(3):
	 * (ctx, config, *batch, data_type, entry_len, capacity, flags) */
	ROW(batch_new, "ctx NULL", -EINVAL, LIB,
	    NUL, CFG, OUT, IOMMUNEST_INV_VTD_S1, 24, 4, 0),
	ROW(batch_new, "config NULL", -EINVAL, LIB,
	    CTX, NUL, OUT, IOMMUNEST_INV_VTD_S1, 24, 4, 0),
	ROW(batch_new, "batch NULL", -EINVAL, LIB,
	    CTX, CFG, NUL, IOMMUNEST_INV_VTD_S1, 24, 4, 0),
	ROW(batch_new, "entry_len 0", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_VTD_S1, 0, 4, 0),
	ROW(batch_new, "capacity 0", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_VTD_S1, 24, 0, 0),
	ROW(batch_new, "VT-d with 16-byte entries", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_VTD_S1, 16, 4, 0),
	ROW(batch_new, "VT-d with 25-byte entries", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_VTD_S1, 25, 4, 0),
	ROW(batch_new, "VT-d with UINT32_MAX-byte entries", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_VTD_S1, U32M, 1, 0),
	ROW(batch_new, "SMMUv3 with 24-byte entries", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_ARM_SMMUV3, 24, 4, 0),
	ROW(batch_new, "SMMUv3 with 8-byte entries", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_ARM_SMMUV3, 8, 4, 0),
	ROW(batch_new, "selftest with 16-byte entries", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_SELFTEST, 16, 4, 0),
	ROW(batch_new, "selftest with 24-byte entries", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_SELFTEST, 24, 4, 0),
	ROW(batch_new, "unknown flag bit 2", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_VTD_S1, 24, 4, 1u << 2),
	ROW(batch_new, "flags UINT32_MAX", -EINVAL, LIB,
	    CTX, CFG, OUT, IOMMUNEST_INV_VTD_S1, 24, 4, U32M),
	ROW(batch_new, "capacity x entry_len: (2^32-1)^2 bytes", -EINVAL, LIB,
	    CTX, CFG, OUT, 0x7777, U32M, U32M, 0),
	ROW(batch_new, "capacity x entry_len just past 2^63", -EINVAL, LIB,
	    CTX, CFG, OUT, 0x7777, U32M, (1ull << 31) + 1, 0),
	ROW(batch_free, "batch NULL: ignored", 0, LIB, NUL),

	/* ---- iommunest_batch_add_raw(3) and the typed adders ---- */
	ROW(batch_add_raw, "batch NULL", -EINVAL, LIB, NUL, BUF),
	ROW(batch_add_raw, "entry NULL", -EINVAL, LIB, B_VTD, NUL),
	ROW(batch_add_raw, "full batch without AUTOFLUSH", -ENOSPC, LIB,
	    B_FULL, BUF),
	/* (batch, n, entries-out wanted) */
	ROW(batch_reserve, "batch NULL", -EINVAL, LIB, NUL, 1, 1),
	ROW(batch_reserve, "n 0", -EINVAL, LIB, B_VTD, 0, 1),
	ROW(batch_reserve, "entries NULL", -EINVAL, LIB, B_VTD, 1, 0),
	ROW(batch_reserve, "n above the capacity", -EINVAL, LIB, B_VTD,
	    U32M, 1),
	ROW(batch_reserve, "full batch without AUTOFLUSH", -ENOSPC, LIB,
	    B_FULL, 1, 1),
	/* (batch, addr, npages, leaf_only) */
	ROW(batch_add_vtd, "batch NULL", -EINVAL, LIB, NUL, 0, 1, 0),
	ROW(batch_add_vtd, "npages 0", -EINVAL, LIB, B_VTD, 0, 0, 0),
	ROW(batch_add_vtd, "addr 1 (unaligned)", -EINVAL, LIB,
	    B_VTD, 1, 1, 0),
	ROW(batch_add_vtd, "addr 0xfff (unaligned)", -EINVAL, LIB,
	    B_VTD, 0xfff, 1, 1),
	ROW(batch_add_vtd, "addr 2^63 + 2048 (unaligned)", -EINVAL, LIB,
	    B_VTD, HALF + 2048, 1, 0),
	ROW(batch_add_vtd, "addr UINT64_MAX", -EINVAL, LIB,
	    B_VTD, U64M, 1, 0),
	ROW(batch_add_vtd, "npages UINT64_MAX (all) with addr 4096", -EINVAL,
	    LIB, B_VTD, PAGE, U64M, 0),
	ROW(batch_add_vtd, "npages UINT64_MAX (all) with the last page",
	    -EINVAL, LIB, B_VTD, TOP_PAGE, U64M, 0),
	ROW(batch_add_vtd, "addr + npages pages wraps past 2^64", -EINVAL,
	    LIB, B_VTD, TOP_PAGE, 2, 0),
	ROW(batch_add_vtd, "npages 2^52 + 1 from 0 (bytes overflow)",
	    -EINVAL, LIB, B_VTD, 0, (1ull << 52) + 1, 0),
	ROW(batch_add_vtd, "addr 2^63, npages 2^51 + 1 (wraps)", -EINVAL, LIB,
	    B_VTD, HALF, (1ull << 51) + 1, 0),
	ROW(batch_add_vtd, "the last page, ending exactly at 2^64", 0, LIB,
	    B_VTD, TOP_PAGE, 1, 0),
	ROW(batch_add_vtd, "batch of selftest entries (wrong type)", -EINVAL,
	    LIB, B_SELFTEST, 0, 1, 0),
	ROW(batch_add_vtd, "batch of SMMUv3 commands (wrong type)", -EINVAL,
	    LIB, B_SMMUV3, 0, 1, 0),
	ROW(batch_add_vtd, "full batch without AUTOFLUSH", -ENOSPC, LIB,
	    B_FULL, 0, 1, 0),
	ROW(batch_add_vtd_all, "batch NULL", -EINVAL, LIB, NUL),
	ROW(batch_add_vtd_all, "batch of selftest entries (wrong type)",
	    -EINVAL, LIB, B_SELFTEST),
	ROW(batch_add_vtd_all, "batch of SMMUv3 commands (wrong type)",
	    -EINVAL, LIB, B_SMMUV3),
	ROW(batch_add_vtd_all, "full batch without AUTOFLUSH", -ENOSPC, LIB,
	    B_FULL),
	ROW(batch_add_smmuv3, "batch NULL", -EINVAL, LIB, NUL, BUF),
	ROW(batch_add_smmuv3, "cmd NULL", -EINVAL, LIB, B_SMMUV3, NUL),
	ROW(batch_add_smmuv3, "batch of VT-d entries (wrong type)", -EINVAL,
	    LIB, B_VTD, BUF),
	ROW(batch_add_smmuv3, "batch of selftest entries (wrong type)",
	    -EINVAL, LIB, B_SELFTEST, BUF),
	/* (batch, iotlb_id, flags) */
	ROW(batch_add_selftest, "batch NULL", -EINVAL, LIB, NUL, 0, 0),
	ROW(batch_add_selftest, "batch of VT-d entries (wrong type)", -EINVAL,
	    LIB, B_VTD, 0, 0),
	ROW(batch_add_selftest, "batch of SMMUv3 commands (wrong type)",
	    -EINVAL, LIB, B_SMMUV3, 0, IOMMUNEST_SELFTEST_INV_ALL),
	ROW(batch_add_selftest, "unknown flags: the kernel's to refuse", 0,
	    LIB, B_SELFTEST, U32M, U32M),
	/* (batch, vdev_id, cache_id, flags) */
	ROW(batch_add_selftest_viommu, "batch NULL", -EINVAL, LIB, NUL, 1, 2,
	    0),
	ROW(batch_add_selftest_viommu, "8-byte selftest entries (the nested "
	    "HWPT's IOTLB type)", -EINVAL, LIB, B_SELFTEST, 1, 2, 0),
	ROW(batch_add_selftest_viommu, "batch of VT-d entries (wrong type)",
	    -EINVAL, LIB, B_VTD, 1, 2, 0),
	ROW(batch_add_selftest_viommu, "batch of SMMUv3 commands (wrong type)",
	    -EINVAL, LIB, B_SMMUV3, U32M, U32M, U32M),

	/* ---- iommunest_batch_flush(3) and the queries ---- */
	ROW(batch_flush, "batch NULL", -EINVAL, LIB, NUL),
	/* One entry: the kernel's answer is that entry's own. */
	ROW(batch_flush, "target of an IOAS (wrong type)", -ENOENT,
	    K_INV(ENOENT), B_FOREIGN),
	ROW(batch_count, "batch NULL", -EINVAL, LIB, NUL),
	ROW(batch_result, "batch NULL", -EINVAL, LIB, NUL, 0),
	ROW(batch_result, "never flushed", -EINVAL, LIB, B_VTD, 0),
	ROW(batch_result, "entries added, not flushed", -EINVAL, LIB,
	    B_FULL, 0),
	ROW(batch_result, "index == count", -EINVAL, LIB, B_FLUSHED, 1),
	ROW(batch_result, "index UINT32_MAX", -EINVAL, LIB,
	    B_FLUSHED, U32M),
	ROW(batch_first_failed, "batch NULL", -EINVAL, LIB, NUL),
	ROW(batch_first_failed, "never flushed", -EINVAL, LIB, B_VTD),
	ROW(batch_first_failed, "entries added, not flushed", -EINVAL, LIB,
	    B_FULL),

	/* ---- iommunest_batch_new(3): reset, probe, stats ---- */
	ROW(batch_reset, "batch NULL", -EINVAL, LIB, NUL),
	ROW(batch_probe, "batch NULL", -EINVAL, LIB, NUL),
	ROW(batch_probe, "target of an IOAS (wrong type), remembered",
	    -ENOENT, K_INV(ENOENT), B_FOREIGN),
	ROW(batch_stats, "batch NULL", -EINVAL, LIB, NUL, OUT),
	ROW(batch_stats, "stats NULL", -EINVAL, LIB, B_VTD, NUL),

	/* ---- iommunest_sink_ioas(3): (ctx, *sink) ---- */
	ROW(sink_ioas, "ctx NULL", -EINVAL, LIB, NUL, OUT),
	ROW(sink_ioas, "sink NULL", -EINVAL, LIB, CTX, NUL),
	/* (ctx, *ext) */
	ROW(sink_ioas_ext, "ctx NULL", -EINVAL, LIB, NUL, OUT),
	ROW(sink_ioas_ext, "ext NULL", -EINVAL, LIB, CTX, NUL),
	/* (tracker, ext) */
	ROW(tracker_set_sink_ext, "tracker NULL", -EINVAL, LIB, NUL, E_OK),
	ROW(tracker_set_sink_ext, "ext NULL", -EINVAL, LIB, T_OWN, NUL),
	ROW(tracker_set_sink_ext, "reserved not 0", -EINVAL, LIB,
	    T_OWN, E_RESERVED),
	ROW(tracker_set_sink_ext, "size 4: ends before copy", -EINVAL, LIB,
	    T_OWN, E_SHORT),

	/* ---- iommunest_ptcache_new(3): (ctx, *pc) ---- */
	ROW(ptcache_new, "ctx NULL", -EINVAL, LIB, NUL, OUT),
	ROW(ptcache_new, "pc NULL", -EINVAL, LIB, CTX, NUL),
	ROW(ptcache_free, "pc NULL: ignored", 0, LIB, NUL),
	/* (pc, *sink, *ext) */
	ROW(ptcache_sink, "pc NULL", -EINVAL, LIB, NUL, OUT, OUT),
	ROW(ptcache_sink, "sink NULL", -EINVAL, LIB, PC, NUL, OUT),
	/* (pc, dev_id, ioas_id, replace, opaque) */
	ROW(ptcache_replace, "pc NULL", -EINVAL, LIB,
	    NUL, 1, ID_IOAS, REPLACE_FAIL),
	ROW(ptcache_replace, "replace NULL", -EINVAL, LIB, PC, 1, ID_IOAS, NUL),
	ROW(ptcache_replace, "ioas_id 0", -EINVAL, LIB, PC, 1, 0, REPLACE_FAIL),

	/* ---- iommunest_tracker_new(3): (sink, flags, *tracker) ---- */
	ROW(tracker_new, "sink NULL", -EINVAL, LIB, NUL, 0, OUT),
	ROW(tracker_new, "tracker NULL", -EINVAL, LIB, S_IOAS, 0, NUL),
	ROW(tracker_new, "sink without map", -EINVAL, LIB, S_NO_MAP, 0, OUT),
	ROW(tracker_new, "sink without unmap", -EINVAL, LIB,
	    S_NO_UNMAP, 0, OUT),
	ROW(tracker_new, "sink without unmap_all", -EINVAL, LIB,
	    S_NO_UNMAP_ALL, 0, OUT),
	ROW(tracker_new, "unknown flag bit 3", -EINVAL, LIB,
	    S_IOAS, 1u << 3, OUT),
	ROW(tracker_new, "NO_HOLES, sink without as_alloc", -EINVAL, LIB,
	    S_NO_ALLOC, IOMMUNEST_TRACKER_NO_HOLES, OUT),
	ROW(tracker_new, "NO_HOLES, sink without as_free", -EINVAL, LIB,
	    S_NO_FREE, IOMMUNEST_TRACKER_NO_HOLES, OUT),
	ROW(tracker_new, "flags UINT32_MAX", -EINVAL, LIB, S_IOAS, U32M, OUT),
	ROW(tracker_new, "SHARED, sink without as_alloc", -EINVAL, LIB,
	    S_NO_ALLOC, IOMMUNEST_TRACKER_SHARED, OUT),
	ROW(tracker_new, "SHARED, sink without as_free", -EINVAL, LIB,
	    S_NO_FREE, IOMMUNEST_TRACKER_SHARED, OUT),
	ROW(tracker_free, "tracker NULL: ignored", 0, LIB, NUL),
	ROW(tracker_stats, "tracker NULL", -EINVAL, LIB, NUL, OUT),
	ROW(tracker_stats, "stats NULL", -EINVAL, LIB, T_OWN, NUL),

	/* ---- iommunest_tracker_add_ram(3): (tracker, gpa, length, hva);
	 * a device is in passthrough, so an accepted region would be mapped */
	ROW(tracker_add_ram, "tracker NULL", -EINVAL, LIB,
	    NUL, 0x100000, PAGE, BUF),
	ROW(tracker_add_ram, "hva NULL", -EINVAL, LIB,
	    T_OWN, 0x100000, PAGE, NUL),
	ROW(tracker_add_ram, "gpa 0x100001 (unaligned)", -EINVAL, LIB,
	    T_OWN, 0x100001, PAGE, BUF),
	ROW(tracker_add_ram, "length 4097 (unaligned)", -EINVAL, LIB,
	    T_OWN, 0x100000, PAGE + 1, BUF),
	ROW(tracker_add_ram, "hva unaligned", -EINVAL, LIB,
	    T_OWN, 0x100000, PAGE, ODD),
	ROW(tracker_add_ram, "length 0", -EINVAL, LIB,
	    T_OWN, 0x100000, 0, BUF),
	ROW(tracker_add_ram, "gpa + length reaches 2^64", -EINVAL, LIB,
	    T_OWN, TOP_PAGE, PAGE, BUF),
	ROW(tracker_add_ram, "gpa + length wraps past 2^64", -EINVAL, LIB,
	    T_OWN, TOP_PAGE, 2 * PAGE, BUF),
	ROW(tracker_add_ram, "hva + length runs past the address space",
	    -EINVAL, LIB, T_OWN, 0x100000, 2 * PAGE, ENDP),
	ROW(tracker_add_ram, "length 2^64 - 2^20 from gpa 0", -EINVAL, LIB,
	    T_OWN, 0, 0ull - 0x100000, BUF),
	ROW(tracker_add_ram, "overlaps the RAM added before", -EEXIST, LIB,
	    T_OWN, 0xf000, 2 * PAGE, BUF),

	/* ---- iommunest_tracker_domain_add(3): (tracker, domain) ---- */
	ROW(tracker_domain_add, "tracker NULL", -EINVAL, LIB, NUL, 3),
	ROW(tracker_domain_add, "domain 1 exists", -EEXIST, LIB, T_OWN, 1),
	ROW(tracker_domain_remove, "tracker NULL", -EINVAL, LIB, NUL, 1),
	ROW(tracker_domain_remove, "no domain 99", -ENOENT, LIB, T_OWN, 99),
	ROW(tracker_domain_remove, "a device's name, 10 (wrong kind)",
	    -ENOENT, LIB, T_OWN, 10),
	ROW(tracker_domain_remove, "device 10 is in domain 1", -EBUSY, LIB,
	    T_OWN, 1),

	/* ---- iommunest_tracker_map(3): (tracker, dom, iova, len, gpa, perm);
	 * domain 1 is mirrored, so an accepted mapping would be mapped */
	ROW(tracker_map, "tracker NULL", -EINVAL, LIB,
	    NUL, 1, 0x20000, PAGE, 0, RW),
	ROW(tracker_map, "iova 0x20001 (unaligned)", -EINVAL, LIB,
	    T_OWN, 1, 0x20001, PAGE, 0, RW),
	ROW(tracker_map, "length 1 (unaligned)", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, 1, 0, RW),
	ROW(tracker_map, "gpa 0x800 (unaligned)", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, PAGE, 0x800, RW),
	ROW(tracker_map, "length 0", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, 0, 0, RW),
	ROW(tracker_map, "iova + length reaches 2^64", -EINVAL, LIB,
	    T_OWN, 1, TOP_PAGE, PAGE, 0, RW),
	ROW(tracker_map, "iova + length wraps past 2^64", -EINVAL, LIB,
	    T_OWN, 1, TOP_PAGE, 2 * PAGE, 0, RW),
	ROW(tracker_map, "gpa + length reaches 2^64", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, PAGE, TOP_PAGE, RW),
	ROW(tracker_map, "length UINT64_MAX & ~4095", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, TOP_PAGE, 0, RW),
	ROW(tracker_map, "perm 0", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, PAGE, 0, 0),
	ROW(tracker_map, "unknown perm bit 2", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, PAGE, 0, 1u << 2),
	ROW(tracker_map, "perm UINT32_MAX", -EINVAL, LIB,
	    T_OWN, 1, 0x20000, PAGE, 0, U32M),
	ROW(tracker_map, "bad length and no domain 99: EINVAL first",
	    -EINVAL, LIB, T_OWN, 99, 0x20000, 0, 0, RW),
	ROW(tracker_map, "no domain 99", -ENOENT, LIB,
	    T_OWN, 99, 0x20000, PAGE, 0, RW),
	ROW(tracker_map, "a device's name, 10 (wrong kind)", -ENOENT, LIB,
	    T_OWN, 10, 0x20000, PAGE, 0, RW),
	ROW(tracker_map, "gpa outside RAM", -EFAULT, LIB,
	    T_OWN, 1, 0x20000, PAGE, 0x200000, RW),
	ROW(tracker_map, "gpa range runs out of RAM", -EFAULT, LIB,
	    T_OWN, 1, 0x20000, 2 * PAGE, 0xf000, RW),
	ROW(tracker_map, "over a different existing mapping", -EEXIST, LIB,
	    T_OWN, 1, 0x12000, 0x4000, 0x8000, RW),
	/* (tracker, domain, iova, length) */
	ROW(tracker_unmap, "tracker NULL", -EINVAL, LIB,
	    NUL, 1, 0x10000, PAGE),
	ROW(tracker_unmap, "iova 0x10800 (unaligned)", -EINVAL, LIB,
	    T_OWN, 1, 0x10800, PAGE),
	ROW(tracker_unmap, "length 4095 (unaligned)", -EINVAL, LIB,
	    T_OWN, 1, 0x10000, PAGE - 1),
	ROW(tracker_unmap, "length 0", -EINVAL, LIB, T_OWN, 1, 0x10000, 0),
	ROW(tracker_unmap, "iova + length reaches 2^64", -EINVAL, LIB,
	    T_OWN, 1, 0x10000, 0ull - 0x10000),
	ROW(tracker_unmap, "iova + length wraps past 2^64", -EINVAL, LIB,
	    T_OWN, 1, 0x10000, TOP_PAGE),
	ROW(tracker_unmap, "no domain 99", -ENOENT, LIB,
	    T_OWN, 99, 0x10000, PAGE),
	ROW(tracker_unmap, "a device's name, 11 (wrong kind)", -ENOENT, LIB,
	    T_OWN, 11, 0x10000, PAGE),

	/* ---- iommunest_tracker_device_add(3):
	 * (tracker, device, as, replace, opaque) */
	ROW(tracker_device_add, "tracker NULL", -EINVAL, LIB,
	    NUL, 12, 102, NUL, NUL),
	ROW(tracker_device_add, "device 10 exists", -EEXIST, LIB,
	    T_OWN, 10, 102, NUL, NUL),
	ROW(tracker_device_add, "address space 100 is device 10's", -EEXIST,
	    LIB, T_OWN, 12, 100, NUL, NUL),
	ROW(tracker_device_add, "sharing mode, replace NULL", -EINVAL, LIB,
	    T_SHARED, 12, 0, NUL, NUL),
	ROW(tracker_device_add, "NO_HOLES, replace NULL", -EINVAL, LIB,
	    T_HOLES, 12, 102, NUL, NUL),
	ROW(tracker_device_add, "as of a HWPT (wrong type): unmap-all x3",
	    -ENOENT, K3(KABI_IOMMU_IOAS_UNMAP, ENOENT, KABI_IOMMU_IOAS_UNMAP,
			ENOENT, KABI_IOMMU_IOAS_UNMAP, ENOENT),
	    T_OWN, 12, ID_PAGING, NUL, NUL),
	ROW(tracker_device_remove, "tracker NULL", -EINVAL, LIB, NUL, 10),
	ROW(tracker_device_remove, "no device 99", -ENOENT, LIB, T_OWN, 99),
	ROW(tracker_device_remove, "a domain's name, 1 (wrong kind)", -ENOENT,
	    LIB, T_OWN, 1),
	/* (tracker, device, state, domain) */
	ROW(tracker_device_state, "tracker NULL", -EINVAL, LIB,
	    NUL, 10, OUT, OUT),
	ROW(tracker_device_state, "state NULL", -EINVAL, LIB,
	    T_OWN, 10, NUL, OUT),
	ROW(tracker_device_state, "no device 99", -ENOENT, LIB,
	    T_OWN, 99, OUT, OUT),
	ROW(tracker_device_state, "a domain's name, 2 (wrong kind)", -ENOENT,
	    LIB, T_OWN, 2, OUT, NUL),

	/* ---- iommunest_tracker_set_domain(3) and the other switches ---- */
	ROW(tracker_set_domain, "tracker NULL", -EINVAL, LIB, NUL, 10, 2),
	ROW(tracker_set_domain, "no device 99", -ENOENT, LIB, T_OWN, 99, 2),
	ROW(tracker_set_domain, "no domain 99", -ENOENT, LIB, T_OWN, 10, 99),
	ROW(tracker_set_domain, "domain 11 is a device's name (wrong kind)",
	    -ENOENT, LIB, T_OWN, 10, 11),
	ROW(tracker_set_domain, "device 2 is a domain's name (wrong kind)",
	    -ENOENT, LIB, T_OWN, 2, 1),
	ROW(tracker_set_passthrough, "tracker NULL", -EINVAL, LIB, NUL, 10),
	ROW(tracker_set_passthrough, "no device UINT32_MAX", -ENOENT, LIB,
	    T_OWN, U32M),
	ROW(tracker_set_blocked, "tracker NULL", -EINVAL, LIB, NUL, 10),
	ROW(tracker_set_blocked, "no device 0", -ENOENT, LIB, T_OWN, 0),

	/* ---- iommunest_vtd_queue_translate(3) ---- */
	ROW(vtd_queue_translate, "batch NULL", -EINVAL, LIB,
	    NUL, BUF, 32, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "queue NULL", -EINVAL, LIB,
	    B_VTD, BUF, 32, 4, 0, 1, NUL, OUT),
	ROW(vtd_queue_translate, "result NULL", -EINVAL, LIB,
	    B_VTD, BUF, 32, 4, 0, 1, 1, NUL),
	ROW(vtd_queue_translate, "base NULL", -EINVAL, LIB,
	    B_VTD, NUL, 32, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "ring past the end of memory", -EINVAL, LIB,
	    B_VTD, ENDP, 32, 1024, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "slot_len 0", -EINVAL, LIB,
	    B_VTD, BUF, 0, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "slot_len 8", -EINVAL, LIB,
	    B_VTD, BUF, 8, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "slot_len 24", -EINVAL, LIB,
	    B_VTD, BUF, 24, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "slot_len 64", -EINVAL, LIB,
	    B_VTD, BUF, 64, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "size 0", -EINVAL, LIB,
	    B_VTD, BUF, 32, 0, 0, 0, 1, OUT),
	ROW(vtd_queue_translate, "head == size", -EINVAL, LIB,
	    B_VTD, BUF, 32, 4, 4, 1, 1, OUT),
	ROW(vtd_queue_translate, "tail == size", -EINVAL, LIB,
	    B_VTD, BUF, 32, 4, 0, 4, 1, OUT),
	ROW(vtd_queue_translate, "head UINT32_MAX", -EINVAL, LIB,
	    B_VTD, BUF, 32, 4, U32M, 1, 1, OUT),
	ROW(vtd_queue_translate, "SMMUv3 batch (wrong type)", -EINVAL, LIB,
	    B_SMMUV3, BUF, 32, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "selftest batch (wrong type)", -EINVAL, LIB,
	    B_SELFTEST, BUF, 32, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "batch holding an unflushed entry", -EINVAL,
	    LIB, B_FULL, BUF, 32, 4, 0, 1, 1, OUT),
	ROW(vtd_queue_translate, "empty window: nothing to do", 0, LIB,
	    B_VTD, BUF, 32, 4, 2, 2, 1, 1),
	ROW(vtd_queue_translate, "flushed batch: reused", 0, K(INV, 0),
	    B_FLUSHED, BUF, 32, 4, 0, 1, 1, 1),
	ROW(vtd_queue_translate, "kernel refuses the entry: the guest's IQE",
	    0, K_INV(EINVAL), B_VTD, BUF, 32, 4, 0, 1, 1, 1),
	ROW(vtd_queue_translate, "kernel ENOMEM: not the guest's", -ENOMEM,
	    K_INV(ENOMEM), B_VTD, BUF, 32, 4, 0, 1, 1, 1),
	ROW(vtd_queue_translate, "nested HWPT gone (ENOENT): not the guest's",
	    -ENOENT, K_INV(ENOENT), B_VTD, BUF, 32, 4, 0, 1, 1, 1),
	ROW(vtd_queue_translate, "batch holding the VMM's entry", -EINVAL,
	    LIB, B_FOREIGN, BUF, 32, 4, 0, 0, 1, OUT),

	/* ---- iommunest_smmuv3_queue_translate(3) ---- */
	ROW(smmuv3_queue_translate, "batch NULL", -EINVAL, LIB,
	    NUL, BUF, 16, 4, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "queue NULL", -EINVAL, LIB,
	    B_SMMUV3, BUF, 16, 4, 0, 1, NUL, OUT),
	ROW(smmuv3_queue_translate, "result NULL", -EINVAL, LIB,
	    B_SMMUV3, BUF, 16, 4, 0, 1, 1, NUL),
	ROW(smmuv3_queue_translate, "base NULL", -EINVAL, LIB,
	    B_SMMUV3, NUL, 16, 4, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "ring past the end of memory", -EINVAL,
	    LIB, B_SMMUV3, ENDP, 16, 1024, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "slot_len 0", -EINVAL, LIB,
	    B_SMMUV3, BUF, 0, 4, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "slot_len 8", -EINVAL, LIB,
	    B_SMMUV3, BUF, 8, 4, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "slot_len 32 (VT-d's)", -EINVAL, LIB,
	    B_SMMUV3, BUF, 32, 4, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "size 0", -EINVAL, LIB,
	    B_SMMUV3, BUF, 16, 0, 0, 0, 1, OUT),
	ROW(smmuv3_queue_translate, "head == size", -EINVAL, LIB,
	    B_SMMUV3, BUF, 16, 4, 4, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "tail == size", -EINVAL, LIB,
	    B_SMMUV3, BUF, 16, 4, 0, 4, 1, OUT),
	ROW(smmuv3_queue_translate, "tail UINT32_MAX", -EINVAL, LIB,
	    B_SMMUV3, BUF, 16, 4, 0, U32M, 1, OUT),
	ROW(smmuv3_queue_translate, "VT-d batch (wrong type)", -EINVAL, LIB,
	    B_VTD, BUF, 16, 4, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "selftest batch (wrong type)", -EINVAL,
	    LIB, B_SELFTEST, BUF, 16, 4, 0, 1, 1, OUT),
	ROW(smmuv3_queue_translate, "empty window: nothing to do", 0, LIB,
	    B_SMMUV3, BUF, 16, 4, 3, 3, 1, 1),
	ROW(smmuv3_queue_translate, "kernel refuses the command: CERROR_ILL",
	    0, K_INV(EIO), B_SMMUV3, BUF, 16, 4, 0, 1, 1, 1),
	ROW(smmuv3_queue_translate, "kernel ENOMEM: not the guest's", -ENOMEM,
	    K_INV(ENOMEM), B_SMMUV3, BUF, 16, 4, 0, 1, 1, 1),
	ROW(smmuv3_queue_translate, "vIOMMU gone (ENOENT): not the guest's",
	    -ENOENT, K_INV(ENOENT), B_SMMUV3, BUF, 16, 4, 0, 1, 1, 1),
	ROW(smmuv3_queue_translate, "kernel before 6.13: ENOSYS", -ENOSYS,
	    K_INV(ENOTTY), B_SMMUV3, BUF, 16, 4, 0, 1, 1, 1),
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* ---- the runner ------------------------------------------------------- */

static void snap(struct snapshot *s)
{
	uint32_t dev;
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 1; i < B_COUNT; i++) {
		s->count[i] = iommunest_batch_count(env.b[i]);
		ck_assert_int_eq(iommunest_batch_stats(env.b[i], &s->bst[i]),
				 0);
	}
	for (i = 1; i < T_COUNT; i++)
		ck_assert_int_eq(iommunest_tracker_stats(env.t[i], &s->tst[i]),
				 0);
	for (dev = 0; dev < 2; dev++)
		ck_assert_int_eq(iommunest_tracker_device_state(env.t[T_OWN],
							       10 + dev,
							       &s->state[dev],
							       &s->domain[dev]),
				 0);
}

static bool out_untouched(void)
{
	const uint8_t *p = (const uint8_t *)env.out;
	size_t i;

	for (i = 0; i < sizeof(env.out); i++)
		if (p[i] != OUT_FILL)
			return false;
	return true;
}

START_TEST(bad_input_row)
{
	const struct row *r = &rows[_i];
	struct snapshot before, after;
	unsigned int nk, i;
	int rc;

	for (nk = 0; nk < 3 && r->k[nk].req; nk++)
		fk_expect(r->k[nk].req, r->k[nk].h, NULL, r->k[nk].err);
	snap(&before);
	rc = r->call(r);
	ck_assert_msg(rc == r->want, "%s, %s: returned %d, documented %d",
		      r->fn, r->what, rc, r->want);
	ck_assert_msg(fk_ncalls() - env.n0 == nk,
		      "%s, %s: %u ioctls, expected %u (%s)", r->fn, r->what,
		      fk_ncalls() - env.n0, nk,
		      nk ? "the kernel's answer" : "the library decides alone");
	for (i = 0; i < nk; i++)
		ck_assert_msg(fk_call(env.n0 + i)->req == r->k[i].req,
			      "%s, %s: call %u is not the scripted one",
			      r->fn, r->what, i);
	ck_assert_msg(out_untouched(), "%s, %s: an output was written",
		      r->fn, r->what);
	if (!nk && r->want < 0) {
		snap(&after);
		ck_assert_msg(!memcmp(&before, &after, sizeof(before)),
			      "%s, %s: the refusal changed a batch or tracker",
			      r->fn, r->what);
	}
}
END_TEST

/* Every public function (lib/libiommunest.sym) has rows. */
static const char *const functions[] = {
	"iommunest_batch_add_raw", "iommunest_batch_add_selftest",
	"iommunest_batch_add_selftest_viommu",
	"iommunest_batch_add_smmuv3", "iommunest_batch_add_vtd",
	"iommunest_batch_add_vtd_all", "iommunest_batch_count",
	"iommunest_batch_first_failed", "iommunest_batch_flush",
	"iommunest_batch_free", "iommunest_batch_new",
	"iommunest_batch_probe", "iommunest_batch_reserve",
	"iommunest_batch_reset",
	"iommunest_batch_result", "iommunest_batch_stats",
	"iommunest_close", "iommunest_destroy", "iommunest_device_attach",
	"iommunest_device_bind", "iommunest_device_detach",
	"iommunest_device_replace", "iommunest_fd", "iommunest_hw_info",
	"iommunest_hwpt_alloc_nested", "iommunest_hwpt_alloc_paging",
	"iommunest_hwpt_alloc_selftest", "iommunest_hwpt_alloc_smmuv3",
	"iommunest_hwpt_alloc_vtd_s1", "iommunest_hwpt_get_dirty_bitmap",
	"iommunest_hwpt_set_dirty_tracking", "iommunest_invalidate",
	"iommunest_ioas_alloc", "iommunest_ioas_allow_iovas",
	"iommunest_ioas_copy", "iommunest_ioas_copy_any",
	"iommunest_ioas_iova_ranges", "iommunest_ioas_map",
	"iommunest_ioas_map_any", "iommunest_ioas_unmap",
	"iommunest_ioas_unmap_all", "iommunest_nested_switch",
	"iommunest_nested_switch_fn", "iommunest_open", "iommunest_open_fd",
	"iommunest_option_get", "iommunest_option_set", "iommunest_sink_ioas",
	"iommunest_tracker_add_ram", "iommunest_tracker_device_add",
	"iommunest_tracker_device_remove", "iommunest_tracker_device_state",
	"iommunest_tracker_domain_add", "iommunest_tracker_domain_remove",
	"iommunest_tracker_free", "iommunest_tracker_map",
	"iommunest_tracker_new", "iommunest_tracker_set_blocked",
	"iommunest_tracker_set_domain", "iommunest_tracker_set_passthrough",
	"iommunest_tracker_stats", "iommunest_tracker_unmap",
	"iommunest_vdevice_alloc", "iommunest_viommu_alloc",
	"iommunest_hwpt_alloc", "iommunest_hwpt_alloc_amd_guest",
	"iommunest_fault_queue_alloc", "iommunest_fault_read",
	"iommunest_fault_respond", "iommunest_veventq_alloc",
	"iommunest_veventq_fd", "iommunest_veventq_free",
	"iommunest_veventq_id", "iommunest_veventq_read",
	"iommunest_features",
	"iommunest_ioas_map_file", "iommunest_ioas_map_file_any",
	"iommunest_ioas_change_process", "iommunest_device_pasid_attach",
	"iommunest_device_pasid_replace", "iommunest_device_pasid_detach",
	"iommunest_hw_queue_alloc", "iommunest_viommu_alloc_data",
	"iommunest_mmap", "iommunest_hw_info_type", "iommunest_hw_info_amd",
	"iommunest_hw_info_tegra241", "iommunest_vtd_queue_translate",
	"iommunest_smmuv3_queue_translate",
	"iommunest_sink_ioas_ext", "iommunest_tracker_set_sink_ext",
	"iommunest_ptcache_new", "iommunest_ptcache_free",
	"iommunest_ptcache_sink", "iommunest_ptcache_replace",
};

#define NFUNCTIONS (sizeof(functions) / sizeof(functions[0]))

START_TEST(every_function_has_rows)
{
	unsigned int lib = 0, kernel = 0;
	size_t f, i;

	for (f = 0; f < NFUNCTIONS; f++) {
		for (i = 0; i < NROWS; i++)
			if (!strcmp(rows[i].fn, functions[f]))
				break;
		ck_assert_msg(i < NROWS, "no bad-input row for %s",
			      functions[f]);
	}
	for (i = 0; i < NROWS; i++) {
		if (rows[i].k[0].req)
			kernel++;
		else
			lib++;
	}
	printf("bad input: %zu rows over %zu functions: %u decided by the "
	       "library with no ioctl, %u passed to the kernel\n",
	       (size_t)NROWS, (size_t)NFUNCTIONS, lib, kernel);
	fflush(stdout);
}
END_TEST

Suite *suite_badinput(void)
{
	Suite *s = suite_create("bad input");
	TCase *tc = tcase_create("rows");
	TCase *cover = tcase_create("coverage");

	tcase_add_checked_fixture(tc, badinput_setup, badinput_teardown);
	tcase_add_loop_test(tc, bad_input_row, 0, (int)NROWS);
	suite_add_tcase(s, tc);
	tcase_add_test(cover, every_function_has_rows);
	suite_add_tcase(s, cover);
	return s;
}
