"""The Explain page's summary in words (``explain.Explanation.summary``)."""

from __future__ import annotations

from jssreport.advice.explanation import Explanation
from jssreport.model.rules import RULESETS


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summary(e: Explanation, n_rated: int, same_clients: bool) -> str:
    obs = e.observed
    who = "clients" if same_clients else "contracts' clients"
    parts = []
    pub = e.estimate_public_only
    if pub is not None and obs.jss is not None:
        gap = obs.jss - pub
        unit = "point" if abs(gap) == 1 else "points"
        diff = "the same" if gap == 0 else \
            f"{abs(gap)} {unit} {'lower' if gap < 0 else 'higher'}"
        parts.append(f"From public feedback alone the model estimates {pub}% on "
                     f"{obs.date.isoformat()} ({e.rules} rules); the platform showed "
                     f"{obs.jss}%, {diff}.")
    elif obs.jss is not None:
        parts.append(f"From public feedback alone the model shows no score on "
                     f"{obs.date.isoformat()}; the platform showed {obs.jss}%.")
    if e.method == "none":
        parts.append("No rated contract has an unknown private rating, so there is nothing "
                     "hidden to infer.")
    elif e.most_likely_count is not None:
        chosen = {cid for cid, state in e.best_fit if state != "positive"}
        top = [s for s in e.contracts if s.id in chosen] or \
            [s for s in e.contracts if s.informative][: min(3, max(1, e.most_likely_count))]
        names = _and([f"{s.id} ({s.probability:.0%})" for s in top])
        wr = (f", consistent with {obs.would_recommend}% would recommend"
              if obs.would_recommend is not None else "")
        if e.most_likely_count == 0:
            parts.append("The likeliest explanation needs no hidden poor rating: every rated "
                         f"client most likely recommends you{wr}.")
        else:
            parts.append(f"The likeliest explanation: {e.most_likely_count} of your {n_rated} "
                         f"rated {who} would not recommend you in the private feedback you "
                         f"never see{wr}; most likely {names}.")
        if e.best_fit_jss is not None and obs.jss is not None \
                and abs(e.best_fit_jss - obs.jss) > e.sigma + 0.5:
            parts.append(f"No combination reproduces {obs.jss}% closely (the best gives "
                         f"{e.best_fit_jss}%): something outside the records is likely.")
    else:
        parts.append("No combination of private ratings reproduces the observation under the "
                     "model: something outside the records is likely (a missing contract, a "
                     "dispute, another rule set).")
    parts.append(_open_sentence(e))
    until = RULESETS[e.rules].private_ratings_until if e.rules in RULESETS else None
    if until is not None and obs.date >= until:
        parts.append(f"Private would-recommend ratings are gone for contracts ending from "
                     f"{until.isoformat()} (our assumption: no date was published), so hidden "
                     "ratings can only come from contracts that ended before.")
    return " ".join(parts)


def _open_sentence(e: Explanation) -> str:
    obs = e.observed
    if e.open_effect is None:
        return "Without a score, the open contracts' part cannot be measured."
    if e.open_effect == 0:
        text = (f"Open contracts are not the cause: on {obs.date.isoformat()} none of them counts "
                f"against you under the {e.rules} rules (taking them out changes nothing).")
        if e.open_worst is not None and obs.jss is not None and e.open_worst != \
                e.estimate_public_only:
            could = abs(e.open_worst - obs.jss) <= e.sigma + 0.5
            text += (f" Even if every unpaid open contract already counted as a no-feedback "
                     f"outcome, the estimate would be {e.open_worst}%"
                     + ("; that is close, but under these rules they do not count yet."
                        if could else ", still far from what the platform showed."))
        return text
    return (f"Open contracts that count as no-feedback outcomes under the {e.rules} rules cost "
            f"{-e.open_effect:+d} points on {obs.date.isoformat()}; they explain part of the "
            "gap.")
