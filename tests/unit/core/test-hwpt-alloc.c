/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* IOMMU_HWPT_ALLOC in its general form and the AMD guest typed form. */
#include <stdint.h>

#include "suites.h"

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* What the kernel saw, read while the call ran (typed forms pass a
 * buffer that is gone once they return). */
struct alloc_seen {
	uint32_t out_id;
	uint32_t data_len;
	unsigned char data[64];
};

static void answer_and_read_data(void *arg, void *priv)
{
	struct kabi_hwpt_alloc *cmd = arg;
	struct alloc_seen *s = priv;

	cmd->out_hwpt_id = s->out_id;
	s->data_len = cmd->data_len;
	if (cmd->data_uptr && cmd->data_len <= sizeof(s->data))
		memcpy(s->data, (const void *)(uintptr_t)cmd->data_uptr,
		       cmd->data_len);
}

/* Call n is IOMMU_HWPT_ALLOC on the iommufd with exactly these fields. */
static void check_alloc(unsigned int n, const struct kabi_hwpt_alloc *want)
{
	struct kabi_hwpt_alloc h;

	FK_GET(n, KABI_IOMMU_HWPT_ALLOC, h);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(h.size, sizeof(h));
	ck_assert_uint_eq(h.flags, want->flags);
	ck_assert_uint_eq(h.dev_id, want->dev_id);
	ck_assert_uint_eq(h.pt_id, want->pt_id);
	ck_assert_uint_eq(h.out_hwpt_id, 0);
	ck_assert_uint_eq(h.reserved, 0);
	ck_assert_uint_eq(h.data_type, want->data_type);
	ck_assert_uint_eq(h.data_len, want->data_len);
	ck_assert_uint_eq(h.data_uptr, want->data_uptr);
	ck_assert_uint_eq(h.fault_id, want->fault_id);
	ck_assert_uint_eq(h.reserved2, 0);
}

/* ---- iommunest_hwpt_alloc() --------------------------------------- */

START_TEST(alloc_paging_flags)
{
	static const struct {
		uint32_t flags, kflags, fault_id;
	} cases[] = {
		{ 0, 0, 0 },
		{ IOMMUNEST_HWPT_NEST_PARENT, KABI_HWPT_ALLOC_NEST_PARENT, 0 },
		{ IOMMUNEST_HWPT_DIRTY_TRACKING,
		  KABI_HWPT_ALLOC_DIRTY_TRACKING, 0 },
		{ IOMMUNEST_HWPT_FAULT, KABI_HWPT_FAULT_ID_VALID, 0x31 },
		/* FAULT with fault_id 0: the kernel's to refuse */
		{ IOMMUNEST_HWPT_FAULT, KABI_HWPT_FAULT_ID_VALID, 0 },
		{ IOMMUNEST_HWPT_PASID, KABI_HWPT_ALLOC_PASID, 0 },
		{ IOMMUNEST_HWPT_NEST_PARENT | IOMMUNEST_HWPT_DIRTY_TRACKING |
		  IOMMUNEST_HWPT_FAULT | IOMMUNEST_HWPT_PASID,
		  KABI_HWPT_ALLOC_NEST_PARENT |
		  KABI_HWPT_ALLOC_DIRTY_TRACKING | KABI_HWPT_FAULT_ID_VALID |
		  KABI_HWPT_ALLOC_PASID, 0xfffffffeu },
	};
	unsigned int i, n = sizeof(cases) / sizeof(cases[0]);

	for (i = 0; i < n; i++) {
		struct iommunest_hwpt_args a = {
			.dev_id = 5, .pt_id = 6 + i, .flags = cases[i].flags,
			.fault_id = cases[i].fault_id,
		};
		struct alloc_seen s = { .out_id = 100 + i };
		struct kabi_hwpt_alloc want = {
			.flags = cases[i].kflags, .dev_id = 5, .pt_id = 6 + i,
			.fault_id = cases[i].fault_id,
		};
		uint32_t id = 0;

		fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_and_read_data, &s, 0);
		ck_assert_int_eq(iommunest_hwpt_alloc(uctx, &a, &id), 0);
		ck_assert_uint_eq(id, 100 + i);
		check_alloc(i, &want);
	}
}
END_TEST

START_TEST(alloc_nested_passes_data)
{
	/* A type the library does not know: the data goes through as is. */
	const unsigned char data[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	struct iommunest_hwpt_args a = {
		.dev_id = 7, .pt_id = 8,
		.flags = IOMMUNEST_HWPT_FAULT | IOMMUNEST_HWPT_PASID,
		.fault_id = 9, .data_type = 0x1234, .data_len = sizeof(data),
		.data = data,
	};
	struct kabi_hwpt_alloc want = {
		.flags = KABI_HWPT_FAULT_ID_VALID | KABI_HWPT_ALLOC_PASID,
		.dev_id = 7, .pt_id = 8, .data_type = 0x1234,
		.data_len = sizeof(data), .data_uptr = uptr(data),
		.fault_id = 9,
	};
	struct alloc_seen s = { .out_id = 0x55 };
	uint32_t id = 0;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_and_read_data, &s, 0);
	ck_assert_int_eq(iommunest_hwpt_alloc(uctx, &a, &id), 0);
	ck_assert_uint_eq(id, 0x55);
	/* The caller's own buffer, not a copy. */
	check_alloc(0, &want);
	ck_assert_uint_eq(s.data_len, sizeof(data));
	ck_assert_mem_eq(s.data, data, sizeof(data));
}
END_TEST

START_TEST(alloc_reports_kernel_error)
{
	static const int errs[] = { EOPNOTSUPP, ENOENT, EINVAL, ENOMEM };
	struct iommunest_hwpt_args a = {
		.dev_id = 1, .pt_id = 2, .flags = IOMMUNEST_HWPT_PASID,
	};
	struct alloc_seen s = { .out_id = 9 };
	uint32_t id = 42;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_and_read_data, &s,
			  errs[i]);
		ck_assert_int_eq(iommunest_hwpt_alloc(uctx, &a, &id),
				 -errs[i]);
	}
	/* No HWPT_ALLOC at all (before 6.6, or not an iommufd). */
	fk_expect(KABI_IOMMU_HWPT_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_hwpt_alloc(uctx, &a, &id), -ENOSYS);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_refuses_bad_input)
{
	const uint32_t data = 1;
	const struct iommunest_hwpt_args good = { .dev_id = 1, .pt_id = 2 };
	struct iommunest_hwpt_args a;
	uint32_t id = 42;

	ASSERT_REFUSED(iommunest_hwpt_alloc(NULL, &good, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, NULL, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &good, NULL), -EINVAL);
	/* Unknown flags. */
	a = good;
	a.flags = 1u << 4;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	a.flags = UINT32_MAX;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	/* A fault ID without FAULT. */
	a = good;
	a.fault_id = 3;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	/* Paging (type 0) takes no data. */
	a = good;
	a.data = &data;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	a.data = NULL;
	a.data_len = 4;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	a.data = &data;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	/* Any other type needs data. */
	a = good;
	a.data_type = IOMMUNEST_HWPT_DATA_SELFTEST;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	a.data_len = 4;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	a.data_len = 0;
	a.data = &data;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	/* Data running past the end of the address space. */
	a.data = (const void *)(UINTPTR_MAX - 1);
	a.data_len = 4;
	ASSERT_REFUSED(iommunest_hwpt_alloc(uctx, &a, &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

/* ---- iommunest_hwpt_alloc_amd_guest() ----------------------------- */

START_TEST(alloc_amd_guest_passes_dte)
{
	const uint64_t dte[4] = { 0x0123456789abcdefull, 0x1111222233334444ull,
				  0, UINT64_MAX };
	struct kabi_hwpt_alloc want = {
		.dev_id = 3, .pt_id = 4,
		.data_type = KABI_HWPT_DATA_AMD_GUEST, .data_len = 32,
	};
	struct alloc_seen s = { .out_id = 0x66 };
	struct kabi_hwpt_alloc h;
	uint32_t id = 0;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_and_read_data, &s, 0);
	ck_assert_int_eq(iommunest_hwpt_alloc_amd_guest(uctx, 3, 4, dte, &id),
			 0);
	ck_assert_uint_eq(id, 0x66);
	FK_GET(0, KABI_IOMMU_HWPT_ALLOC, h);
	ck_assert_uint_ne(h.data_uptr, 0);
	want.data_uptr = h.data_uptr; /* the library's own copy */
	check_alloc(0, &want);
	/* Four u64 in CPU order, as the kernel's struct has them. */
	ck_assert_uint_eq(s.data_len, 32);
	ck_assert_mem_eq(s.data, dte, 32);
}
END_TEST

START_TEST(alloc_amd_guest_errors)
{
	const uint64_t dte[4] = { 1, 2, 3, 4 };
	uint32_t id = 42;

	ASSERT_REFUSED(iommunest_hwpt_alloc_amd_guest(uctx, 3, 4, NULL, &id),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_amd_guest(uctx, 3, 4, dte, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_amd_guest(NULL, 3, 4, dte, &id),
		       -EINVAL);
	fk_expect(KABI_IOMMU_HWPT_ALLOC, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_hwpt_alloc_amd_guest(uctx, 3, 4, dte, &id),
			 -EOPNOTSUPP);
	ck_assert_uint_eq(id, 42);
}
END_TEST

Suite *suite_hwpt_alloc(void)
{
	Suite *s = suite_create("hwpt alloc");
	TCase *tc = tcase_create("general");

	tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
	tcase_add_test(tc, alloc_paging_flags);
	tcase_add_test(tc, alloc_nested_passes_data);
	tcase_add_test(tc, alloc_reports_kernel_error);
	tcase_add_test(tc, alloc_refuses_bad_input);
	tcase_add_test(tc, alloc_amd_guest_passes_dte);
	tcase_add_test(tc, alloc_amd_guest_errors);
	suite_add_tcase(s, tc);
	return s;
}
