"""Source configuration: the bundled snapshot loads, and bad files fail with a clear message."""

from __future__ import annotations

import pytest

from extract.config import ConfigError, load_config
from extract.connectors import CONNECTORS


def test_snapshot_config_names_known_connectors_and_existing_payloads():
    config = load_config()  # default: the bundled snapshot
    assert len(config.sources) >= 10
    for source in config.sources:
        assert source.connector in CONNECTORS
        for part in source.partitions:
            assert part.replay is not None and part.replay.is_file(), part


def test_employer_boards_carry_their_sector():
    ashby = load_config().source("ashby")
    sectors = {p.sector for p in ashby.partitions}
    assert None not in sectors and len(sectors) >= 8


@pytest.mark.parametrize(("text", "message"), [
    ("sources: [{name: a}]", "needs 'name' and 'connector'"),
    ("sources:\n- {name: a, connector: ashby}\n- {name: a, connector: lever}", "used twice"),
    ("sources: [{name: a, connector: ashby, partitions: [{replay: x.json}]}]", "replay_dir"),
    ("just text", "expected a mapping"),
])
def test_bad_config_is_rejected_with_the_reason(tmp_path, text, message):
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_missing_config_file_names_the_path(tmp_path):
    with pytest.raises(ConfigError, match="nope.yaml"):
        load_config(tmp_path / "nope.yaml")


def test_unknown_source_is_named():
    with pytest.raises(ConfigError, match="'nowhere'"):
        load_config().source("nowhere")
