# SPDX-License-Identifier: GPL-2.0
"""What every Python variant of a schedlab demo shares.

The C demos' contract (docs/formats.md, demo.json) kept in Python: each
thread names itself (its comm, so the collector tells roles apart), and as
the last thing it does reads its own /proc/thread-self/schedstat and
getrusage(RUSAGE_THREAD), as demos/common/threads.c does. Times are
CLOCK_MONOTONIC nanoseconds (time.monotonic_ns), the clock the collector
uses. The command line mirrors the C demos' common options.
"""
import argparse
import contextlib
import ctypes
import json
import os
import resource
import sys
import threading
import time

SCHEMA = 1
PR_SET_NAME = 15
COMM_LEN = 15  # the kernel's comm holds 15 characters and a NUL

_libc = ctypes.CDLL(None, use_errno=True)
_records = []
_records_lock = threading.Lock()


def set_thread_name(name):
    """Name the calling OS thread (its comm), as pthread_setname_np does."""
    raw = name.encode()[:COMM_LEN]
    if _libc.prctl(PR_SET_NAME, ctypes.c_char_p(raw), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "prctl(PR_SET_NAME, %s): %s" % (name, os.strerror(err)))


class ThreadRecord:
    """One thread's entry in demo.json "threads"."""

    def __init__(self, name):
        self.tid = threading.get_native_id()
        self.pid = os.getpid()
        self.name = name[:COMM_LEN]
        self.start_ns = time.monotonic_ns()
        self.end_ns = 0
        self.run_ns = self.wait_ns = self.timeslices = 0
        self.nvcsw = self.nivcsw = 0
        self.tasks = 0
        self.ended = False

    def as_json(self):
        return {
            "tid": self.tid, "pid": self.pid, "name": self.name,
            "start_ns": self.start_ns, "end_ns": self.end_ns,
            "schedstat": {"run_ns": self.run_ns, "wait_ns": self.wait_ns,
                          "timeslices": self.timeslices},
            "rusage": {"nvcsw": self.nvcsw, "nivcsw": self.nivcsw},
            "tasks": self.tasks, "ended": self.ended,
        }


def thread_begin(name):
    """Name the calling thread and give it a record."""
    set_thread_name(name)
    rec = ThreadRecord(name)
    with _records_lock:
        _records.append(rec)
    return rec


def _switches():
    ru = resource.getrusage(resource.RUSAGE_THREAD)
    return ru.ru_nvcsw, ru.ru_nivcsw


# libc through PyDLL: its calls keep the GIL, where os.read and open() let
# it go, and with 8 workers waiting for it the thread switched out and in
# between its reads of rusage and schedstat (17 switches apart once).
_libc_held = ctypes.PyDLL(None, use_errno=True)
_libc_held.pread.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_long]
_libc_held.pread.restype = ctypes.c_ssize_t


def _schedstat(fd):
    buf = ctypes.create_string_buffer(256)
    n = _libc_held.pread(fd, buf, 255, 0)
    if n < 0:
        err = ctypes.get_errno()
        raise OSError(err, "pread /proc/thread-self/schedstat: " + os.strerror(err))
    return buf.raw[:n].split()


def thread_end(rec):
    """Read the calling thread's schedstat and rusage as one snapshot.

    As in threads.c: the thread's CPU clock is read first (it brings the
    kernel's run time up to date), and rusage is read on both sides of
    schedstat until both agree, so a switch between the reads is not
    counted on one side only. The reads between hold the GIL."""
    fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
    try:
        for _ in range(20):
            time.clock_gettime_ns(time.CLOCK_THREAD_CPUTIME_ID)
            before = _switches()
            fields = _schedstat(fd)
            after = _switches()
            rec.run_ns, rec.wait_ns, rec.timeslices = (int(x) for x in fields[:3])
            rec.nvcsw, rec.nivcsw = after
            if before == after:
                break
    finally:
        os.close(fd)
    rec.end_ns = time.monotonic_ns()
    rec.ended = True


def records_reset():
    with _records_lock:
        del _records[:]


def add_record(entry):
    """A record taken in another process (a forked worker), as JSON."""
    rec = ThreadRecord(entry["name"])
    rec.__dict__.update({k: v for k, v in entry.items() if k not in ("schedstat", "rusage")})
    rec.run_ns, rec.wait_ns, rec.timeslices = (
        entry["schedstat"]["run_ns"], entry["schedstat"]["wait_ns"],
        entry["schedstat"]["timeslices"])
    rec.nvcsw, rec.nivcsw = entry["rusage"]["nvcsw"], entry["rusage"]["nivcsw"]
    with _records_lock:
        _records.append(rec)


def records():
    with _records_lock:
        return list(_records)


def cpus_usable():
    """The CPUs this process may run on: its affinity mask (trace --cpus N
    narrows it), the count lib/cpus.c gives the C side, not the host's."""
    return len(os.sched_getaffinity(0))


def new_result(demo, variant, params):
    return {"schema": SCHEMA, "demo": demo, "variant": variant, "params": dict(params),
            "cpus": cpus_usable(), "pid": os.getpid()}


def set_wall(res, start_ns, end_ns):
    res["start_ns"], res["end_ns"] = start_ns, end_ns
    res["wall_s"] = (end_ns - start_ns) / 1e9


def add_threads(res):
    res["threads"] = [r.as_json() for r in records()]


@contextlib.contextmanager
def variant_result(demo, variant, params):
    """One variant's run on the main thread, as every program measures it:
    the records start empty, main names itself and records itself last
    (what it does after is the JSON dump and the exit), and the result
    carries the interpreter and every thread's record.

        with sd.variant_result(DEMO, variant, params) as res:
            ...measure, fill res...
    """
    records_reset()
    main = thread_begin("main")
    res = new_result(demo, variant, params)
    res["python"] = python_block()
    yield res
    thread_end(main)
    add_threads(res)


def python_block():
    """Which interpreter ran the variant, for the report."""
    return {"implementation": sys.implementation.name, "version": sys.version.split()[0],
            "executable": os.path.realpath(sys.executable),
            "switch_interval_ns": round(sys.getswitchinterval() * 1e9)}


def quantiles(values_ns):
    """{count, min, p50, p99, max, mean}: nearest rank, as demos/common/stats.c."""
    v = sorted(values_ns)
    if not v:
        return {"count": 0, "min": 0, "p50": 0, "p99": 0, "max": 0, "mean": 0}

    def rank(p):
        k = max(1, -(-p * len(v) // 100))  # ceil(p/100 * n), nearest rank
        return v[int(k) - 1]
    return {"count": len(v), "min": v[0], "p50": rank(50), "p99": rank(99), "max": v[-1],
            "mean": sum(v) // len(v)}


def write_json(obj, path):
    """Atomically: a temporary file, then a rename."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    try:
        with open(tmp, "w") as f:
            json.dump(obj, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        sys.exit("%s: cannot write %s: %s" % (PROG[0], path, e.strerror))


PROG = ["demo"]


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.sizes = {}  # dest: (full, --quick) default, filled in by parse_args

    def error(self, message):
        self.exit(2, "%s: %s\nTry '%s --help'.\n" % (self.prog, message, self.prog))

    def parse_args(self, args=None, namespace=None):
        ns = super().parse_args(args, namespace)
        for dest, (full, quick) in self.sizes.items():
            if getattr(ns, dest) is None:
                setattr(ns, dest, quick if ns.quick else full)
        return ns


def parser(prog, description, epilog=""):
    """The common options of every demo (demos/common/cli.h)."""
    PROG[0] = prog
    p = _Parser(prog=prog, description=description, epilog=epilog,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--variant", metavar="V", help="run one variant")
    p.add_argument("--quick", action="store_true", help="small sizes: seconds, not minutes")
    p.add_argument("--json", metavar="FILE", help="write the result as JSON (docs/formats.md)")
    p.add_argument("--list-variants", action="store_true",
                   help="print the variant names, one per line")
    return p


def die(msg):
    sys.stderr.write("%s: %s\nTry '%s --help'.\n" % (PROG[0], msg, PROG[0]))
    sys.exit(2)


def positive(name, lo, hi, kind=int):
    """An argparse type: a number in [lo, hi], or exit 2 naming the option."""
    def parse(text):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError("%s: '%s' is not a number" % (name, text))
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(
                "%s: %s is out of range, it must be between %s and %s" % (name, text, lo, hi))
        return v
    return parse


def add_wait_options(p, tasks_what, wait_what, tasks, wait):
    """--tasks and --wait, of the programs whose tasks wait (01, 03, 05).
    @tasks and @wait are the (full, --quick) defaults: the help names them
    and parse_args() fills them in when the option is not given."""
    p.add_argument("--tasks", type=positive("--tasks", 1, 100000),
                   help="%s (default %d, --quick %d)" % (tasks_what, tasks[0], tasks[1]))
    p.add_argument("--wait", type=positive("--wait", 0.0, 60.0, float), metavar="S",
                   help="%s (default %g, --quick %g)" % (wait_what, wait[0], wait[1]))
    p.sizes.update(tasks=tasks, wait=wait)


def settle(args, variants):
    """--list-variants, an unknown --variant, an unwritable --json."""
    if args.list_variants:
        print("\n".join(variants))
        sys.exit(0)
    if args.variant is not None and args.variant not in variants:
        die("unknown variant '%s'; the variants are: %s" % (args.variant, ", ".join(variants)))
    if args.json:
        existed = os.path.exists(args.json)
        try:
            open(args.json, "a").close()
        except OSError as e:
            die("--json %s: cannot write there: %s" % (args.json, e.strerror))
        if not existed:
            os.unlink(args.json)
    return [args.variant] if args.variant else list(variants)


def finish(results, demo, args):
    """Write one variant's result, or the set of every variant's, then exit
    at once: the interpreter's teardown would be life after the main
    thread's own accounting."""
    if args.json:
        if args.variant:
            write_json(results[0], args.json)
        else:
            write_json({"schema": SCHEMA, "demo": demo, "runs": results}, args.json)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


class Pool:
    """N worker threads named NAME-1..NAME-N taking jobs from a shared queue,
    as the seed's ThreadPoolExecutor does; each records itself as it ends.

    A worker that runs out of jobs waits for the others before it takes its
    accounting: a CPython thread still needs the GIL to exit, and one that
    exits while others compute would wait for it after its own accounting,
    where neither its schedstat nor its getrusage can count it."""

    def __init__(self, workers, job, items, name="worker"):
        import queue
        self.q = queue.SimpleQueue()
        for it in items:
            self.q.put(it)
        for _ in range(workers):
            self.q.put(None)
        self.job = job
        self.done = threading.Barrier(workers)
        self.threads = [threading.Thread(target=self._run, args=("%s-%d" % (name, i + 1),),
                                         name="%s-%d" % (name, i + 1))
                        for i in range(workers)]
        self.error = None

    def _run(self, name):
        rec = thread_begin(name)
        try:
            while True:
                it = self.q.get()
                if it is None:
                    break
                self.job(it)
                rec.tasks += 1
        except BaseException as e:  # reported by run(), after the join
            self.error = e
            self.done.abort()
        try:
            self.done.wait()
        except threading.BrokenBarrierError:
            pass
        thread_end(rec)

    def run(self):
        for t in self.threads:
            t.start()
        for t in self.threads:
            t.join()
        if self.error:
            raise self.error


def io_tasks(res, workers, tasks, wait_s):
    """01 and 05: @tasks blocking waits of @wait_s (time.sleep, as the
    chapter's programs do) on @workers pool threads, or on the main thread
    when @workers is 0. Fills tasks_done and task_ns (each task's duration)
    in @res; returns (start_ns, end_ns) of the measured section."""
    durations = []

    def task(_):
        t0 = time.monotonic_ns()
        time.sleep(wait_s)
        durations.append(time.monotonic_ns() - t0)  # list.append is atomic under the GIL

    start = time.monotonic_ns()
    if workers:
        Pool(workers, task, range(tasks)).run()
    else:
        main = records()[0]
        for t in range(tasks):
            task(t)
            main.tasks += 1
    end = time.monotonic_ns()
    res["tasks_done"] = len(durations)
    res["task_ns"] = quantiles(durations)
    return start, end


def limit_fields(res, tasks, workers, wait_s):
    """The physical limit ceil(tasks/workers) x wait, and how far above it."""
    rounds = -(-tasks // workers) if workers else tasks
    limit = rounds * wait_s
    res["limit_s"] = limit
    res["from_limit_pct"] = 100.0 * (res["wall_s"] - limit) / limit if limit else 0.0
