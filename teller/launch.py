"""The `teller` command's entry point. Starting the counter — the command without a subcommand, what
a teller runs every morning — takes a short path: it reads the counter's few options itself and
neither imports nor builds the full command line (typer building every subcommand cost a quarter
of a second before the sign-on screen could be drawn). Anything else (a subcommand, --help, an
option or value it does not know) goes to teller.cli, which also explains the mistakes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# option -> (parameter, environment variable, default); the same as teller.cli's start()
# (tests/test_speed_paths.py checks that both read every combination alike).
OPTIONS = {
    "--db": ("db", "TELLER_DB", None),
    "--lang": ("lang", "TELLER_LANG", None),
    "--theme": ("theme", "TELLER_THEME", "green"),
    "--terminal": ("terminal", "TELLER_TERMINAL", "T-01"),
    "--keymap": ("keymap", "TELLER_KEYMAP", None),
}
THEMES = ("green", "light")


def counter_args(argv: list[str]) -> dict | None:
    """The counter's options from argv and the environment, or None when teller.cli must decide."""
    args: dict = {name: os.environ.get(env) or default for name, env, default in OPTIONS.values()}
    args["demo"] = False
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--demo":
            args["demo"] = True
            i += 1
            continue
        option, eq, value = word.partition("=")
        if option not in OPTIONS:
            return None
        if not eq:
            if i + 1 >= len(argv) or argv[i + 1].startswith("--"):
                return None
            i += 1
            value = argv[i]
        args[OPTIONS[option][0]] = value
        i += 1
    if args["theme"] not in THEMES:
        return None
    args["keymap"] = Path(args["keymap"]) if args["keymap"] else None
    return args


def run_counter(*, db: str | None, demo: bool, theme: str, terminal: str, keymap: Path | None) -> int:
    """The sign-on screen, then the counter; the store opens behind it. A store older than the
    program is upgraded on purpose, never run on: the counter then closes at once, says so, and
    the command exits with 2."""
    from teller.screens.app import TellerApp

    counter = TellerApp(db_url=db, demo=demo, theme=theme, terminal=terminal, keymap_file=keymap)
    counter.run()
    if counter.return_code and counter.store_error:
        print(counter.store_error, file=sys.stderr)
    return counter.return_code or 0


def main() -> None:
    args = counter_args(sys.argv[1:])
    if args is None:
        from teller.cli import main as full

        full()
        return
    from teller.i18n import set_language

    set_language(args.pop("lang"))
    code = run_counter(**args)
    if code:
        raise SystemExit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
