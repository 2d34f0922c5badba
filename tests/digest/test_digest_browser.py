"""Each digest's HTML opened in headless Chromium (Debian's /usr/bin/chromium, which
.ci/run installs): its charts load, nothing is wider than a 600-pixel mail pane, and a
screenshot is saved (to $DIGEST_SCREENSHOTS when set, to look at; else to tmp_path).

The digests are the real ones: composed from tests/digest_ledger.py's month, written
by agent.digest.files as `binome digest --out` writes them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from digest_ledger import BEA, OLGA, build
from test_digest_figures import compose, settings_for

from agent.digest.files import write_digest

if TYPE_CHECKING:
    from company import Programme

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google's servers.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    playwright = pytest.importorskip("playwright.sync_api")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 600, "height": 900})
        yield context
        context.close()


@pytest.mark.parametrize("recipient,kind,share", [
    (BEA, "digest", True),   # English manager digest, free text shared
    (OLGA, "digest", False),  # French manager digest, counts only
    (OLGA, "admin_digest", False),  # French admin digest
])
def test_digest_opens_in_a_browser_with_its_charts_inside_a_mail_pane(
        browser: Any, tmp_path: Path, programme: Programme, recipient: str, kind: str,
        share: bool) -> None:
    ledger = build(tmp_path / "state")
    msg = compose(settings_for(programme, share), ledger, recipient, kind)
    stem = f"{kind}-{recipient.split('@')[0]}"
    html = write_digest(msg.as_bytes(), tmp_path / "out", stem)
    assert html is not None
    page = browser.new_page()
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    images = page.evaluate(
        "[...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])")
    assert len(images) == 3 and all(width > 0 for _, width in images), images
    assert all(not src.startswith(("cid:", "http")) for src, _ in images)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 600, f"{stem} is {width}px wide"
    wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 600.5).map(e => e.tagName)""")
    assert wide == []
    shots = Path(os.environ.get("DIGEST_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{stem}.png"), full_page=True)
    assert (shots / f"{stem}.png").stat().st_size > 10_000
    page.close()
