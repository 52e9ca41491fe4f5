"""The indicator registry: every indicator econsim knows, with its names and nature.

Chinese names are as the work report and statistical releases write them; English beside.
Keys are a contract used by data files, scenarios and reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas


@dataclass(frozen=True)
class Indicator:
    """One statistical indicator.

    Attributes
    ----------
    key : str
        Identifier used in data files and scenarios (``gdp``, ``industrial_va``, ...).
    name_zh, name_en : str
        Chinese name as in the report; English name.
    unit : str
        Unit of the indicator's level (``CNY_100m`` = 亿元, ``USD_10k`` = 万美元, ...).
    kind : str
        ``flow`` (a total over the year) or ``stock`` (a count or balance at year end).
    growth_basis : str
        Basis on which growth rates are usually reported: ``comparable`` (可比价, real)
        or ``nominal`` (现价).
    """

    key: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    growth_basis: str

    @property
    def label(self) -> str:
        """Bilingual label for tables and charts, e.g. ``地区生产总值 GDP``."""
        return f"{self.name_zh} {self.name_en}"


_REGISTRY = [
    Indicator("gdp", "地区生产总值", "GDP", "CNY_100m", "flow", "comparable"),
    Indicator("industrial_va", "规上工业增加值", "Industrial value added (above designated size)",
              "CNY_100m", "flow", "comparable"),
    Indicator("industrial_output", "工业产值", "Industrial output", "CNY_100m", "flow", "comparable"),
    Indicator("fixed_investment", "固定资产投资", "Fixed-asset investment", "CNY_100m", "flow", "nominal"),
    Indicator("retail_sales", "社会消费品零售总额", "Retail sales of consumer goods", "CNY_100m", "flow",
              "nominal"),
    Indicator("foreign_trade", "外贸进出口总额", "Foreign trade (imports + exports)", "CNY_100m", "flow",
              "nominal"),
    Indicator("exports", "出口总额", "Exports", "CNY_100m", "flow", "nominal"),
    Indicator("imports", "进口总额", "Imports", "CNY_100m", "flow", "nominal"),
    Indicator("budget_revenue", "一般公共预算收入", "General public budget revenue", "CNY_100m", "flow",
              "nominal"),
    Indicator("budget_revenue_excl_tax_cuts", "一般公共预算收入(剔除减税降费)",
              "Budget revenue excluding tax and fee cuts", "CNY_100m", "flow", "nominal"),
    Indicator("fdi_used", "实际利用外资", "Foreign direct investment actually used", "USD_10k", "flow",
              "nominal"),
    Indicator("software_revenue", "软件和信息技术服务业收入", "Software and IT services revenue", "CNY_100m",
              "flow", "nominal"),
    Indicator("tech_services_revenue", "技术服务收入", "Technology services revenue", "CNY_100m", "flow",
              "nominal"),
    Indicator("housing_sales_area", "商品房销售面积", "Commercial housing sales (floor area)", "m2_10k",
              "flow", "nominal"),
    Indicator("land_supply", "土地供应", "Land supplied", "hectare", "flow", "nominal"),
    Indicator("new_urban_jobs", "城镇新增就业", "New urban jobs", "persons", "flow", "nominal"),
    Indicator("good_air_days_share", "空气优良天数占比", "Share of good-air days", "pct", "stock", "nominal"),
    Indicator("high_tech_enterprises_new", "新认定高新技术企业", "Newly certified high-tech enterprises",
              "firms", "flow", "nominal"),
    Indicator("little_giants_new", "新增国家级专精特新“小巨人”企业", "New national 'little giant' firms",
              "firms", "flow", "nominal"),
    Indicator("rd_intensity_firms", "规上企业研发经费投入强度", "R&D spending of above-scale firms (share of revenue)",
              "pct", "stock", "nominal"),
]

INDICATORS: dict[str, Indicator] = {i.key: i for i in _REGISTRY}

#: Multipliers to convert a level unit into the indicator's registry unit: (unit, registry unit) -> factor.
UNIT_FACTORS = {("USD_100m", "USD_10k"): 10_000.0}

#: How each unit is written in sentences and tables.
UNIT_TEXT = {"CNY_100m": "亿元", "USD_10k": "万美元", "USD_100m": "亿美元", "pct": "%", "m2_10k": "万㎡",
             "hectare": "公顷", "persons": "人", "firms": "家"}


def converts_to_registry_unit(unit: str, indicator: str) -> bool:
    """Whether a level of `indicator` given in `unit` can be brought into its registry unit."""
    registry_unit = INDICATORS[indicator].unit
    return unit == registry_unit or (unit, registry_unit) in UNIT_FACTORS


def unit_factor(unit: str, indicator: str) -> float:
    """The multiplier that brings a figure of `indicator` in `unit` into the registry unit.

    1.0 when `unit` is the registry unit already, or ``pct`` (growth rates are unitless), or a unit
    with no known conversion (files are validated against :func:`converts_to_registry_unit`).
    """
    return UNIT_FACTORS.get((unit, INDICATORS[indicator].unit), 1.0)


def to_registry_unit(value: float, unit: str, indicator: str) -> float:
    """`value` of `indicator`, given in `unit`, in the indicator's registry unit.

    Examples
    --------
    >>> to_registry_unit(1.5, "USD_100m", "fdi_used")  # 1.5 亿美元 = 15,000 万美元
    15000.0
    """
    return float(value) * unit_factor(unit, indicator)


def growth_kind(indicator: str, basis: str) -> str:
    """``"real"`` (可比价) or ``"nominal"`` (现价) growth of a figure with price basis `basis`.

    ``comparable`` is real and ``nominal`` nominal; an unstated basis (``unknown``) is read as the
    indicator is conventionally reported (its registry ``growth_basis``).
    """
    if basis in ("comparable", "nominal"):
        return "real" if basis == "comparable" else "nominal"
    return "real" if INDICATORS[indicator].growth_basis == "comparable" else "nominal"


def unit_text(unit: str) -> str:
    """How `unit` is written for readers (``CNY_100m`` -> ``亿元``); an unknown unit as it is."""
    return UNIT_TEXT.get(unit, unit)


def unit_suffix(unit: str) -> str:
    """What follows a number of `unit`: ``%`` right after it, or a space and the unit's text."""
    return "%" if unit == "pct" else f" {unit_text(unit)}"


def get(key: str) -> Indicator:
    """The registered indicator `key`; ``KeyError`` with a did-you-mean hint otherwise."""
    try:
        return INDICATORS[key]
    except KeyError:
        from .errors import did_you_mean

        raise KeyError(f"unknown indicator '{key}'{did_you_mean(key, INDICATORS)}") from None


def label(key: str) -> str:
    """Bilingual label of `key`, or the key itself if it is not registered."""
    ind = INDICATORS.get(key)
    return ind.label if ind else key


def registry_frame() -> pandas.DataFrame:
    """The registry as a pandas DataFrame (one row per indicator)."""
    import pandas as pd

    return pd.DataFrame([i.__dict__ for i in _REGISTRY]).set_index("key")
