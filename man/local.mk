# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Manual pages, included from the top Makefile.am.  One page per exported
# function; alias pages (an SPDX comment and one .so line) share a main page.
# tests/man/run checks that this list covers every exported symbol.

dist_man3_MANS = \
	man/iommunest_batch_add_raw.3 \
	man/iommunest_batch_add_selftest.3 \
	man/iommunest_batch_add_smmuv3.3 \
	man/iommunest_batch_add_vtd.3 \
	man/iommunest_batch_add_vtd_all.3 \
	man/iommunest_batch_count.3 \
	man/iommunest_batch_first_failed.3 \
	man/iommunest_batch_flush.3 \
	man/iommunest_batch_free.3 \
	man/iommunest_batch_new.3 \
	man/iommunest_batch_probe.3 \
	man/iommunest_batch_reserve.3 \
	man/iommunest_batch_reset.3 \
	man/iommunest_batch_result.3 \
	man/iommunest_batch_stats.3 \
	man/iommunest_close.3 \
	man/iommunest_destroy.3 \
	man/iommunest_device_attach.3 \
	man/iommunest_device_bind.3 \
	man/iommunest_device_detach.3 \
	man/iommunest_device_replace.3 \
	man/iommunest_fd.3 \
	man/iommunest_hw_info.3 \
	man/iommunest_hwpt_alloc_nested.3 \
	man/iommunest_hwpt_alloc_paging.3 \
	man/iommunest_hwpt_alloc_selftest.3 \
	man/iommunest_hwpt_alloc_smmuv3.3 \
	man/iommunest_hwpt_alloc_vtd_s1.3 \
	man/iommunest_hwpt_get_dirty_bitmap.3 \
	man/iommunest_hwpt_set_dirty_tracking.3 \
	man/iommunest_invalidate.3 \
	man/iommunest_ioas_alloc.3 \
	man/iommunest_ioas_allow_iovas.3 \
	man/iommunest_ioas_copy.3 \
	man/iommunest_ioas_copy_any.3 \
	man/iommunest_ioas_iova_ranges.3 \
	man/iommunest_ioas_map.3 \
	man/iommunest_ioas_map_any.3 \
	man/iommunest_ioas_unmap.3 \
	man/iommunest_ioas_unmap_all.3 \
	man/iommunest_nested_switch.3 \
	man/iommunest_nested_switch_fn.3 \
	man/iommunest_open.3 \
	man/iommunest_open_fd.3 \
	man/iommunest_option_get.3 \
	man/iommunest_option_set.3 \
	man/iommunest_sink_ioas.3 \
	man/iommunest_tracker_add_ram.3 \
	man/iommunest_tracker_device_add.3 \
	man/iommunest_tracker_device_remove.3 \
	man/iommunest_tracker_device_state.3 \
	man/iommunest_tracker_domain_add.3 \
	man/iommunest_tracker_domain_remove.3 \
	man/iommunest_tracker_free.3 \
	man/iommunest_tracker_map.3 \
	man/iommunest_tracker_new.3 \
	man/iommunest_tracker_set_blocked.3 \
	man/iommunest_tracker_set_domain.3 \
	man/iommunest_tracker_set_passthrough.3 \
	man/iommunest_tracker_stats.3 \
	man/iommunest_tracker_unmap.3 \
	man/iommunest_vdevice_alloc.3 \
	man/iommunest_viommu_alloc.3

dist_man7_MANS = man/libiommunest.7
