"""Advice over the model: what to do about each contract, and what the score will do.

Pure functions over frozen records (no I/O, no templates, no charts). Every effect and
projection is computed by re-running the model on modified contract lists.
"""

from jssreport.advice.actions import ACTIONS, Recommendation, recommend
from jssreport.advice.dormancy import Dormancy, OpenStatus, classify_open
from jssreport.advice.explain import Explanation, Suspect, explain
from jssreport.advice.plan import (
    PathResult,
    PlanStep,
    RollOff,
    SizePath,
    closing_plan,
    path_to,
    paths_to,
    rolloff_calendar,
)
from jssreport.advice.scenarios import (
    Projection,
    apply_scenario,
    project_baseline,
    project_scenario,
)
from jssreport.advice.toprated import (
    CheckItem,
    RemovalPerk,
    TopRatedStatus,
    removal_perk,
    top_rated,
)

__all__ = [
    "ACTIONS", "CheckItem", "Dormancy", "Explanation", "OpenStatus", "PathResult", "PlanStep",
    "Projection", "Recommendation", "RemovalPerk", "RollOff", "SizePath", "Suspect",
    "TopRatedStatus", "apply_scenario", "classify_open", "closing_plan", "explain",
    "path_to", "paths_to", "project_baseline", "project_scenario", "recommend",
    "removal_perk", "rolloff_calendar", "top_rated",
]
