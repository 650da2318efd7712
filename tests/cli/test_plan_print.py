"""``studio-desk plan print``: the printed plan from the command line, with no display."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from studio_desk.cli import main
from studio_desk.store import plans, records
from studio_desk.store.demo import build_demo
from studio_desk.store.engine import open_workspace

ROOT = Path(__file__).resolve().parents[2]
MARKUP = "<b>Acme</b> & Co"
PLAN = "Spring split"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder holding ``North Studio.studiodesk``: 14 clients and a scheduled plan."""
    folder = tmp_path_factory.mktemp("plan-print")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("STUDIO_DESK_DATA_DIR", str(folder / "data"))
        path = folder / "North Studio.studiodesk"
        build_demo(path, people=6, clients=14, projects=30, seed=2,
                   today=dt.date(2026, 3, 2))
        with open_workspace(path, who="Olivia Owner") as workspace, \
                workspace.write() as s:
            first = records.find_id(s, "client", records.names(s, "client")[0])
            assert first is not None
            row = records.get_row(s, "client", first)
            records.update_record(s, "client", first, row.version, {"name": MARKUP})
            plan = plans.create_plan(s, PLAN, effective_date=dt.date(2026, 4, 6))
            plans.propose_plan(s, plan.id)
            plans.schedule_plan(s, plan.id, today=dt.date(2026, 3, 2))
        yield folder


def without_display(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m studio_desk ARGS`` on a machine with no display and no Qt platform
    chosen: the command must pick the offscreen one itself."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "studio_desk", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


def texts(path: Path) -> list[str]:
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
            for page in PdfReader(path).pages]


def client_names(folder: Path) -> list[str]:
    with open_workspace(folder / "North Studio.studiodesk") as workspace, \
            workspace.read() as s:
        return records.names(s, "client")


def test_plan_print_writes_the_whole_plan_without_a_display(studio: Path) -> None:
    result = without_display("plan", "print", PLAN, "--db", "North Studio.studiodesk",
                             "--out", "plan.pdf", cwd=studio)
    assert result.returncode == 0, result.stderr
    pages = texts(studio / "plan.pdf")
    assert result.stdout.strip() == f"plan.pdf: “{PLAN}”, {len(pages)} pages."
    assert result.stderr == ""
    everything = " ".join(pages)
    for client in client_names(studio):
        assert client in everything
    assert f"{MARKUP} " in everything
    assert pages[0].startswith(f"North Studio {PLAN} Transition plan")
    assert "Talking points" in everything and "Why the change" in everything


def test_sections_briefs_and_paper_are_chosen_on_the_command_line(studio: Path, qapp,
                                                                  capsys) -> None:
    def run(*extra: str) -> list[str]:
        out = studio / "part.pdf"
        code = main(["plan", "print", PLAN, "--db", str(studio / "North Studio.studiodesk"),
                     "--out", str(out), "--sections", "calendar,clients", *extra])
        assert code == 0, capsys.readouterr().err
        return texts(out)

    plain = run()
    assert plain[0].startswith("Client by client")
    assert not any(p.startswith(("Summary", "Capacity")) for p in plain)
    with_briefs = run("--client-briefs", "--paper", "letter")
    clients = client_names(studio)
    assert len(with_briefs) == len(plain) + len(clients)
    assert sum(p.startswith("Brief: ") for p in with_briefs) == len(clients)
    size = PdfReader(studio / "part.pdf").pages[0].mediabox
    assert (round(float(size.width)), round(float(size.height))) == (612, 792)


def test_mistakes_are_one_line_and_leave_no_file(studio: Path, qapp, capsys) -> None:
    db = str(studio / "North Studio.studiodesk")
    out = studio / "never.pdf"
    assert main(["plan", "print", "Autumn", "--db", db, "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("studio-desk: error: ") and "no plan named “Autumn”" in err
    assert len(err.splitlines()) == 1

    missing = studio / "no such folder" / "plan.pdf"
    assert main(["plan", "print", PLAN, "--db", db, "--out", str(missing)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"studio-desk: error: {missing}: the folder {missing.parent} does not "
                   "exist, so the PDF was not written.")

    assert main(["plan", "print", PLAN, "--db", db, "--out", str(out),
                 "--sections", "clients,gossip"]) == 2
    assert "unknown section gossip" in capsys.readouterr().err
    assert main(["plan", "print", PLAN, "--db", db]) == 2  # --out is required
    assert "--out" in capsys.readouterr().err
    assert not out.exists()


def test_reading_the_command_line_loads_no_qt() -> None:
    code = ("import sys; from studio_desk.cli import build_parser; "
            "build_parser().parse_args(['plan', 'print', 'X', '--db', 'x', '--out', 'y.pdf',"
            " '--sections', 'clients']); print('PySide6' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_the_pdf_is_readable_by_colleagues_like_any_file_the_user_saves(qapp, tmp_path):
    """The PDF is written privately then renamed; it must end with the user's usual mode."""
    import os

    from studio_desk.gui.printing import render

    class Blank:
        page_layout = render.page_layout("a4")
        page_count = 1
        plan = type("Plan", (), {"plan": "Spring", "studio": "Demo"})()

        def paint(self, writer, painter):
            painter.drawText(100, 100, "Spring")

    umask = os.umask(0o022)
    try:
        render.write_pdf(Blank(), tmp_path / "plan.pdf")
    finally:
        os.umask(umask)
    assert (tmp_path / "plan.pdf").stat().st_mode & 0o777 == 0o644
