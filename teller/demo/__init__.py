"""The demo branch (data/demo/branch.toml): a dozen clients in the states a teller meets, and the
demo tellers the README lists. `teller --demo` puts it into a fresh store before the sign-on."""

from __future__ import annotations

from importlib import resources

from teller.i18n import _


class DemoError(RuntimeError):
    pass


def demo_text() -> str:
    return (resources.files("teller.data") / "demo" / "branch.toml").read_text(encoding="utf-8")


def seed_demo(engine) -> list:  # noqa: ANN001 - an Engine; the store is imported lazily
    """Seed the demo state into an empty store, then run its steps through the counter.
    Returns the steps' outcomes; refuses a store that already holds a branch."""
    from teller.scenario import matches, parse_scenario, run_steps
    from teller.services.counter import Counter
    from dataclasses import replace

    from teller.services.setup import SANDBOX_SETTING, is_initialised, seed

    scenario = parse_scenario(demo_text(), "data/demo/branch.toml")
    if is_initialised(engine):
        raise DemoError(_("演示数据只能装入空库；该库已有营业部数据"))
    # The demo is a training store (teller.services.setup.is_sandbox): its trainee TN01 signs on here,
    # and nothing done in it is a branch's business.
    seed(engine, replace(scenario.state, settings={**scenario.state.settings, SANDBOX_SETTING: "1"}))
    counter = Counter(engine)
    outcomes = []
    for step, outcome in run_steps(counter, scenario):
        if not matches(step.expect, outcome):
            raise DemoError(_("演示数据第 {n} 步失败：{m}").format(n=step.number, m=outcome.message))
        outcomes.append(outcome)
    return outcomes


def fresh_store_url(name: str = "demo.db") -> str:
    """An SQLite file in the user data folder, removed first: the demo stores are remade each time."""
    from pathlib import Path

    from platformdirs import user_data_dir

    from teller.files import private_dir

    folder = private_dir(user_data_dir("teller", appauthor=False))
    db = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return f"sqlite:///{db}"
