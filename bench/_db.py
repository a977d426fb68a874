"""What every benchmark script shares: running its measurements in a throw-away database (a new SQLite file in a
temporary folder, or Django's test database beside DATABASE_URL's), or in a kept SQLite file with --keep-db."""

import tempfile
from pathlib import Path


def run_in_throwaway_db(run, args) -> int:
    """Call run(args) in a fresh database, dropped afterwards; with args.keep_db, in that (migrated) file."""
    from django.core.management import call_command
    from django.db import connection

    if args.keep_db:
        call_command("migrate", verbosity=0)
        run(args)
        return 0
    temporary = tempfile.TemporaryDirectory(prefix="opcc-bench-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(temporary.name) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        temporary.cleanup()
    return 0
