"""Confined resource loading for WeasyPrint, and the safety checks it shares with the content stage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao import disk
from jianbao.errors import ContentError
from jianbao.load import safety
from jianbao.markup.article import convert_markdown
from jianbao.pdf.engine import ConfinedFetcher, write_pdf
from tests.netguard import CANARY
from tests.test_hostile import png


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    """An allowed folder with one good image, and a canary file outside it."""
    allowed = tmp_path / "issue"
    (allowed / "images").mkdir(parents=True)
    (allowed / "images/ok.png").write_bytes(png(20, 10))
    (tmp_path / "canary.txt").write_text(CANARY, encoding="utf-8")
    return allowed, tmp_path / "canary.txt"


def test_fetcher_serves_files_inside_its_roots(roots: tuple[Path, Path]) -> None:
    allowed, _ = roots
    response = ConfinedFetcher([allowed]).fetch((allowed / "images/ok.png").as_uri())
    assert response.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "make_url",
    [
        lambda allowed, canary, url: canary.as_uri(),
        lambda allowed, canary, url: (allowed / "images/../../canary.txt").as_uri(),
        lambda allowed, canary, url: "file:///etc/passwd",
        lambda allowed, canary, url: "file://otherhost" + str(allowed / "images/ok.png"),
        lambda allowed, canary, url: (allowed / "images/ok.png").as_uri() + "%00.txt",
        lambda allowed, canary, url: url + "/a.png",
        lambda allowed, canary, url: url.replace("http:", "https:") + "/a.png",
        lambda allowed, canary, url: "ftp://127.0.0.1/a.png",
        lambda allowed, canary, url: "data:text/plain," + CANARY,
    ],
    ids=["outside", "dotdot", "etc-passwd", "file-host", "nul", "http", "https", "ftp", "data"],
)
def test_fetcher_refuses_everything_else_without_connecting(
    roots: tuple[Path, Path], server: tuple[str, Callable[[], int]], make_url: Callable[..., str]
) -> None:
    allowed, canary = roots
    url, connections = server
    fetcher = ConfinedFetcher([allowed])
    target = make_url(allowed, canary, url)
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(target)
    assert [u for u, _ in fetcher.refused] == [target]
    assert connections() == 0


def test_fetcher_refuses_a_symlink_that_leaves_its_root(roots: tuple[Path, Path]) -> None:
    allowed, canary = roots
    (allowed / "images/leak.png").symlink_to(canary)
    with pytest.raises(ValueError):
        ConfinedFetcher([allowed]).fetch((allowed / "images/leak.png").as_uri())


def test_fetcher_checks_image_size_before_weasyprint_decodes(roots: tuple[Path, Path]) -> None:
    allowed, _ = roots
    (allowed / "images/huge.png").write_bytes(png(20000, 20000))
    fetcher = ConfinedFetcher([allowed])
    with pytest.raises(ValueError):
        fetcher.fetch((allowed / "images/huge.png").as_uri())
    assert fetcher.refused[0][1] == "图片尺寸过大（上限 4000 万像素）"


def test_refused_resource_is_a_content_error_at_the_article_line(roots: tuple[Path, Path], tmp_path: Path) -> None:
    allowed, canary = roots
    source = allowed / "01-a.md"
    source.write_text("---\ntitle: 标题\n---\n\n正文。\n\n![图](../canary.txt)\n", encoding="utf-8")
    html = f'<p>正文。</p><img src="{canary.as_uri()}">'
    with pytest.raises(ContentError) as info:
        write_pdf(html, allowed, [allowed], sources=[source])
    (problem,) = info.value.problems
    assert (problem.path.endswith("issue/01-a.md"), problem.line) == (True, 7)
    assert problem.message == (f"拒绝读取资源“{canary.as_uri()}”（只能读取本期文件夹、版式文件夹和字体文件夹中的文件）")


def test_refused_resource_from_a_layout_names_the_layouts(roots: tuple[Path, Path], tmp_path: Path) -> None:
    allowed, _ = roots
    with pytest.raises(ContentError) as info:
        write_pdf('<link rel="stylesheet" href="file:///etc/passwd">', allowed, [allowed])
    assert [str(p) for p in info.value.problems] == [
        "layouts: 版式引用的资源被拒绝读取：“file:///etc/passwd”（只能读取本期文件夹、版式文件夹和字体文件夹中的文件）"
    ]


def test_allowed_image_reaches_the_pdf(roots: tuple[Path, Path]) -> None:
    allowed, _ = roots
    pdf = write_pdf('<p>图</p><img src="images/ok.png">', allowed, [allowed])
    assert pdf.startswith(b"%PDF") and b"/Image" in pdf


@pytest.mark.parametrize(
    ("name", "verdict"),
    [
        ("01-a.md", None),
        ("../a.md", "只能是文件名，不能带文件夹或盘符"),
        ("a\\b.md", "只能是文件名，不能带文件夹或盘符"),
        ("C:a.md", "只能是文件名，不能带文件夹或盘符"),
        ("a\0.md", "含有控制字符"),
        (".hidden.md", "不能以“.”开头"),
        ("..", "只能是文件名，不能带文件夹或盘符"),
    ],
)
def test_file_names(name: str, verdict: str | None) -> None:
    assert safety.check_file_name(name) == verdict


def test_svg_that_is_fine(tmp_path: Path) -> None:
    svg = tmp_path / "a.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="1" height="1"/>'
        '<use xlink:href="#g"/></svg>',
        encoding="utf-8",
    )
    assert safety.check_image_file(svg) is None


def test_svg_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    svg = tmp_path / "a.svg"
    svg.write_text(f'<!DOCTYPE svg [<!ENTITY l0 "lol">{lol}]><svg>&l9;</svg>', encoding="utf-8")
    assert safety.check_image_file(svg) == "SVG 含有 DTD 或实体定义，出于安全考虑不予处理"


def test_oversized_image_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.truncate(disk.IMAGE.limit + 1)  # sparse: no time, no disk
    assert safety.check_image_file(big) == "文件过大（20 MB，图片上限 20 MB）"


def test_the_silent_server_notices_a_connection(server: tuple[str, Callable[[], int]]) -> None:
    """Without this, "zero connections" elsewhere could never fail."""
    import urllib.request

    url, connections = server
    with urllib.request.urlopen(url + "/probe", timeout=5) as response:
        assert response.read() == CANARY.encode()
    assert connections() == 1


def test_images_shown_as_code_are_not_images() -> None:
    source = "正文\n`![x](/etc/a)`\n```\n<img src=/x>\n![y](/z)\n```\n![图](images/a.png)\n<img src='/q'>\n"
    assert convert_markdown(source, "a", 10).images == ((16, "images/a.png"), (17, "/q"))
