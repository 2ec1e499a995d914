# SPDX-License-Identifier: GPL-2.0
"""02_cpu_bound in CPython: the chapter's program, on the real GIL.

Each task is the seed's loop `for i in range(n): s += (i*i) % 97`:
  py-serial     one worker thread runs every task
  py-threads    worker threads: CPython's GIL lets one run bytecode at a time
  py-processes  forked worker processes, each with its own interpreter and GIL
  py-convoy     Beazley's convoy effect: a server thread answers a request
                every 10 ms from a client process, first alone, then while
                worker threads compute; the client measures each response
Run by build/demos/02_cpu_bound --variant py-... (docs/cpython.md), or
directly: python3 demos/python/02_cpu_bound.py --variant py-threads.
"""
import multiprocessing
import os
import socket
import sys
import threading
import time

import schedlab_demo as sd

DEMO = "02_cpu_bound"
VARIANTS = ["py-serial", "py-threads", "py-processes", "py-convoy"]
CHUNK = 10000  # convoy workers look at the stop flag every CHUNK iterations
TURN = 1000  # a worker notes that it runs every TURN iterations


class Turns:
    """Which thread ran bytecode last: each worker notes itself every TURN
    iterations (about 50 us), and a change is a GIL handoff. It counts what
    the C model's lock counts (gil.handoffs) at that granularity."""

    def __init__(self):
        self.last = None
        self.handoffs = 0

    def note(self, who):
        if self.last is not who:
            if self.last is not None:
                self.handoffs += 1
            self.last = who


def task(n, turns=None, who=None):
    """The seed's loop, in slices of TURN iterations so a worker can note its turn."""
    s = 0
    for base in range(0, n, TURN):
        if turns:
            turns.note(who)
        for i in range(base, min(base + TURN, n)):
            s += (i * i) % 97
    return s


def run_threads(args, workers, turns):
    results = {}

    def job(t):
        results[t] = task(args.n, turns, threading.get_ident())
    sd.Pool(workers, job, range(args.tasks)).run()
    return [results[t] for t in range(args.tasks)]


def process_worker(idx, n, todo, done):
    rec = sd.thread_begin("worker-%d" % (idx + 1))
    out = []
    while True:
        t = todo.get()
        if t is None:
            break
        out.append((t, task(n)))
        rec.tasks += 1
    sd.thread_end(rec)
    done.put((out, rec.as_json()))


def run_processes(args, workers):
    ctx = multiprocessing.get_context("fork")
    todo, done = ctx.SimpleQueue(), ctx.SimpleQueue()
    for t in range(args.tasks):
        todo.put(t)
    for _ in range(workers):
        todo.put(None)
    procs = [ctx.Process(target=process_worker, args=(i, args.n, todo, done))
             for i in range(workers)]
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        out, rec = done.get()
        results.update(out)
        sd.add_record(rec)
    for p in procs:
        p.join()
        if p.exitcode:
            sys.exit("%s: a worker process failed (exit %s)" % (sd.PROG[0], p.exitcode))
    return [results[t] for t in range(args.tasks)]


# ---- py-convoy ---------------------------------------------------------------------
def client(req, ctl, period_ns, requests, out):
    """A process of its own (its own GIL): in each phase the parent starts on
    @ctl, one request every period on @req, each timed from the send to the
    reply's arrival."""
    rec = sd.thread_begin("client")
    lat = {}
    for phase in PHASES:
        if not ctl.recv(16):
            break
        times = []
        next_ns = time.monotonic_ns()
        for _ in range(requests):
            next_ns += period_ns
            delay = next_ns - time.monotonic_ns()
            if delay > 0:
                time.sleep(delay / 1e9)
            t0 = time.monotonic_ns()
            req.send(b"q")
            req.recv(1)
            times.append(time.monotonic_ns() - t0)
            rec.tasks += 1
        lat[phase] = times
        ctl.send(b"done")
    req.send(b"x")  # the server may stop
    sd.thread_end(rec)
    out.put((lat, rec.as_json()))


def server(sock):
    """The I/O thread: blocks in recv (the GIL released), answers, repeats."""
    rec = sd.thread_begin("server")
    while True:
        req = sock.recv(1)
        if not req or req == b"x":
            break
        sock.send(b"a")
        rec.tasks += 1
    sd.thread_end(rec)


def spinner(idx, stop, out):
    """A CPU-bound worker for py-convoy: the task's loop, in chunks, until stopped."""
    rec = sd.thread_begin("worker-%d" % (idx + 1))
    s = 0
    while not stop.is_set():
        s += task(CHUNK)
        rec.tasks += 1
    out[idx] = s
    sd.thread_end(rec)


PHASES = ("alone", "with_cpu")


def run_convoy(args, workers):
    """Returns the "convoy" object of demo.json."""
    ctx = multiprocessing.get_context("fork")
    srv_sock, cli_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ctl, ctl_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    out = ctx.SimpleQueue()
    period_ns = args.period_ms * 1000000
    cli = ctx.Process(target=client, args=(cli_sock, ctl_child, period_ns, args.requests, out))
    cli.start()
    cli_sock.close()
    ctl_child.close()
    srv = threading.Thread(target=server, args=(srv_sock,))
    srv.start()
    spans = {}
    for phase in PHASES:
        stop, sums, spin = threading.Event(), {}, []
        if phase == "with_cpu":
            spin = [threading.Thread(target=spinner, args=(i, stop, sums))
                    for i in range(workers)]
            for t in spin:
                t.start()
        t0 = time.monotonic_ns()
        ctl.send(b"go")
        ctl.recv(16)
        spans[phase] = (t0, time.monotonic_ns())
        stop.set()
        for t in spin:
            t.join()
    lat, rec = out.get()
    sd.add_record(rec)
    cli.join()
    srv.join()
    ctl.close()
    srv_sock.close()
    res = {"period_ns": period_ns, "requests": args.requests, "workers": workers}
    for phase in PHASES:
        res[phase] = sd.quantiles(lat[phase])
        res[phase]["start_ns"], res[phase]["end_ns"] = spans[phase]
    return res


def run_variant(args, variant, workers):
    params = {"tasks": args.tasks, "n": args.n, "quick": args.quick,
              "workers": 1 if variant == "py-serial" else workers,
              "switch_interval_ms": sys.getswitchinterval() * 1e3}
    with sd.variant_result(DEMO, variant, params) as res:
        convoy, turns = None, Turns()
        start = time.monotonic_ns()
        if variant == "py-processes":
            sums = run_processes(args, workers)
        elif variant == "py-convoy":
            convoy = run_convoy(args, workers)
            sums = []
        else:
            sums = run_threads(args, 1 if variant == "py-serial" else workers, turns)
        end = time.monotonic_ns()
        sd.set_wall(res, start, end)
        if variant in ("py-serial", "py-threads"):
            res["gil"] = {"switch_interval_ns": res["python"]["switch_interval_ns"],
                          "handoffs": turns.handoffs}
        if convoy:
            res["params"].update(period_ms=args.period_ms, requests=args.requests)
            del res["params"]["tasks"], res["params"]["n"]
            res["convoy"] = convoy
        else:
            res["checksum"] = sum(sums)
            res["task_result"] = sums[0]
    return res


def main():
    cpus = sd.cpus_usable()
    p = sd.parser(DEMO, __doc__.split("\n\n")[0],
                  "variants: " + ", ".join(VARIANTS))
    p.add_argument("--tasks", type=sd.positive("--tasks", 1, 4096), help="tasks (default 8)")
    p.add_argument("--n", type=sd.positive("--n", 0, 3000000000),
                   help="loop iterations per task (default 30,000,000)")
    p.add_argument("--workers", type=sd.positive("--workers", 1, 1024),
                   help="worker threads or processes (default max(2, CPUs/2))")
    p.add_argument("--switch-interval", type=sd.positive("--switch-interval", 1, 10000),
                   metavar="MS", help="sys.setswitchinterval(MS/1000) (default: CPython's, 5 ms)")
    p.add_argument("--period-ms", type=sd.positive("--period-ms", 1, 1000), default=10,
                   help="py-convoy: one request every MS ms (default 10)")
    p.add_argument("--requests", type=sd.positive("--requests", 1, 100000),
                   help="py-convoy: requests per phase (default 200, --quick 50)")
    args = p.parse_args()
    todo = sd.settle(args, VARIANTS)
    args.tasks = args.tasks or (4 if args.quick else 8)
    args.n = args.n if args.n is not None else (2000000 if args.quick else 30000000)
    args.requests = args.requests or (50 if args.quick else 200)
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)
    workers = args.workers or max(2, cpus // 2)
    results = []
    for v in todo:
        res = run_variant(args, v, workers)
        results.append(res)
        if "convoy" in res:
            c = res["convoy"]
            print("%s: response p50 %.2f ms, p99 %.2f ms alone; p50 %.2f ms, p99 %.2f ms "
                  "with %d CPU-bound threads" % (
                      v, c["alone"]["p50"] / 1e6, c["alone"]["p99"] / 1e6,
                      c["with_cpu"]["p50"] / 1e6, c["with_cpu"]["p99"] / 1e6, workers))
        else:
            print("%s: %d tasks in %.3f s, checksum %d" % (v, args.tasks, res["wall_s"],
                                                         res["checksum"]))
        sys.stdout.flush()
    sd.finish(results, DEMO, args)


if __name__ == "__main__":
    main()
