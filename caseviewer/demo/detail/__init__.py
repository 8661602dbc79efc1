"""The synthetic CareValidate ``caseDetail`` documents, built one case at a time from ``(seed, index)``.

``document.build(data, index)`` is the entry point (``DemoData`` calls it). One module a job:

* ``document``  the case's own fields (submitter, activity, calendar events) and the whole document
* ``clinical``  decisions with their medications, intake form responses
* ``commerce``  case products, payments with their fees, pharmacy orders
* ``threads``   the case's attachments, public comments and internal notes (hostile file names)
* ``context``   one case's random stream, ids, timestamps and flags, and the helpers sections share
* ``codes``     the codes the fields take, and the hostile text
"""
