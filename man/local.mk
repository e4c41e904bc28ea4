# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Manual pages, included from the top Makefile.am.  A page documents one
# function or a few related ones; every other name in its NAME section is
# installed as a symbolic link to it (tools/man-aliases).
# tests/man/run checks that every exported symbol is named by a page.

dist_man3_MANS = \
	man/iommunest_batch_add_raw.3 \
	man/iommunest_batch_flush.3 \
	man/iommunest_batch_new.3 \
	man/iommunest_destroy.3 \
	man/iommunest_device_attach.3 \
	man/iommunest_device_bind.3 \
	man/iommunest_device_pasid_attach.3 \
	man/iommunest_fault_queue_alloc.3 \
	man/iommunest_features.3 \
	man/iommunest_hw_info.3 \
	man/iommunest_hw_info_type.3 \
	man/iommunest_hw_queue_alloc.3 \
	man/iommunest_hwpt_alloc.3 \
	man/iommunest_hwpt_alloc_nested.3 \
	man/iommunest_hwpt_alloc_paging.3 \
	man/iommunest_hwpt_set_dirty_tracking.3 \
	man/iommunest_invalidate.3 \
	man/iommunest_ioas_alloc.3 \
	man/iommunest_ioas_allow_iovas.3 \
	man/iommunest_ioas_change_process.3 \
	man/iommunest_ioas_copy.3 \
	man/iommunest_ioas_iova_ranges.3 \
	man/iommunest_ioas_map.3 \
	man/iommunest_ioas_map_file.3 \
	man/iommunest_ioas_unmap.3 \
	man/iommunest_nested_switch.3 \
	man/iommunest_open.3 \
	man/iommunest_option_set.3 \
	man/iommunest_ptcache_new.3 \
	man/iommunest_sink_ioas.3 \
	man/iommunest_smmuv3_queue_translate.3 \
	man/iommunest_tracker_add_ram.3 \
	man/iommunest_tracker_device_add.3 \
	man/iommunest_tracker_domain_add.3 \
	man/iommunest_tracker_map.3 \
	man/iommunest_tracker_new.3 \
	man/iommunest_tracker_set_domain.3 \
	man/iommunest_tracker_set_sink_ext.3 \
	man/iommunest_veventq_alloc.3 \
	man/iommunest_viommu_alloc.3 \
	man/iommunest_viommu_alloc_data.3 \
	man/iommunest_vtd_queue_translate.3

dist_man7_MANS = man/libiommunest.7

EXTRA_DIST += tools/man-aliases

install-data-hook:
	@cd $(srcdir) && $(SHELL) tools/man-aliases install \
		"$(DESTDIR)$(man3dir)" $(dist_man3_MANS)

uninstall-hook:
	@cd $(srcdir) && $(SHELL) tools/man-aliases uninstall \
		"$(DESTDIR)$(man3dir)" $(dist_man3_MANS)
