"""The OpenAPI 3.1 document of /api, and the schemas the API validates with."""

from __future__ import annotations

from assistant.answers import NIVEAUS
from assistant.dialogue import MAX_CHARS
from intents.catalogue import ROUTES
from intents.taal import answer_languages
from knowledge import records
from knowledge.schema import DOELGROEPEN, THEMAS, TOEGANGSROUTES

CHAT_REQUEST = {
    "type": "object",
    "required": ["message"],
    "additionalProperties": False,
    "not": {"required": ["wijk", "postcode"]},
    "properties": {
        "message": {
            "type": "string",
            "maxLength": MAX_CHARS * 10,
            "description": f"Het bericht. Langer dan {MAX_CHARS} tekens krijgt een nette weigering.",
        },
        "session_id": {
            "type": "string",
            "maxLength": 64,
            "pattern": "^[A-Za-z0-9_-]*$",
            "description": "Het `session` uit het vorige antwoord. Alleen de server maakt ids: een "
            "onbekend of verlopen id begint een nieuw gesprek, met een nieuw id.",
        },
        "niveau": {"enum": list(NIVEAUS)},
        "wijk": {"type": "string", "maxLength": 100},
        "postcode": {"type": "string", "maxLength": 10},
        "intent": {"type": "string", "maxLength": 64, "description": "Gekozen knop (intent-id)."},
        "check": {
            "enum": ["ja", "nee"],
            "description": "Antwoord op de veiligheidsvraag (safety.level 'check') van de vorige beurt.",
        },
        "lang": {
            "enum": list(answer_languages()),
            "description": "Gekozen antwoordtaal. Zonder: de taal van de berichten (answer.lang, language).",
        },
    },
}
SAFETY = {
    "type": ["object", "null"],
    "description": "Veiligheid: null, of level crisis (nummers eerst), check (nummers en één vraag: stuur check "
    "ja/nee) of note (ontkende of voorbije vermelding: het antwoord met één rustige regel).",
    "required": ["level", "kind"],
    "properties": {
        "level": {"enum": ["crisis", "check", "note"]},
        "kind": {"enum": ["suicide", "violence", "emergency"]},
        "kinds": {"type": "array", "items": {"type": "string"}},
        "about": {"enum": ["self", "other", "professional"]},
        "question": {"type": "object"},
        "text": {"type": "string"},
    },
}

STEP = {
    "type": "object",
    "required": ["text", "pictogram"],
    "properties": {"text": {"type": "string"}, "pictogram": {"type": "string"}},
}
CHAT_REPLY = {
    "type": "object",
    "required": [
        "intent",
        "confidence",
        "alternatives",
        "action",
        "answer",
        "route",
        "voorzieningen",
        "wijk",
        "clarify",
        "session",
        "safety",
        "language",
    ],
    "properties": {
        "intent": {"type": "string"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "alternatives": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["intent", "confidence"],
                "properties": {"intent": {"type": "string"}, "confidence": {"type": "number"}},
            },
        },
        "action": {
            "enum": ["answer", "clarify", "ask_location", "contact", "crisis", "handoff", "other_language"],
            "description": "other_language: a message in a language without answers; the reply greets "
            "in kind and says, in that language, that it answers in Dutch and English. "
            "contact: a postcode or wijk after an answer: one sentence and the contact "
            "card, not the answer again.",
        },
        "answer": {
            "type": "object",
            "required": ["niveau", "text", "steps", "sources", "lang"],
            "properties": {
                "niveau": {"enum": list(NIVEAUS)},
                "text": {"type": "string"},
                "lead": {"type": "string", "description": "Wat voor de stappen staat: hoogstens twee korte zinnen."},
                "more": {"type": "string", "description": "De rest van de tekst, achter 'Meer uitleg'."},
                "pictogram": {"type": ["string", "null"]},
                "lang": {"type": "string"},
                "steps": {"type": "array", "items": STEP},
                "sources": {"type": "array", "items": {"type": "object"}},
            },
        },
        "route": {
            "type": "object",
            "required": ["type", "contact"],
            "properties": {
                "type": {"enum": list(ROUTES)},
                "contact": {
                    "type": ["object", "null"],
                    "description": "buurtteam: het team van de wijk; voorziening: de plek "
                    "waar de route heen leidt (Wmo-loket, opvang); nummers: "
                    "crisisnummers. demo=true: voorbeeldgegevens, niet echt.",
                },
            },
        },
        "voorzieningen": {"type": "array", "items": {"type": "string"}},
        "wijk": {"type": ["string", "null"]},
        "clarify": {"type": "array", "items": {"type": "object", "required": ["intent", "label"]}},
        "uitwegen": {
            "type": "array",
            "items": {"type": "object", "required": ["intent", "label"]},
            "description": "Bij clarify: 'Iets anders' (intent iets_anders) en 'Praat met een mens'.",
        },
        "session": {"type": ["string", "null"]},
        "safety": SAFETY,
        "language": {
            "type": ["string", "null"],
            "description": "De taal van het bericht (ISO 639), of null als die niet te zeggen is.",
        },
    },
}
VOORZIENING = {
    "type": "object",
    "required": ["id", "naam", "korte_uitleg", "toegangsroute", "bron"],
    "properties": {k: {} for k in (*records.fields(records.Voorziening, api=True), "url")},
}
TEAM = {
    "type": "object",
    "required": ["id", "naam", "soort", "telefoon", "demo"],
    "properties": {k: {} for k in (*records.fields(records.Buurtteam, api=True), "tel", "demo")},
}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


def explain(err) -> str:
    if err.validator == "required":
        return "het veld " + str(err.message).split("'")[1] + " ontbreekt"
    if err.validator == "additionalProperties":
        return "onbekend veld: " + str(err.message).split("'")[1]
    if err.validator == "type":
        return f"moet {err.validator_value} zijn"
    if err.validator == "maxLength":
        return f"te lang (max {err.validator_value} tekens)"
    if err.validator == "not":
        return "geef wijk of postcode, niet allebei"
    if err.validator == "enum":
        return "kies uit " + ", ".join(map(str, err.validator_value))
    return "ongeldige waarde"


def voorziening_json(v: records.Voorziening) -> dict:
    return {**records.api_json(v), "url": f"/kaart/voorziening/{v.id}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document(max_chars: int = MAX_CHARS, niveaus=NIVEAUS, gemeente: str = "de gemeente") -> dict:
    def q(name: str, desc: str, choices=None) -> dict:
        schema = {"enum": list(choices)} if choices else {"type": "string", "maxLength": 200}
        return {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Buurtwijzer API",
            "version": "1",
            "description": f"Chatassistent en sociale kaart voor het sociale domein van {gemeente}. "
            "Contactgegevens met demo=true zijn voorbeelden, niet echt.",
        },
        "paths": {
            "/api/chat": {
                "post": {
                    "summary": "Eén beurt in het gesprek",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": CHAT_REQUEST}}},
                    "responses": {
                        "200": _json(CHAT_REPLY, "Het antwoord"),
                        "400": _json(ERROR, "Ongeldig verzoek"),
                        "413": _json(ERROR, "Verzoek te groot"),
                    },
                }
            },
            "/api/voorzieningen": {
                "get": {
                    "summary": "Voorzieningen zoeken",
                    "parameters": [
                        q("q", "zoekwoorden"),
                        q("wijk", "wijk, buurt of postcode"),
                        q("doelgroep", "doelgroep-id", DOELGROEPEN),
                        q("thema", "thema-id", THEMAS),
                        q("toegangsroute", "toegangsroute-id", TOEGANGSROUTES),
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["aantal", "voorzieningen"],
                                "properties": {
                                    "aantal": {"type": "integer"},
                                    "wijk": {"type": ["string", "null"]},
                                    "voorzieningen": {"type": "array", "items": VOORZIENING},
                                },
                            },
                            "Gevonden voorzieningen",
                        ),
                        "400": _json(ERROR, "Ongeldige filter"),
                        "404": _json(ERROR, "Onbekende wijk"),
                    },
                }
            },
            "/api/buurtteam": {
                "get": {
                    "summary": "Het buurtteam bij een postcode of wijk",
                    "parameters": [q("postcode", "3563 of 3563 AB"), q("wijk", "wijk of buurt")],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["wijk", "teams", "demo"],
                                "properties": {
                                    "wijk": {"type": "string"},
                                    "wijknaam": {"type": "string"},
                                    "demo": {"type": "boolean"},
                                    "teams": {"type": "array", "items": TEAM},
                                },
                            },
                            "De buurtteams van de wijk",
                        ),
                        "400": _json(ERROR, "Geen postcode of wijk"),
                        "404": _json(ERROR, "Onbekende plek"),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {"summary": "Dit document", "responses": {"200": {"description": "OpenAPI 3.1"}}}
            },
        },
    }
