"""Where a training fact comes from: the user's documents, cited by heading.

Every explanation of the question bank and every drill hint and check names its sources as ids of
the committed index `data/sources.toml` ("guide 1.1", "rules 6", "faq 4", "usage 2", "exam S05").
This module reads that index, renders a citation for the trainee in their language
(《操作指南》一（一）账户体系 / Guideline 1(1) Account system), and parses the headings of the documents
themselves, so that a test can check the index against the user's file whenever it is beside the
checkout (`../shared/reference/seed-documents.txt`) — and the shipped data against the index always.

Pure Python: the CLI, the screens and the tests all use it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping

from teller.i18n import _, current_language

DOCUMENTS = ("exam", "guide", "rules", "faq", "usage")
KIND_NAMES = {"S": "single", "M": "multiple", "T": "truefalse"}
_EXAM_ZH = {"S": "单选", "M": "多选", "T": "判断"}
_EXAM_EN = {"S": "single choice", "M": "multiple choice", "T": "true/false"}
_ID_RE = re.compile(r"^(exam) ([SMT])(\d{2})$|^(guide) (\d)(?:\.(\d))?(?:\.(\d))?$|^(rules|faq) (\d{1,2})$|^(usage)(?: (\d))?$")
_NUMERALS = "一二三四五六七八九十"


def zh_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十 (the documents number chapters and articles so)."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[ones - 1] if ones else "")


def _from_zh(word: str) -> int:
    if word == "十":
        return 10
    if "十" in word:
        tens, _sep, ones = word.partition("十")
        return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(ones) + 1 if ones else 0)
    return _NUMERALS.index(word) + 1


@dataclass(frozen=True)
class Heading:
    id: str
    heading: str  # how it begins in the document
    en: str


@dataclass(frozen=True)
class SourceIndex:
    documents: Mapping[str, Mapping[str, object]]
    headings: Mapping[str, Heading]

    def knows(self, sid: str) -> bool:
        """Whether `sid` names a heading of the index (or an item of the exam)."""
        m = _ID_RE.match(sid)
        if not m:
            return False
        if m.group(1):
            items = self.documents["exam"]["items"]
            return 1 <= int(m.group(3)) <= int(items.get(m.group(2), 0))  # type: ignore[union-attr]
        return sid in self.headings

    def label(self, sid: str, lang: str | None = None) -> str:
        """The citation as the trainee reads it, in `lang` (default: the current language)."""
        en = (lang or current_language()) == "en"
        m = _ID_RE.match(sid)
        if not m or not self.knows(sid):
            return sid
        doc = self.documents
        if m.group(1):
            kind, n = m.group(2), int(m.group(3))
            if en:
                return f"{doc['exam']['en']}, {_EXAM_EN[kind]} {n}"
            return f"{doc['exam']['zh']}{_EXAM_ZH[kind]}第{n}题"
        h = self.headings[sid]
        if m.group(4):
            chapter, section, point = m.group(5), m.group(6), m.group(7)
            if en:
                number = chapter + (f"({section})" if section else "") + (point or "")
                return f"{doc['guide']['en']} {number} {h.en}".strip()
            number = zh_number(int(chapter)) + (f"（{zh_number(int(section))}）" if section else "、") + (point or "")
            title = h.heading if len(h.heading) <= 10 and not point else ""
            return f"{doc['guide']['zh']}{number}{title}"
        if m.group(8) == "rules":
            n = int(m.group(9))
            return f"{doc['rules']['en']}, art. {n}" if en else f"{doc['rules']['zh']}第{zh_number(n)}条"
        if m.group(8) == "faq":
            n = int(m.group(9))
            return f"{doc['faq']['en']} Q{n}" if en else f"{doc['faq']['zh']}第{n}问"
        part = m.group(11)
        if en:
            return f"{doc['usage']['en']}" + (f", part {part} ({h.en})" if part else "")
        return f"{doc['usage']['zh']}" + (f"之{part}“{h.heading}”" if part else "")

    def cite(self, sources: Iterable[str], functions: Iterable[str] = (), lang: str | None = None, *,
             sep: bool = False) -> str:
        """The sources and the function codes, as said after an explanation: （依据：…；功能 3203）.
        `sep`: it follows a sentence (English then puts a space before the bracket)."""
        parts = [self.label(s, lang) for s in sources]
        codes = list(functions)
        if (lang or current_language()) == "en":
            said = "; ".join(parts)
            if codes:
                said += ("; " if said else "") + "function " + ", ".join(codes)
            return (" " if sep else "") + f"(Source: {said})" if said else ""
        said = "；".join(parts)
        if codes:
            said += ("；" if said else "") + "功能 " + "、".join(codes)
        return f"（依据：{said}）" if said else ""


def parse_index(text: str) -> SourceIndex:
    doc = tomllib.loads(text)
    headings = {h["id"]: Heading(h["id"], h["heading"], h.get("en", "")) for h in doc.get("headings", [])}
    return SourceIndex(doc["documents"], headings)


@lru_cache(maxsize=1)
def index() -> SourceIndex:
    """The index shipped in data/sources.toml."""
    return parse_index((resources.files("teller.data") / "sources.toml").read_text(encoding="utf-8"))


def bad_sources(sources: Iterable[str]) -> list[str]:
    """The ids among `sources` that the index does not know."""
    idx = index()
    return [s for s in sources if not idx.knows(s)]


# --------------------------------------------------------------------------- the documents themselves


def _block(text: str, start: str, stop: re.Pattern[str] | None = None) -> str:
    """The text of one document of the file: from the line beginning its body to the next title
    line (a short line standing alone), or to `stop`."""
    at = text.find(start)
    if at < 0:
        return ""
    rest = text[at:]
    if stop is not None:
        m = stop.search(rest, len(start))
        return rest[: m.start()] if m else rest
    m = re.search(r"\n\n(?=[^\n]{1,40}\n)", rest)
    return rest[: m.start()] if m else rest


def parse_headings(text: str) -> dict[str, str]:
    """Every heading of the five documents in the user's file, id -> the text that follows it.

    The exam's items (`1、` … under 壹、单选题 / 二、多项选择题 / 三、判断对错题), the guideline's chapters
    (一、关于…), sections ((一)…) and points (1、… under a section), the rules' articles (第六条…),
    the FAQ's questions (2.问:…) and the usage note with its numbered parts (1银行转券商)."""
    found: dict[str, str] = {}
    exam = _block(text, "壹、单选题", re.compile(r"\n售后服务"))
    parts = re.split(r"^(壹、单选题|二、多项选择题|三、判断对错题)", exam, flags=re.M)
    for marker, body in zip(parts[1::2], parts[2::2]):
        kind = {"壹": "S", "二": "M", "三": "T"}[marker[0]]
        for m in re.finditer(r"^(\d{1,2})[、.]\s*(\S.*)$", body, flags=re.M):
            found[f"exam {kind}{int(m.group(1)):02d}"] = m.group(2).strip()

    guide = _block(text, "操作指南 一、关于")
    guide = guide[guide.find("一、关于"):]
    for chapter in re.finditer(r"([一二三四五六七八九十])、(关于[^ (（]+)(.*?)(?=[一二三四五六七八九十]、关于|$)", guide, flags=re.S):
        c = _from_zh(chapter.group(1))
        found[f"guide {c}"] = chapter.group(2).strip()
        for section in re.finditer(r"[(（]([一二三四五六七八九十])[)）](.*?)(?=[(（][一二三四五六七八九十][)）]|$)", chapter.group(3), flags=re.S):
            s = _from_zh(section.group(1))
            body = section.group(2)
            found[f"guide {c}.{s}"] = re.split(r"[。:：]", body, maxsplit=1)[0].strip()
            for point in re.finditer(r"(\d)、(.*?)(?=\d、|$)", body, flags=re.S):
                found[f"guide {c}.{s}.{point.group(1)}"] = point.group(2).strip()

    rules = _block(text, "第一章总则")
    for m in re.finditer(r"第([一二三四五六七八九十]+)条(.*?)(?=第[一二三四五六七八九十]+[条章]|$)", rules, flags=re.S):
        found[f"rules {_from_zh(m.group(1))}"] = re.sub(r"\s+", "", m.group(2))

    faq = _block(text, "单客户多银行服务常见问题问答 1.问")
    for m in re.finditer(r"(\d+)\.问[:：](.*?)[?？]", faq):
        found[f"faq {int(m.group(1))}"] = m.group(2).strip()

    usage = _block(text, "单客户多银行业务使用流程每个客户")
    if usage:
        found["usage"] = "单客户多银行业务使用流程"
        for m in re.finditer(r"(\d)(银行转券商|券商转银行)[:：]", usage):
            found[f"usage {m.group(1)}"] = m.group(2)
    return found


def check_index(idx: SourceIndex, document: str) -> list[str]:
    """What in the index the document does not bear out: a heading it lacks or words it does not
    begin with, an exam item it does not have. Empty when the index is true to the document."""
    parsed = parse_headings(document)
    problems = [_("索引中的 {id} 在文件中找不到").format(id=h.id) for h in idx.headings.values() if h.id not in parsed]
    problems += [_("{id} 在文件中以“{found}”开头，索引写作“{heading}”").format(id=h.id, found=parsed[h.id][:30], heading=h.heading)
                 for h in idx.headings.values() if h.id in parsed and not parsed[h.id].replace(" ", "").startswith(h.heading.replace(" ", ""))]
    items: Mapping[str, int] = idx.documents["exam"]["items"]  # type: ignore[assignment]
    for kind, count in items.items():
        have = sorted(int(k[6:]) for k in parsed if k.startswith(f"exam {kind}"))
        if have != list(range(1, int(count) + 1)):
            problems.append(_("试卷的{kind}题在文件中编号为 {have}，索引写作 1–{count}").format(
                kind=_EXAM_ZH[kind], have=have, count=count))
    return problems
