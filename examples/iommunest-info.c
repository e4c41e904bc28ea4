/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * iommunest-info: what the IOMMU behind each VFIO device can do.
 *
 * Each device is bound, its hardware information read and decoded, and it
 * is attached to a fresh IOAS: only then does the IOAS know the device's
 * reserved regions (an MSI window, say), so only then are its allowed IOVA
 * ranges the ones a VMM can map guest RAM at.  Then come the kernel's
 * iommufd commands and, per device, the nesting types its IOMMU takes,
 * confirmed by allocating (and destroying) scratch objects.
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
"width, the IOAS's allowed IOVA ranges and the nesting types it takes\n"
"(confirmed with scratch objects); then the kernel's iommufd commands.\n"
"Without any VFIO device the kernel's mock IOMMU is used when the kernel\n"
"has it.\n"
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
	struct iommunest_features feat; /* types confirmed by allocation */
	int status;       /* this device's exit status; 0: read */
	char error[256];  /* the one-line reason when status != 0 */
};

/* The kernel's commands, once /dev/iommu was opened. */
struct kernel_report {
	bool read;
	struct iommunest_features feat;
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
	if (!status)
		status = ex_check(iommunest_features(ctx, dev->dev_id,
						     IOMMUNEST_FEATURES_PROBE,
						     &r->feat),
				  "%s: features", r->name);
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

/* ---- Features: the kernel's commands, a device's nesting types ------- */

/* iommufd commands by number - 0x80, without their IOMMU_ prefix. */
static const char *const cmd_names[] = {
	"DESTROY", "IOAS_ALLOC", "IOAS_ALLOW_IOVAS", "IOAS_COPY",
	"IOAS_IOVA_RANGES", "IOAS_MAP", "IOAS_UNMAP", "OPTION", "VFIO_IOAS",
	"HWPT_ALLOC", "GET_HW_INFO", "HWPT_SET_DIRTY_TRACKING",
	"HWPT_GET_DIRTY_BITMAP", "HWPT_INVALIDATE", "FAULT_QUEUE_ALLOC",
	"IOAS_MAP_FILE", "VIOMMU_ALLOC", "VDEVICE_ALLOC",
	"IOAS_CHANGE_PROCESS", "VEVENTQ_ALLOC", "HW_QUEUE_ALLOC",
	"IOAS_NOIOMMU_GET_PA",
	[0xa0 - 0x80] = "TEST_CMD",
};

/* The name of command bit, NULL for a number the table does not name. */
static const char *cmd_name(unsigned int bit)
{
	return bit < EX_ARRAY_SIZE(cmd_names) ? cmd_names[bit] : NULL;
}

/* One type set of struct iommunest_features: its names by bit. */
struct type_set {
	const char *key;  /* table row */
	const char *json; /* JSON member */
	const char *names[32];
};

static const struct type_set type_sets[] = {
	{ "nested data", "hwpt_data_types",
	  { [1] = "VTD_S1", [2] = "ARM_SMMUV3", [3] = "AMD_GUEST",
	    [31] = "SELFTEST" } },
	{ "vIOMMU types", "viommu_types",
	  { [1] = "ARM_SMMUV3", [2] = "TEGRA241_CMDQV", [31] = "SELFTEST" } },
	{ "invalidation", "inv_types",
	  { [0] = "VTD_S1", [1] = "ARM_SMMUV3", [31] = "SELFTEST" } },
	{ "vEVENTQ types", "veventq_types",
	  { [1] = "ARM_SMMUV3", [2] = "TEGRA241_CMDQV", [31] = "SELFTEST" } },
	{ "HW queue types", "hw_queue_types",
	  { [1] = "TEGRA241_CMDQV", [31] = "SELFTEST" } },
};

static uint32_t set_bits(const struct iommunest_features *f, size_t set)
{
	const uint32_t bits[] = { f->hwpt_data_types, f->viommu_types,
				  f->inv_types, f->veventq_types,
				  f->hw_queue_types };

	return bits[set];
}

/* The name of bit in set t; buf holds "type N" for an unnamed one. */
static const char *type_str(const struct type_set *t, int bit, char *buf,
			    size_t len)
{
	if (t->names[bit])
		return t->names[bit];
	snprintf(buf, len, "type %d", bit);
	return buf;
}

/* The set's names, space separated, or "none". */
static const char *set_str(const struct type_set *t, uint32_t bits,
			   char *line, size_t len)
{
	char one[16];
	size_t used = 0;
	int bit;

	snprintf(line, len, "none");
	for (bit = 0; bit < 32; bit++) {
		if (!(bits >> bit & 1) || used >= len)
			continue;
		used += (size_t)snprintf(line + used, len - used, "%s%s",
					 used ? " " : "",
					 type_str(t, bit, one, sizeof(one)));
	}
	return line;
}

static void print_features(const struct report *r)
{
	char line[256];
	size_t i;

	for (i = 0; i < EX_ARRAY_SIZE(type_sets); i++)
		print_row(type_sets[i].key,
			  set_str(&type_sets[i], set_bits(&r->feat, i), line,
				  sizeof(line)));
	print_row("types", r->feat.flags & IOMMUNEST_FEATURES_PROBED ?
		  "confirmed by allocation" : "derived");
}

/* The commands the kernel has, a few names a row. */
static void print_kernel(const struct kernel_report *k)
{
	char line[128] = "";
	const char *key = "commands", *name;
	size_t used = 0;
	unsigned int bit;

	if (!k->read)
		return;
	printf("kernel features\n");
	for (bit = 0; bit < 64; bit++) {
		name = cmd_name(bit);
		if (!(k->feat.ioctls >> bit & 1) || !name)
			continue;
		if (used && used + strlen(name) + 1 > 56) {
			print_row(key, line);
			key = "";
			used = 0;
		}
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 "%s%s", used ? " " : "", name);
	}
	print_row(key, used ? line : "none");
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
	print_features(r);
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

static void json_features(const struct report *r)
{
	const char *sep;
	size_t i;
	int bit;
	char one[16];

	printf(",\n      \"features\": {\n        \"probed\": %s",
	       bool_str(r->feat.flags & IOMMUNEST_FEATURES_PROBED));
	for (i = 0; i < EX_ARRAY_SIZE(type_sets); i++) {
		printf(",\n        \"%s\": [", type_sets[i].json);
		sep = "";
		for (bit = 0; bit < 32; bit++) {
			if (!(set_bits(&r->feat, i) >> bit & 1))
				continue;
			printf("%s", sep);
			json_str(type_str(&type_sets[i], bit, one,
					  sizeof(one)));
			sep = ", ";
		}
		putchar(']');
	}
	printf("\n      }");
}

/* The kernel's commands; null when /dev/iommu could not be opened. */
static void json_kernel(const struct kernel_report *k)
{
	const char *sep = "", *name;
	unsigned int bit;

	if (!k->read) {
		printf("null");
		return;
	}
	printf("{\n    \"ioctls\": \"0x%" PRIx64 "\",\n    \"commands\": [",
	       k->feat.ioctls);
	for (bit = 0; bit < 64; bit++) {
		name = cmd_name(bit);
		if (!(k->feat.ioctls >> bit & 1) || !name)
			continue;
		printf("%s", sep);
		json_str(name);
		sep = ", ";
	}
	printf("]\n  }");
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
	json_features(r);
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

static void print_all(const struct report *r, int n,
		      const struct kernel_report *k, bool json)
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
	if (json) {
		printf("  ],\n  \"kernel\": ");
		json_kernel(k);
		printf("\n}\n");
	} else {
		print_kernel(k);
	}
}

int main(int argc, char **argv)
{
	struct iommunest_ctx *ctx = NULL;
	struct kernel_report kernel = { 0 };
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
	if (ctx) {
		status = ex_check(iommunest_features(ctx, 0, 0, &kernel.feat),
				  "kernel features");
		kernel.read = !status;
		if (status && !first)
			first = status;
	}
	print_all(reports, done, &kernel, o.json);
	for (i = 0; i < n; i++) {
		free(reports[i].ranges);
		ex_target_free(&targets[i]);
	}
	free(reports);
	free(targets);
	iommunest_close(ctx);
	return first;
}
