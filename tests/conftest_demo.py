"""Pytest plugin with demo-service fixtures (real loopback HTTP, no Qt).

Register it with ``pytest_plugins = ["conftest_demo"]`` (``tests/`` is on ``sys.path`` when
``tests/conftest.py`` exists and there is no ``tests/__init__.py``). The demo test modules also
register it themselves, so they run with or without that line.

Fixtures:

* ``demo_shared`` (session): a running 50-case service, seed 1. Treat its data as read-only.
  (Named so it does not clash with ``demo_service`` in ``tests/conftest.py``.)
* ``demo`` (function): the same service with its faults reset before and after the test.
* ``demo_factory`` (function): ``demo_factory(**DemoConfig kwargs)`` starts an extra service,
  stopped at teardown.
* ``fake_clock`` (function): a ``FakeClock`` to pass as ``DemoConfig(clock=...)`` so tokens
  and signed URLs can be expired without sleeping.
* ``demo_http`` (function): an ``httpx.Client`` that ignores proxy environment variables.
* ``list_get`` / ``detail_get`` (function): ``list_get(svc, params, token=, customer_id=)`` and
  ``detail_get(svc, params, key=)`` call the two services as the app does, on ``demo_http``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from caseviewer.demo.server import DemoConfig, DemoService


class FakeClock:
    """A settable stand-in for ``time.time``."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _list_get(client: httpx.Client, svc: DemoService, params: Any = None,
              token: str | None = None, customer_id: str | None = None) -> httpx.Response:
    """GET the case list the way the app does (bearer token, qs-style brackets encoded)."""
    url = f"{svc.list_url}/customers/{customer_id or svc.customer_id}/cases"
    headers = {"Authorization": f"Bearer {token if token is not None else svc.list_token}"}
    return client.get(url, params=params, headers=headers)


def _detail_get(client: httpx.Client, svc: DemoService, params: Any,
                key: str | None = None) -> httpx.Response:
    headers = {"cv-api-key": key if key is not None else svc.detail_key}
    return client.get(f"{svc.detail_url}/api/v1/customer-case-detail", params=params,
                      headers=headers)


@pytest.fixture(scope="session")
def demo_shared() -> Iterator[DemoService]:
    with DemoService(DemoConfig(cases=50, seed=1)) as svc:
        yield svc


@pytest.fixture
def demo(demo_shared: DemoService) -> Iterator[DemoService]:
    demo_shared.faults.reset()
    demo_shared.data.edits.reset()
    yield demo_shared
    demo_shared.faults.reset()
    demo_shared.data.edits.reset()


@pytest.fixture
def demo_factory() -> Iterator[Callable[..., DemoService]]:
    started: list[DemoService] = []

    def make(**kwargs: Any) -> DemoService:
        svc = DemoService(DemoConfig(**kwargs)).start()
        started.append(svc)
        return svc

    yield make
    for svc in started:
        svc.stop()


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def demo_http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=httpx.Timeout(30.0)) as client:
        yield client


@pytest.fixture
def list_get(demo_http: httpx.Client) -> Callable[..., httpx.Response]:
    return lambda svc, params=None, **kw: _list_get(demo_http, svc, params, **kw)


@pytest.fixture
def detail_get(demo_http: httpx.Client) -> Callable[..., httpx.Response]:
    return lambda svc, params, **kw: _detail_get(demo_http, svc, params, **kw)
