"""The scenario layer: scenario specs and files, the pure NumPy Monte Carlo engine, projections,
targets and the files a run writes.
"""
