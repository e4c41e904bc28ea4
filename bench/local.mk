# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Benchmarks, included from the top Makefile.am.  `make bench` builds them
# and runs tools/bench, which prints one table.  They are built only on
# request (EXTRA_PROGRAMS) and `make check` never runs them: no timing is
# asserted anywhere in the test tiers.

bench_programs = bench/inv-fake bench/trk-count bench/vm-mock
EXTRA_PROGRAMS = $(bench_programs)
CLEANFILES = $(bench_programs)

bench_cflags = $(AM_CFLAGS) -O2
bench_common = bench/bench.h bench/bench.c

# In-process: the library as VMMs link it (shared), no kernel.
bench_inv_fake_SOURCES = bench/inv-fake.c bench/inv.h bench/inv.c \
	$(bench_common)
bench_inv_fake_CFLAGS = $(bench_cflags)
bench_inv_fake_LDADD = lib/libiommunest.la

bench_trk_count_SOURCES = bench/trk-count.c bench/trk.h bench/trk.c \
	bench/layout.h bench/layout.c $(bench_common)
bench_trk_count_CFLAGS = $(bench_cflags)
bench_trk_count_LDADD = lib/libiommunest.la

# In the test VM (mock profile): static, like the tests/vm programs.
bench_vm_mock_SOURCES = bench/vm-mock.c bench/inv.h bench/inv.c \
	bench/trk.h bench/trk.c bench/layout.h bench/layout.c \
	tests/vm/vmtest.h $(bench_common)
bench_vm_mock_CFLAGS = $(bench_cflags)
bench_vm_mock_LDADD = lib/libiommunest.la
bench_vm_mock_LDFLAGS = -all-static

EXTRA_DIST += tools/bench

.PHONY: bench
bench: $(bench_programs)
	@srcdir=$(srcdir) builddir=$(builddir) CFLAGS="$(CFLAGS)" \
		$(SHELL) $(srcdir)/tools/bench
