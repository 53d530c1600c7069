"""Maintainer tools, not part of the shipped packages: rebuild the bundled taxonomy
(`make taxonomy`: python -m tools.taxonomy), the snapshot (`make snapshot`: python -m
tools.snapshot) and the skill ranker (`make ranker`: python -m tools.build_ranker), and
score the matchers (python -m tools.evaluate transfer|roles|skills). Run from the repository
root; they may import every runtime layer, nothing imports them."""
