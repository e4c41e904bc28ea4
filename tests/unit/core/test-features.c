/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* iommunest_features(): the command probes, the derived type sets, and
 * the scratch allocations of IOMMUNEST_FEATURES_PROBE with their cleanup. */
#include <fcntl.h>
#include <unistd.h>

#include "suites.h"

#define DEV_ID 7u
#define FIRST_ID 100u
#define NCMDS 23u /* 0x80 .. 0x95, then 0xa0 */
#define PROBE IOMMUNEST_FEATURES_PROBE
#define SEL (1u << IOMMUNEST_FEAT_SELFTEST_BIT)
#define BIT(n) (1u << (n))
/* The command bits of 0x80 .. last. */
#define CMDS_UPTO(last) \
	((IOMMUNEST_FEAT_IOCTL(last) << 1) - IOMMUNEST_FEAT_IOCTL(0x80u))

#define VTD_ECAP_NEST (1ull << 26)
#define SMMU_IDR0_S1P_S2P 3u

/* ---- kernels -------------------------------------------------------- */

/* A kernel by its last iommufd command and whether it has the mock. */
struct kernel {
	unsigned int last;
	bool mock;
};

static const struct kernel k612 = { 0x8e, true };        /* fault queue */
static const struct kernel k612_plain = { 0x8e, false }; /* no mock */
static const struct kernel k614 = { 0x92, false };       /* no vEVENTQ */
static const struct kernel k73 = { 0x95, true };
static const struct kernel k73_plain = { 0x95, false };

/* Each probe: EINVAL for a command the kernel has, ENOTTY otherwise. */
static void script_cmds(const struct kernel *k)
{
	unsigned int nr;

	for (nr = 0x80; nr <= 0x95; nr++)
		fk_expect(KABI_IOMMUFD_CMD(nr), NULL, NULL,
			  nr <= k->last ? EINVAL : ENOTTY);
	fk_expect(KABI_IOMMUFD_CMD(0xa0), NULL, NULL,
		  k->mock ? EINVAL : ENOTTY);
}

static uint64_t cmds_of(const struct kernel *k)
{
	return CMDS_UPTO(k->last) | (k->mock ? IOMMUNEST_FEAT_MOCK : 0);
}

/* The first NCMDS calls: every number once, in order, with size 0. */
static void check_cmds(void)
{
	unsigned int i;
	const struct fk_call *c;

	for (i = 0; i < NCMDS; i++) {
		c = fk_call(i);
		ck_assert_ptr_nonnull(c);
		ck_assert_uint_eq(c->req,
				  KABI_IOMMUFD_CMD(i < NCMDS - 1 ? 0x80 + i
								 : 0xa0));
		ck_assert_uint_eq(c->len, 0);
		ck_assert_int_eq(c->fd, iommunest_fd(uctx));
	}
}

/* ---- the kernel's objects --------------------------------------------- */

/* Objects the scripted kernel made and not yet destroyed, oldest first,
 * and the vEVENTQ descriptors it handed out. */
static struct {
	uint32_t next;
	uint32_t live[16];
	unsigned int nlive;
	int fds[16];
	unsigned int nfds;
} km;

static void km_reset(void)
{
	memset(&km, 0, sizeof(km));
	km.next = FIRST_ID;
}

static uint32_t km_new(void)
{
	ck_assert_uint_lt(km.nlive, 16);
	km.live[km.nlive++] = km.next;
	return km.next++;
}

static void h_ioas(void *arg, void *priv)
{
	(void)priv;
	((struct kabi_ioas_alloc *)arg)->out_ioas_id = km_new();
}

static void h_hwpt(void *arg, void *priv)
{
	(void)priv;
	((struct kabi_hwpt_alloc *)arg)->out_hwpt_id = km_new();
}

static void h_viommu(void *arg, void *priv)
{
	(void)priv;
	((struct kabi_viommu_alloc *)arg)->out_viommu_id = km_new();
}

static void h_veventq(void *arg, void *priv)
{
	struct kabi_veventq_alloc *cmd = arg;
	int fd = fk_open_fd();

	(void)priv;
	ck_assert_int_ge(fd, 0);
	km.fds[km.nfds++] = fd;
	cmd->out_veventq_id = km_new();
	cmd->out_veventq_fd = (uint32_t)fd;
}

/* Only the newest live object can go: the order is newest first. */
static void h_destroy(void *arg, void *priv)
{
	(void)priv;
	ck_assert_uint_gt(km.nlive, 0);
	ck_assert_uint_eq(((struct kabi_destroy *)arg)->id,
			  km.live[km.nlive - 1]);
	km.nlive--;
}

static void assert_fds_closed(void)
{
	unsigned int i;

	for (i = 0; i < km.nfds; i++)
		ck_assert_int_lt(fcntl(km.fds[i], F_GETFD), 0);
}

/* ---- hardware information ---------------------------------------------- */

struct hw {
	uint32_t type;
	uint8_t pasid_log2;
	uint64_t kernel_caps;
	const void *blob;
	uint32_t len;
};

static void h_hw_info(void *arg, void *priv)
{
	struct kabi_hw_info *cmd = arg;
	const struct hw *h = priv;

	if (h->len)
		memcpy((void *)(uintptr_t)cmd->data_uptr, h->blob,
		       h->len < cmd->data_len ? h->len : cmd->data_len);
	cmd->data_len = h->len;
	cmd->out_data_type = h->type;
	cmd->out_max_pasid_log2 = h->pasid_log2;
	cmd->out_capabilities = h->kernel_caps;
}

/* The Tegra241 CMDQV answers its own type. */
static void h_tegra(void *arg, void *priv)
{
	struct kabi_hw_info *cmd = arg;

	(void)priv;
	cmd->data_len = sizeof(struct kabi_hw_info_tegra241);
	cmd->out_data_type = KABI_HW_INFO_TYPE_TEGRA241;
}

static const struct kabi_hw_info_vtd vtd_nest = { .ecap_reg = VTD_ECAP_NEST };
static const struct kabi_hw_info_vtd vtd_flat = { .ecap_reg = 0 };
static const struct kabi_hw_info_smmuv3 smmu_nest = {
	.idr = { SMMU_IDR0_S1P_S2P } };

static const struct hw hw_vtd = { IOMMUNEST_HW_INFO_INTEL_VTD, 20,
				  KABI_HW_CAP_DIRTY_TRACKING, &vtd_nest,
				  sizeof(vtd_nest) };
static const struct hw hw_vtd_flat = { IOMMUNEST_HW_INFO_INTEL_VTD, 0, 0,
				       &vtd_flat, sizeof(vtd_flat) };
static const struct hw hw_smmu = { IOMMUNEST_HW_INFO_ARM_SMMUV3, 0, 0,
				   &smmu_nest, sizeof(smmu_nest) };
static const struct hw hw_amd = { IOMMUNEST_HW_INFO_AMD, 0, 0, NULL, 0 };
static const struct hw hw_mock = { IOMMUNEST_HW_INFO_SELFTEST, 0, 0, NULL,
				   0 };
static const struct hw hw_none = { IOMMUNEST_HW_INFO_NONE, 0, 0, NULL, 0 };

/* ---- scripted sequences ------------------------------------------------ */

struct step {
	unsigned long req;
	fk_handler h;
	const void *priv;
	int err;
	int delta; /* objects made (1) or destroyed (-1) */
};

#define S_HW(hw) { KABI_IOMMU_GET_HW_INFO, h_hw_info, &(hw), 0, 0 }
#define S_TEGRA_NO { KABI_IOMMU_GET_HW_INFO, NULL, NULL, EOPNOTSUPP, 0 }
#define S_TEGRA_YES { KABI_IOMMU_GET_HW_INFO, h_tegra, NULL, 0, 0 }
#define S_IOAS { KABI_IOMMU_IOAS_ALLOC, h_ioas, NULL, 0, 1 }
#define S_PARENT { KABI_IOMMU_HWPT_ALLOC, h_hwpt, NULL, 0, 1 }
#define S_VIOMMU { KABI_IOMMU_VIOMMU_ALLOC, h_viommu, NULL, 0, 1 }
#define S_VEVENTQ { KABI_IOMMU_VEVENTQ_ALLOC, h_veventq, NULL, 0, 1 }
#define S_INV { KABI_IOMMU_HWPT_INVALIDATE, NULL, NULL, 0, 0 }
#define S_DESTROY { KABI_IOMMU_DESTROY, h_destroy, NULL, 0, -1 }
#define S_FAIL(req, err) { (req), NULL, NULL, (err), 0 }

/* The mock on 7.3: one vIOMMU with a vEVENTQ and an empty invalidation. */
static const struct step mock73[] = {
	S_HW(hw_mock), S_IOAS, S_PARENT, S_VIOMMU, S_VEVENTQ, S_INV,
	S_DESTROY, S_DESTROY, S_DESTROY, S_DESTROY,
};

/* An SMMUv3 with a Tegra241 CMDQV on 7.3: a vIOMMU of each type. */
static const struct step tegra73[] = {
	S_HW(hw_smmu), S_TEGRA_YES, S_IOAS, S_PARENT,
	S_VIOMMU, S_VEVENTQ, S_INV, S_DESTROY, S_DESTROY,
	S_VIOMMU, S_VEVENTQ, S_DESTROY, S_DESTROY,
	S_DESTROY, S_DESTROY,
};

#define NSTEPS(a) (sizeof(a) / sizeof((a)[0]))

static void script(const struct step *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fk_expect(s[i].req, s[i].h, (void *)(uintptr_t)s[i].priv,
			  s[i].err);
}

/* One call on kernel k scripted with steps; *f starts out as garbage. */
static int run(const struct kernel *k, const struct step *s, size_t n,
	       uint32_t dev_id, uint32_t flags, struct iommunest_features *f)
{
	int rc;

	km_reset();
	script_cmds(k);
	script(s, n);
	memset(f, 0xa5, sizeof(*f));
	rc = iommunest_features(uctx, dev_id, flags, f);
	ck_assert_uint_eq(fk_unexpected(), 0);
	ck_assert_uint_eq(fk_pending(), 0);
	ck_assert_uint_eq(km.nlive, 0);
	assert_fds_closed();
	return rc;
}

static void assert_reserved_zero(const struct iommunest_features *f)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(f->reserved[i], 0);
}

static void assert_untouched(const struct iommunest_features *f)
{
	const unsigned char *p = (const unsigned char *)f;
	size_t i;

	for (i = 0; i < sizeof(*f); i++)
		ck_assert_uint_eq(p[i], 0xa5);
}

/* The type sets, in the order of the struct. */
static void assert_sets(const struct iommunest_features *f, uint32_t hwpt,
			uint32_t viommu, uint32_t inv, uint32_t veventq,
			uint32_t hw_queue)
{
	ck_assert_uint_eq(f->hwpt_data_types, hwpt);
	ck_assert_uint_eq(f->viommu_types, viommu);
	ck_assert_uint_eq(f->inv_types, inv);
	ck_assert_uint_eq(f->veventq_types, veventq);
	ck_assert_uint_eq(f->hw_queue_types, hw_queue);
	assert_reserved_zero(f);
}

/* ---- commands ---------------------------------------------------------- */

START_TEST(commands_7_3)
{
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73, NULL, 0, 0, 0, &f), 0);
	check_cmds();
	ck_assert_uint_eq(fk_ncalls(), NCMDS);
	ck_assert_uint_eq(f.ioctls, cmds_of(&k73));
	ck_assert(f.ioctls & IOMMUNEST_FEAT_HW_QUEUE);
	ck_assert(f.ioctls & IOMMUNEST_FEAT_MOCK);
	ck_assert_uint_eq(f.hw_info_type, 0);
	ck_assert_uint_eq(f.pasid_bits, 0);
	ck_assert_uint_eq(f.caps, 0);
	ck_assert_uint_eq(f.flags, 0);
	assert_sets(&f, 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(commands_6_12)
{
	struct iommunest_features f;

	ck_assert_int_eq(run(&k612, NULL, 0, 0, 0, &f), 0);
	check_cmds();
	ck_assert_uint_eq(f.ioctls, cmds_of(&k612));
	ck_assert(f.ioctls & IOMMUNEST_FEAT_FAULT_QUEUE);
	ck_assert(!(f.ioctls & IOMMUNEST_FEAT_MAP_FILE));
	ck_assert(!(f.ioctls & IOMMUNEST_FEAT_VIOMMU));
	ck_assert(f.ioctls & IOMMUNEST_FEAT_MOCK);
	assert_sets(&f, 0, 0, 0, 0, 0);

	fk_reset();
	ck_assert_int_eq(run(&k612_plain, NULL, 0, 0, 0, &f), 0);
	check_cmds();
	ck_assert_uint_eq(f.ioctls, CMDS_UPTO(0x8eu));
	ck_assert(!(f.ioctls & IOMMUNEST_FEAT_MOCK));
}
END_TEST

/* A descriptor that is not an iommufd answers ENOTTY to everything. */
START_TEST(commands_none)
{
	struct iommunest_features f;
	unsigned int i;

	memset(&f, 0xa5, sizeof(f));
	for (i = 0; i < NCMDS; i++)
		fk_expect(KABI_IOMMUFD_CMD(i < NCMDS - 1 ? 0x80 + i : 0xa0),
			  NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_features(uctx, 0, 0, &f), 0);
	ck_assert_uint_eq(f.ioctls, 0);
	assert_sets(&f, 0, 0, 0, 0, 0);
}
END_TEST

/* Refused before the command is looked at: the call fails at once. */
START_TEST(commands_refused)
{
	static const int errs[] = { EBADF, EACCES, EPERM, EFAULT };
	struct iommunest_features f;
	unsigned int i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		fk_reset();
		memset(&f, 0xa5, sizeof(f));
		fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, errs[i]);
		ck_assert_int_eq(iommunest_features(uctx, DEV_ID, PROBE, &f),
				 -errs[i]);
		ck_assert_uint_eq(fk_ncalls(), 1);
		assert_untouched(&f);
	}
}
END_TEST

/* Any answer but ENOTTY means the kernel knows the number. */
START_TEST(commands_other_answer)
{
	struct iommunest_features f;
	unsigned int nr;

	memset(&f, 0xa5, sizeof(f));
	for (nr = 0x80; nr <= 0x95; nr++)
		fk_expect(KABI_IOMMUFD_CMD(nr), NULL, NULL,
			  nr == 0x90 ? EOPNOTSUPP : nr == 0x91 ? 0 : ENOTTY);
	fk_expect(KABI_IOMMUFD_CMD(0xa0), NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_features(uctx, 0, 0, &f), 0);
	ck_assert_uint_eq(f.ioctls,
			  IOMMUNEST_FEAT_VIOMMU | IOMMUNEST_FEAT_VDEVICE);
}
END_TEST

/* ---- a device, without PROBE --------------------------------------- */

START_TEST(device_vtd)
{
	static const struct step s[] = { S_HW(hw_vtd) };
	struct iommunest_features f;
	struct kabi_hw_info h;

	ck_assert_int_eq(run(&k612, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + 1);
	FK_GET(NCMDS, KABI_IOMMU_GET_HW_INFO, h);
	ck_assert_uint_eq(h.size, sizeof(h));
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_uint_eq(h.dev_id, DEV_ID);
	ck_assert_uint_eq(h.data_len, IOMMUNEST_HW_INFO_RAW_MAX);
	ck_assert_uint_ne(h.data_uptr, 0);
	ck_assert_uint_eq(h.out_data_type, 0);
	ck_assert_uint_eq(h.out_capabilities, 0);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_INTEL_VTD);
	ck_assert_uint_eq(f.pasid_bits, 20);
	ck_assert_uint_eq(f.caps, IOMMUNEST_CAP_NESTING | IOMMUNEST_CAP_PASID |
			  IOMMUNEST_CAP_DIRTY_TRACKING);
	ck_assert_uint_eq(f.flags, 0);
	assert_sets(&f, BIT(IOMMUNEST_HWPT_DATA_VTD_S1), 0,
		    BIT(IOMMUNEST_INV_VTD_S1), 0, 0);
}
END_TEST

/* A VT-d without ECAP.NEST (every QEMU here) takes no nested type. */
START_TEST(device_vtd_no_nesting)
{
	static const struct step s[] = { S_HW(hw_vtd_flat) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_INTEL_VTD);
	ck_assert_uint_eq(f.caps, 0);
	assert_sets(&f, 0, 0, 0, 0, 0);
}
END_TEST

/* 7.3: the Tegra241 question is asked, the answer is no. */
START_TEST(device_smmuv3_7_3)
{
	static const struct step s[] = { S_HW(hw_smmu), S_TEGRA_NO };
	struct iommunest_features f;
	struct kabi_hw_info h;

	ck_assert_int_eq(run(&k73_plain, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + 2);
	FK_GET(NCMDS + 1, KABI_IOMMU_GET_HW_INFO, h);
	ck_assert_uint_eq(h.size, sizeof(h));
	ck_assert_uint_eq(h.flags, KABI_HW_INFO_FLAG_INPUT_TYPE);
	ck_assert_uint_eq(h.dev_id, DEV_ID);
	ck_assert_uint_eq(h.data_len, 0);
	ck_assert_uint_eq(h.data_uptr, 0);
	ck_assert_uint_eq(h.out_data_type, KABI_HW_INFO_TYPE_TEGRA241);
	ck_assert_uint_eq(h.out_max_pasid_log2, 0);
	ck_assert_uint_eq(h.reserved[0] | h.reserved[1] | h.reserved[2], 0);
	ck_assert_uint_eq(h.out_capabilities, 0);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_ARM_SMMUV3);
	ck_assert(f.caps & IOMMUNEST_CAP_NESTING);
	assert_sets(&f, BIT(IOMMUNEST_HWPT_DATA_ARM_SMMUV3),
		    BIT(IOMMUNEST_VIOMMU_ARM_SMMUV3),
		    BIT(IOMMUNEST_INV_ARM_SMMUV3),
		    BIT(IOMMUNEST_VEVENTQ_ARM_SMMUV3), 0);
}
END_TEST

/* 6.14: vIOMMUs but no vEVENTQ, and no hw info input type to ask. */
START_TEST(device_smmuv3_6_14)
{
	static const struct step s[] = { S_HW(hw_smmu) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k614, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + 1);
	assert_sets(&f, BIT(IOMMUNEST_HWPT_DATA_ARM_SMMUV3),
		    BIT(IOMMUNEST_VIOMMU_ARM_SMMUV3),
		    BIT(IOMMUNEST_INV_ARM_SMMUV3), 0, 0);
}
END_TEST

/* 6.12: no vIOMMU, so nothing for an SMMUv3 (its nesting needs one). */
START_TEST(device_smmuv3_6_12)
{
	static const struct step s[] = { S_HW(hw_smmu) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k612_plain, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_ARM_SMMUV3);
	assert_sets(&f, 0, 0, 0, 0, 0);
}
END_TEST

START_TEST(device_tegra241)
{
	static const struct step s[] = { S_HW(hw_smmu), S_TEGRA_YES };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73_plain, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_TEGRA241_CMDQV);
	assert_sets(&f, BIT(IOMMUNEST_HWPT_DATA_ARM_SMMUV3),
		    BIT(IOMMUNEST_VIOMMU_ARM_SMMUV3) |
		    BIT(IOMMUNEST_VIOMMU_TEGRA241_CMDQV),
		    BIT(IOMMUNEST_INV_ARM_SMMUV3),
		    BIT(IOMMUNEST_VEVENTQ_ARM_SMMUV3) |
		    BIT(IOMMUNEST_VEVENTQ_TEGRA241_CMDQV),
		    BIT(IOMMUNEST_HW_QUEUE_TEGRA241_CMDQV));
}
END_TEST

START_TEST(device_amd)
{
	static const struct step s[] = { S_HW(hw_amd) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73_plain, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_AMD);
	assert_sets(&f, BIT(IOMMUNEST_HWPT_DATA_AMD_GUEST), 0, 0, 0, 0);
}
END_TEST

START_TEST(device_mock_6_12)
{
	static const struct step s[] = { S_HW(hw_mock) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k612, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_SELFTEST);
	assert_sets(&f, SEL, 0, SEL, 0, 0);
}
END_TEST

START_TEST(device_mock_7_3)
{
	static const struct step s[] = { S_HW(hw_mock) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + 1);
	assert_sets(&f, SEL, SEL, SEL, SEL, SEL);
}
END_TEST

/* An IOMMU driver without hardware information: no types. */
START_TEST(device_none)
{
	static const struct step s[] = { S_HW(hw_none) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73, s, NSTEPS(s), DEV_ID, 0, &f), 0);
	ck_assert_uint_eq(f.hw_info_type, 0);
	assert_sets(&f, 0, 0, 0, 0, 0);
}
END_TEST

/* No such device: the kernel's answer, nothing written. */
START_TEST(device_unknown)
{
	static const struct step s[] = {
		S_FAIL(KABI_IOMMU_GET_HW_INFO, ENOENT) };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73, s, NSTEPS(s), DEV_ID, PROBE, &f), -ENOENT);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + 1);
	assert_untouched(&f);
}
END_TEST

/* ---- PROBE ------------------------------------------------------------- */

static void get_ioas(unsigned int n)
{
	struct kabi_ioas_alloc c;

	FK_GET(n, KABI_IOMMU_IOAS_ALLOC, c);
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.flags, 0);
	ck_assert_uint_eq(c.out_ioas_id, 0);
}

static void get_parent(unsigned int n, uint32_t ioas)
{
	struct kabi_hwpt_alloc c;

	FK_GET(n, KABI_IOMMU_HWPT_ALLOC, c);
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.flags, KABI_HWPT_ALLOC_NEST_PARENT);
	ck_assert_uint_eq(c.dev_id, DEV_ID);
	ck_assert_uint_eq(c.pt_id, ioas);
	ck_assert_uint_eq(c.out_hwpt_id, 0);
	ck_assert_uint_eq(c.reserved, 0);
	ck_assert_uint_eq(c.data_type, KABI_HWPT_DATA_NONE);
	ck_assert_uint_eq(c.data_len, 0);
	ck_assert_uint_eq(c.data_uptr, 0);
	ck_assert_uint_eq(c.fault_id, 0);
	ck_assert_uint_eq(c.reserved2, 0);
}

static void get_viommu(unsigned int n, uint32_t type, uint32_t parent,
		       uint32_t data_len)
{
	struct kabi_viommu_alloc c;

	FK_GET(n, KABI_IOMMU_VIOMMU_ALLOC, c);
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.flags, 0);
	ck_assert_uint_eq(c.type, type);
	ck_assert_uint_eq(c.dev_id, DEV_ID);
	ck_assert_uint_eq(c.hwpt_id, parent);
	ck_assert_uint_eq(c.out_viommu_id, 0);
	ck_assert_uint_eq(c.data_len, data_len);
	ck_assert_uint_eq(c.reserved, 0);
	if (data_len)
		ck_assert_uint_ne(c.data_uptr, 0);
	else
		ck_assert_uint_eq(c.data_uptr, 0);
}

static void get_veventq(unsigned int n, uint32_t viommu, uint32_t type)
{
	struct kabi_veventq_alloc c;

	FK_GET(n, KABI_IOMMU_VEVENTQ_ALLOC, c);
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.flags, 0);
	ck_assert_uint_eq(c.viommu_id, viommu);
	ck_assert_uint_eq(c.type, type);
	ck_assert_uint_eq(c.veventq_depth, 1);
	ck_assert_uint_eq(c.out_veventq_id, 0);
	ck_assert_uint_eq(c.out_veventq_fd, 0);
	ck_assert_uint_eq(c.reserved, 0);
}

/* An empty array: the kernel checks only the type. */
static void get_inv(unsigned int n, uint32_t target, uint32_t type)
{
	struct kabi_hwpt_invalidate c;

	FK_GET(n, KABI_IOMMU_HWPT_INVALIDATE, c);
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.hwpt_id, target);
	ck_assert_uint_eq(c.data_uptr, 0);
	ck_assert_uint_eq(c.data_type, type);
	ck_assert_uint_eq(c.entry_len, 0);
	ck_assert_uint_eq(c.entry_num, 0);
	ck_assert_uint_eq(c.reserved, 0);
}

static void get_destroy(unsigned int n, uint32_t id)
{
	struct kabi_destroy c;

	FK_GET(n, KABI_IOMMU_DESTROY, c);
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.id, id);
}

START_TEST(probe_mock_7_3)
{
	struct iommunest_features f;
	unsigned int n = NCMDS + 1;

	ck_assert_int_eq(run(&k73, mock73, NSTEPS(mock73), DEV_ID, PROBE, &f),
			 0);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + NSTEPS(mock73));
	get_ioas(n);
	get_parent(n + 1, 100);
	get_viommu(n + 2, IOMMUNEST_VIOMMU_SELFTEST, 101, 0);
	get_veventq(n + 3, 102, IOMMUNEST_VEVENTQ_SELFTEST);
	get_inv(n + 4, 102, IOMMUNEST_INV_SELFTEST);
	get_destroy(n + 5, 103);
	get_destroy(n + 6, 102);
	get_destroy(n + 7, 101);
	get_destroy(n + 8, 100);
	ck_assert_uint_eq(km.nfds, 1);
	ck_assert_uint_eq(f.ioctls, cmds_of(&k73));
	ck_assert_uint_eq(f.flags, IOMMUNEST_FEATURES_PROBED);
	ck_assert_uint_eq(f.caps, IOMMUNEST_CAP_NESTING);
	assert_sets(&f, SEL, SEL, SEL, SEL, SEL);
}
END_TEST

/* 6.12: no vIOMMU, so the parent is all there is to confirm. */
START_TEST(probe_mock_6_12)
{
	static const struct step s[] = {
		S_HW(hw_mock), S_IOAS, S_PARENT, S_DESTROY, S_DESTROY };
	struct iommunest_features f;
	unsigned int n = NCMDS + 1;

	ck_assert_int_eq(run(&k612, s, NSTEPS(s), DEV_ID, PROBE, &f), 0);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + NSTEPS(s));
	get_ioas(n);
	get_parent(n + 1, 100);
	get_destroy(n + 2, 101);
	get_destroy(n + 3, 100);
	ck_assert_uint_eq(f.flags, IOMMUNEST_FEATURES_PROBED);
	ck_assert_uint_eq(f.caps, IOMMUNEST_CAP_NESTING);
	assert_sets(&f, SEL, 0, SEL, 0, 0);
}
END_TEST

START_TEST(probe_tegra241)
{
	struct iommunest_features f;
	unsigned int n = NCMDS + 2;

	ck_assert_int_eq(run(&k73_plain, tegra73, NSTEPS(tegra73), DEV_ID,
			     PROBE, &f), 0);
	ck_assert_uint_eq(fk_ncalls(), NCMDS + NSTEPS(tegra73));
	get_ioas(n);
	get_parent(n + 1, 100);
	get_viommu(n + 2, IOMMUNEST_VIOMMU_ARM_SMMUV3, 101, 0);
	get_veventq(n + 3, 102, IOMMUNEST_VEVENTQ_ARM_SMMUV3);
	get_inv(n + 4, 102, IOMMUNEST_INV_ARM_SMMUV3);
	get_destroy(n + 5, 103);
	get_destroy(n + 6, 102);
	/* Its driver data (the VINTF page to map) is asked for. */
	get_viommu(n + 7, IOMMUNEST_VIOMMU_TEGRA241_CMDQV, 101,
		   sizeof(struct kabi_viommu_tegra241));
	get_veventq(n + 8, 104, IOMMUNEST_VEVENTQ_TEGRA241_CMDQV);
	get_destroy(n + 9, 105);
	get_destroy(n + 10, 104);
	get_destroy(n + 11, 101);
	get_destroy(n + 12, 100);
	ck_assert_uint_eq(km.nfds, 2);
	ck_assert_uint_eq(f.hw_info_type, IOMMUNEST_HW_INFO_TEGRA241_CMDQV);
	ck_assert_uint_eq(f.flags, IOMMUNEST_FEATURES_PROBED);
	assert_sets(&f, BIT(IOMMUNEST_HWPT_DATA_ARM_SMMUV3),
		    BIT(IOMMUNEST_VIOMMU_ARM_SMMUV3) |
		    BIT(IOMMUNEST_VIOMMU_TEGRA241_CMDQV),
		    BIT(IOMMUNEST_INV_ARM_SMMUV3),
		    BIT(IOMMUNEST_VEVENTQ_ARM_SMMUV3) |
		    BIT(IOMMUNEST_VEVENTQ_TEGRA241_CMDQV),
		    BIT(IOMMUNEST_HW_QUEUE_TEGRA241_CMDQV));
}
END_TEST

/* No nesting parent (VT-d without ECAP.NEST): nothing nests, and the
 * allocation, not the registers, says so; the IOAS is gone again. */
START_TEST(probe_no_parent)
{
	static const struct step s[] = {
		S_HW(hw_vtd), S_IOAS,
		S_FAIL(KABI_IOMMU_HWPT_ALLOC, EOPNOTSUPP), S_DESTROY };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73_plain, s, NSTEPS(s), DEV_ID, PROBE, &f),
			 0);
	get_destroy(NCMDS + 3, 100);
	ck_assert_uint_eq(f.flags, IOMMUNEST_FEATURES_PROBED);
	ck_assert_uint_eq(f.caps, IOMMUNEST_CAP_PASID |
			  IOMMUNEST_CAP_DIRTY_TRACKING);
	assert_sets(&f, 0, 0, 0, 0, 0);
}
END_TEST

/* PROBE tries even where the registers say no: the parent decides. */
START_TEST(probe_vtd_flat_parent_ok)
{
	static const struct step s[] = {
		S_HW(hw_vtd_flat), S_IOAS, S_PARENT, S_DESTROY, S_DESTROY };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73_plain, s, NSTEPS(s), DEV_ID, PROBE, &f),
			 0);
	ck_assert_uint_eq(f.caps, IOMMUNEST_CAP_NESTING);
	assert_sets(&f, BIT(IOMMUNEST_HWPT_DATA_VTD_S1), 0,
		    BIT(IOMMUNEST_INV_VTD_S1), 0, 0);
}
END_TEST

/* An SMMUv3 whose vIOMMU is refused (no CANWBS, no S2FWB): its nested
 * type needs a vIOMMU, so nothing is left. */
START_TEST(probe_viommu_refused)
{
	static const struct step s[] = {
		S_HW(hw_smmu), S_TEGRA_NO, S_IOAS, S_PARENT,
		S_FAIL(KABI_IOMMU_VIOMMU_ALLOC, EOPNOTSUPP),
		S_DESTROY, S_DESTROY };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73_plain, s, NSTEPS(s), DEV_ID, PROBE, &f),
			 0);
	get_destroy(NCMDS + 5, 101);
	get_destroy(NCMDS + 6, 100);
	ck_assert_uint_eq(f.flags, IOMMUNEST_FEATURES_PROBED);
	ck_assert(f.caps & IOMMUNEST_CAP_NESTING);
	assert_sets(&f, 0, 0, 0, 0, 0);
}
END_TEST

/* The vEVENTQ and the invalidation type are refused: only they go. */
START_TEST(probe_partial)
{
	static const struct step s[] = {
		S_HW(hw_mock), S_IOAS, S_PARENT, S_VIOMMU,
		S_FAIL(KABI_IOMMU_VEVENTQ_ALLOC, EOPNOTSUPP),
		S_FAIL(KABI_IOMMU_HWPT_INVALIDATE, EINVAL),
		S_DESTROY, S_DESTROY, S_DESTROY };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73, s, NSTEPS(s), DEV_ID, PROBE, &f), 0);
	get_destroy(NCMDS + 6, 102);
	/* The mock's invalidation type stays: nested HWPTs take it too. */
	assert_sets(&f, SEL, SEL, SEL, 0, SEL);
}
END_TEST

/* A kernel without the ioctl behind a type answers ENOSYS (ENOTTY): the
 * type goes, the probe goes on. */
START_TEST(probe_enotty_is_soft)
{
	static const struct step s[] = {
		S_HW(hw_mock), S_IOAS, S_PARENT,
		S_FAIL(KABI_IOMMU_VIOMMU_ALLOC, ENOTTY),
		S_DESTROY, S_DESTROY };
	struct iommunest_features f;

	ck_assert_int_eq(run(&k73, s, NSTEPS(s), DEV_ID, PROBE, &f), 0);
	assert_sets(&f, SEL, 0, SEL, 0, 0);
}
END_TEST

/*
 * A hard failure (ENOMEM) at each step in turn: the call fails, *f is
 * untouched, and every object made so far is destroyed, newest first
 * (h_destroy checks the order), every vEVENTQ fd closed.
 */
static void fail_each_step(const struct kernel *k, const struct step *s,
			   size_t n)
{
	struct iommunest_features f;
	size_t fail, i;
	int live;

	for (fail = 0; fail < n; fail++) {
		if (s[fail].delta < 0)
			continue;
		fk_reset();
		km_reset();
		script_cmds(k);
		for (i = 0, live = 0; i < fail; i++) {
			fk_expect(s[i].req, s[i].h,
				  (void *)(uintptr_t)s[i].priv, s[i].err);
			live += s[i].delta;
		}
		fk_expect(s[fail].req, NULL, NULL, ENOMEM);
		for (i = 0; i < (size_t)live; i++)
			fk_expect(KABI_IOMMU_DESTROY, h_destroy, NULL, 0);
		memset(&f, 0xa5, sizeof(f));
		ck_assert_msg(iommunest_features(uctx, DEV_ID, PROBE, &f) ==
			      -ENOMEM, "step %zu", fail);
		ck_assert_msg(fk_unexpected() == 0 && fk_pending() == 0,
			      "step %zu: calls differ from the script", fail);
		ck_assert_msg(km.nlive == 0, "step %zu: %u objects left",
			      fail, km.nlive);
		assert_fds_closed();
		assert_untouched(&f);
	}
}

START_TEST(cleanup_mock)
{
	fail_each_step(&k73, mock73, NSTEPS(mock73));
}
END_TEST

START_TEST(cleanup_tegra241)
{
	fail_each_step(&k73_plain, tegra73, NSTEPS(tegra73));
}
END_TEST

/* A destroy that fails does not stop the others; its error is the
 * call's, and *f is untouched. */
START_TEST(cleanup_destroy_fails)
{
	static const struct step s[] = {
		S_HW(hw_mock), S_IOAS, S_PARENT, S_VIOMMU, S_VEVENTQ, S_INV,
		S_DESTROY, S_FAIL(KABI_IOMMU_DESTROY, EBUSY),
		S_FAIL(KABI_IOMMU_DESTROY, EBUSY), S_FAIL(KABI_IOMMU_DESTROY, 0) };
	struct iommunest_features f;

	km_reset();
	script_cmds(&k73);
	script(s, NSTEPS(s));
	memset(&f, 0xa5, sizeof(f));
	ck_assert_int_eq(iommunest_features(uctx, DEV_ID, PROBE, &f), -EBUSY);
	get_destroy(NCMDS + 6, 103);
	get_destroy(NCMDS + 7, 102);
	get_destroy(NCMDS + 8, 101);
	get_destroy(NCMDS + 9, 100);
	assert_fds_closed();
	assert_untouched(&f);
}
END_TEST

/* ---- bad input ---------------------------------------------------------- */

START_TEST(bad_input)
{
	struct iommunest_features f;

	memset(&f, 0xa5, sizeof(f));
	ASSERT_REFUSED(iommunest_features(NULL, DEV_ID, 0, &f), -EINVAL);
	ASSERT_REFUSED(iommunest_features(uctx, DEV_ID, 0, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_features(uctx, DEV_ID, 1u << 1, &f),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_features(uctx, DEV_ID, PROBE | 1u << 31, &f),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_features(uctx, 0, PROBE, &f), -EINVAL);
	ck_assert_uint_eq(fk_ncalls(), 0);
	assert_untouched(&f);
}
END_TEST

Suite *suite_features(void)
{
	Suite *s = suite_create("features");
	TCase *cmds = tcase_create("commands");
	TCase *dev = tcase_create("device");
	TCase *probe = tcase_create("probe");

	tcase_add_checked_fixture(cmds, unit_setup, unit_teardown);
	tcase_add_test(cmds, commands_7_3);
	tcase_add_test(cmds, commands_6_12);
	tcase_add_test(cmds, commands_none);
	tcase_add_test(cmds, commands_refused);
	tcase_add_test(cmds, commands_other_answer);
	tcase_add_test(cmds, bad_input);
	suite_add_tcase(s, cmds);

	tcase_add_checked_fixture(dev, unit_setup, unit_teardown);
	tcase_add_test(dev, device_vtd);
	tcase_add_test(dev, device_vtd_no_nesting);
	tcase_add_test(dev, device_smmuv3_7_3);
	tcase_add_test(dev, device_smmuv3_6_14);
	tcase_add_test(dev, device_smmuv3_6_12);
	tcase_add_test(dev, device_tegra241);
	tcase_add_test(dev, device_amd);
	tcase_add_test(dev, device_mock_6_12);
	tcase_add_test(dev, device_mock_7_3);
	tcase_add_test(dev, device_none);
	tcase_add_test(dev, device_unknown);
	suite_add_tcase(s, dev);

	tcase_add_checked_fixture(probe, unit_setup, unit_teardown);
	tcase_add_test(probe, probe_mock_7_3);
	tcase_add_test(probe, probe_mock_6_12);
	tcase_add_test(probe, probe_tegra241);
	tcase_add_test(probe, probe_no_parent);
	tcase_add_test(probe, probe_vtd_flat_parent_ok);
	tcase_add_test(probe, probe_viommu_refused);
	tcase_add_test(probe, probe_partial);
	tcase_add_test(probe, probe_enotty_is_soft);
	tcase_add_test(probe, cleanup_mock);
	tcase_add_test(probe, cleanup_tegra241);
	tcase_add_test(probe, cleanup_destroy_fails);
	suite_add_tcase(s, probe);
	return s;
}
