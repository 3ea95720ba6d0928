"""Import stage, reply inference helpers: finding who a comment names, and how.

Pure and stdlib-only; used by ``generator.importing.replies``. ``find_cues`` reads one comment and
returns every person it names together with the grammar of the naming: an ``@handle``, a
"Replying to Omar:", a vocative ("Alas, dear Gift, you …", "…, Ruth."), or a third-person
mention ("Bashir is right", "While Kimberly waxes …"). Word lists tell a name (``Zoë``,
``Anne-Marie``, ``SAI``, ``Nguyễn``) from the capitalised words that open sentences
(``Indeed``, ``Moreover``, ``Danke``), from well-known places and from function words. The
lists are deliberately conservative: a word missing from a stop-list can at worst make a
cue *possible*; ``generator.importing.replies`` still demands evidence before it links anything.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .tokens import lower_words, sentences


def _upper_class() -> str:
    """Build a regex character class body holding every upper- and titlecase letter.

    Python's ``re`` has no ``\\p{Lu}``; a name must start with a capital in any script
    (``Émile``, ``Ólafur``, ``Łukasz``), so the class is generated once at import. Only the
    Basic Multilingual Plane: astral ranges made every pattern using the class ~8x slower.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        ch = chr(code)
        if ch.isupper() or ch.istitle():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )


UPPER = _upper_class()
# One name token: a capital, then letters, with inner apostrophes or hyphens
# (O'Brien, Anne-Marie, and the non-breaking hyphen U+2011 that pasted text carries).
NAME_TOKEN = rf"[{UPPER}][^\W\d_]*(?:['’\-‑][^\W\d_]+)*"
# A capitalised run of letters, without the apostrophes and hyphens: "Putin’s" → "Putin".
NAME_PART = rf"[{UPPER}][^\W\d_]*"
# A name is one to three such tokens ("Kate Atkinson", "Nguyễn Thu Hà").
NAME = rf"{NAME_TOKEN}(?:[ \t]+{NAME_TOKEN}){{0,2}}"
# An @handle may be lower case and carry digits, dots and underscores ("@old_sailor").
HANDLE = r"(?<![\w.@])@([^\W_][\w.\-]*[^\W_.\-]|[^\W_])"

# Capitalised words that open sentences or clauses, pronouns, titles, weekdays, months,
# common acronyms and the same in Spanish, French and German. Stored casefolded.
_STOP_TEXT = """
a about above absolutely according accordingly actually additionally admittedly after again
agreed ah ahh aha ai alas all allegedly almost alright also although always amen an and another
anybody anyhow anyone anything anyway apparently april are as at august aye bad basically because
before being besides best better both bravo bro btw but by ceo certainly cheers christ clearly
come congratulations consequently consider conversely correct crucially curiously dear december
definitely despite did do does dr dude each earlier economically either especially essentially
eu even eventually every everybody everyone everything evidently exactly except fair false
february few finally fine first firstly folks for fortunately frankly friday friends from
funny further furthermore fyi gdp generally given god good granted great guys ha haha had has
have he hello hence her here hers hey hi him his historically hmm honestly hopefully how however
i if imagine imho imo importantly in incidentally indeed inevitably instead interesting
interestingly ironically is it its january july june just kudos last lastly later lately let
like likewise listen literally lol look lord luckily ma'am madam man many march mate may maybe
me meanwhile meh mind monday more moreover most mostly mr mrs ms much my namely nato naturally
nay neither never nevertheless next nice no nobody none nonetheless nonsense nope nor not notably
note nothing november now obviously october of often oh ok okay on once one only oops or other
otherwise our overall pace perhaps personally please plus politically possibly practically precisely
predictably presumably probably prof ps quite rather really recently regardless regrettably
remember respectfully right rubbish sadly same saturday say second secondly see seemingly
seriously september several she similarly since sir so some somebody someone something sometimes
soon sorry specifically still stop strangely sunday sure surely technically thank thanks that
the their them then there therefore these they third this those though thursday thus today
together tomorrow too true truly tuesday ugh ultimately um uk un unfortunately unless unlike until
us usa usually very wait we wednesday well what whatever when whenever where whereas whether
which while whilst who whoa whoever why with within without worse worst wow wrong yeah yes yep
yesterday yet you your
sí si claro bueno pues vale hola gracias oye mira perdón perdon hombre vamos venga exacto
totalmente bien entonces pero que qué por para es el la los las un una yo tú usted nosotros
ellos ay sin con también tambien además ademas
oui non merci bonjour salut bon alors donc mais et ou enfin voilà certes pourtant ainsi
cependant effectivement exactement tiens écoute écoutez désolé pardon cher chère le les une je
tu il elle nous vous ils pour avec sans
ja nein doch danke bitte hallo aber und oder genau naja na tja klar stimmt leider eben gut
lieber liebe der die das ein eine ich du sie wir ihr mit ohne für
"""
STOP = frozenset(_STOP_TEXT.split())

# Continents, large countries and capitals: a sentence ending ", Europe." or a clause
# opening "Russia, …" is about a place, not to a person, even when no article is given.
_PLACES_TEXT = """
africa america americas antarctica asia australia europe oceania
afghanistan argentina austria belarus belgium brazil britain canada chile china colombia cuba
denmark egypt england ethiopia finland france germany greece india indonesia iran iraq ireland
israel italy japan kenya korea mexico netherlands nigeria norway pakistan palestine peru
philippines poland portugal qatar russia scotland spain sweden switzerland syria taiwan turkey
ukraine venezuela vietnam wales yemen
amsterdam athens baghdad beijing berlin brussels cairo delhi dublin geneva hanoi istanbul jerusalem
kabul kyiv kiev lagos lisbon london madrid manila moscow nairobi paris pyongyang rome seoul
shanghai sydney tehran tokyo vienna warsaw washington kremlin
"""
PLACES = frozenset(_PLACES_TEXT.split())

# Words that, right before a name, make it a direct address on their own
# ("Thanks, Ruth." "Sí, Pilar," "Danke, Lukas —"). Casefolded, may be two words.
GREETINGS = frozenset(
    """thanks thank cheers sorry dear hey hi hello yes no yeah yep nope agreed exactly respectfully
    alas oh ah ha well sure okay ok sí si claro gracias hola oye vale oui non merci bonjour salut
    ja nein danke hallo genau doch stimmt tja""".split()
) | {"thank you", "with respect", "come on", "my dear"}

# Second-person markers: a sentence that names someone *and* speaks to "you" addresses them.
SECOND_PERSON = frozenset(
    """you your yours you're you’re you've you’ve you'd you’d you'll you’ll yourself u ur
    tú tu tus te ti usted vos contigo tienes eres estás estabas dices sabes
    toi ton ta tes vous votre vos du dich dir dein deine deinen deinem deiner euch euer""".split()
)
# Answer particles that open a reply to the question just before ("Not yet.", "Yes, two feeds").
ANSWER_OPENING = (
    r"(?i:yes|yeah|yep|yup|no|nope|nah|not[ \t]+yet|not[ \t]+really"
    r"|not[ \t]+that[ \t]+i[ \t]+know(?:[ \t]+of)?|sí|oui|non|ja|nein)(?=[,.!;:—–]|[ \t]+-)"
)
# First-person singular in the sentence of a vocative ("Zoë, I get the frustration").
FIRST_PERSON = frozenset("i i'm i’m i've i’ve i'd i’d me my yo je j' ich".split())

# Third-person verbs that report what someone wrote: "While Kimberly waxes lyrical …".
SPEECH_VERBS = (
    "says|said|argues|argued|claims|claimed|insists|insisted|writes|wrote|thinks|believes|suggests|"
    "suggested|complains|complained|laments|frets|worries|waxes|waxed|paints|painted|calls|"
    "describes|rants|seems|keeps|reckons|notes|noted|points out|pointed out|mentions|mentioned|"
    "asks|asked|asserts|maintains|contends|imagines|dismisses|sneers|mocks|praises|defends|blames|"
    "wants|prefers|loves|hates|assumes|pretends|forgets|ignores"
)

# Function words left out of the textual similarity (English, Spanish, French, German).
_FUNCTION_TEXT = """
about above after again against all also although always among and another any anyone anything are
aren't around because been before being below between both but can cannot could couldn't did
didn't does doesn't doing don't down during each either else even ever every everyone
everything few for from further get gets getting got had hadn't has hasn't have haven't having
her here hers herself him himself his how however into isn't its itself just last least less let
like made make makes many may maybe might more most much must myself never nobody none nor not
nothing now off once one only onto other others ought our ours ourselves out over own per perhaps
quite rather really same say says said see seem seems several shall she should since some
someone something still such than that that's the their theirs them themselves then there
there's these they they're thing things this those though through thus too under until upon
very was wasn't way well were weren't what when where whether which while who whom whose why
will with within without won't would wouldn't yet you your yours yourself
del las los una unos unas por para con sin que qué pero como más muy ese esa esto esta este
ser son era hay fue está están tiene tienen todo todos nada también
les des une est dans pour pas sur avec sans qui que mais plus tout tous elle ils sont été être
avoir fait comme ces cette son ses leur leurs
der die das den dem des ein eine einen einem einer und ist sind nicht mit auch aber oder
sich auf für von aus bei nach wie noch nur schon wird werden hat haben war
"""
FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())

# Everyday content words: shared by two comments they say little about a reply, so they
# count half in the similarity (thread-local IDF alone over-rates them in short threads).
COMMON_WORDS = frozenset(
    """able add age ago agree answer area ask bad bed big bit body book buy call car care case
    change child children city class close come country course day days dead deal different door
    end far fact family feel find fine free friend full game give going good great group hand
    happen hard head hear help high hold home hope hour hours house idea important keep kind know
    large late leave level life line little live long look lose lot love low major man matter mean
    member mind minute money month morning move need never new next nice night number offer old
    open order part party pay people person place plan play point power problem public put question
    read real reason right room run school seem sense set show side small sort start state stay
    story sure system take talk tell thing think time today true try turn use want watch water week
    whole woman word work world write wrong year years young""".split()
)

# Very common words per language: a crude detector that only needs to tell a Spanish
# or German comment from an English one.
LANGUAGE_MARKERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("en", frozenset("the and is of to that it you not for with this are was have".split())),
    ("es", frozenset("el la los las que y en es no por con un una del pero yo mi al se lo".split())),
    ("fr", frozenset("le la les de des et est en un une je il que pour pas du au ce se".split())),
    ("de", frozenset("der die das und ist nicht ein eine ich zu mit auch es so hat aber den".split())),
)

# Adverb endings: "Ironically," "Honestly," open sentences but are never names (not "-ly": Kimberly, Emily).
_ADVERB_ENDINGS = (
    "ally", "ully", "ntly", "stly", "ously", "ively", "ably", "ibly", "edly", "ingly", "ately",
    "ctly", "tely", "sely", "nkly", "adly", "arly", "ssly",
)


@functools.lru_cache(maxsize=1 << 16)  # a thread's few names are keyed hundreds of thousands of times
def name_key(name: str) -> str:
    """Return the comparison key of a name: NFC, casefolded, without a leading '@'."""
    return unicodedata.normalize("NFC", name.lstrip("@")).casefold()


def is_common_word(token: str) -> bool:
    """Tell whether a capitalised token is a stop-listed word, a place or an adverb."""
    key = name_key(token)
    return key in STOP or key in PLACES or (len(key) > 5 and key.endswith(_ADVERB_ENDINGS))


@functools.lru_cache(maxsize=1 << 16)  # each cue's name is trimmed by several steps
def trim_name(name: str) -> str | None:
    """Drop leading stop-listed tokens ("Yet Modi" → "Modi"); None if nothing is left.

    A name with any common word *after* its first token ("Harbour Road Today") is
    rejected whole, since real multi-token names do not contain them.
    """
    tokens = name.split()
    while tokens and is_common_word(tokens[0]):
        tokens.pop(0)
    if not tokens or any(is_common_word(t) for t in tokens):
        return None
    return " ".join(tokens)


def detect_language(words: Sequence[str]) -> str | None:
    """Guess the language of a comment from its casefolded words; None if unclear."""
    best: tuple[int, str] | None = None
    for lang, markers in LANGUAGE_MARKERS:
        hits = sum(map(markers.__contains__, words))
        if hits >= 2 and (best is None or hits > best[0]):
            best = (hits, lang)
    return best[1] if best else None


# --- cues ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """A name found in a comment together with how it was used."""

    name: str
    """The name as written; for non-explicit cues still to be passed through ``trim_name``."""
    basis: str
    """"vocative" (spoken to) or "mention" (@handle, "Replying to", or spoken about)."""
    strong: bool
    """True if the wording alone makes it an address: "you", a greeting, @, "Replying to"."""
    explicit: bool
    """True for @handles and "Replying to": trusted even when the name is a topic word."""
    capital_before: bool
    """True for "…in Sindh, Aiyana.", which also reads as "Geneva, Switzerland"."""
    sentence: str
    """The sentence holding the cue (the whole body for an @handle)."""
    deep: bool = False
    """True for "And honestly, Priya, …" past a comment's first two sentences: weak evidence, which
    may link on corroboration but does not name the person answered."""


_WS = r"[ \t]+"
_EXPLICIT = re.compile(
    rf"(?i:\b(?:replying|responding|in{_WS}reply)){_WS}(?i:to){_WS}(?P<name>{NAME})"
    rf"|^(?i:to|pour|para|an|à){_WS}(?P<name2>{NAME})[ \t]*:(?!\d)"
)
# At a sentence start: up to three words and a comma ("With respect,") or a greeting, an
# optional "dear", the name, then a delimiter; `after` is the word that follows ("merci").
_START = re.compile(
    rf"^(?:(?P<pre>[^\W\d_]++(?:[ \t]++[^\W\d_]++){{0,2}})[ \t]*[,!][ \t]*"  # possessive: a cut word never fits
    rf"|(?P<greet>(?i:thanks|thank{_WS}you|cheers|hey|hi|hello|hola|bonjour|hallo)){_WS})?"
    rf"(?P<dear>(?i:(?:my{_WS})?dear(?:est)?){_WS})?(?P<name>{NAME})[ \t]*"
    rf"(?:[,:!]|[—–]|-(?=\s)|\.(?=\s|$)|$)[ \t]*(?P<after>[^\W\d_]*)"
)
# At a sentence end: "…not what the report says, Ruth." (searched from the last comma on)
_END = re.compile(
    rf"(?<![^\W_])(?P<prev>[^\W_]+)[ \t]*,{_WS}(?:(?i:my){_WS}(?:(?i:dear){_WS})?)?(?P<name>{NAME})"
    rf"[ \t]*[.!?…]*[\"”’)]*[ \t]*$"
)
# Thanks in the middle of a sentence: "… so thank you, Nadia, for saying it out loud."
_THANKS = re.compile(rf"(?i:\b(?:thank{_WS}you|thanks)),{_WS}(?P<name>{NAME})[ \t]*[,.!]")
_MENTION_PATTERNS = tuple(re.compile(p) for p in (
    rf"(?P<name>{NAME})(?:['’]s)?{_WS}(?:is|was){_WS}(?:(?:quite|absolutely|completely|partly|so|"
    rf"dead|probably|clearly){_WS})?(?:right|wrong|correct|mistaken|spot{_WS}on|onto{_WS}something)\b",
    rf"(?P<name>{NAME}){_WS}(?:has|had|makes|made|raises|raised){_WS}(?:a|an|the|some){_WS}"
    rf"(?:[^\W\d_]+{_WS})?points?\b",
    rf"(?P<name>{NAME_TOKEN}(?:{_WS}{NAME_TOKEN})?)['’]s{_WS}(?:[^\W\d_]+{_WS})?(?:point|comment|"
    rf"argument|remark|question|post|take|reply|objection|example)s?\b",
    rf"(?i:\b(?:as|like)){_WS}(?P<name>{NAME}){_WS}(?i:{SPEECH_VERBS})\b",
    rf"(?i:\b(?:agree|agreed|disagree|side|sided){_WS}with){_WS}(?P<name>{NAME})",
    rf"(?:^|[,;:]{_WS}|(?i:\b(?:while|whilst|although|though|whereas|when|if|since|because|but|"
    rf"and|so|yet)){_WS})(?P<name>{NAME}){_WS}(?i:{SPEECH_VERBS})\b",
))
_REPLY_WORDS = frozenset({"replying", "responding", "reply"})
_SPEECH_WORDS = frozenset(w.split()[0].casefold() for w in SPEECH_VERBS.split("|"))
# For each pattern, words (casefolded, as ``lower_words`` gives them) of which it needs one.
_MENTIONS = tuple(zip(_MENTION_PATTERNS, (
    frozenset("right wrong correct mistaken spot onto".split()),
    frozenset("point points".split()),
    frozenset("point comment argument remark question post take reply objection example".split())
    | frozenset("points comments arguments remarks questions posts takes replies objections examples".split()),
    _SPEECH_WORDS,
    frozenset("agree agreed disagree side sided".split()),
    _SPEECH_WORDS,
), strict=True))
_MENTION_WORDS = frozenset().union(*(keywords for _, keywords in _MENTIONS))  # one test for most sentences


# The slow patterns run only where what they need is present: an "@", a "thanks", a final capital.
_HANDLE, _THANKS_WORDS, _TRAILING = re.compile(HANDLE), frozenset({"thank", "thanks"}), " \t.!?…\"”’)"


def _ends_capitalised(sentence: str) -> bool:
    """True if the last word before closing punctuation is capitalised, as "…, Ruth." needs."""
    tail = sentence.rstrip(_TRAILING)
    last = tail[max(tail.rfind(" "), tail.rfind("\t")) + 1:]
    return bool(last) and (last[0].isupper() or last[0].istitle())


def find_cues(text: str) -> list[Cue]:
    """Every name cue in a cleaned body: explicit ones, then openings, endings, mentions."""
    explicit = [Cue(m.group(1), "mention", True, True, False, text) for m in _HANDLE.finditer(text)] if "@" in text else []
    start: list[Cue] = []
    end: list[Cue] = []
    mention: list[Cue] = []
    parts = sentences(text)
    for index, sentence in enumerate(parts):
        words = set(lower_words(sentence))
        second = not words.isdisjoint(SECOND_PERSON)
        # "Replying to Omar", "Pour Amélie :": a reply word or a colon first, or no search.
        named = _EXPLICIT.search(sentence) if ":" in sentence or not words.isdisjoint(_REPLY_WORDS) else None
        if named and (named.group("name") or index == 0):
            name = named.group("name") or named.group("name2")
            explicit.append(Cue(name, "mention", True, True, False, sentence))
        opening = _START.match(sentence)
        if opening:  # "Ha! No, Dani, I coach …" opens in the second sentence
            pre = (opening.group("pre") or "").casefold()
            # "Thanks, Ruth", "Hervé, merci", "Zoë, I get…", "Indeed, SAI, your call…". A bare
            # "Wei, a loan still counts…" stays weak: it also reads like "Lula, to his credit, …".
            greeted = (pre in GREETINGS or (pre.split() or [""])[-1] in GREETINGS
                       or opening.group("after").casefold() in GREETINGS)
            strong = bool(opening.group("greet") or opening.group("dear") or greeted
                          or second or not words.isdisjoint(FIRST_PERSON))
            # Further in, "Name, …" is an address only after words and a comma ("And honestly, Priya, …"),
            # never on the wording alone; "Almería, Tabernas, the old sets …" lists names, addressing none.
            first = opening.group("pre") or ""
            if (index < 2 or first) and not (first[:1].isupper() and " " not in first and pre not in GREETINGS
                                             and not is_common_word(first)):
                start.append(Cue(opening.group("name"), "vocative", strong and index < 2, False, False, sentence, index >= 2))
        thanks = None if opening or words.isdisjoint(_THANKS_WORDS) else _THANKS.search(sentence)
        if thanks:
            start.append(Cue(thanks.group("name"), "vocative", True, False, False, sentence))
        comma = sentence.rfind(",")
        closing = _END.search(sentence, max(0, comma - 60)) if comma > 0 and _ends_capitalised(sentence) else None
        if closing:
            prev = closing.group("prev")
            end.append(Cue(closing.group("name"), "vocative", second, False,
                           prev[0].isupper() and prev.isalpha(), sentence))
        for pattern, keywords in () if words.isdisjoint(_MENTION_WORDS) else _MENTIONS:
            if not words.isdisjoint(keywords):  # each pattern needs one of its words; most sentences have none
                mention.extend(Cue(m.group("name"), "mention", False, False, False, sentence)
                               for m in pattern.finditer(sentence))
    return explicit + start + end + mention


def naming_index(cues: Sequence[Sequence[Cue]]) -> dict[str, set[int]]:
    """For each name key (and each shorter tail of a longer name: "ruth ng" → "ng"), the comments
    whose cues name it. A comment naming someone is not that person's own."""
    index: dict[str, set[int]] = {}
    for position, found in enumerate(cues):
        for tokens in (cue.name.split() for cue in found):
            for k in range(len(tokens)):
                index.setdefault(name_key(" ".join(tokens[k:])), set()).add(position)
    return index
