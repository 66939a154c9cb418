"""Reading the files users and authors give us, and writing files safely.

Every YAML or JSON file goes through :func:`read_document`, which refuses what
could hurt (huge files, alias bombs, deep nesting, Python tags, duplicate keys)
and remembers the line of every key so that errors can point at it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import FileError, ParseError, Problem
from .i18n import N_, _

#: Largest file we read. The biggest shipped file is far below it; an answer
#: file is a few kilobytes.
MAX_BYTES = 1_048_576
#: Deepest nesting of mappings and lists we accept.
MAX_DEPTH = 40

Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """The plain data of a file, plus the line where each key or item starts."""

    name: str
    data: Any
    known_lines: dict[Path_, int] | None = None
    #: The decoded text, for checks on what parsing drops (comments).
    text: str = ""

    @cached_property
    def lines(self) -> dict[Path_, int]:
        """Line of each key path; for JSON, found only when an error asks."""
        if self.known_lines is not None:
            return self.known_lines
        return _json_lines(self.text, self.name)

    def line(self, path: Path_) -> int | None:
        """Line of the deepest known ancestor of ``path`` (1-based), if any."""
        path = tuple(str(p) for p in path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


#: libyaml's parser where PyYAML was built with it: ten times faster, and it
#: refuses nesting deeper than 1,000 levels itself, without recursing.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that reads booleans as YAML 1.2 does: only true and false.

    YAML 1.1 would turn an unquoted ``no`` (a valid value of ``plan.pai``),
    ``yes``, ``on`` or ``off`` into booleans behind the user's back.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def read_document(path: str | Path, *, display: str | None = None) -> Document:
    """Read and parse a YAML (.yaml, .yml) or JSON (.json) file from disk."""
    path = Path(path)
    name = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise FileError(
            Problem(
                _("el tipo de archivo no es reconocido"),
                file=name,
                expected=_("un archivo .yaml, .yml o .json"),
            )
        )
    try:
        if path.is_dir():
            raise FileError(Problem(_("es una carpeta, no un archivo"), file=name))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FileError(_too_large(name, size))
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise FileError(Problem(_("el archivo no existe"), file=name)) from None
    except PermissionError:
        raise FileError(Problem(_("no hay permiso para leer el archivo"), file=name)) from None
    except OSError as exc:
        raise FileError(Problem(_("no se pudo leer el archivo ({reason})", reason=exc.strerror), file=name)) from None
    return parse_document(raw, name, json_format=suffix == ".json")


def parse_document(raw: bytes, name: str, *, json_format: bool = False) -> Document:
    """Parse bytes already read; ``name`` is what error messages call the file."""
    if len(raw) > MAX_BYTES:
        raise FileError(_too_large(name, len(raw)))
    text = _decode(raw, name)
    document = _parse_json(text, name) if json_format else _parse_yaml(text, name)
    return dataclasses.replace(document, text=text)


def _too_large(name: str, size: int) -> Problem:
    return Problem(
        _("el archivo es demasiado grande ({size} bytes)", size=f"{size:,}".replace(",", ".")),
        file=name,
        expected=_("como máximo {size} bytes (1 MiB)", size=f"{MAX_BYTES:,}".replace(",", ".")),
    )


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(
            Problem(
                _("el archivo no está codificado en UTF-8"),
                file=name,
                line=line,
                expected=_("texto UTF-8 (guárdelo como «UTF-8» en su editor)"),
            )
        ) from None
    if "\x00" in text:
        raise FileError(Problem(_("el archivo contiene datos binarios"), file=name, expected=_("texto UTF-8")))
    return text


def _parse_yaml(text: str, name: str) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):
            raise _too_deep(name) from None
        mark = exc.problem_mark or exc.context_mark
        raise ParseError(
            Problem(
                _("el YAML no es válido: {problem}", problem=_yaml_problem(exc, text)),
                file=name,
                line=mark.line + 1 if mark else None,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise ParseError(Problem(_("el YAML no es válido: {problem}", problem=str(exc)), file=name)) from None
    except RecursionError:
        # PyYAML's composer recurses once per level, so very deep data ends
        # here before _build can count the levels.
        raise _too_deep(name) from None
    finally:
        loader.dispose()
    if node is None:
        return Document(name, None, {})
    lines: dict[Path_, int] = {}
    data = _build(node, (), lines, name, _Loader(""), set())
    return Document(name, data, lines)


def _yaml_problem(exc: yaml.MarkedYAMLError, source: str) -> str:
    # The messages of both PyYAML's parser and libyaml's, which words some apart.
    translations = {
        "mapping values are not allowed here": N_("hay dos puntos «:» donde no corresponden"),
        "mapping values are not allowed in this context": N_("hay dos puntos «:» donde no corresponden"),
        "could not find expected ':'": N_("falta un «:» después de una clave"),
        "found character '\\t' that cannot start any token": N_("hay un tabulador; use espacios para sangrar"),
        "found a tab character": N_("hay un tabulador; use espacios para sangrar"),
        "did not find expected '-' indicator": N_("la sangría no es coherente"),
        "found undefined alias": N_("usa un alias (*) que no está definido"),
        "expected <block end>, but found": N_("la sangría no es coherente"),
        "did not find expected key": N_("la sangría no es coherente"),
        "found unexpected end of stream": N_("el archivo termina antes de tiempo"),
        "found duplicate anchor": N_("repite un ancla (&)"),
    }
    mark = exc.problem_mark
    if str(exc.problem).startswith("found character that cannot start any token") and mark is not None:
        row = source.splitlines()[mark.line] if mark.line < len(source.splitlines()) else ""
        if row[mark.column:mark.column + 1] == "\t":
            return _(translations["found a tab character"])
    for text in (str(exc.problem or ""), str(exc.context or "")):
        for english, spanish in translations.items():
            if text.startswith(english):
                return _(spanish)
    return _("la estructura no se puede leer (revise sangrías, comillas y dos puntos)")


def _build(
    node: yaml.Node,
    path: Path_,
    lines: dict[Path_, int],
    name: str,
    constructor: _Loader,
    seen: set[int],
    depth: int = 0,
) -> Any:
    """Turn a composed node into plain data, refusing what our formats never use."""
    if depth > MAX_DEPTH:
        raise _too_deep(name, path, node)
    if id(node) in seen:
        # An alias points back at a node already read. Aliases let a few lines
        # expand into gigabytes, and no format of ours needs them.
        raise _refusal(FileError, _("usa anclas o alias de YAML (& y *), que no se admiten"), name, path, node,
                       _("valores escritos completos, sin & ni *"))
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise _bad_tag(node, path, name)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _refusal(ParseError, _("una clave no es un texto simple"), name, path, key_node,
                               _("claves de texto, como «perfil» o «nombre»"))
            key = _scalar(key_node, path, name, constructor)
            child = path + (str(key),)
            if key in result:
                raise _refusal(ParseError, _("la clave está repetida"), name, child, key_node,
                               _("cada clave una sola vez por nivel"))
            lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, lines, name, constructor, seen, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _bad_tag(node, path, name)
        items = []
        for index, item in enumerate(node.value):
            child = path + (str(index),)
            lines[child] = item.start_mark.line + 1
            items.append(_build(item, child, lines, name, constructor, seen, depth + 1))
        return items
    return _scalar(node, path, name, constructor)


def _scalar(node: yaml.Node, path: Path_, name: str, constructor: _Loader) -> Any:
    if node.tag.startswith("tag:yaml.org,2002:") and node.tag[18:] in {
        "str", "int", "float", "bool", "null", "timestamp",
    }:
        try:
            return constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            raise _refusal(ParseError, _("hay un valor que no se puede leer"), name, path, node) from None
    raise _bad_tag(node, path, name)


def _bad_tag(node: yaml.Node, path: Path_, name: str) -> FileError | ParseError:
    return _refusal(FileError, _("usa la etiqueta YAML «{tag}», que no se admite", tag=node.tag), name, path, node,
                    _("solo textos, números, true/false, listas y claves"))


def _parse_json(text: str, name: str) -> Document:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise ParseError(Problem(_("la clave está repetida"), file=name, key=key, expected=_("cada clave una sola vez por nivel")))
            result[key] = value
        return result

    def no_constant(value: str) -> Any:
        raise ParseError(Problem(_("el valor «{value}» no es JSON válido", value=value), file=name))

    if _bracket_depth(text) > MAX_DEPTH:
        # Checked on the text first: how deep a parser (or we) can recurse
        # differs between Python versions.
        raise _too_deep(name)
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise ParseError(Problem(_("el JSON no es válido ({reason})", reason=exc.msg), file=name, line=exc.lineno)) from None
    except RecursionError:
        raise _too_deep(name) from None
    return Document(name, data, None, text)


def _json_lines(text: str, name: str) -> dict[Path_, int]:
    """Where each key of a JSON text is: JSON is YAML, so the composer can
    tell. Only an error needs it, so valid files are parsed once."""
    lines: dict[Path_, int] = {}
    try:
        node = _Loader(text).get_single_node()
        if node is not None:
            _build(node, (), lines, name, _Loader(""), set())
    except (yaml.YAMLError, FileError, ParseError, RecursionError):
        return {}
    return lines


def _bracket_depth(text: str) -> int:
    """The deepest nesting of [ and { in JSON text, strings skipped."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _refusal(
    error: type[FileError] | type[ParseError], message: str, name: str, path: Path_,
    node: yaml.Node | None = None, expected: str | None = None,
) -> FileError | ParseError:
    line = node.start_mark.line + 1 if node is not None else None
    return error(Problem(message, file=name, key=_dotted(path), line=line, expected=expected))


def _too_deep(name: str, path: Path_ = (), node: yaml.Node | None = None) -> FileError | ParseError:
    return _refusal(FileError, _("los datos están anidados demasiado profundo"), name, path, node,
                    _("como máximo {depth} niveles", depth=MAX_DEPTH))


def _dotted(path: Path_) -> str | None:
    return ".".join(path) if path else None


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(
            "wb", dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except FileNotFoundError:
        raise FileError(Problem(_("la carpeta de destino no existe"), file=str(path))) from None
    except PermissionError:
        raise FileError(Problem(_("no hay permiso para escribir en la carpeta de destino"), file=str(path))) from None
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        try:
            os.unlink(handle.name)
        except OSError:
            pass
        raise
