"""The bundled demo case service: real HTTP on 127.0.0.1 with deterministic synthetic data.

Entry point: ``caseviewer.demo.server.DemoService`` / ``DemoConfig``. Modules, one job each:

* ``server``    runs the two HTTP servers and holds their shared state (``DemoService``)
* ``api_handler``   the main port: routing; list, sign-in, detail and fault-control handlers
* ``files_handler`` the files port: signed attachment downloads
* ``error_bodies``  each service's error shape (JSON for list/auth/detail, S3 XML for files)
* ``tokens``    the list service's bearer tokens (static, and id_tokens from sign-in)
* ``request_log``   the main port's last requests, for tests and benchmarks
* ``transport`` stoppable threading server, keep-alive responses with faults applied
* ``listing``   the list service's paging/sort/filter/search query language
* ``data``      the dataset by index: list records, lookups, cached detail documents
* ``detail/``   builds one ``caseDetail`` document, a module a group of sections (see its ``__init__``)
* ``files``     real PNG/JPEG/PDF/TXT/CSV/JSON bytes for attachments
* ``signing``   expiring HMAC-signed attachment URLs
* ``faults``    the fault knobs (latency, 5xx, 429, malformed/truncated/slow/reset bodies)
* ``ids``, ``words``  stable ids/timestamps and the word lists names are made from

Nothing here imports Qt; everything is synthetic (no real person's data).
"""
