"""A built page and the preview's state → the page as served: with the reload script and the error overlay.

Only the served bytes carry the script (client.js); the files in output/ are
untouched.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

from jianbao.preview.events import EVENTS_PATH, State

_OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em 3em;"
    "background:rgba(255,255,255,.97);color:#222;font:16px/1.7 sans-serif;text-align:left"
)
_OVERLAY_TITLE = "内容有错误，页面仍是上次成功生成的版本。改正后保存，页面会自动刷新。"

# The reload client (a file of its own, read once); its settings come in `window.jianbaoPreview`.
_CLIENT_SCRIPT = (Path(__file__).parent / "client.js").read_text(encoding="utf-8")


def overlay_html(errors: Iterable[str]) -> str:
    """The error overlay as HTML, so it shows even before the script runs."""
    lines = "\n".join(html.escape(e) for e in errors)
    return (
        f'<div id="jianbao-overlay" role="alert" style="{_OVERLAY_STYLE}">'
        f'<p style="font-weight:bold;color:#b00">{_OVERLAY_TITLE}</p>'
        f'<pre style="white-space:pre-wrap;font:15px/1.7 monospace">{lines}</pre></div>'
    )


def live_snippet(state: State) -> str:
    """The overlay (when there are errors) and the reload script put into a served page."""
    # state.to_json() escapes "<", so no error text can close the script element.
    settings = {"style": _OVERLAY_STYLE, "title": _OVERLAY_TITLE, "events": EVENTS_PATH}
    config = f'{{"state": {state.to_json()}, {json.dumps(settings, ensure_ascii=False)[1:]}'
    overlay = overlay_html(state.errors) if state.errors else ""
    return f"{overlay}<script>window.jianbaoPreview = {config};\n{_CLIENT_SCRIPT}</script>\n"


_PDF_HREF = re.compile(r'href="([^":?#]+\.pdf)"')


def inject(page: str, state: State, folder: Path) -> str:
    """Add the live snippet before </body> and a cache-busting query to PDF links."""

    def bust(match: re.Match[str]) -> str:
        pdf = folder / match.group(1)
        stamp = pdf.stat().st_mtime_ns if pdf.is_file() else state.version
        return f'href="{match.group(1)}?v={stamp}"'

    page = _PDF_HREF.sub(bust, page)
    snippet = live_snippet(state)
    end = page.rfind("</body>")
    return page + snippet if end < 0 else page[:end] + snippet + page[end:]


def placeholder_page() -> str:
    """What a page that has not been built yet shows (it reloads once it exists)."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>jianbao 预览</title></head>'
        "<body><p>这一页还没有生成。改正错误或等待生成完成后，页面会自动刷新。</p></body></html>\n"
    )
