"""The value commands of the `zielwerk` CLI: summaries, errors and exit codes."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.indicators_support import OPENSDG, make_indicators, store
from zielwerk.indicators.models import Indicator, Value

ROOT = Path(__file__).resolve().parents[1]
DEBT_FILE = str(OPENSDG / "dns" / "data" / "indicator_12-4.csv")


def command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def cli(*args: str) -> subprocess.CompletedProcess:
    """The installed `zielwerk` command, as a user runs it (hyphenated subcommands)."""
    return subprocess.run(
        [sys.executable, "-m", "zielwerk.cli", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_import_with_summary(db):
    out = command("import_values", DEBT_FILE, "--create-indicators", "--approve")

    assert out.splitlines()[-1] == "11 Werte neu, 0 geändert, 0 unverändert, 11 freigegeben"
    assert "Indikatoren angelegt (1): 12-4" in out
    again = command("import_values", DEBT_FILE).splitlines()
    assert again[-1] == "0 Werte neu, 0 geändert, 11 unverändert"


def test_import_errors_name_every_problem_and_store_nothing(db):
    with pytest.raises(CommandError) as raised:
        command("import_values", str(OPENSDG / "dns"))

    assert "26 Fehler, es wurde nichts gespeichert" in str(raised.value)
    assert "Den Indikator „12-4“ gibt es nicht" in str(raised.value)
    assert not Value.objects.exists()


def test_template_export_and_import_of_xlsx(demo, tmp_path: Path):
    debt = make_indicators(demo).debt
    store(debt, (2020, 1.0), approve=True)
    template = tmp_path / "vorlage.xlsx"

    command("values_template", "test-schulden", "--output", str(template))
    book = load_workbook(template)
    book["Werte"].append([2021, None, "2,5"])
    book.save(template)
    out = command("import_values", str(template), "--user", "finanzen")
    assert out.strip() == "1 Werte neu, 0 geändert, 0 unverändert"
    with pytest.raises(CommandError) as raised:
        command("import_values", str(template), "--user", "buergerdienste")
    assert "Sie dürfen keine Werte für den Indikator „test-schulden“ erfassen." in str(raised.value)

    exported = tmp_path / "werte.xlsx"
    command("export_values", "test-schulden", "--format", "xlsx", "--output", str(exported))
    rows = load_workbook(exported)["Werte"].iter_rows(values_only=True)
    assert [row[0] for row in rows] == ["Jahr", 2020]


def test_export_all_as_opensdg(demo, tmp_path: Path):
    make_indicators(demo)

    out = command("export_values", "--all", "--format", "opensdg", "--output", str(tmp_path))

    count = Indicator.objects.count()
    assert out.strip() == f"{count} Indikator(en) nach {tmp_path} exportiert (opensdg)."
    assert (tmp_path / "data" / "indicator_test-schulden.csv").read_text() == "Year,Value\n"
    assert len(list((tmp_path / "meta").iterdir())) == count


def test_exit_codes():
    missing = cli("import-values", "/gibt/es/nicht")
    assert (missing.returncode, missing.stderr.strip()) == (
        1,
        "CommandError: Nicht gefunden: /gibt/es/nicht",
    )
    neither = cli("export-values", "--format", "opensdg", "--output", "x")
    assert neither.returncode == 1
    assert "genau einen Indikator oder --all" in neither.stderr
    assert cli("import-values", "--help").returncode == 0
