"""Flat memory: draws streamed in chunks give the same summaries, to the bit, as draws held at once."""
import numpy as np
import pytest

from econsim.errors import InputError
from econsim.scenario import projection as projection_module
from econsim.scenario.engine import block_sizes
from econsim.scenario.projection import (DrawSummary, project, summarise_draws, summarise_stream)
from econsim.scenario.runs import targets_csv

BLOCK = 500          # paths per seed block in these tests (the real block is 250,000)
DRAWS = 2_300        # five blocks, the last one short


def run(baseline, ds, chunk, draws=DRAWS, seed=7):
    return project(baseline, ds, draws=draws, seed=seed, chunk_draws=chunk, block_draws=BLOCK)


@pytest.fixture(scope="module")
def in_memory(baseline, ds):
    return run(baseline, ds, chunk=DRAWS)


def test_a_run_within_one_chunk_keeps_its_draws(in_memory):
    assert in_memory.draws("gdp").shape == (DRAWS, 5)


@pytest.mark.parametrize("chunk", [BLOCK, 2 * BLOCK, 3 * BLOCK + 7])
def test_streamed_csv_is_byte_identical_to_the_in_memory_one_whatever_the_chunk(baseline, ds, in_memory, chunk):
    streamed = run(baseline, ds, chunk=chunk)
    assert streamed.growth is None                      # the draws were not kept
    assert streamed.to_csv() == in_memory.to_csv()
    assert targets_csv(streamed) == targets_csv(in_memory)


def test_a_streamed_projection_says_its_draws_were_not_kept(baseline, ds):
    streamed = run(baseline, ds, chunk=BLOCK)
    with pytest.raises(ValueError, match="did not keep"):
        streamed.draws("gdp")


def test_runs_within_one_seed_block_draw_from_the_seed_alone(baseline, ds):
    # The first block is default_rng(seed): a small run is what it was before chunking existed.
    small = project(baseline, ds, draws=300, seed=7)
    again = project(baseline, ds, draws=300, seed=7, block_draws=BLOCK)
    assert np.array_equal(small.draws("gdp").to_numpy(), again.draws("gdp").to_numpy())


def test_later_seed_blocks_come_from_spawned_seed_sequences(baseline, ds, in_memory):
    # Block 1 of the run equals a one-block run seeded with SeedSequence(7).spawn(2)[1].
    from econsim.scenario.engine import simulate
    from econsim.scenario.plan import prepare

    plan = prepare(baseline, ds)
    child = np.random.SeedSequence(7).spawn(2)[1]
    growth, _ = simulate(plan, BLOCK, np.random.default_rng(child))
    gdp = in_memory.indicators.index("gdp")
    assert np.array_equal(in_memory.growth[gdp, BLOCK:2 * BLOCK], growth[gdp])


def fake_chunks(values, sizes_per_chunk):
    """Chunks of one indicator with one year, as the engine yields them."""
    def chunks():
        start = 0
        for sizes in sizes_per_chunk:
            n = sum(sizes)
            part = values[start:start + n]
            start += n
            yield part.reshape(1, n, 1), part.reshape(1, n, 1) * 10, sizes
    return chunks


@pytest.mark.parametrize("n", [1, 2, 3, 10, 999, 4_000])
def test_streamed_percentiles_are_numpys_to_the_last_bit(n):
    rng = np.random.default_rng(n)
    values = rng.standard_t(3, n) * 4 + 6              # heavy tails: quantiles far from the first chunk's range
    sizes = block_sizes(n, 7)
    chunked = [sizes[i:i + 3] for i in range(0, len(sizes), 3)]
    streamed = summarise_stream(fake_chunks(values, chunked), ["gdp"], [2026], {("gdp", "2026", "growth"): [6.5]})
    fig = streamed.figures[("gdp", "2026", "growth")]
    assert fig.quantiles == tuple(np.percentile(values, projection_module.QUANTILES))
    assert fig.median == np.median(values)
    assert (fig.low, fig.high) == (values.min(), values.max())
    assert streamed.probability(("gdp", "2026", "growth"), 6.5) == np.mean(values >= 6.5)


def test_in_memory_and_streamed_summaries_agree_on_ties_and_constant_figures():
    values = np.repeat([1.0, 2.0, 2.0, 3.0], 250)
    chunks = fake_chunks(values, [[100] * 3, [100] * 7])
    streamed = summarise_stream(chunks, ["gdp"], [2026], {})
    growth, level, _ = next(fake_chunks(values, [[100] * 10])())
    held = summarise_draws(["gdp"], [2026], growth, level, {}, [100] * 10)
    assert streamed == held
    constant = summarise_stream(fake_chunks(np.full(900, 4.0), [[300], [300], [300]]), ["gdp"], [2026], {})
    assert constant.figures[("gdp", "2026", "growth")].quantiles == (4.0,) * 7


def test_a_figure_with_a_non_finite_draw_has_no_summary():
    values = np.arange(10.0)
    values[7] = np.nan
    streamed = summarise_stream(fake_chunks(values, [[5], [5]]), ["gdp"], [2026], {})
    assert not streamed.figures[("gdp", "2026", "growth")].finite
    assert np.isnan(DrawSummary(10, streamed.figures).probability(("gdp", "2026", "growth"), 1.0))


def test_draws_that_would_not_fit_are_refused_before_simulating(baseline, ds, monkeypatch):
    monkeypatch.setattr(projection_module, "available_memory", lambda: 50 * 2**20)
    with pytest.raises(InputError) as err:
        project(baseline, ds, draws=5_000_000)
    assert err.value.key == "draws" and "GiB" in err.value.message
