"""A real network's loss, for the chapter's first idea on a real model.

data.py draws seeded samples (a training sample: the empirical risk; a large fresh one: the
risk), models.py builds small torch models, train.py trains them with any optimizer the
project rolls and records every step, plane.py projects the path onto a plane through
parameter space, surface.py evaluates both losses over that plane in batches, claims.py says
what a caption may say about it. Numbers only: no manim, no argparse, no scene's name.
"""

# A network's Settings hold its optimizer; `Settings` validates against a landscape, so they
# name this one, which is never drawn (the surface is the model's loss over a plane)
STAND_IN = "bowl"
