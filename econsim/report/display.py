"""Display helpers the report notebook calls: bilingual headings and notes, styled tables, figures.

Headings and notes come in Chinese and English and are shown by the report's ``language``
(``zh-en``, ``zh`` or ``en``); user text is escaped.
"""
from __future__ import annotations




def _pick(language: str, zh: str, en: str) -> str:
    return {"zh": zh, "en": en}.get(language, f"{zh} / {en}")


def section(zh: str, en: str, language: str = "zh-en", level: int = 2):
    """A heading in the report's language(s), e.g. ``## 目标 / Targets``."""
    from IPython.display import Markdown

    return Markdown(f"{'#' * level} {_pick(language, zh, en)}")


def note(zh: str, en: str, language: str = "zh-en"):
    """A paragraph in the report's language(s) (both, one per line, when bilingual)."""
    from IPython.display import Markdown

    text = {"zh": zh, "en": en}.get(language, f"{zh}\n\n{en}")
    return Markdown(text)


def styled(frame, *, caption: str | None = None, digits: int = 2, percent=(), status_column="status"):
    """A DataFrame as a pandas Styler: numbers rounded, probabilities as percent, derived rows in italics.

    Parameters
    ----------
    frame : pandas.DataFrame
    caption : str, optional
    digits : int
        Decimals of float columns.
    percent : sequence of str
        Columns holding probabilities 0–1, shown as ``85%``.
    status_column : str
        Rows whose status is ``derived`` (computed by econsim, not reported) are set in grey italics.
    """
    from pandas.api.types import is_float_dtype

    frame = frame.reset_index(drop=True)
    fmt = {c: f"{{:.{digits}f}}" for c in frame.columns if is_float_dtype(frame[c]) and c not in percent}
    fmt.update({c: "{:.0%}" for c in percent if c in frame})
    sty = frame.style.format(fmt, na_rep="–").hide(axis="index")
    if status_column in frame:
        def grey(row):
            derived = row.get(status_column) == "derived"
            return ["color: #666; font-style: italic" if derived else "" for _ in row]
        sty = sty.apply(grey, axis=1)
    if caption:
        sty = sty.set_caption(caption)
    return sty


def title(scenario, params: dict):
    """The report's title and the line saying what was run (scenario, month, draws, seed)."""
    from IPython.display import Markdown

    name = f"{scenario.name} {scenario.title}".strip()
    lang = params["language"]
    head = _pick(lang, f"经济预测报告：{name}", f"Forecast report: {name}")
    line = _pick(lang, f"数据截至 {params['as_of']} · 地区 {scenario.region} · {params['draws']} 次模拟 · 随机种子 {params['seed']}",
                 f"data as of {params['as_of']} · region {scenario.region} · {params['draws']} draws · seed {params['seed']}")
    return Markdown(f"# {head}\n\n{line}\n\n" + _pick(
        lang, "econsim 计算的一切数字（推算、预测、概率）状态均为 derived，不是公布数。",
        "Everything econsim computes (reconstructions, projections, probabilities) has status derived and is "
        "not a reported figure."))


def figure(fig, dpi: int = 90):
    """`fig` as an inline PNG image for the notebook (and so for the HTML report)."""
    from IPython.display import Image

    from ..plotting import figure_to_png

    return Image(data=figure_to_png(fig, dpi=dpi), format="png")
