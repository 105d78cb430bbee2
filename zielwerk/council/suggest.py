"""Goal suggestions for a council paper: which operative goals its text is about.

Pure Python (no Django), so it is fast to test and to benchmark. The ranking is BM25 turned
around: every operative goal is a small "document" (its title, text, the strategic goal's
title, the keywords of the strategy office and terms learned from earlier checks, each with its
own weight) and the paper is the query. German words are reduced to their stems with the
Snowball stemmer, compounds of the paper are split into words the goals know
("Beschaffungsrichtlinie" → Beschaffung), and three things keep form text from driving the
result: a list of boilerplate phrases of German council papers (recycled paper, Klimarelevanz,
"Finanzielle Auswirkungen" …), lines that recur in many stored papers (templates of the city)
and the document frequency of each term over the stored papers. A suggestion is only a hint
with its reasons (the matched words); it never is a rating.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import snowballstemmer


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Common German function words, and verbs, adjectives and adverbs that goal texts use for any
# topic ("Wir schaffen …", "möglichst", "regelmäßig"): they tie a paper to a goal by style, not
# by subject. Compared with the lower-cased word as written, so that "leisten" goes but
# "Leistung" (same stem) stays.
STOP_WORDS = _word_set(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    anderm andern anderr anders auch auf aus bei beim bereits bin bis bisher bist bzw da dabei
    dadurch dafür dagegen daher dahin damit danach dann dar daran darauf daraus darf darin darum
    darunter darüber das dass daß davon dazu dein deine deinem deinen deiner deines dem demnach den
    denen denn dennoch der deren derer des deshalb dessen deswegen dich die dies diese dieselbe
    dieselben diesem diesen dieser dieses dir doch dort du durch dürfen ebenfalls ebenso ein eine
    einem einen einer eines einig einige einigem einigen einiger einiges einmal er es etwa etwas
    euch euer eure eurem euren eurer eures für gab ganz gar gegen gegenüber gem gemäß gewesen
    gibt habe haben hat hatte hatten hier hin hinter hinsichtlich ich ihm ihn ihnen ihr ihre ihrem
    ihren ihrer ihres im immer in indem infolge ins insbesondere ist ja je jede jedem jeden jeder
    jedes jedoch jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
    können könnte lassen laut man manche manchem manchen mancher manches mehr mein meine meinem
    meinen meiner meines mich mir mit muss musste müssen nach nachdem nicht nichts noch nun nur
    ob obwohl oder ohne per rund schon sehr sei seien sein seine seinem seinen seiner seines seit
    seitens selbst sich sie sind so sodass solche solchem solchen solcher solches soll sollen
    sollte sollten somit sondern sonst sowie sowohl statt über um und uns unser unsere unserem
    unseren unserer unseres unter usw viel viele vom von vor vorher wann war waren warum was weil
    weiter weitere weiteren weiterer weiteres welche welchem welchen welcher welches wenn wer werde
    werden wie wieder will wir wird wo wobei wollen worden wurde wurden während zu zum zur zwar
    zwischen zudem zuvor ca evtl ggf inkl sog vgl bzgl nein öffentlich nichtöffentlich
    schaffen schafft geschaffen stärken stärkt gestärkt sorgen sorgt stellen stellt gestellt
    führen führt geführt durchführen durchgeführt achten nutzen nutzt genutzt dienen dient
    erreichen erreicht liegen liegt gehen geht sehen sieht finden findet halten hält gehalten
    nehmen nimmt genommen geben gegeben machen macht gemacht setzen setzt gesetzt bringen bringt
    tragen trägt leisten leistet bieten bietet bestehen besteht bestehende bestehenden
    ermöglichen ermöglicht erfolgen erfolgt gelten gilt beziehen bezogen handeln handelt
    gut gute guten guter hoch hohe hohen hoher neu neue neuen neuer neues wichtig wichtige
    wichtigen möglich mögliche möglichen möglichst gemeinsam gemeinsame gemeinsamen stark starke
    starken wenig wenige wenigen eben gerne genauso außerdem hinaus hinweg hierzu sofern sämtliche
    sämtlichen diejenigen derjenige jederzeit regelmäßig regelmäßige ständig ständigen fortlaufend
    stetig anhand innerhalb einzelne einzelnen ausschließlich insgesamt weitgehend zwei drei vier
    fünf leben berücksichtigen berücksichtigt erforderlich erforderliche erforderlichen
    entsprechend entsprechende entsprechenden umfangreich umfangreiche umfangreichen streben
    angestrebt anstreben tätig tätigen übertragen messen gemessen
    """
)

# Nouns that every council paper uses, whatever its topic; all their forms are dropped
# ("Stadt", "Städte", "städtischen").
STOP_NOUNS = _word_set(
    """
    beschluss beschlussvorlage beschlussantrag vorlage drucksache anlage antrag anfrage
    stellungnahme sitzung tagesordnung gemeinderat ausschuss oberbürgermeister
    oberbürgermeisterin bürgermeister bürgermeisterin bürgermeisteramt verwaltung stadtverwaltung
    sachverhalt begründung erläuterung kenntnisnahme zustimmung beratung beratungsfolge seite
    fraktion jahr januar februar märz april mai juni juli august september oktober november
    dezember euro tsd mio prozent sinn teil bereich rahmen art weise fall beispiel sache stadt
    städtisch land bund baden württemberg mensch welt ort aspekt element bürger bürgerin
    einwohner einwohnerin
    """
)
# Phrases of the forms of German council papers. They appear in papers on any topic, and several
# would otherwise point to goals on budgets, climate or participation. Lower case; each pattern
# begins with a literal word (the regex engine then skips ahead fast) and comes with a word it
# cannot match without, so that a paper is searched only for the patterns it can hold. Lines with
# checkboxes (☐ ☒) are form lines as a whole.
BOILERPLATE = (
    ("recycling", r"recycling-?papier"),
    ("relevan", r"klima\s*-?\s*relevan\w*[^\n]*"),
    ("relevan", r"co[2₂]\s*-?\s*relevan\w*[^\n]*"),
    ("klimaschutz", r"auswirkungen? auf (?:den )?klimaschutz[^\n]*"),
    ("bei ja", r"bei ja: begründung[^\n]*"),
    ("gesellschaften", r"abstimmung mit (?:den )?städtischen gesellschaften[^\n]*"),
    ("finanzielle auswirkungen", r"finanzielle auswirkungen[^\n]*"),
    ("der maß", r"gesamt(?:kosten|einzahlung|aufwand) der maß-?\s*nahme\w*"),
    ("jährliche", r"jährliche(?:/r)? (?:laufende belastung|budgetbedarf|ertrag)[^\n]*"),
    ("zahlungen", r"zahlungen\s*/\s*(?:erträge|aufwendungen)"),
    ("städtischen haushalt", r"finanzierung durch (?:den )?städtischen haushalt"),
    ("gegenfinanzierung", r"gegenfinanzierung (?:ist|durch)[^\n]*"),
    ("wie folgt sichergestellt", r"die finanzierung wird auf dauer wie folgt sichergestellt[^\n]*"),
    ("mehrerträge", r"mehrerträge\s*/\s*-?\w*"),
    ("umschichtung", r"umschichtungen? innerhalb des dezernat\w*"),
    ("wegfall bestehender", r"wegfall bestehender aufgaben[^\n]*"),
    ("budgetiert", r"budgetiert"),
    ("zuordnung im haushaltsplan", r"zuordnung im haushaltsplan"),
    ("ergebnishaushalt", r"ergebnishaushalt\s*:[^\n]*"),
    ("finanzhaushalt", r"finanzhaushalt\s*:[^\n]*"),
    ("hh-plan", r"seite im hh-plan[^\n]*"),
    ("verpflichtungsermächtigung", r"verpflichtungsermächtigung"),
    ("sperrvermerk", r"sperrvermerk"),
    ("stellenschaffung", r"stellenschaffung\s*/\s*-?reduzierung"),
    ("haushaltsmittel", r"haushaltsmittel (?:sind dauerhaft|stehen nicht)[^\n]*"),
    ("konsumtive", r"konsumtive maßnahme"),
    ("investive", r"investive maßnahme"),
    ("ortschaftsrat", r"anhörung (?:des )?ortschaftsrat\w*[^\n]*"),
    ("unterzeichnet", r"unterzeichnet von[^\n]*"),
    ("beurkundung", r"zur beurkundung[^\n]*"),
    ("schriftführer", r"schriftführer(?:in)?\b[^\n]*"),
    ("vorsitzende", r"vorsitzende(?:r|/r)?\s*:[^\n]*"),
    ("wordvorlage", r"formatänderungen der wordvorlage[^\n]*"),
    ("liste auswählen", r"bitte aus (?:der )?liste auswählen"),
    ("element aus", r"wählen sie ein element aus"),
    ("klicken", r"klicken (?:oder tippen )?sie hier[^\n]*"),
    ("termin", r"gremi(?:um|en)\s+termin\s+top[^\n]*"),
    ("beratungsfolge", r"beratungsfolge(?: dieser vorlage)?"),
    (
        "stadtentwicklungskonzept",
        r"(?:bezug|beitrag) zu(?:m|r|den)? (?:zielen des )?(?:integrierten )?"
        r"stadtentwicklungskonzept\w*",
    ),
    ("nachhaltigkeit", r"nachhaltigkeit(?:s-?check|sprüfung)[^\n]*"),
    ("gleichstellungsrelevan", r"gleichstellungsrelevan\w*[^\n]*"),
)
_BOILERPLATE = tuple((trigger, re.compile(pattern)) for trigger, pattern in BOILERPLATE)
_CHECKBOXES = ("☐", "☒", "☑")

# A hyphen at a line end followed by a lower-case word is a word broken across two lines.
# Not before a conjunction: "Bildungs-\nund Kulturangebote" keeps its elided compound apart.
_LINE_BREAK_HYPHEN = re.compile(r"-[ \t]*\n[ \t\n]*(?=[a-zäöüß])(?!(?:und|oder|bzw|sowie|bis)\b)")
# Letters only: numbers go, hyphenated compounds fall apart into their words.
_LETTERS = re.compile(r"[^\W\d_]+")
# Endings left between the parts of a compound once its first part is stemmed
# ("beschaff|ungs|richtlini", "haushalt|s|plan").
_JOINS = ("ungs", "ung", "ens", "es", "en", "er", "s", "n", "e")
_MIN_PART = 4
# Verb prefixes: "er|forder" or "abzu|bild" hold no compound of "Förderung" or "Bild".
_PREFIXES = _word_set(
    "ab an auf aus be bei dar ein ent er ge her hin mit nach uber um unter ver vor weg wieder "
    "zer zu zur zuruck"
)
# Derivational endings: a known word followed by one of them is a derived word, not a compound.
_SUFFIXES = tuple(_word_set("bar haft heit ig isch keit lich los nis sam schaft tum"))
_STEM_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Weights:
    """How much each part of a goal and of a paper counts; BM25 constants."""

    goal_title: float = 3.0
    goal_text: float = 1.0
    strategic_title: float = 0.5
    keyword: float = 3.0
    learned: float = 1.0
    compound_part: float = 0.6
    paper_title: float = 3.0
    k1: float = 1.2
    b: float = 0.5
    # Saturation of a term's frequency in the paper: a word said twenty times is not twenty
    # times as telling as one said once.
    k3: float = 1.5
    # Length normalisation of the paper as in BM25 (0 = none): in a long paper one mention
    # means less. Lengths are in words, relative to the stored papers' average.
    paper_b: float = 0.5
    paper_length: float = 2000.0
    # Terms in at most `rare_share` of the stored papers count fully, terms in `common_share`
    # or more not at all, and in between less the more papers use them (log scale).
    rare_share: float = 0.02
    common_share: float = 0.5
    # Lines found in at least this many stored papers (and this share) are form text.
    boilerplate_min_papers: int = 5
    boilerplate_share: float = 0.01
    # Corpus statistics count only from this many papers on.
    min_corpus: int = 30
    learned_terms_per_paper: int = 8
    threshold: float = 3.0
    # One word in common is chance; a goal needs at least this many different matched words
    # (at most reason_terms).
    min_terms: int = 2
    reason_terms: int = 5


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class GoalDoc:
    """An operative goal as the engine sees it. `learned` holds texts of earlier papers whose
    checks rated this goal."""

    key: str
    title: str
    text: str = ""
    strategic_title: str = ""
    keywords: tuple[str, ...] = ()
    learned: tuple[str, ...] = ()


@dataclass(frozen=True)
class PaperText:
    title: str
    text: str = ""


@dataclass(frozen=True)
class GoalSuggestion:
    key: str
    score: float
    terms: tuple[str, ...]

    @property
    def reason(self) -> str:
        return ", ".join(self.terms)


@dataclass
class CorpusStats:
    """What the stored papers tell: how many papers use each stem, and the lines of forms."""

    size: int = 0
    df: dict[str, int] = field(default_factory=dict)
    average_words: float = 0.0
    boilerplate_lines: frozenset[str] = frozenset()


def _join_at(stem: str, pos: int) -> str:
    """The linking ending at `pos` between two parts of a compound ("" if there is none)."""
    for join in _JOINS:
        if stem.startswith(join, pos) and len(stem) - pos - len(join) >= _MIN_PART:
            return join
    return ""


_stemmer = snowballstemmer.stemmer("german")
# The Snowball stemmer keeps its word in itself: one word at a time.
_stemmer_lock = threading.Lock()
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """The Snowball stem of a lower-case word, remembered for the process (stemming is the
    slowest step, and most words of a paper were seen in earlier ones)."""
    found = _stems.get(word)
    if found is None:
        with _stemmer_lock:
            found = _stemmer.stemWord(word)
        if len(_stems) > _STEM_CACHE_LIMIT:
            _stems.clear()
        _stems[word] = found
    return found


def _is_word(left: str) -> bool:
    """Whether what stands before a compound's head can be a word of its own."""
    if left.endswith("zu"):
        left = left[:-2]
    return len(left) >= 3 and left not in _PREFIXES


class Analyzer:
    """Turns German text into stems. `stop_words` adds words of the city (its name …)."""

    def __init__(self, stop_words: Iterable[str] = ()) -> None:
        self._terms: dict[str, str | None] = {}
        self.stop_words = STOP_WORDS | {word.lower() for word in stop_words}
        self._stop_stems = frozenset(stem(word.lower()) for word in STOP_NOUNS.union(stop_words))

    def term(self, word: str) -> str | None:
        """The stem of a word as written, or None for a stop word.

        Stems shorter than four letters ("Süd", "Bad") are too ambiguous to count, except
        abbreviations written in capitals ("IT", "OZG")."""
        try:
            return self._terms[word]
        except KeyError:
            pass
        if len(self._terms) > _STEM_CACHE_LIMIT:
            self._terms.clear()
        lower = word.lower()
        found = None
        if lower not in self.stop_words and (len(word) > 2 or word.isupper()):
            found = stem(lower)
            if found in self._stop_stems or (len(found) < _MIN_PART and not word.isupper()):
                found = None
        self._terms[word] = found
        return found

    @staticmethod
    def words(text: str) -> list[str]:
        """The words as written: numbers dropped, hyphenated compounds split into their parts,
        words broken at a line end joined again."""
        if "\u00ad" in text:
            text = text.replace("\u00ad", "")
        return _LETTERS.findall(_LINE_BREAK_HYPHEN.sub("", text))

    def tokens(self, text: str) -> list[tuple[str, str]]:
        """(stem, word as written) for every word that is not a stop word, in order."""
        return [(found, word) for word in self.words(text) if (found := self.term(word))]


def strip_boilerplate(text: str, lines: frozenset[str] = frozenset()) -> str:
    """The text without known form phrases and without lines that recur in many papers."""
    if lines or any(box in text for box in _CHECKBOXES):
        text = "\n".join(
            line
            for line in text.splitlines()
            if _normal_line(line) not in lines and not any(box in line for box in _CHECKBOXES)
        )
    lower = text.lower()
    if len(lower) != len(text):
        # Lower-casing changed the length (rare letters like "İ"): the positions would not fit.
        text = lower
    spans = sorted(
        match.span()
        for trigger, pattern in _BOILERPLATE
        if trigger in lower
        for match in pattern.finditer(lower)
    )
    if not spans:
        return text
    kept, pos = [], 0
    for start, end in spans:
        if start > pos:
            kept.append(text[pos:start])
        pos = max(pos, end)
    kept.append(text[pos:])
    return " ".join(kept)


def _normal_line(line: str) -> str:
    return " ".join(line.split()).lower()


def build_corpus(
    papers: Iterable[PaperText],
    weights: Weights = DEFAULT_WEIGHTS,
    analyzer: Analyzer | None = None,
) -> CorpusStats:
    """Document frequencies and recurring lines over stored papers."""
    analyzer = analyzer or Analyzer()
    texts = [(paper.title, paper.text) for paper in papers]
    line_df: Counter[str] = Counter()
    for _title, text in texts:
        line_df.update({_normal_line(line) for line in text.splitlines()} - {""})
    limit = max(weights.boilerplate_min_papers, weights.boilerplate_share * len(texts))
    lines = frozenset(line for line, count in line_df.items() if count >= limit)
    df: Counter[str] = Counter()
    total = 0
    for title, text in texts:
        words = analyzer.words(f"{title}\n{strip_boilerplate(text, lines)}")
        total += len(words)
        df.update({found for word in set(words) if (found := analyzer.term(word))})
    return CorpusStats(
        size=len(texts),
        df=dict(df),
        average_words=total / len(texts) if texts else 0.0,
        boilerplate_lines=lines,
    )


class SuggestionIndex:
    """The goals of one edition, prepared once for ranking many papers."""

    def __init__(
        self,
        goals: Sequence[GoalDoc],
        corpus: CorpusStats | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.weights = weights
        self.analyzer = analyzer or Analyzer()
        self.corpus = corpus or CorpusStats()
        self.keys = [goal.key for goal in goals]
        self._surface: dict[str, Counter[str]] = defaultdict(Counter)
        # Keywords of several words ("Leichte Sprache") count only as a whole: first stem →
        # the stem sequences starting with it.
        self._phrases: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self._parts: dict[str, tuple[str, ...]] = {}
        fields = [self._goal_fields(goal) for goal in goals]
        self.vocabulary = frozenset(
            stem
            for goal in fields
            for terms, _weight in goal
            for stem in terms
            if len(stem) >= _MIN_PART and " " not in stem
        )
        self._postings = self._weigh(fields)

    # -- building -----------------------------------------------------------------------------

    def _goal_fields(self, goal: GoalDoc) -> list[tuple[Counter[str], float]]:
        w = self.weights
        learned: Counter[str] = Counter()
        for text in goal.learned:
            learned.update(self._distinctive(text))
        return [
            (self._count(goal.title), w.goal_title),
            (self._count(goal.text), w.goal_text),
            (self._count(goal.strategic_title), w.strategic_title),
            (self._keyword_counts(goal.keywords), w.keyword),
            (learned, w.learned),
        ]

    def _count(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for stem, word in self.analyzer.tokens(text):
            counts[stem] += 1
            self._surface[stem][word] += 1
        return counts

    def _keyword_counts(self, keywords: Iterable[str]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for keyword in keywords:
            stems = tuple(stem for stem, _word in self.analyzer.tokens(keyword))
            if not stems:
                continue
            term = " ".join(stems)
            counts[term] += 1
            # The staff's spelling is the most readable reason.
            self._surface[term][keyword] += 3
            if len(stems) > 1:
                self._phrases[stems[0]].add(stems)
        return counts

    def _distinctive(self, text: str) -> list[str]:
        """The terms of an earlier paper that are rare among all papers: what it was about."""
        counts = Counter(
            stem
            for stem, _word in self.analyzer.tokens(
                strip_boilerplate(text, self.corpus.boilerplate_lines)
            )
        )
        ranked = sorted(counts, key=lambda stem: (-counts[stem] * self._specificity(stem), stem))
        return ranked[: self.weights.learned_terms_per_paper]

    def _weigh(
        self, fields: list[list[tuple[Counter[str], float]]]
    ) -> dict[str, list[tuple[int, float]]]:
        """For each term, the goals it occurs in with idf × saturated weighted frequency."""
        w = self.weights
        docs: list[Counter[str]] = []
        for goal in fields:
            tf: Counter[str] = Counter()
            for terms, weight in goal:
                for stem, count in terms.items():
                    tf[stem] += count * weight
                    for part in self.parts(stem):
                        tf[part] += count * weight * w.compound_part
            docs.append(tf)
        lengths = [sum(doc.values()) for doc in docs]
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        n = len(docs)
        goal_df = Counter(stem for doc in docs for stem in doc)
        # Relative to the idf of a term only one goal has, so that scores (and the threshold)
        # mean the same for 20 goals as for 300.
        rarest = math.log(1 + (n - 0.5) / 1.5)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            norm = w.k1 * (1 - w.b + w.b * lengths[index] / average)
            for stem, tf in doc.items():
                idf = math.log(1 + (n - goal_df[stem] + 0.5) / (goal_df[stem] + 0.5)) / rarest
                postings[stem].append((index, idf * tf * (w.k1 + 1) / (tf + norm)))
        return dict(postings)

    # -- analysing ----------------------------------------------------------------------------

    def parts(self, stem: str) -> tuple[str, ...]:
        """Known goal words inside a compound stem, e.g. beschaffungsrichtlini → (beschaff,)."""
        found = self._parts.get(stem)
        if found is None:
            if len(self._parts) > _STEM_CACHE_LIMIT:
                self._parts.clear()
            found = self._parts[stem] = self._split(stem) if " " not in stem else ()
        return found

    def _split(self, stem: str) -> tuple[str, ...]:
        """Left to right, the longest known word at each place; then a known head at the end."""
        vocabulary = self.vocabulary
        found: list[str] = []
        pos = 0
        while len(stem) - pos >= _MIN_PART:
            end = next(
                (
                    end
                    for end in range(len(stem), pos + _MIN_PART - 1, -1)
                    if stem[pos:end] in vocabulary and self._boundary(stem, pos, end)
                ),
                None,
            )
            if end is None:
                head = next(
                    (
                        stem[start:]
                        for start in range(pos + 1, len(stem) - _MIN_PART + 1)
                        if stem[start:] in vocabulary and _is_word(stem[pos:start])
                    ),
                    None,
                )
                if head:
                    found.append(head)
                break
            found.append(stem[pos:end])
            pos = end + len(_join_at(stem, end))
        return tuple(dict.fromkeys(found))

    @staticmethod
    def _boundary(stem: str, pos: int, end: int) -> bool:
        """Whether stem[pos:end] can be a whole part: not the whole word, and what follows is
        another word rather than a suffix ("Verein|barung" is no compound of "Verein")."""
        if end == len(stem):
            return pos > 0
        rest = stem[end:]
        if any(
            rest.startswith(join) and rest.startswith(_SUFFIXES, len(join))
            for join in ("", *_JOINS)
        ):
            return False
        return len(rest) - len(_join_at(stem, end)) >= _MIN_PART

    def _specificity(self, stem: str) -> float:
        """1 for terms rare among the stored papers, falling to 0 for terms in most of them."""
        corpus = self.corpus
        if corpus.size < self.weights.min_corpus:
            return 1.0
        share = (corpus.df.get(stem, 0) + 0.5) / (corpus.size + 1)
        rare, common = self.weights.rare_share, self.weights.common_share
        if share <= rare:
            return 1.0
        return max(0.0, math.log(common / share) / math.log(common / rare))

    def paper_terms(
        self, paper: PaperText
    ) -> tuple[dict[str, float], dict[str, Counter[str]], int]:
        """Weighted term frequencies of a paper (title counts more) and the words behind them."""
        w = self.weights
        freq: dict[str, float] = defaultdict(float)
        words: dict[str, Counter[str]] = defaultdict(Counter)
        body = strip_boilerplate(paper.text, self.corpus.boilerplate_lines)
        term = self.analyzer.term
        length = 0
        for text, weight in ((strip_boilerplate(paper.title), w.paper_title), (body, 1.0)):
            sequence = self.analyzer.words(text)
            length += len(sequence)
            heads = set()
            # Counting first makes the work per distinct word, not per word.
            for word, count in Counter(sequence).items():
                stem = term(word)
                if stem is None:
                    continue
                if stem in self._postings:
                    freq[stem] += weight * count
                    words[stem][word] += count
                for part in self.parts(stem):
                    freq[part] += weight * count * w.compound_part
                    # The compound as the paper wrote it explains the match best, unless the
                    # paper also uses the part on its own.
                    words[part][word] += count * w.compound_part
                if stem in self._phrases:
                    heads.add(word)
            if heads:
                self._find_phrases(sequence, heads, weight, freq, words)
        return freq, words, length

    def _find_phrases(
        self,
        sequence: list[str],
        heads: set[str],
        weight: float,
        freq: dict[str, float],
        words: dict[str, Counter[str]],
    ) -> None:
        term = self.analyzer.term
        longest = max(len(phrase) for group in self._phrases.values() for phrase in group)
        for position, word in enumerate(sequence):
            if word not in heads:
                continue
            # The next words that count, stop words in between skipped ("Kinder und Jugendliche").
            following: list[tuple[str, str]] = []
            for next_word in sequence[position : position + 3 * longest]:
                stem = term(next_word)
                if stem:
                    following.append((stem, next_word))
                    if len(following) == longest:
                        break
            for phrase in self._phrases[following[0][0]]:
                if tuple(stem for stem, _word in following[: len(phrase)]) == phrase:
                    key = " ".join(phrase)
                    freq[key] += weight
                    words[key][" ".join(word for _stem, word in following[: len(phrase)])] += 1

    # -- ranking ------------------------------------------------------------------------------

    def suggest(self, paper: PaperText, limit: int = 5) -> list[GoalSuggestion]:
        """The goals most relevant to the paper, best first; none below the threshold."""
        w = self.weights
        freq, words, length = self.paper_terms(paper)
        average = self.corpus.average_words if self.corpus.size >= w.min_corpus else w.paper_length
        k3 = w.k3 * (1 - w.paper_b + w.paper_b * length / average)
        scores: dict[int, float] = defaultdict(float)
        reasons: dict[int, dict[str, float]] = defaultdict(dict)
        for stem, tf in freq.items():
            postings = self._postings.get(stem)
            if not postings:
                continue
            query_weight = tf * (w.k3 + 1) / (tf + k3) * self._specificity(stem)
            if query_weight <= 0:
                continue
            for index, weight in postings:
                contribution = query_weight * weight
                scores[index] += contribution
                reasons[index][stem] = contribution
        ranked = sorted(
            (index for index, score in scores.items() if score >= w.threshold),
            key=lambda index: (-scores[index], self.keys[index]),
        )
        found = []
        for index in ranked:
            terms = self._reason(reasons[index], words)
            # Counted as the paper shows them: a compound and its part are one word.
            if len(terms) >= w.min_terms:
                found.append(GoalSuggestion(self.keys[index], round(scores[index], 2), terms))
                if len(found) == limit:
                    break
        return found

    def _reason(
        self, contributions: Mapping[str, float], words: Mapping[str, Counter[str]]
    ) -> tuple[str, ...]:
        best = sorted(contributions, key=lambda stem: (-contributions[stem], stem))
        shown: dict[str, str] = {}
        for stem in best[: self.weights.reason_terms]:
            word = self._readable(stem, words.get(stem))
            shown.setdefault(word.lower(), word)
        return tuple(shown.values())

    def _readable(self, stem: str, seen: Counter[str] | None) -> str:
        """The word as the paper wrote it (most often); else as the goal or keyword writes it."""
        source = seen or self._surface.get(stem) or Counter({stem: 1})
        return max(source, key=lambda word: (source[word], word[:1].isupper(), word))
