"""Password hashing: Argon2id with the parameters OWASP recommends, not Django's defaults.

Django's Argon2PasswordHasher uses 100 MiB of memory per hash (memory_cost=102400 KiB,
time_cost=2, parallelism=8). A handful of people signing in at once then needs half a
gigabyte, which a small server does not have. The OWASP Password Storage Cheat Sheet (2023
onwards) recommends, for Argon2id, any of these equivalent settings:

    m=47104 (46 MiB), t=1, p=1
    m=19456 (19 MiB), t=2, p=1   <- Accord's choice
    m=12288 (12 MiB), t=3, p=1
    m=9216  (9 MiB),  t=4, p=1
    m=7168  (7 MiB),  t=5, p=1

RFC 9106 section 4 recommends m=2 GiB, t=1, p=4 ("first") or m=64 MiB, t=3, p=4 ("second",
for memory-constrained settings); both cost more memory per sign-in than a small shared server
can give eight people at once, so Accord follows OWASP's second line: 19 MiB and two passes.
Eight sign-ins at once need about 150 MiB of hashing memory.

The algorithm name stays "argon2", so every stored hash still verifies; Django sees that a
stored hash was made with other parameters (`must_update`) and re-hashes the password with these
at the person's next successful sign-in. docs/operations.md says the same for operators.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class AccordArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (OWASP); old hashes are upgraded at the next sign-in."""

    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
