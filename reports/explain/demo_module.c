// SPDX-License-Identifier: GPL-2.0
/* A demo's module by name (demo_module.h). */
#include "demo_module.h"

#include <string.h>

const struct demo_module *demo_module_for(const char *demo)
{
	for (size_t i = 0; i < ndemo_modules; i++)
		if (!strcmp(demo_modules[i]->demo, demo))
			return demo_modules[i];
	return NULL;
}
