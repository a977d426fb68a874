"""A problem found in an OPCC profile, and how it is named in messages: the file, the line where known, the entry
(e.g. ``funds[6] (code: victims-csa)``) and what is wrong."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Problem:
    path: tuple  # keys and list indexes from the top of the document; () for the whole file
    message: str
    line: int | None = None


class ProfileError(Exception):
    """A profile that cannot be loaded. `problems` lists every problem found, each as one readable line."""

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__(str(self))

    def __str__(self):
        count = len(self.problems)
        heading = f"{self.file}: {count} problem{'s' if count != 1 else ''} found, nothing was changed:"
        return "\n".join([heading, *(f"  - {p}" for p in self.problems)])


# --- naming entries -------------------------------------------------------------------------------------


def _identity(item) -> str:
    """How an entry names itself in messages: its code, number, name or other stable key."""
    if not isinstance(item, dict):
        return ""
    for key in ("code", "number", "name", "title", "sector", "fund"):
        if isinstance(item.get(key), str | int | Decimal) and not isinstance(item.get(key), bool):
            return f"{key}: {item[key]}"
    keys = [k for k in ("regime", "category", "parent", "effective_from") if isinstance(item.get(k), str)]
    return ", ".join(f"{k}: {item[k]}" for k in keys)


def describe_path(path: tuple, data) -> str:
    """``partners[3].areas_of_interest[1] (in code: nhs-england)``, ``funds[6] (code: victims-csa)``."""
    if not path:
        return "the whole file"
    text, node, named, named_is_last = "", data, "", False
    for position, segment in enumerate(path):
        if isinstance(segment, int):
            text += f"[{segment}]"
            node = node[segment] if isinstance(node, list) and segment < len(node) else None
            identity = _identity(node)
            if identity:
                named, named_is_last = identity, position == len(path) - 1
        else:
            text += f".{segment}" if text else str(segment)
            node = node.get(segment) if isinstance(node, dict) else None
            named_is_last = False
    if named:
        text += f" ({named})" if named_is_last else f" (in {named})"
    return text


def _line_for(path: tuple, lines: dict[tuple, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def format_problems(file: str, data, lines: dict[tuple, int], problems: list[Problem]) -> list[str]:
    out = []
    for problem in sorted(problems, key=lambda p: p.line or _line_for(p.path, lines) or 0):
        line = problem.line or _line_for(problem.path, lines)
        where = f"{file}, line {line}" if line else file
        entry = f"{describe_path(problem.path, data)}: " if problem.path else ""
        out.append(f"{where}: {entry}{problem.message}")
    return out
