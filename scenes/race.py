"""A fair race on a landscape with known minima: each optimizer's learning rate is tuned for
this landscape and start first (landscapes/tune.py, a log grid), then every ball starts from the
same point; the legend shows each tuned η, the verdicts the order of arrival."""

from __future__ import annotations

from scenes.compare import CompareOptimizersPlane


class Race(CompareOptimizersPlane):
    """compare's view from above, its balls at their tuned rates, its words the race's."""

    story_name = "race"
