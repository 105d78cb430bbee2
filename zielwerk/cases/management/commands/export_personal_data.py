import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zielwerk.cases.privacy import export_personal_data


class Command(BaseCommand):
    help = (
        "Auskunft nach Art. 15 DSGVO: schreibt alle Fälle, deren Kontaktdaten diese "
        "E-Mail-Adresse tragen (Groß-/Kleinschreibung egal), mit Kontaktdaten, Anliegen, Stand, "
        "öffentlichem Verlauf, Begründung und Antwort als JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", metavar="EMAIL", help="E-Mail-Adresse der Person")
        parser.add_argument(
            "--output",
            metavar="DATEI",
            help="JSON in diese Datei schreiben statt auf die Standardausgabe",
        )

    def handle(self, *args, **options):
        email = options["email"].strip()
        if "@" not in email:
            raise CommandError(f"„{email}“ ist keine E-Mail-Adresse.")
        data = export_personal_data(email)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            path = Path(options["output"])
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    f"--output: „{path}“ ließ sich nicht schreiben ({error.strerror})."
                ) from error
            # stderr keeps the JSON on stdout clean when no file is given; here it is a note.
            self.stderr.write(f"{data['anzahl_faelle']} Fälle nach {path} geschrieben.")
        else:
            self.stdout.write(text, ending="")
        if not data["faelle"]:
            self.stderr.write(
                "Zu dieser E-Mail-Adresse sind keine Fälle mit Kontaktdaten gespeichert "
                "(nie erfasst oder nach Ablauf der Aufbewahrungsfrist gelöscht)."
            )
