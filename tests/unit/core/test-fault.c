/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Fault queues: the allocation ioctl on the fake kernel, and reads and
 * answers on real descriptors standing in for the fault fd: a
 * SOCK_SEQPACKET pair carries prepared records in the kernel's layout
 * (one read returns one message, cut at the count asked for, which
 * shows the count), and real kernel objects give the errors a fault fd
 * can give (inotify's EINVAL for a read too small, timerfd's EINVAL for
 * a write).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "suites.h"

#define REC sizeof(struct kabi_hwpt_pgfault)
#define ERRNO_MARK 4242 /* errno before a call: it must survive it */

static int sp[2]; /* sp[0]: the "fault fd" the library uses; sp[1]: kernel */

static void fault_setup(void)
{
	unit_setup();
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK,
				    0, sp), 0);
}

static void fault_teardown(void)
{
	close(sp[0]);
	close(sp[1]);
	unit_teardown();
}

/* Record i of a test stream: every field distinct and recognisable. */
static struct kabi_hwpt_pgfault krec(unsigned int i, uint32_t flags,
				     uint32_t cookie)
{
	struct kabi_hwpt_pgfault k;

	memset(&k, 0, sizeof(k));
	k.flags = flags;
	k.dev_id = 0x100 + i;
	k.pasid = 0x200 + i;
	k.grpid = 0x300 + i;
	k.perm = IOMMUNEST_FAULT_PERM_READ | (i & 1 ? IOMMUNEST_FAULT_PERM_WRITE
						  : IOMMUNEST_FAULT_PERM_EXEC);
	k.reserved = 0xdead0000u + i; /* the library must not pass it on */
	k.addr = 0xfedc000000000000ull + ((uint64_t)i << 12);
	k.length = 0x1000u * i;
	k.cookie = cookie;
	return k;
}

static void check_fault(const struct iommunest_fault *f,
			const struct kabi_hwpt_pgfault *k)
{
	ck_assert_uint_eq(f->flags, k->flags);
	ck_assert_uint_eq(f->dev_id, k->dev_id);
	ck_assert_uint_eq(f->pasid, k->pasid);
	ck_assert_uint_eq(f->grpid, k->grpid);
	ck_assert_uint_eq(f->perm, k->perm);
	ck_assert_uint_eq(f->reserved, 0);
	ck_assert_uint_eq(f->addr, k->addr);
	ck_assert_uint_eq(f->length, k->length);
	ck_assert_uint_eq(f->cookie, k->cookie);
}

/* The "kernel" side sends n records as one message. */
static void send_records(const struct kabi_hwpt_pgfault *k, size_t n)
{
	ck_assert_int_eq(write(sp[1], k, n * REC), (ssize_t)(n * REC));
}

/* ---- IOMMU_FAULT_QUEUE_ALLOC ------------------------------------- */

static void answer_fault_alloc(void *arg, void *priv)
{
	struct kabi_fault_alloc *cmd = arg;

	(void)priv;
	cmd->out_fault_id = 0x21;
	cmd->out_fault_fd = 77;
}

START_TEST(queue_alloc_passes_struct)
{
	struct kabi_fault_alloc c;
	uint32_t id = 0;
	int fd = -1;

	fk_expect(KABI_IOMMU_FAULT_QUEUE_ALLOC, answer_fault_alloc, NULL, 0);
	ck_assert_int_eq(iommunest_fault_queue_alloc(uctx, &id, &fd), 0);
	ck_assert_uint_eq(id, 0x21);
	ck_assert_int_eq(fd, 77);
	FK_GET(0, KABI_IOMMU_FAULT_QUEUE_ALLOC, c);
	ck_assert_int_eq(fk_call(0)->fd, iommunest_fd(uctx));
	ck_assert_uint_eq(c.size, sizeof(c));
	ck_assert_uint_eq(c.flags, 0);
	ck_assert_uint_eq(c.out_fault_id, 0);
	ck_assert_uint_eq(c.out_fault_fd, 0);
}
END_TEST

START_TEST(queue_alloc_errors)
{
	uint32_t id = 42;
	int fd = 43;

	ASSERT_REFUSED(iommunest_fault_queue_alloc(NULL, &id, &fd), -EINVAL);
	ASSERT_REFUSED(iommunest_fault_queue_alloc(uctx, NULL, &fd), -EINVAL);
	ASSERT_REFUSED(iommunest_fault_queue_alloc(uctx, &id, NULL), -EINVAL);
	fk_expect(KABI_IOMMU_FAULT_QUEUE_ALLOC, answer_fault_alloc, NULL,
		  ENOMEM);
	ck_assert_int_eq(iommunest_fault_queue_alloc(uctx, &id, &fd), -ENOMEM);
	/* A kernel before 6.11. */
	fk_expect(KABI_IOMMU_FAULT_QUEUE_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_fault_queue_alloc(uctx, &id, &fd), -ENOSYS);
	ck_assert_uint_eq(id, 42);
	ck_assert_int_eq(fd, 43);
}
END_TEST

/* ---- read ----------------------------------------------------------- */

START_TEST(read_converts_records)
{
	/* A group of two (cookie 5, PASID) and a group of one (cookie 6). */
	const struct kabi_hwpt_pgfault k[3] = {
		krec(0, IOMMUNEST_FAULT_PASID_VALID, 5),
		krec(1, IOMMUNEST_FAULT_PASID_VALID |
			IOMMUNEST_FAULT_LAST_PAGE, 5),
		krec(2, IOMMUNEST_FAULT_LAST_PAGE, 6),
	};
	struct iommunest_fault f[4];
	unsigned int i;

	memset(f, 0xa5, sizeof(f));
	send_records(k, 3);
	errno = ERRNO_MARK;
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 4), 3);
	ck_assert_int_eq(errno, ERRNO_MARK);
	for (i = 0; i < 3; i++)
		check_fault(&f[i], &k[i]);
	/* Past the count: untouched. */
	ck_assert_uint_eq(f[3].cookie, 0xa5a5a5a5u);
}
END_TEST

START_TEST(read_asks_max_records)
{
	struct kabi_hwpt_pgfault k[3];
	struct iommunest_fault f[3];
	unsigned int i;

	for (i = 0; i < 3; i++)
		k[i] = krec(i, IOMMUNEST_FAULT_LAST_PAGE, 10 + i);
	/* Exactly max records: all of them. */
	send_records(k, 2);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 2), 2);
	check_fault(&f[1], &k[1]);
	/* One more than max: the read asks for max * 40 bytes, no more
	 * (the socket cuts the message there). */
	send_records(k, 3);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 2), 2);
	check_fault(&f[0], &k[0]);
	check_fault(&f[1], &k[1]);
	send_records(k, 1);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 1), 1);
	check_fault(&f[0], &k[0]);
}
END_TEST

START_TEST(read_empty_is_zero)
{
	struct iommunest_fault f[2];

	memset(f, 0xa5, sizeof(f));
	/* A fault fd with nothing queued reads 0 (here: an empty message,
	 * then the peer's end of file). */
	ck_assert_int_eq(write(sp[1], f, 0), 0);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 2), 0);
	ck_assert_int_eq(shutdown(sp[1], SHUT_WR), 0);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 2), 0);
	ck_assert_uint_eq(f[0].cookie, 0xa5a5a5a5u);
}
END_TEST

START_TEST(read_passes_errors)
{
	struct iommunest_fault f[2] = { { 0 } };

	/* A descriptor that would block: its error comes back as is. */
	errno = ERRNO_MARK;
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 2), -EAGAIN);
	ck_assert_int_eq(errno, ERRNO_MARK);
	/* A message that is not whole records: not from a fault queue. */
	ck_assert_int_eq(write(sp[1], f, REC + 8), (ssize_t)(REC + 8));
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 2), -EPROTO);
}
END_TEST

/* The kernel's EINVAL for a read too small for the first group, made
 * by a real kernel object: inotify refuses a read smaller than its next
 * event in the same way. */
START_TEST(read_group_too_big_is_enospc)
{
	char dir[] = "/tmp/inest-fault-XXXXXX";
	char path[sizeof(dir) + 80];
	struct iommunest_fault f[2];
	int in, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ge(in, 0);
	ck_assert_int_ge(inotify_add_watch(in, dir, IN_CREATE), 0);
	/* An event of 16 bytes plus a name longer than one record. */
	snprintf(path, sizeof(path), "%s/%s", dir,
		 "a-file-name-longer-than-one-fault-record-of-forty-bytes");
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	memset(f, 0xa5, sizeof(f));
	errno = ERRNO_MARK;
	ck_assert_int_eq(iommunest_fault_read(in, f, 1), -ENOSPC);
	ck_assert_int_eq(errno, ERRNO_MARK);
	ck_assert_uint_eq(f[0].cookie, 0xa5a5a5a5u);
	/* With room for two records it fits: nothing was taken off. */
	ck_assert_int_gt(iommunest_fault_read(in, f, 2), 0);
	close(in);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(read_refuses_bad_input)
{
	struct iommunest_fault f[2];
	int shut = fk_open_fd();

	ck_assert_int_ge(shut, 0);
	close(shut);
	send_records((struct kabi_hwpt_pgfault[]){ krec(0, 0, 1) }, 1);
	memset(f, 0xa5, sizeof(f));
	ck_assert_int_eq(iommunest_fault_read(sp[0], NULL, 1), -EINVAL);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 0), -EINVAL);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 65537), -EINVAL);
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, UINT32_MAX), -EINVAL);
	ck_assert_int_eq(iommunest_fault_read(-1, f, 1), -EBADF);
	ck_assert_int_eq(iommunest_fault_read(shut, f, 1), -EBADF);
	ck_assert_uint_eq(f[0].cookie, 0xa5a5a5a5u);
	/* Nothing was read: the record is still there. */
	ck_assert_int_eq(iommunest_fault_read(sp[0], f, 1), 1);
	ck_assert_uint_eq(f[0].cookie, 1);
}
END_TEST

/* ---- respond -------------------------------------------------------- */

/* The "kernel" side reads what respond wrote: exactly want. */
static void expect_response(uint32_t cookie, uint32_t code)
{
	unsigned char got[64], want[8];
	const uint32_t c = cookie, k = code;

	memcpy(want, &c, 4);
	memcpy(want + 4, &k, 4);
	ck_assert_int_eq(read(sp[1], got, sizeof(got)), 8);
	ck_assert_mem_eq(got, want, 8);
}

START_TEST(respond_writes_record)
{
	errno = ERRNO_MARK;
	ck_assert_int_eq(iommunest_fault_respond(sp[0], 5,
						 IOMMUNEST_FAULT_RESP_SUCCESS),
			 0);
	ck_assert_int_eq(errno, ERRNO_MARK);
	expect_response(5, 0);
	ck_assert_int_eq(iommunest_fault_respond(sp[0], 0xfedcba98u,
						 IOMMUNEST_FAULT_RESP_INVALID),
			 0);
	expect_response(0xfedcba98u, 1);
}
END_TEST

START_TEST(respond_refuses_bad_input)
{
	unsigned char got[8];
	int shut = fk_open_fd();

	ck_assert_int_ge(shut, 0);
	close(shut);
	ck_assert_int_eq(iommunest_fault_respond(sp[0], 5, 2), -EINVAL);
	ck_assert_int_eq(iommunest_fault_respond(sp[0], 5, UINT32_MAX),
			 -EINVAL);
	/* The code is checked before the descriptor. */
	ck_assert_int_eq(iommunest_fault_respond(-1, 5, 2), -EINVAL);
	ck_assert_int_eq(iommunest_fault_respond(-1, 5, 0), -EBADF);
	ck_assert_int_eq(iommunest_fault_respond(shut, 5, 0), -EBADF);
	/* Nothing was written. */
	ck_assert_int_eq(read(sp[1], got, sizeof(got)), -1);
	ck_assert_int_eq(errno, EAGAIN);
}
END_TEST

START_TEST(respond_maps_kernel_errors)
{
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	int ro = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(tfd, 0);
	ck_assert_int_ge(ro, 0);
	/* The kernel's EINVAL (a cookie no group waits on; here a timerfd,
	 * which refuses writes the same way): -ENOENT. */
	errno = ERRNO_MARK;
	ck_assert_int_eq(iommunest_fault_respond(tfd, 5, 0), -ENOENT);
	ck_assert_int_eq(errno, ERRNO_MARK);
	/* Other errors as they come. */
	ck_assert_int_eq(iommunest_fault_respond(ro, 5, 0), -EBADF);
	close(tfd);
	close(ro);
}
END_TEST

Suite *suite_fault(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("queue");

	tcase_add_checked_fixture(tc, fault_setup, fault_teardown);
	tcase_add_test(tc, queue_alloc_passes_struct);
	tcase_add_test(tc, queue_alloc_errors);
	tcase_add_test(tc, read_converts_records);
	tcase_add_test(tc, read_asks_max_records);
	tcase_add_test(tc, read_empty_is_zero);
	tcase_add_test(tc, read_passes_errors);
	tcase_add_test(tc, read_group_too_big_is_enospc);
	tcase_add_test(tc, read_refuses_bad_input);
	tcase_add_test(tc, respond_writes_record);
	tcase_add_test(tc, respond_refuses_bad_input);
	tcase_add_test(tc, respond_maps_kernel_errors);
	suite_add_tcase(s, tc);
	return s;
}
