/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Shared by the real-kernel tier's test programs: TAP output (each check
 * one line, read back by run-vm.sh from the serial console) and the
 * tests' own definitions of the kernel's mock-IOMMU test commands
 * (IOMMU_TEST_CMD, CONFIG_IOMMUFD_TEST).  These are test-only facts of
 * the kernel ABI and are deliberately not part of the library.
 */
#ifndef VMTEST_H
#define VMTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "abi.h"
#include "libiommunest/iommunest.h"
#include "libiommunest/tracker.h"

static int tap_count, tap_failures;

__attribute__((format(printf, 2, 3)))
static inline int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!pass)
		tap_failures++;
	return pass;
}

/* An int result must equal what was expected; prints both when not. */
#define OK_EQ(got, want, ...) do {                                        \
	long long g_ = (long long)(got), w_ = (long long)(want);          \
	if (!tap_ok(g_ == w_, __VA_ARGS__))                               \
		printf("#   got %lld, want %lld\n", g_, w_);              \
} while (0)
#define OK(cond, ...) tap_ok(!!(cond), __VA_ARGS__)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

/* Does the running kernel have what Linux major.minor added? */
static inline int kernel_has(int major, int minor)
{
	static int have = -1;
	struct utsname u;
	int ma = 0, mi = 0;

	if (have < 0) {
		if (!uname(&u))
			sscanf(u.release, "%d.%d", &ma, &mi);
		have = ma * 1000 + mi;
	}
	return have >= major * 1000 + minor;
}

/* The vfio and smmuv3 profiles' edu device (driven by the examples'
 * edu.h and edu.c). */
#define EDU_CDEV "/dev/vfio/devices/vfio0"

/* Page-aligned anonymous memory, as DMA buffers and check-map need. */
static inline void *vm_buffer(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* ---- The kernel's mock IOMMU (drivers/iommu/iommufd/selftest.c) ---- */

#define MOCK_TEST_CMD _IO(';', 0x80 + 32)

enum {
	MOCK_OP_ADD_RESERVED = 1,
	MOCK_OP_MOCK_DOMAIN = 2,
	MOCK_OP_MD_CHECK_MAP = 3,
	MOCK_OP_MOCK_DOMAIN_REPLACE = 10,
	MOCK_OP_MOCK_DOMAIN_FLAGS = 12,
	MOCK_OP_DIRTY = 13,
	MOCK_OP_MD_CHECK_IOTLB = 14,
	MOCK_OP_TRIGGER_IOPF = 15,      /* 6.11 */
	MOCK_OP_DEV_CHECK_CACHE = 16,   /* 6.14 */
	MOCK_OP_TRIGGER_VEVENT = 17,    /* 6.15 */
	MOCK_OP_PASID_ATTACH = 18,      /* 6.15 */
	MOCK_OP_PASID_REPLACE = 19,
	MOCK_OP_PASID_DETACH = 20,
	MOCK_OP_PASID_CHECK_HWPT = 21,
};

#define MOCK_FLAGS_DEVICE_PASID (1u << 2) /* 6.15: a PASID-capable device */
#define MOCK_PASID_WIDTH 20
#define MOCK_DEV_CACHE_DEFAULT 0xbaddadu
#define MOCK_DEV_CACHE_NUM 4

/* The mock domain's aperture and its IO page (half a CPU page). */
#define MOCK_APERTURE_START (1ull << 24)
#define MOCK_APERTURE_LAST  ((1ull << 31) - 1)
#define MOCK_IO_PAGE 2048ull

#define MOCK_HW_INFO_TYPE 0xfeedbeefu
#define MOCK_HW_INFO_REGVAL 0xdeadbeefu
#define MOCK_HWPT_DATA_SELFTEST 0xdeadu
#define MOCK_IOTLB_DEFAULT 0xbadbeefu
#define MOCK_IOTLB_NUM 4

struct mock_cmd {
	uint32_t size;
	uint32_t op;
	uint32_t id;
	uint32_t reserved;
	union {
		struct {
			kabi_u64 start;
			kabi_u64 length;
		} add_reserved;
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;
		} mock_domain;
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;
			uint32_t dev_flags;
		} mock_domain_flags;
		struct {
			uint32_t pt_id;
		} replace;
		struct {
			uint32_t dev_id;
			uint32_t pasid;
			uint32_t grpid;
			uint32_t perm;
			kabi_u64 addr;
		} trigger_iopf;
		struct {
			uint32_t id;
			uint32_t cache;
		} check_dev_cache;
		struct {
			uint32_t dev_id;
		} trigger_vevent;
		struct {
			uint32_t pasid;
			uint32_t pt_id; /* also the HWPT of PASID_CHECK_HWPT */
		} pasid;
		struct {
			kabi_u64 iova;
			kabi_u64 length;
			kabi_u64 uptr;
		} check_map;
		struct {
			uint32_t flags;
			kabi_u64 iova;
			kabi_u64 length;
			kabi_u64 page_size;
			kabi_u64 uptr;
			kabi_u64 out_nr_dirty;
		} dirty;
		struct {
			uint32_t id;
			uint32_t iotlb;
		} check_iotlb;
	};
	uint32_t last;
};
_Static_assert(sizeof(struct mock_cmd) == 72, "iommu_test_cmd layout");

static inline int mock_call(struct iommunest_ctx *ctx, struct mock_cmd *cmd)
{
	cmd->size = sizeof(*cmd);
	return ioctl(iommunest_fd(ctx), MOCK_TEST_CMD, cmd) ? -errno : 0;
}

/* A new mock device attached to pt_id (an IOAS or a paging HWPT). */
struct mock_dev {
	uint32_t stdev_id; /* the selftest object, for replace */
	uint32_t hwpt_id;  /* the HWPT it got attached to */
	uint32_t idev_id;  /* its iommufd device ID */
};

static inline int mock_domain(struct iommunest_ctx *ctx, uint32_t pt_id,
		       struct mock_dev *dev)
{
	struct mock_cmd cmd = { .op = MOCK_OP_MOCK_DOMAIN, .id = pt_id };
	int rc = mock_call(ctx, &cmd);

	dev->stdev_id = cmd.mock_domain.out_stdev_id;
	dev->hwpt_id = cmd.mock_domain.out_hwpt_id;
	dev->idev_id = cmd.mock_domain.out_idev_id;
	return rc;
}

static inline int mock_replace(struct iommunest_ctx *ctx, struct mock_dev *dev,
			uint32_t pt_id)
{
	struct mock_cmd cmd = { .op = MOCK_OP_MOCK_DOMAIN_REPLACE,
				.id = dev->stdev_id,
				.replace.pt_id = pt_id };
	int rc = mock_call(ctx, &cmd);

	if (!rc)
		dev->hwpt_id = cmd.replace.pt_id;
	return rc;
}

/* 0 when every IO page of [iova, +length) in the mock HWPT maps the page
 * under uptr; -EINVAL when any is unmapped or maps something else. */
static inline int mock_check_map(struct iommunest_ctx *ctx, uint32_t hwpt_id,
			  uint64_t iova, uint64_t length, const void *uptr)
{
	struct mock_cmd cmd = { .op = MOCK_OP_MD_CHECK_MAP, .id = hwpt_id };

	cmd.check_map.iova = iova;
	cmd.check_map.length = length;
	cmd.check_map.uptr = (uint64_t)(uintptr_t)uptr;
	return mock_call(ctx, &cmd);
}

/* Number of IO pages in [iova, +length) that the mock HWPT maps at all:
 * check-map fails on a hole, so probe page by page against the buffer. */
static inline uint64_t mock_count_mapped(struct iommunest_ctx *ctx, uint32_t hwpt,
				  uint64_t iova, uint64_t length,
				  const void *uptr)
{
	uint64_t off, n = 0;

	for (off = 0; off < length; off += MOCK_IO_PAGE)
		if (!mock_check_map(ctx, hwpt, iova + off, MOCK_IO_PAGE,
				    (const char *)uptr + off))
			n++;
	return n;
}

/* Marks the IO pages whose bits are set in bitmap as dirty. */
static inline int mock_dirty(struct iommunest_ctx *ctx, uint32_t hwpt_id,
		      uint64_t iova, uint64_t length, const uint64_t *bitmap,
		      uint64_t *nr_dirty)
{
	struct mock_cmd cmd = { .op = MOCK_OP_DIRTY, .id = hwpt_id };
	int rc;

	cmd.dirty.iova = iova;
	cmd.dirty.length = length;
	cmd.dirty.page_size = MOCK_IO_PAGE;
	cmd.dirty.uptr = (uint64_t)(uintptr_t)bitmap;
	rc = mock_call(ctx, &cmd);
	*nr_dirty = cmd.dirty.out_nr_dirty;
	return rc;
}

/* 0 when IOTLB slot iotlb_id of nested HWPT hwpt_id holds value. */
static inline int mock_check_iotlb(struct iommunest_ctx *ctx, uint32_t hwpt_id,
			    uint32_t iotlb_id, uint32_t value)
{
	struct mock_cmd cmd = { .op = MOCK_OP_MD_CHECK_IOTLB, .id = hwpt_id };

	cmd.check_iotlb.id = iotlb_id;
	cmd.check_iotlb.iotlb = value;
	return mock_call(ctx, &cmd);
}

/* ---- a sink watched between host operations ------------------------- */

/* The IOAS sink of a context, with after() called once each map, unmap,
 * unmap-all and copy has returned: for tests that look at the device
 * between the tracker's host operations. */
static struct {
	struct iommunest_sink ioas;
	struct iommunest_sink_ext ext;
	void (*after)(void);
} vt_watch __attribute__((unused));

static inline int vt_watch_map(void *o, uint32_t as, uint64_t iova,
			       uint64_t len, void *hva, uint32_t perm)
{
	int rc = vt_watch.ioas.map(o, as, iova, len, hva, perm);

	vt_watch.after();
	return rc;
}

static inline int vt_watch_unmap(void *o, uint32_t as, uint64_t iova,
				 uint64_t len)
{
	int rc = vt_watch.ioas.unmap(o, as, iova, len);

	vt_watch.after();
	return rc;
}

static inline int vt_watch_unmap_all(void *o, uint32_t as)
{
	int rc = vt_watch.ioas.unmap_all(o, as);

	vt_watch.after();
	return rc;
}

static inline int vt_watch_copy(void *o, uint32_t from, uint32_t to,
				uint64_t iova, uint64_t len, uint32_t perm)
{
	int rc = vt_watch.ext.copy(o, from, to, iova, len, perm);

	vt_watch.after();
	return rc;
}

/* Fill sink and ext with the watched IOAS sink of ctx (as_alloc and
 * as_free unwatched: they touch no address space a device is on). */
static inline void vt_watched_sink(struct iommunest_ctx *ctx,
				   void (*after)(void),
				   struct iommunest_sink *sink,
				   struct iommunest_sink_ext *ext)
{
	iommunest_sink_ioas(ctx, &vt_watch.ioas);
	iommunest_sink_ioas_ext(ctx, &vt_watch.ext);
	vt_watch.after = after;
	*sink = vt_watch.ioas;
	sink->map = vt_watch_map;
	sink->unmap = vt_watch_unmap;
	sink->unmap_all = vt_watch_unmap_all;
	*ext = (struct iommunest_sink_ext){ .size = sizeof(*ext),
					    .copy = vt_watch_copy };
}

#endif /* VMTEST_H */
