"""The main window's controllers: one concern each, assembled by ``ui/window/main_window.py``.

``case_list`` (query, paging, sort, columns, the table's state overlay), ``selection`` (which
case the pane shows and how it is loaded), ``offline`` (offline state, probing, Work offline),
``cache_commands`` (sync, clear, purge, cache size, Find in cached cases), ``status_bar`` and
``crash`` (the bug dialog). Each controller is a ``QObject`` child of the window and reaches the
other parts through it (``window.case_list``, ``window.selection``, ...).
"""
