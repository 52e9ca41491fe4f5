"""The interactive scenario lab: ``econsim.lab(scenario, data=None, region=None)`` in JupyterLab.

A :class:`ScenarioLab` holds an editable copy of a scenario and its projection.  In a notebook it shows
(ipywidgets, the ``[lab]`` extra) one row of controls per indicator — the growth centre of each year
(a number in percent, or ``model`` for the forecaster's path), the spread (a stated standard deviation
``sd`` in percentage points where the scenario gives one, else the scale on the model's own spread)
and a shock (size in percentage points, first year, persistence) — with the fan chart of a chosen
indicator and the target table below, redrawn on every change (``ipywidgets.interactive_output``).
"Save as" writes the edited scenario as a YAML file that ``econsim run`` accepts and that projects to
the same numbers with the same seed; "Export" writes the results workbook.

Without a browser (papermill, nbconvert) the widgets are not drawn, but every change can be made
with the same methods the controls call (:meth:`ScenarioLab.set_growth`, :meth:`set_spread`,
:meth:`set_shock`), and the lab's HTML form shows the current projection.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError


class ScenarioLab:
    """An editable scenario, its projection, and the widgets that change it.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A loaded scenario, or a name/path for :func:`econsim.load_scenario`.
    data : Dataset, str or Path, optional
        The observations (a Dataset, or a CSV/.xlsx file); default the bundled data.
    region : str, optional
        Project this region instead of the scenario's.
    draws : int
        Monte Carlo draws per update (timings: ``benchmarks/lab_benchmark.py``).
    seed : int, optional
        Default: the scenario's seed.

    Attributes
    ----------
    baseline : Scenario
        The scenario as loaded (for comparison).
    scenario : Scenario
        The edited scenario.
    projection : Projection
        The projection of `scenario`, recomputed after every change.
    """

    def __init__(self, scenario, data=None, region=None, *, draws: int = 1000, seed: int | None = None):
        from ..data.dataset import Dataset, load_dataset
        from ..scenario.edit import scenario_from_dict
        from ..scenario.files import load_scenario
        from ..scenario.spec import Scenario

        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        if region is not None and region != sc.region:
            raw = sc.to_dict()
            raw["region"] = region
            sc = scenario_from_dict(raw, where=f"scenario {sc.name}", path=sc.path)
        self.dataset = data if isinstance(data, Dataset) else load_dataset(data)
        self.dataset.require_region(sc.region)
        self.baseline = sc
        self.scenario = sc
        self.draws = int(draws)
        self.seed = sc.seed if seed is None else int(seed)
        self.projection = self._project(sc)
        self.baseline_projection = self.projection
        self.message = ""
        self._ui = None
        self._controls = {}

    # -- edits (the widgets call these) ----------------------------------------------------------
    def _project(self, sc):
        from ..scenario.projection import project

        return project(sc, self.dataset, draws=self.draws, seed=self.seed)

    def _apply(self, indicator: str, **settings) -> "ScenarioLab":
        from ..scenario.edit import edit_indicator

        if indicator not in self.scenario.indicators:
            from ..errors import did_you_mean

            raise InputError(f"'{indicator}' is not in scenario {self.scenario.name}"
                             f"{did_you_mean(indicator, self.scenario.indicators)}", key="indicator")
        edited = edit_indicator(self.scenario, indicator, **settings)
        self.projection = self._project(edited)
        self.scenario = edited
        return self

    def set_growth(self, indicator: str, year: int, centre) -> "ScenarioLab":
        """Set the growth centre of one year: percent, or ``"model"`` for the forecaster's path."""
        return self._apply(indicator, growth={int(year): centre})

    def set_spread(self, indicator: str, value: float) -> "ScenarioLab":
        """Set the spread: ``sd`` (percentage points) if the scenario states one, else the uncertainty scale."""
        key = "sd" if self.scenario.indicators[indicator].sd is not None else "uncertainty"
        return self._apply(indicator, **{key: float(value)})

    def set_shock(self, indicator: str, size: float, start: int, persistence: float = 0.0) -> "ScenarioLab":
        """Replace the indicator's shocks by one (``size`` pp from ``start``, fading by ``persistence``);
        size 0 removes them."""
        shocks = [] if float(size) == 0 else [{"size": float(size), "start": int(start),
                                                "persistence": float(persistence)}]
        return self._apply(indicator, shocks=shocks or None)

    def reset(self) -> "ScenarioLab":
        """Back to the scenario as loaded."""
        self.scenario, self.projection = self.baseline, self.baseline_projection
        return self

    # -- results ------------------------------------------------------------------------------------
    def save_as(self, path, *, name: str | None = None) -> Path:
        """Write the edited scenario as YAML that ``econsim run`` accepts.

        The file's ``name`` is its stem (or `name`) and its ``seed`` the lab's, so ``econsim run FILE
        --draws N`` with the lab's draws gives the lab's projection; ``draws`` stays the scenario's.
        """
        from ..scenario.edit import save_scenario
        from ..scenario.files import load_scenario

        path = save_scenario(self.scenario, path, name=name, seed=self.seed)
        saved = load_scenario(path)
        self.scenario = saved
        self.projection = self._project(saved)
        return path

    def export(self, path) -> Path:
        """Write the results workbook of the edited scenario (see :mod:`econsim.scenario.export`)."""
        return self.projection.to_excel(path, dataset=self.dataset)

    def compare(self):
        """The baseline and the edited projection side by side (:func:`econsim.compare`)."""
        from ..scenario.projection import compare

        base = self.baseline_projection
        if self.scenario.name == base.scenario.name and self.projection is not base:
            import dataclasses

            edited = dataclasses.replace(self.projection,
                                         scenario=dataclasses.replace(self.scenario,
                                                                      name=f"{self.scenario.name} (edited)"))
            return compare([base, edited])
        return compare([base, self.projection])

    # -- the widgets --------------------------------------------------------------------------------
    def controls(self) -> dict:
        """The control widgets by name (``gdp:2027``, ``gdp:spread``, ``gdp:shock``, …, ``chart``)."""
        import ipywidgets as w

        sc = self.scenario
        out = {}
        for key, spec in sc.indicators.items():
            for year in sc.years:
                centre = spec.growth.get(year, "model")
                out[f"{key}:{year}"] = w.Text(value=str(centre), description=str(year), continuous_update=False,
                                              layout=w.Layout(width="130px"), style={"description_width": "36px"})
            if spec.links:
                continue
            stated = spec.sd is not None
            out[f"{key}:spread"] = w.BoundedFloatText(
                value=spec.sd if stated else spec.uncertainty, min=0.0, max=50.0 if stated else 10.0, step=0.5,
                description="sd (pp)" if stated else "spread ×", layout=w.Layout(width="150px"))
            shock = spec.shocks[0] if spec.shocks else {"size": 0.0, "start": sc.years[0], "persistence": 0.0}
            narrow = {"description_width": "60px"}
            out[f"{key}:shock"] = w.FloatSlider(value=shock["size"], min=-20, max=20, step=0.5,
                                                description="shock pp", continuous_update=False, style=narrow,
                                                layout=w.Layout(width="260px"))
            out[f"{key}:shock_start"] = w.Dropdown(options=sc.years, value=shock["start"], description="from",
                                                   style={"description_width": "36px"},
                                                   layout=w.Layout(width="120px"))
            out[f"{key}:persistence"] = w.FloatSlider(value=shock["persistence"], min=0, max=1, step=0.1,
                                                      description="persist", continuous_update=False,
                                                      style=narrow, layout=w.Layout(width="240px"))
        from .. import indicators as _ind

        out["chart"] = w.Dropdown(options=[(_ind.label(k), k) for k in self.projection.indicators],
                                  value="gdp" if "gdp" in self.projection.indicators else self.projection.indicators[0],
                                  description="chart")
        return out

    def _update(self, **values) -> None:
        """Apply the controls' values (the interactive_output callback) and show chart and targets."""
        import time

        from IPython.display import display

        t0 = time.perf_counter()
        try:
            self._apply_values(values)
            self.message = ""
        except InputError as exc:
            self.message = exc.one_line()
            print(f"Not applied: {self.message}")
        from .display import figure

        display(figure(self.projection.fan_chart(values.get("chart") or self.projection.indicators[0])))
        self._show_targets()
        print(f"{self.projection.draws_count} draws, seed {self.seed}; updated in {time.perf_counter() - t0:.2f} s")

    def _apply_values(self, values: dict) -> None:
        from ..scenario.edit import edit_indicator

        sc = self.scenario
        for key, spec in sc.indicators.items():
            growth = {}
            for year in sc.years:
                text = str(values.get(f"{key}:{year}", spec.growth.get(year, "model"))).strip()
                try:
                    growth[year] = float(text)
                except ValueError:
                    growth[year] = text
            settings = {"growth": growth}
            if f"{key}:spread" in values:
                settings["sd" if spec.sd is not None else "uncertainty"] = float(values[f"{key}:spread"])
                size = float(values[f"{key}:shock"])
                settings["shocks"] = ([{"size": size, "start": int(values[f"{key}:shock_start"]),
                                        "persistence": float(values[f"{key}:persistence"])}] if size else None)
            sc = edit_indicator(sc, key, **settings)
        if sc.to_dict() != self.scenario.to_dict():
            self.projection = self._project(sc)
            self.scenario = sc

    def _show_targets(self) -> None:
        from IPython.display import display

        from .display import styled

        tg = self.projection.targets()
        if len(tg):
            display(styled(tg[["name", "year", "measure", "target", "probability", "required_growth"]],
                           percent=["probability"]))

    def widget(self):
        """The lab as one ipywidgets box: controls, save/export buttons, chart and targets."""
        import ipywidgets as w

        from .. import indicators as _ind

        ctl = self._controls = self.controls()
        rows = []
        for key, spec in self.scenario.indicators.items():
            parts = [ctl[f"{key}:{y}"] for y in self.scenario.years]
            parts += [ctl[n] for n in (f"{key}:spread", f"{key}:shock", f"{key}:shock_start", f"{key}:persistence")
                      if n in ctl]
            rows.append(w.VBox([w.HTML(f"<b>{_html(_ind.label(key))}</b>"
                                       + (" (linked)" if spec.links else "")),
                                 w.HBox(parts, layout=w.Layout(flex_flow="row wrap"))]))
        out = w.interactive_output(self._update, ctl)
        name = w.Text(value=f"{self.scenario.name}_edited", description="file")
        status = w.HTML()
        save, export = w.Button(description="Save as YAML"), w.Button(description="Export Excel")

        def on_save(_):
            try:
                status.value = f"saved <code>{_html(self.save_as(Path(name.value).with_suffix('.yaml')))}</code>"
            except InputError as exc:
                status.value = f"not saved: {_html(exc.one_line())}"

        def on_export(_):
            path = self.export(Path(name.value).with_suffix(".xlsx"))
            status.value = f"exported <code>{_html(path)}</code>"

        save.on_click(on_save)
        export.on_click(on_export)
        header = w.HTML(f"<b>Scenario lab 情景实验室</b>: {_html(self.scenario.name)} {_html(self.scenario.title)}, "
                        f"region {_html(self.scenario.region)}. Growth centres in % (or <code>model</code>); "
                        "every projected figure is <i>derived</i>.")
        self._ui = w.VBox([header, *rows, ctl["chart"], w.HBox([name, save, export, status]), out])
        return self._ui

    def _ipython_display_(self):
        from IPython.display import display

        try:
            import ipywidgets  # noqa: F401
        except ImportError:
            display(self.projection)
            print("Install the lab extra for the controls: pip install 'econsim[lab]'")
            return
        display(self.widget())

    def __repr__(self) -> str:
        return (f"ScenarioLab(scenario={self.scenario.name!r}, region={self.scenario.region!r}, "
                f"draws={self.draws}, seed={self.seed})")


def _html(text) -> str:
    import html

    return html.escape(str(text))


def lab(scenario="baseline", data=None, region=None, *, draws: int = 1000, seed: int | None = None) -> ScenarioLab:
    """Open the interactive scenario lab in a notebook (see :class:`ScenarioLab`).

    Parameters
    ----------
    scenario : Scenario, str or Path
        Default ``"baseline"``.
    data : Dataset, str or Path, optional
        Your observations (CSV or .xlsx); default the bundled data.
    region : str, optional
        Default: the scenario's region.
    draws : int
        Draws per update (default 1000; timings: ``benchmarks/lab_benchmark.py``).
    seed : int, optional
        Default: the scenario's seed.

    Returns
    -------
    ScenarioLab
        Displayed as the lab's widgets when it is the last expression of a cell.
    """
    return ScenarioLab(scenario, data, region, draws=draws, seed=seed)
