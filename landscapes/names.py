"""The names the rest of the package and the command line share: optimizers, their
hyper-parameters and state, schedules, landscapes. Nothing here imports anything, so
`roll --help` can list them without torch, and no module imports another through it.
"""

OPTIMIZERS = ("gd", "sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "newton")
SCHEDULES = ("constant", "exponential", "polynomial")

# The hyper-parameters each optimizer has, under the book's names (its code's variables).
# adadelta has no learning rate: its step is sqrt(Δx + 1e-5)/sqrt(s + 1e-5)·g, so neither
# lr nor schedule is in force for it. noise is sgd's (and the stateful rules'), never gd's or newton's.
HYPERPARAMETERS: dict[str, tuple[str, ...]] = {
    "gd": ("lr", "schedule"),
    "sgd": ("lr", "schedule", "noise"),
    "momentum": ("lr", "schedule", "beta", "noise"),
    "adagrad": ("lr", "schedule", "noise"),
    "rmsprop": ("lr", "schedule", "gamma", "noise"),
    "adadelta": ("rho", "noise"),
    "adam": ("lr", "schedule", "beta1", "beta2", "noise"),
    "newton": ("lr", "schedule"),
}
# the optimizer's state kept in a trajectory beside the points, under the book's names
STATE_NAMES: dict[str, tuple[str, ...]] = {
    "gd": (),
    "sgd": (),
    "momentum": ("v",),
    "adagrad": ("s",),
    "rmsprop": ("s",),
    "adadelta": ("s", "delta"),
    "adam": ("v", "s"),
    "newton": (),
}
# the chapter's landscapes by name, with their formulas (here, so `--help` imports no torch)
LANDSCAPES: dict[str, str] = {
    "f": "f(x) = x·cos(πx)",
    "g": "g(x) = f(x) + 0.2·cos(5πx)",
    "cube": "f(x) = x³",
    "saddle": "f(x, y) = x² − y²",
    "tanh": "f(x) = tanh(x)",
    "square": "f(x) = x²",
    "xcos": "f(x) = x·cos(0.15πx)",
    "cosh": "f(x) = cosh(0.5x)",
    "bowl": "f(x1, x2) = x1² + 2·x2²",
    "ill": "f(x1, x2) = 0.1·x1² + 2·x2²",
}
