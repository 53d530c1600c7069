"""The calibration refit's rule for the 0.5 cut (tools/role_postings.py)."""
import numpy as np

from tools.role_postings import BELOW_CUT, hold_the_cut


def _pools(*pools: tuple[float, int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(levels, fitted, right) of pools given as (fitted value, postings, right)."""
    levels = np.array([v for v, _, _ in pools for _ in (0, 1)])  # two thresholds per pool
    fitted = np.concatenate([np.full(n, v) for v, n, _ in pools])
    right = np.concatenate([np.r_[np.ones(k), np.zeros(n - k)] for _, n, k in pools])
    return levels, fitted, right


def test_a_pool_right_about_half_the_time_stays_under_the_cut():
    # the 3.4.4 refit's middle pool: 0.508 of about 60 postings is no evidence of "most"
    levels, fitted, right = _pools((0.425, 150, 64), (0.508, 61, 31), (0.8, 50, 40))
    out = hold_the_cut(levels, fitted, right)
    assert list(out) == [0.425, 0.425, BELOW_CUT, BELOW_CUT, 0.8, 0.8]


def test_a_pool_shown_right_most_of_the_time_keeps_its_value():
    levels, fitted, right = _pools((0.3, 40, 12), (0.6, 200, 120), (0.85, 100, 85))
    assert list(hold_the_cut(levels, fitted, right)) == list(levels)


def test_a_small_pool_not_shown_joins_the_pool_below_it():
    # 4 of 6 at 0.667 shows nothing; with the 220 of 400 below it, 224 of 406 is shown
    levels, fitted, right = _pools((0.3, 50, 15), (0.55, 400, 220), (0.667, 6, 4),
                                   (0.9, 80, 72))
    out = hold_the_cut(levels, fitted, right)
    assert np.allclose(out, [0.3, 0.3, 224 / 406, 224 / 406, 224 / 406, 224 / 406, 0.9, 0.9])


def test_the_published_values_stay_ordered_under_a_pool_held_below_the_cut():
    levels, fitted, right = _pools((0.495, 200, 99), (0.52, 50, 26), (0.8, 50, 40))
    out = hold_the_cut(levels, fitted, right)
    assert list(out) == [BELOW_CUT, BELOW_CUT, BELOW_CUT, BELOW_CUT, 0.8, 0.8]
