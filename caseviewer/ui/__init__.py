"""The Qt layer: main window, table model, detail tabs, previews, dialogs and workers."""
