"""Build the bundled snapshot (``snapshot/payloads``) from ``../shared/data/listings``.

The snapshot is a modest, deterministic sample of real recorded payloads that `make run`
replays offline. Whole API responses are copied byte for byte (gzipped); bulk CSV and
archive datasets are cut to a documented subset of their rows or members. Re-running this
command gives the same files.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import sys
import tarfile
from pathlib import Path

# Employer boards of the Ashby posting API, with the employer's NAICS 2022 sector.
# Chosen to span sectors; sector judged from each employer's own description of its business.
ASHBY_BOARDS: dict[str, str] = {
    # 51 Information (software, internet, media)
    "1password": "51", "DeepL": "51", "docker": "51", "zapier": "51", "supabase": "51",
    "replit": "51", "patreon": "51", "substack": "51", "quora": "51", "scribd": "51",
    # 52 Finance and insurance
    "ramp": "52", "rho": "52", "kikoff": "52", "dailypay": "52", "Forward%20Financing": "52",
    "Clicklease": "52", "acorns": "52", "brigit": "52", "monarchmoney": "52", "parafin": "52",
    "alan": "52", "kin": "52", "Valon": "52", "wayflyer": "52",
    # 62 Health care and social assistance
    "finni-health": "62", "virtahealth": "62", "rula": "62", "equip": "62", "zippymh": "62",
    "ansiblehealth": "62", "omafertility": "62", "valeriehealth": "62", "tavahealth": "62",
    # 31-33 Manufacturing
    "hadrian-automation": "31-33", "AtomicSemi": "31-33", "eightsleep": "31-33",
    "MaticRobots": "31-33", "northwoodspace": "31-33", "dandy": "31-33",
    # 21 Mining; 22 Utilities; 23 Construction
    "marianaminerals": "21", "davidenergy": "22", "Homebound": "23", "reframesystems": "23",
    # 44-45 Retail trade
    "whatnot": "44-45", "backmarket": "44-45", "yepoda": "44-45",
    # 48-49 Transportation and warehousing
    "trucksmarter": "48-49",
    # 53 Real estate and rental and leasing
    "roadsurfer.com": "53", "getground": "53",
    # 54 Professional, scientific, and technical services
    "Solvd": "54", "pplwise": "54", "lawhive": "54", "causaly": "54",
    # 56 Administrative and support (staffing, travel arrangement)
    "medely": "56", "talentsafari": "56", "hopper": "56",
    # 61 Educational services
    "multiverse": "61", "top-hat": "61", "myedspacecareers": "61", "schoolhouse-world": "61",
}

USAJOBS_KEYWORD_FILES = [
    "attorney_N_180_20171223141257.csv.gz", "pharmacy_N_118_20171223141402.csv.gz",
    "dentistry_N_133_20171224133726.csv.gz", "soldier_N_162_20171224133432.csv.gz",
    "pilot_N_69_20171223141340.csv.gz", "aerospace_N_113_20171224133539.csv.gz",
    "economist_N_28_20171223115942.csv.gz", "surgeon_N_58_20171224133621.csv.gz",
    "freight_N_22_20171223141209.csv.gz", "cyber_N_76_20171223141650.csv.gz",
    "math_N_117_20171223115905.csv.gz",
]

FIXTURES = {
    "greenhouse": ["greenhouse_boards_api_airbnb_jobs_content_true_trimmed_2026-05.json",
                   "greenhouse_boards_api_gitlab_jobs_content_true_trimmed_2026-08.json"],
    "lever": ["lever_postings_api_leverdemo_mode_json_trimmed_2026-05.json"],
    "remotive": ["remotive_api_remote_jobs_35_jobs_utf8bom_2026-07.json"],
    "remoteok": ["remoteok_api_full_feed_2026-03-16.json"],
    "jobicy": ["jobicy_remote_jobs_api_v2_trimmed_2026-08.json"],
    "himalayas": ["himalayas_jobs_api_trimmed_2026-08.json"],
    "arbeitnow": ["arbeitnow_job_board_api_trimmed_2026-08.json"],
    "usajobs": ["usajobs_search_api_full_fields_25_items_2020-12.json.gz"],
    "mit_learn": ["mit_learn_api_v1_courses_ocw_sample.json", "mitxonline_courses.json"],
}

NHS_SAMPLE_EVERY = 18  # every 18th vacancy page of 14,842, in id order: 825 pages
COURSE_SAMPLES = {  # snapshot folder -> (dataset folder, file, rows kept: every n-th row)
    "mit_ocw": ("mit_ocw_courses_oer_export_2023-12", "ocw_oer_export.csv", 1),
    "edx": ("edx_courses_2021", "edx_courses.csv", 1),
    "coursera": ("coursera_courses_2023", "coursera_courses.csv", 1),
    "udemy": ("udemy_courses_2017", "udemy_courses.csv", 1),
}


def _gzip_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _every_nth_csv_rows(raw: bytes, every: int, encoding: str = "utf-8") -> bytes:
    rows = list(csv.reader(io.StringIO(raw.decode(encoding), newline="")))
    header, body = rows[0], rows[1:]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body[::every])
    return out.getvalue().encode("utf-8")


def build(listings: Path, out: Path) -> dict[str, int]:
    """Copy the sample from `listings` (../shared/data/listings) into `out`; return file counts."""
    if out.exists():
        shutil.rmtree(out)
    counts: dict[str, int] = {}

    companies = listings / "bulk/ashby_posting_api_2025-10/companies"
    for board in sorted(ASHBY_BOARDS):
        shutil.copyfile(companies / f"{board}.json.gz", _dest(out / "ashby", f"{board}.json.gz"))
    counts["ashby"] = len(ASHBY_BOARDS)

    for source, names in FIXTURES.items():
        for name in names:
            data = (listings / "fixtures" / source / name).read_bytes()
            if not name.endswith(".gz"):
                data, name = _gzip_bytes(data), name + ".gz"
            _write(out / source / name, data)
        counts[source] = len(names)

    usajobs = listings / "bulk_industries/usajobs_search_api_2017-12/collected_data"
    for name in USAJOBS_KEYWORD_FILES:
        shutil.copyfile(usajobs / name, _dest(out / "usajobs_2017", name))
    counts["usajobs_2017"] = len(USAJOBS_KEYWORD_FILES)

    for folder, name in [
        ("emscad_fake_job_postings_first499_2012-2014", "fake_job_postings_first499.csv.gz"),
        ("linkedin_postings_sample_2024-04", "postings_sample.csv.gz"),
    ]:
        shutil.copyfile(listings / "bulk_industries" / folder / name,
                        _dest(out / folder.split("_")[0], name))
    counts["emscad"] = counts["linkedin"] = 1

    nhs = listings / "bulk_industries/nhs_jobs_2020-11/nhs_jobs_schemaorg_jobposting_2020-11.tar.gz"
    counts["nhs_jobs"] = _sample_tar(nhs, out / "nhs_jobs" / "nhs_jobs_sample_2020-11.tar.gz")

    for source, (folder, name, every) in COURSE_SAMPLES.items():
        raw = (listings / "bulk" / folder / name).read_bytes()
        _write(out / source / (name + ".gz"), _gzip_bytes(_every_nth_csv_rows(raw, every)))
        counts[source] = 1
    return counts


def _dest(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _sample_tar(src: Path, dest: Path) -> int:
    """Keep every NHS_SAMPLE_EVERY-th JSON member (sorted by name), bytes unchanged."""
    with tarfile.open(src, "r:gz") as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile()), key=lambda m: m.name)
        keep = members[::NHS_SAMPLE_EVERY]
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as out:
            for m in keep:
                data = tar.extractfile(m).read()  # type: ignore[union-attr]
                info = tarfile.TarInfo(m.name)
                info.size, info.mtime, info.mode = len(data), 0, 0o644
                out.addfile(info, io.BytesIO(data))
    _write(dest, _gzip_bytes(buf.getvalue()))
    return len(keep)


# Snapshot sources other than the Ashby boards: (name, connector, payload folder, sectors by file).
OTHER_SOURCES = [
    ("greenhouse", "greenhouse", "greenhouse",
     {"greenhouse_boards_api_airbnb_jobs_content_true_trimmed_2026-05.json.gz": "72",
      "greenhouse_boards_api_gitlab_jobs_content_true_trimmed_2026-08.json.gz": "51"}),
    ("lever", "lever", "lever", {}),
    ("remotive", "remotive", "remotive", {}),
    ("remoteok", "remoteok", "remoteok", {}),
    ("jobicy", "jobicy", "jobicy", {}),
    ("himalayas", "himalayas", "himalayas", {}),
    ("arbeitnow", "arbeitnow", "arbeitnow", {}),
    ("usajobs", "usajobs", "usajobs", {}),
    ("usajobs_2017", "usajobs_csv", "usajobs_2017", {}),
    ("nhs_jobs", "jobposting_archive", "nhs_jobs", {}),
    ("emscad", "emscad_csv", "emscad", {}),
    ("linkedin", "linkedin_csv", "linkedin", {}),
    ("mit_ocw", "mit_ocw_csv", "mit_ocw", {}),
    ("mit_learn", "mit_learn", "mit_learn", {}),
    ("edx", "edx_csv", "edx", {}),
    ("coursera", "coursera_csv", "coursera", {}),
    ("udemy", "udemy_csv", "udemy", {}),
]


def write_config(payloads: Path, dest: Path) -> None:
    """Write the snapshot's sources.yaml: every payload file as a replayed partition."""
    lines = [
        "# Snapshot configuration: replays the recorded payloads under payloads/ offline.",
        "# Generated by `python -m tools.snapshot`; see snapshot/README.md.",
        "version: 1", "replay_dir: payloads", "sources:",
        "  - name: ashby", "    connector: ashby", "    partitions:",
    ]
    for board in sorted(ASHBY_BOARDS):
        lines.append(f'      - {{board: "{board}", sector: "{ASHBY_BOARDS[board]}", '
                     f'replay: "ashby/{board}.json.gz"}}')
    for name, connector, folder, sectors in OTHER_SOURCES:
        lines += [f"  - name: {name}", f"    connector: {connector}", "    partitions:"]
        for f in sorted((payloads / folder).iterdir()):
            sector = f', sector: "{sectors[f.name]}"' if f.name in sectors else ""
            lines.append(f'      - {{replay: "{folder}/{f.name}"{sector}}}')
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    listings = Path(args[0]) if args else Path("../shared/data/listings")
    out = Path(args[1]) if len(args) > 1 else Path("snapshot/payloads")
    for source, n in sorted(build(listings, out).items()):
        print(f"{source:24} {n}")
    write_config(out, out.parent / "sources.yaml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
