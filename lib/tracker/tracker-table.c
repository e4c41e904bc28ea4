/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* The tracker's tables of domains and devices: sorted by ID, looked up
 * by binary search; they change only when the guest adds or drops one. */
#include <stdlib.h>
#include <string.h>

#include "tracker.h"

static uint32_t id_of(const void *obj)
{
	return *(const uint32_t *)obj; /* every entry starts with its ID */
}

/* Index of id, or of where it would go. */
static uint32_t lower_bound(const struct idtab *tab, uint32_t id)
{
	uint32_t lo = 0, hi = tab->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (id_of(tab->v[mid]) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *idtab_find(const struct idtab *tab, uint32_t id)
{
	uint32_t i = lower_bound(tab, id);

	return i < tab->n && id_of(tab->v[i]) == id ? tab->v[i] : NULL;
}

int idtab_insert(struct idtab *tab, void *obj)
{
	uint32_t i = lower_bound(tab, id_of(obj));

	if (i < tab->n && id_of(tab->v[i]) == id_of(obj))
		return -EEXIST;
	if (tab->n == tab->cap) {
		uint32_t cap = tab->cap ? 2 * tab->cap : 16;
		void **v = realloc(tab->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		tab->v = v;
		tab->cap = cap;
	}
	memmove(&tab->v[i + 1], &tab->v[i], (tab->n - i) * sizeof(*tab->v));
	tab->v[i] = obj;
	tab->n++;
	return 0;
}

void idtab_remove(struct idtab *tab, uint32_t id)
{
	uint32_t i = lower_bound(tab, id);

	if (i == tab->n || id_of(tab->v[i]) != id)
		return;
	memmove(&tab->v[i], &tab->v[i + 1], (tab->n - i - 1) * sizeof(*tab->v));
	tab->n--;
}

void idtab_fini(struct idtab *tab)
{
	free(tab->v);
	*tab = (struct idtab){ 0 };
}
