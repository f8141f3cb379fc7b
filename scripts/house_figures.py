"""The house in figures, measured the same way on any commit: modules, the five largest
files, import circles (every import counts: inside functions and under TYPE_CHECKING too,
as tests/test_layering.py counts them), and the walk of `settings_from_args`'s call through
the project's modules (each change of module is a stop).

    PYTHONPATH=TREE python scripts/house_figures.py TREE
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path


def graph_of(root: Path) -> tuple[dict[str, Path], dict[str, set[str]]]:
    files: dict[str, Path] = {}
    for pkg in ("landscapes", "scenes"):
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
                target = (
                    ".".join([*base, node.module] if node.module else base)
                    if node.level
                    else node.module or ""
                )
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        edges = set()
        for target in found:
            parts = target.split(".")
            edges.update(p for k in range(1, len(parts) + 1) if (p := ".".join(parts[:k])) in files)
        edges.discard(module)
        graph[module] = edges
    return files, graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def walk() -> list[str]:
    """The modules settings_from_args runs through for one command line, in call order."""
    from scenes.cli import options
    from scenes.cli.main import build_parser

    argv = ["render", "compare", "--optimizers", "gd,adam", "--lr", "0.1", "--beta1", "0.8", "--start", "0.5"]
    args = build_parser().parse_args(argv)
    options.settings_from_args("compare", args)  # imports and caches out of the walk
    seq: list[str] = []

    def profile(frame, event, _arg):  # noqa: ANN001, ANN202 - sys.setprofile's signature
        name = frame.f_globals.get("__name__", "")
        if event == "call" and name.startswith(("scenes", "landscapes")) and (not seq or seq[-1] != name):
            seq.append(name)

    sys.setprofile(profile)
    try:
        options.settings_from_args("compare", args)
    finally:
        sys.setprofile(None)
    return seq


def args_stops() -> list[str]:
    """Where a render's parsed command line (`args` itself) travels while it is planned:
    every call that receives it, as module.function (scenes.cli.render.plan_jobs, in both
    the old and the new house)."""
    import tempfile

    from scenes.cli import render
    from scenes.cli.main import build_parser

    argv = ["render", "compare", "--optimizers", "gd,adam", "--lr", "0.1", "--beta1", "0.8", "--start", "0.5"]
    args = build_parser().parse_args([*argv, "--out", tempfile.mkdtemp()])
    args.verbose = False
    render.plan_jobs(args)  # imports and caches out of the walk
    stops: list[str] = []

    def profile(frame, event, _arg):  # noqa: ANN001, ANN202 - sys.setprofile's signature
        code = frame.f_code
        named = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        if event == "call" and any(frame.f_locals.get(v) is args for v in named):
            stops.append(f"{frame.f_globals.get('__name__', '')}.{code.co_name}")

    sys.setprofile(profile)
    try:
        render.plan_jobs(args)
    finally:
        sys.setprofile(None)
    return stops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path, nargs="?", default=Path(__file__).resolve().parents[1])
    root = parser.parse_args().tree
    files, graph = graph_of(root)
    print(f"modules: {len(files)}")
    sizes = sorted(
        ((len(p.read_text(encoding="utf-8").splitlines()), p) for p in files.values()), reverse=True
    )
    print("five largest:", ", ".join(f"{p.relative_to(root)} {n}" for n, p in sizes[:5]))
    found = circles(graph)
    print(f"import circles: {len(found)}")
    for comp in found:
        print("  " + " <-> ".join(comp))
    seq = walk()
    returns = sum(1 for k, m in enumerate(seq) if m in seq[:k])
    print(
        f"settings_from_args: {len(seq)} stops in {len(set(seq))} modules, {returns} returns to a module left"
    )
    stops = args_stops()
    modules = sorted({s.rpartition(".")[0] for s in stops})
    print(f"render's args reaches {len(stops)} functions in {len(modules)} modules: {', '.join(modules)}")


if __name__ == "__main__":
    main()
