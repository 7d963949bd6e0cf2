"""The demo court's standing cast: judges, courtrooms, the bar, the accounts, and the name pools
defendants are drawn from. Plain data, so that the story code stays about the story."""

from __future__ import annotations

from dataclasses import dataclass

COURT_CODE = "DEMO"
COURT_NAME = "Demo County Circuit Court"
COURT_TIME_ZONE = "America/Chicago"
COURT_ADDRESS = "100 North Main Street, Demo City, IL 60000"
COURTHOUSE = "Demo County Courthouse"


@dataclass(frozen=True)
class DemoJudge:
    name: str
    home_courtroom: str  # morning calls and motion afternoons
    jury_courtroom: str  # trial afternoons
    trial_weekdays: tuple[int, ...]  # Monday is 0


# The two jury courtrooms are shared: each judge tries cases there on two afternoons a week,
# on days when the other judge using it does not, so that no courtroom is double-booked.
JUDGES = (
    DemoJudge("Adaeze Okafor", "3A", "4C", (1, 3)),
    DemoJudge("Peter Lind", "3B", "5A", (1, 3)),
    DemoJudge("Maria Delgado", "1A", "4C", (0, 2)),
    DemoJudge("Samuel Whitfield", "2B", "5A", (0, 2)),
)

COURTROOMS = ("1A", "2B", "3A", "3B", "4C", "5A")

STATES_ATTORNEY = "Demo County State's Attorney"
PUBLIC_DEFENDER = "Demo County Public Defender"


@dataclass(frozen=True)
class DemoAttorney:
    name: str
    office: str
    bar_number: str
    organization: str
    email: str
    phone: str


def _attorney(name: str, office: str, bar: str, organization: str, domain: str, phone: str):
    local = name.lower().replace(" ", ".")
    return DemoAttorney(name, office, f"IL-{bar}", organization, f"{local}@{domain}", phone)


_SAO = "sao.demo-county.example"
_PD = "pd.demo-county.example"

# Two prosecutors work each judge's courtroom (PROSECUTORS[2*i : 2*i+2] for JUDGES[i]).
PROSECUTORS = (
    _attorney("Rebecca Hale", "prosecutor", "6204817", STATES_ATTORNEY, _SAO, "(555) 010-2101"),
    _attorney("Marcus Greene", "prosecutor", "6281530", STATES_ATTORNEY, _SAO, "(555) 010-2102"),
    _attorney("Priya Raman", "prosecutor", "6312964", STATES_ATTORNEY, _SAO, "(555) 010-2103"),
    _attorney("Thomas Brennan", "prosecutor", "6190275", STATES_ATTORNEY, _SAO, "(555) 010-2104"),
    _attorney("Alicia Fuentes", "prosecutor", "6327748", STATES_ATTORNEY, _SAO, "(555) 010-2105"),
    _attorney("Daniel Kaminski", "prosecutor", "6258403", STATES_ATTORNEY, _SAO, "(555) 010-2106"),
    _attorney("Grace Oduya", "prosecutor", "6335912", STATES_ATTORNEY, _SAO, "(555) 010-2107"),
    _attorney("Jonathan Weiss", "prosecutor", "6176659", STATES_ATTORNEY, _SAO, "(555) 010-2108"),
)

DEFENSE_ATTORNEYS = (
    _attorney("Luis Moreno", "public_defender", "6297341", PUBLIC_DEFENDER, _PD, "(555) 010-3101"),
    _attorney(
        "Keisha Bryant", "public_defender", "6318820", PUBLIC_DEFENDER, _PD, "(555) 010-3102"
    ),
    _attorney(
        "Hannah Lindqvist", "public_defender", "6302457", PUBLIC_DEFENDER, _PD, "(555) 010-3103"
    ),
    _attorney(
        "Victor Castellanos", "public_defender", "6274196", PUBLIC_DEFENDER, _PD, "(555) 010-3104"
    ),
    _attorney(
        "Erin McAllister", "public_defender", "6329083", PUBLIC_DEFENDER, _PD, "(555) 010-3105"
    ),
    _attorney(
        "Samuel Adebayo", "public_defender", "6341275", PUBLIC_DEFENDER, _PD, "(555) 010-3106"
    ),
    _attorney("Julia Novak", "public_defender", "6288612", PUBLIC_DEFENDER, _PD, "(555) 010-3107"),
    _attorney(
        "Robert Falk",
        "appointed",
        "6143390",
        "Law Office of Robert Falk",
        "falklaw.example",
        "(555) 010-4101",
    ),
    _attorney(
        "Diane Whitcomb",
        "appointed",
        "6221874",
        "Whitcomb Legal Services",
        "whitcomblegal.example",
        "(555) 010-4102",
    ),
    _attorney(
        "Omar Sayegh",
        "appointed",
        "6309156",
        "Law Office of Omar Sayegh",
        "sayeghlaw.example",
        "(555) 010-4103",
    ),
    _attorney(
        "Teresa Quinn",
        "appointed",
        "6265538",
        "Quinn & Associates",
        "quinnassociates.example",
        "(555) 010-4104",
    ),
    _attorney(
        "Michael Strauss",
        "retained",
        "6158827",
        "Strauss & Vance LLP",
        "straussvance.example",
        "(555) 010-5101",
    ),
    _attorney(
        "Carla Benedetti",
        "retained",
        "6243319",
        "Benedetti Defense Group",
        "benedettidefense.example",
        "(555) 010-5102",
    ),
    _attorney(
        "Howard Lin",
        "retained",
        "6290742",
        "Lin Criminal Defense",
        "lindefense.example",
        "(555) 010-5103",
    ),
    _attorney(
        "Patrick Doyle",
        "retained",
        "6217465",
        "Doyle & Moran",
        "doylemoran.example",
        "(555) 010-5104",
    ),
    _attorney(
        "Simone Archer", "retained", "6323081", "Archer Law", "archerlaw.example", "(555) 010-5105"
    ),
)

ATTORNEYS = PROSECUTORS + DEFENSE_ATTORNEYS


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    note: str
    name: str
    # The judge's name or the attorney's bar number this account is, if any.
    link: str | None = None


_DOMAIN = "demo.docket.example"
ADMIN_PASSWORD = "demo-admin-2026"
CLERK_PASSWORD = "demo-clerk-2026"
JUDGE_PASSWORD = "demo-judge-2026"
ATTORNEY_PASSWORD = "demo-attorney-2026"


def _attorney_login(attorney: DemoAttorney, note: str) -> DemoLogin:
    last = attorney.name.split()[-1].lower()
    return DemoLogin(
        "attorney", f"{last}@{_DOMAIN}", ATTORNEY_PASSWORD, note, attorney.name, attorney.bar_number
    )


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin(
        "admin",
        f"admin@{_DOMAIN}",
        ADMIN_PASSWORD,
        "court administrator Helen Brandt",
        "Helen Brandt",
    ),
    DemoLogin(
        "clerk", f"clerk@{_DOMAIN}", CLERK_PASSWORD, "deputy clerk Ruth Abernathy", "Ruth Abernathy"
    ),
    DemoLogin(
        "clerk", f"clerk2@{_DOMAIN}", CLERK_PASSWORD, "deputy clerk Tomás Reyes", "Tomás Reyes"
    ),
    *(
        DemoLogin(
            "judge",
            f"{judge.name.split()[-1].lower()}@{_DOMAIN}",
            JUDGE_PASSWORD,
            f"Judge {judge.name.split()[-1]}",
            judge.name,
            judge.name,
        )
        for judge in JUDGES
    ),
    _attorney_login(PROSECUTORS[0], "prosecutor in Judge Okafor's courtroom"),
    _attorney_login(PROSECUTORS[3], "prosecutor in Judge Lind's courtroom"),
    _attorney_login(DEFENSE_ATTORNEYS[0], "public defender"),
    _attorney_login(DEFENSE_ATTORNEYS[1], "public defender"),
    _attorney_login(DEFENSE_ATTORNEYS[7], "appointed counsel"),
    _attorney_login(DEFENSE_ATTORNEYS[11], "retained counsel (Strauss & Vance LLP)"),
]


# --- the calendar's other people --------------------------------------------------------------

# Staff interpreters (name, language): a hearing that needs a language competes for them; other
# languages come from the contract list, outside Docket.
INTERPRETERS = (
    ("Lucía Navarro", "Spanish"),
    ("Héctor Salgado", "Spanish"),
    ("Lan Nguyen", "Vietnamese"),
    ("Agnieszka Wójcik", "Polish"),
)


@dataclass(frozen=True)
class DemoNotice:
    """A notice of unavailability counsel filed: from the Monday `weeks` weeks after today
    (0: this coming Monday) plus `offset` days, for `days` days; filed `filed_days_ago`."""

    bar_number: str
    weeks: int
    offset: int
    days: int
    reason: str
    filed_days_ago: int
    withdrawn: bool = False


UNAVAILABILITY = (
    DemoNotice(PROSECUTORS[0].bar_number, 1, 0, 5, "Vacation (filed under local rule 5.3)", 40),
    DemoNotice(PROSECUTORS[3].bar_number, 2, 2, 2, "Illinois State's Attorneys' training", 21),
    DemoNotice(
        DEFENSE_ATTORNEYS[0].bar_number, 0, 1, 1, "Trial in People v. Haskins, Kane County", 6
    ),
    DemoNotice(DEFENSE_ATTORNEYS[0].bar_number, 4, 0, 3, "Vacation", 30, withdrawn=True),
    DemoNotice(DEFENSE_ATTORNEYS[1].bar_number, 3, 0, 5, "Family leave", 12),
    DemoNotice(DEFENSE_ATTORNEYS[7].bar_number, 1, 3, 4, "Vacation", 55),
    DemoNotice(
        DEFENSE_ATTORNEYS[11].bar_number,
        0,
        2,
        3,
        "Trial in United States v. Corcoran, N.D. Ill.",
        9,
    ),
    DemoNotice(DEFENSE_ATTORNEYS[2].bar_number, 5, 0, 5, "Continuing legal education", 18),
    DemoNotice(PROSECUTORS[5].bar_number, 2, 0, 3, "Medical appointment and recovery", 4),
)


# --- defendants' names -----------------------------------------------------------------------
# (weight, interpreter language, chance that a defendant of this group needs one,
#  last names, male first names, female first names)

NAME_GROUPS = (
    (
        52,
        None,
        0.0,
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
        "Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright "
        "Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell "
        "Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson "
        "Bailey Reed Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes "
        "Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Bell Coleman "
        "Butler Henderson Barnes Fisher Washington Jefferson Freeman Dixon Hayes Gibson Ellis "
        "Graham Wallace Hamilton Holmes Olson Larson Schmidt Schneider Becker Hoffmann O'Brien "
        "Fitzgerald Donnelly McCarthy Gallagher Kowal Lindgren Bauer Weber Wagner",
        "James Michael Robert John David William Richard Joseph Thomas Christopher Charles Daniel "
        "Matthew Anthony Mark Donald Steven Andrew Joshua Kevin Brian Tyler Brandon Justin Ryan "
        "Jacob Nicholas Eric Jonathan Cody Darnell DeShawn Jamal Marcus Terrence Andre Malik "
        "Tyrone Dante Xavier Dustin Travis Shane Corey Derrick",
        "Mary Jennifer Linda Patricia Elizabeth Susan Jessica Sarah Karen Ashley Amanda Melissa "
        "Stephanie Rebecca Laura Emily Megan Brittany Tiffany Keisha Latoya Aaliyah Imani Jasmine "
        "Destiny Shanice Crystal Heather Kayla Amber Tasha Monique Courtney Danielle",
    ),
    (
        26,
        "Spanish",
        0.3,
        "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores "
        "Rivera Gomez Diaz Reyes Morales Cruz Ortiz Gutierrez Chavez Ramos Castillo Mendoza Vargas "
        "Jimenez Ruiz Alvarez Romero Medina Aguilar Herrera Salazar Contreras Guerrero Estrada "
        "Navarro Soto Vega Castro Ochoa Villanueva Zamora Cervantes Espinoza Ibarra Cisneros",
        "José Juan Luis Carlos Jorge Miguel Alejandro Jesús Francisco Ricardo Eduardo Fernando "
        "Javier Roberto Héctor Raúl Sergio Manuel Omar Adrián Diego Mario Pedro Arturo Santiago",
        "María Guadalupe Rosa Ana Carmen Verónica Alejandra Leticia Gabriela Daniela Yesenia "
        "Mariana Lucía Elena Adriana Claudia Isabel Marisol Brenda",
    ),
    (
        6,
        "Polish",
        0.3,
        "Kowalski Nowak Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
        "Nowakowski Pawlak Michalski Sikora Wróbel",
        "Piotr Krzysztof Andrzej Tomasz Paweł Marcin Michał Grzegorz Jakub Łukasz Marek Kamil",
        "Anna Katarzyna Małgorzata Agnieszka Magdalena Joanna Ewa Monika Barbara Dorota",
    ),
    (
        3,
        "Vietnamese",
        0.4,
        "Nguyen Tran Le Pham Hoang Phan Vu Dang Bui Do Ho Ngo Duong Ly",
        "Minh Tuan Hung Duc Quang Thanh Long Khoa Bao Huy",
        "Linh Lan Mai Thao Huong Ngoc Trang Hanh Thu Vy",
    ),
    (
        3,
        "Arabic",
        0.25,
        "Haddad Khalil Mansour Nasser Saleh Hassan Ibrahim Aziz Farah Yousef Qasim Hamdan",
        "Ahmed Mohammed Omar Khaled Samir Yusuf Tariq Karim Bilal",
        "Fatima Layla Noor Amira Rania Huda Yasmin Salma",
    ),
    (
        2,
        "Mandarin",
        0.3,
        "Chen Wang Li Zhang Liu Huang Zhao Wu Zhou Lin Xu Sun",
        "Wei Jun Hao Lei Jian Tao Ming",
        "Mei Xiu Ying Lan Hui Fang Jing",
    ),
    (
        2,
        "Korean",
        0.25,
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim",
        "Min-jun Seo-jun Ji-ho Hyun-woo Dong-hyun Sung-min",
        "Seo-yeon Ji-woo Min-seo Eun-ji Soo-ah Ha-eun",
    ),
    (
        3,
        "Ukrainian",
        0.3,
        "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Koval Oliynyk Moroz",
        "Oleksandr Dmytro Andriy Serhiy Ivan Mykola Yuriy Taras",
        "Olena Nataliya Iryna Svitlana Tetiana Oksana Yulia",
    ),
    (
        3,
        "Gujarati",
        0.15,
        "Patel Shah Desai Mehta Joshi Trivedi Parikh Modi Bhatt Chauhan",
        "Rahul Amit Vikram Sanjay Ravi Nikhil Hitesh Kiran",
        "Priya Anjali Neha Pooja Kavita Hetal Nisha",
    ),
)

# Polish surnames take a feminine form.
FEMININE_ENDINGS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))
