"""One indicator per right of the charter: what we count to see whether we keep that right's promise.

Data, not code: the figures are computed by `portal.services.insight.measure` from stored data, one
function per `key`; the words a manager reads are here, beside the right they belong to. A target is
set by an admin (`Organisation.charter_targets`); `default_target` is used until then.

`unit`: "share" (0..1, shown as a percentage), "hours" (working hours), "score" (a reading score),
"count" (a number per complaint). `better`: whether a higher or a lower figure keeps the promise.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    right: int
    key: str
    unit: str
    better: str  # "higher" | "lower"
    default_target: float
    name: dict[str, str]
    how: dict[str, str]  # how it is counted, in one or two sentences

    def name_in(self, language: str) -> str:
        return self.name.get(language) or self.name["nl"]

    def how_in(self, language: str) -> str:
        return self.how.get(language) or self.how["nl"]

    def meets(self, value: float | None, target: float) -> bool | None:
        if value is None:
            return None
        return value >= target if self.better == "higher" else value <= target


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        1, "word_enough", "share", "higher", 0.9,
        {"nl": "Vraag om vergoeding die een aanbod kreeg", "en": "Requests for compensation that got an offer"},
        {"nl": "Van de klachten die in de periode eindigden en waarin de klant om geld vroeg: het deel waarin "
               "wij iets aanboden. Zonder bewijs te vragen: het woord van de klant is genoeg.",
         "en": "Of the complaints that ended in the period in which the customer asked for money: the share in "
               "which we offered something. Without asking for proof: the customer's word is enough."},
    ),
    Indicator(
        2, "filing_completion", "share", "higher", 0.7,
        {"nl": "Begonnen klachten die zijn ingediend", "en": "Started complaints that were sent"},
        {"nl": "Klachten die klanten zelf indienden, gedeeld door de keren dat iemand begon met invullen.",
         "en": "Complaints customers sent themselves, divided by the times someone started to fill in the form."},
    ),
    Indicator(
        3, "promises_kept", "share", "higher", 0.95,
        {"nl": "Beloften op tijd gehouden", "en": "Promises kept on time"},
        {"nl": "Beloften die in de periode afliepen: op tijd gehouden, gedeeld door gehouden plus gemist. "
               "Een nieuwe datum telt apart.",
         "en": "Promises due in the period: kept on time, divided by kept plus missed. A new date is counted "
               "apart."},
    ),
    Indicator(
        4, "reply_reading", "score", "higher", 60,
        {"nl": "Leesbaarheid van onze antwoorden (mediaan)", "en": "How easy our replies read (median)"},
        {"nl": "De leesscore (Flesch-Douma, Flesch voor Engels) van elk antwoord aan een klant, op een heel getal. "
               "Apart: hoe vaak een antwoord toch ging na een waarschuwing voor moeilijke woorden.",
         "en": "The reading score (Flesch-Douma, Flesch for English) of every reply to a customer, as a whole "
               "number. Apart: how often a reply went anyway after a warning about difficult words."},
    ),
    Indicator(
        5, "customer_decides", "share", "higher", 0.9,
        {"nl": "Aanbiedingen waarop de klant zelf antwoordde", "en": "Offers the customer answered themselves"},
        {"nl": "Van de aanbiedingen die in de periode eindigden: het deel waarop de klant ja of nee zei, "
               "niet door een termijn of een sluiting.",
         "en": "Of the offers that ended in the period: the share to which the customer said yes or no, rather "
               "than a deadline or a close deciding."},
    ),
    Indicator(
        6, "dated_from_start", "share", "higher", 1.0,
        {"nl": "Meldingen met een planning met data vanaf het begin",
         "en": "Signals with a dated timeline from the start"},
        {"nl": "Meldingen uit de periode die bij het indienen minstens een belofte met een datum kregen.",
         "en": "Signals of the period that got at least one dated promise when they were sent."},
    ),
    Indicator(
        7, "asked_where", "share", "lower", 0.1,
        {"nl": "Klant moest vragen hoe het ervoor staat", "en": "Customer had to ask where it stands"},
        {"nl": "Klachten uit de periode waarin de klant ons schreef voordat wij voor het eerst antwoordden.",
         "en": "Complaints of the period in which the customer wrote to us before our first reply."},
    ),
    Indicator(
        8, "limits_told", "share", "higher", 1.0,
        {"nl": "Klachten waarbij de grenzen vooraf te lezen waren", "en": "Complaints where the limits were told"},
        {"nl": "Klachten uit de periode in een onderwerp dat zegt wat wij niet kunnen doen, zodat de klant "
               "dat al voor het indienen las.",
         "en": "Complaints of the period in a topic that says what we cannot do, so the customer read it "
               "before sending."},
    ),
    Indicator(
        9, "first_reply_hours", "hours", "lower", 8,
        {"nl": "Werkuren tot het eerste antwoord van een mens (mediaan)",
         "en": "Working hours to the first reply by a person (median)"},
        {"nl": "Van indienen tot het eerste bericht van een collega, in werkuren van onze kalender (op een "
               "tiende uur). Apart: overdrachten per klacht.",
         "en": "From sending to the first message of a colleague, in working hours of our calendar (to a tenth "
               "of an hour). Apart: hand-overs per complaint."},
    ),
    Indicator(
        10, "solved_say_customers", "share", "higher", 0.8,
        {"nl": "Klanten die zeggen dat het is opgelost", "en": "Customers who say it is solved"},
        {"nl": "Van de klanten die de vragen na afloop beantwoordden: het deel dat ja zei. Apart: opgelost "
               "met het ja van de klant, weer geopend en een manager gevraagd.",
         "en": "Of the customers who answered the questions afterwards: the share who said yes. Apart: solved "
               "with the customer's yes, opened again and a manager asked for."},
    ),
)

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
