"""Reading the files users and authors give us, and writing files safely.

Every YAML or JSON file goes through :func:`read_document`, which refuses what
could hurt (huge files, alias bombs, deep nesting, Python tags, duplicate keys)
and remembers the line of every key so that errors can point at it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ..errors import FileError, ParseError, Problem
from ..i18n import N_, _, number
from .oserrors import cause
from .syntax import json_problem, yaml_problem
from .text import refused_character

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
# Integers as YAML 1.2 writes them, in decimal: YAML 1.1 would also read
# 190:20:30 (base 60), 0b…, 0x… and 1_000 as numbers.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node), 10))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_STR_TAG = "tag:yaml.org,2002:str"


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
        raise FileError(Problem(_("no se pudo leer el archivo ({reason})", reason=cause(exc)), file=name)) from None
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
        _("el archivo es demasiado grande ({size} bytes)", size=number(size)),
        file=name,
        expected=_("como máximo {size} bytes (1 MiB)", size=number(MAX_BYTES)),
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
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):
            raise _too_deep(name) from None
        mark = exc.problem_mark or exc.context_mark
        raise ParseError(
            Problem(
                _("el YAML no es válido: {problem}", problem=yaml_problem(exc, text)),
                file=name,
                line=mark.line + 1 if mark else None,
            )
        ) from None
    except yaml.reader.ReaderError as exc:
        # A raw control character: the reader names its position, not its line.
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
        raise ParseError(Problem(_bad_character(char), file=name, line=text.count("\n", 0, exc.position) + 1,
                                 expected=_(_GOOD_TEXT))) from None
    except yaml.YAMLError:
        raise ParseError(Problem(_("el YAML no es válido: {problem}", problem=_("la estructura no se puede leer "
                                 "(revise sangrías, comillas y dos puntos)")), file=name)) from None
    except RecursionError:
        # PyYAML's composer recurses once per level, so very deep data ends
        # here before _build can count the levels.
        raise _too_deep(name) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return Document(name, None, {})
    lines: dict[Path_, int] = {}
    data = _build(node, (), lines, name, _Loader(""), set())
    return Document(name, data, lines)


def _build(
    node: yaml.Node,
    path: Path_,
    lines: dict[Path_, int],
    name: str,
    constructor: _Loader,
    seen: set[int],
    depth: int = 0,
    check: bool = True,
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
            key = _scalar(key_node, path, name, constructor, check)
            child = path + (str(key),)
            if key in result:
                raise _refusal(ParseError, _("la clave está repetida"), name, child, key_node,
                               _("cada clave una sola vez por nivel"))
            lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, lines, name, constructor, seen, depth + 1, check)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _bad_tag(node, path, name)
        items = []
        for index, item in enumerate(node.value):
            child = path + (str(index),)
            lines[child] = item.start_mark.line + 1
            items.append(_build(item, child, lines, name, constructor, seen, depth + 1, check))
        return items
    return _scalar(node, path, name, constructor, check)


def _scalar(node: yaml.Node, path: Path_, name: str, constructor: _Loader, check: bool = True) -> Any:
    if node.tag == _STR_TAG and isinstance(node.value, str):
        # A text is its node's value, as PyYAML's constructor returns it: a
        # file of many thousand texts is refused a good part sooner.
        value = node.value
    elif node.tag.startswith("tag:yaml.org,2002:") and node.tag[18:] in {
        "str", "int", "float", "bool", "null", "timestamp",
    }:
        try:
            value = constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            raise _refusal(ParseError, _("hay un valor que no se puede leer"), name, path, node) from None
    else:
        raise _bad_tag(node, path, name)
    if check and isinstance(value, str) and (char := refused_character(value)):
        raise _refusal(ParseError, _bad_character(char), name, path, node, _GOOD_TEXT)
    return value


def _bad_character(char: str) -> str:
    return _("el texto contiene el carácter {char} (de control, de dirección del texto o inválido), que no se admite",
             char=char)


_GOOD_TEXT = N_("texto sin caracteres de control")


def _check_texts(data: Any, path: Path_, document: Document) -> None:
    """Refuse the characters text.py names in any key or string of parsed JSON."""
    if isinstance(data, str):
        if char := refused_character(data):
            raise ParseError(Problem(_bad_character(char), file=document.name, key=_dotted(path),
                                     line=document.line(path), expected=_(_GOOD_TEXT)))
    elif isinstance(data, dict):
        for key, value in data.items():
            _check_texts(key, path, document)
            _check_texts(value, path + (str(key),), document)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            _check_texts(item, path + (str(index),), document)


def _bad_tag(node: yaml.Node, path: Path_, name: str) -> FileError | ParseError:
    return _refusal(FileError, _("usa la etiqueta YAML «{tag}», que no se admite", tag=node.tag), name, path, node,
                    _("solo textos, números, true/false, listas y claves"))


def _parse_json(text: str, name: str) -> Document:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise ParseError(Problem(_("la clave está repetida"), file=name, key=key,
                                         expected=_("cada clave una sola vez por nivel")))
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
        raise ParseError(Problem(_("el JSON no es válido ({reason})", reason=json_problem(exc.msg)), file=name,
                                 line=exc.lineno)) from None
    except RecursionError:
        raise _too_deep(name) from None
    except ValueError:
        # Python refuses to read integers of more than 4,300 digits.
        raise ParseError(Problem(_("hay un número demasiado largo"), file=name,
                                 expected=_("números de como máximo {digits} cifras", digits=18))) from None
    document = Document(name, data, None, text)
    _check_texts(data, (), document)
    return document


def _json_lines(text: str, name: str) -> dict[Path_, int]:
    """Where each key of a JSON text is: JSON is YAML, so the composer can
    tell. Only an error needs it, so valid files are parsed once."""
    lines: dict[Path_, int] = {}
    try:
        node = _Loader(text).get_single_node()
        if node is not None:
            _build(node, (), lines, name, _Loader(""), set(), check=False)
    except (yaml.YAMLError, FileError, ParseError, RecursionError, ValueError):
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
