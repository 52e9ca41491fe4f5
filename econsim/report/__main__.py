"""``python -m econsim.report SECTIONS_FILE``: the section worker that ``econsim report`` starts
(:func:`econsim.report.worker.sections_in_background`), parameters as JSON on stdin."""
import sys

from .worker import _sections_main

sys.exit(_sections_main())
