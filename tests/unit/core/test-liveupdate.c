/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Live update: IOMMU_IOAS_MAP_FILE (fixed and kernel-picked IOVA) and
 * IOMMU_IOAS_CHANGE_PROCESS.  The files are real memfds, so the
 * library's own check of the file's size runs against a real fstat.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "suites.h"

#define MFD_SIZE 0x10000ull /* 64 KiB */
#define IOAS 7u
#define RW (IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE)
#define TOP_PAGE (UINT64_MAX - 4095)

static int mfd; /* a memfd of MFD_SIZE bytes */

static void lu_setup(void)
{
	unit_setup();
	mfd = memfd_create("inest-unit", MFD_CLOEXEC);
	ck_assert_int_ge(mfd, 0);
	ck_assert_int_eq(ftruncate(mfd, (off_t)MFD_SIZE), 0);
}

static void lu_teardown(void)
{
	close(mfd);
	unit_teardown();
}

static int closed_fd(void)
{
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

static void answer_iova(void *arg, void *priv)
{
	((struct kabi_ioas_map_file *)arg)->iova = *(uint64_t *)priv;
}

/* The n-th call is MAP_FILE with exactly these fields. */
static void check_map_file(unsigned int n, int fd, uint64_t start,
			   uint64_t length, uint64_t iova, uint32_t kflags)
{
	struct kabi_ioas_map_file m;

	FK_GET(n, KABI_IOMMU_IOAS_MAP_FILE, m);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(m.size, sizeof(m));
	ck_assert_uint_eq(m.flags, kflags);
	ck_assert_uint_eq(m.ioas_id, IOAS);
	ck_assert_int_eq(m.fd, fd);
	ck_assert_uint_eq(m.start, start);
	ck_assert_uint_eq(m.length, length);
	ck_assert_uint_eq(m.iova, iova);
}

/* ---- IOMMU_IOAS_MAP_FILE, fixed IOVA ------------------------------- */

START_TEST(map_file_passes_fixed_struct)
{
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, mfd, 0x1000,
						 0x2000, 0x100000, RW), 0);
	check_map_file(0, mfd, 0x1000, 0x2000, 0x100000,
		       KABI_MAP_FIXED_IOVA | KABI_MAP_READABLE |
		       KABI_MAP_WRITEABLE);
}
END_TEST

START_TEST(map_file_maps_each_permission)
{
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000, 0,
						 IOMMUNEST_MAP_READ), 0);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000, 0,
						 IOMMUNEST_MAP_WRITE), 0);
	check_map_file(0, mfd, 0, 0x1000, 0,
		       KABI_MAP_FIXED_IOVA | KABI_MAP_READABLE);
	check_map_file(1, mfd, 0, 0x1000, 0,
		       KABI_MAP_FIXED_IOVA | KABI_MAP_WRITEABLE);
}
END_TEST

START_TEST(map_file_accepts_whole_file_and_top_iova)
{
	/* The whole file, ending exactly at its end, at the top page. */
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, MFD_SIZE,
						 0, RW), 0);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, mfd,
						 MFD_SIZE - 0x1000, 0x1000,
						 TOP_PAGE, RW), 0);
	check_map_file(1, mfd, MFD_SIZE - 0x1000, 0x1000, TOP_PAGE,
		       KABI_MAP_FIXED_IOVA | KABI_MAP_READABLE |
		       KABI_MAP_WRITEABLE);
}
END_TEST

START_TEST(map_file_refuses_past_end_of_memfd)
{
	/* One byte past the end, from the start or from inside. */
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0,
					       MFD_SIZE + 1, 0, RW), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0x1000,
					       MFD_SIZE, 0, RW), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, MFD_SIZE, 1,
					       0, RW), -EINVAL);
	/* A range that ends at 2^64 must not wrap round to look small. */
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, TOP_PAGE,
					       0x1000, 0, RW), -EINVAL);
	/* An empty memfd holds nothing at all. */
	ck_assert_int_eq(ftruncate(mfd, 0), 0);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000,
					       0, RW), -EINVAL);
}
END_TEST

START_TEST(map_file_leaves_other_files_to_kernel)
{
	int pfd[2];

	/* Not a regular file: its size means nothing, the kernel judges. */
	ck_assert_int_eq(pipe(pfd), 0);
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, EBADF);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, pfd[0], 0,
						 0x100000, 0, RW), -EBADF);
	check_map_file(0, pfd[0], 0, 0x100000, 0,
		       KABI_MAP_FIXED_IOVA | KABI_MAP_READABLE |
		       KABI_MAP_WRITEABLE);
	close(pfd[0]);
	close(pfd[1]);
}
END_TEST

START_TEST(map_file_reports_kernel_error)
{
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, EEXIST);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000,
						 0x1000, RW), -EEXIST);
	/* Linux 6.12 has no such call: ENOTTY reads "not supported". */
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000,
						 0x1000, RW), -ENOSYS);
}
END_TEST

START_TEST(map_file_refuses_bad_input)
{
	ASSERT_REFUSED(iommunest_ioas_map_file(NULL, IOAS, mfd, 0, 0x1000, 0,
					       RW), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000, 0,
					       0), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000, 0,
					       RW | 1u << 2), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x1000, 0,
					       UINT32_MAX), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0, 0, RW),
		       -EINVAL);
	/* start + length and iova + length past 2^64. */
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, UINT64_MAX, 2,
					       0, RW), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, 0x2000,
					       TOP_PAGE, RW), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, mfd, 0, UINT64_MAX,
					       0, RW), -EINVAL);
	/* Descriptors. */
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, -1, 0, 0x1000, 0,
					       RW), -EBADF);
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, closed_fd(), 0,
					       0x1000, 0, RW), -EBADF);
	/* A bad length is reported before a bad descriptor. */
	ASSERT_REFUSED(iommunest_ioas_map_file(uctx, IOAS, -1, 0, 0, 0, RW),
		       -EINVAL);
}
END_TEST

/* ---- IOMMU_IOAS_MAP_FILE, kernel-picked IOVA ----------------------- */

START_TEST(map_file_any_returns_kernel_iova)
{
	uint64_t want = 0x7f0000, iova = 0;

	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, answer_iova, &want, 0);
	ck_assert_int_eq(iommunest_ioas_map_file_any(uctx, IOAS, mfd, 0x3000,
						     0x4000, IOMMUNEST_MAP_READ,
						     &iova), 0);
	ck_assert_uint_eq(iova, 0x7f0000);
	/* No FIXED_IOVA, and the IOVA goes in as 0. */
	check_map_file(0, mfd, 0x3000, 0x4000, 0, KABI_MAP_READABLE);
}
END_TEST

START_TEST(map_file_any_reports_kernel_error)
{
	uint64_t junk = 0x5000, iova = 42;

	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, answer_iova, &junk, ENOSPC);
	ck_assert_int_eq(iommunest_ioas_map_file_any(uctx, IOAS, mfd, 0,
						     0x1000, RW, &iova),
			 -ENOSPC);
	ck_assert_uint_eq(iova, 42);
	fk_expect(KABI_IOMMU_IOAS_MAP_FILE, answer_iova, &junk, ENOTTY);
	ck_assert_int_eq(iommunest_ioas_map_file_any(uctx, IOAS, mfd, 0,
						     0x1000, RW, &iova),
			 -ENOSYS);
	ck_assert_uint_eq(iova, 42);
}
END_TEST

START_TEST(map_file_any_refuses_bad_input)
{
	uint64_t iova = 42;

	ASSERT_REFUSED(iommunest_ioas_map_file_any(uctx, IOAS, mfd, 0, 0x1000,
						   RW, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file_any(NULL, IOAS, mfd, 0, 0x1000,
						   RW, &iova), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file_any(uctx, IOAS, mfd, 0, 0x1000,
						   0, &iova), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file_any(uctx, IOAS, mfd, 0, 0, RW,
						   &iova), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file_any(uctx, IOAS, mfd,
						   UINT64_MAX, 1, RW, &iova),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file_any(uctx, IOAS, mfd, 0,
						   MFD_SIZE + 0x1000, RW,
						   &iova), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_file_any(uctx, IOAS, -1, 0, 0x1000,
						   RW, &iova), -EBADF);
	ck_assert_uint_eq(iova, 42);
}
END_TEST

/* ---- IOMMU_IOAS_CHANGE_PROCESS --------------------------------------- */

START_TEST(change_process_passes_struct)
{
	struct kabi_ioas_change_process c;

	fk_expect(KABI_IOMMU_IOAS_CHANGE_PROCESS, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_change_process(uctx), 0);
	FK_GET(0, KABI_IOMMU_IOAS_CHANGE_PROCESS, c);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.reserved, 0);
}
END_TEST

START_TEST(change_process_reports_kernel_error)
{
	/* A mapping not made from a file somewhere in the context. */
	fk_expect(KABI_IOMMU_IOAS_CHANGE_PROCESS, NULL, NULL, EINVAL);
	ck_assert_int_eq(iommunest_ioas_change_process(uctx), -EINVAL);
	/* The new process's RLIMIT_MEMLOCK cannot hold the pinned pages. */
	fk_expect(KABI_IOMMU_IOAS_CHANGE_PROCESS, NULL, NULL, ENOMEM);
	ck_assert_int_eq(iommunest_ioas_change_process(uctx), -ENOMEM);
	/* Linux 6.12 and 6.13 have no such call. */
	fk_expect(KABI_IOMMU_IOAS_CHANGE_PROCESS, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_ioas_change_process(uctx), -ENOSYS);
}
END_TEST

START_TEST(change_process_refuses_bad_input)
{
	ASSERT_REFUSED(iommunest_ioas_change_process(NULL), -EINVAL);
}
END_TEST

Suite *suite_liveupdate(void)
{
	Suite *s = suite_create("live update");
	TCase *map = tcase_create("map file");
	TCase *any = tcase_create("map file any");
	TCase *chg = tcase_create("change process");

	tcase_add_checked_fixture(map, lu_setup, lu_teardown);
	tcase_add_test(map, map_file_passes_fixed_struct);
	tcase_add_test(map, map_file_maps_each_permission);
	tcase_add_test(map, map_file_accepts_whole_file_and_top_iova);
	tcase_add_test(map, map_file_refuses_past_end_of_memfd);
	tcase_add_test(map, map_file_leaves_other_files_to_kernel);
	tcase_add_test(map, map_file_reports_kernel_error);
	tcase_add_test(map, map_file_refuses_bad_input);
	suite_add_tcase(s, map);

	tcase_add_checked_fixture(any, lu_setup, lu_teardown);
	tcase_add_test(any, map_file_any_returns_kernel_iova);
	tcase_add_test(any, map_file_any_reports_kernel_error);
	tcase_add_test(any, map_file_any_refuses_bad_input);
	suite_add_tcase(s, any);

	tcase_add_checked_fixture(chg, unit_setup, unit_teardown);
	tcase_add_test(chg, change_process_passes_struct);
	tcase_add_test(chg, change_process_reports_kernel_error);
	tcase_add_test(chg, change_process_refuses_bad_input);
	suite_add_tcase(s, chg);
	return s;
}
