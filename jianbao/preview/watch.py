"""The content, layouts and fonts folders → batches of the files saved in them (watchfiles: inotify, or polling).

The parse memo's writes in content/ are no content and start no build.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jianbao.options import Options

WATCH_STEP_MS = 30  # quiet time that ends a burst of file events (an editor's save)
WATCH_TIMEOUT_MS = 500  # the watcher reports "nothing happened" this often


def watched_folders(options: Options) -> list[Path]:
    """content/, layouts/ and fonts/ (those that exist)."""
    return [p.resolve() for p in (options.content, options.layouts, options.fonts) if p.is_dir()]


def watch(options: Options, poll: bool) -> Iterator[set[tuple[Any, str]]]:
    """Batches of changed files; the watcher is already running when this returns.

    Starting it before the first build means a save made during that build is
    not missed; the short timeout yields empty batches, the first of which
    tells us the watcher is in place.
    """
    import watchfiles

    batches = watchfiles.watch(
        *watched_folders(options),
        step=WATCH_STEP_MS,
        rust_timeout=WATCH_TIMEOUT_MS,
        yield_on_timeout=True,
        force_polling=poll or None,
        poll_delay_ms=200,
    )
    next(batches)
    return batches
