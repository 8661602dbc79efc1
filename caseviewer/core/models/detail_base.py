"""The base of the detail service's models (CareValidate, ``GET {detail_base}/api/v1/customer-case-detail``).

The detail service speaks camelCase with a few irregular spellings (``isPHI``, ``cancelURL``): the
field names are snake_case and the wire names their aliases, generated here, spelled out on the
field where the generator would get them wrong.
"""

from __future__ import annotations

from pydantic import ConfigDict
from pydantic.alias_generators import to_camel

from caseviewer.core.lenient import LenientModel


class DetailModel(LenientModel):
    """Base for the detail service's camelCase objects."""

    model_config = ConfigDict(alias_generator=to_camel, extra="allow", populate_by_name=True, defer_build=True)
