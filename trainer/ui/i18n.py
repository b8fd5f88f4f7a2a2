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
    "nav.practice": {"en": "Practice", "ru": "Тренировка"},
    "practice.title": {"en": "Practice a call", "ru": "Тренировочный звонок"},
    "practice.filters": {"en": "Find a scenario", "ru": "Выбор сценария"},
    "practice.language": {"en": "Language", "ru": "Язык"},
    "practice.difficulty": {"en": "Difficulty", "ru": "Сложность"},
    "practice.skill": {"en": "Skill", "ru": "Навык"},
    "practice.customer_type": {"en": "Customer type", "ru": "Тип клиента"},
    "practice.any": {"en": "Any", "ru": "Любой"},
    "practice.none_found": {
        "en": "No scenario matches these filters.",
        "ru": "Нет сценариев с такими условиями.",
    },
    "practice.start": {"en": "Start call", "ru": "Начать звонок"},
    "practice.practised": {
        "en": "Practised {count} time(s) · best {best}",
        "ru": "Пройдено раз: {count} · лучший результат {best}",
    },
    "practice.new": {"en": "Not practised yet", "ru": "Ещё не проходили"},
    "practice.resume": {
        "en": "You have a call in progress: {title}.",
        "ru": "У вас есть незавершённый звонок: {title}.",
    },
    "practice.resume_button": {"en": "Resume the call", "ru": "Продолжить звонок"},
    "practice.abandon": {"en": "Hang up", "ru": "Завершить звонок"},
    "practice.briefing": {"en": "Briefing", "ru": "Вводные"},
    "practice.goal": {"en": "Goal", "ru": "Цель"},
    "practice.customer": {"en": "Customer", "ru": "Клиент"},
    "practice.patience": {"en": "Customer patience", "ru": "Терпение клиента"},
    "practice.you": {"en": "You", "ru": "Вы"},
    "practice.listen": {"en": "(listen to the customer)", "ru": "(послушайте клиента)"},
    "practice.record": {
        "en": "Record your answer (press the microphone, speak, press stop)",
        "ru": "Запишите ответ (нажмите на микрофон, говорите, нажмите стоп)",
    },
    "practice.type": {"en": "Or type your answer", "ru": "Или напечатайте ответ"},
    "practice.chat": {"en": "Type your answer", "ru": "Напишите ответ"},
    "practice.transcribing": {
        "en": "Transcribing your answer…",
        "ru": "Распознаём ваш ответ…",
    },
    "practice.thinking": {"en": "The customer is answering…", "ru": "Клиент отвечает…"},
    "practice.retry": {"en": "Transcribe again", "ru": "Распознать ещё раз"},
    "practice.retry_hint": {
        "en": "Your recording is saved. It could not be transcribed:",
        "ru": "Запись сохранена, но распознать её не удалось:",
    },
    "practice.ended": {"en": "The call has ended: {outcome}", "ru": "Звонок завершён: {outcome}"},
    "practice.try_again": {"en": "Try this scenario again", "ru": "Пройти сценарий ещё раз"},
    "practice.other": {"en": "Choose another scenario", "ru": "Выбрать другой сценарий"},
    "outcome.resolved": {"en": "resolved", "ru": "вопрос решён"},
    "outcome.escalated": {"en": "escalated", "ru": "передан дальше"},
    "outcome.hung_up": {"en": "the customer hung up", "ru": "клиент положил трубку"},
    "outcome.max_turns": {"en": "out of time", "ru": "время вышло"},
    "outcome.abandoned": {"en": "you hung up", "ru": "вы завершили звонок"},
    "card.title": {"en": "Scorecard", "ru": "Оценка звонка"},
    "card.overall": {"en": "Overall", "ru": "Итог"},
    "card.result": {"en": "Result", "ru": "Результат"},
    "card.passed": {"en": "Passed", "ru": "Зачтено"},
    "card.failed": {"en": "Not passed yet", "ru": "Пока не зачтено"},
    "card.unscorable": {"en": "This call could not be scored", "ru": "Этот звонок нельзя оценить"},
    "card.auto_fail": {"en": "Automatic fail", "ru": "Автоматический незачёт"},
    "card.criteria": {"en": "By criterion", "ru": "По критериям"},
    "card.evidence": {"en": "Evidence", "ru": "Подтверждения"},
    "card.missed": {"en": "To improve", "ru": "Что улучшить"},
    "card.transcript": {
        "en": "Transcript (evidence highlighted)",
        "ru": "Расшифровка (подтверждения выделены)",
    },
    "card.delivery": {"en": "Delivery", "ru": "Подача"},
    "card.your_answers": {"en": "Your answers", "ru": "Ваши ответы"},
    "nav.review": {"en": "Calls & reviews", "ru": "Звонки и проверки"},
    "review.title": {"en": "Calls and reviews", "ru": "Звонки и проверки"},
    "review.trainee": {"en": "Trainee", "ru": "Стажёр"},
    "review.calls": {"en": "Calls", "ru": "Звонки"},
    "review.no_calls": {"en": "No calls yet.", "ru": "Звонков пока нет."},
    "review.open": {"en": "Open", "ru": "Открыть"},
    "review.back": {"en": "Back to the list", "ru": "Назад к списку"},
    "review.criteria": {"en": "Review criteria", "ru": "Проверка критериев"},
    "review.automatic": {
        "en": "automatic {value:g} / {maximum:g}",
        "ru": "автоматически {value:g} / {maximum:g}",
    },
    "review.corrected": {
        "en": "corrected to {value:g} by {who} on {when}: {comment}",
        "ru": "исправлено на {value:g} ({who}, {when}): {comment}",
    },
    "review.correct": {"en": "Correct the score", "ru": "Исправить оценку"},
    "review.new_value": {"en": "New score", "ru": "Новая оценка"},
    "review.comment": {"en": "Comment (required)", "ru": "Комментарий (обязательно)"},
    "review.save": {"en": "Save correction", "ru": "Сохранить исправление"},
    "review.dispute": {"en": "Dispute this score", "ru": "Оспорить оценку"},
    "review.reason": {"en": "Why is the score wrong?", "ru": "Почему оценка неверна?"},
    "review.send_dispute": {"en": "Send dispute", "ru": "Отправить"},
    "review.dispute_open": {"en": "Disputed: {reason}", "ru": "Оспорено: {reason}"},
    "review.dispute_done": {"en": "Dispute {status}: {comment}", "ru": "Спор: {status}. {comment}"},
    "review.decide": {"en": "Answer the dispute", "ru": "Ответить на спор"},
    "review.decision": {"en": "Decision", "ru": "Решение"},
    "review.hand_score": {
        "en": "Score by hand (calibration)",
        "ru": "Оценить вручную (калибровка)",
    },
    "review.hand_save": {"en": "Save hand scores", "ru": "Сохранить ручные оценки"},
    "review.saved": {"en": "Saved.", "ru": "Сохранено."},
    "progress.level": {"en": "Your level: **{level}**", "ru": "Ваш уровень: **{level}**"},
    "progress.next": {"en": "Next: **{level}**", "ru": "Следующий: **{level}**"},
    "progress.top": {"en": "You are at the top of the ladder.", "ru": "Вы на верхней ступени."},
    "progress.ready": {
        "en": "Everything is met: ask your team lead to sign off your promotion.",
        "ru": "Все условия выполнены: попросите руководителя подтвердить повышение.",
    },
    "progress.scores": {"en": "Your scores", "ru": "Ваши оценки"},
    "progress.pass_line": {"en": "pass", "ru": "зачёт"},
    "progress.practise_next": {"en": "Practise next", "ru": "Что тренировать дальше"},
    "progress.recent": {"en": "Recent calls", "ru": "Последние звонки"},
    "nav.team": {"en": "Team", "ru": "Команда"},
    "team.title": {"en": "Team dashboard", "ru": "Панель команды"},
    "team.table": {"en": "Trainees", "ru": "Стажёры"},
    "team.heatmap": {
        "en": "Criteria by trainee (recent calls, %)",
        "ru": "Критерии по стажёрам (последние звонки, %)",
    },
    "team.types": {
        "en": "Impartiality: average by customer type",
        "ru": "Беспристрастность: средний балл по типам клиентов",
    },
    "team.trainee": {"en": "Trainee", "ru": "Стажёр"},
    "team.trend": {"en": "Weekly average", "ru": "Средний балл по неделям"},
    "team.csv": {"en": "Export team as CSV", "ru": "Выгрузить команду в CSV"},
    "team.pdf": {"en": "Progress report (PDF)", "ru": "Отчёт о прогрессе (PDF)"},
    "team.sign_off": {
        "en": "Sign off promotion to {level}",
        "ru": "Подтвердить повышение до уровня {level}",
    },
    "team.signed": {"en": "Signed off.", "ru": "Подтверждено."},
    "team.empty": {"en": "No trainees with calls yet.", "ru": "Пока нет стажёров со звонками."},
    "team.calibration": {
        "en": "Calibration: hand scores vs automatic",
        "ru": "Калибровка: ручные оценки и автоматические",
    },
    "team.no_calibration": {
        "en": "No hand scores yet: score a call by hand on 'Calls & reviews'.",
        "ru": "Ручных оценок пока нет: оцените звонок вручную в разделе «Звонки и проверки».",
    },
    "error.setup": {
        "en": "callcoach cannot start",
        "ru": "callcoach не может запуститься",
    },
}


def t(key: str, **fields: object) -> str:
    """The string for `key` in the session's language (English when missing)."""
    language = st.session_state.get("language", "en")
    entry = STRINGS[key]
    return entry.get(language, entry["en"]).format(**fields)
