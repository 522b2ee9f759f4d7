"""Synthetic data of every domain and the demo: the top layer, which no domain imports.

``people`` (households and residents, life events, injected duplicates), ``clinical`` (visit histories),
``surveillance`` (weekly series with a measles burst), ``orgunits`` (villages, facilities, staff); the commands
``ytcs synth``, ``synth-events``, ``synth-visits`` and ``demo``, and the subcommands ``ytcs orgunits synth`` and
``ytcs surveillance synth`` (registered into those commands, see :mod:`ytcs.synth.subcommands`). The numbers
behind them are in ``data/`` with their sources. New domains add their synthesis here.
"""
