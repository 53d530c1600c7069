"""The `microcareer` command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from microcareer.logs import quiet

EXIT_OK, EXIT_FAILED, EXIT_PARTIAL = 0, 1, 3


def _run(args: argparse.Namespace) -> int:
    from extract.config import ConfigError
    from microcareer.pipeline import run_pipeline
    from microcareer.summary import source_report, summarise
    from schemas.validate import ValidationFailed

    data_dir = args.data_dir or _default_data_dir()
    try:
        result = run_pipeline(config=args.config, data_dir=data_dir, date=args.date,
                              publish_older=args.publish_older)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValidationFailed, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    outcome = result.outcome
    assert outcome is not None
    if outcome.backfill:
        print(f"Backfill: {outcome.backfill}", file=sys.stderr)
    print(summarise(data_dir))
    if outcome.exit_code == EXIT_PARTIAL:
        lines, _ = source_report(data_dir, result.run_id)
        troubled = len(outcome.failed) + len(outcome.partial)
        print(f"\nPartial run: {troubled} source(s) had problems; the dataset was "
              f"published from the rest.\n{lines}", file=sys.stderr)
    return outcome.exit_code


def _default_data_dir() -> Path:
    from microcareer.pipeline import default_data_dir

    return default_data_dir()


def _summary(args: argparse.Namespace) -> int:
    from microcareer.summary import summarise

    print(summarise(args.data_dir or _default_data_dir()))
    return 0


def _report(args: argparse.Namespace) -> int:
    from microcareer.report import write_report

    print(write_report(args.data_dir or _default_data_dir(), args.run_id))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from schemas.layout import DataLayout
    from schemas.records import current_manifest
    from schemas.validate import failure_summary, validate_release

    layout = DataLayout(Path(args.data_dir or _default_data_dir()))
    dataset = layout.current
    manifest = current_manifest(layout)
    if manifest is None:
        print(f"error: no published dataset at {dataset} (manifest.json missing)",
              file=sys.stderr)
        return 2
    from datetime import UTC, datetime

    from schemas.taxonomy import Taxonomy

    report = validate_release(dataset, taxonomy=Taxonomy.shipped(),
                              logical_date=manifest.get("logical_date"),
                              project_root=layout.quality,
                              run_name=datetime.now(UTC).strftime("validate__%Y%m%dT%H%M%S"))
    for name, r in report["tables"].items():
        mark = "ok  " if r["success"] else "FAIL"
        print(f"{mark} {name} ({r.get('evaluated', 0)} expectations)")
    print(f"Data Docs: {report['data_docs']}")
    if not report["success"]:
        print("\nBroken expectations:\n" + failure_summary(report))
        return 1
    return 0


def _jsonl(args: argparse.Namespace) -> int:
    from microcareer import jsonl

    records = jsonl.read_lines(args.input)
    out = (jsonl.roles(records) if args.command == "roles"
           else jsonl.skills(records, args.top_k, ranker=args.ranker, rerank=args.rerank))
    jsonl.write_lines(args.output, out)
    bad = sum("error" in r for r in out)
    if bad:
        print(f"warning: {bad} input line(s) were not JSON objects; their output lines carry "
              "an 'error' field", file=sys.stderr)
    return 0


def _pathways(args: argparse.Namespace) -> int:
    from microcareer.pathways import CourseFilter, PathwayError, pathways, to_json, to_table
    from microcareer.pipeline import default_data_dir

    try:
        result = pathways(args.origin, data_dir=args.data_dir or default_data_dir(),
                          to_industry=args.to_industry, steps=args.steps, top=args.top,
                          include_gated=args.include_gated, role=args.role,
                          include_step_downs=args.include_step_downs,
                          min_us_employment=args.min_us_employment,
                          min_score=args.min_score,
                          max_sector_overlap=(None if args.max_sector_overlap >= 1
                                              else args.max_sector_overlap),
                          include_catch_alls=args.include_catch_alls,
                          min_unrelated_likelihood=args.min_unrelated_likelihood,
                          max_rank=args.max_rank or None,
                          courses=CourseFilter(
                              language=None if args.language == "any" else args.language,
                              free_only=args.free_only, max_level=args.max_level))
    except PathwayError as exc:
        print(f"microcareer pathways: {exc}", file=sys.stderr)
        return 2
    try:
        print(to_json(result) if args.format == "json" else to_table(result))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0 if result.pathways else 1


def _jsonl_parser(sub: argparse._SubParsersAction, name: str, **kwargs: str
                  ) -> argparse.ArgumentParser:
    """A JSON-lines command: --input and --output ('-' for stdin/stdout), run by _jsonl."""
    p = sub.add_parser(name, **kwargs)
    p.add_argument("--input", required=True, help="JSON lines file, or - for stdin")
    p.add_argument("--output", required=True, help="JSON lines file, or - for stdout")
    p.set_defaults(func=_jsonl)
    return p


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="microcareer",
        description="Build and query an open dataset of cross-industry skill transfer from "
                    "public job and course listings.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser(
        "run", help="run the nightly pipeline once, in-process (no scheduler)",
        description="Run every stage of the nightly job in this process: extract each "
                    "configured source into DATA_DIR/raw and DATA_DIR/staging, normalise, "
                    "extract skills, aggregate into a release under DATA_DIR/dataset/releases, "
                    "validate it with Great Expectations and publish it as DATA_DIR/dataset "
                    "(tables + manifest.json). Prints a summary. Exit status: 0 all sources ok; "
                    "3 published, but some source failed or had quarantined payloads (listed "
                    "on stderr); 1 nothing published (a stage or validation failed); 2 bad "
                    "configuration.")
    r.add_argument("--config", type=Path,
                   help="sources YAML (default: $MICROCAREER_CONFIG, else the bundled snapshot)")
    r.add_argument("--data-dir", type=Path,
                   help="where data is written (default: $MICROCAREER_DATA_DIR, else ./data)")
    r.add_argument("--date", help="logical date YYYY-MM-DD (default: today)")
    r.add_argument("--publish-older", action="store_true",
                   help="make this run's release current even when the current one is for a "
                        "newer date (by default a backfill writes its release, says so, and "
                        "leaves the current dataset alone)")
    r.set_defaults(func=_run)

    s = sub.add_parser("summary", help="print the summary of the current published dataset",
                       description="Print tables and rows, the most portable skills, source "
                                   "status and validation of DATA_DIR/dataset/manifest.json.")
    s.add_argument("--data-dir", type=Path, help="data folder holding dataset/ (default: data)")
    s.set_defaults(func=_summary)

    rp = sub.add_parser("report", help="(re)write the HTML report of the current dataset",
                        description="Write DATA_DIR/reports/<run id>.html and latest.html: one "
                                    "self-contained page (charts included, no network needed) "
                                    "of the current release. Prints the file's path.")
    rp.add_argument("--data-dir", type=Path, help="data folder holding dataset/ (default: data)")
    rp.add_argument("--run-id", help="run to report on (default: the current release's)")
    rp.set_defaults(func=_report)

    v = sub.add_parser("validate", help="validate the current published dataset",
                       description="Run the Great Expectations suites on DATA_DIR/dataset; "
                                   "exit 1 and name each broken table, column and expectation "
                                   "on failure.")
    v.add_argument("--data-dir", type=Path, help="data folder holding dataset/ (default: data)")
    v.set_defaults(func=_validate)

    _jsonl_parser(
        sub, "roles", help="job titles -> O*NET-SOC 2019 roles (JSON lines)",
        description="Read JSON lines {\"id\", \"title\", \"description\" (optional)} and "
                    "write, in input order, {\"id\", \"role\", \"role_title\", "
                    "\"confidence\"}; role is null when nothing fits. '-' is stdin/stdout.")

    sk = _jsonl_parser(
        sub, "skills", help="text -> ESCO skills (JSON lines)",
        description="Read JSON lines {\"id\", \"text\"} and write, in input order, "
                    "{\"id\", \"skills\": [{\"uri\", \"label\", \"score\"}, ...]}, best "
                    "first, at most K. Empty or non-text input gives an empty list. '-' is "
                    "stdin/stdout.")
    sk.add_argument("--top-k", type=int, default=20, help="skills per line at most (20)")
    sk.add_argument("--ranker", action=argparse.BooleanOptionalAction, default=True,
                    help="after the lexical matches, fill the list with the static-embedding "
                         "ranker's skills for implicit mentions (default); --no-ranker: "
                         "lexical matches only")
    sk.add_argument("--rerank", action=argparse.BooleanOptionalAction, default=True,
                    help="rank the ranker's skills again by how well each sentence's words "
                         "cover their ESCO labels (default; better lists, about 2.4 times "
                         "the time); --no-rerank: by cosine alone")

    pw = sub.add_parser(
        "pathways", help="ranked role-to-role pathways from a title or O*NET-SOC code",
        description="Read the current published dataset and print ranked pathways from a role "
                    "(O*NET-SOC code, or a job title normalised like postings' titles): up to "
                    "N moves along role_transfer_detail, ending in --to-industry (a NAICS "
                    "sector) or, by default, in a sector other than the origin's; each step "
                    "with its transfer score, skills carried over, gap skills and courses. "
                    "Exit 0 with pathways, 1 when none is found, 2 when the title, code or "
                    "sector is unknown or no dataset is published.")
    pw.add_argument("--from", dest="origin", required=True, metavar="TITLE_OR_CODE")
    pw.add_argument("--to-industry", metavar="NAICS", help="NAICS 2022 sector, e.g. 62 or 31-33")
    pw.add_argument("--steps", type=int, default=2, help="moves per pathway at most (2)")
    pw.add_argument("--top", type=int, default=5, help="pathways to list (5)")
    pw.add_argument("--role", metavar="CODE",
                    help="start from this O*NET-SOC role whatever the title matches (for an "
                         "ambiguous title, one of the alternatives listed)")
    pw.add_argument("--max-sector-overlap", type=float, default=0.3, metavar="X",
                    help="a pathway's last move may keep at most this overlap of the two "
                         "roles' sector mixes (0.3; 1 turns the filter off)")
    pw.add_argument("--include-catch-alls", action="store_true",
                    help="also end in O*NET 'All Other' roles and their specialties, and "
                         "the origin's own specialties (left out by default)")
    pw.add_argument("--min-unrelated-likelihood", type=float, default=0.4,
                    metavar="X",
                    help="a move into another line of work (another SOC major group, not "
                         "related in O*NET) needs at least this relative likelihood "
                         "(0.4; 0 turns the rule off)")
    pw.add_argument("--max-rank", type=int, default=20, metavar="N",
                    help="suggest a move only to one of the N most worthwhile destinations "
                         "of the role left (role_transfer_detail.rank; 20; 0 turns the rule "
                         "off)")
    pw.add_argument("--include-gated", action="store_true",
                    help="also list gated moves (left out by default): the destination "
                         "typically needs two or more O*NET education levels more, a "
                         "degree in its own field (engineers, scientists, "
                         "postsecondary teachers), a "
                         "licence the origin's practice does not give, years of "
                         "experience in a field the origin is not related to, or a "
                         "portfolio or audition (artists, performers, creative writers)")
    pw.add_argument("--include-step-downs", action="store_true",
                    help="also list steps down: a median wage 25%% or more lower, a pay "
                         "cut into a lower job zone, or a manager's or supervisor's post "
                         "left for one that leads nobody, for less pay (left out by default)")
    pw.add_argument("--min-us-employment", type=int, default=5000, metavar="N",
                    help="leave out destinations with fewer US jobs (BLS OEWS; 5000; 0 turns "
                         "the filter off; roles without an OEWS count are kept)")
    pw.add_argument("--min-score", type=float, default=0.2, metavar="X",
                    help="leave out moves whose skill score (the share of the role's weighted "
                         "skills that carries over) is under X (0.2; 0 turns the filter off)")
    pw.add_argument("--language", default="en", metavar="CODE",
                    help="list courses taught in this ISO 639-1 language or an unpublished "
                         "one (en; 'any' for all)")
    pw.add_argument("--free-only", action="store_true",
                    help="list only courses that can be taken free of charge")
    pw.add_argument("--max-level", choices=["introductory", "intermediate", "advanced"],
                    help="list only courses up to this level (level_inferred; a course of "
                         "unknown level is listed)")
    pw.add_argument("--format", choices=["table", "json"], default="table")
    pw.add_argument("--data-dir", type=Path,
                    help="data folder holding dataset/ (default: $MICROCAREER_DATA_DIR, else data)")
    pw.set_defaults(func=_pathways)

    return p


def main(argv: list[str] | None = None) -> int:
    quiet()
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
