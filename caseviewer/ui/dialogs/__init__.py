"""The dialogs: profiles, open case, sync, find in cached cases, access log, first run."""
