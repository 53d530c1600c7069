"""Dump `microcareer pathways` for a list of titles, in the form a reviewer judges it.

    python benchmarks/pathways_review/run.py TITLES OUT [--data-dir data] [--top 3 --steps 2]

TITLES: one job title per line. Writes OUT/<title>.txt and .json (the CLI's outputs), then
OUT/moves.tsv (each distinct move once, in order), OUT/skills.tsv (each destination's "to
learn" skills once, and each move's "carries over" skills) and OUT/courses.tsv (each
(gap skill, course) once), each with an empty `judgement` column to fill in with the rubric
of README.md.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from microcareer.pathways import PathwayError, pathways, to_json, to_table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("titles", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--data-dir", default="data")
    ap.add_argument("--top", type=int, default=3)
    ap.add_argument("--steps", type=int, default=2)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    moves: dict[tuple[str, str], list[str]] = {}
    learn: dict[str, list[str]] = {}
    carry: list[list[str]] = []
    courses: dict[tuple[str, str], list[str]] = {}
    for title in [t.strip() for t in args.titles.read_text().splitlines() if t.strip()]:
        stem = args.out / title.replace(" ", "_").replace("/", "_")
        try:
            result = pathways(title, data_dir=args.data_dir, top=args.top, steps=args.steps)
        except PathwayError as exc:
            stem.with_suffix(".txt").write_text(f"error: {exc}\n")
            continue
        stem.with_suffix(".json").write_text(to_json(result))
        stem.with_suffix(".txt").write_text(to_table(result))
        for pathway in result.pathways:
            before = result.origin
            for step in pathway.steps:
                key = (before.title, step.to.title)
                if key not in moves:
                    moves[key] = [title, before.title, step.to.title, f"{step.score:.3f}",
                                  f"{step.move_likelihood:.4f}", ", ".join(step.flags), ""]
                    carry.append([before.title, step.to.title, "carries over",
                                  "; ".join(step.carried_over), ""])
                learn.setdefault(step.to.title, step.gaps)
                for c in step.courses:
                    courses.setdefault((c["teaches"], c["title"]), [
                        step.to.title, c["teaches"], c["title"], str(c["provider"]),
                        str(c["level"]), ""])
                before = step.to
    _write(args.out / "moves.tsv", ["title", "from", "to", "score", "move_likelihood",
                                    "flags", "judgement"], list(moves.values()))
    skills = carry + [["", role, "to learn", "; ".join(gaps), ""] for role, gaps in learn.items()]
    _write(args.out / "skills.tsv", ["from", "to", "list", "skills", "judgement"], skills)
    _write(args.out / "courses.tsv", ["destination", "gap skill", "course", "provider", "level",
                                      "judgement"], list(courses.values()))
    print(f"{len(moves)} moves, {len(learn)} destinations, {len(courses)} courses -> {args.out}")
    return 0


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    raise SystemExit(main())
