/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Feature discovery: the kernel's iommufd commands and a device's types. */
#include <string.h>
#include <unistd.h>

#include "abi.h"
#include "internal.h"

/* Probed command numbers: all that 7.3 defines, then the mock's. */
#define CMD_FIRST 0x80u
#define CMD_LAST  0x95u /* IOMMU_IOAS_NOIOMMU_GET_PA, the last in 7.3 */
#define CMD_MOCK  0xa0u

#define FEAT(req) IOMMUNEST_FEAT_IOCTL(_IOC_NR(req))
#define HAS(f, req) (((f)->ioctls & FEAT(req)) != 0)

/* Bit 31 of a type set stands for the mock IOMMU's type, whatever its
 * number; every real type is a small number. */
#define SEL (1u << IOMMUNEST_FEAT_SELFTEST_BIT)
#define BIT(t) (1u << (t))

static uint32_t tbit(uint32_t type)
{
	return type < IOMMUNEST_FEAT_SELFTEST_BIT ? BIT(type) : SEL;
}

/* A vIOMMU type and the types that come with a vIOMMU of it. */
struct vfamily {
	uint32_t viommu;   /* IOMMU_VIOMMU_ALLOC type */
	uint32_t veventq;  /* its vEVENTQ type */
	uint32_t inv;      /* the invalidation type it takes */
	uint32_t hw_queue; /* its HW queue type; 0: none */
	uint32_t data_len; /* driver data its allocation needs (out only) */
};

enum { F_SMMUV3, F_TEGRA241, F_SELFTEST, F_COUNT };

static const struct vfamily vfamilies[F_COUNT] = {
	[F_SMMUV3] = { KABI_VIOMMU_TYPE_ARM_SMMUV3,
		       KABI_VEVENTQ_TYPE_ARM_SMMUV3,
		       KABI_INVALIDATE_DATA_ARM_SMMUV3, 0, 0 },
	/* Tegra241's vIOMMU is an SMMUv3 one that also owns a VINTF; the
	 * kernel handles its non-queued commands as SMMUv3 commands. */
	[F_TEGRA241] = { KABI_VIOMMU_TYPE_TEGRA241,
			 KABI_VEVENTQ_TYPE_TEGRA241,
			 KABI_INVALIDATE_DATA_ARM_SMMUV3,
			 KABI_HW_QUEUE_TYPE_TEGRA241,
			 sizeof(struct kabi_viommu_tegra241) },
	[F_SELFTEST] = { KABI_VIOMMU_TYPE_SELFTEST, KABI_VEVENTQ_TYPE_SELFTEST,
			 KABI_INVALIDATE_DATA_SELFTEST,
			 KABI_HW_QUEUE_TYPE_SELFTEST, 0 },
};

/* What the IOMMU behind a hardware information type takes. */
struct kind {
	uint32_t hw_info_type;
	bool nest_cap;        /* IOMMUNEST_CAP_NESTING is decoded for it */
	uint32_t hwpt;        /* data types nested on a NEST_PARENT HWPT */
	uint32_t hwpt_viommu; /* data types nested on one of its vIOMMUs */
	uint32_t inv;         /* invalidation types of its nested HWPTs */
	uint32_t families;    /* BIT(F_*) */
};

static const struct kind kinds[] = {
	{ IOMMUNEST_HW_INFO_INTEL_VTD, true, BIT(KABI_HWPT_DATA_VTD_S1), 0,
	  BIT(KABI_INVALIDATE_DATA_VTD_S1), 0 },
	{ IOMMUNEST_HW_INFO_ARM_SMMUV3, true, 0,
	  BIT(KABI_HWPT_DATA_ARM_SMMUV3), 0, BIT(F_SMMUV3) },
	{ IOMMUNEST_HW_INFO_TEGRA241_CMDQV, true, 0,
	  BIT(KABI_HWPT_DATA_ARM_SMMUV3), 0, BIT(F_SMMUV3) | BIT(F_TEGRA241) },
	{ IOMMUNEST_HW_INFO_AMD, false, BIT(KABI_HWPT_DATA_AMD_GUEST), 0, 0, 0 },
	{ IOMMUNEST_HW_INFO_SELFTEST, false, SEL, 0, SEL, BIT(F_SELFTEST) },
};

static const struct kind *kind_of(uint32_t hw_info_type)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].hw_info_type == hw_info_type)
			return &kinds[i];
	return NULL;
}

/* The context or the process is failing, not the feature: no answer
 * can be trusted, so the call fails instead of clearing a bit. */
static bool hard_error(int rc)
{
	return rc == -ENOMEM || rc == -EFAULT || rc == -EBADF;
}

/* ---- Commands ------------------------------------------------------- */

/*
 * Command nr with a size of 0.  Every iommufd command needs its size and
 * at least one field more, and the dispatcher compares the size with
 * that minimum before it copies or runs anything: a command the kernel
 * has answers EINVAL, a number it lacks ENOTTY.  Nothing is created,
 * read or changed either way.
 */
static int probe_cmd(int fd, unsigned int nr, uint64_t *ioctls)
{
	uint32_t size = 0;
	int rc = inest_ioctl(fd, KABI_IOMMUFD_CMD(nr), &size);

	if (rc == -ENOTTY)
		return 0;
	/* Refused before the command was looked at (a closed descriptor,
	 * a security module): the answer says nothing about it. */
	if (rc == -EBADF || rc == -EFAULT || rc == -EACCES || rc == -EPERM)
		return rc;
	*ioctls |= IOMMUNEST_FEAT_IOCTL(nr);
	return 0;
}

static int probe_cmds(int fd, uint64_t *ioctls)
{
	unsigned int nr;
	int rc;

	for (nr = CMD_FIRST; nr <= CMD_LAST; nr++) {
		rc = probe_cmd(fd, nr, ioctls);
		if (rc)
			return rc;
	}
	return probe_cmd(fd, CMD_MOCK, ioctls);
}

/* ---- The device's types --------------------------------------------- */

/* 1 when the SMMUv3 also answers as a Tegra241 CMDQV (hw info with an
 * input type, 6.17), 0 when not, or a hard error.  No data is asked for:
 * the answer's success is all that matters. */
static int is_tegra241(int fd, uint32_t dev_id)
{
	struct kabi_hw_info cmd = {
		.size = sizeof(cmd),
		.flags = KABI_HW_INFO_FLAG_INPUT_TYPE,
		.dev_id = dev_id,
		.out_data_type = KABI_HW_INFO_TYPE_TEGRA241,
	};
	int rc = inest_ioctl(fd, KABI_IOMMU_GET_HW_INFO, &cmd);

	if (rc)
		return hard_error(rc) ? rc : 0;
	return cmd.out_data_type == KABI_HW_INFO_TYPE_TEGRA241;
}

static int read_device(struct iommunest_ctx *ctx, uint32_t dev_id,
		       struct iommunest_features *f)
{
	struct iommunest_hw_info info;
	int rc = iommunest_hw_info(ctx, dev_id, &info);

	if (rc)
		return rc;
	f->hw_info_type = info.type;
	f->pasid_bits = info.pasid_bits;
	f->caps = info.caps;
	if (info.type != IOMMUNEST_HW_INFO_ARM_SMMUV3 ||
	    !HAS(f, KABI_IOMMU_HW_QUEUE_ALLOC))
		return 0;
	rc = is_tegra241(ctx->fd, dev_id);
	if (rc > 0)
		f->hw_info_type = IOMMUNEST_HW_INFO_TEGRA241_CMDQV;
	return rc < 0 ? rc : 0;
}

static void add_family(struct iommunest_features *f, const struct vfamily *v)
{
	f->viommu_types |= tbit(v->viommu);
	if (HAS(f, KABI_IOMMU_HWPT_INVALIDATE))
		f->inv_types |= tbit(v->inv);
	if (HAS(f, KABI_IOMMU_VEVENTQ_ALLOC))
		f->veventq_types |= tbit(v->veventq);
	if (v->hw_queue && HAS(f, KABI_IOMMU_HW_QUEUE_ALLOC))
		f->hw_queue_types |= tbit(v->hw_queue);
}

/* The type sets the IOMMU's kind and the kernel's commands allow.  With
 * use_caps, an IOMMU whose registers say it cannot nest gets none. */
static void derive(struct iommunest_features *f, const struct kind *k,
		   bool use_caps)
{
	unsigned int i;

	if (!k || !HAS(f, KABI_IOMMU_HWPT_ALLOC))
		return;
	if (use_caps && k->nest_cap && !(f->caps & IOMMUNEST_CAP_NESTING))
		return;
	f->hwpt_data_types = k->hwpt;
	if (HAS(f, KABI_IOMMU_HWPT_INVALIDATE))
		f->inv_types = k->inv;
	if (!HAS(f, KABI_IOMMU_VIOMMU_ALLOC) || !k->families)
		return;
	f->hwpt_data_types |= k->hwpt_viommu;
	for (i = 0; i < F_COUNT; i++)
		if (k->families & BIT(i))
			add_family(f, &vfamilies[i]);
}

/* ---- Confirming by allocation --------------------------------------- */

/* The scratch objects, destroyed newest first. */
struct scratch {
	struct iommunest_ctx *ctx;
	uint32_t id[4]; /* IOAS, parent, vIOMMU, vEVENTQ */
	unsigned int n;
	int err;        /* the first destroy that failed */
};

static void push(struct scratch *s, uint32_t id)
{
	s->id[s->n++] = id;
}

/* Destroy down to depth n; a failure does not stop the others. */
static void unwind(struct scratch *s, unsigned int n)
{
	int rc;

	while (s->n > n) {
		rc = iommunest_destroy(s->ctx, s->id[--s->n]);
		if (rc && !s->err)
			s->err = rc;
	}
}

/* What the allocations confirmed. */
struct confirmed {
	bool parent;
	uint32_t viommu, veventq, inv;
};

static int try_viommu(struct scratch *s, uint32_t dev_id, uint32_t parent,
		      const struct vfamily *v, uint32_t *id)
{
	struct kabi_viommu_tegra241 data; /* the largest driver data */
	struct kabi_viommu_alloc cmd = {
		.size = sizeof(cmd),
		.type = v->viommu,
		.dev_id = dev_id,
		.hwpt_id = parent,
		.data_len = v->data_len,
		.data_uptr = v->data_len ? inest_uptr(&data) : 0,
	};
	int rc;

	memset(&data, 0, sizeof(data));
	rc = inest_ioctl_newer(s->ctx->fd, KABI_IOMMU_VIOMMU_ALLOC, &cmd);
	if (!rc)
		*id = cmd.out_viommu_id;
	return rc;
}

/* A vEVENTQ of type on viommu_id; its fd is closed at once (the object
 * could not be destroyed while the fd holds it). */
static int try_veventq(struct scratch *s, uint32_t viommu_id, uint32_t type,
		       uint32_t *id)
{
	struct kabi_veventq_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu_id,
		.type = type,
		.veventq_depth = 1,
	};
	int rc = inest_ioctl_newer(s->ctx->fd, KABI_IOMMU_VEVENTQ_ALLOC, &cmd);

	if (rc)
		return rc;
	close((int)cmd.out_veventq_fd);
	*id = cmd.out_veventq_id;
	return 0;
}

/* A failure that only means "not this type" is no error. */
static int soft(int rc)
{
	return hard_error(rc) ? rc : 0;
}

/* One vIOMMU of family v: its vEVENTQ, then an empty invalidation (which
 * the kernel checks for its type only), then destroy what was made. */
static int confirm_family(struct scratch *s, uint32_t dev_id, uint32_t parent,
			  const struct vfamily *v,
			  const struct iommunest_features *f,
			  struct confirmed *c)
{
	unsigned int depth = s->n;
	uint32_t viommu_id, id, num = 0;
	int rc = try_viommu(s, dev_id, parent, v, &viommu_id);

	if (rc)
		return soft(rc);
	push(s, viommu_id);
	c->viommu |= tbit(v->viommu);
	if (f->veventq_types & tbit(v->veventq)) {
		rc = try_veventq(s, viommu_id, v->veventq, &id);
		if (!rc) {
			push(s, id);
			c->veventq |= tbit(v->veventq);
		}
		rc = soft(rc);
	}
	if (!rc && (f->inv_types & ~c->inv & tbit(v->inv))) {
		rc = iommunest_invalidate(s->ctx, viommu_id, v->inv, NULL, 0,
					  &num);
		if (!rc)
			c->inv |= tbit(v->inv);
		rc = soft(rc);
	}
	unwind(s, depth);
	return rc;
}

/* A scratch IOAS and NEST_PARENT HWPT for dev_id, then each candidate
 * vIOMMU type; everything made is destroyed before returning. */
static int confirm(struct iommunest_ctx *ctx, uint32_t dev_id,
		   const struct iommunest_features *f, struct confirmed *c)
{
	struct scratch s = { .ctx = ctx };
	uint32_t ioas_id, parent = 0;
	unsigned int i;
	int rc = iommunest_ioas_alloc(ctx, &ioas_id);

	if (rc)
		return rc;
	push(&s, ioas_id);
	rc = iommunest_hwpt_alloc_paging(ctx, dev_id, ioas_id,
					 IOMMUNEST_HWPT_NEST_PARENT, &parent);
	if (!rc) {
		push(&s, parent);
		c->parent = true;
	}
	rc = soft(rc);
	for (i = 0; !rc && c->parent && i < F_COUNT; i++)
		if (f->viommu_types & tbit(vfamilies[i].viommu))
			rc = confirm_family(&s, dev_id, parent, &vfamilies[i],
					    f, c);
	unwind(&s, 0);
	return rc ? rc : s.err;
}

/* Keep of the derived sets what the allocations confirmed. */
static void apply(struct iommunest_features *f, const struct kind *k,
		  const struct confirmed *c)
{
	uint32_t hwpt = 0, inv = 0, hw_queue = 0;
	unsigned int i;

	/* The parent answers for the hardware: it is what nesting needs. */
	if (c->parent)
		f->caps |= IOMMUNEST_CAP_NESTING;
	else
		f->caps &= ~IOMMUNEST_CAP_NESTING;
	if (c->parent && k) {
		hwpt = k->hwpt | (c->viommu ? k->hwpt_viommu : 0);
		/* Nested HWPTs cannot be made without valid guest data:
		 * their types stand as derived once the parent exists. */
		inv = k->inv | c->inv;
		for (i = 0; i < F_COUNT; i++)
			if (c->viommu & tbit(vfamilies[i].viommu) &&
			    vfamilies[i].hw_queue)
				hw_queue |= tbit(vfamilies[i].hw_queue);
	}
	f->hwpt_data_types &= hwpt;
	f->inv_types &= inv;
	f->viommu_types &= c->viommu;
	f->veventq_types &= c->veventq;
	f->hw_queue_types &= hw_queue;
}

static int probe_device(struct iommunest_ctx *ctx, uint32_t dev_id,
			struct iommunest_features *f)
{
	struct confirmed c = { 0 };
	const struct kind *k;
	int rc;

	k = kind_of(f->hw_info_type);
	derive(f, k, false);
	/* A kernel without HWPTs (before 6.6) has no types to confirm. */
	if (HAS(f, KABI_IOMMU_IOAS_ALLOC) && HAS(f, KABI_IOMMU_HWPT_ALLOC)) {
		rc = confirm(ctx, dev_id, f, &c);
		if (rc)
			return rc;
		apply(f, k, &c);
	}
	f->flags |= IOMMUNEST_FEATURES_PROBED;
	return 0;
}

INEST_EXPORT int iommunest_features(struct iommunest_ctx *ctx,
				    uint32_t dev_id, uint32_t flags,
				    struct iommunest_features *f)
{
	struct iommunest_features out;
	bool probe = flags & IOMMUNEST_FEATURES_PROBE;
	int rc;

	if (!inest_ctx_ok(ctx) || !f || (flags & ~IOMMUNEST_FEATURES_PROBE) ||
	    (probe && !dev_id))
		return -EINVAL;
	memset(&out, 0, sizeof(out));
	rc = probe_cmds(ctx->fd, &out.ioctls);
	/* Before 6.6 there is no hardware information to read. */
	if (!rc && dev_id && HAS(&out, KABI_IOMMU_GET_HW_INFO))
		rc = read_device(ctx, dev_id, &out);
	if (!rc && probe)
		rc = probe_device(ctx, dev_id, &out);
	else if (!rc)
		derive(&out, kind_of(out.hw_info_type), true);
	if (!rc)
		*f = out;
	return rc;
}
