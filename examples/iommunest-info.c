/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest-info: what the IOMMU behind each VFIO device can do.
 *
 * Each device is bound, its hardware information read and decoded, and it
 * is attached to a fresh IOAS: only then does the IOAS know the device's
 * reserved regions (an MSI window, say), so only then are its allowed IOVA
 * ranges the ones a VMM can map guest RAM at.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiommunest/iommunest.h>

#include "common.h"

static const char usage[] =
"usage: iommunest-info [--json] [--mock | DEVICE...]\n"
"\n"
"Bind each VFIO device cdev (DEVICE, default: every one in\n"
EX_CDEV_DIR "), attach it to a fresh IOAS and print what its IOMMU\n"
"can do: type, nesting, dirty tracking, PASID width, page sizes, address\n"
"width and the IOAS's allowed IOVA ranges.  Without any VFIO device the\n"
"kernel's mock IOMMU is used when the kernel has it.\n"
"\n"
"  --json    print JSON instead of a table\n"
"  --mock    use the kernel's mock IOMMU device (CONFIG_IOMMUFD_TEST)\n"
"  -h, --help  print this help\n"
"\n"
"Exit status: 0 all devices read, 1 a device failed (its one-line reason\n"
"on stderr), 2 bad usage, 77 no iommufd or no device here.\n";

/* What was learnt about one device, or why it could not be. */
struct report {
	const char *name;
	uint32_t dev_id;
	struct iommunest_hw_info info;
	struct iommunest_iova_range *ranges;
	int nranges;
	uint64_t alignment;
	int status;       /* this device's exit status; 0: read */
	char error[256];  /* the one-line reason when status != 0 */
};

/* Read every allowed range: ask for the count, then for the ranges. */
static int read_ranges(struct iommunest_ctx *ctx, uint32_t ioas,
		       struct report *r)
{
	int n = iommunest_ioas_iova_ranges(ctx, ioas, NULL, 0, &r->alignment);

	while (n > r->nranges) {
		free(r->ranges);
		r->nranges = n;
		r->ranges = calloc((size_t)n, sizeof(*r->ranges));
		if (!r->ranges)
			return ex_fail(EX_FAIL, "out of memory");
		n = iommunest_ioas_iova_ranges(ctx, ioas, r->ranges,
					       (uint32_t)n, &r->alignment);
	}
	if (n < 0)
		return ex_check(n, "%s: IOVA ranges of IOAS %" PRIu32,
				r->name, ioas);
	r->nranges = n;
	return EX_OK;
}

static int read_device(struct iommunest_ctx *ctx, const struct ex_target *t,
		       struct ex_device *dev, struct report *r)
{
	uint32_t ioas = 0;
	int status;

	status = ex_check(iommunest_ioas_alloc(ctx, &ioas), "IOAS alloc");
	if (!status)
		status = ex_device_attach(ctx, t, dev, ioas);
	if (!status) {
		r->dev_id = dev->dev_id;
		status = ex_check(iommunest_hw_info(ctx, dev->dev_id, &r->info),
				  "%s: hardware info", r->name);
	}
	if (!status)
		status = read_ranges(ctx, ioas, r);
	ex_device_close(ctx, dev);
	if (ioas)
		iommunest_destroy(ctx, ioas);
	return status;
}

/* Open /dev/iommu once, after the first device opened (so that a wrong
 * path is reported as such even where there is no /dev/iommu).  *stop:
 * without /dev/iommu no other device can work either. */
static int probe(struct iommunest_ctx **ctx, const struct ex_target *t,
		 struct report *r, bool *stop)
{
	struct ex_device dev;
	int status;

	r->name = t->path ? t->path : "mock";
	status = ex_device_open(t, &dev);
	if (!status && !*ctx) {
		status = ex_open_iommufd(ctx);
		*stop = status != EX_OK;
	}
	if (!status)
		status = read_device(*ctx, t, &dev, r);
	else
		ex_device_close(NULL, &dev);
	if (status)
		snprintf(r->error, sizeof(r->error), "%s", ex_last_error());
	r->status = status;
	return status;
}

/* ---- Decoding for people ------------------------------------------ */

static const char *type_name(uint32_t type)
{
	switch (type) {
	case IOMMUNEST_HW_INFO_NONE:
		return "none";
	case IOMMUNEST_HW_INFO_INTEL_VTD:
		return "Intel VT-d";
	case IOMMUNEST_HW_INFO_ARM_SMMUV3:
		return "Arm SMMUv3";
	case MOCK_HW_INFO_TYPE:
		return "mock (kernel selftest)";
	}
	return "unknown";
}

/* "4K", "2M", "1G": sizes in the largest unit that divides them. */
static const char *size_str(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (size >= 1024 && !(size % 1024) && u < 5) {
		size /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, size);
	else
		snprintf(buf, len, "%" PRIu64 "%c", size, units[u]);
	return buf;
}

static bool has(const struct report *r, uint64_t cap)
{
	return (r->info.caps & cap) != 0;
}

static void print_row(const char *key, const char *value)
{
	printf("  %-16s %s\n", key, value);
}

static void print_page_sizes(const struct report *r)
{
	char line[256] = "", one[16];
	size_t used = 0;
	int bit;

	if (!r->info.pgsize_bitmap) {
		print_row("page sizes", "unknown");
		return;
	}
	for (bit = 0; bit < 64; bit++) {
		if (!(r->info.pgsize_bitmap >> bit & 1) || used >= sizeof(line))
			continue;
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 "%s%s", used ? " " : "",
					 size_str(1ull << bit, one, sizeof(one)));
	}
	print_row("page sizes", line);
}

static void print_ranges(const struct report *r)
{
	char buf[64];
	int i;

	for (i = 0; i < r->nranges; i++) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64 " - 0x%" PRIx64,
			 r->ranges[i].start, r->ranges[i].last);
		print_row(i ? "" : "IOVA ranges", buf);
	}
	if (!r->nranges)
		print_row("IOVA ranges", "none");
	print_row("IOVA alignment", size_str(r->alignment, buf, sizeof(buf)));
}

static void print_registers(const struct report *r)
{
	char buf[128];
	uint32_t reg;

	if (r->info.type == IOMMUNEST_HW_INFO_INTEL_VTD) {
		snprintf(buf, sizeof(buf), "cap 0x%016" PRIx64
			 " ecap 0x%016" PRIx64, r->info.u.vtd.cap_reg,
			 r->info.u.vtd.ecap_reg);
		print_row("VT-d registers", buf);
	} else if (r->info.type == MOCK_HW_INFO_TYPE && r->info.raw_len >= 8) {
		memcpy(&reg, r->info.raw + 4, sizeof(reg));
		snprintf(buf, sizeof(buf), "test_reg 0x%08" PRIx32, reg);
		print_row("mock registers", buf);
	}
}

static void print_human(const struct report *r)
{
	char buf[64];

	/* A failed device's one-line reason went to stderr already. */
	if (r->status)
		return;
	printf("%s\n", r->name);
	snprintf(buf, sizeof(buf), "%" PRIu32, r->dev_id);
	print_row("device ID", buf);
	snprintf(buf, sizeof(buf), "%s (type %#" PRIx32 ")",
		 type_name(r->info.type), r->info.type);
	print_row("IOMMU", buf);
	print_row("nesting", has(r, IOMMUNEST_CAP_NESTING) ? "yes" : "no");
	print_row("dirty tracking",
		  has(r, IOMMUNEST_CAP_DIRTY_TRACKING) ? "yes" : "no");
	if (r->info.pasid_bits)
		snprintf(buf, sizeof(buf), "%" PRIu32 " bits%s%s",
			 r->info.pasid_bits,
			 has(r, IOMMUNEST_CAP_PASID_EXEC) ? ", exec" : "",
			 has(r, IOMMUNEST_CAP_PASID_PRIV) ? ", priv" : "");
	else
		snprintf(buf, sizeof(buf), "no");
	print_row("PASID", buf);
	print_page_sizes(r);
	if (r->info.addr_bits)
		snprintf(buf, sizeof(buf), "%" PRIu32 " bits", r->info.addr_bits);
	else
		snprintf(buf, sizeof(buf), "unknown");
	print_row("address width", buf);
	print_ranges(r);
	print_registers(r);
}

/* ---- JSON ----------------------------------------------------------- */

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *bool_str(bool b)
{
	return b ? "true" : "false";
}

/* Addresses as hex strings: JSON numbers lose precision past 2^53. */
static void json_ranges(const struct report *r)
{
	int i;

	printf(",\n      \"iova_alignment\": %" PRIu64, r->alignment);
	printf(",\n      \"iova_ranges\": [");
	for (i = 0; i < r->nranges; i++)
		printf("%s\n        {\"start\": \"0x%" PRIx64
		       "\", \"last\": \"0x%" PRIx64 "\"}", i ? "," : "",
		       r->ranges[i].start, r->ranges[i].last);
	printf("%s]", r->nranges ? "\n      " : "");
}

static void json_page_sizes(const struct report *r)
{
	const char *sep = "";
	int bit;

	printf(",\n      \"page_sizes\": ");
	if (!r->info.pgsize_bitmap) {
		printf("null");
		return;
	}
	putchar('[');
	for (bit = 0; bit < 64; bit++) {
		if (r->info.pgsize_bitmap >> bit & 1) {
			printf("%s%llu", sep, 1ull << bit);
			sep = ", ";
		}
	}
	putchar(']');
}

static void json_registers(const struct report *r)
{
	if (r->info.type != IOMMUNEST_HW_INFO_INTEL_VTD)
		return;
	printf(",\n      \"vtd\": {\"cap_reg\": \"0x%016" PRIx64
	       "\", \"ecap_reg\": \"0x%016" PRIx64 "\"}",
	       r->info.u.vtd.cap_reg, r->info.u.vtd.ecap_reg);
}

static void print_json(const struct report *r)
{
	printf("    {\n      \"device\": ");
	json_str(r->name);
	if (r->status) {
		printf(",\n      \"error\": ");
		json_str(r->error);
		printf("\n    }");
		return;
	}
	printf(",\n      \"dev_id\": %" PRIu32, r->dev_id);
	printf(",\n      \"iommu_type\": %" PRIu32 ",\n      \"iommu\": ",
	       r->info.type);
	json_str(type_name(r->info.type));
	printf(",\n      \"nesting\": %s",
	       bool_str(has(r, IOMMUNEST_CAP_NESTING)));
	printf(",\n      \"dirty_tracking\": %s",
	       bool_str(has(r, IOMMUNEST_CAP_DIRTY_TRACKING)));
	printf(",\n      \"pasid_bits\": %" PRIu32, r->info.pasid_bits);
	json_page_sizes(r);
	if (r->info.addr_bits)
		printf(",\n      \"address_bits\": %" PRIu32, r->info.addr_bits);
	else
		printf(",\n      \"address_bits\": null");
	json_ranges(r);
	json_registers(r);
	printf("\n    }");
}

/* ---- Main ----------------------------------------------------------- */

struct options {
	bool json;
	bool mock;
	char **paths; /* the DEVICE arguments */
	int npaths;
};

static int parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "mock", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0; /* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'm':
			o->mock = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(EX_OK);
		default:
			return ex_usage_error("unknown option '%s'",
					      argv[optind - 1]);
		}
	}
	o->paths = argv + optind;
	o->npaths = argc - optind;
	if (o->mock && o->npaths)
		return ex_usage_error("give devices or --mock, not both");
	return EX_OK;
}

/* The targets: the named devices, every cdev, or the mock. */
static int list_targets(const struct options *o, struct ex_target **out,
			int *count)
{
	char **cdevs = NULL;
	struct ex_target *t;
	int n = o->npaths, i;

	if (!o->mock && !n) {
		n = ex_list_cdevs(&cdevs);
		if (n < 0)
			return ex_check(n, "listing " EX_CDEV_DIR);
	}
	t = calloc((size_t)(n ? n : 1), sizeof(*t));
	if (!t) {
		ex_free_paths(cdevs);
		return ex_fail(EX_FAIL, "out of memory");
	}
	for (i = 0; i < n; i++)
		t[i].path = strdup(o->npaths ? o->paths[i] : cdevs[i]);
	/* No device at all: the mock, if the kernel has one. */
	if (!n)
		t[0].fallback = !o->mock;
	ex_free_paths(cdevs);
	*out = t;
	*count = n ? n : 1;
	return EX_OK;
}

static void print_all(const struct report *r, int n, bool json)
{
	int i;

	if (json)
		printf("{\n  \"devices\": [\n");
	for (i = 0; i < n; i++) {
		if (json) {
			print_json(&r[i]);
			printf("%s\n", i + 1 < n ? "," : "");
		} else {
			print_human(&r[i]);
		}
	}
	if (json)
		printf("  ]\n}\n");
}

int main(int argc, char **argv)
{
	struct iommunest_ctx *ctx = NULL;
	struct options o = { 0 };
	struct ex_target *targets = NULL;
	struct report *reports = NULL;
	int status, n = 0, done, i, first = EX_OK;
	bool stop = false;

	ex_init(argv[0]);
	status = parse(argc, argv, &o);
	if (!status)
		status = list_targets(&o, &targets, &n);
	if (status)
		return status;
	reports = calloc((size_t)n, sizeof(*reports));
	if (!reports)
		return ex_fail(EX_FAIL, "out of memory");
	for (done = 0; done < n && !stop; done++) {
		status = probe(&ctx, &targets[done], &reports[done], &stop);
		if (status && !first)
			first = status;
	}
	print_all(reports, done, o.json);
	for (i = 0; i < n; i++) {
		free(reports[i].ranges);
		ex_target_free(&targets[i]);
	}
	free(reports);
	free(targets);
	iommunest_close(ctx);
	return first;
}
