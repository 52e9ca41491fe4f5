"""The forecasting layer: model classes, the short-series auto forecaster, backtests and nowcasts.

Named ``forecasting`` (not ``forecast``) because :func:`econsim.forecast` is a public function.
"""
