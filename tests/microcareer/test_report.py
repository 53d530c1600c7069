"""The run report: written by every run, self-contained, showing the manifest's real numbers,
and rendering its charts in a real headless Chromium (Debian's `chromium`; `make browser`)."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
from bs4 import BeautifulSoup

from microcareer.cli import main
from microcareer.report import PROFILE_ROLES, render_report, write_report

CHROMIUM = Path("/usr/bin/chromium")
CHARTS = ["chart-industry-transfer", "chart-portable-skills", "chart-sources",
          "chart-sector-coverage"]
SECTIONS = ["summary", "status", "tables", "industry-transfer", "portable-skills",
            "role-profiles", "pathways", "source-coverage", "sources", "posting-coverage",
            "coverage"]


def _manifest(data_dir: Path) -> dict:
    return json.loads((data_dir / "dataset" / "manifest.json").read_text())


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_every_run_writes_a_self_contained_report_with_the_manifests_numbers(small_run):
    data_dir, result = small_run
    manifest = _manifest(data_dir)
    page = data_dir / "reports" / f"{result.run_id}.html"
    assert result.report == page
    assert (data_dir / "reports" / "latest.html").read_bytes() == page.read_bytes()
    soup = _soup(page)

    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for element in soup.find_all(tag):
            assert not str(element.get(attr) or "").startswith(("http:", "https:", "//")), element
    assert len(soup.find_all("script", src=True)) == 0
    assert "Plotly.newPlot" in page.read_text(encoding="utf-8")

    for section in SECTIONS:
        assert soup.find(id=section) is not None, section
    for chart in [*CHARTS, *(f"chart-role-profile-{i}" for i in range(1, PROFILE_ROLES + 1))]:
        assert soup.find("div", id=chart, class_="plotly-graph-div") is not None, chart

    v = manifest["validation"]
    assert soup.find(id="meta-validation").get_text() == (
        f"passed: {v['expectations']} expectations on {v['tables']} tables")
    assert soup.find(id="meta-run").get_text() == manifest["run_id"] == result.run_id
    assert soup.find(id="meta-release").get_text() == manifest["run_id"]
    assert soup.find(id="meta-logical").get_text() == manifest["logical_date"]
    assert "FAILED" not in soup.find("header").get_text()
    rows = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text()
            for tr in soup.find(id="tables").find_all("tr")[1:]}
    assert rows == {name: f"{t['rows']:,}" for name, t in manifest["tables"].items()}
    sources = {tr.find_all("td")[0].get_text(): [td.get_text() for td in tr.find_all("td")]
               for tr in soup.find(id="sources").find_all("tr")[1:]}
    assert set(sources) == set(manifest["sources"])
    for name, s in manifest["sources"].items():
        assert sources[name][2:] == [s["status"], f"{s['records']:,}", str(s["quarantined"]),
                                     str(s["failed"])]
    # pathways from common roles: each move says what to learn, and which course teaches
    # which gap or that none does; a role without one says so
    items = soup.find(id="pathways").select("ul ul li")
    moves = [m for m in items if "no move to another sector passes" not in m.get_text()]
    assert moves and all("to learn:" in m.get_text() for m in moves)
    assert all("course for " in m.get_text() or "no course in the catalogue teaches" in
               m.get_text() for m in moves if "to learn: -" not in m.get_text())


def test_the_report_is_deterministic_and_says_failed_without_a_release(small_run, tmp_path):
    _, result = small_run
    data_dir = tmp_path / "data"  # reports are written (and pruned) below
    shutil.copytree(small_run[0], data_dir, symlinks=True)
    assert render_report(data_dir, result.run_id) == render_report(data_dir, result.run_id)

    assert main(["report", "--data-dir", str(tmp_path)]) == 0
    banner = _soup(tmp_path / "reports" / "latest.html").find(id="status").get_text()
    assert banner.startswith("FAILED: no published release")

    other = write_report(data_dir, "a_run_that_published_nothing")
    assert "published nothing" in _soup(other).find("header").get_text()
    # Older run reports beyond `keep` go; this also leaves latest.html the real run's again.
    write_report(data_dir, result.run_id, keep=1)
    assert sorted(p.name for p in (data_dir / "reports").glob("*.html")) == [
        "latest.html", f"{result.run_id}.html"]


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=10000", *args],
        capture_output=True, text=True, timeout=180, check=True)


@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="needs Debian's chromium at /usr/bin/chromium: run `make browser` "
                           "(or apt-get install chromium)")
def test_charts_render_in_headless_chromium(small_run, tmp_path):
    from PIL import Image

    data_dir, result = small_run
    page = data_dir / "reports" / f"{result.run_id}.html"
    transfer = pl.read_parquet(data_dir / "dataset" / "industry_transfer.parquet")
    sectors = set(transfer["from_sector"]) | set(transfer["to_sector"])
    dom = BeautifulSoup(_chromium("--dump-dom", page.as_uri(), profile=tmp_path / "p1").stdout,
                        "lxml")
    charts = dom.select("div.plotly-graph-div")
    assert {c["id"] for c in charts} >= {*CHARTS, "chart-role-profile-1"}
    for chart in charts:
        svg = chart.select_one("svg.main-svg")
        assert svg is not None and svg.find_all(True), f"{chart['id']}: no plotly SVG"
        if chart["id"] == "chart-industry-transfer":
            image = chart.select_one("g.hm image")
            href = image.get("xlink:href") or image.get("href") or "" if image else ""
            assert href.startswith("data:image/png;base64,"), "no heatmap image"
            with Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))) as cells:
                assert cells.size == (len(sectors), len(sectors))  # a pixel per sector pair
                assert len(cells.convert("RGBA").getcolors()) > 3, "heatmap cells all alike"
            ticks = [t.get_text() for t in chart.select("g.ytick text")]
            assert any("Health Care" in t for t in ticks), ticks  # sector names, not codes
        elif chart["id"] == "chart-move-calibration":
            # ten deciles of the model's calibration, as markers on a line
            points = [p for p in chart.select("g.trace.scatter g.points path") if p.get("d")]
            assert len(points) >= 10, f"{chart['id']}: {len(points)} calibration points"
        else:
            bars = [p for p in chart.select("g.trace.bars g.point path") if p.get("d")]
            assert bars, f"{chart['id']}: no bars drawn"

    screenshot = data_dir / "reports" / "screenshot.png"
    _chromium(f"--screenshot={tmp_path / 'report.png'}", "--window-size=1400,5600",
              "--hide-scrollbars", page.as_uri(), profile=tmp_path / "p2")
    shutil.copyfile(tmp_path / "report.png", screenshot)
    print(f"report screenshot: {screenshot}")
    assert screenshot.stat().st_size > 20_000
    with Image.open(screenshot) as image:
        assert image.size == (1400, 5600)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50, "the screenshot is nearly one colour"
