"""Drawing the before-and-after check: one question of each parallel pair before, the other after.

A learner's draw comes from a random.Random seeded with their learner id, so the "before" and
"after" pages (and every reload) agree on which question of each pair the learner gets, and
the "after" question is never the one they answered before.
"""

from __future__ import annotations

import random
from typing import Final, Literal

from ..content.checks import Checks
from ..content.model import Question, Quiz

Stage = Literal["before", "after"]
STAGES: Final[tuple[Stage, Stage]] = ("before", "after")
# The lesson ids the checks' answers are saved under (content lesson ids never look like these).
CHECK_LESSON_IDS: Final[dict[Stage, str]] = {"before": "check-before", "after": "check-after"}


def draw_sides(checks: Checks, rng: random.Random) -> tuple[int, ...]:
    """For each pair, which of its two questions (0 or 1) comes before; after gets the other."""
    return tuple(rng.randrange(2) for _ in checks.pairs)


def check_questions(checks: Checks, stage: Stage, rng: random.Random) -> tuple[Question, ...]:
    """The questions of one stage of the check, in course order, drawn with `rng`."""
    sides = draw_sides(checks, rng)
    offset = 0 if stage == "before" else 1
    return tuple(
        pair.questions[(side + offset) % 2] for pair, side in zip(checks.pairs, sides, strict=True)
    )


def check_quiz(checks: Checks, stage: Stage, rng: random.Random) -> Quiz:
    """One stage of the check as a quiz (questions not shuffled; choices are, by the session)."""
    return Quiz(check_questions(checks, stage, rng), title=checks.title, shuffle=True)


def learner_rng(learner_id: str) -> random.Random:
    """The random source of one learner's draw: the same on every page and every reload."""
    return random.Random(f"spasm-check:{learner_id}")  # noqa: S311 (a draw, not security)
