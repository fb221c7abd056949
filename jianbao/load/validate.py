"""Data read from YAML + a pydantic schema → the checked values, each problem at the line of its key.

Unknown keys are reported with the closest known one; schema errors are explained in Chinese
(messages.py) at the line of the value they are about.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from jianbao.load.messages import explain
from jianbao.load.problems import Problems
from jianbao.load.yamlfile import YamlDoc

if TYPE_CHECKING:
    pass


SchemaT = TypeVar("SchemaT", bound=BaseModel)

# ---------------------------------------------------------------------------
# Schema validation with positions


def split_known(
    data: dict[str, Any], known: Iterable[str], doc: YamlDoc, shown: str, problems: Problems
) -> dict[str, Any]:
    """Drop unknown keys with a warning that suggests the closest known one."""
    known = list(known)
    kept = {}
    for key, value in data.items():
        if key in known:
            kept[key] = value
            continue
        guess = difflib.get_close_matches(str(key), known, n=1)
        hint = f"，是否应为 {guess[0]}？" if guess else f"（可用字段：{'、'.join(known)}）"
        problems.warn(shown, doc.line_of((key,)), f"未知字段 {key}{hint}")
    return kept


def validate(
    schema: type[SchemaT],
    data: dict[str, Any],
    sources: dict[str, tuple[YamlDoc, str]],
    problems: Problems,
    only: set[str] | None = None,
) -> SchemaT | None:
    """Validate `data`; each error is reported in the file its key came from.

    With `only`, errors about other keys are left out (reported elsewhere).
    """
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            key = str(loc[0]) if loc else ""
            if only is not None and key not in only:
                continue
            doc, shown = sources.get(key) or sources[""]
            problems.error(shown, doc.line_of(loc), explain(error, data))
        return None
