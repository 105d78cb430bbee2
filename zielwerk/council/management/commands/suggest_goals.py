from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zielwerk.council.suggestions import (
    MAX_SUGGESTIONS,
    SuggestionError,
    edition_named,
    read_paper_file,
    suggest_for_text,
)


class Command(BaseCommand):
    help = _(
        "Schlägt die operativen Ziele vor, die eine Vorlage (Text- oder PDF-Datei) betreffen "
        "könnten, mit den passenden Begriffen als Grund. Ein Vorschlag ist keine Bewertung."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Textdatei (.txt) oder PDF-Datei der Vorlage"))
        parser.add_argument(
            "--limit",
            type=int,
            default=MAX_SUGGESTIONS,
            help=_("höchstens so viele Ziele (Standard: %(default)s)"),
        )
        parser.add_argument(
            "--edition", help=_("Kennung der Ausgabe; Standard: die aktuelle Ausgabe")
        )

    def handle(self, *args, **options):
        if options["limit"] < 1:
            raise CommandError(_("--limit muss mindestens 1 sein."))
        try:
            paper = read_paper_file(options["file"])
            edition = edition_named(options["edition"])
            matches = suggest_for_text(paper.title, paper.text, edition, options["limit"])
        except SuggestionError as error:
            raise CommandError(str(error)) from error
        if not matches:
            self.stdout.write(_("Kein Ziel des Stadtentwicklungskonzepts scheint betroffen."))
        for rank, match in enumerate(matches, start=1):
            self.stdout.write(
                _("%(rank)s. %(code)s %(title)s — %(reason)s (Punktzahl %(score)s)")
                % {
                    "rank": rank,
                    "code": match.goal.code,
                    "title": match.goal.title,
                    "reason": match.reason,
                    "score": f"{match.score:.1f}".replace(".", ","),
                }
            )
