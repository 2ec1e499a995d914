// SPDX-License-Identifier: GPL-2.0
/* Build-time generator: where the GIL's futex words sit inside _PyRuntime,
 * computed by the C compiler from one installed CPython's own internal
 * headers (compiled with Py_BUILD_CORE -I PREFIX/include/python3.X), never
 * typed by hand. Prints one initializer of struct gil_layout
 * (reports/cpython.h); demos/../reports/build.mk collects one line per
 * header set into build/gen/gil_layouts.h.
 *
 *   3.11       _PyRuntime.ceval.gil                  (one GIL per runtime)
 *   3.12, 3.13 _PyRuntime._main_interpreter._gil      (the main interpreter's)
 * struct _gil_runtime_state holds cond, mutex, switch_cond, switch_mutex
 * (pthread types on Linux; FORCE_SWITCHING is always on). */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <internal/pycore_runtime.h>
#if PY_VERSION_HEX >= 0x030C0000
#include <internal/pycore_interp.h>
#endif

#include <stddef.h>
#include <stdio.h>

#if PY_VERSION_HEX >= 0x030C0000
#define GIL_FIELD _main_interpreter._gil
#elif PY_VERSION_HEX >= 0x030B0000
#define GIL_FIELD ceval.gil
#else
#error "CPython before 3.11 is not supported: its GIL is laid out differently"
#endif

#define OFF(member) offsetof(_PyRuntimeState, GIL_FIELD.member)
#define SIZE(member) sizeof(((_PyRuntimeState *)0)->GIL_FIELD.member)

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s INCLUDE_DIR (the headers this was compiled with)\n",
			argv[0]);
		return 2;
	}
	printf("{\"%s\", \"%s\", %d, %d, %zu, {"
	       "{\"GIL mutex\", %zu, %zu}, {\"GIL cond\", %zu, %zu}, "
	       "{\"GIL switch mutex\", %zu, %zu}, {\"GIL switch cond\", %zu, %zu}}},\n",
	       argv[1], PY_VERSION, PY_MAJOR_VERSION, PY_MINOR_VERSION, sizeof(_PyRuntimeState),
	       OFF(mutex), SIZE(mutex), OFF(cond), SIZE(cond), OFF(switch_mutex),
	       SIZE(switch_mutex), OFF(switch_cond), SIZE(switch_cond));
	return 0;
}
