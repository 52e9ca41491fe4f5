"""Specification of the report's sections: the executive summary, what changed since last month,
the latest data, findings as sentences, diagnostics on reported figures, legends."""
from __future__ import annotations

import json

import numpy as np
import pytest

from econsim.data.dataset import load_dataset
from econsim.forecasting.backtest import backtest
from econsim.report.render import render_report
from econsim.report.sections import (aims_table, finding_sentences, consistency_findings, latest_figures,
                                     model_diagnostics, outlook_table, summary_chart, summary_findings)
from econsim.scenario.projection import project

HEADER = "region,indicator,period,measure,value,unit,status,basis,source,locator"


@pytest.fixture(scope="module")
def zone(tmp_path_factory, zone_csv):
    path = tmp_path_factory.mktemp("zone") / "myzone.csv"
    path.write_text(zone_csv(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def projection(zone, tmp_path_factory):
    sc = tmp_path_factory.mktemp("sc") / "z.yaml"
    sc.write_text("name: z\nregion: myzone\nseed: 3\nindicators:\n  gdp:\n    growth: model\n"
                  "    targets: {2026-2030: {avg_growth: 6.0}}\n  industrial_va: {growth: 6.0, sd: 2.0}\n",
                  encoding="utf-8")
    return project(str(sc), load_dataset(zone), draws=4000, seed=3)


def test_outlook_gives_median_interval_target_and_probability_of_the_first_year(projection):
    row = outlook_table(projection, 2026).set_index("indicator").loc["gdp"]
    draws = projection.draws("gdp")[2026].to_numpy()
    assert row["p50"] == pytest.approx(float(np.median(draws)), abs=0.01)
    assert row["target"] == 5.5  # the file's 2026 target
    assert row["probability"] == pytest.approx(float((draws >= 5.5).mean()), abs=1e-9)
    assert row["scenario"] == "z"


def test_industry_without_a_target_has_no_probability(projection):
    row = outlook_table(projection, 2026).set_index("indicator").loc["industrial_va"]
    assert row["target"] != row["target"] and row["probability"] != row["probability"]
    assert row["p50"] == pytest.approx(6.0, abs=0.15)


def test_three_findings_are_sentences_naming_the_scenario_and_numbers(projection):
    outlook, aims = outlook_table(projection, 2026), aims_table(projection)
    found = summary_findings(projection, outlook, aims, 2026)
    gdp = outlook.set_index("indicator").loc["gdp"]
    assert len(found) == 2  # GDP and its aim; no other 2026 target in this file
    assert found[0].startswith("地区生产总值 GDP: 2026 growth of ") and "(scenario z)" in found[0]
    assert f"{gdp['p50']:.1f}%" in found[0] and f"{gdp['probability']:.0%}" in found[0]
    assert "averaging 6% a year over 2026-2030" in found[1] and "2027–2030" in found[1]


def test_the_summary_chart_has_a_legend_with_history_median_target_and_aim(projection):
    fig = summary_chart(projection, aims_table(projection))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    for word in ("history", "median", "target", "aim: 6%/yr 2026-2030"):
        assert any(word in lab for lab in labels), (word, labels)


def test_latest_data_are_the_latest_known_as_of_the_month_and_not_stale_ones(obs_file):
    path = obs_file(
        "z,gdp,2024,growth,5.0,pct,actual,comparable,s,l",
        "z,gdp,2025-09,ytd_growth,4.6,pct,actual,comparable,s,l",
        "z,gdp,2025-12,ytd_growth,5.1,pct,actual,comparable,s,l",
        "z,gdp,2025,growth,5.2,pct,actual,comparable,s,l",
        "z,retail_sales,2019,growth,7.0,pct,preliminary,nominal,s,l")
    latest = latest_figures(load_dataset(path), "z", "2025-10")  # 2025-12 and the year 2025 not yet known
    assert latest[["indicator", "period", "value"]].values.tolist() == [["gdp", "2025-09", 4.6]]
    assert latest.attrs["stale"] == ["社会消费品零售总额 Retail sales of consumer goods"]


def test_consistency_findings_read_as_sentences_without_json():
    ds = load_dataset(None)
    found = finding_sentences(consistency_findings(ds, "dlhitech"))
    assert found and all(s.endswith(".") and "{" not in s for s in found)


def test_diagnostics_score_the_forecaster_on_reported_figures_only(zone):
    ds = load_dataset(zone)
    row = model_diagnostics(ds, "myzone").set_index("name").loc["地区生产总值 GDP"]
    expected = backtest(ds.series("gdp", region="myzone", reconstructed=False), h=1, min_train=3).summary
    assert row["years"] == "2018–2025" and row["smape"] == pytest.approx(expected["smape"])


# --------------------------------------------------------------------------- what changed since last month

def _render(scenario, as_of, out, data, kernel_stand_in):
    with pytest.MonkeyPatch.context() as mp:
        kernel_stand_in(mp)
        return render_report(str(scenario), as_of, out, data=data, draws=300, seed=5)


@pytest.fixture(scope="module")
def two_months(tmp_path_factory, zone_csv, kernel_stand_in):
    root = tmp_path_factory.mktemp("months")
    data = root / "myzone.csv"
    data.write_text(zone_csv(), encoding="utf-8")
    sc = root / "own.yaml"
    sc.write_text("name: own\nregion: myzone\nindicators:\n  gdp: {growth: model}\n", encoding="utf-8")
    first = _render(sc, "2025-10", root / "out", data, kernel_stand_in)
    # a revised figure arrives: 2024 GDP growth 5.2 → 3.0 (the 2025 annual figure is not yet known in
    # October or November 2025: the data are taken as known at as_of)
    data.write_text(zone_csv().replace("gdp,2024,growth,5.2", "gdp,2024,growth,3.0"), encoding="utf-8")
    second = _render(sc, "2025-11", root / "out", data, kernel_stand_in)
    return first.html.read_text(encoding="utf-8"), second.html.read_text(encoding="utf-8"), second


def test_the_first_report_in_a_folder_says_there_is_nothing_to_compare_with(two_months):
    assert "No earlier report of this scenario in this output folder" in two_months[0]


def test_next_month_names_the_previous_report_and_why_the_outlook_moved(two_months):
    html = two_months[1]
    assert "Against the report published for 2025-10" in html
    assert "The observations file changed" in html and "assumptions are unchanged" in html


def test_next_month_gives_the_revision_of_each_indicator(two_months):
    import nbformat

    from econsim.report.sections import OUTLOOK_MIME

    def record(path):
        nb = nbformat.read(str(path), as_version=4)
        return next(o["data"][OUTLOOK_MIME] for c in nb.cells for o in c.get("outputs", [])
                    if OUTLOOK_MIME in o.get("data", {}))

    second = two_months[2]
    first_nb = second.directory.parent.parent / "2025-10" / "own" / "forecast_report.ipynb"
    before, now = record(first_nb)["outlook"]["gdp"]["p50"], record(second.notebook)["outlook"]["gdp"]["p50"]
    assert now < before  # a lower 2024 figure lowers the 2026 outlook
    assert f"{now - before:.2f}" in two_months[1]


def test_the_summary_gives_the_probability_of_all_growth_targets_met_together_from_the_joint_draws():
    from econsim.report.sections import all_targets_met
    from econsim.scenario.files import load_scenario

    p = project(load_scenario("baseline"), load_dataset(), draws=3000, seed=5)
    tg = p.targets()
    growth = tg[(tg["measure"] == "growth") & (tg["year"] == "2026")]
    met = np.ones(3000, dtype=bool)
    for r in growth.itertuples(index=False):
        met &= p.draws(r.indicator)[2026].to_numpy() >= r.target
    n, prob = all_targets_met(p, 2026)
    assert n == len(growth) == 6
    assert prob == pytest.approx(met.mean(), abs=1e-12)
    assert prob < growth["probability"].min()  # all together is rarer than the rarest alone
    assert all_targets_met(p, 2027) is None     # no growth target for 2027


def test_the_latest_data_table_writes_units_as_readers_know_them(two_months):
    html = two_months[1]
    latest = html[html.index("Latest data"):]
    latest = latest[:latest.index("</table>")]
    # the made-up zone reports growth rates only: their unit code pct is shown as %
    assert ">%</td>" in latest and ">pct</td>" not in latest
