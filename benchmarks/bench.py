#!/usr/bin/env python3
"""Benchmark jianbao against its speed targets (listed in the README).

    python benchmarks/bench.py [--issues 150] [--repeat 5] [--jobs N] [--code DIR]

Generates a synthetic archive from the sample content, then runs each case
as separate processes (so start-up counts) and prints median/min/max wall
time and peak memory. Peak memory is the largest single process (RSS, from
wait4) and, separately, the whole process tree (parent + pool workers,
PSS so pages shared after fork count once, sampled every 20 ms). `--code` points at another checkout of jianbao to
measure it with the same cases (e.g. the commit before an optimisation).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import ROOT, article_of, make_archive
from memory import PeakPss

PYTHON = sys.executable

# Saves inside a long-lived process, rebuilt as `serve` does: the web page first (the tab
# reloads then), then the PDF, then the search index. Seconds from the save to each.
WARM_SCRIPT = """
import sys, time, json, gc, inspect
from pathlib import Path
project, issue_id, repeat = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
article = project / "content" / "issues" / issue_id / "01-article.md"
try:
    from jianbao.recipe import Builder, Options
except ImportError:  # older code without the warm API: a second build() in the same process
    from jianbao.recipe import Options, build
    Builder = None
options = Options(project / "content", project / "layouts", project / "output", (issue_id,))
stages = [("index", {})]  # (what is updated once this build is done, its arguments)
if Builder is not None:
    builder = Builder(options)
    known = inspect.signature(builder.build).parameters
    earlier = [("page", "pages_only", {"pages_only": True}), ("pdf", "index", {"index": False})]
    stages = [(what, kwargs) for what, needs, kwargs in earlier if needs in known] + stages
    run = lambda **kw: builder.build(**kw)
else:
    run = lambda **kw: build(options)
run()
times = {"page": [], "pdf": [], "index": []}
for n in range(repeat):
    gc.collect()  # as serve does once a rebuild is done
    article.write_text(article.read_text(encoding="utf-8") + f"\\n补充第 {n} 段。\\n", encoding="utf-8")
    started = time.perf_counter()
    for what, kwargs in stages:
        run(**kwargs)
        times[what].append(time.perf_counter() - started)
times["page"] = times["page"] or times["pdf"] or times["index"]
times["pdf"] = times["pdf"] or times["index"]
print(json.dumps(times))
"""

# The same print HTML through WeasyPrint alone: the floor jianbao's PDF step stands on.
BASELINE_SCRIPT = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])
"""

# The OFD edition alone: an issue's PDF → OFD in one process (after a first, untimed call: imports).
OFD_SCRIPT = """
import sys, time, json
from pathlib import Path
from jianbao.ofd.edition import make_ofd
from jianbao.ofd.package import Edition
pdf, repeat = Path(sys.argv[1]).read_bytes(), int(sys.argv[2])
make_ofd(pdf, Edition("0" * 32, "bench", "bench"))
times = []
for _ in range(repeat):
    started = time.perf_counter()
    make_ofd(pdf, Edition("0" * 32, "bench", "bench"))
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""
DUMP_SCRIPT = """
import sys
from pathlib import Path
from jianbao.site import pages as render
from jianbao.markup import load_content
from jianbao.pdf.fonts import resolve_fonts
from jianbao.pdf.typeset import print_html
project = Path(sys.argv[1])
site, _ = load_content(project / "content")
issue = next(i for i in site.issues if i.id == sys.argv[2])
env = render.make_environment(project / "layouts")
html = print_html(env, issue, resolve_fonts(project / "fonts"))
Path(sys.argv[3]).write_text(html, encoding="utf-8")
"""


@dataclass
class Result:
    name: str
    target: str
    times: list[float] = field(default_factory=list)
    peak_process: int = 0  # KiB
    peak_tree: int = 0  # KiB, PSS


def run(args: list[str], cwd: Path, env: dict[str, str], sample: bool = False) -> tuple[float, int, int, str]:
    """Run a process; wall seconds, peak RSS of the largest process, peak PSS of its tree (0 unless
    `sample`: reading smaps every 20 ms costs CPU the build would use, so timed runs do not), stdout."""
    started = time.perf_counter()
    process = MeasuredPopen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = PeakPss(process.pid) if sample else None
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    peak_tree = sampler.stop() if sampler else 0
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(args)}\n{err.decode()}")
    return elapsed, process.maxrss, peak_tree, out.decode()


class MeasuredPopen(subprocess.Popen):  # type: ignore[type-arg]
    """Popen that keeps the child's rusage from wait4: ru_maxrss is the peak RSS of the
    largest process among the child and its reaped children (the pool workers)."""

    maxrss = 0

    def _try_wait(self, wait_flags: int) -> tuple[int, int]:
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid == self.pid:
            self.maxrss = usage.ru_maxrss
        return pid, status


def case(result: Result, repeat: int, make_args, cwd: Path, env: dict[str, str], before=None) -> Result:
    """Run one case `repeat` times (after `before()` each time), then once more sampling the tree's memory.

    Every run is preceded by `before()`; the first is a warm-up, not timed (the OS file cache, and the
    parsed-content cache a project has after its first build, unless `before` removes it).
    """
    for n in range(repeat + 2):
        if before is not None:
            before()
        elapsed, peak, tree, _ = run(make_args(), cwd, env, sample=n == repeat + 1)
        if 0 < n <= repeat:
            result.times.append(elapsed)
        result.peak_process = max(result.peak_process, peak)
        result.peak_tree = max(result.peak_tree, tree)
    return result


def supports(code: Path, env: dict[str, str], flag: str) -> bool:
    """Whether `python build.py build` of that checkout knows `flag`."""
    helptext = subprocess.run(
        [PYTHON, "build.py", "build", "--help"], cwd=code, env=env, capture_output=True, text=True, check=False
    )
    return flag in helptext.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=150, help="size of the synthetic archive (default 150)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for the archive builds (default: jianbao's)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the jianbao checkout to measure")
    parser.add_argument("--keep", type=Path, help="build the synthetic archive here and keep it")
    parser.add_argument("--one-issue-only", action="store_true", help="skip the N-issue archive cases")
    args = parser.parse_args()
    code = args.code.resolve()
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "0"}
    work = args.keep or Path(tempfile.mkdtemp(prefix="jianbao-bench-"))
    project = make_archive(work / "project", args.issues, source=code)
    output = project / "output"
    one = sorted(p.name for p in (project / "content" / "issues").iterdir())[-1]
    force = ["--force"] if supports(code, env, "--force") else []
    jobs = ["--jobs", str(args.jobs)] if args.jobs and supports(code, env, "--jobs") else []
    build = [PYTHON, str(code / "build.py"), "build", "-q", "--content", str(project / "content")]
    build += ["--layouts", str(project / "layouts"), "--output", str(output)]
    results: list[Result] = []

    # Baseline: the same print HTML, plain WeasyPrint, whole process.
    html = work / "issue.html"
    subprocess.run([PYTHON, "-c", DUMP_SCRIPT, str(project), one, str(html)], env=env, check=True)
    base_url = (project / "layouts").resolve().as_uri() + "/"
    results.append(
        case(
            Result("基线：WeasyPrint 直接渲染同一 HTML", "—"),
            args.repeat,
            lambda: [PYTHON, "-c", BASELINE_SCRIPT, str(html), base_url, str(work / "baseline.pdf")],
            code,
            env,
        )
    )
    results.append(
        case(
            Result(f"单期 PDF + 网页（build {one} --force）", "≤ 0.8 s"),
            args.repeat,
            lambda: [*build, one, *force],
            code,
            env,
        )
    )
    # What each edition adds to one issue: the same build without it, into an output folder of its own (the
    # option is part of every page's key: alternating it in one folder would rebuild all pages and the index).
    for flag, name, target in (("--no-docx", "Word 版", "≤ 0.3 s"), ("--no-ofd", "OFD 版", "≤ 0.5 s")):
        if not supports(code, env, flag):
            continue
        without = [*build[:-1], str(work / f"output{flag}"), one, *force, flag]
        subprocess.run(without, cwd=code, env=env, check=True)  # the folder's first build, not timed
        results.append(
            case(
                Result(f"单期 PDF + 网页，不含 {name}（build {one} --force {flag}；差值 {target}）", "—"),
                args.repeat,
                lambda without=without: without,
                code,
                env,
            )
        )
    if supports(code, env, "--no-ofd"):
        _, _, _, out = run([PYTHON, "-c", OFD_SCRIPT, str(output / one / f"{one}.pdf"), str(args.repeat)], code, env)
        results.append(Result("OFD 版本身：该期 PDF → OFD（一个进程内）", "≤ 0.5 s", json.loads(out)))
    warm = [PYTHON, "-c", WARM_SCRIPT, str(project), one]
    _, peak, _, out = run([*warm, str(args.repeat)], code, env)
    _, _, tree, _ = run([*warm, "2"], code, env, sample=True)  # memory of the process tree, not timed
    saves = json.loads(out)
    for name, key, target in (
        ("serve 内保存一篇文章 → 网页已更新", "page", "≤ 0.3 s"),
        ("serve 内保存一篇文章 → PDF 也已更新", "pdf", "≤ 0.3 s"),
        ("serve 内保存一篇文章 → 搜索索引也已更新", "index", "—"),
    ):
        results.append(Result(name, target, saves[key], peak, tree))
    if args.one_issue_only:
        print_table(results, code)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 0

    def clean() -> None:  # from scratch: no output and no parsed-content cache
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(project / "content" / ".jianbao-cache", ignore_errors=True)

    results.append(
        case(
            Result(f"{args.issues} 期从零生成", "≤ 45 s"),
            max(1, args.repeat // 2),
            lambda: [*build, *jobs],
            code,
            env,
            before=clean,
        )
    )
    results.append(
        case(Result(f"{args.issues} 期，没有改动", "≤ 1.0 s"), args.repeat, lambda: [*build, *jobs], code, env)
    )
    ids = sorted(p.name for p in (project / "content" / "issues").iterdir())
    article = article_of(project, ids[len(ids) // 2])
    counter = iter(range(1000))

    def edit() -> None:
        article.write_text(article.read_text(encoding="utf-8") + f"\n补充第 {next(counter)} 段。\n", encoding="utf-8")

    results.append(
        case(
            Result(f"{args.issues} 期，改动一篇文章", "≤ 2.0 s"),
            args.repeat,
            lambda: [*build, *jobs],
            code,
            env,
            before=edit,
        )
    )
    print_table(results, code)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def print_table(results: list[Result], code: Path) -> None:
    """Markdown table of the results, with the machine's load."""
    load = os.getloadavg()
    print(f"\njianbao: {code}  CPU: {os.cpu_count()}  load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print("| case | target | median | min | max | runs | peak RSS (largest process) | peak PSS (process tree) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.name} | {r.target} | {statistics.median(r.times):.2f} s | {min(r.times):.2f} s "
            f"| {max(r.times):.2f} s | {len(r.times)} "
            f"| {r.peak_process / 1024:.0f} MiB | {r.peak_tree / 1024:.0f} MiB |"
        )


if __name__ == "__main__":
    sys.exit(main())
