"""Markup: an article's Markdown → numbered, sanitized HTML, the same fragment for the web page and the print PDF.

article    Markdown → HTML: heading numbers (一、（一）1.（1）), Chinese line joins, the HTML allowlist
richtext   figures, tables (captions as people type them), footnotes, list markers
words      Chinese words (ICU) and mixed-text spacing, shared with pdf/prepare.py (no Markdown import)
"""
