"""teller.fileformat: where a table and a key stand in a TOML text, and the problems of a file."""

from __future__ import annotations

import pytest

from teller.fileformat import FileProblems, Problems, TomlFile, unknown_key_message

TEXT = '''date = "2026-11-23"   # [[steps]] in a comment is not a header
note = """
[[steps]]
op = "written inside a string"
"""

[[steps]]
op = "query"
account = "880001001"

["steps"]
'''.replace('["steps"]', '[[ "steps" ]]\nop = "collect"')


def test_headers_inside_strings_and_comments_are_not_headers():
    f = TomlFile(TEXT)
    assert f.table_lines("steps") == [7, 11]
    assert [s["op"] for s in f.doc["steps"]] == ["query", "collect"]


def test_a_key_is_found_in_its_own_row_or_the_row_header_stands_for_it():
    f = TomlFile(TEXT)
    assert f.key_line("steps", 0, "account") == 9
    assert f.key_line("steps", 1, "account") == 11  # not written in that row: its header
    assert f.key_line(None, None, "date") == 1
    assert f.key_line(None, None, "missing") is None
    assert f.table_line("steps", 5) is None


def test_a_syntax_error_is_the_only_problem_and_names_its_line():
    with pytest.raises(FileProblems) as e:
        TomlFile('date = "2026-11-23"\n[[steps]\n', "bad.toml")
    [p] = e.value.problems
    assert p.line == 2 and p.message.startswith("TOML 语法错误")
    assert str(e.value).startswith("bad.toml 第 2 行")


def test_an_unknown_key_suggests_the_nearest_known_one():
    assert "cash" in unknown_key_message("cahs", ("cash", "frozen", "customer"))
    far = unknown_key_message("weather", ("cash", "frozen"))
    assert "cash" in far and "frozen" in far  # nothing near: every known field listed


def test_problems_are_located_and_described_with_file_line_row_and_field():
    pr = Problems(TomlFile(TEXT, "s.toml"))
    pr.unknown_keys({"op": "query", "acount": "x"}, ("op", "account"), table="steps", index=0)
    pr.add("wrong", table="steps", index=1, field="op")
    pr.add("no such table", field="date")
    assert [p.line for p in pr] == [7, 12, 1]
    first, second, third = pr.described()  # in the order of the file's lines
    assert first.startswith("s.toml 第 1 行，字段 date：")
    assert second.startswith("s.toml 第 7 行，[[steps]] #1 字段 acount：") and "account" in second


def test_rows_of_the_wrong_type_are_a_problem_not_a_crash():
    pr = Problems(TomlFile('steps = "query"\naccounts = [1, {no = "1"}]\n'))
    assert pr.rows("steps") == []
    assert pr.rows("accounts") == [{"no": "1"}]
    assert pr.rows("customers") == []
    assert [(p.field, p.line) for p in pr] == [("steps", 1), ("accounts", 2)]
