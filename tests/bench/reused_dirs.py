"""Where benchmarks keep the large cache files they build once and reuse (never in the repository).

``$CASEVIEWER_BENCH_DIR`` when set, else ``~/.cache/caseviewer-bench``; one subfolder per bench.
The files hold synthetic demo data only, with their synthetic keys beside them. (Not named
``bench_*.py``: ``run_all.py`` runs those as benchmarks.)
"""

from __future__ import annotations

import os
from pathlib import Path


def bench_dir(name: str) -> Path:
    """The reusable folder for bench ``name`` (not created here)."""
    root = os.environ.get("CASEVIEWER_BENCH_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "caseviewer-bench"
    return base / name
