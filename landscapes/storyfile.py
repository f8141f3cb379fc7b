"""Story files: a scene written as data (TOML, read with the standard library's `tomllib`).

`load(path)` reads a file and validates it into a `StoryFile` record, or raises
`StoryFileError` holding one `Fault` per mistake, each with the file's line, the key path
and the fix. Validation runs in two passes: the file's shape (keys, types, names, the
expression's whitelist, every placeholder and claim a caption uses), then, only when the
shape is sound, the run itself (each ball's trajectory), against which every beat's moment
is resolved to a step (`Moment`) and refused when it lies past the run's end.

Numbers only: no drawing, no translation. `story()` turns the record into the same
`Story` the built-in scenes have (the first ball is the main one), so the command line, the
cache and `roll trajectory` treat a file like any scene.
"""

from __future__ import annotations

import math
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SettingsError
from .names import HYPERPARAMETERS, OPTIMIZERS, SCHEDULES
from .settings import MAX_STEPS, Settings

if TYPE_CHECKING:
    from .stories import Story
    from .trajectory import Trajectory

VIEWS = ("curve", "plane", "surface")
REACH = 50.0  # a runaway ball is followed this far from its start when the view is fitted to the paths
SECTIONS = (
    "intro",
    "gd",
    "sgd",
    "momentum",
    "adagrad",
    "rmsprop",
    "adam",
    "beyond",
)  # the book's, as decks head them
TRANSLATIONS = ("zh",)  # the languages a file may give its words in, beside English
# step arrows, the tangent (curves), state bars, the arrow of −η·g alone (planes: what momentum adds)
SHOW = ("steps", "tangent", "bars", "gradient")
POINTS = ("lowest", "minimum", "maximum", "saddle")  # where a label at a critical point may go
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
SPEC = re.compile(r"[<>^]?[+\- ]?0?\d{0,2}(\.\d{1,2})?[eEfFgG%d]?\Z")
BALL_FIELDS = ("x", "y", "x1", "x2", "f", "g", "step", "steps", "status", "lr", "rate", "optimizer", "name")
INT_FIELDS = ("step", "steps", "seed")
STATE_FIELD = re.compile(r"([a-z_]+?)([12])")  # the optimizer's state per coordinate: v1, s2, delta1
STR_FIELDS = ("status", "optimizer", "name")
HYPER_FIELDS = ("beta", "gamma", "rho", "beta1", "beta2", "noise", "seed")
# the claims a beat may ask for (landscapes.claims); arguments in parentheses
CLAIMS = {
    "lowest_minimum": "ends at the lowest minimum in view",
    "local_minimum": "ends in a minimum that is not the lowest in view",
    "maximum": "ends balanced on a maximum",
    "near_saddle": "ends frozen at a saddle point",
    "still_moving": "the steps ran out while the ball was moving: its last 10 steps cover 0.1 % of the view",
    "crawling": "its whole path (every step counted) is shorter than 5 % of the view's width",
    "escaped": "1D: settles in the basin of the lowest minimum in view",
    "arrived": "ends within 1 % of its start's distance from the lowest minimum in view",
    "stalled": "ends over 10 % of its start's distance short of the lowest minimum, never farther out",
    "blew_up": "ended out of view along an axis: blew_up(x2); without one, any axis",
    "off_the_map": "diverged, left the domain, undefined or singular",
    "flat": "|gradient| below 0.01 where it ends",
    "overshooting": "every step jumps past the minimum's coordinate and lands farther: overshooting(x2)",
    "settles_first": "one coordinate settles before the other: settles_first(x2, x1)",
    "optimizer": "the ball's optimizer is the one named: optimizer(adam)",
}
TOP_KEYS = ("name", "title", "section", "theme", "lang", "view", "landscape", "balls", "beats")
LANDSCAPE_KEYS = ("name", "expression", "domain", "window")
BALL_KEYS = (
    "name",
    "label",
    "optimizer",
    "lr",
    "schedule",
    "beta",
    "gamma",
    "rho",
    "beta1",
    "beta2",
    "start",
    "steps",
    "tol",
    "noise",
    "anneal",
    "seed",
    "show",
    "opt",
)
WHEN_KEYS = ("at", "stops", "enters")
BEAT_KEYS = ("caption", *TRANSLATIONS, *WHEN_KEYS, "claims", "show", "labels", "hold", "seconds", "warn")
LABEL_KEYS = ("text", *TRANSLATIONS, "ball", "point")
ENTERS_KEYS = ("ball", "x", "y")


# ---- faults ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Fault:
    """One mistake: where (line, key path) and what to do about it."""

    path: tuple[str | int, ...]
    message: str
    line: int = 0

    @property
    def key(self) -> str:
        return key_path(self.path)

    def render(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.key or '(file)'}: {self.message}"


def key_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class StoryFileError(SettingsError):
    """A story file that cannot be used; `lines` holds one line per fault."""

    def __init__(self, file: str, faults: Sequence[Fault]) -> None:
        self.file = file
        self.faults = list(faults)
        self.lines = [f.render(file) for f in self.faults]
        more = f" (and {len(self.lines) - 1} more: roll check {file})" if len(self.lines) > 1 else ""
        super().__init__(self.lines[0] + more)


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Key path -> the line (from 1) where the file sets it: table headers, `[[array]]` tables
    counted, dotted keys split. Keys inside inline tables and arrays map to their outer key."""
    lines: dict[tuple[str | int, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: tuple[str | int, ...] = ()

    def parts(raw: str) -> list[str]:
        return [p.strip().strip("\"'") for p in raw.split(".")]

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[["):
            names = parts(line[2 : line.find("]]")])
            base = tuple(names)
            counts[base] = counts.get(base, -1) + 1
            table = _indexed(names, counts)
            lines.setdefault(table, n)
        elif line.startswith("["):
            table = _indexed(parts(line[1 : line.find("]")]), counts)
            lines.setdefault(table, n)
        else:
            m = re.match(r"([A-Za-z0-9_\-.\"' ]+?)\s*=", line)
            if m and not line.startswith("#"):
                key = (*table, *parts(m.group(1)))
                lines.setdefault(key, n)
    return lines


def _indexed(names: list[str], counts: Mapping[tuple[str, ...], int]) -> tuple[str | int, ...]:
    out: list[str | int] = []
    for k, name in enumerate(names):
        out.append(name)
        if tuple(names[: k + 1]) in counts:
            out.append(counts[tuple(names[: k + 1])])
    return tuple(out)


# ---- the record ------------------------------------------------------------------------
Words = Mapping[str, str]  # language -> text ("en" always)


@dataclass(frozen=True)
class BallSpec:
    key: str  # the name captions use: {adam.x}
    settings: Settings
    label: Words | None = None  # the name on screen; default: optimizer and hyper-parameters
    show: tuple[str, ...] = ()


@dataclass(frozen=True)
class Moment:
    """When a beat comes: at step k, when a ball stops, when it first enters a box, or at the end."""

    kind: str  # "start" | "step" | "stops" | "enters" | "end"
    step: int | None = None
    ball: str | None = None
    box: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class LabelSpec:
    words: Words
    ball: str | None = None
    point: str | None = None


@dataclass(frozen=True)
class ClaimSpec:
    ball: str
    name: str
    args: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.name}({', '.join(self.args)})" if self.args else self.name


@dataclass(frozen=True)
class BeatSpec:
    caption: Words
    when: Moment = field(default_factory=lambda: Moment("start"))
    claims: tuple[ClaimSpec, ...] = ()
    show: tuple[tuple[str, str], ...] = ()  # (ball, part) added at this beat
    labels: tuple[LabelSpec, ...] = ()
    hold: float = 1.2
    seconds: float | None = None
    warn: bool = False


@dataclass(frozen=True)
class StoryFile:
    name: str
    view: str
    settings: Settings  # the landscape's fields, shared by every ball
    window: tuple[tuple[float, float], ...] | None  # what the view shows (None: around the paths)
    balls: tuple[BallSpec, ...]
    beats: tuple[BeatSpec, ...]
    title: Words
    section: str = "beyond"
    theme: str | None = None
    lang: str | None = None
    text: str = ""  # the file's own bytes, decoded: the cache's key holds them
    file: str = ""

    @property
    def dim(self) -> int:
        return self.settings.landscape_obj.dim

    def bounds(self, trajectories: Sequence[Trajectory]) -> tuple[tuple[float, float], ...]:
        """What the view shows: the window, else the domain, else the stretch the balls visit
        (each path followed up to REACH from its start), padded."""
        import numpy as np

        if self.window is not None:
            return self.window
        out = []
        for k in range(self.dim):
            seen = []
            for t in trajectories:
                xs = t.points[:, k]
                seen.append(xs[np.abs(xs - xs[0]) <= REACH])
            xs = np.concatenate(seen)
            lo, hi = float(xs.min()), float(xs.max())
            pad = max(1.0, 0.15 * (hi - lo))
            out.append(_round_out(lo - pad, hi + pad))
        return tuple(out)

    def missing_words(self, lang: str) -> list[str]:
        """The key paths of the words on screen that have no text in `lang`."""
        if lang == "en":
            return []
        out = [] if lang in self.title or self.title["en"] == self.name else ["title"]
        out += [f"balls[{k}].label" for k, b in enumerate(self.balls) if b.label and lang not in b.label]
        for k, beat in enumerate(self.beats):
            if lang not in beat.caption:
                out.append(f"beats[{k}].caption")
            out += [f"beats[{k}].labels[{j}]" for j, lab in enumerate(beat.labels) if lang not in lab.words]
        return out

    def ball_index(self, key: str) -> int:
        return [b.key for b in self.balls].index(key)

    def story(self) -> Story:
        """The file as a scene record: the first ball is the main one, the others its companions."""
        from .stories import Story

        main = self.balls[0].settings
        companions = tuple(_changes(b.settings) for b in self.balls[1:])
        names = tuple(b.key for b in self.balls)
        return Story(self.name, self.title["en"], main, companions=companions, names=names)

    def trajectories(self) -> list[Trajectory]:
        from .optimizers import run

        return [run(b.settings) for b in self.balls]

    def steps_of(self, trajectories: Sequence[Trajectory]) -> list[int]:
        """Each beat's step, resolved on the run (`check_run` has refused what cannot be)."""
        return [resolve(self, b.when, trajectories) for b in self.beats]


def _round_out(lo: float, hi: float, ticks: int = 10) -> tuple[float, float]:
    """(lo, hi) widened to whole multiples of a round step (1, 2, 2.5 or 5 times a power of
    ten), about `ticks` of them: the view then ends on a tick."""
    raw = (hi - lo) / ticks
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def _changes(s: Settings) -> dict[str, Any]:
    """Every field of a ball's settings: a companion gives all of them, so it is itself, whatever
    the main ball's are."""
    d = {k: v for k, v in s.to_dict().items() if v is not None and k != "beta"}
    d["start"] = tuple(s.start)
    if s.domain is not None:
        d["domain"] = s.domain
    return d


def resolve(record: StoryFile, when: Moment, trajectories: Sequence[Trajectory]) -> int:
    last = max(t.steps for t in trajectories)
    if when.kind == "start":
        return 0
    if when.kind == "step":
        return int(when.step or 0)
    if when.kind == "end":
        return last
    t = trajectories[record.ball_index(when.ball or "")]
    if when.kind == "stops":
        return t.steps
    hit = entered(t, when.box)
    return t.steps if hit is None else hit


def entered(t: Trajectory, box: Sequence[Sequence[float]]) -> int | None:
    """The first step at which the ball lies inside the box (None if it never does)."""
    import numpy as np

    inside = np.ones(len(t.points), dtype=bool)
    for k, (lo, hi) in enumerate(box):
        inside &= (t.points[:, k] >= lo) & (t.points[:, k] <= hi)
    hits = np.flatnonzero(inside)
    return int(hits[0]) if len(hits) else None


# ---- placeholders ------------------------------------------------------------------------
@dataclass(frozen=True)
class BallValues:
    """What `{name.field}` reads: the ball at the beat's step, and its whole run."""

    x: float
    y: float
    x1: float
    x2: float
    f: float
    g: float
    step: int
    steps: int
    status: str
    lr: float
    rate: float
    optimizer: str
    name: str
    beta: float
    gamma: float
    rho: float
    beta1: float
    beta2: float
    noise: float
    seed: int
    state: Mapping[str, tuple[float, ...]] = field(default_factory=dict)  # {adam.s2}: s's 2nd coordinate


def ball_values(t: Trajectory, name: str, step: int) -> BallValues:
    import numpy as np

    i = min(max(step, 0), len(t.points) - 1)
    p = t.points[i]
    y = float(p[1]) if len(p) > 1 else math.nan
    s = t.settings
    rate = float(t.lrs[i]) if t.lrs is not None and i < len(t.lrs) else s.lr
    return BallValues(
        x=float(p[0]),
        y=y,
        x1=float(p[0]),
        x2=y,
        f=float(t.values[i]),
        g=float(np.linalg.norm(t.grads[i])),
        step=i,
        steps=t.steps,
        status=t.status,
        lr=s.lr,
        rate=rate,
        optimizer=s.optimizer,
        name=name,
        beta=s.momentum,
        gamma=s.gamma,
        rho=s.rho,
        beta1=s.beta1,
        beta2=s.beta2,
        noise=s.noise,
        seed=s.seed,
        state={k: tuple(float(v) for v in rows[i]) for k, rows in t.state.items()},
    )


class _Fill(string.Formatter):
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Any, str]:
        head, _, attr = field_name.partition(".")
        if head == "step" and not attr:
            return self.values["step"], field_name
        m = None if attr in BALL_FIELDS + HYPER_FIELDS else STATE_FIELD.fullmatch(attr)
        if m:
            return self.values[head].state[m.group(1)][int(m.group(2)) - 1], field_name
        return getattr(self.values[head], attr), field_name


def fill(text: str, values: Mapping[str, Any]) -> str:
    """A caption with its placeholders replaced ({adam.x:.3f}; {step} is the beat's step)."""
    return _Fill(values).format(text)


def placeholder_faults(text: str, path: tuple[str | int, ...], balls: Mapping[str, int]) -> list[Fault]:
    """Every placeholder must name a ball and one of its fields, with a plain number format."""
    faults: list[Fault] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [Fault(path, f"{exc}; write a brace as {{{{ or }}}}")]
    fields = ", ".join(BALL_FIELDS + HYPER_FIELDS)
    for _lit, name, spec, conv in parsed:
        if name is None:
            continue
        if conv:
            faults.append(Fault(path, f"{{{name}!{conv}}}: no conversions; drop !{conv}"))
        if spec and not SPEC.match(spec):
            faults.append(Fault(path, f"{{{name}:{spec}}}: give a number format such as .3f, .2e or g"))
        head, dot, attr = name.partition(".")
        kind = "int" if name == "step" or attr in INT_FIELDS else "str" if attr in STR_FIELDS else "float"
        if spec and SPEC.match(spec) and not _spec_fits(spec, kind):
            what = {"str": "words", "int": "a whole number", "float": "a number"}[kind]
            faults.append(
                Fault(path, f"{{{name}:{spec}}}: {name} is {what}; drop :{spec} or give one that fits")
            )
        if name == "step":
            continue
        if not dot:
            faults.append(
                Fault(path, f"{{{name}}}: write {{BALL.FIELD}}, e.g. {{{name}.x:.3f}}, or {{step}}")
            )
        elif head not in balls:
            known = ", ".join(balls) or "none"
            faults.append(
                Fault(path, f"{{{name}}}: no ball is named {head!r} (balls: {known}); fix the name")
            )
        elif attr not in BALL_FIELDS + HYPER_FIELDS and STATE_FIELD.fullmatch(attr):
            if int(attr[-1]) > max(balls[head], 1):
                faults.append(Fault(path, f"{{{name}}}: the landscape has one variable; use {attr[:-1]}1"))
        elif attr not in BALL_FIELDS + HYPER_FIELDS:
            faults.append(
                Fault(
                    path,
                    f"{{{name}}}: {attr!r} is not a field of a ball; choose from {fields}, "
                    "or its optimizer's state per coordinate (v1, s2, …)",
                )
            )
        elif attr in ("y", "x2") and balls[head] == 1:
            faults.append(Fault(path, f"{{{name}}}: the landscape has one variable; use {head}.x"))
    return faults


def _spec_fits(spec: str, kind: str) -> bool:
    """Whether a number format applies to a field's kind: words take only a width, a
    float no `d`."""
    if kind == "str":
        return re.fullmatch(r"[<>^]?\d{0,2}", spec) is not None
    return kind == "int" or not spec.endswith("d")


def parse_claim(text: str) -> tuple[str, tuple[str, ...]] | None:
    m = re.fullmatch(r"\s*([a-z_]+)\s*(?:\(([^()]*)\))?\s*", text)
    if not m:
        return None
    args = tuple(a.strip() for a in (m.group(2) or "").split(",") if a.strip())
    return m.group(1), args


# ---- loading -----------------------------------------------------------------------------
def load(path: str | Path) -> StoryFile:
    """Read and validate a story file (shape, then the run)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the story file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: a story file is UTF-8 text; save it as UTF-8") from None
    return loads(text, str(path), p.stem)


def loads(text: str, file: str = "story.toml", stem: str = "story") -> StoryFile:
    record = parse(text, file, stem)
    check_run(record)
    return record


def parse(text: str, file: str = "story.toml", stem: str = "story") -> StoryFile:
    """The shape of a story file, without running anything."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else 0
        why = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not TOML"
        raise StoryFileError(file, [Fault((), f"not valid TOML: {why}; fix the syntax", line)]) from None
    reader = _Reader(doc, key_lines(text))
    record = reader.read(stem, text, file)
    if reader.faults or record is None:
        raise StoryFileError(file, reader.faults)
    return record


def check_run(record: StoryFile) -> list[Trajectory]:
    """Run every ball and refuse a beat whose moment the run does not reach."""
    lines = key_lines(record.text)
    trajectories = record.trajectories()
    last = max(t.steps for t in trajectories)
    faults: list[Fault] = []
    previous = 0
    for k, beat in enumerate(record.beats):
        w = beat.when
        path: tuple[str | int, ...] = ("beats", k, "at")
        if w.kind == "step" and (w.step or 0) > last:
            longest = max(record.balls, key=lambda b: trajectories[record.ball_index(b.key)].steps)
            faults.append(
                Fault(
                    path,
                    f"step {w.step} is past the run's end (the longest ball, {longest.key}, stops at step "
                    f'{last}); give at most {last}, or at = "end"',
                )
            )
            continue
        step = resolve(record, w, trajectories)
        if step < previous:
            faults.append(
                Fault(
                    ("beats", k),
                    f"comes at step {step}, before the beat above it (step {previous}): beats play in "
                    "order; move it up",
                )
            )
        previous = max(previous, step)
    faults += _label_faults(record, trajectories)
    faults += _state_faults(record, trajectories)
    if faults:
        raise StoryFileError(record.file, [_place(f, lines) for f in faults])
    return trajectories


def _state_faults(record: StoryFile, trajectories: Sequence[Trajectory]) -> list[Fault]:
    """A placeholder of an optimizer's state ({adam.s2}) needs that state in the ball's run."""
    keys = [b.key for b in record.balls]
    out = []
    for k, beat in enumerate(record.beats):
        for lang, text in beat.caption.items():
            for _lit, name, _spec, _conv in string.Formatter().parse(text):
                head, _, attr = (name or "").partition(".")
                m = None if attr in BALL_FIELDS + HYPER_FIELDS else STATE_FIELD.fullmatch(attr)
                if not m or head not in keys:
                    continue
                t = trajectories[keys.index(head)]
                if m.group(1) not in t.state:
                    has = ", ".join(f"{n}1" for n in t.state) or "none"
                    out.append(
                        Fault(
                            ("beats", k, "caption" if lang == "en" else lang),
                            f"{{{name}}}: {t.settings.optimizer} keeps no state {m.group(1)!r} "
                            f"(its state fields: {has}, …); fix the name",
                        )
                    )
    return out


def _label_faults(record: StoryFile, trajectories: Sequence[Trajectory]) -> list[Fault]:
    """A label at a critical point needs one of that kind in view (found numerically)."""
    wanted = [
        (k, j, lab.point)
        for k, beat in enumerate(record.beats)
        for j, lab in enumerate(beat.labels)
        if lab.point is not None
    ]
    if not wanted:
        return []
    from .claims import Ground

    ground = Ground(trajectories[0].settings.landscape_obj, record.bounds(trajectories))
    kinds = {p.kind for p in ground.points} | ({"lowest"} if ground.lowest is not None else set())
    found = ", ".join(sorted(kinds)) or "none"
    return [
        Fault(
            ("beats", k, "labels", j, "point"),
            f"no {point} point in view (found: {found}); label a ball or another point",
        )
        for k, j, point in wanted
        if point not in kinds
    ]


def _place(f: Fault, lines: Mapping[tuple[str | int, ...], int]) -> Fault:
    path = f.path
    while path and path not in lines:
        path = path[:-1]
    return replace(f, line=lines.get(path, 1))


def _kind(v: Any) -> str:
    return {bool: "a boolean", int: "a whole number", float: "a number", str: "a string", list: "an array",
            dict: "a table"}.get(type(v), type(v).__name__)  # fmt: skip


class _Reader:
    """One pass over the parsed TOML, collecting every fault it finds."""

    def __init__(self, doc: dict[str, Any], lines: Mapping[tuple[str | int, ...], int]) -> None:
        self.doc = doc
        self.lines = lines
        self.faults: list[Fault] = []
        self.view: str | None = None
        self.ball_names: list[str] = []

    def fault(self, path: tuple[str | int, ...], message: str) -> None:
        self.faults.append(_place(Fault(path, message), self.lines))

    def keys(self, table: Mapping[str, Any], allowed: Sequence[str], path: tuple[str | int, ...]) -> None:
        for key in table:
            if key not in allowed:
                near = [a for a in allowed if a[:2] == key[:2]]
                hint = f"did you mean {near[0]!r}? " if near else ""
                self.fault((*path, key), f"unknown key; {hint}allowed here: {', '.join(allowed)}")

    def table(self, v: Any, path: tuple[str | int, ...]) -> dict[str, Any] | None:
        if not isinstance(v, dict):
            self.fault(path, f"expected a table, got {_kind(v)}; write [{key_path(path)}] with keys under it")
            return None
        return v

    def string(self, v: Any, path: tuple[str | int, ...], choices: Sequence[str] = ()) -> str | None:
        if not isinstance(v, str):
            self.fault(path, f"expected a string, got {_kind(v)}; put it in quotes")
            return None
        if choices and v not in choices:
            self.fault(path, f"{v!r}: choose one of {', '.join(choices)}")
            return None
        return v

    def number(
        self, v: Any, path: tuple[str | int, ...], low: float | None = None, high: float | None = None,
        whole: bool = False, open_low: bool = False, open_high: bool = False,
    ) -> float | None:  # fmt: skip
        ok = isinstance(v, int) if whole else isinstance(v, (int, float))
        if isinstance(v, bool) or not ok:
            want = "a whole number" if whole else "a number"
            self.fault(path, f"expected {want}, got {_kind(v)}: {v!r}; write e.g. {1 if whole else 0.1}")
            return None
        if not math.isfinite(v):
            self.fault(path, f"{v}: give a finite number")
            return None
        bad_low = low is not None and (v <= low if open_low else v < low)
        bad_high = high is not None and (v >= high if open_high else v > high)
        if bad_low or bad_high:
            lo = "" if low is None else (f"> {low:g}" if open_low else f">= {low:g}")
            hi = "" if high is None else (f"< {high:g}" if open_high else f"<= {high:g}")
            self.fault(path, f"{v}: give a number {' and '.join(s for s in (lo, hi) if s)}")
            return None
        return v

    def numbers(self, v: Any, path: tuple[str | int, ...], counts: Sequence[int]) -> tuple[float, ...] | None:
        shape = " or ".join(f"{n} numbers" for n in counts)
        if not isinstance(v, list) or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v
        ):
            self.fault(path, f"expected an array of {shape}, e.g. [{', '.join(['0.5'] * counts[0])}]")
            return None
        if len(v) not in counts:
            self.fault(path, f"expected {shape}, got {len(v)}")
            return None
        return tuple(float(x) for x in v)

    def words(self, table: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> dict[str, str]:
        out: dict[str, str] = {}
        text = self.string(table.get(key), (*path, key)) if key in table else None
        if key not in table:
            self.fault((*path, key), f'missing; give {key} = "…"')
        if text is not None:
            out["en"] = text
        for lang in TRANSLATIONS:
            if lang in table:
                t = self.string(table[lang], (*path, lang))
                if t is not None:
                    out[lang] = t
        return out

    # -- sections of the file --
    def read(self, stem: str, text: str, file: str) -> StoryFile | None:
        doc = self.doc
        self.keys(doc, TOP_KEYS, ())
        name = stem
        if "name" in doc:
            given = self.string(doc["name"], ("name",))
            if given is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", given):
                self.fault(("name",), f"{given!r}: letters, digits, - _ . only (it names the output files)")
            elif given is not None:
                name = given
        title = {"en": name}
        if "title" in doc:
            title = self.text(doc["title"], ("title",))
        section = self.string(doc.get("section", "beyond"), ("section",), SECTIONS) or "beyond"
        theme = self.string(doc["theme"], ("theme",), ("dark", "light")) if "theme" in doc else None
        lang = self.string(doc["lang"], ("lang",), ("en", *TRANSLATIONS)) if "lang" in doc else None
        view = self.string(doc["view"], ("view",), VIEWS) if "view" in doc else None
        base, window = self.landscape(doc.get("landscape"))
        dim = base.landscape_obj.dim if base is not None else 0
        if view is None and base is not None:
            view = "curve" if dim == 1 else "plane"
        if view is not None and dim and (view == "curve") != (dim == 1):
            dims = "one variable" if dim == 1 else "two variables"
            fix = "curve" if dim == 1 else "plane or surface"
            self.fault(("view",), f'{view!r} does not fit a landscape of {dims}; use view = "{fix}"')
        self.view = view
        balls = self.balls(doc.get("balls"), base, dim)
        keys = {name: dim for name in self.ball_names}  # a ball with a fault still has its name
        beats = self.beats(doc.get("beats"), keys, balls)
        if self.faults or base is None or view is None:
            return None
        return StoryFile(
            name, view, base, window, tuple(balls), tuple(beats), title, section, theme, lang, text, file
        )

    def text(self, v: Any, path: tuple[str | int, ...]) -> dict[str, str]:
        """Words on screen: a string, or { en = "…", zh = "…" }."""
        if isinstance(v, str):
            return {"en": v}
        if not isinstance(v, dict):
            self.fault(path, f'expected a string or {{ en = "…", zh = "…" }}, got {_kind(v)}')
            return {"en": ""}
        self.keys(v, ("en", *TRANSLATIONS), path)
        return self.words(v, "en", path)

    def landscape(self, v: Any) -> tuple[Settings | None, tuple[tuple[float, float], ...] | None]:
        path: tuple[str | int, ...] = ("landscape",)
        if v is None:
            self.fault(path, 'missing; add [landscape] with name = "bowl" or expression = "…" and domain')
            return None, None
        t = self.table(v, path)
        if t is None:
            return None, None
        self.keys(t, LANDSCAPE_KEYS, path)
        from .functions import get_landscape

        if ("name" in t) == ("expression" in t):
            self.fault(path, 'give either name = "…" (a landscape by name) or expression = "…", not both')
            return None, None
        domain = None
        if "domain" in t:
            nums = self.numbers(t["domain"], (*path, "domain"), (2, 4))
            if nums is not None:
                domain = tuple((nums[i], nums[i + 1]) for i in range(0, len(nums), 2))
                if any(lo >= hi for lo, hi in domain):
                    self.fault((*path, "domain"), "each lower bound must be below its upper bound")
                    domain = None
        try:
            if "name" in t:
                name = self.string(t["name"], (*path, "name"))
                if name is None:
                    return None, None
                if name == "custom":
                    raise SettingsError('custom is the command line\'s; give expression = "…" instead')
                ls = get_landscape(name)
                base = Settings(name, (0.0,) * ls.dim, domain=domain)
            else:
                expr = self.string(t["expression"], (*path, "expression"))
                if expr is None:
                    return None, None
                base = Settings("custom", (0.0,), function=expr, domain=domain)
            ls = base.landscape_obj
            base = replace(base, start=(0.0,) * ls.dim)
        except SettingsError as exc:
            key = "name" if "name" in t else "expression"
            if "domain" in str(exc):
                key = "domain"
            self.fault((*path, key), _unflag(str(exc)))
            return None, None
        window = ls.domain
        if "window" in t:
            nums = self.numbers(t["window"], (*path, "window"), (2 * ls.dim,))
            if nums is not None:
                window = tuple((nums[i], nums[i + 1]) for i in range(0, len(nums), 2))
                if any(lo >= hi for lo, hi in window):
                    self.fault((*path, "window"), "each lower bound must be below its upper bound")
        return base, (tuple(window) if window is not None else None)

    def balls(self, v: Any, base: Settings | None, dim: int) -> list[BallSpec]:
        if v is None:
            self.fault(("balls",), "missing; add a [[balls]] table per ball, with name, optimizer and start")
            return []
        if not isinstance(v, list) or not v:
            self.fault(("balls",), "expected [[balls]] tables, at least one")
            return []
        out: list[BallSpec] = []
        seen: set[str] = set()
        for k, raw in enumerate(v):
            path: tuple[str | int, ...] = ("balls", k)
            t = self.table(raw, path)
            if t is None:
                continue
            self.keys(t, BALL_KEYS, path)
            key = self.string(t.get("name"), (*path, "name")) if "name" in t else None
            if "name" not in t:
                self.fault(
                    (*path, "name"), 'missing; give the ball a name captions can use, e.g. name = "adam"'
                )
            if key is not None and not NAME.match(key):
                self.fault(
                    (*path, "name"), f"{key!r}: a name is letters, digits and _ (it is used as {{{key}.x}})"
                )
                key = None
            if key is not None and key in seen:
                self.fault((*path, "name"), f"{key!r} names two balls; give each its own")
            if key is not None:
                seen.add(key)
                self.ball_names.append(key)
            before = len(self.faults)
            spec = self.ball(t, path, base, dim, key, before)
            if spec is not None and key is not None:
                out.append(spec)
        return out

    def ball(
        self,
        t: Mapping[str, Any],
        path: tuple[str | int, ...],
        base: Settings | None,
        dim: int,
        key: str | None,
        before: int = 0,
    ) -> BallSpec | None:
        opt = self.string(t.get("optimizer", "gd"), (*path, "optimizer"))
        fields: dict[str, Any] = {}
        if "opt" in t:  # a plugged-in optimizer's constructor keywords, as --opt gives them
            kw = self.table(t["opt"], (*path, "opt"))
            if kw is not None and opt in OPTIMIZERS:
                self.fault(
                    (*path, "opt"),
                    f"{opt} is the book's rule, set with its own keys; opt is for plugged-in optimizers",
                )
            elif kw is not None:
                fields["opt"] = {k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}
        bounds = {
            "lr": dict(low=0, open_low=True),
            "beta": dict(low=0, high=1, open_high=True),
            "gamma": dict(low=0, high=1, open_high=True),
            "rho": dict(low=0, high=1, open_low=True, open_high=True),
            "beta1": dict(low=0, high=1, open_high=True),
            "beta2": dict(low=0, high=1, open_high=True),
            "noise": dict(low=0),
            "tol": dict(low=0),
            "steps": dict(low=1, high=MAX_STEPS, whole=True),
            "seed": dict(low=0, high=2**63 - 1, whole=True),
        }
        for name, limits in bounds.items():
            if name in t:
                val = self.number(t[name], (*path, name), **limits)  # type: ignore[arg-type]
                if val is not None:
                    fields["momentum" if name == "beta" else name] = val
        if opt is not None:
            # a plugged-in optimizer takes the rate, its schedule and noise here, the rest in opt
            takes = HYPERPARAMETERS.get(opt, ("lr", "schedule", "noise"))
            for name in ("lr", "schedule", "beta", "gamma", "rho", "beta1", "beta2", "noise"):
                if name in t and name not in takes:
                    takers = [o for o in OPTIMIZERS if name in HYPERPARAMETERS[o]]
                    if opt in OPTIMIZERS:
                        self.fault((*path, name), f"{opt} has no {name} (only {', '.join(takers)}); drop it")
                    else:
                        self.fault((*path, name), f"{opt} takes its own keywords: give them in opt = {{ … }}")
        if "schedule" in t:
            sch = self.string(t["schedule"], (*path, "schedule"), SCHEDULES)
            if sch is not None:
                fields["schedule"] = sch
        if "anneal" in t:
            if isinstance(t["anneal"], bool):
                fields["anneal"] = t["anneal"]
            else:
                self.fault((*path, "anneal"), f"expected true or false, got {_kind(t['anneal'])}")
        start = None
        if "start" not in t:
            self.fault((*path, "start"), f"missing; give start = [{', '.join(['0.5'] * max(dim, 1))}]")
        elif dim:
            start = self.numbers(t["start"], (*path, "start"), (dim,))
        label = self.text(t["label"], (*path, "label")) if "label" in t else None
        show: tuple[str, ...] = ()
        if "show" in t:
            show = self.parts(t["show"], (*path, "show"), dim)
            if self.view == "surface" and show:
                self.fault((*path, "show"), 'the surface view draws no parts; use view = "plane" for them')
        if base is None or opt is None or start is None or key is None or len(self.faults) > before:
            return None  # one fault is said once: the settings' own check would repeat it
        if "steps" not in fields:
            fields["steps"] = 100
        try:
            plugged = fields.pop("opt", None)
            s = replace(base, optimizer=opt, start=start, **fields)
            if plugged is not None:
                s = s.override(opt=plugged)
            if "seed" in fields:
                s = replace(s, seed=int(fields["seed"]))
            s = replace(s, steps=int(fields["steps"]))
            s.validate()
        except SettingsError as exc:
            text = str(exc)
            where = next(
                (k for k in ("start", "noise", "opt ", "lr") if f"--{k}" in text), "optimizer"
            ).strip()
            self.fault((*path, where), _unflag(str(exc)))
            return None
        return BallSpec(key, s, label, show)

    def parts(self, v: Any, path: tuple[str | int, ...], dim: int) -> tuple[str, ...]:
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.fault(path, f'expected an array of names from {", ".join(SHOW)}, e.g. ["steps"]')
            return ()
        for x in v:
            if x not in SHOW:
                self.fault(path, f"{x!r}: choose from {', '.join(SHOW)}")
            elif x == "tangent" and dim != 1:
                self.fault(path, "a tangent is drawn on a curve (one variable); use steps on a plane")
            elif x == "gradient" and dim != 2:
                self.fault(path, "the gradient's own step is drawn on a plane (two variables); use tangent")
        return tuple(x for x in v if x in SHOW)

    def beats(self, v: Any, balls: Mapping[str, int], specs: Sequence[BallSpec]) -> list[BeatSpec]:
        if v is None:
            self.fault(
                ("beats",), 'missing; add a [[beats]] table per caption, e.g. at = "end", caption = "…"'
            )
            return []
        if not isinstance(v, list) or not v:
            self.fault(("beats",), "expected [[beats]] tables, at least one")
            return []
        out = []
        for k, raw in enumerate(v):
            path: tuple[str | int, ...] = ("beats", k)
            t = self.table(raw, path)
            if t is None:
                continue
            self.keys(t, BEAT_KEYS, path)
            words = self.words(t, "caption", path)
            for lang, text in words.items():
                key = "caption" if lang == "en" else lang
                for f in placeholder_faults(text, (*path, key), balls):
                    self.fault(f.path, f.message)
            when = self.when(t, path, balls)
            claims = self.claims(t.get("claims"), (*path, "claims"), balls) if "claims" in t else ()
            show: list[tuple[str, str]] = []
            if "show" in t:
                parts = self.parts(t["show"], (*path, "show"), next(iter(balls.values()), 1))
                if "bars" in parts:
                    self.fault(
                        (*path, "show"), 'state bars are shown from the start: put "bars" in the ball\'s show'
                    )
                show = [(b.key, p) for b in specs for p in parts if p != "bars"]
            labels = self.labels(t.get("labels"), (*path, "labels"), balls) if "labels" in t else ()
            if self.view == "surface" and (show or labels):
                key = "labels" if labels else "show"
                self.fault((*path, key), f'the surface view draws no {key}; use view = "plane" for them')
            hold = self.number(t.get("hold", 1.2), (*path, "hold"), low=0, high=60)
            seconds = (
                self.number(t["seconds"], (*path, "seconds"), low=0.1, high=600) if "seconds" in t else None
            )
            warn = t.get("warn", False)
            if not isinstance(warn, bool):
                self.fault((*path, "warn"), f"expected true or false, got {_kind(warn)}")
                warn = False
            if "en" in words and when is not None:
                out.append(
                    BeatSpec(words, when, claims, tuple(show), labels, float(hold or 0), seconds, warn)
                )
        return out

    def when(
        self, t: Mapping[str, Any], path: tuple[str | int, ...], balls: Mapping[str, int]
    ) -> Moment | None:
        given = [k for k in WHEN_KEYS if k in t]
        if len(given) > 1:
            self.fault((*path, given[1]), f"give one of at, stops, enters, not {' and '.join(given)}")
            return None
        if not given:
            return Moment("start")
        key = given[0]
        v = t[key]
        if key == "at":
            if v == "end":
                return Moment("end")
            if v == "start":
                return Moment("start")
            step = self.number(v, (*path, "at"), low=0, whole=True)
            if step is None:
                return None
            return Moment("step", int(step))
        if key == "stops":
            name = self.string(v, (*path, "stops"))
            if name is not None and name not in balls:
                self.fault(
                    (*path, "stops"), f"no ball is named {name!r} (balls: {', '.join(balls)}); fix the name"
                )
                return None
            return None if name is None else Moment("stops", ball=name)
        e = self.table(v, (*path, "enters"))
        if e is None:
            return None
        self.keys(e, ENTERS_KEYS, (*path, "enters"))
        name = self.string(e.get("ball"), (*path, "enters", "ball")) if "ball" in e else None
        if "ball" not in e:
            self.fault((*path, "enters", "ball"), "missing; name the ball that enters the region")
        if name is not None and name not in balls:
            self.fault((*path, "enters", "ball"), f"no ball is named {name!r}; fix the name")
            return None
        dim = balls.get(name or "", 1)
        box = []
        for k, axis in enumerate(("x", "y")[:dim]):
            if axis not in e:
                self.fault((*path, "enters", axis), f"missing; give {axis} = [lo, hi]")
                return None
            nums = self.numbers(e[axis], (*path, "enters", axis), (2,))
            if nums is None:
                return None
            if nums[0] > nums[1]:
                self.fault((*path, "enters", axis), "give [lo, hi] with lo <= hi")
            box.append((nums[0], nums[1]))
            del k
        if dim == 1 and "y" in e:
            self.fault((*path, "enters", "y"), "the landscape has one variable; drop y")
        return None if name is None else Moment("enters", ball=name, box=tuple(box))

    def claims(self, v: Any, path: tuple[str | int, ...], balls: Mapping[str, int]) -> tuple[ClaimSpec, ...]:
        t = self.table(v, path)
        if t is None:
            return ()
        out = []
        for ball, names in t.items():
            if ball not in balls:
                self.fault(
                    (*path, ball), f"no ball is named {ball!r} (balls: {', '.join(balls)}); fix the name"
                )
                continue
            items = names if isinstance(names, list) else [names]
            for item in items:
                if not isinstance(item, str):
                    self.fault((*path, ball), f'expected a claim\'s name, got {_kind(item)}, e.g. "arrived"')
                    continue
                parsed = parse_claim(item)
                if parsed is None or parsed[0] not in CLAIMS:
                    self.fault((*path, ball), f"{item!r} is not a claim; choose from {', '.join(CLAIMS)}")
                    continue
                name, args = parsed
                bad = _claim_args(name, args, balls[ball])
                if bad:
                    self.fault((*path, ball), f"{item}: {bad}")
                    continue
                out.append(ClaimSpec(ball, name, args))
        return tuple(out)

    def labels(self, v: Any, path: tuple[str | int, ...], balls: Mapping[str, int]) -> tuple[LabelSpec, ...]:
        if not isinstance(v, list):
            self.fault(path, 'expected an array of tables, e.g. [{ ball = "adam", text = "adam" }]')
            return ()
        out = []
        for k, raw in enumerate(v):
            p = (*path, k)
            t = self.table(raw, p)
            if t is None:
                continue
            self.keys(t, LABEL_KEYS, p)
            words = self.words(t, "text", p)
            ball = self.string(t["ball"], (*p, "ball")) if "ball" in t else None
            point = self.string(t["point"], (*p, "point"), POINTS) if "point" in t else None
            if ball is not None and ball not in balls:
                self.fault((*p, "ball"), f"no ball is named {ball!r}; fix the name")
                continue
            if ball is None and point is None and "point" not in t:
                self.fault(p, 'say where: ball = "adam" or point = "lowest" (or minimum, maximum, saddle)')
                continue
            if "en" in words:
                out.append(LabelSpec(words, ball, point))
        return tuple(out)


def _claim_args(name: str, args: tuple[str, ...], dim: int) -> str | None:
    axes = ("x", "y") if dim == 2 else ("x",)
    alias = {"x1": "x", "x2": "y"}
    norm = tuple(alias.get(a, a) for a in args)
    if name == "optimizer":
        if len(args) != 1 or args[0] not in OPTIMIZERS:
            return f"name one optimizer: optimizer({OPTIMIZERS[0]})"
        return None
    if name == "settles_first":
        if dim != 2 or len(norm) != 2 or set(norm) != {"x", "y"}:
            return "on a plane, name both coordinates: settles_first(x2, x1)"
        return None
    if name in ("blew_up", "overshooting"):
        if len(norm) > 1 or any(a not in axes for a in norm):
            return f"name at most one coordinate of {', '.join(axes)}"
        return None
    if args:
        return f"{name} takes no arguments; write {name}"
    if name == "escaped" and dim != 1:
        return "escaped is judged on a curve (one variable)"
    return None


def axis_of(arg: str) -> int:
    return {"x": 0, "x1": 0, "y": 1, "x2": 1}[arg]


def _unflag(message: str) -> str:
    """The settings' messages name the command line's flags; a file has keys."""
    return re.sub(r"(?<!list )--([a-z0-9]+)", r"\1", message)


__all__ = ["StoryFile", "StoryFileError", "Fault", "load", "loads", "parse", "fill", "ball_values"]
