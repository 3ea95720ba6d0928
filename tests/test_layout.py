"""The package's folders are its stages: imports point from later stages to earlier ones only.

Reads every module's imports (function-level ones too) with ``ast``; no module is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("common", "importing", "content", "site", "render", "build")
"""Stage folders in build order; the top-level modules (cli, serve, …) come after all of them."""
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p for p in sorted(PACKAGE.rglob("*.py"))}


def _rank(module: str) -> int:
    head = module.split(".")[0]
    return STAGES.index(head) if head in STAGES else len(STAGES)


def _imports(module: str, path: Path) -> set[str]:
    """Gloss modules that ``module`` imports, as dotted names under ``generator``."""
    package = module.split(".")[:-1] if not path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    known = _modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
            elif node.module and node.module.split(".")[0] == "generator":
                base, node_module = [], node.module.split(".", 1)[1] if "." in node.module else ""
                target = node_module.split(".") if node_module else []
                for alias in node.names:
                    candidate = ".".join(target + [alias.name])
                    found.add(candidate if candidate in known else ".".join(target))
                continue
            else:
                continue
            target = base + (node.module.split(".") if node.module else [])
            for alias in node.names:
                candidate = ".".join(target + [alias.name])
                found.add(candidate if candidate in known else ".".join(target))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("generator."):
                    found.add(alias.name.split(".", 1)[1])
    return {name for name in found if name and name != "__init__" and name in known} - {module}


def test_imports_point_from_later_stages_to_earlier_ones() -> None:
    wrong = []
    for module, path in _modules().items():
        for target in _imports(module, path):
            if _rank(target) > _rank(module):
                wrong.append(f"{module} imports {target} (a later stage)")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph = {module: _imports(module, path) for module, path in _modules().items()}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(trail[trail.index(nxt) :] + [nxt]) if nxt in trail else nxt)
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize("module", sorted(_modules()))
def test_module_is_small_and_says_its_stage(module: str) -> None:
    path = _modules()[module]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name}: over {MAX_LINES} lines"
    if text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{module}: no module docstring"


def test_the_check_sees_a_backward_import(tmp_path: Path) -> None:
    """The stage check is not vacuous: a content module importing a build module is caught."""
    path = tmp_path / "bad.py"
    path.write_text('"""x"""\nfrom ..build.write import Assembly\n')
    assert "build.write" in _imports("content.bad", path)
    assert _rank("build.write") > _rank("content.bad")
