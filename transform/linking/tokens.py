"""The one word tokeniser and sentence splitter of the matchers.

The lexical skill matcher, the role matcher and the skill ranker's vocabulary (built by
tools/build_ranker.py, looked up at run time) must cut text into the same words: lower-case
text, words = runs of ``[a-z0-9+#]``. Sentences end at line breaks, at ``.!?;`` followed by
a space, and at list bullets.
"""

from __future__ import annotations

import re

WORD = r"[a-z0-9+#]+"
NON_WORD = r"[^a-z0-9+#]+"
WORD_RE = re.compile(WORD)
NON_WORD_RE = re.compile(NON_WORD)
SENTENCE_SPLIT = r"[\n\r]+|[.!?;]\s+|\s[-*\u2022]\s"
