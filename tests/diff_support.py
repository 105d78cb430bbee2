"""An edited copy of the seed chapter: one goal renamed, reworded, moved, removed and added.
Shared by the diff tests and the browser tests (second edition)."""

import re

NEW_TITLE_1_2 = "Schlanke und wirksame Arbeitsstrukturen ausbauen"
OLD_SENTENCE_2_1 = "So werden die Bürgeranliegen schnell und effizient bearbeitet."
NEW_SENTENCE_2_1 = "So bearbeiten wir Anliegen aus der Bürgerschaft zügig und verlässlich."
NEW_GOAL_5_4 = (
    "- 12.5.4: Jugendbeteiligung verankern\n"
    "Kinder und Jugendliche bringen ihre Sichtweisen über ein Jugendforum und Schulprojekte "
    "in Planungen ein; der Jugendgemeinderat erhält ein eigenes Budget.\n"
)


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def goal_block(text: str, code: str) -> str:
    """The lines of one operative goal, from its bullet to the next heading or bullet."""
    match = re.search(
        rf"^- {re.escape(code)}:.*?(?=^- \d|^Strategisches Ziel|\Z)", text, re.S | re.M
    )
    assert match, code
    return match.group(0)


def edited_chapter(seed: str) -> str:
    """The seed with one goal renamed, reworded, moved, removed and added."""
    text = replace_once(
        seed,
        "12.1.2: Effektive & effiziente Arbeitsstrukturen ausbauen",
        f"12.1.2: {NEW_TITLE_1_2}",
    )
    text = replace_once(text, OLD_SENTENCE_2_1, NEW_SENTENCE_2_1)
    # 12.2.3 is the last goal of strategic goal 2, so moving it renumbers nothing there.
    moved = goal_block(text, "12.2.3")
    text = replace_once(text, moved, "")
    after_3_6 = goal_block(text, "12.3.6")
    text = replace_once(text, after_3_6, after_3_6 + moved.replace("- 12.2.3:", "- 12.3.7:"))
    text = replace_once(text, goal_block(text, "12.4.2"), "")
    for old, new in (("12.4.3", "12.4.2"), ("12.4.4", "12.4.3"), ("12.4.5", "12.4.4")):
        text = replace_once(text, f"- {old}:", f"- {new}:")
    return text.rstrip() + "\n" + NEW_GOAL_5_4
