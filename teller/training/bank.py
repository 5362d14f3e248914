"""Question banks for the exam (9103 培训演练): load, check and score.

A bank is a TOML file; its format is documented in the comment header of the shipped bank,
`data/questions/exam.toml`, so that a trainer can write one by hand. This module is pure Python
(teller.fileformat over stdlib `tomllib`, and dataclasses) so the CLI, the screens and the tests can all use it.

A bank that does not follow the format is refused as a whole with `BankError`, which lists *every*
problem found (not just the first), each with the line of the offending `[[questions]]` item, the
item's id, the field and the rule broken, so the trainer can fix the file in one pass.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from teller import fileformat
from teller.i18n import _, current_language

KINDS = ("single", "multiple", "truefalse")
DEFAULT_POINTS = {"single": 2.0, "multiple": 2.5, "truefalse": 1.0}
ID_PREFIX = {"single": "S", "multiple": "M", "truefalse": "T"}

REQUIRED_FIELDS = ("id", "kind", "question", "answer", "explanation")
OPTIONAL_FIELDS = ("options", "points", "functions", "sources", "drill", "question_en", "options_en", "explanation_en", "cites")
TOP_LEVEL_FIELDS = ("title", "title_en", "questions")
# The English of an item: question_en, options_en (the same letters as options), explanation_en.
ENGLISH_FIELDS = ("question_en", "options_en", "explanation_en")

_ID_RE = re.compile(r"^[SMT]\d{2}$")
_CODE_RE = re.compile(r"^\d{4}$")
# `cites` is what banks written before `functions` and `sources` used: its four-digit codes still count
# as the item's functions; its "§n" entries named sections of the developers' specification, which no
# trainee sees, and are ignored.
_CITE_RE = re.compile(r"^(§\d+|\d{4})$")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Separators a trainee may type between letters; all are ignored, like spaces.
_SEPARATORS = re.compile(r"[\s,，、;；/]+")


# One thing wrong with a bank (teller.fileformat): `line` is the line of the item's `[[questions]]`
# header (or of the TOML syntax error); `item` the item's id, or "#n" (its position) when neither id
# nor line is known; `field` the field at fault; `message` the rule, translated. str() places it.
Problem = fileformat.Problem


class BankError(ValueError):
    """A bank was refused; `problems` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem], source: str = "<text>") -> None:
        self.problems = list(problems)
        self.source = source
        header = _("题库 {source} 有 {count} 处问题：").format(source=source, count=len(self.problems))
        super().__init__("\n".join([header, *(str(p) for p in self.problems)]))


@dataclass(frozen=True)
class Question:
    """One exam item.

    `options` is a tuple of (letter, text) pairs in letter order, empty for truefalse.
    `answer` is one letter for single, the sorted letters ("ABD") for multiple, a bool for truefalse.
    """

    id: str
    kind: str
    question: str
    options: tuple[tuple[str, str], ...]
    answer: str | bool
    points: float
    explanation: str
    functions: tuple[str, ...] = ()
    drill: str | None = None
    line: int | None = field(default=None, compare=False)
    sources: tuple[str, ...] = ()  # ids of data/sources.toml: where the fact comes from
    en: dict = field(default_factory=dict, compare=False, hash=False)  # question, options, explanation

    # What the trainee reads, in the current language (English where the bank has it).
    def text(self) -> str:
        return self.en.get("question") or self.question if current_language() == "en" else self.question

    def choices(self) -> tuple[tuple[str, str], ...]:
        if current_language() == "en" and self.en.get("options"):
            return tuple((letter, self.en["options"].get(letter, text)) for letter, text in self.options)
        return self.options

    def explain(self) -> str:
        """The explanation, then where its fact comes from and the function codes."""
        from teller.training.sources import index

        said = self.en.get("explanation") or self.explanation if current_language() == "en" else self.explanation
        return said + index().cite(self.sources, self.functions, sep=True)

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(letter for letter, _text in self.options)

    def option(self, letter: str) -> str:
        """The text of option `letter`; KeyError if there is no such option."""
        for key, text in self.options:
            if key == letter.upper():
                return text
        raise KeyError(letter)


@dataclass(frozen=True)
class QuestionBank:
    title: str
    questions: tuple[Question, ...]
    source: str = "<text>"
    title_en: str = ""

    @property
    def heading(self) -> str:
        """The title in the current language."""
        return self.title_en if current_language() == "en" and self.title_en else self.title

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {q.id: q for q in self.questions})

    def by_id(self, qid: str) -> Question:
        """The question with id `qid`; KeyError if the bank has none."""
        return self._index[qid]  # type: ignore[attr-defined]

    @property
    def total_points(self) -> float:
        return float(sum(q.points for q in self.questions))

    def of_kind(self, kind: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == kind)

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)


# --------------------------------------------------------------------------- loading


def load_bank(path: str | Path | None = None) -> QuestionBank:
    """Load and check a bank; without `path`, the bank shipped with the package."""
    if path is None:
        resource = resources.files("teller.data") / "questions" / "exam.toml"
        source = "exam.toml"
        reader = resource.read_bytes
    else:
        source = str(path)
        reader = Path(path).read_bytes
    try:
        raw = reader()
    except OSError as exc:
        raise BankError(
            [Problem(None, None, None, _("无法读取题库文件：{error}").format(error=exc.strerror or exc))],
            source,
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BankError([Problem(line, None, None, _("文件必须用 UTF-8 编码保存"))], source) from exc
    return parse_bank(text, source=source)


def parse_bank(text: str, source: str = "<text>") -> QuestionBank:
    """Parse and check a bank from TOML text; raise BankError listing every problem."""
    try:
        f = fileformat.TomlFile(text, source)
    except fileformat.FileProblems as exc:
        raise BankError(exc.problems, source) from None
    data = f.doc
    problems: list[Problem] = []
    title = data.get("title")
    if title is None:
        problems.append(Problem(None, None, "title", _("缺少字段 {field}").format(field="title")))
    elif not isinstance(title, str) or not title.strip():
        problems.append(Problem(None, None, "title", _("字段 {field} 应为非空文本").format(field="title")))
    for key in data:
        if key not in TOP_LEVEL_FIELDS:
            problems.append(Problem(None, None, key, fileformat.unknown_key_message(key, TOP_LEVEL_FIELDS)))

    raw_items = data.get("questions")
    if raw_items is None or raw_items == []:
        problems.append(Problem(None, None, "questions", _("题库里没有题目：每道题以 [[questions]] 开头")))
        raise BankError(problems, source)
    if not isinstance(raw_items, list) or not all(isinstance(item, dict) for item in raw_items):
        problems.append(
            Problem(None, None, "questions", _("questions 应是一组题目，每道题以 [[questions]] 开头"))
        )
        raise BankError(problems, source)

    lines: list[int | None] = list(f.table_lines("questions"))
    if len(lines) != len(raw_items):  # e.g. `questions = [ {...}, ... ]`: no headers to point at
        lines = [None] * len(raw_items)

    questions: list[Question] = []
    first_seen: dict[str, int | None] = {}
    for index, (raw, line) in enumerate(zip(raw_items, lines), start=1):
        question, item_problems = _check_item(raw, index, line)
        problems.extend(item_problems)
        qid = raw.get("id")
        if isinstance(qid, str) and qid:
            if qid in first_seen:
                first = first_seen[qid]
                message = (
                    _("题号 {item} 重复，第 {first} 行已用过").format(item=qid, first=first)
                    if first is not None
                    else _("题号 {item} 重复").format(item=qid)
                )
                problems.append(Problem(line, qid, "id", message))
            else:
                first_seen[qid] = line
        if question is not None:
            questions.append(question)

    title_en = data.get("title_en", "")
    if not isinstance(title_en, str):
        problems.append(Problem(None, None, "title_en", _("字段 {field} 应为非空文本").format(field="title_en")))
    if problems:
        raise BankError(problems, source)
    return QuestionBank(title=title, questions=tuple(questions), source=source, title_en=title_en)


def _check_item(raw: dict[str, Any], index: int, line: int | None) -> tuple[Question | None, list[Problem]]:
    """Check one item, one field at a time; return the Question (None if anything is wrong) and its
    problems."""
    problems: list[Problem] = []
    qid = raw.get("id")
    label = qid if isinstance(qid, str) and qid else (None if line is not None else f"#{index}")

    def problem(field_name: str | None, message: str) -> None:
        problems.append(Problem(line, label, field_name, message, "questions", index - 1))

    _check_fields(raw, problem)
    kind = _check_kind(raw, problem)
    _check_id(raw, kind, problem)
    for name in ("question", "explanation"):
        if name in raw and (not isinstance(raw[name], str) or not raw[name].strip()):
            problem(name, _("字段 {field} 应为非空文本").format(field=name))
    options, options_ok = _check_options(raw, kind, problem)
    answer = _check_answer(raw, kind, options if options_ok else None, problem)
    points = _check_points(raw, kind, problem)
    functions, sources = _check_citations(raw, problem)
    english = _check_english(raw, options, problem)
    drill = raw.get("drill")
    if "drill" in raw and (not isinstance(drill, str) or not drill.strip()):
        problem("drill", _("字段 {field} 应为非空文本").format(field="drill"))

    if problems or answer is None or points is None or kind is None:
        return None, problems
    return (
        Question(
            id=qid,
            kind=kind,
            question=raw["question"],
            options=options,
            answer=answer,
            points=points,
            explanation=raw["explanation"],
            functions=functions,
            drill=drill,
            line=line,
            sources=sources,
            en=english,
        ),
        problems,
    )


def _check_fields(raw: dict[str, Any], problem) -> None:  # noqa: ANN001
    for name in REQUIRED_FIELDS:
        if name not in raw:
            problem(name, _("缺少字段 {field}").format(field=name))
    for name in raw:
        if name not in REQUIRED_FIELDS and name not in OPTIONAL_FIELDS:
            problem(name, fileformat.unknown_key_message(name, REQUIRED_FIELDS + OPTIONAL_FIELDS))


def _check_kind(raw: dict[str, Any], problem) -> str | None:  # noqa: ANN001
    kind = raw.get("kind")
    if "kind" in raw and kind not in KINDS:
        problem("kind", _("题型 {kind} 未知，应为 single（单选）、multiple（多选）或 truefalse（判断）").format(kind=kind))
        return None
    return kind


def _check_id(raw: dict[str, Any], kind: str | None, problem) -> None:  # noqa: ANN001
    if "id" not in raw:
        return
    qid = raw["id"]
    if not isinstance(qid, str) or not _ID_RE.match(qid):
        problem("id", _("题号 {value} 格式不对：应为 S（单选）、M（多选）或 T（判断）加两位数字，如 S01").format(value=qid))
    elif kind is not None and qid[0] != ID_PREFIX[kind]:
        problem("id", _("题号 {item} 的字母与题型 {kind} 不符，应以 {prefix} 开头").format(
            item=qid, kind=kind, prefix=ID_PREFIX[kind]))


def _check_options(raw: dict[str, Any], kind: str | None, problem) -> tuple[tuple[tuple[str, str], ...], bool]:  # noqa: ANN001
    """(options in letter order, whether they are all well formed); none for a truefalse item."""
    if kind == "truefalse":
        if "options" in raw:
            problem("options", _("判断题不设选项，请删去 options"))
        return (), False
    if kind not in ("single", "multiple"):
        return (), False
    raw_options = raw.get("options")
    if raw_options is None:
        problem("options", _("缺少字段 {field}").format(field="options"))
        return (), False
    if not isinstance(raw_options, dict):
        problem("options", _('选项应写成以字母为键的表，如 options = {{ A = "…", B = "…" }}'))
        return (), False
    ok = True
    keys = list(raw_options)
    bad_keys = [k for k in keys if len(k) != 1 or k not in _LETTERS]
    if bad_keys:
        ok = False
        problem("options", _("选项的键应为大写字母 A、B、C……，不能是 {keys}").format(keys="、".join(bad_keys)))
    else:
        ordered = sorted(keys)
        if ordered != list(_LETTERS[: len(ordered)]):
            ok = False
            problem("options", _("选项字母应从 A 起连续，现为 {letters}").format(letters="".join(ordered)))
    if len(keys) < 2:
        ok = False
        problem("options", _("至少要有 2 个选项"))
    empty = [k for k, v in raw_options.items() if not isinstance(v, str) or not v.strip()]
    if empty:
        ok = False
        problem("options", _("选项 {letters} 应为非空文本").format(letters="、".join(empty)))
    return (tuple((k, raw_options[k]) for k in sorted(keys)) if ok else ()), ok


def _check_answer(raw: dict[str, Any], kind: str | None, options: tuple[tuple[str, str], ...] | None,
                  problem) -> str | bool | None:  # noqa: ANN001
    """One letter for single, the sorted letters for multiple, a TOML boolean for truefalse; within
    the options when they are well formed (`options` None otherwise)."""
    if "answer" not in raw or kind is None:
        return None
    value = raw["answer"]
    if kind == "truefalse":
        if isinstance(value, bool):
            return value
        problem("answer", _("判断题的答案必须是 TOML 布尔值 true 或 false（不加引号），现为 {value}").format(value=_show(value)))
        return None
    letters = _SEPARATORS.sub("", value).upper() if isinstance(value, str) else ""
    if not letters or any(ch not in _LETTERS for ch in letters):
        problem("answer", _("答案应为选项字母组成的文本，如 \"C\" 或 \"ABD\"，现为 {value}").format(value=_show(value)))
    elif len(set(letters)) != len(letters):
        problem("answer", _("答案 {answer} 中有重复的字母").format(answer=value))
    elif kind == "single" and len(letters) != 1:
        problem("answer", _("单选题的答案只能是一个字母，现为 {answer}").format(answer=value))
    elif kind == "multiple" and len(letters) < 2:
        problem("answer", _("多选题的答案至少要有 2 个字母，现为 {answer}").format(answer=value))
    elif options is not None and not set(letters) <= {k for k, _t in options}:
        missing = "".join(sorted(set(letters) - {k for k, _t in options}))
        problem("answer", _("答案字母 {letters} 不在选项 {options} 之中").format(
            letters=missing, options="".join(k for k, _t in options)))
    else:
        return "".join(sorted(letters))
    return None


def _check_points(raw: dict[str, Any], kind: str | None, problem) -> float | None:  # noqa: ANN001
    if "points" not in raw:
        return DEFAULT_POINTS.get(kind) if kind else None
    value = raw["points"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        problem("points", _("分值必须是正数，现为 {value}").format(value=_show(value)))
        return None
    return float(value)


def _texts(raw: dict[str, Any], name: str, example: str, problem) -> tuple[str, ...]:  # noqa: ANN001
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        problem(name, _("{field} 应为文本列表，如 {example}").format(field=name, example=example))
        return ()
    return tuple(value)


def _check_citations(raw: dict[str, Any], problem) -> tuple[tuple[str, ...], tuple[str, ...]]:  # noqa: ANN001
    """`functions` (four-digit codes), `sources` (ids of the sources index), and an older bank's `cites`."""
    from teller.training.sources import bad_sources

    functions = _texts(raw, "functions", '["3203"]', problem)
    bad = [c for c in functions if not _CODE_RE.match(c)]
    if bad:
        problem("functions", _('功能码 {codes} 格式不对：应为四位数字，如 "3203"').format(codes="、".join(bad)))
    cites = _texts(raw, "cites", '["3203"]', problem)
    bad = [c for c in cites if not _CITE_RE.match(c)]
    if bad:
        problem("cites", _('引用 {cites} 格式不对：应为四位功能码，如 "3203"').format(cites="、".join(bad)))
    functions += tuple(c for c in cites if _CODE_RE.match(c) and c not in functions)
    sources = _texts(raw, "sources", '["guide 1.1", "exam S05"]', problem)
    unknown = bad_sources(sources)
    if unknown:
        problem("sources", _("出处 {ids} 不在资料索引中（data/sources.toml 列出可引用的章节、条款、问答和试题）").format(
            ids="、".join(unknown)))
    return functions, sources


def _check_english(raw: dict[str, Any], options: tuple[tuple[str, str], ...], problem) -> dict:  # noqa: ANN001
    """question_en, options_en and explanation_en: non-empty text, the same option letters."""
    english: dict = {}
    for name in ("question_en", "explanation_en"):
        if name in raw:
            if not isinstance(raw[name], str) or not raw[name].strip():
                problem(name, _("字段 {field} 应为非空文本").format(field=name))
            else:
                english[name[: -len("_en")]] = raw[name]
    if "options_en" in raw:
        value = raw["options_en"]
        letters = sorted(k for k, _t in options)
        if not isinstance(value, dict) or sorted(value) != letters or not all(isinstance(v, str) and v.strip() for v in value.values()):
            problem("options_en", _("options_en 应与 options 有相同的字母（{letters}），每项为非空文本").format(
                letters="".join(letters)))
        else:
            english["options"] = dict(value)
    return english


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


# --------------------------------------------------------------------------- scoring


def _letters(given: str) -> set[str]:
    return set(_SEPARATORS.sub("", unicodedata.normalize("NFKC", given)).upper())


def score(question: Question, given: str | bool | None) -> float:
    """Points earned by answer `given` under the exam's rules.

    single: full points if the one letter is right; multiple: full points only for exactly the right
    set of letters, nothing otherwise (all or nothing); truefalse: full points if the bool matches.
    Letters are case-, order- and width-insensitive; spaces and commas between them are ignored.
    `None` (no answer) scores 0.
    """
    if given is None:
        return 0.0
    if question.kind == "truefalse":
        if not isinstance(given, bool):
            raise TypeError(f"a true/false answer must be a bool, not {type(given).__name__}")
        return question.points if given is question.answer else 0.0
    if not isinstance(given, str):
        raise TypeError(f"a {question.kind} answer must be a string of letters, not {type(given).__name__}")
    return question.points if _letters(given) == set(question.answer) else 0.0
