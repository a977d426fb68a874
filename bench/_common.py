"""What the benchmark scripts share besides the throw-away database (_db.py): setting Django up, generating the data
once, running a measurement in a transaction that is rolled back, counting queries, and timing two sides in turns
(paired runs, garbage collection paused as timeit does) with each side's median and the median of the ratios."""

import gc
import os
import statistics
import time
from pathlib import Path


def setup_django(args):
    """Django for a benchmark: DEBUG on only so templates find static files without collectstatic (query logging is
    switched off by setup_test_environment in the scripts), no two-factor sign-in, and --keep-db's SQLite file."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["REQUIRE_2FA"] = "false"
    if args.keep_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.keep_db).resolve()}"
    import django

    django.setup()


def generate_once(args, generate, *, present) -> None:
    """Run `generate_data --scale ... --seed ...` unless `present` (the script's own check of an earlier run's data)
    and the generator's own say there is generated data already."""
    from django.core.management import call_command

    if not present or not generate.generated_data_present():
        print(f"Generating data: generate_data --scale {args.scale} --seed {args.seed} ...", flush=True)
        started = time.perf_counter()
        call_command("generate_data", scale=args.scale, seed=args.seed)
        print(f"  done in {time.perf_counter() - started:.1f} s\n")


# --- Measurements rolled back ---------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def rolled_back(function):
    """Run `function` in a transaction that is then rolled back; its time in seconds and its result."""
    from django.db import transaction

    box = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            box["result"] = function()
            box["seconds"] = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return box["seconds"], box["result"]


def queries_of(function) -> int:
    """Queries one rolled-back call issues."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        rolled_back(function)
    return len(captured)


# --- Paired timing -----------------------------------------------------------------------------------------------


def paired_times(first, second, reps: int, *, measure) -> tuple[list[float], list[float]]:
    """`measure(function)` (seconds) of the two sides taking turns (first then second, then second then first, and
    so on) so both meet the same machine load, with garbage collection paused."""
    first_times, second_times = [], []
    gc.collect()
    gc.disable()  # as timeit does: a collection landing in one run would skew it
    try:
        for turn in range(reps):
            pair = (first, second) if turn % 2 == 0 else (second, first)
            for function in pair:
                (first_times if function is first else second_times).append(measure(function))
    finally:
        gc.enable()
    return first_times, second_times


def medians(first_times, second_times) -> tuple[float, float, float]:
    """Each side's median and the median of the paired ratios (first / second)."""
    ratio = statistics.median(a / b for a, b in zip(first_times, second_times, strict=True))
    return statistics.median(first_times), statistics.median(second_times), ratio


def count_queries(function) -> int:
    """Queries one call issues (after a warm-up call, so caches are as they will be when timed)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    function()
    reset_queries()  # the log keeps at most 9,000 queries; start each count from empty
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def row(label: str, seconds: float, queries: int) -> str:
    return f"  {label:<44} {seconds * 1000:>10.2f} ms {queries:>6} queries"


def compare(title: str, orm, raw, reps: int, *, orm_label: str, raw_label: str) -> dict:
    """Time the two side by side (paired_times; not rolled back), print each side's median and queries and the
    median of the per-turn ratios."""
    orm_queries, raw_queries = count_queries(orm), count_queries(raw)
    orm_time, raw_time, ratio = medians(*paired_times(orm, raw, reps, measure=timed))
    print(title)
    print(row(orm_label, orm_time, orm_queries))
    print(row(raw_label, raw_time, raw_queries))
    print(f"  {'ratio (median of paired runs)':<44} {ratio:>10.1f} x")
    print()
    return {"title": title, "orm": orm_time, "raw": raw_time, "ratio": ratio}


def print_summary(heading: str, results: list[dict], *, width: int = 48, places: int = 1) -> None:
    """The closing table of `compare` results: each pair's medians in ms and their ratio."""
    print(heading)
    for result in results:
        print(
            f"  {result['title']:<{width}} {result['orm'] * 1000:>9.2f} ms vs {result['raw'] * 1000:>8.2f} ms"
            f"  = {result['ratio']:.{places}f} x"
        )


def main(parse_args, run) -> int:
    """A benchmark script's main(): its arguments, Django, and `run(args)` in a throw-away database (_db.py)."""
    args = parse_args()
    setup_django(args)
    from _db import run_in_throwaway_db

    return run_in_throwaway_db(run, args)
