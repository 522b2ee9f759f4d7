"""Subcommands a higher app adds to a lower app's ``ytcs`` command, without the lower app importing it.

``ytcs orgunits synth`` and ``ytcs surveillance synth`` are part of those commands' interface, but the demo
data they write belongs to the top layer (``ytcs.synth``), which no domain may import (``docs/architecture.md``,
"Layers run one way"). So a domain command asks this registry for the subcommands registered under its name
(:func:`add_subcommands` while building its parser, :func:`run_subcommand` for an action it does not know),
and the higher app registers them when Django loads it (``AppConfig.ready``). Without that app installed the
subcommand simply does not exist.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand


@dataclass(frozen=True)
class Subcommand:
    """One ``ytcs <command> <name>``: its help line, its arguments and what it does."""

    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    handle: Callable[[BaseCommand, dict[str, Any]], None]


_REGISTRY: dict[str, dict[str, Subcommand]] = {}


def register_subcommand(command: str, subcommand: Subcommand) -> None:
    """Add ``subcommand`` to the command named ``command`` (registering the same name again replaces it)."""
    _REGISTRY.setdefault(command, {})[subcommand.name] = subcommand


def add_subcommands(command: str, subparsers: Any) -> None:
    """Declare the subcommands registered under ``command`` on its ``add_subparsers()`` object."""
    for subcommand in _REGISTRY.get(command, {}).values():
        subcommand.add_arguments(subparsers.add_parser(subcommand.name, help=subcommand.help))


def run_subcommand(instance: BaseCommand, command: str, action: str, options: dict[str, Any]) -> None:
    """Run the registered subcommand ``action`` of ``command`` (argparse has already refused unknown ones)."""
    _REGISTRY[command][action].handle(instance, options)
