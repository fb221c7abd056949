"""A finished rebuild (or its errors) → every open tab, as Server-Sent Events.

`Preview` is the state the rebuild loop announces and the HTTP threads wait
on; `stream_events` writes it to one tab's connection until the tab closes
or the preview stops.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from io import BufferedIOBase

EVENTS_PATH = "/__jianbao/events"
KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True)
class State:
    """What the browser should show: the build's version, what it rebuilt, the errors."""

    version: int = 0
    ids: tuple[str, ...] | None = None  # None: everything was rebuilt
    errors: tuple[str, ...] = ()

    def to_json(self) -> str:
        """The event payload, safe inside a <script> element."""
        data = {"version": self.version, "ids": self.ids, "errors": list(self.errors)}
        return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


class Preview:
    """The state shared by the rebuild loop and the HTTP threads."""

    def __init__(self) -> None:
        self.state = State()
        self.closed = False
        self.condition = threading.Condition()

    def announce(self, ids: tuple[str, ...] | None, errors: Iterable[str] = ()) -> None:
        """Announce a finished rebuild (or its errors) to every open tab."""
        with self.condition:
            self.state = State(self.state.version + 1, ids, tuple(errors))
            self.condition.notify_all()

    def wait(self, seen: int | None, timeout: float) -> State | None:
        """The state once it differs from version `seen`; None on timeout or close."""
        with self.condition:
            self.condition.wait_for(lambda: self.closed or self.state.version != seen, timeout)
            return None if self.closed or self.state.version == seen else self.state

    def close(self) -> None:
        """Release every waiting event stream."""
        with self.condition:
            self.closed = True
            self.condition.notify_all()


def stream_events(preview: Preview, out: BufferedIOBase) -> None:
    """Write each new state to one tab (a keep-alive comment when nothing happens) until it closes
    or the preview stops."""
    seen: int | None = None
    try:
        while not preview.closed:
            state = preview.wait(seen, KEEPALIVE_SECONDS)
            if state is None:
                out.write(b": keep-alive\n\n")
            else:
                out.write(f"data: {state.to_json()}\n\n".encode())
                seen = state.version
            out.flush()
    except (BrokenPipeError, ConnectionResetError):
        return
