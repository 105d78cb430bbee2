"""The `zielwerk` command: every batch job of the project as a subcommand.

Subcommands are Django management commands; the CLI accepts the documented spelling with
hyphens (`zielwerk import-sek`) and maps it to the module name (`import_sek`)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielwerk.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.conf import settings

    # The SQLite file and collected static files live here; WhiteNoise expects the folder.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
