"""Fan charts and scenario comparisons, with Chinese indicator names that render.

Charts are drawn on ``matplotlib.figure.Figure`` objects created without pyplot, so no GUI
backend is needed (Agg renders them; JupyterLab shows them inline) and nothing accumulates in
pyplot's global figure list.  :func:`setup_cjk_font` finds a CJK font — a system one (Noto Sans
CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang SC) or else the Noto Sans CJK
collection shipped by the PyPI package ``noto-cjk-sans-otc`` — and every chart uses it, with
DejaVu Sans as the per-glyph fallback, so no glyph goes missing.
"""
from __future__ import annotations

import base64
import contextlib
import io
import os

from . import indicators as _ind

#: Preferred CJK families, in order.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
                "Noto Sans CJK JP")
BANDS = ((90, "p05", "p95", 0.18), (80, "p10", "p90", 0.28), (50, "p25", "p75", 0.45))
_FONT: list = []


def _ensure_backend() -> None:
    """Use Agg when there is no display and nobody chose a backend (servers, CI, cron jobs).

    Charts here never need pyplot, but a caller who later imports it on a headless machine
    should get Agg rather than a failing GUI backend.
    """
    import sys

    import matplotlib

    if os.name != "nt" and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and not os.environ.get("MPLBACKEND") and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")


def setup_cjk_font() -> str:
    """Register and return the family name of a font that has Chinese glyphs.

    Returns
    -------
    str
        E.g. ``"Noto Sans CJK SC"``.

    Raises
    ------
    RuntimeError
        If neither a system CJK font nor the ``noto-cjk-sans-otc`` package is available.
    """
    if _FONT:
        return _FONT[0]
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            _FONT.append(family)
            return family
    path = _packaged_font()
    if path is None:
        raise RuntimeError("no CJK font found: install the 'noto-cjk-sans-otc' package (an econsim "
                           "dependency) or a system font such as Noto Sans CJK")
    font_manager.fontManager.addfont(path)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in CJK_FAMILIES if f in installed), None)
    if family is None:
        family = font_manager.FontProperties(fname=path).get_name()
    _FONT.append(family)
    return family


def _packaged_font() -> str | None:
    """Path of the font file shipped by ``noto-cjk-sans-otc``, or None."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("noto_cjk_sans_otc")
    if spec is None or not spec.submodule_search_locations:
        return None
    for d in spec.submodule_search_locations:
        for pattern in ("*.ttc", "*.otf", "*.ttf"):
            found = sorted(Path(d).glob(pattern))
            if found:
                return str(found[0])
    return None


@contextlib.contextmanager
def chart_style():
    """rcParams for econsim charts: the CJK font first, DejaVu Sans as fallback, ASCII minus."""
    import matplotlib

    family = setup_cjk_font()
    with matplotlib.rc_context({"font.family": "sans-serif",
                                "font.sans-serif": [family, "DejaVu Sans"],
                                "axes.unicode_minus": False,
                                "figure.dpi": 100}):
        yield family


#: Fixed margins (fractions of the figure) for the chart sizes used here.  A layout engine
#: (``constrained``) would measure every text twice per save, which with a 19 MB CJK collection
#: cost more than drawing the chart itself; these margins fit the titles, bilingual labels and ticks.
_FAN_MARGINS = {"left": 0.10, "right": 0.97, "bottom": 0.12, "top": 0.86}


def _new_axes(ax, figsize=(7.5, 4.2)):
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    fig.subplots_adjust(**_FAN_MARGINS)
    return fig, fig.add_subplot()


def _level_label(projection, indicator) -> str:
    """'水平 level' with the price basis of the projected levels (all of them when `indicator` is None)."""
    bases = projection.level_basis
    keys = [indicator] if indicator else list(bases)
    found = {bases.get(k, "unknown") for k in keys}
    if found == {"nominal"}:
        return "水平 level (现价 current prices)"
    if found == {"comparable"}:
        return "水平 level (可比价 constant prices)"
    return "水平 level"


def fan_chart(projection, indicator: str, measure: str = "growth", ax=None):
    """Fan chart: history, projected median, 50/80/90% bands and target markers.

    Parameters
    ----------
    projection : econsim.simulate.Projection
    indicator : str
    measure : {"growth", "level"}
        Growth in percent, or the level in the indicator's unit (its price basis in the axis label).
    ax : matplotlib.axes.Axes, optional
        Draw here instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if measure not in ("growth", "level"):
        raise ValueError(f"measure must be 'growth' or 'level', got {measure!r}")
    _ensure_backend()
    frame = projection.to_frame()
    rows = frame[(frame["indicator"] == indicator) & (frame["measure"] == measure)
                 & frame["year"].str.fullmatch(r"\d{4}")]
    ind = _ind.get(indicator) if indicator in _ind.INDICATORS else None
    unit = "%" if measure == "growth" else (ind.unit if ind else "")
    with chart_style():
        fig, ax = _new_axes(ax)
        hist = projection.history.get(indicator, {}).get(measure)
        if hist is not None and len(hist):
            hx = [p.year for p in hist.index]
            ax.plot(hx, hist.to_numpy(), color="0.25", marker="o", lw=1.5, label="历史 history")
            # Derived (reconstructed) years get hollow markers: they are econsim's, not reported.
            reported = projection.history.get(indicator, {}).get("reported", {}).get(measure)
            derived = [i for i, y in enumerate(hx) if reported is not None and y not in reported]
            if derived:
                ax.plot([hx[i] for i in derived], hist.to_numpy()[derived], ls="none", marker="o",
                        mfc="white", mec="0.25", label="推算 derived")
        if len(rows):
            x = rows["year"].astype(int).to_numpy()
            for level, lo, hi, alpha in BANDS:
                ax.fill_between(x, rows[lo], rows[hi], color="tab:blue", alpha=alpha, lw=0,
                                label=f"{level}% 区间 interval")
            ax.plot(x, rows["p50"], color="tab:blue", lw=2, marker=".", label="中位数 median")
            if hist is not None and len(hist) and hx[-1] == x[0] - 1:
                ax.plot([hx[-1], x[0]], [hist.iloc[-1], rows["p50"].iloc[0]], color="tab:blue", lw=1, ls=":")
        else:
            ax.text(0.5, 0.5, "无预测 no projection for this measure", transform=ax.transAxes, ha="center")
        tg = projection.targets()
        tg = tg[(tg["indicator"] == indicator) & (tg["measure"] == measure)]
        if len(tg):
            ax.scatter(tg["year"].astype(int), tg["target"], marker="D", color="tab:red", zorder=5,
                       label="目标 target")
        name = ind.label if ind else indicator
        what = "增长率 growth" if measure == "growth" else _level_label(projection, indicator)
        ax.set_title(f"{name} — {what}\n情景 scenario: {projection.scenario.name} {projection.scenario.title}",
                     fontsize=10)
        ax.set_ylabel(f"{what} ({unit})")
        ax.set_xlabel("年份 year")
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=8, loc="best")
    return fig


def _grid(n: int, *, panel=(4.2, 3.0), head: float = 0.75, foot: float = 0.5):
    """A figure of `n` panels, three per row, with fixed room for a suptitle and a legend below.

    Returns the figure and all of its axes (those beyond the `n`-th hidden; at least one).
    """
    import math

    from matplotlib.figure import Figure

    cols = min(3, max(n, 1))
    nrows = math.ceil(max(n, 1) / cols)
    height = panel[1] * nrows + head + foot
    fig = Figure(figsize=(panel[0] * cols, height))
    fig.subplots_adjust(left=0.06 if cols == 3 else 0.1, right=0.98, top=1 - head / height,
                        bottom=foot / height + 0.05 / nrows, hspace=0.42, wspace=0.22)
    axes = fig.subplots(nrows, cols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes


def fan_charts(projection, indicators=None, measure: str = "growth"):
    """Fan charts of several indicators as small multiples in one figure, with one shared legend.

    One figure instead of one per indicator: a report reads them side by side, and one image
    renders in a fraction of the time of several (text layout with the CJK font dominates).

    Parameters
    ----------
    projection : econsim.simulate.Projection
    indicators : list of str, optional
        Default: every projected indicator.
    measure : {"growth", "level"}
        Growth in percent, or the level in the indicator's unit (its price basis in the axis label).

    Returns
    -------
    matplotlib.figure.Figure
    """
    _ensure_backend()
    if indicators is None:
        indicators = list(projection.indicators)
    with chart_style():
        fig, axes = _grid(len(indicators))
        for i, (ax, key) in enumerate(zip(axes, indicators)):
            fan_chart(projection, key, measure=measure, ax=ax)
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
            ax.set_title(_ind.label(key) if key in _ind.INDICATORS else key, fontsize=9)
            ax.set_xlabel("")
            if i % 3:
                ax.set_ylabel("")
        handles = {}
        for ax in axes:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                handles.setdefault(lab, h)
        what = "增长率 growth (%)" if measure == "growth" else _level_label(projection, None)
        fig.suptitle(f"扇形图 fan charts — {what}; 情景 scenario: {projection.scenario.name} "
                     f"{projection.scenario.title}".rstrip(), fontsize=11)
        if handles:
            fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=min(len(handles), 6),
                       fontsize=8, frameon=False)
    return fig


def comparison_chart(projections, indicators=None, measure: str = "growth"):
    """Small multiples: the median and 80% band of each scenario, one panel per indicator.

    Parameters
    ----------
    projections : list of Projection
    indicators : list of str, optional
        Default: every indicator projected by all of the scenarios.
    measure : {"growth", "level"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    _ensure_backend()
    if indicators is None:
        indicators = [k for k in projections[0].indicators if all(k in p.indicators for p in projections[1:])]
    frames = [p.to_frame() for p in projections]
    with chart_style():
        fig, axes = _grid(len(indicators), panel=(4.2, 3.2))
        for ax, key in zip(axes, indicators):
            for j, (p, f) in enumerate(zip(projections, frames)):
                rows = f[(f["indicator"] == key) & (f["measure"] == measure) & f["year"].str.fullmatch(r"\d{4}")]
                if not len(rows):
                    continue
                x = rows["year"].astype(int).to_numpy()
                color = f"C{j}"
                ax.fill_between(x, rows["p10"], rows["p90"], color=color, alpha=0.15, lw=0)
                ax.plot(x, rows["p50"], color=color, lw=2, marker=".", label=p.scenario.name)
            ax.set_title(_ind.label(key), fontsize=9)
            ax.grid(alpha=0.3)
            ax.xaxis.get_major_locator().set_params(integer=True)
        handles, labels = axes[0].get_legend_handles_labels()
        what = "增长率 growth (%)" if measure == "growth" else "水平 level"
        fig.suptitle(f"情景比较 scenario comparison — {what}: 中位数与80%区间 median and 80% band", fontsize=11)
        if handles:
            fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 5), fontsize=9, frameon=False)
    return fig


def figure_to_png(fig, dpi: int = 110) -> bytes:
    """PNG bytes of `fig`, rendered with the Agg canvas and the CJK chart style."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    with chart_style():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def figure_to_png_base64(fig, dpi: int = 80) -> str:
    """Base64 PNG of `fig`, for inline HTML."""
    return base64.b64encode(figure_to_png(fig, dpi=dpi)).decode("ascii")


def tornado_chart(effects, output: str, ax=None):
    """Tornado chart: each swept assumption's effect on one output, widest bar on top.

    Parameters
    ----------
    effects : pandas.DataFrame
        Columns ``key, low, high`` (the output at the bottom and top of the key's range, the other
        keys at their mean) and ``centre`` (the output at every key's mean).
    output : str
        The output's label (axis title).
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 0.6 + 0.5 * max(len(effects), 1)))
    with chart_style():
        order = effects.assign(width=(effects["high"] - effects["low"]).abs()).sort_values("width")
        centre = float(effects["centre"].iloc[0]) if len(effects) else 0.0
        for y, row in enumerate(order.itertuples(index=False)):
            ax.barh(y, row.low - centre, left=centre, color="#c44e52", height=0.6)
            ax.barh(y, row.high - centre, left=centre, color="#4c72b0", height=0.6)
        ax.set_yticks(range(len(order)), order["key"].tolist())
        ax.axvline(centre, color="black", lw=0.8)
        ax.set_xlabel(f"{output} (red: key at START, blue: at STOP)")
        ax.set_title("敏感性 sensitivity — one-at-a-time effects")
        fig.tight_layout()
    return fig


def heat_map(frame, x: str, y: str, value: str, ax=None):
    """Heat map of `value` over two swept keys (columns `x` and `y` of `frame`, one row per point)."""
    fig, ax = _new_axes(ax, figsize=(6.5, 5.0))
    with chart_style():
        grid = frame.pivot_table(index=y, columns=x, values=value, aggfunc="mean")
        if len(grid.index) * len(grid.columns) == len(frame):
            mesh = ax.pcolormesh(grid.columns, grid.index, grid.to_numpy(), shading="nearest", cmap="viridis")
        else:  # scattered points (Latin hypercube)
            mesh = ax.scatter(frame[x], frame[y], c=frame[value], cmap="viridis", s=30)
        fig.colorbar(mesh, ax=ax, label=value)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title("二维敏感性 two-way sweep")
        fig.tight_layout()
    return fig
