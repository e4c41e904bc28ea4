/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Compares the library's own ABI definitions (lib/abi.h) with a kernel's
 * uAPI headers: every struct size, every field offset the library uses and
 * every ioctl number.  Built by tests/abi/run once per kernel series
 * (Linux 6.12 and 7.3) against that series' include/uapi, which must come
 * first on the include path; INEST_UAPI (major * 100 + minor) says which,
 * so the checks of what a series added run only there.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "abi.h"
#include "libiommunest/iommunest.h"

static int passed, failed;

static void check(int ok, const char *what, unsigned long ours,
		  unsigned long theirs)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("not ok: %s: ours %lu, kernel %lu\n", what, ours, theirs);
}

#define EQ(what, a, b) check((a) == (b), what, (unsigned long)(a), \
			     (unsigned long)(b))
#define SIZE(ours, theirs) \
	EQ("sizeof " #ours, sizeof(struct ours), sizeof(struct theirs))
#define OFF(ours, f, theirs, kf) do {                                     \
	EQ("offset " #ours "." #f, offsetof(struct ours, f),               \
	   offsetof(struct theirs, kf));                                   \
	EQ("width " #ours "." #f, sizeof(((struct ours *)0)->f),           \
	   sizeof(((struct theirs *)0)->kf));                              \
} while (0)

static void commands(void)
{
	EQ("IOMMU_DESTROY", KABI_IOMMU_DESTROY, IOMMU_DESTROY);
	EQ("IOMMU_IOAS_ALLOC", KABI_IOMMU_IOAS_ALLOC, IOMMU_IOAS_ALLOC);
	EQ("IOMMU_IOAS_ALLOW_IOVAS", KABI_IOMMU_IOAS_ALLOW_IOVAS,
	   IOMMU_IOAS_ALLOW_IOVAS);
	EQ("IOMMU_IOAS_COPY", KABI_IOMMU_IOAS_COPY, IOMMU_IOAS_COPY);
	EQ("IOMMU_IOAS_IOVA_RANGES", KABI_IOMMU_IOAS_IOVA_RANGES,
	   IOMMU_IOAS_IOVA_RANGES);
	EQ("IOMMU_IOAS_MAP", KABI_IOMMU_IOAS_MAP, IOMMU_IOAS_MAP);
	EQ("IOMMU_IOAS_UNMAP", KABI_IOMMU_IOAS_UNMAP, IOMMU_IOAS_UNMAP);
	EQ("IOMMU_OPTION", KABI_IOMMU_OPTION, IOMMU_OPTION);
	EQ("IOMMU_HWPT_ALLOC", KABI_IOMMU_HWPT_ALLOC, IOMMU_HWPT_ALLOC);
	EQ("IOMMU_GET_HW_INFO", KABI_IOMMU_GET_HW_INFO, IOMMU_GET_HW_INFO);
	EQ("IOMMU_HWPT_SET_DIRTY_TRACKING", KABI_IOMMU_HWPT_SET_DIRTY_TRACKING,
	   IOMMU_HWPT_SET_DIRTY_TRACKING);
	EQ("IOMMU_HWPT_GET_DIRTY_BITMAP", KABI_IOMMU_HWPT_GET_DIRTY_BITMAP,
	   IOMMU_HWPT_GET_DIRTY_BITMAP);
	EQ("IOMMU_HWPT_INVALIDATE", KABI_IOMMU_HWPT_INVALIDATE,
	   IOMMU_HWPT_INVALIDATE);
	EQ("VFIO_DEVICE_BIND_IOMMUFD", KABI_VFIO_DEVICE_BIND_IOMMUFD,
	   VFIO_DEVICE_BIND_IOMMUFD);
	EQ("VFIO_DEVICE_ATTACH_IOMMUFD_PT", KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT,
	   VFIO_DEVICE_ATTACH_IOMMUFD_PT);
	EQ("VFIO_DEVICE_DETACH_IOMMUFD_PT", KABI_VFIO_DEVICE_DETACH_IOMMUFD_PT,
	   VFIO_DEVICE_DETACH_IOMMUFD_PT);
}

static void constants(void)
{
	EQ("MAP_FIXED_IOVA", KABI_MAP_FIXED_IOVA, IOMMU_IOAS_MAP_FIXED_IOVA);
	EQ("MAP_WRITEABLE", KABI_MAP_WRITEABLE, IOMMU_IOAS_MAP_WRITEABLE);
	EQ("MAP_READABLE", KABI_MAP_READABLE, IOMMU_IOAS_MAP_READABLE);
	EQ("OPTION_RLIMIT_MODE", 0, IOMMU_OPTION_RLIMIT_MODE);
	EQ("OPTION_HUGE_PAGES", 1, IOMMU_OPTION_HUGE_PAGES);
	EQ("OPTION_OP_SET", KABI_OPTION_OP_SET, IOMMU_OPTION_OP_SET);
	EQ("OPTION_OP_GET", KABI_OPTION_OP_GET, IOMMU_OPTION_OP_GET);
	EQ("HWPT_ALLOC_NEST_PARENT", KABI_HWPT_ALLOC_NEST_PARENT,
	   IOMMU_HWPT_ALLOC_NEST_PARENT);
	EQ("HWPT_ALLOC_DIRTY_TRACKING", KABI_HWPT_ALLOC_DIRTY_TRACKING,
	   IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
	EQ("HWPT_DATA_NONE", KABI_HWPT_DATA_NONE, IOMMU_HWPT_DATA_NONE);
	EQ("HWPT_DATA_VTD_S1", KABI_HWPT_DATA_VTD_S1, IOMMU_HWPT_DATA_VTD_S1);
	EQ("HW_INFO_TYPE_INTEL_VTD", 1, IOMMU_HW_INFO_TYPE_INTEL_VTD);
	EQ("HW_CAP_DIRTY_TRACKING", KABI_HW_CAP_DIRTY_TRACKING,
	   IOMMU_HW_CAP_DIRTY_TRACKING);
	EQ("HW_CAP_PCI_PASID_EXEC", KABI_HW_CAP_PCI_PASID_EXEC,
	   IOMMU_HW_CAP_PCI_PASID_EXEC);
	EQ("HW_CAP_PCI_PASID_PRIV", KABI_HW_CAP_PCI_PASID_PRIV,
	   IOMMU_HW_CAP_PCI_PASID_PRIV);
	EQ("DIRTY_TRACKING_ENABLE", KABI_DIRTY_TRACKING_ENABLE,
	   IOMMU_HWPT_DIRTY_TRACKING_ENABLE);
	EQ("GET_DIRTY_BITMAP_NO_CLEAR", KABI_GET_DIRTY_BITMAP_NO_CLEAR,
	   IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR);
}

static void ioas_structs(void)
{
	SIZE(kabi_destroy, iommu_destroy);
	OFF(kabi_destroy, id, iommu_destroy, id);
	SIZE(kabi_ioas_alloc, iommu_ioas_alloc);
	OFF(kabi_ioas_alloc, flags, iommu_ioas_alloc, flags);
	OFF(kabi_ioas_alloc, out_ioas_id, iommu_ioas_alloc, out_ioas_id);
	SIZE(kabi_iova_range, iommu_iova_range);
	OFF(kabi_iova_range, start, iommu_iova_range, start);
	OFF(kabi_iova_range, last, iommu_iova_range, last);
	SIZE(kabi_ioas_iova_ranges, iommu_ioas_iova_ranges);
	OFF(kabi_ioas_iova_ranges, ioas_id, iommu_ioas_iova_ranges, ioas_id);
	OFF(kabi_ioas_iova_ranges, num_iovas, iommu_ioas_iova_ranges,
	    num_iovas);
	OFF(kabi_ioas_iova_ranges, reserved, iommu_ioas_iova_ranges,
	    __reserved);
	OFF(kabi_ioas_iova_ranges, allowed_iovas, iommu_ioas_iova_ranges,
	    allowed_iovas);
	OFF(kabi_ioas_iova_ranges, out_iova_alignment, iommu_ioas_iova_ranges,
	    out_iova_alignment);
	SIZE(kabi_ioas_allow_iovas, iommu_ioas_allow_iovas);
	OFF(kabi_ioas_allow_iovas, ioas_id, iommu_ioas_allow_iovas, ioas_id);
	OFF(kabi_ioas_allow_iovas, num_iovas, iommu_ioas_allow_iovas,
	    num_iovas);
	OFF(kabi_ioas_allow_iovas, allowed_iovas, iommu_ioas_allow_iovas,
	    allowed_iovas);
	SIZE(kabi_ioas_map, iommu_ioas_map);
	OFF(kabi_ioas_map, flags, iommu_ioas_map, flags);
	OFF(kabi_ioas_map, ioas_id, iommu_ioas_map, ioas_id);
	OFF(kabi_ioas_map, reserved, iommu_ioas_map, __reserved);
	OFF(kabi_ioas_map, user_va, iommu_ioas_map, user_va);
	OFF(kabi_ioas_map, length, iommu_ioas_map, length);
	OFF(kabi_ioas_map, iova, iommu_ioas_map, iova);
	SIZE(kabi_ioas_copy, iommu_ioas_copy);
	OFF(kabi_ioas_copy, flags, iommu_ioas_copy, flags);
	OFF(kabi_ioas_copy, dst_ioas_id, iommu_ioas_copy, dst_ioas_id);
	OFF(kabi_ioas_copy, src_ioas_id, iommu_ioas_copy, src_ioas_id);
	OFF(kabi_ioas_copy, length, iommu_ioas_copy, length);
	OFF(kabi_ioas_copy, dst_iova, iommu_ioas_copy, dst_iova);
	OFF(kabi_ioas_copy, src_iova, iommu_ioas_copy, src_iova);
	SIZE(kabi_ioas_unmap, iommu_ioas_unmap);
	OFF(kabi_ioas_unmap, ioas_id, iommu_ioas_unmap, ioas_id);
	OFF(kabi_ioas_unmap, iova, iommu_ioas_unmap, iova);
	OFF(kabi_ioas_unmap, length, iommu_ioas_unmap, length);
	SIZE(kabi_option, iommu_option);
	OFF(kabi_option, option_id, iommu_option, option_id);
	OFF(kabi_option, op, iommu_option, op);
	OFF(kabi_option, reserved, iommu_option, __reserved);
	OFF(kabi_option, object_id, iommu_option, object_id);
	OFF(kabi_option, val64, iommu_option, val64);
}

static void hwpt_structs(void)
{
	SIZE(kabi_hwpt_alloc, iommu_hwpt_alloc);
	OFF(kabi_hwpt_alloc, flags, iommu_hwpt_alloc, flags);
	OFF(kabi_hwpt_alloc, dev_id, iommu_hwpt_alloc, dev_id);
	OFF(kabi_hwpt_alloc, pt_id, iommu_hwpt_alloc, pt_id);
	OFF(kabi_hwpt_alloc, out_hwpt_id, iommu_hwpt_alloc, out_hwpt_id);
	OFF(kabi_hwpt_alloc, reserved, iommu_hwpt_alloc, __reserved);
	OFF(kabi_hwpt_alloc, data_type, iommu_hwpt_alloc, data_type);
	OFF(kabi_hwpt_alloc, data_len, iommu_hwpt_alloc, data_len);
	OFF(kabi_hwpt_alloc, data_uptr, iommu_hwpt_alloc, data_uptr);
	OFF(kabi_hwpt_alloc, fault_id, iommu_hwpt_alloc, fault_id);
	OFF(kabi_hwpt_alloc, reserved2, iommu_hwpt_alloc, __reserved2);
	SIZE(kabi_hw_info_vtd, iommu_hw_info_vtd);
	OFF(kabi_hw_info_vtd, flags, iommu_hw_info_vtd, flags);
	OFF(kabi_hw_info_vtd, cap_reg, iommu_hw_info_vtd, cap_reg);
	OFF(kabi_hw_info_vtd, ecap_reg, iommu_hw_info_vtd, ecap_reg);
	SIZE(kabi_hw_info, iommu_hw_info);
	OFF(kabi_hw_info, flags, iommu_hw_info, flags);
	OFF(kabi_hw_info, dev_id, iommu_hw_info, dev_id);
	OFF(kabi_hw_info, data_len, iommu_hw_info, data_len);
	OFF(kabi_hw_info, data_uptr, iommu_hw_info, data_uptr);
	OFF(kabi_hw_info, out_data_type, iommu_hw_info, out_data_type);
	OFF(kabi_hw_info, out_max_pasid_log2, iommu_hw_info,
	    out_max_pasid_log2);
	OFF(kabi_hw_info, out_capabilities, iommu_hw_info, out_capabilities);
	SIZE(kabi_hwpt_set_dirty_tracking, iommu_hwpt_set_dirty_tracking);
	OFF(kabi_hwpt_set_dirty_tracking, flags, iommu_hwpt_set_dirty_tracking,
	    flags);
	OFF(kabi_hwpt_set_dirty_tracking, hwpt_id,
	    iommu_hwpt_set_dirty_tracking, hwpt_id);
	SIZE(kabi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap);
	OFF(kabi_hwpt_get_dirty_bitmap, hwpt_id, iommu_hwpt_get_dirty_bitmap,
	    hwpt_id);
	OFF(kabi_hwpt_get_dirty_bitmap, flags, iommu_hwpt_get_dirty_bitmap,
	    flags);
	OFF(kabi_hwpt_get_dirty_bitmap, iova, iommu_hwpt_get_dirty_bitmap,
	    iova);
	OFF(kabi_hwpt_get_dirty_bitmap, length, iommu_hwpt_get_dirty_bitmap,
	    length);
	OFF(kabi_hwpt_get_dirty_bitmap, page_size, iommu_hwpt_get_dirty_bitmap,
	    page_size);
	OFF(kabi_hwpt_get_dirty_bitmap, data, iommu_hwpt_get_dirty_bitmap,
	    data);
	SIZE(kabi_hwpt_invalidate, iommu_hwpt_invalidate);
	OFF(kabi_hwpt_invalidate, hwpt_id, iommu_hwpt_invalidate, hwpt_id);
	OFF(kabi_hwpt_invalidate, data_uptr, iommu_hwpt_invalidate, data_uptr);
	OFF(kabi_hwpt_invalidate, data_type, iommu_hwpt_invalidate, data_type);
	OFF(kabi_hwpt_invalidate, entry_len, iommu_hwpt_invalidate, entry_len);
	OFF(kabi_hwpt_invalidate, entry_num, iommu_hwpt_invalidate, entry_num);
}

static void vfio_structs(void)
{
	/* Later kernels grew bind (a VF token, 7.x) and attach and detach
	 * (a PASID, 6.15): the short forms stay valid prefixes, as VFIO
	 * copies by argsz. */
#if INEST_UAPI < 615
	SIZE(kabi_vfio_bind_iommufd, vfio_device_bind_iommufd);
	SIZE(kabi_vfio_attach_pt, vfio_device_attach_iommufd_pt);
	SIZE(kabi_vfio_detach_pt, vfio_device_detach_iommufd_pt);
#endif
	OFF(kabi_vfio_bind_iommufd, flags, vfio_device_bind_iommufd, flags);
	OFF(kabi_vfio_bind_iommufd, iommufd, vfio_device_bind_iommufd,
	    iommufd);
	OFF(kabi_vfio_bind_iommufd, out_devid, vfio_device_bind_iommufd,
	    out_devid);
	OFF(kabi_vfio_attach_pt, flags, vfio_device_attach_iommufd_pt, flags);
	OFF(kabi_vfio_attach_pt, pt_id, vfio_device_attach_iommufd_pt, pt_id);
	OFF(kabi_vfio_detach_pt, flags, vfio_device_detach_iommufd_pt, flags);
}

/* Everything 6.11 to 7.3 added that the 0.2 API uses. */
static void since_6_11(void)
{
	EQ("IOMMU_FAULT_QUEUE_ALLOC", KABI_IOMMU_FAULT_QUEUE_ALLOC,
	   IOMMU_FAULT_QUEUE_ALLOC);
	EQ("HWPT_FAULT_ID_VALID", KABI_HWPT_FAULT_ID_VALID,
	   IOMMU_HWPT_FAULT_ID_VALID);
	SIZE(kabi_fault_alloc, iommu_fault_alloc);
	OFF(kabi_fault_alloc, flags, iommu_fault_alloc, flags);
	OFF(kabi_fault_alloc, out_fault_id, iommu_fault_alloc, out_fault_id);
	OFF(kabi_fault_alloc, out_fault_fd, iommu_fault_alloc, out_fault_fd);
	SIZE(kabi_hwpt_pgfault, iommu_hwpt_pgfault);
	OFF(kabi_hwpt_pgfault, flags, iommu_hwpt_pgfault, flags);
	OFF(kabi_hwpt_pgfault, dev_id, iommu_hwpt_pgfault, dev_id);
	OFF(kabi_hwpt_pgfault, pasid, iommu_hwpt_pgfault, pasid);
	OFF(kabi_hwpt_pgfault, grpid, iommu_hwpt_pgfault, grpid);
	OFF(kabi_hwpt_pgfault, perm, iommu_hwpt_pgfault, perm);
	OFF(kabi_hwpt_pgfault, addr, iommu_hwpt_pgfault, addr);
	OFF(kabi_hwpt_pgfault, length, iommu_hwpt_pgfault, length);
	OFF(kabi_hwpt_pgfault, cookie, iommu_hwpt_pgfault, cookie);
	EQ("PGFAULT_FLAGS_PASID_VALID", KABI_PGFAULT_FLAGS_PASID_VALID,
	   IOMMU_PGFAULT_FLAGS_PASID_VALID);
	EQ("PGFAULT_FLAGS_LAST_PAGE", KABI_PGFAULT_FLAGS_LAST_PAGE,
	   IOMMU_PGFAULT_FLAGS_LAST_PAGE);
	EQ("PGFAULT_PERM_READ", IOMMUNEST_FAULT_PERM_READ,
	   IOMMU_PGFAULT_PERM_READ);
	EQ("PGFAULT_PERM_WRITE", IOMMUNEST_FAULT_PERM_WRITE,
	   IOMMU_PGFAULT_PERM_WRITE);
	EQ("PGFAULT_PERM_EXEC", IOMMUNEST_FAULT_PERM_EXEC,
	   IOMMU_PGFAULT_PERM_EXEC);
	EQ("PGFAULT_PERM_PRIV", IOMMUNEST_FAULT_PERM_PRIV,
	   IOMMU_PGFAULT_PERM_PRIV);
	SIZE(kabi_hwpt_page_response, iommu_hwpt_page_response);
	OFF(kabi_hwpt_page_response, cookie, iommu_hwpt_page_response,
	    cookie);
	OFF(kabi_hwpt_page_response, code, iommu_hwpt_page_response, code);
	EQ("PAGE_RESP_SUCCESS", KABI_PAGE_RESP_SUCCESS,
	   IOMMUFD_PAGE_RESP_SUCCESS);
	EQ("PAGE_RESP_INVALID", KABI_PAGE_RESP_INVALID,
	   IOMMUFD_PAGE_RESP_INVALID);
}

#if INEST_UAPI >= 703
static void since_6_13(void)
{
	EQ("IOMMU_IOAS_MAP_FILE", KABI_IOMMU_IOAS_MAP_FILE,
	   IOMMU_IOAS_MAP_FILE);
	EQ("IOMMU_VIOMMU_ALLOC", KABI_IOMMU_VIOMMU_ALLOC, IOMMU_VIOMMU_ALLOC);
	EQ("IOMMU_VDEVICE_ALLOC", KABI_IOMMU_VDEVICE_ALLOC,
	   IOMMU_VDEVICE_ALLOC);
	EQ("IOMMU_IOAS_CHANGE_PROCESS", KABI_IOMMU_IOAS_CHANGE_PROCESS,
	   IOMMU_IOAS_CHANGE_PROCESS);
	EQ("IOMMU_VEVENTQ_ALLOC", KABI_IOMMU_VEVENTQ_ALLOC,
	   IOMMU_VEVENTQ_ALLOC);
	EQ("IOMMU_HW_QUEUE_ALLOC", KABI_IOMMU_HW_QUEUE_ALLOC,
	   IOMMU_HW_QUEUE_ALLOC);
	SIZE(kabi_ioas_map_file, iommu_ioas_map_file);
	OFF(kabi_ioas_map_file, flags, iommu_ioas_map_file, flags);
	OFF(kabi_ioas_map_file, ioas_id, iommu_ioas_map_file, ioas_id);
	OFF(kabi_ioas_map_file, fd, iommu_ioas_map_file, fd);
	OFF(kabi_ioas_map_file, start, iommu_ioas_map_file, start);
	OFF(kabi_ioas_map_file, length, iommu_ioas_map_file, length);
	OFF(kabi_ioas_map_file, iova, iommu_ioas_map_file, iova);
	SIZE(kabi_ioas_change_process, iommu_ioas_change_process);
	OFF(kabi_ioas_change_process, reserved, iommu_ioas_change_process,
	    __reserved);
	SIZE(kabi_viommu_alloc, iommu_viommu_alloc);
	OFF(kabi_viommu_alloc, flags, iommu_viommu_alloc, flags);
	OFF(kabi_viommu_alloc, type, iommu_viommu_alloc, type);
	OFF(kabi_viommu_alloc, dev_id, iommu_viommu_alloc, dev_id);
	OFF(kabi_viommu_alloc, hwpt_id, iommu_viommu_alloc, hwpt_id);
	OFF(kabi_viommu_alloc, out_viommu_id, iommu_viommu_alloc,
	    out_viommu_id);
	OFF(kabi_viommu_alloc, data_len, iommu_viommu_alloc, data_len);
	OFF(kabi_viommu_alloc, data_uptr, iommu_viommu_alloc, data_uptr);
	SIZE(kabi_vdevice_alloc, iommu_vdevice_alloc);
	OFF(kabi_vdevice_alloc, viommu_id, iommu_vdevice_alloc, viommu_id);
	OFF(kabi_vdevice_alloc, dev_id, iommu_vdevice_alloc, dev_id);
	OFF(kabi_vdevice_alloc, out_vdevice_id, iommu_vdevice_alloc,
	    out_vdevice_id);
	OFF(kabi_vdevice_alloc, virt_id, iommu_vdevice_alloc, virt_id);
	EQ("VIOMMU_TYPE_ARM_SMMUV3", KABI_VIOMMU_TYPE_ARM_SMMUV3,
	   IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
	EQ("VIOMMU_TYPE_TEGRA241_CMDQV", KABI_VIOMMU_TYPE_TEGRA241,
	   IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV);
	SIZE(kabi_viommu_tegra241, iommu_viommu_tegra241_cmdqv);
	OFF(kabi_viommu_tegra241, out_vintf_mmap_offset,
	    iommu_viommu_tegra241_cmdqv, out_vintf_mmap_offset);
	OFF(kabi_viommu_tegra241, out_vintf_mmap_length,
	    iommu_viommu_tegra241_cmdqv, out_vintf_mmap_length);
	EQ("VIOMMU_INVALIDATE_DATA_ARM_SMMUV3",
	   KABI_INVALIDATE_DATA_ARM_SMMUV3,
	   IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3);
	SIZE(kabi_smmuv3_invalidate, iommu_viommu_arm_smmuv3_invalidate);
	SIZE(kabi_hwpt_arm_smmuv3, iommu_hwpt_arm_smmuv3);
	EQ("HWPT_DATA_ARM_SMMUV3", KABI_HWPT_DATA_ARM_SMMUV3,
	   IOMMU_HWPT_DATA_ARM_SMMUV3);
	SIZE(kabi_hw_info_smmuv3, iommu_hw_info_arm_smmuv3);
	OFF(kabi_hw_info_smmuv3, flags, iommu_hw_info_arm_smmuv3, flags);
	OFF(kabi_hw_info_smmuv3, idr, iommu_hw_info_arm_smmuv3, idr);
	OFF(kabi_hw_info_smmuv3, iidr, iommu_hw_info_arm_smmuv3, iidr);
	OFF(kabi_hw_info_smmuv3, aidr, iommu_hw_info_arm_smmuv3, aidr);
	EQ("HW_INFO_TYPE_ARM_SMMUV3", 2, IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
	EQ("HW_INFO_ARM_SMMUV3_ERRATA_REPEAT_TLBI_CFGI",
	   KABI_HW_INFO_SMMUV3_REPEAT_TLBI_CFGI,
	   IOMMU_HW_INFO_ARM_SMMUV3_ERRATA_REPEAT_TLBI_CFGI);
}

static void since_6_15(void)
{
	EQ("HWPT_ALLOC_PASID", KABI_HWPT_ALLOC_PASID, IOMMU_HWPT_ALLOC_PASID);
	SIZE(kabi_veventq_alloc, iommu_veventq_alloc);
	OFF(kabi_veventq_alloc, flags, iommu_veventq_alloc, flags);
	OFF(kabi_veventq_alloc, viommu_id, iommu_veventq_alloc, viommu_id);
	OFF(kabi_veventq_alloc, type, iommu_veventq_alloc, type);
	OFF(kabi_veventq_alloc, veventq_depth, iommu_veventq_alloc,
	    veventq_depth);
	OFF(kabi_veventq_alloc, out_veventq_id, iommu_veventq_alloc,
	    out_veventq_id);
	OFF(kabi_veventq_alloc, out_veventq_fd, iommu_veventq_alloc,
	    out_veventq_fd);
	SIZE(kabi_vevent_header, iommufd_vevent_header);
	OFF(kabi_vevent_header, flags, iommufd_vevent_header, flags);
	OFF(kabi_vevent_header, sequence, iommufd_vevent_header, sequence);
	EQ("VEVENTQ_FLAG_LOST_EVENTS", KABI_VEVENTQ_FLAG_LOST_EVENTS,
	   IOMMU_VEVENTQ_FLAG_LOST_EVENTS);
	EQ("VEVENTQ_TYPE_ARM_SMMUV3", KABI_VEVENTQ_TYPE_ARM_SMMUV3,
	   IOMMU_VEVENTQ_TYPE_ARM_SMMUV3);
	EQ("VEVENTQ_TYPE_TEGRA241_CMDQV", KABI_VEVENTQ_TYPE_TEGRA241,
	   IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV);
	SIZE(kabi_vevent_arm_smmuv3, iommu_vevent_arm_smmuv3);
	SIZE(kabi_vevent_tegra241, iommu_vevent_tegra241_cmdqv);
	SIZE(kabi_vfio_attach_pt_pasid, vfio_device_attach_iommufd_pt);
	OFF(kabi_vfio_attach_pt_pasid, flags, vfio_device_attach_iommufd_pt,
	    flags);
	OFF(kabi_vfio_attach_pt_pasid, pt_id, vfio_device_attach_iommufd_pt,
	    pt_id);
	OFF(kabi_vfio_attach_pt_pasid, pasid, vfio_device_attach_iommufd_pt,
	    pasid);
	SIZE(kabi_vfio_detach_pt_pasid, vfio_device_detach_iommufd_pt);
	OFF(kabi_vfio_detach_pt_pasid, flags, vfio_device_detach_iommufd_pt,
	    flags);
	OFF(kabi_vfio_detach_pt_pasid, pasid, vfio_device_detach_iommufd_pt,
	    pasid);
	EQ("VFIO_DEVICE_ATTACH_PASID", KABI_VFIO_DEVICE_ATTACH_PASID,
	   VFIO_DEVICE_ATTACH_PASID);
	EQ("VFIO_DEVICE_DETACH_PASID", KABI_VFIO_DEVICE_DETACH_PASID,
	   VFIO_DEVICE_DETACH_PASID);
}

static void since_6_17(void)
{
	SIZE(kabi_hw_queue_alloc, iommu_hw_queue_alloc);
	OFF(kabi_hw_queue_alloc, flags, iommu_hw_queue_alloc, flags);
	OFF(kabi_hw_queue_alloc, viommu_id, iommu_hw_queue_alloc, viommu_id);
	OFF(kabi_hw_queue_alloc, type, iommu_hw_queue_alloc, type);
	OFF(kabi_hw_queue_alloc, index, iommu_hw_queue_alloc, index);
	OFF(kabi_hw_queue_alloc, out_hw_queue_id, iommu_hw_queue_alloc,
	    out_hw_queue_id);
	OFF(kabi_hw_queue_alloc, nesting_parent_iova, iommu_hw_queue_alloc,
	    nesting_parent_iova);
	OFF(kabi_hw_queue_alloc, length, iommu_hw_queue_alloc, length);
	EQ("HW_QUEUE_TYPE_TEGRA241_CMDQV", KABI_HW_QUEUE_TYPE_TEGRA241,
	   IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV);
	EQ("HW_INFO_FLAG_INPUT_TYPE", KABI_HW_INFO_FLAG_INPUT_TYPE,
	   IOMMU_HW_INFO_FLAG_INPUT_TYPE);
	OFF(kabi_hw_info, out_data_type, iommu_hw_info, in_data_type);
	EQ("HW_INFO_TYPE_TEGRA241_CMDQV", KABI_HW_INFO_TYPE_TEGRA241,
	   IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV);
	SIZE(kabi_hw_info_tegra241, iommu_hw_info_tegra241_cmdqv);
	OFF(kabi_hw_info_tegra241, version, iommu_hw_info_tegra241_cmdqv,
	    version);
	OFF(kabi_hw_info_tegra241, log2vcmdqs, iommu_hw_info_tegra241_cmdqv,
	    log2vcmdqs);
	OFF(kabi_hw_info_tegra241, log2vsids, iommu_hw_info_tegra241_cmdqv,
	    log2vsids);
}

/* Added after 6.19, in the 7.x series. */
static void since_7(void)
{
	EQ("HW_INFO_TYPE_AMD", KABI_HW_INFO_TYPE_AMD, IOMMU_HW_INFO_TYPE_AMD);
	SIZE(kabi_hw_info_amd, iommu_hw_info_amd);
	OFF(kabi_hw_info_amd, efr, iommu_hw_info_amd, efr);
	OFF(kabi_hw_info_amd, efr2, iommu_hw_info_amd, efr2);
	EQ("HWPT_DATA_AMD_GUEST", KABI_HWPT_DATA_AMD_GUEST,
	   IOMMU_HWPT_DATA_AMD_GUEST);
	SIZE(kabi_hwpt_amd_guest, iommu_hwpt_amd_guest);
	EQ("HW_CAP_PCI_ATS_NOT_SUPPORTED", KABI_HW_CAP_PCI_ATS_NOT_SUPPORTED,
	   IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED);
}
#endif

int main(void)
{
	commands();
	constants();
	ioas_structs();
	hwpt_structs();
	vfio_structs();
	since_6_11();
#if INEST_UAPI >= 703
	since_6_13();
	since_6_15();
	since_6_17();
	since_7();
#endif
	printf("abi-%d.%d: %d passed, %d failed\n", INEST_UAPI / 100,
	       INEST_UAPI % 100, passed, failed);
	return failed || !passed;
}
