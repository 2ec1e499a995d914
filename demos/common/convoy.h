/* SPDX-License-Identifier: GPL-2.0 */
/* The convoy effect (Beazley): an I/O thread that shares an interpreter lock
 * with CPU-bound threads answers late, because each time it wakes from I/O it
 * must wait for the lock. 02_cpu_bound's `convoy` variant runs it on the
 * model's GIL (gil.h); demos/python/02_cpu_bound.py's `py-convoy` on
 * CPython's, the same way:
 *
 *   client   a process of its own: one request every period over a
 *            socketpair, each timed from send to reply
 *   server   a thread that drops the lock around each blocking recv and
 *            send (as CPython does around a blocking call) and holds it
 *            in between
 *   worker-N CPU-bound threads running the task's loop on the VM, holding
 *            the lock, in the second phase only
 *
 * Phase "alone": the server and the client; phase "with_cpu": the same while
 * the workers compute. */
#ifndef SCHEDLAB_CONVOY_H
#define SCHEDLAB_CONVOY_H

#include <jansson.h>
#include <stdint.h>

struct gil;
struct vm_program;

struct convoy_params {
	uint64_t period_ns;    /* one request every period */
	unsigned int requests; /* per phase */
	int workers;	       /* CPU-bound threads in the second phase */
};

/* Run both phases on @gil; every thread records itself (threads.h). Returns
 * demo.json's "convoy" object {period_ns, requests, workers, alone,
 * with_cpu: {count, min, p50, p99, max, mean, start_ns, end_ns,
 * server_gil_wait: {count, min, p50, p99, max, mean}: the server's lock
 * waits per request, after its recv and after its send}}, or NULL
 * after printing what failed. */
json_t *convoy_run(const struct convoy_params *p, struct gil *gil, const struct vm_program *prog);

#endif
