"""Table definitions: column names, Polars/Arrow types, keys and meaning, for staged and published
tables. The published ones are the data contract: a change of a column's name or type is a
breaking change and bumps the table's major `version` (see docs/data-contract.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# Version of the dataset as a whole: the major part moves with any table's major version.
DATASET_VERSION = "3.5.3"


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    description: str
    nullable: bool = True
    min_value: float | None = None
    max_value: float | None = None
    values: tuple[str, ...] | None = None  # the only values allowed (besides null)
    pattern: str | None = None  # regular expression every non-null value matches


@dataclass(frozen=True)
class Table:
    name: str
    version: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default_factory=tuple)
    published: bool = True
    may_be_empty: bool = False  # e.g. courses, when a configuration has no course source

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def conform(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Columns in contract order and types, rows sorted by key: the form we write."""
        out = frame.select([pl.col(c.name).cast(c.dtype) for c in self.columns])
        return out.sort(list(self.key)) if self.key else out


S, F, U, B = pl.String(), pl.Float64(), pl.UInt32(), pl.Boolean()
TS = pl.Datetime("us", "UTC")
D = pl.Date()

STAGED_POSTINGS = Table("staged_postings", "0", "Postings as a connector mapped them.", (
    Column("source", S, "Configured source name.", nullable=False),
    Column("partition", S, "Board, feed or file the record came from.", nullable=False),
    Column("record_id", S, "The source's own id for the record."),
    Column("url", S, "Link to the posting."),
    Column("title", S, "Job title as published."),
    Column("company", S, "Employer name as published."),
    Column("description", S, "Description, HTML or plain text as published."),
    Column("location", S, "Location as published."),
    Column("country", S, "Country as published."),
    Column("remote", B, "The source marks the job remote."),
    Column("employment_type", S, "Employment type as published."),
    Column("posted_at", S, "Publication date or time as published."),
    Column("salary_min", F, "Lower salary bound as published."),
    Column("salary_max", F, "Upper salary bound as published."),
    Column("salary_currency", S, "Salary currency as published."),
    Column("salary_period", S, "Salary period as published."),
    Column("industry_label", S, "The source's own industry label."),
    Column("organisation", S, "Parent organisation (e.g. a US federal department)."),
    Column("sector", S, "Employer's NAICS sector from the source configuration."),
), published=False)

STAGED_COURSES = Table("staged_courses", "0", "Courses as a connector mapped them.", (
    Column("source", S, "Configured source name.", nullable=False),
    Column("partition", S, "Feed or file the record came from.", nullable=False),
    Column("record_id", S, "The source's own id for the course."),
    Column("url", S, "Link to the course."),
    Column("title", S, "Course title."),
    Column("provider", S, "Institution or provider."),
    Column("description", S, "Course description, HTML or plain text."),
    Column("subjects", S, "Subjects or topics, comma-separated."),
    Column("level", S, "Level as published."),
    Column("language", S, "Language as published."),
    Column("duration", S, "Length as published (\"6 Weeks\", \"3 - 6 Months\", \"1.5 hours\")."),
    Column("effort", S, "Workload as published (\"4–6 hours per week\", \"7 hrs/wk\")."),
    Column("cost", S, "Price as published, free text or a number (\"FREE-Add a Verified "
           "Certificate for $49 USD\", \"20\")."),
    Column("currency", S, "Currency of `cost` when the source gives it in a field of its own."),
    Column("is_free", B, "The source's own free / paid flag (e.g. an audit track, Udemy "
           "is_paid); null when it has none."),
    Column("skills", pl.List(pl.String()), "Skills, topics or subjects the course states, as "
           "published, one per item."),
), published=False)

POSTINGS = Table("postings", "1.3.0", "One row per job: duplicates across sources and nights "
                 "collapse into one canonical posting.", (
    Column("posting_id", S, "Stable id: hash of source and the source's record id.",
           nullable=False),
    Column("source", S, "Source the posting came from.", nullable=False),
    Column("record_id", S, "The source's own id.", nullable=False),
    Column("url", S, "Link to the original posting."),
    Column("title", S, "Job title as published.", nullable=False),
    Column("company", S, "Employer name."),
    Column("location", S, "Location as published."),
    Column("country", S, "Country as published."),
    Column("remote", B, "Marked remote by the source."),
    Column("employment_type", S, "Employment type as published."),
    Column("posted_at", TS, "Publication time, UTC."),
    Column("sector", S, "NAICS 2022 sector code (e.g. '62', '31-33'); null when unknown."),
    Column("sector_method", S, "How the sector was assigned: config (employer board), "
           "source_label, organisation, role_prior (the role's main US sector, BLS OEWS) or "
           "none.", nullable=False),
    Column("role", S, "O*NET-SOC 2019 code from the job title; null when nothing fits."),
    Column("role_title", S, "O*NET occupation title of `role`."),
    Column("role_confidence", F, "Confidence of the role assignment, 0-1.", nullable=False,
           min_value=0, max_value=1),
    Column("role_method", S, "How the role was found: exact, cleaned, similar, description "
           "(the description chose among the roles an ambiguous title allows), industry (the "
           "posting's sector ruled out the title's first role: one it hardly employs in the "
           "US) or none (see docs/methodology.md).", nullable=False,
           values=("exact", "cleaned", "similar", "description", "industry", "none")),
    Column("description_chars", U, "Length of the cleaned description text.", nullable=False),
    Column("canonical_id", S, "Stable id of the job across sources and nights: the posting_id "
           "of the first record seen of it (see docs/methodology.md, Duplicates).",
           nullable=False),
    Column("duplicates", U, "Source records of this night collapsed into this posting "
           "(1 = none).", nullable=False, min_value=1),
    Column("first_seen", D, "Logical date of the first run that saw the job (any source).",
           nullable=False),
    Column("last_seen", D, "Logical date of the latest run that saw the job (any source).",
           nullable=False),
    Column("country_code", S, "ISO 3166-1 alpha-2 country from the country field or the "
           "location; null when unknown or several."),
    Column("region_code", S, "ISO 3166-2 region (US states, Canadian provinces, Australian "
           "states) from the location; null when unknown or several."),
    Column("is_remote", B, "Remote: marked so by the source, or the location or title says "
           "remote / anywhere / work from home.", nullable=False),
    Column("employment_category", S, "Employment type as full_time, part_time, permanent, "
           "contract, temporary, internship, volunteer or other; null when not published."),
    Column("salary_period", S, "Published pay period as hour, day, week, month or year."),
    Column("salary_currency", S, "ISO 4217 currency of the salary."),
    Column("salary_annual_min", F, "Lower salary bound per year (hour x 2080, day x 260, week "
           "x 52, month x 12); null when implausible or the period/currency is unknown.",
           min_value=0),
    Column("salary_annual_max", F, "Upper salary bound per year, as salary_annual_min.",
           min_value=0),
    Column("language", S, "ISO 639-1 language of the title and text (py3langid); null for "
           "texts under 40 characters or without a language with a two-letter code."),
    Column("non_english", B, "The detected language is not English (null when unknown)."),
), key=("posting_id",))

LEVELS = ("introductory", "intermediate", "advanced")

COURSES = Table("courses", "1.2.0", "One row per distinct course.", (
    Column("course_id", S, "Stable id: hash of source and the source's record id.",
           nullable=False),
    Column("source", S, "Source the course came from.", nullable=False),
    Column("record_id", S, "The source's own id.", nullable=False),
    Column("url", S, "Link to the course."),
    Column("title", S, "Course title.", nullable=False),
    Column("provider", S, "Institution or provider."),
    Column("subjects", S, "Subjects or topics as published."),
    Column("level", S, "Level as published."),
    Column("language", S, "Language as published."),
    Column("description_chars", U, "Length of the cleaned description text.", nullable=False),
    Column("duration_text", S, "Length and workload as published, joined by \"; \" (\"6 "
           "Weeks; 4–6 hours per week\"); null when the source says nothing."),
    Column("duration_weeks", F, "Length in weeks: the midpoint of a published range, months "
           "x 52/12; null when the source gives no length in weeks, months or years.",
           min_value=0, max_value=260),
    Column("duration_hours", F, "Estimated total learning hours: hours as published (midpoint "
           "of a range; \"less than N\" = N/2), else duration_weeks x the midpoint of the "
           "published hours per week; null when unknown (see docs/methodology.md, Courses).",
           min_value=0, max_value=2000),
    Column("is_free", B, "The course can be taken free of charge (free audit track, MIT "
           "OpenCourseWare, a price of 0), false when only paid; null when the source says "
           "nothing. A paid certificate on top of a free course does not count."),
    Column("price", F, "Price of taking the course: 0 when is_free, else the published price; "
           "null when unknown.", min_value=0),
    Column("price_currency", S, "ISO 4217 currency of `price` when the source states it (a "
           "code, or an unambiguous symbol such as € or £; \"$\" alone is not enough).",
           pattern=r"^[A-Z]{3}$"),
    Column("level_normalised", S, "`level` as introductory, intermediate or advanced; null "
           "when not published or not one of these (\"All Levels\", \"Mixed\", "
           "\"Undergraduate\").", values=LEVELS),
    Column("language_code", S, "ISO 639-1 code of the published `language` (\"Español\" -> "
           "es); null when none is published or it has no two-letter code.",
           pattern=r"^[a-z]{2}$"),
    Column("stated_skills", pl.List(pl.String()), "Skills, topics or subjects the course "
           "states (Coursera skills, edX subject, MIT topics and keywords, Udemy subject): "
           "whitespace cleaned, deduplicated ignoring case, sorted; null when it states none."),
    Column("level_inferred", S, "level_normalised, else the level the description states "
           "(\"a graduate seminar\", \"advanced\" -> advanced; \"an introduction to\" -> "
           "introductory; both -> advanced); null when neither says.", values=LEVELS),
), key=("course_id",), may_be_empty=True)


def _record_skills(name: str, id_col: str, what: str, version: str, *,
                   stated: bool = False) -> Table:
    score = ("Confidence of the mention, 0-1: lexical 1.0 / 0.9 / 0.8 for a preferred / "
             "alternative / hidden label; ranker 0.8 x cosine (below 0.8)")
    method = ("lexical (label match) or ranker (implicit mention: static-embedding cosine of "
              "a sentence and the skill, only when the nightly run enables the ranker; see "
              "docs/methodology.md)")
    evidence = "The matched text (normalised); for ranker, the sentence (normalised, at most "
    evidence += "300 characters)"
    if stated:
        score += ("; stated 1.0 / 0.9 / 0.8 when a stated skill is exactly such a label, x 0.9 "
                  "when the label is part of it (the higher score when the description "
                  "also mentions the skill)")
        method = ("stated (the course states the skill: a label found in one of its "
                  "stated_skills), " + method.replace("lexical (label match)",
                                                      "lexical (label match in the description)"))
        evidence += "; for stated, the stated skill (normalised)"
    return Table(name, version, f"ESCO skills found in each {what}.", columns=(
        Column(id_col, S, f"The {what}.", nullable=False),
        Column("skill_uri", S, "ESCO v1.1.1 skill URI.", nullable=False),
        Column("score", F, score + ".", nullable=False, min_value=0, max_value=1),
        Column("method", S, method + ".", nullable=False,
               values=("stated", "lexical", "ranker") if stated else None),
        Column("evidence", S, evidence + ".", nullable=False),
    ), key=(id_col, "skill_uri"), may_be_empty=what == "course")


POSTING_SKILLS = _record_skills("posting_skills", "posting_id", "posting", "1.1.0")
COURSE_SKILLS = _record_skills("course_skills", "course_id", "course", "1.2.0", stated=True)

ROLE_SKILLS = Table("role_skills", "1.2.0", "Skill profile of each O*NET-SOC role.", (
    Column("role", S, "O*NET-SOC 2019 code.", nullable=False),
    Column("skill_uri", S, "ESCO skill URI.", nullable=False),
    Column("postings", U, "Postings of the role that mention the skill (any role "
           "confidence).", nullable=False),
    Column("share", F, "Confidence-weighted share of the role's postings that mention the "
           "skill (0 without postings).", nullable=False, min_value=0, max_value=1),
    Column("weight", F, "Weight of the skill in the role's profile; sums to 1 per role.",
           nullable=False, min_value=0, max_value=1),
    Column("provenance", S, "postings; taxonomy (the role's own ESCO skills, or its O*NET "
           "Technology Skills); taxonomy_group (mean ESCO profile of its closest SOC group, for "
           "roles the crosswalk misses); taxonomy_isco (ESCO occupations of its ISCO-08 groups, "
           "idem); both (postings and taxonomy).", nullable=False),
    Column("esco_occupations", U, "ESCO occupations mapped to the role that name the skill "
           "(0 for skills from postings, technology skills or a SOC group).", nullable=False),
    Column("role_esco_occupations", U, "ESCO occupations mapped to the role (its own or its "
           "ISCO groups'); 0 when its prior comes from a SOC group.", nullable=False),
    Column("fit", pl.Float32(), "Best cosine between the skill and a sentence of the role's "
           "O*NET description, tasks and work activities (static embeddings); below 0.2 the "
           "skill is unrelated to what the role does. Null without an O*NET text.",
           min_value=-1, max_value=1),
), key=("role", "skill_uri"))

INDUSTRY_SKILLS = Table("industry_skills", "1.0.0", "Skill demand of each NAICS sector.", (
    Column("sector", S, "NAICS 2022 sector code.", nullable=False),
    Column("skill_uri", S, "ESCO skill URI.", nullable=False),
    Column("postings", U, "Postings of the sector that mention the skill.", nullable=False),
    Column("share", F, "postings / the sector's postings.", nullable=False,
           min_value=0, max_value=1),
    Column("rca", F, "Revealed comparative advantage: share / share across all sectors.",
           nullable=False, min_value=0),
), key=("sector", "skill_uri"))

SKILL_PORTABILITY = Table("skill_portability", "1.0.0", "How evenly sectors demand a skill.", (
    Column("skill_uri", S, "ESCO skill URI.", nullable=False),
    Column("label", S, "ESCO preferred label.", nullable=False),
    Column("postings", U, "Postings mentioning the skill.", nullable=False),
    Column("sectors_present", U, "Sectors with at least one posting mentioning it.",
           nullable=False),
    Column("sectors_demanding", U, "Sectors where its RCA > 1.", nullable=False),
    Column("demanding_sectors", pl.List(pl.String()), "Those sectors' NAICS codes.",
           nullable=False),
    Column("entropy", F, "Shannon entropy (nats) of its size-corrected shares across sectors.",
           nullable=False, min_value=0),
    Column("portability", F, "Normalised entropy of its share across sectors, 0-1.",
           nullable=False, min_value=0, max_value=1),
), key=("skill_uri",))

ROLE_INDUSTRY_SKILLS = Table(
    "role_industry_skills", "1.0.0", "Skill demand of each (role, sector) cell seen in postings.",
    (
        Column("role", S, "O*NET-SOC 2019 code.", nullable=False),
        Column("sector", S, "NAICS 2022 sector code.", nullable=False),
        Column("skill_uri", S, "ESCO skill URI.", nullable=False),
        Column("postings", U, "Postings of the cell naming the skill.", nullable=False),
        Column("cell_postings", U, "Postings of the cell: filter thin cells with this.",
               nullable=False),
        Column("share", F, "postings / cell_postings.", nullable=False, min_value=0,
               max_value=1),
    ), key=("role", "sector", "skill_uri"))

ROLE_DEMAND = Table("role_demand", "1.1.0", "How many jobs each role leads to.", (
    Column("role", S, "O*NET-SOC 2019 code.", nullable=False),
    Column("title", S, "O*NET occupation title.", nullable=False),
    Column("soc_code", S, "SOC 2018 detailed occupation (O*NET specialties share one).",
           nullable=False),
    Column("postings", U, "Postings of the role in this dataset.", nullable=False),
    Column("us_employment", pl.Int64(), "US employment of the SOC occupation, BLS OEWS May "
           "2024, all sectors; null when BLS does not publish it.", min_value=0),
    Column("main_sector", S, "Sector employing most of the role's SOC occupation in the US "
           "(BLS OEWS May 2024; where OEWS publishes the occupation only together with others, "
           "that of the code it publishes them under, e.g. 25-9045 or the broad group "
           "51-2090), else the sector with most of its postings."),
    Column("catch_all", B, "O*NET's residual \"All Other\" occupation or a specialty carved "
           "out of it (Wind Energy Operations Managers of Managers, All Other): its US jobs, "
           "wage and move likelihood are the residual occupation's, not its own. `microcareer "
           "pathways` leaves these destinations out unless asked.", nullable=False),
), key=("role",))

ROLE_TRANSFER_DETAIL = Table(
    "role_transfer_detail", "3.2.0",
    "Each role's top 100 destinations, with what carries over, what is missing, and courses.",
    (
        Column("from_role", S, "Origin O*NET-SOC code.", nullable=False),
        Column("to_role", S, "Destination O*NET-SOC code.", nullable=False),
        Column("rank", pl.UInt16(), "Rank of the destination for this origin (1 = best) by "
               "sqrt(score x relative_likelihood), the score alone without a model.",
               nullable=False, min_value=1, max_value=100),
        Column("score", F, "role_transfer.score.", nullable=False, min_value=0, max_value=1),
        Column("move_likelihood", pl.Float32(), "role_transfer.move_likelihood.",
               min_value=0, max_value=1),
        Column("relative_likelihood", pl.Float32(), "move_likelihood over the origin's "
               "highest (1 = its most likely destination).", min_value=0, max_value=1),
        Column("sector_overlap", F, "role_transfer.sector_overlap.", min_value=0, max_value=1),
        Column("shared_skills", pl.List(pl.String()), "Up to 20 skills both roles have, "
               "those both weigh most first (the product of the two roles' weights; by the "
               "destination's weight alone before 3.4.5); of two near-duplicates (broader "
               "and narrower in ESCO, or a skill worded as work on a knowledge concept and "
               "that concept: "
               "'use laboratory equipment', 'laboratory equipment') only the first.",
               nullable=False),
        Column("gap_skills", pl.List(pl.String()), "Up to 10 destination skills the origin "
               "lacks (neither it nor a broader or narrower one, nor the knowledge concept a "
               "skill applies: 'use CAD software' is no gap for who knows 'CAD software'), "
               "by weight; near-duplicates listed once, as in shared_skills.",
               nullable=False),
        Column("gap_weight", F, "Destination weight of those gap skills.", nullable=False,
               min_value=0, max_value=1),
        Column("courses", pl.List(pl.String()), "Up to 5 course_ids: for the gap skills in "
               "order, the best course teaching each (pathway_courses) in "
               "English or an unpublished language, each course once; gap skills no course "
               "teaches have none.", nullable=False),
        Column("course_gap_skills", pl.List(pl.String()), "The gap skill each of `courses` "
               "teaches (same order and length).", nullable=False),
        Column("wage_change", pl.Float32(), "Destination's median annual wage over the "
               "origin's, minus 1 (BLS OEWS May 2024; -0.1 = 10% less). Where OEWS publishes "
               "an occupation's wage only together with others (25-9045 for 25-9042 and "
               "25-9043; the broad group 29-2010 for 29-2011 and 29-2012), that code's "
               "median; null when either is still unknown.", min_value=-1),
        Column("job_zone_change", pl.Int8(), "O*NET Job Zone of the destination minus the "
               "origin's (negative: a step down in preparation).", min_value=-4, max_value=4),
        Column("education_change", pl.Int8(), "Typical O*NET education level (RL category "
               "most incumbents report) of the destination minus the origin's; 2 or more is "
               "years of study, often a licence (`microcareer pathways` leaves such moves out "
               "by default).", min_value=-11, max_value=11),
    ), key=("from_role", "to_role"))

ROLE_TRANSFER = Table("role_transfer", "2.0.0", "Skill-based ease of moving between roles.", (
    Column("from_role", S, "Origin O*NET-SOC code.", nullable=False),
    Column("to_role", S, "Destination O*NET-SOC code.", nullable=False),
    Column("score", F, "Skill transfer, 0-1: weighted geometric mean of skill_overlap, "
           "task_similarity (x2) and onet_similarity (docs/methodology.md, Transfer).",
           nullable=False, min_value=0, max_value=1),
    Column("skill_overlap", pl.Float32(), "Share of the origin's profile weight on skills the "
           "destination's profile also names (asymmetric).", nullable=False,
           min_value=0, max_value=1),
    Column("task_similarity", pl.Float32(), "Cosine of TF-IDF vectors of the roles' O*NET "
           "descriptions, tasks and detailed work activities.", nullable=False,
           min_value=0, max_value=1),
    Column("onet_similarity", pl.Float32(), "Cosine of the roles' O*NET Skills and Knowledge "
           "importance vectors; null when O*NET rates either role on neither.",
           min_value=0, max_value=1),
    Column("move_likelihood", pl.Float32(), "Expected share of the origin's leavers who move "
           "to the destination (sums to at most 1 per origin), from a model of observed US "
           "moves (CPS, development half; docs/move-model.md); the ranking signal of "
           "recommenders. Null when the model artifact is missing.", min_value=0, max_value=1),
    Column("shared_skills", U, "Skills in both profiles.", nullable=False),
    Column("crosses_industry", B, "The roles' main sectors differ (see role_demand).",
           nullable=False),
    Column("sector_overlap", F, "Overlap of the roles' sector mixes (US employment by sector, "
           "else postings): sum of min shares, 1 = same sectors in the same proportions, "
           "0 = no sector in common; null when a role's sectors are unknown.",
           min_value=0, max_value=1),
), key=("from_role", "to_role"))

INDUSTRY_TRANSFER = Table("industry_transfer", "1.1.0", "Skill overlap between sectors.", (
    Column("from_sector", S, "Origin NAICS sector.", nullable=False),
    Column("to_sector", S, "Destination NAICS sector.", nullable=False),
    Column("score", F, "Share of the destination's skill demand the origin also demands.",
           nullable=False, min_value=0, max_value=1),
    Column("shared_skills", U, "Skills found in postings of both sectors.", nullable=False),
    Column("from_postings", U, "Postings of the origin sector.", nullable=False),
    Column("to_postings", U, "Postings of the destination sector.", nullable=False),
    Column("role_moves", U, "role_transfer_detail rows (each role's top-100 destinations) from "
           "a role whose main sector is the origin to one whose main sector is the destination.",
           nullable=False),
), key=("from_sector", "to_sector"))

PATHWAY_COURSES = Table(
    "pathway_courses", "2.1.1",
    "Courses that teach each gap skill of role_transfer_detail, best first.", (
        Column("skill_uri", S, "ESCO v1.1.1 skill URI (a gap skill of some role move).",
               nullable=False),
        Column("rank", pl.UInt16(), "Rank of the course for this skill (1 = best): by "
               "relevance, except that a university subject's published materials (MIT "
               "OpenCourseWare) whose title does not name the skill come after the courses "
               "made for learners (docs/methodology.md, Courses).",
               nullable=False, min_value=1, max_value=10),
        Column("course_id", S, "The course (see courses).", nullable=False),
        Column("relevance", F, "How squarely the course teaches the skill: 0.5 "
               "title_similarity + 0.3 stated_similarity + 0.2 text_similarity; a course is "
               "listed when its relevance is >= 0.525 and the skill is among the 3 skills of "
               "ESCO most relevant to the course (docs/methodology.md, Courses).",
               nullable=False, min_value=0.525, max_value=1),
        Column("title_similarity", pl.Float32(), "Cosine of the skill (ESCO label and "
               "description) and the course title, in the skill ranker's embedding space; "
               "the label's lexical score if higher when the title's subject (fillers such as "
               "'Introduction to' left out) is a label of the skill.",
               nullable=False, min_value=-1, max_value=1),
        Column("stated_similarity", pl.Float32(), "Best cosine of the skill and one of the "
               "course's stated skills or subjects (the title's when it states none); a stated "
               "item that is a label of the skill counts its lexical score (course_skills, "
               "method stated) if higher.",
               nullable=False, min_value=-1, max_value=1),
        Column("text_similarity", pl.Float32(), "Cosine of the skill and the course "
               "description (first 2,000 characters).", nullable=False,
               min_value=-1, max_value=1),
        Column("title_match", B, "The course title names the skill (a label of it, "
               "lexically).", nullable=False),
        Column("gap_pairs", U, "role_transfer_detail rows listing the skill as a gap: how "
               "often a move needs it.", nullable=False),
    ), key=("skill_uri", "rank"), may_be_empty=True)

PUBLISHED: tuple[Table, ...] = (
    POSTINGS, COURSES, POSTING_SKILLS, COURSE_SKILLS, ROLE_SKILLS, INDUSTRY_SKILLS,
    ROLE_INDUSTRY_SKILLS, SKILL_PORTABILITY, ROLE_TRANSFER, ROLE_TRANSFER_DETAIL, ROLE_DEMAND,
    INDUSTRY_TRANSFER, PATHWAY_COURSES,
)
BY_NAME = {t.name: t for t in PUBLISHED}
