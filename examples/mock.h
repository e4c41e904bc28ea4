/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The kernel's mock IOMMU, for --mock: IOMMU_TEST_CMD exists only on
 * kernels built with CONFIG_IOMMUFD_TEST.  Its definitions are test-only
 * facts of the kernel ABI, written down here for the examples; they are
 * not part of libiommunest.
 */
#ifndef EXAMPLES_MOCK_H
#define EXAMPLES_MOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <libiommunest/iommunest.h>

/* IOMMU_HW_INFO type and IOTLB reset value of the mock IOMMU. */
#define MOCK_HW_INFO_TYPE   0xfeedbeefu
#define MOCK_IOTLB_DEFAULT  0x0badbeefu
#define MOCK_IOTLB_SLOTS    4u
/* Mock domains translate IOVAs in [16 MiB, 2 GiB) only. */
#define MOCK_APERTURE_START (1ull << 24)
#define MOCK_APERTURE_LAST  ((1ull << 31) - 1)

/* iommufd's ioctl type and command base; the test command is base + 32. */
#define MOCK_TEST_CMD _IO(';', 0x80 + 32)

enum {
	MOCK_OP_DEVICE_NEW = 2,   /* IOMMU_TEST_OP_MOCK_DOMAIN */
	MOCK_OP_CHECK_MAP = 3,    /* IOMMU_TEST_OP_MD_CHECK_MAP */
	MOCK_OP_REPLACE = 10,     /* IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE */
	MOCK_OP_CHECK_IOTLB = 14, /* IOMMU_TEST_OP_MD_CHECK_IOTLB */
};

typedef uint64_t mock_u64 __attribute__((aligned(8)));

/* struct iommu_test_cmd, with only the members the examples use; the
 * padding keeps the union as large as the kernel's. */
struct mock_cmd {
	uint32_t size;
	uint32_t op;
	uint32_t id;
	uint32_t reserved;
	union {
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_dev_id;
		} device_new;
		struct {
			uint32_t pt_id;
		} replace;
		struct {
			mock_u64 iova;
			mock_u64 length;
			mock_u64 uptr;
		} check_map;
		struct {
			uint32_t slot;
			uint32_t value;
		} check_iotlb;
		mock_u64 pad[6];
	};
	uint32_t last;
};
_Static_assert(sizeof(struct mock_cmd) == 72, "iommu_test_cmd size");
_Static_assert(offsetof(struct mock_cmd, last) == 64, "iommu_test_cmd last");

/* A mock device: made by mock_device_new() already attached. */
struct mock_device {
	uint32_t stdev_id; /* the selftest object: destroy it to unplug */
	uint32_t hwpt_id;  /* the page table it is attached to */
	uint32_t dev_id;   /* its iommufd device ID */
};

/* Plug a mock device into ctx, attached to pt_id (IOAS or HWPT).
 * -ENOTTY: the kernel has no mock IOMMU. */
int mock_device_new(struct iommunest_ctx *ctx, uint32_t pt_id,
		    struct mock_device *dev);
/* Move the device to pt_id in one step (like iommunest_device_replace). */
int mock_device_replace(struct iommunest_ctx *ctx, struct mock_device *dev,
			uint32_t pt_id);
/* 0 when every page of [iova, iova + length) in the device's page table
 * hwpt_id maps the memory at uptr, else -EINVAL. */
int mock_check_map(struct iommunest_ctx *ctx, uint32_t hwpt_id,
		   uint64_t iova, uint64_t length, const void *uptr);
/* 0 when IOTLB slot of nested HWPT hwpt_id holds value, else -EINVAL. */
int mock_check_iotlb(struct iommunest_ctx *ctx, uint32_t hwpt_id,
		     uint32_t slot, uint32_t value);

#endif /* EXAMPLES_MOCK_H */
