"""What `teller` shows before the counter screens take over: the store it uses, and a shipped
demo scenario run on a scratch store, printed as a table."""

from __future__ import annotations

from datetime import date
from importlib import resources

from teller.i18n import _


def run_demo(db: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from teller.runner import open_store_for
    from teller.scenario import parse_scenario, run_steps
    from teller.services.setup import init_store
    from teller.store.db import default_db_url, make_engine

    console = Console()
    url = db or default_db_url()
    created = init_store(make_engine(url), date.today())
    console.print(_("柜台数据库：{url}{new}").format(url=url, new=_("（新建）") if created else ""))

    text = (resources.files("teller.data") / "scenarios" / "exam-t-plus-1.toml").read_text(encoding="utf-8")
    scenario = parse_scenario(text, "exam-t-plus-1.toml")
    counter = open_store_for(scenario, None)
    table = Table(title=_("示例场景：主辅账户划转与 T+1"), show_lines=False)
    for head in (_("步"), _("功能"), _("结果"), _("规则"), _("说明")):
        table.add_column(head)
    for step, o in run_steps(counter, scenario):
        table.add_row(str(step.number), o.op, _("成功") if o.ok else _("拒绝"), o.rule or "", o.message)
    console.print(table)
