// SPDX-License-Identifier: GPL-2.0
/* The table of every demo's module: one line each in modules.def. A static
 * library drops objects nothing references, so the table is explicit. */
#include "demo_module.h"

#define DEMO_MODULE(m) extern const struct demo_module m;
#include "modules.def"
#undef DEMO_MODULE

const struct demo_module *const demo_modules[] = {
#define DEMO_MODULE(m) &m,
#include "modules.def"
#undef DEMO_MODULE
};
const size_t ndemo_modules = sizeof(demo_modules) / sizeof(demo_modules[0]);
