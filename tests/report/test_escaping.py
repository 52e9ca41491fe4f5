"""Specification: user text (scenario titles, descriptions, region names, sources, locators, notes) is
shown in the published HTML as text, never as live markup.

The report is rendered by :func:`render_report` with papermill replaced by a stand-in that displays
the very sections the kernel would (``ForecastReport.all_outputs``), then exported by nbconvert.
"""
from __future__ import annotations

from html.parser import HTMLParser

import nbformat
import pytest
import yaml

from econsim.report.render import render_report
from econsim.report.worker import ForecastReport

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


def zone_rows(region: str, source: str, locator: str, note: str) -> str:
    """A one-region observations CSV: GDP and industry growth 2018–2025, a GDP level, a 2026 target."""
    rows = ["region,indicator,period,measure,value,unit,status,basis,source,locator,source_quality,note"]
    q = lambda s: '"' + s.replace('"', '""') + '"'
    tail = f"{q(source)},{q(locator)},official,{q(note)}"
    gdp = [7.1, 6.4, 2.5, 8.3, 3.9, 5.6, 5.2, 5.0]
    ind = [8.0, 7.2, 3.1, 10.5, 4.4, 6.8, 6.1, 5.9]
    for key, values in (("gdp", gdp), ("industrial_va", ind)):
        rows += [f"{q(region)},{key},{2018 + i},growth,{v},pct,actual,comparable,{tail}" for i, v in enumerate(values)]
    rows.append(f"{q(region)},gdp,2025,level,812.5,CNY_100m,actual,nominal,{tail}")
    rows.append(f"{q(region)},gdp,2026,growth,5.5,pct,target,comparable,{tail}")
    return "\n".join(rows) + "\n"


def _kernel_stand_in(monkeypatch):
    """papermill replaced: the notebook gets the outputs the kernel would display, section by section."""
    import papermill

    def execute_notebook(input_path, output_path, parameters=None, **kwargs):
        nb = nbformat.read(input_path, as_version=4)
        outputs = ForecastReport(parameters).all_outputs()
        for name, bundles in outputs.items():
            cell = nbformat.v4.new_code_cell(f"rep.show({name!r})")
            cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in bundles]
            nb.cells.append(cell)
        nbformat.write(nb, output_path)
        return nb

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """The published HTML of a report whose every user text is a payload (rendered once for the module)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _render_hostile(tmp_path_factory.mktemp("hostile"), monkeypatch)


def _render_hostile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "zone.csv"
    data.write_text(zone_rows(IMG, SCRIPT, MD_LINK, f"{JS_LINK} {TEMPLATE}"), encoding="utf-8")
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(yaml.safe_dump({
        "name": "hostile", "title": SCRIPT, "description": f"{JS_LINK} {MD_LINK} {TEMPLATE}", "region": IMG,
        "draws": 200, "indicators": {"gdp": {"growth": "model"}}}, allow_unicode=True), encoding="utf-8")
    _kernel_stand_in(monkeypatch)
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
