/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * IOMMU_GET_HW_INFO with an input type (6.17), and the decoding added in
 * 0.2: AMD (EFR), Tegra241 CMDQV, the ATS and SMMUv3 erratum bits.  No
 * test machine has an AMD IOMMU or a CMDQV, so the kernel's data is
 * written here byte by byte from the 7.3 uAPI layout (little endian, as
 * x86 and arm64 kernels write it) and every decoded field is checked.
 */
#include <stdint.h>

#include "suites.h"

#define DEV_ID 9u

struct hw_answer {
	uint32_t type;
	uint32_t len;          /* data_len reported back */
	uint8_t max_pasid_log2;
	uint64_t caps;
	const void *blob;
	size_t blob_len;
};

static void answer_hw_info(void *arg, void *priv)
{
	struct kabi_hw_info *cmd = arg;
	const struct hw_answer *a = priv;
	size_t n = a->blob_len < cmd->data_len ? a->blob_len : cmd->data_len;

	if (n)
		memcpy((void *)(uintptr_t)cmd->data_uptr, a->blob, n);
	cmd->data_len = a->len;
	cmd->out_data_type = a->type;
	cmd->out_max_pasid_log2 = a->max_pasid_log2;
	cmd->out_capabilities = a->caps;
}

static void assert_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		ck_assert_uint_eq(b[i], 0);
}

static void assert_little_endian(void)
{
	const uint16_t one = 1;

	/* The bytes below are the kernel's native (little endian) form. */
	ck_assert_uint_eq(*(const uint8_t *)&one, 1);
}

/* One successful typed query into info, which starts out as garbage. */
static void query_type(uint32_t type, struct hw_answer *a,
		       struct iommunest_hw_info *info)
{
	unsigned int n = fk_ncalls();

	memset(info, 0xa5, sizeof(*info));
	fk_expect(KABI_IOMMU_GET_HW_INFO, answer_hw_info, a, 0);
	ck_assert_int_eq(iommunest_hw_info_type(uctx, DEV_ID, type, info), 0);
	ck_assert_uint_eq(fk_ncalls(), n + 1);
}

/* The n-th call is GET_HW_INFO with these flags and input type. */
static void check_call(unsigned int n, uint32_t flags, uint32_t type)
{
	struct kabi_hw_info h;

	FK_GET(n, KABI_IOMMU_GET_HW_INFO, h);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(h.size, sizeof(h));
	ck_assert_uint_eq(h.flags, flags);
	ck_assert_uint_eq(h.dev_id, DEV_ID);
	ck_assert_uint_eq(h.data_len, IOMMUNEST_HW_INFO_RAW_MAX);
	ck_assert_uint_ne(h.data_uptr, 0);
	ck_assert_uint_eq(h.out_data_type, type);
	ck_assert_uint_eq(h.out_max_pasid_log2, 0);
	assert_zero(h.reserved, sizeof(h.reserved));
	ck_assert_uint_eq(h.out_capabilities, 0);
}

/* The probe: the flag alone, for device 0, nothing else set. */
static void check_probe(unsigned int n)
{
	struct kabi_hw_info h;
	struct kabi_hw_info want = {
		.size = sizeof(want),
		.flags = KABI_HW_INFO_FLAG_INPUT_TYPE,
	};

	FK_GET(n, KABI_IOMMU_GET_HW_INFO, h);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_mem_eq(&h, &want, sizeof(h));
}

/* ---- the typed call -------------------------------------------------- */

START_TEST(type_0_is_the_default_call)
{
	struct hw_answer a = { .type = IOMMUNEST_HW_INFO_NONE };
	struct iommunest_hw_info info, plain;

	/* Exactly what iommunest_hw_info() sends, and the same answer. */
	query_type(0, &a, &info);
	memset(&plain, 0x5a, sizeof(plain));
	fk_expect(KABI_IOMMU_GET_HW_INFO, answer_hw_info, &a, 0);
	ck_assert_int_eq(iommunest_hw_info(uctx, DEV_ID, &plain), 0);
	check_call(0, 0, 0);
	check_call(1, 0, 0);
	ck_assert_mem_eq(fk_call(0)->arg, fk_call(1)->arg, 16);
	ck_assert_mem_eq(fk_call(0)->arg + 24, fk_call(1)->arg + 24, 16);
	ck_assert_mem_eq(&info, &plain, sizeof(info));
}
END_TEST

START_TEST(type_sets_flag_and_input_type)
{
	struct hw_answer a = { .type = IOMMUNEST_HW_INFO_SELFTEST, .len = 4 };
	struct iommunest_hw_info info;

	query_type(IOMMUNEST_HW_INFO_TEGRA241_CMDQV, &a, &info);
	check_call(0, KABI_HW_INFO_FLAG_INPUT_TYPE,
		   IOMMUNEST_HW_INFO_TEGRA241_CMDQV);
	query_type(IOMMUNEST_HW_INFO_SELFTEST, &a, &info);
	check_call(1, KABI_HW_INFO_FLAG_INPUT_TYPE,
		   IOMMUNEST_HW_INFO_SELFTEST);
	/* The answer's type is the kernel's, whatever was asked. */
	ck_assert_uint_eq(info.type, IOMMUNEST_HW_INFO_SELFTEST);
	ck_assert_uint_eq(info.raw_len, 4);
	ck_assert_uint_eq(fk_ncalls(), 2);
}
END_TEST

START_TEST(type_unsupported_by_iommu)
{
	struct hw_answer junk = { .type = 3, .caps = 1 };
	struct iommunest_hw_info info, before;

	memset(&info, 0x5a, sizeof(info));
	before = info;
	/* 6.17 and later know the flag: the probe for device 0 gets past
	 * it to ENOENT, so EOPNOTSUPP is this IOMMU's answer. */
	fk_expect(KABI_IOMMU_GET_HW_INFO, answer_hw_info, &junk, EOPNOTSUPP);
	fk_expect(KABI_IOMMU_GET_HW_INFO, NULL, NULL, ENOENT);
	ck_assert_int_eq(iommunest_hw_info_type(uctx, DEV_ID,
						IOMMUNEST_HW_INFO_AMD, &info),
			 -EOPNOTSUPP);
	check_call(0, KABI_HW_INFO_FLAG_INPUT_TYPE, IOMMUNEST_HW_INFO_AMD);
	check_probe(1);
	ck_assert_uint_eq(fk_ncalls(), 2);
	ck_assert_mem_eq(&info, &before, sizeof(info));
}
END_TEST

START_TEST(type_on_kernel_before_6_17)
{
	struct iommunest_hw_info info, before;

	memset(&info, 0x5a, sizeof(info));
	before = info;
	/* 6.12 refuses any flag with EOPNOTSUPP, the probe's too. */
	fk_expect(KABI_IOMMU_GET_HW_INFO, NULL, NULL, EOPNOTSUPP);
	fk_expect(KABI_IOMMU_GET_HW_INFO, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_hw_info_type(uctx, DEV_ID,
						IOMMUNEST_HW_INFO_ARM_SMMUV3,
						&info), -ENOSYS);
	check_probe(1);
	ck_assert_mem_eq(&info, &before, sizeof(info));
}
END_TEST

START_TEST(type_other_errors_not_probed)
{
	struct iommunest_hw_info info;

	fk_expect(KABI_IOMMU_GET_HW_INFO, NULL, NULL, ENOENT);
	ck_assert_int_eq(iommunest_hw_info_type(uctx, DEV_ID, 3, &info),
			 -ENOENT);
	/* Type 0 is the plain call: its EOPNOTSUPP is passed through. */
	fk_expect(KABI_IOMMU_GET_HW_INFO, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_hw_info_type(uctx, DEV_ID, 0, &info),
			 -EOPNOTSUPP);
	ck_assert_uint_eq(fk_ncalls(), 2);
}
END_TEST

START_TEST(type_refuses_bad_input)
{
	struct iommunest_hw_info info, before;

	memset(&info, 0x5a, sizeof(info));
	before = info;
	ASSERT_REFUSED(iommunest_hw_info_type(NULL, DEV_ID, 4, &info),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hw_info_type(uctx, DEV_ID, 4, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hw_info_type(NULL, DEV_ID, 0, &info),
		       -EINVAL);
	ck_assert_mem_eq(&info, &before, sizeof(info));
}
END_TEST

/* ---- generic capability bits ---------------------------------------- */

START_TEST(ats_not_supported_bit)
{
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_NONE,
		.caps = KABI_HW_CAP_PCI_ATS_NOT_SUPPORTED,
	};
	struct iommunest_hw_info info;

	query_type(0, &a, &info);
	ck_assert_uint_eq(info.kernel_caps, 1ull << 3);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_ATS_NOT_SUPPORTED);
	/* With the others: each maps to its own bit. */
	a.caps = 0xf;
	query_type(0, &a, &info);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_DIRTY_TRACKING |
				     IOMMUNEST_CAP_PASID_EXEC |
				     IOMMUNEST_CAP_PASID_PRIV |
				     IOMMUNEST_CAP_ATS_NOT_SUPPORTED);
}
END_TEST

START_TEST(smmuv3_repeat_tlbi_flag)
{
	/* iommu_hw_info_arm_smmuv3: flags, reserved, idr[6], iidr, aidr. */
	uint8_t blob[40] = { 0 };
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_ARM_SMMUV3, .len = sizeof(blob),
		.blob = blob, .blob_len = sizeof(blob),
	};
	struct iommunest_hw_info info;

	assert_little_endian();
	blob[0] = 0x01; /* flags bit 0: ERRATA_REPEAT_TLBI_CFGI */
	query_type(0, &a, &info);
	ck_assert_uint_eq(info.u.smmuv3.flags, 1);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_SMMUV3_REPEAT_TLBI);
	/* Every other flag bit is not that erratum. */
	blob[0] = 0xfe;
	blob[1] = blob[2] = blob[3] = 0xff;
	query_type(0, &a, &info);
	ck_assert_uint_eq(info.u.smmuv3.flags, 0xfffffffe);
	ck_assert_uint_eq(info.caps, 0);
}
END_TEST

/* ---- AMD ------------------------------------------------------------- */

/*
 * EFR with every field the library decodes set, and the bits next to
 * them set too: PPRSup (1), GTSup (4), GASup (7), GATS = 2 (13:12),
 * GLX = 1 (15:14), PASmax = 15 (36:32), GIoSup (48), EPHSup (50); the
 * neighbours 0, 2, 3, 5, 6, 8, 11, 16, 31, 37, 47, 49, 51 and 63.
 * EFR = 0x800f802f800169ff.  EFR2 = 0x0123456789abcdef.
 */
static const uint8_t amd_all[16] = {
	0xff, 0x69, 0x01, 0x80, 0x2f, 0x80, 0x0f, 0x80,
	0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
};

/* Every bit set except those fields: EFR = 0xfffaffe0ffff0f6d. */
static const uint8_t amd_none[16] = {
	0x6d, 0x0f, 0xff, 0xff, 0xe0, 0xff, 0xfa, 0xff,
	0, 0, 0, 0, 0, 0, 0, 0,
};

/* GTSup and PASmax = 31 alone: EFR = 0x1f00000010. */
static const uint8_t amd_pasmax[16] = {
	0x10, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00,
	0, 0, 0, 0, 0, 0, 0, 0,
};

static void query_amd(const uint8_t blob[16], uint8_t max_pasid_log2,
		      struct iommunest_hw_info *info)
{
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_AMD, .len = 16,
		.max_pasid_log2 = max_pasid_log2, .blob = blob, .blob_len = 16,
	};

	assert_little_endian();
	query_type(IOMMUNEST_HW_INFO_AMD, &a, info);
	ck_assert_uint_eq(info->type, IOMMUNEST_HW_INFO_AMD);
	ck_assert_uint_eq(info->raw_len, 16);
	ck_assert_mem_eq(info->raw, blob, 16);
	assert_zero(info->raw + 16, sizeof(info->raw) - 16);
}

START_TEST(amd_full_decode)
{
	struct iommunest_hw_info info;
	struct iommunest_hw_amd amd;

	query_amd(amd_all, 0, &info);
	/* Common decoding: guest translation is nesting; PASmax + 1. */
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_NESTING |
				     IOMMUNEST_CAP_PASID);
	ck_assert_uint_eq(info.pasid_bits, 16);
	ck_assert_uint_eq(info.addr_bits, 0);
	ck_assert_uint_eq(info.pgsize_bitmap, 0);
	assert_zero(&info.u, sizeof(info.u));

	memset(&amd, 0xa5, sizeof(amd));
	ck_assert_int_eq(iommunest_hw_info_amd(&info, &amd), 0);
	ck_assert_uint_eq(amd.efr, 0x800f802f800169ffull);
	ck_assert_uint_eq(amd.efr2, 0x0123456789abcdefull);
	ck_assert(amd.gt);
	ck_assert(amd.ga);
	ck_assert(amd.gio);
	ck_assert(amd.ppr);
	ck_assert(amd.eph);
	ck_assert_uint_eq(amd.gats, 2);
	ck_assert_uint_eq(amd.glx, 1);
	ck_assert_uint_eq(amd.pasid_bits, 16);
	assert_zero(amd.reserved, sizeof(amd.reserved));
}
END_TEST

START_TEST(amd_neighbours_decode_nothing)
{
	struct iommunest_hw_info info;
	struct iommunest_hw_amd amd;

	query_amd(amd_none, 0, &info);
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.pasid_bits, 0);
	memset(&amd, 0xa5, sizeof(amd));
	ck_assert_int_eq(iommunest_hw_info_amd(&info, &amd), 0);
	ck_assert_uint_eq(amd.efr, 0xfffaffe0ffff0f6dull);
	ck_assert_uint_eq(amd.efr2, 0);
	ck_assert(!amd.gt);
	ck_assert(!amd.ga);
	ck_assert(!amd.gio);
	ck_assert(!amd.ppr);
	ck_assert(!amd.eph);
	ck_assert_uint_eq(amd.gats, 0);
	ck_assert_uint_eq(amd.glx, 0);
	ck_assert_uint_eq(amd.pasid_bits, 0);
	assert_zero(amd.reserved, sizeof(amd.reserved));
}
END_TEST

START_TEST(amd_pasmax_top_and_kernel_width)
{
	uint8_t no_gt[16];
	struct iommunest_hw_info info;
	struct iommunest_hw_amd amd;

	query_amd(amd_pasmax, 0, &info);
	ck_assert_uint_eq(info.pasid_bits, 32);
	ck_assert_int_eq(iommunest_hw_info_amd(&info, &amd), 0);
	ck_assert_uint_eq(amd.pasid_bits, 32);
	ck_assert_uint_eq(amd.efr, 0x1f00000010ull);
	/* The kernel's per-device width wins in the common fields (as for
	 * VT-d), the register's stays in the AMD ones. */
	query_amd(amd_pasmax, 15, &info);
	ck_assert_uint_eq(info.pasid_bits, 15);
	ck_assert_int_eq(iommunest_hw_info_amd(&info, &amd), 0);
	ck_assert_uint_eq(amd.pasid_bits, 32);
	/* PASmax without GTSup: no PASIDs, no nesting. */
	memcpy(no_gt, amd_pasmax, sizeof(no_gt));
	no_gt[0] = 0;
	query_amd(no_gt, 0, &info);
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.pasid_bits, 0);
	ck_assert_int_eq(iommunest_hw_info_amd(&info, &amd), 0);
	ck_assert(!amd.gt);
	ck_assert_uint_eq(amd.pasid_bits, 0);
}
END_TEST

START_TEST(amd_refuses)
{
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_AMD, .len = 15, .blob = amd_all,
		.blob_len = 16,
	};
	struct iommunest_hw_info info;
	struct iommunest_hw_amd amd, before;

	memset(&amd, 0x5a, sizeof(amd));
	before = amd;
	/* Short data: raw only, not decoded anywhere. */
	query_type(IOMMUNEST_HW_INFO_AMD, &a, &info);
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.pasid_bits, 0);
	ck_assert_int_eq(iommunest_hw_info_amd(&info, &amd), -EINVAL);
	/* Another type, however the bytes look. */
	a.type = IOMMUNEST_HW_INFO_INTEL_VTD;
	a.len = 16;
	query_type(0, &a, &info);
	ck_assert_int_eq(iommunest_hw_info_amd(&info, &amd), -EINVAL);
	ck_assert_int_eq(iommunest_hw_info_amd(NULL, &amd), -EINVAL);
	ck_assert_int_eq(iommunest_hw_info_amd(&info, NULL), -EINVAL);
	ck_assert_mem_eq(&amd, &before, sizeof(amd));
}
END_TEST

/* ---- NVIDIA Tegra241 CMDQV ------------------------------------------ */

START_TEST(tegra241_decode)
{
	/* iommu_hw_info_tegra241_cmdqv: flags (u32), version, log2vcmdqs,
	 * log2vsids, reserved (u8 each). */
	static const uint8_t blob[8] = { 0x01, 0x02, 0x03, 0x04,
					 0x03, 0x05, 0x07, 0x00 };
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_TEGRA241_CMDQV, .len = 8,
		.blob = blob, .blob_len = 8,
	};
	struct iommunest_hw_info info;
	struct iommunest_hw_tegra241 t;

	assert_little_endian();
	query_type(IOMMUNEST_HW_INFO_TEGRA241_CMDQV, &a, &info);
	ck_assert_uint_eq(info.type, 3);
	ck_assert_uint_eq(info.raw_len, 8);
	ck_assert_mem_eq(info.raw, blob, 8);
	/* Nothing of it goes into the common fields. */
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.pasid_bits, 0);
	assert_zero(&info.u, sizeof(info.u));

	memset(&t, 0xa5, sizeof(t));
	ck_assert_int_eq(iommunest_hw_info_tegra241(&info, &t), 0);
	ck_assert_uint_eq(t.flags, 0x04030201);
	ck_assert_uint_eq(t.version, 3);
	ck_assert_uint_eq(t.log2vcmdqs, 5);
	ck_assert_uint_eq(t.log2vsids, 7);
	assert_zero(t.reserved, sizeof(t.reserved));
}
END_TEST

START_TEST(tegra241_byte_fields_are_whole_bytes)
{
	static const uint8_t blob[8] = { 0, 0, 0, 0, 0xff, 0xfe, 0xfd, 0xff };
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_TEGRA241_CMDQV, .len = 8,
		.blob = blob, .blob_len = 8,
	};
	struct iommunest_hw_info info;
	struct iommunest_hw_tegra241 t;

	query_type(IOMMUNEST_HW_INFO_TEGRA241_CMDQV, &a, &info);
	ck_assert_int_eq(iommunest_hw_info_tegra241(&info, &t), 0);
	ck_assert_uint_eq(t.flags, 0);
	ck_assert_uint_eq(t.version, 0xff);
	ck_assert_uint_eq(t.log2vcmdqs, 0xfe);
	ck_assert_uint_eq(t.log2vsids, 0xfd);
}
END_TEST

START_TEST(tegra241_refuses)
{
	static const uint8_t blob[8] = { 0, 0, 0, 0, 1, 2, 3, 0 };
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_TEGRA241_CMDQV, .len = 7,
		.blob = blob, .blob_len = 8,
	};
	struct iommunest_hw_info info;
	struct iommunest_hw_tegra241 t, before;

	memset(&t, 0x5a, sizeof(t));
	before = t;
	query_type(IOMMUNEST_HW_INFO_TEGRA241_CMDQV, &a, &info);
	ck_assert_int_eq(iommunest_hw_info_tegra241(&info, &t), -EINVAL);
	a.type = IOMMUNEST_HW_INFO_ARM_SMMUV3;
	a.len = 8;
	query_type(0, &a, &info);
	ck_assert_int_eq(iommunest_hw_info_tegra241(&info, &t), -EINVAL);
	ck_assert_int_eq(iommunest_hw_info_tegra241(NULL, &t), -EINVAL);
	ck_assert_int_eq(iommunest_hw_info_tegra241(&info, NULL), -EINVAL);
	ck_assert_mem_eq(&t, &before, sizeof(t));
}
END_TEST

Suite *suite_hwinfo2(void)
{
	Suite *s = suite_create("hwinfo 0.2");
	TCase *typed = tcase_create("input type");
	TCase *caps = tcase_create("caps");
	TCase *amd = tcase_create("amd");
	TCase *tegra = tcase_create("tegra241");

	tcase_add_checked_fixture(typed, unit_setup, unit_teardown);
	tcase_add_test(typed, type_0_is_the_default_call);
	tcase_add_test(typed, type_sets_flag_and_input_type);
	tcase_add_test(typed, type_unsupported_by_iommu);
	tcase_add_test(typed, type_on_kernel_before_6_17);
	tcase_add_test(typed, type_other_errors_not_probed);
	tcase_add_test(typed, type_refuses_bad_input);
	suite_add_tcase(s, typed);

	tcase_add_checked_fixture(caps, unit_setup, unit_teardown);
	tcase_add_test(caps, ats_not_supported_bit);
	tcase_add_test(caps, smmuv3_repeat_tlbi_flag);
	suite_add_tcase(s, caps);

	tcase_add_checked_fixture(amd, unit_setup, unit_teardown);
	tcase_add_test(amd, amd_full_decode);
	tcase_add_test(amd, amd_neighbours_decode_nothing);
	tcase_add_test(amd, amd_pasmax_top_and_kernel_width);
	tcase_add_test(amd, amd_refuses);
	suite_add_tcase(s, amd);

	tcase_add_checked_fixture(tegra, unit_setup, unit_teardown);
	tcase_add_test(tegra, tegra241_decode);
	tcase_add_test(tegra, tegra241_byte_fields_are_whole_bytes);
	tcase_add_test(tegra, tegra241_refuses);
	suite_add_tcase(s, tegra);
	return s;
}
