"""Turn published HTML or plain text into clean text that keeps list items and headings as lines."""

from __future__ import annotations

import html
import re
import threading

import ftfy
from lxml import etree

_BLOCKS = frozenset(("p", "div", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6",
                     "tr", "section", "article", "table"))
_DROP = frozenset(("script", "style"))
# A run of spaces, tabs and no-break spaces becomes one space. Written so that a single
# space (most of a text's matches) is no match: re.sub pays for each match.
_SPACES = re.compile("[ \t\u00a0]{2,}|[\t\u00a0]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# UTF-8 read as Latin-1/Windows-1252 upstream ("Ã©", "â€™", "Â "): only such text goes
# through ftfy, which is slow on clean text.
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac")
# lxml.html's parser with plain elements: the same tree as lxml.html.document_fromstring,
# without a Python class lookup for each element the walk touches. One per thread: an lxml
# parser must not parse in two threads at once.
_PARSERS = threading.local()


def _parse(value: str) -> etree._Element | None:
    """The document tree of an HTML fragment, as lxml.html.document_fromstring parses it;
    None when it does not parse or holds nothing."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser()
    try:
        return etree.fromstring(value, parser)
    except (etree.ParserError, ValueError):
        return None


def _text_of(root: etree._Element) -> str:
    """The text of a parsed fragment, a line break before each block element and "- " before
    each list item; scripts, styles and comments give nothing (their tails do). Walked by
    lxml's iterwalk, about twice as fast as a Python stack over the children; comments and
    processing instructions come as events of their own."""
    out: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            if not isinstance(tag, str) or tag in _DROP:
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                out.append("\n- " if tag == "li" else "\n")
            if el.text:
                out.append(el.text)
        elif el.tail:  # "end", "comment" or "pi": what follows it
            out.append(el.tail)
    return "".join(out)


def _may_be_mojibake(value: str) -> bool:
    """_MOJIBAKE's match, searched only in text holding one of its lead characters."""
    lead = "\u00c2" in value or "\u00c3" in value or "\u00e2\u20ac" in value
    return lead and _MOJIBAKE.search(value) is not None


def _squeeze_spaces(value: str) -> str:
    """Each run of spaces, tabs and no-break spaces as one space (no regex pass over text
    that has none to squeeze)."""
    if "  " in value or "\t" in value or "\u00a0" in value:
        return _SPACES.sub(" ", value)
    return value


def html_to_text(value: str | None) -> str:
    """Text of an HTML fragment (entity-escaped HTML is unescaped first); plain text passes."""
    if not value:
        return ""
    if "&lt;" in value and value.count("<") < value.count("&lt;"):
        value = html.unescape(value)
    if "<" in value and ">" in value:
        root = _parse(value)
        if root is not None:
            root.tail = None
            value = _text_of(root)
    value = html.unescape(value)
    if _may_be_mojibake(value):
        value = ftfy.fix_text(value)
    # Squeezed before splitting: no run of spaces crosses a line break.
    lines = [line.strip() for line in _squeeze_spaces(value).splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
