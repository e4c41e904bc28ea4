/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The mock IOMMU's test command (IOMMU_TEST_CMD), for --mock. */
#include <errno.h>

#include "mock.h"

static int mock_call(struct iommunest_ctx *ctx, struct mock_cmd *cmd)
{
	int fd = iommunest_fd(ctx);

	if (fd < 0)
		return fd;
	cmd->size = sizeof(*cmd);
	return ioctl(fd, MOCK_TEST_CMD, cmd) ? -errno : 0;
}

int mock_device_new(struct iommunest_ctx *ctx, uint32_t pt_id,
		    struct mock_device *dev)
{
	struct mock_cmd cmd = { .op = MOCK_OP_DEVICE_NEW, .id = pt_id };
	int rc = mock_call(ctx, &cmd);

	if (rc)
		return rc;
	dev->stdev_id = cmd.device_new.out_stdev_id;
	dev->hwpt_id = cmd.device_new.out_hwpt_id;
	dev->dev_id = cmd.device_new.out_dev_id;
	return 0;
}

int mock_device_replace(struct iommunest_ctx *ctx, struct mock_device *dev,
			uint32_t pt_id)
{
	struct mock_cmd cmd = { .op = MOCK_OP_REPLACE, .id = dev->stdev_id,
				.replace.pt_id = pt_id };
	int rc = mock_call(ctx, &cmd);

	/* The kernel answers with the HWPT it attached (an IOAS gets one). */
	if (!rc)
		dev->hwpt_id = cmd.replace.pt_id;
	return rc;
}

int mock_check_map(struct iommunest_ctx *ctx, uint32_t hwpt_id,
		   uint64_t iova, uint64_t length, const void *uptr)
{
	struct mock_cmd cmd = { .op = MOCK_OP_CHECK_MAP, .id = hwpt_id };

	cmd.check_map.iova = iova;
	cmd.check_map.length = length;
	cmd.check_map.uptr = (uint64_t)(uintptr_t)uptr;
	return mock_call(ctx, &cmd);
}

int mock_check_iotlb(struct iommunest_ctx *ctx, uint32_t hwpt_id,
		     uint32_t slot, uint32_t value)
{
	struct mock_cmd cmd = { .op = MOCK_OP_CHECK_IOTLB, .id = hwpt_id };

	cmd.check_iotlb.slot = slot;
	cmd.check_iotlb.value = value;
	return mock_call(ctx, &cmd);
}
