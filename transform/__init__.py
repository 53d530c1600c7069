"""Transform, in layers (pyproject.toml, [tool.importlinter]): `marts` (the published tables)
<- `postings` (canonical postings and courses, duplicates) <- `linking` (roles, sectors,
skills, course relevance) and `fields` (per-field parsers)."""
