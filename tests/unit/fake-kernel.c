/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fake-kernel.h"

#define FK_MAX_SCRIPT 8192

struct fk_answer {
	unsigned long req;
	fk_handler handler;
	void *priv;
	int err;
};

static struct fk_call calls[FK_MAX_CALLS];
static unsigned int ncalls;
static struct fk_answer script[FK_MAX_SCRIPT];
static unsigned int nscript, next_answer;
static unsigned int unexpected;
static unsigned long model_req;
static fk_model_fn model;

void fk_reset(void)
{
	ncalls = nscript = next_answer = unexpected = 0;
	model = NULL;
}

void fk_model(unsigned long req, fk_model_fn fn)
{
	model_req = req;
	model = fn;
}

void fk_expect(unsigned long req, fk_handler handler, void *priv, int err)
{
	if (nscript == FK_MAX_SCRIPT) {
		unexpected++;
		return;
	}
	script[nscript++] = (struct fk_answer){ req, handler, priv, err };
}

unsigned int fk_ncalls(void) { return ncalls; }
unsigned int fk_unexpected(void) { return unexpected; }
unsigned int fk_pending(void) { return nscript - next_answer; }

const struct fk_call *fk_call(unsigned int n)
{
	return n < ncalls && n < FK_MAX_CALLS ? &calls[n] : NULL;
}

int fk_open_fd(void)
{
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

/* Every iommufd and VFIO cdev struct starts with its u32 size. */
static void record(int fd, unsigned long req, const void *arg)
{
	struct fk_call *c;
	uint32_t size = 0;

	if (ncalls >= FK_MAX_CALLS) {
		ncalls++;
		return;
	}
	c = &calls[ncalls++];
	c->fd = fd;
	c->req = req;
	if (arg)
		memcpy(&size, arg, sizeof(size));
	c->len = size < FK_ARG_MAX ? size : FK_ARG_MAX;
	if (arg)
		memcpy(c->arg, arg, c->len);
}

int ioctl(int fd, unsigned long req, ...)
{
	struct fk_answer *a;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	record(fd, req, arg);
	if (model && req == model_req) {
		int err = model(arg);

		errno = err;
		return err ? -1 : 0;
	}
	if (next_answer == nscript || script[next_answer].req != req) {
		unexpected++;
		errno = ENOTTY;
		return -1;
	}
	a = &script[next_answer++];
	if (a->handler)
		a->handler(arg, a->priv);
	if (a->err) {
		errno = a->err;
		return -1;
	}
	return 0;
}
