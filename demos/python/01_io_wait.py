# SPDX-License-Identifier: GPL-2.0
"""01_io_wait in CPython: 50 blocking waits of 0.2 s (time.sleep), serially
on the main thread and on thread pools of 5 and 20. CPython releases the GIL
around each sleep, so the waits overlap as in the C demo.
Run by build/demos/01_io_wait --variant py-... (docs/cpython.md)."""
import time

import schedlab_demo as sd

DEMO = "01_io_wait"
VARIANTS = ["py-serial", "py-threads-5", "py-threads-20"]
WORKERS = {"py-serial": 0, "py-threads-5": 5, "py-threads-20": 20}


def run_variant(args, variant):
    workers = WORKERS[variant]
    params = {"tasks": args.tasks, "wait_s": args.wait, "io": "sleep", "workers": workers,
              "quick": args.quick}
    with sd.variant_result(DEMO, variant, params) as res:
        start, end = sd.io_tasks(res, workers, args.tasks, args.wait)
        sd.set_wall(res, start, end)
        sd.limit_fields(res, args.tasks, workers, args.wait)
    print("%s %s: %d tasks x %.3f s (sleep) on %s in %.3f s (limit %.3f s, %+.1f%%)" % (
        DEMO, variant, args.tasks, args.wait,
        "%d threads" % workers if workers else "the main thread", res["wall_s"],
        res["limit_s"], res["from_limit_pct"]))
    return res


def main():
    p = sd.parser(DEMO, __doc__.split("\n\n")[0], "variants: " + ", ".join(VARIANTS))
    sd.add_wait_options(p, "blocking waits", "seconds per wait",
                        tasks=(50, 10), wait=(0.2, 0.05))
    p.add_argument("--io", choices=["sleep"], default="sleep",
                   help="the wait: time.sleep (the C demo's socket is not mirrored)")
    args = p.parse_args()
    todo = sd.settle(args, VARIANTS)
    sd.finish([run_variant(args, v) for v in todo], DEMO, args)


if __name__ == "__main__":
    main()
