"""Indicator definitions as data: ``data/*.toml``, one file per indicator set, read and checked here.

One definition drives the computation, the generated ``docs/indicators.md`` and the tests (the lesson of
Simple's drift between its docs and its SQL, ``anchors.md`` §2.2). The shape is DHIS2's indicator
(``anchors.md`` §1.1): numerator ÷ denominator × factor, where numerator and denominator each name a measure
of the catalogue (:mod:`ytcs.indicators.measures`) with its parameters. A definition without a denominator is
a count. The files are loaded into versioned ``IndicatorDefinition`` rows by
:func:`ytcs.indicators.services.definitions_load`; the engine computes from a row (:meth:`Definition.from_row`).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from ytcs.core.periods import PeriodType
from ytcs.indicators.measures import MEASURES
from ytcs.indicators.measures.people import STATUSES
from ytcs.indicators.measures.visits import PAYERS
from ytcs.indicators.models import Factor, IndicatorDefinition

DATA_DIR = Path(__file__).parent / "data"
CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
NOT_FOUND = "NOT FOUND"
_CHOICES = {"residence": STATUSES, "payer": PAYERS}


class DefinitionError(ValueError):
    """A definition file that cannot drive the engine (raised when the files are read, never at query time)."""


@dataclass(frozen=True)
class Term:
    """A numerator or denominator: a measure of the catalogue and the parameters it is given."""

    measure: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        return {"measure": self.measure, "params": dict(sorted(self.params.items()))}

    def effective_params(self) -> dict[str, Any]:
        return {**MEASURES[self.measure].params, **self.params}


@dataclass(frozen=True)
class Definition:
    code: str
    indicator_set: str
    name_vi: str
    name_en: str
    factor: Factor
    numerator: Term
    denominator: Term | None
    period_types: tuple[PeriodType, ...]
    disaggregations: tuple[str, ...]
    complete_periods_only: bool
    description_vi: str
    description_en: str
    legal_source: str
    target_note: str = ""
    version: int | None = None  # set on a definition read from the database

    @property
    def is_count(self) -> bool:
        return self.denominator is None

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def as_record(self) -> dict[str, Any]:
        """The fields stored on an ``IndicatorDefinition`` row (and hashed to tell versions apart)."""
        return {
            "indicator_set": self.indicator_set, "name_vi": self.name_vi, "name_en": self.name_en,
            "factor": str(self.factor), "numerator": self.numerator.as_record(),
            "denominator": self.denominator.as_record() if self.denominator else None,
            "period_types": [str(t) for t in self.period_types], "disaggregations": list(self.disaggregations),
            "complete_periods_only": self.complete_periods_only, "description_vi": self.description_vi,
            "description_en": self.description_en, "legal_source": self.legal_source,
            "target_note": self.target_note,
        }

    @property
    def content_hash(self) -> str:
        text = json.dumps({"code": self.code, **self.as_record()}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_row(cls, row: IndicatorDefinition) -> Definition:
        def term(data: dict | None) -> Term | None:
            return Term(data["measure"], dict(data.get("params", {}))) if data else None

        return cls(
            code=row.code, indicator_set=row.indicator_set, name_vi=row.name_vi, name_en=row.name_en,
            factor=Factor(row.factor), numerator=term(row.numerator), denominator=term(row.denominator),
            period_types=tuple(PeriodType(t) for t in row.period_types),
            disaggregations=tuple(row.disaggregations), complete_periods_only=row.complete_periods_only,
            description_vi=row.description_vi, description_en=row.description_en, legal_source=row.legal_source,
            target_note=row.target_note, version=row.version,
        )


def _text(value: object) -> str:
    """A TOML multi-line string as one paragraph (line breaks inside a sentence are layout, not content)."""
    return " ".join(str(value).split())


def _term(data: object, where: str) -> Term:
    if not isinstance(data, dict) or set(data) - {"measure", "params"}:
        raise DefinitionError(f"{where}: expected {{measure = ..., params = {{...}}}}")
    name = data.get("measure")
    if name not in MEASURES:
        raise DefinitionError(f"{where}: unknown measure {name!r}")
    params = dict(data.get("params", {}))
    allowed = MEASURES[name].params
    for key, value in params.items():
        if key not in allowed:
            raise DefinitionError(f"{where}: measure {name!r} takes no parameter {key!r}")
        if type(value) is not type(allowed[key]):
            raise DefinitionError(f"{where}: {key} must be a {type(allowed[key]).__name__}")
        values = value if isinstance(value, list) else [value]
        if key in _CHOICES and (not values or set(values) - set(_CHOICES[key])):
            raise DefinitionError(f"{where}: {key} must be among {_CHOICES[key]}")
    return Term(name, params)


def _definition(data: dict[str, Any], indicator_set: str, where: str) -> Definition:
    code = data.get("code", "")
    where = f"{where}: {code or '?'}"
    if not CODE.fullmatch(code):
        raise DefinitionError(f"{where}: a code is lowercase words joined by dots (d25.station_doctor)")
    known = {"code", "name_vi", "name_en", "factor", "numerator", "denominator", "period_types", "disaggregations",
             "complete_periods_only", "description_vi", "description_en", "legal_source", "target"}
    if set(data) - known:
        raise DefinitionError(f"{where}: unknown keys {sorted(set(data) - known)}")
    numerator = _term(data.get("numerator"), f"{where} numerator")
    denominator = _term(data["denominator"], f"{where} denominator") if "denominator" in data else None
    try:
        factor = Factor(data.get("factor", "none"))
        period_types = tuple(PeriodType(t) for t in data.get("period_types", ()))
    except ValueError as exc:
        raise DefinitionError(f"{where}: {exc}") from None
    if denominator is None and factor != Factor.NONE:
        raise DefinitionError(f"{where}: a count (no denominator) takes factor \"none\"")
    if not period_types:
        raise DefinitionError(f"{where}: no period types")
    dims = tuple(data.get("disaggregations", ()))
    offered = set(MEASURES[numerator.measure].dimensions)
    if denominator is not None:
        offered &= set(MEASURES[denominator.measure].dimensions)
    if set(dims) - offered:
        raise DefinitionError(f"{where}: its measures cannot be broken down by {sorted(set(dims) - offered)}")
    texts = {key: _text(data.get(key, "")) for key in ("name_vi", "name_en", "description_vi", "description_en",
                                                         "legal_source")}
    if not all(texts.values()):
        raise DefinitionError(f"{where}: names, descriptions and legal_source (or {NOT_FOUND}) are required")
    return Definition(
        code=code, indicator_set=indicator_set, factor=factor, numerator=numerator, denominator=denominator,
        period_types=period_types, disaggregations=dims,
        complete_periods_only=bool(data.get("complete_periods_only", False)),
        target_note=_text(data.get("target", "")), **texts,
    )


def read_definitions(directory: Path = DATA_DIR) -> list[Definition]:
    """Every definition of every set file in ``directory``, checked; codes unique across sets."""
    definitions: dict[str, Definition] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        indicator_set = path.stem
        for entry in data.get("indicator", []):
            definition = _definition(entry, indicator_set, path.name)
            if definition.code in definitions:
                raise DefinitionError(f"{path.name}: {definition.code} is defined twice")
            definitions[definition.code] = definition
    return list(definitions.values())
