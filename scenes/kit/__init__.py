"""The drawing kit: what every story scene is built from.

story     StoryScene: adds, times and says what its parts build (at most 20 methods)
plot      Plot: the frame's regions, the axes and curves or the contour plane, annotations
panels    Column: the panel column (title, readouts, legend)
pointers  Pointers: step arrows, the gradient's own step, tangents, state bars
balls     build_ball (dot, trail, beads, edge marker) and Cast, the balls on screen
recorder  BeatRecorder: the beats as shown, written as NAME.beats.json
stage     Stage: what the parts need of their scene (a Protocol)
captions  the caption line, as large as fits
step      StepArrow and Tangent: the step a ball is about to take, the slope where it is
bars      StateBars: an optimizer's per-coordinate state (adagrad's, rmsprop's s)
readouts  Readouts, the panel of live numbers as a mobject
axes      axes with round ticks, curves sampled from a landscape
contour   ContourPlane, the view from above (height as colour bands, iso-lines on top)
markers   how balls, trails and beads are drawn: marker shapes, edges, dashed trails
surface   SurfaceScene, the 3D view
numbers   LiveNumber, a number rewritten in place each frame
mathtext  MathTex when TeX is there, Unicode text otherwise
palette   every colour, by role, one Palette per theme
labels    where annotations go, clear of what is drawn

The words on screen and their translation live below the kit and the narration: scenes.words.
"""
