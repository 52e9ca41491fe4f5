"""Charts: Chinese labels render with a CJK font and no missing-glyph warning."""
import warnings
from pathlib import Path

import pytest

from econsim.data.dataset import load_dataset
from econsim.indicators import label
from econsim.plotting import comparison_chart, fan_chart, fan_charts, figure_to_png, setup_cjk_font
from econsim.scenario.files import load_scenario
from econsim.scenario.projection import project

HERE = Path(__file__).resolve().parent / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def proj():
    return project(load_scenario(HERE / "noisy.yaml"), load_dataset(), draws=200)


def test_a_cjk_font_is_found():
    from matplotlib import font_manager

    family = setup_cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "CJK" in family or "Hei" in family or "Han" in family, family
    assert Path(path).exists()


def test_fan_chart_with_chinese_labels_renders_without_glyph_warnings(proj):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = figure_to_png(fan_chart(proj, "gdp"))
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing from font" in m or "Glyph" in m], messages
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_comparison_chart_renders_without_glyph_warnings(proj):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure_to_png(comparison_chart([proj, proj]))
    assert not [w for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]


def test_fan_chart_draws_history_bands_and_targets(proj):
    ax = fan_chart(proj, "retail_sales").axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "90% 区间 interval" in labels and "目标 target" in labels and "中位数 median" in labels


def test_fan_chart_draws_on_a_given_axes(proj):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert proj.fan_chart("gdp", ax=ax) is fig and ax.get_title().startswith("地区生产总值")


def test_fan_chart_refuses_an_unknown_measure(proj):
    with pytest.raises(ValueError):
        fan_chart(proj, "gdp", measure="speed")


def test_fan_charts_draw_one_panel_per_indicator_with_one_shared_legend(proj):
    fig = fan_charts(proj)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == [label(k) for k in proj.indicators]
    assert all(ax.get_legend() is None for ax in panels) and len(fig.legends) == 1


def test_charts_use_no_layout_engine_so_a_save_draws_once(proj):
    assert fan_chart(proj, "gdp").get_layout_engine() is None
    assert comparison_chart([proj, proj]).get_layout_engine() is None


def test_fan_chart_marks_derived_history_years_apart_from_reported_ones():
    import econsim

    p = econsim.project("baseline", econsim.load_dataset(), draws=200, seed=1)
    fig = p.fan_chart("gdp")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "推算 derived" in labels
