"""The bundled demo case service: real HTTP on 127.0.0.1 with deterministic synthetic data.

Entry point: ``caseviewer.demo.server.DemoService`` / ``DemoConfig``. Modules, one job each:

* ``server``    the two HTTP servers (list + sign-in + detail + fault control; signed files)
* ``transport`` stoppable threading server, keep-alive responses with faults applied
* ``listing``   the list service's paging/sort/filter/search query language
* ``data``      the dataset by index: list records, lookups, cached detail documents
* ``detail``    builds one ``caseDetail`` document
* ``files``     real PNG/JPEG/PDF/TXT/CSV/JSON bytes for attachments
* ``signing``   expiring HMAC-signed attachment URLs
* ``faults``    the fault knobs (latency, 5xx, 429, malformed/truncated/slow/reset bodies)
* ``ids``, ``words``  stable ids/timestamps and the word lists names are made from

Nothing here imports Qt; everything is synthetic (no real person's data).
"""
