"""The library's Lexicons tab: a language picker, that language's lexicon rule by rule in an
editable table (each rule's phrases in one cell), and the whole lexicon as YAML below."""

from __future__ import annotations

import streamlit as st

from trainer.config import get_settings
from trainer.services import CurrentUser, scoring_files
from trainer.services.scoring_files import ScoringFile
from trainer.ui.i18n import LANGUAGES, t
from trainer.ui.library.common import notice, run_safely
from trainer.ui.library.scoring_text import scoring_tab
from trainer.ui.scorecard import term

PHRASE_SEPARATOR = " | "  # phrases of a rule in one table cell


def lexicons_tab(user: CurrentUser) -> None:
    language = st.segmented_control(
        t("library.lexicon_language"),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        default=st.session_state["language"],
        key="lexicon_language",
    )
    language = language or "en"
    rule_table(language, user)
    with st.expander(t("library.lexicon_yaml"), icon=":material/code:"):
        scoring_tab(ScoringFile(f"{language} lexicon"), user)


def rule_table(language: str, user: CurrentUser) -> None:
    """The lexicon rule by rule: each rule's phrases in one cell, separated by ' | '."""
    settings = get_settings()
    rules = scoring_files.lexicon_rules(settings=settings, actor=user, language=language)
    before = {rule.rule: PHRASE_SEPARATOR.join(rule.phrases) for rule in rules}
    column = t("library.col_phrases")
    edited = st.data_editor(
        [  # a rule by its title; the rows keep the file's order, so zip finds its id again
            {t("library.col_rule"): term("rule", rule), column: phrases}
            for rule, phrases in before.items()
        ],
        column_config={
            t("library.col_rule"): st.column_config.TextColumn(disabled=True, width="small"),
            column: st.column_config.TextColumn(width="large"),
        },
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        key=f"rules_{language}",
    )
    changed = {
        rule: [phrase.strip() for phrase in row[column].split(PHRASE_SEPARATOR.strip())]
        for rule, row in zip(before, edited, strict=True)
        if row[column] != before[rule]
    }
    if st.button(
        t("library.save_rules"),
        icon=":material/save:",
        type="primary",
        key=f"save_rules_{language}",
    ):
        saved = run_safely(
            t("library.checking"),
            lambda: scoring_files.save_lexicon_rules(
                settings=settings, actor=user, language=language, phrases=changed
            ),
        )
        if saved is not None:
            notice(t("library.scoring_saved" if saved else "library.scoring_unchanged"))
