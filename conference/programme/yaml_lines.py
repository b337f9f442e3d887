"""YAML read so that every mapping remembers the lines its keys and values are on.

The programme importer names the line of each problem it finds; plain ``yaml.safe_load``
forgets where things were, so this loader builds ``Node`` mappings instead of dicts.
"""

from __future__ import annotations

import yaml


class Node(dict):
    """A mapping that remembers the line it starts on and the line of each value."""

    line: int = 0

    def __init__(self):
        super().__init__()
        self.lines: dict[str, int] = {}


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    mapping = Node()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        try:
            mapping[key] = loader.construct_object(value_node, deep=True)
        except ValueError as exc:  # a date that does not exist, such as 2024-02-30
            raise yaml.constructor.ConstructorError(
                None, None, f"not a valid date or time: {exc}", value_node.start_mark
            ) from exc
        mapping.lines[key] = value_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str):
    """The document in ``text``, its mappings as ``Node``; raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_Loader)
