"""The README's screenshots: the four corpora in tests/fixtures/corpora/, each built first with
`build.py build tests/fixtures/corpora/<name> --out /tmp/lost-<name>`, at 1280 px in headless
Chromium, written beside this file."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, "tests")
from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # the tests' own server and browser

HERE = Path(__file__).resolve().parent
SHOTS = [("drama", "/tmp/lost-gerdracor", "texts/kotzebue-das-koestlichste/"),
         ("verse", "/tmp/lost-mitford", "texts/WatlingtonHill/"),
         ("letters", "/tmp/lost-schnitzler-briefe", "texts/L00001/"),
         ("apparatus", "/tmp/lost-pta", "texts/pta0001.pta001.pta-grcBibex/")]
SCROLL_TO = {"apparatus": (".apparatus", 400), "drama": (".sp .speaker", 200), "verse": (".tei-lg", 200)}

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    for name, site, path in SHOTS:
        server, url = serve(Path(site))
        page = browser.new_page(viewport={"width": 1280, "height": 640})
        page.goto(url + path)
        page.wait_for_timeout(500)
        if name in SCROLL_TO:
            selector, above = SCROLL_TO[name]
            page.evaluate(f"window.scrollTo(0, document.querySelector('{selector}')"
                          f".getBoundingClientRect().top + window.scrollY - {above})")
            page.wait_for_timeout(200)
        if name == "apparatus":
            page.hover(".app[tabindex]")
            page.wait_for_timeout(200)
        page.screenshot(path=str(HERE / f"{name}.png"))
        server.shutdown()
    browser.close()
