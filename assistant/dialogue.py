"""One turn of the conversation: answer, clarify, ask for the wijk, crisis, or hand off."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from intents.bericht import Bericht
from intents.matcher import IntentMatcher, Prediction
from intents.taal import answer_languages
from intents.veiligheid import Verdict
from knowledge import config, records, yamlio
from knowledge.backends import open_kb
from knowledge.locaties import parse_postcode
from knowledge.settings import Settings
from knowledge.store import KnowledgeBase
from knowledge.text import AROUND_A_PLACE, normalise
from knowledge.tuning import tuning

from . import andere_talen, gemist
from .answers import NIVEAUS, Answer, AnswerBook, Step
from .crisis import CHECK_ANSWERS, CrisisTexts
from .gemist import MissLog
from .session import Session, SessionStore, open_sessions

DIALOOG_FILE = Path(__file__).parent / "dialoog.yml"
TUNED = tuning()["dialogue"]  # knowledge/tuning.yml says why each has its value
MAX_CHARS = TUNED["max_chars"]
ANSWER_LANGUAGES = answer_languages()  # locales/talen.yml; every other language gets andere_talen
LOW = TUNED["low"]
CLOSE = TUNED["close"]
SURE = TUNED["sure"]
MAX_TOPICS_AFTER_CHECK = TUNED["max_topics_after_check"]
MAX_SMALL_TALK_WORDS = TUNED["max_small_talk_words"]
IETS_ANDERS = "iets_anders"  # the clarify button "iets anders": not one of these, say it again
NEEDS_CONTACT = ("buurtteam", "mens_spreken")  # cannot be answered without the team's contact


@dataclass
class Reply:
    intent: str
    confidence: float
    action: str
    answer: Answer
    route: dict
    alternatives: list[dict] = field(default_factory=list)
    voorzieningen: list[str] = field(default_factory=list)
    wijk: str | None = None
    clarify: list[dict] = field(default_factory=list)
    session: str | None = None
    safety: dict | None = None  # level crisis/check/note, kind, and the question or line to show
    language: str | None = None  # the language the message was written in, when it could be told
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "intent": self.intent,
            "confidence": round(float(self.confidence), 3),
            "alternatives": self.alternatives,
            "action": self.action,
            "answer": self.answer.to_json(),
            "route": self.route,
            "voorzieningen": self.voorzieningen,
            "wijk": self.wijk,
            "clarify": self.clarify,
            "session": self.session,
            "safety": self.safety,
            "language": self.language,
            **self.extra,
        }


def clean(text) -> str:
    """Whatever arrived, as printable text: bytes decoded, control characters gone."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = "" if text is None else str(text)
    return "".join(
        ch if (ch.isprintable() or ch in "\n\t") and unicodedata.category(ch) != "Cs" else " " for ch in text
    ).strip()


class Assistant:
    def __init__(
        self,
        kb: KnowledgeBase,
        matcher: IntentMatcher,
        book: AnswerBook | None = None,
        sessions: SessionStore | None = None,
        misses: MissLog | None = None,
    ):
        self.kb = kb
        self.misses = misses
        self.matcher = matcher
        self.book = book or AnswerBook(kb)
        self.sessions = sessions if sessions is not None else open_sessions()  # an empty store is falsy
        self.intents = matcher.intents
        dialoog = yamlio.safe_load(DIALOOG_FILE.read_text(encoding="utf-8"))
        self.teksten = dialoog["teksten"]
        self.crisis = CrisisTexts(dialoog["crisis"])
        self.other_language_topics = list(dialoog.get("andere_taal_onderwerpen") or [])
        self.contact_per_route = dict(dialoog.get("contact_per_route") or {})
        self.bij_een_mens = list(dialoog.get("bij_een_mens") or [])
        # A gemeente links its own voorzieningen to a topic in its kaart (`onderwerpen`), beside the
        # ones the topic names itself.
        self.topic_voorzieningen: dict[str, list[str]] = {}
        for v in kb.voorzieningen():
            for topic in v.get("onderwerpen") or []:
                self.topic_voorzieningen.setdefault(topic, []).append(v["id"])
        rule = dialoog["eenvoudig_schrijven"]
        self.eenvoudig_schrijven = {**rule, "spreektaal": set(rule["spreektaal"]), "me_voor": set(rule["me_voor"])}
        self.belofte = re.compile(dialoog.get("belofte") or r"(?!x)x", re.IGNORECASE)

    @classmethod
    def load(
        cls, build_dir: Path | None = None, sessions: SessionStore | None = None, settings: Settings | None = None
    ) -> Assistant:
        settings = settings or Settings.load()
        build_dir = Path(build_dir or config.current_build(settings))
        kb = open_kb(build_dir, settings)
        return cls(
            kb,
            IntentMatcher.load(build_dir, kb),
            sessions=sessions if sessions is not None else open_sessions(settings),
            misses=MissLog(words=gemist.known_words(kb), settings=settings) if gemist.enabled(settings) else None,
        )

    # ------------------------------------------------------------------ turn
    def reply(
        self,
        text,
        session_id: str | None = None,
        niveau: str | None = None,
        wijk: str | None = None,
        postcode: str | None = None,
        intent: str | None = None,
        check: str | None = None,
        lang: str | None = None,
        interface: str | None = None,
    ) -> Reply:
        """One turn. `check` is the answer ('ja'/'nee') to the safety question of the turn before;
        `lang` the answer language the person chose (otherwise it follows their messages);
        `interface` the language of the screen, for as long as no message has told one (a button)."""
        session = self.sessions.get(session_id)
        if niveau in NIVEAUS:
            session.niveau, session.niveau_chosen = niveau, True
        if lang in ANSWER_LANGUAGES:
            session.lang, session.lang_chosen = lang, True
        elif session.lang_chosen:
            session.lang_chosen = False  # the choice is carried by each request (?lang=); now it is gone
        if session.lang is None and interface in ANSWER_LANGUAGES:
            session.lang = interface
        note = self._set_location(session, wijk, postcode)
        text = clean(text)
        answered = check if check in CHECK_ANSWERS else None
        if session.check_kind and answered is None and not intent:
            answered = self.crisis.typed_answer(text)
        reply = self._after_check(answered, session) if session.check_kind and answered else None
        if reply is None:  # the question was not answered: it no longer waits
            session.check_kind = session.check_topic = session.check_lang = None
            reply = self._turn(text, session, intent, location_given=bool(wijk or postcode) and not note)
        if note:
            reply.extra["melding"] = note
        reply.session = session.id
        reply.wijk = session.wijk
        self.sessions.save(session)
        return reply

    def _turn(self, text: str, session: Session, chosen: str | None, location_given: bool = False) -> Reply:
        if chosen == "eenvoudiger":
            return self._simpler(session, None)
        if chosen == IETS_ANDERS:
            session.options = []
            return self._message("wat_kun_je", "iets_anders", session, action="clarify")  # no tools, no "duidelijk?"
        if chosen in self.intents:
            return self._answer(chosen, session, confidence=1.0)
        if len(text) > MAX_CHARS:
            verdict = self.matcher.safety.verdict(text)  # too long to read, never too long for safety
            if verdict and verdict.level in ("crisis", "check"):
                return self._crisis(verdict, session, None)
            return self._message("buiten_bereik", "te_lang", session, extra={"fout": "te_lang"})
        bericht = self.matcher.analyse(text)  # analysed once; every step below reads it
        if not bericht.normalised.strip(" .,?!:;-'/"):
            if location_given and session.topic and not session.pending:
                return self._contact_follow_up(session, None)  # only the postcode field was filled in
            if location_given and session.pending:
                return self._answer(session.pending, session, 1.0)
            key = "alleen_plaatjes" if text else "leeg"
            return self._message("wat_kun_je", key, session, extra={"fout": "leeg"})

        picked = self._picked_option(bericht, session)
        if picked:
            return self._answer(picked, session, confidence=1.0)

        pred = self.matcher.predict(bericht)
        if pred.locatie:
            session.wijk = pred.locatie.wijk
        if pred.taal_gevraagd in ANSWER_LANGUAGES:  # "in English please" wins even over ?lang=
            session.lang = pred.taal_gevraagd
        elif pred.taal in ANSWER_LANGUAGES and not session.lang_chosen:
            session.lang = pred.taal
        if pred.crisis:
            return self._crisis(pred.safety, session, pred)
        guessing = not session.niveau_chosen and session.niveau == "standaard" and pred.taal in (None, "nl")
        if guessing and self._plain_writer(bericht):
            session.niveau = "eenvoudig"  # written the way people who read little write: answer simply
        reply = self._understood(bericht, session, pred)
        if pred.safety is not None:  # a denied or past mention: the answer, and one calm line
            reply.safety = {
                **pred.safety.to_json(),
                "text": self.crisis.note(pred.safety.kind, _lang(pred.safety, pred, session)),
            }
        return reply

    def _understood(self, bericht: Bericht, session: Session, pred: Prediction) -> Reply:
        text = bericht.text
        if pred.taal and pred.taal not in ANSWER_LANGUAGES and not session.lang_chosen:
            return self._other_language(text, pred, session)
        if self._only_location(bericht, pred):
            if session.topic and not session.pending and session.topic not in NEEDS_CONTACT:
                return self._contact_follow_up(session, pred)  # the answer is on screen already
            target = session.pending or session.topic or "buurtteam"
            return self._answer(target, session, pred.confidence, pred)
        if session.pending and parse_postcode(text) and not pred.locatie:
            return self._message(session.pending, "locatie_onbekend", session, pred, action="ask_location")

        intent, conf = pred.intent, pred.confidence
        if pred.taal_gevraagd and session.topic and (conf < SURE or intent in ("eenvoudiger", "wat_kun_je")):
            return self._answer(session.topic, session, 1.0, pred)  # "in English please": the same answer
        if intent == "eenvoudiger":
            return self._simpler(session, pred)
        if intent == "mens_spreken" and conf >= LOW:  # below LOW it is a guess like any other: clarify
            return self._handoff("mens_spreken", "mens", session, pred)
        if len(pred.problemen) >= 2:
            return self._handoff(
                pred.problemen[0], "meerdere_problemen", session, pred, extra={"problemen": pred.problemen}
            )
        second = pred.ranking[1][1] if len(pred.ranking) > 1 else 0.0
        vague = len(pred.woorden) <= 1  # one word ("hulp") says too little to answer without being sure
        if conf < LOW or (conf < SURE and (conf - second < CLOSE or vague)):
            if conf < LOW and self.misses is not None:
                self.misses.record(text, intent, conf)
            session.misses += 1
            if session.misses >= 2:
                session.misses = 0
                return self._handoff(intent, "twee_keer_mis", session, pred)
            return self._clarify(session, pred)
        session.misses = 0
        if intent == "buiten_bereik" and self.misses is not None:
            self.misses.record(text, intent, conf)  # outside what we cover: the editors want to see it too
        return self._answer(intent, session, conf, pred)

    # --------------------------------------------------------------- helpers
    def _set_location(self, session: Session, wijk: str | None, postcode: str | None) -> str | None:
        for value in (postcode, wijk):
            if value:
                loc = self.kb.locator.find(str(value))
                if loc is None:
                    return f"Onbekende wijk of postcode: {value}"
                session.wijk = loc.wijk
        return None

    def _only_location(self, bericht: Bericht, pred: Prediction) -> bool:
        """'en in Zuilen?', '3563', 'ik woon in Lombok': a location and (almost) nothing else."""
        if not pred.locatie:
            return False
        found = set(normalise(pred.locatie.gevonden).split())
        rest = [
            w
            for w in re.findall(r"[a-z0-9]+", bericht.normalised)
            if w not in found and w not in AROUND_A_PLACE and not re.fullmatch(r"[0-9]{4}|[a-z]{2}", w)
        ]
        return len(rest) == 0

    def _picked_option(self, bericht: Bericht, session: Session) -> str | None:
        """After a clarify: '2', or the label of an option, picks it."""
        if not session.options:
            return None
        options, session.options = session.options, []
        t = bericht.normalised.strip(" .!?")
        if t.isdigit() and 1 <= int(t) <= len(options):
            return options[int(t) - 1]
        for iid in options:
            if t and t in (normalise(self.intents[iid].label), normalise(self.intents[iid].label_in("en")), iid):
                return iid
        return None

    def _tekst(self, key: str, lang: str) -> str:
        """A dialogue text in `lang` (dialoog.yml has `en:` beside each Dutch `tekst`), else Dutch."""
        return (self.teksten[key].get(lang) if lang != "nl" else None) or self.teksten[key]["tekst"]

    def _step(self, key: str, lang: str = "nl") -> Step:
        return Step(self._tekst(key, lang), self.teksten[key]["pictogram"])

    def _contact(self, route: str, session: Session, intent: str) -> dict | None:
        """The contact cards of a route: the voorziening it leads to (dialoog.yml contact_per_route:
        the Wmo-loket, the opvang) and the buurtteam of the wijk, once the wijk is known."""
        if route == "crisis":
            return self.crisis.card([self._kind(intent)], "nl")
        teams = self.kb.teams_voor_wijk(session.wijk) if session.wijk else []
        if intent == "jeugd_gezin":
            teams = sorted(teams, key=lambda t: t["soort"] != "jeugd_gezin")
        contact: dict = {}
        place = self.kb.voorziening(self.contact_per_route.get(route, ""))
        if place and place.get("contact"):
            contact["voorziening"] = records.place_card(place)
        if teams and route in ("buurtteam", "loket", "opvang"):
            contact["buurtteam"] = records.team_card(teams[0])
        return contact or None

    def _keep_promises(self, answer: Answer, route: dict) -> None:
        """Leave out a step that promises contact details ("staat hieronder") when none are shown."""
        contact = route.get("contact") or {}
        shown = contact.get("nummers") or any(
            (contact.get(k) or {}).get("telefoon") for k in ("buurtteam", "voorziening")
        )
        if not shown:
            answer.steps = [s for s in answer.steps if not self.belofte.search(s.text)]

    def _route(self, intent: str, session: Session) -> dict:
        route = self.intents[intent].route if intent in self.intents else "geen"
        return {"type": route, "contact": self._contact(route, session, intent)}

    def _answer(
        self,
        intent: str,
        session: Session,
        confidence: float,
        pred: Prediction | None = None,
        niveau: str | None = None,
    ) -> Reply:
        meta = self.intents[intent]
        if intent == "mens_spreken":
            return self._handoff(intent, "mens", session, pred)
        if meta.is_crisis:  # a crisis tile or button: no doubt, the full crisis answer
            chosen = Verdict("crisis", self._kind(intent), [self._kind(intent)], "self", "nl", "gekozen")
            return self._crisis(chosen, session, pred)
        if intent in NEEDS_CONTACT and not session.wijk:
            session.pending = intent
            return self._message(intent, "vraag_locatie", session, pred, action="ask_location", confidence=confidence)
        session.pending = None
        session.topic = intent
        voorzieningen = self._voorzieningen(meta, session)
        answer = self.book.render(
            intent, niveau or session.niveau, voorzieningen, meta.regels, lang=_session_lang(session)
        )
        route = self._route(intent, session)
        self._keep_promises(answer, route)
        if route["type"] == "buurtteam" and not session.wijk:
            answer.steps.append(self._step("postcode_voor_team", answer.lang))
        extra = self._demo(route)
        if answer.niveau == "professional":
            extra.update(self._old_sources(voorzieningen, meta.regels))
        return Reply(
            intent,
            confidence,
            "answer",
            answer,
            route,
            pred.alternatives if pred else [],
            voorzieningen,
            language=pred.taal if pred else None,
            extra=extra,
        )

    def _old_sources(self, voorzieningen: list[str], regels: list[str]) -> dict:
        """For professionals: the records of this answer that rest only on old sources."""
        records = self.kb.voorzieningen(voorzieningen) + [r for r in map(self.kb.regel, regels) if r]
        old = [
            {"naam": r.get("naam") or r.get("titel"), "bron_jaar": r.get("bron_jaar")}
            for r in records
            if r.get("mogelijk_verouderd")
        ]
        return {"mogelijk_verouderd": old} if old else {}

    def _voorzieningen(self, meta, session: Session) -> list[str]:
        ids = dict.fromkeys(meta.voorzieningen + self.topic_voorzieningen.get(meta.id, []))
        found = self.kb.voorzieningen(list(ids))
        return [v["id"] for v in found if not session.wijk or "alle" in v["wijken"] or session.wijk in v["wijken"]]

    def _kind(self, intent: str) -> str:
        return self.matcher.safety.kinds[intent]

    def _crisis(self, verdict: Verdict, session: Session, pred: Prediction | None) -> Reply:
        """Numbers first. `crisis`: the crisis answer; `check`: one direct question, Ja or Nee."""
        intent = self.matcher.safety.intents[verdict.kind]
        lang = _lang(verdict, pred, session)
        session.topic, session.pending, session.misses = intent, None, 0
        meta = self.intents[intent]
        card = self.crisis.card(verdict.kinds, lang)
        route = {"type": "crisis", "contact": card}
        safety = verdict.to_json()
        if verdict.level == "check":
            question = self.crisis.question(verdict.kind, verdict.about, lang)
            answer = Answer(session.niveau, question["intro"], [], lang=lang)  # the question itself: safety
            topics = [i for i, p in (pred.ranking if pred else []) if i in self.intents and self.intents[i].is_topic]
            session.check_kind, session.check_lang = verdict.kind, lang
            session.check_topic = topics[0] if topics and dict(pred.ranking)[topics[0]] >= LOW else None
            session.options = topics[:MAX_TOPICS_AFTER_CHECK]
            safety["question"] = question
        else:
            answer = self.book.render(intent, session.niveau, meta.voorzieningen, meta.regels, lang=lang)
            if session.niveau == "professional" or verdict.about == "professional":
                steps, sources = self.crisis.professional(verdict.kind)
                answer.steps += steps
                answer.sources += [s for s in sources if s not in answer.sources]
                safety["professional"] = True
        return Reply(
            intent,
            pred.confidence if pred else 1.0,
            "crisis",
            answer,
            route,
            pred.alternatives if pred else [],
            meta.voorzieningen,
            safety=safety,
            language=pred.taal if pred else None,
            extra={"nummers": [n["nummer"] for n in card["nummers"]]},
        )

    def _after_check(self, answered: str, session: Session) -> Reply:
        """Ja keeps the crisis path; Nee answers the topic of the message, with the numbers still there."""
        kind, topic, options, lang = session.check_kind, session.check_topic, session.options, session.check_lang
        session.check_kind = session.check_topic = session.check_lang = None
        if answered == "ja":
            return self._crisis(Verdict("crisis", kind, [kind], "self", lang or "nl", "check:ja"), session, None)
        if topic:
            reply = self._answer(topic, session, 1.0)
        else:
            answer = Answer(
                session.niveau,
                self.crisis.no_topic(lang or "nl"),
                [self._step("niet_begrepen", lang or "nl")],
                lang=lang or "nl",
            )
            reply = Reply(self.matcher.safety.intents[kind], 1.0, "clarify", answer, {"type": "geen", "contact": None})
            session.options = options
            reply.clarify = self._options(options, lang or "nl")
        reply.safety = {
            "level": "note",
            "kind": kind,
            "kinds": [kind],
            "after_check": True,
            "text": self.crisis.after_no(lang or "nl"),
            "nummers": self.crisis.card([kind], lang or "nl")["nummers"],
        }
        return reply

    def _simpler(self, session: Session, pred: Prediction) -> Reply:
        if not session.topic:
            return self._message("eenvoudiger", "eenvoudiger_zonder_onderwerp", session, pred)
        reply = self._answer(session.topic, session, 1.0, None, niveau="eenvoudig")
        reply.extra["eenvoudiger"] = True
        reply.answer.steps.append(self._step("nog_niet_duidelijk", reply.answer.lang))
        return reply

    def _handoff(
        self, intent: str, key: str, session: Session, pred: Prediction | None, extra: dict | None = None
    ) -> Reply:
        if not session.wijk:
            session.pending = "mens_spreken"
            reply = self._message(intent, key, session, pred, action="ask_location", extra=extra)
            reply.answer.steps.append(self._step("vraag_locatie", reply.answer.lang))
            reply.route = {"type": "buurtteam", "contact": None}
            return reply
        session.pending = None
        route = {"type": "buurtteam", "contact": self._contact("loket", session, "mens_spreken")}
        lang = _session_lang(session)
        steps = [self._step("mens_loket", lang)] if key == "mens" else []
        answer = Answer(
            session.niveau, self._tekst(key, lang), steps, lang=lang, pictogram=self.teksten[key]["pictogram"]
        )
        return Reply(
            intent,
            pred.confidence if pred else 1.0,
            "handoff",
            answer,
            route,
            pred.alternatives if pred else [],
            list(self.bij_een_mens),
            language=pred.taal if pred else None,
            extra={**(extra or {}), **self._demo(route)},
        )

    def _clarify(self, session: Session, pred: Prediction) -> Reply:
        options = [
            i
            for i, p in pred.ranking[:3]
            if p >= 0.08 and i in self.intents and i not in ("buiten_bereik", "eenvoudiger")
        ] or [i for i, _ in pred.ranking[:3]]
        session.options = options
        key = "verduidelijk" if pred.confidence >= LOW else "niet_begrepen"
        reply = self._message(pred.intent, key, session, pred, action="clarify")
        reply.clarify = self._options(options, reply.answer.lang)
        reply.extra["uitwegen"] = self._ways_out(reply.answer.lang)
        return reply

    def _ways_out(self, lang: str) -> list[dict]:
        """Beside the guesses of a clarify: "something else" and "a person"."""
        return [
            {"intent": IETS_ANDERS, "label": self._tekst("knop_iets_anders", lang), "pictogram": "vraag"},
            {"intent": "mens_spreken", "label": self._tekst("knop_mens", lang), "pictogram": "mens"},
        ]

    def _contact_follow_up(self, session: Session, pred: Prediction | None) -> Reply:
        """A postcode or wijk after an answer: one sentence and the contact card, not the answer again."""
        intent, lang = session.topic, _session_lang(session)
        contact = self._contact(self.intents[intent].route, session, intent) or {}
        teams = self.kb.teams_voor_wijk(session.wijk) if session.wijk else []
        if not contact.get("buurtteam") and teams:
            contact["buurtteam"] = records.team_card(teams[0])
        contact.pop("voorziening", None)  # shown with the answer already
        wijk = (self.kb.wijk(session.wijk) or {}).get("naam", session.wijk)
        key = "locatie_erbij" if contact else "locatie_geen_team"
        answer = Answer(
            session.niveau, self._tekst(key, lang).replace("{wijk}", wijk), [], lang=lang, pictogram="buurtteam"
        )
        route = {"type": self.intents[intent].route, "contact": contact or None}
        return Reply(
            intent,
            pred.confidence if pred else 1.0,
            "contact",
            answer,
            route,
            language=pred.taal if pred else None,
            extra=self._demo(route),
        )

    def _plain_writer(self, bericht: Bericht) -> bool:
        """Written the way many people who read little write: words spelled by ear ("kan nie betale",
        "me moeder"), which the dictionary and the kaart do not know. dialoog.yml eenvoudig_schrijven."""
        rule, lex = self.eenvoudig_schrijven, self.kb.lexicon
        typed = bericht.words  # as typed: chat words not yet expanded
        found = 0
        for i, w in enumerate(typed):
            after = typed[i + 1] if i + 1 < len(typed) else ""
            if w in rule["spreektaal"] or (w == "me" and after in rule["me_voor"]):
                found += 1
            elif not w.isalpha() or len(w) < 3 or w in lex.domain:
                continue
            elif lex.freq.get(w, 0.0) < rule["max_zipf"]:
                found += 1  # unknown: spelled by ear
            elif w.endswith("e") and lex.freq.get(w + "n", 0.0) - lex.freq.get(w, 0.0) >= rule["n_weg"]:
                found += 1  # "betale" for betalen
        return found >= rule["min_woorden"] or (found and len(typed) <= rule["kort_bericht"])

    def _options(self, intents: list[str], lang: str = "nl") -> list[dict]:
        return [
            {"intent": i, "label": self.intents[i].label_in(lang), "pictogram": self.intents[i].pictogram}
            for i in intents
        ]

    def _other_language(self, text: str, pred: Prediction, session: Session) -> Reply:
        """A message in a language we do not answer in: small talk in kind, then where to go on.

        In kind only for a short message the model is sure of and whose every word the examples know:
        anything else in a language we cannot read may be about anything, danger too."""
        lang = pred.taal
        small_talk = (
            pred.intent in andere_talen.IN_KIND
            and pred.confidence >= SURE
            and len(pred.woorden) <= MAX_SMALL_TALK_WORDS
            and self.matcher.talen.knows_every_word(text)
        )
        intent = pred.intent if small_talk else "buiten_bereik"
        opening, rest = andere_talen.lines(lang, intent)
        shown = lang if andere_talen.has(lang) else "en"
        answer = Answer(session.niveau, opening, [Step(t, p) for t, p in rest], lang=shown)
        reply = Reply(
            intent,
            pred.confidence,
            "other_language",
            answer,
            self._route("buurtteam", session),
            language=lang,
            extra={
                "answer_languages": list(ANSWER_LANGUAGES),
                "kies_taal": andere_talen.text(lang, andere_talen.KIES_TAAL),
            },
        )
        session.options = [i for i in self.other_language_topics if i in self.intents]
        reply.clarify = self._options(session.options, "nl")
        return reply

    def _message(
        self,
        intent: str,
        key: str,
        session: Session,
        pred: Prediction | None = None,
        action: str = "answer",
        confidence: float | None = None,
        extra: dict | None = None,
    ) -> Reply:
        lang = _session_lang(session)
        answer = Answer(session.niveau, self._tekst(key, lang), [], lang=lang, pictogram=self.teksten[key]["pictogram"])
        route = self._route(intent, session) if action in ("ask_location",) else {"type": "geen", "contact": None}
        conf = confidence if confidence is not None else (pred.confidence if pred else 0.0)
        return Reply(
            intent,
            conf,
            action,
            answer,
            route,
            pred.alternatives if pred else [],
            language=pred.taal if pred else None,
            extra=extra or {},
        )

    @staticmethod
    def _demo(route: dict) -> dict:
        contact = route.get("contact") or {}
        cards = [contact.get("buurtteam"), contact.get("voorziening")]
        return {"demo": True} if any(c and c.get("demo") for c in cards) else {}


def _lang(verdict: Verdict, pred: Prediction | None, session: Session) -> str:
    """English crisis texts for an English message or conversation; Dutch otherwise."""
    english = verdict.lang == "en" or (pred is not None and pred.taal == "en") or session.lang == "en"
    return "en" if english else "nl"


def _session_lang(session: Session) -> str:
    return session.lang if session.lang in ANSWER_LANGUAGES else "nl"
