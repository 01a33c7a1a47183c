"""Where rounds and returns are kept: the small interface the round logic needs."""

from __future__ import annotations

from typing import Protocol

from reportgen.plan import Plan
from reportgen.rounds.model import Return, Round


class RoundRepository(Protocol):
    """Append-only storage of rounds and their returns (one per archive database)."""

    def add_round(self, round_: Round, plan: Plan) -> Round:
        """Store a new round (and its plan's content); return it with its id."""
        ...

    def find_round(self, plan_id: str, period: str) -> Round | None:
        """The round of a plan and period, if one was opened."""
        ...

    def rounds(self, plan_id: str | None = None) -> list[Round]:
        """Every round, oldest first, optionally of one plan."""
        ...

    def plan_of(self, round_: Round) -> Plan:
        """The plan exactly as it was when the round was opened."""
        ...

    def add_return(self, record: Return) -> Return:
        """Store a received return; return it with its id."""
        ...

    def returns(self, round_id: int) -> list[Return]:
        """Every return of a round in the order received."""
        ...
