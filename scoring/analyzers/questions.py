"""Agent questions: any question no other stage claimed is needs discovery.

It also judges the order of questions: the first discovery question should be open
("What happened?") rather than closed ("Did you restart it?").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring import rules
from scoring.analyzers.registry import register
from scoring.call import Call, Hit, is_question
from scoring.lexicon import Lexicon

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Span

OPEN_WORD_REACH = 4  # "So, could you describe ..." still opens with an open question


@register("questions")
def questions(call: Call, earlier: list[Hit]) -> list[Hit]:
    """discover.question per unclaimed question; open_question and open_first on top."""
    claimed = _claimed_sentences(earlier)
    hits: list[Hit] = []
    for index, doc in call.agent_docs():
        for sentence in doc.sents:
            if (index, sentence.start) in claimed or not is_question(sentence, call.lexicon):
                continue
            hits.append(Hit("discover.question", index, sentence.text, sentence.start))
            if is_open(sentence, call.lexicon):
                hits.append(Hit("discover.open_question", index, sentence.text, sentence.start))
    return hits + _open_first(hits)


def is_open(sentence: Span, lexicon: Lexicon) -> bool:
    """An open question: what / how / why / describe near its start."""
    opening = [token for token in sentence if not token.is_punct][:OPEN_WORD_REACH]
    return any(lexicon.is_a(token.lower_, "open_question_words") for token in opening)


def _claimed_sentences(hits: list[Hit]) -> set[tuple[int, int]]:
    return {
        (hit.utterance, hit.sentence)
        for hit in hits
        if "discover.question" in rules.spec(hit.rule).suppresses
    }


def _open_first(hits: list[Hit]) -> list[Hit]:
    asked = [hit for hit in hits if hit.rule == "discover.question"]
    opened = {(hit.utterance, hit.sentence) for hit in hits if hit.rule == "discover.open_question"}
    if asked and (asked[0].utterance, asked[0].sentence) in opened:
        return [Hit("discover.open_first", asked[0].utterance, asked[0].text, asked[0].sentence)]
    return []
