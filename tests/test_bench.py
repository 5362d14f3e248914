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
                                    "bench.keys", "bench.procedures", "bench.keylatency", "bench.transfer", "bench.bigstore",
                                    "bench.dayend"])
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
    assert list(day_end.extra["seconds"]) == day_end.extra["steps"] and all(v >= 0 for v in day_end.extra["seconds"].values())


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


def _procedures():
    from bench import procedures

    return procedures.load()


@pytest.mark.parametrize("proc", _procedures(), ids=lambda p: p.id)
def test_each_exam_procedure_s_keys_reach_its_result(proc, tmp_path, monkeypatch):
    """bench/procedures.toml's sequences, typed into the counter, leave the store as the procedure
    should (checked by bench.procedures.CHECKS on the store, not on the screen); no timing asserted."""
    from bench import procedures

    monkeypatch.setenv("TELLER_SPOOL", str(tmp_path / "spool"))
    run = procedures.run_one(proc, str(tmp_path))
    assert run.error is None, f"{proc.id}: {run.error}; the counter said: {run.messages[-3:]}"
    assert run.keys == len(proc.keys) > 0 and proc.floor == proc.legacy * 6 // 10  # 60% of the count before, rounded down


def test_a_sequence_that_stops_short_does_not_reach_its_result(tmp_path, monkeypatch):
    """The checks can fail: 880002's transfer without its 3105 leaves 2000.00 on the main."""
    from dataclasses import replace

    from bench import procedures
    monkeypatch.setenv("TELLER_SPOOL", str(tmp_path / "spool"))
    proc = next(p for p in procedures.load() if p.id == "transfer-880002")
    # 3105 left out: the keys end with the 3203's confirmation (its paper ticked, F8, Enter), before
    # the Enter that opens the 3105 offered on the code line
    cut = next(i + 3 for i in range(len(proc.keys)) if proc.keys[i:i + 3] == ["space", "f8", "enter"])
    assert proc.keys[cut] == "enter" and "2" in proc.keys[cut:]
    short = replace(proc, keys=proc.keys[:cut])
    run = procedures.run_one(short, str(tmp_path))
    assert run.error and "2000.00" in run.error
    assert procedures.tokens("12<enter> 3<f8> # a comment <f2>\n<space>") == ["1", "2", "enter", "3", "f8", "space"]


def test_key_latency_is_measured_while_another_process_holds_the_client(tmp_path):
    """The holder really holds the client (a preview waits for it) and the keys typed meanwhile are
    measured; no timing asserted."""
    import asyncio

    from bench import keylatency

    url = keylatency._sqlite_store(str(tmp_path))
    held, free, waiting = asyncio.run(keylatency.measure(url, 1, seconds=4.0))
    assert held and free and waiting >= 1
    assert {k for k, _x, _t in free} == {"character", "Enter", "F12"}
    assert all(x > 0 for _k, x, _t in held + free)
    # only keys pressed while it was held (its rollback and the line saying so take a moment on a busy machine)
    assert held[-1][2] - held[0][2] < 4.0 + 1.0


def test_the_readme_counts_the_keys_procedures_toml_holds():
    """README's "Keys per procedure" table says what bench/procedures.toml types, in its order."""
    import re

    from bench import procedures

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Keys per procedure", 1)[1].split("\n### ", 1)[0]
    rows = [[int(m.group(1)) for c in line.split("|")[2:] if (m := re.fullmatch(r"\s*\**(\d+)\**\s*", c))]
            for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    counted = [r[0] for r in rows if len(r) == 3]
    procs = procedures.load()
    assert counted == [len(p.keys) for p in procs] + [sum(len(p.keys) for p in procs)]
    assert [r[2] for r in rows if len(r) == 3] == [p.floor for p in procs] + [procedures.TOTAL_FLOOR]
