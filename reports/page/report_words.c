// SPDX-License-Identifier: GPL-2.0
/* Words: the kernel's terms the page uses, each in a line a student reads
 * once; each term's first use on the page links here (doc_term). */
#include "report.h"

static const char *const words[][2] = {
    {"running", "on a CPU, executing the thread's own code or the kernel's on its behalf."},
    {"runnable", "ready to run, waiting in a CPU's run queue for its turn (run-queue "
		 "latency is how long)."},
    {"futex", "the kernel's wait for a word in memory to change: how a pthread mutex, a "
	      "condition variable or a join blocks (the lock state)."},
    {"involuntary switch", "the kernel took the CPU away (its time slice ended, or a "
			   "thread that mattered more woke); a voluntary one is a thread "
			   "blocking by itself."},
    {"softirq", "work the kernel defers out of an interrupt, such as delivering a network "
		"packet: it wakes the thread the packet was for."},
    {"steal", "time the hypervisor ran another guest on this virtual CPU: the thread "
	      "thought it ran, but did not."},
    {"critical path", "walking back from the end: at each moment, the one thing the "
		      "finish waited on (a thread running, or what it waited for)."},
    {"address-space lock", "the lock (mmap_lock) guarding a process's memory map: mmap "
			   "and munmap take it to change the map, page faults to read it; "
			   "a thread waiting for it waits uninterruptibly (the disk state), "
			   "though no disk is involved."},
};

void report_words(struct report *rp)
{
	struct doc_block *l = doc_links(&rp->doc);

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		doc_term(&rp->doc, l, words[i][0], words[i][1]);
}
