"""Where the tests find the repository and the built-in resources."""

from __future__ import annotations

from pathlib import Path

from reportgen.locations import resource_path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = resource_path("samples")
SOURCES = resource_path("sources")
CATALOG = resource_path("plans")
TEMPLATES = resource_path("templates")
SAMPLE_PLAN_ID = "zhoushan-2023-metrology"  # the catalog plan the built-in sample returns fill
