# SPDX-License-Identifier: GPL-2.0
"""03_event_loop in CPython: 50 asyncio tasks that each wait 0.2 s, with
`await asyncio.sleep` (the loop runs others meanwhile) or with a blocking
`time.sleep` inside the coroutine (the loop's thread sleeps, nothing else
runs). The loop runs on a thread named "loop", as in the C demo.
Run by build/demos/03_event_loop --variant py-... (docs/cpython.md)."""
import asyncio
import threading
import time

import schedlab_demo as sd

DEMO = "03_event_loop"
VARIANTS = ["py-await", "py-blocking"]


async def task(blocking, wait_s, t0, starts, ends):
    starts.append(time.monotonic_ns() - t0)
    if blocking:
        time.sleep(wait_s)  # blocks the loop's thread
    else:
        await asyncio.sleep(wait_s)
    ends.append(time.monotonic_ns())


async def run_all(blocking, tasks, wait_s, out):
    t0 = time.monotonic_ns()
    starts, ends = [], []
    await asyncio.gather(*(task(blocking, wait_s, t0, starts, ends) for _ in range(tasks)))
    out.update(t0=t0, starts=starts, ends=ends)


def loop_thread(blocking, tasks, wait_s, out):
    rec = sd.thread_begin("loop")
    asyncio.run(run_all(blocking, tasks, wait_s, out))
    rec.tasks = len(out["ends"])
    sd.thread_end(rec)


def run_variant(args, variant):
    blocking = variant == "py-blocking"
    params = {"tasks": args.tasks, "wait_s": args.wait, "quick": args.quick}
    with sd.variant_result(DEMO, variant, params) as res:
        out = {}
        start = time.monotonic_ns()
        t = threading.Thread(target=loop_thread, args=(blocking, args.tasks, args.wait, out))
        t.start()
        t.join()
        end = time.monotonic_ns()
        sd.set_wall(res, start, end)
        res["tasks_done"] = len(out["ends"])
        limit = args.tasks * args.wait if blocking else args.wait
        res["limit_s"] = limit
        res["from_limit_pct"] = 100.0 * (res["wall_s"] - limit) / limit if limit else 0.0
        # a task's lateness: how much later than its wait it ended, from the loop's start
        late = [e - out["t0"] - int(args.wait * 1e9) for e in out["ends"]]
        res["task_latency"] = {"start_delay_ns": sd.quantiles(out["starts"]),
                               "lateness_ns": sd.quantiles([max(0, x) for x in late])}
    print("%s %s: %d tasks x %.3f s in %.3f s (limit %.3f s, %+.1f%%)" % (
        DEMO, variant, args.tasks, args.wait, res["wall_s"], limit, res["from_limit_pct"]))
    return res


def main():
    p = sd.parser(DEMO, __doc__.split("\n\n")[0], "variants: " + ", ".join(VARIANTS))
    sd.add_wait_options(p, "tasks", "seconds each task waits",
                        tasks=(50, 10), wait=(0.2, 0.05))
    args = p.parse_args()
    todo = sd.settle(args, VARIANTS)
    sd.finish([run_variant(args, v) for v in todo], DEMO, args)


if __name__ == "__main__":
    main()
