/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Shared by the fuzz targets and the regression driver: the entry points
 * of each target, and a reader that turns the input bytes into decisions.
 *
 * Each target is a plain function, fuzz_<target>_one(), so that the
 * regression driver (regress.c) can run every target in one program
 * built by any C compiler.  The libFuzzer entry point wraps it, unless
 * FUZZ_REGRESS is defined.  A target returns 0 and calls abort() on any
 * violation of what it checks.
 */
#ifndef INEST_FUZZ_H
#define INEST_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int fuzz_tracker_one(const uint8_t *data, size_t size);
int fuzz_batch_one(const uint8_t *data, size_t size);
int fuzz_guestq_vtd_one(const uint8_t *data, size_t size);
int fuzz_guestq_smmuv3_one(const uint8_t *data, size_t size);

/* A target's fake kernel for the descriptor fd: fuzz-ioctl.c's ioctl()
 * hands it every call on fd (claimed again: the handler is replaced). */
typedef int (*fz_ioctl_fn)(int fd, unsigned long req, void *arg);
void fz_fake_fd(int fd, fz_ioctl_fn fn);

/* Checking code needs no coverage feedback: it would spend the run's
 * time, and libFuzzer's attention, on the oracle instead of the library. */
#if defined(__clang__)
#define FZ_ORACLE __attribute__((no_sanitize("coverage")))
#else
#define FZ_ORACLE
#endif

/* libFuzzer's entry point, defined by each target binary. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Input bytes consumed front to back; past the end every read is 0. */
struct fz_in {
	const uint8_t *p;
	size_t n;
	size_t off;
};

static inline bool fz_more(const struct fz_in *in)
{
	return in->off < in->n;
}

static inline uint8_t fz_u8(struct fz_in *in)
{
	return in->off < in->n ? in->p[in->off++] : 0;
}

static inline uint16_t fz_u16(struct fz_in *in)
{
	uint16_t lo = fz_u8(in);

	return (uint16_t)(lo | (uint16_t)(fz_u8(in) << 8));
}

static inline uint32_t fz_u32(struct fz_in *in)
{
	uint32_t lo = fz_u16(in);

	return lo | (uint32_t)fz_u16(in) << 16;
}

static inline uint64_t fz_u64(struct fz_in *in)
{
	uint64_t lo = fz_u32(in);

	return lo | (uint64_t)fz_u32(in) << 32;
}

/* Report a violation and abort, so that libFuzzer keeps the input. */
__attribute__((noreturn, format(printf, 2, 3)))
static inline void fz_die(const char *target, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: violation: ", target);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

#endif /* INEST_FUZZ_H */
