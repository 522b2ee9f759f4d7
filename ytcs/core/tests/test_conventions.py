"""One way to do each thing, checked over the source: a rule broken by hand fails here, naming the place.

- Views, API modules and template tags never write the audit trail: reads are audited in selectors,
  writes in services (``docs/architecture.md``, "Audit").
- Services and selectors know nothing of HTTP: no ``request`` parameter, no ``HttpRequest`` (they take an
  ``AuditContext``), so a command or a scheduled job calls them as a view does.
- One error vocabulary: ``FieldError`` and the domain error live in ``ytcs.core.errors`` only.
- Every member of the audit vocabulary names a real model (``audit_record`` refuses anything else:
  ``audit/tests/test_append_only.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from ytcs.audit.vocabulary import ResourceType

ROOT = Path(__file__).resolve().parents[2]
EDGE_NAMES = ("views", "api", "forms", "context_processors")


def _modules() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def _is_edge(path: Path) -> bool:
    stem = path.stem
    return stem.startswith(EDGE_NAMES) or "templatetags" in path.parts or "management" in path.parts


def _is_domain_layer(path: Path) -> bool:
    return path.stem.startswith(("services", "selectors")) or path.parent.name in {"services", "selectors"}


def _calls(tree: ast.AST, name: str) -> list[int]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called == name:
                found.append(node.lineno)
    return found


def test_edges_never_write_the_audit_trail():
    offenders = [f"{p.relative_to(ROOT.parent)}:{line}" for p in _modules() if _is_edge(p)
                 for line in _calls(ast.parse(p.read_text()), "audit_record")]
    assert offenders == [], "audit in a selector (reads) or a service (writes), not in:\n" + "\n".join(offenders)


def test_services_and_selectors_take_no_http_request():
    offenders = []
    for path in _modules():
        if not _is_domain_layer(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            for arg in args:
                annotation = ast.unparse(arg.annotation) if arg.annotation else ""
                if arg.arg == "request" or "HttpRequest" in annotation:
                    offenders.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name}({arg.arg})")
    assert offenders == [], "take an AuditContext instead of the request:\n" + "\n".join(offenders)


def test_one_error_vocabulary():
    offenders = []
    for path in _modules():
        if path.relative_to(ROOT).as_posix() == "core/errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and (node.name == "FieldError" or node.name.endswith("ValidationError")):
                offenders.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} class {node.name}")
    assert offenders == [], "use ytcs.core.errors.FieldError / DomainError:\n" + "\n".join(offenders)


def test_every_resource_type_names_a_model():
    for member in ResourceType:
        assert apps.get_model(member.value)._meta.label == member.value
