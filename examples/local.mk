# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# The examples and "make demo", included from the top Makefile.am (paths
# are relative to the top).  The examples are built by make and never
# installed: they are programs to read and run from the build tree.

example_common = examples/common.h examples/common.c \
	examples/mock.h examples/mock.c
# QEMU's edu device, shared with the test VM's programs.
example_edu = examples/edu.h examples/edu.c

example_programs = examples/iommunest-info examples/iommunest-nested \
	examples/iommunest-shadow examples/iommunest-edu-dma \
	examples/iommunest-guestq
noinst_PROGRAMS = $(example_programs)

# -no-install: run straight from the build tree, without a wrapper script.
examples_iommunest_info_SOURCES = examples/iommunest-info.c $(example_common)
examples_iommunest_info_LDADD = lib/libiommunest.la
examples_iommunest_info_LDFLAGS = -no-install
examples_iommunest_nested_SOURCES = examples/iommunest-nested.c \
	examples/smmuv3.h $(example_common) $(example_edu)
examples_iommunest_nested_LDADD = lib/libiommunest.la
examples_iommunest_nested_LDFLAGS = -no-install
examples_iommunest_shadow_SOURCES = examples/iommunest-shadow.c \
	$(example_common)
examples_iommunest_shadow_LDADD = lib/libiommunest.la
examples_iommunest_shadow_LDFLAGS = -no-install
examples_iommunest_edu_dma_SOURCES = examples/iommunest-edu-dma.c \
	$(example_common) $(example_edu)
examples_iommunest_edu_dma_LDADD = lib/libiommunest.la
examples_iommunest_edu_dma_LDFLAGS = -no-install
examples_iommunest_guestq_SOURCES = examples/iommunest-guestq.c \
	$(example_common)
examples_iommunest_guestq_LDADD = lib/libiommunest.la
examples_iommunest_guestq_LDFLAGS = -no-install

# Static copies for the test VM, whose initramfs has no shared libraries,
# built from the same objects by "make demo" (and, like the tests/vm
# programs, by "make check", which also cleans them up).
example_static_programs = examples/static/iommunest-info \
	examples/static/iommunest-nested examples/static/iommunest-shadow \
	examples/static/iommunest-edu-dma examples/static/iommunest-guestq
check_PROGRAMS += $(example_static_programs)
examples_static_iommunest_info_SOURCES = $(examples_iommunest_info_SOURCES)
examples_static_iommunest_info_LDADD = lib/libiommunest.la
examples_static_iommunest_info_LDFLAGS = -all-static
examples_static_iommunest_nested_SOURCES = \
	$(examples_iommunest_nested_SOURCES)
examples_static_iommunest_nested_LDADD = lib/libiommunest.la
examples_static_iommunest_nested_LDFLAGS = -all-static
examples_static_iommunest_shadow_SOURCES = \
	$(examples_iommunest_shadow_SOURCES)
examples_static_iommunest_shadow_LDADD = lib/libiommunest.la
examples_static_iommunest_shadow_LDFLAGS = -all-static
examples_static_iommunest_edu_dma_SOURCES = \
	$(examples_iommunest_edu_dma_SOURCES)
examples_static_iommunest_edu_dma_LDADD = lib/libiommunest.la
examples_static_iommunest_edu_dma_LDFLAGS = -all-static
examples_static_iommunest_guestq_SOURCES = \
	$(examples_iommunest_guestq_SOURCES)
examples_static_iommunest_guestq_LDADD = lib/libiommunest.la
examples_static_iommunest_guestq_LDFLAGS = -all-static

EXTRA_DIST += tools/demo examples/README.md

# make demo: run the examples on this host's /dev/iommu when it has a
# usable VFIO device, else in the test VM (tools/demo says which and why;
# for the arm64 SMMUv3 profile it cross-builds the examples it boots,
# from their sources, into examples/static/arm64).
.PHONY: demo
demo: $(example_programs) $(example_static_programs)
	@srcdir=$(srcdir) builddir=$(builddir) bash $(srcdir)/tools/demo
