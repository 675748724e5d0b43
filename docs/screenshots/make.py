"""The README's screenshots: the four corpora in tests/fixtures/corpora/, built into /tmp/lost-<name>
(build.py build tests/fixtures/corpora/<name> --out /tmp/lost-<name>), at 1280 px in headless Chromium."""
import sys, io
sys.path.insert(0, "tests")
from conftest import serve, CHROMIUM, CHROMIUM_ARGS
from pathlib import Path
from playwright.sync_api import sync_playwright
shots = [("drama", "/tmp/lost-gerdracor", "texts/kotzebue-das-koestlichste/"),
         ("verse", "/tmp/lost-mitford", "texts/WatlingtonHill/"),
         ("letters", "/tmp/lost-schnitzler-briefe", "texts/L00001/"),
         ("apparatus", "/tmp/lost-pta", "texts/pta0001.pta001.pta-grcBibex/")]
with sync_playwright() as p:
    b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    for name, site, path in shots:
        server, url = serve(Path(site))
        page = b.new_page(viewport={"width": 1280, "height": 640})
        page.goto(url + path); page.wait_for_timeout(500)
        target = {"apparatus": ".apparatus", "drama": ".sp .speaker", "verse": ".tei-lg"}.get(name)
        if target:
            page.evaluate(f"window.scrollTo(0, document.querySelector('{target}').getBoundingClientRect().top + window.scrollY - {400 if name == 'apparatus' else 200})")
            page.wait_for_timeout(200)
        if name == "apparatus":
            page.hover(".app[tabindex]")
            page.wait_for_timeout(200)
        page.screenshot(path=f"/tmp/lost-{name}.png")
        server.shutdown()
    b.close()
