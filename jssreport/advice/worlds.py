"""Which combination of hidden ratings every page names: the likely detractors.

Ranked by chance (the posterior share of assignments in which the client would not recommend
you), the ``k`` likeliest (``k`` the likeliest count) in the states of the likeliest assignment
that makes exactly them non-positive, among assignments whose score on the report date is near
its likeliest value; when the search saw none, the likeliest such assignment's.
"""

from __future__ import annotations

from collections.abc import Sequence

from jssreport.advice.explanation import Explanation
from jssreport.model.windows import round_half_up

NEAR_MEDIAN = 1.5  # points: how close to the likeliest score the detractors' score must be


def central_world(e: Explanation) -> tuple[tuple[str, str], ...]:
    """The likely detractors: the ``k`` informative contracts likeliest not to recommend you
    (``k`` the likeliest count), in the states of the likeliest assignment that makes exactly
    them non-positive; when the search saw none, the likeliest assignment's. By chance."""
    informative = [s for s in e.contracts if s.informative]
    rank = {s.id: i for i, s in enumerate(e.contracts)}
    k = min(e.most_likely_count or 0, len(informative))
    top = {s.id for s in informative[:k]}
    # Near the likeliest score on the report date, so that the estimate read from these
    # ratings is the posterior's central value.
    middle = likeliest_score(e.now_scores)
    near = [w for w in e.worlds if middle is None or
            (w[2] is not None and abs(w[2] - middle) <= NEAR_MEDIAN)] or list(e.worlds)
    # those the snapshots speak about (a contract rated later keeps its prior's mode)
    about = {s.id for s in informative}
    near = [w for w in near if all(cid in about for cid, _ in w[1])] or near
    pick = next((w for _, w, _ in near if {cid for cid, _ in w} == top), None)
    if pick is None:
        pick = near[0][1] if near else tuple(
            (s.id, "negative" if s.negative >= s.passive else "passive")
            for s in informative[:k])
    return tuple(sorted(pick, key=lambda cs: rank.get(cs[0], len(rank))))


def likeliest_score(posterior: Sequence[tuple[float | None, float]],
                    within: int = 3) -> float | None:
    """The whole score with the most posterior mass within ``within`` points of it (None: no
    score is likelier than not). On generated histories it misses the truth two months later
    less often than the median or the mean (tests/test_report_calibrate.py)."""
    bins: dict[int, float] = {}
    total = none = 0.0
    for s, p in posterior:
        total += p
        if s is None:
            none += p
        else:
            bins[round_half_up(s)] = bins.get(round_half_up(s), 0.0) + p
    if not bins or none > total / 2:
        return None
    near = {b: sum(bins.get(b + d, 0.0) for d in range(-within, within + 1)) for b in bins}
    return float(max(near, key=lambda b: (near[b], bins[b], -b)))
