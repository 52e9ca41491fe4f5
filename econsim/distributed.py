"""The optional Dask layer: the only module of econsim that imports Dask.

Work that splits into independent pieces (sweep points, regions, the series of a panel) goes
through :func:`map_items` or :func:`map_partitions_over_series`; work in stages whose pieces stay
on the workers between panel-wide steps (``forecast_panel``) through :func:`map_kept`.  With ``client=None`` the
pieces run here, in order, with a tqdm progress bar on a terminal; with a
``dask.distributed.Client`` they run on its workers with Dask's retries (a worker lost mid-run
is replaced and its pieces rerun) and Dask's progress bar.  Each piece's result depends only on
the piece (its own seed, its own series), and results are put back in the input order, so the
output is byte-identical in-process, on a :class:`~dask.distributed.LocalCluster` and on any
cluster, whatever the number of workers or partitions.

Install with ``pip install 'econsim[distributed]'``.  Without Dask everything runs in-process.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager

from .errors import InputError

#: Times Dask reruns a piece whose worker died before giving up.
RETRIES = 3

#: How long to try reaching a scheduler before reporting it unreachable.
CONNECT_TIMEOUT = "10s"


def _require_dask():
    try:
        import dask.distributed  # noqa: F401
    except ImportError as exc:
        raise InputError("--scheduler needs Dask: pip install 'econsim[distributed]' "
                         f"(or run without --scheduler, in-process) [{exc}]", key="scheduler") from None


@contextmanager
def connect(scheduler: str | None, *, workers: int = 2):
    """A Dask client for `scheduler`, closed on exit; None for in-process.

    Parameters
    ----------
    scheduler : str or None
        None: in-process (yields None).  ``"local"``: a :class:`~dask.distributed.LocalCluster` of
        `workers` single-threaded worker processes on this machine.  Anything else: the address of a
        running scheduler (``tcp://host:8786``, as ``dask-scheduler`` prints), whose workers must
        have econsim installed.
    workers : int
        Workers of a local cluster.
    """
    if scheduler is None:
        yield None
        return
    _require_dask()
    from dask.distributed import Client, LocalCluster

    if scheduler == "local":
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}", key="scheduler") from None
    try:
        yield client
    finally:
        client.close()


def _progress_bar(total: int, what: str):
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=what, unit=what.split()[-1], disable=not sys.stderr.isatty(), leave=False)


def map_items(fn, items, client=None, *, shared=None, what: str = "points", progress: bool = True) -> list:
    """``[fn(item, shared=shared) for item in items]``, in-process or on a Dask client, in the input order.

    Parameters
    ----------
    fn : callable
        A picklable function of one item (and `shared`); its result must depend only on them.
    items : sequence
    shared : object, optional
        Passed to every call as ``shared=``.  On a cluster it is sent to each worker once and kept
        there, so what it caches (a dataset's reconstructions) is computed once per worker, not per item.
    client : dask.distributed.Client, optional
        None runs here.
    what : str
        Label of the progress bar (``"sweep points"``).
    progress : bool
        Show progress (tqdm here on a terminal; Dask's bar on a cluster).
    """
    items = list(items)
    if client is None:
        bar = _progress_bar(len(items), what) if progress else None
        out = []
        for item in items:
            out.append(fn(item) if shared is None else fn(item, shared=shared))
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        return out
    from dask.distributed import progress as dask_progress

    extra = {} if shared is None else {"shared": client.scatter(shared, broadcast=True, hash=False)}
    futures = client.map(fn, items, retries=RETRIES, pure=False, **extra)
    if progress and sys.stderr.isatty():
        dask_progress(futures)
    try:
        return client.gather(futures)
    except BaseException:
        client.cancel(futures)
        raise


def default_partitions(client=None, partitions: int | None = None) -> int:
    """`partitions` if given (≥ 1), else 1 in-process and 4 per worker on a cluster."""
    if partitions is not None:
        if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
            raise ValueError(f"partitions must be an integer ≥ 1, got {partitions!r}")
        return partitions
    return 1 if client is None else 4 * max(1, len(client.scheduler_info().get("workers", {})))


def _first(pair):
    return pair[0]


def _second(pair):
    return pair[1]


def map_kept(fn, pieces, client=None, **shared) -> tuple:
    """One stage of a computation whose pieces stay on the workers between stages.

    ``fn(piece, **shared)`` returns ``(next_piece, result)``.  The results come back here, in the
    input order; the next pieces stay where they were computed (Dask futures on a cluster, the
    objects themselves in-process) and are what the next stage is given.  On a cluster a piece
    lost with its worker is recomputed from the earlier stages (Dask's lineage and retries).

    Parameters
    ----------
    fn : callable
        Picklable; its result must depend only on the piece and `shared`.
    pieces : list
        Pieces (or the futures a previous call returned).
    client : dask.distributed.Client, optional
        None runs here.
    **shared
        Keyword arguments given to every call (small: they travel with each task).

    Returns
    -------
    (list, list)
        The next pieces and the results.
    """
    if client is None:
        out = [fn(piece, **shared) for piece in pieces]
        return [o[0] for o in out], [o[1] for o in out]
    pairs = client.map(fn, pieces, retries=RETRIES, pure=False, **shared)
    kept = client.map(_first, pairs, retries=RETRIES, pure=False)
    try:
        results = client.gather(client.map(_second, pairs, retries=RETRIES, pure=False))
    except BaseException:
        client.cancel(pairs + kept)
        raise
    return kept, results


def partition_series(df, id_col: str, partitions: int) -> list:
    """Split a long panel into at most `partitions` frames, each holding whole series, in id order."""
    import numpy as np

    ids = df[id_col].drop_duplicates().sort_values(kind="stable").to_list()
    groups = [g.tolist() for g in np.array_split(np.array(ids, dtype=object), max(1, min(partitions, len(ids))))]
    return [df[df[id_col].isin(set(g))] for g in groups if len(g)]


def map_partitions_over_series(fn, df, client=None, *, id_col: str = "unique_id", partitions: int | None = None,
                               progress: bool = True):
    """Apply `fn` (one panel frame -> one long frame) to whole-series partitions and concatenate.

    Parameters
    ----------
    fn : callable
        Picklable; receives a frame holding complete series and returns a frame with `id_col`.
        Its rows for a series must depend only on that series.
    df : pandas.DataFrame
        Long panel (one row per series and period).
    client : dask.distributed.Client, optional
        None runs here.
    partitions : int, optional
        Number of partitions (default: 1 in-process, 4 per worker on a cluster).  The result does
        not depend on it.

    Returns
    -------
    pandas.DataFrame
        The partitions' results in series order (sorted by `id_col`, rows of a series in `fn`'s order).
    """
    import pandas as pd

    parts = partition_series(df, id_col, default_partitions(client, partitions))
    results = map_items(fn, parts, client, what="panel partitions", progress=progress)
    if not results:
        return fn(df.iloc[:0])
    out = pd.concat(results, ignore_index=True)
    return out.sort_values(id_col, kind="stable").reset_index(drop=True)
