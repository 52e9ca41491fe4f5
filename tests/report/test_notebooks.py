"""The notebooks execute: the forecast report (through econsim's report machinery and plain
papermill) and the scenario lab.  Each test starts a kernel, so there are few of them and the
draws are small."""
from __future__ import annotations

import json
import re

import nbformat
import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError

import econsim
from econsim.io import resources
from econsim.report.kernel import kernel_for_this_interpreter
from econsim.report.parameters import scenario_file
from econsim.report.render import render_report

pytestmark = pytest.mark.slow

DRAWS = 200


def _notebook(name):
    return str(resources.find("notebooks", name))


def _compare_with():
    return [s for s in ("upside", "downside") if scenario_file(s) is not None]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One real report, rendered as `econsim report` renders it."""
    out = tmp_path_factory.mktemp("reports")
    return render_report("baseline", "2025-10", out, draws=DRAWS, seed=7, compare_with=_compare_with())


def test_the_report_html_has_figures_chinese_names_and_no_code(rendered):
    html = rendered.html.read_text(encoding="utf-8")
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', html)) >= 3
    assert "地区生产总值" in html and "十四五" in html
    assert "validate_parameters" not in html  # code cells are hidden


SECTION_HEADINGS = ("What changed since last month", "Targets and the probability", "Fan charts",
                    "The 14th Five-Year Plan period", "Latest data", "Consistency of the data", "Nowcast",
                    "Scenario assumptions", "Comparison with other scenarios", "Model diagnostics",
                    "Provenance of every figure")


def test_the_report_has_every_section(rendered):
    html = rendered.html.read_text(encoding="utf-8")
    for heading in SECTION_HEADINGS:
        assert heading in html, heading


def test_the_report_opens_with_the_executive_summary_after_its_title(rendered):
    html = rendered.html.read_text(encoding="utf-8")
    summary = html.index("Executive summary")
    assert html.index("Forecast report: baseline") < summary
    assert all(summary < html.index(h) for h in SECTION_HEADINGS)


def test_the_report_has_no_developer_text_and_no_raw_json(rendered):
    html = rendered.html.read_text(encoding="utf-8")
    assert "All logic lives" not in html and "rep.dataset" not in html
    assert not re.search(r"<th[^>]*>\s*figures\s*</th>", html)
    assert not re.search(r"\{&quot;|\{\"[a-z_]+\": ", html)


def test_draws_and_seed_are_the_same_everywhere_in_the_report(rendered):
    html = rendered.html.read_text(encoding="utf-8")
    assert set(re.findall(r"(\d+) draws", html)) == {str(DRAWS)}
    assert set(re.findall(r"seed (\d+)", html)) == {"7"}


def test_the_report_notebook_ran_without_errors_or_missing_glyph_warnings(rendered):
    nb = nbformat.read(str(rendered.notebook), as_version=4)
    streams = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if o.output_type in ("stream", "error")]
    assert not [s for s in streams if "Glyph" in s or "missing from" in s or "Error" in s], streams
    assert nb.metadata["kernelspec"]["name"] == "python3"  # not the temporary kernelspec


def test_the_manifest_of_a_real_run_records_the_parameters(rendered):
    m = json.loads(rendered.manifest_path.read_text(encoding="utf-8"))
    assert m["status"] == "ok" and m["parameters"]["draws"] == DRAWS and m["parameters"]["as_of"] == "2025-10"


def test_plain_papermill_renders_and_says_plainly_when_the_year_has_no_year_to_date_data(tmp_path):
    """What a scheduler does without econsim's CLI: papermill in, papermill out (the bundled data end in 2025)."""
    out = tmp_path / "out.ipynb"
    with kernel_for_this_interpreter() as kernel:
        pm.execute_notebook(_notebook("forecast_report.ipynb"), str(out), kernel_name=kernel, progress_bar=False,
                            parameters={"draws": DRAWS, "as_of": "2026-01", "compare_with": []})
    text = out.read_text(encoding="utf-8")
    assert "image/png" in text
    assert "As of 2026-01 there are no year-to-date figures for 2026 yet" in text


def test_plain_papermill_fails_clearly_on_a_misspelt_parameter(tmp_path):
    with kernel_for_this_interpreter() as kernel:
        with pytest.raises(PapermillExecutionError) as exc:
            pm.execute_notebook(_notebook("forecast_report.ipynb"), str(tmp_path / "out.ipynb"), kernel_name=kernel,
                                progress_bar=False, parameters={"scenari": "downside"})
    assert exc.value.ename == "InputError"
    assert "unknown parameter 'scenari' (did you mean 'scenario'?)" in exc.value.evalue


def test_plain_papermill_fails_clearly_on_a_parameter_of_the_wrong_type(tmp_path):
    with kernel_for_this_interpreter() as kernel:
        with pytest.raises(PapermillExecutionError) as exc:
            pm.execute_notebook(_notebook("forecast_report.ipynb"), str(tmp_path / "out.ipynb"), kernel_name=kernel,
                                progress_bar=False, parameters={"draws": "many"})
    assert "key 'draws'" in exc.value.evalue and "'many'" in exc.value.evalue


def test_the_scenario_lab_executes_and_shows_its_charts(tmp_path):
    out = tmp_path / "lab.ipynb"
    with kernel_for_this_interpreter() as kernel:
        pm.execute_notebook(_notebook("scenario_lab.ipynb"), str(out), kernel_name=kernel, progress_bar=False,
                            parameters={"draws": DRAWS, "out_dir": str(tmp_path)})
    nb = nbformat.read(str(out), as_version=4)
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3
    assert any("gdp_5pct" in o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)
    # the tour saves a scenario that loads and exports the workbook
    assert econsim.load_scenario(tmp_path / "gdp_5pct.yaml").indicators["gdp"].growth[2028] == 5.0
    import openpyxl

    from econsim.scenario.export import SHEETS

    book = openpyxl.load_workbook(tmp_path / "gdp_5pct.xlsx", read_only=True)
    assert tuple(book.sheetnames) == SHEETS
    summary = [[c for c in row if c is not None] for row in book[SHEETS[0]].iter_rows(values_only=True)]
    assert any("gdp_5pct" in str(c) for row in summary for c in row)


def test_the_sections_precomputed_by_econsim_report_equal_what_the_kernel_computes(rendered, tmp_path):
    """econsim report hands the kernel precomputed sections; plain papermill computes them: same outputs."""
    out = tmp_path / "plain.ipynb"
    with kernel_for_this_interpreter() as kernel:
        pm.execute_notebook(_notebook("forecast_report.ipynb"), str(out), kernel_name=kernel, progress_bar=False,
                            parameters=rendered.manifest["parameters"])

    def outputs(path):
        return [c.outputs for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == "code"]

    assert outputs(rendered.notebook) == outputs(out)
