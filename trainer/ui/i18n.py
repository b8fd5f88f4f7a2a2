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
    "card.delivery_not_scored": {
        "en": "Delivery (pace, pauses, fillers) was not scored: the answers were typed, not "
        "spoken, so there is no speech to time. Its weight went to the other criteria.",
        "ru": "Подача речи (темп, паузы, слова-паразиты) не оценивалась: ответы были набраны "
        "текстом, а не сказаны, и измерять нечего. Её вес перешёл к другим критериям.",
    },
    "card.your_answers": {"en": "Your answers", "ru": "Ваши ответы"},
    "nav.review": {"en": "Calls & reviews", "ru": "Звонки и проверки"},
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
    "calls.upload": {"en": "Upload", "ru": "Загрузить"},
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
        "en": "Calls are scored by `callcoach worker` (`make run` starts one beside the app).",
        "ru": "Звонки оценивает `callcoach worker` (`make run` запускает его вместе с "
        "приложением).",
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
