/* SPDX-License-Identifier: GPL-2.0 */
/* Naming a lock's futex words, for a demo's JSON "locks" list, so that a futex
 * wait the eBPF collector sees on an address can be called "the GIL" or "the
 * queue's not_full condvar" instead of 0x7f...
 *
 * glibc 2.36 (Debian 12), x86-64:
 *   pthread_mutex_t: FUTEX_WAIT on the mutex's __data.__lock, offset 0, so
 *     the word's address is the mutex's own address.
 *   pthread_cond_t (struct __pthread_cond_s): pthread_cond_wait and
 *     pthread_cond_timedwait wait on __g_signals[g] (g = the waiter's group,
 *     0 or 1, alternating); the signaller may wait on __g_refs[g] while it
 *     closes a group; the condvar's internal lock is the low bits of
 *     __g1_orig_size; pthread_cond_destroy waits on __wrefs.
 *   The mutex a waiter passes is retaken after the wait: a thread woken from a
 *     condvar can then block again on the mutex's own word.
 * Each entry is {"name", "addr" (the futex word), "pid", "object" (the
 * pthread object's address), "word" (the glibc field)}. */
#ifndef SCHEDLAB_LOCKS_H
#define SCHEDLAB_LOCKS_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

/* @addr is the pthread object's address in process @pid: the caller may be
 * another process (a forked worker reports its lock to the parent), so the
 * object is never dereferenced, only offsets are added. */
void locks_add_mutex(json_t *locks, const char *name, pid_t pid, uintptr_t addr);
void locks_add_cond(json_t *locks, const char *name, pid_t pid, uintptr_t addr);
/* "0x..." for @p */
void locks_addr(char *buf, size_t len, const void *p);

#endif
