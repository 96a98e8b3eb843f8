"""The staffed IT desk of test_tickets.py, for the other ticket test modules."""

from tests.runtime.test_tickets import desk  # noqa: F401  (a fixture)
