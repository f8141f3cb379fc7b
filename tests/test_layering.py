"""The house's layering, read from the code's own imports (ast), so it stays true.

landscapes/ is numbers only; no module imports itself back through others; a scene never
reaches the command line; kit and narration lean one way (the kit reads the narration), and
the words (`scenes.words`: translation, what the screen calls things) sit below both. Every
import counts: at the top, inside a function, and under `if TYPE_CHECKING:` (a type-only
import is still a module that needs the other to be understood), so a circle cannot hide
behind a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGES = ("landscapes", "scenes")
CLI_PACKAGE = "scenes.cli"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module this one imports (absolute names): functions' bodies and type-only imports included."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            for alias in node.names:  # `from scenes.cli import render` imports a module
                found.add(f"{target}.{alias.name}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(root: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Project module -> project modules it imports, and module -> every import (for third parties)."""
    files = {module_name(root, p): p for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    raw: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = imports_of(tree, name, path.name == "__init__.py")
        raw[name] = found
        edges = set()
        for target in found:
            # importing a.b.c runs a, a.b and a.b.c
            parts = target.split(".")
            for k in range(1, len(parts) + 1):
                prefix = ".".join(parts[:k])
                if prefix in files and prefix != name:
                    edges.add(prefix)
        graph[name] = edges
    return graph, raw


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        v = todo.pop()
        for w in graph.get(v, ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def scene_modules(graph: dict[str, set[str]]) -> list[str]:
    """Modules that draw: every scenes module outside the command line and the entry point."""
    return [
        m
        for m in graph
        if m.startswith("scenes") and not m.startswith(CLI_PACKAGE) and m not in ("scenes.__main__",)
    ]


def is_story(module: str) -> bool:
    """A scene file: scenes/<story>.py, not the kit, the catalogue or the floors."""
    parts = module.split(".")
    return (
        len(parts) == 2
        and parts[0] == "scenes"
        and parts[1]
        not in ("kit", "cli", "catalog", "floors", "narration", "notebook", "outputs", "words", "__main__")
    )


def layering_faults(root: Path) -> list[str]:
    graph, raw = import_graph(root)
    faults = [f"import cycle: {' <-> '.join(c)}" for c in cycles(graph)]
    parsers = {m for m, found in raw.items() if "argparse" in found}
    for m, found in raw.items():
        if not m.startswith("landscapes"):
            continue
        for bad in ("manim", "argparse", "scenes"):
            if any(t == bad or t.startswith(bad + ".") for t in found):
                faults.append(f"{m} imports {bad}")
        source = (root / Path(*m.split("."))).with_suffix(".py")
        if not source.exists():
            source = root / Path(*m.split(".")) / "__init__.py"
        text = source.read_text(encoding="utf-8")
        for word in ("Scene", "scene_class"):
            for node in ast.walk(ast.parse(text)):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and node.value.endswith(word)
                ):
                    faults.append(f"{m} names a scene class: {node.value!r}")
                if (
                    isinstance(node, (ast.Name, ast.Attribute))
                    and getattr(node, "id", getattr(node, "attr", "")) == word
                ):
                    faults.append(f"{m} names {word}")
    stories = {m for m in scene_modules(graph) if is_story(m)}
    for m in stories:
        for other in sorted(graph[m] & stories):
            faults.append(f"scene file {m} imports another scene file, {other}: move the helper into the kit")
    for m, found in graph.items():
        if m.startswith("scenes.narration"):
            faults += [
                f"{m} imports the kit ({w}): the kit reads the narration, not back"
                for w in sorted(found)
                if w.startswith("scenes.kit")
            ]
        if m.startswith("scenes.words"):
            faults += [
                f"{m} imports {w}: the words sit below the kit and the narration"
                for w in sorted(found)
                if w.startswith(("scenes.kit", "scenes.narration"))
            ]
    for m in scene_modules(graph):
        bad = sorted(w for w in reach(graph, m) | {m} if w.startswith(CLI_PACKAGE) or w in parsers)
        if bad:
            faults.append(f"scene module {m} reaches the command line: {', '.join(bad)}")
    return sorted(set(faults))


def test_layering_holds():
    assert layering_faults(ROOT) == []


def test_the_check_sees_a_cycle_and_a_scene_reaching_the_command_line(tmp_path):
    """The checker itself catches what it is for, on a tree made to break every rule."""
    (tmp_path / "landscapes").mkdir()
    for folder in ("cli", "narration", "words"):
        (tmp_path / "scenes" / folder).mkdir(parents=True)
    files = {
        "landscapes/__init__.py": "",
        "landscapes/a.py": "from .b import x\n",
        "landscapes/b.py": "def f():\n    from .a import y\nimport manim\nNAME = 'RiskScene'\n",
        "scenes/__init__.py": "",
        "scenes/risk.py": "from scenes.kit import StoryScene\nfrom scenes.custom import view_range\n",
        "scenes/custom.py": "",
        "scenes/kit.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from scenes.cli.main import main\n"
            "from scenes.helper import h\n"
        ),
        "scenes/helper.py": "from scenes.cli.options import flags\n",
        "scenes/cli/__init__.py": "",
        "scenes/cli/options.py": "import argparse\n",
        # a circle held only by a type-only import still counts
        "landscapes/c.py": "from .d import x\n",
        "landscapes/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import S\n",
        # the narration leaning back on the kit, the words on the narration
        "scenes/narration/__init__.py": "",
        "scenes/narration/beats.py": "def f():\n    from scenes.kit import StoryScene\n",
        "scenes/words/__init__.py": "",
        "scenes/words/i18n.py": "from scenes.narration.beats import Beat\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    faults = layering_faults(tmp_path)
    assert "import cycle: landscapes.a <-> landscapes.b" in faults
    assert "import cycle: landscapes.c <-> landscapes.d" in faults
    assert any(f.startswith("scenes.narration.beats imports the kit (scenes.kit)") for f in faults)
    assert any(f.startswith("scenes.words.i18n imports scenes.narration") for f in faults)
    assert "landscapes.b imports manim" in faults
    assert "landscapes.b names a scene class: 'RiskScene'" in faults
    assert any(f.startswith("scene module scenes.risk reaches the command line") for f in faults)
    assert any(f.startswith("scene module scenes.kit reaches") for f in faults)
    assert any(
        f.startswith("scene file scenes.risk imports another scene file, scenes.custom") for f in faults
    )
