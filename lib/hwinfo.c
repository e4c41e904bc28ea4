/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* IOMMU hardware information: the raw kernel answer and its decoding. */
#include <string.h>

#include "abi.h"
#include "internal.h"

#define BIT(n) (1ull << (n))
#define FIELD(v, lo, width) (((v) >> (lo)) & ((1ull << (width)) - 1))

#define SZ_4K   BIT(12)
#define SZ_16K  BIT(14)
#define SZ_64K  BIT(16)
#define SZ_2M   BIT(21)
#define SZ_32M  BIT(25)
#define SZ_512M BIT(29)
#define SZ_1G   BIT(30)

/* Intel VT-d capability and extended capability register fields. */
#define VTD_CAP_MGAW(c)   (FIELD(c, 16, 6) + 1)
#define VTD_CAP_SLLPS(c)  FIELD(c, 34, 4) /* bit 0: 2M, bit 1: 1G */
#define VTD_ECAP_NEST(e)  FIELD(e, 26, 1)
#define VTD_ECAP_PSS(e)   FIELD(e, 35, 5) /* PASID bits minus one */
#define VTD_ECAP_PASID(e) FIELD(e, 40, 1)

/* ARM SMMUv3 ID register fields. */
#define SMMU_IDR0_S2P(r)      FIELD(r, 0, 1)
#define SMMU_IDR0_S1P(r)      FIELD(r, 1, 1)
#define SMMU_IDR1_SSIDSIZE(r) FIELD(r, 6, 5)
#define SMMU_IDR5_OAS(r)      FIELD(r, 0, 3)
#define SMMU_IDR5_GRAN4K(r)   FIELD(r, 4, 1)
#define SMMU_IDR5_GRAN16K(r)  FIELD(r, 5, 1)
#define SMMU_IDR5_GRAN64K(r)  FIELD(r, 6, 1)

static void decode_vtd(struct iommunest_hw_info *info)
{
	struct kabi_hw_info_vtd d;
	uint64_t cap, ecap;

	memcpy(&d, info->raw, sizeof(d));
	cap = d.cap_reg;
	ecap = d.ecap_reg;
	info->u.vtd.flags = d.flags;
	info->u.vtd.cap_reg = cap;
	info->u.vtd.ecap_reg = ecap;
	info->addr_bits = (uint32_t)VTD_CAP_MGAW(cap);
	info->pgsize_bitmap = SZ_4K;
	if (VTD_CAP_SLLPS(cap) & 1)
		info->pgsize_bitmap |= SZ_2M;
	if (VTD_CAP_SLLPS(cap) & 2)
		info->pgsize_bitmap |= SZ_1G;
	if (VTD_ECAP_NEST(ecap))
		info->caps |= IOMMUNEST_CAP_NESTING;
	if (!info->pasid_bits && VTD_ECAP_PASID(ecap))
		info->pasid_bits = (uint32_t)VTD_ECAP_PSS(ecap) + 1;
}

static uint32_t smmu_oas_bits(uint32_t oas)
{
	static const uint8_t bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return oas < sizeof(bits) ? bits[oas] : 0;
}

static void decode_smmuv3(struct iommunest_hw_info *info)
{
	struct kabi_hw_info_smmuv3 d;
	uint32_t idr0, idr5;

	memcpy(&d, info->raw, sizeof(d));
	info->u.smmuv3.flags = d.flags;
	memcpy(info->u.smmuv3.idr, d.idr, sizeof(d.idr));
	info->u.smmuv3.iidr = d.iidr;
	info->u.smmuv3.aidr = d.aidr;
	idr0 = d.idr[0];
	idr5 = d.idr[5];
	if (SMMU_IDR0_S1P(idr0) && SMMU_IDR0_S2P(idr0))
		info->caps |= IOMMUNEST_CAP_NESTING;
	if (!info->pasid_bits)
		info->pasid_bits = (uint32_t)SMMU_IDR1_SSIDSIZE(d.idr[1]);
	info->addr_bits = smmu_oas_bits((uint32_t)SMMU_IDR5_OAS(idr5));
	if (SMMU_IDR5_GRAN4K(idr5))
		info->pgsize_bitmap |= SZ_4K | SZ_2M | SZ_1G;
	if (SMMU_IDR5_GRAN16K(idr5))
		info->pgsize_bitmap |= SZ_16K | SZ_32M;
	if (SMMU_IDR5_GRAN64K(idr5))
		info->pgsize_bitmap |= SZ_64K | SZ_512M;
}

/* Fill the decoded fields from the raw ones already in info. */
static void decode(struct iommunest_hw_info *info)
{
	if (info->kernel_caps & KABI_HW_CAP_DIRTY_TRACKING)
		info->caps |= IOMMUNEST_CAP_DIRTY_TRACKING;
	if (info->kernel_caps & KABI_HW_CAP_PCI_PASID_EXEC)
		info->caps |= IOMMUNEST_CAP_PASID_EXEC;
	if (info->kernel_caps & KABI_HW_CAP_PCI_PASID_PRIV)
		info->caps |= IOMMUNEST_CAP_PASID_PRIV;
	if (info->type == IOMMUNEST_HW_INFO_INTEL_VTD &&
	    info->raw_len >= sizeof(struct kabi_hw_info_vtd))
		decode_vtd(info);
	else if (info->type == IOMMUNEST_HW_INFO_ARM_SMMUV3 &&
		 info->raw_len >= sizeof(struct kabi_hw_info_smmuv3))
		decode_smmuv3(info);
	if (info->pasid_bits)
		info->caps |= IOMMUNEST_CAP_PASID;
}

INEST_EXPORT int iommunest_hw_info(struct iommunest_ctx *ctx, uint32_t dev_id,
				   struct iommunest_hw_info *info)
{
	uint8_t raw[IOMMUNEST_HW_INFO_RAW_MAX] = { 0 };
	struct kabi_hw_info cmd = {
		.size = sizeof(cmd),
		.dev_id = dev_id,
		.data_len = sizeof(raw),
		.data_uptr = inest_uptr(raw),
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !info)
		return -EINVAL;
	rc = inest_ioctl(ctx->fd, KABI_IOMMU_GET_HW_INFO, &cmd);
	if (rc)
		return rc;
	memset(info, 0, sizeof(*info));
	info->type = cmd.out_data_type;
	/* data_len comes back as the kernel's size, which may exceed ours. */
	info->raw_len = cmd.data_len < sizeof(raw) ? cmd.data_len
						    : (uint32_t)sizeof(raw);
	memcpy(info->raw, raw, info->raw_len);
	info->kernel_caps = cmd.out_capabilities;
	info->pasid_bits = cmd.out_max_pasid_log2;
	decode(info);
	return 0;
}
