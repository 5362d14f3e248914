"""Write the next migration from the difference between the models and the newest migration.

    python tools/new_migration.py "what changes and why"

It builds a scratch SQLite store at the current head, compares it with teller/store/models.py and
writes teller/store/migrations/versions/NNNN_<slug>.py. Read what it wrote: a new NOT NULL column
needs a server_default (or an UPDATE filling it) so that stores with rows upgrade.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path


def main(message: str) -> None:
    from alembic import command

    from teller.store.db import make_engine
    from teller.store.migrate import _config, head, upgrade

    rev = f"{int(head()) + 1:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        upgrade(engine)
        with engine.connect() as conn:
            command.revision(_config(conn), message=message, autogenerate=True, rev_id=rev)
        engine.dispose()
    for f in (Path(__file__).resolve().parents[1] / "teller" / "store" / "migrations" / "versions").glob(f"{rev}_*.py"):
        text = re.sub(r"\n\s*# ### .*?###", "", f.read_text(encoding="utf-8"))
        f.write_text(re.sub(r"\nCreate Date: .*", "", text), encoding="utf-8")
        print(f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
