"""Phrase lexicons per language: loading, validation and compilation to a spaCy Matcher.

A lexicon (``scoring/lexicons/en.yaml``) is written in plain words: the phrase
``I can ... <solution_verb>`` matches "I can certainly send", "I will go ahead and refund"
(word keys and lemmas, see :mod:`scoring.matching`), not a raw substring. Phrase syntax,
token by token:

- a word: matches any inflection of it (its lemma) or the word itself;
- ``=word``: only this very form ("=записала" but not "запишу");
- ``*``: any one word; ``#``: a number ("18:00", "5", "тридцати"); ``...``: up to three
  words (never punctuation); at most three ``...`` and sixteen words a phrase, so that
  matching stays linear in the call's length (E440 otherwise);
- ``<list>``: any word of ``lists.list`` (lemmas as well; a list entry ``=word`` is only
  that form); a list named ``*_verb`` does not match right after an article or possessive
  ("your order");
- ``<list:form>``: a word of the list in one grammatical form (see ``nlp.FORMS``): ``1p``
  first person present or future ("оформлю", "заменим"), ``imp`` imperative
  ("перезагрузите"; an English base form), ``inf`` infinitive, ``past`` singular past
  ("заморозил"), ``fut`` present or future of any person ("перезвонят"), ``pp`` passive
  participle ("начислено"). The form says who acts, so Russian uses it most;
- ``^`` first: the phrase starts a clause: nothing before it in the sentence, or only
  punctuation and words of ``lists.clause_leads`` ("Then just restart it" matches
  ``^ <instruction_verb:imp>``; "I will restart it" does not).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from scoring import nlp, rules
from scoring.errors import ScoreErr, ScoringError
from scoring.matching import MAX_ELEMENTS, MAX_GAPS, Element, Pattern, PhraseIndex, pattern_problem
from scoring.validation import Found, KeyPath, fail_on, read_yaml, validate
from scoring.vocabulary import UNSCORABLE_REASONS, UnscorableReason

LEXICON_DIR = Path(__file__).parent / "lexicons"
_LIST_REF = re.compile(r"^<(\w+)(?::(\w+))?>$")
_ANCHOR = "^"
_LEADS = "clause_leads"
_GAP = "..."
_ANY = "*"
_NUMBER = "#"
_EXACT = "="
# what a feedback example may name: the agent, company, customer and case of the call
EXAMPLE_FIELDS = ("agent", "company", "customer", "reference")
EXAMPLE_LIST = ", ".join(f"{{{name}}}" for name in EXAMPLE_FIELDS)
_WILDCARDS = {_GAP: "gap", _ANY: "any", _NUMBER: "number"}


class LexiconFile(BaseModel):
    """Schema of a lexicon YAML file."""

    model_config = ConfigDict(extra="forbid")

    language: str
    version: str
    negations: list[str] = Field(min_length=1)
    question_words: list[str] = Field(min_length=1)
    open_question_words: list[str] = Field(min_length=1)
    question_openers: list[str] = Field(min_length=1)
    question_particles: list[str] = []
    fillers: list[str] = Field(min_length=1)
    name_intros: list[str] = Field(min_length=1)
    refusals: list[str] = Field(min_length=1)
    acceptances: list[str] = []  # a reply opening with one accepts the offer before it
    # customer phrases by reaction (rules.CUSTOMER_REACTIONS): "you did not even listen"
    customer_reactions: dict[str, list[str]] = {}
    lists: dict[str, list[str]] = {}
    rules: dict[str, list[str]]
    feedback: dict[str, str]
    # stand-ins for the {fields} of feedback examples when a call has no scenario or trainee
    examples: dict[str, str] = {}
    unscorable: dict[UnscorableReason, str]


@dataclass(eq=False)
class Lexicon:
    """A validated lexicon with its compiled phrase index."""

    path: Path
    data: LexiconFile
    matcher: PhraseIndex
    list_keys: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """'en' or 'ru'."""
        return self.data.language

    def words(self, name: str) -> frozenset[str]:
        """Keys of a word-list field (negations, question words...) or of ``lists.name``."""
        return self.list_keys.get(name, frozenset())

    def is_a(self, word: str, name: str) -> bool:
        """True when a word form (any case) is, by any of its lemmas, in the named list."""
        return not nlp.word_keys(self.language, word).isdisjoint(self.words(name))


def lexicon_problems(data: LexiconFile) -> list[Found]:
    """Problems a schema cannot see: unknown or missing rules, unknown <list> references."""
    problems: list[Found] = [
        (("rules", rule), "unknown rule") for rule in sorted(set(data.rules) - set(rules.RULES))
    ]
    problems += [
        (("rules", rule), "missing") for rule in sorted(set(rules.RULES) - set(data.rules))
    ]
    problems += [
        (("unscorable", r), "missing") for r in UNSCORABLE_REASONS if r not in data.unscorable
    ]
    problems += _example_problems(data)
    for rule, phrases in data.rules.items():
        if not phrases:
            problems.append((("rules", rule), "empty list, give at least one phrase"))
        for index, phrase in enumerate(phrases):
            problems += _phrase_problems(phrase, ("rules", rule, index), data.lists)
    known = ", ".join(rules.CUSTOMER_REACTIONS)
    for name, phrases in data.customer_reactions.items():
        if name not in rules.CUSTOMER_REACTIONS:
            problems.append((("customer_reactions", name), f"unknown reaction, use one of {known}"))
        for index, phrase in enumerate(phrases):
            problems += _phrase_problems(phrase, ("customer_reactions", name, index), data.lists)
    return problems


def _example_problems(data: LexiconFile) -> list[Found]:
    """Each {field} of a feedback example is one a call fills and has a stand-in."""
    problems: list[Found] = []
    for key, text in data.feedback.items():
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        except ValueError as error:
            problems.append((("feedback", key), str(error)))
            continue
        for name in sorted(fields - set(EXAMPLE_FIELDS)):
            problems.append((("feedback", key), f"unknown field {{{name}}}, use {EXAMPLE_LIST}"))
        for name in sorted(fields & set(EXAMPLE_FIELDS) - set(data.examples)):
            problems.append((("examples", name), f"missing, feedback.{key} uses it"))
    return problems


def phrase_cost_problems(
    language: str, phrase: str, key: KeyPath, lists: Iterable[str]
) -> list[Found]:
    """A phrase over the bounds that keep matching linear, at its key (scoring refuses it
    with E440; an editor says so at the phrase's line). ``lists``: the list names it may use."""
    parts = phrase.split()
    words = " ".join(parts[1:] if parts[:1] == [_ANCHOR] else parts)
    known = dict.fromkeys(lists, frozenset[str]())  # the cost needs no list's words
    refs = [m[1] for part in parts if (m := _LIST_REF.match(part))]
    if not words or any(ref not in known for ref in refs):
        return []  # a problem of its own (lexicon_problems says which)
    cost = pattern_problem(phrase_elements(language, words, known))
    return [(key, f"phrase '{phrase}' {cost}")] if cost else []


def lexicon_cost_problems(data: LexiconFile) -> list[Found]:
    """Every phrase of a lexicon over the matching bounds, at its key."""
    phrases = [
        (phrase, (section, name, index))
        for section, groups in (
            ("rules", data.rules),
            ("customer_reactions", data.customer_reactions),
        )
        for name, found in groups.items()
        for index, phrase in enumerate(found)
    ]
    return [
        problem
        for phrase, key in phrases
        for problem in phrase_cost_problems(data.language, phrase, key, data.lists)
    ]


def _phrase_problems(phrase: str, key: KeyPath, lists: dict[str, list[str]]) -> list[Found]:
    parts = phrase.split()
    if parts[:1] == [_ANCHOR]:
        parts = parts[1:]
    if not parts or parts[0] in (_GAP, _ANY, _NUMBER, _ANCHOR):
        return [(key, f"phrase '{phrase}' must start with a word")]
    refs = [m for part in parts if (m := _LIST_REF.match(part))]
    problems = [(key, f"unknown list <{ref[1]}>") for ref in refs if ref[1] not in lists]
    problems += [
        (key, f"unknown form ':{ref[2]}' in <{ref[1]}:{ref[2]}>, use one of {', '.join(nlp.FORMS)}")
        for ref in refs
        if ref[2] and ref[2] not in nlp.FORMS
    ]
    return problems


@cache
def load_lexicon(language: str, path: Path | None = None) -> Lexicon:
    """Load, validate and compile a lexicon (the packaged one for the language by default)."""
    source = path or LEXICON_DIR / f"{language}.yaml"
    parsed = read_yaml(source, ScoreErr.LEXICON_INVALID)
    data = validate(LexiconFile, parsed, err=ScoreErr.LEXICON_INVALID)
    problems = lexicon_problems(data)
    if data.language != language:
        problems.append((("language",), f"is '{data.language}', expected '{language}'"))
    fail_on(parsed.all_at(problems), path=source, err=ScoreErr.LEXICON_INVALID)
    list_keys = _list_keys(data)
    matcher = compile_phrases(data.language, data.rules, list_keys, source=f"Lexicon {source}")
    return Lexicon(path=source, data=data, matcher=matcher, list_keys=list_keys)


def _list_keys(data: LexiconFile) -> dict[str, frozenset[str]]:
    named = {
        "negations": data.negations,
        "question_words": data.question_words,
        "open_question_words": data.open_question_words,
        "question_openers": data.question_openers,
        "question_particles": data.question_particles,
        "refusals": data.refusals,
        "acceptances": data.acceptances,
        **data.lists,
    }
    return {name: _keys(data.language, words) for name, words in named.items()}


def _keys(language: str, words: list[str]) -> frozenset[str]:
    # A multi-word entry ("cannot", "you know") adds only itself, not each of its words;
    # an "=word" entry only its own form.
    exact = {word[1:].lower() for word in words if word.startswith(_EXACT) and len(word) > 1}
    words = [word for word in words if not word.startswith(_EXACT)]
    single = [word for word in words if len(nlp.tokenize(language, word)) == 1]
    lemmas = {key for word in single for key in nlp.word_keys(language, word)}
    return frozenset({word.lower() for word in words} | lemmas | exact)


def compile_phrases(
    language: str,
    phrase_rules: dict[str, list[str]],
    list_keys: dict[str, frozenset[str]],
    *,
    source: str = "The phrase list",
) -> PhraseIndex:
    """A phrase index with every rule's phrases; E440 when any phrase is over the bounds
    that keep matching linear (``matching.MAX_GAPS``, ``matching.MAX_ELEMENTS``)."""
    compiled = [
        (f"{rule}.{index}", phrase, _pattern(language, rule, phrase, list_keys))
        for rule, phrases in phrase_rules.items()
        for index, phrase in enumerate(phrases)
    ]
    problems = [
        f"{key}: phrase '{phrase}' {problem}"
        for key, phrase, pattern in compiled
        if (problem := pattern_problem(pattern.elements))
    ]
    if problems:
        raise ScoringError(
            ScoreErr.PHRASE_TOO_COSTLY,
            source=source,
            problems="; ".join(problems),
            max_gaps=MAX_GAPS,
            max_words=MAX_ELEMENTS,
        )
    leads = list_keys.get(_LEADS, frozenset())
    return PhraseIndex([pattern for *_, pattern in compiled], nlp.keys_function(language), leads)


def _pattern(
    language: str, rule: str, phrase: str, list_keys: dict[str, frozenset[str]]
) -> Pattern:
    parts = phrase.split()
    anchored = parts[:1] == [_ANCHOR]
    words = " ".join(parts[1:] if anchored else parts)
    return Pattern(rule, phrase_elements(language, words, list_keys), anchored)


def phrase_elements(
    language: str, phrase: str, list_keys: dict[str, frozenset[str]]
) -> tuple[Element, ...]:
    """Pattern elements for one phrase: words by keys, wildcards, list references."""
    elements: list[Element] = []
    for part in phrase.split():
        ref = _LIST_REF.match(part)
        if part in _WILDCARDS:
            elements.append(Element(_WILDCARDS[part]))
        elif part.startswith(_EXACT) and len(part) > 1:
            elements.append(Element("words", frozenset({part[1:].lower().replace("ё", "е")})))
        elif ref:
            elements.append(_list_element(ref[1], ref[2], list_keys))
        else:
            elements += [
                Element("words", nlp.word_keys(language, token.text))
                for token in nlp.tokenize(language, part)
            ]
    return tuple(elements)


def _list_element(name: str, form: str | None, list_keys: dict[str, frozenset[str]]) -> Element:
    keys = list_keys[name]
    if form:
        keys = frozenset(f"{key}:{form}" for key in keys)
    return Element("words", keys, name.endswith("_verb"))
