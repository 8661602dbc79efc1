"""Fixtures for sync tests on the private 50-case demo service (``fresh_demo``).

Shared by ``tests/unit/test_sync.py`` and ``tests/faults/test_sync_interrupted.py``: the service
clients (``api``, no retries) and the numbers every complete sync must add up to.
"""

from __future__ import annotations

import pytest

from tests.unit.test_cache_support import make_api

#: Cases in ``fresh_demo`` (DemoConfig(cases=50)).
CASES = 50
#: Listed cases the demo's detail service does not know (it answers 404): every 17th.
LIST_ONLY = sum(1 for i in range(CASES) if i % 17 == 16)


@pytest.fixture
def api(fresh_demo):
    """Both service clients for ``fresh_demo``, closed after the test."""
    api = make_api(fresh_demo)
    yield api
    api.close()
