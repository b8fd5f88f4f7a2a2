"""A closed question about the result once a solution was given is a follow-up check.

"Is the light green now?", "Свет теперь горит?": after an offer or instructions, a
yes/no question with a word of ``lists.result_words`` asks whether the fix worked; in the
closing turns any yes/no question does ("Lovely, did the code arrive?").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring import rules
from scoring.analyzers.registry import register
from scoring.call import Call, Hit, is_question
from scoring.lexicon import Lexicon

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Span

SOLUTION = "solution_offer"
WH_REACH = 2  # "So what do you see now?" asks, it does not check


@register("checks")
def result_checks(call: Call, earlier: list[Hit]) -> list[Hit]:
    """follow.check_result for unclaimed result questions after the first solution turn."""
    solved = [hit.utterance for hit in earlier if rules.spec(hit.rule).stage == SOLUTION]
    if not solved:
        return []
    claimed = {(hit.utterance, hit.sentence) for hit in earlier if rules.spec(hit.rule).stage}
    return [
        Hit("follow.check_result", index, sentence.text, sentence.start)
        for index, doc in call.agent_docs()
        if index > min(solved)
        for sentence in doc.sents
        if (index, sentence.start) not in claimed
        and asks_result(sentence, call.lexicon, closing="closing" in call.position(index))
    ]


def asks_result(sentence: Span, lexicon: Lexicon, *, closing: bool) -> bool:
    """A yes/no question with a result word ("now", "properly", "теперь", "нормально"), or
    any yes/no question in the closing turns."""
    if not is_question(sentence, lexicon):
        return False
    words = [token.lower_ for token in sentence if not token.is_punct]
    if any(lexicon.is_a(word, "question_words") for word in words[:WH_REACH]):
        return False
    return closing or any(lexicon.is_a(word, "result_words") for word in words)
