"""Credit in context: cue words earn points only where they answer what the customer said.

The analyzers find cues ("I can send", "just to confirm", "anything else?"); this module
decides which of them the scorecard credits, by reading them against the customer's words:

- a solution, or a read-back of details, counts when its turn refers to something the
  customer said before it (a shared content word: "order", "4471", "роутер") or when the
  customer's reply accepts it ("Great.", "Да, давайте") or takes it up ("An hour is
  forever at lunchtime"), unless that reply says they were not listened to;
- a turn that strings together the cues of three or more stages without sharing a word
  with the customer earns nothing (a keyword-stuffed turn);
- a customer reply saying they were not listened to ("You did not even listen", «вы меня
  не слышите») or repeating the complaint takes away what the turn before it claimed for
  discovery, solution, empathy and follow-up; a hang-up takes away the follow-up and the
  solution of the whole call when it is the customer's last word.

Hits against the agent (blame, abuse, over-promises) are never taken away.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from scoring import nlp, rules
from scoring.call import Call, Hit
from scoring.lexicon import Lexicon, compile_phrases
from scoring.matching import PhraseIndex
from scoring.rubric import Rubric

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Doc

NOT_LISTENED, HANG_UP = rules.CUSTOMER_REACTIONS
Reactions = dict[int, set[str]]
STUFFED_STAGES = 3  # cues of this many stages in one turn need the customer's words
ACCEPT_REACH = 4  # "Oh great, thanks" accepts; an acceptance word later in a reply does not
REPEAT_SHARED = 3  # content words a reply shares with an earlier complaint to repeat it
SOLUTION = "solution_offer"
# a read-back confirms what the customer said, so it too must share their words
READ_BACK = ("discover.confirm", "discover.confirm_question")
# what "you did not listen" or a repeated complaint says the turn before it failed at
LISTENING_CRITERIA = ("needs_discovery", "solution_offer", "empathy", "follow_up")
HANG_UP_CRITERIA = ("solution_offer", "follow_up")


def credited(call: Call, hits: list[Hit]) -> list[Hit]:
    """The hits the scorecard may credit: every hit but credit the context takes away."""
    credit = credit_rules(call.rubric)
    words = {index: _content_of(doc, call.language) for index, doc in call.docs.items()}
    said = _customer_words_before(call, words)
    unrelated = {i for i in call.agent_order if not (words[i] & said[i])}
    reactions = customer_reactions(call, words)
    ignored = {i for i in unrelated if not _taken_up(call, i, reactions, words)}
    taken = _stuffed(hits, unrelated, credit) | _unanswered(hits, ignored)
    taken |= _reacted_to(call, hits, credit, reactions)
    return [hit for hit in hits if id(hit) not in taken]


def credit_rules(rubric: Rubric) -> dict[str, set[str]]:
    """Rule → criteria in which a hit of it earns points (items expecting it present)."""
    found: dict[str, set[str]] = {}
    for name, criterion in rubric.criteria.items():
        for item in criterion.items.values():
            if item.expect == "present":
                for rule in item.rules:
                    found.setdefault(rule, set()).add(name)
    return found


def _stuffed(hits: list[Hit], unrelated: set[int], credit: dict[str, set[str]]) -> set[int]:
    """Credit hits of unrelated turns that carry cues of STUFFED_STAGES stages or more."""
    stages: dict[int, set[str]] = {}
    for hit in hits:
        stage = rules.spec(hit.rule).stage
        if stage and hit.utterance in unrelated:
            stages.setdefault(hit.utterance, set()).add(stage)
    stuffed = {turn for turn, found in stages.items() if len(found) >= STUFFED_STAGES}
    return {id(hit) for hit in hits if hit.utterance in stuffed and hit.rule in credit}


def _unanswered(hits: list[Hit], ignored: set[int]) -> set[int]:
    """Solutions and read-backs of turns that neither refer to the customer's words nor
    are taken up by the customer's reply."""
    return {
        id(hit)
        for hit in hits
        if hit.utterance in ignored
        and (rules.spec(hit.rule).stage == SOLUTION or hit.rule in READ_BACK)
    }


def _reacted_to(
    call: Call, hits: list[Hit], credit: dict[str, set[str]], reactions: Reactions
) -> set[int]:
    """Credit the customer's reactions take away: the answered turn's for not listening,
    the whole call's solution and follow-up for a hang-up."""
    unheard = {_answered_turn(call, i) for i, found in reactions.items() if NOT_LISTENED in found}
    last = max(reactions, default=None)  # "forget it" mid-call is not leaving it
    hung_up = last is not None and HANG_UP in reactions[last]
    taken = set()
    for hit in hits:
        concerns = credit.get(hit.rule, set())
        if hit.utterance in unheard and concerns & set(LISTENING_CRITERIA):
            taken.add(id(hit))
        if hung_up and concerns & set(HANG_UP_CRITERIA):
            taken.add(id(hit))
    return taken


def customer_reactions(call: Call, words: dict[int, frozenset[str]]) -> Reactions:
    """Reactions (NOT_LISTENED, HANG_UP) per customer turn; a repeated complaint (most of
    a turn's content words said before) is one of not being listened to."""
    matcher = _reaction_matcher(call.lexicon)
    found: dict[int, set[str]] = {}
    earlier: list[frozenset[str]] = []
    for index, doc in call.customer_docs():
        reactions = {rule for rule, _, _ in matcher(doc)} if matcher else set()
        if any(_repeats(words[index], before) for before in earlier):
            reactions.add(NOT_LISTENED)
        earlier.append(words[index])
        found[index] = reactions
    return found


def _repeats(words: frozenset[str], before: frozenset[str]) -> bool:
    shared = len(words & before)
    return shared >= REPEAT_SHARED and 2 * shared >= len(words)


def _answered_turn(call: Call, customer_index: int) -> int | None:
    """The agent turn a customer turn replies to (the last one before it)."""
    return next((i for i in reversed(call.agent_order) if i < customer_index), None)


def _taken_up(
    call: Call, agent_index: int, reactions: Reactions, words: dict[int, frozenset[str]]
) -> bool:
    """The customer's next turn accepts the turn or refers to its words, and does not say
    they were not listened to."""
    reply = next((i for i in reactions if i > agent_index), None)
    if reply is None or NOT_LISTENED in reactions[reply]:
        return False
    return _accepts(call, reply) or bool(words[reply] & words[agent_index])


def _accepts(call: Call, reply: int) -> bool:
    """The reply opens with an acceptance and no refusal ("Great, thanks")."""
    opening = [token.lower_ for token in call.docs[reply][:ACCEPT_REACH]]
    lexicon = call.lexicon
    if any(lexicon.is_a(word, "refusals") or lexicon.is_a(word, "negations") for word in opening):
        return False
    return any(lexicon.is_a(word, "acceptances") for word in opening)


def _customer_words_before(
    call: Call, words: dict[int, frozenset[str]]
) -> dict[int, frozenset[str]]:
    """For each agent turn, the content words the customer said before it."""
    said: set[str] = set()
    before: dict[int, frozenset[str]] = {}
    for index, turn in enumerate(call.utterances):
        if turn.is_agent:
            before[index] = frozenset(said)
        else:
            said |= words[index]
    return before


def _content_of(doc: Doc, language: str) -> frozenset[str]:
    """Keys of the words that carry content: not stop words, punctuation or short words;
    numbers ("4471") count, as the customer's details do."""
    words: Iterable[str] = (
        token.lower_
        for token in doc
        if (token.is_alpha and len(token) > 2 and not token.is_stop) or token.like_num
    )
    return frozenset(
        key for word in words for key in nlp.word_keys(language, word) if ":" not in key
    )


@cache
def _reaction_matcher(lexicon: Lexicon) -> PhraseIndex | None:
    phrases = {name: found for name, found in lexicon.data.customer_reactions.items() if found}
    if not phrases:
        return None
    return compile_phrases(
        lexicon.language, phrases, lexicon.list_keys, source=f"Lexicon {lexicon.path}"
    )
