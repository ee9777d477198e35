"""Modules stay readable: none over 800 lines, no function over 80, in every app and in config.

Migrations are generated and left out; tests and bench are not walked.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("config", "bapas", "clients", "pokmaslipas", "trainings", "reports", "workbook")
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 80


def product_modules() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts
    ]


def too_long(path: Path, root: Path = ROOT) -> list[str]:
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(root).as_posix()
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}: {lines} lines (at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name}() {length} lines (at most {MAX_FUNCTION_LINES})")
    return found


def test_the_walk_finds_the_apps_and_leaves_migrations_out():
    names = {path.relative_to(ROOT).as_posix() for path in product_modules()}
    assert {"config/settings.py", "clients/models.py", "reports/datasets.py"} <= names
    assert not any("/migrations/" in name for name in names)


def test_no_module_over_800_lines_and_no_function_over_80():
    found = [problem for path in product_modules() for problem in too_long(path)]
    assert not found, "Split these by what they build:\n" + "\n".join(found)


def test_the_measure_counts_a_function_from_its_def_to_its_last_line(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES - 1))
    (tmp_path / "fits.py").write_text(f"def fits():\n{body}\n")
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n    return x0\n" + "\n" * MAX_MODULE_LINES)
    assert too_long(tmp_path / "fits.py", tmp_path) == []
    problems = too_long(tmp_path / "long.py", tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("long.py: 881 lines (at most 800)")
    assert problems[1] == f"long.py:1 long() {MAX_FUNCTION_LINES + 1} lines (at most {MAX_FUNCTION_LINES})"
