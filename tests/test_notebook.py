"""``examples/msplink_tour.ipynb`` runs top to bottom in a real kernel (nbclient) and shows what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "msplink_tour.ipynb"


def test_the_tour_notebook_runs(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")  # kept clean
    nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Plan for flow 'cw-companies-to-qbo-customers'" in text
    assert "customers would be created in QuickBooks" in text
    assert "MRR: " in text and " USD" in text
    images = [
        o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.data
    ]
    assert len(images) == 1  # the AR aging chart
    tables = [o for o in outputs if o.output_type == "execute_result" and "text/html" in o.data]
    assert len(tables) >= 3  # the plan, the aging rows, the unified report
