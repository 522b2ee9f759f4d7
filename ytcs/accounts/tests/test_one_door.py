"""Views and API modules reach residents and households only through the door, ytcs/people/access.py."""

import re
from pathlib import Path

import ytcs

ROOT = Path(ytcs.__file__).parent
FORBIDDEN = re.compile(r"\b(Resident|Household)\.(objects|_default_manager|_base_manager)\b")


def _edge_modules() -> list[Path]:
    patterns = ("**/views*.py", "**/views/*.py", "**/api*.py", "**/api/*.py")
    found = {path for pattern in patterns for path in ROOT.glob(pattern)}
    return sorted(path for path in found if "tests" not in path.relative_to(ROOT).parts)


def test_no_view_or_api_module_queries_residents_or_households_directly():
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}"
        for path in _edge_modules()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert offenders == [], "use scoped_residents()/get_resident_for() from ytcs.people.access:\n" + "\n".join(
        offenders
    )


def test_the_grep_sees_the_edge_modules():
    names = {path.name for path in _edge_modules()}
    assert {"views.py", "api.py"} <= names


USER_UNIT = re.compile(r"\b(user|actor)\.org_unit\b")


def test_no_module_or_template_outside_accounts_reads_a_users_unit_directly():
    """Pages, menus, APIs and services ask scope.effective_units(), so an abolished unit resolves everywhere."""
    files = [*ROOT.glob("**/*.py"), *ROOT.glob("**/templates/**/*.html")]
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}"
        for path in sorted(files)
        if not {"tests", "accounts", "migrations"} & set(path.relative_to(ROOT).parts)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if USER_UNIT.search(line)
    ]
    assert offenders == [], "use effective_units()/effective_unit() from ytcs.accounts.scope:\n" + "\n".join(
        offenders
    )
