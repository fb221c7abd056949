"""Hostile input: every case ends in an exact message, nothing read outside content/, no request, nothing lost.

Each case starts from a project that was built once (its output is the
"earlier build"), breaks one thing, runs `build` through the real command
line entry, and checks the exit code, the exact message lines, that the
earlier output is byte-identical, that a canary file beside content/ never
shows up, and that a local HTTP server saw no connection at all.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.cli import main
from jianbao.write.manifest import STATS
from tests.conftest import MINIMAL_ARTICLE, MINIMAL_BULLETIN, ROOT
from tests.netguard import CANARY

ISSUE = "content/issues/2025-01"
ARTICLE = f"{ISSUE}/01-article.md"
NOT_A_NAME = " 应为本期文件夹中的 .md 文件名（只能是文件名，不能带文件夹或盘符）"
UNLISTED = "content/issues/2025-01/issue.yaml:4: 警告：articles：本期文件夹中的 01-article.md 没有列入，不会印出"
# Every image, Markdown or <img>, meets one check (load/safety.resolve_image_src) before anything is read.
URL = "不能是网址，只能是本期文件夹中的文件"
MISSING = "（应放在本期文件夹 content/issues/2025-01 中）"
NOTHING_WRITTEN = "发现 {n} 个错误{also}，未生成任何文件（上次的输出保持不变）。"


# ---------------------------------------------------------------------------
# Fixtures: a built project and a canary (the silent server is in conftest.py)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-issue project, built once: its output/ is the earlier build every case must keep."""
    base = tmp_path_factory.mktemp("built")
    folder = base / "project" / ISSUE
    folder.mkdir(parents=True)
    (base / "project/content/bulletin.yaml").write_text(MINIMAL_BULLETIN, encoding="utf-8")
    (folder / "issue.yaml").write_text("number: 1\ntotal: 1\ndate: 2025-01-10\n", encoding="utf-8")
    (folder / "01-article.md").write_text(MINIMAL_ARTICLE, encoding="utf-8")
    shutil.copytree(ROOT / "layouts", base / "project/layouts")
    assert run_cli(base / "project", "build")[0] == 0
    return base / "project"


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built project, with a canary file beside content/."""
    target = tmp_path / "project"
    shutil.copytree(built, target, symlinks=True)
    (tmp_path / "canary.txt").write_text(CANARY, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/issue.yaml").write_text(f"number: 2\ntotal: 2\ndate: 2025-02-01\n# {CANARY}\n")
    return target


def run_cli(project: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in-process from `project`; (exit code, stdout, stderr)."""
    import contextlib
    import io
    import os

    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (not the stats cache: inodes and times differ from build to build by nature)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != STATS
    }


def assert_canary_absent(output: Path) -> None:
    """The canary is in no output file: not in the bytes, not in PDF text, not as an embedded file."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    for name, data in snapshot(output).items():
        assert CANARY.encode() not in data, name
        if name.endswith(".pdf"):
            with pdfplumber.open(output / name) as pdf:
                names = resolve1(pdf.doc.catalog.get("Names")) or {}
                assert "EmbeddedFiles" not in names, name
                annotations = [resolve1(a) for page in pdf.pages for a in resolve1(page.page_obj.annots) or []]
                assert not [a for a in annotations if resolve1(a.get("Subtype")).name == "FileAttachment"]
                assert not any(CANARY in (page.extract_text() or "") for page in pdf.pages)


def article(body: str, title: str = "测试文章") -> str:
    return f"---\ntitle: {title}\n---\n\n{body}"


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims `width`×`height` (the pixels are never decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\x80\x40\x20" * width for _ in range(min(height, 4))))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# ---------------------------------------------------------------------------
# The corpus: (id, how to break the project, expected stderr lines before the summary)


def _write(path: str, text: str | bytes) -> Callable[[Path, str], None]:
    def apply(project: Path, url: str) -> None:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.replace("{url}", url) if isinstance(text, str) else text
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)

    return apply


def _symlink(path: str, to: str) -> Callable[[Path, str], None]:
    def apply(project: Path, url: str) -> None:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(project.parent / to)

    return apply


def _both(*steps: Callable[[Path, str], None]) -> Callable[[Path, str], None]:
    def apply(project: Path, url: str) -> None:
        for step in steps:
            step(project, url)

    return apply


A = ARTICLE
IMG = f"{ISSUE}/images"
ISSUE_YAML = f"{ISSUE}/issue.yaml"
SVG_ENTITIES = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
)
SVG_EXTERNAL = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>'
)
SVG_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

CASES: list[tuple[str, Callable[[Path, str], None], list[str]]] = [
    # 4 and 5: images that point outside the issue folder or at the network
    (
        "image-dotdot",
        _write(A, article("正文。\n\n![图](../../../../canary.txt)\n")),
        [f"{A}:7: 图片“../../../../canary.txt”：不能用“..”跳出本期文件夹"],
    ),
    (
        "image-file-url",
        _write(A, article("正文。\n\n![图](file:///etc/passwd)\n")),
        [f"{A}:7: 图片“file:///etc/passwd”：{URL}"],
    ),
    (
        "image-http",
        _write(A, article("正文。\n\n![图]({url}/chart.png)\n")),
        [f"{A}:7: 图片“{{url}}/chart.png”：{URL}"],
    ),
    (
        "image-raw-html-absolute",
        _write(A, article('正文。\n\n<img src="/etc/passwd" onerror="alert(1)">\n')),
        [f"{A}:7: 图片“/etc/passwd”：不能是绝对路径，只能是相对于本期文件夹的路径"],
    ),
    (
        "image-drive-letter",
        _write(A, article("正文。\n\n![图](C:/Windows/win.ini)\n")),
        [f"{A}:7: 图片“C:/Windows/win.ini”：不能是绝对路径，只能是相对于本期文件夹的路径"],
    ),
    (
        "image-percent-encoded-dotdot",
        _write(A, article("正文。\n\n![图](images/%2e%2e/%2e%2e/x.png)\n")),
        [f"{A}:7: 图片“images/%2e%2e/%2e%2e/x.png”：不能用“..”跳出本期文件夹"],
    ),
    (
        "image-data-url",
        _write(A, article("正文。\n\n![图](data:image/png;base64,iVBORw0KGgo=)\n")),
        [f"{A}:7: 图片“data:image/png;base64,iVBORw0KGgo=”：不能内嵌 data: 数据，请把图片存为本期文件夹中的文件"],
    ),
    (
        "image-symlink-out",
        _both(_symlink(f"{IMG}/leak.png", "canary.txt"), _write(A, article("正文。\n\n![图](images/leak.png)\n"))),
        [f"{A}:7: 图片“images/leak.png”：指向本期文件夹以外（符号链接）"],
    ),
    (
        "image-missing",
        _write(A, article("正文。\n\n![图](images/none.png)\n")),
        [f"{A}:7: 图片“images/none.png”：找不到图片文件{MISSING}"],
    ),
    # images: unreadable, too large, hostile SVG
    (
        "image-20000x20000",
        _both(_write(f"{IMG}/huge.png", png(20000, 20000)), _write(A, article("正文。\n\n![图](images/huge.png)\n"))),
        [f"{A}:7: 图片“images/huge.png”：图片尺寸过大（上限 4000 万像素）"],
    ),
    (
        "image-8000x8000",
        _both(_write(f"{IMG}/big.png", png(8000, 8000)), _write(A, article("正文。\n\n![图](images/big.png)\n"))),
        [f"{A}:7: 图片“images/big.png”：图片尺寸过大（上限 4000 万像素，现为 8000×8000）"],
    ),
    (
        "image-corrupt",
        _both(_write(f"{IMG}/bad.png", b"not a png at all"), _write(A, article("正文。\n\n![图](images/bad.png)\n"))),
        [f"{A}:7: 图片“images/bad.png”：无法识别的图片（文件损坏或格式不支持，应为 PNG、JPEG 或 SVG）"],
    ),
    (
        "svg-entities",
        _both(_write(f"{IMG}/a.svg", SVG_ENTITIES), _write(A, article("正文。\n\n![图](images/a.svg)\n"))),
        [f"{A}:7: 图片“images/a.svg”：SVG 含有 DTD 或实体定义，出于安全考虑不予处理"],
    ),
    (
        "svg-external-reference",
        _both(_write(f"{IMG}/a.svg", SVG_EXTERNAL), _write(A, article("正文。\n\n![图](images/a.svg)\n"))),
        [f"{A}:7: 图片“images/a.svg”：SVG 引用了外部资源“file:///etc/passwd”，请把它嵌入或删去"],
    ),
    (
        "svg-script",
        _both(_write(f"{IMG}/a.svg", SVG_SCRIPT), _write(A, article("正文。\n\n![图](images/a.svg)\n"))),
        [f"{A}:7: 图片“images/a.svg”：SVG 含有 <script>，出于安全考虑不予处理"],
    ),
    # 5: article names and files that escape
    (
        "articles-dotdot",
        _write(ISSUE_YAML, "number: 1\ntotal: 1\ndate: 2025-01-10\narticles:\n  - ../../../canary.txt\n"),
        [UNLISTED, f"{ISSUE_YAML}:5: articles：“../../../canary.txt”{NOT_A_NAME}"],
    ),
    (
        "articles-absolute",
        _write(ISSUE_YAML, "number: 1\ntotal: 1\ndate: 2025-01-10\narticles: [/etc/passwd.md]\n"),
        [f"{ISSUE_YAML}:4: articles：“/etc/passwd.md”{NOT_A_NAME}", UNLISTED],
    ),
    (
        "articles-drive-letter",
        _write(ISSUE_YAML, "number: 1\ntotal: 1\ndate: 2025-01-10\narticles: ['C:evil.md']\n"),
        [f"{ISSUE_YAML}:4: articles：“C:evil.md”{NOT_A_NAME}", UNLISTED],
    ),
    (
        "articles-nul",
        _write(ISSUE_YAML, 'number: 1\ntotal: 1\ndate: 2025-01-10\narticles: ["01-article.md\\0.txt"]\n'),
        [f"{ISSUE_YAML}:4: articles：“01-article.md\\x00.txt” 应为本期文件夹中的 .md 文件名（含有控制字符）", UNLISTED],
    ),
    (
        "article-symlink-out",
        _symlink(f"{ISSUE}/02-leak.md", "canary.txt"),
        [f"{ISSUE}/02-leak.md: 文件指向内容文件夹以外（符号链接），出于安全考虑不予读取"],
    ),
    (
        "issue-folder-symlink-out",
        _symlink("content/issues/2025-02", "outside"),
        ["content/issues/2025-02/issue.yaml: 文件指向内容文件夹以外（符号链接），出于安全考虑不予读取"],
    ),
    (
        "issue-id-with-capitals-and-dots",
        _write("content/issues/Evil..ID/issue.yaml", "number: 2\ntotal: 2\ndate: 2025-02-01\n"),
        ["content/issues/Evil..ID: 期号文件夹名“Evil..ID”只能用小写字母、数字和连字符（如 2025-08）"],
    ),
    # 1: files that are not UTF-8 text, broken YAML
    (
        "binary-article",
        _write(A, b"\x89PNG\r\n\x1a\n\0\0\0binary"),
        [f"{A}: 不是文本文件（含二进制内容）"],
    ),
    (
        "gbk-article",
        _write(A, article("中文正文。\n").encode("gbk")),
        [f"{A}:2: 文件不是 UTF-8 编码（看起来是 GBK 编码，请用编辑器另存为 UTF-8）"],
    ),
    (
        "yaml-tab",
        _write(ISSUE_YAML, "number: 1\ntotal: 1\ndate: 2025-01-10\ndistribution:\n\t报: 甲\n"),
        [f"{ISSUE_YAML}:5: YAML 格式错误：不能用 Tab 缩进，请改用空格（第 1 列）"],
    ),
    (
        "yaml-duplicate-key",
        _write(ISSUE_YAML, "number: 1\ntotal: 1\ndate: 2025-01-10\ndate: 2025-01-11\n"),
        [f"{ISSUE_YAML}:4: 字段 date 重复（第 3 行已有）"],
    ),
    (
        "yaml-wrong-types",
        _write(ISSUE_YAML, "number: 一\ntotal: 1\ndate: 2025-02-30\ncopies: -5\n"),
        [
            f"{ISSUE_YAML}:1: number（期号）：“一” 不是整数（应为正整数）",
            f"{ISSUE_YAML}:3: date（日期）：“2025-02-30” 不是有效日期（应为 YYYY-MM-DD）",
            f"{ISSUE_YAML}:4: copies（印数）：“-5” 应为正整数",
        ],
    ),
    (
        "yaml-python-tag",
        _write(ISSUE_YAML, "number: !!python/object/apply:os.system ['echo pwned']\ntotal: 1\ndate: 2025-01-10\n"),
        [
            f"{ISSUE_YAML}:1: YAML 格式错误：不支持 YAML 标签 !!python/object/apply:os.system，"
            "请删去以“!”开头的标签（第 9 列）"
        ],
    ),
    (
        "yaml-billion-laughs",
        _write(
            ISSUE_YAML,
            "number: 1\ntotal: 1\ndate: 2025-01-10\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)),
        ),
        [f"{ISSUE_YAML}:4: YAML 格式错误：不支持锚点和别名（& 和 *），请直接写出内容"],
    ),
    (
        "yaml-nested-3000-deep",
        _write(ISSUE_YAML, "number: 1\ntotal: 1\ndate: 2025-01-10\nmarks: " + "[" * 3000 + "]" * 3000 + "\n"),
        [f"{ISSUE_YAML}:4: YAML 格式错误：嵌套层次过深（上限 50 层）"],
    ),
    (
        "lint-rule-unknown",
        _write(ISSUE_YAML, "number: 1\ntotal: 1\ndate: 2025-01-10\nlint:\n  ignore: [no-such-rule]\n"),
        [
            f"{ISSUE_YAML}:5: lint.ignore.0：“no-such-rule” 不是可用的值（应为 halfwidth-punct, unpaired-mark, "
            "repeated-punct, paragraph-end, heading-number, cjk-space, missing-glyph, title-break）"
        ],
    ),
    # 7: limits
    (
        "article-10-mb",
        _write(A, article("数据要素市场化配置改革。" * 300_000)),
        [f"{A}: 文件过大（10 MB，文章上限 512 KB）"],
    ),
    (
        "article-10000-headings",
        _write(A, article("".join(f"## 标题{i}\n\n" for i in range(10_000)))),
        [f"{A}:5: 标题过多（10000 个，一篇文章上限 300 个），请拆分文章"],
    ),
    (
        "list-nested-200-deep",
        _write(A, article("".join("    " * i + "- 项\n" for i in range(200)))),
        [f"{A}:5: 列表或引文嵌套过深（超过上限 40 层）"],
    ),
    (
        "quotes-nested-5000-deep",
        _write(A, article(">" * 5000 + " 引文\n")),
        [f"{A}:5: 列表或引文嵌套过深（超过上限 40 层）"],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "apply", "expected"), CASES, ids=[c[0] for c in CASES])
def test_hostile_input_is_refused_with_exact_message(
    project: Path, server: tuple[str, Callable[[], int]], case: str, apply: Callable[[Path, str], None], expected
) -> None:
    url, connections = server
    before = snapshot(project / "output")
    apply(project, url)
    code, _out, err = run_cli(project, "build")
    lines = err.splitlines()
    assert code == 1
    assert "Traceback" not in err
    errors = sum("警告：" not in line for line in expected)
    warned = len(expected) - errors
    summary = NOTHING_WRITTEN.format(n=errors, also=f"、{warned} 条警告" if warned else "")
    assert lines == [line.replace("{url}", url) for line in expected] + [summary]
    assert snapshot(project / "output") == before
    assert connections() == 0
    assert_canary_absent(project / "output")


@pytest.mark.slow
def test_sanitized_raw_html_builds_without_reading_or_fetching_anything(
    project: Path, server: tuple[str, Callable[[], int]]
) -> None:
    """Raw HTML that would read the canary or call the server is stripped; the build succeeds."""
    url, connections = server
    canary = project.parent / "canary.txt"
    body = f"""正文第一段。

<script src="{url}/s.js">alert(1)</script>
<link rel="stylesheet" href="{url}/x.css"><link rel="attachment" href="{canary.as_uri()}">
<style>@import url("{url}/i.css"); body {{ background: url("{canary.as_uri()}") }}</style>
<p style="background: url('{url}/bg.png')" onclick="alert(2)">带样式的段落。</p>
<iframe src="{canary.as_uri()}"></iframe><object data="{url}/o"></object><embed src="{canary.as_uri()}">
<form action="{url}/f"><input name="q"><button>提交</button></form>
<a rel="attachment" href="../../../../canary.txt">附件</a> <a href="javascript:alert(3)">脚本链接</a>
<a href="{url}/page">普通外部链接</a> <svg onload="alert(4)"><use href="{canary.as_uri()}"/></svg>
<img srcset="{url}/a.png 2x" src="images/ok.png" onerror="alert(5)">

第二段。
"""
    (project / ISSUE / "images").mkdir()
    (project / ISSUE / "images/ok.png").write_bytes(png(40, 30))
    (project / ARTICLE).write_text(article(body), encoding="utf-8")
    code, _, err = run_cli(project, "check")
    assert (code, err) == (0, ""), err
    # The print layout resolves image paths itself (issue 4); here only what reaches the PDF matters.
    (project / ARTICLE).write_text(article(body.replace('src="images/ok.png"', "")), encoding="utf-8")
    code, _out, err = run_cli(project, "build")
    assert code == 0, err
    page = (project / "output/2025-01/index.html").read_text(encoding="utf-8")
    body_html = page.split('<div class="body">')[1].split("</article>")[0]  # the layout's own scripts may exist
    for bad in ("<script", "onclick", "onerror", "onload", "javascript:", "<iframe", "<object", "<embed", "<form"):
        assert bad not in body_html
    assert "<style" not in body_html and "style=" not in body_html and "<link" not in body_html
    assert f'href="{url}/page"' in page  # a link is only a link: never fetched
    assert "canary.txt" not in page  # a relative link would be a file: link to the build machine in the PDF
    assert connections() == 0
    assert_canary_absent(project / "output")


# ---------------------------------------------------------------------------
# 6: nothing lost


@pytest.mark.slow
def test_two_builds_at_once_second_is_told_to_wait(project: Path) -> None:
    from jianbao.write.lock import output_lock

    before = snapshot(project / "output")
    (project / ARTICLE).write_text(article("改过的正文。\n"), encoding="utf-8")
    with output_lock(project / "output"):
        code, _out, err = run_cli(project, "build")
    assert code == 1
    assert err.splitlines() == [
        "错误：另一个 jianbao 正在生成 output，请等它结束后再运行（两次同时生成会互相覆盖）",
        "未更新任何文件（上次的输出保持不变）。",
    ]
    assert snapshot(project / "output") == before
    assert run_cli(project, "build")[0] == 0  # the lock is gone with its holder


@pytest.mark.slow
def test_killed_before_rename_leaves_earlier_files_and_next_build_cleans_up(project: Path) -> None:
    """kill -9 at the worst moment (temporary file complete, not yet renamed)."""
    import os
    import subprocess
    import sys

    before = snapshot(project / "output")
    (project / ARTICLE).write_text(article("第二次生成的正文。\n"), encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "real = os.replace\n"
        "def replace(a, b):\n"
        "    if '.output.staging-' in str(b):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(a, b)\n"
        "os.replace = replace\n"
        "from jianbao.cli import main\n"
        "sys.exit(main(['build']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", script], cwd=project, env=env, capture_output=True, check=False)
    assert killed.returncode == -9
    assert snapshot(project / "output") == before
    leftovers = sorted(p.name for p in project.glob(".output.staging-*"))
    assert leftovers, "the kill happened while the new site was being assembled"
    code, _, err = run_cli(project, "build")
    assert code == 0, err
    rebuilt = snapshot(project / "output")
    assert not list(project.glob(".output.staging-*")) and not [n for n in rebuilt if n.endswith(".tmp")]
    assert (
        rebuilt["2025-01/2025-01.pdf"].startswith(b"%PDF")
        and rebuilt["2025-01/2025-01.pdf"] != before["2025-01/2025-01.pdf"]
    )


def test_interrupt_during_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from jianbao.files import write_atomic

    target = tmp_path / "a.pdf"
    target.write_bytes(b"%PDF old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"%PDF new and longer")
    assert target.read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


@pytest.mark.slow
def test_unwritable_output_is_one_line(project: Path) -> None:
    (project / ARTICLE).write_text(article("改过的正文。\n"), encoding="utf-8")
    (project / "output/2025-01").chmod(0o500)
    try:
        if os_can_write(project / "output/2025-01"):
            pytest.skip("running as a user who ignores permissions")
        code, _, err = run_cli(project, "build")
    finally:
        (project / "output/2025-01").chmod(0o755)
    assert code == 1
    assert err.splitlines()[0] == "错误：无法写入 output/2025-01/2025-01.pdf（Permission denied）"


def os_can_write(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


# ---------------------------------------------------------------------------
# 8: no tracebacks for users


def test_unexpected_exception_is_one_line_and_traceback_only_with_v(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("jianbao.recipe.build", boom)
    code, _, err = run_cli(project, "build")
    assert (code, err) == (1, "内部错误：jianbao 遇到了意外问题，请把 -v 的输出报告给维护者。\n")
    code, _out, err = run_cli(project, "build", "-v")
    assert code == 1
    assert "Traceback" in err and "RuntimeError: simulated bug" in err
    assert err.splitlines()[-1] == "内部错误：jianbao 遇到了意外问题，请把 -v 的输出报告给维护者。"


def test_usage_error_for_path_tricks_in_ids(project: Path) -> None:
    code, _out, err = run_cli(project, "build", "../../etc")
    assert (code, err) == (2, "错误：没有这一期：../../etc（可用：2025-01）\n")
