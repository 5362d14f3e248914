"""`python -m bench`: the whole suite, each figure beside its floor (measured in the same run) and its
target, printed as a table and as JSON.

    python -m bench                      # everything, the firm-sized store with 1,000,000 clients
    python -m bench --quick              # smaller sizes and fewer runs (a minute or two)
    python -m bench --only startup,keys  # some sections: startup keys procedures keylatency transfer bigstore dayend
    python -m bench --clients 200000     # another size for the big store
    python -m bench --keep               # keep the generated big store (its path is printed)
    python -m bench --json out.json      # also write the JSON to a file
    python -m bench --markdown out.md    # and the table as the README shows it

PostgreSQL: a throwaway local cluster is started from the machine's server binaries (as .ci/run
does), or TELLER_BENCH_PG=postgresql://… names a server to use; without either the PostgreSQL
figures are skipped, visibly. The transfer section also runs 200 counter connections through
Debian's `pgbouncer` (transaction pooling, 20 server connections) in front of that server when the
binary is there (apt-get install pgbouncer), and says so when it is not. The big store and every
other file go to a temporary folder (--folder to choose one: it needs about 6 GiB for 1,000,000
clients).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

SECTIONS = ("startup", "keys", "procedures", "keylatency", "transfer", "bigstore", "dayend")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated: " + " ".join(SECTIONS))
    ap.add_argument("--clients", type=int, default=None, help="clients in the big store (1000000; 20000 with --quick)")
    ap.add_argument("--keep", action="store_true", help="keep the generated big store")
    ap.add_argument("--folder", default=None, help="where the stores go (default: a temporary folder)")
    ap.add_argument("--json", default=None, help="also write the JSON report to this file")
    ap.add_argument("--markdown", default=None, help="also write the table as Markdown (the README's) to this file")
    args = ap.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    clients = args.clients or (20_000 if args.quick else 1_000_000)

    from bench import report as R
    from bench.pg import cluster, version

    rep = R.Report()
    started = time.perf_counter()
    machine = R.machine()
    folder = args.folder or tempfile.mkdtemp(prefix="teller-bench-")
    os.makedirs(folder, exist_ok=True)
    print(f"teller benchmarks: {', '.join(only)}; files in {folder}", flush=True)
    pg_version = None
    try:
        if "startup" in only:
            from bench import startup

            startup.run(rep, quick=args.quick, folder=folder)
        if "keys" in only:
            from bench import keys

            keys.run(rep, quick=args.quick, folder=folder)
        if "procedures" in only:
            from bench import procedures

            procedures.run(rep, quick=args.quick, folder=folder)
        if "keylatency" in only:
            from bench import keylatency

            with cluster(os.environ.get("TELLER_BENCH_PG") or os.environ.get("TELLER_TEST_DB")) as pg_url:
                if pg_url and not pg_version:
                    pg_version = version(pg_url)
                keylatency.run(rep, quick=args.quick, folder=folder, pg_url=pg_url)
        if "transfer" in only:
            from bench import transfer

            with cluster(os.environ.get("TELLER_BENCH_PG")) as pg_url:
                if pg_url:
                    pg_version = version(pg_url)
                transfer.run(rep, quick=args.quick, pg_url=pg_url, folder=folder)
        if "dayend" in only:
            from bench import dayend

            with cluster(os.environ.get("TELLER_BENCH_PG")) as pg_url:
                if pg_url and not pg_version:
                    pg_version = version(pg_url)
                dayend.run(rep, quick=args.quick, pg_url=pg_url, folder=folder)
        if "bigstore" in only:
            from bench import bigstore

            bigstore.run(rep, clients=clients, folder=folder, keep=args.keep, quick=args.quick)
    finally:
        if not args.folder and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    seconds = time.perf_counter() - started
    machine["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if pg_version:
        machine["postgresql"] = pg_version
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    data = rep.as_json(machine=machine, command=command.strip(), seconds=round(seconds, 1),
                       when=time.strftime("%Y-%m-%d %H:%M:%S %z"))
    print()
    print(rep.table())
    print(f"{len(rep.figures)} figures in {seconds:.0f} s; targets missed: "
          f"{sum(1 for f in rep.figures if f.met is False)}")
    print(json.dumps(data, ensure_ascii=False))
    if args.json:
        R.dump(args.json, data)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(rep.markdown(machine, data["command"], seconds, data["when"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
