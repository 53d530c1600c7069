"""The published Parquet matches the committed data contract, and the contract matches code."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from schemas import contract
from schemas.tables import PUBLISHED


def test_committed_contract_and_dictionary_are_generated_from_tables_py():
    for path, text in contract.render().items():
        assert path.read_text(encoding="utf-8") == text, \
            f"{path.name} is stale: run `python -m schemas.contract`"


@pytest.mark.parametrize("table", PUBLISHED, ids=lambda t: t.name)
def test_published_parquet_matches_the_contract(small_run, table):
    data_dir, _ = small_run
    spec = json.loads((contract.CONTRACT_DIR / f"{table.name}.json").read_text())
    manifest = json.loads((data_dir / "dataset" / "manifest.json").read_text())
    assert manifest["tables"][table.name]["schema_version"] == spec["version"]
    parquet = pq.read_table(data_dir / "dataset" / spec["file"])
    assert parquet.schema.names == [c["name"] for c in spec["columns"]]
    for column in spec["columns"]:
        field = parquet.schema.field(column["name"])
        assert contract.logical_type(field.type) == column["type"], column["name"]
        if not column["nullable"]:
            assert parquet.column(column["name"]).null_count == 0, column["name"]
