"""Lenient field types for models of services that do not always follow their own documents.

Real responses carry nulls where a document says string, numbers as strings, strings as numbers
and the odd value of the wrong type entirely. A reviewer must still see the rest of the case, so
every scalar field here degrades instead of failing the whole response:

* ``Str``  accepts a string, or a number/bool (turned into text), or a dict/list (kept as JSON
  text so it is still visible); anything else becomes ``None``.
* ``Int``  accepts an int or an integer-looking string; anything else becomes ``None``.
* ``Bool`` accepts a bool, ``"true"``/``"false"`` and ``0``/``1``; anything else becomes ``None``.
* ``ListOf[Model]`` accepts ``None`` (empty list) and drops elements that are not objects.
* ``Obj[Model]`` is a nested model that becomes ``None`` when the value is not an object.

Nothing is lost by degrading: the raw JSON of every response is kept beside the model.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, WrapValidator

T = TypeVar("T")


class LenientModel(BaseModel):
    """Base for every service model: unknown fields kept, names usable by alias or attribute."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False, defer_build=True)

    @property
    def extra_fields(self) -> dict[str, Any]:
        """Fields the service sent that no document describes (shown in the UI, never dropped)."""
        return dict(self.__pydantic_extra__ or {})


def _to_str(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return None


def _to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            try:
                as_float = float(value.strip())
            except ValueError:
                return None
            return int(as_float) if as_float.is_integer() else None
    return None


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
    return None


def _list_or_empty(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def _scalar_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _model_or_none(value: Any, handler: Any) -> Any:
    if not isinstance(value, (dict, BaseModel)):
        return None
    try:
        return handler(value)
    except ValidationError:
        return None


Str = Annotated[str | None, BeforeValidator(_to_str)]
Int = Annotated[int | None, BeforeValidator(_to_int)]
Bool = Annotated[bool | None, BeforeValidator(_to_bool)]
AnyList = Annotated[list[Any], BeforeValidator(_scalar_list)]
ListOf = Annotated[list[T], BeforeValidator(_list_or_empty)]
Obj = Annotated[T | None, WrapValidator(_model_or_none)]
