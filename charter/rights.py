"""The customer rights charter: ten rights, in Dutch and English, and what each means in the portal."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Right:
    number: int
    title: dict[str, str]
    text: dict[str, str]
    in_portal: dict[str, str]

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title["nl"]

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text["nl"]

    def in_portal_in(self, language: str) -> str:
        return self.in_portal.get(language) or self.in_portal["nl"]


RIGHTS: tuple[Right, ...] = (
    Right(
        1,
        {"nl": "U heeft gelijk in hoe u het ervaart",
         "en": "You are right about how you experienced it"},
        {"nl": "Als ons systeem niet werkt, ligt dat aan het systeem en niet aan u.",
         "en": "When our system fails, the system is at fault, not you."},
        {"nl": "U hoeft niets te bewijzen. Wij nemen uw verhaal als uitgangspunt.",
         "en": "You do not have to prove anything. We start from your story."},
    ),
    Right(
        2,
        {"nl": "Een systeem dat eenvoudig werkt", "en": "A system that works simply"},
        {"nl": "Een klacht indienen is makkelijk en kost weinig tijd.",
         "en": "Making a complaint is easy and takes little time."},
        {"nl": "Een paar korte vragen. U heeft geen account nodig.",
         "en": "A few short questions. You do not need an account."},
    ),
    Right(
        3,
        {"nl": "Wat we beloven, doen we", "en": "We do what we promise"},
        {"nl": "Wij beloven alleen wat we waarmaken. Zonder woorden als 'in principe'.",
         "en": "We only promise what we do. Without words like 'normally'."},
        {"nl": "Elke belofte heeft een datum. Halen we die niet, dan zeggen we dat eerlijk.",
         "en": "Every promise has a date. If we miss it, we tell you honestly."},
    ),
    Right(
        4,
        {"nl": "Duidelijke taal", "en": "Plain language"},
        {"nl": "U krijgt eenvoudige uitleg, zonder moeilijke woorden.",
         "en": "You get simple explanations, without difficult words."},
        {"nl": "We controleren onze teksten op moeilijke woorden en lange zinnen.",
         "en": "We check our texts for difficult words and long sentences."},
    ),
    Right(
        5,
        {"nl": "U houdt de touwtjes in handen", "en": "You stay in control"},
        {"nl": "U bent niet afhankelijk van ons. U kunt zelf iets doen.",
         "en": "You do not depend on us. You can act yourself."},
        {"nl": "U kunt iets toevoegen, reageren, uw gegevens wijzigen of uw klacht intrekken.",
         "en": "You can add information, reply, change your details or withdraw your complaint."},
    ),
    Right(
        6,
        {"nl": "U weet wat er nu gebeurt en wat er komt",
         "en": "You know what happens now and what comes next"},
        {"nl": "Is het niet meteen opgelost? Dan krijgt u een duidelijke planning, en wij houden ons daaraan.",
         "en": "Not solved at once? Then you get a clear timeline, and we keep to it."},
        {"nl": "U ziet elke stap met een datum, op uw statuspagina en in de mail.",
         "en": "You see every step with a date, on your status page and in the mail."},
    ),
    Right(
        7,
        {"nl": "U hoort alles wat ertoe doet", "en": "You hear everything that matters"},
        {"nl": "Wij houden geen informatie achter die wij kennen.",
         "en": "We do not hold back anything we know."},
        {"nl": "Op uw statuspagina staat wat we weten en wat we nog van u nodig hebben.",
         "en": "Your status page shows what we know and what we still need from you."},
    ),
    Right(
        8,
        {"nl": "U kent de grenzen van wat we kunnen", "en": "You know the limits of what we can do"},
        {"nl": "We zeggen vooraf wat we wel en niet voor u kunnen doen.",
         "en": "We tell you up front what we can and cannot do for you."},
        {"nl": "Bij elk onderwerp staat wat we kunnen, wat niet, en waar u dan terechtkunt.",
         "en": "Each topic says what we can do, what we cannot, and where you can go then."},
    ),
    Right(
        9,
        {"nl": "U spreekt een echt mens", "en": "You talk to a real person"},
        {"nl": "U kunt de mensen achter het systeem bereiken en krijgt een doordacht antwoord.",
         "en": "You can reach the people behind the system and get a thoughtful answer."},
        {"nl": "U krijgt een vaste contactpersoon en kunt via uw statuspagina berichten sturen.",
         "en": "You get one named person and can send messages from your status page."},
    ),
    Right(
        10,
        {"nl": "U blijft de baas over uw situatie", "en": "You stay master of your situation"},
        {"nl": "U beslist mee. U bent niet de gevangene van de situatie.",
         "en": "You have a say. You are not held hostage by the situation."},
        {"nl": "U beslist of een oplossing goed is. U kunt altijd vragen of een leidinggevende meekijkt.",
         "en": "You decide if a solution is good enough. You can always ask a manager to look at it."},
    ),
)


def right(number: int) -> Right:
    """The right with this number (1 to 10)."""
    if not 1 <= number <= len(RIGHTS):
        raise LookupError(f"there is no right {number}: the charter has rights 1 to {len(RIGHTS)}")
    return RIGHTS[number - 1]
