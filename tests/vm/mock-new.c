/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Real-kernel tier, mock profile: every feature of the 0.2 API against the
 * kernel's mock IOMMU.  On a kernel that has a feature the check proves it
 * with the mock's own check ops; on an older kernel (6.12) the same check
 * requires the library's clean refusal (-ENOSYS, or -EOPNOTSUPP for a flag
 * the kernel does not know), never a skip.
 */
#define _GNU_SOURCE /* memfd_create */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmtest.h"
#include "libiommunest/batch.h"

#define NA IOMMUNEST_INV_NOT_ATTEMPTED
#define PAGE 4096ull
#define IOVA MOCK_APERTURE_START
#define SELFTEST_BIT (1u << IOMMUNEST_FEAT_SELFTEST_BIT)
#define VIRT_ID 0x99u

static struct iommunest_ctx *ctx;
static uint32_t ioas, parent;
static struct mock_dev dev;
#define has kernel_has

/* rc must be 0 on a kernel that has the feature, else the refusal. */
#define OK_NEW(rc, since_ok, refusal, ...) do {                           \
	int r_ = (rc);                                                    \
	OK_EQ(r_, (since_ok) ? 0 : (refusal), __VA_ARGS__);               \
} while (0)


static int poll_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* ---- feature discovery --------------------------------------------- */

static void test_features(void)
{
	struct iommunest_features f;
	uint64_t since_613 = IOMMUNEST_FEAT_MAP_FILE | IOMMUNEST_FEAT_VIOMMU |
			     IOMMUNEST_FEAT_VDEVICE;

	memset(&f, 0, sizeof(f));
	OK_EQ(iommunest_features(ctx, dev.idev_id, IOMMUNEST_FEATURES_PROBE,
				 &f), 0, "features: probe the running kernel");
	printf("# ioctls 0x%llx viommu 0x%x inv 0x%x veventq 0x%x hwq 0x%x\n",
	       (unsigned long long)f.ioctls, f.viommu_types, f.inv_types,
	       f.veventq_types, f.hw_queue_types);
	OK((f.ioctls & IOMMUNEST_FEAT_HWPT_INVALIDATE) &&
	   (f.ioctls & IOMMUNEST_FEAT_FAULT_QUEUE) &&
	   (f.ioctls & IOMMUNEST_FEAT_MOCK),
	   "features: invalidate, fault queue and the mock are found");
	OK(has(6, 13) ? (f.ioctls & since_613) == since_613
		      : !(f.ioctls & since_613),
	   "features: MAP_FILE, vIOMMU, vDEVICE %s",
	   has(6, 13) ? "found" : "absent, as on 6.12");
	OK(!!(f.ioctls & IOMMUNEST_FEAT_VEVENTQ) == has(6, 15) &&
	   !!(f.ioctls & IOMMUNEST_FEAT_HW_QUEUE) == has(6, 17) &&
	   !!(f.ioctls & IOMMUNEST_FEAT_CHANGE_PROCESS) == has(6, 14),
	   "features: CHANGE_PROCESS, vEVENTQ, HW queue match the version");
	OK_EQ(f.hw_info_type, MOCK_HW_INFO_TYPE, "features: mock hw info type");
	OK(has(6, 13) ? (f.viommu_types & SELFTEST_BIT) != 0
		      : f.viommu_types == 0,
	   "features: selftest vIOMMU type %s",
	   has(6, 13) ? "confirmed by allocation" : "absent");
	OK(has(6, 15) ? (f.veventq_types & SELFTEST_BIT) != 0
		      : f.veventq_types == 0,
	   "features: selftest vEVENTQ type %s",
	   has(6, 15) ? "confirmed by allocation" : "absent");
	OK(!has(6, 13) || (f.flags & IOMMUNEST_FEATURES_PROBED),
	   "features: the answer says it probed");
}

/* ---- fault queue (6.11: both kernels) ------------------------------ */

static void test_fault_queue(void)
{
	struct iommunest_fault faults[4];
	struct mock_cmd trig = { .op = MOCK_OP_TRIGGER_IOPF };
	struct iommunest_hwpt_args a = {
		.dev_id = dev.idev_id,
		.pt_id = parent,
		.flags = IOMMUNEST_HWPT_FAULT,
		.data_type = MOCK_HWPT_DATA_SELFTEST,
	};
	uint32_t data = MOCK_IOTLB_DEFAULT, fault_id = 0, hwpt = 0;
	int fd = -1, n;

	a.data = &data;
	a.data_len = sizeof(data);
	OK_EQ(iommunest_fault_queue_alloc(ctx, &fault_id, &fd), 0,
	      "fault queue allocated");
	a.fault_id = fault_id;
	OK_EQ(iommunest_hwpt_alloc(ctx, &a, &hwpt), 0,
	      "nested HWPT delivering faults to the queue");
	OK_EQ(mock_replace(ctx, &dev, hwpt), 0, "device moved onto it");
	OK_EQ(iommunest_fault_read(fd, faults, 4), 0,
	      "fault read: nothing pending");
	OK(!poll_in(fd, 0), "poll: no POLLIN while empty");
	trig.trigger_iopf.dev_id = dev.idev_id;
	trig.trigger_iopf.pasid = 0;
	trig.trigger_iopf.grpid = 7;
	trig.trigger_iopf.perm = IOMMUNEST_FAULT_PERM_READ |
				 IOMMUNEST_FAULT_PERM_WRITE;
	trig.trigger_iopf.addr = IOVA + 0x3000;
	OK_EQ(mock_call(ctx, &trig), 0, "mock device raises an IO page fault");
	OK(poll_in(fd, 1000), "poll: POLLIN once a fault is queued");
	n = iommunest_fault_read(fd, faults, 4);
	OK_EQ(n, 1, "fault read: one fault");
	if (n == 1) {
		OK(faults[0].dev_id == dev.idev_id &&
		   faults[0].addr == IOVA + 0x3000 && faults[0].grpid == 7 &&
		   faults[0].perm == (IOMMUNEST_FAULT_PERM_READ |
				      IOMMUNEST_FAULT_PERM_WRITE) &&
		   (faults[0].flags & IOMMUNEST_FAULT_LAST_PAGE),
		   "fault read: device, address, group, permissions, last");
		OK_EQ(iommunest_fault_respond(fd, faults[0].cookie,
					      IOMMUNEST_FAULT_RESP_SUCCESS), 0,
		      "fault answered with the group's cookie");
		OK_EQ(iommunest_fault_respond(fd, faults[0].cookie,
					      IOMMUNEST_FAULT_RESP_SUCCESS),
		      -ENOENT, "a second answer: no such group (-ENOENT)");
	}
	OK_EQ(iommunest_fault_respond(fd, 1, 5), -EINVAL,
	      "unknown response code refused");
	mock_replace(ctx, &dev, parent);
	OK_EQ(iommunest_destroy(ctx, hwpt), 0, "fault HWPT destroyed");
	OK_EQ(iommunest_destroy(ctx, fault_id), -EBUSY,
	      "the queue stays while its fd is open");
	close(fd);
	OK_EQ(iommunest_destroy(ctx, fault_id), 0,
	      "fault queue destroyed once its fd is closed");
}

/* ---- vIOMMU, vDEVICE, nested HWPT on it, vIOMMU batches, vEVENTQ ---- */

struct viommu_env {
	uint32_t viommu, vdev, nested;
};

static int check_dev_cache(uint32_t slot, uint32_t value)
{
	struct mock_cmd c = { .op = MOCK_OP_DEV_CHECK_CACHE,
			      .id = dev.idev_id };

	c.check_dev_cache.id = slot;
	c.check_dev_cache.cache = value;
	return mock_call(ctx, &c);
}

/* The device caches hold 0 in the slots of mask, the default elsewhere. */
static int dev_cache_is(unsigned int mask)
{
	unsigned int i;

	for (i = 0; i < MOCK_DEV_CACHE_NUM; i++)
		if (check_dev_cache(i, (mask >> i) & 1 ? 0
						       : MOCK_DEV_CACHE_DEFAULT))
			return 0;
	return 1;
}

static void test_viommu_data_and_mmap(void)
{
	struct kabi_viommu_selftest d = { .in_data = 0xc0ffee };
	uint32_t id = 0;
	void *page = NULL;
	int rc;

	rc = iommunest_viommu_alloc_data(ctx, dev.idev_id, parent,
					 IOMMUNEST_VIOMMU_SELFTEST, &d,
					 sizeof(d), &id);
	OK_NEW(rc, has(6, 13), -ENOSYS, "vIOMMU with driver data");
	if (rc) {
		OK_EQ(iommunest_mmap(ctx, 0, PAGE, PROT_READ, &page), -ENOSYS,
		      "mmap of the iommufd: refused by this kernel");
		return;
	}
	OK(d.out_data == d.in_data, "vIOMMU driver data came back (0x%x)",
	   d.out_data);
	rc = iommunest_mmap(ctx, d.out_mmap_offset, d.out_mmap_length,
			    PROT_READ, &page);
	OK_NEW(rc, has(6, 17), -ENOSYS, "mmap of the vIOMMU's page");
	if (!rc) {
		OK(*(volatile uint32_t *)page == d.in_data,
		   "the mapped page holds the driver data");
		munmap(page, d.out_mmap_length);
	}
	OK_EQ(iommunest_destroy(ctx, id), 0, "vIOMMU with data destroyed");
}

static int viommu_setup(struct viommu_env *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	rc = iommunest_viommu_alloc(ctx, dev.idev_id, parent,
				    IOMMUNEST_VIOMMU_SELFTEST, &v->viommu);
	OK_NEW(rc, has(6, 13), -ENOSYS, "vIOMMU of the selftest type");
	if (rc) {
		OK_EQ(iommunest_vdevice_alloc(ctx, 0x7777, dev.idev_id,
					      VIRT_ID, &v->vdev), -ENOSYS,
		      "vDEVICE refused by this kernel");
		return rc;
	}
	OK_EQ(iommunest_vdevice_alloc(ctx, v->viommu, dev.idev_id, VIRT_ID,
				      &v->vdev), 0, "vDEVICE with virtual ID");
	OK_EQ(iommunest_hwpt_alloc_selftest(ctx, dev.idev_id, v->viommu,
					    MOCK_IOTLB_DEFAULT, &v->nested),
	      0, "nested HWPT on the vIOMMU");
	OK_EQ(mock_replace(ctx, &dev, v->nested), 0,
	      "device attached to the nested HWPT on the vIOMMU");
	return 0;
}

static void viommu_teardown(struct viommu_env *v)
{
	mock_replace(ctx, &dev, parent);
	iommunest_destroy(ctx, v->nested);
	iommunest_destroy(ctx, v->vdev);
	OK_EQ(iommunest_destroy(ctx, v->viommu), 0, "vIOMMU destroyed");
}

static struct iommunest_batch *viommu_batch(uint32_t viommu, uint32_t flags)
{
	struct iommunest_batch_config cfg = {
		.target_id = viommu,
		.data_type = IOMMUNEST_INV_SELFTEST,
		.entry_len = IOMMUNEST_INV_SELFTEST_VIOMMU_LEN,
		.capacity = 8,
		.flags = flags,
	};
	struct iommunest_batch *b = NULL;

	return iommunest_batch_new(ctx, &cfg, &b) ? NULL : b;
}

/* Entries: slot 0, an out-of-range slot, slot 2, on the device's vSID. */
static void test_viommu_batch(struct viommu_env *v, uint32_t flags,
			      unsigned int *cleared)
{
	struct iommunest_batch *b = viommu_batch(v->viommu, flags);
	int stop = !(flags & IOMMUNEST_BATCH_CONTINUE);
	const char *pol = stop ? "stop" : "continue";

	OK(b != NULL, "vIOMMU batch (%s policy)", pol);
	if (!b)
		return;
	OK_EQ(iommunest_batch_probe(b), 0, "%s: the vIOMMU takes the type",
	      pol);
	iommunest_batch_add_selftest_viommu(b, VIRT_ID, stop ? 0 : 1, 0);
	iommunest_batch_add_selftest_viommu(b, VIRT_ID, 4, 0);
	iommunest_batch_add_selftest_viommu(b, VIRT_ID, stop ? 2 : 3, 0);
	OK_EQ(iommunest_batch_flush(b), -EINVAL,
	      "%s: flush reports the bad entry's EINVAL", pol);
	OK_EQ(iommunest_batch_result(b, 0), 0, "%s: entry 0 done", pol);
	OK_EQ(iommunest_batch_result(b, 1), -EINVAL, "%s: entry 1 failed",
	      pol);
	OK_EQ(iommunest_batch_result(b, 2), stop ? NA : 0,
	      "%s: entry 2 %s", pol, stop ? "not attempted" : "done");
	*cleared |= stop ? 0x1u : 0x2u | 0x8u;
	OK(dev_cache_is(*cleared),
	   "%s: check-cache shows exactly the done entries (mask 0x%x)", pol,
	   *cleared);
	iommunest_batch_free(b);
}

static void test_viommu_batch_unknown_vdev(struct viommu_env *v,
					   unsigned int cleared)
{
	struct iommunest_batch *b = viommu_batch(v->viommu, 0);

	if (!b)
		return;
	iommunest_batch_add_selftest_viommu(b, VIRT_ID + 1, 2, 0);
	OK_EQ(iommunest_batch_flush(b), -EINVAL,
	      "a vSID without a vDEVICE: EINVAL");
	OK_EQ(iommunest_batch_result(b, 0), -EINVAL,
	      "... reported on that entry");
	OK(dev_cache_is(cleared), "... and no cache slot changed");
	iommunest_batch_free(b);
}

static void test_veventq(struct viommu_env *v)
{
	struct mock_cmd trig = { .op = MOCK_OP_TRIGGER_VEVENT };
	struct iommunest_vevent ev[8];
	struct iommunest_veventq *q = NULL;
	uint32_t seen = 0, lost = 0, i, virt;
	int n, rc;

	rc = iommunest_veventq_alloc(ctx, v->viommu,
				     IOMMUNEST_VEVENTQ_SELFTEST, 2, 0, &q);
	OK_NEW(rc, has(6, 15), -ENOSYS, "vEVENTQ of depth 2");
	if (rc)
		return;
	trig.trigger_vevent.dev_id = dev.idev_id;
	OK_EQ(iommunest_veventq_read(q, ev, 8), 0, "vEVENTQ: nothing pending");
	OK_EQ(mock_call(ctx, &trig), 0, "mock device raises one vEVENT");
	OK(poll_in(iommunest_veventq_fd(q), 1000), "poll: POLLIN");
	n = iommunest_veventq_read(q, ev, 8);
	OK_EQ(n, 1, "vEVENTQ: one event read");
	if (n == 1) {
		memcpy(&virt, ev[0].data, sizeof(virt));
		OK(ev[0].data_len == 4 && virt == VIRT_ID && ev[0].lost == 0 &&
		   !(ev[0].flags & IOMMUNEST_VEVENT_LOST_ONLY),
		   "the event carries the vDEVICE's virtual ID, nothing lost");
	}
	/* Overflow: 5 events into a queue of 2, then one more after it
	 * drained: the reader must count each lost event exactly once. */
	for (i = 0; i < 5; i++)
		mock_call(ctx, &trig);
	for (n = 1; n > 0;) {
		n = iommunest_veventq_read(q, ev, 1);
		if (n == 1) {
			lost += ev[0].lost;
			seen += !(ev[0].flags & IOMMUNEST_VEVENT_LOST_ONLY);
		}
	}
	OK_EQ(mock_call(ctx, &trig), 0, "one more vEVENT after the overflow");
	while ((n = iommunest_veventq_read(q, ev, 8)) > 0)
		for (i = 0; i < (uint32_t)n; i++) {
			lost += ev[i].lost;
			seen += !(ev[i].flags & IOMMUNEST_VEVENT_LOST_ONLY);
		}
	printf("# overflow: %u events read, %u reported lost\n", seen, lost);
	OK_EQ(seen + lost, 6, "every event read or reported lost, once");
	OK(lost >= 3, "the overflow lost at least 3 of 6 (depth 2)");
	OK_EQ(iommunest_veventq_free(q), 0, "vEVENTQ destroyed and closed");
}

static void test_hw_queue(struct viommu_env *v, void *buf)
{
	uint32_t q0 = 0, q1 = 0;
	uint64_t iova = IOVA + 0x200000;
	int rc;

	if (!v) {
		OK_EQ(iommunest_hw_queue_alloc(ctx, 0x7777,
					       IOMMUNEST_HW_QUEUE_SELFTEST, 0,
					       iova, PAGE, &q0), -ENOSYS,
		      "HW queue refused by this kernel");
		return;
	}
	OK_EQ(iommunest_ioas_map(ctx, ioas, buf, PAGE, iova,
				 IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE), 0,
	      "queue memory mapped in the nesting parent");
	rc = iommunest_hw_queue_alloc(ctx, v->viommu,
				      IOMMUNEST_HW_QUEUE_SELFTEST, 0, iova,
				      PAGE, &q0);
	OK_NEW(rc, has(6, 17), -ENOSYS, "HW queue 0 of the selftest type");
	if (!rc) {
		OK_EQ(iommunest_ioas_unmap(ctx, ioas, iova, PAGE, NULL),
		      -EBUSY, "the queue's memory cannot be unmapped");
		OK_EQ(iommunest_hw_queue_alloc(ctx, v->viommu,
					       IOMMUNEST_HW_QUEUE_SELFTEST, 1,
					       iova + PAGE / 2, PAGE / 2, &q1),
		      0, "HW queue 1, half a page");
		OK_EQ(iommunest_destroy(ctx, q0), -EBUSY,
		      "queue 0 is held by queue 1");
		OK_EQ(iommunest_destroy(ctx, q1), 0, "queue 1 destroyed");
		OK_EQ(iommunest_destroy(ctx, q0), 0, "queue 0 destroyed");
	}
	OK_EQ(iommunest_ioas_unmap(ctx, ioas, iova, PAGE, NULL), 0,
	      "queue memory unmapped");
}

static void test_viommu(void *buf)
{
	struct viommu_env v;
	unsigned int cleared = 0;

	test_viommu_data_and_mmap();
	if (viommu_setup(&v)) {
		OK_EQ(iommunest_veventq_alloc(ctx, 0x7777,
					      IOMMUNEST_VEVENTQ_SELFTEST, 2, 0,
					      &(struct iommunest_veventq *){ 0 }),
		      -ENOSYS, "vEVENTQ refused by this kernel");
		test_hw_queue(NULL, buf);
		return;
	}
	/* The tests below track the slots they clear: caches never refill. */
	OK(dev_cache_is(0), "device caches start full");
	test_viommu_batch(&v, 0, &cleared);
	test_viommu_batch(&v, IOMMUNEST_BATCH_CONTINUE, &cleared);
	test_viommu_batch_unknown_vdev(&v, cleared);
	test_veventq(&v);
	test_hw_queue(&v, buf);
	viommu_teardown(&v);
}

/* ---- PASID (6.15) ----------------------------------------------------- */

static int pasid_op(uint32_t op, uint32_t stdev, uint32_t pasid, uint32_t pt)
{
	struct mock_cmd c = { .op = op, .id = stdev };

	c.pasid.pasid = pasid;
	c.pasid.pt_id = pt;
	return mock_call(ctx, &c);
}

static void test_pasid(void)
{
	struct mock_cmd c = { .op = MOCK_OP_MOCK_DOMAIN_FLAGS, .id = ioas };
	struct iommunest_hwpt_args a = { .pt_id = ioas,
					 .flags = IOMMUNEST_HWPT_PASID };
	struct iommunest_hw_info info;
	uint32_t h1 = 0, h2 = 0, stdev, idev;
	int rc;

	a.dev_id = dev.idev_id;
	c.mock_domain_flags.dev_flags = MOCK_FLAGS_DEVICE_PASID;
	rc = mock_call(ctx, &c);
	if (!has(6, 15)) {
		OK_EQ(iommunest_hwpt_alloc(ctx, &a, &h1), -EOPNOTSUPP,
		      "PASID-capable HWPT: EOPNOTSUPP from this kernel");
		return;
	}
	OK_EQ(rc, 0, "a PASID-capable mock device");
	stdev = c.mock_domain_flags.out_stdev_id;
	idev = c.mock_domain_flags.out_idev_id;
	OK_EQ(iommunest_hw_info(ctx, idev, &info), 0, "its hardware info");
	OK(info.pasid_bits == MOCK_PASID_WIDTH &&
	   (info.caps & IOMMUNEST_CAP_PASID),
	   "PASID width %u bits, PASID capability", info.pasid_bits);
	a.dev_id = idev;
	OK_EQ(iommunest_hwpt_alloc(ctx, &a, &h1), 0, "HWPT with ALLOC_PASID");
	OK_EQ(iommunest_hwpt_alloc(ctx, &a, &h2), 0, "a second one");
	/* The device itself sits on its IOAS's automatic page table, which
	 * is not PASID-compatible: the kernel blocks PASID attachment. */
	OK_EQ(pasid_op(MOCK_OP_PASID_ATTACH, stdev, 100, h1), -EINVAL,
	      "PASID attach refused while the RID's domain is not PASID-safe");
	OK_EQ(mock_replace(ctx, &(struct mock_dev){ .stdev_id = stdev }, h2),
	      0, "the RID moved onto a PASID-compatible HWPT");
	OK_EQ(pasid_op(MOCK_OP_PASID_ATTACH, stdev, 100, h1), 0,
	      "PASID 100 attached to the first");
	OK_EQ(pasid_op(MOCK_OP_PASID_CHECK_HWPT, stdev, 100, h1), 0,
	      "check: PASID 100 uses the first HWPT");
	OK_EQ(pasid_op(MOCK_OP_PASID_REPLACE, stdev, 100, h2), 0,
	      "PASID 100 replaced onto the second");
	OK_EQ(pasid_op(MOCK_OP_PASID_CHECK_HWPT, stdev, 100, h2), 0,
	      "check: PASID 100 uses the second HWPT");
	OK_EQ(pasid_op(MOCK_OP_PASID_DETACH, stdev, 100, 0), 0,
	      "PASID 100 detached");
	OK_EQ(pasid_op(MOCK_OP_PASID_CHECK_HWPT, stdev, 100, 0), 0,
	      "check: PASID 100 is blocked");
	OK_EQ(iommunest_destroy(ctx, stdev), 0, "the PASID device removed");
	iommunest_destroy(ctx, h1);
	iommunest_destroy(ctx, h2);
}

/* ---- hardware info with an input type (6.17) ------------------------ */

static void test_hw_info_type(void)
{
	struct iommunest_hw_info info;

	OK_EQ(iommunest_hw_info_type(ctx, dev.idev_id, 0, &info), 0,
	      "hw info, default type");
	OK_EQ(info.type, MOCK_HW_INFO_TYPE, "... the mock's type");
	OK_NEW(iommunest_hw_info_type(ctx, dev.idev_id, MOCK_HW_INFO_TYPE,
				      &info), has(6, 17), -ENOSYS,
	       "hw info asking for the mock's type");
}

/* ---- live update: MAP_FILE, CHANGE_PROCESS --------------------------- */

static int send_fds(int sock, int fd1, int fd2)
{
	char c = 'x', cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec io = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int fds[2] = { fd1, fd2 };

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int recv_fds(int sock, int fds[2])
{
	char c, cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec io = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (recvmsg(sock, &m, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(fds, CMSG_DATA(cm), 2 * sizeof(int));
	return 0;
}

/*
 * The new process: takes the iommufd and the memfd over the socket,
 * takes over the pinned-page accounting, and proves the mapping is still
 * the memfd's pages.  Exit status: a bit per failed step.
 */
static int successor(int sock, uint32_t hwpt, size_t len)
{
	struct iommunest_ctx *c2 = NULL;
	int fds[2], bad = 0;
	void *view;

	if (recv_fds(sock, fds) || iommunest_open_fd(fds[0], &c2))
		return 1;
	if (iommunest_ioas_change_process(c2))
		bad |= 2;
	view = mmap(NULL, len, PROT_READ, MAP_SHARED, fds[1], 0);
	if (view == MAP_FAILED || mock_check_map(c2, hwpt, IOVA, len, view))
		bad |= 4;
	iommunest_close(c2);
	return bad;
}

static void test_live_update(void)
{
	struct iommunest_ctx *c2 = NULL;
	const size_t len = 16 * PAGE;
	uint32_t ioas2 = 0, anon_ioas = 0;
	struct mock_dev d2;
	int mfd, sock[2], status = -1, rc;
	void *view, *anon;
	pid_t pid;

	mfd = memfd_create("inest-guest-ram", 0);
	OK(mfd >= 0 && ftruncate(mfd, (off_t)len) == 0, "memfd of 64 KiB");
	view = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	memset(view, 0x5a, len);
	/* A context of its own: CHANGE_PROCESS needs every mapping of the
	 * context to be a file mapping. */
	OK_EQ(iommunest_open(&c2), 0, "a second iommufd for live update");
	iommunest_ioas_alloc(c2, &ioas2);
	OK_EQ(mock_domain(c2, ioas2, &d2), 0, "a mock device on its IOAS");
	rc = iommunest_ioas_map_file(c2, ioas2, mfd, 0, len, IOVA,
				     IOMMUNEST_MAP_READ | IOMMUNEST_MAP_WRITE);
	OK_NEW(rc, has(6, 13), -ENOSYS, "MAP_FILE of the memfd");
	OK_EQ(iommunest_ioas_map_file(c2, ioas2, mfd, len - PAGE, 2 * PAGE,
				      IOVA + len, IOMMUNEST_MAP_READ), -EINVAL,
	      "MAP_FILE past the memfd's end: EINVAL before the kernel");
	if (rc) {
		OK_EQ(iommunest_ioas_change_process(c2), -ENOSYS,
		      "CHANGE_PROCESS refused by this kernel");
		goto out;
	}
	OK_EQ(mock_check_map(c2, d2.hwpt_id, IOVA, len, view), 0,
	      "check-map: the IOVAs hold the memfd's pages");
	OK_EQ(mock_check_map(c2, d2.hwpt_id, IOVA + len, PAGE,
			     (char *)view), -EINVAL,
	      "check-map: nothing was mapped past it");
	/* An anonymous mapping in the same context must make the handover
	 * refuse, and change nothing. */
	anon = vm_buffer(PAGE);
	iommunest_ioas_alloc(c2, &anon_ioas);
	iommunest_ioas_map(c2, anon_ioas, anon, PAGE, IOVA,
			   IOMMUNEST_MAP_READ);
	OK_EQ(iommunest_ioas_change_process(c2), -EINVAL,
	      "CHANGE_PROCESS with an anonymous mapping: EINVAL");
	iommunest_ioas_unmap_all(c2, anon_ioas, NULL);
	iommunest_destroy(c2, anon_ioas);
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sock) == 0, "UNIX socket pair");
	pid = fork();
	if (pid == 0) {
		close(sock[0]);
		_exit(successor(sock[1], d2.hwpt_id, len));
	}
	close(sock[1]);
	OK_EQ(send_fds(sock[0], iommunest_fd(c2), mfd), 0,
	      "iommufd and memfd handed to the new process");
	/* The old process lets go of everything before the new one checks. */
	iommunest_close(c2);
	c2 = NULL;
	munmap(view, len);
	close(mfd);
	mfd = -1;
	close(sock[0]);
	waitpid(pid, &status, 0);
	OK(WIFEXITED(status), "the new process finished");
	OK_EQ(WEXITSTATUS(status) & 2, 0,
	      "the new process took over the pinned pages");
	OK_EQ(WEXITSTATUS(status) & 4, 0,
	      "check-map in the new process: the mapping is intact");
	OK_EQ(WEXITSTATUS(status) & 1, 0, "it received the iommufd");
out:
	if (c2)
		iommunest_close(c2);
	if (mfd >= 0)
		close(mfd);
}

int main(void)
{
	void *buf;

	buf = vm_buffer(4 * PAGE);
	if (!buf || iommunest_open(&ctx) || iommunest_ioas_alloc(ctx, &ioas) ||
	    mock_domain(ctx, ioas, &dev) ||
	    iommunest_hwpt_alloc_paging(ctx, dev.idev_id, ioas,
					IOMMUNEST_HWPT_NEST_PARENT, &parent)) {
		OK(0, "set-up: context, IOAS, mock device, nesting parent");
		return tap_done();
	}
	OK_EQ(mock_replace(ctx, &dev, parent), 0,
	      "set-up: mock device on a nesting parent");
	test_features();
	test_fault_queue();
	test_viommu(buf);
	test_pasid();
	test_hw_info_type();
	test_live_update();
	iommunest_close(ctx);
	return tap_done();
}
