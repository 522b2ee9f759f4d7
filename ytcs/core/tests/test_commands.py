"""The registry through which a higher app adds a subcommand to a lower app's command."""

import argparse

import pytest
from django.core.management.base import BaseCommand

from ytcs.core import commands
from ytcs.core.commands import Subcommand, add_subcommands, register_subcommand, run_subcommand


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    monkeypatch.setattr(commands, "_REGISTRY", {})


def test_a_registered_subcommand_is_offered_by_its_command_only_and_runs_with_its_options():
    ran = []
    register_subcommand("host", Subcommand(
        "probe", "a probe", lambda parser: parser.add_argument("--n", type=int, default=1),
        lambda command, options: ran.append((command, options["n"]))))
    host, other = argparse.ArgumentParser(), argparse.ArgumentParser()
    add_subcommands("host", host.add_subparsers(dest="action", required=True))
    add_subcommands("other", other.add_subparsers(dest="action", required=True))
    options = vars(host.parse_args(["probe", "--n", "3"]))
    command = BaseCommand()
    run_subcommand(command, "host", options["action"], options)
    assert ran == [(command, 3)]
    with pytest.raises(SystemExit):
        other.parse_args(["probe"])


def test_registering_a_name_again_replaces_it():
    register_subcommand("host", Subcommand("probe", "old", lambda parser: None, lambda command, options: None))
    register_subcommand("host", Subcommand("probe", "new", lambda parser: None, lambda command, options: None))
    parser = argparse.ArgumentParser()
    add_subcommands("host", parser.add_subparsers(dest="action"))
    assert "new" in parser.format_help() and "old" not in parser.format_help()
