"""The catalogs keep up with the code, and the pure core stays free of the UI and the store.

STYLE.md: every user-facing string goes through gettext, Simplified Chinese first, English complete;
`import teller.domain` loads neither textual nor sqlalchemy (harlequin's import-hygiene test).
"""

from __future__ import annotations

import importlib.util
import string
import subprocess
import sys
from pathlib import Path

import pytest

from teller import i18n
from teller.domain.banks import BANKS
from teller.domain.identity import ID_TYPES, STATUSES
from teller.domain.roles import ROLE_TITLES, ROLES, role_title
from teller.i18n import _

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    # tools/ is not a package: load tools/i18n.py by path, as `python tools/i18n.py` would run it.
    spec = importlib.util.spec_from_file_location("teller_i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def extracted() -> dict:
    return tool.extract()


def test_every_extracted_message_has_english(extracted):
    assert len(extracted) > 100  # the extractor really looked at teller/, screens/, forms/
    assert tool.missing() == [], "run `python tools/i18n.py update` and translate these"


def test_english_keeps_exactly_the_placeholders_of_its_msgid():
    wrong = {
        m.id: (sorted(placeholders(m.id)), sorted(placeholders(m.string)))
        for m in tool.load("en")
        if m.id and m.string and placeholders(m.id) != placeholders(m.string)
    }
    assert wrong == {}


def test_set_language_switches_every_lookup():
    i18n.set_language("en")
    assert _("金额") == "Amount"
    assert _("资金账户 {no} 已销户").format(no="880001001") == "Fund account 880001001 is closed"
    i18n.set_language("zh_CN")
    assert _("金额") == "金额"
    assert _("资金账户 {no} 已销户").format(no="880001001") == "资金账户 880001001 已销户"


def test_zh_cn_is_an_identity_catalog_for_every_msgid(extracted):
    zh = {m.id: m.string for m in tool.load("zh_CN") if m.id}
    assert set(extracted) <= set(zh)
    assert {mid: text for mid, text in zh.items() if text != mid} == {}


def test_stored_values_shown_through_underscore_have_english():
    """Banks, ID types, account statuses and roles are stored in their own form and translated only
    when shown, so each value must be a msgid with an English text of its own."""
    i18n.set_language("en")
    values = [b.name for b in BANKS] + list(ID_TYPES) + list(STATUSES) + list(ROLE_TITLES.values())
    untranslated = [v for v in values if _(v) == v]
    assert untranslated == []
    assert _("工商银行") == "ICBC"
    assert set(ROLE_TITLES) == set(ROLES)
    assert role_title("supervisor") == "Supervisor"
    i18n.set_language("zh_CN")
    assert role_title("supervisor") == "主管"


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "statement",
    ["import teller.domain.rules, teller.domain.money, teller.domain.papers", "import teller.cli"],
)
def test_import_hygiene(statement):
    loaded = _modules_loaded_by(statement)
    assert "teller" in loaded  # the import really ran
    assert loaded & {"textual", "sqlalchemy", "sqlmodel"} == set()
