"""The README's picture of the counter in a browser: `teller serve` on a copy of the demo branch,
Chromium (Debian's, through Playwright) signs on as T01 and runs a 3203 for 880002 with its paper
ticked, keys only, and the page is saved as a PNG.

    python tools/browser_screenshot.py [--out docs/counter-in-chromium.png]

Needs what the browser tests need (tests/browserkit.py): Chromium and Playwright."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import PageScreen, Served, chromium, sync_playwright  # noqa: E402

VIEWPORT = {"width": 905, "height": 640}  # 100 x 30 cells at the page's 16 px font


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "counter-in-chromium.png")
    out = parser.parse_args().out
    from teller.demo import seed_demo
    from teller.store.db import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/branch.db"
        engine = make_engine(url)
        seed_demo(engine)
        engine.dispose()
        served = Served(env={"TELLER_DB": url}, log=Path(tmp) / "serve.log")
        try:
            with sync_playwright() as pw:
                browser = chromium(pw)
                page = browser.new_page(viewport=VIEWPORT)
                screen = PageScreen(page)
                page.goto(served.url)
                screen.wait_for("柜员签到")
                screen.wait_gone("正在打开柜台数据库")
                screen.fields("T01", "t01pass", "")
                screen.wait_for("功能码")
                screen.press("F2")
                screen.type("3203")
                screen.press("Enter")
                screen.wait_for("转出资金账号")
                screen.settle()
                screen.fields("88000200101", "880002001", "500", "", "")
                screen.press(" ")
                screen.settle()
                screen.press("F8")
                screen.wait_for("请核对后确认")
                screen.press("Enter")
                screen.wait_gone("请核对后确认")
                screen.wait_for("成功", "流水号")
                screen.settle()
                print(f"{screen.screen.columns}x{screen.screen.lines} cells")
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out))
                browser.close()
        finally:
            served.stop()
    print(f"{out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
