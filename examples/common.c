/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* Shared by the examples: messages, device selection, memory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

static const char *prog = "example";
static char last_error[256];

void ex_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0)
		prog = slash ? slash + 1 : argv0;
}

/* Keep the message for ex_last_error(), then print it. */
__attribute__((format(printf, 1, 0)))
static void vreport(const char *fmt, va_list ap, int rc)
{
	int n = vsnprintf(last_error, sizeof(last_error), fmt, ap);

	if (rc < 0 && n >= 0 && (size_t)n < sizeof(last_error))
		snprintf(last_error + n, sizeof(last_error) - (size_t)n,
			 ": %s", ex_err(rc));
	fprintf(stderr, "%s: %s\n", prog, last_error);
}

const char *ex_last_error(void)
{
	return last_error;
}

int ex_fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, 0);
	va_end(ap);
	return status;
}

int ex_check(int rc, const char *fmt, ...)
{
	va_list ap;

	if (rc >= 0)
		return EX_OK;
	va_start(ap, fmt);
	vreport(fmt, ap, rc);
	va_end(ap);
	return EX_FAIL;
}

int ex_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s --help')\n", prog);
	return EX_USAGE;
}

const char *ex_err(int rc)
{
	return strerror(rc < 0 ? -rc : rc);
}

int ex_parse_device_args(int argc, char **argv, const char *usage,
			 bool *mock, const char **path)
{
	static const struct option longopts[] = {
		{ "mock", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0; /* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			exit(EX_OK);
		}
		if (c != 'm' || !mock)
			return ex_usage_error("unknown option '%s'",
					      argv[optind - 1]);
		*mock = true;
	}
	if (argc - optind > 1)
		return ex_usage_error("one device at most");
	*path = optind < argc ? argv[optind] : NULL;
	return EX_OK;
}

static int is_cdev_name(const struct dirent *d)
{
	return strncmp(d->d_name, "vfio", 4) == 0;
}

void ex_free_paths(char **paths)
{
	char **p;

	for (p = paths; p && *p; p++)
		free(*p);
	free(paths);
}

int ex_list_cdevs(char ***paths)
{
	struct dirent **names = NULL;
	int n, i, count = 0;
	char **out;

	*paths = NULL;
	/* versionsort: vfio2 before vfio10. */
	n = scandir(EX_CDEV_DIR, &names, is_cdev_name, versionsort);
	if (n < 0)
		n = 0; /* no directory: no VFIO cdevs */
	out = calloc((size_t)n + 1, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (out && asprintf(&out[count], "%s/%s", EX_CDEV_DIR,
				    names[i]->d_name) >= 0)
			count++;
		else if (out)
			out[count] = NULL; /* asprintf left it undefined */
		free(names[i]);
	}
	free(names);
	if (!out)
		return -ENOMEM;
	*paths = out;
	return count;
}

int ex_pick_target(const char *path, bool mock, struct ex_target *t)
{
	char **paths;
	int n;

	memset(t, 0, sizeof(*t));
	if (path && mock)
		return ex_usage_error("give a device or --mock, not both");
	if (mock)
		return EX_OK;
	if (path) {
		t->path = strdup(path);
		return t->path ? EX_OK : ex_fail(EX_FAIL, "out of memory");
	}
	n = ex_list_cdevs(&paths);
	if (n < 0)
		return ex_check(n, "listing " EX_CDEV_DIR);
	if (n > 0)
		t->path = strdup(paths[0]);
	else
		t->fallback = true;
	ex_free_paths(paths);
	if (n > 0 && !t->path)
		return ex_fail(EX_FAIL, "out of memory");
	return EX_OK;
}

void ex_target_free(struct ex_target *t)
{
	free(t->path);
	t->path = NULL;
}

int ex_device_open(const struct ex_target *t, struct ex_device *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->vfio_fd = -1;
	dev->mock = !t->path;
	dev->name = t->path ? t->path : "mock";
	if (dev->mock)
		return EX_OK;
	dev->vfio_fd = open(t->path, O_RDWR | O_CLOEXEC);
	if (dev->vfio_fd < 0)
		return ex_check(-errno, "%s", t->path);
	return EX_OK;
}

static int attach_mock(struct iommunest_ctx *ctx, const struct ex_target *t,
		       struct ex_device *dev, uint32_t pt_id)
{
	int rc = mock_device_new(ctx, pt_id, &dev->mock_dev);

	if (rc == -ENOTTY && t->fallback)
		return ex_fail(EX_UNSUPPORTED, "no VFIO device in " EX_CDEV_DIR
			       " and no mock IOMMU in this kernel "
			       "(CONFIG_IOMMUFD_TEST)");
	if (rc == -ENOTTY)
		return ex_fail(EX_UNSUPPORTED, "--mock: this kernel has no mock "
			       "IOMMU (it needs CONFIG_IOMMUFD_TEST)");
	if (rc)
		return ex_check(rc, "mock device");
	dev->dev_id = dev->mock_dev.dev_id;
	return EX_OK;
}

int ex_device_attach(struct iommunest_ctx *ctx, const struct ex_target *t,
		     struct ex_device *dev, uint32_t pt_id)
{
	int rc;

	if (dev->mock)
		return attach_mock(ctx, t, dev, pt_id);
	rc = iommunest_device_bind(ctx, dev->vfio_fd, &dev->dev_id);
	if (rc == -ENOTTY)
		return ex_fail(EX_FAIL, "%s: not a VFIO device cdev", dev->name);
	if (rc)
		return ex_check(rc, "%s: bind to iommufd", dev->name);
	rc = iommunest_device_attach(ctx, dev->vfio_fd, pt_id);
	return ex_check(rc, "%s: attach to %" PRIu32, dev->name, pt_id);
}

int ex_device_replace(struct iommunest_ctx *ctx, struct ex_device *dev,
		      uint32_t pt_id)
{
	if (dev->mock)
		return mock_device_replace(ctx, &dev->mock_dev, pt_id);
	return iommunest_device_replace(ctx, dev->vfio_fd, pt_id);
}

void ex_device_close(struct iommunest_ctx *ctx, struct ex_device *dev)
{
	if (dev->mock) {
		/* Destroying the selftest object unplugs the mock device. */
		if (ctx && dev->mock_dev.stdev_id)
			iommunest_destroy(ctx, dev->mock_dev.stdev_id);
	} else if (dev->vfio_fd >= 0) {
		if (ctx && dev->dev_id)
			iommunest_device_detach(ctx, dev->vfio_fd);
		close(dev->vfio_fd); /* unbinds */
	}
	memset(dev, 0, sizeof(*dev));
	dev->vfio_fd = -1;
}

int ex_open_iommufd(struct iommunest_ctx **ctx)
{
	int rc = iommunest_open(ctx);

	if (rc == -ENOENT)
		return ex_fail(EX_UNSUPPORTED, "/dev/iommu: no such device "
			       "(a kernel without CONFIG_IOMMUFD?)");
	return ex_check(rc, "/dev/iommu");
}

int ex_check_iova(struct iommunest_ctx *ctx, uint32_t ioas, uint64_t iova,
		  uint64_t length)
{
	struct iommunest_iova_range r[16];
	uint64_t last = iova + length - 1;
	int n, i;

	n = iommunest_ioas_iova_ranges(ctx, ioas, r, 16, NULL);
	if (n < 0)
		return ex_check(n, "IOVA ranges of IOAS %" PRIu32, ioas);
	for (i = 0; i < n && i < 16; i++)
		if (r[i].start <= iova && last <= r[i].last)
			return EX_OK;
	return ex_fail(EX_FAIL, "IOVAs 0x%" PRIx64 "-0x%" PRIx64 " are not "
		       "allowed by this IOMMU", iova, last);
}

void *ex_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void ex_free(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}
