# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
# Hardening tiers, included from the top Makefile.am: the sanitizer and
# valgrind runs of the unit tier (tests/sanitize/run, tests/valgrind/run).
# Both are run by tests/run-tiers like every other tier; these targets run
# one alone.

EXTRA_DIST += tests/sanitize/run tests/valgrind/run

.PHONY: check-sanitize check-valgrind clean-hardening
check-sanitize:
	@$(TIER_ENV) TIERS=sanitize $(SHELL) $(srcdir)/tests/run-tiers
check-valgrind: $(check_PROGRAMS)
	@$(TIER_ENV) TIERS=valgrind $(SHELL) $(srcdir)/tests/run-tiers

# The sanitizer tier's scratch build: removed after a clean run, kept
# after a failing one (or with INEST_KEEP_BUILD=1) until make clean.
clean-local: clean-hardening clean-cross
clean-hardening:
	-rm -rf tests/sanitize-build
