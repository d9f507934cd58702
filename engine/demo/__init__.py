"""The demo for `make run`: fictional people in a small Ministry of Commerce office, and what they did.

- `organisation`: units, people, roles and local accounts; `seed_demo` seeds everything below too.
- `attendance`: holidays, the MOC-OPS site and a month of realistic punches.
- `requests`: a registered face terminal and three requests waiting for the supervisor.

Only runs when asked for (`opsta demo`, or `opsta run --demo` on an empty database).
"""
