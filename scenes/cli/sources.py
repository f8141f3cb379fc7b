"""The project's code as the result cache sees it: every module a scene's render imports,
walked with `ast` through scenes/ and landscapes/, and the catalogue of its language."""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project: scenes/ and landscapes/ live here
PACKAGES = ("scenes", "landscapes")
LOCALE = Path("scenes/words/locale")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(tree: ast.AST, module: str, is_package: bool) -> tuple[set[str], bool]:
    """Every module name this one imports at run time (function bodies included, `if
    TYPE_CHECKING:` left out, relative imports made absolute), and whether it loads modules
    by name (`import_module`, `__import__`), which no static walk can follow."""
    found: set[str] = set()
    dynamic = False
    package = module if is_package else module.rpartition(".")[0]
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
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
            # `from a import b`: b may be a module
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call):
            fn = node.func
            called = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
            dynamic = dynamic or called in ("import_module", "__import__")
        stack.extend(ast.iter_child_nodes(node))
    return found, dynamic


class Sources:
    """The project's modules under `root`, each read and parsed at most once."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = Path(root)
        self.files: dict[str, Path] = {}
        for pkg in PACKAGES:
            for path in sorted((self.root / pkg).rglob("*.py")):
                parts = list(path.relative_to(self.root).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                self.files[".".join(parts)] = path
        self._data: dict[Path, bytes] = {}
        self._edges: dict[str, set[str]] = {}

    def data(self, path: Path) -> bytes:
        if path not in self._data:
            self._data[path] = path.read_bytes()
        return self._data[path]

    def edges(self, module: str) -> set[str]:
        """The project modules that importing `module` runs. Importing a.b.c runs a, a.b and
        a.b.c; a package that loads its modules by name (landscapes/__init__.py's lazy
        attributes) counts as importing every module under it."""
        if module not in self._edges:
            path = self.files[module]
            is_package = path.name == "__init__.py"
            found, dynamic = imported_names(ast.parse(self.data(path)), module, is_package)
            edges = set()
            for target in found:
                parts = target.split(".")
                edges.update(p for k in range(1, len(parts) + 1) if (p := ".".join(parts[:k])) in self.files)
            if dynamic and is_package:
                edges.update(m for m in self.files if m.startswith(f"{module}."))
            edges.discard(module)
            self._edges[module] = edges
        return self._edges[module]

    def reached(self, starts: Iterable[str]) -> list[str]:
        """The modules in `starts` and every project module they import, directly or not."""
        seen: set[str] = set()
        todo = [m for m in starts if m in self.files]
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            todo.extend(self.edges(module) - seen)
        return sorted(seen)

    def locale_files(self, lang: str) -> list[Path]:
        folder = self.root / LOCALE / lang
        return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []

    def digest(self, module: str, lang: str) -> dict[str, str]:
        """Relative path -> sha256 of every source file a render of the scene module under
        `lang` reads: the modules it reaches, and that language's catalogue. A scene module
        outside the project (a record's `pkg.module`) counts with the project modules it imports."""
        # the scene module, and what render_job itself goes through to build it
        starts = [module, "landscapes.settings", "scenes.catalog"]
        outside: dict[str, Path] = {}
        if module not in self.files:
            from importlib.util import find_spec

            spec = find_spec(module)
            if spec is None or spec.origin is None:
                raise ValueError(f"scene module {module!r} cannot be found")
            outside[module] = path = Path(spec.origin)
            found, _dynamic = imported_names(ast.parse(self.data(path)), module, False)
            starts += sorted(found)
        modules = self.reached(starts)
        paths = [self.files[m] for m in modules] + self.locale_files(lang)
        out = {p.relative_to(self.root).as_posix(): hashlib.sha256(self.data(p)).hexdigest() for p in paths}
        out.update({f"<{m}>": hashlib.sha256(self.data(p)).hexdigest() for m, p in outside.items()})
        return out
