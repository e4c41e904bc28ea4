/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The batcher against models of how each Linux 7.3 driver counts the
 * entries of IOMMU_HWPT_INVALIDATE, written from the drivers' code:
 *  - VT-d stage 1 (intel_nested_cache_invalidate_user) and the mock IOMMU
 *    handle entries one by one and stop at the failing one: the count is
 *    the failing entry's index and everything before it was done;
 *  - the SMMUv3 vIOMMU (arm_vsmmu_cache_invalidate) converts commands one
 *    by one but issues them in blocks of 63; when command k fails to
 *    convert (-EIO) the count is k, although the block holding the
 *    commands just before k was never issued.
 * Each model records which entries really reached the "hardware"; the
 * tests check that no entry is reported done that was not issued.
 */
#include <stdlib.h>

#include "suites.h"
#include "libiommunest/batch.h"

#define N 200
#define SMMU_BLOCK 63        /* CMDQ_BATCH_ENTRIES - 1 */
#define OP_TLBI_NH_VA 0x12u
#define OP_CFGI_STE 0x03u    /* refused through a vIOMMU */
#define NA IOMMUNEST_INV_NOT_ATTEMPTED

static unsigned int issued[N];  /* times each entry was issued */
static unsigned int issued_first[N]; /* ... by the first call alone */
static uint32_t first_call_count, calls;

/* Entry index from the command itself (word 1 carries it). */
static uint32_t index_of(const struct kabi_smmuv3_invalidate *e)
{
	return (uint32_t)(le64toh(e->cmd[1]) >> 12);
}

static int smmuv3_model(void *arg)
{
	struct kabi_hwpt_invalidate *c = arg;
	const struct kabi_smmuv3_invalidate *e =
		(const void *)(uintptr_t)c->data_uptr;
	uint32_t cur, last = 0, i, n = c->entry_num;

	for (cur = 0; cur < n;) {
		if ((le64toh(e[cur].cmd[0]) & 0xff) != OP_TLBI_NH_VA) {
			c->entry_num = cur; /* converted so far */
			break;
		}
		cur++;
		if (cur != n && cur - last != SMMU_BLOCK)
			continue;
		for (i = last; i < cur; i++)
			issued[index_of(&e[i])]++;
		last = cur;
	}
	if (!calls++) {
		first_call_count = cur;
		memcpy(issued_first, issued, sizeof(issued));
	}
	return cur == n ? 0 : EIO;
}

/* VT-d: one entry at a time, npages 0 is refused (EINVAL). */
static int vtd_model(void *arg)
{
	struct kabi_hwpt_invalidate *c = arg;
	const struct kabi_vtd_s1_invalidate *e =
		(const void *)(uintptr_t)c->data_uptr;
	uint32_t i;

	calls++;
	for (i = 0; i < c->entry_num; i++) {
		if (e[i].flags & 0x80000000u) { /* the test's bad mark */
			c->entry_num = i;
			return EINVAL;
		}
		issued[e[i].addr >> 12]++;
	}
	return 0;
}

static struct iommunest_batch *smmu_batch(uint32_t flags, const int *bad,
					  int nbad)
{
	struct iommunest_batch_config cfg = {
		.target_id = 7, .data_type = IOMMUNEST_INV_ARM_SMMUV3,
		.entry_len = 16, .capacity = N, .flags = flags,
	};
	struct iommunest_batch *b = NULL;
	uint64_t cmd[2];
	uint32_t i;
	int j, isbad;

	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	for (i = 0; i < N; i++) {
		for (isbad = 0, j = 0; j < nbad; j++)
			isbad |= bad[j] == (int)i;
		cmd[0] = isbad ? OP_CFGI_STE : OP_TLBI_NH_VA | 1ull << 48;
		cmd[1] = (uint64_t)i << 12 | 1;
		ck_assert_int_eq(iommunest_batch_add_smmuv3(b, cmd), (int)i);
	}
	memset(issued, 0, sizeof(issued));
	calls = first_call_count = 0;
	fk_model(KABI_IOMMU_HWPT_INVALIDATE, smmuv3_model);
	return b;
}

/* No entry done that was not issued; every failure is a bad entry. */
static void check_exact(struct iommunest_batch *b, const int *bad, int nbad,
			bool stop)
{
	uint32_t i;
	int j, isbad, r;

	for (i = 0; i < N; i++) {
		r = iommunest_batch_result(b, i);
		for (isbad = 0, j = 0; j < nbad; j++)
			isbad |= bad[j] == (int)i;
		if (r == 0)
			ck_assert_msg(issued[i], "entry %u reported done, never "
				      "issued", i);
		if (isbad)
			ck_assert_msg(r == -EIO, "bad entry %u: %d", i, r);
		else if (!stop || (int)i < bad[0])
			ck_assert_msg(r == 0, "entry %u: %d", i, r);
		else
			ck_assert_msg(r == NA, "entry %u after the stop: %d", i,
				      r);
	}
}

/* The bad entry at each interesting place of the 63-command blocks. */
static const int positions[] = { 0, 1, 62, 63, 64, 125, 126, 127, 199 };

START_TEST(smmuv3_blocks_stop)
{
	int bad = positions[_i];
	struct iommunest_batch *b = smmu_batch(0, &bad, 1);

	ck_assert_int_eq(iommunest_batch_flush(b), -EIO);
	/* The driver's count claims entries it never issued: the ones of
	 * the block before the bad command.  They are done only because the
	 * library confirmed them. */
	ck_assert_uint_eq(first_call_count, (uint32_t)bad);
	if (bad % SMMU_BLOCK) {
		ck_assert_uint_eq(issued_first[bad - 1], 0);
		ck_assert_uint_eq(issued[bad - 1], 1);
	}
	check_exact(b, &bad, 1, true);
	/* One call, plus one that confirms what the count could not (or,
	 * for a count of 0, asks about the first entry alone). */
	ck_assert_uint_eq(calls, 2);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(smmuv3_blocks_continue)
{
	int bad = positions[_i];
	struct iommunest_batch *b = smmu_batch(IOMMUNEST_BATCH_CONTINUE,
					       &bad, 1);
	struct iommunest_batch_stats st;

	ck_assert_int_eq(iommunest_batch_flush(b), -EIO);
	check_exact(b, &bad, 1, false);
	ck_assert_int_eq(iommunest_batch_first_failed(b), bad);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.done, N - 1);
	ck_assert_uint_eq(st.failed, 1);
	iommunest_batch_free(b);
}
END_TEST

START_TEST(smmuv3_two_bad_continue)
{
	const int bad[] = { 10, 70 };
	struct iommunest_batch *b = smmu_batch(IOMMUNEST_BATCH_CONTINUE,
					       bad, 2);

	ck_assert_int_eq(iommunest_batch_flush(b), -EIO);
	check_exact(b, bad, 2, false);
	iommunest_batch_free(b);
}
END_TEST

static void count_is(void *arg, void *priv)
{
	((struct kabi_hwpt_invalidate *)arg)->entry_num = *(uint32_t *)priv;
}

/* The confirming call fails too: then the entries before the failure are
 * asked about one at a time, so the calls stay linear. */
START_TEST(smmuv3_confirmation_fails_too)
{
	static uint32_t six = 6, three = 3, one = 1, five = 5;
	const int want[] = { 0, 0, 0, 0, 0, 0, -EIO, NA, NA, NA };
	struct iommunest_batch *b = smmu_batch(0, NULL, 0);
	struct iommunest_batch_stats st;
	struct kabi_hwpt_invalidate c;
	uint32_t i;

	fk_model(0, NULL);
	iommunest_batch_reset(b);
	for (i = 0; i < 10; i++)
		iommunest_batch_add_smmuv3(b, (uint64_t[2]){ OP_TLBI_NH_VA,
							     (uint64_t)i << 12 });
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &six, EIO);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &three, ETIMEDOUT);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &one, 0);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &five, 0);
	ck_assert_int_eq(iommunest_batch_flush(b), -EIO);
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(iommunest_batch_result(b, i), want[i]);
	FK_GET(1, KABI_IOMMU_HWPT_INVALIDATE, c);
	ck_assert_uint_eq(c.entry_num, 6);   /* the confirming call */
	FK_GET(2, KABI_IOMMU_HWPT_INVALIDATE, c);
	ck_assert_uint_eq(c.entry_num, 1);   /* then one by one */
	FK_GET(3, KABI_IOMMU_HWPT_INVALIDATE, c);
	ck_assert_uint_eq(c.entry_num, 5);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, 4);
	ck_assert_uint_eq(st.retries, 2);
	iommunest_batch_free(b);
}
END_TEST

/* A lone entry that fails while the entries before a failure are being
 * confirmed is a failure of its own: the default policy stops there, the
 * first call's failing entry included; CONTINUE goes on, and that entry
 * then gets the first call's error. */
static void confirm_lone_fails(uint32_t flags, const int *want,
			       unsigned int ncalls)
{
	static uint32_t six = 6, three = 3, zero = 0, five = 5, rest = 3;
	struct iommunest_batch *b = smmu_batch(flags, NULL, 0);
	struct iommunest_batch_stats st;
	uint32_t i;

	fk_model(0, NULL);
	iommunest_batch_reset(b);
	for (i = 0; i < 10; i++)
		iommunest_batch_add_smmuv3(b, (uint64_t[2]){ OP_TLBI_NH_VA,
							     (uint64_t)i << 12 });
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &six, EIO);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &three, ETIMEDOUT);
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &zero, ETIMEDOUT);
	if (ncalls > 3) {
		fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &five, 0);
		fk_expect(KABI_IOMMU_HWPT_INVALIDATE, count_is, &rest, 0);
	}
	ck_assert_int_eq(iommunest_batch_flush(b), -ETIMEDOUT);
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(iommunest_batch_result(b, i), want[i]);
	ck_assert_int_eq(iommunest_batch_first_failed(b), 0);
	iommunest_batch_stats(b, &st);
	ck_assert_uint_eq(st.ioctls, ncalls);
	ck_assert_uint_eq(st.retries, 2); /* the confirmation, the lone call */
	iommunest_batch_free(b);
}

START_TEST(smmuv3_confirmation_lone_failure)
{
	const int stop[] = { -ETIMEDOUT, NA, NA, NA, NA, NA, NA, NA, NA, NA };
	const int cont[] = { -ETIMEDOUT, 0, 0, 0, 0, 0, -EIO, 0, 0, 0 };

	confirm_lone_fails(0, stop, 3);
	ck_assert_uint_eq(fk_pending(), 0);
	confirm_lone_fails(IOMMUNEST_BATCH_CONTINUE, cont, 5);
}
END_TEST

/* VT-d counts exactly: no confirming call is spent. */
START_TEST(vtd_exact_no_confirmation)
{
	struct iommunest_batch_config cfg = {
		.target_id = 7, .data_type = IOMMUNEST_INV_VTD_S1,
		.entry_len = 24, .capacity = N,
	};
	struct iommunest_batch *b = NULL;
	struct kabi_vtd_s1_invalidate *e;
	uint32_t i;

	ck_assert_int_eq(iommunest_batch_new(uctx, &cfg, &b), 0);
	ck_assert_int_eq(iommunest_batch_reserve(b, N, (void **)&e), 0);
	for (i = 0; i < N; i++)
		e[i] = (struct kabi_vtd_s1_invalidate){
			.addr = (uint64_t)i << 12, .npages = 1,
			.flags = i == 100 ? 0x80000000u : 0,
		};
	memset(issued, 0, sizeof(issued));
	calls = 0;
	fk_model(KABI_IOMMU_HWPT_INVALIDATE, vtd_model);
	ck_assert_int_eq(iommunest_batch_flush(b), -EINVAL);
	ck_assert_uint_eq(calls, 1);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(iommunest_batch_result(b, i),
				 i < 100 ? 0 : i == 100 ? -EINVAL : NA);
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(issued[i], 1);
	iommunest_batch_free(b);
}
END_TEST

Suite *suite_inval_models(void)
{
	Suite *s = suite_create("invalidation driver models");
	TCase *tc = tcase_create("counting");
	int np = (int)(sizeof(positions) / sizeof(positions[0]));

	tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
	tcase_add_loop_test(tc, smmuv3_blocks_stop, 0, np);
	tcase_add_loop_test(tc, smmuv3_blocks_continue, 0, np);
	tcase_add_test(tc, smmuv3_two_bad_continue);
	tcase_add_test(tc, smmuv3_confirmation_fails_too);
	tcase_add_test(tc, smmuv3_confirmation_lone_failure);
	tcase_add_test(tc, vtd_exact_no_confirmation);
	suite_add_tcase(s, tc);
	return s;
}
