/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
#include "suites.h"

Suite *suite_device(void)
{
	return suite_create("device");
}
