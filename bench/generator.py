"""Deterministic synthetic report projects: N contracts over ten years, in the record format.

Used by ``bench/run.py`` (speed) and by the robustness tests. The output depends only on
``n``, ``seed`` and ``as_of``: a seeded ``random.Random``, no wall clock, no hash order.

The mix imitates a busy freelancer (or an agency) on the platform:

- about 60% fixed-price and 40% hourly contracts; hourly ones are paid weekly over weeks or
  months, and a few long-term retainers run for years;
- about 15% are still open, a third of those dormant (no payment for months);
- feedback is mostly 5 stars, some 4.x, a few negatives, a fifth of the contracts have none,
  a few carry the private 0-10 recommend value;
- some refunds, a few disputes, clients flagged by the platform, feedback removed with the
  Top Rated perk, records with ``earned`` instead of itemised payments;
- about N/3 distinct clients, some of them coming back many times.

Files: ``content/profile.yml`` (with snapshots), ``content/contracts/<year>.yml`` (one file
per start year, so a rebuild after one changed file can be measured) and one scenario file.

The ``longterm`` shape (``--shape longterm``, see ``_LongTermGen``) is a different history:
mostly long-running hourly contracts paid every week or two for months or years, about eight
contracts per client, a fifth still open; several times the payments per contract.

CLI: ``python bench/generator.py N OUTDIR [--seed S] [--as-of YYYY-MM-DD] [--shape SHAPE]
[--force]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

AS_OF = dt.date(2026, 6, 30)
SPAN_DAYS = 3652  # ten years
SCORE_NAMES = ("skills", "quality", "availability", "deadlines", "communication", "cooperation")

_FIRST = (
    "Acme", "Alder", "Amber", "Apex", "Arbor", "Aspen", "Atlas", "Aurora", "Azure", "Basil",
    "Beacon", "Birch", "Bloom", "Bolt", "Brook", "Cedar", "Cinder", "Cobalt", "Comet", "Coral",
    "Crest", "Cypress", "Delta", "Dune", "Ember", "Fable", "Fern", "Fjord", "Flint", "Forge",
    "Garnet", "Glacier", "Granite", "Grove", "Harbor", "Haven", "Hazel", "Heron", "Indigo", "Iris",
    "Ivory", "Jade", "Juniper", "Kestrel", "Lagoon", "Larch", "Lumen", "Lynx", "Maple", "Meadow",
    "Mesa", "Nimbus", "North", "Oak", "Onyx", "Opal", "Orbit", "Orchid", "Pebble", "Pine", "Prism",
    "Quartz", "Quill", "Raven", "Ridge", "River", "Sable", "Sage", "Slate", "Solar", "Spruce",
    "Summit", "Tidal", "Topaz", "Tundra", "Umber", "Vale", "Vertex", "Willow", "Zephyr"
)
_SECOND = (
    "Analytics", "Apparel", "Apps", "Bakery", "Books", "Brewing", "Capital", "Care", "Clinic",
    "Cloud", "Coffee", "Consulting", "Dental", "Design", "Digital", "Education", "Energy",
    "Events", "Farms", "Finance", "Fitness", "Foods", "Games", "Health", "Homes", "Hotels",
    "Insurance", "Interiors", "Labs", "Legal", "Logistics", "Marketing", "Media", "Motors",
    "Music", "Outdoors", "Pets", "Photo", "Print", "Realty", "Robotics", "Security", "Software",
    "Sports", "Supply", "Systems", "Tech", "Travel", "Wellness"
)
_THIRD = ("", "", "", "Inc.", "LLC", "Ltd", "GmbH", "Co.", "& Partners", "Group", "Studio")
_ODD_CLIENTS = ("Café Müller", "O'Brien & Sons", "Søren Ståhl AB", "Zoë <Studio>", "Ñandú S.A.")
_TITLES_FIXED: tuple[str, ...] = (
    "Logo design", "Brochure", "Business cards", "Landing page", "Pitch deck", "Icon set",
    "Packaging design", "Flyer", "Web banner", "Email template", "Book cover", "Infographic",
    "Product photos retouch", "WordPress fix", "Data cleanup", "Translation", "Press release",
    "Blog articles", "Slide template", "App mockups", "Label design", "Menu design",
)
_TITLES_HOURLY: tuple[str, ...] = (
    "Social media management", "Website maintenance", "Data entry", "Bookkeeping support",
    "Virtual assistance", "Frontend development", "Backend API work", "Copywriting",
    "Customer support", "SEO optimisation", "Video editing", "Ad campaign management",
    "Research assistant", "QA testing", "Design support", "Shopify store updates",
)
_TITLES_RETAINER: tuple[str, ...] = (
    "Monthly design retainer", "Ongoing development", "Marketing retainer",
    "Long-term bookkeeping", "Content retainer",
)
_COMMENTS_GOOD = (
    "Great work, fast and clear communication.", "Excellent as always!",
    "Delivered ahead of schedule. Will hire again.", "A pleasure to work with.",
    "Very professional, highly recommended.", "Solid work and quick turnaround.",
)
_COMMENTS_MID = (
    "Good work overall, a few revisions needed.", "Fine, but deadlines slipped a bit.",
    "Did the job.",
)
_COMMENTS_BAD = (
    "Missed deadlines and stopped responding.", "Not what we asked for.",
    "Quality below expectations.",
)
_NOTES = (
    "Client asked for a **rush** delivery; see the thread.",
    "Came back for new work on a separate contract.",
    "Paid a bonus on top of the milestone.",
    "Scope changed twice:\n\n- v1 rejected\n- v2 accepted",
)


@dataclass
class _Contract:
    """A record being built; ``fields`` keeps the record's keys in writing order."""

    start: dt.date
    fields: dict[str, object] = field(default_factory=dict)


class _Gen:
    """The default shape: mostly short contracts, about three per client."""

    FIXED_SHARE = 0.6
    OPEN_SHARE = 0.15
    CONTRACTS_PER_CLIENT = 3

    def __init__(self, n: int, seed: int, as_of: dt.date) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.first_day = as_of - dt.timedelta(days=SPAN_DAYS - 1)

    # -- helpers --------------------------------------------------------------------------

    def day(self, offset: int) -> dt.date:
        return self.first_day + dt.timedelta(days=offset)

    def growth_offset(self) -> int:
        """A start day; the business grows, so later years hold more contracts."""
        u = self.rng.random()
        x = -0.5 + math.sqrt(0.25 + 2 * u)  # density proportional to 0.5 + x on [0, 1]
        return min(SPAN_DAYS - 1, int(x * SPAN_DAYS))

    def rate(self, when: dt.date) -> float:
        """Hourly rate: grows over the ten years, with some spread per client."""
        years = (when - self.first_day).days / 365.25
        return round((20 + 4 * years) * self.rng.uniform(0.8, 1.25), 2)

    def fixed_price(self, when: dt.date) -> float:
        years = (when - self.first_day).days / 365.25
        return round(math.exp(self.rng.uniform(math.log(60), math.log(3000))) * (1 + years / 8), 2)

    def weekly(self, start: dt.date, weeks: int, rate: float, step: int = 7,
               paid_share: float = 0.85) -> list[tuple[dt.date, float]]:
        rng = self.rng
        out = []
        for w in range(1, weeks + 1):
            if rng.random() < paid_share or w == weeks:
                hours = rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30)) * rng.uniform(0.7, 1)
                out.append((start + dt.timedelta(days=w * step), round(rate * hours, 2)))
        return out

    def clients(self) -> list[str]:
        count = max(1, round(self.n / self.CONTRACTS_PER_CLIENT))
        rng = self.rng
        names: set[str] = set()
        out: list[str] = []
        odd = list(_ODD_CLIENTS)
        while len(out) < count:
            if odd and rng.random() < 0.002:
                name = odd.pop()
            else:
                parts = [rng.choice(_FIRST), rng.choice(_SECOND), rng.choice(_THIRD)]
                name = " ".join(p for p in parts if p)
            if name in names:
                name = f"{name} {len(out)}"
            names.add(name)
            out.append(name)
        return out

    # -- contracts ------------------------------------------------------------------------

    def contracts(self) -> list[_Contract]:
        rng = self.rng
        clients = self.clients()
        flagged = {c for c in clients if rng.random() < 0.01}
        weights = [rng.paretovariate(2.0) for _ in clients]
        # Every client has at least one contract; the rest go to returning clients.
        owners = list(clients) + rng.choices(clients, weights, k=max(0, self.n - len(clients)))
        owners = owners[: self.n]
        rng.shuffle(owners)
        out = []
        for i, client in enumerate(owners):
            c = self.contract(i, client)
            if client in flagged:
                c.fields["client_flagged"] = True
            out.append(c)
        return out

    def contract(self, i: int, client: str) -> _Contract:
        rng = self.rng
        kind = "fixed" if rng.random() < self.FIXED_SHARE else "hourly"
        if rng.random() < self.OPEN_SHARE:
            pays, start, extra = self.open_schedule(kind)
            end = None
        else:
            pays, start, end = self.ended_schedule(kind)
            extra = {}
        titles = _TITLES_FIXED if kind == "fixed" else _TITLES_HOURLY
        if kind == "hourly" and len(pays) > 80:
            titles = _TITLES_RETAINER
        title = rng.choice(titles)
        cid = f"{_slug(client)}-{_slug(title)}-{i + 1}"
        f: dict[str, object] = {"id": cid, "client": client, "title": title, "type": kind,
                                "start": start}
        if end is not None:
            f["end"] = end
        total = round(sum(a for _, a in pays), 2)
        if pays and end is not None and rng.random() < 0.06:
            f["earned"] = total  # older records were often kept as totals only
            f["last_payment"] = pays[-1][0]
        elif pays:
            f["payments"] = pays
        f.update(extra)
        if end is not None:
            self.ending(f, end, total, bool(pays))
        if rng.random() < 0.02:
            f["notes"] = rng.choice(_NOTES)
        return _Contract(start, f)

    def ended_schedule(self, kind: str) -> tuple[list[tuple[dt.date, float]], dt.date, dt.date]:
        rng = self.rng
        start = self.day(self.growth_offset())
        if kind == "fixed":
            days = max(1, int(rng.lognormvariate(math.log(14), 0.8)))
            price = self.fixed_price(start)
            parts = 1 if rng.random() < 0.7 else rng.randint(2, 4)
            pays = []
            for k in range(parts, 0, -1):
                when = start + dt.timedelta(days=max(1, days * (parts - k + 1) // parts))
                pays.append((when, round(price / parts, 2)))
        else:
            u = rng.random()
            if u < 0.45:
                weeks = rng.randint(1, 4)
            elif u < 0.86:
                weeks = rng.randint(5, 20)
            elif u < 0.98:
                weeks = rng.randint(21, 78)
            else:
                weeks = rng.randint(78, 208)  # long-term retainer
            pays = self.weekly(start, weeks, self.rate(start))
        end = pays[-1][0] + dt.timedelta(days=rng.randint(0, 3))
        if rng.random() < 0.02:
            pays = []  # ended before anything was paid
        latest = self.as_of - dt.timedelta(days=rng.randint(1, 20))
        if end > latest:  # shift the whole contract back so that it ended before as_of
            back = end - latest
            start, end = start - back, end - back
            pays = [(d - back, a) for d, a in pays]
        return pays, start, end

    def open_schedule(
        self, kind: str
    ) -> tuple[list[tuple[dt.date, float]], dt.date, dict[str, object]]:
        rng = self.rng
        as_of = self.as_of
        u = rng.random()
        extra: dict[str, object] = {}
        if u < 0.35:  # active
            if kind == "hourly":
                start = as_of - dt.timedelta(days=rng.randint(14, 400))
                weeks = max(1, (as_of - start).days // 7 - rng.randint(0, 1))
                pays = self.weekly(start, weeks, self.rate(start))
            else:
                start = as_of - dt.timedelta(days=rng.randint(3, 75))
                pays = []
                if rng.random() < 0.5 and (as_of - start).days > 10:
                    pays = [(start + dt.timedelta(days=7), self.fixed_price(start) / 2)]
                extra["last_activity"] = as_of - dt.timedelta(days=rng.randint(0, 2))
        elif u < 0.70:  # dormant: nothing paid for months
            start = as_of - dt.timedelta(days=rng.randint(150, 1000))
            quiet = rng.randint(90, (as_of - start).days - 30)
            stop = as_of - dt.timedelta(days=quiet)
            if kind == "hourly":
                pays = self.weekly(start, max(1, (stop - start).days // 7), self.rate(start))
            else:
                pays = [] if rng.random() < 0.2 else [(stop, self.fixed_price(start))]
            last = pays[-1][0] if pays else start
            extra["last_activity"] = last + dt.timedelta(days=rng.randint(0, 5))
        elif u < 0.85:  # long-term retainer, still paying
            start = as_of - dt.timedelta(days=rng.randint(300, 1200))
            step = rng.choice((7, 14, 30, 30))
            pays = self.weekly(start, (as_of - start).days // step, self.rate(start), step, 0.95)
        else:  # paused hourly
            start = as_of - dt.timedelta(days=rng.randint(120, 700))
            stop = as_of - dt.timedelta(days=rng.randint(30, 110))
            if kind == "hourly":
                pays = self.weekly(start, max(1, (stop - start).days // 7), self.rate(start))
                extra["paused"] = True
            else:
                pays = [(stop, self.fixed_price(start))]
        pays = [(d, round(a, 2)) for d, a in pays if d <= as_of]
        return pays, start, extra

    def ending(self, f: dict[str, object], end: dt.date, total: float, paid: bool) -> None:
        """Feedback, who ended it and why, refunds and disputes of an ended contract."""
        rng = self.rng
        u = rng.random()
        reason = "completed"
        feedback: dict[str, object] | None = None
        refunded = 0.0
        if u < 0.004:
            reason = "dispute"
            f["dispute"] = True
            if rng.random() < 0.5:
                feedback = self.feedback(end, rng.uniform(1.0, 2.5))
            if paid:
                refunded = round(total * rng.uniform(0.2, 1.0), 2)
        elif u < 0.009 and paid:
            reason = "refunded"
            refunded = total
        elif u < 0.04:
            reason = "unresponsive"
        elif u < 0.08:
            reason = "cancelled"
            if rng.random() < 0.3:
                feedback = self.feedback(end, rng.uniform(1.0, 4.0))
        elif u < 0.10:
            reason = "other"
        else:
            if paid and rng.random() < 0.025:
                refunded = round(total * rng.uniform(0.05, 0.5), 2)
            if rng.random() < 0.80:
                v = rng.random()
                if v < 0.78:
                    stars = 5.0
                elif v < 0.93:
                    stars = rng.uniform(4.0, 4.95)
                elif v < 0.96:
                    stars = rng.uniform(3.5, 4.0)
                else:
                    stars = rng.uniform(1.0, 3.4)
                feedback = self.feedback(end, stars)
        if rng.random() < 0.9:  # older records often say nothing about the ending
            by = "freelancer" if reason == "unresponsive" else "client"
            if reason == "completed" and rng.random() < 0.3:
                by = "freelancer"
            if reason == "dispute" and rng.random() < 0.5:
                by = "platform"
            f["ended_by"] = by
            f["end_reason"] = reason
        if refunded:
            f["refunded"] = refunded
        if feedback is not None:
            f["feedback"] = feedback
            given = feedback["stars"]
            if isinstance(given, float) and given < 3 and rng.random() < 0.15:
                f["removed"] = True  # the Top Rated feedback-removal perk
        if rng.random() < 0.05:
            f["last_activity"] = end

    def feedback(self, end: dt.date, stars: float) -> dict[str, object]:
        rng = self.rng
        when = min(self.as_of, end + dt.timedelta(days=rng.randint(0, 14)))
        fb: dict[str, object] = {"date": when}
        if rng.random() < 0.4:
            base = min(5, max(1, round(stars)))
            scores = {n: min(5, max(1, base + rng.choice((0, 0, 0, -1, 1)))) for n in SCORE_NAMES}
            if stars >= 5.0:
                scores = dict.fromkeys(SCORE_NAMES, 5)
            stars = sum(scores.values()) / len(scores)
            fb["stars"] = round(stars, 2)
            fb["scores"] = scores
        else:
            fb["stars"] = 5.0 if stars >= 5.0 else round(stars, 1)
        if rng.random() < 0.08:
            if stars >= 4.8:
                # now and then a hidden detractor behind 5 stars
                fb["recommend"] = rng.choice((10, 10, 9, 9, 8, 6))
            elif stars >= 4.0:
                fb["recommend"] = rng.randint(5, 9)
            else:
                fb["recommend"] = rng.randint(0, 5)
        if rng.random() < 0.5:
            if stars >= 4.8:
                fb["comment"] = rng.choice(_COMMENTS_GOOD)
            elif stars >= 4.0:
                fb["comment"] = rng.choice(_COMMENTS_MID)
            else:
                fb["comment"] = rng.choice(_COMMENTS_BAD)
        return fb


class _LongTermGen(_Gen):
    """The ``longterm`` shape: long-running hourly work for clients who keep coming back.

    About 70% hourly contracts running for months or years (median about eight months), paid
    every week or two; about eight contracts per client; a fifth still open, most of those
    long-term contracts that are still paying. Many more payments per contract than the
    default shape: the shape that makes any per-payment, per-week work show.
    """

    FIXED_SHARE = 0.3
    OPEN_SHARE = 0.2
    CONTRACTS_PER_CLIENT = 8

    def ended_schedule(self, kind: str) -> tuple[list[tuple[dt.date, float]], dt.date, dt.date]:
        if kind == "fixed":
            return super().ended_schedule(kind)
        rng = self.rng
        start = self.day(self.growth_offset())
        step = rng.choice((7, 14, 14))
        days = min(2000, max(42, int(rng.lognormvariate(math.log(240), 0.8))))
        pays = self.weekly(start, max(1, days // step), self.rate(start), step, 0.92)
        end = pays[-1][0] + dt.timedelta(days=rng.randint(0, 3))
        latest = self.as_of - dt.timedelta(days=rng.randint(1, 20))
        if end > latest:  # shift the whole contract back so that it ended before as_of
            back = end - latest
            start, end = start - back, end - back
            pays = [(d - back, a) for d, a in pays]
        return pays, start, end

    def open_schedule(
        self, kind: str
    ) -> tuple[list[tuple[dt.date, float]], dt.date, dict[str, object]]:
        if kind == "fixed":
            return super().open_schedule(kind)
        rng = self.rng
        as_of = self.as_of
        step = rng.choice((7, 14))
        u = rng.random()
        extra: dict[str, object] = {}
        if u < 0.7:  # long-term, still paying
            start = as_of - dt.timedelta(days=rng.randint(60, 1500))
            pays = self.weekly(start, (as_of - start).days // step, self.rate(start), step, 0.92)
        elif u < 0.9:  # dormant: paid for months, then nothing for months
            start = as_of - dt.timedelta(days=rng.randint(300, 1500))
            stop = as_of - dt.timedelta(days=rng.randint(91, 240))
            pays = self.weekly(start, max(1, (stop - start).days // step), self.rate(start), step)
            last = pays[-1][0] if pays else start
            extra["last_activity"] = last + dt.timedelta(days=rng.randint(0, 5))
        else:  # paused
            start = as_of - dt.timedelta(days=rng.randint(200, 900))
            stop = as_of - dt.timedelta(days=rng.randint(30, 110))
            pays = self.weekly(start, max(1, (stop - start).days // step), self.rate(start), step)
            extra["paused"] = True
        pays = [(d, round(a, 2)) for d, a in pays if d <= as_of]
        return pays, start, extra

    def ending(self, f: dict[str, object], end: dt.date, total: float, paid: bool) -> None:
        """As in the default shape, with more middling stars: a score in the 80s, below Top
        Rated, so the report projects when Top Rated could come back."""
        super().ending(f, end, total, paid)
        feedback = f.get("feedback")
        if isinstance(feedback, dict) and self.rng.random() < 0.2:
            feedback["stars"] = round(self.rng.uniform(3.0, 4.7), 1)
            feedback.pop("scores", None)


SHAPES: dict[str, type[_Gen]] = {"default": _Gen, "longterm": _LongTermGen}


# -- writing ------------------------------------------------------------------------------


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower().encode("ascii", "ignore").decode())
    return "-".join(words[:2]) or "x"


def _scalar(value: object) -> str:
    if value is True:
        return "true"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # A JSON string is a valid YAML double-quoted scalar (and "No" stays text).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r}")


def _contract_yaml(c: _Contract) -> str:
    lines = []
    for i, (key, value) in enumerate(c.fields.items()):
        lead = "  - " if i == 0 else "    "
        if key == "id":
            lines.append(f"{lead}id: {value}")
        elif key == "payments":
            assert isinstance(value, list)
            lines.append(f"{lead}payments:")
            lines.extend(f"      - {{date: {d.isoformat()}, amount: {a:.2f}}}" for d, a in value)
        elif key == "feedback":
            assert isinstance(value, dict)
            stars = value["stars"]
            assert isinstance(stars, float)
            fb = dict(value)
            fb["stars"] = f"{stars:.2f}".rstrip("0").rstrip(".") if stars != 5.0 else "5.0"
            parts = []
            for k, v in fb.items():
                parts.append(f"{k}: {v}" if k == "stars" else f"{k}: {_scalar(v)}")
            lines.append(f"{lead}feedback: {{{', '.join(parts)}}}")
        elif key in ("type", "ended_by", "end_reason"):
            lines.append(f"{lead}{key}: {value}")
        elif key == "notes":
            assert isinstance(value, str)
            lines.append(f"{lead}notes: |")
            lines.extend(f"      {line}" if line else "" for line in value.split("\n"))
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def project_files(n: int, seed: int = 0, as_of: dt.date = AS_OF,
                  shape: str = "default") -> dict[str, str]:
    """The generated project as ``{relative path: text}``; same arguments, same texts."""
    gen = SHAPES[shape](n, seed, as_of)
    contracts = gen.contracts()
    named = "" if shape == "default" else f", shape {shape}"
    header = (f"# generated by bench/generator.py: {n} contracts, seed {seed}, as of {as_of}"
              f"{named}\n")
    by_year: dict[int, list[_Contract]] = {}
    for c in sorted(contracts, key=lambda c: (c.start, str(c.fields["id"]))):
        by_year.setdefault(c.start.year, []).append(c)
    files: dict[str, str] = {}
    for year, items in sorted(by_year.items()):
        body = "".join(_contract_yaml(c) for c in items)
        files[f"content/contracts/{year}.yml"] = f"{header}contracts:\n{body}"
    files["content/profile.yml"] = (
        f"{header}name: Bench Freelancer\ncurrency: USD\nrules: auto\nas_of: {as_of}\n"
        "snapshots:\n"
        f"  - {{date: {as_of - dt.timedelta(days=200)}, jss: 93, would_recommend: 88}}\n"
        f"  - {{date: {as_of - dt.timedelta(days=100)}, jss: 91}}\n"
        f"  - {{date: {as_of - dt.timedelta(days=16)}, jss: 92, would_recommend: 87}}\n"
    )
    quiet = [c for c in contracts if "end" not in c.fields and _quiet(c, as_of)]
    if quiet:
        actions = "".join(
            f"  - {{close: {c.fields['id']}, on: {as_of + dt.timedelta(days=14 * (k + 1))}, "
            "feedback: {stars: 5}}\n"
            for k, c in enumerate(quiet[:3])
        )
        files["content/scenarios/close-quiet.yml"] = (
            f"{header}name: Close the quiet contracts\nactions:\n{actions}"
        )
    return files


def _quiet(c: _Contract, as_of: dt.date) -> bool:
    last = c.fields.get("last_activity")
    return isinstance(last, dt.date) and (as_of - last).days > 90


def generate(n: int, out: Path, seed: int = 0, as_of: dt.date = AS_OF,
             shape: str = "default") -> list[Path]:
    """Write the project into ``out`` (replacing its ``content/``); returns the record files."""
    files = project_files(n, seed, as_of, shape)
    shutil.rmtree(out / "content", ignore_errors=True)
    written = []
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return sorted(written)


def record_files(project: Path) -> list[Path]:
    """Every YAML file the build reads from ``content/``, in a stable order."""
    return sorted(p for p in (project / "content").rglob("*.yml") if p.is_file())


_AMOUNT = re.compile(r"amount: (\d+\.\d\d)")


def change_one_amount(path: Path, delta: float = 1.0) -> None:
    """Edit one record file as a person would: the last payment amount grows by ``delta``."""
    text = path.read_text(encoding="utf-8")
    found = list(_AMOUNT.finditer(text))
    if not found:
        raise ValueError(f"{path} has no payment amount to change")
    last = found[-1]
    new = f"amount: {float(last.group(1)) + delta:.2f}"
    path.write_text(text[: last.start()] + new + text[last.end():], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="number of contracts")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    parser.add_argument("--force", action="store_true", help="replace an existing content/")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="default",
                        help="default: mostly short contracts; longterm: long-running hourly "
                        "contracts paid every week or two, clients coming back often")
    args = parser.parse_args(argv)
    if (args.outdir / "content").exists() and not args.force:
        print(f"{args.outdir / 'content'} exists; use --force to replace it", file=sys.stderr)
        return 1
    written = generate(args.n, args.outdir, args.seed, args.as_of, args.shape)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files, {size / 1e6:.1f} MB, into {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
