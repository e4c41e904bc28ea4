/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Runs every unit suite and prints the tier's closing count. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "suites.h"

struct iommunest_ctx *uctx;

struct iommunest_ctx *unit_ctx(void)
{
	struct iommunest_ctx *ctx = NULL;

	ck_assert_int_eq(iommunest_open_fd(fk_open_fd(), &ctx), 0);
	return ctx;
}

void unit_setup(void)
{
	fk_reset();
	uctx = unit_ctx();
}

void unit_teardown(void)
{
	ck_assert_uint_eq(fk_unexpected(), 0);
	ck_assert_uint_eq(fk_pending(), 0);
	ck_assert_int_eq(iommunest_close(uctx), 0);
	uctx = NULL;
}

int main(void)
{
	SRunner *sr = srunner_create(suite_ctx());
	int run, failed;

	srunner_add_suite(sr, suite_ioas());
	srunner_add_suite(sr, suite_device());
	srunner_add_suite(sr, suite_hwinfo());
	srunner_add_suite(sr, suite_hwpt());
	srunner_add_suite(sr, suite_nested());
	srunner_add_suite(sr, suite_batch());
	srunner_add_suite(sr, suite_inval_models());
	srunner_add_suite(sr, suite_tracker_model());
	srunner_add_suite(sr, suite_tracker());
	srunner_add_suite(sr, suite_badinput());
	srunner_add_suite(sr, suite_rangemap());
	srunner_add_suite(sr, suite_hwpt_alloc());
	srunner_add_suite(sr, suite_fault());
	srunner_add_suite(sr, suite_veventq());
	srunner_add_suite(sr, suite_liveupdate());
	srunner_add_suite(sr, suite_pasid());
	srunner_add_suite(sr, suite_hwinfo2());
	srunner_add_suite(sr, suite_viommu());
	srunner_add_suite(sr, suite_features());
	srunner_add_suite(sr, suite_guestq_vtd());
	srunner_add_suite(sr, suite_guestq_smmuv3());
	srunner_add_suite(sr, suite_ptcache());
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("unit: %d passed, %d failed\n", run - failed, failed);
	return failed == 0 && run > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
