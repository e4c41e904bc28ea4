/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* IOMMU_GET_HW_INFO: the struct passed and the VT-d/SMMUv3 decoding. */
#include <stdint.h>

#include "suites.h"

#define SZ_4K   (1ull << 12)
#define SZ_16K  (1ull << 14)
#define SZ_64K  (1ull << 16)
#define SZ_2M   (1ull << 21)
#define SZ_32M  (1ull << 25)
#define SZ_512M (1ull << 29)
#define SZ_1G   (1ull << 30)

/* VT-d register fields, written from the spec rather than the library. */
#define VTD_CAP_MGAW(bits)  ((uint64_t)((bits) - 1) << 16)
#define VTD_CAP_SLLPS_2M    (1ull << 34)
#define VTD_CAP_SLLPS_1G    (1ull << 35)
#define VTD_ECAP_NEST       (1ull << 26)
#define VTD_ECAP_PSS(bits)  ((uint64_t)((bits) - 1) << 35)
#define VTD_ECAP_PASID      (1ull << 40)

/* SMMUv3 ID register fields. */
#define SMMU_IDR0_S2P         (1u << 0)
#define SMMU_IDR0_S1P         (1u << 1)
#define SMMU_IDR1_SSIDSIZE(n) ((uint32_t)(n) << 6)
#define SMMU_IDR5_OAS(n)      ((uint32_t)(n))
#define SMMU_IDR5_GRAN4K      (1u << 4)
#define SMMU_IDR5_GRAN16K     (1u << 5)
#define SMMU_IDR5_GRAN64K     (1u << 6)

#define DEV_ID 7

/* What the fake kernel answers, as iommufd_get_hw_info() would. */
struct hw_answer {
	uint32_t type;
	uint32_t len;          /* data_len reported back */
	uint8_t max_pasid_log2;
	uint64_t caps;         /* out_capabilities */
	const void *blob;      /* copied into the user buffer ... */
	size_t blob_len;       /* ... up to the buffer's size */
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

/* One successful query into info, which starts out as garbage. */
static void query(struct hw_answer *a, struct iommunest_hw_info *info)
{
	unsigned int n = fk_ncalls();

	memset(info, 0xa5, sizeof(*info));
	fk_expect(KABI_IOMMU_GET_HW_INFO, answer_hw_info, a, 0);
	ck_assert_int_eq(iommunest_hw_info(uctx, DEV_ID, info), 0);
	ck_assert_uint_eq(fk_ncalls(), n + 1);
}

static void query_vtd(uint64_t cap, uint64_t ecap, uint8_t max_pasid_log2,
		      uint64_t caps, struct iommunest_hw_info *info)
{
	struct kabi_hw_info_vtd d = { .cap_reg = cap, .ecap_reg = ecap };
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_INTEL_VTD,
		.len = sizeof(d),
		.max_pasid_log2 = max_pasid_log2,
		.caps = caps,
		.blob = &d,
		.blob_len = sizeof(d),
	};

	query(&a, info);
}

static void query_smmu(const uint32_t idr[6], uint8_t max_pasid_log2,
		       struct iommunest_hw_info *info)
{
	struct kabi_hw_info_smmuv3 d = { 0 };
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_ARM_SMMUV3,
		.len = sizeof(d),
		.max_pasid_log2 = max_pasid_log2,
		.blob = &d,
		.blob_len = sizeof(d),
	};

	memcpy(d.idr, idr, sizeof(d.idr));
	query(&a, info);
}

static void assert_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		ck_assert_uint_eq(b[i], 0);
}

/* ---- the call itself ---------------------------------------------- */

START_TEST(passes_struct)
{
	struct hw_answer a = { .type = IOMMUNEST_HW_INFO_NONE };
	struct iommunest_hw_info info;
	struct kabi_hw_info h;

	query(&a, &info);
	FK_GET(0, KABI_IOMMU_GET_HW_INFO, h);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(h.size, sizeof(h));
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_uint_eq(h.dev_id, DEV_ID);
	ck_assert_uint_eq(h.data_len, IOMMUNEST_HW_INFO_RAW_MAX);
	ck_assert_uint_ne(h.data_uptr, 0);
	ck_assert_uint_eq(h.out_data_type, 0);
	ck_assert_uint_eq(h.out_max_pasid_log2, 0);
	assert_zero(h.reserved, sizeof(h.reserved));
	ck_assert_uint_eq(h.out_capabilities, 0);
}
END_TEST

START_TEST(reports_kernel_error)
{
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_INTEL_VTD,
		.len = sizeof(struct kabi_hw_info_vtd),
		.caps = KABI_HW_CAP_DIRTY_TRACKING,
	};
	struct iommunest_hw_info info, before;

	memset(&info, 0x5a, sizeof(info));
	before = info;
	/* The handler fills outputs; a failing call must not use them. */
	fk_expect(KABI_IOMMU_GET_HW_INFO, answer_hw_info, &a, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_hw_info(uctx, DEV_ID, &info), -EOPNOTSUPP);
	ck_assert_mem_eq(&info, &before, sizeof(info));
}
END_TEST

START_TEST(refuses_bad_input)
{
	struct iommunest_hw_info info, before;

	memset(&info, 0x5a, sizeof(info));
	before = info;
	ASSERT_REFUSED(iommunest_hw_info(NULL, DEV_ID, &info), -EINVAL);
	ASSERT_REFUSED(iommunest_hw_info(uctx, DEV_ID, NULL), -EINVAL);
	ck_assert_mem_eq(&info, &before, sizeof(info));
}
END_TEST

/* ---- no vendor data ----------------------------------------------- */

START_TEST(type_none_decodes_nothing)
{
	struct hw_answer a = { .type = IOMMUNEST_HW_INFO_NONE };
	struct iommunest_hw_info info, zero;

	memset(&zero, 0, sizeof(zero));
	query(&a, &info);
	/* Every field, reserved included, comes back cleared. */
	ck_assert_mem_eq(&info, &zero, sizeof(info));
}
END_TEST

START_TEST(type_none_keeps_kernel_caps)
{
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_NONE,
		.caps = KABI_HW_CAP_DIRTY_TRACKING |
			KABI_HW_CAP_PCI_PASID_EXEC |
			KABI_HW_CAP_PCI_PASID_PRIV | (1ull << 63),
	};
	struct iommunest_hw_info info;

	query(&a, &info);
	ck_assert_uint_eq(info.type, IOMMUNEST_HW_INFO_NONE);
	ck_assert_uint_eq(info.raw_len, 0);
	ck_assert_uint_eq(info.kernel_caps, a.caps);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_DIRTY_TRACKING |
				     IOMMUNEST_CAP_PASID_EXEC |
				     IOMMUNEST_CAP_PASID_PRIV);
	ck_assert_uint_eq(info.pasid_bits, 0);
	ck_assert_uint_eq(info.addr_bits, 0);
	ck_assert_uint_eq(info.pgsize_bitmap, 0);
	assert_zero(&info.u, sizeof(info.u));
	assert_zero(info.raw, sizeof(info.raw));
	assert_zero(info.reserved, sizeof(info.reserved));
}
END_TEST

START_TEST(unknown_type_is_raw_only)
{
	/* Looks like VT-d data, but the type says otherwise. */
	struct kabi_hw_info_vtd d = {
		.cap_reg = VTD_CAP_MGAW(48) | VTD_CAP_SLLPS_2M,
		.ecap_reg = VTD_ECAP_NEST,
	};
	struct hw_answer a = {
		.type = 0x7f, .len = sizeof(d), .blob = &d,
		.blob_len = sizeof(d),
	};
	struct iommunest_hw_info info;

	query(&a, &info);
	ck_assert_uint_eq(info.type, 0x7f);
	ck_assert_uint_eq(info.raw_len, sizeof(d));
	ck_assert_mem_eq(info.raw, &d, sizeof(d));
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.addr_bits, 0);
	ck_assert_uint_eq(info.pgsize_bitmap, 0);
	assert_zero(&info.u, sizeof(info.u));
}
END_TEST

START_TEST(short_data_is_not_decoded)
{
	struct kabi_hw_info_vtd d = {
		.cap_reg = VTD_CAP_MGAW(48),
		.ecap_reg = VTD_ECAP_NEST,
	};
	struct kabi_hw_info_smmuv3 s = { .idr = { 3, 0, 0, 0, 0, 5 } };
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_INTEL_VTD, .len = 16, .blob = &d,
		.blob_len = sizeof(d),
	};
	struct iommunest_hw_info info;

	/* Less than a whole VT-d struct: raw, but no guessing. */
	query(&a, &info);
	ck_assert_uint_eq(info.raw_len, 16);
	ck_assert_mem_eq(info.raw, &d, 16);
	assert_zero(info.raw + 16, sizeof(info.raw) - 16);
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.addr_bits, 0);
	assert_zero(&info.u, sizeof(info.u));

	a.type = IOMMUNEST_HW_INFO_ARM_SMMUV3;
	a.len = sizeof(s) - 4;
	a.blob = &s;
	a.blob_len = sizeof(s);
	query(&a, &info);
	ck_assert_uint_eq(info.raw_len, sizeof(s) - 4);
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.addr_bits, 0);
	ck_assert_uint_eq(info.pgsize_bitmap, 0);
	assert_zero(&info.u, sizeof(info.u));
}
END_TEST

START_TEST(long_data_is_capped)
{
	unsigned char blob[IOMMUNEST_HW_INFO_RAW_MAX];
	struct kabi_hw_info_vtd d = {
		.cap_reg = VTD_CAP_MGAW(57),
		.ecap_reg = 0,
	};
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_INTEL_VTD, .len = 100, .blob = blob,
		.blob_len = sizeof(blob),
	};
	struct iommunest_hw_info info;
	unsigned int i;

	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (unsigned char)(i + 1);
	memcpy(blob, &d, sizeof(d));
	/* A newer kernel knows more than our buffer holds. */
	query(&a, &info);
	ck_assert_uint_eq(info.raw_len, IOMMUNEST_HW_INFO_RAW_MAX);
	ck_assert_mem_eq(info.raw, blob, sizeof(blob));
	ck_assert_uint_eq(info.addr_bits, 57);
}
END_TEST

/* ---- Intel VT-d ----------------------------------------------------- */

START_TEST(vtd_full_decode)
{
	/* Neighbours of every field are set too, to catch sloppy masks. */
	const uint64_t cap = VTD_CAP_MGAW(48) | (1ull << 22) | (1ull << 15) |
			     VTD_CAP_SLLPS_2M | VTD_CAP_SLLPS_1G |
			     (1ull << 33) | (1ull << 38) | (0x4ull << 8) | 6;
	const uint64_t ecap = VTD_ECAP_NEST | VTD_ECAP_PASID |
			      VTD_ECAP_PSS(20) | (1ull << 34) | (1ull << 41) |
			      (1ull << 43) | 2;
	struct kabi_hw_info_vtd d = {
		.flags = 1, .cap_reg = cap, .ecap_reg = ecap,
	};
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_INTEL_VTD,
		.len = sizeof(d),
		.caps = KABI_HW_CAP_DIRTY_TRACKING,
		.blob = &d,
		.blob_len = sizeof(d),
	};
	struct iommunest_hw_info info;

	query(&a, &info);
	ck_assert_uint_eq(info.type, IOMMUNEST_HW_INFO_INTEL_VTD);
	ck_assert_uint_eq(info.raw_len, 24);
	ck_assert_mem_eq(info.raw, &d, sizeof(d));
	assert_zero(info.raw + 24, sizeof(info.raw) - 24);
	ck_assert_uint_eq(info.kernel_caps, KABI_HW_CAP_DIRTY_TRACKING);
	ck_assert_uint_eq(info.u.vtd.flags, 1);
	ck_assert_uint_eq(info.u.vtd.cap_reg, cap);
	ck_assert_uint_eq(info.u.vtd.ecap_reg, ecap);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_DIRTY_TRACKING |
				     IOMMUNEST_CAP_NESTING |
				     IOMMUNEST_CAP_PASID);
	ck_assert_uint_eq(info.pasid_bits, 20);
	ck_assert_uint_eq(info.addr_bits, 48);
	ck_assert_uint_eq(info.pgsize_bitmap, SZ_4K | SZ_2M | SZ_1G);
	assert_zero(info.reserved, sizeof(info.reserved));
}
END_TEST

START_TEST(vtd_minimal)
{
	struct iommunest_hw_info info;

	query_vtd(VTD_CAP_MGAW(39), 0, 0, 0, &info);
	ck_assert_uint_eq(info.caps, 0);
	ck_assert_uint_eq(info.pasid_bits, 0);
	ck_assert_uint_eq(info.addr_bits, 39);
	ck_assert_uint_eq(info.pgsize_bitmap, SZ_4K);
}
END_TEST

START_TEST(vtd_large_pages_each)
{
	struct iommunest_hw_info info;

	query_vtd(VTD_CAP_MGAW(48) | VTD_CAP_SLLPS_2M, 0, 0, 0, &info);
	ck_assert_uint_eq(info.pgsize_bitmap, SZ_4K | SZ_2M);
	query_vtd(VTD_CAP_MGAW(48) | VTD_CAP_SLLPS_1G, 0, 0, 0, &info);
	ck_assert_uint_eq(info.pgsize_bitmap, SZ_4K | SZ_1G);
	/* MGAW at both ends of its 6-bit field. */
	query_vtd(VTD_CAP_MGAW(1), 0, 0, 0, &info);
	ck_assert_uint_eq(info.addr_bits, 1);
	query_vtd(VTD_CAP_MGAW(64), 0, 0, 0, &info);
	ck_assert_uint_eq(info.addr_bits, 64);
}
END_TEST

START_TEST(vtd_nesting_alone)
{
	struct iommunest_hw_info info;

	query_vtd(VTD_CAP_MGAW(48), VTD_ECAP_NEST, 0, 0, &info);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_NESTING);
	ck_assert_uint_eq(info.pasid_bits, 0);
}
END_TEST

START_TEST(vtd_pss_needs_pasid_bit)
{
	struct iommunest_hw_info info;

	/* PSS without the PASID capability means no PASID. */
	query_vtd(VTD_CAP_MGAW(48), VTD_ECAP_PSS(20), 0, 0, &info);
	ck_assert_uint_eq(info.pasid_bits, 0);
	ck_assert_uint_eq(info.caps, 0);
	/* PSS 0 with PASID: one bit. */
	query_vtd(VTD_CAP_MGAW(48), VTD_ECAP_PASID, 0, 0, &info);
	ck_assert_uint_eq(info.pasid_bits, 1);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_PASID);
	query_vtd(VTD_CAP_MGAW(48), VTD_ECAP_PASID | VTD_ECAP_PSS(32), 0, 0,
		  &info);
	ck_assert_uint_eq(info.pasid_bits, 32);
}
END_TEST

START_TEST(vtd_kernel_pasid_width_wins)
{
	struct iommunest_hw_info info;

	query_vtd(VTD_CAP_MGAW(48), VTD_ECAP_PASID | VTD_ECAP_PSS(20), 16, 0,
		  &info);
	ck_assert_uint_eq(info.pasid_bits, 16);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_PASID);
	/* Also when the register does not advertise PASID at all. */
	query_vtd(VTD_CAP_MGAW(48), 0, 8, 0, &info);
	ck_assert_uint_eq(info.pasid_bits, 8);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_PASID);
}
END_TEST

START_TEST(vtd_kernel_caps)
{
	struct iommunest_hw_info info;

	query_vtd(VTD_CAP_MGAW(48), 0, 20,
		  KABI_HW_CAP_PCI_PASID_EXEC | KABI_HW_CAP_PCI_PASID_PRIV,
		  &info);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_PASID |
				     IOMMUNEST_CAP_PASID_EXEC |
				     IOMMUNEST_CAP_PASID_PRIV);
	query_vtd(VTD_CAP_MGAW(48), 0, 0, KABI_HW_CAP_DIRTY_TRACKING, &info);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_DIRTY_TRACKING);
	ck_assert_uint_eq(info.kernel_caps, KABI_HW_CAP_DIRTY_TRACKING);
}
END_TEST

/* ---- ARM SMMUv3 ----------------------------------------------------- */

START_TEST(smmu_full_decode)
{
	/* Neighbours of every field are set too, to catch sloppy masks. */
	struct kabi_hw_info_smmuv3 d = {
		.flags = 1,
		.idr = {
			SMMU_IDR0_S1P | SMMU_IDR0_S2P | (1u << 2) | (1u << 4),
			SMMU_IDR1_SSIDSIZE(20) | 0x3f | (1u << 11),
			0x11, 0x22, 0x33,
			SMMU_IDR5_OAS(5) | (1u << 3) | SMMU_IDR5_GRAN4K |
			SMMU_IDR5_GRAN64K | (1u << 7) | (3u << 10),
		},
		.iidr = 0x43b,
		.aidr = 0x2,
	};
	struct hw_answer a = {
		.type = IOMMUNEST_HW_INFO_ARM_SMMUV3,
		.len = sizeof(d),
		.caps = KABI_HW_CAP_DIRTY_TRACKING,
		.blob = &d,
		.blob_len = sizeof(d),
	};
	struct iommunest_hw_info info;
	unsigned int i;

	query(&a, &info);
	ck_assert_uint_eq(info.type, IOMMUNEST_HW_INFO_ARM_SMMUV3);
	ck_assert_uint_eq(info.raw_len, 40);
	ck_assert_mem_eq(info.raw, &d, sizeof(d));
	assert_zero(info.raw + 40, sizeof(info.raw) - 40);
	ck_assert_uint_eq(info.u.smmuv3.flags, 1);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(info.u.smmuv3.idr[i], d.idr[i]);
	ck_assert_uint_eq(info.u.smmuv3.iidr, 0x43b);
	ck_assert_uint_eq(info.u.smmuv3.aidr, 0x2);
	/* flags bit 0: the repeat-TLBI erratum (decoded since 0.2). */
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_DIRTY_TRACKING |
				     IOMMUNEST_CAP_NESTING |
				     IOMMUNEST_CAP_PASID |
				     IOMMUNEST_CAP_SMMUV3_REPEAT_TLBI);
	ck_assert_uint_eq(info.pasid_bits, 20);
	ck_assert_uint_eq(info.addr_bits, 48);
	ck_assert_uint_eq(info.pgsize_bitmap,
			  SZ_4K | SZ_2M | SZ_1G | SZ_64K | SZ_512M);
	assert_zero(info.reserved, sizeof(info.reserved));
}
END_TEST

START_TEST(smmu_nesting_needs_both_stages)
{
	uint32_t idr[6] = { 0 };
	struct iommunest_hw_info info;

	idr[0] = SMMU_IDR0_S1P;
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.caps & IOMMUNEST_CAP_NESTING, 0);
	idr[0] = SMMU_IDR0_S2P;
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.caps & IOMMUNEST_CAP_NESTING, 0);
	idr[0] = SMMU_IDR0_S1P | SMMU_IDR0_S2P;
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_NESTING);
}
END_TEST

START_TEST(smmu_oas_table)
{
	static const uint32_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 0 };
	uint32_t idr[6] = { 0 };
	struct iommunest_hw_info info;
	uint32_t oas;

	/* 7 is reserved: unknown, not a guess. */
	for (oas = 0; oas < 8; oas++) {
		idr[5] = SMMU_IDR5_OAS(oas);
		query_smmu(idr, 0, &info);
		ck_assert_uint_eq(info.addr_bits, bits[oas]);
	}
}
END_TEST

START_TEST(smmu_granules_each)
{
	uint32_t idr[6] = { 0 };
	struct iommunest_hw_info info;

	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.pgsize_bitmap, 0);
	idr[5] = SMMU_IDR5_GRAN4K;
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.pgsize_bitmap, SZ_4K | SZ_2M | SZ_1G);
	idr[5] = SMMU_IDR5_GRAN16K;
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.pgsize_bitmap, SZ_16K | SZ_32M);
	idr[5] = SMMU_IDR5_GRAN64K;
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.pgsize_bitmap, SZ_64K | SZ_512M);
}
END_TEST

START_TEST(smmu_ssid_width)
{
	uint32_t idr[6] = { 0 };
	struct iommunest_hw_info info;

	/* No substreams: no PASID. */
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.pasid_bits, 0);
	ck_assert_uint_eq(info.caps, 0);
	idr[1] = SMMU_IDR1_SSIDSIZE(31);
	query_smmu(idr, 0, &info);
	ck_assert_uint_eq(info.pasid_bits, 31);
	ck_assert_uint_eq(info.caps, IOMMUNEST_CAP_PASID);
	/* The kernel's own width wins over the register. */
	idr[1] = SMMU_IDR1_SSIDSIZE(20);
	query_smmu(idr, 10, &info);
	ck_assert_uint_eq(info.pasid_bits, 10);
}
END_TEST

Suite *suite_hwinfo(void)
{
	Suite *s = suite_create("hwinfo");
	TCase *call = tcase_create("call");
	TCase *vtd = tcase_create("vtd");
	TCase *smmu = tcase_create("smmuv3");

	tcase_add_checked_fixture(call, unit_setup, unit_teardown);
	tcase_add_test(call, passes_struct);
	tcase_add_test(call, reports_kernel_error);
	tcase_add_test(call, refuses_bad_input);
	tcase_add_test(call, type_none_decodes_nothing);
	tcase_add_test(call, type_none_keeps_kernel_caps);
	tcase_add_test(call, unknown_type_is_raw_only);
	tcase_add_test(call, short_data_is_not_decoded);
	tcase_add_test(call, long_data_is_capped);
	suite_add_tcase(s, call);

	tcase_add_checked_fixture(vtd, unit_setup, unit_teardown);
	tcase_add_test(vtd, vtd_full_decode);
	tcase_add_test(vtd, vtd_minimal);
	tcase_add_test(vtd, vtd_large_pages_each);
	tcase_add_test(vtd, vtd_nesting_alone);
	tcase_add_test(vtd, vtd_pss_needs_pasid_bit);
	tcase_add_test(vtd, vtd_kernel_pasid_width_wins);
	tcase_add_test(vtd, vtd_kernel_caps);
	suite_add_tcase(s, vtd);

	tcase_add_checked_fixture(smmu, unit_setup, unit_teardown);
	tcase_add_test(smmu, smmu_full_decode);
	tcase_add_test(smmu, smmu_nesting_needs_both_stages);
	tcase_add_test(smmu, smmu_oas_table);
	tcase_add_test(smmu, smmu_granules_each);
	tcase_add_test(smmu, smmu_ssid_width);
	suite_add_tcase(s, smmu);
	return s;
}
