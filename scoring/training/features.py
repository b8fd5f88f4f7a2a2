"""Features of each agent utterance for the stage model: words, rule hits and context.

Words are lemma unigrams and bigrams (numbers folded to ``<num>``). The lexicon rules
come in as the rules that fired (``r:``) and the stage the rules alone would give
(``rs:``). Context is what STAGES.md reads a turn by: where it sits in the call (the
opening is a greeting only before or just after the customer's first words), what the
customer just said (their words, a question), whether a need was stated yet, the
agent's previous turn, question form and negation.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from scoring import nlp, rules
from scoring.call import Call, Hit, is_question

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

NEED_WORDS = 4  # a customer turn this long states a need ("I need a table for two")
LENGTH_BUCKETS = (3, 8, 16, 30)


def call_features(
    call: Call, hits: list[Hit], rule_stages: dict[int, list[str]]
) -> dict[int, list[str]]:
    """The feature names of every agent utterance, by utterance index."""
    return {index: parts[0] for index, parts in _each_agent_turn(call, hits, rule_stages, False)}


def sentence_features(
    call: Call, hits: list[Hit], rule_stages: dict[int, list[str]]
) -> dict[int, list[list[str]]]:
    """The feature names of each sentence of the agent utterances that have two or more.

    A turn often does two things in two sentences ("There are four. Any area you prefer?"):
    read alone, each sentence shows its stage, which the whole turn's words can drown.
    """
    return {index: parts[1:] for index, parts in _each_agent_turn(call, hits, rule_stages, True)}


def _each_agent_turn(
    call: Call, hits: list[Hit], rule_stages: dict[int, list[str]], by_sentence: bool
) -> list[tuple[int, list[list[str]]]]:
    """Per agent utterance: its features, then (by_sentence) each sentence's when it has 2+."""
    fired: dict[tuple[int, int | None], set[str]] = defaultdict(set)
    for hit in hits:
        fired[hit.utterance, None].add(hit.rule)
        fired[hit.utterance, hit.sentence].add(hit.rule)
    found: list[tuple[int, list[list[str]]]] = []
    previous_agent: int | None = None
    need_stated = False
    for index, turn in enumerate(call.utterances):
        if not turn.is_agent:
            need_stated = need_stated or len(turn.text.split()) >= NEED_WORDS
            continue
        doc = call.docs[index]
        context = _place(call, index, need_stated) + _before(
            call, index, previous_agent, rule_stages
        )
        parts = [_own(call, doc, fired[index, None], rule_stages.get(index, [])) + context]
        sentences = list(doc.sents) if by_sentence else []
        for sentence in sentences if len(sentences) > 1 else []:
            rules_here = fired[index, sentence.start]
            stages = sorted({s for r in rules_here if (s := rules.spec(r).stage)})
            parts.append(_own(call, sentence, rules_here, stages) + context)
        found.append((index, parts))
        previous_agent = index
    return found


def _own(call: Call, words: Doc | Span, fired: set[str], stages: list[str]) -> list[str]:
    """What the words themselves carry: lemmas, the rules that fired, question form."""
    found = _words(call.language, words)
    found += [f"r:{rule}" for rule in sorted(fired)]
    found += [f"rs:{stage}" for stage in stages]
    return found + _form(call, words)


def _words(language: str, doc: Doc | Span, prefix: str = "") -> list[str]:
    lemmas = ["^"] + [lemma(language, t.lower_) for t in doc if not (t.is_punct or t.is_space)]
    unigrams = [f"{prefix}w:{word}" for word in lemmas[1:]]
    if prefix:
        return unigrams
    return unigrams + [f"b:{a}_{b}" for a, b in pairwise(lemmas)]


@cache
def lemma(language: str, word: str) -> str:
    """One normal form of a lower-cased word; numbers fold to <num>."""
    if any(char.isdigit() for char in word):
        return "<num>"
    if language == "ru":
        return nlp.russian_lemma(word)
    lemmas = sorted(key for key in nlp.english_word_keys(word) if ":" not in key and key != word)
    return lemmas[0] if lemmas else word


def _form(call: Call, doc: Doc | Span) -> list[str]:
    from spacy.tokens import Span  # loaded already: a call is analysed before its features

    sentences = [doc] if isinstance(doc, Span) else list(doc.sents)
    asks = [is_question(sentence, call.lexicon) for sentence in sentences]
    found = ["q:any"] if any(asks) else []
    if asks and asks[-1]:
        found.append("q:last")
    if any(call.lexicon.is_a(token.lower_, "negations") for token in doc):
        found.append("neg")
    words = len([token for token in doc if not token.is_punct])
    found.append(f"len:{sum(words > edge for edge in LENGTH_BUCKETS)}")
    return found


def _place(call: Call, index: int, need_stated: bool) -> list[str]:
    rank = call.agent_order.index(index)
    found = [f"p:{place}" for place in sorted(call.position(index) - {"any"})]
    found.append(f"p:part{min(4, 5 * rank // len(call.agent_order))}")
    if rank == 0:
        found.append("p:first")
    if not any(not turn.is_agent for turn in call.utterances[:index]):
        found.append("p:before_customer")
    found.append("need:yes" if need_stated else "need:no")
    return found


def _before(
    call: Call, index: int, previous_agent: int | None, rule_stages: dict[int, list[str]]
) -> list[str]:
    if index == 0:
        return ["c:none"]
    before = index - 1
    if call.utterances[before].is_agent:
        return ["c:agent"] + [f"pa:{s}" for s in rule_stages.get(before, [])]
    doc = call.docs[before]
    found = _words(call.language, doc, prefix="c")
    if "?" in call.utterances[before].text or (
        len(doc) and call.lexicon.is_a(doc[0].lower_, "question_words")
    ):
        found.append("c:q")
    if previous_agent is not None:
        found += [f"pa:{s}" for s in rule_stages.get(previous_agent, [])]
    return found
