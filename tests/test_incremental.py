"""Incremental and parallel builds: exactly the stale outputs are rebuilt, never a wrong one."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.cli import main
from jianbao.errors import BuildError, UsageError
from jianbao.markup import load_content
from jianbao.markup.memo import load_memo
from jianbao.pdf import engine as pdf_module
from jianbao.recipe import Builder, Report, build
from jianbao.write.manifest import MANIFEST, STATS, cache_folder, manifest_path
from tests.conftest import ROOT, built_once, copy_project, options_for

pytestmark = pytest.mark.slow

FANDOL = Path("/usr/local/share/fonts/fandol")
PDFS = {"2025-07/2025-07.pdf", "2025-08/2025-08.pdf"}
EDITIONS = {f"{i}/{i}{suffix}" for i in ("2025-07", "2025-08") for suffix in (".ofd", ".docx")}  # made with each PDF
ISSUE_FILES = {
    "2025-08/2025-08.pdf",
    "2025-08/2025-08.ofd",
    "2025-08/2025-08.docx",
    "2025-08/cover.png",
    "2025-08/index.html",
}


@pytest.fixture
def project(project: Path) -> Path:
    """The sample project cut to its two single-article issues (quick to render, easy to count)."""
    shutil.rmtree(project / "content/issues/2025-09")
    return project


@pytest.fixture(scope="session")
def first_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of `project`'s first build, made once per run."""

    def make(folder: Path) -> None:
        shutil.rmtree(copy_project(folder) / "content/issues/2025-09")
        build(options_for(folder, jobs=1))

    return built_once(tmp_path_factory, "two-issues", make) / "output"


@pytest.fixture
def built(project: Path, first_output: Path) -> Path:
    """`project` as its first build left it: that build's output, copied (the same input makes the same
    bytes), instead of the same two PDFs rendered again for every test."""
    shutil.copytree(first_output, project / "output", symlinks=True)
    records = cache_folder(first_output)  # the manifest and stats beside it (not the parse memo, kept by path)
    shutil.copytree(records, cache_folder(project / "output"), ignore=shutil.ignore_patterns("parsed.json"))
    return project


def files(output: Path) -> dict[str, bytes]:
    """Every output file's bytes by relative path (the manifest included; not the stats cache, whose
    inodes and times differ from build to build by nature)."""
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file() and p.name != STATS
    }


def inodes(output: Path) -> dict[str, tuple[int, int]]:
    """Every output file's inode and modification time: an atomic rewrite changes them (an inode alone may be
    reused). Not the change time: staging the next site hard-links every file, which touches its ctime."""
    return {
        p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in output.rglob("*")
        if p.is_file()
    }


def rebuild(project: Path, change: Callable[[], object], **options: object) -> tuple[Report, set[str]]:
    """Apply `change` to a built project and build again; the report and the output files it rewrote."""
    before = inodes(project / "output")
    change()
    report = build(options_for(project, jobs=1, **options))
    after = inodes(project / "output")
    changed = {name for name, inode in after.items() if before.get(name) != inode} - {MANIFEST, STATS}
    # The search index is regenerated whenever a page changes (tests/test_site.py covers it).
    return report, {name for name in changed if not name.startswith("search/")}


def edit(path: Path, old: str, new: str) -> Callable[[], None]:
    def change() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def test_nothing_changed_rebuilds_nothing(built: Path) -> None:
    report, rewritten = rebuild(built, lambda: None)
    assert report.rendered == []
    assert rewritten == set()
    assert [i.id for i in report.built] == ["2025-07", "2025-08"]


def test_article_title_rebuilds_its_issue_and_the_archive(built: Path) -> None:
    article = built / "content/issues/2025-08/01-data-elements.md"
    report, rewritten = rebuild(built, edit(article, "title: 以数据要素", "title: 以数据要素全面"))
    assert report.rendered == ["2025-08"]
    # The title is on page 1, so the cover thumbnail changes with the PDF.
    assert rewritten == {*ISSUE_FILES, "index.html", "feed.xml"}


def test_article_copied_with_new_times_is_not_rebuilt(built: Path) -> None:
    article = built / "content/issues/2025-08/01-data-elements.md"

    def touch() -> None:
        os.utime(article, (1, 1))

    report, rewritten = rebuild(built, touch)
    assert report.rendered == []
    assert rewritten == set()


def test_issue_yaml_rebuilds_its_issue(built: Path) -> None:
    issue = built / "content/issues/2025-08/issue.yaml"
    report, rewritten = rebuild(built, edit(issue, "date: 2025-06-03", "date: 2025-06-04"))
    assert report.rendered == ["2025-08"]
    assert rewritten == {*ISSUE_FILES, "index.html", "feed.xml"}


def test_bulletin_yaml_rebuilds_every_pdf(built: Path) -> None:
    bulletin = built / "content/bulletin.yaml"
    text = bulletin.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("editor:"))
    report, rewritten = rebuild(built, edit(bulletin, old, "editor: 王新编"))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]
    assert rewritten >= PDFS
    assert "assets/screen.css" not in rewritten


def test_layout_rebuilds_every_pdf(built: Path) -> None:
    colophon = built / "layouts/_colophon.html"
    report, rewritten = rebuild(built, lambda: colophon.write_text(colophon.read_text() + "\n<!-- -->\n"))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]
    # A comment changes the template, not the PDFs: re-rendered, but identical bytes are not rewritten.
    assert rewritten & PDFS == set()


def test_print_css_rebuilds_every_pdf_and_no_page(built: Path) -> None:
    css = built / "layouts/print.css"
    report, rewritten = rebuild(built, lambda: css.write_text(css.read_text() + "\nbody { color: #111; }\n"))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]
    # The archive page shows the PDFs' sizes and the feed their lengths, which may change; so may the covers.
    # The OFD is drawn from the PDF; the Word edition does not read print.css, so its bytes stay.
    ofds = {name for name in EDITIONS if name.endswith(".ofd")}
    assert rewritten - {"index.html", "feed.xml", "2025-07/cover.png", "2025-08/cover.png"} == PDFS | ofds


def test_screen_css_rewrites_only_the_asset(built: Path) -> None:
    css = built / "layouts/assets/screen.css"
    report, rewritten = rebuild(built, lambda: css.write_text(css.read_text() + "\nbody { color: #111; }\n"))
    assert rewritten == {"assets/screen.css"}
    # layouts/ is one unit of the key (print CSS may use files in assets/): PDFs re-render to the same bytes.
    assert sorted(report.rendered) == ["2025-07", "2025-08"]


@pytest.mark.skipif(not (FANDOL / "FandolKai-Regular.otf").is_file(), reason="needs the Fandol fonts (setup.sh)")
def test_font_file_in_fonts_folder_rebuilds_every_pdf(project: Path) -> None:
    fonts = project / "fonts"
    fonts.mkdir()
    licensed = fonts / "仿宋_GB2312.otf"
    shutil.copy(FANDOL / "FandolKai-Regular.otf", licensed)
    build(options_for(project, jobs=1))
    # Same name, other contents (a new version of the licensed font): every PDF is stale. These render
    # in this process (jobs=1), after the first build: the kept Fontconfig set-up must notice too.
    report, rewritten = rebuild(project, lambda: shutil.copy(FANDOL / "FandolSong-Regular.otf", licensed))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]
    assert rewritten >= PDFS  # and the pages that show the PDFs' new sizes
    assert "assets/screen.css" not in rewritten
    # Any file in fonts/ counts (print.css may use it in @font-face); the PDFs then come out the same.
    report, rewritten = rebuild(project, lambda: shutil.copy(FANDOL / "FandolHei-Bold.otf", fonts / "other.otf"))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]
    assert rewritten == set()


def test_deleted_output_is_rebuilt(built: Path) -> None:
    report, rewritten = rebuild(built, lambda: (built / "output/2025-07/2025-07.pdf").unlink())
    assert report.rendered == ["2025-07"]
    assert rewritten == {"2025-07/2025-07.pdf"}


def test_deleted_archive_is_rebuilt(built: Path) -> None:
    report, rewritten = rebuild(built, lambda: (built / "output/index.html").unlink())
    assert report.rendered == []
    assert rewritten == {"index.html"}


def test_force_rebuilds_everything(built: Path) -> None:
    report, _ = rebuild(built, lambda: None, force=True)
    assert sorted(report.rendered) == ["2025-07", "2025-08"]


@pytest.mark.parametrize("garbage", [b"", b'{"format": 1, "units": {"2025-07": ', b"\xff\xfe\x00garbage", b"[1, 2]"])
def test_broken_manifest_is_ignored(built: Path, garbage: bytes) -> None:
    good = files(built / "output")
    manifest_path(built / "output").write_bytes(garbage)
    report = build(options_for(built, jobs=1))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]
    assert files(built / "output") == good


def test_manifest_cannot_vouch_for_a_changed_file(built: Path) -> None:
    """A stale cache never yields a wrong output: the files on disk must match the manifest's digests."""
    output = built / "output"
    good = files(output)
    # Someone swaps the PDFs by hand; the manifest still claims both are current.
    (output / "2025-07/2025-07.pdf").write_bytes(good["2025-08/2025-08.pdf"])
    (output / "2025-08/2025-08.pdf").write_bytes(b"%PDF-1.7 truncated")
    report = build(options_for(built, jobs=1))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]
    assert files(output) == good


def test_unchanged_pages_are_not_rendered_again(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page is rendered only when its issue or a neighbour it links to changed (1,000 issues stay fast)."""
    import jianbao.steps as recipe

    rendered: list[str] = []
    real = recipe.render_page
    monkeypatch.setattr(
        recipe, "render_page", lambda env, issue, *rest: rendered.append(issue.id) or real(env, issue, *rest)
    )
    build(options_for(built, jobs=1))
    assert rendered == []
    article = next((built / "content/issues/2025-07").glob("*.md"))
    edit(article, "\n\n", "\n\n补一句话。\n\n")()
    build(options_for(built, jobs=1))
    assert rendered == ["2025-07", "2025-08"]  # 2025-08 links to 2025-07 by its numbers: checked, not rewritten
    rendered.clear()
    page = built / "output/2025-08/index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace("上一期".encode(), "下一期".encode()))  # same size, new bytes
    build(options_for(built, jobs=1))
    assert rendered == ["2025-08"] and page.read_bytes() == good


def test_a_file_changed_under_the_same_stat_is_still_caught_by_its_digest(project: Path) -> None:
    """The stats cache only vouches for a file whose size, mtime and inode are as noted, with the noted digest."""
    output = project / "output"
    build(options_for(project, jobs=1))
    stats = json.loads((cache_folder(output) / STATS).read_text(encoding="utf-8"))
    assert set(stats) >= PDFS | {"2025-07/index.html", "index.html"}
    pdf = output / "2025-07/2025-07.pdf"
    noted = pdf.stat()
    data = bytearray(pdf.read_bytes())
    data[-20] ^= 1  # a different file, same size, mtime put back: the stat matches, the digest does not
    pdf.write_bytes(bytes(data))
    os.utime(pdf, ns=(noted.st_atime_ns, noted.st_mtime_ns))
    stats["2025-07/2025-07.pdf"][3] = "0" * 40  # as if noted with another digest
    (cache_folder(output) / STATS).write_text(json.dumps(stats), encoding="utf-8")
    assert build(options_for(project, jobs=1)).rendered == ["2025-07"]
    (cache_folder(output) / STATS).write_bytes(b"\xff not json")
    assert build(options_for(project, jobs=1)).rendered == []  # a broken cache only means hashing


def test_stats_of_files_a_build_left_alone_are_kept_and_a_touched_file_is_hashed_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build notes anew only the stats of files it wrote or had to hash: the others keep theirs, which
    still vouch for nothing but the very file noted (1,000 issues: 5,000 stat calls spared)."""
    from jianbao.write import manifest as manifest_module

    output = project / "output"
    build(options_for(project, jobs=1))
    pdf = output / "2025-07/2025-07.pdf"
    hashed: list[str] = []
    real = manifest_module.digest_file
    monkeypatch.setattr(manifest_module, "digest_file", lambda path: hashed.append(path.name) or real(path))
    os.utime(pdf)  # touched: the same bytes under a new mtime
    assert build(options_for(project, jobs=1)).rendered == []
    assert hashed == ["2025-07.pdf"]
    hashed.clear()
    assert build(options_for(project, jobs=1)).rendered == []
    assert hashed == []  # its new stat was noted

    before = json.loads((cache_folder(output) / STATS).read_text(encoding="utf-8"))
    edit(next((project / "content/issues/2025-08").glob("*.md")), "\n\n", "\n\n补一句话。\n\n")()
    assert build(options_for(project, jobs=1)).rendered == ["2025-08"]
    after = json.loads((cache_folder(output) / STATS).read_text(encoding="utf-8"))
    assert after["2025-07/2025-07.pdf"] == before["2025-07/2025-07.pdf"]
    assert after["2025-08/2025-08.pdf"] != before["2025-08/2025-08.pdf"]
    good = pdf.read_bytes()
    pdf.unlink()
    pdf.write_bytes(good[:-20] + bytes([good[-20] ^ 1]) + good[-19:])  # another file, same size: the kept stat
    # names the old one (inode, mtime), so this one is hashed
    assert build(options_for(project, jobs=1)).rendered == ["2025-07"]
    assert pdf.read_bytes() == good
    # Noting the stats again after a build that wrote nothing stats no file.
    statted: list[Path] = []
    real_stat = manifest_module._stat_of
    monkeypatch.setattr(manifest_module, "_stat_of", lambda path: statted.append(path) or real_stat(path))
    manifest_module.Manifest.load(output).save_stats(output)
    assert statted == []


def test_manifest_pointing_outside_output_is_ignored(built: Path) -> None:
    output = built / "output"
    manifest = manifest_path(output).read_text(encoding="utf-8")
    manifest_path(output).write_text(manifest.replace('"2025-07/2025-07.pdf"', '"../../etc/hostname"'))
    report = build(options_for(built, jobs=1))
    assert sorted(report.rendered) == ["2025-07", "2025-08"]


def test_parallel_output_equals_serial_byte_for_byte(project: Path, tmp_path: Path) -> None:
    serial = build(options_for(project, output=tmp_path / "serial", jobs=1))
    parallel = build(options_for(project, output=tmp_path / "parallel", jobs=2))
    assert sorted(serial.rendered) == sorted(parallel.rendered) == ["2025-07", "2025-08"]
    assert files(tmp_path / "serial") == files(tmp_path / "parallel")


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_failing_issue_does_not_stop_the_others(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: int
) -> None:
    real = pdf_module.print_pdf

    def fail_on_july(html: str, base: Path, roots: list[Path], *rest: object, **options: object) -> object:
        if roots[0].name == "2025-07":
            raise BuildError("拒绝读取内容文件夹以外的资源：file:///etc/hostname")
        return real(html, base, roots, *rest, **options)  # type: ignore[arg-type]

    # Patched before the pool forks, so the workers fail the same way.
    monkeypatch.setattr(pdf_module, "print_pdf", fail_on_july)
    code = main(["build", "-q", "--jobs", str(jobs), "--content", str(project / "content"), "--output",
                 str(project / "output"), "--layouts", str(project / "layouts")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "2025-07 生成失败：拒绝读取内容文件夹以外的资源" in err
    assert "Traceback" not in err
    assert (project / "output/2025-08/2025-08.pdf").is_file()
    assert not (project / "output/2025-07").exists()
    # The failed issue is not marked fresh: once fixed, the next build renders it (and only it).
    monkeypatch.setattr(pdf_module, "print_pdf", real)
    report = build(options_for(project, jobs=jobs))
    assert report.rendered == ["2025-07"]


def test_warm_builder_rerenders_only_the_saved_issue(project: Path) -> None:
    builder = Builder(options_for(project, jobs=1))
    first = builder.build()
    assert sorted(first.rendered) == ["2025-07", "2025-08"]
    article = project / "content/issues/2025-07/01-low-altitude.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    again = builder.build(("2025-07",))
    assert again.rendered == ["2025-07"]
    assert again.notices == []  # environment notices are said once per process
    assert "补充一段" in (project / "output/2025-07/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("command", "heavy"),
    [
        (["check"], ("weasyprint", "cffi", "tqdm")),  # check reads font coverage with fontTools
        (["build", "--jobs", "2"], ("weasyprint", "fontTools", "cffi", "tqdm")),
    ],
)
def test_commands_that_render_no_pdf_never_import_weasyprint(
    built: Path, command: list[str], heavy: tuple[str, ...]
) -> None:
    """`check`, and a build with nothing to re-render, start without WeasyPrint (0.4 s of start-up)."""
    project = built
    script = (
        "import sys\nfrom jianbao.cli import main\n"
        f"code = main({[*command, '-q']!r})\n"
        f"print(code, sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0 []", result.stderr


@pytest.mark.slow
def test_a_render_worker_loads_only_what_typesetting_needs(project: Path, tmp_path: Path) -> None:
    """A worker receives plain values and renders without jianbao's content model, Jinja or Markdown
    (pydantic alone is 0.1 s of a one-issue build's critical path) — the editions made from the PDF included."""
    from jianbao.markup import load_content
    from jianbao.pdf.fonts import resolve_fonts
    from jianbao.site import pages as render
    from jianbao.steps import print_job

    options = options_for(project, jobs=1)
    site, _ = load_content(options.content)
    job = print_job(render.make_environment(options.layouts), site.issues[0], resolve_fonts(options.fonts), options)
    (tmp_path / "job.pickle").write_bytes(pickle.dumps(job))
    heavy = ("pydantic", "jinja2", "markdown", "yaml", "nh3", "jianbao.model", "jianbao.load.content")
    script = (
        "import pickle, sys\nimport jianbao.cli\nfrom jianbao.pdf.workers import _start_worker, _work\n"
        f"_start_worker()\nmade = _work(pickle.loads(open({str(tmp_path / 'job.pickle')!r}, 'rb').read()))\n"
        f"loaded = sorted(m for m in sys.modules if m in {heavy!r} or m.split('.')[0] in {heavy!r})\n"
        "print(made.pdf[:5], made.cover[1:4], made.editions['.ofd'][:2], made.editions['.docx'][:2], loaded)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "b'%PDF-' b'PNG' b'PK' b'PK' []", result.stderr


def test_warm_builder_reparses_only_changed_issues(project: Path) -> None:
    """`serve` keeps a Builder: an unchanged issue is not parsed again, a changed one always is."""
    builder = Builder(options_for(project, jobs=1))
    builder.build()
    before = {i.id: i for i in builder.build().issues}
    article = project / "content/issues/2025-08/01-data-elements.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: 以数据要素", "title: 新标题"), "utf-8")
    after = {i.id: i for i in builder.build().issues}
    assert after["2025-07"] is before["2025-07"]
    assert after["2025-08"] is not before["2025-08"]
    assert after["2025-08"].articles[0].title.startswith("新标题")
    bulletin = project / "content/bulletin.yaml"
    bulletin.write_text(bulletin.read_text(encoding="utf-8").replace("editor: 陈思远", "editor: 王新编"), "utf-8")
    again = {i.id: i for i in builder.build().issues}
    assert again["2025-07"] is not after["2025-07"]
    assert again["2025-07"].bulletin.editor == "王新编"


def test_missing_harfbuzz_subset_is_said_once_with_the_fix(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jianbao.pdf import fonts

    assert fonts.has_harfbuzz_subset()  # set-up installs libharfbuzz-subset0; the check is one dlopen
    monkeypatch.setattr(fonts, "has_harfbuzz_subset", lambda: False)
    builder = Builder(options_for(project, jobs=1))
    first, second = builder.build(), builder.build()
    assert [n for n in first.notices if "libharfbuzz-subset0" in n] == [
        "缺少 libharfbuzz-subset0，生成 PDF 会慢约 40 倍；请运行 bash scripts/setup.sh 安装"
        "（apt-get install libharfbuzz-subset0）"
    ]
    assert second.notices == []
    code = main(["build", "-q", "--content", str(project / "content"), "--layouts", str(project / "layouts"),
                 "--output", str(project / "output")])  # fmt: skip
    assert code == 0
    assert capsys.readouterr().err.count("缺少 libharfbuzz-subset0") == 1


def test_layout_error_failing_every_issue_is_said_once(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = project / "layouts/issue.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace('{%- if target == "print" %}', "{%- if %}", 1))
    code = main(["build", "-q", "-j", "1", "--content", str(project / "content"), "--layouts",
                 str(project / "layouts"), "--output", str(project / "output")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    # The web pages are rendered before any PDF, so the broken layout stops the build at once.
    failed = [line for line in err.splitlines() if "layouts/issue.html:" in line]
    assert len(failed) == 1
    assert failed[0].startswith("错误：layouts/issue.html:")
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["0", "-1", "两"])
def test_jobs_must_be_a_positive_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--jobs", value])
    assert exit_info.value.code == 2
    assert f"--jobs 应为正整数，而不是“{value}”" in capsys.readouterr().err


def test_summary_counts_reused_pdfs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folders = ["--content", str(project / "content"), "--layouts", str(project / "layouts")]
    folders += ["--output", str(project / "output")]
    assert main(["build", "-j", "1", *folders]) == 0
    assert capsys.readouterr().out.startswith("已生成 2 期：PDF 2，网页 2，用时 ")
    assert main(["build", "-j", "1", *folders]) == 0
    assert capsys.readouterr().out.startswith("已生成 2 期：PDF 0（另 2 份未改动，沿用上次），网页 2，用时 ")


def test_pages_only_build_leaves_the_pdf_for_the_next_build(project: Path) -> None:
    """`serve` updates the page first (no PDF, no search index); the full build that follows renders the PDF."""
    builder = Builder(options_for(project, jobs=1))
    builder.build()
    article = project / "content/issues/2025-08/01-data-elements.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n先看网页。\n", encoding="utf-8")
    pdf_before = (project / "output/2025-08/2025-08.pdf").read_bytes()
    quick = builder.build(("2025-08",), pages_only=True)
    assert quick.rendered == []
    assert "先看网页" in (project / "output/2025-08/index.html").read_text(encoding="utf-8")
    assert (project / "output/2025-08/2025-08.pdf").read_bytes() == pdf_before
    full = builder.build(("2025-08",))
    assert full.rendered == ["2025-08"]
    assert (project / "output/2025-08/2025-08.pdf").read_bytes() != pdf_before


@pytest.mark.parametrize("deferred", [{"pages_only": True}, {"index": False}])
def test_search_index_catches_up_after_a_build_without_it(project: Path, deferred: dict[str, bool]) -> None:
    """serve's page pass and PDF pass leave the search index out; the next build with it must re-index."""
    builder = Builder(options_for(project, jobs=1))
    builder.build()
    article = project / "content/issues/2025-08/01-data-elements.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n鸿雁传书。\n", encoding="utf-8")
    latest = project / "output/search/latest.bin"
    index_before = latest.read_bytes()
    report = builder.build(("2025-08",), **deferred)  # type: ignore[arg-type]
    assert report.rendered == ([] if deferred.get("pages_only") else ["2025-08"])
    assert latest.read_bytes() == index_before
    builder.build(("2025-08",))
    assert "鸿雁传书" in gzip.decompress(latest.read_bytes()).decode()


def test_an_issue_removed_in_a_build_without_the_index_leaves_it_at_the_next(project: Path) -> None:
    builder = Builder(options_for(project, jobs=1))
    builder.build()
    latest = project / "output/search/latest.bin"

    def indexed() -> list[str]:
        return [issue["id"] for issue in json.loads(gzip.decompress(latest.read_bytes()))["issues"]]

    assert indexed() == ["2025-08", "2025-07"]
    shutil.rmtree(project / "content/issues/2025-07")
    builder.build(index=False)
    assert not (project / "output/2025-07").exists()
    builder.build()
    assert indexed() == ["2025-08"]


def test_a_build_refused_after_loading_still_keeps_what_it_parsed(project: Path, tmp_path: Path) -> None:
    """The memo is saved while the PDFs render, or when the build stops before: parsing is never lost."""
    foreign = tmp_path / "photos"
    memo = tmp_path / ".photos.jianbao-cache/parsed.json"
    foreign.mkdir()
    (foreign / "1.jpg").write_bytes(b"jpeg")
    with pytest.raises(UsageError, match="不是简报生成的文件"):
        build(options_for(project, output=foreign))
    assert set(json.loads(memo.read_text(encoding="utf-8"))["issues"]) == {
        str(project / "content/issues/2025-07"),
        str(project / "content/issues/2025-08"),
    }


def test_parsed_content_is_reused_across_processes_and_never_trusted_blindly(project: Path) -> None:
    """The parsed memo (.output.jianbao-cache/parsed.json) spares the next run the Markdown parsing; a broken
    one is ignored."""
    build(options_for(project, jobs=1))
    memo = project / ".output.jianbao-cache/parsed.json"
    assert set(json.loads(memo.read_text(encoding="utf-8"))["issues"]) == {
        str(project / "content/issues/2025-07"),
        str(project / "content/issues/2025-08"),
    }
    article = project / "content/issues/2025-08/01-data-elements.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n跨进程的修改。\n", encoding="utf-8")
    report = build(options_for(project, jobs=1))
    assert report.rendered == ["2025-08"]
    assert "跨进程的修改" in (project / "output/2025-08/index.html").read_text(encoding="utf-8")
    # The bulletin is kept once and shared, as in a build; what comes back equals a fresh parse.
    data = json.loads(memo.read_text(encoding="utf-8"))
    assert len(data["bulletins"]) == 1 and {e["issue"]["bulletin"] for e in data["issues"].values()} == {0}
    reused = [parsed.issue for parsed in load_memo(memo, project / "content").values()]
    assert sorted(reused, key=lambda i: i.id) == list(load_content(project / "content")[0].issues)
    assert len({id(issue.bulletin) for issue in reused}) == 1
    data["issues"][str(project / "content/issues/2025-08")]["issue"]["bulletin"] = 1  # no such bulletin
    memo.write_text(json.dumps(data), encoding="utf-8")
    assert load_memo(memo, project / "content") == {}
    memo.write_text('{"format": 1, "code": "x", "issues": {"/etc": 1}}', encoding="utf-8")
    assert build(options_for(project, jobs=1)).rendered == []
    memo.write_bytes(b"\xff garbage")
    assert build(options_for(project, jobs=1, force=True)).rendered == ["2025-07", "2025-08"]
