"""The stored results in tests: fill them as the services would have, before a page's queries are counted."""
from django.utils import timezone

# The years the tests' pages show (their data is dated 2023 to this year).
FIRST_TEST_YEAR = 2020


def fill_store(years=None):
    """Compute and store every township-year (what the services keep current on real writes)."""
    from offices.compliance.store import recompute_all

    if years is None:
        years = range(FIRST_TEST_YEAR, timezone.localdate().year + 2)
    return recompute_all(years=years)
