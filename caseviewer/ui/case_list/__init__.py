"""The case list: the table model, the filter bar, status chips and the table's states."""
