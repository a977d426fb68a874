"""Take full-page screenshots of the running service as a demo role (for docs and for looking at pages).

    .venv/bin/python scripts/screenshot.py --role commissioning_manager --out /tmp/shots / /strategy/

Needs `make run` (or runserver with setup_demo data) on --base and Debian's chromium.
"""

import argparse
import pathlib

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--role", default="commissioning_manager", help="demo role, or 'anonymous'")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--width", type=int, default=1200)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        if args.role != "anonymous":
            page.goto(f"{args.base}/account/sign-in/")
            page.get_by_label("E-mail address").fill(f"{args.role}@demo.opcc.invalid")
            page.get_by_label("Password").fill("demo-password-123")
            page.get_by_role("button", name="Sign in").click()
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            name = (path.strip("/").replace("/", "_") or "home") + f"-{args.role}.png"
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
        browser.close()


if __name__ == "__main__":
    main()
