"""The key legend on the bottom line (issue 10 "Readable"): every screen's fits 80 columns in both
languages, in a terminal and in a browser (a label too long is shortened in its catalog, never cut
off by the line's ellipsis, which hid `F9 Clear client` in English), and each says what its keys do
on that screen (the F4 list's F8 takes the highlighted value, it submits nothing)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.screen import Screen

from screenkit import app_for, demo_template, engine, fill, open_code, press, screen_text  # noqa: F401  (fixtures)
from teller import i18n
from teller.screens import fmt
from teller.screens.keymap import key_label
from teller.screens.legend import ROOM_AT_80, KeyLegend, legend_text, shown


def screen_classes() -> list[type[Screen]]:
    import teller.screens

    found = {}
    for info in pkgutil.iter_modules(teller.screens.__path__):
        module = importlib.import_module(f"teller.screens.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__.startswith("teller.screens."):
                found[cls.__qualname__] = cls
    return [found[k] for k in sorted(found)]


def test_the_screens_are_found():
    names = {c.__name__ for c in screen_classes()}
    assert {"CounterScreen", "SignOnScreen", "LookupDialog", "ConfirmDialog", "AuthoriseDialog", "QuizScreen"} <= names, names


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("web", [False, True], ids=["terminal", "browser"])
@pytest.mark.parametrize("cls", screen_classes(), ids=lambda c: c.__name__)
def test_every_screens_legend_fits_80_columns(cls, lang, web):
    bindings = [b for group in cls._merged_bindings.key_to_bindings.values() for b in group]
    i18n.set_language(lang)
    try:
        text = legend_text(bindings, lambda b: b.key_display or key_label(b.key), web).plain
    finally:
        i18n.set_language("zh_CN")
    assert fmt.cell_len(text) <= ROOM_AT_80, (fmt.cell_len(text), text)
    assert text.count("  ") == max(0, len(shown(bindings, web)) - 1)  # every key shown, none merged away


def legend(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one(KeyLegend).render())


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_the_counters_legend_is_whole_at_80x24(engine, lang):
    i18n.set_language(lang)
    try:
        app = app_for(engine)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_code(pilot, "3206")
            await fill(pilot, "880002")  # a current client: the legend has its clear key too
            await open_code(pilot, "3203")
            last = screen_text(app).rstrip("\n").splitlines()[-1]
            assert "…" not in last and "F9" in last and "F12" in last, last
            assert fmt.cell_len(legend(app)) <= ROOM_AT_80
    finally:
        i18n.set_language("zh_CN")


@pytest.mark.asyncio
async def test_the_f4_lists_legend_says_f8_takes_the_value(engine):
    from teller.screens.dialogs import LookupDialog

    async with app_for(engine).run_test(size=(80, 24)) as pilot:
        await open_code(pilot, "3203")
        await press(pilot, "f4")
        assert isinstance(pilot.app.screen, LookupDialog)
        shown_keys = legend(pilot.app)
        assert "F8 选定" in shown_keys and "F12 返回" in shown_keys, shown_keys
        assert "提交" not in shown_keys, shown_keys
        assert "回车或 F8 选定" in screen_text(pilot.app)
