"""Imports run one way: a module imports only from its own layer and the layers below it.

The layers are the table "Layers run one way" in ``docs/architecture.md``: this test reads it, so the rule
and its documentation cannot drift apart. Each module belongs to the layer of its longest listed package
prefix (``ytcs.audit.views`` is web, ``ytcs.audit.services`` the audit trail). Every ``import`` and
``from … import`` counts, wherever it stands: at module level, inside a function (a deferred import still
makes the lower layer depend on the higher one) and under ``if TYPE_CHECKING:`` (a type-only import still
means the lower layer knows the higher one's models; it is also how a runtime import creeps back in).
Tests and migrations are exempt: tests may build data from any app, migrations are history.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import ytcs

ROOT = Path(ytcs.__file__).parent
ARCHITECTURE = ROOT.parent / "docs" / "architecture.md"
TABLE_HEADING = "### Layers run one way"
ROW = re.compile(r"^\|\s*(\d+)\.[^|]*\|([^|]*)\|")
PACKAGE = re.compile(r"`(ytcs(?:\.\w+)*)`")


def layer_table(text: str) -> dict[str, int]:
    """Package → layer number, from the first table after :data:`TABLE_HEADING` (second column)."""
    section = text[text.index(TABLE_HEADING) :]
    layers: dict[str, int] = {}
    in_table = False
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            in_table = True
            match = ROW.match(line)
            if match:
                for package in PACKAGE.findall(match.group(2)):
                    layers[package] = int(match.group(1))
        elif in_table:
            break
    return layers


def layer_of(module: str, layers: dict[str, int]) -> int | None:
    """The layer of ``module``: that of its longest listed package prefix."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        layer = layers.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_exempt(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        "tests" in parts
        or "migrations" in parts
        or path.name.startswith("test_")
        or path.name == "conftest.py"
    )


def source_modules() -> list[Path]:
    """Every module the rule applies to; the root package ``ytcs/__init__.py`` holds only a docstring."""
    return sorted(path for path in ROOT.rglob("*.py") if not is_exempt(path) and path != ROOT / "__init__.py")


def imported_modules(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """``(line, module)`` for every ytcs module ``path`` imports, at any depth of the file, by line."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            # ``from ytcs.people import selectors`` imports the submodule when there is one.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.append((node.lineno, candidate if _is_module(candidate) else target))
    return sorted({(line, name) for line, name in found if name.startswith("ytcs.")})


def _is_module(name: str) -> bool:
    relative = ROOT.parent / Path(*name.split("."))
    return relative.with_suffix(".py").exists() or (relative / "__init__.py").exists()


def violations(layers: dict[str, int], sources: dict[Path, str | None]) -> list[str]:
    """One line per import against the order (and per module or import the table does not place)."""
    problems = []
    for path, source in sources.items():
        module = module_name(path)
        own = layer_of(module, layers)
        if own is None:
            problems.append(f"module {module} has no layer: add its package to the table in docs/architecture.md")
            continue
        for line, imported in imported_modules(path, source):
            other = layer_of(imported, layers)
            if other is None:
                problems.append(f"module {module} (layer {own}) imports {imported}, which has no layer")
            elif other > own:
                problems.append(
                    f"module {module} (layer {own}) imports {imported} (layer {other} > {own})"
                    f" at {path.relative_to(ROOT.parent)}:{line}"
                )
    return problems


def documented_layers() -> dict[str, int]:
    return layer_table(ARCHITECTURE.read_text(encoding="utf-8"))


def test_every_import_runs_down_the_layers():
    problems = violations(documented_layers(), dict.fromkeys(source_modules()))
    assert problems == [], "imports against the layer order (docs/architecture.md):\n" + "\n".join(problems)


def test_the_table_names_the_layers_in_order():
    layers = documented_layers()
    assert layers["ytcs.core"] == 1
    assert layers["ytcs.orgunits"] < layers["ytcs.audit"] < layers["ytcs.accounts"] < layers["ytcs.people"]
    assert layers["ytcs.people"] < layers["ytcs.clinical"] < layers["ytcs.surveillance"] < layers["ytcs.web"]
    assert layer_of("ytcs.audit.services", layers) == layers["ytcs.audit"] < layers["ytcs.audit.views"]
    assert layers["ytcs.audit.views"] == layers["ytcs.web"]
    assert layers["ytcs.web"] < layers["ytcs.synth"]


def test_the_walk_sees_every_module_and_relative_imports():
    names = {module_name(path) for path in source_modules()}
    assert {"ytcs.accounts.scope", "ytcs.people.selectors", "ytcs.surveillance.detection.ears"} <= names
    assert not any(".tests" in name or ".migrations" in name for name in names)
    assert (17, "ytcs.surveillance.detection.result") in imported_modules(ROOT / "surveillance/detection/ears.py")
    assert layer_of("ytcs.people.dedup.services", documented_layers()) == 5


def test_a_higher_import_is_reported_however_it_is_written():
    """Module level, inside a function, under TYPE_CHECKING, ``from package import module``: all count."""
    probe = ROOT / "core" / "_layer_probe.py"
    source = (
        "from typing import TYPE_CHECKING\n"
        "from ytcs.core import errors\n"
        "if TYPE_CHECKING:\n"
        "    from ytcs.people.models import Resident\n"
        "def later():\n"
        "    import ytcs.web.views\n"
        "    from ytcs.clinical import selectors\n"
    )
    assert violations(documented_layers(), {probe: source}) == [
        "module ytcs.core._layer_probe (layer 1) imports ytcs.people.models (layer 5 > 1)"
        " at ytcs/core/_layer_probe.py:4",
        "module ytcs.core._layer_probe (layer 1) imports ytcs.web.views (layer 9 > 1) at ytcs/core/_layer_probe.py:6",
        "module ytcs.core._layer_probe (layer 1) imports ytcs.clinical.selectors (layer 6 > 1)"
        " at ytcs/core/_layer_probe.py:7",
    ]
