"""The `microcareer` command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import polars as pl

from microcareer.cli import main
from tests.paths import FIXTURES


def test_help_says_what_each_command_does_and_writes():
    out = subprocess.run([sys.executable, "-m", "microcareer.cli", "--help"],
                         capture_output=True, text=True, check=True).stdout
    for command in ("run", "summary", "validate"):
        assert command in out
    run_help = subprocess.run([sys.executable, "-m", "microcareer.cli", "run", "--help"],
                              capture_output=True, text=True, check=True).stdout
    assert "--config" in run_help and "manifest.json" in run_help


def test_summary_shows_tables_portable_skills_and_validation(small_run, capsys):
    data_dir, _ = small_run
    assert main(["summary", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "role_transfer" in out and "most portable skills" in out
    assert "Validation (Great Expectations): passed" in out
    ranked = [line for line in out.splitlines() if line.strip()[:3].strip(". ").isdigit()]
    assert len(ranked) == 10


def test_validate_passes_on_a_good_release_and_names_broken_tables(small_run, tmp_path,
                                                                    capsys):
    data_dir = tmp_path / "good"  # validate stores its results in the data folder
    shutil.copytree(small_run[0], data_dir, symlinks=True)
    assert main(["validate", "--data-dir", str(data_dir)]) == 0
    broken = tmp_path / "dataset"
    shutil.copytree(data_dir / "dataset", broken, ignore=shutil.ignore_patterns("releases"))
    pl.read_parquet(broken / "postings.parquet").with_columns(
        pl.lit(None, pl.String).alias("title")).write_parquet(broken / "postings.parquet")
    capsys.readouterr()
    assert main(["validate", "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL postings" in out and "postings.title" in out


def test_validate_without_a_dataset_says_so(tmp_path, capsys):
    assert main(["validate", "--data-dir", str(tmp_path)]) == 2
    assert "manifest.json" in capsys.readouterr().err


def test_run_with_an_unknown_connector_exits_2_naming_it_before_any_work(tmp_path, capsys):
    config = tmp_path / "sources.yaml"
    config.write_text("sources: [{name: gh, connector: grenhouse}]")
    data = tmp_path / "data"
    assert main(["run", "--config", str(config), "--data-dir", str(data),
                 "--date", "2026-11-01"]) == 2
    err = capsys.readouterr().err
    assert "unknown connector 'grenhouse' (did you mean 'greenhouse'?)" in err
    assert str(config) in err and "Traceback" not in err
    assert not data.exists()


# `microcareer run` with failing sources (exit 3, problems on stderr): tests/e2e/test_scenario.py.


def _jsonl(command, lines, *extra):
    import json

    proc = subprocess.run([sys.executable, "-m", "microcareer.cli", command, "--input", "-",
                           "--output", "-", *extra], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()], proc.stderr


def test_roles_command_keeps_input_order_and_survives_bad_lines():
    out, err = _jsonl("roles", ['{"id": 1, "title": "Pharmacist"}', "not json",
                                '{"id": "x", "title": null}',
                                '{"id": 2, "title": "Registered Nurse", "description": "ICU"}'])
    assert [o["id"] for o in out] == [1, None, "x", 2]
    assert out[0]["role"] == "29-1051.00" and out[3]["role"] == "29-1141.00"
    assert out[1]["role"] is None and out[1]["error"].startswith("line 2:")
    assert "1 input line(s) were not JSON objects" in err
    assert out[2]["role"] is None and out[2]["confidence"] == 0.0
    assert set(out[0]) == {"id", "role", "role_title", "confidence"}


def test_roles_command_reads_the_description_of_an_ambiguous_title():
    path = FIXTURES / "postings_with_ambiguous_titles.jsonl"
    posting = json.loads(path.read_text(encoding="utf-8").splitlines()[0])  # Histologist - HT
    line = json.dumps({"id": 7, "title": posting["title"], "description": posting["description"]})
    out, _ = _jsonl("roles", [line])
    assert out[0]["role"] == posting["role"] == "29-2011.04"


def test_roles_command_reads_the_sector_as_the_nightly_stage_does():
    out, _ = _jsonl("roles", ['{"id": 1, "title": "Discharge Matron", "sector": "62"}',
                              '{"id": 2, "title": "Discharge Matron"}',
                              '{"id": 3, "title": "Discharge Matron", "sector": 62}'])
    assert [o["role"] for o in out] == ["29-1141.00", "51-4199.00", "51-4199.00"]


def test_skills_command_ranks_and_caps_and_handles_empty_text():
    out, _ = _jsonl("skills", [
        '{"id": "a", "text": "Python, JavaScript and machine learning for data analysis"}',
        '{"id": "b", "text": ""}', '{"id": "c", "text": 42}', '{"id": "d"}'], "--top-k", "2")
    assert [o["id"] for o in out] == ["a", "b", "c", "d"]
    assert len(out[0]["skills"]) == 2
    scores = [s["score"] for s in out[0]["skills"]]
    assert scores == sorted(scores, reverse=True)
    assert all(s["uri"].startswith("http://data.europa.eu/esco/skill/") for s in out[0]["skills"])
    assert out[1]["skills"] == out[2]["skills"] == out[3]["skills"] == []


def test_skills_command_ranks_the_skills_a_sentence_words_first():
    """The ranker's skills are ranked again by how well the sentence words their labels:
    a cashier's "cash and card payments" gives ESCO's *process payments* first."""
    out, _ = _jsonl("skills", ['{"id": 1, "text": "Greet customers, handle cash and card '
                               'payments and keep the shelves stocked."}'], "--top-k", "3")
    labels = [s["label"] for s in out[0]["skills"]]
    assert labels[0] == "process payments"
    assert "deal cards" not in labels


def test_skills_command_without_rerank_ranks_by_cosine_alone():
    """--no-rerank keeps the ranking before label cover: the cashier's sentence lies nearest
    *deal cards*, and each score is 0.8 x cosine."""
    line = ('{"id": 1, "text": "Greet customers, handle cash and card payments and keep the '
            'shelves stocked."}')
    out, _ = _jsonl("skills", [line], "--top-k", "3", "--no-rerank")
    labels = [s["label"] for s in out[0]["skills"]]
    assert labels[0] == "deal cards" and "process payments" not in labels
    assert all(s["score"] <= 0.8 * 0.45 for s in out[0]["skills"])


def test_skills_command_without_the_ranker_gives_lexical_matches_only():
    lines = ['{"id": "a", "text": "You will keep the books balanced each month."}',
             '{"id": "b", "text": "Python and SQL"}']
    ranked, _ = _jsonl("skills", lines, "--top-k", "5")
    plain, _ = _jsonl("skills", lines, "--top-k", "5", "--no-ranker")
    assert plain[0]["skills"] == [] and len(ranked[0]["skills"]) == 5
    assert {s["label"] for s in plain[1]["skills"]} == {"Python (computer programming)", "SQL"}
    assert ranked[1]["skills"][:2] == plain[1]["skills"]
    assert all(s["score"] < 0.8 for s in ranked[0]["skills"])
