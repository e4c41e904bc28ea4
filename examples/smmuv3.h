/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * What a guest's SMMUv3 driver writes, for a VMM (or a test) that plays
 * the guest: stream table entries (the first two words, which are the
 * nested HWPT data), context descriptors and AArch64 stage-1 page tables
 * (4 KiB granule) in guest memory, and the commands of the command queue.
 * Shared by the nested example and the smmuv3 profile's test programs.
 * Field positions are those of the SMMUv3 and Arm architecture
 * specifications.
 */
#ifndef EXAMPLES_SMMUV3_H
#define EXAMPLES_SMMUV3_H

#include <stdint.h>
#include <string.h>

/* Stream table entry, words 0 and 1. */
#define STE0_V              (1ull << 0)
#define STE0_CFG(c)         ((uint64_t)(c) << 1)
#define STE_CFG_ABORT       0u
#define STE_CFG_BYPASS      4u
#define STE_CFG_S1          5u
#define STE0_S1CTXPTR(a)    ((a) & 0x000fffffffffffc0ull) /* bits 51:6 */
#define STE1_S1CIR_WBRA     (1ull << 2)
#define STE1_S1COR_WBRA     (1ull << 4)
#define STE1_S1CSH_ISH      (3ull << 6)

static inline void ste_make(uint64_t ste[2], unsigned int cfg, uint64_t cd)
{
	ste[0] = STE0_V | STE0_CFG(cfg);
	ste[1] = 0;
	if (cfg == STE_CFG_S1) {
		ste[0] |= STE0_S1CTXPTR(cd); /* linear, one CD (S1CDMax 0) */
		ste[1] = STE1_S1CIR_WBRA | STE1_S1COR_WBRA | STE1_S1CSH_ISH;
	}
}

/* Context descriptor: 64 bytes; only TTB0 is walked (EPD1). */
#define CD0_T0SZ(n)  ((uint64_t)(n))         /* bits 5:0 */
#define CD0_TG0_4K   (0ull << 6)
#define CD0_IRGN0_WB (1ull << 8)
#define CD0_ORGN0_WB (1ull << 10)
#define CD0_SH0_ISH  (3ull << 12)
#define CD0_EPD1     (1ull << 30)
#define CD0_V        (1ull << 31)
#define CD0_IPS_40   (2ull << 32)
#define CD0_AA64     (1ull << 41)
#define CD0_R        (1ull << 45)            /* record faults */
#define CD0_A        (1ull << 46)            /* abort, do not stall */
#define CD0_ASID(a)  ((uint64_t)(a) << 48)
#define CD1_TTB0(a)  ((a) & 0x000ffffffffffff0ull)
#define MAIR_WB      0xffull                 /* attribute 0: normal WB */

/* A 39-bit VA space (T0SZ 25): three levels, 1 GiB / 2 MiB / 4 KiB. */
#define S1_T0SZ 25u

static inline void cd_make(void *slot, uint16_t asid, uint64_t ttb0)
{
	uint64_t cd[8] = { 0 };

	cd[0] = CD0_T0SZ(S1_T0SZ) | CD0_TG0_4K | CD0_IRGN0_WB | CD0_ORGN0_WB |
		CD0_SH0_ISH | CD0_EPD1 | CD0_V | CD0_IPS_40 | CD0_AA64 |
		CD0_R | CD0_A | CD0_ASID(asid);
	cd[1] = CD1_TTB0(ttb0);
	cd[3] = MAIR_WB;
	memcpy(slot, cd, sizeof(cd));
}

/* Stage-1 descriptors. */
#define PTE_TABLE  3ull                      /* L1/L2: next level */
#define PTE_PAGE   3ull                      /* L3: a 4 KiB page */
#define PTE_AP_RW_ANY (1ull << 6)            /* AP[2:1] = 01 */
#define PTE_SH_ISH (3ull << 8)
#define PTE_AF     (1ull << 10)
#define PTE_ADDR(a) ((a) & 0x0000fffffffff000ull)

#define VA_L1(va) (((va) >> 30) & 511)
#define VA_L2(va) (((va) >> 21) & 511)
#define VA_L3(va) (((va) >> 12) & 511)

/* Tables: three 4 KiB pages (L1, L2, L3) of guest memory, seen by the
 * host at pointers l1..l3 and by the SMMU at guest addresses. */
struct s1_tables {
	uint64_t *l1, *l2, *l3;
	uint64_t l1_gpa, l2_gpa, l3_gpa;
};

/* Link the three levels so that va's 2 MiB region resolves through l3. */
static inline void s1_link(struct s1_tables *t, uint64_t va)
{
	memset(t->l1, 0, 4096);
	memset(t->l2, 0, 4096);
	memset(t->l3, 0, 4096);
	t->l1[VA_L1(va)] = PTE_ADDR(t->l2_gpa) | PTE_TABLE;
	t->l2[VA_L2(va)] = PTE_ADDR(t->l3_gpa) | PTE_TABLE;
}

/* Map the 4 KiB page at va to gpa (0: unmap it). */
static inline void s1_map(struct s1_tables *t, uint64_t va, uint64_t gpa)
{
	t->l3[VA_L3(va)] = gpa ? PTE_ADDR(gpa) | PTE_AF | PTE_SH_ISH |
				 PTE_AP_RW_ANY | PTE_PAGE : 0;
	__sync_synchronize();
}

/* Commands (opcode in bits 7:0 of word 0). */
#define CMD_CFGI_STE     0x03u
#define CMD_CFGI_CD      0x05u
#define CMD_CFGI_CD_ALL  0x06u
#define CMD_TLBI_NH_ALL  0x10u
#define CMD_TLBI_NH_ASID 0x11u
#define CMD_TLBI_NH_VA   0x12u
#define CMD_TLBI_NH_VAA  0x13u
#define CMD_TLBI_NSNH_ALL 0x30u
#define CMD_PREFETCH_CFG 0x01u
#define CMD_SYNC         0x46u

static inline void cmd_tlbi_va(uint64_t c[2], unsigned int op, uint16_t asid,
			       uint64_t va)
{
	c[0] = op | (uint64_t)asid << 48;
	c[1] = (va & ~0xfffull) | 1; /* leaf */
}

static inline void cmd_asid(uint64_t c[2], unsigned int op, uint16_t asid)
{
	c[0] = op | (uint64_t)asid << 48;
	c[1] = 0;
}

/* CFGI_CD/CFGI_CD_ALL/CFGI_STE: StreamID in bits 63:32, SSID 31:12. */
static inline void cmd_cfgi(uint64_t c[2], unsigned int op, uint32_t sid)
{
	c[0] = op | (uint64_t)sid << 32;
	c[1] = op == CMD_CFGI_CD_ALL ? 0 : 1; /* leaf */
}

/* Event records: type in bits 7:0, StreamID in 63:32 of word 0; the
 * input address in word 2. */
#define EVT_F_TRANSLATION 0x10u

#endif /* EXAMPLES_SMMUV3_H */
