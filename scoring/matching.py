"""Phrase patterns matched on word keys (the word and its possible lemmas), indexed by first word.

Each token has a set of keys: its lower-cased form plus every lemma the language's
lemmatizer allows for it ("sent" → {sent, send}; "ca" → {ca, can}; "заказа" → {заказа,
заказ}). A pattern word matches a token when their keys meet. Patterns are indexed by the
keys of their first word, so a call is matched in one pass whatever the lexicon's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

Keys = Callable[[str], frozenset[str]]
MAX_GAP = 3
NOUN_MARKERS = frozenset({"a", "an", "the", "your", "my", "our", "his", "her", "their", "this"})


@dataclass(frozen=True)
class Element:
    """One position in a pattern: words (by key), any word, a number or a gap of up to three."""

    kind: str  # "words", "any", "number" or "gap"
    keys: frozenset[str] = frozenset()
    verb: bool = False  # a "<..._verb>" list: not right after an article or possessive


@dataclass(frozen=True)
class Pattern:
    """A compiled phrase and the rule it belongs to."""

    rule: str
    elements: tuple[Element, ...]
    anchored: bool = False  # must start a clause (see starts_clause)


class PhraseIndex:
    """Patterns indexed by their first word's keys."""

    def __init__(
        self, patterns: list[Pattern], keys: Keys, leads: frozenset[str] = frozenset()
    ) -> None:
        self.keys = keys
        self.leads = leads
        self._by_first: dict[str, list[Pattern]] = defaultdict(list)
        for pattern in patterns:
            for key in pattern.elements[0].keys:
                self._by_first[key].append(pattern)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(rule, start, end) of every match in doc."""
        token_keys = [self.keys(token.lower_) for token in doc]
        found: set[tuple[str, int, int]] = set()
        for start, keys in enumerate(token_keys):
            candidates = {id(p): p for key in keys for p in self._by_first.get(key, ())}
            for pattern in candidates.values():
                if pattern.anchored and not starts_clause(doc, start, token_keys, self.leads):
                    continue
                for end in _ends(pattern.elements, 0, start, doc, token_keys):
                    found.add((pattern.rule, start, end))
        return sorted(found, key=lambda match: (match[1], match[2]))


def starts_clause(
    doc: Doc, i: int, token_keys: list[frozenset[str]], leads: frozenset[str]
) -> bool:
    """True when only lead words ("so", "then", "просто") stand between token i and the
    start of its sentence or the punctuation before it."""
    sentence_start = doc[i].sent.start if doc.has_annotation("SENT_START") else 0
    j = i - 1
    while j >= sentence_start and not doc[j].is_punct:
        if token_keys[j].isdisjoint(leads):
            return False
        j -= 1
    return True


def _ends(
    elements: tuple[Element, ...], at: int, i: int, doc: Doc, token_keys: list[frozenset[str]]
) -> Iterator[int]:
    if at == len(elements):
        yield i
        return
    element = elements[at]
    if element.kind == "gap":
        for skip in range(MAX_GAP + 1):
            if skip and (i + skip > len(doc) or doc[i + skip - 1].is_punct):
                return
            yield from _ends(elements, at + 1, i + skip, doc, token_keys)
        return
    if i < len(doc) and _fits(element, doc, i, token_keys):
        yield from _ends(elements, at + 1, i + 1, doc, token_keys)


def _fits(element: Element, doc: Doc, i: int, token_keys: list[frozenset[str]]) -> bool:
    if element.kind == "any":
        return not doc[i].is_punct
    if element.kind == "number":
        return doc[i].like_num or any(char.isdigit() for char in doc[i].text)
    if element.verb and i and doc[i - 1].lower_ in NOUN_MARKERS:
        return False
    return not element.keys.isdisjoint(token_keys[i])
