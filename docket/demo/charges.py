"""Illinois-style charges for the demo court: statute, description, severity class.

Illinois classes map onto the shared severity vocabulary: Class X and Class 1 felonies to
`felony_1`, Class 2 to `felony_2` and so on; misdemeanors keep their class letter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offense:
    statute: str
    description: str
    severity_class: str
    weight: int = 1
    # 0 routine, 1 ordinary, 2 heavy: biases the case's track (expedited / standard / complex).
    complexity: int = 1
    # Charges that usually come with this one as further counts.
    companions: tuple[str, ...] = ()


_PARAPHERNALIA = "720 ILCS 600/3.5(a)"
_RESISTING = "720 ILCS 5/31-1(a)"
_DWLS = "625 ILCS 5/6-303(a)"
_DUI = "625 ILCS 5/11-501(a)(2)"
_DUI_BAC = "625 ILCS 5/11-501(a)(1)"
_THEFT_MISD = "720 ILCS 5/16-1(a)(1)/M"
_DAMAGE_MISD = "720 ILCS 5/21-1(a)(1)/M"
_BATTERY = "720 ILCS 5/12-3(a)(1)"
_TRESPASS = "720 ILCS 5/21-3(a)(1)"
_AUUW = "720 ILCS 5/24-1.6(a)(1)"
_UPWF = "720 ILCS 5/24-1.1(a)"
_PCS = "720 ILCS 570/402(c)"
_BURGLARY_TOOLS = "720 ILCS 5/19-2(a)"

FELONIES = (
    Offense(
        _PCS,
        "Possession of a controlled substance",
        "felony_4",
        18,
        0,
        (_PARAPHERNALIA, _RESISTING),
    ),
    Offense("720 ILCS 5/16-25(a)(1)", "Retail theft (over $300)", "felony_3", 8, 0, (_RESISTING,)),
    Offense(
        "720 ILCS 5/19-1(a)",
        "Burglary",
        "felony_2",
        10,
        1,
        (_BURGLARY_TOOLS, _THEFT_MISD, _DAMAGE_MISD),
    ),
    Offense(
        "720 ILCS 5/19-3(a)",
        "Residential burglary",
        "felony_1",
        5,
        1,
        ("720 ILCS 5/16-1(a)(1)", _DAMAGE_MISD),
    ),
    Offense(
        "720 ILCS 5/12-3.05(a)(1)",
        "Aggravated battery (great bodily harm)",
        "felony_3",
        7,
        1,
        (_BATTERY, _RESISTING),
    ),
    Offense(
        "720 ILCS 5/12-3.05(d)(4)",
        "Aggravated battery of a peace officer",
        "felony_2",
        3,
        1,
        (_RESISTING,),
    ),
    Offense(_AUUW, "Aggravated unlawful use of a weapon", "felony_4", 8, 1, (_UPWF, _RESISTING)),
    Offense(_UPWF, "Unlawful possession of a weapon by a felon", "felony_3", 6, 1, (_AUUW, _PCS)),
    Offense("720 ILCS 5/16-1(a)(1)", "Theft (over $500)", "felony_3", 6, 1, ()),
    Offense(
        "625 ILCS 5/11-501(d)(1)(A)",
        "Aggravated driving under the influence",
        "felony_4",
        5,
        1,
        (_DUI, _DUI_BAC, _DWLS),
    ),
    Offense("720 ILCS 5/18-1(a)", "Robbery", "felony_2", 4, 1, (_BATTERY,)),
    Offense("720 ILCS 5/18-2(a)(2)", "Armed robbery (firearm)", "felony_1", 3, 2, (_UPWF, _AUUW)),
    Offense(
        "720 ILCS 570/401(c)(2)",
        "Manufacture or delivery of a controlled substance (cocaine, 1 to 15 grams)",
        "felony_1",
        4,
        2,
        (_PCS, _PARAPHERNALIA),
    ),
    Offense(
        "625 ILCS 5/4-103(a)(1)",
        "Possession of a stolen motor vehicle",
        "felony_2",
        3,
        1,
        (_DWLS, _RESISTING),
    ),
    Offense("720 ILCS 5/17-3(a)(1)", "Forgery", "felony_3", 2, 1, ()),
    Offense("720 ILCS 5/16-30(a)(1)", "Identity theft", "felony_3", 2, 2, ()),
    Offense(
        "720 ILCS 5/12-3.3(a)",
        "Aggravated domestic battery",
        "felony_2",
        3,
        1,
        ("720 ILCS 5/12-3.2(a)(1)",),
    ),
    Offense("720 ILCS 5/12-7.3(a)(1)", "Stalking", "felony_4", 1, 1, ()),
    Offense("720 ILCS 5/9-1(a)(1)", "First degree murder", "felony_1", 1, 2, (_UPWF,)),
    Offense(
        "720 ILCS 5/21-1(a)(1)",
        "Criminal damage to property (over $500)",
        "felony_4",
        3,
        0,
        (_TRESPASS,),
    ),
)

MISDEMEANORS = (
    Offense(
        _DUI, "Driving under the influence of alcohol", "misdemeanor_a", 16, 0, (_DUI_BAC, _DWLS)
    ),
    Offense(
        "720 ILCS 5/12-3.2(a)(1)",
        "Domestic battery (bodily harm)",
        "misdemeanor_a",
        12,
        0,
        (_BATTERY, "720 ILCS 5/26-1(a)(1)"),
    ),
    Offense(_BATTERY, "Battery (bodily harm)", "misdemeanor_a", 8, 0, (_RESISTING,)),
    Offense("720 ILCS 5/16-25(a)(1)/M", "Retail theft (not over $300)", "misdemeanor_a", 12, 0, ()),
    Offense(
        _DAMAGE_MISD,
        "Criminal damage to property (not over $500)",
        "misdemeanor_a",
        6,
        0,
        (_TRESPASS,),
    ),
    Offense(_DWLS, "Driving while license suspended or revoked", "misdemeanor_a", 8, 0, ()),
    Offense(_RESISTING, "Resisting or obstructing a peace officer", "misdemeanor_a", 6, 0, ()),
    Offense(_TRESPASS, "Criminal trespass to real property", "misdemeanor_b", 5, 0, ()),
    Offense(_PARAPHERNALIA, "Possession of drug paraphernalia", "misdemeanor_a", 5, 0, ()),
    Offense("720 ILCS 5/26-1(a)(1)", "Disorderly conduct", "misdemeanor_c", 5, 0, ()),
    Offense(
        "720 ILCS 5/12-2(c)(1)",
        "Aggravated assault (deadly weapon)",
        "misdemeanor_a",
        3,
        0,
        (_RESISTING,),
    ),
    Offense(_THEFT_MISD, "Theft (not over $500)", "misdemeanor_a", 6, 0, ()),
    Offense("720 ILCS 5/12-1(a)", "Assault", "misdemeanor_c", 3, 0, ()),
)

# Companion-only offenses (never a lead charge).
_EXTRA = (
    Offense(
        _DUI_BAC, "Driving with a blood alcohol concentration of 0.08 or more", "misdemeanor_a"
    ),
    Offense(_BURGLARY_TOOLS, "Possession of burglary tools", "felony_4"),
)

# Two offenses share a statute with different grades ("/M" marks the misdemeanor grade in the
# key only); the statute written on the charge drops the marker.
BY_KEY: dict[str, Offense] = {}
for _offense in (*_EXTRA, *MISDEMEANORS, *FELONIES):
    BY_KEY.setdefault(_offense.statute, _offense)


# Offenses one commits alone: no codefendants (a burglary crew, yes; a drunk driver, no).
SOLO_OFFENSES = frozenset(
    {
        _DUI,
        "625 ILCS 5/11-501(d)(1)(A)",
        _DWLS,
        "720 ILCS 5/12-3.2(a)(1)",
        "720 ILCS 5/12-3.3(a)",
        "720 ILCS 5/12-7.3(a)(1)",
        _UPWF,
    }
)


def statute_of(offense: Offense) -> str:
    return offense.statute.removesuffix("/M")
