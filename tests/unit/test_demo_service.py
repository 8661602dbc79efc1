"""Demo service lifecycle, public values, determinism and the no-Qt rule."""

from __future__ import annotations

import ast
import socket
import sys
import threading
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ holds conftest_demo
pytest_plugins = ["conftest_demo"]

import caseviewer.demo  # noqa: E402
from caseviewer.demo.server import DemoConfig, DemoService  # noqa: E402

ALL_FLAGS = {"includeAttachments": "true", "includeCalendarEvents": "true",
             "includeOrders": "true", "includeCaseProducts": "true"}


def test_credentials_lines(demo):
    lines = demo.credentials_lines()
    keys = [line.split("=", 1)[0] for line in lines]
    assert keys == ["list_url", "auth_url", "detail_url", "customer_id", "list_token",
                    "login_email", "login_password", "detail_key"]
    values = dict(line.split("=", 1) for line in lines)
    assert values["list_url"] == demo.list_url == demo.auth_url + "/case/api/v1"
    assert values["customer_id"] == demo.customer_id
    assert values["detail_key"] == demo.detail_key
    assert demo.list_url.startswith("http://127.0.0.1:")
    assert demo.files_url != demo.auth_url


def test_same_seed_gives_identical_json(demo_factory, list_get, detail_get):
    first, second = demo_factory(cases=60, seed=42), demo_factory(cases=60, seed=42)
    assert first.list_token == second.list_token and first.customer_id == second.customer_id
    for params in ({"pagination": "false"}, {"sort[data_businesses.name]": "DESC", "page": 2}):
        assert list_get(first, params).content == list_get(second, params).content
    for index in (0, 1, 2, 3, 10, 32):
        a = detail_get(first, {"caseId": first.data.case_id(index), **ALL_FLAGS})
        b = detail_get(second, {"caseId": second.data.case_id(index), **ALL_FLAGS})
        assert a.status_code == 200 and a.content == b.content


def test_other_seed_gives_other_data(demo_factory):
    a, b = demo_factory(cases=5, seed=1), demo_factory(cases=5, seed=2)
    assert a.data.case_ids() != b.data.case_ids()
    assert a.data.list_record(0) != b.data.list_record(0)


def test_detail_cache_stays_deterministic_after_eviction():
    from caseviewer.demo.data import DETAIL_CACHE_SIZE, DemoData

    data = DemoData(cases=DETAIL_CACHE_SIZE * 2 + 5, seed=9)
    first = data.detail(data.case_id(0))
    for index in range(1, DETAIL_CACHE_SIZE * 2 + 5):
        data.detail(data.case_id(index))
    assert data.detail(data.case_id(0)) == first


def test_stop_closes_keep_alive_connections_and_frees_the_port(list_get):
    svc = DemoService(DemoConfig(cases=5)).start()
    port = int(svc.auth_url.rsplit(":", 1)[1])
    files_port = int(svc.files_url.rsplit(":", 1)[1])
    with httpx.Client(trust_env=False) as client:  # keeps its connection alive
        url = f"{svc.list_url}/customers/{svc.customer_id}/cases"
        headers = {"Authorization": f"Bearer {svc.list_token}"}
        assert client.get(url, headers=headers).status_code == 200
        svc.faults.update(slow_body_bps=1)  # a download that would take minutes
        worker = threading.Thread(target=lambda: _swallow(client.get, url, headers=headers))
        worker.start()
        svc.stop()
        worker.join(10)
        assert not worker.is_alive()
        with pytest.raises(httpx.TransportError):
            client.get(url, headers=headers)
    # Both ports can be taken again at once.
    again = DemoService(DemoConfig(cases=5, port=port, files_port=files_port)).start()
    try:
        assert again.auth_url.endswith(f":{port}")
        assert list_get(again).status_code == 200
    finally:
        again.stop()
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def _swallow(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except httpx.HTTPError:
        pass


def test_context_manager_and_idempotent_start_stop():
    svc = DemoService(DemoConfig(cases=3))
    svc.stop()  # never started: nothing to do
    with svc as running:
        assert running is svc
        url = svc.auth_url
        assert svc.start().auth_url == url
    with pytest.raises(RuntimeError):
        svc.list_url  # noqa: B018 - not running any more


def test_demo_package_never_imports_qt():
    root = Path(caseviewer.demo.__file__).parent
    for source in root.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("PySide", "PyQt", "shiboken")), (source, name)


def test_assets_ship_inside_the_package():
    assets = Path(caseviewer.demo.__file__).parent / "assets"
    jpeg = (assets / "intake_photo.jpg").read_bytes()
    assert jpeg[:3] == b"\xff\xd8\xff"
