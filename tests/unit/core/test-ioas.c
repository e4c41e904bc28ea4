/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* IO address spaces: alloc, map, unmap, copy, IOVA ranges, allow_iovas. */
#include <stdint.h>
#include <sys/mman.h>

#include "suites.h"

/* The last page below 2^64: a range may end exactly at the top. */
#define TOP_PAGE (UINT64_MAX - 4095)

/* Only its address is used: the library never touches the memory. */
static char buf[8192];

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void answer_ioas_id(void *arg, void *priv)
{
	((struct kabi_ioas_alloc *)arg)->out_ioas_id = *(uint32_t *)priv;
}

static void answer_map_iova(void *arg, void *priv)
{
	((struct kabi_ioas_map *)arg)->iova = *(uint64_t *)priv;
}

static void answer_unmapped(void *arg, void *priv)
{
	((struct kabi_ioas_unmap *)arg)->length = *(uint64_t *)priv;
}

static void answer_copy_iova(void *arg, void *priv)
{
	((struct kabi_ioas_copy *)arg)->dst_iova = *(uint64_t *)priv;
}

/* ---- IOMMU_IOAS_ALLOC ---------------------------------------------- */

START_TEST(alloc_passes_struct_and_returns_id)
{
	uint32_t want = 0x1234, id = 0;
	struct kabi_ioas_alloc a;

	fk_expect(KABI_IOMMU_IOAS_ALLOC, answer_ioas_id, &want, 0);
	ck_assert_int_eq(iommunest_ioas_alloc(uctx, &id), 0);
	ck_assert_uint_eq(id, 0x1234);
	FK_GET(0, KABI_IOMMU_IOAS_ALLOC, a);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(a.size, sizeof(a));
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_uint_eq(a.out_ioas_id, 0); /* an output: starts clear */
}
END_TEST

START_TEST(alloc_reports_kernel_error)
{
	uint32_t junk = 77, id = 5;

	/* Even if the kernel scribbled on the output, failure hides it. */
	fk_expect(KABI_IOMMU_IOAS_ALLOC, answer_ioas_id, &junk, ENOMEM);
	ck_assert_int_eq(iommunest_ioas_alloc(uctx, &id), -ENOMEM);
	ck_assert_uint_eq(id, 5);
}
END_TEST

START_TEST(alloc_refuses_bad_input)
{
	uint32_t id = 5;

	ASSERT_REFUSED(iommunest_ioas_alloc(NULL, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_alloc(uctx, NULL), -EINVAL);
	ck_assert_uint_eq(id, 5);
}
END_TEST

/* ---- IOMMU_IOAS_MAP, fixed IOVA ------------------------------------- */

START_TEST(map_passes_fixed_struct)
{
	static const struct {
		uint32_t flags;
		uint32_t kflags;
	} perms[] = {
		{ IOMMUNEST_MAP_READ, KABI_MAP_READABLE },
		{ IOMMUNEST_MAP_WRITE, KABI_MAP_WRITEABLE },
		{ IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE,
		  KABI_MAP_READABLE | KABI_MAP_WRITEABLE },
	};
	struct kabi_ioas_map m;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
		ck_assert_int_eq(iommunest_ioas_map(uctx, 3 + i, buf, 8192,
						    0x100000000ull + i * 4096,
						    perms[i].flags), 0);
		FK_GET(i, KABI_IOMMU_IOAS_MAP, m);
		ck_assert_int_eq(fk_call(i)->fd, iommunest_fd(uctx));
		ck_assert_uint_eq(m.size, sizeof(m));
		ck_assert_uint_eq(m.flags,
				  KABI_MAP_FIXED_IOVA | perms[i].kflags);
		ck_assert_uint_eq(m.ioas_id, 3 + i);
		ck_assert_uint_eq(m.reserved, 0);
		ck_assert_uint_eq(m.user_va, uptr(buf));
		ck_assert_uint_eq(m.length, 8192);
		ck_assert_uint_eq(m.iova, 0x100000000ull + i * 4096);
	}
}
END_TEST

START_TEST(map_accepts_range_ending_at_top)
{
	struct kabi_ioas_map m;

	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_map(uctx, 1, buf, 4096, TOP_PAGE,
					    IOMMUNEST_MAP_READ), 0);
	FK_GET(0, KABI_IOMMU_IOAS_MAP, m);
	ck_assert_uint_eq(m.iova, TOP_PAGE);
	ck_assert_uint_eq(m.length, 4096);
#if UINTPTR_MAX == UINT64_MAX
	/* The user range may end at the top of the address space too. */
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_map(uctx, 1,
					    (void *)(uintptr_t)TOP_PAGE, 4096,
					    0, IOMMUNEST_MAP_READ), 0);
	FK_GET(1, KABI_IOMMU_IOAS_MAP, m);
	ck_assert_uint_eq(m.user_va, TOP_PAGE);
#endif
}
END_TEST

START_TEST(map_reports_kernel_error)
{
	fk_expect(KABI_IOMMU_IOAS_MAP, NULL, NULL, EEXIST);
	ck_assert_int_eq(iommunest_ioas_map(uctx, 1, buf, 4096, 0x1000,
					    IOMMUNEST_MAP_WRITE), -EEXIST);
}
END_TEST

START_TEST(map_refuses_bad_input)
{
	const uint32_t rw = IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE;

	ASSERT_REFUSED(iommunest_ioas_map(NULL, 1, buf, 4096, 0, rw), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map(uctx, 1, NULL, 4096, 0, rw),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map(uctx, 1, buf, 0, 0, rw), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map(uctx, 1, buf, 8192, TOP_PAGE, rw),
		       -EINVAL);
#if UINTPTR_MAX == UINT64_MAX
	/* A user address whose range would wrap past 2^64. */
	ASSERT_REFUSED(iommunest_ioas_map(uctx, 1, (void *)(uintptr_t)TOP_PAGE,
					  8192, 0, rw), -EINVAL);
#endif
	/* No permission at all is not a mapping. */
	ASSERT_REFUSED(iommunest_ioas_map(uctx, 1, buf, 4096, 0, 0), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map(uctx, 1, buf, 4096, 0,
					  IOMMUNEST_MAP_READ | (1u << 2)),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map(uctx, 1, buf, 4096, 0, 1u << 31),
		       -EINVAL);
}
END_TEST

/* ---- IOMMU_IOAS_MAP, kernel-picked IOVA ----------------------------- */

START_TEST(map_any_returns_kernel_iova)
{
	uint64_t picked = 0xfee00000ull, iova = 0;
	struct kabi_ioas_map m;

	fk_expect(KABI_IOMMU_IOAS_MAP, answer_map_iova, &picked, 0);
	ck_assert_int_eq(iommunest_ioas_map_any(uctx, 9, buf, 4096,
						IOMMUNEST_MAP_READ |
						IOMMUNEST_MAP_WRITE,
						&iova), 0);
	ck_assert_uint_eq(iova, 0xfee00000ull);
	FK_GET(0, KABI_IOMMU_IOAS_MAP, m);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(m.size, sizeof(m));
	/* No FIXED_IOVA: the kernel chooses. */
	ck_assert_uint_eq(m.flags, KABI_MAP_READABLE | KABI_MAP_WRITEABLE);
	ck_assert_uint_eq(m.ioas_id, 9);
	ck_assert_uint_eq(m.reserved, 0);
	ck_assert_uint_eq(m.user_va, uptr(buf));
	ck_assert_uint_eq(m.length, 4096);
	ck_assert_uint_eq(m.iova, 0);
}
END_TEST

START_TEST(map_any_maps_each_permission)
{
	uint64_t picked = 0x2000, iova = 0;
	struct kabi_ioas_map m;

	fk_expect(KABI_IOMMU_IOAS_MAP, answer_map_iova, &picked, 0);
	ck_assert_int_eq(iommunest_ioas_map_any(uctx, 1, buf, 4096,
						IOMMUNEST_MAP_READ, &iova), 0);
	FK_GET(0, KABI_IOMMU_IOAS_MAP, m);
	ck_assert_uint_eq(m.flags, KABI_MAP_READABLE);
	fk_expect(KABI_IOMMU_IOAS_MAP, answer_map_iova, &picked, 0);
	ck_assert_int_eq(iommunest_ioas_map_any(uctx, 1, buf, 4096,
						IOMMUNEST_MAP_WRITE, &iova),
			 0);
	FK_GET(1, KABI_IOMMU_IOAS_MAP, m);
	ck_assert_uint_eq(m.flags, KABI_MAP_WRITEABLE);
}
END_TEST

START_TEST(map_any_reports_kernel_error)
{
	uint64_t junk = 0xdead000, iova = 42;

	fk_expect(KABI_IOMMU_IOAS_MAP, answer_map_iova, &junk, ENOSPC);
	ck_assert_int_eq(iommunest_ioas_map_any(uctx, 1, buf, 4096,
						IOMMUNEST_MAP_READ, &iova),
			 -ENOSPC);
	ck_assert_uint_eq(iova, 42);
}
END_TEST

START_TEST(map_any_refuses_bad_input)
{
	const uint32_t r = IOMMUNEST_MAP_READ;
	uint64_t iova = 42;

	ASSERT_REFUSED(iommunest_ioas_map_any(NULL, 1, buf, 4096, r, &iova),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_any(uctx, 1, buf, 4096, r, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_any(uctx, 1, NULL, 4096, r, &iova),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_any(uctx, 1, buf, 0, r, &iova),
		       -EINVAL);
#if UINTPTR_MAX == UINT64_MAX
	ASSERT_REFUSED(iommunest_ioas_map_any(uctx, 1,
					      (void *)(uintptr_t)TOP_PAGE,
					      8192, r, &iova), -EINVAL);
#endif
	ASSERT_REFUSED(iommunest_ioas_map_any(uctx, 1, buf, 4096, 0, &iova),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_map_any(uctx, 1, buf, 4096, r | 4,
					      &iova), -EINVAL);
	ck_assert_uint_eq(iova, 42);
}
END_TEST

/* ---- IOMMU_IOAS_UNMAP --------------------------------------------- */

START_TEST(unmap_passes_struct_and_reports_bytes)
{
	uint64_t done = 0x3000, unmapped = 0;
	struct kabi_ioas_unmap u;

	fk_expect(KABI_IOMMU_IOAS_UNMAP, answer_unmapped, &done, 0);
	ck_assert_int_eq(iommunest_ioas_unmap(uctx, 4, 0x10000, 0x4000,
					      &unmapped), 0);
	ck_assert_uint_eq(unmapped, 0x3000);
	FK_GET(0, KABI_IOMMU_IOAS_UNMAP, u);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(u.size, sizeof(u));
	ck_assert_uint_eq(u.ioas_id, 4);
	ck_assert_uint_eq(u.iova, 0x10000);
	ck_assert_uint_eq(u.length, 0x4000);
}
END_TEST

START_TEST(unmap_accepts_null_unmapped)
{
	uint64_t done = 0x1000;
	struct kabi_ioas_unmap u;

	fk_expect(KABI_IOMMU_IOAS_UNMAP, answer_unmapped, &done, 0);
	ck_assert_int_eq(iommunest_ioas_unmap(uctx, 4, 0x1000, 0x1000, NULL),
			 0);
	FK_GET(0, KABI_IOMMU_IOAS_UNMAP, u);
	ck_assert_uint_eq(u.iova, 0x1000);
}
END_TEST

START_TEST(unmap_accepts_range_ending_at_top)
{
	struct kabi_ioas_unmap u;

	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_unmap(uctx, 1, TOP_PAGE, 4096, NULL),
			 0);
	FK_GET(0, KABI_IOMMU_IOAS_UNMAP, u);
	ck_assert_uint_eq(u.iova, TOP_PAGE);
	ck_assert_uint_eq(u.length, 4096);

	/* [1, 2^64): the longest range not starting at 0 still fits. */
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_unmap(uctx, 1, 1, UINT64_MAX, NULL),
			 0);
	FK_GET(1, KABI_IOMMU_IOAS_UNMAP, u);
	ck_assert_uint_eq(u.iova, 1);
	ck_assert_uint_eq(u.length, UINT64_MAX);
}
END_TEST

START_TEST(unmap_reports_kernel_error)
{
	uint64_t junk = 0x1000, unmapped = 42;

	fk_expect(KABI_IOMMU_IOAS_UNMAP, answer_unmapped, &junk, ENOENT);
	ck_assert_int_eq(iommunest_ioas_unmap(uctx, 1, 0, 4096, &unmapped),
			 -ENOENT);
	ck_assert_uint_eq(unmapped, 42);
	fk_expect(KABI_IOMMU_IOAS_UNMAP, NULL, NULL, EBUSY);
	ck_assert_int_eq(iommunest_ioas_unmap(uctx, 1, 0, 4096, NULL), -EBUSY);
}
END_TEST

START_TEST(unmap_refuses_bad_input)
{
	uint64_t unmapped = 42;

	ASSERT_REFUSED(iommunest_ioas_unmap(NULL, 1, 0, 4096, &unmapped),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_unmap(uctx, 1, 0, 0, &unmapped),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_unmap(uctx, 1, TOP_PAGE, 8192,
					    &unmapped), -EINVAL);
	/* [2, 2 + U64_MAX) ends one byte past 2^64. */
	ASSERT_REFUSED(iommunest_ioas_unmap(uctx, 1, 2, UINT64_MAX,
					    &unmapped), -EINVAL);
	ck_assert_uint_eq(unmapped, 42);
}
END_TEST

START_TEST(unmap_all_asks_for_everything)
{
	uint64_t done = 0x200000, unmapped = 0;
	struct kabi_ioas_unmap u;

	fk_expect(KABI_IOMMU_IOAS_UNMAP, answer_unmapped, &done, 0);
	ck_assert_int_eq(iommunest_ioas_unmap_all(uctx, 6, &unmapped), 0);
	ck_assert_uint_eq(unmapped, 0x200000);
	FK_GET(0, KABI_IOMMU_IOAS_UNMAP, u);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(u.size, sizeof(u));
	ck_assert_uint_eq(u.ioas_id, 6);
	/* iommufd's spelling of "the whole IOAS". */
	ck_assert_uint_eq(u.iova, 0);
	ck_assert_uint_eq(u.length, UINT64_MAX);

	fk_expect(KABI_IOMMU_IOAS_UNMAP, answer_unmapped, &done, 0);
	ck_assert_int_eq(iommunest_ioas_unmap_all(uctx, 6, NULL), 0);
}
END_TEST

START_TEST(unmap_all_reports_kernel_error)
{
	uint64_t junk = 0x1000, unmapped = 42;

	fk_expect(KABI_IOMMU_IOAS_UNMAP, answer_unmapped, &junk, ENOENT);
	ck_assert_int_eq(iommunest_ioas_unmap_all(uctx, 1, &unmapped),
			 -ENOENT);
	ck_assert_uint_eq(unmapped, 42);
	ASSERT_REFUSED(iommunest_ioas_unmap_all(NULL, 1, &unmapped), -EINVAL);
	ck_assert_uint_eq(unmapped, 42);
}
END_TEST

/* ---- IOMMU_IOAS_COPY ---------------------------------------------- */

START_TEST(copy_passes_fixed_struct)
{
	struct kabi_ioas_copy c;

	fk_expect(KABI_IOMMU_IOAS_COPY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_copy(uctx, 11, 0x200000, 12, 0x300000,
					     0x5000, IOMMUNEST_MAP_READ |
					     IOMMUNEST_MAP_WRITE), 0);
	FK_GET(0, KABI_IOMMU_IOAS_COPY, c);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.flags, KABI_MAP_FIXED_IOVA | KABI_MAP_READABLE |
				   KABI_MAP_WRITEABLE);
	ck_assert_uint_eq(c.dst_ioas_id, 11);
	ck_assert_uint_eq(c.src_ioas_id, 12);
	ck_assert_uint_eq(c.length, 0x5000);
	ck_assert_uint_eq(c.dst_iova, 0x200000);
	ck_assert_uint_eq(c.src_iova, 0x300000);

	fk_expect(KABI_IOMMU_IOAS_COPY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_copy(uctx, 1, 0, 2, 0, 4096,
					     IOMMUNEST_MAP_READ), 0);
	FK_GET(1, KABI_IOMMU_IOAS_COPY, c);
	ck_assert_uint_eq(c.flags, KABI_MAP_FIXED_IOVA | KABI_MAP_READABLE);

	fk_expect(KABI_IOMMU_IOAS_COPY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_copy(uctx, 1, 0, 2, 0, 4096,
					     IOMMUNEST_MAP_WRITE), 0);
	FK_GET(2, KABI_IOMMU_IOAS_COPY, c);
	ck_assert_uint_eq(c.flags, KABI_MAP_FIXED_IOVA | KABI_MAP_WRITEABLE);
}
END_TEST

START_TEST(copy_accepts_ranges_ending_at_top)
{
	struct kabi_ioas_copy c;

	fk_expect(KABI_IOMMU_IOAS_COPY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_copy(uctx, 1, TOP_PAGE, 2, TOP_PAGE,
					     4096, IOMMUNEST_MAP_READ), 0);
	FK_GET(0, KABI_IOMMU_IOAS_COPY, c);
	ck_assert_uint_eq(c.dst_iova, TOP_PAGE);
	ck_assert_uint_eq(c.src_iova, TOP_PAGE);
	ck_assert_uint_eq(c.length, 4096);
}
END_TEST

START_TEST(copy_reports_kernel_error)
{
	fk_expect(KABI_IOMMU_IOAS_COPY, NULL, NULL, ENOENT);
	ck_assert_int_eq(iommunest_ioas_copy(uctx, 1, 0, 2, 0, 4096,
					     IOMMUNEST_MAP_READ), -ENOENT);
}
END_TEST

START_TEST(copy_refuses_bad_input)
{
	const uint32_t r = IOMMUNEST_MAP_READ;

	ASSERT_REFUSED(iommunest_ioas_copy(NULL, 1, 0, 2, 0, 4096, r),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy(uctx, 1, 0, 2, 0, 0, r), -EINVAL);
	/* Either side may wrap; both are checked. */
	ASSERT_REFUSED(iommunest_ioas_copy(uctx, 1, 0, 2, TOP_PAGE, 8192, r),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy(uctx, 1, TOP_PAGE, 2, 0, 8192, r),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy(uctx, 1, 0, 2, 0, 4096, 0),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy(uctx, 1, 0, 2, 0, 4096, r | 4),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy(uctx, 1, 0, 2, 0, 4096, 1u << 31),
		       -EINVAL);
}
END_TEST

START_TEST(copy_any_returns_kernel_iova)
{
	uint64_t picked = 0x7000000, dst = 0;
	struct kabi_ioas_copy c;

	fk_expect(KABI_IOMMU_IOAS_COPY, answer_copy_iova, &picked, 0);
	ck_assert_int_eq(iommunest_ioas_copy_any(uctx, 21, 22, 0x400000,
						 0x2000, IOMMUNEST_MAP_READ |
						 IOMMUNEST_MAP_WRITE, &dst),
			 0);
	ck_assert_uint_eq(dst, 0x7000000);
	FK_GET(0, KABI_IOMMU_IOAS_COPY, c);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.flags, KABI_MAP_READABLE | KABI_MAP_WRITEABLE);
	ck_assert_uint_eq(c.dst_ioas_id, 21);
	ck_assert_uint_eq(c.src_ioas_id, 22);
	ck_assert_uint_eq(c.length, 0x2000);
	ck_assert_uint_eq(c.dst_iova, 0);
	ck_assert_uint_eq(c.src_iova, 0x400000);
}
END_TEST

START_TEST(copy_any_accepts_source_ending_at_top)
{
	uint64_t picked = 0x1000, dst = 0;
	struct kabi_ioas_copy c;

	fk_expect(KABI_IOMMU_IOAS_COPY, answer_copy_iova, &picked, 0);
	ck_assert_int_eq(iommunest_ioas_copy_any(uctx, 1, 2, TOP_PAGE, 4096,
						 IOMMUNEST_MAP_WRITE, &dst),
			 0);
	ck_assert_uint_eq(dst, 0x1000);
	FK_GET(0, KABI_IOMMU_IOAS_COPY, c);
	ck_assert_uint_eq(c.flags, KABI_MAP_WRITEABLE);
	ck_assert_uint_eq(c.src_iova, TOP_PAGE);
}
END_TEST

START_TEST(copy_any_reports_kernel_error)
{
	uint64_t junk = 0x1000, dst = 42;

	fk_expect(KABI_IOMMU_IOAS_COPY, answer_copy_iova, &junk, ENOSPC);
	ck_assert_int_eq(iommunest_ioas_copy_any(uctx, 1, 2, 0, 4096,
						 IOMMUNEST_MAP_READ, &dst),
			 -ENOSPC);
	ck_assert_uint_eq(dst, 42);
}
END_TEST

START_TEST(copy_any_refuses_bad_input)
{
	const uint32_t r = IOMMUNEST_MAP_READ;
	uint64_t dst = 42;

	ASSERT_REFUSED(iommunest_ioas_copy_any(NULL, 1, 2, 0, 4096, r, &dst),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy_any(uctx, 1, 2, 0, 4096, r, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy_any(uctx, 1, 2, 0, 0, r, &dst),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy_any(uctx, 1, 2, TOP_PAGE, 8192, r,
					       &dst), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy_any(uctx, 1, 2, 0, 4096, 0, &dst),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_copy_any(uctx, 1, 2, 0, 4096, r | 4,
					       &dst), -EINVAL);
	ck_assert_uint_eq(dst, 42);
}
END_TEST

/* ---- IOMMU_IOAS_IOVA_RANGES --------------------------------------- */

/* What the fake kernel holds: behaves as iommufd_ioas_iova_ranges(). */
struct ranges_answer {
	const struct kabi_iova_range *r;
	uint32_t n;
	uint64_t align;
};

static void answer_ranges(void *arg, void *priv)
{
	struct kabi_ioas_iova_ranges *cmd = arg;
	const struct ranges_answer *a = priv;
	struct kabi_iova_range *out =
		(struct kabi_iova_range *)(uintptr_t)cmd->allowed_iovas;
	uint32_t i;

	for (i = 0; i < a->n && i < cmd->num_iovas; i++)
		out[i] = a->r[i];
	cmd->num_iovas = a->n;
	cmd->out_iova_alignment = a->align;
}

static const struct kabi_iova_range three[] = {
	{ 0x0, 0xfedfffff },
	{ 0xfef00000, 0x7fffffffffffull },
	{ 0xffff800000000000ull, UINT64_MAX },
};

START_TEST(iova_ranges_fills_array)
{
	struct ranges_answer a = { three, 3, 4096 };
	struct iommunest_iova_range r[4];
	struct kabi_ioas_iova_ranges cmd;
	uint64_t align = 0;
	unsigned int i;

	memset(r, 0xa5, sizeof(r));
	fk_expect(KABI_IOMMU_IOAS_IOVA_RANGES, answer_ranges, &a, 0);
	ck_assert_int_eq(iommunest_ioas_iova_ranges(uctx, 8, r, 4, &align), 3);
	ck_assert_uint_eq(align, 4096);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(r[i].start, three[i].start);
		ck_assert_uint_eq(r[i].last, three[i].last);
	}
	ck_assert_uint_eq(r[3].start, 0xa5a5a5a5a5a5a5a5ull);
	FK_GET(0, KABI_IOMMU_IOAS_IOVA_RANGES, cmd);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(cmd.size, sizeof(cmd));
	ck_assert_uint_eq(cmd.ioas_id, 8);
	ck_assert_uint_eq(cmd.num_iovas, 4);
	ck_assert_uint_eq(cmd.reserved, 0);
	ck_assert_uint_eq(cmd.allowed_iovas, uptr(r));
	ck_assert_uint_eq(cmd.out_iova_alignment, 0);
}
END_TEST

START_TEST(iova_ranges_short_array_returns_total)
{
	struct ranges_answer a = { three, 3, 0x200000 };
	struct iommunest_iova_range r[2];
	struct kabi_ioas_iova_ranges cmd;
	uint64_t align = 0;

	/* The kernel fills what fits and says EMSGSIZE with the total. */
	fk_expect(KABI_IOMMU_IOAS_IOVA_RANGES, answer_ranges, &a, EMSGSIZE);
	ck_assert_int_eq(iommunest_ioas_iova_ranges(uctx, 8, r, 2, &align), 3);
	ck_assert_uint_eq(align, 0x200000);
	ck_assert_uint_eq(r[0].start, three[0].start);
	ck_assert_uint_eq(r[0].last, three[0].last);
	ck_assert_uint_eq(r[1].start, three[1].start);
	ck_assert_uint_eq(r[1].last, three[1].last);
	FK_GET(0, KABI_IOMMU_IOAS_IOVA_RANGES, cmd);
	ck_assert_uint_eq(cmd.num_iovas, 2);
	ck_assert_uint_eq(cmd.allowed_iovas, uptr(r));
}
END_TEST

START_TEST(iova_ranges_size_query)
{
	struct ranges_answer a = { three, 3, 4096 };
	struct kabi_ioas_iova_ranges cmd;

	/* max 0 with no array asks only for the count. */
	fk_expect(KABI_IOMMU_IOAS_IOVA_RANGES, answer_ranges, &a, EMSGSIZE);
	ck_assert_int_eq(iommunest_ioas_iova_ranges(uctx, 2, NULL, 0, NULL),
			 3);
	FK_GET(0, KABI_IOMMU_IOAS_IOVA_RANGES, cmd);
	ck_assert_uint_eq(cmd.size, sizeof(cmd));
	ck_assert_uint_eq(cmd.ioas_id, 2);
	ck_assert_uint_eq(cmd.num_iovas, 0);
	ck_assert_uint_eq(cmd.reserved, 0);
	ck_assert_uint_eq(cmd.allowed_iovas, 0);
}
END_TEST

START_TEST(iova_ranges_empty_ioas)
{
	struct ranges_answer a = { NULL, 0, 4096 };
	struct iommunest_iova_range r[1] = { { 1, 2 } };
	uint64_t align = 0;

	fk_expect(KABI_IOMMU_IOAS_IOVA_RANGES, answer_ranges, &a, 0);
	ck_assert_int_eq(iommunest_ioas_iova_ranges(uctx, 2, r, 1, &align), 0);
	ck_assert_uint_eq(align, 4096);
	ck_assert_uint_eq(r[0].start, 1);
}
END_TEST

START_TEST(iova_ranges_reports_kernel_error)
{
	struct ranges_answer a = { three, 3, 4096 };
	struct iommunest_iova_range r[4];
	uint64_t align = 42;

	fk_expect(KABI_IOMMU_IOAS_IOVA_RANGES, answer_ranges, &a, ENOENT);
	ck_assert_int_eq(iommunest_ioas_iova_ranges(uctx, 2, r, 4, &align),
			 -ENOENT);
	ck_assert_uint_eq(align, 42);
}
END_TEST

START_TEST(iova_ranges_total_too_big_for_int)
{
	struct ranges_answer a = { NULL, 0x80000000u, 4096 };
	uint64_t align = 42;

	/* The count cannot be returned as a non-negative int. */
	fk_expect(KABI_IOMMU_IOAS_IOVA_RANGES, answer_ranges, &a, EMSGSIZE);
	ck_assert_int_eq(iommunest_ioas_iova_ranges(uctx, 2, NULL, 0, &align),
			 -EOVERFLOW);
	ck_assert_uint_eq(align, 42);
}
END_TEST

START_TEST(iova_ranges_refuses_bad_input)
{
	struct iommunest_iova_range r[1];
	uint64_t align = 42;

	ASSERT_REFUSED(iommunest_ioas_iova_ranges(NULL, 1, r, 1, &align),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_iova_ranges(uctx, 1, NULL, 1, &align),
		       -EINVAL);
	ck_assert_uint_eq(align, 42);
}
END_TEST

/* ---- IOMMU_IOAS_ALLOW_IOVAS --------------------------------------- */

START_TEST(allow_iovas_passes_array)
{
	static const struct iommunest_iova_range r[2] = {
		{ 0x1000, 0x1fff },
		{ 0x100000, 0x100001 }, /* two bytes: the smallest valid range */
	};
	struct kabi_ioas_allow_iovas cmd;

	fk_expect(KABI_IOMMU_IOAS_ALLOW_IOVAS, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_allow_iovas(uctx, 13, r, 2), 0);
	FK_GET(0, KABI_IOMMU_IOAS_ALLOW_IOVAS, cmd);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(cmd.size, sizeof(cmd));
	ck_assert_uint_eq(cmd.ioas_id, 13);
	ck_assert_uint_eq(cmd.num_iovas, 2);
	ck_assert_uint_eq(cmd.reserved, 0);
	ck_assert_uint_eq(cmd.allowed_iovas, uptr(r));
}
END_TEST

START_TEST(allow_iovas_empty_list_clears)
{
	struct kabi_ioas_allow_iovas cmd;

	fk_expect(KABI_IOMMU_IOAS_ALLOW_IOVAS, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_allow_iovas(uctx, 13, NULL, 0), 0);
	FK_GET(0, KABI_IOMMU_IOAS_ALLOW_IOVAS, cmd);
	ck_assert_uint_eq(cmd.num_iovas, 0);
	ck_assert_uint_eq(cmd.allowed_iovas, 0);
}
END_TEST

START_TEST(allow_iovas_reports_kernel_error)
{
	static const struct iommunest_iova_range r[1] = { { 0, 0xffff } };

	fk_expect(KABI_IOMMU_IOAS_ALLOW_IOVAS, NULL, NULL, EBUSY);
	ck_assert_int_eq(iommunest_ioas_allow_iovas(uctx, 1, r, 1), -EBUSY);
}
END_TEST

START_TEST(allow_iovas_refuses_bad_input)
{
	static const struct iommunest_iova_range ok[1] = { { 0, 0xfff } };
	static const struct iommunest_iova_range bad[2] = {
		{ 0, 0xfff },
		{ 0x2000, 0x1fff }, /* start > last, not the first entry */
	};
	static const struct iommunest_iova_range one_byte = { 0x2000, 0x2000 };

	ASSERT_REFUSED(iommunest_ioas_allow_iovas(NULL, 1, ok, 1), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_allow_iovas(uctx, 1, NULL, 1), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_allow_iovas(uctx, 1, bad, 2), -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_allow_iovas(uctx, 1, &bad[1], 1),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_ioas_allow_iovas(uctx, 1, &one_byte, 1),
		       -EINVAL);
}
END_TEST

/* A page that can be neither read nor written. */
static void *no_access_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	ck_assert_ptr_ne(p, MAP_FAILED);
	return p;
}

/* The array of iova_ranges is the kernel's to write: the library never
 * touches it, so an unwritable one is the kernel's EFAULT, passed on,
 * and *alignment is left alone. */
START_TEST(iova_ranges_unwritable_array_is_kernel_efault)
{
	struct iommunest_iova_range *r = no_access_page();
	struct kabi_ioas_iova_ranges cmd;
	uint64_t align = 42;

	fk_expect(KABI_IOMMU_IOAS_IOVA_RANGES, NULL, NULL, EFAULT);
	ck_assert_int_eq(iommunest_ioas_iova_ranges(uctx, 2, r, 4, &align),
			 -EFAULT);
	ck_assert_uint_eq(align, 42);
	FK_GET(0, KABI_IOMMU_IOAS_IOVA_RANGES, cmd);
	ck_assert_uint_eq(cmd.num_iovas, 4);
	ck_assert_uint_eq(cmd.allowed_iovas, uptr(r));
	munmap(r, 4096);
}
END_TEST

/* allow_iovas reads every range itself before the call (the array must
 * be readable, as the page says); with a count of 0 it reads nothing and
 * the pointer goes to the kernel as it is, whose EFAULT is passed on. */
START_TEST(allow_iovas_reads_the_array_only_when_counted)
{
	const struct iommunest_iova_range bad_last[3] = {
		{ 0, 0xfff }, { 0x2000, 0x2fff }, { 0x5000, 0x4000 },
	};
	void *p = no_access_page();
	struct kabi_ioas_allow_iovas cmd;

	ASSERT_REFUSED(iommunest_ioas_allow_iovas(uctx, 1, bad_last, 3),
		       -EINVAL);
	fk_expect(KABI_IOMMU_IOAS_ALLOW_IOVAS, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_ioas_allow_iovas(uctx, 13, p, 0), 0);
	FK_GET(0, KABI_IOMMU_IOAS_ALLOW_IOVAS, cmd);
	ck_assert_uint_eq(cmd.num_iovas, 0);
	ck_assert_uint_eq(cmd.allowed_iovas, uptr(p));
	fk_expect(KABI_IOMMU_IOAS_ALLOW_IOVAS, NULL, NULL, EFAULT);
	ck_assert_int_eq(iommunest_ioas_allow_iovas(uctx, 13, p, 0), -EFAULT);
	munmap(p, 4096);
}
END_TEST

static TCase *calls_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
	return tc;
}

Suite *suite_ioas(void)
{
	Suite *s = suite_create("ioas");
	TCase *alloc = calls_tcase("alloc");
	TCase *map = calls_tcase("map");
	TCase *unmap = calls_tcase("unmap");
	TCase *copy = calls_tcase("copy");
	TCase *ranges = calls_tcase("ranges");

	tcase_add_test(alloc, alloc_passes_struct_and_returns_id);
	tcase_add_test(alloc, alloc_reports_kernel_error);
	tcase_add_test(alloc, alloc_refuses_bad_input);
	suite_add_tcase(s, alloc);

	tcase_add_test(map, map_passes_fixed_struct);
	tcase_add_test(map, map_accepts_range_ending_at_top);
	tcase_add_test(map, map_reports_kernel_error);
	tcase_add_test(map, map_refuses_bad_input);
	tcase_add_test(map, map_any_returns_kernel_iova);
	tcase_add_test(map, map_any_maps_each_permission);
	tcase_add_test(map, map_any_reports_kernel_error);
	tcase_add_test(map, map_any_refuses_bad_input);
	suite_add_tcase(s, map);

	tcase_add_test(unmap, unmap_passes_struct_and_reports_bytes);
	tcase_add_test(unmap, unmap_accepts_null_unmapped);
	tcase_add_test(unmap, unmap_accepts_range_ending_at_top);
	tcase_add_test(unmap, unmap_reports_kernel_error);
	tcase_add_test(unmap, unmap_refuses_bad_input);
	tcase_add_test(unmap, unmap_all_asks_for_everything);
	tcase_add_test(unmap, unmap_all_reports_kernel_error);
	suite_add_tcase(s, unmap);

	tcase_add_test(copy, copy_passes_fixed_struct);
	tcase_add_test(copy, copy_accepts_ranges_ending_at_top);
	tcase_add_test(copy, copy_reports_kernel_error);
	tcase_add_test(copy, copy_refuses_bad_input);
	tcase_add_test(copy, copy_any_returns_kernel_iova);
	tcase_add_test(copy, copy_any_accepts_source_ending_at_top);
	tcase_add_test(copy, copy_any_reports_kernel_error);
	tcase_add_test(copy, copy_any_refuses_bad_input);
	suite_add_tcase(s, copy);

	tcase_add_test(ranges, iova_ranges_fills_array);
	tcase_add_test(ranges, iova_ranges_short_array_returns_total);
	tcase_add_test(ranges, iova_ranges_size_query);
	tcase_add_test(ranges, iova_ranges_empty_ioas);
	tcase_add_test(ranges, iova_ranges_reports_kernel_error);
	tcase_add_test(ranges, iova_ranges_total_too_big_for_int);
	tcase_add_test(ranges, iova_ranges_refuses_bad_input);
	tcase_add_test(ranges, allow_iovas_passes_array);
	tcase_add_test(ranges, allow_iovas_empty_list_clears);
	tcase_add_test(ranges, allow_iovas_reports_kernel_error);
	tcase_add_test(ranges, allow_iovas_refuses_bad_input);
	tcase_add_test(ranges, iova_ranges_unwritable_array_is_kernel_efault);
	tcase_add_test(ranges, allow_iovas_reads_the_array_only_when_counted);
	suite_add_tcase(s, ranges);
	return s;
}
