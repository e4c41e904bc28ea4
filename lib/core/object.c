/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Object-generic calls: destroy any object, the IOMMU_OPTION knobs. */
#include "abi.h"
#include "internal.h"

INEST_EXPORT int iommunest_destroy(struct iommunest_ctx *ctx, uint32_t id)
{
	struct kabi_destroy cmd = { .size = sizeof(cmd), .id = id };

	if (!inest_ctx_ok(ctx))
		return -EINVAL;
	return inest_ioctl(ctx->fd, KABI_IOMMU_DESTROY, &cmd);
}

static bool option_ok(enum iommunest_option opt, uint32_t object_id)
{
	switch (opt) {
	case IOMMUNEST_OPTION_RLIMIT_MODE:
		return object_id == 0; /* a global knob */
	case IOMMUNEST_OPTION_HUGE_PAGES:
		return object_id != 0; /* per IOAS */
	}
	return false;
}

static int option_call(struct iommunest_ctx *ctx, struct kabi_option *cmd)
{
	if (!inest_ctx_ok(ctx) ||
	    !option_ok((enum iommunest_option)cmd->option_id, cmd->object_id))
		return -EINVAL;
	return inest_ioctl(ctx->fd, KABI_IOMMU_OPTION, cmd);
}

INEST_EXPORT int iommunest_option_set(struct iommunest_ctx *ctx,
				      enum iommunest_option opt,
				      uint32_t object_id, uint64_t value)
{
	struct kabi_option cmd = {
		.size = sizeof(cmd),
		.option_id = (uint32_t)opt,
		.op = KABI_OPTION_OP_SET,
		.object_id = object_id,
		.val64 = value,
	};

	if (value > 1) /* both knobs are booleans */
		return -EINVAL;
	return option_call(ctx, &cmd);
}

INEST_EXPORT int iommunest_option_get(struct iommunest_ctx *ctx,
				      enum iommunest_option opt,
				      uint32_t object_id, uint64_t *value)
{
	struct kabi_option cmd = {
		.size = sizeof(cmd),
		.option_id = (uint32_t)opt,
		.op = KABI_OPTION_OP_GET,
		.object_id = object_id,
	};
	int rc;

	if (!value)
		return -EINVAL;
	rc = option_call(ctx, &cmd);
	if (!rc)
		*value = cmd.val64;
	return rc;
}
