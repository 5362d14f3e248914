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


def quiet_terminal() -> object:
    """Keys typed before the counter has the terminal (Python and Textual take most of a second to
    start) are echoed by the terminal itself, in plain text: a password typed ahead would show, and
    stay on the screen behind the counter after it closes. So the first thing the command does is
    stop the echo, and the line editing that would turn Enter into a line feed (ICRNL) or take
    Ctrl+S, Ctrl+Z as terminal controls; the keys wait unread for the counter (screens/typeahead.py).
    Returns what to restore when the counter closes (None when stdin is not a terminal)."""
    try:
        import termios

        fd = sys.stdin.fileno()
        if not os.isatty(fd):
            return None
        saved = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError):
        return None
    quiet = list(saved)
    quiet[0] &= ~(termios.ICRNL | termios.IXON)
    quiet[3] &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN)
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    return saved


def restore_terminal(saved: object) -> None:
    if saved is None:
        return
    import termios

    try:
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, saved)
    except (OSError, ValueError):
        pass


def main() -> None:
    args = counter_args(sys.argv[1:])
    if args is None:
        from teller.cli import main as full

        full()
        return
    saved = quiet_terminal()
    try:
        from teller.i18n import set_language

        set_language(args.pop("lang"))
        code = run_counter(**args)
    finally:
        restore_terminal(saved)
    if code:
        raise SystemExit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
