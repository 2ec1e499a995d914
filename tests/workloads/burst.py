# SPDX-License-Identifier: GPL-2.0
"""burst.py [N]: the stress workload `burst` in CPython, for the collector's
truth suite (tests/integration/collector_truth.sh). N threads (default 48)
started at once, each 10 times computing about 0.5 ms (holding the GIL) and
sleeping 20 ms (time.sleep), while a mover thread keeps moving each between
the first two CPUs this process may use (os.sched_setaffinity), as the load
balancer does: a thread that sleeps still queued (EEVDF's delayed dequeue) is
moved, and the kernel counts part of its sleep as run-queue wait. The suite
runs CPU hogs beside it. Prints how many processes and threads it made."""
import os
import sys
import threading
import time


def compute(seconds):
    end = time.thread_time() + seconds
    x = 0
    while time.thread_time() < end:
        x += 1
    return x


def work(tids, i):
    tids[i] = threading.get_native_id()
    for _ in range(10):
        compute(0.0005)
        time.sleep(0.02)
    tids[i] = 0  # done: the mover leaves it alone from here


def move(tids, cpus):
    """Each working thread to the other CPU, round after round, until all are done
    (-1: not started yet)."""
    k = 0
    while any(tids):
        for i, tid in enumerate(tids):
            if tid > 0:
                try:
                    os.sched_setaffinity(tid, {cpus[(k + i) & 1]})
                except ProcessLookupError:
                    pass  # it ended between the read and the move
        k += 1
        time.sleep(0)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 48
    cpus = sorted(os.sched_getaffinity(0))[:2]
    tids = [-1] * n
    threads = [threading.Thread(target=work, args=(tids, i)) for i in range(n)]
    for t in threads:
        t.start()
    mover = threading.Thread(target=move, args=(tids, cpus)) if len(cpus) == 2 else None
    if mover:
        mover.start()
    for t in threads:
        t.join()
    if mover:
        mover.join()
    print("processes 1 threads %d" % (1 + n + (mover is not None)))


if __name__ == "__main__":
    main()
