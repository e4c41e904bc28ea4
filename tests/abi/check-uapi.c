/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Compares the library's own ABI definitions (lib/abi.h) with a kernel's
 * uAPI headers: every struct size, every field offset the library uses and
 * every ioctl number.  Built by tests/abi/run against Linux 6.12's
 * include/uapi, which must come first on the include path.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "abi.h"

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
	SIZE(kabi_vfio_bind_iommufd, vfio_device_bind_iommufd);
	OFF(kabi_vfio_bind_iommufd, flags, vfio_device_bind_iommufd, flags);
	OFF(kabi_vfio_bind_iommufd, iommufd, vfio_device_bind_iommufd,
	    iommufd);
	OFF(kabi_vfio_bind_iommufd, out_devid, vfio_device_bind_iommufd,
	    out_devid);
	SIZE(kabi_vfio_attach_pt, vfio_device_attach_iommufd_pt);
	OFF(kabi_vfio_attach_pt, flags, vfio_device_attach_iommufd_pt, flags);
	OFF(kabi_vfio_attach_pt, pt_id, vfio_device_attach_iommufd_pt, pt_id);
	SIZE(kabi_vfio_detach_pt, vfio_device_detach_iommufd_pt);
	OFF(kabi_vfio_detach_pt, flags, vfio_device_detach_iommufd_pt, flags);
}

int main(void)
{
	commands();
	constants();
	ioas_structs();
	hwpt_structs();
	vfio_structs();
	printf("abi: %d passed, %d failed\n", passed, failed);
	return failed || !passed;
}
