"""The report's kernel and notebook files: a temporary kernelspec for this very interpreter,
finding the report notebook, and exporting it to HTML without code.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..errors import InputError

NOTEBOOK = "forecast_report.ipynb"


# --------------------------------------------------------------------------- kernels

@contextlib.contextmanager
def kernel_for_this_interpreter():
    """A kernelspec name that runs notebooks on ``sys.executable`` (the Python running econsim).

    Writes a temporary kernelspec (``sys.executable -m ipykernel_launcher``) and puts its
    directory first on ``JUPYTER_PATH`` for the duration of the block, so that a fresh
    virtual environment needs no ``ipykernel install`` and a user's own ``python3`` kernelspec
    pointing at another environment is not picked up by mistake.
    """
    digest = hashlib.sha256(sys.executable.encode()).hexdigest()[:10]
    name = f"econsim-{digest}"
    root = Path(tempfile.mkdtemp(prefix="econsim-kernel-"))
    spec_dir = root / "kernels" / name
    spec_dir.mkdir(parents=True)
    # The kernel talks to papermill over loopback TCP; ipykernel 7 warns about plain-text TCP on
    # every start, which is noise in a scheduled job's log.  Errors still reach stderr, and
    # everything the notebook does is in its outputs.
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                     "--IPKernelApp.log_level=ERROR"],
            "display_name": f"Python {sys.version_info.major}.{sys.version_info.minor} (econsim)",
            "language": "python", "metadata": {"debugger": False}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root)] + ([old] if old else []))
    try:
        yield name
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- rendering

def find_notebook(name: str = NOTEBOOK) -> Path:
    """The report notebook: ``./notebooks/<name>`` first, then the one bundled with econsim."""
    from ..io import resources

    p = resources.find("notebooks", name)
    if p is None:
        raise InputError("report notebook not found in ./notebooks or in the installed econsim; "
                         "reinstall econsim", path=f"notebooks/{name}")
    return p


def export_html(notebook_path, html_path) -> Path:
    """Export an executed notebook to HTML without its code (nbconvert, ``exclude_input=True``)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook_path), as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _resources = exporter.from_notebook_node(nb)
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


def _restore_kernelspec(notebook_path, kernelspec: dict | None) -> None:
    """Give the executed notebook back the source's kernelspec (not our temporary one)."""
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    if kernelspec:
        nb.metadata["kernelspec"] = kernelspec
    else:
        nb.metadata.pop("kernelspec", None)
    nbformat.write(nb, str(notebook_path))
