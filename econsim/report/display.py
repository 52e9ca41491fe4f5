"""What the report displays: headings, paragraphs, tables and figures, with every user text escaped.

Scenario titles and descriptions, region names, data sources, locators and notes are data typed by
users.  Everything here emits HTML (never Markdown, whose renderer passes raw HTML and turns
``[x](javascript:...)`` into links) and every piece of text goes through :func:`escape_text` — the
one escaping helper of the report — or through a pandas Styler formatted with ``escape="html"``.
Headings and notes come in Chinese and English and are shown by the report's ``language``
(``zh-en``, ``zh`` or ``en``).
"""
from __future__ import annotations




def _pick(language: str, zh: str, en: str) -> str:
    return {"zh": zh, "en": en}.get(language, f"{zh} / {en}")


def escape_text(text) -> str:
    """`text` as inert HTML: ``< > & " '`` as entities, and ``{ } [ ] ( ) $ ` \\`` too.

    The brackets and braces keep Markdown link syntax and template markers (``{{ }}``) literal
    wherever the text ends up; ``$`` keeps MathJax from typesetting it.  Every user-supplied text the
    report shows passes through here exactly once.
    """
    import html

    out = html.escape(str(text), quote=True)
    return out.translate({ord(c): f"&#{ord(c)};" for c in "{}[]()$`\\"})


def _html(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def section(zh: str, en: str, language: str = "zh-en", level: int = 2):
    """A heading in the report's language(s), e.g. ``目标 / Targets`` as ``<h2>``."""
    return _html(f"<h{level}>{escape_text(_pick(language, zh, en))}</h{level}>")


def note(zh: str, en: str, language: str = "zh-en"):
    """A paragraph in the report's language(s) (both, one per line, when bilingual)."""
    texts = {"zh": [zh], "en": [en]}.get(language, [zh, en] if zh != en else [zh])
    return _html("".join(f"<p>{escape_text(t)}</p>" for t in texts))


def bullets(items):
    """A bulleted list of `items` (plain sentences, escaped)."""
    return _html("<ul>" + "".join(f"<li>{escape_text(t)}</li>" for t in items) + "</ul>")


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
    sty = frame.style.format(fmt, na_rep="–", escape="html").format_index(escape="html", axis=1)
    sty = sty.hide(axis="index")
    if status_column in frame:
        def grey(row):
            derived = row.get(status_column) == "derived"
            return ["color: #666; font-style: italic" if derived else "" for _ in row]
        sty = sty.apply(grey, axis=1)
    if caption:
        sty = sty.set_caption(escape_text(caption))
    return sty


def title(scenario, params: dict):
    """The report's title and the line saying what was run (scenario, region, month, draws, seed)."""
    name = f"{scenario.name} {scenario.title}".strip()
    lang = params["language"]
    head = _pick(lang, f"经济预测报告：{name}", f"Forecast report: {name}")
    line = _pick(lang, f"数据截至 {params['as_of']} · 地区 {scenario.region} · {params['draws']} 次模拟 · "
                       f"随机种子 {params['seed']}",
                 f"data as of {params['as_of']} · region {scenario.region} · {params['draws']} draws · "
                 f"seed {params['seed']}")
    derived = _pick(lang, "econsim 计算的一切数字（推算、预测、概率）状态均为 derived，不是公布数。",
                    "Everything econsim computes (reconstructions, projections, probabilities) has status "
                    "derived and is not a reported figure.")
    return _html(f"<h1>{escape_text(head)}</h1><p>{escape_text(line)}</p><p><small>{escape_text(derived)}"
                 "</small></p>")


def figure(fig, dpi: int = 90):
    """`fig` as an inline PNG image for the notebook (and so for the HTML report).

    The PNG is reduced to a 256-colour palette (Pillow's median cut): charts of a few flat colours
    look the same at a third of the bytes, which keeps the HTML light and its export fast.
    """
    import io

    from IPython.display import Image
    from PIL import Image as PILImage

    from ..plotting import figure_to_png

    rgba = PILImage.open(io.BytesIO(figure_to_png(fig, dpi=dpi))).convert("RGB")
    buf = io.BytesIO()
    rgba.quantize(colors=256, method=PILImage.Quantize.MEDIANCUT).save(buf, format="png", optimize=True)
    return Image(data=buf.getvalue(), format="png")
