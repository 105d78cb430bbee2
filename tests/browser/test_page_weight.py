"""Issue 5: every public page stays under 150 KB transferred (HTML, CSS, JavaScript and images;
fonts excluded). Measured uncompressed, as the demo server sends it, which is an upper bound
of what a compressing production server transfers."""

from html.parser import HTMLParser
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest

from tests.browser.test_accessibility import PAGES

LIMIT = 150 * 1024


class _Assets(HTMLParser):
    """Stylesheets, scripts and images a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "").split():
            self.urls.append(found["href"])
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(found["src"])


def _size(url: str) -> int:
    with urlopen(url, timeout=10) as response:
        return len(response.read())


@pytest.mark.parametrize("path", PAGES)
def test_page_stays_under_150_kb(site, path):
    with urlopen(site + path, timeout=10) as response:
        html = response.read()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    assets = {urljoin(site + path, url) for url in parser.urls}
    assert all(url.startswith(site) for url in assets), assets
    total = len(html) + sum(_size(url) for url in assets)
    assert total < LIMIT, f"{path}: {total / 1024:.0f} KB ({len(assets)} Dateien)"
    # Something was measured: the page's own stylesheet at least.
    assert any(url.endswith(".css") for url in assets), assets
