"""Figures, each printed beside its floor (measured in the same run) and its target, as a table
and as JSON."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Target:
    """`kind`: at_most / at_least an absolute value, or ratio_at_most / ratio_at_least its floor."""

    kind: str
    limit: float
    text: str

    def met(self, value: float, floor: float | None) -> bool | None:
        if self.kind == "at_most":
            return value <= self.limit
        if self.kind == "at_least":
            return value >= self.limit
        if not floor:
            return None
        ratio = value / floor
        return ratio <= self.limit if self.kind == "ratio_at_most" else ratio >= self.limit


def at_most(limit: float, unit: str) -> Target:
    return Target("at_most", limit, f"≤ {limit:g} {unit}")


def at_least(limit: float, unit: str) -> Target:
    return Target("at_least", limit, f"≥ {limit:g} {unit}")


def ratio_at_most(limit: float) -> Target:
    return Target("ratio_at_most", limit, f"≤ {limit:g}× floor")


def ratio_at_least(limit: float) -> Target:
    return Target("ratio_at_least", limit, f"≥ {limit:g}× floor")


@dataclass
class Figure:
    section: str
    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_name: str = ""
    target: Target | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None

    @property
    def met(self) -> bool | None:
        return self.target.met(self.value, self.floor) if self.target else None

    def as_json(self) -> dict:
        out = asdict(self)
        out["target"] = self.target.text if self.target else None
        out["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        out["met"] = self.met
        return out


class Report:
    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(f"  {figure.name}: {_num(figure.value)} {figure.unit}"
              + (f"  (floor {_num(figure.floor)}, {figure.floor_name})" if figure.floor is not None else ""), flush=True)
        return figure

    def table(self) -> str:
        from rich.console import Console
        from rich.table import Table

        t = Table(title="teller benchmarks", title_justify="left")
        for head, justify in (("section", "left"), ("figure", "left"), ("value", "right"), ("floor", "right"),
                              ("ratio", "right"), ("target", "left"), ("met", "left")):
            t.add_column(head, justify=justify)
        for f in self.figures:
            t.add_row(f.section, f.name + (f" [dim]({f.note})[/dim]" if f.note else ""), f"{_num(f.value)} {f.unit}",
                      "" if f.floor is None else f"{_num(f.floor)} ({f.floor_name})",
                      "" if f.ratio is None else f"{f.ratio:.2f}×", f.target.text if f.target else "",
                      {True: "[green]yes[/green]", False: "[red]NO[/red]", None: ""}[f.met])
        console = Console(record=True, width=200, highlight=False)
        with console.capture() as cap:
            console.print(t)
        return cap.get()

    def markdown(self, machine: dict, command: str, seconds: float, when: str) -> str:
        """The table for the README: every figure beside its floor and target, and where it came from."""
        lines = [f"`{command}` on {when}, {seconds / 60:.1f} minutes: {machine.get('cpus')} × {machine.get('cpu')}, "
                 f"{machine.get('memory')}, {machine.get('os')}; Python {machine.get('python')}, SQLite "
                 f"{machine.get('sqlite')}, PostgreSQL {machine.get('postgresql', '-')}, Textual {machine.get('textual')}; "
                 f"load average {machine.get('load_average', ['?'])[0]} at the start, "
                 f"{machine.get('load_average_after', ['?'])[0]} at the end.", "",
                 "| | figure | measured | floor (same run) | ratio | target | met |", "|---|---|---:|---:|---:|---|---|"]
        for f in self.figures:
            name = f.name + (f" ({f.note})" if f.note else "")
            floor = "" if f.floor is None else f"{_num(f.floor)} {f.unit} ({f.floor_name})"
            ratio = "" if f.ratio is None else f"{f.ratio:.2f}×"
            met = {True: "yes", False: "**no**", None: ""}[f.met]
            lines.append(f"| {f.section} | {name} | {_num(f.value)} {f.unit} | {floor} | {ratio} | "
                         f"{f.target.text if f.target else ''} | {met} |")
        return "\n".join(lines) + "\n"

    def as_json(self, **meta: object) -> dict:
        return {**meta, "figures": [f.as_json() for f in self.figures]}


def _num(v: float | None) -> str:
    if v is None:
        return ""
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}" if abs(v) >= 0.1 else f"{v:.3f}"


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def machine() -> dict:
    """Where the figures came from."""
    import sqlite3

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        import textual

        textual_version = textual.__version__
    except Exception:  # noqa: BLE001
        textual_version = ""
    return {"cpus": os.cpu_count(), "cpu": model, "memory": mem, "os": platform.platform(),
            "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version, "textual": textual_version,
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def dump(path: str, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
