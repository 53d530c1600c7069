"""Turn published HTML or plain text into clean text that keeps list items and headings as lines."""

from __future__ import annotations

import html
import re

import ftfy
from bs4 import BeautifulSoup

_BLOCKS = ("p", "div", "li", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
           "section", "article", "table")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# UTF-8 read as Latin-1/Windows-1252 upstream ("Ã©", "â€™", "Â "): only such text goes
# through ftfy, which is slow on clean text.
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac")


def html_to_text(value: str | None) -> str:
    """Text of an HTML fragment (entity-escaped HTML is unescaped first); plain text passes."""
    if not value:
        return ""
    if "&lt;" in value and value.count("<") < value.count("&lt;"):
        value = html.unescape(value)
    if "<" in value and ">" in value:
        soup = BeautifulSoup(value, "lxml")
        for tag in soup(["script", "style"]):
            tag.decompose()
        for tag in soup.find_all(_BLOCKS):
            tag.insert_before("\n")
            if tag.name == "li":
                tag.insert_before("- ")
        value = soup.get_text()
    value = html.unescape(value)
    if _MOJIBAKE.search(value):
        value = ftfy.fix_text(value)
    lines = (_SPACES.sub(" ", line).strip() for line in value.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
