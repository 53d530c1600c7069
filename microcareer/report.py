"""The run report: one self-contained HTML page of the current release, written by every run to
DATA_DIR/reports/<run id>.html and latest.html, so a reader sees the dataset without tools.

Charts are Plotly figures; plotly.js (~4.8 MB) is inlined once, so the page works offline.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import polars as pl

from schemas.files import atomic_write
from schemas.layout import MANIFEST, DataLayout, safe_run_id
from schemas.records import current_manifest, run_source_counts
from schemas.taxonomy import Taxonomy
from transform.linking.roles import MIN_ROLE_CONFIDENCE

TOP_SKILLS = 20
KEEP_REPORTS = 30
PROFILE_ROLES = 6
PATHWAY_ROLES = 4
PROFILE_SKILLS = 10
STATUS_COLOURS = {"ok": "#2e7d32", "partial": "#ef6c00", "failed": "#c62828"}
PROVENANCE_COLOURS = {"postings": "#1565c0", "both": "#6a1b9a", "taxonomy": "#9e9e9e",
                      "taxonomy_group": "#bdbdbd", "taxonomy_isco": "#d6d6d6"}
TEMPLATE = "plotly_white"

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1320px;
       padding: 0 24px 48px; color: #212121; }
h1 { margin: 24px 0 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #ddd; }
.banner { padding: 12px 16px; border-radius: 6px; font-weight: 600; margin: 12px 0; }
.banner.failed { background: #ffebee; color: #b71c1c; border: 2px solid #c62828; }
.banner.partial { background: #fff3e0; color: #e65100; border: 2px solid #ef6c00; }
.banner.ok { background: #e8f5e9; color: #1b5e20; border: 1px solid #2e7d32; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta td:first-child { color: #616161; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 24px; }
.status-ok { color: #2e7d32; } .status-partial { color: #ef6c00; }
.status-failed { color: #c62828; font-weight: 600; }
.note { color: #616161; font-size: 13px; }
"""


def write_report(data_dir: str | Path, run_id: str | None = None,
                 keep: int = KEEP_REPORTS, *, taxonomy: Taxonomy | None = None) -> Path:
    """Write the report of `run_id` (default: the current release's run) to
    DATA_DIR/reports/<run id>.html and latest.html, atomically, keeping the newest `keep` run
    reports (each is ~5 MB); return the run's file. `taxonomy`: the labels and sector titles
    shown (default: the shipped one)."""
    data_dir = Path(data_dir)
    layout = DataLayout(data_dir)
    run_id = safe_run_id(run_id) if run_id else None
    page = render_report(data_dir, run_id, taxonomy=taxonomy)
    manifest = current_manifest(layout)
    name = run_id or (manifest or {}).get("run_id") or "no-release"
    out = layout.run_report(name)
    data = page.encode("utf-8")
    for path in (out, layout.latest_report):
        atomic_write(path, data)
        path.chmod(0o644)  # a page to open or serve, not a secret
    runs = sorted((p for p in layout.reports.glob("*.html") if p != layout.latest_report),
                  key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    for old in runs[max(keep, 1):]:
        if old != out:
            old.unlink(missing_ok=True)
    return out


def render_report(data_dir: str | Path, run_id: str | None = None, *,
                  taxonomy: Taxonomy | None = None) -> str:
    """The report page as one HTML string (`taxonomy`: default the shipped one)."""
    import plotly.offline

    taxonomy = taxonomy or Taxonomy.shipped()
    data_dir = Path(data_dir)
    manifest = current_manifest(DataLayout(data_dir))
    run_id = run_id or (manifest or {}).get("run_id")
    sources = _sources(data_dir, run_id, manifest)
    body = [_header(data_dir, run_id, manifest, sources)]
    if manifest is not None:
        tables = _Tables(DataLayout(data_dir).current, manifest)
        body += [_transfer_section(tables, taxonomy), _portability_section(tables),
                 _profiles_section(tables, taxonomy),
                 _pathways_section(data_dir, tables, taxonomy),
                 _move_model_section(taxonomy)]
    body.append(_sources_section(sources))
    if manifest is not None:
        body.append(_coverage_section(tables, taxonomy))
    title = f"microcareer run report {run_id or ''}".strip()
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>{CSS}</style>"
            f"<script>{plotly.offline.get_plotlyjs()}</script></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


class _Tables:
    """Lazy reader of the published tables named in the manifest."""

    def __init__(self, dataset: Path, manifest: dict[str, Any]) -> None:
        self.dataset, self.manifest = dataset, manifest

    def __getitem__(self, name: str) -> pl.DataFrame:
        return pl.read_parquet(self.dataset / self.manifest["tables"][name]["path"])


def _sources(data_dir: Path, run_id: str | None,
             manifest: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Per-source counts of the run from its extract reports, else from the manifest."""
    counts = run_source_counts(DataLayout(data_dir), run_id) if run_id else {}
    return counts or dict((manifest or {}).get("sources") or {})


def _e(text: Any) -> str:
    return html.escape(str(text))


def _sector_names(taxonomy: Taxonomy) -> dict[str, str]:
    """NAICS sector code -> 'code Title', the title cut to fit an axis."""
    names = taxonomy.naics_sectors()
    return {s: f"{s} {t if len(t) <= 30 else t[:29].rstrip(' ,') + '…'}"
            for s, t in names.iter_rows()}


def _figure(fig: Any, div_id: str, height: int, top: int = 40) -> str:
    """A Plotly figure as a div (plotly.js is in the page head) with a fixed id and height."""
    fig.update_layout(template=TEMPLATE, height=height, margin={"t": top, "r": 20, "b": 40},
                      font={"family": "system-ui, sans-serif", "size": 12})
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       default_height=f"{height}px",
                       config={"displayModeBar": False, "responsive": True})


def _header(data_dir: Path, run_id: str | None, manifest: dict[str, Any] | None,
            sources: dict[str, dict[str, Any]]) -> str:
    parts = ["<header id=\"summary\"><h1>microcareer run report</h1>"]
    banners = []
    if manifest is None:
        banners.append(("failed", f"FAILED: no published release in {DataLayout(data_dir).current} "
                                  f"(no {MANIFEST})."))
    else:
        v = manifest.get("validation") or {}
        if not v.get("success"):
            banners.append(("failed", "FAILED: the published release has no passing "
                                      "validation."))
        own = DataLayout(data_dir).release(run_id) / MANIFEST if run_id else None
        own_manifest = json.loads(own.read_text()) if own is not None and own.exists() else {}
        if run_id and run_id != manifest["run_id"] and own_manifest.get("current") is False:
            banners.append(("partial", f"Backfill: {own_manifest.get('note')}. The figures "
                                       f"below are from the current release "
                                       f"{manifest['run_id']}."))
        elif run_id and run_id != manifest["run_id"]:
            quality = DataLayout(data_dir).quality_result(run_id)
            why = ("it failed validation (Great Expectations)"
                   if quality.exists() and not json.loads(quality.read_text())["success"]
                   else "a stage failed before publishing")
            banners.append(("failed", f"FAILED: run {run_id} published nothing: {why}. "
                                      f"The figures below are from release "
                                      f"{manifest['run_id']}."))
    failed = sorted(s for s, r in sources.items() if r["status"] == "failed")
    partial = sorted(s for s, r in sources.items() if r["status"] == "partial")
    if failed or partial:
        banners.append(("partial", "Sources with problems: "
                        + ", ".join([f"{s} (failed)" for s in failed]
                                    + [f"{s} (partial)" for s in partial])
                        + "; the dataset was published from the others."))
    if not banners:
        banners.append(("ok", "Validation passed; all sources ok."))
    parts += [f"<div class=\"banner {kind}\" id=\"status\">{_e(text)}</div>"
              for kind, text in banners]
    if manifest is not None:
        v = manifest.get("validation") or {}
        status = (f"passed: {v.get('expectations')} expectations on {v.get('tables')} tables"
                  if v.get("success") else "FAILED" if v else "not run")
        rows = [("version", "Dataset version", manifest["dataset_version"]),
                ("run", "Run id", run_id or manifest["run_id"]),
                ("release", "Release shown (its run id)", manifest["run_id"]),
                ("logical", "Release logical date", manifest["logical_date"]),
                ("published", "Release published at", manifest.get("published_at", "")),
                ("validation", "Release validation (Great Expectations)", status)]
        parts.append("<table class=\"meta\">" + "".join(
            f"<tr><td>{_e(label)}</td><td id=\"meta-{key}\">{_e(val)}</td></tr>"
            for key, label, val in rows) + "</table>")
        parts.append("<table id=\"tables\"><tr><th>Table</th><th>Rows</th><th>Schema</th></tr>"
                     + "".join(f"<tr><td>{_e(n)}</td><td class=\"n\">{t['rows']:,}</td>"
                               f"<td>{_e(t['schema_version'])}</td></tr>"
                               for n, t in manifest["tables"].items()) + "</table>")
    return "\n".join(parts) + "</header>"


def _transfer_section(tables: _Tables, taxonomy: Taxonomy) -> str:
    import plotly.graph_objects as go

    transfer = tables["industry_transfer"]
    names = _sector_names(taxonomy)
    sectors = sorted(set(transfer["from_sector"]) | set(transfer["to_sector"]))
    counts = [c for c in ("shared_skills", "role_moves", "from_postings", "to_postings")
              if c in transfer.columns]
    cells = {(r["from_sector"], r["to_sector"]): r for r in transfer.iter_rows(named=True)}
    z = [[(cells.get((f, t)) or {}).get("score") for t in sectors] for f in sectors]
    custom = [[[(cells.get((f, t)) or {}).get(c) for c in counts] for t in sectors]
              for f in sectors]
    labels = [names.get(s, s) for s in sectors]
    behind = "".join(f"<br>{c.replace('_', ' ')} %{{customdata[{i}]:,}}"
                     for i, c in enumerate(counts))
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=labels, zmin=0, zmax=1, colorscale="Blues", customdata=custom,
        texttemplate="%{z:.2f}", textfont={"size": 10}, hoverongaps=False,
        colorbar={"title": {"text": "score"}},
        hovertemplate="from %{y}<br>to %{x}<br>score %{z:.3f}" + behind + "<extra></extra>"))
    fig.update_layout(xaxis={"title": "to sector (destination)", "tickangle": -40,
                             "side": "bottom"},
                      yaxis={"title": "from sector (origin)", "autorange": "reversed"})
    return ("<section id=\"industry-transfer\"><h2>Sector × sector skill transfer</h2>"
            "<p>Share of the destination sector's skill demand that the origin sector also "
            f"demands (<code>industry_transfer</code>, {transfer.height:,} pairs of "
            f"{len(sectors)} NAICS 2022 sectors; hover a cell for the counts behind it: "
            "skills both sectors demand, top-100 role moves between them, postings).</p>"
            + _figure(fig, "chart-industry-transfer", 760) + "</section>")


def _portability_section(tables: _Tables) -> str:
    import plotly.graph_objects as go

    top = (tables["skill_portability"]
           .sort(["portability", "postings", "skill_uri"], descending=[True, True, False])
           .head(TOP_SKILLS))
    rows = list(top.iter_rows(named=True))[::-1]  # best at the top of a horizontal bar chart
    fig = go.Figure(go.Bar(
        x=[r["portability"] for r in rows], y=[r["label"] for r in rows], orientation="h",
        marker_color="#1565c0", text=[f"{r['portability']:.3f}" for r in rows],
        textposition="outside",
        customdata=[[r["sectors_demanding"], r["sectors_present"], r["postings"]]
                    for r in rows],
        hovertemplate="%{y}<br>portability %{x:.3f}<br>sectors demanding %{customdata[0]} of "
                      "%{customdata[1]} present<br>%{customdata[2]} postings<extra></extra>"))
    fig.update_layout(xaxis={"title": "portability (0-1)", "range": [0, 1.08]},
                      yaxis={"automargin": True})
    return (f"<section id=\"portable-skills\"><h2>The {len(rows)} most portable skills</h2>"
            "<p>Normalised entropy of each ESCO skill's demand across sectors "
            "(<code>skill_portability</code>): 1 means every sector asks for it alike.</p>"
            + _figure(fig, "chart-portable-skills", 120 + 26 * len(rows)) + "</section>")


def _profile_roles(demand: pl.DataFrame, n: int) -> list[dict[str, Any]]:
    """The roles with the most postings, at most one per main sector while sectors last."""
    ranked = list(demand.filter(pl.col("postings") > 0)
                  .sort(["postings", "role"], descending=[True, False]).iter_rows(named=True))
    chosen, seen = [], set()
    for r in ranked:
        if len(chosen) < n and r["main_sector"] not in seen:
            chosen.append(r)
            seen.add(r["main_sector"])
    chosen += [r for r in ranked if r not in chosen][: n - len(chosen)]
    return chosen


def _profiles_section(tables: _Tables, taxonomy: Taxonomy) -> str:
    import plotly.graph_objects as go

    roles = _profile_roles(tables["role_demand"], PROFILE_ROLES)
    names = _sector_names(taxonomy)
    labels = dict(taxonomy.esco_skills().select("skill_uri", "label").iter_rows())
    skills = tables["role_skills"].filter(pl.col("role").is_in([r["role"] for r in roles]))
    charts = []
    for i, r in enumerate(roles, 1):
        top = (skills.filter(pl.col("role") == r["role"])
               .sort(["weight", "skill_uri"], descending=[True, False]).head(PROFILE_SKILLS))
        rows = list(top.iter_rows(named=True))[::-1]
        fig = go.Figure(go.Bar(
            x=[s["weight"] for s in rows], y=[labels.get(s["skill_uri"], s["skill_uri"])
                                              for s in rows],
            orientation="h", marker_color=[PROVENANCE_COLOURS.get(s["provenance"], "#757575")
                                           for s in rows],
            customdata=[[s["provenance"], s["postings"], s["share"]] for s in rows],
            hovertemplate="%{y}<br>weight %{x:.4f}<br>from %{customdata[0]}; "
                          "%{customdata[1]} postings (%{customdata[2]:.0%})<extra></extra>"))
        sector = names.get(r["main_sector"], r["main_sector"] or "unknown sector")
        fig.update_layout(
            title={"text": f"{r['title']} ({r['role']})<br><sup>{r['postings']:,} postings; "
                           f"main sector {sector}</sup>", "font": {"size": 14}},
            xaxis={"title": "weight in profile"}, yaxis={"automargin": True})
        charts.append(_figure(fig, f"chart-role-profile-{i}", 380, top=70))
    legend = ", ".join(f"<span style=\"color:{c}\">■</span> {_e(p)}"
                       for p, c in PROVENANCE_COLOURS.items())
    return ("<section id=\"role-profiles\"><h2>Example role skill profiles</h2>"
            f"<p>The {len(roles)} roles with the most postings, one per main sector while "
            f"sectors last: their top {PROFILE_SKILLS} skills by weight (<code>role_skills"
            f"</code>). Bar colour is the provenance: {legend}.</p>"
            "<div class=\"grid\">" + "".join(f"<div>{c}</div>" for c in charts)
            + "</div></section>")


def _pathways_section(data_dir: Path, tables: _Tables, taxonomy: Taxonomy) -> str:
    """`microcareer pathways` (one step, three destinations) for a few common roles."""
    from microcareer.pathways import PathwayError, pathways

    items = []
    for r in _profile_roles(tables["role_demand"], PATHWAY_ROLES):
        try:
            result = pathways(r["role"], data_dir=data_dir, steps=1, top=3,
                              taxonomy=taxonomy)
        except PathwayError as exc:
            items.append(f"<li>{_e(r['title'])}: {_e(exc)}</li>")
            continue
        moves = []
        for p in result.pathways:
            s = p.steps[0]
            change = f", pay {s.wage_change:+.0%}" if s.wage_change is not None else ""
            flags = f" <em>({_e(', '.join(s.flags))})</em>" if s.flags else ""
            courses = "".join(f"<br>course for <i>{_e(c['teaches'])}</i>: "
                              f"<a href=\"{_e(c['url'])}\">{_e(c['title'])}</a>"
                              for c in s.courses)
            none = (f"<br>no course in the catalogue teaches: "
                    f"{_e(', '.join(s.gaps_without_course))}" if s.gaps_without_course else "")
            moves.append(f"<li><b>{_e(s.to.title)}</b> (value {p.score:.3f}, skill score "
                         f"{s.score:.3f}{change}){flags}<br>to learn: "
                         f"{_e(', '.join(s.gaps) or '-')}{courses}{none}</li>")
        if not moves:
            moves.append("<li>no move to another sector passes the default rules (the "
                         "command's options bring the moves left out back)</li>")
        items.append(f"<li>{_e(r['title'])} ({_e(r['role'])})<ul>{''.join(moves)}"
                     "</ul></li>")
    return ("<section id=\"pathways\"><h2>Pathways from common roles</h2>"
            "<p>What <code>microcareer pathways --from CODE --steps 1 --top 3</code> shows "
            "for the roles with the most postings, one per main sector: the three best moves "
            "to another sector, the skills to learn and the courses that teach them.</p>"
            f"<ul>{''.join(items)}</ul></section>")


def _move_model_section(taxonomy: Taxonomy) -> str:
    """The model card of move_likelihood: data, cross-validated metrics, calibration."""
    import json

    import numpy as np
    import plotly.graph_objects as go

    path = taxonomy.move_model_path
    if not path.exists():
        return ("<section id=\"move-model\"><h2>Move likelihood model</h2><p>No model "
                "artifact (<code>taxonomy/move_model.npz</code>): <code>move_likelihood</code> "
                "is null in this release.</p></section>")
    meta = json.loads(str(np.load(path)["meta"]))
    cv = meta["cross_validation"]
    rows = "".join(
        f"<tr><td>{_e(name)}</td>" + "".join(
            f"<td>{m[k]:.3f}"
            + (f" ({m['ci95'][k][0]:.3f}–{m['ci95'][k][1]:.3f})" if "ci95" in m else "")
            + "</td>" for k in ("auc", "spearman", "p_at_10")) + "</tr>"
        for name, m in (("move_likelihood", cv["move_likelihood"]),
                        ("skill score", cv["skill_score"])))
    cal = meta["calibration"]
    fig = go.Figure([
        go.Scatter(x=[c["predicted"] for c in cal], y=[c["observed"] for c in cal],
                   mode="lines+markers", name="deciles of the prediction",
                   customdata=[c["pairs"] for c in cal],
                   hovertemplate="predicted %{x:.3f}<br>observed %{y:.3f}<br>"
                                 "%{customdata:,} role pairs<extra></extra>"),
        go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect calibration",
                   line={"dash": "dot", "color": "#9e9e9e"})])
    fig.update_layout(xaxis={"title": "predicted P(a move is observed)", "range": [0, 1]},
                      yaxis={"title": "observed share", "range": [0, 1]},
                      legend={"orientation": "h"})
    t = meta["training"]
    return ("<section id=\"move-model\"><h2>Move likelihood model</h2>"
            f"<p><code>role_transfer.move_likelihood</code>: {_e(meta['model'])}. Fitted on "
            f"{_e(t['data'])}: {t['rows']:,} role pairs from {t['origin_nodes']} origin "
            f"occupations, {t['observed']:,} with an observed move. Features: "
            f"{_e(', '.join(meta['features']))}. Cross-validated ({cv['folds']} folds grouped "
            f"by {_e(cv['grouped_by'])}; 95% bootstrap intervals), scored with the shared "
            "<code>transfer_eval.py</code> (max aggregation):</p>"
            "<table><tr><th></th><th>AUC</th><th>Spearman</th><th>P@10</th></tr>"
            f"{rows}</table>"
            "<p>Calibration of the first stage (is a move between the two occupations "
            "observed at all), cross-validated. Limits: docs/move-model.md.</p>"
            + _figure(fig, "chart-move-calibration", 360) + "</section>")


def _sources_section(sources: dict[str, dict[str, Any]]) -> str:
    import plotly.graph_objects as go

    names = sorted(sources)
    rows = "".join(
        f"<tr><td>{_e(n)}</td><td>{_e(s.get('kind', ''))}</td>"
        f"<td class=\"status-{_e(s['status'])}\">{_e(s['status'])}</td>"
        f"<td class=\"n\">{s['records']:,}</td><td class=\"n\">{s['quarantined']}</td>"
        f"<td class=\"n\">{s['failed']}</td></tr>" for n, s in sorted(sources.items()))
    table = ("<table id=\"sources\"><tr><th>Source</th><th>Kind</th><th>Status</th>"
             "<th>Records</th><th>Quarantined payloads</th><th>Failed requests</th></tr>"
             + rows + "</table>")
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        picked = [n for n in names if sources[n]["status"] == status]
        fig.add_trace(go.Bar(
            x=picked, y=[sources[n]["records"] for n in picked], name=status,
            marker_color=colour, customdata=[sources[n]["quarantined"] for n in picked],
            text=[f"{sources[n]['records']:,}" for n in picked], textposition="outside",
            hovertemplate="%{x}: %{y:,} records, %{customdata} quarantined<extra>"
                          + status + "</extra>"))
    fig.update_layout(barmode="stack",
                      yaxis={"title": "records (log scale)", "type": "log", "dtick": 1},
                      xaxis={"categoryorder": "array", "categoryarray": names},
                      legend={"title": {"text": "status"}})
    total = sum(s["records"] for s in sources.values())
    return ("<section id=\"source-coverage\"><h2>Source coverage</h2>"
            f"<p>{len(sources)} sources, {total:,} records in this run.</p>"
            + table + _figure(fig, "chart-sources", 420) + "</section>")


def _coverage_section(tables: _Tables, taxonomy: Taxonomy) -> str:
    import plotly.graph_objects as go

    full = tables["postings"]
    postings = full.select("sector", "sector_method", "role", "role_confidence", "role_method")
    names = _sector_names(taxonomy)
    n = postings.height
    by_sector = (postings.with_columns(pl.col("sector").fill_null("unknown"))
                 .group_by("sector", "sector_method").len()
                 .sort("sector", "sector_method"))
    order = (by_sector.group_by("sector").agg(pl.col("len").sum())
             .sort(["len", "sector"], descending=[True, False])["sector"].to_list())
    fig = go.Figure()
    for method in sorted(set(by_sector["sector_method"])):
        part = dict(by_sector.filter(pl.col("sector_method") == method)
                    .select("sector", "len").iter_rows())
        fig.add_trace(go.Bar(y=[names.get(s, s) for s in order],
                             x=[part.get(s, 0) for s in order], name=method, orientation="h",
                             hovertemplate="%{y}: %{x:,} postings<extra>" + method
                                           + "</extra>"))
    fig.update_layout(barmode="stack", xaxis={"title": "postings"},
                      yaxis={"autorange": "reversed", "automargin": True},
                      legend={"title": {"text": "sector from"}})
    methods = postings.group_by("role_method").len().sort("role_method")
    with_role = postings["role"].is_not_null().sum()
    confident = (postings["role_confidence"] >= MIN_ROLE_CONFIDENCE).sum()
    with_sector = postings["sector"].is_not_null().sum()
    stats = [("Postings", n), ("with a role", with_role),
             (f"with a role, confidence ≥ {MIN_ROLE_CONFIDENCE}", confident),
             ("with a sector", with_sector),
             ("distinct roles", postings["role"].drop_nulls().n_unique()),
             ("distinct sectors", postings["sector"].drop_nulls().n_unique())]
    if {"duplicates", "first_seen", "last_seen"} <= set(full.columns):
        stats += [("duplicate records collapsed (other boards, reposts)",
                   int(full["duplicates"].sum()) - n),
                  ("seen on more than one night",
                   int((full["first_seen"] < full["last_seen"]).sum()))]
    stats_rows = "".join(
        f"<tr><td>{_e(k)}</td><td class=\"n\">{v:,}</td>"
        f"<td class=\"n\">{'' if k.startswith(('Postings', 'distinct')) else f'{v / n:.1%}'}"
        "</td></tr>" for k, v in stats)
    method_rows = "".join(f"<tr><td>role {_e(m)}</td><td class=\"n\">{c:,}</td>"
                          f"<td class=\"n\">{c / n:.1%}</td></tr>"
                          for m, c in methods.iter_rows())
    return ("<section id=\"posting-coverage\"><h2>Coverage of roles and sectors</h2>"
            "<table id=\"coverage\">" + stats_rows + method_rows + "</table>"
            "<p>Postings per sector, by how the sector was assigned:</p>"
            + _figure(fig, "chart-sector-coverage", 100 + 24 * len(order)) + "</section>")
