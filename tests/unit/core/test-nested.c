/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Nested HWPTs, the nested switch, vIOMMU/vDEVICE and one invalidation. */
#include <endian.h>
#include <stdint.h>
#include <unistd.h>

#include "suites.h"

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* A number that was an fd a moment ago: fd checks must reject it. */
static int closed_fd(void)
{
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

static void answer_hwpt_id(void *arg, void *priv)
{
	((struct kabi_hwpt_alloc *)arg)->out_hwpt_id = *(uint32_t *)priv;
}

/* What the kernel read through data_uptr, while the call was running:
 * the typed forms pass a buffer that is gone once they return. */
struct alloc_seen {
	uint32_t out_id;        /* the kernel's answer */
	uint32_t data_len;
	unsigned char data[64];
};

static void answer_and_read_data(void *arg, void *priv)
{
	struct kabi_hwpt_alloc *cmd = arg;
	struct alloc_seen *s = priv;

	cmd->out_hwpt_id = s->out_id;
	s->data_len = cmd->data_len;
	ck_assert_uint_le(cmd->data_len, sizeof(s->data));
	ck_assert_uint_ne(cmd->data_uptr, 0);
	memcpy(s->data, (const void *)(uintptr_t)cmd->data_uptr,
	       cmd->data_len);
}

/* Call n is a nested IOMMU_HWPT_ALLOC on the iommufd with these fields. */
static void check_nested_alloc(unsigned int n, uint32_t dev_id,
			       uint32_t parent_id, uint32_t data_type,
			       uint32_t data_len)
{
	struct kabi_hwpt_alloc h;

	FK_GET(n, KABI_IOMMU_HWPT_ALLOC, h);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(h.size, sizeof(h));
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_uint_eq(h.dev_id, dev_id);
	ck_assert_uint_eq(h.pt_id, parent_id);
	ck_assert_uint_eq(h.out_hwpt_id, 0);
	ck_assert_uint_eq(h.reserved, 0);
	ck_assert_uint_eq(h.data_type, data_type);
	ck_assert_uint_eq(h.data_len, data_len);
	ck_assert_uint_ne(h.data_uptr, 0);
	ck_assert_uint_eq(h.fault_id, 0);
	ck_assert_uint_eq(h.reserved2, 0);
}

/* Call n is IOMMU_DESTROY of id on the iommufd. */
static void check_destroy(unsigned int n, uint32_t id)
{
	struct kabi_destroy d;

	FK_GET(n, KABI_IOMMU_DESTROY, d);
	ck_assert_int_eq(fk_call(n)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(d.size, sizeof(d));
	ck_assert_uint_eq(d.id, id);
}

/* ---- IOMMU_HWPT_ALLOC, nested, raw data --------------------------- */

START_TEST(alloc_nested_passes_struct)
{
	/* A type the library does not know: the data goes through as is. */
	const unsigned char data[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	struct kabi_hwpt_alloc h;
	uint32_t want = 0x77, id = 0;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	ck_assert_int_eq(iommunest_hwpt_alloc_nested(uctx, 5, 6, 0x1234, data,
						     sizeof(data), &id), 0);
	ck_assert_uint_eq(id, 0x77);
	check_nested_alloc(0, 5, 6, 0x1234, sizeof(data));
	FK_GET(0, KABI_IOMMU_HWPT_ALLOC, h);
	/* The caller's own buffer, not a copy. */
	ck_assert_uint_eq(h.data_uptr, uptr(data));
}
END_TEST

START_TEST(alloc_nested_reports_kernel_error)
{
	const uint32_t data = 1;
	uint32_t junk = 9, id = 42;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &junk, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_hwpt_alloc_nested(uctx, 1, 2,
						     KABI_HWPT_DATA_SELFTEST,
						     &data, sizeof(data), &id),
			 -EOPNOTSUPP);
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &junk, ENOENT);
	ck_assert_int_eq(iommunest_hwpt_alloc_nested(uctx, 1, 2,
						     KABI_HWPT_DATA_SELFTEST,
						     &data, sizeof(data), &id),
			 -ENOENT);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_nested_refuses_bad_input)
{
	const uint32_t data = 1, t = KABI_HWPT_DATA_SELFTEST;
	uint32_t id = 42;

	ASSERT_REFUSED(iommunest_hwpt_alloc_nested(NULL, 1, 2, t, &data, 4,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_nested(uctx, 1, 2, t, &data, 4,
						   NULL), -EINVAL);
	/* DATA_NONE is a paging HWPT: iommunest_hwpt_alloc_paging(). */
	ASSERT_REFUSED(iommunest_hwpt_alloc_nested(uctx, 1, 2,
						   KABI_HWPT_DATA_NONE, &data,
						   4, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_nested(uctx, 1, 2, t, NULL, 4,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_nested(uctx, 1, 2, t, &data, 0,
						   &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

/* ---- Typed nested allocations ------------------------------------- */

START_TEST(alloc_vtd_s1_passes_data)
{
	static const struct {
		uint32_t flags;
		uint64_t pgtbl;
		uint32_t width;
	} cases[] = {
		{ 0, 0, 48 },
		{ IOMMUNEST_VTD_S1_SRE, 0x123456789000ull, 57 },
		{ IOMMUNEST_VTD_S1_EAFE | IOMMUNEST_VTD_S1_WPE, 0x1000, 48 },
		{ IOMMUNEST_VTD_S1_SRE | IOMMUNEST_VTD_S1_EAFE |
		  IOMMUNEST_VTD_S1_WPE, 0xfffffffffffff000ull, 57 },
	};
	struct kabi_hwpt_vtd_s1 d;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		struct alloc_seen s = { .out_id = 200 + i };
		uint32_t id = 0;

		fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_and_read_data, &s, 0);
		ck_assert_int_eq(iommunest_hwpt_alloc_vtd_s1(uctx, 3, 4 + i,
							     cases[i].pgtbl,
							     cases[i].width,
							     cases[i].flags,
							     &id), 0);
		ck_assert_uint_eq(id, 200 + i);
		check_nested_alloc(i, 3, 4 + i, KABI_HWPT_DATA_VTD_S1, 24);
		ck_assert_uint_eq(s.data_len, sizeof(d));
		memcpy(&d, s.data, sizeof(d));
		ck_assert_uint_eq(d.flags, cases[i].flags);
		ck_assert_uint_eq(d.pgtbl_addr, cases[i].pgtbl);
		ck_assert_uint_eq(d.addr_width, cases[i].width);
		ck_assert_uint_eq(d.reserved, 0);
	}
	/* The public flags are the kernel's bits. */
	ck_assert_uint_eq(IOMMUNEST_VTD_S1_SRE, KABI_VTD_S1_SRE);
	ck_assert_uint_eq(IOMMUNEST_VTD_S1_EAFE, KABI_VTD_S1_EAFE);
	ck_assert_uint_eq(IOMMUNEST_VTD_S1_WPE, KABI_VTD_S1_WPE);
}
END_TEST

START_TEST(alloc_vtd_s1_reports_kernel_error)
{
	uint32_t junk = 9, id = 42;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &junk, EINVAL);
	ck_assert_int_eq(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 48, 0,
						     &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_vtd_s1_refuses_bad_input)
{
	uint32_t id = 42;

	/* Unknown flag bits. */
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 48,
						   1u << 3, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 48,
						   IOMMUNEST_VTD_S1_SRE |
						   (1u << 31), &id), -EINVAL);
	/* The table is one 4 KiB page. */
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1800, 48, 0,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1001, 48, 0,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0xfff, 57, 0,
						   &id), -EINVAL);
	/* 4- or 5-level paging only. */
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 0, 0,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 39, 0,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 56, 0,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 64, 0,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(NULL, 1, 2, 0x1000, 48, 0,
						   &id), -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_vtd_s1(uctx, 1, 2, 0x1000, 48, 0,
						   NULL), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_smmuv3_passes_le_ste)
{
	const uint64_t ste[2] = { 0x0102030405060708ull,
				  0x1122334455667788ull };
	/* The bytes the kernel must read: each word little endian. */
	static const unsigned char le[16] = {
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	};
	struct alloc_seen s = { .out_id = 0x31 };
	struct kabi_hwpt_arm_smmuv3 d;
	uint32_t id = 0;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_and_read_data, &s, 0);
	ck_assert_int_eq(iommunest_hwpt_alloc_smmuv3(uctx, 7, 8, ste, &id), 0);
	ck_assert_uint_eq(id, 0x31);
	/* The parent is the vIOMMU. */
	check_nested_alloc(0, 7, 8, KABI_HWPT_DATA_ARM_SMMUV3, 16);
	ck_assert_uint_eq(s.data_len, sizeof(d));
	ck_assert_mem_eq(s.data, le, sizeof(le));
	memcpy(&d, s.data, sizeof(d));
	ck_assert_uint_eq(le64toh(d.ste[0]), ste[0]);
	ck_assert_uint_eq(le64toh(d.ste[1]), ste[1]);
#if __BYTE_ORDER == __LITTLE_ENDIAN
	ck_assert_uint_eq(d.ste[0], ste[0]);
	ck_assert_uint_eq(d.ste[1], ste[1]);
#endif
}
END_TEST

START_TEST(alloc_smmuv3_refuses_bad_input)
{
	const uint64_t ste[2] = { 1, 2 };
	uint32_t id = 42;

	ASSERT_REFUSED(iommunest_hwpt_alloc_smmuv3(uctx, 1, 2, NULL, &id),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_smmuv3(NULL, 1, 2, ste, &id),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_smmuv3(uctx, 1, 2, ste, NULL),
		       -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(alloc_selftest_passes_iotlb)
{
	struct alloc_seen s = { .out_id = 0x55 };
	struct kabi_hwpt_selftest d;
	uint32_t id = 0;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_and_read_data, &s, 0);
	ck_assert_int_eq(iommunest_hwpt_alloc_selftest(uctx, 9, 10, 0xbeef,
						       &id), 0);
	ck_assert_uint_eq(id, 0x55);
	check_nested_alloc(0, 9, 10, 0xdead, 4);
	ck_assert_uint_eq(s.data_len, sizeof(d));
	memcpy(&d, s.data, sizeof(d));
	ck_assert_uint_eq(d.iotlb, 0xbeef);

	ASSERT_REFUSED(iommunest_hwpt_alloc_selftest(NULL, 9, 10, 1, &id),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_hwpt_alloc_selftest(uctx, 9, 10, 1, NULL),
		       -EINVAL);
	ck_assert_uint_eq(id, 0x55);
}
END_TEST

/* ---- Nested switch, callback form --------------------------------- */

/* The replace callback: records how and when it was called. */
struct replace_rec {
	int rc;                 /* what it answers */
	unsigned int calls;
	uint32_t pt_id;
	unsigned int at_ncalls; /* fk_ncalls() when it ran */
};

static int record_replace(void *opaque, uint32_t pt_id)
{
	struct replace_rec *r = opaque;

	r->calls++;
	r->pt_id = pt_id;
	r->at_ncalls = fk_ncalls();
	return r->rc;
}

static const struct kabi_hwpt_selftest sw_data = { .iotlb = 3 };

static int switch_fn(struct replace_rec *r, uint32_t *hwpt_id)
{
	return iommunest_nested_switch_fn(uctx, 5, 6, KABI_HWPT_DATA_SELFTEST,
					  &sw_data, sizeof(sw_data),
					  record_replace, r, hwpt_id);
}

START_TEST(switch_fn_makes_before_break)
{
	struct replace_rec r = { 0 };
	struct kabi_hwpt_alloc h;
	uint32_t want = 0x20, hwpt = 0x10;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(switch_fn(&r, &hwpt), 0);
	ck_assert_uint_eq(hwpt, 0x20);

	ck_assert_uint_eq(fk_ncalls(), 2);
	check_nested_alloc(0, 5, 6, KABI_HWPT_DATA_SELFTEST, sizeof(sw_data));
	FK_GET(0, KABI_IOMMU_HWPT_ALLOC, h);
	ck_assert_uint_eq(h.data_uptr, uptr(&sw_data));
	/* Moved to the new table after it existed, before the old died. */
	ck_assert_uint_eq(r.calls, 1);
	ck_assert_uint_eq(r.pt_id, 0x20);
	ck_assert_uint_eq(r.at_ncalls, 1);
	check_destroy(1, 0x10);
}
END_TEST

START_TEST(switch_fn_first_switch_destroys_nothing)
{
	struct replace_rec r = { 0 };
	uint32_t want = 0x20, hwpt = 0;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	ck_assert_int_eq(switch_fn(&r, &hwpt), 0);
	ck_assert_uint_eq(hwpt, 0x20);
	ck_assert_uint_eq(r.calls, 1);
	ck_assert_uint_eq(r.pt_id, 0x20);
	ck_assert_uint_eq(fk_ncalls(), 1);
}
END_TEST

START_TEST(switch_fn_alloc_failure_changes_nothing)
{
	struct replace_rec r = { 0 };
	uint32_t junk = 0x20, hwpt = 0x10;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &junk, ENOMEM);
	ck_assert_int_eq(switch_fn(&r, &hwpt), -ENOMEM);
	ck_assert_uint_eq(hwpt, 0x10);
	ck_assert_uint_eq(r.calls, 0);
	ck_assert_uint_eq(fk_ncalls(), 1);
}
END_TEST

START_TEST(switch_fn_replace_failure_drops_new)
{
	struct replace_rec r = { .rc = -EINVAL };
	uint32_t want = 0x20, hwpt = 0x10;

	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(switch_fn(&r, &hwpt), -EINVAL);
	/* The device stays on the old table, which stays alive. */
	ck_assert_uint_eq(hwpt, 0x10);
	ck_assert_uint_eq(r.calls, 1);
	ck_assert_uint_eq(r.at_ncalls, 1);
	ck_assert_uint_eq(fk_ncalls(), 2);
	check_destroy(1, 0x20);
}
END_TEST

START_TEST(switch_fn_replace_failure_wins_over_cleanup)
{
	struct replace_rec r = { .rc = -EBUSY };
	uint32_t want = 0x20, hwpt = 0x10;

	/* Dropping the new table fails too: the caller still hears why
	 * the switch failed, not why the cleanup did. */
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, ENOENT);
	ck_assert_int_eq(switch_fn(&r, &hwpt), -EBUSY);
	ck_assert_uint_eq(hwpt, 0x10);
	check_destroy(1, 0x20);
}
END_TEST

START_TEST(switch_fn_keeps_busy_old)
{
	struct replace_rec r = { 0 };
	uint32_t want = 0x20, hwpt = 0x10;

	/* Another device still uses the old table: switched, old kept. */
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, EBUSY);
	ck_assert_int_eq(switch_fn(&r, &hwpt), 1);
	ck_assert_uint_eq(hwpt, 0x20);
	ck_assert_uint_eq(r.calls, 1);
	check_destroy(1, 0x10);
}
END_TEST

START_TEST(switch_fn_refuses_bad_input)
{
	const uint32_t t = KABI_HWPT_DATA_SELFTEST;
	const void *d = &sw_data;
	struct replace_rec r = { 0 };
	uint32_t hwpt = 0x10;

	ASSERT_REFUSED(iommunest_nested_switch_fn(uctx, 5, 6, t, d, 4, NULL,
						  &r, &hwpt), -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch_fn(uctx, 5, 6, t, d, 4,
						  record_replace, &r, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch_fn(NULL, 5, 6, t, d, 4,
						  record_replace, &r, &hwpt),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch_fn(uctx, 5, 6,
						  KABI_HWPT_DATA_NONE, d, 4,
						  record_replace, &r, &hwpt),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch_fn(uctx, 5, 6, t, NULL, 4,
						  record_replace, &r, &hwpt),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch_fn(uctx, 5, 6, t, d, 0,
						  record_replace, &r, &hwpt),
		       -EINVAL);
	ck_assert_uint_eq(r.calls, 0);
	ck_assert_uint_eq(hwpt, 0x10);
}
END_TEST

/* ---- Nested switch, VFIO form ------------------------------------- */

START_TEST(switch_vfio_replaces_on_device)
{
	struct kabi_vfio_attach_pt a;
	uint32_t want = 0x20, hwpt = 0x10;
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, 0);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_nested_switch(uctx, fd, 5, 6,
						 KABI_HWPT_DATA_SELFTEST,
						 &sw_data, sizeof(sw_data),
						 &hwpt), 0);
	ck_assert_uint_eq(hwpt, 0x20);
	ck_assert_uint_eq(fk_ncalls(), 3);
	check_nested_alloc(0, 5, 6, KABI_HWPT_DATA_SELFTEST, sizeof(sw_data));
	/* The replace is an attach on the device fd, to the new table. */
	FK_GET(1, KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, a);
	ck_assert_int_eq(fk_call(1)->fd, fd);
	ck_assert_uint_eq(a.argsz, sizeof(a));
	ck_assert_uint_eq(a.flags, 0);
	ck_assert_uint_eq(a.pt_id, 0x20);
	check_destroy(2, 0x10);
	close(fd);
}
END_TEST

START_TEST(switch_vfio_attach_failure_drops_new)
{
	uint32_t want = 0x20, hwpt = 0x10;
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	fk_expect(KABI_IOMMU_HWPT_ALLOC, answer_hwpt_id, &want, 0);
	fk_expect(KABI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, NULL, NULL, EINVAL);
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_nested_switch(uctx, fd, 5, 6,
						 KABI_HWPT_DATA_SELFTEST,
						 &sw_data, sizeof(sw_data),
						 &hwpt), -EINVAL);
	ck_assert_uint_eq(hwpt, 0x10);
	ck_assert_int_eq(fk_call(1)->fd, fd);
	check_destroy(2, 0x20);
	close(fd);
}
END_TEST

START_TEST(switch_vfio_refuses_bad_input)
{
	const uint32_t t = KABI_HWPT_DATA_SELFTEST;
	const void *d = &sw_data;
	uint32_t hwpt = 0x10;
	int fd = fk_open_fd();

	ck_assert_int_ge(fd, 0);
	ASSERT_REFUSED(iommunest_nested_switch(uctx, -1, 5, 6, t, d, 4,
					       &hwpt), -EBADF);
	ASSERT_REFUSED(iommunest_nested_switch(uctx, closed_fd(), 5, 6, t, d,
					       4, &hwpt), -EBADF);
	ASSERT_REFUSED(iommunest_nested_switch(NULL, fd, 5, 6, t, d, 4,
					       &hwpt), -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch(uctx, fd, 5, 6, t, d, 4, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch(uctx, fd, 5, 6,
					       KABI_HWPT_DATA_NONE, d, 4,
					       &hwpt), -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch(uctx, fd, 5, 6, t, NULL, 4,
					       &hwpt), -EINVAL);
	ASSERT_REFUSED(iommunest_nested_switch(uctx, fd, 5, 6, t, d, 0,
					       &hwpt), -EINVAL);
	ck_assert_uint_eq(hwpt, 0x10);
	close(fd);
}
END_TEST

/* ---- IOMMU_VIOMMU_ALLOC and IOMMU_VDEVICE_ALLOC ------------------- */

static void answer_viommu_id(void *arg, void *priv)
{
	((struct kabi_viommu_alloc *)arg)->out_viommu_id = *(uint32_t *)priv;
}

static void answer_vdevice_id(void *arg, void *priv)
{
	((struct kabi_vdevice_alloc *)arg)->out_vdevice_id =
		*(uint32_t *)priv;
}

START_TEST(viommu_alloc_passes_struct)
{
	struct kabi_viommu_alloc v;
	uint32_t want = 0x61, id = 0;

	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, answer_viommu_id, &want, 0);
	ck_assert_int_eq(iommunest_viommu_alloc(uctx, 5, 6,
						IOMMUNEST_VIOMMU_ARM_SMMUV3,
						&id), 0);
	ck_assert_uint_eq(id, 0x61);
	FK_GET(0, KABI_IOMMU_VIOMMU_ALLOC, v);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(v.size, 40);
	ck_assert_uint_eq(v.flags, 0);
	ck_assert_uint_eq(v.type, KABI_VIOMMU_TYPE_ARM_SMMUV3);
	ck_assert_uint_eq(v.dev_id, 5);
	ck_assert_uint_eq(v.hwpt_id, 6);
	ck_assert_uint_eq(v.out_viommu_id, 0);
	ck_assert_uint_eq(v.data_len, 0);
	ck_assert_uint_eq(v.reserved, 0);
	ck_assert_uint_eq(v.data_uptr, 0);

	/* A type the library does not know goes through too. */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, answer_viommu_id, &want, 0);
	ck_assert_int_eq(iommunest_viommu_alloc(uctx, 5, 6, 7, &id), 0);
	FK_GET(1, KABI_IOMMU_VIOMMU_ALLOC, v);
	ck_assert_uint_eq(v.type, 7);
}
END_TEST

START_TEST(viommu_alloc_errors)
{
	const uint32_t t = IOMMUNEST_VIOMMU_ARM_SMMUV3;
	uint32_t junk = 9, id = 42;

	/* A 6.12 kernel lacks the ioctl: "not supported by this kernel". */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_viommu_alloc(uctx, 5, 6, t, &id), -ENOSYS);
	/* The kernel has it, this IOMMU does not. */
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, answer_viommu_id, &junk,
		  EOPNOTSUPP);
	ck_assert_int_eq(iommunest_viommu_alloc(uctx, 5, 6, t, &id),
			 -EOPNOTSUPP);
	fk_expect(KABI_IOMMU_VIOMMU_ALLOC, answer_viommu_id, &junk, EINVAL);
	ck_assert_int_eq(iommunest_viommu_alloc(uctx, 5, 6, t, &id), -EINVAL);
	ck_assert_uint_eq(id, 42);

	ASSERT_REFUSED(iommunest_viommu_alloc(uctx, 5, 6, 0, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_viommu_alloc(uctx, 5, 6, t, NULL), -EINVAL);
	ASSERT_REFUSED(iommunest_viommu_alloc(NULL, 5, 6, t, &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

START_TEST(vdevice_alloc_passes_struct)
{
	struct kabi_vdevice_alloc v;
	uint32_t want = 0x71, id = 0;

	/* A virtual ID above 32 bits must survive whole. */
	fk_expect(KABI_IOMMU_VDEVICE_ALLOC, answer_vdevice_id, &want, 0);
	ck_assert_int_eq(iommunest_vdevice_alloc(uctx, 0x61, 5,
						 0x123456789abcull, &id), 0);
	ck_assert_uint_eq(id, 0x71);
	FK_GET(0, KABI_IOMMU_VDEVICE_ALLOC, v);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(v.size, sizeof(v));
	ck_assert_uint_eq(v.viommu_id, 0x61);
	ck_assert_uint_eq(v.dev_id, 5);
	ck_assert_uint_eq(v.out_vdevice_id, 0);
	ck_assert_uint_eq(v.virt_id, 0x123456789abcull);
}
END_TEST

START_TEST(vdevice_alloc_errors)
{
	uint32_t junk = 9, id = 42;

	fk_expect(KABI_IOMMU_VDEVICE_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_vdevice_alloc(uctx, 1, 2, 3, &id), -ENOSYS);
	fk_expect(KABI_IOMMU_VDEVICE_ALLOC, answer_vdevice_id, &junk, EEXIST);
	ck_assert_int_eq(iommunest_vdevice_alloc(uctx, 1, 2, 3, &id), -EEXIST);
	ck_assert_uint_eq(id, 42);

	ASSERT_REFUSED(iommunest_vdevice_alloc(NULL, 1, 2, 3, &id), -EINVAL);
	ASSERT_REFUSED(iommunest_vdevice_alloc(uctx, 1, 2, 3, NULL), -EINVAL);
	ck_assert_uint_eq(id, 42);
}
END_TEST

/* ---- IOMMU_HWPT_INVALIDATE ---------------------------------------- */

/* The kernel reports *priv entries handled. */
static void answer_entry_num(void *arg, void *priv)
{
	((struct kabi_hwpt_invalidate *)arg)->entry_num = *(uint32_t *)priv;
}

START_TEST(invalidate_passes_struct)
{
	const struct kabi_vtd_s1_invalidate e[3] = {
		{ .addr = 0x1000, .npages = 1 },
		{ .addr = 0x2000, .npages = 2,
		  .flags = KABI_VTD_INV_FLAGS_LEAF },
		{ .addr = 0, .npages = UINT64_MAX },
	};
	struct kabi_hwpt_invalidate c;
	uint32_t all = 3, num = 3;

	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer_entry_num, &all, 0);
	ck_assert_int_eq(iommunest_invalidate(uctx, 0x33,
					      IOMMUNEST_INV_VTD_S1, e,
					      sizeof(e[0]), &num), 0);
	ck_assert_uint_eq(num, 3);
	FK_GET(0, KABI_IOMMU_HWPT_INVALIDATE, c);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.hwpt_id, 0x33);
	ck_assert_uint_eq(c.data_uptr, uptr(e));
	ck_assert_uint_eq(c.data_type, KABI_INVALIDATE_DATA_VTD_S1);
	ck_assert_uint_eq(c.entry_len, 24);
	ck_assert_uint_eq(c.entry_num, 3);
	ck_assert_uint_eq(c.reserved, 0);
}
END_TEST

START_TEST(invalidate_reports_count_on_success_and_failure)
{
	const struct kabi_selftest_invalidate e[4] = { { 0, 1 } };
	uint32_t two = 2, one = 1, num = 4;

	/* A short success: the kernel's count, not the request. */
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer_entry_num, &two, 0);
	ck_assert_int_eq(iommunest_invalidate(uctx, 1,
					      IOMMUNEST_INV_SELFTEST, e,
					      sizeof(e[0]), &num), 0);
	ck_assert_uint_eq(num, 2);

	/* Entry 1 failed: its index comes back with the error. */
	num = 4;
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer_entry_num, &one, EINVAL);
	ck_assert_int_eq(iommunest_invalidate(uctx, 1,
					      IOMMUNEST_INV_SELFTEST, e,
					      sizeof(e[0]), &num), -EINVAL);
	ck_assert_uint_eq(num, 1);
}
END_TEST

START_TEST(invalidate_unwritten_count_is_the_request)
{
	const struct kabi_selftest_invalidate e[4] = { { 0, 1 } };
	uint32_t num = 4;

	/* A failure before the command ran (here: no handler writes the
	 * count) leaves the input; the batcher treats a count >= the
	 * entries sent on an error as "position unknown". */
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, NULL, NULL, EFAULT);
	ck_assert_int_eq(iommunest_invalidate(uctx, 1,
					      IOMMUNEST_INV_SELFTEST, e,
					      sizeof(e[0]), &num), -EFAULT);
	ck_assert_uint_eq(num, 4);
}
END_TEST

START_TEST(invalidate_zero_entries_probes)
{
	struct kabi_hwpt_invalidate c;
	uint32_t zero = 0, num = 0;

	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer_entry_num, &zero, 0);
	ck_assert_int_eq(iommunest_invalidate(uctx, 0x44,
					      IOMMUNEST_INV_ARM_SMMUV3, NULL,
					      16, &num), 0);
	ck_assert_uint_eq(num, 0);
	FK_GET(0, KABI_IOMMU_HWPT_INVALIDATE, c);
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.hwpt_id, 0x44);
	ck_assert_uint_eq(c.data_uptr, 0);
	ck_assert_uint_eq(c.data_type, KABI_INVALIDATE_DATA_ARM_SMMUV3);
	ck_assert_uint_eq(c.entry_len, 16);
	ck_assert_uint_eq(c.entry_num, 0);
	ck_assert_uint_eq(c.reserved, 0);

	/* A probe may leave entry_len 0 too; an unknown type is the
	 * kernel's answer, passed through. */
	fk_expect(KABI_IOMMU_HWPT_INVALIDATE, answer_entry_num, &zero,
		  EOPNOTSUPP);
	ck_assert_int_eq(iommunest_invalidate(uctx, 0x44, 0x7777, NULL, 0,
					      &num), -EOPNOTSUPP);
	ck_assert_uint_eq(num, 0);
	FK_GET(1, KABI_IOMMU_HWPT_INVALIDATE, c);
	ck_assert_uint_eq(c.data_type, 0x7777);
	ck_assert_uint_eq(c.entry_len, 0);
	ck_assert_uint_eq(c.entry_num, 0);
}
END_TEST

START_TEST(invalidate_refuses_bad_input)
{
	const struct kabi_vtd_s1_invalidate e[2] = { { 0, 1, 0, 0 } };
	const uint32_t t = IOMMUNEST_INV_VTD_S1;
	uint32_t num = 2;

	ASSERT_REFUSED(iommunest_invalidate(uctx, 1, t, e, 24, NULL),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_invalidate(NULL, 1, t, e, 24, &num),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_invalidate(uctx, 1, t, NULL, 24, &num),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_invalidate(uctx, 1, t, e, 0, &num),
		       -EINVAL);
	/* A refusal says nothing about entries: the count is untouched. */
	ck_assert_uint_eq(num, 2);
}
END_TEST

Suite *suite_nested(void)
{
	Suite *s = suite_create("nested");
	TCase *alloc = tcase_create("alloc");
	TCase *sw = tcase_create("switch");
	TCase *viommu = tcase_create("viommu");
	TCase *inv = tcase_create("invalidate");

	tcase_add_checked_fixture(alloc, unit_setup, unit_teardown);
	tcase_add_test(alloc, alloc_nested_passes_struct);
	tcase_add_test(alloc, alloc_nested_reports_kernel_error);
	tcase_add_test(alloc, alloc_nested_refuses_bad_input);
	tcase_add_test(alloc, alloc_vtd_s1_passes_data);
	tcase_add_test(alloc, alloc_vtd_s1_reports_kernel_error);
	tcase_add_test(alloc, alloc_vtd_s1_refuses_bad_input);
	tcase_add_test(alloc, alloc_smmuv3_passes_le_ste);
	tcase_add_test(alloc, alloc_smmuv3_refuses_bad_input);
	tcase_add_test(alloc, alloc_selftest_passes_iotlb);
	suite_add_tcase(s, alloc);

	tcase_add_checked_fixture(sw, unit_setup, unit_teardown);
	tcase_add_test(sw, switch_fn_makes_before_break);
	tcase_add_test(sw, switch_fn_first_switch_destroys_nothing);
	tcase_add_test(sw, switch_fn_alloc_failure_changes_nothing);
	tcase_add_test(sw, switch_fn_replace_failure_drops_new);
	tcase_add_test(sw, switch_fn_replace_failure_wins_over_cleanup);
	tcase_add_test(sw, switch_fn_keeps_busy_old);
	tcase_add_test(sw, switch_fn_refuses_bad_input);
	tcase_add_test(sw, switch_vfio_replaces_on_device);
	tcase_add_test(sw, switch_vfio_attach_failure_drops_new);
	tcase_add_test(sw, switch_vfio_refuses_bad_input);
	suite_add_tcase(s, sw);

	tcase_add_checked_fixture(viommu, unit_setup, unit_teardown);
	tcase_add_test(viommu, viommu_alloc_passes_struct);
	tcase_add_test(viommu, viommu_alloc_errors);
	tcase_add_test(viommu, vdevice_alloc_passes_struct);
	tcase_add_test(viommu, vdevice_alloc_errors);
	suite_add_tcase(s, viommu);

	tcase_add_checked_fixture(inv, unit_setup, unit_teardown);
	tcase_add_test(inv, invalidate_passes_struct);
	tcase_add_test(inv, invalidate_reports_count_on_success_and_failure);
	tcase_add_test(inv, invalidate_unwritten_count_is_the_request);
	tcase_add_test(inv, invalidate_zero_entries_probes);
	tcase_add_test(inv, invalidate_refuses_bad_input);
	suite_add_tcase(s, inv);
	return s;
}
