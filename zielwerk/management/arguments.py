"""Argument types shared by the `zielwerk` subcommands."""

import argparse
import datetime


def iso_date(text: str) -> datetime.date:
    """A --date argument; argparse turns the error into a usage message naming the option."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"„{text}“ ist kein Datum im Format JJJJ-MM-TT."
        ) from error
