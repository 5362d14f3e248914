"""Render the README's picture of a 业务回单 (docs/papers-receipt.png): a 3203 of the demo branch,
voucher size, its first page drawn by pdfium. A documentation tool, not part of the counter:

    pip install -e ".[docs]" && python tools/papers_picture.py [OUT.png]

Look at the picture before committing it (README "Papers")."""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium

from teller.demo import seed_demo
from teller.printing.output import Printer
from teller.services.base import Context
from teller.services.counter import Counter
from teller.store.db import make_engine
from teller.store.migrate import upgrade


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/demo.db")
        upgrade(engine)
        seed_demo(engine)
        counter = Counter(engine, printer=Printer(paper="voucher", spool=Path(tmp) / "spool"))
        o = counter.run("ledger_transfer", {"from": "88000200101", "to": "880002001", "amount": "800.00", "channel": "counter"},
                        Context(teller_id="T01", terminal="T-03", documents=None, now=datetime(2026, 11, 23, 10, 42, 7)))
        if not o.ok:
            raise SystemExit(o.message)
        pdf = pdfium.PdfDocument(o.data["printed"]["path"])
        pdf[0].render(scale=1.35).to_pil().save(out)
        engine.dispose()
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "papers-receipt.png")
