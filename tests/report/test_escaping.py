"""Specification: user text (scenario titles, descriptions, region names, sources, locators, notes) is
shown in the published HTML as text, never as live markup.

The report is rendered by :func:`render_report` with papermill replaced by a stand-in that displays
the very sections the kernel would (``ForecastReport.all_outputs``), then exported by nbconvert.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml

from econsim.report.render import render_report

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = "<a href=\"javascript:alert(2)\">click</a>"
MD_LINK = "[click](javascript:alert(3))"
TEMPLATE = "{{ 7*7 }}"


class _Markup(HTMLParser):
    """Every start tag with its attributes, the text of <script> elements, and the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.text, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory, zone_csv, kernel_stand_in):
    """The published HTML of a report whose every user text is a payload (rendered once for the module)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _render_hostile(tmp_path_factory.mktemp("hostile"), monkeypatch, zone_csv, kernel_stand_in)


def _render_hostile(tmp_path, monkeypatch, zone_csv, kernel_stand_in):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "zone.csv"
    data.write_text(zone_csv(IMG, SCRIPT, MD_LINK, f"{JS_LINK} {TEMPLATE}"), encoding="utf-8")
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(yaml.safe_dump({
        "name": "hostile", "title": SCRIPT, "description": f"{JS_LINK} {MD_LINK} {TEMPLATE}", "region": IMG,
        "draws": 200, "indicators": {"gdp": {"growth": "model"}}}, allow_unicode=True), encoding="utf-8")
    kernel_stand_in(monkeypatch)
    result = render_report(str(scenario), "2025-11", tmp_path / "out", data=data, compare_with=[])
    parser = _Markup()
    parser.feed(result.html.read_text(encoding="utf-8"))
    return parser


def test_no_payload_becomes_a_script_element(hostile_report):
    assert not [s for s in hostile_report.scripts if "alert(" in s]


def test_no_payload_becomes_an_event_handler(hostile_report):
    assert not [(t, a) for t, a in hostile_report.tags if any(k.startswith("on") for k in a)]


def test_no_payload_becomes_a_javascript_link(hostile_report):
    hrefs = [a.get("href", "") or "" for t, a in hostile_report.tags]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert ("img", {"src": "x", "onerror": "alert(1)"}) not in hostile_report.tags


def test_every_payload_is_shown_as_its_literal_text(hostile_report):
    text = "".join(hostile_report.text)
    for payload in (SCRIPT, IMG, JS_LINK, MD_LINK, TEMPLATE):
        assert payload in text, payload
