"""One cold print run of the bench's 1,000 badges in a fresh process (``bench_badges.py``
starts it): new process, new worker processes, empty caches. Prints one JSON line.

    python -m tests.bench.badges_run INSTANCE_FOLDER START_METHOD PROCESSES [warm-qr]

Also the CPU time the run took in all its processes (a figure that other work on the machine
changes less than the elapsed time). Peak memory is the sum of the proportional set sizes
(PSS: shared pages counted once) of this process and its worker processes, sampled every
200 ms by a separate process (reading smaps more often slows the processes it measures);
also the peak resident sizes (RSS, shared pages counted in each) and the PSS before the run
(the application alone).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

SAMPLER = r"""
import os, sys, time
root = int(sys.argv[1]); peak = 0
def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0
me = os.getpid()
def tree(pid):
    if pid == me:
        return []
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    pids += tree(int(child))
    except OSError:
        pass
    return pids
while True:
    try:
        os.kill(root, 0)
    except OSError:
        break
    peak = max(peak, sum(pss(p) for p in tree(root)))
    sys.stdout.write(f"{peak}\n"); sys.stdout.flush()
    time.sleep(0.2)
"""


def _pss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (the render workers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def main() -> None:
    folder, start_method, processes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    warm_qr = "warm-qr" in sys.argv[4:]
    started = time.perf_counter()
    from jobday import create_app
    from jobday.badges import documents, qr
    from tests.bench.bench_badges import EDITION, persons

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "INSTANCE_PATH": folder,
                      "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite",
                      "BADGE_PDF_START_METHOD": start_method})
    people = persons()
    imported = time.perf_counter() - started
    with app.app_context():
        if warm_qr:  # as when the codes were issued before printing
            for person in people:
                qr.cached_qr(person.code, documents.qr_folder())
        baseline = _pss_mb(os.getpid())
        sampler = None
        if "no-sampler" not in sys.argv[4:]:
            sampler = subprocess.Popen([sys.executable, "-c", SAMPLER, str(os.getpid())],
                                       stdout=subprocess.PIPE, text=True)
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        run = documents.render_run(people, EDITION, "a4-8", processes=processes)
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before  # the workers have been waited for: counted
    lines = []
    if sampler is not None:
        sampler.terminate()
        lines = sampler.stdout.read().split()
        sampler.wait()
    peak = int(lines[-1]) / 1024 if lines else None
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "imports": imported, "pages": run.pages,
                      "bytes": len(run.pdf),
                      "peak_pss_mb": peak, "baseline_pss_mb": baseline, "rss_parent_mb": rss_self,
                      "rss_worker_mb": rss_child,
                      "overflow": len(run.overflow)}))


if __name__ == "__main__":
    main()
