/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C++ symbol names as the program's source spells them. The ELF symbol
 * tables hold the Itanium C++ ABI's mangled names
 * ("_ZN4node9inspector12_GLOBAL__N_1L25start_io_thread_semaphoreE"); the
 * report names a lock by its symbol, so it reads them back with the C++
 * runtime's own demangler, libstdc++'s abi::__cxa_demangle (the one c++filt
 * and gdb agree with), not one of ours.
 */
#ifndef SCHEDLAB_DEMANGLE_H
#define SCHEDLAB_DEMANGLE_H

#include <stddef.h>

/* @name demangled into @buf ("node::inspector::(anonymous
 * namespace)::start_io_thread_semaphore"), or copied as it is when it is not
 * a mangled C++ name (a C symbol). Returns @buf. */
const char *demangle(const char *name, char *buf, size_t len);

#endif
