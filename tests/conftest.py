"""Shared fixtures: a copy of the sample project, built once per session.

The session's built projects are made once per run even when pytest-xdist spreads the tests over
several processes (`built_once`); they are read-only: a test that changes a project works on a copy.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from jianbao.recipe import Builder, Options, build
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.netguard import silent_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_project(target: Path) -> Path:
    """Copy the sample content (not the parse cache a local build left in it) and the default layouts into `target`."""
    shutil.copytree(ROOT / "content", target / "content", ignore=shutil.ignore_patterns(".jianbao-cache"))
    shutil.copytree(ROOT / "layouts", target / "layouts")
    return target


def options_for(project: Path, **overrides: object) -> Options:
    values: dict[str, object] = {
        "content": project / "content",
        "layouts": project / "layouts",
        "output": project / "output",
    }
    values.update(overrides)
    return Options(**values)  # type: ignore[arg-type]


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """The folder `name`, filled by `make` once per run: under pytest-xdist the first test process to ask
    makes it (under a lock, in the run's folder that all of them share) and the others wait and reuse it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # <tmp>/pytest-N, above each process's own popen-gwN
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # half made by a process that failed
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def build_pages_bounded(project: Path, **options: object) -> None:
    """A build of the web pages only, in a thread that must end within a minute (a FIFO read, a symlink loop
    or a lock would otherwise hang the test run); its exception, if any, raised here."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            Builder(options_for(project, **options)).build(pages_only=True)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "hung"
    if failure:
        raise failure[0]


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project built into <tmp>/output; returns the project folder."""
    return built_once(tmp_path_factory, "sample", lambda project: build(options_for(copy_project(project))))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample project (not built)."""
    return copy_project(tmp_path)


def copy_built(built: Path, target: Path) -> Path:
    """A writable copy of a built project (content, layouts, output) at `target`: what building a fresh
    copy there would leave, as the same input makes the same bytes (not the parse memo, kept by path)."""
    shutil.copytree(built, target, symlinks=True, ignore=shutil.ignore_patterns("parsed.json"))
    return target


@pytest.fixture
def built_sample(sample_build: Path, tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample project after its first build (made once per run)."""
    return copy_built(sample_build, tmp_path / "built")


MINIMAL_BULLETIN = """\
title: 测试简报
organizers:
  - 测试研究院
editor: 张编辑
phone: "0000-0000"
copies: 10
distribution:
  报: [甲单位, 乙单位]
base_url: http://intranet.example/jianbao/
"""

MINIMAL_ARTICLE = """\
---
title: 测试文章
---

正文第一段。

## 第一部分

正文第二段。
"""


@pytest.fixture
def minimal(tmp_path: Path) -> Callable[..., Path]:
    """Write a one-issue project; keyword arguments replace whole files."""

    def make(
        bulletin: str = MINIMAL_BULLETIN,
        issue: str = "number: 1\ntotal: 1\ndate: 2025-01-10\n",
        article: str = MINIMAL_ARTICLE,
        issue_id: str = "2025-01",
    ) -> Path:
        content = tmp_path / "content"
        folder = content / "issues" / issue_id
        folder.mkdir(parents=True)
        (content / "bulletin.yaml").write_text(bulletin, encoding="utf-8")
        (folder / "issue.yaml").write_text(issue, encoding="utf-8")
        (folder / "01-article.md").write_text(article, encoding="utf-8")
        shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
        return tmp_path

    return make


MULTIYEAR = ROOT / "tests" / "fixtures" / "multiyear"


def copy_multiyear(target: Path) -> Path:
    """Copy the multi-year fixture (2024-11, 2024-12, 2025-01, draft 2025-02) with the default layouts."""
    shutil.copytree(MULTIYEAR / "content", target / "content")
    shutil.copytree(ROOT / "layouts", target / "layouts")
    return target


@pytest.fixture
def multiyear(tmp_path: Path) -> Path:
    """A fresh, writable copy of the multi-year fixture (not built)."""
    return copy_multiyear(tmp_path)


@pytest.fixture(scope="session")
def multiyear_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The multi-year fixture built as published (no drafts); returns the project folder."""
    return built_once(tmp_path_factory, "multiyear", lambda project: build(options_for(copy_multiyear(project))))


ARTICLES = ROOT / "tests" / "fixtures" / "articles"


@pytest.fixture(scope="session")
def articles_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search fixture (2025-02; 2025-03 with three articles, the third without subheadings; draft 2025-04)
    built with its draft, as `serve` builds it; returns the output folder. Drafts are never indexed."""

    def make(project: Path) -> None:
        shutil.copytree(ARTICLES / "content", project / "content")
        shutil.copytree(ROOT / "layouts", project / "layouts")
        build(options_for(project, drafts=True))

    return built_once(tmp_path_factory, "articles", make) / "output"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's) for the whole run, per test process; each test opens its own pages. The
    only Playwright of the process: a second `sync_playwright()` beside it would fail, so every browser test
    (and tests/ofdjs.py when a test calls it) takes this one."""
    from playwright.sync_api import sync_playwright  # only the browser tests pay for importing Playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server() -> Iterator[tuple[str, Callable[[], int]]]:
    """A local HTTP server that must receive no connection; yields (base URL, connection counter)."""
    with silent_server() as running:
        yield running
