# SPDX-License-Identifier: GPL-2.0
"""05_thread_overhead in CPython: 200 blocking waits of 0.05 s (time.sleep)
on pools of 1 to 64 threads: the gains flatten once the threads outnumber
what the waits allow, and each thread costs its start and its GIL turns.
Run by build/demos/05_thread_overhead --variant py-threads-N (docs/cpython.md)."""
import schedlab_demo as sd

DEMO = "05_thread_overhead"
DEFAULT = [1, 2, 4, 8, 16, 32, 64]
QUICK = [1, 2, 4, 8, 16]


def run_variant(args, workers):
    variant = "py-threads-%d" % workers
    params = {"tasks": args.tasks, "wait_s": args.wait, "cpu_us": 0, "io": "sleep",
              "workers": workers, "quick": args.quick}
    with sd.variant_result(DEMO, variant, params) as res:
        start, end = sd.io_tasks(res, workers, args.tasks, args.wait)
        sd.set_wall(res, start, end)
        sd.limit_fields(res, args.tasks, workers, args.wait)
    print("%s %s: %d tasks x %.3f s in %.3f s (limit %.3f s, %+.1f%%)" % (
        DEMO, variant, args.tasks, args.wait, res["wall_s"], res["limit_s"],
        res["from_limit_pct"]))
    return res


def workers_list(text):
    try:
        ws = [int(x) for x in text.split(",")]
    except ValueError:
        sd.die("--workers: '%s' is not a list of whole numbers" % text)
    if not ws or any(w < 1 or w > 1024 for w in ws):
        sd.die("--workers: each pool size must be from 1 to 1024")
    return ws


def main():
    p = sd.parser(DEMO, __doc__.split("\n\n")[0], "variants: py-threads-N")
    sd.add_wait_options(p, "blocking waits", "seconds per wait",
                        tasks=(200, 64), wait=(0.05, 0.02))
    p.add_argument("--workers", metavar="N,N,...", help="pool sizes (default 1,2,4,...,64)")
    p.add_argument("--cpu-us", type=sd.positive("--cpu-us", 0, 0), default=0,
                   help="not mirrored in Python: 0 only")
    p.add_argument("--io", choices=["sleep"], default="sleep", help="time.sleep")
    args = p.parse_args()
    ws = workers_list(args.workers) if args.workers else (QUICK if args.quick else DEFAULT)
    variants = ["py-threads-%d" % w for w in ws]
    if args.variant and args.variant.startswith("py-threads-"):
        n = args.variant[len("py-threads-"):]
        if not n.isdigit() or not 1 <= int(n) <= 1024:
            sd.die("unknown variant '%s'; the variants are py-threads-N, N from 1 to 1024"
                   % args.variant)
        variants.append(args.variant)  # any pool size may be asked for
    todo = sd.settle(args, variants)
    sizes = [int(v[len("py-threads-"):]) for v in todo]
    sd.finish([run_variant(args, w) for w in sizes], DEMO, args)


if __name__ == "__main__":
    main()
