"""Turn published HTML or plain text into clean text that keeps list items and headings as lines."""

from __future__ import annotations

import html
import re

import ftfy
import lxml.html
from lxml import etree

_BLOCKS = frozenset(("p", "div", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                     "tr", "section", "article", "table"))
_DROP = frozenset(("script", "style"))
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# UTF-8 read as Latin-1/Windows-1252 upstream ("Ã©", "â€™", "Â "): only such text goes
# through ftfy, which is slow on clean text.
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac")


def _text_of(root: etree._Element) -> str:
    """The text of a parsed fragment, a line break before each block element and "- " before
    each list item; scripts, styles and comments give nothing (their tails do)."""
    out: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            if el.tail:
                out.append(el.tail)
            continue
        stack.append((el, True))
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None or tag in _DROP:
            continue
        if tag in _BLOCKS:
            out.append("\n- " if tag == "li" else "\n")
        if el.text:
            out.append(el.text)
        stack.extend((child, False) for child in reversed(el))
    return "".join(out)


def html_to_text(value: str | None) -> str:
    """Text of an HTML fragment (entity-escaped HTML is unescaped first); plain text passes."""
    if not value:
        return ""
    if "&lt;" in value and value.count("<") < value.count("&lt;"):
        value = html.unescape(value)
    if "<" in value and ">" in value:
        try:
            root = lxml.html.document_fromstring(value)
        except (etree.ParserError, ValueError):
            root = None
        if root is not None:
            root.tail = None
            value = _text_of(root)
    value = html.unescape(value)
    if _MOJIBAKE.search(value):
        value = ftfy.fix_text(value)
    lines = (_SPACES.sub(" ", line).strip() for line in value.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
