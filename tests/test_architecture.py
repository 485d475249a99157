"""The shape of the code: the core imports no platform, and its import graph has no cycle."""

import ast

from tests.conftest import ROOT

BOT = ROOT / "bot"


def _imports() -> dict[str, set[str]]:
    """Module -> the bot modules it imports (at the top or inside functions)."""
    modules = {}
    for path in BOT.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_of_the_core_imports_itself_round_a_cycle():
    assert _cycle(_imports()) is None


def test_no_package_of_the_core_imports_another_that_imports_it_back():
    package = lambda module: ".".join(module.split(".")[:2])  # noqa: E731  bot.quiz, bot.store, bot.rounds
    graph: dict[str, set[str]] = {}
    for module, targets in _imports().items():
        graph.setdefault(package(module), set()).update(
            package(t) for t in targets if package(t) != package(module))
    assert _cycle(graph) is None


def test_the_core_imports_no_platform_and_prints_nothing():
    for path in BOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] in ("telegram", "discord", "adapters", "studybot") for n in names), \
                    f"{path.relative_to(ROOT)} imports {names}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", f"{path.relative_to(ROOT)}:{node.lineno} prints"


def test_every_annotation_in_the_core_names_something_its_module_defines_or_imports():
    """Annotations are strings here (`from __future__ import annotations`): a name missing from
    the module fails only when something resolves them, so resolve them all."""
    import importlib
    import inspect
    import pkgutil
    import typing

    import bot

    unresolved = []
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        module = importlib.import_module(info.name)
        for thing in vars(module).values():
            if getattr(thing, "__module__", None) != module.__name__:
                continue
            functions = [thing]
            if inspect.isclass(thing):
                functions += [f for f in vars(thing).values() if inspect.isfunction(f)]
            for function in functions:
                if inspect.isfunction(function) or inspect.isclass(function):
                    try:
                        typing.get_type_hints(function)
                    except NameError as error:
                        unresolved.append(f"{info.name}.{function.__qualname__}: {error}")
    assert unresolved == []
