"""The JSON Schema of a story file, generated from the package's vocabulary, so an editor's
checks and `roll check` cannot drift apart. `landscapes/story.schema.json` is this module's
output, committed; regenerate it after changing the vocabulary:

    python -m landscapes.storyfile.schema > landscapes/story.schema.json

(tests/test_storyfiles.py holds the committed file equal to the output.) The schema sees
shapes, names and bounds; what needs the landscape or the run (a ball's name used in a
caption, a step past the end) only `roll check` sees.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ..expression import FUNCTIONS, MAX_LENGTH
from ..limits import BIDI, FILE_BALLS, MAX_BEATS, NAME_CHARS, SEPARATORS, TEXT_CHARS
from ..names import HYPERPARAMETERS, LANDSCAPES, OPTIMIZERS, SCHEDULES
from ..settings import MAX_STEPS
from .vocabulary import (
    BALL_KEYS,
    BEAT_KEYS,
    CAMERA_KEYS,
    CLAIMS,
    ENTERS_KEYS,
    LABEL_KEYS,
    LANDSCAPE_KEYS,
    MODEL_KEYS,
    POINTS,
    SECTIONS,
    SHOW,
    TOP_KEYS,
    TRANSLATIONS,
    VIEWS,
    WHEN_KEYS,
    ZOOM_KEYS,
)

SCHEMA_ID = "https://github.com/roll-landscapes/story.schema.json"
FILE_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"  # the reader's check of `name`
BALL_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"  # vocabulary.NAME, anchored for JSON Schema
# words: no C0/C1 control character but a newline, no bidirectional control, no line separator
_ODD = "".join(f"\\u{ord(c):04x}" for c in sorted(BIDI | SEPARATORS) if ord(c) > 0x9F)
PLAIN = f"^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f{_ODD}]*$"  # limits.bad_character's set
MODULE_CLASS = r"^[A-Za-z_][A-Za-z0-9_.]*(:[A-Za-z_][A-Za-z0-9_]*)?$"
# the hyper-parameters a ball may set, the book's word for each, and their bounds
HYPER = {
    "beta": ("momentum's β", {"exclusiveMaximum": 1, "minimum": 0}),
    "gamma": ("rmsprop's γ", {"exclusiveMaximum": 1, "minimum": 0}),
    "rho": ("adadelta's ρ", {"exclusiveMaximum": 1, "exclusiveMinimum": 0}),
    "beta1": ("adam's β1", {"exclusiveMaximum": 1, "minimum": 0}),
    "beta2": ("adam's β2", {"exclusiveMaximum": 1, "minimum": 0}),
}


def _text(**more: Any) -> dict[str, Any]:
    """Words on screen: not empty, at most TEXT_CHARS, no control character but a newline (the
    reader also refuses blank lines, which a pattern would state only obscurely)."""
    return {"type": "string", "minLength": 1, "maxLength": TEXT_CHARS, "pattern": PLAIN, **more}


def _words() -> dict[str, Any]:
    strings = {lang: _text() for lang in ("en", *TRANSLATIONS)}
    return {
        "oneOf": [
            _text(),
            {"type": "object", "additionalProperties": False, "required": ["en"], "properties": strings},
        ]
    }


def _ordered(keys: tuple[str, ...], props: dict[str, Any]) -> dict[str, Any]:
    """The properties in the vocabulary's order; every key the vocabulary allows has one."""
    missing = [k for k in keys if k not in props]
    extra = [k for k in props if k not in keys]
    if missing or extra:
        raise AssertionError(f"schema and vocabulary differ: missing {missing}, extra {extra}")
    return {k: props[k] for k in keys}


def _landscape() -> dict[str, Any]:
    named = ", ".join(list(LANDSCAPES)[:10])
    words = sorted(FUNCTIONS, key=len, reverse=True)  # longest first: sinh before sin
    atoms = [r"\s", "[0-9.]", "[eE]", "[-+*/()]", r"\*\*", "x", "y", "pi", *words]
    props = {
        "name": {
            "type": "string",
            "not": {"const": "custom"},
            "description": f"a landscape by name: {named}, …",
        },
        "expression": {
            "type": "string",
            "maxLength": MAX_LENGTH,
            "pattern": f"^({'|'.join(atoms)})*$",
            "description": "in x (and y): numbers, + - * / **, parentheses, pi, e, " + " ".join(FUNCTIONS),
        },
        "domain": {
            "$ref": "#/$defs/bounds",
            "description": "[a, b] or [a, b, c, d]: a ball stops at its edge",
        },
        "window": {
            "$ref": "#/$defs/bounds",
            "description": "what the view shows (default: the domain, else around the paths)",
        },
    }
    one = [
        {"required": [a], "not": {"required": [b]}}
        for a, b in (("name", "expression"), ("expression", "name"))
    ]
    return {
        "type": "object",
        "additionalProperties": False,
        "oneOf": one,
        "properties": _ordered(LANDSCAPE_KEYS, props),
    }


def _model() -> dict[str, Any]:
    """[model]: the network's own names and bounds (landscapes.network)."""
    from ..network.data import DATA
    from ..network.train import MAX_SAMPLES, PLANES

    props = {
        "model": {
            "type": "string",
            "pattern": r"^(logistic|linear|mlp:[1-9][0-9]*(,[1-9][0-9]*)?)$",
            "description": "logistic, linear, mlp:W or mlp:W1,W2 (ReLU hidden layers; at most 100,000 "
            "parameters)",
        },
        "data": {
            "enum": list(DATA),
            "description": "seeded data drawn here: the training and a fresh sample",
        },
        "samples": {
            "type": "integer",
            "minimum": 2,
            "maximum": MAX_SAMPLES,
            "description": "the training sample's size (default 200)",
        },
        "batch": {
            "type": "integer",
            "minimum": 0,
            "description": "the minibatch, at most the sample (0, the default: the whole sample)",
        },
        "plane": {"enum": list(PLANES), "description": "pca (default), random (filter-normalised) or line"},
        "seed": {
            "type": "integer",
            "minimum": 0,
            "description": "seeds the data, the initial weights and the batches of every ball (default 0)",
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["model", "data"],
        "properties": _ordered(MODEL_KEYS, props),
    }


def _ball_rules() -> list[dict[str, Any]]:
    """Which optimizers take which keys: from the book's rules' own flags."""
    rules: list[dict[str, Any]] = []
    for key in ("lr", "schedule", "noise"):  # taken by most: refused for the book's rules without it
        lacking = [o for o in OPTIMIZERS if key not in HYPERPARAMETERS[o]]
        rules.append(
            {"if": {"required": [key]}, "then": {"properties": {"optimizer": {"not": {"enum": lacking}}}}}
        )
    for key in HYPER:  # taken by few: only they may be named
        takers = [o for o in OPTIMIZERS if key in HYPERPARAMETERS[o]]
        rules.append(
            {
                "if": {"required": [key]},
                "then": {"required": ["optimizer"], "properties": {"optimizer": {"enum": takers}}},
            }
        )
    rules.append(
        {
            "if": {"required": ["opt"]},
            "then": {
                "required": ["optimizer"],
                "properties": {"optimizer": {"not": {"enum": list(OPTIMIZERS)}}},
            },
        }
    )
    return rules


def _ball() -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": {"type": "string", "pattern": BALL_NAME, "description": "what captions call it: {adam.x}"},
        "label": {
            "description": "the name on screen (default: optimizer and hyper-parameters); "
            "a string or { en, zh }",
            "$ref": "#/$defs/words",
        },
        "optimizer": {
            "description": "default gd; the book's eight, a torch.optim or pytorch-optimizer name "
            "(adamw, lion), or module:Class",
            "anyOf": [{"enum": list(OPTIMIZERS)}, {"type": "string", "pattern": MODULE_CLASS}],
        },
        "lr": {"type": "number", "exclusiveMinimum": 0, "description": "η"},
        "schedule": {"enum": list(SCHEDULES)},
        **{k: {"type": "number", **bounds, "description": word} for k, (word, bounds) in HYPER.items()},
        "start": {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 2},
        "steps": {"type": "integer", "minimum": 1, "maximum": MAX_STEPS, "description": "default 100"},
        "tol": {
            "type": "number",
            "minimum": 0,
            "description": "stop when |gradient| falls below it (default 1e-8)",
        },
        "noise": {"type": "number", "minimum": 0, "description": "scale of Gaussian gradient noise"},
        "anneal": {"type": "boolean", "description": "noise falls linearly to 0 (default true)"},
        "seed": {"type": "integer", "minimum": 0},
        "show": {"type": "array", "items": {"enum": list(SHOW)}, "description": "parts from the start"},
        "opt": {
            "type": "object",
            "description": "a plugged-in optimizer's constructor keywords, e.g. { weight_decay = 0.01 }",
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],  # and start, on a landscape (the top level says so)
        "allOf": _ball_rules(),
        "properties": _ordered(BALL_KEYS, props),
    }


def _beat() -> dict[str, Any]:
    pair = [{"required": [a, b]} for i, a in enumerate(WHEN_KEYS) for b in WHEN_KEYS[i + 1 :]]
    box = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
    props: dict[str, Any] = {
        "caption": _text(description="placeholders: {BALL.FIELD:FORMAT}, {step}"),
        **{lang: _text() for lang in TRANSLATIONS},
        "at": {"oneOf": [{"type": "integer", "minimum": 0}, {"enum": ["start", "end"]}]},
        "stops": {"type": "string", "description": "when this ball stops"},
        "enters": {
            "type": "object",
            "additionalProperties": False,
            "required": ["ball", "x"],
            "properties": _ordered(ENTERS_KEYS, {"ball": {"type": "string"}, "x": box, "y": box}),
        },
        "claims": {
            "type": "object",
            "description": "ball -> claim(s) that must hold for the caption to show",
            "additionalProperties": {
                "oneOf": [{"$ref": "#/$defs/claim"}, {"type": "array", "items": {"$ref": "#/$defs/claim"}}]
            },
        },
        "show": {
            "type": "array",
            "items": {"enum": [p for p in SHOW if p != "bars"]},  # bars are a ball's, from the start
            "description": "parts added at this beat",
        },
        "labels": {"type": "array", "items": {"$ref": "#/$defs/label"}},
        "camera": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "description": "surface only: the camera turns here before the beat's roll; phi from "
            "straight above and theta around the vertical in degrees, zoom 1 shows the whole box",
            "properties": {
                k: {"type": "number", "minimum": lo, "maximum": hi} for k, (lo, hi) in CAMERA_KEYS.items()
            },
        },
        "hold": {"type": "number", "minimum": 0, "maximum": 60},
        "seconds": {"type": "number", "minimum": 0.1, "maximum": 600},
        "warn": {"type": "boolean"},
        "zoom": {
            "description": 'the beat\'s last steps from close: "end" (where they cover under 5 % of '
            "the plot), or a region of the plot (a curve's y may be left out); plane and curve views",
            "oneOf": [
                {"const": "end"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["x"],
                    "properties": _ordered(ZOOM_KEYS, {"x": box, "y": box}),
                },
            ],
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["caption"],
        "not": {"anyOf": pair},
        "properties": _ordered(BEAT_KEYS, props),
    }


def _label() -> dict[str, Any]:
    props = {
        "text": _text(),
        **{lang: _text() for lang in TRANSLATIONS},
        "ball": {"type": "string"},
        "point": {"enum": list(POINTS)},
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "anyOf": [{"required": ["ball"]}, {"required": ["point"]}],
        "properties": _ordered(LABEL_KEYS, props),
    }


def schema() -> dict[str, Any]:
    """The story file's JSON Schema (draft 2020-12)."""
    langs = ", ".join(("en", *TRANSLATIONS))
    props: dict[str, Any] = {
        "name": {
            "type": "string",
            "pattern": FILE_NAME,
            "maxLength": NAME_CHARS,
            "description": "names the output files (default: the file's stem)",
        },
        "title": {
            "description": f"the story's line (decks, gallery); a string or {{ {langs} }}",
            "$ref": "#/$defs/words",
        },
        "section": {
            "enum": list(SECTIONS),
            "description": "the book's section a deck heads it with (default beyond)",
        },
        "theme": {"enum": ["dark", "light"], "description": "the default theme (--theme wins)"},
        "lang": {"enum": ["en", *TRANSLATIONS], "description": "the default language (--lang wins)"},
        "view": {
            "enum": list(VIEWS),
            "description": "curve (one variable), plane (from above) or surface (3D)",
        },
        "landscape": {"$ref": "#/$defs/landscape"},
        "model": {
            "$ref": "#/$defs/model",
            "description": "instead of [landscape]: the balls train this model, drawn on a plane through "
            "its weights",
        },
        "balls": {"type": "array", "minItems": 1, "maxItems": FILE_BALLS, "items": {"$ref": "#/$defs/ball"}},
        "beats": {"type": "array", "minItems": 1, "maxItems": MAX_BEATS, "items": {"$ref": "#/$defs/beat"}},
    }
    surface = {
        "if": {"required": ["view"], "properties": {"view": {"const": "surface"}}},
        "then": {
            "properties": {
                "beats": {"items": {"not": {"required": ["show"]}}},
                "balls": {"items": {"not": {"required": ["show"]}}},
            }
        },
        "else": {"properties": {"beats": {"items": {"not": {"required": ["camera"]}}}}},
        "description": "the surface view draws no parts; only it has a camera to move",
    }
    on_model = {
        "if": {"required": ["model"]},
        "then": {
            "properties": {
                "view": {"const": "plane"},
                "beats": {
                    "items": {
                        "not": {
                            "anyOf": [
                                {"required": ["claims"]},
                                {"required": ["labels"]},
                                {"required": ["show"]},
                            ]
                        }
                    }
                },
                "balls": {
                    "items": {
                        "not": {
                            "anyOf": [{"required": ["start"]}, {"required": ["seed"]}, {"required": ["show"]}]
                        }
                    }
                },
            }
        },
        "else": {"properties": {"balls": {"items": {"required": ["start"]}}}},
        "description": "a story on a model: its loss on a plane; balls start at the seeded initial weights",
    }
    claim = "|".join(CLAIMS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "roll story file",
        "description": "A scene written as data: the landscape, the view, named balls and the beats "
        "(roll check FILE.toml).",
        "type": "object",
        "additionalProperties": False,
        "required": ["balls", "beats"],
        "oneOf": [{"required": ["landscape"]}, {"required": ["model"]}],
        "properties": _ordered(TOP_KEYS, props),
        "$defs": {
            "bounds": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 4,
                "not": {"minItems": 3, "maxItems": 3},
            },
            "landscape": _landscape(),
            "model": _model(),
            "ball": _ball(),
            "beat": _beat(),
            "claim": {"type": "string", "pattern": rf"^\s*({claim})\s*(\([^()]*\))?\s*$"},
            "label": _label(),
            "words": _words(),
        },
        "allOf": [surface, on_model],
    }


def text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(text())
