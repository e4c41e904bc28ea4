/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Context lifetime, destroy and IOMMU_OPTION. */
#include <fcntl.h>
#include <unistd.h>

#include "suites.h"

START_TEST(open_refuses_null)
{
	int fd = fk_open_fd();

	ASSERT_REFUSED(iommunest_open(NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_open_fd(fd, NULL), -EINVAL);
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0); /* not adopted: still open */
	close(fd);
}
END_TEST

START_TEST(open_reports_open_errno)
{
	struct iommunest_ctx *ctx = NULL;
	int fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	int want = fd < 0 ? -errno : 0;
	int rc;

	if (fd >= 0)
		close(fd);
	rc = iommunest_open(&ctx);
	ck_assert_int_eq(rc, want);
	if (!rc) {
		ck_assert_int_ge(iommunest_fd(ctx), 0);
		ck_assert_int_eq(fcntl(iommunest_fd(ctx), F_GETFD) & FD_CLOEXEC,
				 FD_CLOEXEC);
		ck_assert_int_eq(iommunest_close(ctx), 0);
	} else {
		ck_assert_ptr_null(ctx);
	}
	ck_assert_uint_eq(fk_ncalls(), 0);
}
END_TEST

START_TEST(open_fd_refuses_bad_fds)
{
	struct iommunest_ctx *ctx = NULL;
	int fd = fk_open_fd();

	ASSERT_REFUSED(iommunest_open_fd(-1, &ctx), -EBADF);
	close(fd);
	ASSERT_REFUSED(iommunest_open_fd(fd, &ctx), -EBADF);
	ck_assert_ptr_null(ctx);
}
END_TEST

START_TEST(open_fd_adopts_and_close_closes)
{
	struct iommunest_ctx *ctx = NULL;
	int fd = fk_open_fd();

	ck_assert_int_eq(iommunest_open_fd(fd, &ctx), 0);
	ck_assert_int_eq(iommunest_fd(ctx), fd);
	ck_assert_int_eq(iommunest_close(ctx), 0);
	ck_assert_int_lt(fcntl(fd, F_GETFD), 0); /* the context owned it */
	ck_assert_int_eq(iommunest_close(NULL), 0);
	ck_assert_int_eq(iommunest_fd(NULL), -EINVAL);
}
END_TEST

START_TEST(destroy_passes_id)
{
	struct kabi_destroy d;

	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_destroy(uctx, 42), 0);
	FK_GET(0, KABI_IOMMU_DESTROY, d);
	ck_assert_uint_eq(d.size, sizeof(d));
	ck_assert_uint_eq(d.id, 42);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
}
END_TEST

START_TEST(destroy_reports_kernel_error)
{
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, EBUSY);
	ck_assert_int_eq(iommunest_destroy(uctx, 7), -EBUSY);
	ASSERT_REFUSED(iommunest_destroy(NULL, 7), -EINVAL);
}
END_TEST

static void answer_option(void *arg, void *priv)
{
	((struct kabi_option *)arg)->val64 = *(uint64_t *)priv;
}

START_TEST(option_get_and_set)
{
	uint64_t one = 1, v = 99;
	struct kabi_option o;

	fk_expect(KABI_IOMMU_OPTION, answer_option, &one, 0);
	ck_assert_int_eq(iommunest_option_get(uctx, IOMMUNEST_OPTION_HUGE_PAGES,
					      5, &v), 0);
	ck_assert_uint_eq(v, 1);
	FK_GET(0, KABI_IOMMU_OPTION, o);
	ck_assert_uint_eq(o.size, sizeof(o));
	ck_assert_uint_eq(o.option_id, 1);
	ck_assert_uint_eq(o.op, KABI_OPTION_OP_GET);
	ck_assert_uint_eq(o.object_id, 5);
	ck_assert_uint_eq(o.reserved, 0);

	fk_expect(KABI_IOMMU_OPTION, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_option_set(uctx,
					      IOMMUNEST_OPTION_RLIMIT_MODE, 0,
					      1), 0);
	FK_GET(1, KABI_IOMMU_OPTION, o);
	ck_assert_uint_eq(o.option_id, 0);
	ck_assert_uint_eq(o.op, KABI_OPTION_OP_SET);
	ck_assert_uint_eq(o.object_id, 0);
	ck_assert_uint_eq(o.val64, 1);
}
END_TEST

START_TEST(option_errors)
{
	uint64_t v = 7;

	fk_expect(KABI_IOMMU_OPTION, NULL, NULL, EPERM);
	ck_assert_int_eq(iommunest_option_set(uctx,
					      IOMMUNEST_OPTION_RLIMIT_MODE, 0,
					      1), -EPERM);
	fk_expect(KABI_IOMMU_OPTION, NULL, NULL, ENOENT);
	ck_assert_int_eq(iommunest_option_get(uctx, IOMMUNEST_OPTION_HUGE_PAGES,
					      3, &v), -ENOENT);
	ck_assert_uint_eq(v, 7); /* untouched on failure */
}
END_TEST

START_TEST(option_refuses_bad_input)
{
	uint64_t v;

	ASSERT_REFUSED(iommunest_option_set(NULL, IOMMUNEST_OPTION_HUGE_PAGES,
					    1, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_option_set(uctx, IOMMUNEST_OPTION_HUGE_PAGES,
					    1, 2), -EINVAL);
	ASSERT_REFUSED(iommunest_option_set(uctx, IOMMUNEST_OPTION_HUGE_PAGES,
					    0, 1), -EINVAL);
	ASSERT_REFUSED(iommunest_option_set(uctx, IOMMUNEST_OPTION_RLIMIT_MODE,
					    3, 1), -EINVAL);
	ASSERT_REFUSED(iommunest_option_set(uctx, (enum iommunest_option)9, 1,
					    1), -EINVAL);
	ASSERT_REFUSED(iommunest_option_get(uctx, IOMMUNEST_OPTION_HUGE_PAGES,
					    1, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_option_get(NULL, IOMMUNEST_OPTION_HUGE_PAGES,
					    1, &v), -EINVAL);
}
END_TEST

Suite *suite_ctx(void)
{
	Suite *s = suite_create("ctx");
	TCase *plain = tcase_create("lifetime");
	TCase *calls = tcase_create("calls");

	tcase_add_checked_fixture(plain, fk_reset, NULL);
	tcase_add_test(plain, open_refuses_null);
	tcase_add_test(plain, open_reports_open_errno);
	tcase_add_test(plain, open_fd_refuses_bad_fds);
	tcase_add_test(plain, open_fd_adopts_and_close_closes);
	suite_add_tcase(s, plain);

	tcase_add_checked_fixture(calls, unit_setup, unit_teardown);
	tcase_add_test(calls, destroy_passes_id);
	tcase_add_test(calls, destroy_reports_kernel_error);
	tcase_add_test(calls, option_get_and_set);
	tcase_add_test(calls, option_errors);
	tcase_add_test(calls, option_refuses_bad_input);
	suite_add_tcase(s, calls);
	return s;
}
