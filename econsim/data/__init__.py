"""The data layer: the observations schema, the validated :class:`~econsim.data.dataset.Dataset`,
reconstruction of annual paths and consistency checks.
"""
