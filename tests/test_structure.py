"""The shape of the code, checked: what each layer may import, and no import cycle in the services."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _service_imports() -> dict[str, set[str]]:
    """Each teller.services module and the teller.services modules it imports, at module level or
    inside a function alike (a lazy import only hides a cycle)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "teller" / "services").glob("*.py")):
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "teller.services":
                deps |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("teller.services."):
                deps.add(node.module.split(".")[2])
            elif isinstance(node, ast.Import):
                deps |= {a.name.split(".")[2] for a in node.names if a.name.startswith("teller.services.")}
        graph[path.stem] = deps - {path.stem}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                return path[path.index(d):] + [d]
            if d in graph and d not in state:
                found = visit(d)
                if found:
                    return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_services():
    graph = _service_imports()
    assert {"counter", "dayend", "admin", "compliance", "monitors", "banklink"} <= set(graph)
    assert _cycle(graph) is None


def test_one_catalog_of_code_op_and_title_behind_services_forms_and_menu():
    from teller.domain import catalog
    from teller.forms.catalog import FORMS
    from teller.forms.menu import MENU
    from teller.services.counter import BY_CODE

    assert set(BY_CODE) == {e.code for e in catalog.FUNCTIONS}  # every function has its service
    for code, fn in BY_CODE.items():
        assert (fn.op, fn.title) == (catalog.BY_CODE[code].op, catalog.BY_CODE[code].title)
    assert set(FORMS) <= {e.code for e in catalog.MENU}
    assert {e.code for e in catalog.MENU} - set(FORMS) == {"9103"}  # the training screen is a view of its own
    assert [code for _path, code in MENU] == [e.code for e in catalog.MENU]
    assert len(catalog.BY_OP) == len(catalog.BY_CODE) == len(catalog.FUNCTIONS)


def test_a_handler_reading_an_input_its_catalog_entry_does_not_declare_fails_the_suite():
    import pytest

    from teller.services.base import Params, UndeclaredParam
    from teller.services.counter import BY_CODE

    p = Params({"from": "1", "to": "2", "amount": "1.00", "memo": "x"}, BY_CODE["3203"])
    assert p.raw.get("from") == "1" and "amount" in p.raw
    with pytest.raises(UndeclaredParam):
        p.raw.get("memo")
    with pytest.raises(UndeclaredParam):
        p.text("account", "资金账号")


def _modules(package_dir: Path, package: str) -> list[str]:
    return sorted(f"{package}.{p.stem}" if p.stem != "__init__" else package for p in package_dir.glob("*.py"))


HEAVY = {"textual", "sqlalchemy", "sqlmodel", "rich"}


def _heavy_loaded_by(modules: list[str]) -> set[str]:
    import subprocess
    import sys

    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + \
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = set(done.stdout.split())
    assert "teller" in loaded  # the imports really ran
    return loaded & HEAVY


def test_every_domain_and_forms_module_imports_neither_textual_nor_the_store():
    """The rules are pure and the forms are data (STYLE.md): no Textual, no SQLAlchemy, no Rich."""
    modules = _modules(ROOT / "teller" / "domain", "teller.domain") + _modules(ROOT / "forms", "teller.forms")
    assert len(modules) > 20 and "teller.domain.catalog" in modules and "teller.forms.menu" in modules
    assert "sqlalchemy" in _heavy_loaded_by(["teller.store.models"])  # the check sees a heavy import
    if _heavy_loaded_by(modules):  # name the culprits
        assert {m: sorted(_heavy_loaded_by([m])) for m in modules if _heavy_loaded_by([m])} == {}
