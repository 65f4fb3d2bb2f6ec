"""Bank file formats (pure: no cloud client imported here).

- :mod:`statement` input/output types; :mod:`mt940` and :mod:`cfonb120` ``write``/``parse``/
  ``validate``; :mod:`transliterate` character sets;
- :mod:`pain001` ``parse``/``validate`` of credit transfer initiations, :mod:`pain002` status
  reports; :mod:`ebics_names` object names per EBICS version;
- :mod:`errors` the one exception hierarchy.

:func:`render_statement` is what a statement job calls: write, then check with our own strict
validator before the file leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.formats.statement import Statement

STATEMENT_FORMATS = ("mt940", "cfonb120")


def render_statement(statement: Statement, fmt: str) -> str:
    """Write ``statement`` as ``fmt`` ("mt940" or "cfonb120") and validate the result.

    Raises UnrepresentableError (naming the entry) when the input cannot be written, and
    FormatValidationError if the written file breaks a rule (a bug: nothing is dropped then).
    """
    from shared.formats import cfonb120, mt940
    from shared.formats.errors import FormatError

    modules = {"mt940": mt940, "cfonb120": cfonb120}
    if fmt not in modules:
        raise FormatError(f"statement format {fmt!r} is not one of {STATEMENT_FORMATS}")
    text = modules[fmt].write(statement)
    modules[fmt].validate(text)
    return text
