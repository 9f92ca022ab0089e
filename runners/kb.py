"""`kb`: a knowledge-based entity-consistency checker. Deterministic, no model.

It finds mentions of people and organisations in a claim and checks them against a knowledge
file (people with their accepted spellings and roles over time, organisations, events with their
principals). Rules, each general rather than tied to one article:

* wrong-person: a fully named, known person who is not a principal of any event around the
  article's date but shares a family name with one, with nothing nearby that points to them;
* transliteration: a name that is not an accepted spelling of anyone but sounds and looks like
  one (phonetic codes and Jaro-Winkler similarity per name part); a bare family name that is not
  known but sounds like one of a person named in the article; a bare family name of someone who
  takes no part in the event the sentence describes, where a principal's name sounds the same;
* wrong-title-or-organisation: a known organisation attached to a known person (in an
  appositive, or as the title before the name) that is not that person's at the article's date.

It cannot judge mistranslations of ordinary words or scraping residue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from benchmark.errors import InputError
from benchmark.records import ClaimInput, PredictedError, Prediction
from benchmark.systems import Checker, Param

NAME_TOKEN = re.compile(r"[A-Z][^\W\d_]*(?:-[^\W\d_]+)*")
WINDOW_BEFORE, WINDOW_AFTER = dt.timedelta(days=7), dt.timedelta(days=31)


def norm(text: str) -> str:
    """Accent-free, case-folded, hyphens and apostrophes as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.split(r"[\s\-\u2010-\u2015'\u2019.]+", text.casefold())).strip()


def parts(name: str) -> list[str]:
    return norm(name).split()


def compact(name: str) -> str:
    """The name with spaces and hyphens dropped: 'Ban Ki-moon' and 'Ban Kimoon' agree."""
    return norm(name).replace(" ", "")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _held(role: dict, day: dt.date) -> bool:
    start, end = _date(role.get("start")), _date(role.get("end"))
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass
class Person:
    id: str
    name: str
    family: str
    spellings: list[str]
    roles: list[dict]
    context_terms: list[str] = field(default_factory=list)

    def organisations_at(self, day: dt.date | None) -> list[str]:
        return [r["organisation"] for r in self.roles
                if r.get("organisation") and (day is None or _held(r, day))]


@dataclass
class Mention:
    start: int
    end: int
    text: str
    person: Person | None = None


class KnowledgeBase:
    def __init__(self, data: dict, source: str):
        from benchmark.schemas import schema_problems

        problems = schema_problems("knowledge", data)
        if problems:
            fld, msg = problems[0]
            raise InputError(f"{source}: {fld}: {msg}.")
        self.date = _date(data.get("article_date"))
        self.people = [Person(p["id"], p["name"], norm(p["family_name"]),
                              [p["name"], *p.get("accepted", [])], p.get("roles", []),
                              p.get("context_terms", [])) for p in data["people"]]
        self.by_id = {p.id: p for p in self.people}
        self.families = {p.family for p in self.people}
        self.by_spelling = {norm(s): p for p in self.people for s in p.spellings}
        self.by_compact = {compact(s): p for p in self.people for s in p.spellings}
        self.orgs = data["organisations"]
        self.org_spellings = sorted(((o["id"], s) for o in self.orgs
                                     for s in [o["name"], *o.get("accepted", [])]),
                                    key=lambda x: -len(x[1]))
        self.events = data["events"]
        vocab = data.get("vocabulary", {})
        self.places = {norm(p) for p in vocab.get("places", [])}
        self.common = {norm(w) for w in vocab.get("common_words", [])}
        for ev in self.events:
            self.places.update(norm(p) for p in ev["places"])
        self.org_words = {w for _, s in self.org_spellings for w in parts(s)}

    def window_events(self, day: dt.date | None) -> list[dict]:
        if day is None:
            return self.events
        return [e for e in self.events
                if day - WINDOW_BEFORE <= _date(e["start"]) <= day + WINDOW_AFTER]

    def person(self, phrase: str) -> Person | None:
        """The known person this exact phrase names (spacing and hyphenation aside)."""
        return self.by_spelling.get(norm(phrase)) or self.by_compact.get(compact(phrase))

    def org_name(self, org_id: str) -> list[str]:
        return [s for i, s in self.org_spellings if i == org_id]


class KnowledgeChecker(Checker):
    name = "kb"
    description = ("Knowledge-based entity checker: wrong people, wrong organisations and "
                   "misspelled names, from a knowledge file; no model.")
    params = {
        "knowledge": Param(None, "path to a knowledge.json (default: the dataset's own)", str),
        "name_similarity": Param(0.8, "minimum similarity for a misspelled full name"),
    }
    requires_modules = ("jellyfish", "rapidfuzz")

    def setup(self) -> None:
        path = self.config["knowledge"]
        self._kb: KnowledgeBase | None = None
        self._path = Path(path) if path else None
        if self._path is not None:
            self._kb = self._load(self._path)

    def _load(self, path: Path) -> KnowledgeBase:
        from benchmark.fileio import read_json

        return KnowledgeBase(read_json(path), str(path))

    def use_dataset(self, path: Path) -> None:
        """Without --param knowledge, use the knowledge file that lives beside the dataset."""
        if self.config["knowledge"]:
            return
        candidate = path / "knowledge.json"
        if not candidate.is_file():
            raise InputError(f"Dataset {path.name} has no knowledge.json; give the kb checker "
                             "one with --param knowledge=PATH (schema: "
                             "datasets/schema/knowledge.schema.json).")
        self._path, self._kb = candidate, self._load(candidate)

    def kb(self) -> KnowledgeBase:
        if self._kb is None:  # used outside a run: the bundled dataset's knowledge file
            from benchmark.paths import DEFAULT_DATASET, find_dataset_dir

            self._path = find_dataset_dir(DEFAULT_DATASET) / "knowledge.json"
            self._kb = self._load(self._path)
        return self._kb

    def identity_extra(self) -> dict:
        self.kb()
        assert self._path is not None
        return {"knowledge_sha256": hashlib.sha256(self._path.read_bytes()).hexdigest()}

    # ------------------------------------------------------------------ mentions

    def mentions(self, text: str, kb: KnowledgeBase) -> list[Mention]:
        """Known people (longest accepted spelling first) and unknown capitalised names."""
        out: list[Mention] = []
        tokens = list(NAME_TOKEN.finditer(text))
        groups: list[list[re.Match]] = []
        for m in tokens:
            if groups and text[groups[-1][-1].end():m.start()] == " ":
                groups[-1].append(m)
            else:
                groups.append([m])
        for group in groups:
            i = 0
            while i < len(group):
                for j in range(len(group), i, -1):
                    phrase = text[group[i].start():group[j - 1].end()]
                    person = kb.person(phrase)
                    if person is not None:
                        out.append(Mention(group[i].start(), group[j - 1].end(), phrase, person))
                        i = j
                        break
                else:
                    k = i
                    while k < len(group) and not self._known_word(group[k].group(), kb):
                        if any(kb.person(text[group[k].start():group[e - 1].end()])
                               for e in range(k + 1, len(group) + 1)):
                            break
                        k += 1
                    if k > i:
                        out.append(Mention(group[i].start(), group[k - 1].end(),
                                           text[group[i].start():group[k - 1].end()]))
                        i = k
                    else:
                        i += 1
        return out

    @staticmethod
    def _known_word(word: str, kb: KnowledgeBase) -> bool:
        w = norm(word)
        return w in kb.common or w in kb.places or w in kb.org_words

    # ------------------------------------------------------------------ rules

    def check(self, claim: ClaimInput) -> Prediction:
        kb = self.kb()
        day = _date(claim.article_date) or kb.date
        context = claim.sentence or claim.claim
        article = claim.article or claim.claim
        events = kb.window_events(day)
        principals = {pid for e in events for pid in e["principals"]}
        principal_people = [kb.by_id[p] for p in principals if p in kb.by_id]
        flags: list[tuple[Mention, str, str, float]] = []
        mentions = self.mentions(claim.claim, kb)

        for m in mentions:
            n_parts = len(parts(m.text))
            if m.person is not None and n_parts >= 2:
                flag = self._wrong_person(m, claim.claim, context, principals, principal_people,
                                          day)
            elif m.person is None and n_parts >= 2:
                flag = self._unknown_full_name(m, kb, principal_people)
            elif norm(m.text) in kb.families:
                flag = self._bare_family_name(m, kb, context, events, principals)
            else:
                flag = self._unknown_family_name(m, kb, article)
            if flag:
                flags.append(flag)
        flags += self._organisations(claim.claim, mentions, kb, day)

        if not flags:
            return Prediction(claim.case_id, "supported", confidence=0.1,
                              rationale="No entity in the claim contradicts the knowledge file.")
        errors = [PredictedError(m.text, corr, cat) for m, cat, corr, _ in flags]
        why = "; ".join(f"'{m.text}' looks like {cat} (expected '{corr}')" for m, cat, corr, _ in flags)
        return Prediction(claim.case_id, "refuted", errors=errors,
                          confidence=max(c for *_, c in flags), rationale=why)

    def _wrong_person(self, m: Mention, claim: str, context: str, principals: set[str],
                      principal_people: list[Person], day: dt.date | None):
        person = m.person
        assert person is not None
        if person.id in principals:
            return None
        if any(t.casefold() in context.casefold() for t in person.context_terms):
            return None
        if self._titled(m, claim, person, day):
            return None
        same = [p for p in principal_people if p.family == person.family]
        if same:
            return (m, "wrong-person", same[0].name, 0.9)
        return None

    @staticmethod
    def _titled(m: Mention, claim: str, person: Person, day: dt.date | None) -> bool:
        """The mention carries one of the person's own titles, held at the article's date (or
        marked 'former'): "<title> <Name>" or "<Name>, <title> of ..."."""
        before = claim[max(0, m.start - 40):m.start].casefold()
        after = claim[m.end:]
        appositive = after[1:].split(",")[0].split(".")[0].casefold() if after.startswith(",") \
            else ""
        former = re.search(r"\b(former|ex-)\s*\w*\s*$", before) is not None
        held = {r["title"].casefold() for r in person.roles if day is None or _held(r, day)}
        for role in person.roles:
            title = role["title"].casefold()
            near = before.rstrip().endswith(title) or appositive.lstrip().startswith(title)
            if near and (title in held or former):
                return True
        return False

    def _unknown_full_name(self, m: Mention, kb: KnowledgeBase, principal_people: list[Person]):
        best, score = self._closest_person(m.text, kb)
        if best is not None and score >= self.config["name_similarity"]:
            return (m, "transliteration", best, 0.8)
        first = parts(m.text)[0]
        same = [p for p in principal_people if p.family == first]
        if same:
            return (m, "wrong-person", same[0].name, 0.55)
        return None

    def _closest_person(self, text: str, kb: KnowledgeBase) -> tuple[str | None, float]:
        a = parts(text)
        best, best_score = None, 0.0
        for person in kb.people:
            for spelling in person.spellings:
                b = parts(spelling)
                if len(a) != len(b) or a[0][0] != b[0][0]:
                    continue
                score = sum(token_similarity(x, y) for x, y in zip(a, b, strict=True)) / len(a)
                if score > best_score:
                    best, best_score = person.name, score
        return best, best_score

    def _unknown_family_name(self, m: Mention, kb: KnowledgeBase, article: str):
        word = norm(m.text)
        if len(word) < 2 or re.search(rf"\b{re.escape(m.text.lower())}\b", article):
            return None  # a common word that happens to be capitalised here
        named = [p for p in kb.people if any(s in article for s in p.spellings)]
        for person in named:
            if sounds_alike(word, person.family):
                return (m, "transliteration", person.family.title(), 0.7)
        return None

    def _bare_family_name(self, m: Mention, kb: KnowledgeBase, context: str,
                          events: list[dict], principals: set[str]):
        family = norm(m.text)
        candidates = [p for p in kb.people if p.family == family]
        if any(p.id in principals for p in candidates):
            return None
        low = norm(context)
        described = [e for e in events
                     if any(re.search(rf"\b{re.escape(norm(pl))}\b", low) for pl in e["places"])]
        for event in described:
            involved = set(event["principals"]) | set(event.get("participants", []))
            if any(p.id in involved for p in candidates):
                return None
        for event in described:
            for pid in event["principals"]:
                other = kb.by_id.get(pid)
                if other and other.family != family and sounds_alike(family, other.family):
                    return (m, "transliteration", other.family.title(), 0.6)
        return None

    def _organisations(self, claim: str, mentions: list[Mention], kb: KnowledgeBase,
                       day: dt.date | None):
        flags = []
        masked = claim  # a flagged organisation is blanked out so a shorter alias cannot flag it again
        for org_id, spelling in kb.org_spellings:
            for om in re.finditer(rf"\b{re.escape(spelling)}\b", masked):
                person = self._attached_person(claim, om.start(), om.end(), mentions)
                if person is None:
                    continue
                own = person.organisations_at(day)
                if not own or org_id in own:
                    continue
                from rapidfuzz import fuzz

                options = [s for o in own for s in kb.org_name(o)]
                correction = max(options, key=lambda s: fuzz.ratio(s, spelling))
                flags.append((Mention(om.start(), om.end(), om.group()),
                              "wrong-title-or-organisation", correction, 0.85))
                masked = masked[:om.start()] + " " * (om.end() - om.start()) + masked[om.end():]
        return flags

    @staticmethod
    def _attached_person(claim: str, start: int, end: int, mentions: list[Mention]):
        """The known person an organisation is attached to: "<Name>, <title> of <Org>" or
        "<title of> <Org> <Name>"."""
        for m in mentions:
            if m.person is None:
                continue
            between = claim[m.end:start]
            if m.end <= start and between.startswith(",") and not re.search(r"[,.;]", between[1:]):
                return m.person
            after = claim[end:m.start]
            if end <= m.start and len(after) <= 3 and not re.search(r"[,.;]", after):
                return m.person
        return None


def token_similarity(a: str, b: str) -> float:
    import jellyfish

    plain = jellyfish.jaro_winkler_similarity(a, b)
    ma, mb = jellyfish.metaphone(a) or a, jellyfish.metaphone(b) or b
    return max(plain, jellyfish.jaro_winkler_similarity(ma, mb))


def sounds_alike(a: str, b: str) -> bool:
    """Same phonetic code and at least loosely similar letters (two-letter names share codes
    with many short words, so the letters must agree too)."""
    import jellyfish
    from rapidfuzz import fuzz

    if a == b:
        return False
    same_sound = jellyfish.metaphone(a) == jellyfish.metaphone(b)
    return same_sound and (fuzz.ratio(a, b) >= 60 or (a[0] == b[0] and min(len(a), len(b)) <= 3))

