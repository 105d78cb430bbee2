"""The canonical form of a disaggregation ({"Stadtteil": "Mitte"}), shared by every way values
come in, so that the same breakdown always lands on the same stored key."""

from collections.abc import Mapping

# Separators are escaped so that different breakdowns never share a key, e.g.
# {"a": "b|c=d"} and {"a": "b", "c": "d"}.
_NAME_ESCAPES = str.maketrans({"\\": "\\\\", "|": "\\|", "=": "\\="})
_VALUE_ESCAPES = str.maketrans({"\\": "\\\\", "|": "\\|"})
# Columns named as in Open SDG come first (Units, Series) or last (GeoCode), as in its files.
_LEADING, _TRAILING = ("Units", "Series"), ("GeoCode",)


def normalise(disaggregation: Mapping[str, object] | None) -> dict[str, str]:
    """Names and values as trimmed text, sorted by name; empty values mean "not broken down"
    (as in Open SDG, where an empty cell belongs to the headline)."""
    if not disaggregation:
        return {}
    items = (
        (str(k).strip(), "" if v is None else str(v).strip()) for k, v in disaggregation.items()
    )
    return dict(sorted((k, v) for k, v in items if k and v))


def key_of(normalised: Mapping[str, str]) -> str:
    """ "Geschlecht=w|Stadtteil=Mitte" for an already normalised disaggregation."""
    return "|".join(
        f"{name.translate(_NAME_ESCAPES)}={value.translate(_VALUE_ESCAPES)}"
        for name, value in normalised.items()
    )


def canonical(disaggregation: Mapping[str, object] | None) -> tuple[dict[str, str], str]:
    normalised = normalise(disaggregation)
    return normalised, key_of(normalised)


def column_order(names: set[str]) -> list[str]:
    """The order of disaggregation columns when values are written as a table."""
    leading = [n for n in _LEADING if n in names]
    trailing = [n for n in _TRAILING if n in names]
    return leading + sorted(names - set(leading) - set(trailing)) + trailing
