"""The scenario runner speaks exactly DOMAIN.md §6: one JSON object per step, exit codes as told."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from teller.runner import run_scenario_file

ROOT = Path(__file__).resolve().parents[1]
EXAM = ROOT / "data" / "scenarios" / "exam-t-plus-1.toml"


def run(path: Path, db: str | None = None) -> tuple[int, list[dict], str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    code = run_scenario_file(path, db, out=out, err=err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_each_step_prints_one_json_object_with_the_contract_keys():
    code, lines, err = run(EXAM)
    assert code == 0, err
    assert [l["step"] for l in lines] == list(range(1, 9))
    for line in lines:
        assert set(line) == {"step", "op", "ok", "rule", "message", "data"}
    assert lines[1]["data"] == {"cash": "2000.00", "available": "2000.00", "withdrawable": "1000.00",
                                "role": "main", "transfer_flag": 1}
    assert lines[2]["rule"] == "NOT_WITHDRAWABLE" and lines[2]["ok"] is False


def test_expect_mismatch_stops_with_exit_1(tmp_path):
    text = EXAM.read_text(encoding="utf-8").replace('expect = "NOT_WITHDRAWABLE"', 'expect = "ok"')
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    code, lines, err = run(f)
    assert code == 1
    assert len(lines) == 3  # stops at the first mismatch, after printing it
    assert "第 3 步" in err


def test_without_expect_exits_0_whatever_the_results(tmp_path):
    text = "\n".join(l for l in EXAM.read_text(encoding="utf-8").splitlines() if not l.startswith("expect"))
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    code, lines, _ = run(f)
    assert code == 0 and any(not l["ok"] for l in lines)


def test_malformed_file_names_line_and_field_and_runs_nothing(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(
        'date = "2026-11-23"\n\n[[customers]]\ncode = "880001"\nname = "甲"\nid_no = "110105194912310021"\n\n'
        '[[accounts]]\nno = "1"\ncustomer = "880001"\nbank = "工商银行"\ncash = 12.5\n\n'
        '[[steps]]\nop = "fly"\n',
        encoding="utf-8",
    )
    code, lines, err = run(f)
    assert code == 2 and lines == []
    assert "第 6 行" in err and "id_no" in err  # bad ID checksum
    assert "第 12 行" in err and "cash" in err  # float money
    assert "第 15 行" in err and "op" in err  # unknown function


def test_toml_syntax_error_reports_its_line(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text('date = "2026-11-23"\n[[steps]\nop = "query"\n', encoding="utf-8")
    code, _, err = run(f)
    assert code == 2 and "line 2" in err


@pytest.mark.slow  # starts the installed `teller` command in a process
def test_cli_entry_point_runs_the_shipped_example():
    proc = subprocess.run([sys.executable, "-m", "teller.cli", "scenario", "run", str(EXAM)],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 8


# 张三 with a main at ICBC and an aux at CCB, every paper on the counter: the start of the
# multibank steps' files below.
MAIN_AND_AUX = """date = "2026-11-23"
auto_documents = true
[[customers]]
code = "880001"
name = "张三"
id_no = "11010519491231002X"
[[accounts]]
no = "880001001"
customer = "880001"
bank = "工商银行"
role = "main"
[[accounts]]
no = "88000100101"
customer = "880001"
bank = "建设银行"
role = "aux"
"""


def test_review_all_prints_one_line_per_request(tmp_path):
    f = tmp_path / "r.toml"
    f.write_text(
        MAIN_AND_AUX + """
[[steps]]
op = "maintain_multibank"
account = "880001001"
action = "set_flag"
flag = 0
instruction = "运营[2026]17号"
[[steps]]
op = "maintain_multibank"
account = "88000100101"
action = "set_flag"
flag = 0
instruction = "运营[2026]17号"
[[steps]]
op = "review"
approve = "all"
[[steps]]
op = "query"
account = "880001001"
""", encoding="utf-8")
    code, lines, err = run(f)
    assert code == 0, err
    assert [l["step"] for l in lines] == [1, 2, 3, 3, 4]
    assert lines[0]["data"]["status"] == "pending_review"
    assert all(l["ok"] for l in lines)
    assert lines[4]["data"]["transfer_flag"] == 0


def test_scenario_refuses_a_store_that_is_not_empty(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert run(EXAM, url)[0] == 0
    code, lines, err = run(EXAM, url)
    assert code == 2 and "不是空库" in err


def test_readme_example_runs(tmp_path):
    """The README's scenario example is real: extract it and run it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```toml\n", text.index("## Scenario files")) + len("```toml\n")
    example = text[start:text.index("```", start)]
    f = tmp_path / "readme.toml"
    f.write_text(example, encoding="utf-8")
    code, lines, err = run(f)
    assert code == 0, err
    assert lines and all("rule" in l for l in lines)


def test_one_parsed_scenario_seeds_two_stores():
    from teller.runner import open_store_for
    from teller.scenario import parse_scenario

    scenario = parse_scenario(EXAM.read_text(encoding="utf-8"))
    first, second = open_store_for(scenario, None), open_store_for(scenario, None)
    assert first.run("query", {"account": "880001001"}).data == second.run("query", {"account": "880001001"}).data


def test_set_flag_all_in_a_scenario_file_is_one_request_and_one_review(tmp_path):
    """DOMAIN §6: maintain_multibank {customer, action = "set_flag_all", flag, instruction}; exam S11 B."""
    f = tmp_path / "all.toml"
    f.write_text(
        MAIN_AND_AUX + """
[[tellers]]
id = "S01"
role = "supervisor"
[[steps]]
op = "maintain_multibank"
customer = "880001"
action = "set_flag_all"
flag = 0
instruction = "运营[2026]17号"
[[steps]]
op = "review"
teller = "S01"
approve = "all"
[[steps]]
op = "query"
account = "880001001"
[[steps]]
op = "query"
account = "88000100101"
""", encoding="utf-8")
    code, lines, err = run(f)
    assert code == 0, err
    assert [l["step"] for l in lines] == [1, 2, 3, 4]  # one request, one approval
    assert lines[0]["data"]["status"] == "pending_review"
    assert all(l["ok"] for l in lines), lines
    assert lines[2]["data"]["transfer_flag"] == 0 and lines[3]["data"]["transfer_flag"] == 0
