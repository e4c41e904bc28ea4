/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The iommufd and VFIO cdev kernel ABI, as this library uses it.
 *
 * Written here rather than taken from <linux/iommufd.h> because build
 * machines ship older headers (6.1) that lack nesting.  Layouts and numbers
 * are kernel facts; tests/abi checks each one against a 6.12 uAPI header.
 * Every command struct starts with its own size, which the kernel uses to
 * tell old callers from new ones.
 */
#ifndef IOMMUNEST_ABI_H
#define IOMMUNEST_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

/* The kernel aligns every u64 to 8 bytes, also on 32-bit hosts. */
typedef uint64_t kabi_u64 __attribute__((aligned(8)));

#define KABI_IOMMUFD_TYPE ';'
#define KABI_IOMMUFD_CMD(nr) _IO(KABI_IOMMUFD_TYPE, (nr))

#define KABI_IOMMU_DESTROY                 KABI_IOMMUFD_CMD(0x80)
#define KABI_IOMMU_IOAS_ALLOC              KABI_IOMMUFD_CMD(0x81)
#define KABI_IOMMU_IOAS_ALLOW_IOVAS        KABI_IOMMUFD_CMD(0x82)
#define KABI_IOMMU_IOAS_COPY               KABI_IOMMUFD_CMD(0x83)
#define KABI_IOMMU_IOAS_IOVA_RANGES        KABI_IOMMUFD_CMD(0x84)
#define KABI_IOMMU_IOAS_MAP                KABI_IOMMUFD_CMD(0x85)
#define KABI_IOMMU_IOAS_UNMAP              KABI_IOMMUFD_CMD(0x86)
#define KABI_IOMMU_OPTION                  KABI_IOMMUFD_CMD(0x87)
#define KABI_IOMMU_HWPT_ALLOC              KABI_IOMMUFD_CMD(0x89)
#define KABI_IOMMU_GET_HW_INFO             KABI_IOMMUFD_CMD(0x8a)
#define KABI_IOMMU_HWPT_SET_DIRTY_TRACKING KABI_IOMMUFD_CMD(0x8b)
#define KABI_IOMMU_HWPT_GET_DIRTY_BITMAP   KABI_IOMMUFD_CMD(0x8c)
#define KABI_IOMMU_HWPT_INVALIDATE         KABI_IOMMUFD_CMD(0x8d)
#define KABI_IOMMU_FAULT_QUEUE_ALLOC       KABI_IOMMUFD_CMD(0x8e) /* 6.11 */
/* Linux 6.13 and later; a 6.12 kernel answers ENOTTY. */
#define KABI_IOMMU_IOAS_MAP_FILE           KABI_IOMMUFD_CMD(0x8f)
#define KABI_IOMMU_VIOMMU_ALLOC            KABI_IOMMUFD_CMD(0x90)
#define KABI_IOMMU_VDEVICE_ALLOC           KABI_IOMMUFD_CMD(0x91)
#define KABI_IOMMU_IOAS_CHANGE_PROCESS     KABI_IOMMUFD_CMD(0x92) /* 6.14 */
#define KABI_IOMMU_VEVENTQ_ALLOC           KABI_IOMMUFD_CMD(0x93) /* 6.15 */
#define KABI_IOMMU_HW_QUEUE_ALLOC          KABI_IOMMUFD_CMD(0x94) /* 6.17 */
/* The mock IOMMU's test command (CONFIG_IOMMUFD_TEST kernels only). */
#define KABI_IOMMU_TEST_CMD                KABI_IOMMUFD_CMD(0xa0)

/* VFIO shares the ';' type; its numbers start at 100. */
#define KABI_VFIO_CMD(nr) _IO(KABI_IOMMUFD_TYPE, 100 + (nr))
#define KABI_VFIO_DEVICE_BIND_IOMMUFD      KABI_VFIO_CMD(18)
#define KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT KABI_VFIO_CMD(19)
#define KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT KABI_VFIO_CMD(20)

struct kabi_destroy {
	uint32_t size;
	uint32_t id;
};

struct kabi_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

struct kabi_iova_range {
	kabi_u64 start;
	kabi_u64 last; /* inclusive */
};

/* Used by both IOVA_RANGES (in/out) and ALLOW_IOVAS (in). */
struct kabi_ioas_iova_ranges {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t reserved;
	kabi_u64 allowed_iovas; /* user pointer to kabi_iova_range[] */
	kabi_u64 out_iova_alignment;
};

struct kabi_ioas_allow_iovas {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t reserved;
	kabi_u64 allowed_iovas;
};

#define KABI_MAP_FIXED_IOVA (1u << 0)
#define KABI_MAP_WRITEABLE  (1u << 1)
#define KABI_MAP_READABLE   (1u << 2)

struct kabi_ioas_map {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t reserved;
	kabi_u64 user_va;
	kabi_u64 length;
	kabi_u64 iova; /* in with FIXED_IOVA, else out */
};

struct kabi_ioas_copy {
	uint32_t size;
	uint32_t flags;
	uint32_t dst_ioas_id;
	uint32_t src_ioas_id;
	kabi_u64 length;
	kabi_u64 dst_iova;
	kabi_u64 src_iova;
};

struct kabi_ioas_unmap {
	uint32_t size;
	uint32_t ioas_id;
	kabi_u64 iova;
	kabi_u64 length; /* out: bytes unmapped */
};

#define KABI_OPTION_OP_SET 0
#define KABI_OPTION_OP_GET 1

struct kabi_option {
	uint32_t size;
	uint32_t option_id;
	uint16_t op;
	uint16_t reserved;
	uint32_t object_id;
	kabi_u64 val64;
};

#define KABI_HWPT_ALLOC_NEST_PARENT     (1u << 0)
#define KABI_HWPT_ALLOC_DIRTY_TRACKING  (1u << 1)
#define KABI_HWPT_FAULT_ID_VALID        (1u << 2) /* 6.11 */
#define KABI_HWPT_ALLOC_PASID           (1u << 3) /* 6.15 */
#define KABI_HWPT_DATA_NONE       0u
#define KABI_HWPT_DATA_VTD_S1     1u
#define KABI_HWPT_DATA_ARM_SMMUV3 2u      /* 6.14 on */
#define KABI_HWPT_DATA_AMD_GUEST  3u      /* 7.x */
#define KABI_HWPT_DATA_SELFTEST   0xdeadu /* CONFIG_IOMMUFD_TEST only */

struct kabi_hwpt_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pt_id;
	uint32_t out_hwpt_id;
	uint32_t reserved;
	uint32_t data_type;
	uint32_t data_len;
	kabi_u64 data_uptr;
	uint32_t fault_id;
	uint32_t reserved2;
};

/* Nested HWPT data: a VT-d stage-1 page table. */
#define KABI_VTD_S1_SRE  (1u << 0)
#define KABI_VTD_S1_EAFE (1u << 1)
#define KABI_VTD_S1_WPE  (1u << 2)

struct kabi_hwpt_vtd_s1 {
	kabi_u64 flags;
	kabi_u64 pgtbl_addr;
	uint32_t addr_width;
	uint32_t reserved;
};

/* Nested HWPT data: an SMMUv3 stream table entry (little endian). */
struct kabi_hwpt_arm_smmuv3 {
	kabi_u64 ste[2];
};

/* Nested HWPT data: an AMD guest device table entry (7.x). */
struct kabi_hwpt_amd_guest {
	kabi_u64 dte[4];
};

/* Nested HWPT data of the kernel's mock IOMMU.  7.x appends a page table
 * type; the kernel zero-fills what an older caller leaves out. */
struct kabi_hwpt_selftest {
	uint32_t iotlb;
};

/* VT-d: IOMMU_HW_INFO_TYPE_INTEL_VTD data. */
struct kabi_hw_info_vtd {
	uint32_t flags;
	uint32_t reserved;
	kabi_u64 cap_reg;
	kabi_u64 ecap_reg;
};

/* ARM SMMUv3: IOMMU_HW_INFO_TYPE_ARM_SMMUV3 data (kernel 6.14 on). */
struct kabi_hw_info_smmuv3 {
	uint32_t flags;
	uint32_t reserved;
	uint32_t idr[6];
	uint32_t iidr;
	uint32_t aidr;
};

/* SMMUv3 hw info flags (7.x). */
#define KABI_HW_INFO_SMMUV3_REPEAT_TLBI_CFGI (1u << 0)

/* NVIDIA Tegra241 CMDQV: IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV data (6.17). */
struct kabi_hw_info_tegra241 {
	uint32_t flags;
	uint8_t version;
	uint8_t log2vcmdqs;
	uint8_t log2vsids;
	uint8_t reserved;
};

/* AMD: IOMMU_HW_INFO_TYPE_AMD data (7.x). */
struct kabi_hw_info_amd {
	kabi_u64 efr;
	kabi_u64 efr2;
};

#define KABI_HW_INFO_TYPE_DEFAULT      0u
#define KABI_HW_INFO_TYPE_TEGRA241     3u
#define KABI_HW_INFO_TYPE_AMD          4u
#define KABI_HW_INFO_TYPE_SELFTEST     0xfeedbeefu

#define KABI_HW_CAP_DIRTY_TRACKING (1ull << 0)
#define KABI_HW_CAP_PCI_PASID_EXEC (1ull << 1)
#define KABI_HW_CAP_PCI_PASID_PRIV (1ull << 2)
#define KABI_HW_CAP_PCI_ATS_NOT_SUPPORTED (1ull << 3)

/* The request carries in_data_type (6.17): shares the out type's field. */
#define KABI_HW_INFO_FLAG_INPUT_TYPE (1u << 0)

struct kabi_hw_info {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t data_len;       /* in: buffer size; out: bytes filled */
	kabi_u64 data_uptr;
	uint32_t out_data_type;
	uint8_t out_max_pasid_log2;
	uint8_t reserved[3];
	kabi_u64 out_capabilities;
};

#define KABI_DIRTY_TRACKING_ENABLE 1u

struct kabi_hwpt_set_dirty_tracking {
	uint32_t size;
	uint32_t flags;
	uint32_t hwpt_id;
	uint32_t reserved;
};

#define KABI_GET_DIRTY_BITMAP_NO_CLEAR 1u

struct kabi_hwpt_get_dirty_bitmap {
	uint32_t size;
	uint32_t hwpt_id;
	uint32_t flags;
	uint32_t reserved;
	kabi_u64 iova;
	kabi_u64 length;
	kabi_u64 page_size;
	kabi_u64 data; /* user pointer to the bitmap */
};

/* Invalidation entry types (data_type) and their entries. */
#define KABI_INVALIDATE_DATA_VTD_S1         0u
#define KABI_INVALIDATE_DATA_ARM_SMMUV3     1u          /* vIOMMU target */
#define KABI_INVALIDATE_DATA_SELFTEST       0xdeadbeefu /* mock IOMMU */
#define KABI_INVALIDATE_ENTRY_NUM_MAX       (1u << 19)  /* per call */

#define KABI_VTD_INV_FLAGS_LEAF (1u << 0)

struct kabi_vtd_s1_invalidate {
	kabi_u64 addr;   /* 4 KiB aligned */
	kabi_u64 npages; /* U64_MAX with addr 0: everything */
	uint32_t flags;
	uint32_t reserved;
};

struct kabi_smmuv3_invalidate {
	kabi_u64 cmd[2]; /* one CMDQ command, little endian */
};

#define KABI_SELFTEST_INV_FLAG_ALL (1u << 0)

struct kabi_selftest_invalidate {
	uint32_t flags;
	uint32_t iotlb_id;
};

/* The mock vIOMMU's device caches (same type number, 12 bytes). */
struct kabi_selftest_viommu_invalidate {
	uint32_t flags;
	uint32_t vdev_id;  /* the vDEVICE's virt_id */
	uint32_t cache_id;
};

struct kabi_hwpt_invalidate {
	uint32_t size;
	uint32_t hwpt_id;
	kabi_u64 data_uptr;
	uint32_t data_type;
	uint32_t entry_len;
	uint32_t entry_num; /* in: entries; out: entries handled */
	uint32_t reserved;
};

#define KABI_VIOMMU_TYPE_ARM_SMMUV3 1u
#define KABI_VIOMMU_TYPE_TEGRA241    2u
#define KABI_VIOMMU_TYPE_SELFTEST    0xdeadbeefu

struct kabi_viommu_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t type;
	uint32_t dev_id;
	uint32_t hwpt_id; /* the nesting parent */
	uint32_t out_viommu_id;
	uint32_t data_len;
	uint32_t reserved;
	kabi_u64 data_uptr;
};

struct kabi_vdevice_alloc {
	uint32_t size;
	uint32_t viommu_id;
	uint32_t dev_id;
	uint32_t out_vdevice_id;
	kabi_u64 virt_id;
};

/* IO page fault queues (6.11). */
struct kabi_fault_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_fault_id;
	uint32_t out_fault_fd;
};

#define KABI_PGFAULT_FLAGS_PASID_VALID (1u << 0)
#define KABI_PGFAULT_FLAGS_LAST_PAGE   (1u << 1)

/* What a read of a fault queue fd returns, one per fault. */
struct kabi_hwpt_pgfault {
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint32_t reserved;
	kabi_u64 addr;
	uint32_t length;
	uint32_t cookie;
};

#define KABI_PAGE_RESP_SUCCESS 0u
#define KABI_PAGE_RESP_INVALID 1u

/* What a write to a fault queue fd takes, one per answered group. */
struct kabi_hwpt_page_response {
	uint32_t cookie;
	uint32_t code;
};

/* IOMMU_IOAS_MAP_FILE (6.13): flags as for IOAS_MAP. */
struct kabi_ioas_map_file {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	int32_t fd;
	kabi_u64 start;
	kabi_u64 length;
	kabi_u64 iova;
};

/* IOMMU_IOAS_CHANGE_PROCESS (6.14). */
struct kabi_ioas_change_process {
	uint32_t size;
	uint32_t reserved;
};

/* vEVENTQ (6.15): allocation, and the header before every event read. */
#define KABI_VEVENTQ_TYPE_ARM_SMMUV3 1u
#define KABI_VEVENTQ_TYPE_TEGRA241   2u
#define KABI_VEVENTQ_TYPE_SELFTEST   0xbeefbeefu
#define KABI_VEVENTQ_MAX_DEPTH       (1u << 19)
#define KABI_VEVENTQ_FLAG_LOST_EVENTS (1u << 0)

struct kabi_veventq_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t veventq_depth;
	uint32_t out_veventq_id;
	uint32_t out_veventq_fd;
	uint32_t reserved;
};

struct kabi_vevent_header {
	uint32_t flags;
	uint32_t sequence; /* 0 .. INT_MAX, then 0 again */
};

/* Event data per type. */
struct kabi_vevent_arm_smmuv3 {
	kabi_u64 evt[4];
};

struct kabi_vevent_tegra241 {
	kabi_u64 lvcmdq_err_map[2];
};

struct kabi_vevent_selftest {
	uint32_t virt_id;
};

/* HW queues (6.17). */
#define KABI_HW_QUEUE_TYPE_TEGRA241 1u
#define KABI_HW_QUEUE_TYPE_SELFTEST 0xdeadbeefu

struct kabi_hw_queue_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t index;
	uint32_t out_hw_queue_id;
	kabi_u64 nesting_parent_iova;
	kabi_u64 length;
};

/* vIOMMU driver data, in and out. */
struct kabi_viommu_tegra241 {
	kabi_u64 out_vintf_mmap_offset;
	kabi_u64 out_vintf_mmap_length;
};

struct kabi_viommu_selftest {
	uint32_t in_data;
	uint32_t out_data;
	kabi_u64 out_mmap_offset;
	kabi_u64 out_mmap_length;
};

/* VFIO cdev: these start with argsz instead of size. */
struct kabi_vfio_bind_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t iommufd;
	uint32_t out_devid;
};

struct kabi_vfio_attach_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pt_id;
};

struct kabi_vfio_detach_pt {
	uint32_t argsz;
	uint32_t flags;
};

/* The PASID forms (6.15): a longer struct, with the PASID flag. */
#define KABI_VFIO_DEVICE_ATTACH_PASID (1u << 0)
#define KABI_VFIO_DEVICE_DETACH_PASID (1u << 0)

struct kabi_vfio_attach_pt_pasid {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pt_id;
	uint32_t pasid;
};

struct kabi_vfio_detach_pt_pasid {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pasid;
};

/* Sizes are ABI: a change here is a kernel ABI break on our side. */
_Static_assert(sizeof(struct kabi_destroy) == 8, "destroy");
_Static_assert(sizeof(struct kabi_ioas_alloc) == 12, "ioas_alloc");
_Static_assert(sizeof(struct kabi_iova_range) == 16, "iova_range");
_Static_assert(sizeof(struct kabi_ioas_iova_ranges) == 32, "iova_ranges");
_Static_assert(sizeof(struct kabi_ioas_allow_iovas) == 24, "allow_iovas");
_Static_assert(sizeof(struct kabi_ioas_map) == 40, "ioas_map");
_Static_assert(sizeof(struct kabi_ioas_copy) == 40, "ioas_copy");
_Static_assert(sizeof(struct kabi_ioas_unmap) == 24, "ioas_unmap");
_Static_assert(sizeof(struct kabi_option) == 24, "option");
_Static_assert(sizeof(struct kabi_hwpt_alloc) == 48, "hwpt_alloc");
_Static_assert(sizeof(struct kabi_hw_info_vtd) == 24, "hw_info_vtd");
_Static_assert(sizeof(struct kabi_hw_info_smmuv3) == 40, "hw_info_smmuv3");
_Static_assert(sizeof(struct kabi_hw_info) == 40, "hw_info");
_Static_assert(sizeof(struct kabi_hwpt_set_dirty_tracking) == 16, "dirty");
_Static_assert(sizeof(struct kabi_hwpt_get_dirty_bitmap) == 48, "bitmap");
_Static_assert(sizeof(struct kabi_hwpt_invalidate) == 32, "invalidate");
_Static_assert(sizeof(struct kabi_hwpt_vtd_s1) == 24, "vtd_s1");
_Static_assert(sizeof(struct kabi_hwpt_arm_smmuv3) == 16, "smmuv3 ste");
_Static_assert(sizeof(struct kabi_hwpt_selftest) == 4, "selftest data");
_Static_assert(sizeof(struct kabi_vtd_s1_invalidate) == 24, "vtd inv");
_Static_assert(sizeof(struct kabi_smmuv3_invalidate) == 16, "smmuv3 inv");
_Static_assert(sizeof(struct kabi_selftest_invalidate) == 8, "selftest inv");
_Static_assert(sizeof(struct kabi_selftest_viommu_invalidate) == 12,
	       "selftest viommu inv");
_Static_assert(sizeof(struct kabi_viommu_alloc) == 40, "viommu_alloc");
_Static_assert(sizeof(struct kabi_vdevice_alloc) == 24, "vdevice_alloc");
_Static_assert(sizeof(struct kabi_vfio_bind_iommufd) == 16, "vfio_bind");
_Static_assert(sizeof(struct kabi_vfio_attach_pt) == 12, "vfio_attach");
_Static_assert(sizeof(struct kabi_vfio_detach_pt) == 8, "vfio_detach");
_Static_assert(sizeof(struct kabi_hwpt_amd_guest) == 32, "amd guest");
_Static_assert(sizeof(struct kabi_hw_info_tegra241) == 8, "hw_info_tegra");
_Static_assert(sizeof(struct kabi_hw_info_amd) == 16, "hw_info_amd");
_Static_assert(sizeof(struct kabi_fault_alloc) == 16, "fault_alloc");
_Static_assert(sizeof(struct kabi_hwpt_pgfault) == 40, "pgfault");
_Static_assert(sizeof(struct kabi_hwpt_page_response) == 8, "page_response");
_Static_assert(sizeof(struct kabi_ioas_map_file) == 40, "map_file");
_Static_assert(sizeof(struct kabi_ioas_change_process) == 8, "change_process");
_Static_assert(sizeof(struct kabi_veventq_alloc) == 32, "veventq_alloc");
_Static_assert(sizeof(struct kabi_vevent_header) == 8, "vevent_header");
_Static_assert(sizeof(struct kabi_vevent_arm_smmuv3) == 32, "vevent smmuv3");
_Static_assert(sizeof(struct kabi_vevent_tegra241) == 16, "vevent tegra");
_Static_assert(sizeof(struct kabi_hw_queue_alloc) == 40, "hw_queue_alloc");
_Static_assert(sizeof(struct kabi_viommu_tegra241) == 16, "viommu tegra");
_Static_assert(sizeof(struct kabi_viommu_selftest) == 24, "viommu selftest");
_Static_assert(sizeof(struct kabi_vfio_attach_pt_pasid) == 16, "attach pasid");
_Static_assert(sizeof(struct kabi_vfio_detach_pt_pasid) == 12, "detach pasid");
_Static_assert(offsetof(struct kabi_hw_info, out_capabilities) == 32, "caps");
_Static_assert(offsetof(struct kabi_hwpt_alloc, data_uptr) == 32, "uptr");

#endif /* IOMMUNEST_ABI_H */
