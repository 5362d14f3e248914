"""Shared fixtures: a counter on a fresh in-memory store seeded from scenario text."""

from __future__ import annotations

import textwrap

import pytest

from teller import i18n


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Every test starts in the counter's first language; a test that needs English sets it."""
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("zh_CN")


BASE = """
date = "2026-11-23"
auto_documents = true

[[customers]]
code = "880001"
name = "张三"
kind = "individual"
id_type = "居民身份证"
id_no = "11010519491231002X"
status = "合格"
"""


def build(toml_text: str, db: str = "sqlite://"):
    """A Counter over a fresh store holding the scenario's starting state (its steps are ignored)."""
    from teller.runner import open_store_for
    from teller.scenario import parse_scenario

    scenario = parse_scenario(textwrap.dedent(toml_text))
    return open_store_for(scenario, None if db == "sqlite://" else db), scenario


@pytest.fixture
def counter_from():
    return lambda text: build(text)[0]
