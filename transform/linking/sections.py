"""Employer boilerplate in a posting's text, left out before skills are looked for.

A posting's clean text (one paragraph, list item or heading per line) mixes the job with the
employer's standard copy: who the company is, what it offers, its equal-opportunity statement,
its hiring-process notices. A skill named there ("we use machine learning to price trips")
says nothing about the job, so `strip_boilerplate` drops, line by line:

- the lines of a boilerplate section: from a short heading line such as "About Hopper",
  "Who we are", "Benefits", "What we offer", "Perks", "Equal opportunity", "Our commitment to
  diversity" up to the next heading of the job itself ("About the role", "Responsibilities",
  "Requirements", "What you'll do", "Who you are"..., or any other heading ending in ":"),
  in a text with at least one such
  heading of the job (without one, the sections cannot be told apart and all are kept);
  a heading is a whole short line ("Compensation: 100% commission" is a field, not one);
- anywhere, a line with the wording of an equal-opportunity statement ("equal opportunity
  employer", "without regard to race", "reasonable accommodation", "protected veteran"...,
  and NHS Wales' "Welsh and/or English speakers are equally welcome to apply").

`repeated_lines` finds the rest, data-driven: a line of at least REPEAT_MIN_WORDS words that
one employer writes, near-identically (case, punctuation, digits and spacing ignored), in at
least REPEAT_MIN_POSTINGS of its postings with at least REPEAT_MIN_TITLES different titles is
that employer's boilerplate (a job advertised at several places keeps its own lines: its
copies share one title). `shared_sentences` finds what employers copy from each other: a
sentence of at least REPEAT_MIN_WORDS words that at least REPEAT_MIN_EMPLOYERS employers
write, under REPEAT_MIN_TITLES or more titles (US federal ads quote OPM's qualification
standards, competency definitions and application notes; an Army post its mission text).
"""

from __future__ import annotations

import polars as pl

from transform.linking.tokens import NON_WORD

# A heading: a short line (at most HEADING_WORDS words) with no sentence inside it.
HEADING_WORDS = 8
_BOILERPLATE_HEADING = (
    r"^(?:more |a little |a bit |all )?about (?:us|the company|the business|the employer"
    r"|the organi[sz]ation|the trust|the practice|[a-z0-9&' ]{1,30}?)$"
    r"|^(?:who we are|who are we|company mission|mission statement"
    r"|our (?:company|story|mission|culture|values|benefits|perks"
    r"|commitment.*|team culture|purpose)|company (?:description|overview|information|profile)"
    r"|the company|why (?:join|work)(?: with| for| at)?(?: us| [a-z0-9&' ]{1,30})?"
    r"|(?:what|why) we offer.*|what (?:we|you(?:ll| will)?) (?:offer|get|receive)(?: in return)?"
    r"|(?:our |your |employee |the )?(?:benefits|perks)(?: .*)?|compensation(?: .*)?"
    r"|salary(?: .*)?|pay (?:and|&) benefits|total rewards(?: .*)?|rewards"
    r"|equal (?:employment )?opportunit.*|eeo.*|diversity.*|inclusion.*|dei.*"
    r"|accommodations?.*|privacy.*|disclaimer.*|e ?verify.*|life at .*|working (?:at|for|here) .*"
    r"|join us.*|how to apply.*|application process.*|our hiring process.*|recruitment process.*"
    r"|(?:please )?note.*|additional information|further information|where we are"
    r"|location and benefits|perks (?:and|&) benefits|benefits (?:and|&) perks)$"
)
_JOB_HEADING = (
    r"^(?:about (?:the |this |your )?(?:role|job|position|opportunity|you|team|work|vacancy"
    r"|post)(?: .*)?|(?:the |your |this )?role(?: .*)?|the job|job (?:description|summary"
    r"|overview|purpose|details)"
    r"|(?:key |main |core |your )?(?:responsibilit|dut|task|accountabilit)[a-z]*(?: .*)?"
    r"|(?:minimum |basic |preferred |desired |required )?(?:requirements?"
    r"|qualifications?)(?: .*)?|what (?:you(?:ll| will| would)? (?:do|be doing|bring|need"
    r"|work on|achieve)|we(?:re| are) looking for|you bring|you need|makes you)(?: .*)?"
    r"|who you are|who we(?:re| are) looking for|you (?:have|are|will|bring|should)(?: .*)?"
    r"|(?:skills|experience|competencies|knowledge)(?: .*)?|nice to have.*|bonus points.*"
    r"|(?:essential|desirable)(?: .*)?|person specification.*|main purpose.*|the opportunity"
    r"|in this role.*|day to day.*|(?:a )?day in the life.*|your (?:impact|profile|mission"
    r"|skills|background|experience|team)(?: .*)?|overview|position (?:summary|overview)"
    r"|summary|the ideal candidate.*|ideal candidate.*|candidate profile|profile"
    r"|what is (?:a|an|the|this) .*)$"
)
# A question heading naming the employer ("What is Ansible Health?"); one about the job
# ("What is a Registered Behavior Technician?") is a job heading above.
_COMPANY_QUESTION = r"^(?:what|who) is [a-z0-9&' ]{1,30}$"
_EQUAL_OPPORTUNITY = (
    r"equal (?:employment )?opportunit|without regard to (?:race|age|sex|gender|religion|their"
    r"|any)|regardless of (?:race|age|sex|gender|religion|their)|protected veteran"
    r"|reasonable accommodation|e-verify|affirmative action|sexual orientation"
    r"|gender identity|national origin|genetic information|marital status|disability status"
    # NHS Wales' Welsh Language Standards statement ("The ability to speak Welsh is
    # desirable for this post; Welsh and/or English speakers are equally welcome to apply"):
    # a post that needs Welsh says it is essential
    r"|speakers are (?:equally )?welcome to apply|applicants are equally welcome to apply"
)
REPEAT_MIN_WORDS = 8
REPEAT_MIN_POSTINGS = 3
REPEAT_MIN_TITLES = 2
REPEAT_MIN_EMPLOYERS = 5
# A sentence ends at ".", "!", "?" or ";" before a space; the pieces keep their ends, so a
# line is the concatenation of its pieces.
_SENTENCE_END = r"([.!?;]\s+)"
_PIECE = "\x1e"


def title_key(expr: pl.Expr) -> pl.Expr:
    """A job title as one employer's copies of an ad share it: words only, lower-case."""
    return _norm(expr.fill_null(""))


def _norm(expr: pl.Expr) -> pl.Expr:
    """Lower-case words only, single-spaced (digits and punctuation gone)."""
    return (expr.str.to_lowercase().str.replace_all(r"[’']", "")
            .str.replace_all(r"[^a-z&]+", " ").str.strip_chars())


def _lines(records: pl.LazyFrame, id_col: str, text_col: str) -> pl.LazyFrame:
    return (
        records.with_columns(line=pl.col(text_col).fill_null("").str.split("\n"))
        .drop(text_col)
        .with_columns(pos=pl.int_ranges(pl.col("line").list.len()))
        .explode("line", "pos")
        .with_columns(key=_norm(pl.col("line")))
    )


def _pieces(line: pl.Expr) -> pl.Expr:
    """A line's sentences, each with its end (`_SENTENCE_END`)."""
    return line.str.replace_all(_SENTENCE_END, "${1}" + _PIECE).str.split(_PIECE)


def _without_sentences(lines: pl.LazyFrame, drop: pl.LazyFrame, id_col: str) -> pl.LazyFrame:
    """`lines` (id_col, pos, line, key, boiler) with the sentences `drop` names (by key) cut
    out of the lines that keep other words, and a line left with none marked boiler."""
    # A line of one sentence was already matched whole (its key is the sentence's).
    pieces = (
        lines.filter(~pl.col("boiler"), pl.col("line").str.contains(_SENTENCE_END))
        .join(drop.select(id_col).unique(), on=id_col, how="semi")
        .select(id_col, "pos", piece=_pieces(pl.col("line")))
        .with_columns(spos=pl.int_ranges(pl.col("piece").list.len()))
        .explode("piece", "spos")
        .join(drop.select(id_col, "key", cut=pl.lit(True)),
              left_on=[id_col, _norm(pl.col("piece"))], right_on=[id_col, "key"], how="left")
        .filter(pl.col("cut").any().over(id_col, "pos"))
        .sort(id_col, "pos", "spos")
        .group_by(id_col, "pos")
        .agg(cut_line=pl.col("piece").filter(pl.col("cut").is_null()).str.join("")
             .str.strip_chars_end())
    )
    return (lines.join(pieces, on=[id_col, "pos"], how="left")
            .with_columns(line=pl.coalesce("cut_line", "line"),
                          boiler=pl.col("boiler") | (pl.col("cut_line").str.strip_chars() == "")
                          .fill_null(False))
            .drop("cut_line"))


def strip_boilerplate(records: pl.LazyFrame, id_col: str, text_col: str = "text",
                      drop: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """`records` with `text_col` rewritten without its boilerplate lines (see the module
    docstring); `drop`: (id_col, key) lines or sentences to leave out as well
    (`repeated_lines`, `shared_sentences`). Records keep their order; a text that is all
    boilerplate becomes ""."""
    lines = _lines(records.select(id_col, text_col), id_col, text_col)
    words = pl.col("key").str.count_matches(" ") + 1
    # A heading is the whole line: "Compensation: 100% commission" is a field, not a heading.
    heading = ((pl.col("key") != "") & (words <= HEADING_WORDS)
               & ~pl.col("line").str.strip_chars().str.contains(r"[.!?;:]\s*\S"))
    kind = (pl.when(heading & pl.col("key").str.contains(_JOB_HEADING)).then(False)
            .when(heading & pl.col("key").str.contains(_BOILERPLATE_HEADING)).then(True)
            .when(heading & pl.col("line").str.strip_chars().str.ends_with("?")
                  & pl.col("key").str.contains(_COMPANY_QUESTION)).then(True)
            # Any other heading written as one ("The Security for AI team:") opens the job.
            .when(heading & pl.col("line").str.strip_chars().str.ends_with(":")).then(False))
    lines = (
        lines.with_columns(boiler=kind)
        # Where a text names no section of the job, its sections cannot be told apart: only
        # equal-opportunity lines go.
        .with_columns(pl.col("boiler").forward_fill().over(id_col, order_by="pos")
                      .fill_null(False) & (pl.col("boiler") == False).any().over(id_col))  # noqa: E712
        .with_columns(boiler=pl.col("boiler")
                      | pl.col("line").str.to_lowercase().str.contains(_EQUAL_OPPORTUNITY))
    )
    if drop is not None:
        drop = drop.select(id_col, "key").unique()
        lines = (lines.join(drop.with_columns(repeated=pl.lit(True)), on=[id_col, "key"],
                            how="left")
                 .with_columns(boiler=pl.col("boiler") | pl.col("repeated").fill_null(False))
                 .drop("repeated"))
        lines = _without_sentences(lines, drop, id_col)
    kept = (lines.filter(~pl.col("boiler")).sort(id_col, "pos")
            .group_by(id_col).agg(pl.col("line").str.join("\n").alias("_kept")))
    return (records.join(kept, on=id_col, how="left", maintain_order="left")
            .with_columns(pl.when(pl.col(text_col).is_null()).then(None)
                          .otherwise(pl.col("_kept").fill_null("")).alias(text_col))
            .drop("_kept"))


def repeated_lines(records: pl.LazyFrame, id_col: str, employer_col: str, title_col: str,
                   text_col: str = "text") -> pl.LazyFrame:
    """(id_col, key): the lines each record shares with its employer's boilerplate, i.e. a
    line (normalised) of at least REPEAT_MIN_WORDS words found in REPEAT_MIN_POSTINGS or more
    of the employer's records with REPEAT_MIN_TITLES or more distinct titles."""
    lines = (
        _lines(records.select(id_col, text_col, employer_col,
                              title=_norm(pl.col(title_col).fill_null(""))),
               id_col, text_col)
        .filter(pl.col(employer_col).is_not_null(),
                pl.col("key").str.count_matches(" ") + 1 >= REPEAT_MIN_WORDS)
        .unique([id_col, "key"])
    )
    shared = (
        lines.group_by(employer_col, "key")
        .agg(postings=pl.len(), titles=pl.col("title").n_unique())
        .filter(pl.col("postings") >= REPEAT_MIN_POSTINGS,
                pl.col("titles") >= REPEAT_MIN_TITLES)
        .select(employer_col, "key")
    )
    return lines.join(shared, on=[employer_col, "key"]).select(id_col, "key")


def shared_sentences(records: pl.LazyFrame, id_col: str, employer_col: str, title_col: str,
                     text_col: str = "text", part: tuple[int, int] | None = None
                     ) -> pl.LazyFrame:
    """(id_col, key): the sentences (normalised) of each record that employers copy from each
    other, i.e. of at least REPEAT_MIN_WORDS words, in the records of REPEAT_MIN_EMPLOYERS or
    more employers with REPEAT_MIN_TITLES or more distinct titles. `part` (b, n): only the
    sentences whose key hashes to b modulo n (a sentence's count needs every record, not
    every sentence)."""
    sentences = (
        records.select(id_col, employer_col, title=_norm(pl.col(title_col).fill_null("")),
                       piece=_pieces(pl.col(text_col).fill_null("").str.replace_all(
                           "\n", _PIECE)))
        .explode("piece")
        .with_columns(key=_norm(pl.col("piece"))).drop("piece")
        .filter(pl.col(employer_col).is_not_null(),
                pl.col("key").str.count_matches(" ") + 1 >= REPEAT_MIN_WORDS)
    )
    if part is not None and part[1] > 1:
        sentences = sentences.filter(pl.col("key").hash(seed=0) % part[1] == part[0])
    sentences = sentences.unique([id_col, "key"])
    shared = (
        sentences.group_by("key")
        .agg(employers=pl.col(employer_col).n_unique(), titles=pl.col("title").n_unique())
        .filter(pl.col("employers") >= REPEAT_MIN_EMPLOYERS,
                pl.col("titles") >= REPEAT_MIN_TITLES)
        .select("key")
    )
    return sentences.join(shared, on="key").select(id_col, "key")


def employer_expr(company_col: str = "company", url_col: str = "url") -> pl.Expr:
    """Who published a posting: its company, else its URL's host and first path segment
    (a job board's company page: "jobs.ashbyhq.com/hopper")."""
    board = (pl.col(url_col).str.to_lowercase()
             .str.extract(r"^[a-z]+://([^/?#]+/[^/?#]+)"))
    return (pl.col(company_col).str.to_lowercase().str.replace_all(NON_WORD, " ")
            .str.strip_chars().replace("", None).fill_null(board))
