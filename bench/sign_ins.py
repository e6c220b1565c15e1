"""How much memory do 8 people signing in at once take?

Run by hand (a benchmark, not a test):

    uv run python bench/sign_ins.py            # Accord's Argon2 parameters and Django's defaults

For each hasher it starts a fresh Python process that loads Django (as a server process does),
hashes a password once, then verifies it in 8 threads at once (argon2-cffi releases the GIL, so
the 8 run in parallel as 8 sign-ins in a threaded server would) and reports the process's peak
resident memory (ru_maxrss). The issue's budget is 400 MB for the whole server process.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

HASHERS = {
    "accord": "accord.accounts.hashers.AccordArgon2PasswordHasher",
    "django": "django.contrib.auth.hashers.Argon2PasswordHasher",
}


def child(name: str, people: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import check_password, make_password

    from accord.config import urls  # noqa: F401  (load the app as a server would)

    encoded = make_password("correct horse battery staple", hasher=_hasher(name))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = threading.Barrier(people)
    results: list[bool] = []

    def sign_in() -> None:
        start.wait()
        results.append(check_password("correct horse battery staple", encoded))

    threads = [threading.Thread(target=sign_in) for _ in range(people)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert all(results) and len(results) == people
    params = encoded.split("$")[3]
    print(
        f"{name:<7} {params:<18} loaded {before:6.0f} MB  peak with {people} sign-ins "
        f"{peak:6.0f} MB  ({took:.2f} s)"
    )


def _hasher(name: str) -> object:
    from django.utils.module_loading import import_string

    return import_string(HASHERS[name])()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=8)
    parser.add_argument("--child", choices=sorted(HASHERS))
    args = parser.parse_args()
    if args.child:
        child(args.child, args.people)
        return
    for name in HASHERS:
        subprocess.run(
            [sys.executable, __file__, "--child", name, "--people", str(args.people)], check=True
        )


if __name__ == "__main__":
    main()
