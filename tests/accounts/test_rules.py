"""The account rules as pure functions: session end, time left, password change, character classes."""
from datetime import UTC, datetime, timedelta

import pytest

from offices.accounts import rules

IDLE, MAX = 30 * 60, 12 * 3600


@pytest.mark.parametrize(
    "login_ago, active_ago, expected",
    [
        (60, 60, None),
        (3600, IDLE, None),  # exactly 30 minutes is not yet "more than 30 minutes"
        (3600, IDLE + 1, rules.IDLE),
        (MAX, 0, None),
        (MAX + 1, 0, rules.LIFETIME),
        (MAX + 1, IDLE + 1, rules.LIFETIME),  # too old wins over idle
        (None, None, None),  # a session from before the stamps: nothing to measure yet
    ],
)
def test_session_end(login_ago, active_ago, expected):
    now = 1_800_000_000.0
    login_at = None if login_ago is None else now - login_ago
    active_at = None if active_ago is None else now - active_ago
    assert rules.session_end(now=now, login_at=login_at, active_at=active_at, idle_seconds=IDLE,
                             max_seconds=MAX) == expected


def test_session_remaining_is_the_nearer_limit():
    now = 1_800_000_000.0
    assert rules.session_remaining(now=now, login_at=now - 60, active_at=now - 60, idle_seconds=IDLE,
                                   max_seconds=MAX) == IDLE - 60
    assert rules.session_remaining(now=now, login_at=now - MAX + 100, active_at=now, idle_seconds=IDLE,
                                   max_seconds=MAX) == 100
    assert rules.session_remaining(now=now, login_at=now - MAX - 5, active_at=now, idle_seconds=IDLE,
                                   max_seconds=MAX) == 0


NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "must_change, changed_days_ago, max_age_days, expected",
    [
        (False, 10, 0, None),
        (False, 10_000, 0, None),  # expiry off
        (True, 0, 0, rules.SET_BY_ADMINISTRATOR),
        (False, 89, 90, None),
        (False, 90, 90, rules.EXPIRED),
        (True, 100, 90, rules.SET_BY_ADMINISTRATOR),
        (False, None, 90, None),  # never set through set_password (the demo accounts)
    ],
)
def test_password_change_reason(must_change, changed_days_ago, max_age_days, expected):
    changed_at = None if changed_days_ago is None else NOW - timedelta(days=changed_days_ago)
    assert rules.password_change_reason(must_change=must_change, changed_at=changed_at, now=NOW,
                                        max_age_days=max_age_days) == expected


@pytest.mark.parametrize(
    "password, classes",
    [("zhangsan", 1), ("ZHANGSAN", 1), ("12345678", 1), ("!!!", 1), ("zhangsan2025", 2), ("Zhangsan2025", 3),
     ("Zhangsan-2025", 4), ("wuyou-demo-2025", 3), ("民政办abc1", 3), ("", 0)],
)
def test_character_classes(password, classes):
    assert rules.character_classes(password) == classes
