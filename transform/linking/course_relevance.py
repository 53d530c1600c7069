"""Which courses teach a skill (docs/methodology.md, Courses that teach a gap).

A course's relevance to an ESCO skill is the weighted cosine, in the skill ranker's embedding
space, between the skill ("label: description" and label) and what the course says it
teaches: its title (0.5), its best-matching stated skill or subject (0.3; the title again when
it states none; a stated item that is a label of the skill counts its lexical score, 1.0 for
the preferred label) and its description (0.2, first 2,000 characters). The title and the
stated skills weigh most because they name what a course is about; a description mentions
much it does not teach. A course teaches a skill when the relevance is at least
MIN_RELEVANCE = 0.525 and the skill is among the TOP_SKILLS = 3 skills of the whole taxonomy
most relevant to the course: shared words make "Analyze Network Traffic with TCPDump" close to
*interpret traffic signals*, but the course is closer still to what it is about (*study
traffic flow*, *analyse transmitted communications*, *monitor traffic flow*). Weights fixed
in advance; the threshold and the rank were chosen for precision on a hand-labelled
development set (benchmarks/course_relevance/): a skill may have no course at all, and the
pathways say so. The (skill, course) pairs a pathway review judged irrelevant, and the
courses whose subject the embedding cannot see, are never listed
(mappings/course_rejections.tsv). A skill's courses are listed by relevance, a university
subject's published materials whose title does not name the skill after the courses made
for learners (listed_after).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from transform.linking.skill_ranker import SkillRanker

WEIGHTS = (0.5, 0.3, 0.2)  # title, best stated skill, description
MIN_RELEVANCE = 0.525
TOP_SKILLS = 3  # a course teaches a skill only if it is among its this many most relevant
PER_SKILL = 10  # courses kept per skill, best first
TEXT_CHARS = 2000
BLOCK = 256  # skills scored at once: memory is courses x BLOCK floats per feature
DIGITS = 4

REJECTIONS = Path(__file__).parent / "mappings" / "course_rejections.tsv"

RELEVANCE_SCHEMA = pl.Schema({
    "course_id": pl.String, "skill_uri": pl.String, "relevance": pl.Float64,
    "title_similarity": pl.Float32, "stated_similarity": pl.Float32,
    "text_similarity": pl.Float32,
})


# Words a course title adds around its subject ("JavaScript for beginners", "German I",
# "Customer Service Fundamentals"): left out when a title is compared with a skill's label.
TITLE_FILLER = frozenset({
    "a", "an", "the", "to", "for", "of", "in", "with", "your", "how", "from", "learn",
    "learning", "course", "courses", "introduction", "intro", "introductory", "beginner",
    "beginners", "basics", "basic", "fundamentals", "fundamental", "essentials",
    "essential", "foundations", "foundation", "principles", "practical", "complete",
    "guide", "master", "masterclass", "crash", "bootcamp", "training", "tutorial", "skills",
    "certificate", "specialization", "professional", "part", "level", "i", "ii", "iii",
    "iv", "1", "2", "3", "101", "102", "201"
})


# Letters outside the Latin script (CJK, Cyrillic, Arabic...): a course that publishes no
# language but is titled in another script is not taught in English.
OTHER_SCRIPT = r"[^\x00-\x7F\u00A0-\u024F\u1E00-\u1EFF\u2000-\u206F\u20A0-\u20CF\u2100-\u214F]"


def maybe_taught_in(language_code: pl.Expr, title: pl.Expr, languages: tuple[str, ...],
                    ) -> pl.Expr:
    """The course is taught in one of `languages`, or publishes no language and, for a
    Latin-script language, is titled in the Latin script."""
    latin = ~title.fill_null("").str.contains(OTHER_SCRIPT)
    return (language_code.is_in(languages)
            | (language_code.is_null() & latin)).fill_null(False)


# A university subject's published course materials (MIT OpenCourseWare): a term's lectures
# for the university's own students, often graduate, and narrower than the subject tag that
# names a skill ("Development Economics: Macroeconomics" for *economics*). Blind pathway
# reviews BW-CD judged 45% of 67 such listings relevant where the title does not name the
# skill, 85% of 177 of other providers' courses (docs/methodology.md, Courses that teach a
# gap).
COURSE_MATERIALS = r"^https?://([a-z0-9-]+\.)*ocw\.mit\.edu/"
NAMES_SKILL = 0.9  # title_similarity of a title whose subject is a label of the skill


def listed_after(url: pl.Expr, title_similarity: pl.Expr) -> pl.Expr:
    """The course is a university subject's published materials (COURSE_MATERIALS) whose
    title does not name the skill: a skill's courses made for learners are listed first."""
    return (url.fill_null("").str.contains(COURSE_MATERIALS)
            & (title_similarity < NAMES_SKILL)).fill_null(False)


def rejected_pairs(path: Path = REJECTIONS) -> pl.DataFrame:
    """(course_id, skill_uri) pairs a review judged irrelevant: never listed as teaching;
    skill_uri `*`: the course for any skill (its subject is lost on the embedding)."""
    return pl.read_csv(path, separator="\t", comment_prefix="#",
                       schema_overrides={"course_id": pl.String, "skill_uri": pl.String}
                       ).select("course_id", "skill_uri").unique()


def title_subject(title: pl.Expr) -> pl.Expr:
    """A title's subject words, normalised and padded like the lexical matcher's patterns
    (" customer service " from "Customer Service Fundamentals")."""
    words = (title.fill_null("").str.to_lowercase().str.replace_all(r"[^a-z0-9+#]+", " ")
             .str.strip_chars().str.split(" "))
    kept = words.list.eval(pl.element().filter(~pl.element().is_in(list(TITLE_FILLER))
                                               & (pl.element() != "")))
    return pl.lit(" ") + kept.list.join(" ") + pl.lit(" ")


def course_relevance(courses: pl.DataFrame, skills: list[str], ranker: SkillRanker, *,
                     stated: pl.DataFrame | None = None, titled: pl.DataFrame | None = None,
                     min_relevance: float = MIN_RELEVANCE, per_skill: int = PER_SKILL,
                     top_skills: int | None = TOP_SKILLS,
                     rejected: pl.DataFrame | None = None) -> pl.DataFrame:
    """(course_id, skill_uri, relevance, title_similarity, stated_similarity,
    text_similarity): for each of `skills`, the `per_skill` courses teaching it best with
    relevance >= `min_relevance` and, unless `top_skills` is None, the skill among the
    `top_skills` skills of the whole taxonomy most relevant to the course (ties included): a
    course on network traffic is about network traffic, not about *interpret traffic
    signals*, however close the words. `courses` needs course_id, title, stated_skills and text;
    `stated` (course_id, skill_uri, score) the lexical matches of the stated items
    (transform.linking.skills.stated_matches); `titled` (course_id, skill_uri, score) the skills
    whose label is the title's whole subject (title_subject), which count their label's
    score as the title similarity if higher. `rejected` (course_id, skill_uri, `*` for
    any skill; default rejected_pairs()) are left out."""
    courses = courses.sort("course_id")
    row_of = courses.select("course_id", row=pl.int_range(pl.len(), dtype=pl.UInt32))

    def rows_of(found: pl.DataFrame | None) -> pl.DataFrame:
        if found is None:
            return pl.DataFrame(schema={"row": pl.UInt32, "skill_uri": pl.String,
                                        "score": pl.Float64})
        return found.join(row_of, on="course_id").select("row", "skill_uri", "score")

    lexical, title_named = rows_of(stated), rows_of(titled)
    known = {u: i for i, u in enumerate(ranker.skill_uris)}
    wanted = sorted({s for s in skills if s in known})
    if courses.is_empty() or not wanted:
        return pl.DataFrame(schema=RELEVANCE_SCHEMA)
    # float64 products: BLAS may order sums differently with the thread count, and at this
    # precision that never changes a value rounded to DIGITS
    title = ranker.embed(courses["title"].fill_null("").to_list()).astype(np.float64)
    text = ranker.embed(courses["text"].fill_null("").str.slice(0, TEXT_CHARS).to_list()
                        ).astype(np.float64)
    items = (courses.select(row=pl.int_range(pl.len(), dtype=pl.UInt32),
                            item=pl.col("stated_skills"))
             .explode("item").drop_nulls("item").sort("row", "item"))
    distinct = items["item"].unique().sort()
    item_vectors = ranker.embed(distinct.to_list()).astype(np.float64)
    item_index = items.join(pl.DataFrame({"item": distinct}).with_row_index("i"),
                            on="item", maintain_order="left")["i"].to_numpy()
    rows = items["row"].to_numpy()
    with_items, starts, counts = np.unique(rows, return_index=True, return_counts=True)
    # each course's best item is the max over its items' similarities, taken in passes: the
    # courses by item count, most first; pass j maxes in the j-th item of those with more
    # than j (a prefix), so every pass reads contiguous rows and the work is the item rows
    by_count = np.argsort(-counts, kind="stable")
    ordered_starts, ordered_counts = starts[by_count], counts[by_count]
    passes = [item_index[ordered_starts[:(ordered_counts > j).sum()] + j]
              for j in range(int(counts.max()) if len(counts) else 0)]
    ordered_courses = with_items[by_count]
    w_title, w_stated, w_text = WEIGHTS
    # every skill is scored when the course's own best skills decide; only `wanted` is kept
    scored = sorted(known) if top_skills else wanted
    wanted_set = set(wanted)
    is_wanted = np.fromiter((u in wanted_set for u in scored), dtype=bool, count=len(scored))
    high_rows: list[np.ndarray] = []  # (course row, relevance) of every passing skill
    high: list[np.ndarray] = []
    frames = []
    for begin in range(0, len(scored), BLOCK):
        block = scored[begin:begin + BLOCK]
        vectors = ranker.skill_vectors[:, [known[u] for u in block]].astype(np.float64)
        t = title @ vectors
        _raise(t, title_named, block)
        best_item = t.copy()
        if len(rows):
            per_item = item_vectors @ vectors
            best = per_item[passes[0]]
            for j in range(1, len(passes)):
                head = best[:len(passes[j])]
                np.maximum(head, per_item[passes[j]], out=head)
            best_item[ordered_courses] = best
        _raise(best_item, lexical, block)
        d = text @ vectors
        # w_title * t + w_stated * best_item + w_text * d, in place, in that order
        relevance = np.multiply(t, w_title)
        scratch = np.multiply(best_item, w_stated)
        relevance += scratch
        relevance += np.multiply(d, w_text, out=scratch)
        np.round(relevance, DIGITS, out=relevance)
        passing = relevance >= min_relevance
        if top_skills:
            # a course's top only matters against relevances that pass: of the course's
            # passing relevances, its top_skills-th best is that of the whole taxonomy, and
            # with fewer, every passing row is among its top anyway
            rr, cc = np.nonzero(passing)
            high_rows.append(rr)
            high.append(relevance[rr, cc])
        r, c = np.nonzero(passing & is_wanted[begin:begin + BLOCK])
        frames.append(pl.DataFrame({
            "course_id": courses["course_id"].gather(r),
            "skill_uri": pl.Series(block, dtype=pl.String).gather(c),
            "relevance": relevance[r, c],
            "title_similarity": np.round(t[r, c], DIGITS).astype(np.float32),
            "stated_similarity": np.round(best_item[r, c], DIGITS).astype(np.float32),
            "text_similarity": np.round(d[r, c], DIGITS).astype(np.float32),
        }, schema=RELEVANCE_SCHEMA))
    found = pl.concat(frames)
    if top_skills:
        least = _kth_best(np.concatenate(high_rows), np.concatenate(high), top_skills,
                          courses.height)
        found = found.join(pl.DataFrame({"course_id": courses["course_id"], "least": least}),
                           on="course_id").filter(pl.col("relevance") >= pl.col("least"))
    rejected = rejected_pairs() if rejected is None else rejected
    any_skill = rejected.filter(pl.col("skill_uri") == "*").select("course_id")
    found = (found.join(rejected, on=["course_id", "skill_uri"], how="anti")
             .join(any_skill, on="course_id", how="anti"))
    return (found
            .sort(["skill_uri", "relevance", "course_id"], descending=[False, True, False])
            .group_by("skill_uri", maintain_order=True).head(per_skill)
            .select(RELEVANCE_SCHEMA.names()))


def _kth_best(rows: np.ndarray, values: np.ndarray, k: int, n: int) -> np.ndarray:
    """Per row 0..n-1, its k-th largest value (counting ties), -inf when it has fewer."""
    order = np.lexsort((-values, rows))
    rows, values = rows[order], values[order]
    first = np.searchsorted(rows, rows)  # where each row's values begin, best first
    kth = np.arange(len(rows)) - first == k - 1
    least = np.full(n, -np.inf)
    least[rows[kth]] = values[kth]
    return least


def _raise(values: np.ndarray, found: pl.DataFrame, block: list[str]) -> None:
    """values[row, column of skill] = max(value, score) for each (row, skill_uri, score)."""
    named = found.join(pl.DataFrame({"skill_uri": block, "col": range(len(block))},
                                    schema={"skill_uri": pl.String, "col": pl.UInt32}),
                       on="skill_uri")
    if named.height:
        np.maximum.at(values, (named["row"].to_numpy(), named["col"].to_numpy()),
                      named["score"].to_numpy())
