"""What the kit's parts need of the scene they draw for: the scene's plot and panel column,
its balls and step tracker, the group of live numbers, and how it adds and moves things. A
Protocol, so the parts name no scene class (StoryScene is one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from manim import ValueTracker, VGroup, VMobject

from scenes.kit.trails import Ball


class Stage(Protocol):
    plot: Any  # scenes.kit.plot.Plot
    column: Any  # scenes.kit.panels.Column
    balls: Any  # scenes.kit.balls.Cast
    step: ValueTracker
    live: VGroup  # the panels' numbers, updated in place while rolling
    movers: list[tuple[VMobject, Callable[[VMobject], None]]]

    def overlay(self, *mobs: VMobject) -> None: ...

    def follow(self, mob: VMobject, ball: Ball, draw: Callable[[int], None]) -> None: ...
