"""Images an editor sizes: `![…](…){width=50%}` and `<img width="50%">` → one validated share of the 版心
(Markdown stage, sanitizer, web and print HTML). The printed and shown sizes are measured in
tests/test_image_sizes_pdf.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.markup.article import convert_markdown
from jianbao.markup.images import share_of
from jianbao.markup.sanitize import check_tree, sanitize
from jianbao.site.pages import web_body
from jianbao.tree import Node, element, fragment


def figure_images(html: str) -> list[str]:
    return [line for line in html.split("\n") if line.startswith("<figure")]


def test_attribute_list_after_an_image_sets_its_share() -> None:
    body = convert_markdown("正文。\n\n![图1 全市人口](images/a.png){width=50%}\n", "art1", first_line=5)
    assert figure_images(body.html) == [
        '<figure class="figure" id="art1-fig1"><img alt="图1 全市人口" src="images/a.png" width="50%">'
        "<figcaption>图1　全市人口</figcaption>"
    ]
    assert body.warnings == ()


def test_raw_img_alone_in_a_paragraph_is_a_sized_figure_with_its_caption() -> None:
    body = convert_markdown('<img src="images/a.png" width="30%" alt="三成宽的图">\n\n图：网页来的图\n', "art1")
    assert figure_images(body.html) == [
        '<figure class="figure" id="art1-fig1"><img alt="三成宽的图" src="images/a.png" width="30%">'
        "<figcaption>图1　网页来的图</figcaption>"
    ]
    assert body.images == ((1, "images/a.png"),)


@pytest.mark.parametrize(
    ("written", "share"),
    [
        ("50%", "50%"),
        ("33.33%", "33.3%"),
        ("78mm", "50%"),
        ("1.56cm", "10%"),
        ("2in", "32.6%"),
        ("295", "50%"),
        ("295px", "50%"),
    ],
)
def test_widths_in_any_unit_become_a_share_of_the_type_area(written: str, share: str) -> None:
    assert share_of(written) == (share, None)


@pytest.mark.parametrize(
    "source",
    [
        "![太宽](images/a.png){width=200%}",
        '<img src="images/a.png" width="200%">',
        '<img src="images/a.png" width="800">',
    ],
)
def test_an_image_wider_than_the_type_area_is_scaled_down_with_a_warning_at_its_line(source: str) -> None:
    body = convert_markdown(f"第一段。\n\n{source}\n", "art1", first_line=7)
    assert 'width="100%"' in body.html
    assert [(line, "超过版心" in message) for line, message in body.warnings] == [(9, True)]


def test_unreadable_widths_and_other_attributes_are_dropped_with_a_warning() -> None:
    body = convert_markdown(
        '![甲](a.png){width=半宽}\n\n![乙](b.png){.big #fig height=3cm}\n\n<img src="c.png" height="300">\n',
        "art1",
    )
    assert "width=" not in body.html and "height=" not in body.html and "big" not in body.html
    assert [line for line, _ in body.warnings] == [1, 3, 3, 3, 5]
    assert "“半宽”无法识别" in body.warnings[0][1] and "只写了高度" in body.warnings[-1][1]


@pytest.mark.parametrize(
    "typed", ["{width=50%}", "{ width=50% }", '{width="50%"}', "{:width=50%}", "｛width＝50％｝", " {width=50%}"]
)
def test_attribute_lists_as_people_type_them(typed: str) -> None:
    body = convert_markdown(f"![甲](images/a.png){typed}\n", "art1")
    assert figure_images(body.html) == [
        '<figure class="figure" id="art1-fig1"><img alt="甲" src="images/a.png" width="50%">'
        "<figcaption>图1　甲</figcaption>"
    ]


def test_braces_in_text_stay_text() -> None:
    """Only an image takes an attribute list: a paragraph or heading ending in `{…}` keeps its words."""
    body = convert_markdown(
        "## 关于 {甲乙}\n\n数据见附表\n{注：截至6月}\n\n文中{width=50%}\n\n![图](a.png) {注}\n", "art1"
    )
    assert "{甲乙}" in body.html and "{注：截至6月}" in body.html and "{width=50%}" in body.html
    assert "{注}" in body.html and body.warnings == ()


@pytest.mark.parametrize("width", ["300", "50", "javascript:alert(1)", "50%;color:red", "150%", "0%"])
def test_sanitizer_lets_no_raw_width_through(width: str) -> None:
    assert sanitize(f'<img src="a.png" width="{width}" height="20">') == '<img src="a.png">'
    assert not check_tree(fragment(element("img", src="a.png", width=width)))


def test_sanitizer_keeps_a_share() -> None:
    assert sanitize('<img src="a.png" width="33.3%">') == '<img src="a.png" width="33.3%">'
    assert check_tree(fragment(element("img", src="a.png", width="100%")))


def test_web_page_gets_the_share_as_a_style() -> None:
    body = convert_markdown('![甲](images/a.png "图1　乙"){width=40%}\n', "art1").tree
    images = [node for node in web_body(body).iter("img") if isinstance(node, Node)]
    # (the title is the caption, 乙: the alt text says something else, so it stays)
    assert [image.attrs for image in images] == [(("alt", "甲"), ("src", "images/a.png"), ("style", "width: 40%"))]


@pytest.mark.parametrize(("size", "width", "mm"), [((1200, 600), "50%", (78, 39)), ((300, 1500), "100%", (32, 160))])
def test_word_edition_sizes_the_picture_as_the_pdf_prints_it(
    size: tuple[int, int], width: str, mm: tuple[float, float]
) -> None:
    from jianbao.docx.media import PictureNeed, printed_size

    picture = PictureNeed("word/media/image1.png", Path("a.png"), "image/png", "rIdImage1", *map(float, size))
    shown = printed_size(picture, (width, None))
    assert tuple(px * 25.4 / 96 for px in shown) == pytest.approx(mm, abs=0.2)
