"""The two checkers the web tests run on built pages: axe-core in Chromium, the Nu HTML Checker in Java.

Both come from npm into tests/node/ (`bash scripts/setup.sh --test` runs `npm ci` there). Run this file to
report on a built site:  python -m tests.webcheck <output folder> [page …]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

NODE_MODULES = Path(__file__).parent / "node" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.1 levels A and AA (axe's tags), the bar the site is held to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing() -> str:
    """Why the checkers cannot run here ('' when they can)."""
    if not AXE.is_file() or not VNU.is_file():
        return "tests/node/ 未安装 axe-core 与 vnu-jar（请运行 bash scripts/setup.sh --test）"
    if not shutil.which("java"):
        return "没有 Java（Nu HTML Checker 需要）"
    return ""


def axe_violations(page: object) -> list[str]:
    """Run axe-core on the page as it is now; one line per violation and node."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node.get('failureSummary', '')}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def vnu_messages(files: list[Path]) -> list[str]:
    """Every error and warning the Nu HTML Checker reports on `files` (info messages left out)."""
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['type']}/{m.get('subType', '')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    folder = Path(argv[0]).resolve()
    pages = argv[1:] or ["index.html"]
    print("vnu:", *vnu_messages([folder / p for p in pages]) or ["0"], sep="\n  ")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name in pages:
                page.goto((folder / name).as_uri())
                print(f"axe {width}px {name}:", *axe_violations(page) or ["0"], sep="\n  ")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
