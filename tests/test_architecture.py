"""Guards of the dependency rule: pure modules import no device, engine, UI or storage library."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "cv2",
    "mediapipe",
    "pygame",
    "gpiozero",
    "vosk",
    "pocketsphinx",
    "pyttsx3",
    "apscheduler",
    "sqlite_utils",
    "sqlite3",
    "sounddevice",
    "picamera2",
    "nacl",
}

# Pure: stdlib + numpy only. Whole folders, plus named modules elsewhere.
PURE_FOLDERS = ["coach"]
PURE_FILES = ["kiosk/settings.py", "kiosk/events.py", "kiosk/loop.py"]
# Modules that later issues create; guarded as soon as they exist.
PURE_IF_PRESENT = [
    "stim_hat/safety.py",
    "stim_hat/rules.py",
    "stim_hat/prescription.py",
    "stim_hat/ledger.py",
    "stim_hat/settings.py",
    "kiosk/plan/model.py",
    "schedules/escalation.py",
    "schedules/due.py",
    "schedules/policy.py",
    "schedules/reconcile.py",
    "schedules/answers.py",
    "kiosk/summary/model.py",
    "kiosk/summary/stats.py",
    "kiosk/summary/builder.py",
    "kiosk/summary/movement.py",
    "kiosk/summary/sections.py",
    "kiosk/summary/schedule.py",
    "kiosk/summary/rules.py",
    "kiosk/summary/resting.py",
    "kiosk/summary/fhir_codes.py",
    "kiosk/session/slots.py",
    "kiosk/session/exercise_record.py",
    "kiosk/session/results.py",
    "kiosk/checkin.py",
    "kiosk/baseline.py",
    "kiosk/summary/progress_section.py",
    "kiosk/summary/fhir_progress.py",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def pure_modules() -> list[Path]:
    files = [p for folder in PURE_FOLDERS for p in (REPO / folder).rglob("*.py")]
    files += [REPO / f for f in PURE_FILES]
    files += [REPO / f for f in PURE_IF_PRESENT if (REPO / f).exists()]
    return files


def test_there_are_pure_modules_to_guard():
    assert len(pure_modules()) >= len(PURE_FILES)


@pytest.mark.parametrize("path", pure_modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_pure_module_imports_no_adapter_library(path):
    bad = imported_modules(path) & FORBIDDEN
    assert not bad, f"{path.relative_to(REPO)} imports {sorted(bad)}; move that code into an adapter"


def test_the_guard_catches_a_forbidden_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import numpy\nfrom cv2 import imread\nimport mediapipe.solutions as s\n")
    assert imported_modules(probe) & FORBIDDEN == {"cv2", "mediapipe"}


def test_no_bare_except_anywhere():
    for folder in ("kiosk", "coach", "stim_hat", "schedules"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ExceptHandler):
                    assert node.type is not None, f"bare except in {path}:{node.lineno}"


# Lower packages declare what they need and the app supplies it: they never import the kiosk.
LOWER_PACKAGES = ["stim_hat", "coach", "schedules"]


@pytest.mark.parametrize("package", LOWER_PACKAGES)
def test_lower_packages_never_import_the_kiosk(package):
    offenders = [
        str(path.relative_to(REPO)) for path in (REPO / package).rglob("*.py") if "kiosk" in imported_modules(path)
    ]
    assert offenders == [], f"{package} imports kiosk in {offenders}"


# Modules depend one way: no two modules import each other, directly or round a loop (an import
# inside a function or under TYPE_CHECKING counts too: it hides the loop, it does not remove it).
PROJECT_PACKAGES = ("kiosk", "coach", "stim_hat", "schedules", "content")


def project_import_graph(root: Path = REPO) -> dict[str, set[str]]:
    """module name -> the project modules it imports anywhere in its text."""
    modules = {}
    for package in PROJECT_PACKAGES:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from a.b import c": the module a.b.c when there is one, else a.b
                targets |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                    for a in node.names
                }
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def import_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other round a loop (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return loops


def test_no_two_modules_import_each_other():
    graph = project_import_graph()
    assert len(graph) > 100  # the whole project was read
    assert import_loops(graph) == []


def test_the_loop_finder_finds_a_loop_through_a_function_level_import(tmp_path):
    (tmp_path / "kiosk").mkdir()
    (tmp_path / "kiosk" / "a.py").write_text("from kiosk.b import x\n")
    (tmp_path / "kiosk" / "b.py").write_text("def f():\n    from kiosk import c\n")
    (tmp_path / "kiosk" / "c.py").write_text("import kiosk.a\n")
    (tmp_path / "kiosk" / "d.py").write_text("import kiosk.a\n")
    assert import_loops(project_import_graph(tmp_path)) == [["kiosk.a", "kiosk.b", "kiosk.c"]]
