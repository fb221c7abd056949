"""Data read from YAML + a pydantic schema → the checked values, each problem at the line of its key.

Unknown keys are errors that name the key most likely meant; schema errors are explained in Chinese
(messages.py) at the line of the value they are about.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from jianbao.load.messages import KEY_ALIASES, explain
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
    """Keep the keys the schema knows (`known`, taken from it by the caller); each other one is an error that
    names the key meant: a misspelt key would otherwise silently drop what it holds (印数, 编者按) from the print."""
    known = list(known)
    kept = {}
    for key, value in data.items():
        if key in known:
            kept[key] = value
            continue
        problems.error(shown, doc.line_of((key,)), f"未知字段 {key}{key_hint(str(key), known)}")
    return kept


def key_hint(key: str, known: list[str]) -> str:
    """What an unknown key most likely meant: the English key of a Chinese name (`编者按` → note), the nearest
    known key (`copise` → copies), or the list of them."""
    alias = KEY_ALIASES.get(key.strip())
    if alias in known:
        return f"：应写作 {alias}（字段名用英文，如“{alias}: …”）"
    guess = difflib.get_close_matches(key, known, n=1) or difflib.get_close_matches(key.lower(), known, n=1)
    if guess:
        return f"，是否应为 {guess[0]}？"
    return f"（可用字段：{'、'.join(known)}）"


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
