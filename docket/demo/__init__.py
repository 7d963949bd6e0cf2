"""The demo court: a plausible, deterministic criminal court for trying Docket out and for
the benchmarks in bench/ (`docket demo`, `python -m bench.demo_load`).

`generator` loads it (bulk inserts, explicit ids); `story` tells one case from filing to
today; `calendar` holds the court's days and sessions; `people` and `charges` are the cast.
"""

from docket.demo.generator import (
    DEMO_LOGINS,
    DemoError,
    DemoReport,
    build_demo,
    database_has_court,
)

__all__ = ["DEMO_LOGINS", "DemoError", "DemoReport", "build_demo", "database_has_court"]
