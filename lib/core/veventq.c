/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* vEVENTQ (Linux 6.15): a vIOMMU's event queue and its lost-event count. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"
#include "internal.h"

/* Events one read can return: bounds the buffer held for reads. */
#define READ_BATCH 64u
/* The kernel numbers events 0 .. INT_MAX, then 0 again. */
#define SEQ_MASK ((uint32_t)INT_MAX)

#define HDR_LEN ((uint32_t)sizeof(struct kabi_vevent_header))

struct iommunest_veventq {
	struct iommunest_ctx *ctx; /* borrowed: for IOMMU_DESTROY */
	uint32_t id;
	int fd;                    /* owned */
	uint32_t type;
	uint32_t event_len;        /* data bytes of each event */
	uint32_t expected;         /* the next event's sequence */
	uint32_t batch;            /* records per read: min(depth, 64) */
	unsigned char buf[];       /* batch * (header + event_len) bytes */
};

/* Data size of the types the library knows, else 0. */
static uint32_t known_event_len(uint32_t type)
{
	switch (type) {
	case KABI_VEVENTQ_TYPE_ARM_SMMUV3:
		return sizeof(struct kabi_vevent_arm_smmuv3);
	case KABI_VEVENTQ_TYPE_TEGRA241:
		return sizeof(struct kabi_vevent_tegra241);
	case KABI_VEVENTQ_TYPE_SELFTEST:
		return sizeof(struct kabi_vevent_selftest);
	}
	return 0;
}

/* The data size to use, or 0 when event_len does not fit type. */
static uint32_t pick_event_len(uint32_t type, uint32_t event_len)
{
	uint32_t known = known_event_len(type);

	if (known)
		return !event_len || event_len == known ? known : 0;
	return event_len <= IOMMUNEST_VEVENT_DATA_MAX ? event_len : 0;
}

INEST_EXPORT int iommunest_veventq_alloc(struct iommunest_ctx *ctx,
					 uint32_t viommu_id, uint32_t type,
					 uint32_t depth, uint32_t event_len,
					 struct iommunest_veventq **q)
{
	struct kabi_veventq_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu_id,
		.type = type,
		.veventq_depth = depth,
	};
	struct iommunest_veventq *v;
	uint32_t len, batch;
	int rc;

	if (!inest_ctx_ok(ctx) || !q || !type || !depth ||
	    depth > KABI_VEVENTQ_MAX_DEPTH)
		return -EINVAL;
	len = pick_event_len(type, event_len);
	if (!len)
		return -EINVAL;
	batch = depth < READ_BATCH ? depth : READ_BATCH;
	/* Memory first: nothing to undo in the kernel if it is short. */
	v = calloc(1, sizeof(*v) + (size_t)batch * (HDR_LEN + len));
	if (!v)
		return -ENOMEM;
	rc = inest_ioctl_newer(ctx->fd, KABI_IOMMU_VEVENTQ_ALLOC, &cmd);
	if (rc) {
		free(v);
		return rc;
	}
	v->ctx = ctx;
	v->id = cmd.out_veventq_id;
	v->fd = (int)cmd.out_veventq_fd;
	v->type = type;
	v->event_len = len;
	v->expected = 0; /* the kernel numbers a new queue's events from 0 */
	v->batch = batch;
	*q = v;
	return 0;
}

INEST_EXPORT int iommunest_veventq_free(struct iommunest_veventq *q)
{
	int rc = 0, destroyed;

	if (!q)
		return 0;
	/* The open fd holds the object: IOMMU_DESTROY would be EBUSY. */
	if (close(q->fd) < 0)
		rc = -errno;
	/* Linux releases the fd even when close() reports an error. */
	destroyed = iommunest_destroy(q->ctx, q->id);
	free(q);
	return rc ? rc : destroyed;
}

INEST_EXPORT int iommunest_veventq_fd(const struct iommunest_veventq *q)
{
	return q ? q->fd : -EINVAL;
}

INEST_EXPORT int iommunest_veventq_id(const struct iommunest_veventq *q,
				      uint32_t *id)
{
	if (!q || !id)
		return -EINVAL;
	*id = q->id;
	return 0;
}

/* Record e from header h and its data (NULL for a lost-events header). */
static void fill(struct iommunest_vevent *e, const struct kabi_vevent_header *h,
		 const unsigned char *data, uint32_t len, uint32_t expected)
{
	memset(e, 0, sizeof(*e));
	e->sequence = h->sequence;
	e->lost = (h->sequence - expected) & SEQ_MASK;
	if (!data) {
		/* Its own number is that of the last event lost. */
		e->lost++;
		e->flags = IOMMUNEST_VEVENT_LOST_ONLY;
		return;
	}
	e->data_len = len;
	memcpy(e->data, data, len);
}

/*
 * Walk n bytes of records; with events, fill events[0 .. max - 1] and
 * advance q's expected sequence.  A lost-events header that another
 * record follows is skipped: that record's sequence shows the same
 * loss, so only a header at the end becomes a LOST_ONLY record.
 * Returns the records, or -EPROTO when the bytes are not whole records
 * of q's size (or more than max of them).
 */
static int walk(struct iommunest_veventq *q, size_t n,
		struct iommunest_vevent *events, uint32_t max)
{
	uint32_t expected = q->expected, k = 0;
	struct kabi_vevent_header h;
	const unsigned char *data;
	size_t off = 0;

	while (off < n) {
		if (n - off < HDR_LEN)
			return -EPROTO;
		memcpy(&h, q->buf + off, HDR_LEN);
		off += HDR_LEN;
		data = NULL;
		if (!(h.flags & KABI_VEVENTQ_FLAG_LOST_EVENTS)) {
			if (n - off < q->event_len)
				return -EPROTO;
			data = q->buf + off;
			off += q->event_len;
		} else if (off < n) {
			continue;
		}
		if (k == max)
			return -EPROTO;
		if (events)
			fill(&events[k], &h, data, q->event_len, expected);
		k++;
		expected = (h.sequence + 1) & SEQ_MASK;
	}
	if (events)
		q->expected = expected;
	return (int)k;
}

INEST_EXPORT int iommunest_veventq_read(struct iommunest_veventq *q,
					struct iommunest_vevent *events,
					uint32_t max)
{
	uint32_t n;
	ssize_t got;
	int rc;

	if (!q || !events || !max)
		return -EINVAL;
	n = max < q->batch ? max : q->batch;
	got = inest_read(q->fd, q->buf, (size_t)n * (HDR_LEN + q->event_len));
	/* Room for n events, yet the first does not fit: bigger than
	 * event_len, so not of the size the queue was set up with. */
	if (got == -EINVAL)
		return -EMSGSIZE;
	if (got < 0)
		return (int)got;
	/* Check the whole read before writing any record. */
	rc = walk(q, (size_t)got, NULL, n);
	return rc < 0 ? rc : walk(q, (size_t)got, events, n);
}
