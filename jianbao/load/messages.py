"""Schema errors (pydantic) → one Chinese line each: `字段（名称）：问题（应为…）`."""

from __future__ import annotations

from typing import Any

FIELD_NAMES = {
    "title": "刊名/标题",
    "tagline": "刊头上方文字",
    "organizers": "主办单位",
    "marks": "密级标注",
    "editor": "责任编辑",
    "phone": "联系电话",
    "fax": "传真",
    "address": "地址",
    "copies": "印数",
    "distribution": "报送范围",
    "number": "期号",
    "total": "总期号",
    "date": "日期",
    "articles": "文章顺序",
    "draft": "草稿",
    "toc": "本期要目",
    "subtitle": "副标题",
    "note": "编者按",
    "source": "来源",
    "author": "作者",
    "lint": "检查设置",
    "status": "状态",
    "签发人": "签发人",
    "签发日期": "签发日期",
    "corrections": "更正",
    "pdf_name": "PDF 文件名",
    "target_pages": "目标页数",
    "pages_per_sheet": "每张纸的页数",
}


# Chinese names editors write as keys (`编者按:`, `印数:`) → the key meant: each field's own name above (`刊名/标题`
# gives both), and the other words offices use for it.
KEY_ALIASES = {
    **{word: key for key, label in FIELD_NAMES.items() for word in label.split("/")},
    **dict.fromkeys(["按语", "编者按语", "编者的话"], "note"),
    **dict.fromkeys(["份数", "共印", "印刷份数"], "copies"),
    **dict.fromkeys(["电话", "联系方式"], "phone"),
    **dict.fromkeys(["编辑", "责编"], "editor"),
    **dict.fromkeys(["主办", "编印", "编印单位"], "organizers"),
    **dict.fromkeys(["报送", "报", "送", "发", "报尾"], "distribution"),
    **dict.fromkeys(["标注", "密级"], "marks"),
    **dict.fromkeys(["出版日期", "印发日期", "时间"], "date"),
    **dict.fromkeys(["第几期", "期数"], "number"),
    **dict.fromkeys(["总第几期", "总期数"], "total"),
    **dict.fromkeys(["文章标题", "题目"], "title"),
    **dict.fromkeys(["作者单位", "执笔"], "author"),
    **dict.fromkeys(["出处"], "source"),
}


def explain(error: Any, data: dict[str, Any]) -> str:
    """One pydantic error → `字段：问题（应为…）` in Chinese."""
    loc = error["loc"]
    name = ".".join(str(part) for part in loc) or "内容"
    label = FIELD_NAMES.get(str(loc[0]), "") if loc else ""
    field_text = f"{name}（{label}）" if label and label != name and len(loc) == 1 else name
    kind = error["type"]
    value = error.get("input")
    shown = f"“{value}”" if isinstance(value, (str, int, float)) else ""
    if kind == "missing":
        return f"{field_text}：缺少必填字段"
    if kind == "value_error" and "date" in str(error.get("ctx", {}).get("error", "")):
        return f"{field_text}：{shown} 不是有效日期（应为 YYYY-MM-DD）"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field_text}：{shown} 不是整数（应为正整数）"
    if kind in ("greater_than", "greater_than_equal"):
        return f"{field_text}：{shown} 应为正整数"
    if kind in ("string_type",):
        return f"{field_text}：应为一段文字"
    if kind == "string_too_short":
        return f"{field_text}：不能为空"
    if kind in ("list_type", "tuple_type"):
        return f"{field_text}：应为列表（每项一行，以“- ”开头）"
    if kind == "too_short":
        return f"{field_text}：至少要有一项"
    if kind in ("bool_type", "bool_parsing"):
        return f"{field_text}：{shown} 应为 true 或 false"
    if kind in ("dict_type", "model_type"):
        return f"{field_text}：应为“名称: 内容”的映射"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{field_text}：{shown} 不是可用的值（应为 {expected}）"
    if kind == "extra_forbidden":
        return f"{field_text}：未知字段"
    return f"{field_text}：{shown} 不符合要求（{error['msg']}）"
