"""econsim's version, in the bottom layer so that the CLI and the report cache can read it without
importing the package front (``econsim/__init__.py``), which sits above every layer."""

__version__ = "0.1.0"
