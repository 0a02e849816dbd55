"""Accounts: login failures, session lifetime and password rules (等保 level 3, issue 11 points 1–3).

`rules` decides (pure functions), `validators` holds the password rule Django's validation runs,
`sessions` keeps a session's login and activity times, `middleware` ends sessions and forces password
changes, `services` writes, `views` and `forms` are the pages.
"""
