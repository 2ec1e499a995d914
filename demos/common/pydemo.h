/* SPDX-License-Identifier: GPL-2.0 */
/* The py-* variants of a demo: the chapter's own program in real CPython
 * (demos/python/NN_name.py), run by the demo's binary so that
 * `build/demos/02_cpu_bound --variant py-threads` is a variant like any other
 * and scripts/trace, the tests and the report need no special case.
 *
 * The Python sources are built into the binary (demos/build.mk); a py-*
 * variant execs the python3 of scripts/setup (/usr/bin/python3, or
 * $SCHEDLAB_PYTHON) in the same process, with the same arguments, so the
 * collector keeps following the same pid. See docs/cpython.md. */
#ifndef SCHEDLAB_PYDEMO_H
#define SCHEDLAB_PYDEMO_H

#define PYDEMO_PYTHON "/usr/bin/python3"

/* Called first in a demo's main(), with its name ("02_cpu_bound": the
 * Python program's) and its py-* variant names
 * (NULL-terminated). When argv has --variant py-..., exec CPython on the
 * demo's Python program with the same arguments: returns only when argv asks
 * for no py-* variant. Also makes cli_variant() list @py_variants after the
 * C ones (--list-variants) and name them in its messages. An unknown py-*
 * name exits 2; python3 that cannot be started exits 1, naming it. A name
 * ending in '*' ("py-threads-*") stands for every name it begins, which the
 * Python program checks itself. */
void pydemo_exec_if_asked(int argc, char **argv, const char *demo, const char *const *py_variants);

/* The interpreter a py-* variant runs: $SCHEDLAB_PYTHON, else PYDEMO_PYTHON. */
const char *pydemo_python(void);

#endif
