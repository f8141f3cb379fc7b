"""A story's words as data: for each beat its caption, its labels and the claims behind them.

Computed from the trajectories without manim, so that every sentence a scene shows can be
tested over thousands of settings: a narrator (one per scene, in the modules beside this
one) evaluates the claims of `landscapes.claims` on the run and says the book's sentence
only where its claims hold; where one does not, the beat says what did happen, from the
same vocabulary, with the run's numbers (`describe`). The scene draws the beats; the
narrator never touches a mobject.
"""
