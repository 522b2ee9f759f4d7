"""Synthetic demo population: households and residents with plausible Vietnamese names and identifiers.

``data`` loads the sourced distributions in ``ytcs/synth/data/``, ``generator`` draws one chunk of people
with numpy, ``ids`` keeps identifiers unique across chunks, ``writer`` bulk-loads a chunk, and ``service`` ties
them together in one transaction (villages come from ``ytcs.synth.orgunits.villages_synthesise``).
"""
