"""The days without a payment or activity after which an open contract is quiet, then dormant:
one type, read by the settings, the Contracts table and the advice (see advice.dormancy for the
rule and its sources)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dormancy:
    """Days without payment or activity after which an open contract is quiet / dormant."""

    hourly_quiet: int = 14
    hourly_dormant: int = 30
    fixed_quiet: int = 30
    fixed_dormant: int = 76

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> Dormancy:
        """From ``{hourly: {quiet, dormant}, fixed: {quiet, dormant}}`` (any part optional)."""
        if not mapping:
            return cls()
        values = {}
        for kind in ("hourly", "fixed"):
            part = mapping.get(kind) or {}
            for level in ("quiet", "dormant"):
                if part.get(level) is not None:
                    values[f"{kind}_{level}"] = int(part[level])
        result = cls(**values)
        for kind in ("hourly", "fixed"):
            quiet, dormant = result.thresholds(kind)
            if not 0 < quiet <= dormant:
                raise ValueError(f"dormancy.{kind}: need 0 < quiet <= dormant, "
                                 f"got quiet {quiet}, dormant {dormant}")
        return result

    def thresholds(self, contract_type: str) -> tuple[int, int]:
        if contract_type == "hourly":
            return self.hourly_quiet, self.hourly_dormant
        return self.fixed_quiet, self.fixed_dormant

    def source(self, contract_type: str) -> str:
        """Why the dormant threshold is where it is."""
        if contract_type == "hourly":
            return "the platform warns hourly clients after 30 days of inactivity"
        return ("the platform's first notice (day 76) before it closes a fixed-price contract "
                "with escrow 90 days after the last milestone")
