#!/usr/bin/env python
"""Django's command-line utility; ``ytcs`` is the same thing, installed."""

from ytcs.cli import main

if __name__ == "__main__":
    main()
