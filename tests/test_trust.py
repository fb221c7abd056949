"""Nothing on disk is trusted blindly: caches are input, checked like the content they were made from."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.markup.memo import load_memo
from jianbao.recipe import Builder, build
from tests.conftest import options_for


def tamper(memo: Path, change: Callable[[dict[str, object]], None]) -> None:
    data = json.loads(memo.read_text(encoding="utf-8"))
    for entry in data["issues"].values():
        change(entry["issue"]["articles"][0])
    memo.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def script(article: dict[str, object]) -> None:
    body = article["body"]
    assert isinstance(body, dict)
    body["children"].append({"tag": "script", "attrs": [], "children": ["alert(1)"], "line": 0})


def outside_image(article: dict[str, object]) -> None:
    article["images"] = ["../../../../secret.txt"]


def link_to_a_file(article: dict[str, object]) -> None:
    body = article["body"]
    assert isinstance(body, dict)
    body["children"].append({"tag": "a", "attrs": [["href", "file:///etc/passwd"]], "children": ["x"], "line": 0})


def foreign_folder(article: dict[str, object]) -> None:
    article["source_path"] = "/etc/passwd.md"


@pytest.mark.parametrize("change", [script, outside_image, link_to_a_file, foreign_folder])
def test_a_tampered_parse_memo_counts_as_absent(minimal: Callable[..., Path], change: Callable[..., None]) -> None:
    project = minimal()
    (project / "secret.txt").write_text("机密", encoding="utf-8")
    build(options_for(project, pages_only=True))
    memo = project / ".output.jianbao-cache/parsed.json"
    assert load_memo(memo, project / "content")  # as written, it is reused
    tamper(memo, change)
    assert load_memo(memo, project / "content") == {}
    build(options_for(project, pages_only=True, force=True))
    page = (project / "output/2025-01/index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in page and "file:///etc" not in page
    assert not any(path.name == "secret.txt" for path in (project / "output").rglob("*"))
    assert not (project.parent / "secret.txt").exists()


def test_a_memo_of_another_content_folder_is_not_used(minimal: Callable[..., Path], tmp_path: Path) -> None:
    project = minimal()
    build(options_for(project, pages_only=True))
    assert load_memo(project / ".output.parsed.json", tmp_path / "elsewhere/content") == {}


def image_linked_out(article: dict[str, object]) -> None:
    article["images"] = ["images/leak.png"]  # a symlink in the issue folder to a file outside content/


def huge_image(article: dict[str, object]) -> None:
    article["images"] = ["images/huge.png"]  # a 1 GB file loading would refuse


def fifo_image(article: dict[str, object]) -> None:
    article["images"] = ["images/pipe.png"]


@pytest.mark.parametrize("change", [image_linked_out, huge_image, fifo_image])
def test_a_memo_naming_an_image_loading_would_refuse_counts_as_absent(
    minimal: Callable[..., Path], change: Callable[..., None]
) -> None:
    project = minimal()
    images = project / "content/issues/2025-01/images"
    images.mkdir()
    (project / "secret.png").write_bytes(b"\x89PNG secret")
    (images / "leak.png").symlink_to(project / "secret.png")
    with (images / "huge.png").open("wb") as file:
        file.truncate(1024**3)
    Builder(options_for(project)).build(pages_only=True)
    os.mkfifo(images / "pipe.png")  # (after the build, which would refuse it)
    memo = project / ".output.jianbao-cache/parsed.json"
    assert load_memo(memo, project / "content")
    tamper(memo, change)
    assert load_memo(memo, project / "content") == {}


@pytest.mark.parametrize("kind", ["fifo", "huge", "deep"])
def test_a_memo_that_is_no_memo_is_absent_at_once(tmp_path: Path, kind: str) -> None:
    memo = tmp_path / ".output.parsed.json"
    if kind == "fifo":
        os.mkfifo(memo)  # opened, it would block the build forever
    elif kind == "huge":
        with memo.open("wb") as file:
            file.truncate(1024**3)
    else:
        memo.write_text("[" * 100_000 + "]" * 100_000)
    started = time.perf_counter()
    assert load_memo(memo, tmp_path / "content") == {}
    assert time.perf_counter() - started < 1.0
