"""What an export contains and how it is written, decided without Qt.

``csv_export`` turns case-list records into spreadsheet-safe CSV; ``dossier_content`` turns a
``CaseDetail`` into a plain structure (cover, timeline, sections, attachment index) that the UI's
renderer lays out as a PDF; ``writing`` publishes an export atomically with mode 0600 and calls the
export recorders (the hook the access log will use).
"""
