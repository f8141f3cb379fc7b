"""Manim scenes of the chapter's stories, and the `roll` command line.

Scenes draw trajectories computed by `landscapes`; they never compute a gradient.
"""
