from django.core.management.base import BaseCommand

from zielwerk.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Lädt das Seed-Kapitel (Handlungsfeld 12, Ludwigsburg) mit Beispiel-Organisationseinheiten "
        "und Demo-Zugängen. Mehrfaches Ausführen ist unschädlich."
    )

    def handle(self, *args, **options):
        summary = load_demo()
        if summary.imported_seed:
            self.stdout.write(f"Seed-Kapitel geladen als Ausgabe „{summary.edition.name}“.")
            self.stdout.write(
                f"{summary.indicators} Indikatoren mit {summary.values} Werten geladen "
                "(Beispieldaten, keine amtlichen Zahlen) und bewertet."
            )
            self.stdout.write(
                f"{summary.measures} Maßnahmen mit Projektsteckbrief, Meilensteinen und "
                "Statusberichten geladen (Beispieldaten)."
            )
        else:
            self.stdout.write(f"Ausgabe „{summary.edition.name}“ ist schon vorhanden.")
        self.stdout.write("")
        self.stdout.write("Demo-Zugänge (Beispieldaten, nur für die Vorführung):")
        for username, role in summary.logins:
            self.stdout.write(f"  Benutzername {username:<15} Passwort {DEMO_PASSWORD}   ({role})")
        self.stdout.write("Anmelden: http://127.0.0.1:8000/anmelden/  –  Pflege: /verwaltung/")
