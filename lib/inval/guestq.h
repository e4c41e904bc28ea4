/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The window walk shared by the guest queue translators (lib/guestq-*.c). */
#ifndef IOMMUNEST_GUESTQ_INTERNAL_H
#define IOMMUNEST_GUESTQ_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"
#include "libiommunest/guestq.h"

/* The ring is addressable, head and tail lie in it, and slots are
 * slot_len bytes (the caller checks slot_len against its format). */
static inline bool inest_gq_ok(const struct iommunest_guest_queue *q)
{
	return q->base && q->size && q->head < q->size && q->tail < q->size &&
	       inest_buf_ok(q->base, (uint64_t)q->size * q->slot_len);
}

/* Slots in the window [head, tail), wrapping at size. */
static inline uint32_t inest_gq_count(const struct iommunest_guest_queue *q)
{
	return q->tail >= q->head ? q->tail - q->head
				  : q->size - q->head + q->tail;
}

/* Ring index of the k-th slot of the window. */
static inline uint32_t inest_gq_index(const struct iommunest_guest_queue *q,
				      uint32_t k)
{
	return (uint32_t)(((uint64_t)q->head + k) % q->size);
}

/* The k-th slot of the window, as mapped in the VMM. */
static inline const unsigned char *
inest_gq_slot(const struct iommunest_guest_queue *q, uint32_t k)
{
	return (const unsigned char *)q->base +
	       (size_t)inest_gq_index(q, k) * q->slot_len;
}

/* The batch takes entries of this type and size and holds none that
 * were added before the translator was called. */
static inline bool inest_gq_batch_ok(const struct iommunest_batch *batch,
				     uint32_t data_type, uint32_t entry_len)
{
	struct inest_batch_info info;

	inest_batch_info(batch, &info);
	return info.data_type == data_type && info.entry_len == entry_len &&
	       info.pending == 0;
}

#endif /* IOMMUNEST_GUESTQ_INTERNAL_H */
