"""UI strings in English and Russian. `t(key)` looks one up in the session's language."""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"en": "English", "ru": "Русский"}

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "callcoach", "ru": "callcoach"},
    "app.tagline": {
        "en": "Practise difficult calls. Get scored with evidence. Track your way to promotion.",
        "ru": "Тренируйте сложные звонки. Получайте оценку с доказательствами. Растите до повышения.",
    },
    "login.title": {"en": "Sign in", "ru": "Вход"},
    "login.username": {"en": "User name", "ru": "Имя пользователя"},
    "login.password": {"en": "Password", "ru": "Пароль"},
    "login.submit": {"en": "Sign in", "ru": "Войти"},
    "login.missing": {
        "en": "Enter your user name and password.",
        "ru": "Введите имя пользователя и пароль.",
    },
    "nav.home": {"en": "Home", "ru": "Главная"},
    "nav.signout": {"en": "Sign out", "ru": "Выйти"},
    "nav.language": {"en": "Language", "ru": "Язык"},
    "nav.signed_in_as": {"en": "Signed in as", "ru": "Вы вошли как"},
    "role.trainee": {"en": "Trainee", "ru": "Стажёр"},
    "role.trainer": {"en": "Trainer", "ru": "Тренер"},
    "role.team-lead": {"en": "Team lead", "ru": "Руководитель группы"},
    "role.admin": {"en": "Admin", "ru": "Администратор"},
    "home.welcome": {"en": "Welcome, {name}", "ru": "Здравствуйте, {name}"},
    "home.trainee": {
        "en": "Your practice calls, scores and progress toward the next level will appear here.",
        "ru": "Здесь появятся ваши тренировочные звонки, оценки и путь к следующему уровню.",
    },
    "home.trainer": {
        "en": "Your scenario library and rubric will appear here.",
        "ru": "Здесь появятся ваша библиотека сценариев и критерии оценки.",
    },
    "home.team-lead": {
        "en": "Your team's progress, reviews and sign-offs will appear here.",
        "ru": "Здесь появятся прогресс команды, проверки и подтверждения повышений.",
    },
    "home.admin": {
        "en": "Accounts, teams and system health will appear here.",
        "ru": "Здесь появятся учётные записи, команды и состояние системы.",
    },
    "error.setup": {
        "en": "callcoach cannot start",
        "ru": "callcoach не может запуститься",
    },
}


def t(key: str, **fields: str) -> str:
    """The string for `key` in the session's language (English when missing)."""
    language = st.session_state.get("language", "en")
    entry = STRINGS[key]
    return entry.get(language, entry["en"]).format(**fields)
