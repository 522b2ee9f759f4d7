"""The measure catalogue; importing this package registers every measure (see :mod:`.base`)."""

from ytcs.indicators.measures import facilities, people, population, surveillance, visits  # noqa: F401
from ytcs.indicators.measures.base import DIMENSIONS, MEASURES, Ask, Measure

__all__ = ["DIMENSIONS", "MEASURES", "Ask", "Measure"]
