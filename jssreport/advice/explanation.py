"""What ``explain`` finds: the posterior over hidden private ratings, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jssreport.model.types import Snapshot


@dataclass(frozen=True)
class Suspect:
    """One rated contract without a known private rating: the posterior chance that its client
    would not recommend you (passive or negative), and the prior chance."""

    id: str
    probability: float  # would not recommend: passive or negative
    negative: float
    passive: float
    stars: float | None
    prior: float  # prior chance of not recommending
    informative: bool  # the observation says something about it


@dataclass(frozen=True)
class Explanation:
    """What ``explain`` finds behind one snapshot: the posterior over the hidden private ratings
    (per contract, and of how many clients would not recommend you), its likeliest
    assignments, and how the search went."""

    observed: Snapshot
    rules: str
    estimate_public_only: int | None
    public_only_score: float | None
    most_likely_count: int | None  # rated clients who most likely would not recommend you
    count_probabilities: tuple[tuple[int, float], ...]
    most_likely_negative_count: int | None
    contracts: tuple[Suspect, ...]  # every rated contract without a known private rating
    best_fit: tuple[tuple[str, str], ...]  # the single likeliest assignment: (id, state)
    best_fit_jss: int | None
    method: str  # "exhaustive" | "sampling" | "none"
    evaluated: int
    prior: str
    sigma: float
    open_effect: int | None  # points the open contracts cost on the date (0: they do not)
    open_worst: int | None  # the estimate if every unpaid open contract counted as no feedback
    summary: str
    evidence: tuple[Snapshot, ...] = ()  # every snapshot whose score was used, oldest first
    report_on: date | None = None  # the date of ``now_scores``
    now_scores: tuple[tuple[float | None, float], ...] = ()  # posterior of the score then
    # the likeliest assignments: (posterior probability, ((contract id, state), ...) of the
    # non-positive ones), most probable first, at most WORLDS_KEPT
    worlds: tuple[tuple[float, tuple[tuple[str, str], ...], float | None], ...] = ()
