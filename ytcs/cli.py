"""The ``ytcs`` command: Django management commands under one name.

``ytcs orgunits load``, ``ytcs synth ...``, ``ytcs detect ...`` and every
built-in command (``ytcs migrate``) run through ``manage.py``'s machinery.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ytcs", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
