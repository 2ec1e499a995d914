/* SPDX-License-Identifier: GPL-2.0 */
/* Syscall names (generated from asm/unistd_64.h) and what blocking in each means. */
#ifndef SYSCALL_NAMES_H
#define SYSCALL_NAMES_H

#include <stdint.h>

/* The syscall's name, or NULL when this architecture has no such number. */
const char *syscall_name(unsigned int nr);

/* Fills class[0..n) with enum st_syscall_class values by syscall name. */
void syscall_classes(uint8_t *class, unsigned int n);

#endif
