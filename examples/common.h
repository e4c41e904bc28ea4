/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Shared by the examples: one-line error reports, exit statuses, and the
 * device an example works on (a VFIO cdev, or the kernel's mock device).
 *
 * Helpers that can fail print their one-line reason to stderr and return
 * the exit status the program should end with (never 0 on failure).
 */
#ifndef EXAMPLES_COMMON_H
#define EXAMPLES_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libiommunest/iommunest.h>

#include "mock.h"

/* Exit statuses of every example. */
#define EX_OK          0
#define EX_FAIL        1
#define EX_USAGE       2
#define EX_UNSUPPORTED 77 /* this machine lacks what the example shows */

#define EX_CDEV_DIR "/dev/vfio/devices"
#define EX_PAGE     4096ull
#define EX_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Remember the program name for messages (call first in main). */
void ex_init(const char *argv0);
/* Print "prog: <message>" on stderr; returns status. */
__attribute__((format(printf, 2, 3)))
int ex_fail(int status, const char *fmt, ...);
/* 0 when rc >= 0; else print "prog: <what>: <error>", return EX_FAIL. */
__attribute__((format(printf, 2, 3)))
int ex_check(int rc, const char *fmt, ...);
/* A bad command line: one line pointing at --help, EX_USAGE. */
__attribute__((format(printf, 1, 2)))
int ex_usage_error(const char *fmt, ...);
/* The last message of ex_fail() or ex_check(), without the prefix. */
const char *ex_last_error(void);
/* The text of a negative errno. */
const char *ex_err(int rc);

/* Parse "[--mock | DEVICE]" (just "[DEVICE]" when mock is NULL) and
 * --help, which prints usage and exits. */
int ex_parse_device_args(int argc, char **argv, const char *usage,
			 bool *mock, const char **path);

/* The VFIO cdevs in EX_CDEV_DIR, sorted by number; *paths is NULL-ended
 * and freed with ex_free_paths().  Returns the count, 0 if none. */
int ex_list_cdevs(char ***paths);
void ex_free_paths(char **paths);

/* What the user asked to work on. */
struct ex_target {
	char *path;    /* VFIO cdev; NULL for the mock device */
	bool fallback; /* the mock, because there is no VFIO device */
};

/* Choose the device: path if given, the mock with --mock, otherwise the
 * first VFIO cdev, or the mock when there is none. */
int ex_pick_target(const char *path, bool mock, struct ex_target *t);
void ex_target_free(struct ex_target *t);

/* A device bound to a context and attached to a page table. */
struct ex_device {
	const char *name;  /* for messages: the cdev path or "mock" */
	bool mock;
	int vfio_fd;       /* VFIO: the open cdev, -1 for the mock */
	uint32_t dev_id;   /* iommufd device ID */
	struct mock_device mock_dev;
};

/* Open the target's cdev (nothing to do for the mock).  Done before
 * /dev/iommu is opened, so a wrong path is reported as such. */
int ex_device_open(const struct ex_target *t, struct ex_device *dev);
/* Bind the device to ctx and attach it to pt_id (for the mock: plug a
 * mock device in, attached). */
int ex_device_attach(struct iommunest_ctx *ctx, const struct ex_target *t,
		     struct ex_device *dev, uint32_t pt_id);
/* Move the attached device to pt_id in one step: 0 or -errno. */
int ex_device_replace(struct iommunest_ctx *ctx, struct ex_device *dev,
		      uint32_t pt_id);
/* Detach and unbind (closing the cdev); safe on a device never opened. */
void ex_device_close(struct iommunest_ctx *ctx, struct ex_device *dev);

/* Open /dev/iommu. */
int ex_open_iommufd(struct iommunest_ctx **ctx);
/* 0 when [iova, iova + length) lies inside one allowed range of ioas. */
int ex_check_iova(struct iommunest_ctx *ctx, uint32_t ioas, uint64_t iova,
		  uint64_t length);
/* Zeroed, page-aligned memory of len bytes, or NULL. */
void *ex_alloc(size_t len);
void ex_free(void *p, size_t len);

#endif /* EXAMPLES_COMMON_H */
