/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * vIOMMU driver data (in and out), HW queues, and mmap of the iommufd.
 * mmap is not an ioctl: it runs for real, on the fake kernel's /dev/null
 * (which, like a kernel before 6.17, has no mmap) and on a memfd.
 */
#define _GNU_SOURCE /* memfd_create */
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "suites.h"

#define DEV 4u
#define PARENT 2u
#define VIOMMU 5u
#define TOP_PAGE (UINT64_MAX - 4095)

/* What the driver finds in data and writes back, as the mock does. */
struct data_answer {
	uint32_t id;
	struct kabi_viommu_selftest seen;  /* the data as passed in */
	struct kabi_viommu_selftest out;   /* written back */
};

static void answer_viommu_data(void *arg, void *priv)
{
	struct kabi_viommu_alloc *cmd = arg;
	struct data_answer *a = priv;
	void *data = (void *)(uintptr_t)cmd->data_uptr;

	memcpy(&a->seen, data, sizeof(a->seen));
	memcpy(data, &a->out, sizeof(a->out));
	cmd->out_viommu_id = a->id;
}

static void answer_viommu_id(void *arg, void *priv)
{
	((struct kabi_viommu_alloc *)arg)->out_viommu_id =
		((struct data_answer *)priv)->id;
}

static void check_viommu_alloc(unsigned int n, uint32_t type,
			       uint32_t data_len, bool has_data)
{
	struct kabi_viommu_alloc v;

	FK_GET(n, KABI_IOMMU_VIOMMU_ALLOC, v);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(v.size, sizeof(v));
	ck_assert_uint_eq(v.flags, 0);
	ck_assert_uint_eq(v.type, type);
	ck_assert_uint_eq(v.dev_id, DEV);
	ck_assert_uint_eq(v.hwpt_id, PARENT);
	ck_assert_uint_eq(v.out_viommu_id, 0);
	ck_assert_uint_eq(v.data_len, data_len);
	ck_assert_uint_eq(v.reserved, 0);
	if (has_data)
		ck_assert_uint_ne(v.data_uptr, 0);
	else
		ck_assert_uint_eq(v.data_uptr, 0);
}

static void check_hw_queue_probe(unsigned int n)
{
	struct kabi_hw_queue_alloc p;
	struct kabi_hw_queue_alloc zero = { .size = sizeof(zero) };

	FK_GET(n, KABI_IOMMU_HW_QUEUE_ALLOC, p);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_mem_eq(&p, &zero, sizeof(p));
}

/* ---- vIOMMU with driver data ---------------------------------------- */

START_TEST(alloc_data_in_and_out)
{
	struct kabi_viommu_selftest data = { .in_data = 0xfacefeed };
	struct data_answer a = {
		.id = 0x31,
		.out = { .in_data = 0xfacefeed, .out_data = 0xfacefeed,
			 .out_mmap_offset = 0x1000, .out_mmap_length = 0x2000 },
	};
	uint32_t id = 0;

	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, answer_viommu_data, &a, 0);
	ck_assert_int_eq(iommunest_viommu_alloc_data(uctx, DEV, PARENT,
						     IOMMUNEST_VIOMMU_SELFTEST,
						     &data, sizeof(data), &id),
			 0);
	check_viommu_alloc(0, IOMMUNEST_VIOMMU_SELFTEST, sizeof(data), true);
	/* The driver saw the input, and its outputs came back. */
	ck_assert_uint_eq(a.seen.in_data, 0xfacefeed);
	ck_assert_uint_eq(a.seen.out_data, 0);
	ck_assert_uint_eq(a.seen.out_mmap_offset, 0);
	ck_assert_uint_eq(id, 0x31);
	ck_assert_mem_eq(&data, &a.out, sizeof(data));
}
END_TEST

START_TEST(alloc_data_failure_leaves_data)
{
	struct kabi_viommu_selftest data = { .in_data = 7 }, before = data;
	struct data_answer a = {
		.id = 0x31, .out = { .out_data = 9, .out_mmap_offset = 0x5000 },
	};
	uint32_t id = 42;

	/* The driver wrote its outputs, then the call failed. */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, answer_viommu_data, &a, ENOMEM);
	ck_assert_int_eq(iommunest_viommu_alloc_data(uctx, DEV, PARENT,
						     IOMMUNEST_VIOMMU_SELFTEST,
						     &data, sizeof(data), &id),
			 -ENOMEM);
	ck_assert_mem_eq(&data, &before, sizeof(data));
	ck_assert_uint_eq(id, 42);
	/* Linux 6.12: no vIOMMU call at all. */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 1,
						     &data, sizeof(data), &id),
			 -ENOSYS);
	ck_assert_uint_eq(fk_ncalls(), 2);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_data_e2big_old_kernel)
{
	uint8_t data[16] = { 1 };
	uint32_t id = 42;

	/* 6.13 to 6.16: the data fields are unknown trailing bytes, and
	 * the HW queue call of 6.17 is unknown too. */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, NULL, NULL, E2BIG);
	fk_expect(KABI_IOMMU_HW_QUEUE_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 2,
						     data, sizeof(data), &id),
			 -ENOSYS);
	check_viommu_alloc(0, 2, sizeof(data), true);
	check_hw_queue_probe(1);
	/* 6.17 and later: E2BIG is the driver's (data longer than its
	 * struct, with non-zero bytes beyond it). */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, NULL, NULL, E2BIG);
	fk_expect(KABI_IOMMU_HW_QUEUE_ALLOC, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 2,
						     data, sizeof(data), &id),
			 -E2BIG);
	check_hw_queue_probe(3);
	ck_assert_uint_eq(fk_ncalls(), 4);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_data_without_data)
{
	struct data_answer a = { .id = 0x77 };
	uint32_t id = 0;

	/* No data: exactly iommunest_viommu_alloc(). */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, answer_viommu_id, &a, 0);
	ck_assert_int_eq(iommunest_viommu_alloc_data(uctx, DEV, PARENT,
						     IOMMUNEST_VIOMMU_ARM_SMMUV3,
						     NULL, 0, &id), 0);
	check_viommu_alloc(0, IOMMUNEST_VIOMMU_ARM_SMMUV3, 0, false);
	ck_assert_uint_eq(id, 0x77);
	/* Its EOPNOTSUPP is not mistaken for an old kernel. */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 1,
						     NULL, 0, &id),
			 -EOPNOTSUPP);
	ck_assert_uint_eq(fk_ncalls(), 2);
}
END_TEST

START_TEST(alloc_data_refuses_bad_input)
{
	uint8_t data[24] = { 0 };
	void *endp = (void *)(UINTPTR_MAX & ~(uintptr_t)4095);
	uint32_t id = 42;

	ASSERT_REFUSED(iommunest_viommu_alloc_data(NULL, DEV, PARENT, 1, data,
						   sizeof(data), &id),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 1, data,
						   sizeof(data), NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 0, data,
						   sizeof(data), &id),
		       -EINVAL);
	/* data_len > 0 needs data; data needs a length. */
	ASSERT_REFUSED(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 1, NULL,
						   24, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 1, data,
						   0, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_viommu_alloc_data(uctx, DEV, PARENT, 1, endp,
						   8192, &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

/* ---- HW queues ------------------------------------------------------- */

static void answer_hw_queue(void *arg, void *priv)
{
	((struct kabi_hw_queue_alloc *)arg)->out_hw_queue_id =
		*(uint32_t *)priv;
}

START_TEST(hw_queue_passes_struct)
{
	struct kabi_hw_queue_alloc q;
	uint32_t want = 0x44, id = 0;

	fk_expect(KABI_IOMMU_HW_QUEUE_ALLOC, answer_hw_queue, &want, 0);
	ck_assert_int_eq(iommunest_hw_queue_alloc(uctx, VIOMMU,
						  IOMMUNEST_HW_QUEUE_SELFTEST,
						  1, 0x80000, 0x1000, &id), 0);
	ck_assert_uint_eq(id, 0x44);
	FK_GET(0, KABI_IOMMU_HW_QUEUE_ALLOC, q);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(q.size, sizeof(q));
	ck_assert_uint_eq(q.flags, 0);
	ck_assert_uint_eq(q.viommu_id, VIOMMU);
	ck_assert_uint_eq(q.type, IOMMUNEST_HW_QUEUE_SELFTEST);
	ck_assert_uint_eq(q.index, 1);
	ck_assert_uint_eq(q.out_hw_queue_id, 0);
	ck_assert_uint_eq(q.nesting_parent_iova, 0x80000);
	ck_assert_uint_eq(q.length, 0x1000);
}
END_TEST

START_TEST(hw_queue_accepts_range_at_top)
{
	uint32_t want = 1, id = 0;

	fk_expect(KABI_IOMMU_HW_QUEUE_ALLOC, answer_hw_queue, &want, 0);
	ck_assert_int_eq(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0,
						  TOP_PAGE, 4096, &id), 0);
	ck_assert_uint_eq(id, 1);
}
END_TEST

START_TEST(hw_queue_reports_kernel_error)
{
	uint32_t junk = 9, id = 42;

	fk_expect(KABI_IOMMU_HW_QUEUE_ALLOC, answer_hw_queue, &junk, EEXIST);
	ck_assert_int_eq(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0, 0x1000,
						  0x1000, &id), -EEXIST);
	/* Queue memory not contiguous in host memory. */
	fk_expect(KABI_IOMMU_HW_QUEUE_ALLOC, answer_hw_queue, &junk, EFAULT);
	ck_assert_int_eq(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0, 0x1000,
						  0x2000, &id), -EFAULT);
	/* Linux 6.12 to 6.16. */
	fk_expect(KABI_IOMMU_HW_QUEUE_ALLOC, answer_hw_queue, &junk, ENOTTY);
	ck_assert_int_eq(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0, 0x1000,
						  0x1000, &id), -ENOSYS);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(hw_queue_refuses_bad_input)
{
	uint32_t id = 42;

	ASSERT_REFUSED(iommunest_hw_queue_alloc(NULL, VIOMMU, 1, 0, 0, 4096,
						&id), -EINVAL);
	ASSERT_REFUSED(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0, 0, 4096,
						NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_hw_queue_alloc(uctx, VIOMMU, 0, 0, 0, 4096,
						&id), -EINVAL);
	ASSERT_REFUSED(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0, 0, 0,
						&id), -EINVAL);
	ASSERT_REFUSED(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0, TOP_PAGE,
						8192, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hw_queue_alloc(uctx, VIOMMU, 1, 0,
						UINT64_MAX, 2, &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

/* ---- mmap of the iommufd -------------------------------------------- */

static uint64_t page(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

START_TEST(mmap_old_kernel_is_enosys)
{
	void *addr = (void *)(uintptr_t)0x5a5a;

	/* /dev/null has no mmap, like an iommufd before 6.17 (ENODEV). */
	ASSERT_REFUSED(iommunest_mmap(uctx, page(), page(),
				      PROT_READ | PROT_WRITE, &addr),
		       -ENOSYS);
	ck_assert_ptr_eq(addr, (void *)(uintptr_t)0x5a5a);
}
END_TEST

START_TEST(mmap_maps_shared_at_offset)
{
	struct iommunest_ctx *ctx = NULL;
	uint32_t word = 0;
	void *addr = NULL;
	int fd = memfd_create("inest-mmap", MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)(3 * page())), 0);
	ck_assert_int_eq(iommunest_open_fd(fd, &ctx), 0);
	ck_assert_int_eq(iommunest_mmap(ctx, page(), 2 * page(),
					PROT_READ | PROT_WRITE, &addr), 0);
	ck_assert_ptr_nonnull(addr);
	/* Shared, at the offset: a store shows in the file there. */
	*(volatile uint32_t *)addr = 0xfacefeed;
	ck_assert_int_eq(pread(fd, &word, sizeof(word), (off_t)page()),
			 sizeof(word));
	ck_assert_uint_eq(word, 0xfacefeed);
	ck_assert_int_eq(munmap(addr, 2 * page()), 0);
	/* Read-only and PROT_NONE are fine too. */
	ck_assert_int_eq(iommunest_mmap(ctx, 0, page(), PROT_READ, &addr), 0);
	ck_assert_int_eq(munmap(addr, page()), 0);
	ck_assert_int_eq(iommunest_mmap(ctx, 0, page(), PROT_NONE, &addr), 0);
	ck_assert_int_eq(munmap(addr, page()), 0);
	ck_assert_int_eq(iommunest_close(ctx), 0);
	ck_assert_uint_eq(fk_ncalls(), 0);
}
END_TEST

START_TEST(mmap_refuses_bad_input)
{
	void *addr = (void *)(uintptr_t)0x5a5a;
	const int rw = PROT_READ | PROT_WRITE;

	ASSERT_REFUSED(iommunest_mmap(NULL, page(), page(), rw, &addr),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, page(), page(), rw, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, page(), 0, rw, &addr), -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, 1, page(), rw, &addr), -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, page() + 512, page(), rw, &addr),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, page(), page(), PROT_EXEC, &addr),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, page(), page(), rw | PROT_EXEC,
				      &addr), -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, page(), page(), 1 << 7, &addr),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, page(), page(), -1, &addr),
		       -EINVAL);
	/* Offsets beyond off_t. */
	ASSERT_REFUSED(iommunest_mmap(uctx, 1ull << 63, page(), rw, &addr),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_mmap(uctx, UINT64_MAX & ~(page() - 1),
				      page(), rw, &addr), -EINVAL);
	ck_assert_ptr_eq(addr, (void *)(uintptr_t)0x5a5a);
}
END_TEST

START_TEST(mmap_closed_descriptor)
{
	struct iommunest_ctx *ctx = NULL;
	void *addr = (void *)(uintptr_t)0x5a5a;
	int fd = fk_open_fd();

	ck_assert_int_eq(iommunest_open_fd(fd, &ctx), 0);
	close(fd);
	ck_assert_int_eq(iommunest_mmap(ctx, page(), page(), PROT_READ,
					&addr), -EBADF);
	ck_assert_ptr_eq(addr, (void *)(uintptr_t)0x5a5a);
	ck_assert_int_eq(iommunest_close(ctx), -EBADF);
}
END_TEST

Suite *suite_viommu(void)
{
	Suite *s = suite_create("viommu 0.2");
	TCase *data = tcase_create("driver data");
	TCase *queue = tcase_create("hw queue");
	TCase *map = tcase_create("mmap");

	tcase_add_checked_fixture(data, unit_setup, unit_teardown);
	tcase_add_test(data, alloc_data_in_and_out);
	tcase_add_test(data, alloc_data_failure_leaves_data);
	tcase_add_test(data, alloc_data_e2big_old_kernel);
	tcase_add_test(data, alloc_data_without_data);
	tcase_add_test(data, alloc_data_refuses_bad_input);
	suite_add_tcase(s, data);

	tcase_add_checked_fixture(queue, unit_setup, unit_teardown);
	tcase_add_test(queue, hw_queue_passes_struct);
	tcase_add_test(queue, hw_queue_accepts_range_at_top);
	tcase_add_test(queue, hw_queue_reports_kernel_error);
	tcase_add_test(queue, hw_queue_refuses_bad_input);
	suite_add_tcase(s, queue);

	tcase_add_checked_fixture(map, unit_setup, unit_teardown);
	tcase_add_test(map, mmap_old_kernel_is_enosys);
	tcase_add_test(map, mmap_maps_shared_at_offset);
	tcase_add_test(map, mmap_refuses_bad_input);
	tcase_add_test(map, mmap_closed_descriptor);
	suite_add_tcase(s, map);
	return s;
}
