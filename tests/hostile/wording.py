"""What a French problem may not hold: English words of souverain's own making.

A problem is worded from its phrases (``data/locales/problems.<lang>.yaml``); the text
it quotes as it is (the user's values, paths, third parties' words) is checked apart:
the user's values may be in any language, but English from souverain, its parser or
the operating system may not pass unworded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from souverain.core.errors import Problem
from souverain.core.phrase import Phrase, Words
from souverain.core.vocabulary import Lang
from souverain.wording import wordings

# English words that no French phrase holds (words spelt alike in both languages,
# such as "date", "source", "version", "type", "action", "phase", "site" or "alias",
# are left out, as are the estate's keys and values written as they are: "days",
# "never", "true", "drop", "pin", "owner"…). Case matters: AND and OR are SPDX.
ENGLISH_WORDS = re.compile(
    r"\b(?:expected|found|missing|unknown|field|fields|line|file|files|not|the|of|must|"
    r"no|such|nothing|wrong|value|values|duplicate|mapping|list|number|whole|text|item|"
    r"items|least|most|directory|cannot|invalid|with|and|or|is|are|than|which|at|in|to|"
    r"on|by|for|its|this|that|an|one|any|only|other|also|already|second|time|character|"
    r"characters|contract|provider|asset|country|product|category|rule|rules|parameter|"
    r"predicate|criterion|axis|weight|brace|loop|dependency|depends|group|digits|bytes|"
    r"integer|finite|control|column|offset|byte|nested|levels|deeper|empty|binary|"
    r"readable|existing|large|regular|entries|entry|layer|name|names|English|French|"
    r"future|before|after|later|hours|did|you|mean|could|while|allowed|where|each|every|"
    r"none|without|between|from|scenario|region|kind|MiB|denied|Expecting|Invalid|"
    r"Extra|Unterminated|should|required|error)\b"
)
# Signs of English text quoted as it is that is not the user's: the parser's, the
# operating system's or pydantic's own words, or a phrase left unworded.
ENGLISH_QUOTED = re.compile(
    r"\b(?:expected|found|did not|could not|while|No such|not allowed|Expecting|Invalid|"
    r"denied|Input should|Field required|Value error|Unterminated|Extra data|unreadable|"
    r"not a|Not a|Is a|Operation|Read-only|No space|too long|too many)\b"
)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»")
# Names written as they are in the files (location.region, souverain_catalog, any_of).
_NAMES = re.compile(r"\S*[._:/@]\S*")


def _problems(lang: Lang) -> dict[str, str]:
    """Each problem id's wording in ``lang``."""
    return {ident: text for ident, (text, _) in wordings("problems", lang).items()}


def _worded(words: Phrase) -> str:
    """The phrase in French, what it quotes as it is left out."""
    values = {
        name: _worded(value) if isinstance(value, Phrase) else "…" for name, value in words.params
    }
    return _problems("fr")[words.id].format_map(values)


def _quoted(words: Words) -> Iterator[str]:
    """What the words quote as they are, at any depth."""
    if isinstance(words, str):
        yield words
        return
    for _, value in words.params:
        if isinstance(value, Phrase | str):
            yield from _quoted(value)


def english_left(problem: Problem) -> list[str]:
    """The English words in ``problem`` read in French (none, if it is complete)."""
    left: list[str] = []
    for words in (problem.message, problem.expected, problem.found):
        if isinstance(words, Phrase):
            left += ENGLISH_WORDS.findall(_NAMES.sub("", _worded(words)))
        for text in _quoted(words):
            left += ENGLISH_QUOTED.findall(_QUOTED.sub("", text))
    return left
