"""The vocabulary's preferences: which status and which source win when a figure is reported twice."""
from econsim.data.schema import QUALITY_RANK, REPORTED_STATUSES, STATUS_RANK, STATUSES, quality_rank


def test_statuses_rank_actual_then_preliminary_then_derived_then_target_then_outside_forecast():
    assert sorted(STATUSES, key=STATUS_RANK.__getitem__) == ["actual", "preliminary", "derived", "target",
                                                            "forecast"]


def test_reported_statuses_are_actual_and_preliminary_only():
    assert REPORTED_STATUSES == ("actual", "preliminary")


def test_sources_rank_official_then_state_media_then_unstated_then_copies_then_derived():
    assert sorted(QUALITY_RANK, key=QUALITY_RANK.__getitem__) == [
        "official", "state_media", "", "unverified_copy", "derived"]


def test_a_missing_or_unknown_source_quality_ranks_as_unstated():
    assert quality_rank(None) == quality_rank("") == quality_rank("rumour") == 2
