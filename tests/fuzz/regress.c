/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The fuzz inputs kept in the tree, replayed as plain regression tests:
 * every file in <dir>/corpus/<target>/ and every file <dir>/crashes/
 * <target>-* runs through that target, each in a child process, so that
 * a violation (abort()) or a sanitizer report counts as one failure and
 * the rest still run.  No libFuzzer needed: build it with any C compiler,
 * with -DFUZZ_REGRESS, from this file, the fuzz-*.c targets and the
 * library (or linked against it).
 *
 * Usage: regress [dir]   (dir: the tests/fuzz directory; default
 * $srcdir/tests/fuzz, or tests/fuzz).  Prints a line per failure and
 * "fuzz-regress: N passed, N failed"; exits 0 when none failed.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#define INPUT_MAX_BYTES (1u << 20)

struct target {
	const char *name;
	int (*run)(const uint8_t *data, size_t size);
};

static const struct target targets[] = {
	{ "tracker", fuzz_tracker_one },
	{ "batch", fuzz_batch_one },
	{ "guestq-smmuv3", fuzz_guestq_smmuv3_one },
	{ "guestq-vtd", fuzz_guestq_vtd_one },
};

#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static unsigned int passed, failed;

/* Read path whole; NULL (and a message) if it cannot be. */
static uint8_t *slurp(const char *path, size_t *size)
{
	uint8_t *buf = malloc(INPUT_MAX_BYTES);
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!buf || !f) {
		fprintf(stderr, "fuzz-regress: %s: %s\n", path,
			strerror(errno));
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	n = fread(buf, 1, INPUT_MAX_BYTES, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "fuzz-regress: %s: unreadable or over %u "
			"bytes\n", path, INPUT_MAX_BYTES);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

/* Run one input in a child; count the outcome. */
static void run_one(const struct target *t, const char *path)
{
	uint8_t *data;
	size_t size = 0;
	int status;
	pid_t pid;

	data = slurp(path, &size);
	if (!data) {
		failed++;
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "fuzz-regress: fork: %s\n", strerror(errno));
		failed++;
		free(data);
		return;
	}
	if (!pid) {
		t->run(data, size);
		free(data);
		_exit(0);
	}
	free(data);
	if (waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "fuzz-regress: waitpid: %s\n", strerror(errno));
		failed++;
		return;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		passed++;
		return;
	}
	failed++;
	if (WIFSIGNALED(status))
		printf("FAIL: %s (%s): signal %d\n", path, t->name,
		       WTERMSIG(status));
	else
		printf("FAIL: %s (%s): exit %d\n", path, t->name,
		       WEXITSTATUS(status));
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int regular(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Every file of dir, in name order: through t, or (t NULL) through the
 * target its name starts with ("<target>-..."). */
static void run_dir(const char *dir, const struct target *t)
{
	char path[PATH_MAX];
	struct dirent **list;
	struct stat st;
	size_t len;
	int n, i, n_ok;
	unsigned int k;

	n = scandir(dir, &list, regular, by_name);
	if (n < 0)
		return; /* nothing kept there */
	for (i = 0; i < n; i++) {
		const struct target *use = t;

		n_ok = snprintf(path, sizeof(path), "%s/%s", dir,
				list[i]->d_name);
		if (n_ok < 0 || (size_t)n_ok >= sizeof(path) ||
		    stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(list[i]);
			continue;
		}
		for (k = 0; !use && k < NTARGETS; k++) {
			len = strlen(targets[k].name);
			if (!strncmp(list[i]->d_name, targets[k].name, len) &&
			    list[i]->d_name[len] == '-')
				use = &targets[k];
		}
		if (use) {
			run_one(use, path);
		} else {
			printf("FAIL: %s: names no target\n", path);
			failed++;
		}
		free(list[i]);
	}
	free(list);
}

/* dst = a + b, or false if it does not fit. */
static bool join(char *dst, size_t size, const char *a, const char *b)
{
	int n = snprintf(dst, size, "%s%s", a, b);

	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "fuzz-regress: path too long: %s%s\n", a, b);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	char dir[PATH_MAX], sub[PATH_MAX], rel[64];
	unsigned int k;
	bool ok;

	if (argc > 1)
		ok = join(dir, sizeof(dir), argv[1], "");
	else if (srcdir && *srcdir)
		ok = join(dir, sizeof(dir), srcdir, "/tests/fuzz");
	else
		ok = join(dir, sizeof(dir), "tests/fuzz", "");
	for (k = 0; ok && k < NTARGETS; k++) {
		snprintf(rel, sizeof(rel), "/corpus/%s", targets[k].name);
		if (join(sub, sizeof(sub), dir, rel))
			run_dir(sub, &targets[k]);
		else
			failed++;
	}
	if (ok && join(sub, sizeof(sub), dir, "/crashes"))
		run_dir(sub, NULL);
	else
		failed++;
	if (!passed && !failed) {
		printf("fuzz-regress: no inputs in %s\n", dir);
		failed++;
	}
	printf("fuzz-regress: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
