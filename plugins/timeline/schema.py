"""JSON Schema checks, with jsonschema's messages rewritten for contributors in one place.

Each record is checked first by the schema compiled to Python (fastjsonschema), which only answers "valid?";
jsonschema, which reports every error with its path, is imported and run only for a record that is not valid.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .loader import YamlFile
from .problems import Problem, did_you_mean

if TYPE_CHECKING:
    import jsonschema

SCHEMA_FOLDER = Path(__file__).parent / "schemas"
DATE_PATTERNS = {
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": "YYYY-MM-DD, YYYY-MM or YYYY",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "YYYY-MM-DD",
}
KEY_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
ONE_LINE_PATTERN = "^[^\\n]*$"
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields (name: value)",
    "null": "empty",
}


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_FOLDER / name).read_text(encoding="utf-8"))


@cache
def validator_for(name: str, definition: str | None = None) -> jsonschema.protocols.Validator:
    """A validator for a schema file, or for one of its ``$defs`` entries."""
    import jsonschema  # only for a record with errors: its import alone is a tenth of a build's start-up

    schema = _schema_or_definition(name, definition)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@cache
def fast_check_for(name: str, definition: str | None = None):  # noqa: ANN201 - a compiled function
    """The same schema compiled to Python: about twenty times faster on valid records, which are nearly all."""
    return fastjsonschema.compile(_schema_or_definition(name, definition))


def _schema_or_definition(name: str, definition: str | None) -> dict[str, Any]:
    schema = load_schema(name)
    if definition:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return schema


def is_valid_fast(check, data: Any) -> bool:  # noqa: ANN001
    try:
        check(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_problems(
    document: YamlFile, name: str, definition: str | None = None, placeholder: str | None = None
) -> list[Problem]:
    """Every error against schema file ``name`` (or its ``definition``), translated; a value equal to
    ``placeholder`` is reported elsewhere, once."""
    if is_valid_fast(fast_check_for(name, definition), document.data):
        return []
    problems: dict[Problem, None] = {}  # jsonschema reports "required" once per missing field: keep each once
    for error in validator_for(name, definition).iter_errors(document.data):
        if placeholder is None or error.instance != placeholder:
            problems.update(dict.fromkeys(_translate(error, document)))
    return list(problems)


def _field_name(path: tuple[Any, ...]) -> str:
    if not path:
        return "the record"
    if isinstance(path[-1], int):
        parent = _field_name(path[:-1])
        return f"item {path[-1] + 1} of {parent}"
    return f'"{path[-1]}"'


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a group of fields"


def _problem(document: YamlFile, path: tuple[Any, ...], message: str, hint: str = "") -> Problem:
    position = document.position(path)
    return Problem(document.display_path, position.line, position.column, message, hint)


def _translate(error: jsonschema.ValidationError, document: YamlFile) -> list[Problem]:
    path = tuple(error.absolute_path)
    field = _field_name(path)
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    if kind == "required":
        properties = schema.get("properties", {})
        missing = [name for name in error.validator_value if isinstance(value, dict) and name not in value]
        problems = []
        for name in missing:
            definition = properties.get(name, {})
            example = definition.get("x-example")
            hint = definition.get("x-hint") or (
                f"Add a line such as: {name}: {example}" if example else f"Add {name}: to {field}."
            )
            where = f" in {field}" if path else ""
            problems.append(_problem(document, path, f'missing required field "{name}"{where}.', hint))
        return problems
    if kind == "additionalProperties":
        known = schema.get("properties", {})
        problems = []
        for name in value:
            if name in known:
                continue
            hint = did_you_mean(name, known) or f"Valid fields: {', '.join(known)}."
            problems.append(_problem(document, (*path, name), f'unknown field "{name}".', hint))
        return problems
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, str) else expected[0]
        hint = ""
        if expected == "string" and isinstance(value, (bool, int)):
            hint = "Put the value in quotes."
        elif expected == "string" and value is None:
            hint = "Write the text after the colon, or remove the line."
        elif expected == "array" and isinstance(value, str):
            hint = f"Write a list: [{value}]."
        return [_problem(document, path, f"{field} must be {_TYPE_WORDS[expected]}, not {_describe(value)}.", hint)]
    if kind == "pattern":
        pattern = error.validator_value
        if pattern in DATE_PATTERNS:
            return [
                _problem(
                    document,
                    path,
                    f'{field} "{value}" is not a date.',
                    f"Write it as {DATE_PATTERNS[pattern]}, such as 2021-03-22.",
                )
            ]
        if pattern == KEY_PATTERN:
            return [
                _problem(
                    document,
                    path,
                    f'{field} "{value}" is not a valid key.',
                    "Keys are lower-case words joined by hyphens, such as united-kingdom.",
                )
            ]
        if pattern == ONE_LINE_PATTERN:
            return [_problem(document, path, f"{field} must be a single line.", "Remove the line breaks.")]
        return [_problem(document, path, f'{field} "{value}" is not in the expected form.', "")]
    if kind in ("minLength", "minItems", "minProperties"):
        return [_problem(document, path, f"{field} is empty.", "Fill it in, or remove the line if it is optional.")]
    if kind == "maxLength":
        return [
            _problem(
                document,
                path,
                f"{field} is {len(value)} characters long; the limit is {error.validator_value}.",
                "Shorten it.",
            )
        ]
    if kind == "uniqueItems":
        return [_problem(document, path, f"{field} lists the same value twice.", "Remove the repeated entry.")]
    if kind == "minimum":
        return [_problem(document, path, f"{field} must be {error.validator_value} or more.", "")]
    if kind == "enum":
        choices = [str(choice) for choice in error.validator_value]
        hint = did_you_mean(str(value), choices) or f"Write one of: {', '.join(choices)}."
        return [_problem(document, path, f'{field} "{value}" is not one of the allowed values.', hint)]
    if kind == "not" and "required" in error.validator_value:
        name = error.validator_value["required"][0]
        return [
            _problem(
                document,
                (*path, name),
                f'field "{name}" does not belong here.',
                "States have iso3166; parliaments, courts, agencies, NGOs and companies have country.",
            )
        ]
    return [_problem(document, path, f"{field}: {error.message}.", "")]
