"""`teller serve`: the counter in a browser, for branches whose counters have a locked-down PC with a
browser and no terminal emulator, and for training rooms of laptops.

textual-serve (Textual's own tool) does the work: each browser connection (each tab) gets its own
counter process, `teller` itself, driven through a websocket; the page is xterm.js. This module
decides what a branch needs around it:

- One process per tab, and none left behind: a closed tab asks its counter to quit and kills it after
  STOP_GRACE seconds if it has not; stopping the server stops every counter the same way; a server
  killed outright leaves none either, because a counter's input ends with its server
  (teller.webdriver).
- The store's URL reaches the counters through their environment (TELLER_DB), never their command
  line, where `ps` would show a PostgreSQL password to every user of the machine.
- Each connection is its own terminal in the journal: `W-` and the browser's address (what the
  reverse proxy on this machine says it is, when there is one: X-Forwarded-For is trusted from
  loopback only).
- A websocket opened by a page of another site is refused (its Origin names another host): any web
  page a teller visits could otherwise open counters on the branch's server from the teller's browser.
- The page names no outside host: its font comes from this server, and its websocket address from
  the page's own (so a reverse proxy at https://counter.branch/ or at a sub-path needs no setting).
- `--demo` gives each connection its own fresh demo store, an SQLite file in a folder of the
  server's, removed when the tab closes: a class of trainees each sit drills at once.

Plain HTTP on the loopback address is the default. README, "The counter in a browser", says how a
branch puts TLS in front and why the port must not be reachable beyond the branch network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import shlex
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from teller.i18n import _, current_language
from teller.webdriver import STOP_GRACE

DRIVER = "teller.webdriver:CounterWebDriver"
PAGE_FOLDER = Path(__file__).parent / "web"


def counter_command(*, lang: str, theme: str, keymap: Path | None, demo: bool) -> str:
    """The shell command textual-serve runs for each connection: this Python's `teller`, exec'd so
    that the process the server started is the counter itself (no shell left in between)."""
    words = [sys.executable, "-m", "teller.launch", "--lang", lang, "--theme", theme]
    if keymap is not None:
        words += ["--keymap", str(Path(keymap).resolve())]
    if demo:
        words.append("--demo")
    return "exec " + shlex.join(words)


def terminal_id(request: web.BaseRequest) -> str:
    """`W-` and the browser's address: the counter position, as a terminal id is at a green screen."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and _is_loopback(peer):
        peer = forwarded.split(",")[-1].strip()  # the last entry is the one our own proxy added
    peer = "".join(c for c in peer if c in "0123456789abcdefABCDEF.:")
    return f"W-{peer or '?'}"


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def same_origin(request: web.BaseRequest) -> bool:
    """A browser names the page that opens a websocket (Origin); only our own page may open one.
    A client that is not a browser sends none and is let through: it could connect anyway."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.host.lower()


class CounterService(AppService):
    """One counter process: textual-serve's, with its own environment (terminal, store), a stop that
    cannot hang, and its demo store removed after it."""

    def __init__(self, command: str, *, environment: dict[str, str], store: Path | None, **kwargs) -> None:  # noqa: ANN003
        super().__init__(command, **kwargs)
        self.environment = environment
        self.store = store

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width=width, height=height)
        env.update(self.environment)
        env["TEXTUAL_DRIVER"] = DRIVER
        return env

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*terminal_size(width, height))

    async def stop(self) -> None:
        """Ask the counter to quit (textual-serve's stop), then make sure it has: kill it after
        STOP_GRACE seconds. Safe to call more than once."""
        process = self._process
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_GRACE
        try:
            await asyncio.wait_for(super().stop(), STOP_GRACE)
        except (asyncio.TimeoutError, ConnectionError):
            pass
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), max(0.1, deadline - loop.time()))
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        if self.store is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(self.store) + suffix).unlink(missing_ok=True)


class CounterServer(Server):
    """textual-serve's server with teller's page, connections and shutdown."""

    def __init__(self, command: str, *, host: str, port: int, db: str | None, demo: bool, theme: str = "green") -> None:
        super().__init__(command, host=host, port=port, title=_("teller 柜台"), templates_path=PAGE_FOLDER)
        self.db, self.demo = db, demo
        from teller.screens.theme import DEFAULT_THEME, THEMES

        # The page around the counter's cells (the part of a cell the window does not fill) in the
        # counter's own background, not a black frame around a light counter.
        self.background = THEMES.get(theme, THEMES[DEFAULT_THEME]).background
        self.demo_folder: Path | None = None
        self.services: set[CounterService] = set()
        self.connections = 0

    def connection_environment(self, request: web.BaseRequest) -> tuple[dict[str, str], Path | None]:
        env = {"TELLER_TERMINAL": terminal_id(request)}
        store = None
        if self.demo:
            if self.demo_folder is None:
                self.demo_folder = Path(tempfile.mkdtemp(prefix="teller-serve-demo-"))
            store = self.demo_folder / f"counter-{self.connections}.db"
            env["TELLER_DB"] = f"sqlite:///{store}"
        elif self.db:
            env["TELLER_DB"] = self.db
        return env, store

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(_("柜台已在 {url} 开放；每个浏览器标签页一个柜台进程。按 Ctrl+C 停止。").format(url=self.public_url),
                           highlight=False, soft_wrap=True)
        if not _is_loopback_host(self.host):
            self.console.print(_("注意：{host} 不是本机回环地址，柜台以明文 HTTP 开放给网络；请放在 TLS 反向代理之后，且只在营业部内网（见 README）。").format(
                host=self.host), highlight=False, soft_wrap=True)

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping the server stops every counter (each is asked to quit, then killed)."""
        await asyncio.gather(*(s.stop() for s in list(self.services)), return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        context = {
            "title": self.title,
            "background": self.background,
            "font_size": max(8, min(40, _to_int(request.query.get("fontsize", "16"), 16))),
            "lang": "en" if current_language() == "en" else "zh-CN",
            "connecting": _("正在连接柜台…"),
            "ended": _("本次会话已结束，柜台已关闭。"),
            "restart": _("重新连接（回车）"),
        }
        return aiohttp_jinja2.render_template("index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's handler, with a CounterService per connection."""
        if not same_origin(request):
            raise web.HTTPForbidden(text="websocket from another site's page")
        websocket = web.WebSocketResponse(heartbeat=15)
        width, height = terminal_size(_to_int(request.query.get("width", "80"), 80), _to_int(request.query.get("height", "24"), 24))
        self.connections += 1
        environment, store = self.connection_environment(request)
        service: CounterService | None = None
        try:
            await websocket.prepare(request)
            service = CounterService(self.command, environment=environment, store=store,
                                     write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                     close=websocket.close, download_manager=self.download_manager)
            self.services.add(service)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - textual-serve logs and ends the connection alike
            from textual_serve.server import log

            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
                self.services.discard(service)
        return websocket


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """The page's size in cells, as a counter can use it: a page cannot ask for a screen of a
    billion cells (each counter would try to draw it)."""
    def cells(value: object, low: int, high: int, default: int) -> int:
        return min(high, max(low, value)) if isinstance(value, int) else default

    return cells(width, 20, 400, 80), cells(height, 10, 200, 24)


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _is_loopback_host(host: str) -> bool:
    return host == "localhost" or _is_loopback(host)


def serve(*, host: str, port: int, db: str | None, lang: str, theme: str, keymap: Path | None, demo: bool) -> None:
    """Serve the counter until Ctrl+C or SIGTERM; every counter it started is stopped before it returns."""
    server = CounterServer(counter_command(lang=lang, theme=theme, keymap=keymap, demo=demo),
                           host=host, port=port, db=db, demo=demo, theme=theme)
    try:
        server.serve()
    finally:
        if server.demo_folder is not None:
            shutil.rmtree(server.demo_folder, ignore_errors=True)
