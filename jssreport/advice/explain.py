"""Explain an observed score: which hidden private ratings best reproduce it.

The platform showed a score (and maybe a would-recommend share) on a date; the freelancer
knows the public stars but not the private 0-10 ratings. Each rated contract without a known
private rating gets one of three states, positive (10), passive (8) or negative (5), and the
model is re-run for each assignment (see ``search``). The answer ranks contracts by the
posterior chance that the client would not recommend you (passive or negative: exactly what
the would-recommend share counts), gives the negative-only chance too, and says in words
what best explains the gap between the public-only estimate and the observation, including
whether open contracts can be the cause (computed, not assumed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from jssreport.advice.dormancy import last_sign_of_life
from jssreport.advice.evaluator import UNSEEN, Evaluator, Free, MultiEvaluator
from jssreport.advice.explainwords import summary as _summary
from jssreport.advice.explanation import Explanation as Explanation  # re-exported
from jssreport.advice.explanation import Suspect as Suspect
from jssreport.advice.search import (
    _NEVER,
    EXHAUSTIVE_LEAVES,
    EXHAUSTIVE_MAX,
    Tally,
    enumerate_all,
    gibbs,
    leaves,
)
from jssreport.advice.sim import Scorer, ended, known_on, relevant
from jssreport.advice.worlds import central_world
from jssreport.model.history import client_recommends
from jssreport.model.outcomes import FEEDBACK_DAYS, Verdict, judge
from jssreport.model.rules import resolve_rules
from jssreport.model.types import Contract, Feedback, Snapshot
from jssreport.model.windows import window_start

STATES = ("positive", "passive", "negative")
STATE_RECOMMEND = (10, 8, 5)
WORLDS_KEPT = 200
# Points: how far from the observed score an assignment may land. It compares assignments
# with each other, and the model's own error (about 2 points on the worked examples) is
# mostly shared by all of them, so it widens the calibrated range (calibrate.MODEL_ERROR)
# instead of flattening the comparison: with 2 here, two months later the estimate missed
# the truth by more than 3 points about twice as often on generated histories.
SIGMA = 0.5
PRIOR_TEXT = ("Prior: a client who left 5 stars gave negative private feedback (0-6) with "
              "probability 15%, passive (7-8) 10%, positive (9-10) 75%; for each star below 5 "
              "the negative chance rises by 50 points and the passive by 25 (4.6 stars: 35% / "
              "20% / 45%).")


def prior_for(stars: float) -> tuple[float, float, float]:
    """(positive, passive, negative) prior for a client who left ``stars`` in public."""
    gap = max(0.0, 5.0 - stars)
    neg = min(0.80, 0.15 + 0.5 * gap)
    pas = min(0.30, 0.10 + 0.25 * gap)
    pos = max(0.05, 1.0 - neg - pas)
    total = pos + pas + neg
    return pos / total, pas / total, neg / total


def _free(c: Contract, on: date, rule_id: str = "auto") -> bool:
    """Rated in public, private rating unknown, and given when private ratings still existed
    (after the rule set's ``private_ratings_until`` a hidden rating cannot exist)."""
    fb = c.feedback
    if c.is_open(on) or fb is None or not fb.visible_on(on) or fb.stars is None \
            or fb.recommend is not None or c.removed or c.client_flagged or c.dispute \
            or c.end_reason == "dispute":
        return False
    assert c.end is not None
    until = resolve_rules(rule_id, c.end).private_ratings_until
    return until is None or c.end < until


def _with_state(c: Contract, state: int) -> Contract:
    assert c.feedback is not None
    fb = c.feedback
    return c.evolve(feedback=Feedback(date=fb.date, stars=fb.stars, scores=fb.scores,
                                      recommend=STATE_RECOMMEND[state], comment=fb.comment))


def _wr_roles(known: Sequence[Contract], on: date) -> tuple[dict[str, Contract], int]:
    """The contract that decides each client's would-recommend verdict (the model's rule)."""
    latest: dict[str, tuple[date, Contract]] = {}
    for c in known:
        if c.client_flagged or c.removed or client_recommends(c, on) is None:
            continue
        assert c.end is not None
        when = c.feedback.date if c.feedback and c.feedback.date else c.end
        if c.client not in latest or when >= latest[c.client][0]:
            latest[c.client] = (when, c)
    return {cl: c for cl, (_, c) in latest.items()}, len(latest)


def explain(contracts: Sequence[Contract], snapshot: Snapshot, rule_id: str = "auto",
            sigma: float = SIGMA, exhaustive_max: int = EXHAUSTIVE_MAX,
            exhaustive_leaves: int = EXHAUSTIVE_LEAVES,
            earlier: Sequence[Snapshot] = (), report_on: date | None = None) -> Explanation:
    """The hidden private ratings behind ``snapshot`` (and the ``earlier`` snapshots' scores:
    each is evidence), and, with ``report_on``, the posterior of the score on that date."""
    on = snapshot.date
    rules = resolve_rules(rule_id, on)
    known = known_on(contracts, on)
    pool = relevant(known, on)
    public = Scorer(pool, on, rule_id)
    latest, clients = _wr_roles(known, on)
    deciders = {c.id for c in latest.values()}
    fixed_pos = sum(1 for c in latest.values() if not _free(c, on, rule_id)
                    and client_recommends(c, on))
    evidence = sorted({s.date: s for s in earlier
                       if s.jss is not None and s.date < on}.values(), key=lambda s: s.date)
    days = [s.date for s in evidence] + [on]
    watched_day = report_on is not None and report_on >= on  # scored, but no evidence
    if report_on is not None and watched_day:
        days.append(report_on)
    last = days[-1]
    known_at = {d: {c.id: c for c in known_on(contracts, d)} for d in days}
    known_at[on] = {c.id: c for c in known}
    sampled: list[tuple[Contract, Free]] = []
    n_evidence = len(evidence) + 1
    per_day: list[list[Free]] = [[] for _ in days]
    idle: list[Contract] = []
    # rated after every snapshot: nothing observed speaks about them, so the search reads them
    # at their prior's likeliest state, positive (their verdict per day, by contract id)
    assumed: list[dict[str, Verdict]] = [{} for _ in days]
    for c in known_at[last].values():
        if not _free(c, last, rule_id):
            continue
        assert c.feedback is not None and c.feedback.stars is not None and c.end is not None
        frees_here: list[Free] = []
        variants: dict[int, tuple[Contract, ...]] = {}  # by record: most are alike each day
        for d in days:
            here = known_at[d].get(c.id)
            if here is None or not _free(here, d, rule_id) or c.end < window_start(d, "24m"):
                frees_here.append(Free((), c.client, (0.0, 0.0, 0.0), False, False))
                continue
            rules_d = resolve_rules(rule_id, d)
            each = variants.get(id(here))
            if each is None:
                each = variants[id(here)] = tuple(_with_state(here, s) for s in range(3))
            states = tuple(judge(v, d, rules_d) for v in each)
            oldest = window_start(d, "24m")
            moves = any(counts_on is not None and weight > 0 and oldest <= counts_on <= d
                        for _, _, weight, counts_on, _ in states)
            frees_here.append(Free(states, c.client, (0.0, 0.0, 0.0), False, moves))
        in_window = any(f.moves_score for f in frees_here)
        decides = c.id in deciders
        if not (decides or any(f.moves_score for f in frees_here[:n_evidence])):
            idle.append(c)
            for k, f in enumerate(frees_here):
                if f.verdicts:
                    assumed[k][c.id] = f.verdicts[0]
            continue
        log_prior = tuple(math.log(p) for p in prior_for(c.feedback.stars))
        # the snapshot's own verdicts (none when it ended after the snapshot): best_fit_jss
        sampled.append((c, Free(frees_here[days.index(on)].verdicts, c.client, log_prior,
                                decides, in_window)))
        for k, f in enumerate(frees_here):
            per_day[k].append(Free(f.verdicts, c.client, log_prior, decides, f.moves_score))
    frees = [f for _, f in sampled]
    parts = []
    for k, d in enumerate(days):
        moving = {c.id for (c, _), f in zip(sampled, per_day[k], strict=True) if f.verdicts}
        positive = assumed[k]
        if d == on:
            fixed = [(positive.get(c.id) or public.verdict(c.id), c.client) for c in pool
                     if c.id not in moving]
        else:
            rules_d = resolve_rules(rule_id, d)
            fixed = [(positive.get(c.id) or judge(c, d, rules_d), c.client)
                     for c in relevant(known_at[d].values(), d) if c.id not in moving]
        parts.append((Evaluator(fixed, per_day[k], d, resolve_rules(rule_id, d)), per_day[k]))
    watched = parts.pop() if watched_day else None
    ev = MultiEvaluator(parts, watched)
    n_wr = sum(1 for f in frees if f.counts_for_wr)
    allowed = _allowed_positives(snapshot.would_recommend, fixed_pos, n_wr, clients)
    observed = [s.jss for s in evidence] + [snapshot.jss]

    def loglik(scores: tuple[float | None, ...], wr_pos: int) -> float:
        if allowed is not None and wr_pos not in allowed:
            return _NEVER
        total = 0.0
        for score, seen in zip(scores, observed, strict=False):
            if seen is None:
                continue
            if score is None:
                return _NEVER
            dist = abs(score - seen) - 0.5
            if not dist > 0.0:
                dist = 0.0
            if sigma <= 0:
                total += 0.0 if dist == 0 else _NEVER
            else:
                total += -0.5 * (dist / sigma) ** 2
        return total

    if not frees:
        tally, method = Tally([], {}, {}), "none"
        tally.now_mass[None if not days else _score_now(ev)] = 1.0
    elif len(frees) <= exhaustive_max:
        tally, method = enumerate_all(ev, frees, loglik), "exhaustive"
    elif allowed is not None and leaves(frees, allowed) <= exhaustive_leaves:
        # the would-recommend share fixes how many deciders are positive: every assignment
        # that gives it, and no other
        tally, method = enumerate_all(ev, frees, loglik, allowed), "exhaustive"
    else:
        tally, method = gibbs(ev, frees, loglik, _start(frees, allowed)), "sampling"
    expl = _conclude(snapshot, rules.id, known, public, sampled, idle, tally, method, sigma)
    total = sum(tally.now_mass.values())
    now = tuple((k, round(v / total, 4)) for k, v in sorted(
        tally.now_mass.items(), key=lambda kv: (kv[0] is None, kv[0] or 0.0))) if total else ()
    ids = [c.id for c, _ in sampled]
    worlds = tuple(
        (round(w / tally.total, 4), tuple((ids[i], STATES[st]) for i, st in world),
         tally.world_now.get(world))
        for world, w in sorted(tally.world_mass.items(), key=lambda kv: (-kv[1], kv[0]))
        [:WORLDS_KEPT]) if tally.total > 0 else ()
    expl = replace(expl, evidence=(*evidence, snapshot), report_on=last, now_scores=now,
                   worlds=worlds)
    if tally.total <= 0:
        return expl
    # The one combination every page names: the likely detractors by chance (``central``).
    central = dict(central_world(expl))
    best = tuple((c.id, central.get(c.id, "positive")) for c, _ in sampled)
    best_jss = public.jss_with_verdicts({c.id: f.verdicts[STATES.index(state)]
                                         for (c, f), (_, state) in zip(sampled, best,
                                                                       strict=True)
                                         if f.moves_score and f.verdicts})
    expl = replace(expl, best_fit=best, best_fit_jss=best_jss)
    rated = [c for c, _ in sampled] + idle
    distinct = len({c.client for c in rated}) == len(rated)
    return replace(expl, summary=_summary(expl, len(rated), distinct))


def _score_now(ev: MultiEvaluator) -> float | None:
    now = ev.now()
    score = ev.score()[-1] if now is UNSEEN else now
    return None if not isinstance(score, float) else round(score, 2)


def _allowed_positives(observed: int | None, fixed_pos: int, n_wr: int,
                       clients: int) -> set[int] | None:
    """Counts of positive deciding free contracts that give the observed would-recommend."""
    if observed is None or clients == 0:
        return None
    exact = {k for k in range(n_wr + 1) if round(100 * (fixed_pos + k) / clients) == observed}
    if exact:
        return exact
    # Not reachable exactly (e.g. a client the records miss): keep the closest counts.
    gaps = {k: abs(100 * (fixed_pos + k) / clients - observed) for k in range(n_wr + 1)}
    least = min(gaps.values())
    return {k for k, g in gaps.items() if g <= least + 1e-9}


def _start(frees: Sequence[Free], allowed: set[int] | None) -> list[int]:
    """All positive, then the likeliest detractors flipped until would-recommend fits."""
    states = [0] * len(frees)
    if allowed is None:
        return states
    wr = [i for i, f in enumerate(frees) if f.counts_for_wr]
    target = max(allowed)
    order = sorted(wr, key=lambda i: -frees[i].log_prior[2])
    for i in order[: max(0, len(wr) - target)]:
        states[i] = 2
    return states


def _conclude(snapshot: Snapshot, rules_id: str, known: Sequence[Contract], public: Scorer,
              sampled: list[tuple[Contract, Free]], idle: list[Contract], tally: Tally,
              method: str, sigma: float) -> Explanation:
    suspects = []
    for i, (c, f) in enumerate(sampled):
        prior = 1 - math.exp(f.log_prior[0])
        if tally.total > 0:
            mass = tally.state_mass[i]
            pas, neg = mass[1] / tally.total, mass[2] / tally.total
        else:
            pas, neg = math.exp(f.log_prior[1]), math.exp(f.log_prior[2])
        stars = c.feedback.stars if c.feedback else None
        suspects.append(Suspect(c.id, round(pas + neg, 4), round(neg, 4), round(pas, 4), stars,
                                round(prior, 4), tally.total > 0))
    for c in idle:
        assert c.feedback is not None and c.feedback.stars is not None
        pos, pas, neg = prior_for(c.feedback.stars)
        suspects.append(Suspect(c.id, round(pas + neg, 4), round(neg, 4), round(pas, 4),
                                c.feedback.stars, round(pas + neg, 4), False))
    suspects.sort(key=lambda s: (not s.informative, -s.probability, -s.negative, s.id))
    counts = _distribution(tally.count_mass, tally.total)
    negatives = _distribution(tally.negative_mass, tally.total)
    best: tuple[tuple[str, str], ...] = ()
    best_jss = None
    if tally.best is not None and tally.total > 0:
        states = tally.best[1]
        best = tuple((c.id, STATES[s]) for (c, _), s in zip(sampled, states, strict=True))
        # Contracts outside every window change nothing: taking them out and putting them back
        # in another state is no float operation at all.
        best_jss = public.jss_with_verdicts({c.id: f.verdicts[s] for (c, f), s
                                             in zip(sampled, states, strict=True)
                                             if f.moves_score and f.verdicts})
    open_effect, open_worst = _open_check(known, snapshot.date, public)
    expl = Explanation(
        observed=snapshot, rules=rules_id, estimate_public_only=public.jss,
        public_only_score=None if public.score is None else round(public.score, 2),
        most_likely_count=_mode(counts), count_probabilities=counts,
        most_likely_negative_count=_mode(negatives), contracts=tuple(suspects),
        best_fit=best, best_fit_jss=best_jss, method=method, evaluated=tally.evaluated,
        prior=PRIOR_TEXT, sigma=sigma, open_effect=open_effect, open_worst=open_worst,
        summary="")
    rated = [c for c, _ in sampled] + idle
    distinct = len({c.client for c in rated}) == len(rated)
    return replace(expl, summary=_summary(expl, len(rated), distinct))


def _distribution(mass: dict[int, float], total: float) -> tuple[tuple[int, float], ...]:
    if total <= 0:
        return ()
    return tuple((k, round(v / total, 4)) for k, v in sorted(mass.items()))


def _mode(dist: tuple[tuple[int, float], ...]) -> int | None:
    if not dist:
        return None
    return max(dist, key=lambda kv: (kv[1], -kv[0]))[0]


def _open_check(known: Sequence[Contract], on: date,
                public: Scorer) -> tuple[int | None, int | None]:
    """What the open contracts cost on the date, and the worst they could if all counted."""
    open_now = [c for c in known if c.is_open(on)]
    dragging: dict[str, Contract | None] = {c.id: None for c in open_now
                if c.id in public.index and public.outcome(c.id).counted
                and public.outcome(c.id).kind != "success"}
    base = public.jss
    without = public.jss_with(dragging)
    effect = None if base is None or without is None else base - without
    # Worst case: every open contract not counted as a success counted now as a contract
    # that ended without feedback (what the older rules do with idle ones).
    end = on - timedelta(days=FEEDBACK_DAYS)
    worst = {c.id: ended(c, max(end, min(on, last_sign_of_life(c, on)[0])), None)
             for c in open_now if c.id in public.index
             and not (public.outcome(c.id).counted and public.outcome(c.id).kind == "success")}
    return effect, public.jss_with(worst) if worst else base
