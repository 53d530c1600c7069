"""Source configuration: the bundled snapshot loads, and bad files fail with a clear message."""

from __future__ import annotations

from dataclasses import fields

import pytest

from extract.config import ConfigError, load_config
from extract.connectors import CONNECTORS, get_connector
from extract.http import Policy


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


# ---------- unknown connectors, options and keys are refused with the valid names


def _write(tmp_path, text):
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return path


def test_unknown_connector_is_refused_naming_it_the_file_and_the_valid_ones(tmp_path):
    path = _write(tmp_path, "sources: [{name: gh, connector: grenhouse}]")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert isinstance(err.value, ValueError)
    assert str(path) in message and "'gh'" in message
    assert "unknown connector 'grenhouse' (did you mean 'greenhouse'?)" in message
    assert all(name in message for name in CONNECTORS)


@pytest.mark.parametrize("connector", ["[ashby]", "{a: 1}", "5"])
def test_a_connector_that_is_no_name_is_refused(tmp_path, connector):
    with pytest.raises(ConfigError, match="unknown connector"):
        load_config(_write(tmp_path, f"sources: [{{name: a, connector: {connector}}}]"))


def test_unknown_source_option_is_refused_naming_it_the_file_and_the_valid_ones(tmp_path):
    path = _write(tmp_path, "sources: [{name: r, connector: remotive, max_page: 2,"
                            " rate_per_second: 0.5}]")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message and "'r'" in message
    assert "unknown option 'max_page' (did you mean 'max_pages'?)" in message
    assert all(f.name in message for f in fields(Policy))


def test_known_options_load_and_reach_the_policy(tmp_path):
    path = _write(tmp_path, "version: 1\nsources: [{name: r, connector: remotive, max_pages: 2,"
                            " timeout: 5, refetch_after_hours: 6}]")
    source = load_config(path).source("r")
    policy = Policy.from_options(source.options)
    assert (policy.max_pages, policy.timeout, policy.refetch_after_hours) == (2, (5.0, 5.0), 6)


def test_an_option_value_policy_cannot_take_is_refused_at_load(tmp_path):
    with pytest.raises(ConfigError, match="'r'"):
        load_config(_write(tmp_path, "sources: [{name: r, connector: remotive, timeout: soon}]"))


def test_unknown_top_level_key_is_refused(tmp_path):
    path = _write(tmp_path, "replaydir: payloads\nsources: [{name: a, connector: ashby}]")
    with pytest.raises(ConfigError, match=r"unknown top-level key 'replaydir' \(did you mean "
                                          r"'replay_dir'\?\); valid: replay_dir, sources, "
                                          r"version"):
        load_config(path)


def test_policy_from_options_refuses_unknown_options():
    with pytest.raises(ValueError) as err:
        Policy.from_options({"max_pages": 3, "retires": 2, "colour": "red"})
    message = str(err.value)
    assert "unknown options 'colour', 'retires' (did you mean 'retries'?)" in message
    assert "valid options: backoff, deadline, max_bytes, max_pages" in message
    assert Policy.from_options({}) == Policy()
    assert Policy.from_options({"timeout": [3, 4]}).timeout == (3.0, 4.0)


def test_get_connector_refuses_an_unknown_name_with_the_valid_ones():
    with pytest.raises(ValueError, match="unknown connector 'nope'; valid connectors: arbeitnow"):
        get_connector("nope")


def test_every_shipped_configuration_loads():
    from extract.config import SNAPSHOT_CONFIG
    from schemas.project import PROJECT_ROOT

    for path in (SNAPSHOT_CONFIG, PROJECT_ROOT / "config" / "sources.yaml"):
        assert load_config(path).sources
