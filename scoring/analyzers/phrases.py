"""Lexicon phrases in agent speech, kept only where they mean what the rule says.

A match is dropped when it is negated ("I can't help you"), outside the part of the call
where its rule counts (a "hello" mid-call is no greeting), not in a question when the rule
needs one, after a question word when the rule offers something ("which day would you like
instead?" asks), or overridden by a stronger rule in the same sentence.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc

from scoring import rules
from scoring.analyzers import register
from scoring.call import Call, Hit, is_question
from scoring.lexicon import Lexicon, compile_phrases
from scoring.matching import PhraseIndex

NEGATION_WINDOW = 3
Match = tuple[str, int, int]


@register("phrases")
def lexicon_phrases(call: Call, _: list[Hit]) -> list[Hit]:
    """Hits of the lexicon's rules and the scenario's phrases in every agent utterance."""
    extra = scenario_matcher(call.lexicon, call.scenario.forbidden_promises, call.scenario.company)
    hits: list[Hit] = []
    for index, doc in call.agent_docs():
        matches = call.lexicon.matcher(doc) + (extra(doc) if extra else [])
        hits.extend(_kept_hits(call, index, doc, matches))
    return hits


@cache
def scenario_matcher(
    lexicon: Lexicon, promises: tuple[str, ...], company: str | None
) -> PhraseIndex | None:
    """Matcher for a scenario's forbidden promises and company name (None without any)."""
    phrase_rules = {"honesty.scenario_promise": list(promises)} if promises else {}
    if company:
        phrase_rules["greet.scenario_company"] = [company]
    if not phrase_rules:
        return None
    return compile_phrases(lexicon.language, phrase_rules, lexicon.list_keys)


def _kept_hits(call: Call, index: int, doc: Doc, matches: list[Match]) -> list[Hit]:
    places = call.position(index)
    kept = [m for m in matches if _counts(call.lexicon, doc, m, places)]
    kept = [m for m in kept if _asked(m, kept, doc, call.lexicon)]
    hits = [
        Hit(rule, index, doc[start:end].text, doc[start].sent.start) for rule, start, end in kept
    ]
    return without_suppressed(_longest_per_sentence(hits))


def _longest_per_sentence(hits: list[Hit]) -> list[Hit]:
    """One hit per rule and sentence: the longest span of words, the first among equals."""
    longest: dict[tuple[str, int], Hit] = {}
    for hit in hits:
        key = (hit.rule, hit.sentence)
        if key not in longest or len(hit.text) > len(longest[key].text):
            longest[key] = hit
    return list(longest.values())


def _counts(lexicon: Lexicon, doc: Doc, match: Match, places: set[str]) -> bool:
    rule, start, end = match
    meaning = rules.spec(rule)
    sentence = doc[start].sent
    if meaning.position not in places:
        return False
    asked = is_question(sentence, lexicon)
    if meaning.question is not None and meaning.question != asked:
        return False
    if not meaning.in_wh_question and asked and _asked_with_wh_word(doc, start, lexicon):
        return False
    return not (meaning.negatable and is_negated(doc, start, end, lexicon))


def _asked_with_wh_word(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    """A question word before the match in its sentence ("which day would you like instead?")."""
    before = doc[doc[start].sent.start : start]
    return any(lexicon.is_a(token.lower_, "question_words") for token in before)


def _asked(match: Match, kept: list[Match], doc: Doc, lexicon: Lexicon) -> bool:
    rule, start, _ = match
    if not rules.spec(rule).asking:
        return True
    sentence = doc[start].sent
    requested = any(r == "discover.request" and doc[s].sent == sentence for r, s, _ in kept)
    return requested or is_question(sentence, lexicon)


def is_negated(doc: Doc, start: int, end: int, lexicon: Lexicon) -> bool:
    """A negation inside the match or just before it in the same clause."""
    if any(lexicon.is_a(token.lower_, "negations") for token in doc[start:end]):
        return True
    sentence_start = doc[start].sent.start
    for token in reversed(doc[max(sentence_start, start - NEGATION_WINDOW) : start]):
        if token.is_punct:
            return False
        if lexicon.is_a(token.lower_, "negations"):
            return True
    return False


def without_suppressed(hits: list[Hit]) -> list[Hit]:
    """Drop hits that a stronger rule in the same sentence overrides."""
    suppressed = {
        (hit.sentence, victim) for hit in hits for victim in rules.spec(hit.rule).suppresses
    }
    return [hit for hit in hits if (hit.sentence, hit.rule) not in suppressed]
