"""Role profiles and transfer on the shipped taxonomy: named cases checked by hand.

The truck-driver case is the one users met in dataset 1.3.0: Heavy and Tractor-Trailer Truck
Drivers inherited every skill of the six ESCO occupations the crosswalk maps to them,
*livestock transporter* included, at equal weight, and `microcareer pathways` proposed
Animal Caretakers first."""

from __future__ import annotations

import polars as pl
import pytest

from schemas.taxonomy import Taxonomy
from transform.linking import skill_ranker
from transform.linking.skill_fit import SkillFit
from transform.marts import aggregate

SHIPPED = Taxonomy.shipped()

TRUCK_DRIVERS = "53-3032.00"
# Animal care and farm-animal roles (checked by hand in O*NET 29.2 Occupation Data).
ANIMAL_ROLES = {"39-2021.00", "39-2011.00", "45-2093.00", "31-9096.00", "29-2056.00",
                "29-1131.00", "45-2021.00"}


@pytest.fixture(scope="module")
def priors() -> pl.DataFrame:
    fitter = SkillFit(skill_ranker.load(SHIPPED), SHIPPED.role_texts())
    labels = SHIPPED.esco_skills().select("skill_uri", "label")
    return aggregate.taxonomy_priors(SHIPPED, fitter).collect().join(labels, on="skill_uri")


def _top(priors: pl.DataFrame, role: str, n: int) -> list[str]:
    return (priors.filter(role=role).sort(["prior", "skill_uri"], descending=[True, False])
            .head(n)["label"].to_list())


def test_truck_drivers_are_led_by_driving_and_cargo_skills_not_animal_care(priors):
    top = _top(priors, TRUCK_DRIVERS, 10)
    # checked by hand: the ten strongest are about driving, vehicles, roads and loads
    assert {"operate GPS systems", "mechanical components of vehicles",
            "vehicle cargo capacity", "manoeuvre heavy trucks", "interpret traffic signals",
            "drive vehicles", "read maps"} <= set(top)
    assert not any("animal" in label for label in top)
    everything = set(priors.filter(role=TRUCK_DRIVERS)["label"])
    # named by one of six mapped occupations (livestock transporter), unrelated to the
    # role's O*NET tasks: pruned
    assert not {"biosecurity related to animals", "treat animals ethically",
                "control animal movement", "anatomy of animals"} & everything


def test_a_skill_every_mapped_occupation_names_outweighs_one_of_a_narrow_occupation(priors):
    drivers = dict(priors.filter(role=TRUCK_DRIVERS).select("label", "prior").iter_rows())
    # "operate GPS systems" is essential to 4 of the 6 occupations, "animal transportation
    # vehicles" essential to 1 and optional to 1 (both fit the role's tasks)
    assert drivers["operate GPS systems"] > 2 * drivers["animal transportation vehicles"]


def test_no_pathway_from_truck_driver_to_animal_care_in_the_top_ten(small_run):
    data_dir, _ = small_run
    detail = pl.read_parquet(data_dir / "dataset" / "role_transfer_detail.parquet")
    top = detail.filter(pl.col("from_role") == TRUCK_DRIVERS, pl.col("rank") <= 10)
    assert top.height == 10
    assert not set(top["to_role"]) & ANIMAL_ROLES
    # the best destinations include other driving jobs
    assert {"53-3033.00"} <= set(top["to_role"])  # Light Truck Drivers


# ESCO's generic research skills, essential to nearly every occupation of its research
# occupations collection (tools/taxonomy.py, skill_relations)
GENERIC_RESEARCH = {"operate open source software", "manage research data", "think abstractly",
                    "disseminate results to the scientific community",
                    "apply for research funding", "write scientific publications",
                    "interact professionally in research and professional environments"}


def test_astronomers_prior_is_astronomy_not_generic_research_skills(priors):
    # Until 3.3.9 eight of the ten were ESCO's generic research essentials (publish, apply
    # for funding, network with researchers...), the same for a sociologist or a pathologist.
    top = set(_top(priors, "19-2011.00", 10))
    assert {"astronomy", "carry out scientific research in observatory"} <= top
    assert not GENERIC_RESEARCH & top


def test_pediatricians_prior_is_led_by_patient_care_not_open_source_software(priors):
    # Pediatricians have no ESCO occupation of their own and take ESCO's specialised doctor
    # (a research occupation), which made "operate open source software" and "think
    # abstractly" two of their ten strongest skills.
    top = _top(priors, "29-1221.00", 10)
    assert top[0] == "provide healthcare services to patients in general medical practice"
    assert "provide care for a particular patient group" in top
    assert not GENERIC_RESEARCH & set(top)
