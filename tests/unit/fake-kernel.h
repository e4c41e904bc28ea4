/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The unit tier's fake kernel.  The test program defines ioctl() itself,
 * which interposes on libc's for the library's single entry point, so
 * every kernel call the library makes lands here: it is recorded (the
 * exact struct, by its leading size field) and answered from a script.
 */
#ifndef FAKE_KERNEL_H
#define FAKE_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#define FK_MAX_CALLS 8192
#define FK_ARG_MAX 256

struct fk_call {
	int fd;
	unsigned long req;
	size_t len;                       /* bytes recorded from arg */
	unsigned char arg[FK_ARG_MAX];    /* the struct as passed in */
};

/* Runs before the answer: may write outputs through arg. */
typedef void (*fk_handler)(void *arg, void *priv);

/* A driver model: answers every call of one request itself (0 or a
 * positive errno), in place of the script, until the next reset. */
typedef int (*fk_model_fn)(void *arg);
void fk_model(unsigned long req, fk_model_fn fn);

/* Forget calls, script and model; a fresh fake kernel. */
void fk_reset(void);
/* Script the next ioctl: it must be req; handler runs (may be NULL), then
 * the call fails with err (a positive errno) or succeeds when err is 0. */
void fk_expect(unsigned long req, fk_handler handler, void *priv, int err);

/* Number of ioctls made since the last reset. */
unsigned int fk_ncalls(void);
/* The n-th call (0 based); NULL past the end. */
const struct fk_call *fk_call(unsigned int n);
/* Calls that did not match the script (unexpected or wrong request). */
unsigned int fk_unexpected(void);
/* Scripted answers not consumed. */
unsigned int fk_pending(void);

/* An fd that is really open (to /dev/null) so fd checks pass. */
int fk_open_fd(void);

#endif /* FAKE_KERNEL_H */
