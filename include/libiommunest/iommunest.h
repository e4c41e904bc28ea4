/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libiommunest: drive Linux iommufd from a VMM.
 *
 * Conventions (see libiommunest(7)):
 *  - every function returns 0 (or a count) on success and a negative errno
 *    on failure; errno is never the only report;
 *  - bad arguments are refused with -EINVAL (or -EBADF for an fd) before
 *    any system call is made, and change nothing;
 *  - kernel object IDs (IOAS, HWPT, device) are uint32_t;
 *  - the library never prints and never aborts.
 */
#ifndef LIBIOMMUNEST_IOMMUNEST_H
#define LIBIOMMUNEST_IOMMUNEST_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An iommufd context: one open /dev/iommu. Opaque. */
struct iommunest_ctx;

/* ---- Context ---------------------------------------------------------- */

/* Open /dev/iommu.  On success *ctx owns the new fd. */
int iommunest_open(struct iommunest_ctx **ctx);
/* Adopt an already open iommufd fd: *ctx owns it from now on. */
int iommunest_open_fd(int fd, struct iommunest_ctx **ctx);
/* Close the fd and free the context; NULL is accepted and ignored. */
int iommunest_close(struct iommunest_ctx *ctx);
/* The context's fd (still owned by the context), or -EINVAL. */
int iommunest_fd(const struct iommunest_ctx *ctx);

/* Destroy any kernel object (IOAS, HWPT, ...) by ID. */
int iommunest_destroy(struct iommunest_ctx *ctx, uint32_t id);

/* ---- IO address spaces ------------------------------------------------ */

/* Permission flags for iommunest_ioas_map() and iommunest_ioas_copy(). */
#define IOMMUNEST_MAP_READ  (1u << 0) /* the device may read */
#define IOMMUNEST_MAP_WRITE (1u << 1) /* the device may write */

/* An inclusive IOVA interval [start, last]. */
struct iommunest_iova_range {
	uint64_t start;
	uint64_t last;
};

int iommunest_ioas_alloc(struct iommunest_ctx *ctx, uint32_t *ioas_id);

/* Map [vaddr, vaddr + length) at the fixed IOVA iova. */
int iommunest_ioas_map(struct iommunest_ctx *ctx, uint32_t ioas_id,
		       void *vaddr, uint64_t length, uint64_t iova,
		       uint32_t flags);
/* Map [vaddr, vaddr + length) at an IOVA the kernel picks (*iova). */
int iommunest_ioas_map_any(struct iommunest_ctx *ctx, uint32_t ioas_id,
			   void *vaddr, uint64_t length, uint32_t flags,
			   uint64_t *iova);
/* Unmap [iova, iova + length); *unmapped (may be NULL) gets the bytes. */
int iommunest_ioas_unmap(struct iommunest_ctx *ctx, uint32_t ioas_id,
			 uint64_t iova, uint64_t length, uint64_t *unmapped);
/* Unmap everything in the IOAS in one call. */
int iommunest_ioas_unmap_all(struct iommunest_ctx *ctx, uint32_t ioas_id,
			     uint64_t *unmapped);
/* Map the pages behind src's [src_iova, +length) into dst at dst_iova. */
int iommunest_ioas_copy(struct iommunest_ctx *ctx, uint32_t dst_ioas_id,
			uint64_t dst_iova, uint32_t src_ioas_id,
			uint64_t src_iova, uint64_t length, uint32_t flags);
/* As iommunest_ioas_copy(), at a destination IOVA the kernel picks. */
int iommunest_ioas_copy_any(struct iommunest_ctx *ctx, uint32_t dst_ioas_id,
			    uint32_t src_ioas_id, uint64_t src_iova,
			    uint64_t length, uint32_t flags,
			    uint64_t *dst_iova);
/*
 * Read the allowed IOVA ranges: fills ranges[0 .. min(n, max) - 1] and
 * returns n, the total number of ranges.  A return above max means the
 * array was too small; call again with at least n entries.
 */
int iommunest_ioas_iova_ranges(struct iommunest_ctx *ctx, uint32_t ioas_id,
			       struct iommunest_iova_range *ranges,
			       uint32_t max, uint64_t *alignment);
/* Replace the list of IOVA ranges the IOAS must keep available. */
int iommunest_ioas_allow_iovas(struct iommunest_ctx *ctx, uint32_t ioas_id,
			       const struct iommunest_iova_range *ranges,
			       uint32_t count);

/* IOMMU_OPTION knobs. */
enum iommunest_option {
	/* object 0; 0 = per user (default), 1 = per process */
	IOMMUNEST_OPTION_RLIMIT_MODE = 0,
	/* object = IOAS ID; 1 = use huge pages (default), 0 = PAGE_SIZE */
	IOMMUNEST_OPTION_HUGE_PAGES = 1,
};
int iommunest_option_set(struct iommunest_ctx *ctx, enum iommunest_option opt,
			 uint32_t object_id, uint64_t value);
int iommunest_option_get(struct iommunest_ctx *ctx, enum iommunest_option opt,
			 uint32_t object_id, uint64_t *value);

/* ---- VFIO device cdevs (/dev/vfio/devices/vfioN) ---------------------- */

/* Bind an open VFIO cdev to the context; *dev_id is its iommufd ID.
 * The caller keeps owning vfio_fd. */
int iommunest_device_bind(struct iommunest_ctx *ctx, int vfio_fd,
			  uint32_t *dev_id);
/* Attach the device to an IOAS or HWPT (pt_id). */
int iommunest_device_attach(struct iommunest_ctx *ctx, int vfio_fd,
			    uint32_t pt_id);
/* Move an attached device to pt_id in one step: it never sees the old
 * and the new page table at once, and on failure it stays where it was. */
int iommunest_device_replace(struct iommunest_ctx *ctx, int vfio_fd,
			     uint32_t pt_id);
int iommunest_device_detach(struct iommunest_ctx *ctx, int vfio_fd);

/* ---- Hardware information --------------------------------------------- */

/* Raw IOMMU_GET_HW_INFO types. */
#define IOMMUNEST_HW_INFO_NONE         0u
#define IOMMUNEST_HW_INFO_INTEL_VTD    1u
#define IOMMUNEST_HW_INFO_ARM_SMMUV3   2u

/* Decoded capability bits (iommunest_hw_info.caps). */
#define IOMMUNEST_CAP_DIRTY_TRACKING (1ull << 0) /* kernel: dirty tracking */
#define IOMMUNEST_CAP_NESTING        (1ull << 1) /* HW does two stages */
#define IOMMUNEST_CAP_PASID          (1ull << 2) /* PASID/SSID support */
#define IOMMUNEST_CAP_PASID_EXEC     (1ull << 3) /* PCI PASID execute perm */
#define IOMMUNEST_CAP_PASID_PRIV     (1ull << 4) /* PCI PASID privileged */

#define IOMMUNEST_HW_INFO_RAW_MAX 64

struct iommunest_hw_info {
	uint32_t type;          /* IOMMUNEST_HW_INFO_*, raw kernel value */
	uint32_t raw_len;       /* bytes of raw[] the kernel filled */
	uint64_t kernel_caps;   /* raw out_capabilities of the kernel */
	uint64_t caps;          /* IOMMUNEST_CAP_* decoded */
	uint32_t pasid_bits;    /* PASID width in bits, 0 = no PASID */
	uint32_t addr_bits;     /* VT-d: MGAW; SMMUv3: OAS; 0 = unknown */
	uint64_t pgsize_bitmap; /* page sizes the HW maps, 0 = unknown */
	union {
		struct {
			uint32_t flags;
			uint64_t cap_reg;
			uint64_t ecap_reg;
		} vtd;
		struct {
			uint32_t flags;
			uint32_t idr[6];
			uint32_t iidr;
			uint32_t aidr;
		} smmuv3;
	} u;
	uint8_t raw[IOMMUNEST_HW_INFO_RAW_MAX]; /* the kernel's data */
	uint64_t reserved[4];
};

/* Query the IOMMU behind a bound device and decode what is known. */
int iommunest_hw_info(struct iommunest_ctx *ctx, uint32_t dev_id,
		      struct iommunest_hw_info *info);

/* ---- Paging HW page tables --------------------------------------------- */

#define IOMMUNEST_HWPT_NEST_PARENT    (1u << 0) /* parent of nested HWPTs */
#define IOMMUNEST_HWPT_DIRTY_TRACKING (1u << 1) /* able to track dirty */

/* Allocate a paging HWPT for dev_id holding the mappings of ioas_id. */
int iommunest_hwpt_alloc_paging(struct iommunest_ctx *ctx, uint32_t dev_id,
				uint32_t ioas_id, uint32_t flags,
				uint32_t *hwpt_id);
int iommunest_hwpt_set_dirty_tracking(struct iommunest_ctx *ctx,
				      uint32_t hwpt_id, bool enable);

#define IOMMUNEST_DIRTY_NO_CLEAR (1u << 0) /* read without clearing */

/*
 * Read the dirty bits of [iova, iova + length): bit i of bitmap (bit i % 64
 * of word i / 64) is page i of page_size bytes.  The caller provides
 * ceil(length / page_size / 64) words.
 */
int iommunest_hwpt_get_dirty_bitmap(struct iommunest_ctx *ctx,
				    uint32_t hwpt_id, uint64_t iova,
				    uint64_t length, uint64_t page_size,
				    uint64_t *bitmap, uint32_t flags);

/* ---- Nested HW page tables (guest stage 1 on a NEST_PARENT HWPT) ------ */

/* Nested HWPT data types (IOMMU_HWPT_ALLOC data_type). */
#define IOMMUNEST_HWPT_DATA_VTD_S1     1u      /* Intel VT-d stage 1 */
#define IOMMUNEST_HWPT_DATA_ARM_SMMUV3 2u      /* SMMUv3 STE, on a vIOMMU */
#define IOMMUNEST_HWPT_DATA_SELFTEST   0xdeadu /* the kernel's mock IOMMU */

/* VT-d stage-1 flags (iommunest_hwpt_alloc_vtd_s1()). */
#define IOMMUNEST_VTD_S1_SRE  (1u << 0) /* supervisor requests */
#define IOMMUNEST_VTD_S1_EAFE (1u << 1) /* extended access flag */
#define IOMMUNEST_VTD_S1_WPE  (1u << 2) /* write protect */

/*
 * Allocate a nested HWPT for dev_id on parent_id (a NEST_PARENT paging HWPT,
 * or a vIOMMU) from data_len bytes of type-specific data; the library does
 * not interpret the data, so types it does not know yet work too.
 */
int iommunest_hwpt_alloc_nested(struct iommunest_ctx *ctx, uint32_t dev_id,
				uint32_t parent_id, uint32_t data_type,
				const void *data, uint32_t data_len,
				uint32_t *hwpt_id);
/* Typed forms of iommunest_hwpt_alloc_nested(). */
int iommunest_hwpt_alloc_vtd_s1(struct iommunest_ctx *ctx, uint32_t dev_id,
				uint32_t parent_id, uint64_t pgtbl_addr,
				uint32_t addr_width, uint32_t flags,
				uint32_t *hwpt_id);
int iommunest_hwpt_alloc_smmuv3(struct iommunest_ctx *ctx, uint32_t dev_id,
				uint32_t viommu_id, const uint64_t ste[2],
				uint32_t *hwpt_id);
int iommunest_hwpt_alloc_selftest(struct iommunest_ctx *ctx, uint32_t dev_id,
				  uint32_t parent_id, uint32_t iotlb,
				  uint32_t *hwpt_id);

/* Moves a device to pt_id; 0 or -errno, like iommunest_device_replace(). */
typedef int (*iommunest_replace_fn)(void *opaque, uint32_t pt_id);

/*
 * Nested context switch, make before break: allocate the new nested HWPT,
 * replace the device's attachment with it, then destroy the old one.
 * *hwpt_id is the current nested HWPT on entry (0: none to destroy) and
 * the new one on success.  On failure the device stays where it was and
 * *hwpt_id is unchanged.  Returns 0, or 1 when the old HWPT could not be
 * destroyed (still used by another device) and was kept.
 */
int iommunest_nested_switch(struct iommunest_ctx *ctx, int vfio_fd,
			    uint32_t dev_id, uint32_t parent_id,
			    uint32_t data_type, const void *data,
			    uint32_t data_len, uint32_t *hwpt_id);
/* The same, moving the device with replace(opaque, new_hwpt). */
int iommunest_nested_switch_fn(struct iommunest_ctx *ctx, uint32_t dev_id,
			       uint32_t parent_id, uint32_t data_type,
			       const void *data, uint32_t data_len,
			       iommunest_replace_fn replace, void *opaque,
			       uint32_t *hwpt_id);

/* ---- vIOMMU objects (Linux 6.13 and later) ---------------------------- */

#define IOMMUNEST_VIOMMU_ARM_SMMUV3 1u

/*
 * A vIOMMU for dev_id's IOMMU around parent_hwpt_id (NEST_PARENT).  On a
 * kernel without vIOMMU support these return -ENOSYS ("not supported by
 * this kernel"); -EOPNOTSUPP means the kernel has it but not this IOMMU.
 */
int iommunest_viommu_alloc(struct iommunest_ctx *ctx, uint32_t dev_id,
			   uint32_t parent_hwpt_id, uint32_t type,
			   uint32_t *viommu_id);
/* The guest's ID of dev_id on the vIOMMU (SMMUv3: its virtual StreamID). */
int iommunest_vdevice_alloc(struct iommunest_ctx *ctx, uint32_t viommu_id,
			    uint32_t dev_id, uint64_t virt_id,
			    uint32_t *vdevice_id);

/* ---- Cache invalidation, one call --------------------------------------- */

/* Invalidation entry types (IOMMU_HWPT_INVALIDATE data_type). */
#define IOMMUNEST_INV_VTD_S1     0u          /* nested HWPT, 24 bytes */
#define IOMMUNEST_INV_ARM_SMMUV3 1u          /* vIOMMU, 16 bytes */
#define IOMMUNEST_INV_SELFTEST   0xdeadbeefu /* mock IOMMU, 8 bytes */

/*
 * One IOMMU_HWPT_INVALIDATE: *num entries of entry_len bytes to target_id
 * (a nested HWPT or a vIOMMU).  *num comes back as the kernel's count of
 * entries handled, also on failure; see iommunest_batch_new(3) for what
 * that count can be trusted with: when the call fails before reaching
 * the entries, *num can still hold the count sent.  *num == 0 probes the
 * type.  A kernel without the ioctl (before 6.8) gives -ENOSYS.
 */
int iommunest_invalidate(struct iommunest_ctx *ctx, uint32_t target_id,
			 uint32_t data_type, const void *entries,
			 uint32_t entry_len, uint32_t *num);

#ifdef __cplusplus
}
#endif

#endif /* LIBIOMMUNEST_IOMMUNEST_H */
