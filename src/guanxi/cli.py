"""The `guanxi` console script: Django's management commands under the product's name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    from guanxi.network.cli import is_file_run

    if is_file_run(args):
        from guanxi.network.cli import main as file_run

        sys.exit(file_run(args))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guanxi", *args])


if __name__ == "__main__":
    main()
