"""How the store's costs grow over a year: run `python bench/bench_store.py`.

A year of 1,000 people is about 40,000 history records (actions, messages,
feedback, responses) over 12 monthly partitions plus a few thousand state
records. The point to check: a tick's flush and an idle tick cost the same at
month 12 as at month 1, because only this month's partitions and state.json
are rewritten and reads never touch disk.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.core.storage import AtomicJSONStorage  # noqa: E402
from agent.core.store import Store  # noqa: E402

PEOPLE = 1000
PER_MONTH = {"actions": 1300, "messages": 1100, "feedback": 450, "responses": 500}  # ~40k/yr


class MeteredStorage(AtomicJSONStorage):
    bytes = 0
    files = 0

    def stage(self, data: dict[str, dict[str, object]]) -> None:
        before = self.bytes_written
        super().stage(data)
        MeteredStorage.bytes += self.bytes_written - before
        MeteredStorage.files += 1


class MeteredStore(Store):
    storage_class = MeteredStorage


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fill_state(store: Store) -> None:
    for p in range(PEOPLE // 2):
        store.put("pairings", f"pair/{p}", {"a": f"p{2 * p}@x.fr", "b": f"p{2 * p + 1}@x.fr",
                                            "format": "mentoring", "status": "active"})
        store.put("series", f"pair/{p}", {"start": "2026-01-05T09:00:00+00:00", "weeks": 2,
                                          "attendees": [f"p{2 * p}@x.fr", f"p{2 * p + 1}@x.fr"]})


def fill_month(store: Store, month: int, share: float = 1.0) -> None:
    m = f"2026-{month:02d}"
    for table, n in PER_MONTH.items():
        for i in range(int(n * share)):
            store.put(table, f"{table}/{m}/{i}", {
                "pairing": f"pair/{i % 500}", "at": f"{m}-10T09:00:00+00:00",
                "status": "done", "text": "what I learned this session " * 3}, month=m)


def tick(store: Store, month: int, n: int = 30) -> None:
    """A busy tick: n actions begun and finished, a few history records, one mark."""
    at = datetime(2026, month, 15, 9, tzinfo=UTC)
    for i in range(n):
        key = f"mail/objectives/tick/{month}/{i}"
        store.begin(key, "mail", {"raw": "QUJD" * 2000}, at)
    store.flush()
    for i in range(n):
        store.finish(f"mail/objectives/tick/{month}/{i}", at, ref=f"<{i}@binome>")
        store.put("messages", f"<{month}.{i}@binome>", {"pairing": "pair/1"},
                  month=at.strftime("%Y-%m"))
    store.put("marks", "last_tick", {"at": at.isoformat()})


def measure_tick(store: Store, month: int) -> tuple[float, int, int]:
    tick(store, month)
    MeteredStorage.bytes = MeteredStorage.files = 0
    seconds = timed(store.flush)
    return seconds, MeteredStorage.bytes, MeteredStorage.files


def main() -> None:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = Store(root / "puts")
        at = datetime(2026, 3, 1, tzinfo=UTC)

        def puts() -> None:
            for i in range(3000):
                store.begin(f"mail/{i}", "mail", {"to": f"p{i}@x.fr"}, at)
                if i % 100 == 99:
                    store.flush()

        rows.append(("3,000 begin() with a flush every 100", f"{timed(puts):.2f} s"))

        year = MeteredStore(root / "year")
        fill_state(year)
        fill_month(year, 1, share=0.5)  # mid-month
        year.flush()
        t1, b1, f1 = measure_tick(year, 1)
        for month in range(1, 12):
            fill_month(year, month, share=0.5 if month == 1 else 1.0)
        fill_month(year, 12, share=0.5)
        year.flush()
        t12, b12, f12 = measure_tick(year, 12)
        for label, (t, b, f) in (("1", (t1, b1, f1)), ("12", (t12, b12, f12))):
            rows.append((f"busy tick flush (30 actions), month {label}",
                         f"{t * 1000:.1f} ms, {b / 1e6:.2f} MB, {f} files"))

        ids = [f"actions/2026-{random.randint(1, 12):02d}/{random.randrange(650)}"
               for _ in range(10_000)]
        seconds = timed(lambda: [year.get("actions", id) for id in ids])
        rows.append(("get() at month 12", f"{seconds / len(ids) * 1e6:.1f} µs"))
        def idle_tick() -> None:
            year.get("marks", "last_tick")
            year.pending()
            year.flush()

        idle = timed(idle_tick)
        rows.append(("idle tick (get, pending, no-op flush)", f"{idle * 1e6:.0f} µs"))

        records = sum(1 for t in PER_MONTH for _ in year.all(t))
        size = sum(p.stat().st_size for p in (root / "year").iterdir())
        opened: list[Store] = []
        seconds = timed(lambda: opened.append(Store(root / "year")))
        rows.append((f"open at month 12 ({records:,} records, {size / 1e6:.1f} MB)",
                     f"{seconds * 1000:.0f} ms"))

    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
