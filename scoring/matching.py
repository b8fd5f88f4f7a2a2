"""Phrase patterns matched on word keys (the word and its possible lemmas), indexed by first word.

Each token has a set of keys: its lower-cased form plus every lemma the language's
lemmatizer allows for it ("sent" → {sent, send}; "ca" → {ca, can}; "заказа" → {заказа,
заказ}). A pattern word matches a token when their keys meet. Patterns are indexed by the
keys of their first word, so a call is matched in one pass whatever the lexicon's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Doc


Keys = Callable[[str], frozenset[str]]
MAX_GAP = 3  # words one "..." may skip
MAX_GAPS = 3  # "..." per pattern
MAX_ELEMENTS = 16  # positions per pattern
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
        tokens = _Tokens.of(doc, self.keys)
        clause_starts: list[bool] | None = None
        found: set[tuple[str, int, int]] = set()
        for start, keys in enumerate(tokens.keys):
            candidates = {id(p): p for key in keys for p in self._by_first.get(key, ())}
            for pattern in candidates.values():
                if pattern.anchored:
                    clause_starts = clause_starts or _clause_starts(doc, tokens, self.leads)
                    if not clause_starts[start]:
                        continue
                for end in _ends(pattern.elements, start, tokens):
                    found.add((pattern.rule, start, end))
        return sorted(found, key=lambda match: (match[1], match[2]))


@dataclass(frozen=True)
class _Tokens:
    """What matching reads of each token, read off the doc once."""

    doc: Doc
    keys: list[frozenset[str]]
    lower: list[str]
    punct: list[bool]

    @classmethod
    def of(cls, doc: Doc, keys: Keys) -> _Tokens:
        lower = [token.lower_ for token in doc]
        punct = [token.is_punct for token in doc]
        return cls(doc, [keys(word) for word in lower], lower, punct)


def pattern_problem(elements: tuple[Element, ...]) -> str | None:
    """Why a pattern is too costly to match (None when it is within the bounds)."""
    gaps = sum(element.kind == "gap" for element in elements)
    if gaps > MAX_GAPS:
        return f"has {gaps} '...' gaps, at most {MAX_GAPS} are allowed"
    if len(elements) > MAX_ELEMENTS:
        return f"has {len(elements)} words, at most {MAX_ELEMENTS} are allowed"
    return None


def _clause_starts(doc: Doc, tokens: _Tokens, leads: frozenset[str]) -> list[bool]:
    """Per token: only lead words ("so", "then", "просто") stand between it and the start
    of its sentence or the punctuation before it. One pass, so anchoring stays linear."""
    sentences = doc.has_annotation("SENT_START")
    starts: list[bool] = []
    for i, token in enumerate(doc):
        first = i == 0 or (sentences and token.is_sent_start) or tokens.punct[i - 1]
        starts.append(bool(first) or (starts[i - 1] and not tokens.keys[i - 1].isdisjoint(leads)))
    return starts


def _ends(elements: tuple[Element, ...], start: int, tokens: _Tokens) -> set[int]:
    """Where the pattern can end when it starts at token ``start``.

    The positions reachable after each element are kept as a set, so a gap multiplies
    nothing: the work is elements × positions, never gap choices to the power of gaps.
    """
    size = len(tokens.keys)
    i, positions = start, None  # one position until the first gap, then a set
    for element in elements:
        if positions is None and element.kind != "gap":
            if i >= size or not _fits(element, i, tokens):
                return set()
            i += 1
        elif element.kind == "gap":
            positions = {end for at in (positions or {i}) for end in _gap_ends(at, tokens)}
        else:
            positions = {
                at + 1 for at in positions or () if at < size and _fits(element, at, tokens)
            }
            if not positions:
                return set()
    return {i} if positions is None else positions


def _gap_ends(i: int, tokens: _Tokens) -> list[int]:
    """Positions after skipping 0..MAX_GAP words from i, never over punctuation."""
    ends = [i]
    for skip in range(1, MAX_GAP + 1):
        if i + skip > len(tokens.punct) or tokens.punct[i + skip - 1]:
            break
        ends.append(i + skip)
    return ends


def _fits(element: Element, i: int, tokens: _Tokens) -> bool:
    if element.kind == "any":
        return not tokens.punct[i]
    if element.kind == "number":
        token = tokens.doc[i]
        return token.like_num or any(char.isdigit() for char in token.text)
    if element.verb and i and tokens.lower[i - 1] in NOUN_MARKERS:
        return False
    return not element.keys.isdisjoint(tokens.keys[i])
