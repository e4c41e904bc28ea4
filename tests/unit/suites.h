/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The unit tier's suites and the helpers they share. */
#ifndef UNIT_SUITES_H
#define UNIT_SUITES_H

#include <check.h>
#include <errno.h>
#include <string.h>

#include "fake-kernel.h"
#include "libiommunest/iommunest.h"
#include "abi.h"

Suite *suite_ctx(void);
Suite *suite_ioas(void);
Suite *suite_device(void);
Suite *suite_hwinfo(void);
Suite *suite_hwpt(void);
Suite *suite_nested(void);
Suite *suite_batch(void);
Suite *suite_inval_models(void);
Suite *suite_tracker_model(void);
Suite *suite_tracker(void);
Suite *suite_badinput(void);
Suite *suite_rangemap(void);
Suite *suite_hwpt_alloc(void);
Suite *suite_fault(void);
Suite *suite_veventq(void);
Suite *suite_liveupdate(void);
Suite *suite_pasid(void);
Suite *suite_hwinfo2(void);
Suite *suite_viommu(void);
Suite *suite_features(void);
Suite *suite_guestq_vtd(void);
Suite *suite_guestq_smmuv3(void);
Suite *suite_ptcache(void);

/* A context on a real (/dev/null) fd with a fresh fake kernel. */
struct iommunest_ctx *unit_ctx(void);
/* Shared fixture: resets the fake kernel, opens unit_ctx(). */
void unit_setup(void);
/* Shared fixture: checks the script was followed exactly, closes. */
void unit_teardown(void);
extern struct iommunest_ctx *uctx;

/* The n-th recorded call must be req; copies its struct into out. */
#define FK_GET(n, request, out)                                               \
	do {                                                              \
		const struct fk_call *c_ = fk_call(n);                    \
		ck_assert_ptr_nonnull(c_);                                \
		ck_assert_uint_eq(c_->req, (request));                        \
		ck_assert_uint_eq(c_->len, sizeof(out));                  \
		memcpy(&(out), c_->arg, sizeof(out));                     \
	} while (0)

/* rc must be err and the kernel must not have been called. */
#define ASSERT_REFUSED(expr, err)                                         \
	do {                                                              \
		unsigned int n_ = fk_ncalls();                            \
		ck_assert_int_eq((expr), (err));                          \
		ck_assert_uint_eq(fk_ncalls(), n_);                       \
	} while (0)

#endif /* UNIT_SUITES_H */
