"""The report layer: notebook parameters, the publish lock, the kernel, rendering and publishing,
and the sections and display helpers the report notebook calls.

The notebooks use ``from econsim import report`` and call the helpers below through it, so this
package re-exports them; each lives in the module named beside it.
"""
from .display import bullets, escape_text, figure, note, section, styled, title
from .parameters import validate_parameters
from .render import ReportFailed, ReportResult, render_report
from .sections import (aims_table, comparison_chart, comparison_table, consistency_findings, finding_sentences,
                       latest_figures, model_diagnostics, nowcast_message, nowcast_table, outlook_table,
                       plan_history, plan_history_chart, plan_history_wide, provenance, summary_chart,
                       summary_findings)
from .worker import ForecastReport

__all__ = ["ForecastReport", "ReportFailed", "ReportResult", "aims_table", "bullets", "comparison_chart",
           "comparison_table", "consistency_findings", "escape_text", "figure", "finding_sentences", "outlook_table",
           "summary_chart", "summary_findings", "latest_figures", "model_diagnostics", "note", "nowcast_message",
           "nowcast_table", "plan_history", "plan_history_chart", "plan_history_wide", "provenance",
           "render_report", "section", "styled", "title", "validate_parameters"]
