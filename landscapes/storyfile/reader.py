"""The first pass: the parsed TOML read into a `StoryFile`, every mistake collected as a
`Fault` (keys, types, names, bounds, placeholders, claims), nothing run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..errors import SettingsError
from ..limits import (
    BALL_STEPS,
    FILE_BALLS,
    MAX_BEATS,
    MAX_COORD,
    MAX_DEPTH,
    VIDEO_SECONDS,
    bounds_refusal,
    depth,
    video_seconds,
)
from ..names import HYPERPARAMETERS, OPTIMIZERS, SCHEDULES
from ..settings import MAX_STEPS, Settings
from .camera import read_camera
from .faults import _kind, _unflag, shown
from .model_table import ModelTable
from .placeholders import placeholder_faults
from .records import BallSpec, BeatSpec, ClaimSpec, LabelSpec, StoryFile
from .trust import REGISTRY_SOURCES, Trust, code_refusal, module_of
from .vocabulary import (
    BALL_KEYS,
    BEAT_KEYS,
    CLAIMS,
    ENTERS_KEYS,
    LABEL_KEYS,
    LANDSCAPE_KEYS,
    NAME,
    POINTS,
    SECTIONS,
    SHOW,
    TOP_KEYS,
    TRANSLATIONS,
    VIEWS,
    WHEN_KEYS,
    _claim_args,
    name_refusal,
    parse_claim,
)
from .when import Moment
from .zoom import read_zoom


class _Reader(ModelTable):
    """One pass over the parsed TOML, collecting every fault it finds."""

    def __init__(
        self, doc: dict[str, Any], lines: Mapping[tuple[str | int, ...], int], trust: Trust = False
    ) -> None:
        super().__init__(lines)
        self.doc = doc
        self.trust = trust
        self.trusted_code = False  # a module:Class the user trusts is named
        self.view: str | None = None
        self.ball_names: list[str] = []
        self.net: Any = None  # [model]'s Net (landscapes.network.train): the balls train it

    def read(self, stem: str, text: str, file: str) -> StoryFile | None:
        doc = self.doc
        if depth(doc) > MAX_DEPTH:  # no valid file nests deeper than 4
            self.fault((), f"tables and arrays nest deeper than {MAX_DEPTH}; a story file nests at most 4")
            return None
        self.keys(doc, TOP_KEYS, ())
        name = stem
        if "name" in doc:
            given = self.string(doc["name"], ("name",))
            why = None if given is None else name_refusal(given)
            if why:
                self.fault(("name",), f"{shown(given)}: {why}")
            elif given is not None:
                name = given
        elif name_refusal(stem):  # the file's stem names the outputs: the same check as name's
            self.fault(
                ("name",),
                f"missing, and the file's stem {shown(stem)} cannot name the outputs ({name_refusal(stem)}); "
                'rename the file or give name = "…"',
            )
        title = {"en": name}
        if "title" in doc:
            title = self.text(doc["title"], ("title",))
        section = self.string(doc.get("section", "beyond"), ("section",), SECTIONS) or "beyond"
        theme = self.string(doc["theme"], ("theme",), ("dark", "light")) if "theme" in doc else None
        lang = self.string(doc["lang"], ("lang",), ("en", *TRANSLATIONS)) if "lang" in doc else None
        view = self.string(doc["view"], ("view",), VIEWS) if "view" in doc else None
        self.on_model = "model" in doc
        if self.on_model:  # the balls train a real model; its loss is drawn on a plane
            if "landscape" in doc:
                self.fault(("model",), "give [landscape] or [model], not both: the balls roll on one of them")
            base, window = self.model(doc["model"]), None
            if view not in (None, "plane"):
                self.fault(
                    ("view",),
                    f'{view!r}: a model\'s loss is drawn on a plane through its weights; use view = "plane"',
                )
        else:
            base, window = self.landscape(doc.get("landscape"))
        dim = base.landscape_obj.dim if base is not None else 0
        if view is None and base is not None:
            view = "curve" if dim == 1 else "plane"
        if view is not None and dim and (view == "curve") != (dim == 1) and not self.on_model:
            dims = "one variable" if dim == 1 else "two variables"
            fix = "curve" if dim == 1 else "plane or surface"
            self.fault(("view",), f'{view!r} does not fit a landscape of {dims}; use view = "{fix}"')
        self.view = view
        balls = self.balls(doc.get("balls"), base, dim)
        keys = {name: dim for name in self.ball_names}  # a ball with a fault still has its name
        beats = self.beats(doc.get("beats"), keys, balls)
        self.work(balls, beats)
        if self.faults or base is None or view is None:
            return None
        return StoryFile(
            name, view, base, window, tuple(balls), tuple(beats), title, section, theme, lang, text, file,
            self.trusted_code, self.net,
        )  # fmt: skip

    def work(self, balls: Sequence[BallSpec], beats: Sequence[BeatSpec]) -> None:
        """The whole file's work, bounded before any of it runs: steps × balls, video seconds."""
        steps = sum(b.settings.steps for b in balls)
        if steps > BALL_STEPS:
            self.fault(
                ("balls",),
                f"the balls' steps add up to {steps:,}; give at most {BALL_STEPS:,} in all "
                "(fewer steps or balls)",
            )
        seconds = video_seconds([(b.seconds, b.hold, len(b.labels)) for b in beats])
        if seconds > VIDEO_SECONDS:
            self.fault(
                ("beats",),
                f"about {seconds:,.0f} s of video; give at most {VIDEO_SECONDS:.0f} s "
                "(fewer beats, shorter holds)",
            )

    def landscape(self, v: Any) -> tuple[Settings | None, tuple[tuple[float, float], ...] | None]:
        path: tuple[str | int, ...] = ("landscape",)
        if v is None:
            self.fault(path, 'missing; add [landscape] with name = "bowl" or expression = "…" and domain')
            return None, None
        t = self.table(v, path)
        if t is None:
            return None, None
        self.keys(t, LANDSCAPE_KEYS, path)
        from ..functions import get_landscape

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
                elif bounds_refusal(domain):
                    self.fault((*path, "domain"), str(bounds_refusal(domain)))
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
                elif bounds_refusal(window):
                    self.fault((*path, "window"), str(bounds_refusal(window)))
        return base, (tuple(window) if window is not None else None)

    def balls(self, v: Any, base: Settings | None, dim: int) -> list[BallSpec]:
        if v is None:
            self.fault(("balls",), "missing; add a [[balls]] table per ball, with name, optimizer and start")
            return []
        if not isinstance(v, list) or not v:
            self.fault(("balls",), "expected [[balls]] tables, at least one")
            return []
        if len(v) > FILE_BALLS:
            self.fault(("balls",), f"{len(v)} balls; give at most {FILE_BALLS} (the palette's ball colours)")
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
        why = None if opt is None else code_refusal(opt, self.trust)
        if why:  # refused from the name alone: nothing is imported
            self.fault((*path, "optimizer"), why)
            return None
        if opt is not None and module_of(opt) not in (None, *REGISTRY_SOURCES):
            self.trusted_code = True
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
        if self.on_model:  # a model's balls start at its seeded initial weights
            start = self.model_ball(t, path)
        elif "start" not in t:
            self.fault((*path, "start"), f"missing; give start = [{', '.join(['0.5'] * max(dim, 1))}]")
        elif dim:
            start = self.numbers(t["start"], (*path, "start"), (dim,))
            if start is not None and max(map(abs, start)) > MAX_COORD:
                self.fault(
                    (*path, "start"), f"the axes draw coordinates up to ±{MAX_COORD:g}; start within it"
                )
                start = None
        label = self.text(t["label"], (*path, "label")) if "label" in t else None
        show: tuple[str, ...] = ()
        if "show" in t and not self.on_model:
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
            self.model_run(s)
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
        if len(v) > MAX_BEATS:
            self.fault(("beats",), f"{len(v)} beats; give at most {MAX_BEATS} (a slide each in a deck)")
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
            self.model_beat(t, path)
            if self.view == "surface" and show:
                self.fault((*path, "show"), 'the surface view draws no parts; use view = "plane" for them')
            camera = read_camera(self, t["camera"], (*path, "camera"), self.view) if "camera" in t else None
            hold = self.number(t.get("hold", 1.2), (*path, "hold"), low=0, high=60)
            seconds = (
                self.number(t["seconds"], (*path, "seconds"), low=0.1, high=600) if "seconds" in t else None
            )
            warn = t.get("warn", False)
            if not isinstance(warn, bool):
                self.fault((*path, "warn"), f"expected true or false, got {_kind(warn)}")
                warn = False
            dim = next(iter(balls.values()), 1)
            zoom = read_zoom(self, t["zoom"], (*path, "zoom"), self.view, when, dim) if "zoom" in t else None
            if "en" in words and when is not None:
                hold_ = float(hold or 0)
                out.append(
                    BeatSpec(words, when, claims, tuple(show), labels, hold_, seconds, warn, camera, zoom)
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
