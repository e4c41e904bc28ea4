/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * PASID attach, replace and detach of VFIO device cdevs: the longer
 * VFIO structs with the PASID flag, and how the EINVAL of a kernel
 * before 6.15 (which knows no flags) is told from a newer kernel's.
 */
#include <stdint.h>
#include <unistd.h>

#include "suites.h"

#define PASID 100u
#define PT 0x21u

static int vfio_fd;

static void pasid_setup(void)
{
	unit_setup();
	vfio_fd = fk_open_fd();
	ck_assert_int_ge(vfio_fd, 0);
}

static void pasid_teardown(void)
{
	close(vfio_fd);
	unit_teardown();
}

static int closed_fd(void)
{
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

typedef int (*attach_fn)(struct iommunest_ctx *, int, uint32_t, uint32_t);

static void check_attach(unsigned int n, uint32_t pasid, uint32_t pt_id)
{
	struct kabi_vfio_attach_pt_pasid a;

	FK_GET(n, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, a);
	/* Issued on the device, not on the iommufd. */
	ck_assert_int_eq(fk_call(n)->fd, vfio_fd);
	ck_assert_uint_eq(a.argsz, 16);
	ck_assert_uint_eq(a.flags, KABI_VFIO_DEVICE_ATTACH_PASID);
	ck_assert_uint_eq(a.pt_id, pt_id);
	ck_assert_uint_eq(a.pasid, pasid);
}

/* The probe that tells an old kernel from a new one: a zeroed vEVENTQ
 * allocation on the iommufd. */
static void check_probe(unsigned int n)
{
	struct kabi_veventq_alloc v;
	struct kabi_veventq_alloc zero = { .size = sizeof(zero) };

	FK_GET(n, KABI_IOMMU_VEVENTQ_ALLOC, v);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_mem_eq(&v, &zero, sizeof(v));
}

static void attach_passes_struct(attach_fn fn)
{
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, 0);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, 0);
	ck_assert_int_eq(fn(uctx, vfio_fd, PASID, PT), 0);
	/* Both ends of the 20-bit PASID space. */
	ck_assert_int_eq(fn(uctx, vfio_fd, (1u << 20) - 1, UINT32_MAX), 0);
	ck_assert_uint_eq(fk_ncalls(), 2);
	check_attach(0, PASID, PT);
	check_attach(1, (1u << 20) - 1, UINT32_MAX);
}

START_TEST(attach_passes_pasid_struct)
{
	attach_passes_struct(iommunest_device_pasid_attach);
}
END_TEST

START_TEST(replace_passes_pasid_struct)
{
	/* VFIO replaces when the PASID is attached: the same request. */
	attach_passes_struct(iommunest_device_pasid_replace);
}
END_TEST

START_TEST(attach_passes_kernel_errors)
{
	/* Errors no old kernel gives pass straight through, no probe. */
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_device_pasid_attach(uctx, vfio_fd, PASID,
						       PT), -EOPNOTSUPP);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, ENOENT);
	ck_assert_int_eq(iommunest_device_pasid_replace(uctx, vfio_fd, PASID,
							PT), -ENOENT);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EBUSY);
	ck_assert_int_eq(iommunest_device_pasid_attach(uctx, vfio_fd, PASID,
						       PT), -EBUSY);
	ck_assert_uint_eq(fk_ncalls(), 3);
}
END_TEST

START_TEST(attach_einval_of_new_kernel)
{
	/* 6.15 and later: the vEVENTQ call exists (EOPNOTSUPP for a zeroed
	 * request), so EINVAL is the kernel's verdict on the HWPT. */
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_device_pasid_attach(uctx, vfio_fd, PASID,
						       PT), -EINVAL);
	check_attach(0, PASID, PT);
	check_probe(1);
	ck_assert_uint_eq(fk_ncalls(), 2);
}
END_TEST

START_TEST(attach_einval_of_old_kernel)
{
	/* Linux 6.12: VFIO refuses any flag with EINVAL, the iommufd has no
	 * vEVENTQ call (ENOTTY): "not supported by this kernel". */
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_device_pasid_attach(uctx, vfio_fd, PASID,
						       PT), -ENOSYS);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_device_pasid_replace(uctx, vfio_fd, PASID,
							PT), -ENOSYS);
	check_probe(1);
	check_probe(3);
}
END_TEST

static void refuses_bad_input(attach_fn fn)
{
	ASSERT_REFUSED(fn(NULL, vfio_fd, PASID, PT), -EINVAL);
	ASSERT_REFUSED(fn(uctx, vfio_fd, 0, PT), -EINVAL);
	ASSERT_REFUSED(fn(uctx, vfio_fd, 1u << 20, PT), -EINVAL);
	ASSERT_REFUSED(fn(uctx, vfio_fd, UINT32_MAX, PT), -EINVAL);
	ASSERT_REFUSED(fn(uctx, -1, PASID, PT), -EBADF);
	ASSERT_REFUSED(fn(uctx, closed_fd(), PASID, PT), -EBADF);
	/* A bad PASID is reported before a bad descriptor. */
	ASSERT_REFUSED(fn(uctx, -1, 0, PT), -EINVAL);
}

START_TEST(attach_refuses_bad_input)
{
	refuses_bad_input(iommunest_device_pasid_attach);
}
END_TEST

START_TEST(replace_refuses_bad_input)
{
	refuses_bad_input(iommunest_device_pasid_replace);
}
END_TEST

/* ---- detach ---------------------------------------------------------- */

START_TEST(detach_passes_pasid_struct)
{
	struct kabi_vfio_detach_pt_pasid d;

	fk_expect(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_device_pasid_detach(uctx, vfio_fd, 1), 0);
	FK_GET(0, KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, d);
	ck_assert_int_eq(fk_call(0)->fd, vfio_fd);
	ck_assert_uint_eq(d.argsz, 12);
	ck_assert_uint_eq(d.flags, KABI_VFIO_DEVICE_DETACH_PASID);
	ck_assert_uint_eq(d.pasid, 1);
	ck_assert_uint_eq(fk_ncalls(), 1);
}
END_TEST

START_TEST(detach_kernel_answers)
{
	/* A device whose driver has no PASID support. */
	fk_expect(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_device_pasid_detach(uctx, vfio_fd, PASID),
			 -EOPNOTSUPP);
	/* Linux 6.12. */
	fk_expect(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_device_pasid_detach(uctx, vfio_fd, PASID),
			 -ENOSYS);
	/* A newer kernel's EINVAL stays EINVAL. */
	fk_expect(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_device_pasid_detach(uctx, vfio_fd, PASID),
			 -EINVAL);
	check_probe(2);
	check_probe(4);
}
END_TEST

START_TEST(detach_refuses_bad_input)
{
	ASSERT_REFUSED(iommunest_device_pasid_detach(NULL, vfio_fd, PASID),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_device_pasid_detach(uctx, vfio_fd, 0),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_device_pasid_detach(uctx, vfio_fd, 1u << 20),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_device_pasid_detach(uctx, -1, PASID),
		       -EBADF);
	ASSERT_REFUSED(iommunest_device_pasid_detach(uctx, closed_fd(),
						     PASID), -EBADF);
}
END_TEST

/* ---- the 0.1 calls are unchanged ------------------------------------ */

START_TEST(whole_device_calls_unchanged)
{
	struct kabi_vfio_attach_pt a;
	struct kabi_vfio_detach_pt d;

	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, 0);
	fk_expect(KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_device_attach(uctx, vfio_fd, PT), 0);
	ck_assert_int_eq(iommunest_device_detach(uctx, vfio_fd), 0);
	FK_GET(0, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, a);
	ck_assert_uint_eq(a.argsz, 12);
	ck_assert_uint_eq(a.flags, 0);
	FK_GET(1, KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT, d);
	ck_assert_uint_eq(d.argsz, 8);
	ck_assert_uint_eq(d.flags, 0);
	/* Their EINVAL is not probed. */
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	ck_assert_int_eq(iommunest_device_attach(uctx, vfio_fd, PT), -EINVAL);
	ck_assert_uint_eq(fk_ncalls(), 3);
}
END_TEST

Suite *suite_pasid(void)
{
	Suite *s = suite_create("pasid");
	TCase *att = tcase_create("attach");
	TCase *det = tcase_create("detach");

	tcase_add_checked_fixture(att, pasid_setup, pasid_teardown);
	tcase_add_test(att, attach_passes_pasid_struct);
	tcase_add_test(att, replace_passes_pasid_struct);
	tcase_add_test(att, attach_passes_kernel_errors);
	tcase_add_test(att, attach_einval_of_new_kernel);
	tcase_add_test(att, attach_einval_of_old_kernel);
	tcase_add_test(att, attach_refuses_bad_input);
	tcase_add_test(att, replace_refuses_bad_input);
	suite_add_tcase(s, att);

	tcase_add_checked_fixture(det, pasid_setup, pasid_teardown);
	tcase_add_test(det, detach_passes_pasid_struct);
	tcase_add_test(det, detach_kernel_answers);
	tcase_add_test(det, detach_refuses_bad_input);
	tcase_add_test(det, whole_device_calls_unchanged);
	suite_add_tcase(s, det);
	return s;
}
