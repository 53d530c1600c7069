"""The data contract: one versioned JSON schema per published table in schemas/contract/, and
the data dictionary in docs/data-dictionary.md, both generated from tables.py.

Regenerate with `python -m schemas.contract` after changing a table; a test fails while the
committed files differ from what tables.py says. Versioning (semantic): removing or renaming a
column, changing its type or meaning, or making it nullable is breaking (major); adding a
column or table is minor; a description fix is a patch.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pyarrow as pa

from schemas.tables import DATASET_VERSION, PUBLISHED, Table

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_DIR = ROOT / "schemas" / "contract"
DICTIONARY = ROOT / "docs" / "data-dictionary.md"


def _empty(table: Table):
    import polars as pl

    return pl.DataFrame(schema=table.schema)


def logical_type(arrow_type: pa.DataType) -> str:
    """Arrow type name with string/large_string, list/large_list and the name of a list's
    element field (Parquet calls it `element`, Arrow `item`) written the same way."""
    name = str(arrow_type).replace("large_string", "string").replace("large_list", "list")
    return re.sub(r"list<(item|element): ", "list<", name)


def contract(table: Table) -> dict:
    arrow = _empty(table).to_arrow().schema
    return {
        "table": table.name,
        "version": table.version,
        "description": table.description,
        "primary_key": list(table.key),
        "file": f"{table.name}.parquet",
        "columns": [
            {"name": c.name, "type": logical_type(arrow.field(c.name).type),
             "nullable": c.nullable,
             "description": c.description,
             **({"min": c.min_value} if c.min_value is not None else {}),
             **({"max": c.max_value} if c.max_value is not None else {}),
             **({"values": list(c.values)} if c.values is not None else {}),
             **({"pattern": c.pattern} if c.pattern is not None else {})}
            for c in table.columns
        ],
    }


def dictionary() -> str:
    lines = [
        "# Data dictionary", "",
        f"Dataset version **{DATASET_VERSION}**. Generated from `schemas/tables.py` by "
        "`python -m schemas.contract`; do not edit by hand. Machine-readable schemas: "
        "`schemas/contract/<table>.json`. Versioning rules: "
        "[data-contract.md](data-contract.md).", "",
    ]
    for t in PUBLISHED:
        c = contract(t)
        lines += [f"## `{t.name}` (schema {t.version})", "", t.description, "",
                  f"Key: {', '.join(f'`{k}`' for k in t.key) or 'none'}", "",
                  "| column | type | nullable | meaning |", "|---|---|---|---|"]
        for col in c["columns"]:
            bounds = ""
            if "min" in col or "max" in col:
                bounds = f" Range [{col.get('min', '')}, {col.get('max', '')}]."
            if "values" in col:
                bounds += f" One of {', '.join(f'`{v}`' for v in col['values'])}."
            if "pattern" in col:
                bounds += f" Matches `{col['pattern']}`."
            lines.append(f"| `{col['name']}` | {col['type']} | "
                         f"{'yes' if col['nullable'] else 'no'} | {col['description']}{bounds} |")
        lines.append("")
    return "\n".join(lines)


def render() -> dict[Path, str]:
    files = {CONTRACT_DIR / f"{t.name}.json": json.dumps(contract(t), indent=2) + "\n"
             for t in PUBLISHED}
    files[DICTIONARY] = dictionary()
    return files


def main() -> int:
    for path, text in render().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
