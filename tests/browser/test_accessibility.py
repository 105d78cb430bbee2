"""Accessibility of every public page type, in German and English: axe-core finds no violation
of WCAG 2.1 A/AA or of its best practices, the pages reflow at 320 CSS pixels, the skip link
comes first, and no page loads anything from another host."""

import datetime
import re

import pytest
from playwright.sync_api import Page

from .conftest import SECOND_EDITION, axe_violations, describe_violations, open_page

# The sample papers (council/data/hf12-papers.yaml) are dated relative to today: a published
# check 150 days back, and paper 1, the first loaded, is published as well.
SEK_CHECK_YEAR = (datetime.date.today() - datetime.timedelta(days=150)).year
# Each public page type once; the English pages are the same under /en/.
PUBLIC_PAGES = [
    "/",
    "/handlungsfelder/12/",
    "/ziele/12.1/",
    "/ziele/12.1.2/",
    "/ausgaben/",
    f"/ausgaben/vergleich/?a=ludwigsburg&b={SECOND_EDITION}",
    "/methoden/",
    "/massnahmen/",
    "/massnahmen/M-12-01/",
    "/abdeckung/",
    "/beschluesse/",
    "/beschluesse/1/",
    "/sek-check/",
    f"/sek-check/{SEK_CHECK_YEAR}/",
    "/indikatoren/12-1-2-pm-standard/",
    "/meilensteine/",
    "/suche/?q=strasse",
    "/anmelden/",
    "/barrierefreiheit/",
    "/anliegen/",
    "/sie-haben-gesagt/",
    "/leichte-sprache/",
    "/einbetten/ziele/12.3.4/",
    "/einbetten/indikatoren/12-3-4-verschuldung/",
]
PAGES = [prefix + path for prefix in ("", "/en") for path in PUBLIC_PAGES]
# 400 % zoom of a 1280 × 1024 window (WCAG 1.4.10 Reflow).
NARROW = {"width": 320, "height": 256}
# What makes a page wider than the limit, for the failure message: the outermost boxes reaching
# past it, and the innermost boxes that fit but whose content (a long word) spills over. Boxes
# inside a scrolling container (a wide table in .table-scroll) do not widen the page.
WIDER_THAN = """limit => {
    const scrolls = el => getComputedStyle(el).overflowX !== 'visible';
    const inScroller = el => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (scrolls(up)) return true;
        }
        return false;
    };
    const reaches = el => el.getBoundingClientRect().right > limit;
    const spills = el => !scrolls(el) && el.scrollWidth > el.clientWidth + 1;
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map(c => '.' + c).join('');
    const all = [...document.body.querySelectorAll('*')].filter(el => !inScroller(el));
    const wide = all.filter(el => reaches(el) && !reaches(el.parentElement));
    const spilling = all.filter(el => !reaches(el) && spills(el)
        && ![...el.children].some(child => reaches(child) || spills(child)));
    return [...wide, ...spilling].map(el => name(el) + ' "'
        + el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40) + '"');
}"""


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(page: Page, offsite_requests, path):
    open_page(page, path)
    violations = axe_violations(page)

    assert offsite_requests == [], f"{path} lädt von fremden Hosts"
    assert not violations, f"axe-core auf {path}:\n{describe_violations(violations)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_reflows_without_horizontal_scrolling(page: Page, path):
    page.set_viewport_size(NARROW)
    open_page(page, path)
    width = page.evaluate("document.documentElement.scrollWidth")

    assert width <= NARROW["width"] + 1, (
        f"{path} ist bei {NARROW['width']} px Fensterbreite {width} px breit; zu breit: "
        + "; ".join(page.evaluate(WIDER_THAN, NARROW["width"] + 1))
    )


def test_first_tab_focuses_visible_skip_link_to_main(page: Page):
    open_page(page, "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")

    assert focused.get_attribute("href") == "#main"
    box = focused.bounding_box()
    assert box is not None and box["width"] > 1 and box["height"] > 1
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
    # Nothing covers it: the element at its centre belongs to the link.
    assert focused.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"
    )

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_axe_reports_rule_impact_target_and_help(page: Page):
    """The check itself works: a page with a known fault yields a readable report."""
    page.set_content(
        '<html lang="de"><title>Probe</title><main><h1>Probe</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>'
    )

    violations = axe_violations(page)

    assert [v["id"] for v in violations] == ["image-alt"]
    report = describe_violations(violations)
    assert report.startswith("image-alt (critical): Images must have alternative text")
    assert "\n  - img\n" in report


def test_requests_to_other_hosts_are_recorded_and_aborted(page: Page, offsite_requests):
    open_page(page, "/")
    outside = "http://fonts.example.invalid/font.woff2"

    loaded = page.evaluate("url => fetch(url).then(() => true, () => false)", outside)

    assert loaded is False
    assert offsite_requests == [outside]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_case_form_with_errors_its_confirmation_and_status_page_pass_axe(page: Page, prefix):
    """The pages behind the form: a status page needs the private link that only sending gives."""
    open_page(page, f"{prefix}/anliegen/")
    page.get_by_role("button", name=re.compile("Anliegen senden|Send")).click()
    assert page.locator(".error-summary").is_visible()
    steps = {"Fehlerzusammenfassung": axe_violations(page)}

    page.locator("#id_kind_0").check()
    page.locator("#id_text").fill(f"Barrierefreiheitstest {prefix or '/de'}: mehr Sitzbänke")
    page.get_by_role("button", name=re.compile("Anliegen senden|Send")).click()
    steps["Bestätigung"] = axe_violations(page)
    page.locator(".status-link a").click()
    assert "noindex" in page.locator('meta[name="robots"]').get_attribute("content")
    steps["Statusseite"] = axe_violations(page)

    for step, violations in steps.items():
        assert not violations, (
            f"axe-core, {prefix}/anliegen/ {step}:\n{describe_violations(violations)}"
        )
