# SPDX-License-Identifier: GPL-2.0
"""04_backpressure in CPython: a producer puts an item every 1 ms, a consumer
takes 5 ms per item, for 5 s, through queue.Queue() (unbounded) or
queue.Queue(maxsize=200) (bounded: put() blocks when full).
Run by build/demos/04_backpressure --variant py-... (docs/cpython.md)."""
import queue
import threading
import time

import schedlab_demo as sd

DEMO = "04_backpressure"
VARIANTS = ["py-unbounded", "py-bounded"]


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


def left(stop_ns):
    """Seconds until the end of the run (a blocking put or get waits no longer)."""
    return max(0.0, (stop_ns - time.monotonic_ns()) / 1e9)


def producer(q, stop_ns, period_ns, stats):
    rec = sd.thread_begin("producer")
    next_ns = time.monotonic_ns()
    while time.monotonic_ns() < stop_ns:
        next_ns += period_ns
        t0 = time.monotonic_ns()
        try:
            q.put((t0, bytearray(64)), timeout=left(stop_ns))  # blocks while full
        except queue.Full:
            break
        stats["put_wait_ns"] += time.monotonic_ns() - t0
        rec.tasks += 1
        delay = next_ns - time.monotonic_ns()
        if delay > 0:
            time.sleep(delay / 1e9)
    sd.thread_end(rec)


def consumer(q, work_s, stop_ns, lat):
    rec = sd.thread_begin("consumer")
    while time.monotonic_ns() < stop_ns:
        try:
            item = q.get(timeout=left(stop_ns))
        except queue.Empty:
            break
        lat.append(time.monotonic_ns() - item[0])
        time.sleep(work_s)  # the consumer's 5 ms per item
        rec.tasks += 1
    sd.thread_end(rec)


def run_variant(args, variant):
    cap = args.capacity if variant == "py-bounded" else 0
    params = {"duration_s": args.duration, "produce_ms": args.produce_ms,
              "consume_ms": args.consume_ms, "capacity": cap, "payload_bytes": 64,
              "quick": args.quick}
    with sd.variant_result(DEMO, variant, params) as res:
        q = queue.Queue(maxsize=cap)
        stats, lat, maxb = {"put_wait_ns": 0}, [], [0]
        rss0 = rss_kib()
        start = time.monotonic_ns()
        stop = start + int(args.duration * 1e9)
        p = threading.Thread(target=producer, args=(q, stop, args.produce_ms * 1000000, stats))
        c = threading.Thread(target=consumer, args=(q, args.consume_ms / 1000, stop, lat))
        p.start()
        c.start()
        while p.is_alive():  # main samples the backlog every 100 ms
            maxb[0] = max(maxb[0], q.qsize())
            p.join(0.1)
        c.join()
        end = time.monotonic_ns()
        sd.set_wall(res, start, end)
        recs = {r.name: r for r in sd.records()}
        res.update(produced=recs["producer"].tasks, consumed=recs["consumer"].tasks,
                   backlog=q.qsize(), max_backlog=max(maxb[0], q.qsize()))
        res["queue"] = {"capacity": cap, "put_wait_ns": stats["put_wait_ns"]}
        ql = sd.quantiles(lat)
        res["latency"] = {"count": ql["count"], "mean_ns": ql["mean"], "p50_ns": ql["p50"],
                          "p99_ns": ql["p99"], "max_ns": ql["max"]}
        res["rss"] = {"start_kib": rss0, "end_kib": rss_kib(), "growth_kib": rss_kib() - rss0}
    print("%s %s: produced %d, consumed %d, backlog %d (max %d), latency p99 %.1f ms" % (
        DEMO, variant, res["produced"], res["consumed"], res["backlog"], res["max_backlog"],
        ql["p99"] / 1e6))
    return res


def main():
    p = sd.parser(DEMO, __doc__.split("\n\n")[0], "variants: " + ", ".join(VARIANTS))
    p.add_argument("--duration", type=sd.positive("--duration", 0.1, 3600.0, float),
                   metavar="S", help="seconds of producing (default 5, --quick 1)")
    p.add_argument("--produce-ms", type=sd.positive("--produce-ms", 1, 10000), default=1,
                   help="one item every MS ms (default 1)")
    p.add_argument("--consume-ms", type=sd.positive("--consume-ms", 1, 10000), default=5,
                   help="MS ms per item taken (default 5)")
    p.add_argument("--capacity", type=sd.positive("--capacity", 1, 1000000), default=200,
                   help="py-bounded's queue size (default 200)")
    args = p.parse_args()
    todo = sd.settle(args, VARIANTS)
    args.duration = args.duration or (1.0 if args.quick else 5.0)
    sd.finish([run_variant(args, v) for v in todo], DEMO, args)


if __name__ == "__main__":
    main()
