"""How long does a two-year schedule of 4 children with holiday rules take? (Issue 12: < 20 ms.)

Run by hand (this is a benchmark, not a test; pytest never collects it):

    uv run python bench/timeshare.py

No Django and no database: `accord.timeshare` is pure Python. The schedule is a 2-2-5-5 rotation
with handovers at school (Friday 15:30, Monday 09:00), three school terms a year with school hours
left out, yearly alternating Christmas split at 13:00, alternating Easter, summer halves, a fixed
Mother's Day and Father's Day, a birthday exception, and one holiday for one child only (so the
children do not all share one answer). It computes 24 months for 4 children `--repeat` times
after `--warmup` untimed runs and prints the median, the 95th percentile and the best time of
the wall clock, the median CPU time and the machine's load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accord.timeshare import (
    PATTERNS,
    Exception_,
    Handover,
    HolidayRule,
    Schedule,
    Term,
    compute,
)

START = dt.date(2026, 9, 7)  # a Monday
END = dt.date(2028, 9, 5)  # 24 months
TARGET_MS = 20.0


def build_schedule(distinct: bool = False) -> Schedule:
    holidays: list[HolidayRule] = [
        HolidayRule(
            "Christmas",
            dt.date(2026, 12, 24),
            dt.date(2026, 12, 25),
            alternate=("A", "B"),
            split_at=dt.datetime(2026, 12, 25, 13, 0),
            start_time=dt.time(13, 0),
            yearly=True,
        ),
        HolidayRule(
            "Mother's Day", dt.date(2027, 3, 7), dt.date(2027, 3, 7), carer="A", yearly=True
        ),
        HolidayRule(
            "Father's Day", dt.date(2027, 6, 20), dt.date(2027, 6, 20), carer="B", yearly=True
        ),
        HolidayRule("Easter 2027", dt.date(2027, 3, 26), dt.date(2027, 4, 2), carer="B"),
        HolidayRule("Easter 2028", dt.date(2028, 4, 14), dt.date(2028, 4, 21), carer="A"),
        HolidayRule("Summer 2027 first half", dt.date(2027, 7, 24), dt.date(2027, 8, 13), "A"),
        HolidayRule("Summer 2027 second half", dt.date(2027, 8, 14), dt.date(2027, 9, 3), "B"),
        HolidayRule("Summer 2028 first half", dt.date(2028, 7, 22), dt.date(2028, 8, 11), "B"),
        HolidayRule(
            "Summer 2028 second half", dt.date(2028, 8, 12), dt.date(2028, 9, 1), carer="A"
        ),
        HolidayRule(
            "School trip", dt.date(2027, 5, 10), dt.date(2027, 5, 12), carer="A", children=(4,)
        ),
    ]
    if distinct:  # every child has a trip of its own: four separate computations, no sharing
        holidays += [
            HolidayRule(
                f"Trip {child}",
                dt.date(2027, 10, 4 + child),
                dt.date(2027, 10, 4 + child),
                carer="B",
                children=(child,),
            )
            for child in (1, 2, 3)
        ]
    terms = []
    for year in (2026, 2027, 2028):
        terms += [
            Term(dt.date(year, 9, 3), dt.date(year, 12, 18), f"Autumn {year}"),
            Term(dt.date(year, 1, 5), dt.date(year, 3, 25), f"Spring {year}"),
            Term(dt.date(year, 4, 12), dt.date(year, 7, 21), f"Summer {year}"),
        ]
    return Schedule(
        PATTERNS["2-2-5-5"],
        START,
        handovers=(Handover(4, dt.time(15, 30)), Handover(0, dt.time(9, 0))),
        holidays=tuple(holidays),
        terms=tuple(terms),
        exceptions=(Exception_(dt.date(2027, 11, 3), "B", dt.time(16), dt.time(19), "Birthday"),),
        exclude_school_hours=True,
    )


def measure(schedule: Schedule, repeat: int, warmup: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per run (CPU time is what a busy machine cannot inflate)."""
    for _ in range(warmup):
        compute(schedule, START, END, children=4)
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        compute(schedule, START, END, children=4)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return sorted(wall), sorted(cpu)


def report(label: str, times: tuple[list[float], list[float]]) -> float:
    wall, cpu = times
    median = statistics.median(wall)
    p95 = wall[min(len(wall) - 1, int(len(wall) * 0.95))]
    print(
        f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms, best {wall[0]:.2f} ms "
        f"(CPU median {statistics.median(cpu):.2f} ms)"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    schedule = build_schedule()
    result = compute(schedule, START, END, children=4)
    days = (END - START).days + 1
    print(f"4 children, {days} days ({START} to {END}), {len(schedule.holidays)} holiday rules")
    for child, share in result.children.items():
        a, b = share["A"], share["B"]
        print(
            f"  child {child}: A {a.overnights} nights {float(a.hours):.1f} h, "
            f"B {b.overnights} nights {float(b.hours):.1f} h, "
            f"school {float(share.third_party_hours):.1f} h"
        )
    median = report("children sharing most rules", measure(schedule, args.repeat, args.warmup))
    worst = report(
        "every child with a rule of its own",
        measure(build_schedule(distinct=True), args.repeat, args.warmup),
    )
    median = max(median, worst)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"target under {TARGET_MS:.0f} ms: {'met' if median < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
