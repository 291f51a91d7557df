"""The layout holds: lower apps never import higher ones, no module imports itself round a circle,
the parser is pure Python, and README's layout table names every app.

Imports are read from the source (``ast``), inside functions too: an import hidden in a function body is
still a dependency, and hiding one is how circles used to creep in.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module may import from its own layer and from lower ones only.
LAYERS = [
    {"common"},
    {"proposals"},
    {"positions"},
    {"pagecache"},
    {"importer", "followup", "outcomes"},
    {"public"},
    {"ops", "accounts", "alerts"},
    {"fichetracker"},
]
LAYER_OF = {package: level for level, packages in enumerate(LAYERS) for package in packages}
FIRST_PARTY = set(LAYER_OF)


def source_modules():
    """{dotted module name: path} of every first-party module outside migrations and tests."""
    modules = {}
    for package in sorted(FIRST_PARTY):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = source_modules()


def imported_modules(name, path):
    """First-party modules that ``name`` imports, resolved to the longest known module name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    package_parts = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            # ``from package import module`` depends on the module; ``from module import name`` on the module.
            targets = [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in MODULES else stem for alias in node.names]
        for target in targets:
            if target.split(".")[0] not in FIRST_PARTY:
                continue
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}


def top(name):
    return name.split(".")[0]


class LayeringTests:
    def test_the_graph_sees_the_imports_it_must(self):
        # The reader works at all: known edges of today's code are found.
        assert "positions.models" in GRAPH["public.views"]
        assert "proposals.models" in GRAPH["positions.models"]
        assert "importer.parsing.general" in GRAPH["importer.parsing.fiche"]

    def test_no_app_imports_a_higher_one(self):
        upward = sorted(
            f"{name} -> {target}"
            for name, targets in GRAPH.items()
            for target in targets
            if LAYER_OF[top(target)] > LAYER_OF[top(name)]
        )
        assert not upward, "imports that reach up a layer (see LAYERS): " + ", ".join(upward)

    def test_no_module_imports_itself_round_a_circle(self):
        index, low, stack, on_stack, circles = {}, {}, [], set(), []

        def visit(node):  # Tarjan's strongly connected components
            index[node] = low[node] = len(index)
            stack.append(node)
            on_stack.add(node)
            for nxt in GRAPH.get(node, ()):
                if nxt not in index:
                    visit(nxt)
                    low[node] = min(low[node], low[nxt])
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))

        for node in sorted(GRAPH):
            if node not in index:
                visit(node)
        assert not circles, f"import circles: {circles}"

    def test_every_app_is_placed_in_a_layer(self):
        apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"fichetracker"}
        assert apps <= FIRST_PARTY, f"apps without a layer: {sorted(apps - FIRST_PARTY)}"


class PureParserTests:
    def test_the_parser_runs_without_django(self):
        code = "import sys, importer.parsing; assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
        assert result.returncode == 0, result.stderr


class LayoutDocumentationTests:
    @pytest.mark.parametrize("app", sorted(FIRST_PARTY))
    def test_readme_layout_table_names_every_app(self, app):
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        table = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
        assert f"| `{app}/` |" in table

    def test_readme_layout_table_names_only_folders_that_exist(self):
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        table = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
        named = [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]
        missing = [path for path in named if not (ROOT / path).exists()]
        assert named and not missing, f"README names paths that do not exist: {missing}"
