"""The benchmarks (bench/, `python -m bench`) are not run by the tests, but they must not rot: every
module imports, and each kind of measurement runs at a tiny size and yields sane figures."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.mark.parametrize("module", ["bench", "bench.__main__", "bench.report", "bench.pg", "bench.probe", "bench.startup",
                                    "bench.keys", "bench.transfer", "bench.bigstore", "bench.dayend"])
def test_bench_modules_import(module):
    mod = importlib.import_module(module)
    assert mod.__doc__ and mod.__doc__.strip(), f"{module} says what it measures"


def test_every_section_python_m_bench_names_is_a_module_that_runs():
    from bench.__main__ import SECTIONS

    for name in SECTIONS:
        section = importlib.import_module(f"bench.{name}")
        assert callable(getattr(section, "run", None)), name


def test_a_tiny_big_store_gives_every_figure(tmp_path):
    from bench import bigstore
    from bench.report import Report

    report = Report()
    bigstore.run(report, clients=200, folder=str(tmp_path), keep=False, quick=True)
    names = [f.name for f in report.figures]
    assert any(n.startswith("day-end") for n in names) and any("by ID number" in n for n in names)
    assert all(f.value > 0 for f in report.figures)
    assert not list(tmp_path.glob("firm-*.db*"))  # deleted without --keep
    day_end = next(f for f in report.figures if f.name.startswith("day-end"))
    assert day_end.met and day_end.extra["steps"]


def test_transfers_through_the_service_layer_and_the_floors_run(tmp_path):
    from bench import transfer

    url = transfer.service_store(f"sqlite:///{tmp_path / 't.db'}", 40)
    pairs = transfer._pairs(url, True, 40)
    floor = transfer.floor_store(f"sqlite:///{tmp_path / 'raw.db'}", 10, naive=False)
    one, total = transfer.rate("service", url, pairs, 1, 0.3)
    assert one > 0 and total == one
    assert transfer.rate("raw_sqlite", floor, transfer._pairs(floor, False, 10), 2, 0.3)[0] > 0


def test_keys_and_a_cold_start_are_measured(tmp_path):
    import asyncio

    from bench import keys, startup

    url = startup.demo_store(str(tmp_path))
    lat, cpu, opens, enters = asyncio.run(keys.counter(url, 1))
    assert len(lat) == len("88000200101") + len("12345.67") and all(x > 0 for x in lat) and cpu >= 0
    assert opens and enters
    assert 0 < startup.cold_start("bare") < 30


def test_the_suite_parses_its_options():
    from bench.__main__ import main

    with pytest.raises(SystemExit):
        main(["--only", "nonsense"])
