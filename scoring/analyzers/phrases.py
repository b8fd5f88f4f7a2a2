"""Lexicon phrases in agent speech, kept only where they mean what the rule says.

A match is dropped when it is negated ("I can't help you"), outside the part of the call
where its rule counts (a "hello" mid-call is no greeting), not in a question when the rule
needs one, after a question word when the rule offers something ("which day would you like
instead?" asks), or overridden by a stronger rule in the same sentence or in overlapping
words. A transfer said again after it was offered ("Right, putting you through now") carries it
out: handling, no stage; a rule that reports a result ("Столик забронирован") counts only
after a solution was offered.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from scoring import rules
from scoring.analyzers.registry import register
from scoring.call import Call, Hit, is_question
from scoring.lexicon import Lexicon, compile_phrases
from scoring.matching import PhraseIndex

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Doc, Span

NEGATION_WINDOW = 3
ESCALATE = "solve.escalate"
LIMITS = "honesty.limits"
SOLUTION = "solution_offer"
TRANSFER_VERBS = ("solve.offer", "solve.done")  # "I'm transferring", "передаю"
Match = tuple[str, int, int]


@register("phrases")
def lexicon_phrases(call: Call, _: list[Hit]) -> list[Hit]:
    """Hits of the lexicon's rules and the scenario's phrases in every agent utterance."""
    extra = scenario_matcher(call.lexicon, call.scenario.forbidden_promises, call.scenario.company)
    hits: list[Hit] = []
    for index, doc in call.agent_docs():
        matches = call.lexicon.matcher(doc) + (extra(doc) if extra else [])
        hits.extend(_kept_hits(call, index, doc, matches))
    return after_solution_only(without_repeated_handover(hits))


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
    return compile_phrases(
        lexicon.language, phrase_rules, lexicon.list_keys, source="The scenario's phrases"
    )


def _kept_hits(call: Call, index: int, doc: Doc, matches: list[Match]) -> list[Hit]:
    places = call.position(index)
    # whether each sentence (by its start) is a question, judged once per sentence
    asked = {sentence.start: is_question(sentence, call.lexicon) for sentence in doc.sents}
    kept = [m for m in matches if _counts(call.lexicon, doc, m, places, asked)]
    kept = [m for m in kept if _asked(m, kept, doc, asked)]
    kept = [m for m in kept if not _limited_after(m, matches, doc)]
    kept = [m for m in kept if not _overlapped(m, kept)]
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


def _counts(
    lexicon: Lexicon, doc: Doc, match: Match, places: set[str], asked: dict[int, bool]
) -> bool:
    rule, start, end = match
    meaning = rules.spec(rule)
    if meaning.position not in places:
        return False
    question = asked[doc[start].sent.start]
    if meaning.question is not None and meaning.question != question:
        return False
    if not meaning.in_wh_question and question and _asked_with_wh_word(doc, start, lexicon):
        return False
    if meaning.conduct and negated_before(doc, start, lexicon):
        return False
    if meaning.addressed and said_of_self(doc, start, end, lexicon):
        return False
    return not (meaning.negatable and is_negated(doc, start, end, lexicon))


def _clause_before(doc: Doc, start: int) -> Span:
    """The words of the match's clause before it (back to punctuation or sentence start)."""
    begin = start
    while begin > doc[start].sent.start and not doc[begin - 1].is_punct:
        begin -= 1
    return doc[begin:start]


def negated_before(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    """A negation in the clause before the match ("That's not a stupid question").

    One inside the match is the phrase's own ("don't be stupid", "не тупите").
    """
    return any(lexicon.is_a(t.lower_, "negations") for t in _clause_before(doc, start))


def said_of_self(doc: Doc, start: int, end: int, lexicon: Lexicon) -> bool:
    """An insult word the speaker says of themself: the nearest pronoun before it in its
    clause is the speaker's ("I felt like an idiot", "я сам дурак"). Swearing ("I don't
    give a damn") has no one it is about, so it is never said of oneself."""
    insults = ("insult_noun", "insult_adjective")
    if not any(lexicon.is_a(t.lower_, name) for t in doc[start:end] for name in insults):
        return False
    for token in reversed(_clause_before(doc, start)):
        if lexicon.is_a(token.lower_, "speaker_pronouns"):
            return True
        if lexicon.is_a(token.lower_, "listener_pronouns"):
            return False
    return False


def _asked_with_wh_word(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    """A question word before the match in its sentence ("which day would you like instead?")."""
    before = doc[doc[start].sent.start : start]
    return any(lexicon.is_a(token.lower_, "question_words") for token in before)


def _asked(match: Match, kept: list[Match], doc: Doc, asked: dict[int, bool]) -> bool:
    rule, start, _ = match
    if not rules.spec(rule).asking:
        return True
    sentence = doc[start].sent.start
    requested = any(r == "discover.request" and doc[s].sent.start == sentence for r, s, _ in kept)
    return requested or asked[sentence]


def _overlapped(match: Match, kept: list[Match]) -> bool:
    """Another kept match over some of the same words overrides this one."""
    rule, start, end = match
    return any(
        rule in rules.spec(other).overlaps and other_start < end and start < other_end
        for other, other_start, other_end in kept
    )


def _limited_after(match: Match, matches: list[Match], doc: Doc) -> bool:
    """A limit later in the same clause cancels an offer ("Вернуть деньги я не могу")."""
    rule, _, end = match
    if rule == LIMITS or not rules.spec(rule).negatable:
        return False
    return any(
        other == LIMITS and start >= end and not any(t.is_punct for t in doc[end:start])
        for other, start, _ in matches
    )


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


def without_repeated_handover(hits: list[Hit]) -> list[Hit]:
    """Drop the solution hits of turns that only carry out a transfer offered earlier.

    A turn carries it out when its escalation repeats one of an earlier turn and it offers
    nothing else: no other solution hit but the verb of the transfer itself, an offer in the
    escalation's sentence ("I'm transferring the case to them now").
    """
    escalating = {(hit.utterance, hit.sentence) for hit in hits if hit.rule == ESCALATE}
    turns = sorted({utterance for utterance, _ in escalating})
    solving = {
        hit.utterance
        for hit in hits
        if rules.spec(hit.rule).stage == SOLUTION
        and hit.rule != ESCALATE
        and not (hit.rule in TRANSFER_VERBS and (hit.utterance, hit.sentence) in escalating)
    }
    repeats = {index for index in turns[1:] if index not in solving}
    return [
        hit
        for hit in hits
        if hit.utterance not in repeats or rules.spec(hit.rule).stage != SOLUTION
    ]


def after_solution_only(hits: list[Hit]) -> list[Hit]:
    """Drop hits of after_solution rules in turns up to the first one offering a solution."""
    offered = [
        hit.utterance
        for hit in hits
        if rules.spec(hit.rule).stage == SOLUTION and not rules.spec(hit.rule).after_solution
    ]
    first = min(offered, default=None)
    return [
        hit
        for hit in hits
        if not rules.spec(hit.rule).after_solution or (first is not None and hit.utterance > first)
    ]
