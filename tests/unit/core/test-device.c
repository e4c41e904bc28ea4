/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* VFIO device cdevs: bind, attach, replace and detach. */
#include <unistd.h>

#include "suites.h"

/* A number that was an fd a moment ago: fd checks must reject it. */
static int closed_fd(void)
{
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

static int vfio_fd(void)
{
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	return fd;
}

static void answer_devid(void *arg, void *priv)
{
	((struct kabi_vfio_bind_iommufd *)arg)->out_devid = *(uint32_t *)priv;
}

/* ---- VFIO_DEVICE_BIND_IOMMUFD ------------------------------------- */

START_TEST(bind_passes_struct_and_returns_devid)
{
	struct kabi_vfio_bind_iommufd b;
	uint32_t want = 0x51, dev = 0;
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_BIND_IOMMUFD, answer_devid, &want, 0);
	ck_assert_int_eq(iommunest_device_bind(uctx, fd, &dev), 0);
	ck_assert_uint_eq(dev, 0x51);
	FK_GET(0, KABI_VFIO_DEVICE_BIND_IOMMUFD, b);
	/* Issued on the device, naming the iommufd inside the struct. */
	ck_assert_int_eq(fk_call(0)->fd, fd);
	ck_assert_uint_eq(b.argsz, sizeof(b));
	ck_assert_uint_eq(b.flags, 0);
	ck_assert_int_eq(b.iommufd, iommunest_fd(uctx));
	ck_assert_uint_eq(b.out_devid, 0);
	close(fd);
}
END_TEST

START_TEST(bind_reports_kernel_error)
{
	uint32_t junk = 9, dev = 42;
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_BIND_IOMMUFD, answer_devid, &junk, EBUSY);
	ck_assert_int_eq(iommunest_device_bind(uctx, fd, &dev), -EBUSY);
	ck_assert_uint_eq(dev, 42);
	close(fd);
}
END_TEST

START_TEST(bind_refuses_bad_input)
{
	uint32_t dev = 42;
	int fd = vfio_fd();

	ASSERT_REFUSED(iommunest_device_bind(NULL, fd, &dev), -EINVAL);
	ASSERT_REFUSED(iommunest_device_bind(uctx, fd, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_device_bind(uctx, -1, &dev), -EBADF);
	ASSERT_REFUSED(iommunest_device_bind(uctx, closed_fd(), &dev), -EBADF);
	ck_assert_uint_eq(dev, 42);
	close(fd);
}
END_TEST

/* ---- VFIO_DEVICE_ATTACH_IOMMUFD_PT -------------------------------- */

START_TEST(attach_passes_struct)
{
	struct kabi_vfio_attach_pt a;
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_device_attach(uctx, fd, 0x77), 0);
	FK_GET(0, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, a);
	ck_assert_int_eq(fk_call(0)->fd, fd);
	ck_assert_uint_eq(a.argsz, sizeof(a));
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_uint_eq(a.pt_id, 0x77);
	close(fd);
}
END_TEST

START_TEST(attach_reports_kernel_error)
{
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	ck_assert_int_eq(iommunest_device_attach(uctx, fd, 1), -EINVAL);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, ENODEV);
	ck_assert_int_eq(iommunest_device_attach(uctx, fd, 1), -ENODEV);
	close(fd);
}
END_TEST

START_TEST(attach_refuses_bad_input)
{
	int fd = vfio_fd();

	ASSERT_REFUSED(iommunest_device_attach(NULL, fd, 1), -EINVAL);
	ASSERT_REFUSED(iommunest_device_attach(uctx, -1, 1), -EBADF);
	ASSERT_REFUSED(iommunest_device_attach(uctx, closed_fd(), 1), -EBADF);
	close(fd);
}
END_TEST

/* ---- replace: the same ioctl on an attached device ---------------- */

START_TEST(replace_reattaches_with_new_pt)
{
	struct kabi_vfio_attach_pt a;
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, 0);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_device_attach(uctx, fd, 3), 0);
	ck_assert_int_eq(iommunest_device_replace(uctx, fd, 4), 0);
	ck_assert_uint_eq(fk_ncalls(), 2);
	FK_GET(1, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, a);
	ck_assert_int_eq(fk_call(1)->fd, fd);
	ck_assert_uint_eq(a.argsz, sizeof(a));
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_uint_eq(a.pt_id, 4);
	close(fd);
}
END_TEST

START_TEST(replace_reports_kernel_error)
{
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EBUSY);
	ck_assert_int_eq(iommunest_device_replace(uctx, fd, 4), -EBUSY);
	close(fd);
}
END_TEST

START_TEST(replace_refuses_bad_input)
{
	int fd = vfio_fd();

	ASSERT_REFUSED(iommunest_device_replace(NULL, fd, 1), -EINVAL);
	ASSERT_REFUSED(iommunest_device_replace(uctx, -1, 1), -EBADF);
	ASSERT_REFUSED(iommunest_device_replace(uctx, closed_fd(), 1),
		       -EBADF);
	close(fd);
}
END_TEST

/* ---- VFIO_DEVICE_DETACH_IOMMUFD_PT -------------------------------- */

START_TEST(detach_passes_struct)
{
	struct kabi_vfio_detach_pt d;
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_device_detach(uctx, fd), 0);
	FK_GET(0, KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, d);
	ck_assert_int_eq(fk_call(0)->fd, fd);
	ck_assert_uint_eq(d.argsz, sizeof(d));
	ck_assert_uint_eq(d.flags, 0);
	close(fd);
}
END_TEST

START_TEST(detach_reports_kernel_error)
{
	int fd = vfio_fd();

	fk_expect(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL, NULL, ENODEV);
	ck_assert_int_eq(iommunest_device_detach(uctx, fd), -ENODEV);
	close(fd);
}
END_TEST

START_TEST(detach_refuses_bad_input)
{
	int fd = vfio_fd();

	ASSERT_REFUSED(iommunest_device_detach(NULL, fd), -EINVAL);
	ASSERT_REFUSED(iommunest_device_detach(uctx, -1), -EBADF);
	ASSERT_REFUSED(iommunest_device_detach(uctx, closed_fd()), -EBADF);
	close(fd);
}
END_TEST

Suite *suite_device(void)
{
	Suite *s = suite_create("device");
	TCase *tc = tcase_create("calls");

	tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
	tcase_add_test(tc, bind_passes_struct_and_returns_devid);
	tcase_add_test(tc, bind_reports_kernel_error);
	tcase_add_test(tc, bind_refuses_bad_input);
	tcase_add_test(tc, attach_passes_struct);
	tcase_add_test(tc, attach_reports_kernel_error);
	tcase_add_test(tc, attach_refuses_bad_input);
	tcase_add_test(tc, replace_reattaches_with_new_pt);
	tcase_add_test(tc, replace_reports_kernel_error);
	tcase_add_test(tc, replace_refuses_bad_input);
	tcase_add_test(tc, detach_passes_struct);
	tcase_add_test(tc, detach_reports_kernel_error);
	tcase_add_test(tc, detach_refuses_bad_input);
	suite_add_tcase(s, tc);
	return s;
}
