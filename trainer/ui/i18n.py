"""UI strings in English and Russian. `t(key)` looks one up in the session's language.

Long because: it is the one dict of every UI string in both languages (one place to translate).
"""

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
    "login.sso": {"en": "Sign in with single sign-on", "ru": "Войти через единый вход (SSO)"},
    "login.sso_out": {"en": "Sign out of single sign-on", "ru": "Выйти из единого входа"},
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
        "en": "Write and try scenarios, and tune the rubric and phrase lists, in the scenario "
        "library.",
        "ru": "Сценарии, критерии оценки и списки фраз редактируются и проверяются в "
        "библиотеке сценариев.",
    },
    "home.team-lead": {
        "en": "Your team's progress, readiness, reviews and sign-offs are on the team page.",
        "ru": "Прогресс команды, готовность к повышению, проверки и подтверждения — на "
        "странице команды.",
    },
    "home.admin": {
        "en": "Accounts, teams, the health of the system and the background jobs.",
        "ru": "Учётные записи, команды, состояние системы и фоновые задания.",
    },
    "home.accounts": {"en": "Accounts", "ru": "Учётные записи"},
    "home.accounts_count": {
        "en": "{active} active of {total}; team leads: {leads}, trainees: {trainees}",
        "ru": "Активных: {active} из {total}; руководителей: {leads}, стажёров: {trainees}",
    },
    "home.teams": {"en": "Teams", "ru": "Команды"},
    "home.team_row": {
        "en": "**{team}**: {members} people, led by {leads}",
        "ru": "**{team}**: человек — {members}, руководитель: {leads}",
    },
    "home.no_lead": {"en": "nobody", "ru": "никто"},
    "home.no_team": {
        "en": "Without a team: {names}",
        "ru": "Без команды: {names}",
    },
    "home.health": {"en": "System health", "ru": "Состояние системы"},
    "home.health_ok": {
        "en": "Everything `callcoach doctor` checks is fine.",
        "ru": "Всё, что проверяет `callcoach doctor`, в порядке.",
    },
    "home.jobs": {"en": "Background jobs", "ru": "Фоновые задания"},
    "health.package_missing": {
        "en": "The Python package {package} is not installed — run `make setup`.",
        "ru": "Пакет Python {package} не установлен — выполните `make setup`.",
    },
    "health.program_missing": {
        "en": "The program {tool} is not found — install it: `{fix}`.",
        "ru": "Программа {tool} не найдена — установите её: `{fix}`.",
    },
    "health.store_repair": {
        "en": "The recordings folder and the database disagree: {orphans} file(s) not "
        "registered, {missing} missing, {partial} partly written — run "
        "`callcoach doctor --repair`.",
        "ru": "Папка записей и база данных расходятся: незарегистрированных файлов — "
        "{orphans}, пропавших — {missing}, недописанных — {partial}; выполните "
        "`callcoach doctor --repair`.",
    },
    "health.store_restore": {
        "en": "{missing} recording(s) are missing from the recordings folder "
        "({orphans} unregistered file(s) and {partial} partly written ones were tidied) — "
        "restore the missing files from a backup.",
        "ru": "В папке записей нет {missing} записей (незарегистрированные файлы — {orphans} "
        "— и недописанные — {partial} — убраны); восстановите пропавшие файлы из "
        "резервной копии.",
    },
    "health.model_missing": {
        "en": "The speech recognition model {model} is not installed (in {folder}) — run "
        "`callcoach models install --model {model}`.",
        "ru": "Модель распознавания речи {model} не установлена (в {folder}) — выполните "
        "`callcoach models install --model {model}`.",
    },
    "health.voice_missing": {
        "en": "No {gender} customer voice is installed for {language}; the other voice "
        "speaks instead — install it: `{fix}`.",
        "ru": "Для языка «{language}» не установлен {gender} голос клиента; вместо него "
        "говорит другой — установите: `{fix}`.",
    },
    "health.gender.female": {"en": "female", "ru": "женский"},
    "health.gender.male": {"en": "male", "ru": "мужской"},
    "health.encoder_missing": {
        "en": "The speaker encoder is not installed: mono calls are split by pitch and "
        "timbre only — `{fix}`.",
        "ru": "Кодировщик голосов не установлен: моно-звонки делятся на говорящих только по "
        "высоте и тембру — `{fix}`.",
    },
    "job.analyse-call": {"en": "Scoring an uploaded call", "ru": "Оценка загруженного звонка"},
    "home.jobs_none": {"en": "No jobs yet.", "ru": "Заданий пока нет."},
    "home.job_status": {
        "en": "{pending} waiting, {running} running, {done} done, {failed} failed",
        "ru": "ждут: {pending}, выполняются: {running}, готово: {done}, с ошибкой: {failed}",
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
    "practice.audio_alt": {"en": "{who}, turn {number}", "ru": "{who}, реплика {number}"},
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
    "customer_type.new": {"en": "new customer", "ru": "новый клиент"},
    "customer_type.regular": {"en": "regular customer", "ru": "постоянный клиент"},
    "customer_type.key_account": {"en": "key account", "ru": "ключевой клиент"},
    "customer_type.just_looking": {"en": "just looking", "ru": "просто присматривается"},
    "skill.greeting": {"en": "Greeting", "ru": "Приветствие"},
    "skill.needs_discovery": {"en": "Needs discovery", "ru": "Выявление потребностей"},
    "skill.solution_offer": {"en": "Solution offer", "ru": "Предложение решения"},
    "skill.follow_up": {"en": "Follow-up", "ru": "Завершение"},
    "skill.empathy": {"en": "Empathy", "ru": "Эмпатия"},
    "skill.de_escalation": {"en": "De-escalation", "ru": "Снижение напряжения"},
    "skill.personalization": {"en": "Personalization", "ru": "Персонализация"},
    "skill.honesty": {"en": "Honesty", "ru": "Честность"},
    "skill.escalation": {"en": "Escalation", "ru": "Передача вопроса выше"},
    "skill.professionalism": {"en": "Professionalism", "ru": "Профессионализм"},
    "skill.impartiality": {"en": "Impartiality", "ru": "Беспристрастность"},
    "skill.clear_communication": {"en": "Clear communication", "ru": "Ясность речи"},
    "skill.stress_resilience": {"en": "Stress resilience", "ru": "Стрессоустойчивость"},
    "skill.efficiency": {"en": "Efficiency", "ru": "Эффективность"},
    "skill.proactivity": {"en": "Proactivity", "ru": "Проактивность"},
    "practice.drill_button": {"en": "Practise this moment", "ru": "Отработать этот момент"},
    "practice.drill_offer": {
        "en": "The answer that cost most: patience {change} after the customer said: “{line}”",
        "ru": "Дороже всего обошёлся ответ: терпение {change} после слов клиента: «{line}»",
    },
    "practice.drill_intro": {
        "en": "Drill: the call is replayed up to the moment that cost most. Answer the customer's last line once more; then it was patience {change}.",
        "ru": "Отработка: звонок восстановлен до самого дорогого момента. Ответьте на последнюю реплику клиента ещё раз; в прошлый раз терпение {change}.",
    },
    "practice.drill_result": {
        "en": "Drill done: the customer's patience {now} after your answer (then {then}). Drills are in your history but do not count toward readiness.",
        "ru": "Отработка завершена: терпение клиента {now} после вашего ответа (в прошлый раз {then}). Отработки видны в истории, но не влияют на готовность.",
    },
    "practice.drill_again": {"en": "Drill this moment again", "ru": "Отработать момент ещё раз"},
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
    "card.auto_failed": {"en": "Failed", "ru": "Незачёт"},
    "progress.chart_call": {"en": "Call", "ru": "Звонок"},
    "progress.chart_when": {"en": "When", "ru": "Когда"},
    "card.unscorable": {"en": "This call could not be scored", "ru": "Этот звонок нельзя оценить"},
    "card.auto_fail": {"en": "Automatic fail", "ru": "Автоматический незачёт"},
    "card.corrected": {"en": "Corrected by the team lead", "ru": "После исправления руководителем"},
    "card.pass_mark": {
        "en": "A call passes at {mark:g} of 100, with no automatic fail.",
        "ru": "Звонок зачтён от {mark:g} из 100 и без автоматического незачёта.",
    },
    "card.weights_how": {
        "en": (
            "Each criterion counts with its weight; the points it earned add up to the overall. "
            "A call passes at {mark:g}."
        ),
        "ru": (
            "Каждый критерий входит в итог со своим весом; его баллы в сумме дают итог. "
            "Звонок зачтён от {mark:g}."
        ),
    },
    "card.share": {
        "en": "weight {weight:g}, {points:.1f} points of the overall",
        "ru": "вес {weight:g}, {points:.1f} балла итога",
    },
    "card.share_corrected": {
        "en": "after correction {points:.1f}",
        "ru": "после исправления {points:.1f}",
    },
    "card.criteria": {"en": "By criterion", "ru": "По критериям"},
    "card.criterion": {"en": "Criterion", "ru": "Критерий"},
    "card.evidence": {"en": "Evidence", "ru": "Подтверждения"},
    "card.missed": {"en": "To improve", "ru": "Что улучшить"},
    "card.transcript": {
        "en": "Transcript (evidence highlighted)",
        "ru": "Расшифровка (подтверждения выделены)",
    },
    "card.delivery": {"en": "Delivery", "ru": "Подача"},
    "card.delivery_not_scored": {
        "en": "Delivery (pace, pauses, fillers) was not scored: the answers were typed, not "
        "spoken, so there is no speech to time. Its weight went to the other criteria.",
        "ru": "Подача речи (темп, паузы, слова-паразиты) не оценивалась: ответы были набраны "
        "текстом, а не сказаны, и измерять нечего. Её вес перешёл к другим критериям.",
    },
    "card.your_answers": {"en": "Your answers", "ru": "Ваши ответы"},
    "card.support_code": {"en": "code {code}", "ru": "код {code}"},
    "card.stage_model": {
        "en": "the stage model ({percent:.0%}): {words}",
        "ru": "модель этапов ({percent:.0%}): {words}",
    },
    "card.stage_model_context": {"en": "the whole turn", "ru": "вся реплика"},
    "card.whole_call": {"en": "whole call", "ru": "весь звонок"},
    "card.turn": {"en": "turn {n}", "ru": "реплика {n}"},
    "stage.greeting": {"en": "Greeting", "ru": "Приветствие"},
    "stage.needs_discovery": {"en": "Needs discovery", "ru": "Выявление потребностей"},
    "stage.solution_offer": {"en": "Solution offer", "ru": "Предложение решения"},
    "stage.follow_up": {"en": "Follow-up", "ru": "Завершение"},
    "metric.words_per_minute": {"en": "Words per minute", "ru": "Слов в минуту"},
    "metric.fillers_per_minute": {
        "en": "Fillers per minute",
        "ru": "Слов-паразитов в минуту",
    },
    "metric.longest_pause_s": {"en": "Longest pause, s", "ru": "Самая долгая пауза, с"},
    "metric.agent_talk_ratio": {"en": "Agent's share of talk", "ru": "Доля речи оператора"},
    "metric.interruptions": {"en": "Interruptions", "ru": "Перебивания"},
    "autofail.prof.abuse": {
        "en": "Offensive language: “{text}”",
        "ru": "Грубые слова: «{text}»",
    },
    "autofail.scenario.required_stage": {
        "en": "The scenario requires the stage “{stage}” and the call skipped it",
        "ru": "Сценарий требует этап «{stage}», а в звонке его не было",
    },
    "autofail.call.outcome": {
        "en": "The call ended without its goal: {outcome}",
        "ru": "Звонок закончился, не достигнув цели: {outcome}",
    },
    "autofail.scenario.escalation": {
        "en": "This call needed an escalation and ended otherwise: {outcome}",
        "ru": "Вопрос нужно было передать выше, а звонок закончился иначе: {outcome}",
    },
    "autofail.other": {
        "en": "An automatic fail rule fired",
        "ru": "Сработало правило автоматического незачёта",
    },
    "rule.greet.hello": {"en": "greeting", "ru": "приветствие"},
    "rule.greet.introduce": {"en": "introduced yourself", "ru": "представились"},
    "rule.greet.company": {"en": "named the company", "ru": "назвали компанию"},
    "rule.greet.scenario_company": {"en": "named the company", "ru": "назвали компанию"},
    "rule.greet.offer_help": {"en": "offered help", "ru": "предложили помощь"},
    "rule.discover.question": {"en": "asked a question", "ru": "задали вопрос"},
    "rule.discover.open_question": {"en": "open question", "ru": "открытый вопрос"},
    "rule.discover.open_first": {
        "en": "opened with an open question",
        "ru": "начали с открытого вопроса",
    },
    "rule.discover.request": {"en": "asked for information", "ru": "попросили рассказать"},
    "rule.discover.probe": {"en": "asked for more", "ru": "уточнили подробности"},
    "rule.discover.key_detail": {"en": "asked for a key detail", "ru": "запросили ключевые данные"},
    "rule.discover.order_number": {
        "en": "asked for the order number",
        "ru": "запросили номер заказа",
    },
    "rule.discover.confirm": {"en": "confirmed the details", "ru": "подтвердили детали"},
    "rule.discover.confirm_question": {"en": "checked the details", "ru": "сверили детали"},
    "rule.solve.offer": {"en": "offered a solution", "ru": "предложили решение"},
    "rule.solve.done": {"en": "did it", "ru": "сделали"},
    "rule.solve.done_status": {"en": "reported it done", "ru": "сообщили, что сделано"},
    "rule.solve.available": {"en": "said what is possible", "ru": "сказали, что возможно"},
    "rule.solve.self_service": {
        "en": "showed a way to do it",
        "ru": "подсказали, как сделать самому",
    },
    "rule.solve.instruct": {"en": "gave steps", "ru": "дали инструкцию"},
    "rule.solve.explain": {"en": "explained the solution", "ru": "объяснили решение"},
    "rule.solve.expectation": {"en": "set expectations", "ru": "назвали сроки"},
    "rule.solve.alternative": {"en": "offered an alternative", "ru": "предложили альтернативу"},
    "rule.solve.escalate": {"en": "escalated", "ru": "передали вопрос выше"},
    "rule.follow.check_resolved": {
        "en": "checked it is solved",
        "ru": "уточнили, решена ли проблема",
    },
    "rule.follow.check_result": {"en": "checked the result", "ru": "проверили результат"},
    "rule.follow.anything_else": {
        "en": "asked about anything else",
        "ru": "спросили, нужно ли что-то ещё",
    },
    "rule.follow.summary": {"en": "summarised", "ru": "подвели итог"},
    "rule.follow.recap": {"en": "recapped", "ru": "повторили договорённости"},
    "rule.follow.welcome": {"en": "answered thanks", "ru": "ответили на благодарность"},
    "rule.follow.close": {"en": "closed politely", "ru": "вежливо попрощались"},
    "rule.call.handling": {"en": "call handling", "ru": "ведение звонка"},
    "rule.call.observe": {"en": "read the account", "ru": "посмотрели данные"},
    "rule.call.lookup": {"en": "looked it up", "ru": "стали проверять"},
    "rule.empathy.acknowledge": {
        "en": "acknowledged the feeling",
        "ru": "признали чувства клиента",
    },
    "rule.empathy.apologise": {"en": "apologised", "ru": "извинились"},
    "rule.empathy.blame": {"en": "blamed the customer", "ru": "обвинили клиента"},
    "rule.honesty.overpromise": {"en": "promised too much", "ru": "пообещали лишнее"},
    "rule.honesty.scenario_promise": {
        "en": "made a promise this case forbids",
        "ru": "дали обещание, запрещённое в этом случае",
    },
    "rule.honesty.limits": {"en": "stated your limits", "ru": "обозначили ограничения"},
    "rule.personal.name": {"en": "used the customer's name", "ru": "обратились по имени"},
    "rule.personal.name_again": {"en": "used the name again", "ru": "снова обратились по имени"},
    "rule.prof.prohibited": {"en": "dismissive phrase", "ru": "пренебрежительная фраза"},
    "rule.prof.abuse": {"en": "offensive language", "ru": "грубые слова"},
    "rule.delivery.pace": {"en": "pace", "ru": "темп"},
    "rule.delivery.fillers": {"en": "fillers", "ru": "слова-паразиты"},
    "rule.delivery.dead_air": {"en": "silences", "ru": "паузы-тишина"},
    "rule.delivery.talk_ratio": {"en": "talk balance", "ru": "баланс разговора"},
    "rule.delivery.interruptions": {"en": "interruptions", "ru": "перебивания"},
    "nav.review": {"en": "Calls & reviews", "ru": "Звонки и проверки"},
    "nav.queue": {"en": "Review queue", "ru": "Очередь проверок"},
    "nav.queue_count": {"en": "Review queue ({count})", "ru": "Очередь проверок ({count})"},
    "queue.title": {"en": "What waits for your review", "ru": "Что ждёт вашей проверки"},
    "queue.disputes": {"en": "Open disputes ({count})", "ru": "Открытые споры ({count})"},
    "queue.dispute_row": {
        "en": "**{trainee}** disputes *{criterion}*: {reason}",
        "ru": "**{trainee}** оспаривает «{criterion}»: {reason}",
    },
    "queue.flagged": {
        "en": "Calls to look at ({count})",
        "ru": "Звонки, которые стоит проверить ({count})",
    },
    "queue.flagged_how": {
        "en": "Automatic fails and calls whose speakers were told apart unsurely; a call leaves this list once you save a correction of it.",
        "ru": "Автоматические незачёты и звонки, где собеседники различены неуверенно; звонок уходит из списка, когда вы сохраните исправление.",
    },
    "queue.auto_fail": {"en": "failed: {reasons}", "ru": "незачёт: {reasons}"},
    "queue.unsure": {
        "en": "speakers unsure (confidence {confidence:.0%})",
        "ru": "собеседники различены неуверенно (уверенность {confidence:.0%})",
    },
    "queue.ready": {"en": "Ready for sign-off ({count})", "ru": "Готовы к подтверждению ({count})"},
    "queue.ready_row": {"en": "**{name}** → {level}", "ru": "**{name}** → {level}"},
    "queue.open": {"en": "Open the call", "ru": "Открыть звонок"},
    "queue.sign_off": {"en": "Sign off", "ru": "Подтвердить"},
    "queue.signed": {"en": "Signed off: {name}, {level}.", "ru": "Подтверждено: {name}, {level}."},
    "queue.empty": {"en": "Nothing waits for you now.", "ru": "Сейчас ничего не ждёт проверки."},
    "review.title": {"en": "Calls and reviews", "ru": "Звонки и проверки"},
    "review.trainee": {"en": "Trainee", "ru": "Стажёр"},
    "review.calls": {"en": "Calls", "ru": "Звонки"},
    "review.drill": {"en": "Drill · {title}", "ru": "Отработка · {title}"},
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
    "review.hand_how": {
        "en": (
            "Score what you heard against the rubric; the question mark by each criterion says "
            "what each score means. Leave a criterion blank to skip it."
        ),
        "ru": (
            "Оцените то, что услышали, по критериям; знак вопроса у каждого критерия "
            "объясняет, что значит каждый балл. Пустой критерий не сохраняется."
        ),
    },
    "review.hand_blank": {"en": "not scored", "ru": "без оценки"},
    "review.hand_none": {
        "en": "Nothing to save: score at least one criterion.",
        "ru": "Сохранять нечего: оцените хотя бы один критерий.",
    },
    "review.saved": {"en": "Saved.", "ru": "Сохранено."},
    "decision.accepted": {"en": "accepted", "ru": "принят"},
    "decision.partially-accepted": {"en": "partly accepted", "ru": "принят частично"},
    "decision.rejected": {"en": "rejected", "ru": "отклонён"},
    "attempt_status.pending": {"en": "waiting to be scored", "ru": "ждёт оценки"},
    "attempt_status.in-progress": {"en": "in progress", "ru": "идёт"},
    "attempt_status.completed": {"en": "finished", "ru": "завершён"},
    "attempt_status.abandoned": {"en": "hung up", "ru": "прерван"},
    "attempt_status.failed": {"en": "failed", "ru": "ошибка"},
    "progress.level": {"en": "Your level: **{level}**", "ru": "Ваш уровень: **{level}**"},
    "progress.next": {"en": "Next: **{level}**", "ru": "Следующий: **{level}**"},
    "progress.top": {"en": "You are at the top of the ladder.", "ru": "Вы на верхней ступени."},
    "progress.ready": {
        "en": "Everything is met: ask your team lead to sign off your promotion.",
        "ru": "Все условия выполнены: попросите руководителя подтвердить повышение.",
    },
    "progress.lead.level": {"en": "Level now: **{level}**", "ru": "Текущий уровень: **{level}**"},
    "progress.lead.top": {
        "en": "At the top of the ladder.",
        "ru": "На верхней ступени лестницы.",
    },
    "progress.lead.ready": {
        "en": "Every requirement is met: the promotion waits for your sign-off.",
        "ru": "Все условия выполнены: повышение ждёт вашего подтверждения.",
    },
    "progress.scores": {"en": "Your scores", "ru": "Ваши оценки"},
    "progress.pass_line": {"en": "pass", "ru": "зачёт"},
    "progress.practise_next": {"en": "Practise next", "ru": "Что тренировать дальше"},
    "progress.start_recommended": {"en": "Start: {title}", "ru": "Начать: {title}"},
    "progress.recent": {"en": "Recent calls", "ru": "Последние звонки"},
    "nav.team": {"en": "Team", "ru": "Команда"},
    "team.title": {"en": "Team dashboard", "ru": "Панель команды"},
    "team.table": {"en": "Trainees", "ru": "Стажёры"},
    "team.pick": {"en": "Team", "ru": "Команда"},
    "team.all": {"en": "All teams", "ru": "Все команды"},
    "team.reading": {"en": "Reading the team's calls…", "ru": "Читаем звонки команды…"},
    "team.heatmap": {
        "en": "Criteria by trainee (recent calls, %)",
        "ru": "Критерии по стажёрам (последние звонки, %)",
    },
    "team.types": {
        "en": "Impartiality: average by customer type",
        "ru": "Беспристрастность: средний балл по типам клиентов",
    },
    "team.trainee": {"en": "Trainee", "ru": "Стажёр"},
    "team.col_name": {"en": "Name", "ru": "Имя"},
    "team.col_calls": {"en": "Calls", "ru": "Звонков"},
    "team.col_average": {"en": "Average", "ru": "Средний балл"},
    "team.col_last5": {"en": "Last 5", "ru": "Последние 5"},
    "team.col_trend": {"en": "Trend", "ru": "Динамика"},
    "team.col_readiness": {"en": "Readiness", "ru": "Готовность"},
    "team.col_activity": {"en": "Last activity", "ru": "Последняя активность"},
    "team.col_pairs": {"en": "Calls scored by hand", "ru": "Оценено вручную"},
    "team.col_difference": {"en": "Mean difference", "ru": "Среднее расхождение"},
    "team.col_kappa": {"en": "Agreement (kappa)", "ru": "Согласие (каппа)"},
    "team.trend": {"en": "Weekly average", "ru": "Средний балл по неделям"},
    "team.csv": {"en": "Export team as CSV", "ru": "Выгрузить команду в CSV"},
    "team.pdf": {"en": "Progress report (PDF)", "ru": "Отчёт о прогрессе (PDF)"},
    "team.sign_off": {
        "en": "Sign off promotion to {level}",
        "ru": "Подтвердить повышение до уровня {level}",
    },
    "team.signed": {"en": "Signed off.", "ru": "Подтверждено."},
    "team.calls_practice": {"en": "Practice calls", "ru": "Тренировки"},
    "team.calls_real": {"en": "Real calls", "ru": "Реальные звонки"},
    "team.empty": {"en": "No trainees with calls yet.", "ru": "Пока нет стажёров со звонками."},
    "team.calibration": {
        "en": "Calibration: hand scores vs automatic",
        "ru": "Калибровка: ручные оценки и автоматические",
    },
    "team.no_calibration": {
        "en": "No hand scores yet: score a call by hand on 'Calls & reviews'.",
        "ru": "Ручных оценок пока нет: оцените звонок вручную в разделе «Звонки и проверки».",
    },
    "nav.library": {"en": "Scenario library", "ru": "Библиотека сценариев"},
    "library.title": {"en": "Scenario library", "ru": "Библиотека сценариев"},
    "library.scenarios": {"en": "Scenarios", "ru": "Сценарии"},
    "library.rubric": {"en": "Rubric", "ru": "Критерии оценки"},
    "library.lexicons": {"en": "Lexicons", "ru": "Словари фраз"},
    "library.col_title": {"en": "Title", "ru": "Название"},
    "library.col_language": {"en": "Language", "ru": "Язык"},
    "library.col_difficulty": {"en": "Difficulty", "ru": "Сложность"},
    "library.col_customer": {"en": "Customer type", "ru": "Тип клиента"},
    "library.col_version": {"en": "Version", "ru": "Версия"},
    "library.col_enabled": {"en": "Enabled", "ru": "Включён"},
    "library.col_edited": {"en": "Edited by", "ru": "Изменил(а)"},
    "library.col_attempts": {"en": "Attempts", "ru": "Попыток"},
    "library.pick": {"en": "Scenario to open", "ru": "Открыть сценарий"},
    "library.built_in": {"en": "built-in file", "ru": "встроенный файл"},
    "library.edited_by": {"en": "edited by {name}", "ru": "изменил(а) {name}"},
    "library.summary": {
        "en": "Version {version} · {source} · {attempts} attempt(s) · {scenario}",
        "ru": "Версия {version} · {source} · попыток: {attempts} · {scenario}",
    },
    "library.enabled": {"en": "Trainees can practise it", "ru": "Доступен стажёрам"},
    "library.switched_on": {
        "en": "'{scenario}' is shown to trainees again.",
        "ru": "Сценарий «{scenario}» снова виден стажёрам.",
    },
    "library.switched_off": {
        "en": "'{scenario}' is hidden from trainees (you can still try it).",
        "ru": "Сценарий «{scenario}» скрыт от стажёров (вы можете его попробовать).",
    },
    "library.try": {"en": "Try it", "ru": "Попробовать"},
    "library.listen": {"en": "Listen to the customer", "ru": "Послушать клиента"},
    "library.play": {"en": "Play the customer's lines", "ru": "Озвучить реплики клиента"},
    "library.rendering": {
        "en": "Rendering the customer's voice…",
        "ru": "Озвучиваем реплики клиента…",
    },
    "library.yaml": {
        "en": "Scenario YAML (saving adds a new version; earlier attempts keep theirs)",
        "ru": "YAML сценария (сохранение добавляет версию; прошлые попытки сохраняют свою)",
    },
    "library.new": {"en": "New scenario ({language})", "ru": "Новый сценарий ({language})"},
    "library.new_help": {
        "en": "A working scenario to start from: change its id, title, customer and lines, "
        "then validate and save. Saved, it is in the library and trainees can practise it.",
        "ru": "Рабочий сценарий для начала: измените id, название, клиента и реплики, затем "
        "проверьте и сохраните. После сохранения он в библиотеке, и стажёры могут его пройти.",
    },
    "library.history": {"en": "Version history", "ru": "История версий"},
    "library.col_saved": {"en": "Saved (UTC)", "ru": "Сохранено (UTC)"},
    "library.diff_from": {"en": "Compare version", "ru": "Сравнить версию"},
    "library.diff_to": {"en": "with version", "ru": "с версией"},
    "library.no_diff": {"en": "The two versions are the same.", "ru": "Версии совпадают."},
    "library.load_version": {
        "en": "Load version {version} into the editor",
        "ru": "Загрузить версию {version} в редактор",
    },
    "library.version_loaded": {
        "en": "Version {version} is in the editor; save it to make it the newest version.",
        "ru": "Версия {version} в редакторе; сохраните её, чтобы она стала новой версией.",
    },
    "library.debug": {
        "en": "Try answers (what the customer detects and why)",
        "ru": "Проверить ответы (что распознаёт клиент и почему)",
    },
    "library.debug_answers": {
        "en": "Answers to play, one per line (an empty line is silence)",
        "ru": "Ответы по одному в строке (пустая строка — молчание)",
    },
    "library.debug_play": {"en": "Play these answers", "ru": "Проиграть ответы"},
    "library.debug_answer": {"en": "Answer", "ru": "Ответ"},
    "library.debug_silence": {"en": "(silence)", "ru": "(молчание)"},
    "library.debug_node": {"en": "Replying to", "ru": "В ответ на"},
    "library.debug_detected": {"en": "Behaviours detected", "ru": "Распознанное поведение"},
    "library.debug_reaction": {"en": "Reaction chosen", "ru": "Выбранная реакция"},
    "library.debug_why": {"en": "Why", "ru": "Почему"},
    "library.debug_patience": {"en": "Patience after", "ru": "Терпение после"},
    "library.debug_reply": {"en": "Customer says", "ru": "Клиент отвечает"},
    "library.debug_outcome": {"en": "Call ended", "ru": "Звонок завершён"},
    "library.validate": {"en": "Validate", "ru": "Проверить"},
    "library.save": {"en": "Save as a new version", "ru": "Сохранить новую версию"},
    "library.checking": {"en": "Checking…", "ru": "Проверяем…"},
    "library.valid": {"en": "No problems found.", "ru": "Ошибок не найдено."},
    "library.problems": {
        "en": "{count} problem(s) to fix:",
        "ru": "Нужно исправить ошибок: {count}",
    },
    "library.not_saved": {"en": "Nothing was saved.", "ru": "Ничего не сохранено."},
    "library.saved": {
        "en": "Saved '{scenario}' as version {version}.",
        "ru": "Сценарий «{scenario}» сохранён как версия {version}.",
    },
    "library.unchanged": {
        "en": "No change: '{scenario}' version {version} is this text already.",
        "ru": "Изменений нет: версия {version} сценария «{scenario}» уже такая.",
    },
    "library.upload": {
        "en": "Add a scenario from a YAML file",
        "ru": "Добавить сценарий из YAML-файла",
    },
    "library.add": {"en": "Add scenario", "ru": "Добавить сценарий"},
    "library.no_file": {"en": "Choose a .yaml file first.", "ru": "Сначала выберите файл .yaml."},
    "library.line": {"en": "line", "ru": "строка"},
    "library.scoring_edited": {
        "en": "Practice calls are scored with an edited copy.",
        "ru": "Звонки оцениваются по изменённой копии.",
    },
    "library.scoring_packaged": {
        "en": "Practice calls are scored with the packaged default.",
        "ru": "Звонки оцениваются по файлу по умолчанию.",
    },
    "library.rubric_text": {"en": "Rubric YAML", "ru": "YAML критериев"},
    "library.lexicon_text": {"en": "Lexicon YAML", "ru": "YAML словаря"},
    "library.lexicon_language": {"en": "Lexicon", "ru": "Словарь"},
    "library.lexicon_yaml": {
        "en": "Edit the whole lexicon as YAML (word lists, feedback, reactions)",
        "ru": "Править весь словарь как YAML (списки слов, отзывы, реакции)",
    },
    "library.col_rule": {"en": "Rule", "ru": "Правило"},
    "library.col_phrases": {"en": "Phrases (separated by |)", "ru": "Фразы (через |)"},
    "library.save_rules": {"en": "Save the phrases", "ru": "Сохранить фразы"},
    "library.save_scoring": {"en": "Save", "ru": "Сохранить"},
    "library.scoring_saved": {
        "en": "Saved: new practice calls are scored with it.",
        "ru": "Сохранено: новые звонки оцениваются по этой версии.",
    },
    "library.scoring_unchanged": {"en": "No change to save.", "ru": "Нечего сохранять."},
    "library.restore": {"en": "Restore default", "ru": "Вернуть по умолчанию"},
    "library.restored": {
        "en": "The packaged default is in use again; the edit is kept among the earlier copies.",
        "ru": "Снова используется файл по умолчанию; правка сохранена среди прежних копий.",
    },
    "library.earlier": {"en": "Earlier copies", "ru": "Прежние копии"},
    "library.load": {"en": "Load into the editor", "ru": "Загрузить в редактор"},
    "library.loaded": {
        "en": "Loaded the copy replaced on {when}; save it to use it again.",
        "ru": "Загружена копия, заменённая {when}; сохраните, чтобы снова её использовать.",
    },
    "nav.calls": {"en": "Real calls", "ru": "Реальные звонки"},
    "calls.title": {"en": "Real calls", "ru": "Реальные звонки"},
    "calls.intro": {
        "en": "Upload recorded calls from the phone system: each one is transcribed and scored "
        "like a practice call and appears in the trainee's calls, marked as a real call.",
        "ru": "Загрузите записи звонков из телефонной системы: каждая расшифровывается и "
        "оценивается как тренировочный звонок и появляется в звонках стажёра с пометкой "
        "«реальный звонок».",
    },
    "calls.files": {"en": "Call recordings", "ru": "Записи звонков"},
    "calls.files_help": {
        "en": "WAV, MP3, OGG, M4A or FLAC, stereo or mono, 8 kHz phone audio too.",
        "ru": "WAV, MP3, OGG, M4A или FLAC, стерео или моно, в том числе телефонные 8 кГц.",
    },
    "calls.trainee": {"en": "Trainee", "ru": "Стажёр"},
    "calls.for_you": {"en": "Your own calls", "ru": "Ваши звонки"},
    "calls.no_trainees": {
        "en": "There is no trainee you may upload calls for.",
        "ru": "Нет стажёров, для которых вы можете загружать звонки.",
    },
    "calls.channels": {"en": "Stereo: left channel", "ru": "Стерео: левый канал"},
    "calls.channels_help": {
        "en": "Which side the left channel of a stereo recording holds; mono recordings are "
        "split into speakers automatically.",
        "ru": "Чья речь в левом канале стереозаписи; в моно-записях говорящие "
        "определяются автоматически.",
    },
    "calls.left.agent": {"en": "left = agent", "ru": "слева — оператор"},
    "calls.left.customer": {"en": "left = customer", "ru": "слева — клиент"},
    "calls.language": {"en": "Language", "ru": "Язык"},
    "calls.language.auto": {"en": "Detect", "ru": "Определить"},
    # not "Upload": Streamlit's file picker has its own "Upload" button just above
    "calls.upload": {"en": "Send for scoring", "ru": "Отправить на оценку"},
    "calls.uploading": {"en": "Checking and storing the files…", "ru": "Проверяем и сохраняем…"},
    "calls.refused": {
        "en": "Nothing was uploaded: {file} was refused. {error}",
        "ru": "Ничего не загружено: файл {file} отклонён. {error}",
    },
    "calls.outcome.queued": {
        "en": "{file}: queued for scoring.",
        "ru": "{file}: поставлен в очередь на оценку.",
    },
    "calls.outcome.already-uploaded": {
        "en": "{file}: already uploaded, not scored twice; it is in the list below.",
        "ru": "{file}: уже загружен, повторно не оценивается; он в списке ниже.",
    },
    "calls.outcome.queued-again": {
        "en": "{file}: uploaded before and failed; queued again.",
        "ru": "{file}: уже загружался и не обработался; снова в очереди.",
    },
    "calls.jobs": {"en": "Uploaded calls", "ru": "Загруженные звонки"},
    "calls.no_jobs": {"en": "No calls uploaded yet.", "ru": "Звонков пока не загружали."},
    "calls.working": {
        "en": "{count} call(s) waiting or being scored; this list refreshes by itself.",
        "ru": "Звонков в очереди или в работе: {count}; список обновляется сам.",
    },
    "calls.worker_hint": {
        "en": "Calls are scored in the background, a few at a time; you can leave this page.",
        "ru": "Звонки оцениваются в фоне, по несколько за раз; эту страницу можно закрыть.",
    },
    "calls.status.pending": {"en": "waiting", "ru": "в очереди"},
    "calls.status.running": {"en": "being scored", "ru": "оценивается"},
    "calls.status.done": {"en": "scored", "ru": "оценён"},
    "calls.status.failed": {"en": "failed", "ru": "ошибка"},
    "calls.tries": {"en": "started {n} of {max} times", "ru": "запусков: {n} из {max}"},
    "calls.score": {"en": "{overall:.0f} / 100", "ru": "{overall:.0f} / 100"},
    "calls.unscorable": {"en": "not scorable", "ru": "не оценивается"},
    "calls.retry": {"en": "Retry", "ru": "Повторить"},
    "calls.retried": {"en": "Queued again.", "ru": "Снова в очереди."},
    "calls.open": {"en": "Open", "ru": "Открыть"},
    "calls.method.stereo": {
        "en": "Stereo: left = {left}, right = {right}",
        "ru": "Стерео: слева — {left}, справа — {right}",
    },
    "calls.method.mono": {
        "en": "Mono: speakers told apart by voice and by who greets and asks the questions",
        "ru": "Моно: говорящие различены по голосу и по тому, кто здоровается и задаёт вопросы",
    },
    "calls.check_speakers": {
        "en": "Check the speakers: they were told apart with low confidence ({confidence:.0%}). "
        "Open the call and swap any turn that is wrong.",
        "ru": "Проверьте говорящих: они определены с низкой уверенностью ({confidence:.0%}). "
        "Откройте звонок и поменяйте неверные реплики.",
    },
    "calls.check_speakers_here": {
        "en": "Check the speakers: they were told apart with low confidence ({confidence:.0%}). "
        "Swap any turn below that is wrong; the call is scored again.",
        "ru": "Проверьте говорящих: они определены с низкой уверенностью ({confidence:.0%}). "
        "Поменяйте неверные реплики ниже; звонок будет оценён заново.",
    },
    "calls.real_call": {"en": "Real call", "ru": "Реальный звонок"},
    "calls.real_call_title": {"en": "Real call: {file}", "ru": "Реальный звонок: {file}"},
    "calls.not_scored": {
        "en": "This call is not scored yet ({status}); see the Real calls page.",
        "ru": "Звонок ещё не оценён ({status}); см. страницу «Реальные звонки».",
    },
    "calls.speakers": {"en": "Who said what", "ru": "Кто что сказал"},
    "calls.swap": {"en": "Swap speaker", "ru": "Сменить говорящего"},
    "calls.seek": {"en": "Play the call from here", "ru": "Слушать звонок с этого места"},
    "calls.swapped": {
        "en": "Speaker changed; the call was scored again.",
        "ru": "Говорящий изменён; звонок оценён заново.",
    },
    "calls.set_by": {"en": "speaker set by {who}", "ru": "говорящего указал {who}"},
    "speaker.agent": {"en": "agent", "ru": "оператор"},
    "speaker.customer": {"en": "customer", "ru": "клиент"},
    "nav.accounts": {"en": "Accounts", "ru": "Учётные записи"},
    "nav.password": {"en": "My password", "ru": "Мой пароль"},
    "accounts.demo_warning": {
        "en": "{count} account(s) still have the published demo password ({names}): anyone "
        "can sign in as them. Change or reset their passwords on the Accounts page, or "
        "deactivate them.",
        "ru": "У {count} учётных записей всё ещё общеизвестный демо-пароль ({names}): под ними "
        "может войти кто угодно. Смените или сбросьте пароли на странице «Учётные записи» "
        "или отключите эти записи.",
    },
    "accounts.title": {"en": "Accounts", "ru": "Учётные записи"},
    "accounts.username": {"en": "User name", "ru": "Имя пользователя"},
    "accounts.name": {"en": "Name shown", "ru": "Отображаемое имя"},
    "accounts.role": {"en": "Role", "ru": "Роль"},
    "accounts.team": {"en": "Team", "ru": "Команда"},
    "accounts.state": {"en": "State", "ru": "Состояние"},
    "accounts.active": {"en": "active", "ru": "активна"},
    "accounts.inactive": {"en": "deactivated", "ru": "отключена"},
    "accounts.demo": {"en": "demo password", "ru": "демо-пароль"},
    "accounts.add": {"en": "Add an account", "ru": "Добавить учётную запись"},
    "accounts.team_new": {
        "en": "Team (a new name creates it; empty: no team)",
        "ru": "Команда (новое название создаёт её; пусто — без команды)",
    },
    "accounts.password": {"en": "Password (8 characters or more)", "ru": "Пароль (от 8 символов)"},
    "accounts.add_submit": {"en": "Add", "ru": "Добавить"},
    "accounts.added": {"en": "Added {username}.", "ru": "Учётная запись {username} добавлена."},
    "accounts.change": {"en": "Change an account", "ru": "Изменить учётную запись"},
    "accounts.pick": {"en": "Account", "ru": "Учётная запись"},
    "accounts.team_edit": {
        "en": "Team (empty: no team)",
        "ru": "Команда (пусто — без команды)",
    },
    "accounts.save": {"en": "Save role and team", "ru": "Сохранить роль и команду"},
    "accounts.saved": {
        "en": "Saved {username}'s role and team; they apply at their next page action.",
        "ru": "Роль и команда {username} сохранены; они действуют со следующего действия.",
    },
    "accounts.reset": {"en": "Set this password", "ru": "Задать этот пароль"},
    "accounts.reset_done": {
        "en": "New password set for {username}; their open sessions have ended.",
        "ru": "Для {username} задан новый пароль; открытые сеансы завершены.",
    },
    "accounts.yourself": {
        "en": "This is your own account: another admin can deactivate or delete it.",
        "ru": "Это ваша учётная запись: отключить или удалить её может другой администратор.",
    },
    "accounts.deactivate": {"en": "Deactivate", "ru": "Отключить"},
    "accounts.reactivate": {"en": "Reactivate", "ru": "Включить снова"},
    "accounts.state_done": {
        "en": "Changed {username}: a deactivated user is signed out at their next page action.",
        "ru": "Запись {username} изменена: отключённый пользователь выходит при следующем "
        "действии.",
    },
    "accounts.delete_sure": {
        "en": "Delete {username}: the name goes, the calls stay anonymously",
        "ru": "Удалить {username}: имя удаляется, звонки остаются без имени",
    },
    "accounts.delete": {"en": "Delete", "ru": "Удалить"},
    "accounts.deleted": {
        "en": "Deleted {username}; their calls are kept anonymously.",
        "ru": "{username} удалён(а); звонки сохранены без имени.",
    },
    "password.title": {"en": "My password", "ru": "Мой пароль"},
    "password.hint": {
        "en": "After the change you stay signed in here; other browsers are signed out.",
        "ru": "После смены вы остаётесь в системе здесь; в других браузерах выход.",
    },
    "password.old": {"en": "Current password", "ru": "Текущий пароль"},
    "password.new": {
        "en": "New password (8 characters or more)",
        "ru": "Новый пароль (от 8 символов)",
    },
    "password.again": {"en": "New password again", "ru": "Новый пароль ещё раз"},
    "password.submit": {"en": "Change password", "ru": "Сменить пароль"},
    "password.mismatch": {
        "en": "The two new passwords differ; type them again.",
        "ru": "Новые пароли не совпадают; введите их ещё раз.",
    },
    "password.changed": {"en": "Your password is changed.", "ru": "Пароль изменён."},
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
