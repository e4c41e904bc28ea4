/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Guest invalidation queues in, guest-visible error state out.
 *
 * A VMM that emulates an IOMMU for a guest with nesting reads the guest's
 * invalidation queue (Intel VT-d) or command queue (Arm SMMUv3) from guest
 * memory.  These translators walk the VMM's window of that queue, put what
 * the host kernel must do into a batch (<libiommunest/batch.h>), flush it
 * at the guest's sync points, hand back what is the VMM's own business,
 * and say exactly what the guest must be shown when something fails: the
 * queue position to expose and the error the specification defines.
 *
 * Both translators read only inside the window, allocate nothing, and
 * fill the batch in place (iommunest_batch_reserve()).  The batch must be
 * made for the matching type and target: VT-d stage-1 entries on the
 * guest's nested HWPT; SMMUv3 commands on the vIOMMU.
 */
#ifndef LIBIOMMUNEST_GUESTQ_H
#define LIBIOMMUNEST_GUESTQ_H

#include <stdint.h>

#include <libiommunest/batch.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The VMM's view of a guest queue: slots [head, tail) of a ring of size
 * slots at base (as mapped in the VMM), wrapping at size. */
struct iommunest_guest_queue {
	const void *base;   /* slot 0 */
	uint32_t size;      /* slots in the ring, > 0 */
	uint32_t slot_len;  /* bytes per slot: 16 or 32 (VT-d), 16 (SMMUv3) */
	uint32_t head;      /* first slot to read, < size */
	uint32_t tail;      /* one past the last slot to read, < size */
};

/* Why a translation returned. */
#define IOMMUNEST_GQ_DONE     0u /* reached tail; the batch was flushed */
#define IOMMUNEST_GQ_SYNC     1u /* a sync point (VT-d wait, SMMUv3
				  * CMD_SYNC) at stop_slot; the batch before
				  * it was flushed and all of it done: the VMM
				  * now writes the status or raises the
				  * interrupt, then translates again from
				  * stop_slot + 1 */
#define IOMMUNEST_GQ_VMM      2u /* a descriptor for the VMM itself at
				  * stop_slot (classified in vmm_kind); the
				  * batch before it was flushed and done */
#define IOMMUNEST_GQ_ERROR    3u /* the guest must see an error at
				  * stop_slot (guest_error, errno) */

struct iommunest_guest_queue_result {
	uint32_t stop;        /* IOMMUNEST_GQ_* */
	uint32_t stop_slot;   /* the slot the translation stopped at */
	uint32_t consumed;    /* slots fully handled from head */
	uint32_t vmm_kind;    /* with GQ_VMM: IOMMUNEST_VTD_DESC_* or
			       * IOMMUNEST_SMMU_CMD_* */
	uint32_t guest_error; /* with GQ_ERROR: VT-d FSTS bit
			       * (IOMMUNEST_VTD_IQE/ICE/ITE) or SMMUv3
			       * CERROR (IOMMUNEST_SMMU_CERROR_*) */
	int error;            /* with GQ_ERROR: the negative errno behind it;
			       * guest_error 0: not the guest's doing, and
			       * the call returned it */
	uint32_t entries;     /* batch entries this call produced */
	uint32_t reserved[3];
};

/* ---- Intel VT-d invalidation queue --------------------------------------- */

/* Descriptor classes handed back to the VMM (vmm_kind). */
#define IOMMUNEST_VTD_DESC_CONTEXT 1u /* context-cache invalidation */
#define IOMMUNEST_VTD_DESC_IOTLB   2u /* (second-stage) IOTLB invalidation */
#define IOMMUNEST_VTD_DESC_IEC     3u /* interrupt entry cache */
#define IOMMUNEST_VTD_DESC_PASID   4u /* PASID-cache invalidation */
#define IOMMUNEST_VTD_DESC_PAGE_RESP 5u /* page group response (PRI) */

/* Fault status register bits the guest must see (guest_error). */
#define IOMMUNEST_VTD_IQE (1u << 4) /* invalidation queue error */
#define IOMMUNEST_VTD_ICE (1u << 5) /* invalidation completion error */
#define IOMMUNEST_VTD_ITE (1u << 6) /* invalidation time-out error */

int iommunest_vtd_queue_translate(struct iommunest_batch *batch,
				  const struct iommunest_guest_queue *q,
				  struct iommunest_guest_queue_result *r);

/* ---- Arm SMMUv3 command queue -------------------------------------------- */

/* Commands handed back to the VMM (vmm_kind). */
#define IOMMUNEST_SMMU_CMD_CFGI_STE       1u /* re-read a stream table entry */
#define IOMMUNEST_SMMU_CMD_CFGI_STE_RANGE 2u
#define IOMMUNEST_SMMU_CMD_CFGI_ALL       3u
#define IOMMUNEST_SMMU_CMD_PREFETCH       4u /* prefetch config/addr */

/* CMDQ_CONS.ERR values the guest must see (guest_error). */
#define IOMMUNEST_SMMU_CERROR_ILL          1u /* illegal command */
#define IOMMUNEST_SMMU_CERROR_ABT          2u /* abort on command fetch */
#define IOMMUNEST_SMMU_CERROR_ATC_INV_SYNC 3u /* ATC invalidation sync */

int iommunest_smmuv3_queue_translate(struct iommunest_batch *batch,
				     const struct iommunest_guest_queue *q,
				     struct iommunest_guest_queue_result *r);

#ifdef __cplusplus
}
#endif

#endif /* LIBIOMMUNEST_GUESTQ_H */
