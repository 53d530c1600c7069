"""Lexical ESCO skill extraction: every label of every ESCO skill, matched on word boundaries.

Text and labels are lower-cased with runs of anything but ``[a-z0-9+#]`` turned into one space
(and the punctuation that ends a phrase, a comma, colon, bracket, full stop or line break,
into a BARRIER word, so that no label straddles it) and padded with spaces, then matched
with an Aho-Corasick automaton (pyahocorasick, every occurrence, built once per process),
so "java" never fires inside "javascript". A label
that lies inside a longer label found in the same record is dropped (longest match wins).
Risky labels are left out:
ones shared by several skills (unless exactly one of them has it as its preferred label:
"SQL"), one-letter/two-letter ones, one-word alternative labels that are ordinary words
(kept only if the label is written as a name: capitals, digits, '+' or '#'), the reviewed
stoplist in mappings/skill_label_stoplist.txt, and the labels of the case-sensitive pass.
Two-character names with '+' or '#' ("C#", "F#") are kept.

A second, case-sensitive pass over the text cut into sentences handles names that are
ordinary words in lower case (mappings/skill_label_cased.txt: "Swift" but not "a swift
reply") and short or ambiguous acronyms (mappings/skill_acronyms.tsv: "R", "SAS", "ERP",
"ML", "HR"...): they count only as written, and most only next to a cue word of their
context in the same sentence ("R" with "Python", "statistical", "programming"...).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from schemas.layout import DataLayout, safe_run_id
from schemas.taxonomy import Taxonomy
from transform import night_cache
from transform.linking.sections import (
    employer_expr,
    repeated_lines,
    shared_sentences,
    strip_boilerplate,
)
from transform.linking.tokens import NON_WORD, SENTENCE_SPLIT

MAPPINGS = Path(__file__).parent / "mappings"
STOPLIST = MAPPINGS / "skill_label_stoplist.txt"
ACRONYMS = MAPPINGS / "skill_acronyms.tsv"
CASED = MAPPINGS / "skill_label_cased.txt"
CONTEXT_LABELS = MAPPINGS / "skill_label_context.tsv"
OWNERS = MAPPINGS / "skill_label_owners.tsv"
# Cue words (normalised, matched whole) that make an acronym of that context a skill mention.
CONTEXT_CUES = {
    "programming": [
        "programming", "program", "language", "languages", "code", "coding", "software",
        "python", "java", "scala", "julia", "matlab", "stata", "spss", "sql",
        "statistics", "statistical", "analytics", "analysis", "data", "scripting",
        "rstudio", "tidyverse", "ggplot2", "shiny", "pandas", "numpy", "tableau", "excel",
        "machine learning", "ai", "modeling", "modelling", "models", "developer", "engineer",
        "pytorch", "tensorflow", "deep learning", "algorithms"],
    "erp": ["sap", "oracle", "netsuite", "dynamics", "workday", "system", "systems",
            "software", "implementation", "finance", "financial", "accounting", "crm",
            "supply chain", "inventory", "procurement", "module", "modules", "platform"],
    "communications": ["media", "communications", "communication", "marketing", "press",
                       "campaigns", "campaign", "brand", "social media", "journalists",
                       "comms", "content", "events"],
    "design": ["design", "designer", "designers", "ui", "research", "user", "users",
               "figma", "sketch", "prototyping", "prototypes", "wireframes", "product",
               "interface", "usability", "accessibility"],
    # mappings/skill_label_context.tsv: lower-case labels with a common unrelated sense.
    # Not "continuous improvement": software and finance ads pair it with "operational
    # excellence" as often as factories do.
    "lean": ["lean", "kaizen", "six sigma", "manufacturing", "production", "factory",
             "factories", "plant", "plants", "shop floor", "waste", "5s", "kanban", "tpm",
             "oee", "toyota", "assembly line"],
    "pipes": ["oil", "gas", "water", "pipe", "pipes", "piping", "welding", "weld", "welds",
              "corrosion", "leak", "leaks", "sewer", "utility", "utilities", "hydrostatic",
              "midstream", "pigging", "valves", "pressure"],
    "crafts": ["craft", "crafts", "handmade", "wood", "woodworking", "carpentry", "sewing",
               "knitting", "pottery", "jewellery", "jewelry", "artisan", "handicraft"],
    "cosmetics": ["cosmetics", "cosmetic", "beauty", "makeup", "artist", "artists", "skin",
                  "salon", "hair", "brushes", "lipstick", "bridal", "theatre", "film"],
    "sport": ["athlete", "athletes", "sport", "sports", "fitness", "strength",
              "conditioning", "exercise", "gym", "endurance", "training load"],
    "drill": ["drill", "drills", "parade", "marching", "ceremonial", "cadets", "recruits"],
    "labour market": ["labour market", "labor market", "job market", "jobseekers",
                      "job seekers", "employment services", "career guidance", "careers advice",
                      "unemployed", "vacancies"],
    "mentoring": ["mentor", "mentors", "mentoring", "mentorship", "coach", "coaching",
                  "guidance", "grow", "growth", "develop", "development"],
    "soa": ["soa", "service oriented", "architecture", "architectures", "modelling",
            "modeling", "web services", "microservices", "esb"],
    "maps": ["gis", "mapping", "maps", "map", "geographic", "geospatial", "surveying",
             "spatial", "cartography", "arcgis", "navigation"],
    # "surgery" is also a British GP practice ("Rhoslan Surgery") and a word in hospitals'
    # lists of services ("medicine, surgery, psychiatry").
    "surgical": ["surgical", "surgeon", "surgeons", "operating room", "operating rooms",
                 "operating theatre", "operating theatres", "theatre", "theatres",
                 "perioperative", "scrub", "anaesthesia", "anesthesia", "anaesthetic",
                 "anesthetic", "operative", "postoperative", "preoperative", "incision",
                 "sterile field", "laparoscopic", "orthopaedic", "orthopedic"],
    # "SASS" is also FBI's Special Agent Selection System, and "sass" an ordinary word.
    "stylesheets": ["css", "scss", "less", "html", "html5", "stylesheet", "stylesheets",
                    "preprocessor", "preprocessors", "front end", "frontend", "javascript",
                    "typescript", "js", "ui", "web", "styling", "bootstrap", "tailwind",
                    "react", "angular", "vue", "compass", "grunt", "gulp", "webpack"],
    # US federal ads name osteopathy among the degrees of the doctors who prescribe X-rays
    # or may apply ("Doctor of Medicine or Doctor of Osteopathy"), and praise their duty
    # station's ski areas and sporting events.
    "osteopathic": ["osteopath", "osteopaths", "osteopathic", "musculoskeletal",
                    "manipulation", "manipulative", "manual therapy", "spinal"],
    "skiing": ["instructor", "instructors", "instruction", "lesson", "lessons", "coach",
               "coaching", "patrol", "ski school", "resort", "resorts", "lift", "lifts",
               "snowsports", "racing"],
    # Federal and start-up ads list their recreation ("swimming pool, tennis and basketball
    # courts", "ice skating rink"), and revenue-cycle ads the CPT billing codes.
    "sport instruction": ["sport", "sports", "instructor", "instructors", "instruction",
                          "instructional", "lesson", "lessons", "coach", "coaches",
                          "coaching", "player", "players", "tournament", "tournaments",
                          "racket", "racquet", "racquets", "umpire"],
    "ropeway": ["cable car", "cable cars", "gondola", "gondolas", "ropeway", "ropeways",
                "aerial tramway", "funicular", "chairlift", "chairlifts", "urban transit"],
    "sport events": ["broadcast", "broadcasts", "broadcasting", "ticket", "tickets",
                     "ticketing", "venue", "venues", "stadium", "stadiums", "arena",
                     "organise", "organize", "organising", "organizing", "event management",
                     "sponsor", "sponsors", "sponsorship", "sponsorships", "coverage",
                     "promote", "promoting", "promotion", "marketing"],
    # ESCO's "security systems" are a building's (alarms, CCTV, access control); IT ads
    # mean networks' ("national security systems", "maintain security systems with AWS").
    "building security": ["alarm", "alarms", "cctv", "camera", "cameras", "access control",
                          "intruder", "fire", "building", "buildings", "premises",
                          "surveillance", "electronic", "locks", "guard", "guards", "patrol",
                          "patrols", "facility", "facilities"],
    # ESCO's "logging" fells trees; software ads log events ("monitoring, logging and
    # alerting"), accounts payable logs invoices, geologists log drill core.
    "forestry": ["timber", "timberland", "timberlands", "tree", "trees", "forest", "forests",
                 "forestry", "felling", "harvesting", "harvester", "harvesters", "sawmill",
                 "sawmills", "chainsaw", "chainsaws", "woodland", "woodlands", "lumber",
                 "skidder", "skidders", "silviculture"],
    # Tobacco products are named in smoke-free notices ("a tobacco free campus: this includes
    # all tobacco products") and FDA's Center for Tobacco Products; a shop or a factory
    # sells or makes them.
    "tobacco": ["tobacconist", "tobacconists", "tobacco shop", "smoke shop", "vape shop",
                "cigar shop", "humidor", "retail", "sell", "sells", "selling", "sales",
                "store", "stores", "leaf", "curing", "blending", "manufacturing",
                "manufacture", "regulatory", "regulation", "regulations"],
    # Graphite is also a software monitoring tool ("StatsD and Graphite").
    "materials": ["carbon", "material", "materials", "pencil", "pencils", "electrode",
                  "electrodes", "battery", "batteries", "anode", "anodes", "lubricant",
                  "lubricants", "refractory", "refractories", "mining", "mine", "ore",
                  "graphene", "composite", "composites", "foundry", "crucible", "crucibles",
                  "furnace", "metallurgy", "powder"],
    # Canvas, the learning management system, and not a company ("Under Canvas") or an
    # app's feature ("a Canvas App feature"); its maker's name too (O*NET's example
    # "Instructure Canvas").
    "lms": ["instructure", "learning management", "lms", "course", "courses", "e learning",
            "elearning", "online learning", "instructional", "instructor", "instructors",
            "teaching", "teacher", "teachers", "student", "students", "learners", "faculty",
            "blackboard", "moodle", "d2l", "brightspace", "classroom", "curriculum"],
}
# A label's last word glued by a hyphen to one of these particles is another word:
# "work with hands-on training" holds no "work with hands".
HYPHEN_PARTICLES = ["on", "in", "off", "up", "out", "over", "down", "back"]
SCORES = {"preferred": 1.0, "alt": 0.9, "hidden": 0.8}
# Ranker rows per record and their cosine floor in the nightly tables (see docs/methodology.md).
RANKER_K = 10
RANKER_MIN_SCORE = 0.55
# A ranker row's score is RANKER_WEIGHT x cosine: below every lexical match (0.8-1.0).
RANKER_WEIGHT = 0.8
# A label found inside a longer stated skill ("python" in "Python Programming") scores this
# share of the label's score; the whole stated skill being the label scores it in full.
STATED_PART = 0.9
# A label whose other number is another skill's label moves to that skill only if the
# skill's preferred label shares at least this Jaccard share of its words (`_closest_twin`).
TWIN_MIN_OVERLAP = 0.3


# Punctuation that ends a phrase: a label's words must not straddle it ("team, working" is no
# teamwork, "Grade: Food Service Assistant" no *grade foods*). Text and labels alike get a
# BARRIER word there, which no label pattern holds between two of its words unless the label
# itself is written with that punctuation ("organise information, objects and resources").
PHRASE_END = r"\s*(?:[,;:!?()\[\]{}|\u2022\n\r]|\.(?:\s|$))\s*"
BARRIER = " ## "
MATCH_CHUNK = 1000  # texts normalised at a time while the last ones are matched


def _barriers(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(PHRASE_END, BARRIER)


def _shown(pattern: pl.Expr) -> pl.Expr:
    """A normalised pattern as `evidence` publishes it: words single-spaced, no barriers."""
    return pattern.str.replace_all(r"(?:\s##)+\s", " ").str.strip_chars()


def normalise_expr(col: str) -> pl.Expr:
    return (pl.lit(" ") + _barriers(pl.col(col).fill_null("")).str.to_lowercase()
            .str.replace_all(NON_WORD, " ") + pl.lit(" "))


def label_table(taxonomy: Taxonomy) -> pl.DataFrame:
    """pattern (padded, normalised label) -> skill_uri, score; one skill per pattern. Built
    once per Taxonomy."""
    return taxonomy.built("skill_label_table", _label_table)


def _label_table(taxonomy: Taxonomy) -> pl.DataFrame:
    labels = taxonomy.esco_skill_labels().with_columns(pattern=normalise_expr("label"))
    single = ~pl.col("norm").str.strip_chars().str.contains(" ")
    looks_like_name = pl.col("label").str.contains(r"[A-Z0-9+#]")
    stop = [f" {w} " for w in _stoplist()]
    table = (
        labels.with_columns(score=pl.col("kind").replace_strict(SCORES, return_dtype=pl.Float64))
        .with_columns(norm=pl.col("pattern"))
        .filter((pl.col("norm").str.strip_chars().str.len_chars() > 2)
                | pl.col("norm").str.contains(r"[+#]"))
        .filter(~single | (pl.col("kind") == "preferred") | looks_like_name)
        .filter(~pl.col("norm").is_in(stop))
    )
    owners = table.group_by("pattern").agg(
        pl.col("skill_uri").n_unique().alias("owners"),
        pl.col("skill_uri").filter(pl.col("kind") == "preferred").n_unique().alias("preferred"))
    cased = cased_table(taxonomy)["pattern"].unique().to_list()
    kept = (
        table.join(owners, on="pattern")
        .filter((pl.col("owners") == 1)
                | ((pl.col("preferred") == 1) & (pl.col("kind") == "preferred")))
        .filter(~pl.col("pattern").is_in(cased))
        .sort("pattern", "score", descending=[False, True])
        .unique("pattern", keep="first", maintain_order=True)
        .select("pattern", "skill_uri", "score")
    )
    kept = _closest_twin(kept, labels, taxonomy.esco_skills().select("skill_uri", "label"))
    # Number variants of the multi-word labels of knowledge skills (noun phrases: "operating
    # system" <-> "operating systems"; verb phrases such as "manage budgets" are left alone),
    # where the variant is no label of its own and belongs to one skill only.
    knowledge = taxonomy.esco_skills().filter(
        pl.col("skill_type") == "knowledge")["skill_uri"]
    variants = (
        kept.filter(pl.col("skill_uri").is_in(knowledge.implode()))
        .with_columns(pattern=_number_variant(pl.col("pattern")))
        .drop_nulls("pattern")
        .filter(~pl.col("pattern").is_in(labels["pattern"].implode()))
    )
    single_owner = variants.group_by("pattern").agg(pl.col("skill_uri").n_unique() == 1)
    variants = (variants.join(single_owner.filter(pl.col("skill_uri")).select("pattern"),
                              on="pattern")
                .sort("pattern", "score", descending=[False, True])
                .unique("pattern", keep="first", maintain_order=True))
    return _reowned(pl.concat([kept, variants]), taxonomy).sort("pattern")


def _reowned(table: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """`table` with the labels of mappings/skill_label_owners.tsv given to the skill named
    there (ESCO files "business acumen" under *show entrepreneurial spirit*, not under its
    own *apply business acumen*)."""
    rows = [line.split("\t") for line in _lines(OWNERS)]
    owners = (pl.DataFrame(rows, schema=["label", "owner"], orient="row")
              .with_columns(pattern=normalise_expr("label"))
              .join(taxonomy.esco_skills().select(owner="label", owner_uri="skill_uri"),
                    on="owner", how="left"))
    if owners["owner_uri"].null_count():
        raise ValueError(f"{OWNERS.name}: no ESCO skill named "
                         f"{owners.filter(pl.col('owner_uri').is_null())['owner'].to_list()}")
    return (table.join(owners.select("pattern", "owner_uri"), on="pattern", how="left")
            .with_columns(skill_uri=pl.coalesce("owner_uri", "skill_uri"))
            .drop("owner_uri"))


def _closest_twin(kept: pl.DataFrame, labels: pl.DataFrame,
                  preferred: pl.DataFrame) -> pl.DataFrame:
    """`kept` with a pattern whose other grammatical number is another skill's label given
    to the skill, among the two or more, whose preferred label is closest to it (Jaccard of
    the words, either number): ESCO files "environmental laws" under *oil rig legislation* and
    "environmental law" under *environmental legislation*, "resolve conflict" under
    *negotiate compromises* and "resolve conflicts" is a preferred label. A skill's own
    preferred label, ties, and twins under TWIN_MIN_OVERLAP ("use global positioning
    system" is no closer to *use specialised equipment* than to its GPS skill) stay."""
    def words(text: str) -> set[str]:
        return {w[:-1] if w.endswith("s") else w for w in text.split()}

    def overlap(pattern: str, uri: str) -> float:
        a, b = words(pattern), words(names[uri])
        return len(a & b) / len(a | b)

    own = labels.select("pattern", "skill_uri", "kind")
    twins = (
        kept.with_columns(twin=_number_variant(pl.col("pattern"))).drop_nulls("twin")
        .join(own.filter(pl.col("kind") == "preferred").select("pattern", "skill_uri"),
              on=["pattern", "skill_uri"], how="anti")
        .join(own.select(twin="pattern", other="skill_uri"), on="twin")
        .filter(pl.col("other") != pl.col("skill_uri"))
        .join(own.select("pattern", other="skill_uri"), on=["pattern", "other"], how="anti")
    )
    if twins.is_empty():
        return kept
    names = dict(zip(preferred["skill_uri"], preferred["label"].str.to_lowercase(), strict=True))
    moves = {}
    for pattern, skill, others in (twins.group_by("pattern", "skill_uri")
                                   .agg(pl.col("other").unique().sort()).iter_rows()):
        best = max([skill, *others], key=lambda uri: (
            overlap(pattern, uri) if uri != skill
            else max(overlap(pattern, uri), TWIN_MIN_OVERLAP - 1e-9), uri == skill))
        if best != skill:
            moves[pattern] = best
    if not moves:
        return kept
    moved = pl.DataFrame({"pattern": list(moves), "moved_to": list(moves.values())})
    return (kept.join(moved, on="pattern", how="left")
            .with_columns(pl.col("moved_to").fill_null(pl.col("skill_uri")).alias("skill_uri"),
                          pl.when(pl.col("moved_to").is_null()).then(pl.col("score"))
                          .otherwise(pl.lit(SCORES["alt"])).alias("score"))
            .drop("moved_to"))


def _number_variant(pattern: pl.Expr) -> pl.Expr:
    """The other grammatical number of a padded multi-word pattern's last word (English
    regular forms), or null: "-y" <-> "-ies", "-ss/x/z/ch/sh" <-> "-es", "-s" -> "", else "+s";
    none for "-us", "-is", "-ics", "-ness".
    Last words under 4 letters, or with digits, '+' or '#', get none."""
    words = pattern.str.strip_chars()
    last = words.str.extract(r"([a-z]+)$")
    head = words.str.extract(r"^(.*) [a-z]+$")
    other = (
        pl.when(last.str.contains(r"ies$")).then(last.str.replace(r"ies$", "y"))
        .when(last.str.contains(r"[^aeiou]y$")).then(last.str.replace(r"y$", "ies"))
        .when(last.str.contains(r"(ss|x|z|ch|sh)es$"))
        .then(last.str.slice(0, last.str.len_chars() - 2))
        .when(last.str.contains(r"(ss|x|z|ch|sh)$")).then(last + "es")
        .when(last.str.contains(r"(us|is|ics|ness)$")).then(pl.lit(None, dtype=pl.String))
        .when(last.str.contains(r"[^s]s$")).then(last.str.slice(0, last.str.len_chars() - 1))
        .otherwise(last + "s")
    )
    ok = head.is_not_null() & (last.str.len_chars() >= 4) & words.str.contains(r"[a-z]$")
    return pl.when(ok).then(pl.lit(" ") + head + pl.lit(" ") + other + pl.lit(" "))


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def _stoplist() -> list[str]:
    return _lines(STOPLIST)


def cased_normalise_expr(col: str) -> pl.Expr:
    """Like normalise_expr but keeps case, and '&' inside words ("R&D" is not "R")."""
    return (pl.lit(" ") + pl.col(col).fill_null("").str.replace_all(r"[^A-Za-z0-9+#&]+", " ")
            + pl.lit(" "))


def cased_table(taxonomy: Taxonomy) -> pl.DataFrame:
    """form (padded, as written) -> pattern (padded, normalised), skill_uri, score, context:
    the case-sensitive labels and the acronyms (see the module docstring). Built once per
    Taxonomy."""
    return taxonomy.built("skill_cased_table", _cased_table)


def _cased_table(taxonomy: Taxonomy) -> pl.DataFrame:
    skills = taxonomy.esco_skills().select("skill_uri", "label")
    labels = taxonomy.esco_skill_labels()
    rows = []
    for line in _lines(ACRONYMS):
        form, label, context = line.split("\t")
        rows.append({"form": form, "label": label, "context": context, "score": SCORES["alt"]})
    acronyms = (pl.DataFrame(rows).join(skills, on="label", how="inner")
                .select("form", "skill_uri", "score", "context"))
    wanted = _lines(CASED)
    names = (
        labels.filter(pl.col("label").is_in(wanted))
        .with_columns(score=pl.col("kind").replace_strict(SCORES, return_dtype=pl.Float64))
        .sort("label", "score", descending=[False, True]).unique("label", keep="first")
        .select(pl.concat_list(pl.col("label"), pl.col("label").str.to_uppercase())
                .list.unique().alias("form"), "skill_uri", "score", context=pl.lit("-"))
        .explode("form")
    )
    return (
        pl.concat([acronyms, names])
        .with_columns(pattern=normalise_expr("form"), form=cased_normalise_expr("form"))
        .unique("form", keep="first", maintain_order=True)
        .select("form", "pattern", "skill_uri", "score", "context")
    )


def load_ranker(taxonomy: Taxonomy):
    """The static-embedding skill ranker of `taxonomy` (transform.linking.skill_ranker),
    loaded once per Taxonomy."""
    from transform.linking import skill_ranker

    return skill_ranker.load(taxonomy)


def extract_skills(records: pl.LazyFrame, id_col: str, text_col: str = "text", *,
                   taxonomy: Taxonomy, labels: pl.DataFrame | None = None, ranker=None,
                   ranker_k: int = RANKER_K, ranker_min_score: float = RANKER_MIN_SCORE,
                   ranker_min_words: int = 3, ranker_rerank: bool = False,
                   boilerplate: bool = True,
                   repeated: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """(id_col, skill_uri, score, method, evidence) for every skill mentioned in each record.
    `taxonomy`: the ESCO labels to match (`label_table`, `cased_table`); `labels`: another
    `label_table` for the main pass (default: the taxonomy's). `ranker`: a
    `skill_ranker.SkillRanker` adds, per record, up to `ranker_k` skills not found lexically
    whose best sentence (of at least `ranker_min_words` words) has cosine >=
    `ranker_min_score` (method "ranker", score RANKER_WEIGHT x cosine; with `ranker_rerank`,
    the mean of cosine and label cover, `SkillRanker.hits`); None (default) runs the
    lexical matcher alone. `boilerplate` (default): employer boilerplate lines are left
    out first (transform.linking.sections.strip_boilerplate), with `repeated` (id_col, key),
    the lines each record shares with its employer's other postings (`sections.repeated_lines`)."""
    if boilerplate:
        records = strip_boilerplate(records.select(id_col, text_col), id_col, text_col,
                                    drop=repeated)
    labels = label_table(taxonomy) if labels is None else labels
    # Collected once: the matchers below read the cleaned texts three times. The automaton
    # (once per process) is built meanwhile: Polars works without the GIL.
    with ThreadPoolExecutor(1) as pool:
        built = pool.submit(_automaton, tuple(labels["pattern"].to_list()))
        records = records.with_columns(without_non_evidence(pl.col(text_col))).collect().lazy()
        built.result()
    lexical = _lexical(records, id_col, text_col, taxonomy, labels)
    if ranker is None:
        return lexical
    frame = records.select(id_col, text_col).collect()
    found = lexical.collect()
    ranked = (
        ranker.rank_records(frame, id_col, text_col, k=ranker_k, per_sentence=ranker_k,
                            min_score=ranker_min_score, min_words=ranker_min_words,
                            rerank=ranker_rerank)
        .join(found.select(id_col, "skill_uri"), on=[id_col, "skill_uri"], how="anti")
        .with_columns(method=pl.lit("ranker"), score=pl.col("score") * RANKER_WEIGHT)
        .select(found.columns)
    )
    return pl.concat([found, ranked]).sort(id_col, "skill_uri").lazy()


# Spans of text that are never evidence of a skill, though they hold skill words: web and
# mail addresses ("bestplacestowork.org/BPTW/index.php" is no PHP), US statute numbers
# ("Public Law 97-35", which sets radiographers' credentials, no public law), names of
# bodies ads cite for their rules (the "Office of Personnel Management", named by federal
# ads for its qualification standards, gave 75 snapshot postings personnel management; the
# Rehabilitation of Offenders Act; the rehabilitation facilities' accreditor) and standard
# texts quoted whatever the job: the field lists of two OPM qualification standards (the
# engineering standard's lettered areas, "(c) fluid mechanics, hydraulics; (d)
# thermodynamics; ...", and its alternative, "a degree in an appropriate scientific field,
# e.g., ... hydrology, or geology"; the IT management standard's fields), each area its own
# pattern as the boilerplate step (shared sentences) may already have cut some of them, and
# VA medical centers' list of their services. Patterns with literal parts and ASCII
# classes: one case-insensitive Unicode alternation of them made the lexical pass of the
# skills benchmark 2.3 times as slow.
_NOT_EVIDENCE = (
    r"(?:https?://|HTTPS?://|www\.|WWW\.)\S+",
    r"[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    r"(?:[Pp]ublic [Ll]aw|PUBLIC LAW)\s*\d+\s*[-–]\s*\d+",
    r"(?:Office|OFFICE)\s+(?:of|OF)\s+(?:Personnel|PERSONNEL)\s+(?:Management|MANAGEMENT)"
    r"|(?:Defense|DEFENSE)\s+(?:Contract|CONTRACT)\s+(?:Management|MANAGEMENT)\s+"
    r"(?:Agency|AGENCY)",
    r"\([a-gA-G]\)\s*(?:[Ss]tatics|[Ss]trength of materials|[Ff]luid mechanics"
    r"|[Tt]hermodynamics|[Ee]lectrical fields|[Nn]ature and properties|STATICS|STRENGTH"
    r"|FLUID|THERMODYNAMICS|ELECTRICAL FIELDS|NATURE)[^;()\n]*",
    r"(?:comparable|COMPARABLE)\s+(?:area|AREA)\s+(?:of|OF)\s+(?:fundamental"
    r"|FUNDAMENTAL)[\s\S]{0,120}?(?:electronics|ELECTRONICS)",
    r"(?:appropriate|APPROPRIATE)\s+(?:scientific|professional|SCIENTIFIC|PROFESSIONAL)"
    r"\s+(?:field|FIELD)[\s\S]{0,200}?(?:geology|GEOLOGY)",
    r"[Cc]omputer [Ss]cience,\s*(?:[Ee]ngineering,\s*)?[Ii]nformation [Ss]cience,\s*"
    r"[Ii]nformation [Ss]ystems [Mm]anagement,[^.;]{0,80}?"
    r"(?:[Tt]echnology [Mm]anagement|[Ee]ngineering)",
    # British ads' criminal-records notice ("This post is subject to the
    # Rehabilitation of Offenders Act (Exceptions Order) 1975"), not rehabilitation
    r"(?:[Rr]ehabilitation|REHABILITATION)\s+(?:[Oo]f|OF)\s+(?:[Oo]ffenders|OFFENDERS)",
    # and the accreditor VA and US hospital ads name (CARF)
    r"[Aa]ccreditation (?:of|for) [Rr]ehabilitation [Ff]acilities",
    # VA medical centers' blurb: "health care is provided through primary care,
    # tertiary care and long-term care in areas of medicine, surgery, psychiatry,
    # ..., neurology, oncology, dentistry, geriatrics, and extended care"
    r"(?:[Cc]are|CARE) (?:is |IS )?(?:provided|PROVIDED) [^.;\n]{0,120}?"
    r"(?:in (?:the )?areas of|IN (?:THE )?AREAS OF) [^.;\n]+",
    # radiology's image archive, not communication ("Picture Archiving & Communication
    # System (PACS)")
    r"(?:[Pp]icture|PICTURE) (?:[Aa]rchiving|ARCHIVING) (?:and|AND|&) "
    r"(?:[Cc]ommunications?|COMMUNICATIONS?) (?:[Ss]ystems?|SYSTEMS?)",
)
# One alternation of them all: a single scan of each text instead of one per pattern (half
# the time of the sequential passes on the 12,000 bulk postings, the same output).
_NOT_EVIDENCE_RE = "|".join(f"(?:{pattern})" for pattern in _NOT_EVIDENCE)


def without_non_evidence(text: pl.Expr) -> pl.Expr:
    """`text` with its web and mail addresses, statute numbers ("Public Law 97-35"), the
    names of the Office of Personnel Management and the Defense Contract Management Agency,
    the field lists of OPM's engineering and IT qualification standards, the names of the
    Rehabilitation of Offenders Act, of the rehabilitation facilities' accreditor and of
    radiology's picture archiving and communication systems, and VA medical centers' lists
    of their services blanked out, in one pass."""
    return text.str.replace_all(_NOT_EVIDENCE_RE, " ")


def _lexical(records: pl.LazyFrame, id_col: str, text_col: str, taxonomy: Taxonomy,
             labels: pl.DataFrame | None) -> pl.LazyFrame:
    labels = label_table(taxonomy) if labels is None else labels
    # Collected once: the plan below reads the matches several times. The cased forms are
    # found meanwhile, by Polars, while this thread walks the automaton.
    with ThreadPoolExecutor(1) as pool:
        cased = pool.submit(cased_matches(records, id_col, text_col,
                                          cased_table(taxonomy)).collect)
        found = main_matches(records, id_col, text_col, labels).collect().lazy()
        cased_found = cased.result().lazy()
    matches = in_context(found, records, id_col, text_col)
    return resolve(matches, id_col, labels, cased_found)


def _text_norm(text: pl.Expr) -> pl.Expr:
    """A text as the label patterns are matched in it: `normalise_expr`, with a word glued
    by a hyphen to a particle ("hands-on") kept as one word."""
    # Lower-cased first: a case-insensitive regex over whole texts costs half the
    # normalisation. "ſ" is the one character besides A-Z that (?i)[a-z] matched and
    # lower-casing leaves as it is (the Kelvin sign becomes "k"). The word boundary is
    # ASCII's, which Polars' regex engine runs about 8 times as fast as Unicode's; they
    # differ only before a non-ASCII letter or digit ("x-oné"), whose hyphen is made
    # another non-word character first, so that it is not glued.
    particle = "(" + "|".join(HYPHEN_PARTICLES) + ")"
    glued = (text.fill_null("").str.to_lowercase()
             .str.replace_all(rf"-({particle}[\w&&[^\x00-\x7f]])", "\x1f${1}")
             .str.replace_all(rf"([a-z0-9ſ])-{particle}(?-u:\b)", "${1}#${2}"))
    return pl.lit(" ") + _barriers(glued).str.replace_all(NON_WORD, " ") + pl.lit(" ")


def _context_ok(padded: pl.Expr) -> pl.Expr:
    """Whether the padded, normalised sentence `padded` holds a cue word of the row's
    `context` (CONTEXT_CUES); "-" needs none."""
    ok = pl.col("context") == "-"
    for context, cues in CONTEXT_CUES.items():
        hit = padded.str.contains_any([f" {c} " for c in cues])
        ok = pl.when(pl.col("context") == context).then(hit).otherwise(ok)
    return ok


@lru_cache(maxsize=1)
def context_table() -> pl.DataFrame:
    """pattern (padded, normalised; with its number variant) -> context: the labels of
    mappings/skill_label_context.tsv, which count only next to a cue word of their context.
    Code-owned (no taxonomy file): read once per process."""
    rows = [line.split("\t") for line in _lines(CONTEXT_LABELS)]
    table = pl.DataFrame(rows, schema=["label", "context"], orient="row").with_columns(
        pattern=normalise_expr("label"))
    variants = table.with_columns(pattern=_number_variant(pl.col("pattern"))).drop_nulls()
    return pl.concat([table, variants]).unique("pattern", keep="first", maintain_order=True
                                                ).select("pattern", "context")


def in_context(matches: pl.LazyFrame, records: pl.LazyFrame, id_col: str, text_col: str,
               table: pl.DataFrame | None = None) -> pl.LazyFrame:
    """`matches` (id_col, pattern) without the context labels (`context_table`) found in no
    sentence that holds a cue word of their context."""
    table = context_table() if table is None else table
    flagged = matches.join(table.lazy(), on="pattern")
    sentences = (
        records.select(id_col, text_col)
        .join(flagged.select(id_col).unique(), on=id_col)
        .select(id_col, sentence=pl.col(text_col).fill_null("")
                .str.replace_all(SENTENCE_SPLIT, "\x00").str.split("\x00"))
        .explode("sentence")
        .select(id_col, norm=_text_norm(pl.col("sentence")))
    )
    ok = (flagged.join(sentences, on=id_col)
          .filter(pl.col("norm").str.contains(pl.col("pattern"), literal=True),
                  _context_ok(pl.col("norm")))
          .select(id_col, "pattern").unique())
    wrong = flagged.join(ok, on=[id_col, "pattern"], how="anti").select(id_col, "pattern")
    return matches.join(wrong, on=[id_col, "pattern"], how="anti")


def main_matches(records: pl.LazyFrame, id_col: str, text_col: str,
                 labels: pl.DataFrame) -> pl.LazyFrame:
    """(id_col, pattern): every label pattern found in each record's normalised text (every
    occurrence, overlapping ones too)."""
    automaton = _automaton(tuple(labels["pattern"].to_list()))
    frame = records.select(id_col, text_col).collect()
    rows: list[int] = []
    patterns: list[str] = []
    if automaton is not None and frame.height:
        # In chunks: Polars normalises the next chunk, without the GIL, while this thread
        # walks the automaton through the last one.
        starts = range(0, frame.height, MATCH_CHUNK)
        with ThreadPoolExecutor(1) as pool:
            ahead = pool.submit(_normalised, frame, text_col, 0)
            for start in starts:
                texts = ahead.result()
                if start + MATCH_CHUNK < frame.height:
                    ahead = pool.submit(_normalised, frame, text_col, start + MATCH_CHUNK)
                for row, text in enumerate(texts, start):
                    for _, pattern in automaton.iter(text):
                        rows.append(row)
                        patterns.append(pattern)
    return (
        pl.DataFrame({id_col: frame[id_col].gather(pl.Series(rows, dtype=pl.UInt32)),
                      "pattern": pl.Series(patterns, dtype=pl.String)})
        .lazy()
        .unique([id_col, "pattern"])
    )


def _normalised(frame: pl.DataFrame, text_col: str, start: int) -> list[str]:
    """The normalised texts (`_text_norm`) of MATCH_CHUNK rows of `frame` from `start`."""
    return frame.slice(start, MATCH_CHUNK).select(_text_norm(pl.col(text_col))
                                                  ).to_series().to_list()


@lru_cache(maxsize=2)
def _automaton(patterns: tuple[str, ...]) -> Any:
    """The Aho-Corasick automaton of `patterns` (pyahocorasick; None when there are none),
    built once per process: ~0.6 s for the ~110k label patterns, which Polars'
    `str.extract_many` would build again on every call, a one-line text or a shard."""
    if not patterns:
        return None
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for pattern in patterns:
        automaton.add_word(pattern, pattern)
    automaton.make_automaton()
    return automaton


def cased_matches(records: pl.LazyFrame, id_col: str, text_col: str,
                  table: pl.DataFrame) -> pl.LazyFrame:
    """(id_col, pattern, skill_uri, score): case-sensitive names and acronyms found as
    written, in a sentence with a cue word of their context where they need one (`table`:
    a `cased_table`)."""
    lower = pl.col("sentence").str.to_lowercase().str.replace_all(NON_WORD, " ")
    context_ok = _context_ok(pl.lit(" ") + lower + pl.lit(" "))
    forms = table["form"].to_list()
    return (
        records.select(id_col, text_col)
        # Most records hold none of the forms: test the whole text before cutting sentences.
        .filter(cased_normalise_expr(text_col).str.contains_any(forms))
        .select(id_col, sentence=pl.col(text_col).fill_null("")
                .str.replace_all(SENTENCE_SPLIT, "\x00").str.split("\x00"))
        .explode("sentence")
        .with_columns(form=cased_normalise_expr("sentence")
                      .str.extract_many(forms, overlapping=True))
        .filter(pl.col("form").list.len() > 0)
        .explode("form")
        .join(table.lazy(), on="form")
        .filter(context_ok)
        .select(id_col, "pattern", "skill_uri", "score")
        .unique()
    )


def resolve(matches: pl.LazyFrame, id_col: str, labels: pl.DataFrame,
            cased: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """Matched patterns -> (id_col, skill_uri, score, method, evidence), longest match wins."""
    found = matches.join(labels.lazy(), on="pattern")
    if cased is not None:
        found = pl.concat([found, cased.select(found.collect_schema().names())])
    pairs = found.select(id_col, "pattern").unique()
    # Longest match wins: drop a pattern that occurs inside another pattern of the same record.
    inner = (
        pairs.join(pairs, on=id_col, suffix="_outer")
        .filter((pl.col("pattern") != pl.col("pattern_outer"))
                & pl.col("pattern_outer").str.contains(pl.col("pattern"), literal=True))
        .select(id_col, "pattern").unique()
    )
    return (
        found.join(inner, on=[id_col, "pattern"], how="anti")
        .group_by(id_col, "skill_uri")
        .agg(pl.col("score").max(), evidence=pl.col("pattern").sort_by("score", "pattern").last())
        .with_columns(method=pl.lit("lexical"), evidence=_shown(pl.col("evidence")))
        .select(id_col, "skill_uri", "score", "method", "evidence")
        .sort(id_col, "skill_uri")
    )


def stated_matches(courses: pl.LazyFrame, id_col: str = "course_id",
                   list_col: str = "stated_skills", *, taxonomy: Taxonomy,
                   labels: pl.DataFrame | None = None) -> pl.LazyFrame:
    """(id_col, skill_uri, score, method "stated", evidence) for the skills a record states:
    the lexical matcher (both passes, longest match wins) run on each stated item alone. An
    item that is exactly a label scores as that label (1.0 / 0.9 / 0.8); a label inside a
    longer item ("Python Programming") scores STATED_PART x that. Per skill the best item
    is kept (ties: the first in order); `evidence` is that item, normalised."""
    items = (
        courses.select(id_col, item=pl.col(list_col)).explode("item").drop_nulls("item")
        .unique().sort(id_col, "item")
        .with_columns(item_id=pl.int_range(pl.len()).cast(pl.String),
                      norm=_shown(normalise_expr("item")))
    )
    found = _lexical(items.select("item_id", "item"), "item_id", "item", taxonomy, labels)
    return (
        found.join(items, on="item_id")
        .with_columns(score=pl.when(pl.col("norm") == pl.col("evidence")).then(pl.col("score"))
                      .otherwise((pl.col("score") * STATED_PART).round(4)))
        .sort(id_col, "skill_uri", "score", "norm", descending=[False, False, True, False])
        .unique([id_col, "skill_uri"], keep="first", maintain_order=True)
        .select(id_col, "skill_uri", "score", method=pl.lit("stated"), evidence="norm")
    )


def with_stated(found: pl.DataFrame, stated: pl.DataFrame, id_col: str) -> pl.DataFrame:
    """Description matches and stated skills in one table, one row per (record, skill): a
    stated skill keeps method "stated" and its evidence, with the higher of the two scores."""
    both = (stated.join(found.select(id_col, "skill_uri", text_score="score"),
                        on=[id_col, "skill_uri"], how="left")
            .with_columns(score=pl.max_horizontal("score", "text_score")).drop("text_score"))
    rest = found.join(stated, on=[id_col, "skill_uri"], how="anti")
    return pl.concat([rest, both.select(found.columns)]).sort(id_col, "skill_uri")


TABLES = (("postings", "posting_id"), ("courses", "course_id"))
# The columns of a record's skills but its id (posting_skills, course_skills).
SKILL_SCHEMA = {"skill_uri": pl.String(), "score": pl.Float64(), "method": pl.String(),
                "evidence": pl.String()}
SKILL_SHARD = 5000  # postings or courses a shard finds the skills of
SKILL_SHARD_ENV = "MICROCAREER_SKILL_SHARD"
# Records per employer bucket when the plan looks for boilerplate lines: the night's lines are
# grouped one bucket at a time, so the plan's memory is bounded by a bucket, not the night.
REPEAT_BUCKET = 100_000


def skill_shard() -> int:
    """Records per skills shard: $MICROCAREER_SKILL_SHARD, else SKILL_SHARD. The tables do
    not depend on it (tests/transform/linking/test_skills.py)."""
    value = os.environ.get(SKILL_SHARD_ENV, "").strip()
    return max(1, int(value)) if value else SKILL_SHARD


def _ranker(taxonomy: Taxonomy, use_ranker: bool | None):
    from transform.linking import skill_ranker

    on = use_ranker if use_ranker is not None else skill_ranker.enabled_by_env()
    return load_ranker(taxonomy) if on else None


def _has_employer(records: pl.LazyFrame) -> bool:
    return {"title", "company", "url"} <= set(records.collect_schema().names())


def _repeated(records: pl.LazyFrame, id_col: str) -> pl.LazyFrame | None:
    """The boilerplate of each record found across postings (`repeated_lines`, each
    employer's; `shared_sentences`, copied between employers), for tables with an employer;
    they need every record of the night."""
    if not _has_employer(records):
        return None
    return pl.concat([_employer_lines(records, id_col), _shared(records, id_col)])


def _employer_lines(records: pl.LazyFrame, id_col: str) -> pl.LazyFrame:
    return repeated_lines(records.with_columns(employer=employer_expr()), id_col, "employer",
                          "title")


def _shared(records: pl.LazyFrame, id_col: str,
            part: tuple[int, int] | None = None) -> pl.LazyFrame:
    return shared_sentences(records.with_columns(employer=employer_expr()), id_col,
                            "employer", "title", part=part)


def table_skills(records: pl.LazyFrame, id_col: str, *, taxonomy: Taxonomy,
                 repeated: pl.LazyFrame | None, ranker=None) -> pl.DataFrame:
    """The skills of `records` (a table's rows, all or one shard's): mentions in the text
    and, for courses, the skills they state; one record's rows depend on that record (and
    its `repeated` lines) alone, sorted by (id_col, skill_uri)."""
    found = extract_skills(records, id_col, taxonomy=taxonomy, ranker=ranker,
                           repeated=repeated).collect()
    if "stated_skills" in records.collect_schema().names():
        found = with_stated(found, stated_matches(records, id_col, taxonomy=taxonomy)
                            .collect(), id_col)
    return found


def _counts(table: str, found: pl.DataFrame) -> dict[str, int]:
    counts = {}
    if table == "courses":
        counts["course_skills_stated"] = int((found["method"] == "stated").sum())
    counts[f"{table[:-1]}_skills"] = found.height
    return counts


def run(*, data_dir: str | Path, date: str, taxonomy: Taxonomy,
        use_ranker: bool | None = None) -> dict[str, int]:
    """posting_skills and course_skills for `date`, next to the normalised tables: mentions in
    the text, and for courses the skills they state (`stated_matches`), with the ESCO labels
    of `taxonomy`. The ranker runs when `use_ranker`, or (None) when
    MICROCAREER_SKILL_RANKER is set to 1/true. In one call; the nightly stage runs the same
    work in shards (`plan`, `match_shard`, `reduce`)."""
    folder = DataLayout(Path(data_dir)).normalised(date)
    ranker = _ranker(taxonomy, use_ranker)
    counts = {}
    for table, id_col in TABLES:
        records = pl.scan_parquet(folder / f"{table}.parquet")
        found = table_skills(records, id_col, taxonomy=taxonomy, ranker=ranker,
                             repeated=_repeated(records, id_col))
        found.write_parquet(folder / f"{table[:-1]}_skills.parquet")
        counts.update(_counts(table, found))
    return counts


# -- The stage in steps, for mapped tasks (microcareer/stages.py): `plan` writes what needs
# the whole night (each record's employer boilerplate lines) and cuts each table into shards
# of rows, `match_shard` finds one shard's skills, `reduce` concatenates them in order.
# Their files live in DataLayout.shards(run id, "extract_skills") until reduce removes them.
SHARD_STAGE = "extract_skills"


def _shard_file(folder: Path, kind: str, index: int) -> Path:
    return folder / f"{kind}-{index:05d}.parquet"


def plan(*, data_dir: str | Path, date: str, run_id: str) -> list[dict[str, Any]]:
    """The shards of the night's postings and courses (consecutive rows of the normalised
    tables, `skill_shard()` each), as descriptors {"stage", "table", "index", "shards",
    "offset", "rows", "name", "cache"}; each table's boilerplate lines written for them.
    "cache": the last night's skills (`night_cache.current`), or None. Starts from an empty
    shard folder (a retried plan)."""
    layout = DataLayout(Path(data_dir))
    cache = night_cache.current(layout.night_cache(SHARD_STAGE), layout.root)
    folder = layout.shards(run_id, SHARD_STAGE)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    size = skill_shard()
    shards = []
    for table, id_col in TABLES:
        records = pl.scan_parquet(layout.normalised(date) / f"{table}.parquet")
        rows = records.select(pl.len()).collect().item()
        _write_repeated(records, id_col, rows, folder, table)
        n = max(1, -(-rows // size))
        shards += [{"stage": SHARD_STAGE, "table": table, "index": i, "shards": n,
                    "offset": i * size, "rows": min(size, rows - i * size),
                    "name": f"{table} {i + 1}/{n}", "cache": cache} for i in range(n)]
    return shards


def _repeated_files(folder: Path, table: str) -> list[Path]:
    return sorted(folder.glob(f"repeated-{table}-*.parquet"))


def _write_repeated(records: pl.LazyFrame, id_col: str, rows: int, folder: Path,
                    table: str) -> None:
    """`_repeated` of the whole table, worked out per bucket of about REPEAT_BUCKET records
    (employers' lines by a hash of the employer, so each employer's records are in one
    bucket; shared sentences by a hash of the sentence), so that the lines are the same
    whatever the number of buckets, one file per bucket."""
    if not _has_employer(records):
        return
    n = max(1, -(-rows // REPEAT_BUCKET))
    for b in range(n):
        part = records.filter(employer_expr().hash(seed=0) % n == b) if n > 1 else records
        _employer_lines(part, id_col).sink_parquet(
            folder / f"repeated-{table}-{b:05d}.parquet")
        _shared(records, id_col, (b, n)).sink_parquet(
            folder / f"repeated-{table}-shared-{b:05d}.parquet")


def match_shard(*, data_dir: str | Path, date: str, run_id: str, shard: dict[str, Any],
                taxonomy: Taxonomy, use_ranker: bool | None = None) -> dict[str, Any]:
    """`table_skills` of one shard of `plan`, written (atomically) to the shard folder with
    each record's night_cache.KEY, and the shard's keys beside them; the records the last
    night found the skills of (same key) are taken from the cache. Returns the descriptor
    with the rows found. Reads only its rows and their boilerplate lines; takes no lock."""
    layout = DataLayout(Path(data_dir))
    folder = layout.shards(run_id, SHARD_STAGE)
    table = shard["table"]
    id_col = dict(TABLES)[table]
    records = (pl.scan_parquet(layout.normalised(date) / f"{table}.parquet")
               .slice(shard["offset"], shard["rows"]).collect())
    repeated = None
    if files := _repeated_files(folder, table):
        repeated = (pl.scan_parquet(files)
                    .join(records.lazy().select(id_col), on=id_col, how="semi").collect())
    ranker = _ranker(taxonomy, use_ranker)
    keys = _record_keys(records, id_col, repeated, ranker is not None)
    found, hits = _cached_skills(keys, shard.get("cache"), table, layout.root, taxonomy)
    fresh = records.join(hits, on=id_col, how="anti")
    if fresh.height:
        rep = None if repeated is None else repeated.join(fresh.select(id_col), on=id_col,
                                                          how="semi").lazy()
        found = pl.concat([found, table_skills(fresh.lazy(), id_col, taxonomy=taxonomy,
                                               repeated=rep, ranker=ranker)
                           .join(keys, on=id_col)]).sort(id_col, "skill_uri")
    for kind, frame in ((table, found), (f"{table}-keys", keys.select(night_cache.KEY))):
        out = _shard_file(folder, kind, shard["index"])
        tmp = out.with_suffix(".tmp")
        frame.write_parquet(tmp)
        os.replace(tmp, out)
    return {**shard, "skills": found.height, "from_cache": hits.height}


def _record_keys(records: pl.DataFrame, id_col: str, repeated: pl.DataFrame | None,
                 ranked: bool) -> pl.DataFrame:
    """(id_col, night_cache.KEY): what a record's skills depend on, its text, its stated
    skills, its employer's boilerplate lines in it, and whether the ranker runs."""
    cols = ["text", *(c for c in ("stated_skills",) if c in records.columns)]
    frame = records.select(id_col, *cols, method=pl.lit("ranker" if ranked else "lexical"))
    if repeated is not None:
        lines = repeated.group_by(id_col).agg(boilerplate=pl.col("key").unique().sort())
        frame = frame.join(lines, on=id_col, how="left", maintain_order="left")
        cols.append("boilerplate")
    return frame.select(id_col, night_cache.keys(frame, [*cols, "method"]))


def _cached_skills(keys: pl.DataFrame, cache: dict | None, table: str, root: Path,
                   taxonomy: Taxonomy) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The skills, with KEY, of the records of `keys` (id_col, KEY) the last night found
    (`cache`), sorted by (id_col, skill_uri); and those records' ids (with no skill too)."""
    key = night_cache.KEY
    id_col = keys.columns[0]
    empty = pl.DataFrame(schema={id_col: pl.String, **SKILL_SCHEMA, key: pl.String})
    none = keys.clear().select(id_col)
    # Only the files of the last night's shards that hold these keys: a key's skills are in
    # the rows file of the shard whose keys file holds it.
    files = night_cache.holding(cache, root, keys[key], taxonomy)
    done = night_cache.scan(cache, root, f"{table}-keys-*.parquet", taxonomy, only=files)
    rows = night_cache.scan(cache, root, f"{table}-[0-9]*.parquet", taxonomy,
                            only=None if files is None
                            else {f.replace("-keys-", "-") for f in files})
    if done is None or rows is None:
        return empty, none
    wanted = keys[key].implode()
    done = night_cache.collect(done.filter(pl.col(key).is_in(wanted)).unique(), "skills")
    if done is None or not done.height:
        return empty, none
    rows = night_cache.collect(
        rows.filter(pl.col(key).is_in(done[key].implode())).select(key, *SKILL_SCHEMA)
        .unique([key, "skill_uri"], keep="first", maintain_order=True), "skills")
    if rows is None:
        return empty, none
    hits = keys.join(done, on=key, how="semi")
    found = hits.join(rows, on=key).select(id_col, *SKILL_SCHEMA, key).sort(id_col, "skill_uri")
    return found, hits.select(id_col)


def reduce(*, data_dir: str | Path, date: str, run_id: str, shards: list[dict[str, Any]],
           taxonomy: Taxonomy) -> dict[str, int]:
    """posting_skills and course_skills: every shard's skills (`shards`: what `match_shard`
    returned, each shard once), in shard order; then the shards' skills and keys become
    the night cache and the shard folder is removed. Returns `run`'s counts and how many
    records of each table the cache gave."""
    layout = DataLayout(Path(data_dir))
    folder = layout.shards(run_id, SHARD_STAGE)
    counts = {}
    for table, _ in TABLES:
        mine = sorted(s["index"] for s in shards if s["table"] == table)
        expected = next((s["shards"] for s in shards if s["table"] == table), 0)
        if not mine or mine != list(range(expected)):
            raise RuntimeError(f"extract_skills: {table} shards {mine} of {expected} done")
        found = pl.concat([pl.read_parquet(_shard_file(folder, table, i)) for i in mine],
                          rechunk=True).drop(night_cache.KEY)
        found.write_parquet(layout.normalised(date) / f"{table[:-1]}_skills.parquet")
        counts.update(_counts(table, found))
        counts[f"{table[:-1]}s_from_cache"] = sum(s.get("from_cache", 0) for s in shards
                                                  if s["table"] == table)
    files = [f for table, _ in TABLES for f in sorted(folder.glob(f"{table}-*[0-9].parquet"))]
    night_cache.keep(layout.night_cache(SHARD_STAGE), files, name=safe_run_id(run_id),
                     date=date, taxonomy=taxonomy, index="*-keys-*.parquet")
    shutil.rmtree(folder)
    with contextlib.suppress(OSError):  # the run's shards folder, once it is empty
        folder.parent.rmdir()
    return counts
