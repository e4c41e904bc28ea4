/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The invalidation batcher: entries, chunking, per-entry results. */
#include <stdlib.h>

#include "suites.h"
#include "libiommunest/batch.h"

#define NA IOMMUNEST_INV_NOT_ATTEMPTED
#define TARGET 77u

/* ---- allocation counting: add and flush must allocate nothing ------- */
#if defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define COUNT_ALLOCS 0
#endif
#endif
#ifndef COUNT_ALLOCS
#define COUNT_ALLOCS 1
#endif

static unsigned int allocs;
#if COUNT_ALLOCS
/* glibc's own entry points, so the test's malloc can count and pass on. */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);

void *malloc(size_t size)
{
	allocs++;
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	allocs++;
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	allocs++;
	return __libc_realloc(p, size);
}
#endif

/* ---- scripted kernel answers ------------------------------------------ */

/* What the fake kernel saw of each invalidate call. */
struct seen {
	uint32_t num;        /* entry_num passed in */
	uint64_t first_addr; /* addr of the first VT-d entry passed */
};
static struct seen seen[64];
static unsigned int nseen;

/* Records the call, then answers entry_num = *(uint32_t *)priv. */
static void answer(void *arg, void *priv)
{
	struct kabi_hwpt_invalidate *cmd = arg;
	const struct kabi_vtd_s1_invalidate *e =
		(const void *)(uintptr_t)cmd->data_uptr;

	if (nseen < 64) {
		seen[nseen].num = cmd->entry_num;
		seen[nseen].first_addr = cmd->entry_num ? e->addr : 0;
		nseen++;
	}
	if (priv)
		cmd->entry_num = *(const uint32_t *)priv;
}

/* Script one call: the kernel handles `handled` entries and fails with
 * err (0: success).  Values live in a static pool so pointers stay valid. */
static void kernel(uint32_t handled, int err)
{
	static uint32_t pool[64];
	static unsigned int n;
	uint32_t *v = &pool[n++ % 64];

	*v = handled;
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer, v, err);
}

/* A kernel that handles everything it is given. */
static void kernel_all(void)
{
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer, NULL, 0);
}

static struct iommunest_batch *vtd_batch(uint32_t capacity, uint32_t cap,
					 uint32_t flags)
{
	struct iommunest_batch_config cfg = {
		.target_id = TARGET,
		.data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = sizeof(struct kabi_vtd_s1_invalidate),
		.capacity = capacity,
		.max_per_call = cap,
		.flags = flags,
	};
	struct iommunest_batch *b = NULL;

	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	nseen = 0;
	return b;
}

/* Entry i invalidates the page at i * 4 KiB, so calls can be told apart. */
static void fill(struct iommunest_batch *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(iommunest_batch_add_vtd(b, (uint64_t)i * 4096,
							 1, false), (int)i);
}

static void expect_results(struct iommunest_batch *b, const int *want,
			   uint32_t n)
{
	uint32_t i;

	ck_assert_int_eq(iommunest_batch_count(b), (int)n);
	for (i = 0; i < n; i++)
		ck_assert_msg(iommunest_batch_result(b, i) == want[i],
			      "entry %u: result %d, want %d", i,
			      iommunest_batch_result(b, i), want[i]);
}

/* ---- configuration and entries ---------------------------------------- */

START_TEST(new_refuses_bad_config)
{
	struct iommunest_batch_config cfg = {
		.target_id = 1,
		.data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = 24,
		.capacity = 8,
	};
	struct iommunest_batch *b = NULL;

	ASSERT_REFUSED(iommunest_batch_new(NULL, &cfg, &b), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_new(uctx, NULL, &b), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, NULL), -EINVAL);
	cfg.entry_len = 16; /* not the size of a VT-d entry */
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, &b), -EINVAL);
	cfg.data_type = IOMMUNEST_INV_ARM_SMMUV3;
	cfg.entry_len = 24;
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, &b), -EINVAL);
	cfg.data_type = IOMMUNEST_INV_SELFTEST;
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, &b), -EINVAL);
	cfg.entry_len = 8;
	cfg.capacity = 0;
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, &b), -EINVAL);
	cfg.capacity = 8;
	cfg.flags = 1u << 7;
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, &b), -EINVAL);
	cfg.flags = 0;
	cfg.entry_len = 0;
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, &b), -EINVAL);
	ck_assert_ptr_null(b);
	/* A type the library does not know takes any entry size. */
	cfg.data_type = 0x1234;
	cfg.entry_len = 40;
	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	iommunest_batch_free(b);
	iommunest_batch_free(NULL);
}
END_TEST

/* Copies the entries of a call into priv, sized for what was sent. */
static void copy_entries(void *arg, void *priv)
{
	struct kabi_hwpt_invalidate *cmd = arg;

	memcpy(priv, (const void *)(uintptr_t)cmd->data_uptr,
	       (size_t)cmd->entry_len * cmd->entry_num);
}

START_TEST(vtd_entries_and_call)
{
	struct iommunest_batch *b = vtd_batch(4, 0, 0);
	struct kabi_vtd_s1_invalidate e[2];
	struct kabi_hwpt_invalidate cmd;

	ck_assert_int_eq(iommunest_batch_add_vtd(b, 0x5000, 3, true), 0);
	ck_assert_int_eq(iommunest_batch_add_vtd_all(b), 1);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, copy_entries, e, 0);
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	FK_GET(0, KABI_IOMMU_HWPT_INVALIDATE, cmd);
	ck_assert_uint_eq(cmd.size, sizeof(cmd));
	ck_assert_uint_eq(cmd.hwpt_id, TARGET);
	ck_assert_uint_eq(cmd.data_type, 0);
	ck_assert_uint_eq(cmd.entry_len, 24);
	ck_assert_uint_eq(cmd.entry_num, 2);
	ck_assert_uint_eq(cmd.reserved, 0);
	ck_assert_uint_eq(e[0].addr, 0x5000);
	ck_assert_uint_eq(e[0].npages, 3);
	ck_assert_uint_eq(e[0].flags, KABI_VTD_INV_FLAGS_LEAF);
	ck_assert_uint_eq(e[0].reserved, 0);
	ck_assert_uint_eq(e[1].addr, 0);
	ck_assert_uint_eq(e[1].npages, UINT64_MAX);
	ck_assert_uint_eq(e[1].flags, 0);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(add_refuses_bad_entries)
{
	struct iommunest_batch *b = vtd_batch(2, 0, 0);
	uint64_t cmd[2] = { 1, 2 };

	ASSERT_REFUSED(iommunest_batch_add_vtd(b, 0x1001, 1, false), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_add_vtd(b, 0x1000, 0, false), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_add_vtd(b, 0x1000, UINT64_MAX, false),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_batch_add_vtd(NULL, 0, 1, false), -EINVAL);
	/* Entries of another type do not fit this batch. */
	ASSERT_REFUSED(iommunest_batch_add_selftest(b, 0, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_add_smmuv3(b, cmd), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_add_raw(b, NULL), -EINVAL);
	ck_assert_int_eq(iommunest_batch_count(b), 0);
	fill(b, 2);
	ASSERT_REFUSED(iommunest_batch_add_vtd(b, 0, 1, false), -ENOSPC);
	ck_assert_int_eq(iommunest_batch_count(b), 2);
	ck_assert_int_eq(iommunest_batch_result(b, 0), -EINVAL); /* unflushed */
	ck_assert_int_eq(iommunest_batch_first_failed(b), -EINVAL);
	ck_assert_int_eq(iommunest_batch_count(NULL), -EINVAL);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(smmuv3_selftest_and_raw_entries)
{
	struct iommunest_batch_config cfg = {
		.target_id = 9,
		.data_type = IOMMUNEST_INV_ARM_SMMUV3,
		.entry_len = 16,
		.capacity = 2,
	};
	struct iommunest_batch *b = NULL;
	const uint64_t cmd[2] = { 0x1122334455667788ull, 42 };
	struct kabi_smmuv3_invalidate got[2];
	struct kabi_selftest_invalidate st[2];

	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	ck_assert_int_eq(iommunest_batch_add_smmuv3(b, cmd), 0);
	ck_assert_int_eq(iommunest_batch_add_raw(b, cmd), 1);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, copy_entries, got, 0);
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	ck_assert_uint_eq(le64toh(got[0].cmd[0]), cmd[0]);
	ck_assert_uint_eq(le64toh(got[0].cmd[1]), cmd[1]);
	iommunest_batch_free(b);

	cfg.data_type = IOMMUNEST_INV_SELFTEST;
	cfg.entry_len = 8;
	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	ck_assert_int_eq(iommunest_batch_add_selftest(b, 3, 0), 0);
	ck_assert_int_eq(iommunest_batch_add_selftest(b, 0,
				IOMMUNEST_SELFTEST_INV_ALL), 1);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, copy_entries, st, 0);
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	ck_assert_uint_eq(st[0].iotlb_id, 3);
	ck_assert_uint_eq(st[0].flags, 0);
	ck_assert_uint_eq(st[1].flags, KABI_SELFTEST_INV_FLAG_ALL);
	/* Entries of the mock's vIOMMU share the number, not the size. */
	ASSERT_REFUSED(iommunest_batch_add_selftest_viommu(b, 1, 2, 0),
		       -EINVAL);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(selftest_viommu_entries)
{
	struct iommunest_batch_config cfg = {
		.target_id = 9,
		.data_type = IOMMUNEST_INV_SELFTEST,
		.entry_len = IOMMUNEST_INV_SELFTEST_VIOMMU_LEN,
		.capacity = 2,
	};
	struct iommunest_batch *b = NULL;
	struct kabi_selftest_viommu_invalidate got[2];
	struct kabi_hwpt_invalidate cmd;

	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	ASSERT_REFUSED(iommunest_batch_add_selftest(b, 0, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_add_selftest_viommu(NULL, 1, 2, 0),
		       -EINVAL);
	ck_assert_int_eq(iommunest_batch_add_selftest_viommu(b, 0x99, 3, 0),
			 0);
	ck_assert_int_eq(iommunest_batch_add_selftest_viommu(b, 0x98, 7,
				IOMMUNEST_SELFTEST_INV_ALL), 1);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, copy_entries, got, 0);
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	FK_GET(0, KABI_IOMMU_HWPT_INVALIDATE, cmd);
	ck_assert_uint_eq(cmd.hwpt_id, 9);
	ck_assert_uint_eq(cmd.data_type, 0xdeadbeefu);
	ck_assert_uint_eq(cmd.entry_len, 12);
	ck_assert_uint_eq(cmd.entry_num, 2);
	ck_assert_uint_eq(got[0].flags, 0);
	ck_assert_uint_eq(got[0].vdev_id, 0x99);
	ck_assert_uint_eq(got[0].cache_id, 3);
	ck_assert_uint_eq(got[1].flags, KABI_SELFTEST_INV_FLAG_ALL);
	ck_assert_uint_eq(got[1].vdev_id, 0x98);
	ck_assert_uint_eq(got[1].cache_id, 7);
	iommunest_batch_free(b);
	/* The one type number takes exactly its two entry sizes. */
	cfg.entry_len = 16;
	ASSERT_REFUSED(iommunest_batch_new(uctx, &cfg, &b), -EINVAL);
}
END_TEST

/* ---- chunking ----------------------------------------------------------- */

static void check_chunks(uint32_t n, uint32_t cap)
{
	struct iommunest_batch *b = vtd_batch(n, cap, 0);
	struct iommunest_batch_stats st;
	uint32_t calls = (n + cap - 1) / cap, i;
	unsigned int before = fk_ncalls();

	fill(b, n);
	for (i = 0; i < calls; i++)
		kernel_all();
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	ck_assert_uint_eq(fk_ncalls() - before, calls);
	for (i = 0; i < calls; i++) {
		uint32_t want = i + 1 < calls ? cap : n - i * cap;

		ck_assert_uint_eq(seen[i].num, want);
		ck_assert_uint_eq(seen[i].first_addr, (uint64_t)i * cap * 4096);
	}
	for (i = 0; i < n; i++)
		ck_assert_int_eq(iommunest_batch_result(b, i), 0);
	ck_assert_int_eq(iommunest_batch_first_failed(b), -ENOENT);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, calls);
	ck_assert_uint_eq(st.done, n);
	ck_assert_uint_eq(st.failed, 0);
	iommunest_batch_free(b);
}

START_TEST(flush_issues_ceil_n_over_cap_calls)
{
	check_chunks(1, 4);
	check_chunks(4, 4);  /* exactly the cap: one call */
	check_chunks(5, 4);  /* one past it: two */
	check_chunks(8, 4);
	check_chunks(9, 4);
	check_chunks(10, 1);
	check_chunks(64, 16);
}
END_TEST

START_TEST(flush_stops_in_a_later_chunk)
{
	struct iommunest_batch *b = vtd_batch(5, 2, 0);
	const int want[] = { 0, 0, 0, -EINVAL, NA };

	fill(b, 5);
	kernel_all();
	kernel(1, EINVAL); /* second chunk: its entry 1, batch entry 3 */
	ck_assert_int_eq(iommunest_batch_flush(b), -EINVAL);
	expect_results(b, want, 5);
	ck_assert_int_eq(iommunest_batch_first_failed(b), 3);
	ck_assert_uint_eq(seen[1].first_addr, 2 * 4096);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(continue_policy_across_chunks)
{
	struct iommunest_batch *b = vtd_batch(5, 2, IOMMUNEST_BATCH_CONTINUE);
	const int want[] = { 0, 0, 0, -EINVAL, 0 };

	fill(b, 5);
	kernel_all();
	kernel(1, EINVAL);
	kernel_all(); /* entry 4 alone, the rest of the second chunk */
	ck_assert_int_eq(iommunest_batch_flush(b), -EINVAL);
	expect_results(b, want, 5);
	ck_assert_uint_eq(seen[2].num, 1);
	ck_assert_uint_eq(seen[2].first_addr, 4 * 4096);
	iommunest_batch_free(b);
}
END_TEST

/* ---- every partial count ----------------------------------------------- */

/* Three entries; the second is bad and the kernel says so exactly. */
START_TEST(error_count_k_stop)
{
	struct iommunest_batch *b = vtd_batch(3, 0, 0);
	const int want[] = { 0, -EINVAL, NA };

	fill(b, 3);
	kernel(1, EINVAL);
	ck_assert_int_eq(iommunest_batch_flush(b), -EINVAL);
	expect_results(b, want, 3);
	ck_assert_uint_eq(fk_ncalls(), 1);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(error_count_k_continue)
{
	struct iommunest_batch *b = vtd_batch(3, 0, IOMMUNEST_BATCH_CONTINUE);
	const int want[] = { 0, -EINVAL, 0 };

	fill(b, 3);
	kernel(1, EINVAL);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_flush(b), -EINVAL);
	expect_results(b, want, 3);
	ck_assert_uint_eq(seen[1].num, 1);
	ck_assert_uint_eq(seen[1].first_addr, 2 * 4096);
	iommunest_batch_free(b);
}
END_TEST

/* A count of 0 on an error may mean "before any entry": the first entry
 * is asked about alone, and its own answer is its result. */
START_TEST(error_count_zero)
{
	struct iommunest_batch *b = vtd_batch(3, 0, 0);
	const int want[] = { -EOPNOTSUPP, NA, NA };

	fill(b, 3);
	kernel(0, EOPNOTSUPP);
	kernel(0, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_batch_flush(b), -EOPNOTSUPP);
	expect_results(b, want, 3);
	ck_assert_int_eq(iommunest_batch_first_failed(b), 0);
	ck_assert_uint_eq(seen[1].num, 1);
	iommunest_batch_free(b);
}
END_TEST

/* ... and where the failure was passing, entry 0 is done after all. */
START_TEST(error_count_zero_then_done)
{
	struct iommunest_batch *b = vtd_batch(3, 0, 0);
	const int want[] = { 0, 0, 0 };

	fill(b, 3);
	kernel(0, ENOMEM);
	kernel(1, 0);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	expect_results(b, want, 3);
	iommunest_batch_free(b);
}
END_TEST

/* The input count left on an error does not fit: position unknown, so the
 * first entry is resubmitted alone; nothing is reported done unconfirmed. */
START_TEST(error_count_input_is_unknown)
{
	struct iommunest_batch *b = vtd_batch(3, 0, 0);
	const int want[] = { 0, -EFAULT, NA };
	struct iommunest_batch_stats st;

	fill(b, 3);
	kernel(3, EFAULT);  /* unknown */
	kernel(1, 0);       /* entry 0 alone: done */
	kernel(0, EFAULT);  /* entries 1-2: 0, which may be "before any" */
	kernel(0, EFAULT);  /* entry 1 alone: its own failure */
	ck_assert_int_eq(iommunest_batch_flush(b), -EFAULT);
	expect_results(b, want, 3);
	ck_assert_uint_eq(seen[1].num, 1);
	ck_assert_uint_eq(seen[1].first_addr, 0);
	ck_assert_uint_eq(seen[2].num, 2);
	ck_assert_uint_eq(seen[2].first_addr, 4096);
	ck_assert_uint_eq(seen[3].num, 1);
	ck_assert_uint_eq(seen[3].first_addr, 4096);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.retries, 2);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(error_count_above_input_is_unknown)
{
	struct iommunest_batch *b = vtd_batch(3, 0, IOMMUNEST_BATCH_CONTINUE);
	const int want[] = { -ENOMEM, 0, 0 };

	fill(b, 3);
	kernel(1000, ENOMEM); /* nonsense count */
	kernel(0, ENOMEM);    /* entry 0 alone fails: its own result */
	kernel_all();         /* entries 1-2 */
	ck_assert_int_eq(iommunest_batch_flush(b), -ENOMEM);
	expect_results(b, want, 3);
	iommunest_batch_free(b);
}
END_TEST

/* Success that handled fewer than sent: those are done, the next entry is
 * asked about alone, then the rest goes as usual. */
START_TEST(short_count_on_success)
{
	struct iommunest_batch *b = vtd_batch(4, 0, 0);
	const int want[] = { 0, 0, 0, 0 };

	fill(b, 4);
	kernel(1, 0);
	kernel(1, 0);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	expect_results(b, want, 4);
	ck_assert_uint_eq(seen[1].num, 1);
	ck_assert_uint_eq(seen[1].first_addr, 4096);
	ck_assert_uint_eq(seen[2].num, 2);
	ck_assert_uint_eq(seen[2].first_addr, 2 * 4096);
	iommunest_batch_free(b);
}
END_TEST

/* retries counts the lone call after a short success (the entry there is
 * submitted again), not the call that then goes on with the rest. */
START_TEST(short_success_lone_call_is_a_retry)
{
	struct iommunest_batch *b = vtd_batch(4, 0, 0);
	struct iommunest_batch_stats st;

	fill(b, 4);
	kernel(1, 0); /* entries 0-3: success, but 1 handled */
	kernel(1, 0); /* entry 1 alone: a retry */
	kernel_all(); /* entries 2-3: the rest, not a retry */
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.flushes, 1);
	ck_assert_uint_eq(st.ioctls, 3);
	ck_assert_uint_eq(st.retries, 1);
	ck_assert_uint_eq(st.done, 4);
	ck_assert_uint_eq(st.failed, 0);
	/* A short success of 0: the first entry alone is the retry. */
	fill(b, 2);
	kernel(0, 0);
	kernel(1, 0);
	kernel(1, 0);
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, 6);
	ck_assert_uint_eq(st.retries, 2);
	ck_assert_uint_eq(st.done, 6);
	iommunest_batch_free(b);
}
END_TEST

/* A lone entry whose success confirms nothing is not done: -EIO. */
START_TEST(unconfirmed_single_is_eio)
{
	struct iommunest_batch *b = vtd_batch(2, 0, 0);
	const int want[] = { -EIO, NA };

	fill(b, 2);
	kernel(5, 0); /* success, count above input: unknown */
	kernel(0, 0); /* entry 0 alone: success, but 0 handled */
	ck_assert_int_eq(iommunest_batch_flush(b), -EIO);
	expect_results(b, want, 2);
	iommunest_batch_free(b);
}
END_TEST

/* ---- reuse, auto flush, probe, allocation ---------------------------- */

static unsigned int done_calls;
static int done_first_failed;

static void on_done(void *opaque, struct iommunest_batch *b)
{
	done_calls++;
	done_first_failed = iommunest_batch_first_failed(b);
	ck_assert_ptr_eq(opaque, &done_calls);
}

START_TEST(autoflush_when_full)
{
	struct iommunest_batch_config cfg = {
		.target_id = TARGET,
		.data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = 24,
		.capacity = 2,
		.flags = IOMMUNEST_BATCH_AUTOFLUSH,
		.done = on_done,
		.opaque = &done_calls,
	};
	struct iommunest_batch *b = NULL;

	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	nseen = done_calls = 0;
	fill(b, 2);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_add_vtd(b, 0x9000, 1, false), 0);
	ck_assert_uint_eq(done_calls, 1);
	ck_assert_int_eq(done_first_failed, -ENOENT);
	ck_assert_uint_eq(seen[0].num, 2);
	ck_assert_int_eq(iommunest_batch_count(b), 1);
	/* The next automatic flush fails: the stopped queue takes nothing. */
	ck_assert_int_eq(iommunest_batch_add_vtd(b, 0xa000, 1, false), 1);
	kernel(0, EINVAL);
	kernel(0, EINVAL); /* entry 0 alone */
	ck_assert_int_eq(iommunest_batch_add_vtd(b, 0xb000, 1, false),
			 -ECANCELED);
	ck_assert_uint_eq(done_calls, 2);
	ck_assert_int_eq(done_first_failed, 0);
	ck_assert_int_eq(iommunest_batch_result(b, 0), -EINVAL);
	ck_assert_int_eq(iommunest_batch_result(b, 1), NA);
	/* Having seen it, the caller goes on: a fresh batch. */
	ck_assert_int_eq(iommunest_batch_add_vtd(b, 0xb000, 1, false), 0);
	ck_assert_int_eq(iommunest_batch_count(b), 1);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(flush_is_reusable_and_idempotent)
{
	struct iommunest_batch *b = vtd_batch(3, 0, 0);

	ck_assert_int_eq(iommunest_batch_flush(b), 0); /* empty: no call */
	ck_assert_uint_eq(fk_ncalls(), 0);
	fill(b, 3);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	ck_assert_int_eq(iommunest_batch_flush(b), 0); /* nothing new */
	ck_assert_uint_eq(fk_ncalls(), 1);
	ck_assert_int_eq(iommunest_batch_result(b, 2), 0);
	ck_assert_int_eq(iommunest_batch_result(b, 3), -EINVAL);
	/* Adding after a flush starts a new batch at index 0. */
	ck_assert_int_eq(iommunest_batch_add_vtd_all(b), 0);
	ck_assert_int_eq(iommunest_batch_count(b), 1);
	ck_assert_int_eq(iommunest_batch_reset(b), 0);
	ck_assert_int_eq(iommunest_batch_count(b), 0);
	ck_assert_int_eq(iommunest_batch_reset(NULL), -EINVAL);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(probe_asks_once)
{
	struct iommunest_batch *b = vtd_batch(1, 0, 0);
	struct kabi_hwpt_invalidate cmd;

	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer, NULL, EINVAL);
	ck_assert_int_eq(iommunest_batch_probe(b), -EINVAL);
	ck_assert_int_eq(iommunest_batch_probe(b), -EINVAL); /* remembered */
	ck_assert_uint_eq(fk_ncalls(), 1);
	FK_GET(0, KABI_IOMMU_HWPT_INVALIDATE, cmd);
	ck_assert_uint_eq(cmd.entry_num, 0);
	ck_assert_uint_eq(cmd.hwpt_id, TARGET);
	ck_assert_uint_eq(cmd.data_type, IOMMUNEST_INV_VTD_S1);
	iommunest_batch_free(b);
	b = vtd_batch(1, 0, 0);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_probe(b), 0);
	ck_assert_int_eq(iommunest_batch_probe(b), 0);
	ck_assert_uint_eq(fk_ncalls(), 2);
	iommunest_batch_free(b);
	/* Passing trouble is not remembered: the next probe asks again. */
	b = vtd_batch(1, 0, 0);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer, NULL, ENOMEM);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_probe(b), -ENOMEM);
	ck_assert_int_eq(iommunest_batch_probe(b), 0);
	ck_assert_uint_eq(fk_ncalls(), 4);
	iommunest_batch_free(b);
}
END_TEST

/* ioctls counts every IOMMU_HWPT_INVALIDATE call the batch makes, the
 * probe's included; a remembered answer makes no call and counts none. */
START_TEST(probe_call_is_counted)
{
	struct iommunest_batch *b = vtd_batch(1, 0, 0);
	struct iommunest_batch_stats st;

	kernel_all();
	ck_assert_int_eq(iommunest_batch_probe(b), 0);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, 1);
	ck_assert_uint_eq(st.flushes, 0);
	ck_assert_int_eq(iommunest_batch_probe(b), 0); /* remembered */
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, 1);
	fill(b, 1);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, 2);
	ck_assert_uint_eq(st.flushes, 1);
	ck_assert_uint_eq(st.retries, 0);
	ck_assert_uint_eq(fk_ncalls(), 2);
	iommunest_batch_free(b);
}
END_TEST

/* The probe keeps exactly the lasting answers: success, and the errors
 * about the target, the type or the kernel (EINVAL, EOPNOTSUPP, ENOENT,
 * ENOSYS, which the kernel gives as ENOTTY).  Passing trouble (ENOMEM,
 * EFAULT, EINTR, ...) is returned and asked about again next time. */
static const struct {
	int kernel_err, rc;
	bool kept;
} probe_answers[] = {
	{ 0, 0, true },
	{ EINVAL, -EINVAL, true },
	{ EOPNOTSUPP, -EOPNOTSUPP, true },
	{ ENOENT, -ENOENT, true },
	{ ENOTTY, -ENOSYS, true },
	{ ENOMEM, -ENOMEM, false },
	{ EFAULT, -EFAULT, false },
	{ EINTR, -EINTR, false },
	{ EIO, -EIO, false },
	{ EBUSY, -EBUSY, false },
};

START_TEST(probe_keeps_only_lasting_answers)
{
	struct iommunest_batch *b = vtd_batch(1, 0, 0);
	int err = probe_answers[_i].kernel_err, rc = probe_answers[_i].rc;
	struct iommunest_batch_stats st;

	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer, NULL, err);
	ck_assert_int_eq(iommunest_batch_probe(b), rc);
	if (probe_answers[_i].kept) {
		ck_assert_int_eq(iommunest_batch_probe(b), rc);
		ck_assert_uint_eq(fk_ncalls(), 1);
		/* A reset keeps it too. */
		iommunest_batch_reset(b);
		ck_assert_int_eq(iommunest_batch_probe(b), rc);
		ck_assert_uint_eq(fk_ncalls(), 1);
	} else {
		/* Asked again, the kernel now says yes, and that is kept. */
		kernel_all();
		ck_assert_int_eq(iommunest_batch_probe(b), 0);
		ck_assert_int_eq(iommunest_batch_probe(b), 0);
		ck_assert_uint_eq(fk_ncalls(), 2);
	}
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, fk_ncalls());
	iommunest_batch_free(b);
}
END_TEST

START_TEST(add_and_flush_allocate_nothing)
{
	struct iommunest_batch *b;
	int added = 0, rc1, rc2, i2, i3;
	void *volatile probe;
	unsigned int counted;
	uint32_t i;

	if (!COUNT_ALLOCS)
		return; /* a sanitizer owns malloc; the plain build checks */
	b = vtd_batch(256, 64, 0);
	/* valgrind replaces malloc too; its runs say so (INEST_UNDER_TOOL). */
	allocs = 0;
	probe = malloc(16); /* volatile: the pair must not be optimised out */
	free(probe);
	if (!allocs && getenv("INEST_UNDER_TOOL")) {
		iommunest_batch_free(b);
		return;
	}
	ck_assert_msg(allocs > 0, "the allocation counter is not active");
	for (i = 0; i < 4; i++)
		kernel_all();
	kernel(1, EINVAL);
	/* No Check assertion inside the window: Check itself allocates. */
	allocs = 0;
	for (i = 0; i < 256; i++)
		added += iommunest_batch_add_vtd(b, (uint64_t)i * 4096, 1,
						 false) == (int)i;
	rc1 = iommunest_batch_flush(b);
	i2 = iommunest_batch_add_vtd_all(b);
	i3 = iommunest_batch_add_vtd_all(b);
	rc2 = iommunest_batch_flush(b);
	counted = allocs;
	ck_assert_int_eq(added, 256);
	ck_assert_int_eq(rc1, 0);
	ck_assert_int_eq(i2, 0);
	ck_assert_int_eq(i3, 1);
	ck_assert_int_eq(rc2, -EINVAL);
	ck_assert_uint_eq(counted, 0);
	iommunest_batch_free(b);
}
END_TEST

/* Reserved entries are filled in place and flushed like added ones. */
START_TEST(reserve_fills_in_place)
{
	struct iommunest_batch *b = vtd_batch(8, 0, 0);
	struct kabi_vtd_s1_invalidate *e = NULL, got[5];
	void *slots = NULL;

	ck_assert_int_eq(iommunest_batch_add_vtd(b, 0x1000, 1, false), 0);
	ck_assert_int_eq(iommunest_batch_reserve(b, 4, &slots), 1);
	e = slots;
	for (int i = 0; i < 4; i++)
		e[i] = (struct kabi_vtd_s1_invalidate){
			.addr = (uint64_t)(i + 2) * 4096, .npages = 1 };
	ck_assert_int_eq(iommunest_batch_count(b), 5);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, copy_entries, got, 0);
	ck_assert_int_eq(iommunest_batch_flush(b), 0);
	ck_assert_uint_eq(got[0].addr, 0x1000);
	ck_assert_uint_eq(got[4].addr, 5 * 4096);
	ck_assert_int_eq(iommunest_batch_result(b, 4), 0);
	/* After a flush a reservation starts a new batch. */
	ck_assert_int_eq(iommunest_batch_reserve(b, 8, &slots), 0);
	ASSERT_REFUSED(iommunest_batch_reserve(b, 1, &slots), -ENOSPC);
	ASSERT_REFUSED(iommunest_batch_reserve(b, 9, &slots), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_reserve(b, 0, &slots), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_reserve(b, 1, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_batch_reserve(NULL, 1, &slots), -EINVAL);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(reserve_autoflushes)
{
	struct iommunest_batch *b = vtd_batch(4, 0, IOMMUNEST_BATCH_AUTOFLUSH);
	void *slots = NULL;

	fill(b, 3);
	kernel_all();
	ck_assert_int_eq(iommunest_batch_reserve(b, 2, &slots), 0);
	ck_assert_uint_eq(seen[0].num, 3);
	ck_assert_int_eq(iommunest_batch_count(b), 2);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(stats_and_queries_refuse_null)
{
	struct iommunest_batch_stats st;
	struct iommunest_batch *b = vtd_batch(1, 0, 0);

	ck_assert_int_eq(iommunest_batch_stats(NULL, &st), -EINVAL);
	ck_assert_int_eq(iommunest_batch_stats(b, NULL), -EINVAL);
	ck_assert_int_eq(iommunest_batch_result(NULL, 0), -EINVAL);
	ck_assert_int_eq(iommunest_batch_first_failed(NULL), -EINVAL);
	ck_assert_int_eq(iommunest_batch_probe(NULL), -EINVAL);
	ck_assert_int_eq(iommunest_batch_flush(NULL), -EINVAL);
	ck_assert_uint_eq(fk_ncalls(), 0);
	iommunest_batch_free(b);
}
END_TEST

Suite *suite_batch(void)
{
	Suite *s = suite_create("batch");
	TCase *cfg = tcase_create("entries");
	TCase *chunks = tcase_create("chunking");
	TCase *counts = tcase_create("partial counts");
	TCase *life = tcase_create("lifetime");

	tcase_add_checked_fixture(cfg, unit_setup, unit_teardown);
	tcase_add_test(cfg, new_refuses_bad_config);
	tcase_add_test(cfg, vtd_entries_and_call);
	tcase_add_test(cfg, add_refuses_bad_entries);
	tcase_add_test(cfg, smmuv3_selftest_and_raw_entries);
	tcase_add_test(cfg, selftest_viommu_entries);
	suite_add_tcase(s, cfg);

	tcase_add_checked_fixture(chunks, unit_setup, unit_teardown);
	tcase_add_test(chunks, flush_issues_ceil_n_over_cap_calls);
	tcase_add_test(chunks, flush_stops_in_a_later_chunk);
	tcase_add_test(chunks, continue_policy_across_chunks);
	suite_add_tcase(s, chunks);

	tcase_add_checked_fixture(counts, unit_setup, unit_teardown);
	tcase_add_test(counts, error_count_k_stop);
	tcase_add_test(counts, error_count_k_continue);
	tcase_add_test(counts, error_count_zero);
	tcase_add_test(counts, error_count_zero_then_done);
	tcase_add_test(counts, error_count_input_is_unknown);
	tcase_add_test(counts, error_count_above_input_is_unknown);
	tcase_add_test(counts, short_count_on_success);
	tcase_add_test(counts, unconfirmed_single_is_eio);
	tcase_add_test(counts, short_success_lone_call_is_a_retry);
	suite_add_tcase(s, counts);

	tcase_add_checked_fixture(life, unit_setup, unit_teardown);
	tcase_add_test(life, autoflush_when_full);
	tcase_add_test(life, flush_is_reusable_and_idempotent);
	tcase_add_test(life, probe_asks_once);
	tcase_add_test(life, probe_call_is_counted);
	tcase_add_loop_test(life, probe_keeps_only_lasting_answers, 0,
			    (int)(sizeof(probe_answers) /
				  sizeof(probe_answers[0])));
	tcase_add_test(life, add_and_flush_allocate_nothing);
	tcase_add_test(life, stats_and_queries_refuse_null);
	tcase_add_test(life, reserve_fills_in_place);
	tcase_add_test(life, reserve_autoflushes);
	suite_add_tcase(s, life);
	return s;
}
