"""Personalization: does the agent address the customer by name?

The name comes from the scenario, else from the customer ("my name is Tom Baker",
"меня зовут Анна") or the agent's "Mr Baker". The agent's own name does not count.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from scoring import nlp
from scoring.analyzers.registry import register
from scoring.call import Call, Hit
from scoring.lexicon import Lexicon, compile_phrases
from scoring.matching import PhraseIndex

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Doc

NAME_WORDS = 2


@register("names")
def names(call: Call, _: list[Hit]) -> list[Hit]:
    """personal.name on the first agent turn using the customer's name, name_again after."""
    customer = customer_name_keys(call)
    own = {key for _, doc in call.agent_docs() for key in _introduced(doc, call)}
    wanted = customer - own
    used = [index for index, doc in call.agent_docs() if _keys(doc, call.language) & wanted]
    return [
        Hit(
            "personal.name_again" if earlier else "personal.name",
            index,
            _name_text(call, index, wanted),
        )
        for earlier, index in enumerate(used)
    ]


def customer_name_keys(call: Call) -> set[str]:
    """Comparable keys (lower case, Russian lemma) of the customer's name words."""
    if call.scenario.customer_name:
        return _keys(nlp.tokenize(call.language, call.scenario.customer_name), call.language)
    keys = {key for _, doc in call.customer_docs() for key in _introduced(doc, call)}
    honorifics = call.lexicon.words("honorific")
    for _, doc in call.agent_docs():
        keys |= _names_after(doc, honorifics, call.language)
    return keys


def _introduced(doc: Doc, call: Call) -> set[str]:
    found: set[str] = set()
    for _, _, end in _intro_matcher(call.lexicon)(doc):
        found |= _capitalised_run(doc, end, call.language)
    return found


def _names_after(doc: Doc, honorifics: frozenset[str], language: str) -> set[str]:
    found: set[str] = set()
    for token in doc[:-1]:
        if token.lower_.rstrip(".") in honorifics:
            found |= _capitalised_run(doc, token.i + 1 + (doc[token.i + 1].text == "."), language)
    return found


def _capitalised_run(doc: Doc, start: int, language: str) -> set[str]:
    stop_words = nlp.pipeline(language).Defaults.stop_words
    run: set[str] = set()
    for token in doc[start : start + NAME_WORDS]:
        if not (token.is_alpha and token.is_title) or token.lower_ in stop_words:
            break
        run.add(_key(token.lower_, language))
    return run


def _keys(doc: Doc, language: str) -> set[str]:
    return {_key(token.lower_, language) for token in doc if token.is_alpha}


def _key(word: str, language: str) -> str:
    return nlp.russian_lemma(word) if language == "ru" else word


def _name_text(call: Call, index: int, wanted: set[str]) -> str:
    doc = call.docs[index]
    return " ".join(t.text for t in doc if t.is_alpha and _key(t.lower_, call.language) in wanted)


@cache
def _intro_matcher(lexicon: Lexicon) -> PhraseIndex:
    intros = {"name_intro": lexicon.data.name_intros}
    return compile_phrases(lexicon.language, intros, lexicon.list_keys)
