/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * vEVENTQ: the allocation ioctl on the fake kernel, which hands out one
 * end of a SOCK_SEQPACKET pair as the queue's fd; the test writes event
 * streams built byte by byte into the other end (one read returns one
 * message, cut at the count asked for).  The streams follow what the
 * kernel does: every event, delivered or lost, takes the next sequence
 * number (0 .. INT_MAX, then 0); a lost event puts the lost-events
 * header at the queue's tail carrying its number, and the next event
 * that is queued replaces that header.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"

#define HDR 8u
#define QID 0x61u
#define LOST KABI_VEVENTQ_FLAG_LOST_EVENTS
/* *q before a failed allocation: it must stay. */
#define SENTINEL ((struct iommunest_veventq *)(uintptr_t)0x5e5e)

static int sp[2]; /* sp[0]: the queue's fd (the library owns it) */
static struct iommunest_veventq *q;

struct alloc_answer {
	uint32_t id;
	int fd;
};

static void answer_alloc(void *arg, void *priv)
{
	struct kabi_veventq_alloc *cmd = arg;
	const struct alloc_answer *a = priv;

	cmd->out_veventq_id = a->id;
	cmd->out_veventq_fd = (uint32_t)a->fd;
}

static void veventq_setup(void)
{
	unit_setup();
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK,
				    0, sp), 0);
	q = NULL;
}

static void veventq_teardown(void)
{
	if (q) {
		fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
		ck_assert_int_eq(iommunest_veventq_free(q), 0);
	} else {
		close(sp[0]);
	}
	close(sp[1]);
	unit_teardown();
}

/* A queue of type on vIOMMU 9 whose fd is sp[0]. */
static void open_queue(uint32_t type, uint32_t depth, uint32_t event_len)
{
	struct alloc_answer a = { .id = QID, .fd = sp[0] };
	unsigned int n = fk_ncalls();

	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, answer_alloc, &a, 0);
	ck_assert_int_eq(iommunest_veventq_alloc(uctx, 9, type, depth,
						 event_len, &q), 0);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(fk_ncalls(), n + 1);
}

/* ---- event streams, byte by byte ----------------------------------- */

struct stream {
	unsigned char b[4096];
	size_t n;
};

static void put32(struct stream *s, uint32_t v)
{
	memcpy(s->b + s->n, &v, 4);
	s->n += 4;
}

/* A selftest event: its data is the 4-byte virt_id. */
static void ev(struct stream *s, uint32_t seq, uint32_t virt_id)
{
	put32(s, 0);
	put32(s, seq);
	put32(s, virt_id);
}

/* An event of len data bytes, each seq + i. */
static void ev_len(struct stream *s, uint32_t seq, uint32_t len)
{
	uint32_t i;

	put32(s, 0);
	put32(s, seq);
	for (i = 0; i < len; i++)
		s->b[s->n++] = (unsigned char)(seq + i);
}

static void lost_hdr(struct stream *s, uint32_t seq)
{
	put32(s, LOST);
	put32(s, seq);
}

static void send_stream(const struct stream *s)
{
	ck_assert_int_eq(write(sp[1], s->b, s->n), (ssize_t)s->n);
}

static void check_event(const struct iommunest_vevent *e, uint32_t seq,
			uint32_t lost, uint32_t virt_id)
{
	uint32_t got;

	ck_assert_uint_eq(e->sequence, seq);
	ck_assert_uint_eq(e->lost, lost);
	ck_assert_uint_eq(e->flags, 0);
	ck_assert_uint_eq(e->data_len, 4);
	memcpy(&got, e->data, 4);
	ck_assert_uint_eq(got, virt_id);
}

static void check_lost_only(const struct iommunest_vevent *e, uint32_t seq,
			    uint32_t lost)
{
	ck_assert_uint_eq(e->sequence, seq);
	ck_assert_uint_eq(e->lost, lost);
	ck_assert_uint_eq(e->flags, IOMMUNEST_VEVENT_LOST_ONLY);
	ck_assert_uint_eq(e->data_len, 0);
}

/* ---- allocation ----------------------------------------------------- */

START_TEST(alloc_passes_struct)
{
	static const struct {
		uint32_t type, depth, event_len;
	} cases[] = {
		{ IOMMUNEST_VEVENTQ_ARM_SMMUV3, 1, 0 },
		{ IOMMUNEST_VEVENTQ_ARM_SMMUV3, 64, 32 },
		{ IOMMUNEST_VEVENTQ_TEGRA241_CMDQV, 1u << 19, 0 },
		{ IOMMUNEST_VEVENTQ_TEGRA241_CMDQV, 3, 16 },
		{ IOMMUNEST_VEVENTQ_SELFTEST, 2, 0 },
		{ IOMMUNEST_VEVENTQ_SELFTEST, 100, 4 },
		{ 77, 5, 1 },  /* types the library does not know */
		{ 78, 5, IOMMUNEST_VEVENT_DATA_MAX },
	};
	unsigned int i, n = sizeof(cases) / sizeof(cases[0]);

	for (i = 0; i < n; i++) {
		struct alloc_answer a = { .id = 0x40 + i, .fd = fk_open_fd() };
		struct kabi_veventq_alloc c;
		struct iommunest_veventq *v = NULL;
		uint32_t id = 0;

		ck_assert_int_ge(a.fd, 0);
		fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, answer_alloc, &a, 0);
		ck_assert_int_eq(iommunest_veventq_alloc(uctx, 9 + i,
							 cases[i].type,
							 cases[i].depth,
							 cases[i].event_len,
							 &v), 0);
		FK_GET(2 * i, KABI_IOMMU_VEVENTQ_ALLOC, c);
		ck_assert_int_eq(fk_call(2 * i)->fd, iommunest_fd(uctx));
		ck_assert_uint_eq(c.size, sizeof(c));
		ck_assert_uint_eq(c.flags, 0);
		ck_assert_uint_eq(c.viommu_id, 9 + i);
		ck_assert_uint_eq(c.type, cases[i].type);
		ck_assert_uint_eq(c.veventq_depth, cases[i].depth);
		ck_assert_uint_eq(c.out_veventq_id, 0);
		ck_assert_uint_eq(c.out_veventq_fd, 0);
		ck_assert_uint_eq(c.reserved, 0);
		ck_assert_int_eq(iommunest_veventq_fd(v), a.fd);
		ck_assert_int_eq(iommunest_veventq_id(v, &id), 0);
		ck_assert_uint_eq(id, 0x40 + i);
		/* Free: the fd is closed, then the object destroyed. */
		fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
		ck_assert_int_eq(iommunest_veventq_free(v), 0);
		ck_assert_int_lt(fcntl(a.fd, F_GETFD), 0);
	}
}
END_TEST

START_TEST(alloc_refuses_bad_input)
{
	struct iommunest_veventq *v = SENTINEL;
	const uint32_t smmu = IOMMUNEST_VEVENTQ_ARM_SMMUV3;

	ASSERT_REFUSED(iommunest_veventq_alloc(NULL, 9, smmu, 8, 0, &v),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, smmu, 8, 0, NULL),
		       -EINVAL);
	/* Type 0 is reserved. */
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, 0, 8, 4, &v),
		       -EINVAL);
	/* Depth 1 .. 2^19. */
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, smmu, 0, 0, &v),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, smmu, (1u << 19) + 1,
					       0, &v), -EINVAL);
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, smmu, UINT32_MAX, 0,
					       &v), -EINVAL);
	/* A known type's size is its own. */
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, smmu, 8, 16, &v),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9,
					       IOMMUNEST_VEVENTQ_SELFTEST, 8,
					       32, &v), -EINVAL);
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9,
					       IOMMUNEST_VEVENTQ_TEGRA241_CMDQV,
					       8, 4, &v), -EINVAL);
	/* Other types need a size, up to IOMMUNEST_VEVENT_DATA_MAX. */
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, 77, 8, 0, &v),
		       -EINVAL);
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, 77, 8,
					       IOMMUNEST_VEVENT_DATA_MAX + 1,
					       &v), -EINVAL);
	ASSERT_REFUSED(iommunest_veventq_alloc(uctx, 9, 77, 8, UINT32_MAX,
					       &v), -EINVAL);
	ck_assert_ptr_eq(v, SENTINEL);
}
END_TEST

START_TEST(alloc_reports_kernel_error)
{
	struct iommunest_veventq *v = SENTINEL;
	const uint32_t st = IOMMUNEST_VEVENTQ_SELFTEST;

	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, EEXIST);
	ck_assert_int_eq(iommunest_veventq_alloc(uctx, 9, st, 8, 0, &v),
			 -EEXIST);
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, EOPNOTSUPP);
	ck_assert_int_eq(iommunest_veventq_alloc(uctx, 9, st, 8, 0, &v),
			 -EOPNOTSUPP);
	/* A kernel before 6.15. */
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, NULL, NULL, ENOTTY);
	ck_assert_int_eq(iommunest_veventq_alloc(uctx, 9, st, 8, 0, &v),
			 -ENOSYS);
	ck_assert_ptr_eq(v, SENTINEL);
}
END_TEST

START_TEST(free_and_accessors)
{
	uint32_t id = 42;

	ck_assert_int_eq(iommunest_veventq_free(NULL), 0);
	ck_assert_int_eq(iommunest_veventq_fd(NULL), -EINVAL);
	ck_assert_int_eq(iommunest_veventq_id(NULL, &id), -EINVAL);
	ck_assert_uint_eq(id, 42);
	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 4, 0);
	ck_assert_int_eq(iommunest_veventq_id(q, NULL), -EINVAL);
	/* The destroy's error comes back; q is freed all the same. */
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, EBUSY);
	ck_assert_int_eq(iommunest_veventq_free(q), -EBUSY);
	q = NULL;
	{
		struct kabi_destroy d;

		FK_GET(1, KABI_IOMMU_DESTROY, d);
		ck_assert_uint_eq(d.size, sizeof(d));
		ck_assert_uint_eq(d.id, QID);
	}
	ck_assert_int_lt(fcntl(sp[0], F_GETFD), 0);
	sp[0] = fk_open_fd(); /* for the teardown to close */
}
END_TEST

/* ---- reading -------------------------------------------------------- */

START_TEST(read_several_events)
{
	struct iommunest_vevent e[4];
	struct stream s = { .n = 0 };

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 8, 0);
	ev(&s, 0, 0x99);
	ev(&s, 1, 0x98);
	ev(&s, 2, 0x97);
	send_stream(&s);
	memset(e, 0xa5, sizeof(e));
	errno = 4242;
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 3);
	ck_assert_int_eq(errno, 4242);
	check_event(&e[0], 0, 0, 0x99);
	check_event(&e[1], 1, 0, 0x98);
	check_event(&e[2], 2, 0, 0x97);
	ck_assert_uint_eq(e[3].sequence, 0xa5a5a5a5u);
	/* Nothing queued. */
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), -EAGAIN);
	ck_assert_int_eq(write(sp[1], &s, 0), 0);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 0);
	ck_assert_uint_eq(e[0].sequence, 0);
}
END_TEST

START_TEST(read_counts_gaps)
{
	struct iommunest_vevent e[4];
	struct stream s = { .n = 0 };

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 8, 0);
	/* Events 0 and 1 lost before the first read: counted. */
	ev(&s, 2, 0x10);
	ev(&s, 3, 0x11);
	ev(&s, 6, 0x12); /* 4 and 5 lost */
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 3);
	check_event(&e[0], 2, 2, 0x10);
	check_event(&e[1], 3, 0, 0x11);
	check_event(&e[2], 6, 2, 0x12);
	/* The gap carries over from one read to the next. */
	s.n = 0;
	ev(&s, 9, 0x13);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 1);
	check_event(&e[0], 9, 2, 0x13);
}
END_TEST

START_TEST(read_lost_tail)
{
	struct iommunest_vevent e[4];
	struct stream s = { .n = 0 };

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 2, 0);
	/* Depth 2: events 0 and 1 queued, 2 and 3 lost (the header at the
	 * tail carries the last one's number).  A read of the queue's depth
	 * leaves the header for the next read. */
	ev(&s, 0, 0x20);
	ev(&s, 1, 0x21);
	send_stream(&s);
	s.n = 0;
	lost_hdr(&s, 3);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 2);
	check_event(&e[0], 0, 0, 0x20);
	check_event(&e[1], 1, 0, 0x21);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 1);
	check_lost_only(&e[0], 3, 2);
	/* The next event follows on: nothing more lost, nothing counted
	 * twice. */
	s.n = 0;
	ev(&s, 4, 0x22);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 1);
	check_event(&e[0], 4, 0, 0x22);
	/* An event and the header behind it in one read. */
	s.n = 0;
	ev(&s, 5, 0x23);
	lost_hdr(&s, 6);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 2), 2);
	check_event(&e[0], 5, 0, 0x23);
	check_lost_only(&e[1], 6, 1);
	/* Lost again after that header: the gap counts only the new. */
	s.n = 0;
	ev(&s, 9, 0x24);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 1), 1);
	check_event(&e[0], 9, 2, 0x24);
}
END_TEST

START_TEST(read_lost_header_first)
{
	struct iommunest_vevent e[2];
	struct stream s = { .n = 0 };

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 2, 0);
	/* Events 0 .. 4 all lost before anything was read. */
	lost_hdr(&s, 4);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 2), 1);
	check_lost_only(&e[0], 4, 5);
}
END_TEST

START_TEST(read_lost_header_followed)
{
	struct iommunest_vevent e[4];
	struct stream s = { .n = 0 };

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 4, 0);
	/* A header another record follows in the same read: the record's
	 * sequence shows the same loss, so one record, not two. */
	ev(&s, 0, 0x30);
	lost_hdr(&s, 2);
	ev(&s, 3, 0x31);
	lost_hdr(&s, 5);
	lost_hdr(&s, 6);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 3);
	check_event(&e[0], 0, 0, 0x30);
	check_event(&e[1], 3, 2, 0x31);
	check_lost_only(&e[2], 6, 3);
}
END_TEST

START_TEST(read_wraps_at_int_max)
{
	struct iommunest_vevent e[4];
	struct stream s = { .n = 0 };
	const uint32_t top = INT_MAX;

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 4, 0);
	ev(&s, top - 1, 1); /* 0 .. INT_MAX - 2 lost */
	ev(&s, top, 2);
	ev(&s, 0, 3);
	ev(&s, 2, 4);       /* 1 lost */
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 4);
	check_event(&e[0], top - 1, top - 1, 1);
	check_event(&e[1], top, 0, 2);
	check_event(&e[2], 0, 0, 3);
	check_event(&e[3], 2, 1, 4);
	/* A lost tail across the wrap: INT_MAX - 1 seen, then INT_MAX, 0
	 * and 1 lost. */
	s.n = 0;
	ev(&s, top - 1, 5); /* 3 .. INT_MAX - 2 lost */
	lost_hdr(&s, 1);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 2);
	check_event(&e[0], top - 1, top - 4, 5);
	check_lost_only(&e[1], 1, 3);
	s.n = 0;
	ev(&s, 2, 6);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 1);
	check_event(&e[0], 2, 0, 6);
}
END_TEST

START_TEST(read_asks_whole_events)
{
	struct iommunest_vevent e[8];
	struct stream s = { .n = 0 };
	uint32_t i;

	/* Depth 2: at most two events per read, whatever max says (the
	 * socket cuts the rest of the message: event 2 is gone). */
	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 2, 0);
	for (i = 0; i < 3; i++)
		ev(&s, i, 0x40 + i);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 8), 2);
	check_event(&e[0], 0, 0, 0x40);
	check_event(&e[1], 1, 0, 0x41);
	/* max 1: one event's bytes, no more (3 and 4 are cut). */
	s.n = 0;
	for (i = 2; i < 5; i++)
		ev(&s, i, 0x40 + i);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 1), 1);
	check_event(&e[0], 2, 0, 0x42);
	/* The kernel returns fewer bytes than asked. */
	s.n = 0;
	ev(&s, 5, 0x45);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 2), 1);
	check_event(&e[0], 5, 2, 0x45);
}
END_TEST

START_TEST(read_batch_of_64)
{
	static struct iommunest_vevent e[100];
	struct stream s = { .n = 0 };
	uint32_t i;

	/* A deep queue reads 64 events at most per call. */
	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 1000, 0);
	for (i = 0; i < 65; i++)
		ev(&s, i, i);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 100), 64);
	check_event(&e[63], 63, 0, 63);
}
END_TEST

START_TEST(read_smmuv3_and_unknown_sizes)
{
	struct iommunest_vevent e[2];
	struct stream s = { .n = 0 };
	uint32_t i;

	open_queue(IOMMUNEST_VEVENTQ_ARM_SMMUV3, 16, 0);
	ev_len(&s, 0, 32);
	ev_len(&s, 1, 32);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 2), 2);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(e[i].sequence, i);
		ck_assert_uint_eq(e[i].data_len, 32);
		ck_assert_uint_eq(e[i].data[0], i);
		ck_assert_uint_eq(e[i].data[31], i + 31);
	}
	fk_expect(KABI_IOMMU_DESTROY, NULL, NULL, 0);
	ck_assert_int_eq(iommunest_veventq_free(q), 0);
	q = NULL;

	/* A type the library does not know, 7 bytes an event. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK,
				    0, sp), 0);
	open_queue(0x1234, 16, 7);
	s.n = 0;
	ev_len(&s, 0, 7);
	lost_hdr(&s, 1);
	send_stream(&s);
	memset(e, 0xa5, sizeof(e));
	ck_assert_int_eq(iommunest_veventq_read(q, e, 2), 2);
	ck_assert_uint_eq(e[0].data_len, 7);
	ck_assert_uint_eq(e[0].data[6], 6);
	ck_assert_uint_eq(e[0].data[7], 0); /* the rest is zeroed */
	check_lost_only(&e[1], 1, 1);
	ck_assert_uint_eq(e[1].data[0], 0);
}
END_TEST

START_TEST(read_bad_stream)
{
	struct iommunest_vevent e[4];
	struct stream s = { .n = 0 };

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 4, 0);
	/* Half an event: not the size the queue was set up with.  The
	 * events of that read are dropped and show as lost next time. */
	ev(&s, 0, 1);
	ev(&s, 1, 2);
	s.n -= 2;
	send_stream(&s);
	memset(e, 0xa5, sizeof(e));
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), -EPROTO);
	ck_assert_uint_eq(e[0].sequence, 0xa5a5a5a5u); /* no record written */
	s.n = 0;
	put32(&s, 0); /* less than a header */
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), -EPROTO);
	s.n = 0;
	ev(&s, 2, 3);
	send_stream(&s);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 4), 1);
	check_event(&e[0], 2, 2, 3);
}
END_TEST

/* The kernel's EINVAL when the first event does not fit, made by a real
 * kernel object: inotify refuses a read smaller than its next event. */
START_TEST(read_event_too_big_is_emsgsize)
{
	struct alloc_answer a = { .id = QID };
	char dir[] = "/tmp/inest-vevent-XXXXXX";
	char path[sizeof(dir) + 40];
	struct iommunest_vevent e[1];
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	a.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ge(a.fd, 0);
	ck_assert_int_ge(inotify_add_watch(a.fd, dir, IN_CREATE), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, "longer-than-12");
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	fk_expect(KABI_IOMMU_VEVENTQ_ALLOC, answer_alloc, &a, 0);
	ck_assert_int_eq(iommunest_veventq_alloc(uctx, 9,
						 IOMMUNEST_VEVENTQ_SELFTEST, 1,
						 0, &q), 0);
	memset(e, 0xa5, sizeof(e));
	errno = 4242;
	ck_assert_int_eq(iommunest_veventq_read(q, e, 1), -EMSGSIZE);
	ck_assert_int_eq(errno, 4242);
	ck_assert_uint_eq(e[0].sequence, 0xa5a5a5a5u);
	unlink(path);
	rmdir(dir);
	close(sp[0]); /* q owns the inotify fd instead */
}
END_TEST

START_TEST(read_refuses_bad_input)
{
	struct iommunest_vevent e[2];
	struct stream s = { .n = 0 };

	open_queue(IOMMUNEST_VEVENTQ_SELFTEST, 4, 0);
	ev(&s, 0, 7);
	send_stream(&s);
	memset(e, 0xa5, sizeof(e));
	ck_assert_int_eq(iommunest_veventq_read(NULL, e, 2), -EINVAL);
	ck_assert_int_eq(iommunest_veventq_read(q, NULL, 2), -EINVAL);
	ck_assert_int_eq(iommunest_veventq_read(q, e, 0), -EINVAL);
	ck_assert_uint_eq(e[0].sequence, 0xa5a5a5a5u);
	/* Nothing was read. */
	ck_assert_int_eq(iommunest_veventq_read(q, e, 2), 1);
	check_event(&e[0], 0, 0, 7);
}
END_TEST

Suite *suite_veventq(void)
{
	Suite *s = suite_create("veventq");
	TCase *tc = tcase_create("queue");

	tcase_add_checked_fixture(tc, veventq_setup, veventq_teardown);
	tcase_add_test(tc, alloc_passes_struct);
	tcase_add_test(tc, alloc_refuses_bad_input);
	tcase_add_test(tc, alloc_reports_kernel_error);
	tcase_add_test(tc, free_and_accessors);
	tcase_add_test(tc, read_several_events);
	tcase_add_test(tc, read_counts_gaps);
	tcase_add_test(tc, read_lost_tail);
	tcase_add_test(tc, read_lost_header_first);
	tcase_add_test(tc, read_lost_header_followed);
	tcase_add_test(tc, read_wraps_at_int_max);
	tcase_add_test(tc, read_asks_whole_events);
	tcase_add_test(tc, read_batch_of_64);
	tcase_add_test(tc, read_smmuv3_and_unknown_sizes);
	tcase_add_test(tc, read_bad_stream);
	tcase_add_test(tc, read_event_too_big_is_emsgsize);
	tcase_add_test(tc, read_refuses_bad_input);
	suite_add_tcase(s, tc);
	return s;
}
