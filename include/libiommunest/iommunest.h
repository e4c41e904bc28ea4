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
#define IOMMUNEST_INV_SELFTEST   0xdeadbeefu /* mock: 8 (HWPT), 12 (vIOMMU) */

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


/* ======================================================================
 * Added in 0.2 (version node LIBIOMMUNEST_0.2).  Each feature names the
 * first kernel that has it; an older kernel answers -ENOSYS ("not
 * supported by this kernel") and nothing is changed.
 * ====================================================================== */

/* ---- Hardware information, continued ----------------------------------- */

#define IOMMUNEST_HW_INFO_TEGRA241_CMDQV 3u  /* NVIDIA Tegra241 CMDQV */
#define IOMMUNEST_HW_INFO_AMD            4u  /* AMD IOMMU (EFR, EFR2) */
#define IOMMUNEST_HW_INFO_SELFTEST 0xfeedbeefu /* the kernel's mock IOMMU */

#define IOMMUNEST_CAP_ATS_NOT_SUPPORTED (1ull << 5) /* kernel: no ATS here */
/* SMMUv3 erratum: TLBI/CFGI + SYNC must be issued twice (hw info flag). */
#define IOMMUNEST_CAP_SMMUV3_REPEAT_TLBI (1ull << 6)

/*
 * As iommunest_hw_info(), asking for the data of a given type (Linux 6.17
 * and later; type 0 is the default and works on every kernel): an SMMUv3
 * with a Tegra241 CMDQV answers either type.
 */
int iommunest_hw_info_type(struct iommunest_ctx *ctx, uint32_t dev_id,
			   uint32_t type, struct iommunest_hw_info *info);

/* AMD IOMMU hardware information (type IOMMUNEST_HW_INFO_AMD), decoded. */
struct iommunest_hw_amd {
	uint64_t efr;          /* Extended Feature Register, raw */
	uint64_t efr2;         /* Extended Feature 2 Register, raw */
	bool gt;               /* GTSup: guest translation (nesting) */
	bool ga;               /* GASup: guest virtual APIC */
	bool gio;              /* GIoSup: guest I/O protection */
	bool ppr;              /* PPRSup: peripheral page requests */
	bool eph;              /* EPHSup: enhanced PPR handling */
	uint32_t gats;         /* GATS: guest address translation size */
	uint32_t glx;          /* GLX: guest CR3 table levels */
	uint32_t pasid_bits;   /* PASmax + 1, 0 without PASIDs */
	uint64_t reserved[2];
};
/* Decode info (type AMD) into *amd; -EINVAL for any other type. */
int iommunest_hw_info_amd(const struct iommunest_hw_info *info,
			  struct iommunest_hw_amd *amd);

/* NVIDIA Tegra241 CMDQV hardware information, decoded. */
struct iommunest_hw_tegra241 {
	uint32_t flags;
	uint32_t version;      /* PARAM[3:0] */
	uint32_t log2vcmdqs;   /* PARAM[7:4] */
	uint32_t log2vsids;    /* PARAM[15:12] */
	uint64_t reserved[2];
};
int iommunest_hw_info_tegra241(const struct iommunest_hw_info *info,
			       struct iommunest_hw_tegra241 *cmdqv);

/* ---- HW page tables, the general form ---------------------------------- */

#define IOMMUNEST_HWPT_FAULT (1u << 2) /* deliver IO page faults to fault_id */
#define IOMMUNEST_HWPT_PASID (1u << 3) /* may be attached to a PASID (6.15) */

#define IOMMUNEST_HWPT_DATA_AMD_GUEST 3u /* AMD guest DTE, 32 bytes (7.x) */

/* Everything IOMMU_HWPT_ALLOC takes.  data_type 0 (no data) makes a
 * paging HWPT of the IOAS pt_id; any other a nested HWPT on pt_id (a
 * NEST_PARENT HWPT or a vIOMMU). */
struct iommunest_hwpt_args {
	uint32_t dev_id;
	uint32_t pt_id;
	uint32_t flags;      /* IOMMUNEST_HWPT_* */
	uint32_t fault_id;   /* with IOMMUNEST_HWPT_FAULT */
	uint32_t data_type;  /* IOMMUNEST_HWPT_DATA_*, 0 for paging */
	uint32_t data_len;
	const void *data;    /* read during the call only */
};
int iommunest_hwpt_alloc(struct iommunest_ctx *ctx,
			 const struct iommunest_hwpt_args *args,
			 uint32_t *hwpt_id);
/* Typed form for AMD guest translation: the guest's 256-bit DTE. */
int iommunest_hwpt_alloc_amd_guest(struct iommunest_ctx *ctx,
				   uint32_t dev_id, uint32_t parent_id,
				   const uint64_t dte[4], uint32_t *hwpt_id);

/* ---- IO page faults (fault queues, Linux 6.11) -------------------------- */

/* A fault queue: *fault_id for IOMMUNEST_HWPT_FAULT, *fault_fd to read
 * faults from and answer them on.  The caller owns *fault_fd (close it
 * after destroying the HWPTs that use it). */
int iommunest_fault_queue_alloc(struct iommunest_ctx *ctx, uint32_t *fault_id,
				int *fault_fd);

#define IOMMUNEST_FAULT_PASID_VALID (1u << 0)
#define IOMMUNEST_FAULT_LAST_PAGE   (1u << 1) /* last fault of its group */
#define IOMMUNEST_FAULT_PERM_READ   (1u << 0)
#define IOMMUNEST_FAULT_PERM_WRITE  (1u << 1)
#define IOMMUNEST_FAULT_PERM_EXEC   (1u << 2)
#define IOMMUNEST_FAULT_PERM_PRIV   (1u << 3)

/* One IO page fault (the kernel's iommu_hwpt_pgfault). */
struct iommunest_fault {
	uint32_t flags;    /* IOMMUNEST_FAULT_PASID_VALID, _LAST_PAGE */
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;    /* page request group index */
	uint32_t perm;     /* IOMMUNEST_FAULT_PERM_* */
	uint32_t reserved;
	uint64_t addr;
	uint32_t length;   /* hint, 0 if none */
	uint32_t cookie;   /* answer the group with this */
};

/*
 * Read whole fault groups into faults[0 .. max-1]: returns the number of
 * faults read (0: none pending; wait with poll(2) for POLLIN), or
 * -ENOSPC when the next group has more than max faults.
 */
int iommunest_fault_read(int fault_fd, struct iommunest_fault *faults,
			 uint32_t max);

#define IOMMUNEST_FAULT_RESP_SUCCESS 0u /* handled: retry the access */
#define IOMMUNEST_FAULT_RESP_INVALID 1u /* not handled: do not retry */

/* Answer the fault group whose last fault carried cookie. */
int iommunest_fault_respond(int fault_fd, uint32_t cookie, uint32_t code);

/* ---- vIOMMU objects, continued ------------------------------------------- */

#define IOMMUNEST_VIOMMU_TEGRA241_CMDQV 2u
#define IOMMUNEST_VIOMMU_SELFTEST 0xdeadbeefu /* the kernel's mock IOMMU */

/* As iommunest_viommu_alloc() with driver data (in and out, data_len
 * bytes; Linux 6.17 and later for non-empty data). */
int iommunest_viommu_alloc_data(struct iommunest_ctx *ctx, uint32_t dev_id,
				uint32_t parent_hwpt_id, uint32_t type,
				void *data, uint32_t data_len,
				uint32_t *viommu_id);

/* Map length bytes at the offset a vIOMMU or HW queue reported (for
 * example a Tegra241 VINTF page) from the iommufd into this process:
 * *addr; release with munmap(2). */
int iommunest_mmap(struct iommunest_ctx *ctx, uint64_t offset,
		   uint64_t length, int prot, void **addr);

/* ---- vEVENTQ: events of a vIOMMU (Linux 6.15) ---------------------------- */

#define IOMMUNEST_VEVENTQ_ARM_SMMUV3      1u  /* 32-byte event records */
#define IOMMUNEST_VEVENTQ_TEGRA241_CMDQV  2u  /* 16-byte error maps */
#define IOMMUNEST_VEVENTQ_SELFTEST 0xbeefbeefu /* 4 bytes: the virt_id */

/* A vEVENTQ and its reader.  Opaque. */
struct iommunest_veventq;

/*
 * Allocate a vEVENTQ of type on viommu_id holding up to depth events;
 * *q owns its fd.  event_len is the size of the type's data (0: the
 * library's size for a known type; required for other types).
 */
int iommunest_veventq_alloc(struct iommunest_ctx *ctx, uint32_t viommu_id,
			    uint32_t type, uint32_t depth, uint32_t event_len,
			    struct iommunest_veventq **q);
/* Destroy the object, close the fd, free q.  NULL is ignored. */
int iommunest_veventq_free(struct iommunest_veventq *q);
/* The fd, to poll(2) for POLLIN; still owned by q. */
int iommunest_veventq_fd(const struct iommunest_veventq *q);
/* The kernel object ID of the vEVENTQ. */
int iommunest_veventq_id(const struct iommunest_veventq *q, uint32_t *id);

#define IOMMUNEST_VEVENT_DATA_MAX 32

/* One event, or one report of lost events. */
struct iommunest_vevent {
	uint32_t sequence;  /* the kernel's index, 0 .. INT_MAX, wrapping */
	uint32_t lost;      /* events lost just before this one */
	uint32_t data_len;  /* bytes of data; 0 for a lost-only report */
	uint32_t flags;     /* IOMMUNEST_VEVENT_LOST_ONLY */
	uint8_t data[IOMMUNEST_VEVENT_DATA_MAX];
};
/* The record holds no event, only lost: the kernel's lost-events header
 * at the queue's tail, whose sequence is the last event lost (counted in
 * lost too). */
#define IOMMUNEST_VEVENT_LOST_ONLY (1u << 0)

/*
 * Read up to max events: returns the number of records filled (0: none
 * pending; poll for POLLIN).  Every lost event is counted exactly once,
 * in the lost field of the record after the gap.
 */
int iommunest_veventq_read(struct iommunest_veventq *q,
			   struct iommunest_vevent *events, uint32_t max);

/* ---- PASID attachment of VFIO devices (Linux 6.15) ----------------------- */

/* Attach the device's PASID pasid (1 .. 2^20 - 1) to pt_id, a HWPT made
 * with IOMMUNEST_HWPT_PASID (the kernel refuses an IOAS: the page table
 * it would make for one is not PASID-capable). */
int iommunest_device_pasid_attach(struct iommunest_ctx *ctx, int vfio_fd,
				  uint32_t pasid, uint32_t pt_id);
/* Move an attached PASID to pt_id in one step. */
int iommunest_device_pasid_replace(struct iommunest_ctx *ctx, int vfio_fd,
				   uint32_t pasid, uint32_t pt_id);
int iommunest_device_pasid_detach(struct iommunest_ctx *ctx, int vfio_fd,
				  uint32_t pasid);

/* ---- Live update (Linux 6.13, 6.14) --------------------------------------- */

/* Map length bytes of the file fd (a memfd) from offset start at the
 * fixed IOVA iova.  The mapping does not depend on this process's
 * address space, so it survives handing the iommufd to a new process. */
int iommunest_ioas_map_file(struct iommunest_ctx *ctx, uint32_t ioas_id,
			    int fd, uint64_t start, uint64_t length,
			    uint64_t iova, uint32_t flags);
/* The same at an IOVA the kernel picks (*iova). */
int iommunest_ioas_map_file_any(struct iommunest_ctx *ctx, uint32_t ioas_id,
				int fd, uint64_t start, uint64_t length,
				uint32_t flags, uint64_t *iova);
/* Charge the pinned pages of every IOAS to the calling process (after
 * it received the iommufd from the old one).  Only MAP_FILE mappings
 * may exist. */
int iommunest_ioas_change_process(struct iommunest_ctx *ctx);

/* ---- HW queues (Linux 6.17) ------------------------------------------------ */

#define IOMMUNEST_HW_QUEUE_TEGRA241_CMDQV 1u
#define IOMMUNEST_HW_QUEUE_SELFTEST 0xdeadbeefu /* the kernel's mock IOMMU */

/* A queue the hardware reads from guest memory at [iova, iova + length)
 * of the vIOMMU's nesting parent; index numbers queues per type. */
int iommunest_hw_queue_alloc(struct iommunest_ctx *ctx, uint32_t viommu_id,
			     uint32_t type, uint32_t index, uint64_t iova,
			     uint64_t length, uint32_t *hw_queue_id);

/* ---- Feature discovery ------------------------------------------------------- */

/* iommufd commands, one bit each: bit (command number - 0x80). */
#define IOMMUNEST_FEAT_IOCTL(nr) (1ull << ((nr) - 0x80u))
#define IOMMUNEST_FEAT_HWPT_INVALIDATE IOMMUNEST_FEAT_IOCTL(0x8du) /* 6.8 */
#define IOMMUNEST_FEAT_FAULT_QUEUE     IOMMUNEST_FEAT_IOCTL(0x8eu) /* 6.11 */
#define IOMMUNEST_FEAT_MAP_FILE        IOMMUNEST_FEAT_IOCTL(0x8fu) /* 6.13 */
#define IOMMUNEST_FEAT_VIOMMU          IOMMUNEST_FEAT_IOCTL(0x90u) /* 6.13 */
#define IOMMUNEST_FEAT_VDEVICE         IOMMUNEST_FEAT_IOCTL(0x91u) /* 6.13 */
#define IOMMUNEST_FEAT_CHANGE_PROCESS  IOMMUNEST_FEAT_IOCTL(0x92u) /* 6.14 */
#define IOMMUNEST_FEAT_VEVENTQ         IOMMUNEST_FEAT_IOCTL(0x93u) /* 6.15 */
#define IOMMUNEST_FEAT_HW_QUEUE        IOMMUNEST_FEAT_IOCTL(0x94u) /* 6.17 */
#define IOMMUNEST_FEAT_MOCK            IOMMUNEST_FEAT_IOCTL(0xa0u) /* test kernels */

/* What the running kernel offers: its commands, and for a device the
 * types its IOMMU takes.  Type sets are bit masks of (1 << type) for
 * types below 32, plus bit 31 for the mock IOMMU's selftest type. */
struct iommunest_features {
	uint64_t ioctls;           /* IOMMUNEST_FEAT_* */
	uint32_t hw_info_type;     /* of dev_id; 0 without a device */
	uint32_t hwpt_data_types;  /* nested HWPT data types */
	uint32_t viommu_types;
	uint32_t inv_types;        /* invalidation data types */
	uint32_t veventq_types;
	uint32_t hw_queue_types;
	uint32_t pasid_bits;       /* of dev_id, 0: no PASID */
	uint32_t flags;            /* IOMMUNEST_FEATURES_* of the answer */
	uint64_t caps;             /* IOMMUNEST_CAP_* of dev_id */
	uint64_t reserved[4];
};
#define IOMMUNEST_FEAT_SELFTEST_BIT 31u
/* The type sets were found by allocating (not just from the hw info). */
#define IOMMUNEST_FEATURES_PROBED (1u << 0)
/* Ask: allocate (and destroy) scratch objects to confirm the type sets. */
#define IOMMUNEST_FEATURES_PROBE  (1u << 0)

/*
 * Fill *f: the commands are found by cheap probes that change nothing;
 * with a bound dev_id (0: none), the types its IOMMU takes, from its
 * hardware information, confirmed by allocation with
 * IOMMUNEST_FEATURES_PROBE.
 */
int iommunest_features(struct iommunest_ctx *ctx, uint32_t dev_id,
		       uint32_t flags, struct iommunest_features *f);

#ifdef __cplusplus
}
#endif

#endif /* LIBIOMMUNEST_IOMMUNEST_H */
