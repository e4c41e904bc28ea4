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

/* AMD Extended Feature Register fields (the kernel's amd_iommu_types.h). */
#define AMD_EFR_PPR(e)    FIELD(e, 1, 1)  /* PPRSup */
#define AMD_EFR_GT(e)     FIELD(e, 4, 1)  /* GTSup */
#define AMD_EFR_GA(e)     FIELD(e, 7, 1)  /* GASup */
#define AMD_EFR_GATS(e)   FIELD(e, 12, 2) /* GATS */
#define AMD_EFR_GLX(e)    FIELD(e, 14, 2) /* GLX */
#define AMD_EFR_PASMAX(e) FIELD(e, 32, 5) /* PASmax */
#define AMD_EFR_GIO(e)    FIELD(e, 48, 1) /* GIoSup */
#define AMD_EFR_EPH(e)    FIELD(e, 50, 1) /* EPHSup */

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
	if (d.flags & KABI_HW_INFO_SMMUV3_REPEAT_TLBI_CFGI)
		info->caps |= IOMMUNEST_CAP_SMMUV3_REPEAT_TLBI;
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

/* PASIDs exist with guest translation only, PASmax + 1 bits wide. */
static uint32_t amd_pasid_bits(uint64_t efr)
{
	return AMD_EFR_GT(efr) ? (uint32_t)AMD_EFR_PASMAX(efr) + 1 : 0;
}

static void decode_amd(struct iommunest_hw_info *info)
{
	struct kabi_hw_info_amd d;

	memcpy(&d, info->raw, sizeof(d));
	if (AMD_EFR_GT(d.efr))
		info->caps |= IOMMUNEST_CAP_NESTING;
	if (!info->pasid_bits)
		info->pasid_bits = amd_pasid_bits(d.efr);
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
	if (info->kernel_caps & KABI_HW_CAP_PCI_ATS_NOT_SUPPORTED)
		info->caps |= IOMMUNEST_CAP_ATS_NOT_SUPPORTED;
	if (info->type == IOMMUNEST_HW_INFO_INTEL_VTD &&
	    info->raw_len >= sizeof(struct kabi_hw_info_vtd))
		decode_vtd(info);
	else if (info->type == IOMMUNEST_HW_INFO_ARM_SMMUV3 &&
		 info->raw_len >= sizeof(struct kabi_hw_info_smmuv3))
		decode_smmuv3(info);
	else if (info->type == IOMMUNEST_HW_INFO_AMD &&
		 info->raw_len >= sizeof(struct kabi_hw_info_amd))
		decode_amd(info);
	if (info->pasid_bits)
		info->caps |= IOMMUNEST_CAP_PASID;
}

/*
 * A kernel before 6.17 refuses the input-type flag with EOPNOTSUPP, as a
 * newer one refuses a type this IOMMU has no data for.  Ask again for
 * device 0, which no object ever is: a kernel that knows the flag gets
 * past it and answers ENOENT.
 */
static int input_type_result(int fd, int rc)
{
	struct kabi_hw_info probe = {
		.size = sizeof(probe),
		.flags = KABI_HW_INFO_FLAG_INPUT_TYPE,
	};

	if (rc != -EOPNOTSUPP)
		return rc;
	if (inest_ioctl(fd, KABI_IOMMU_GET_HW_INFO, &probe) == -EOPNOTSUPP)
		return -ENOSYS;
	return rc;
}

/* One IOMMU_GET_HW_INFO; type 0 asks for the default, as 6.16 and older
 * always do. */
static int hw_info_query(struct iommunest_ctx *ctx, uint32_t dev_id,
			 uint32_t type, struct iommunest_hw_info *info)
{
	uint8_t raw[IOMMUNEST_HW_INFO_RAW_MAX] = { 0 };
	struct kabi_hw_info cmd = {
		.size = sizeof(cmd),
		.flags = type ? KABI_HW_INFO_FLAG_INPUT_TYPE : 0,
		.dev_id = dev_id,
		.data_len = sizeof(raw),
		.data_uptr = inest_uptr(raw),
		.out_data_type = type, /* the kernel's in_data_type */
	};
	int rc;

	if (!inest_ctx_ok(ctx) || !info)
		return -EINVAL;
	rc = inest_ioctl(ctx->fd, KABI_IOMMU_GET_HW_INFO, &cmd);
	if (rc)
		return type ? input_type_result(ctx->fd, rc) : rc;
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

INEST_EXPORT int iommunest_hw_info(struct iommunest_ctx *ctx, uint32_t dev_id,
				   struct iommunest_hw_info *info)
{
	return hw_info_query(ctx, dev_id, 0, info);
}

INEST_EXPORT int iommunest_hw_info_type(struct iommunest_ctx *ctx,
					uint32_t dev_id, uint32_t type,
					struct iommunest_hw_info *info)
{
	return hw_info_query(ctx, dev_id, type, info);
}

INEST_EXPORT int iommunest_hw_info_amd(const struct iommunest_hw_info *info,
				       struct iommunest_hw_amd *amd)
{
	struct kabi_hw_info_amd d;

	if (!info || !amd || info->type != IOMMUNEST_HW_INFO_AMD ||
	    info->raw_len < sizeof(d))
		return -EINVAL;
	memcpy(&d, info->raw, sizeof(d));
	memset(amd, 0, sizeof(*amd));
	amd->efr = d.efr;
	amd->efr2 = d.efr2;
	amd->gt = AMD_EFR_GT(d.efr);
	amd->ga = AMD_EFR_GA(d.efr);
	amd->gio = AMD_EFR_GIO(d.efr);
	amd->ppr = AMD_EFR_PPR(d.efr);
	amd->eph = AMD_EFR_EPH(d.efr);
	amd->gats = (uint32_t)AMD_EFR_GATS(d.efr);
	amd->glx = (uint32_t)AMD_EFR_GLX(d.efr);
	amd->pasid_bits = amd_pasid_bits(d.efr);
	return 0;
}

INEST_EXPORT int
iommunest_hw_info_tegra241(const struct iommunest_hw_info *info,
			   struct iommunest_hw_tegra241 *cmdqv)
{
	struct kabi_hw_info_tegra241 d;

	if (!info || !cmdqv || info->type != IOMMUNEST_HW_INFO_TEGRA241_CMDQV ||
	    info->raw_len < sizeof(d))
		return -EINVAL;
	memcpy(&d, info->raw, sizeof(d));
	memset(cmdqv, 0, sizeof(*cmdqv));
	cmdqv->flags = d.flags;
	cmdqv->version = d.version;
	cmdqv->log2vcmdqs = d.log2vcmdqs;
	cmdqv->log2vsids = d.log2vsids;
	return 0;
}
