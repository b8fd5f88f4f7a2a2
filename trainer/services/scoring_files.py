"""The rubric and the phrase lexicons as trainers tune them.

An edited copy lives under ``data_dir`` (``rubrics/default.yaml``, ``lexicons/en.yaml``,
``lexicons/ru.yaml``) and replaces the packaged file for scoring practice calls while it is
there. An edit is validated as a whole before it is saved (nothing is saved otherwise).
The copy an edit replaces is kept in ``history/`` beside it, named by the time it was
replaced, so any edit can be undone; "restore default" moves the edited copy there too.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from scoring.errors import ScoringError
from scoring.lexicon import (
    LEXICON_DIR,
    Lexicon,
    LexiconFile,
    lexicon_cost_problems,
    lexicon_problems,
    load_lexicon,
)
from scoring.rubric import DEFAULT_RUBRIC, Rubric, load_rubric, rubric_problems
from scoring.validation import Found, KeyPath, Problem, parse_yaml, schema_problems
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import access
from trainer.services.accounts import CurrentUser
from trainer.services.edits import EditRejectedError, check_size

AUTHOR = "author scenarios"  # trainers write scenarios and tune the rubric and lexicons
STAMP = "%Y%m%dT%H%M%S%fZ"


class ScoringFile(StrEnum):
    RUBRIC = "rubric"
    LEXICON_EN = "en lexicon"
    LEXICON_RU = "ru lexicon"

    @property
    def packaged(self) -> Path:
        """The file shipped with callcoach."""
        if self is ScoringFile.RUBRIC:
            return DEFAULT_RUBRIC
        return LEXICON_DIR / f"{self.language}.yaml"

    @property
    def relative(self) -> Path:
        """Where the edited copy lives, relative to data_dir."""
        if self is ScoringFile.RUBRIC:
            return Path("rubrics", DEFAULT_RUBRIC.name)
        return Path("lexicons", f"{self.language}.yaml")

    @property
    def language(self) -> str:
        return self.value.split()[0]


@dataclass(frozen=True)
class EarlierCopy:
    name: str  # file name in history/
    replaced_at: datetime


@dataclass(frozen=True)
class ScoringFileView:
    """What the editor shows: the text in use, whether it is an edit, the earlier copies."""

    file: ScoringFile
    text: str
    edited: bool
    earlier: tuple[EarlierCopy, ...]  # newest first


def read_scoring_file(
    *, settings: Settings, actor: CurrentUser, file: ScoringFile
) -> ScoringFileView:
    access.require_permission(settings, actor, AUTHOR)
    path = in_use_path(settings, file)
    text = path.read_text(encoding="utf-8")
    return ScoringFileView(file, text, path != file.packaged, tuple(_earlier(settings, file)))


def in_use_path(settings: Settings, file: ScoringFile) -> Path:
    """The edited copy when there is one, else the packaged file."""
    edited = settings.data_dir / file.relative
    return edited if edited.is_file() else file.packaged


def check_scoring_file(*, settings: Settings, file: ScoringFile, text: str) -> list[Problem]:
    """Every problem of an edited rubric or lexicon, each at its line."""
    check_size(len(text.encode()), name=f"the {file}")
    parsed = parse_yaml(text, source=file.value)
    if parsed.problems:
        return list(parsed.problems)
    if file is ScoringFile.RUBRIC:
        return parsed.all_at(_rubric_problems(settings, parsed.data, text))
    return parsed.all_at(_lexicon_problems(settings, file, parsed.data)) or _compile_problems(
        file, text
    )


def _rubric_problems(settings: Settings, data: object, text: str) -> list[Found]:
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as error:
        return schema_problems(error)
    found = rubric_problems(rubric) + _version_problems(settings, rubric.version, text)
    for language in ("en", "ru"):
        feedback = lexicon_in_use(settings, language).data.feedback
        found += [
            (where, f"no feedback '{item}' in the {language} lexicon; add it there first")
            for item, where in _items(rubric).items()
            if item not in feedback
        ]
    return found


def _items(rubric: Rubric) -> dict[str, KeyPath]:
    """Each item's feedback key in the lexicons ('greeting.greet') → its key in the rubric."""
    return {
        f"{name}.{item}": ("criteria", name, "items", item)
        for name, criterion in rubric.criteria.items()
        for item in criterion.items
    }


def _version_problems(settings: Settings, version: str, text: str) -> list[Found]:
    """Scores record the rubric version, so a changed rubric needs a version of its own."""
    taken = {}
    for path in {DEFAULT_RUBRIC, in_use_path(settings, ScoringFile.RUBRIC)}:
        taken[load_rubric_file(path).version] = path.read_text(encoding="utf-8")
    if version in taken and taken[version] != text:
        message = f"'{version}' is the version of another rubric; give this one a new version"
        return [(("version",), message)]
    return []


def _lexicon_problems(settings: Settings, file: ScoringFile, data: object) -> list[Found]:
    try:
        lexicon = LexiconFile.model_validate(data)
    except ValidationError as error:
        return schema_problems(error)
    found = lexicon_problems(lexicon) + lexicon_cost_problems(lexicon)
    if lexicon.language != file.language:
        found.append((("language",), f"must be '{file.language}' in the {file}"))
    found += [
        (("feedback",), f"no feedback '{item}' for that rubric item; add it")
        for item in _items(rubric_in_use(settings))
        if item not in lexicon.feedback
    ]
    return found


def _compile_problems(file: ScoringFile, text: str) -> list[Problem]:
    """Load the lexicon exactly as scoring will, so a saved one is sure to work."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, f"{file.language}.yaml")
        path.write_text(text, encoding="utf-8")
        try:
            load_lexicon.__wrapped__(file.language, path)
        except ScoringError as error:
            return [Problem(file.value, 1, "lexicon", error.what)]
    return []


def save_scoring_file(
    *, settings: Settings, actor: CurrentUser, file: ScoringFile, text: str
) -> bool:
    """Validate and save an edit (False when it changes nothing); keeps the copy it replaces."""
    access.require_permission(settings, actor, AUTHOR)
    problems = check_scoring_file(settings=settings, file=file, text=text)
    if problems:
        raise EditRejectedError(Err.SCORING_FILE_INVALID, problems, name=file.value)
    if text == in_use_path(settings, file).read_text(encoding="utf-8"):
        return False
    path = settings.data_dir / file.relative
    _keep_copy(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".saving")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    Path(temporary).replace(path)  # atomic: scoring never reads half a file
    return True


def restore_default(*, settings: Settings, actor: CurrentUser, file: ScoringFile) -> bool:
    """Score with the packaged file again; the edited copy goes to history/ (undoable).

    False when the packaged file was in use already.
    """
    access.require_permission(settings, actor, AUTHOR)
    return _keep_copy(settings.data_dir / file.relative, move=True)


def earlier_copy(*, settings: Settings, actor: CurrentUser, file: ScoringFile, name: str) -> str:
    """The text of an earlier copy, to load into the editor and save again."""
    access.require_permission(settings, actor, AUTHOR)
    if name not in {copy.name for copy in _earlier(settings, file)}:
        raise CallcoachError(Err.SAVED_COPY_NOT_FOUND, copy=name, name=file.value)
    return (_history(settings, file) / name).read_text(encoding="utf-8")


def _history(settings: Settings, file: ScoringFile) -> Path:
    return (settings.data_dir / file.relative).parent / "history"


def _keep_copy(path: Path, *, move: bool = False) -> bool:
    """Copy (or move) a file into history/ with the time as part of its name."""
    if not path.is_file():
        return False
    stamp = datetime.now(UTC).strftime(STAMP)
    kept = path.parent / "history" / f"{path.stem}-{stamp}{path.suffix}"
    kept.parent.mkdir(parents=True, exist_ok=True)
    if move:
        path.replace(kept)
    else:
        shutil.copy2(path, kept)
    return True


def _earlier(settings: Settings, file: ScoringFile) -> list[EarlierCopy]:
    stem = file.relative.stem
    copies = []
    for path in sorted(_history(settings, file).glob(f"{stem}-*.yaml"), reverse=True):
        try:
            replaced_at = datetime.strptime(path.stem.removeprefix(f"{stem}-"), STAMP)
        except ValueError:
            continue  # not a copy this module made
        copies.append(EarlierCopy(path.name, replaced_at.replace(tzinfo=UTC)))
    return copies


@dataclass(frozen=True)
class LexiconRule:
    """One rule of a lexicon and the phrases that show it."""

    rule: str
    phrases: tuple[str, ...]


def lexicon_rules(*, settings: Settings, actor: CurrentUser, language: str) -> list[LexiconRule]:
    """The phrases of every rule of the lexicon in use, rule by rule."""
    view = read_scoring_file(
        settings=settings, actor=actor, file=ScoringFile(f"{language} lexicon")
    )
    rules = parse_yaml(view.text, source=view.file.value).data["rules"]
    return [LexiconRule(rule, tuple(phrases)) for rule, phrases in rules.items()]


def save_lexicon_rules(
    *,
    settings: Settings,
    actor: CurrentUser,
    language: str,
    phrases: Mapping[str, Sequence[str]],
) -> bool:
    """Save new phrases for some rules, validated like any lexicon edit (E130 lists the
    problems); only those rules' lists change in the text, its comments stay."""
    file = ScoringFile(f"{language} lexicon")
    text = read_scoring_file(settings=settings, actor=actor, file=file).text
    edited = replace_rule_phrases(text, phrases, name=file.value)
    return save_scoring_file(settings=settings, actor=actor, file=file, text=edited)


def replace_rule_phrases(text: str, phrases: Mapping[str, Sequence[str]], *, name: str) -> str:
    """The lexicon text with each given rule's list replaced by a one-line list (JSON is YAML)."""
    parsed = parse_yaml(text, source=name)
    spans = dict(_rule_spans(parsed.root))
    for rule in phrases:
        if rule not in spans:
            raise CallcoachError(Err.LEXICON_RULE_UNKNOWN, name=name, rule=rule)
    for rule, (start, end) in sorted(spans.items(), key=lambda item: -item[1][0]):
        if rule in phrases:
            text = text[:start] + json.dumps(list(phrases[rule]), ensure_ascii=False) + text[end:]
    return text


def _rule_spans(root: yaml.Node | None) -> Iterator[tuple[str, tuple[int, int]]]:
    """Each rule's phrase list as (start, end) character offsets in the text."""
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if key.value == "rules" and isinstance(value, yaml.MappingNode):
            for rule, phrases in value.value:
                yield rule.value, (phrases.start_mark.index, phrases.end_mark.index)


def rubric_in_use(settings: Settings) -> Rubric:
    """The rubric that scores practice calls: the edited copy if there is one."""
    return load_rubric_file(in_use_path(settings, ScoringFile.RUBRIC))


def lexicon_in_use(settings: Settings, language: str) -> Lexicon:
    """The lexicon of a language that scores practice calls: the edited copy if there is one."""
    file = ScoringFile(f"{language} lexicon")
    path = in_use_path(settings, file)
    if path == file.packaged:
        return load_lexicon(language)
    stat = path.stat()
    return _fresh_lexicon(language, path, stat.st_mtime_ns, stat.st_size)


def load_rubric_file(path: Path) -> Rubric:
    """A rubric file, read again whenever it changes."""
    if path == DEFAULT_RUBRIC:
        return load_rubric()
    stat = path.stat()
    return _fresh_rubric(path, stat.st_mtime_ns, stat.st_size)


# scoring's loaders cache by path alone; an edited file at the same path must be read again,
# so these cache by path and modification time and call the loaders' uncached functions.
@lru_cache(maxsize=8)
def _fresh_rubric(path: Path, _mtime_ns: int, _size: int) -> Rubric:
    return load_rubric.__wrapped__(path)


@lru_cache(maxsize=8)
def _fresh_lexicon(language: str, path: Path, _mtime_ns: int, _size: int) -> Lexicon:
    return load_lexicon.__wrapped__(language, path)
