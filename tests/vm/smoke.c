/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Harness smoke test for the real-kernel tier: proves that the guest kernel
 * offers /dev/iommu and, in the vfio profile, a VFIO device cdev that binds
 * to iommufd. It deliberately uses raw ioctls and its own copies of the few
 * uAPI definitions it needs, so it depends on neither the library nor the
 * build machine's kernel headers.
 *
 * Build: gcc -static -O2 -o smoke smoke.c
 * Output: TAP-style lines on stdout. Exit: 0 all ok, 1 a check failed.
 * The profile comes from $INEST_PROFILE (set by run-vm.sh's init).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* iommufd uAPI (include/uapi/linux/iommufd.h): type ';', commands 0x80+. */
#define SMOKE_IOMMUFD_TYPE ';'
#define SMOKE_IOMMU_DESTROY _IO(SMOKE_IOMMUFD_TYPE, 0x80)
#define SMOKE_IOMMU_IOAS_ALLOC _IO(SMOKE_IOMMUFD_TYPE, 0x81)

struct smoke_iommu_destroy {
	uint32_t size;
	uint32_t id;
};

struct smoke_iommu_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

/* VFIO uAPI (include/uapi/linux/vfio.h): type ';', base 100. */
#define SMOKE_VFIO_BASE 100
#define SMOKE_VFIO_DEVICE_BIND_IOMMUFD _IO(';', SMOKE_VFIO_BASE + 18)
#define SMOKE_VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(';', SMOKE_VFIO_BASE + 19)

struct smoke_vfio_device_bind_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t iommufd;
	uint32_t out_devid;
};

struct smoke_vfio_device_attach_iommufd_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pt_id;
};

#define SMOKE_VFIO_CDEV "/dev/vfio/devices/vfio0"

static unsigned int test_count;
static unsigned int fail_count;

/* Print one TAP result line; returns cond so callers can chain on it. */
static int check(int cond, const char *fmt, ...)
{
	va_list ap;

	test_count++;
	if (!cond)
		fail_count++;
	printf("%sok %u - ", cond ? "" : "not ", test_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

static int ioas_alloc(int iommufd, uint32_t *id)
{
	struct smoke_iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	if (ioctl(iommufd, SMOKE_IOMMU_IOAS_ALLOC, &cmd))
		return -errno;
	*id = cmd.out_ioas_id;
	return 0;
}

static int destroy(int iommufd, uint32_t id)
{
	struct smoke_iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	return ioctl(iommufd, SMOKE_IOMMU_DESTROY, &cmd) ? -errno : 0;
}

static void test_ioas(int iommufd)
{
	uint32_t id = 0;
	int rc;

	rc = ioas_alloc(iommufd, &id);
	if (!check(rc == 0 && id != 0, "IOMMU_IOAS_ALLOC (rc=%d id=%u)", rc, id))
		return;
	rc = destroy(iommufd, id);
	check(rc == 0, "IOMMU_DESTROY of the IOAS (rc=%d)", rc);
	rc = destroy(iommufd, id);
	check(rc == -ENOENT, "second IOMMU_DESTROY fails with ENOENT (rc=%d)", rc);
}

/* The vfio profile binds QEMU's edu device to vfio-pci before tests run. */
static void test_vfio(int iommufd)
{
	struct smoke_vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = iommufd,
	};
	struct smoke_vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};
	uint32_t ioas = 0;
	int devfd, rc;

	devfd = open(SMOKE_VFIO_CDEV, O_RDWR | O_CLOEXEC);
	if (!check(devfd >= 0, "open %s O_RDWR (errno=%d)", SMOKE_VFIO_CDEV,
		   devfd >= 0 ? 0 : errno))
		return;
	rc = ioctl(devfd, SMOKE_VFIO_DEVICE_BIND_IOMMUFD, &bind) ? -errno : 0;
	if (check(rc == 0, "VFIO_DEVICE_BIND_IOMMUFD (rc=%d devid=%u)", rc,
		  bind.out_devid)) {
		rc = ioas_alloc(iommufd, &ioas);
		if (check(rc == 0, "IOAS for the device (rc=%d)", rc)) {
			attach.pt_id = ioas;
			rc = ioctl(devfd, SMOKE_VFIO_DEVICE_ATTACH_IOMMUFD_PT,
				   &attach) ? -errno : 0;
			check(rc == 0, "VFIO_DEVICE_ATTACH_IOMMUFD_PT (rc=%d hwpt=%u)",
			      rc, attach.pt_id);
		}
	}
	/* Closing the device fd unbinds it; the IOAS then goes with iommufd. */
	check(close(devfd) == 0, "close the VFIO device");
}

int main(void)
{
	const char *profile = getenv("INEST_PROFILE");
	int iommufd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!profile)
		profile = "unknown";
	printf("# smoke: profile %s\n", profile);

	iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (check(iommufd >= 0, "open /dev/iommu (errno=%d)",
		  iommufd >= 0 ? 0 : errno)) {
		test_ioas(iommufd);
		if (strcmp(profile, "vfio") == 0)
			test_vfio(iommufd);
		check(close(iommufd) == 0, "close /dev/iommu");
	}
	printf("1..%u\n", test_count);
	return fail_count ? 1 : 0;
}
