/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* IO page fault queues (Linux 6.11): allocate, read faults, answer them. */
#include <string.h>

#include "abi.h"
#include "internal.h"

/* Faults per read: bounds the byte count (2.5 MiB) and the int result. */
#define FAULT_READ_MAX 65536u

/* Faults are read straight into the caller's array, then converted in
 * place: this needs the two layouts to be the same size. */
_Static_assert(sizeof(struct iommunest_fault) ==
	       sizeof(struct kabi_hwpt_pgfault), "fault record size");

INEST_EXPORT int iommunest_fault_queue_alloc(struct iommunest_ctx *ctx,
					     uint32_t *fault_id, int *fault_fd)
{
	struct kabi_fault_alloc cmd = { .size = sizeof(cmd) };
	int rc;

	if (!inest_ctx_ok(ctx) || !fault_id || !fault_fd)
		return -EINVAL;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_FAULT_QUEUE_ALLOC, &cmd);
	if (rc)
		return rc;
	*fault_id = cmd.out_fault_id;
	*fault_fd = (int)cmd.out_fault_fd;
	return 0;
}

/* The library's flag bits are the kernel's (and so are the perm bits). */
_Static_assert(IOMMUNEST_FAULT_PASID_VALID == KABI_PGFAULT_FLAGS_PASID_VALID &&
	       IOMMUNEST_FAULT_LAST_PAGE == KABI_PGFAULT_FLAGS_LAST_PAGE,
	       "fault flags");

/* One kernel record (k) to the library's fault (f). */
static void fault_from_kernel(struct iommunest_fault *f,
			      const struct kabi_hwpt_pgfault *k)
{
	f->flags = k->flags;
	f->dev_id = k->dev_id;
	f->pasid = k->pasid;
	f->grpid = k->grpid;
	f->perm = k->perm;
	f->reserved = 0;
	f->addr = k->addr;
	f->length = k->length;
	f->cookie = k->cookie;
}

INEST_EXPORT int iommunest_fault_read(int fault_fd,
				      struct iommunest_fault *faults,
				      uint32_t max)
{
	const size_t rec = sizeof(struct kabi_hwpt_pgfault);
	struct kabi_hwpt_pgfault k;
	ssize_t n;
	size_t i, count;
	int rc;

	if (!max || max > FAULT_READ_MAX ||
	    !inest_buf_ok(faults, (uint64_t)max * rec))
		return -EINVAL;
	rc = inest_fd_check(fault_fd);
	if (rc)
		return rc;
	n = inest_read(fault_fd, faults, (size_t)max * rec);
	/* The kernel refuses a read too small for the first whole group. */
	if (n == -EINVAL)
		return -ENOSPC;
	if (n < 0)
		return (int)n;
	/* No kernel splits a record: this is not a fault queue. */
	if ((size_t)n % rec)
		return -EPROTO;
	count = (size_t)n / rec;
	for (i = 0; i < count; i++) {
		memcpy(&k, (const unsigned char *)faults + i * rec, rec);
		fault_from_kernel(&faults[i], &k);
	}
	return (int)count;
}

INEST_EXPORT int iommunest_fault_respond(int fault_fd, uint32_t cookie,
					 uint32_t code)
{
	const struct kabi_hwpt_page_response r = {
		.cookie = cookie,
		.code = code,
	};
	ssize_t n;
	int rc;

	if (code != IOMMUNEST_FAULT_RESP_SUCCESS &&
	    code != IOMMUNEST_FAULT_RESP_INVALID)
		return -EINVAL;
	rc = inest_fd_check(fault_fd);
	if (rc)
		return rc;
	n = inest_write(fault_fd, &r, sizeof(r));
	/* The code was checked above: the kernel's EINVAL is the cookie. */
	if (n == -EINVAL)
		return -ENOENT;
	if (n < 0)
		return (int)n;
	return (size_t)n == sizeof(r) ? 0 : -EIO;
}
