"""Demo data: an organisation, categories with their limits, timelines and demo agents."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..models import Category, User
from .organisation import get_organisation
from .timelines import ensure_default_timelines

CATEGORIES = [
    dict(slug="delivery", position=1, name_nl="Bezorging", name_en="Delivery",
         hint_nl="Te laat, niet bezorgd of beschadigd", hint_en="Late, not delivered or damaged",
         can_do_nl="We zoeken uit waar uw pakket is, sturen het opnieuw of betalen u terug.",
         can_do_en="We find out where your parcel is, send it again or pay you back.",
         cannot_do_nl="We kunnen een bezorger niet op een vast uur laten komen.",
         cannot_do_en="We cannot make a driver come at a fixed hour.",
         disagree_nl=("Bent u het niet eens met ons antwoord? Dan kunt u naar De Geschillencommissie. "
                      "Dat kan tot 12 maanden nadat u bij ons klaagde."),
         disagree_en=("Do you disagree with our answer? "
                      "Then you can go to the Dutch disputes committee (De Geschillencommissie). "
                      "You can do that up to 12 months after you complained to us."),
         disagree_url="https://www.degeschillencommissie.nl/"),
    dict(slug="invoice", position=2, name_nl="Rekening of betaling", name_en="Bill or payment",
         hint_nl="Een bedrag dat niet klopt, dubbel betaald", hint_en="A wrong amount, paid twice",
         can_do_nl="We verbeteren de rekening en betalen te veel betaald geld terug.",
         can_do_en="We correct the bill and pay back money you paid too much.",
         cannot_do_nl="We kunnen geen rente van uw bank terugbetalen.",
         cannot_do_en="We cannot pay back interest your bank charged you.",
         disagree_nl=("Bent u het niet eens met ons antwoord? Dan kunt u naar De Geschillencommissie. "
                      "Dat kan tot 12 maanden nadat u bij ons klaagde."),
         disagree_en=("Do you disagree with our answer? "
                      "Then you can go to the Dutch disputes committee (De Geschillencommissie). "
                      "You can do that up to 12 months after you complained to us."),
         disagree_url="https://www.degeschillencommissie.nl/"),
    dict(slug="service", position=3, name_nl="Hoe we u hielpen", name_en="How we helped you",
         hint_nl="Hoe een medewerker met u omging", hint_en="How someone of ours treated you",
         can_do_nl="We praten met de medewerker en laten u weten wat we veranderen.",
         can_do_en="We talk to the person and tell you what we change.",
         cannot_do_nl="We vertellen u niet welke maatregel een medewerker krijgt. Dat is privé.",
         cannot_do_en="We do not tell you what measure a member of staff gets. That is private.",
         disagree_nl=("Bent u het niet eens met ons antwoord? Dan kunt u naar De Geschillencommissie. "
                      "Dat kan tot 12 maanden nadat u bij ons klaagde."),
         disagree_en=("Do you disagree with our answer? "
                      "Then you can go to the Dutch disputes committee (De Geschillencommissie). "
                      "You can do that up to 12 months after you complained to us."),
         disagree_url="https://www.degeschillencommissie.nl/"),
    dict(slug="product", position=4, name_nl="Een product", name_en="A product",
         hint_nl="Kapot, anders dan beloofd", hint_en="Broken, not as promised",
         can_do_nl="We repareren het, ruilen het om of betalen u terug.",
         can_do_en="We repair it, replace it or pay you back.",
         cannot_do_nl="We kunnen geen schade vergoeden die een ander bedrijf maakte.",
         cannot_do_en="We cannot pay for damage another company caused.",
         disagree_nl=("Bent u het niet eens met ons antwoord? Dan kunt u naar De Geschillencommissie. "
                      "Dat kan tot 12 maanden nadat u bij ons klaagde."),
         disagree_en=("Do you disagree with our answer? "
                      "Then you can go to the Dutch disputes committee (De Geschillencommissie). "
                      "You can do that up to 12 months after you complained to us."),
         disagree_url="https://www.degeschillencommissie.nl/"),
]

AGENTS = [
    dict(email="agent@gehoord.example", name="Sanne de Vries", role="agent", password="demo-agent",
         mandate_per_complaint_cents=10_000, monthly_budget_cents=200_000),
    dict(email="supervisor@gehoord.example", name="Ahmed Bakker", role="supervisor",
         password="demo-supervisor", mandate_per_complaint_cents=100_000, monthly_budget_cents=2_000_000),
    dict(email="admin@gehoord.example", name="Joke Jansen", role="admin", password="demo-admin",
         mandate_per_complaint_cents=0, monthly_budget_cents=0),
    dict(email="manager@gehoord.example", name="Karin Visser", role="manager", password="demo-manager",
         mandate_per_complaint_cents=0, monthly_budget_cents=0),
    dict(email="colleague@gehoord.example", name="Pim de Wit", role="colleague", password="demo-colleague",
         mandate_per_complaint_cents=0, monthly_budget_cents=0),
]


def load_demo() -> bool:
    """Load the demo data once; returns False when it was already there."""
    get_organisation()
    ensure_default_timelines()
    if db.session.scalar(select(Category).limit(1)) is not None:
        return False
    for data in CATEGORIES:
        db.session.add(Category(**data))
    for data in AGENTS:
        data = dict(data)
        password = data.pop("password")
        db.session.add(User(password_hash=generate_password_hash(password), **data))
    db.session.flush()
    return True
