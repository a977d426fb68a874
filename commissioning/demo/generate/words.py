"""The invented words and themes generated data is drawn from: areas of work (themes) with their service names,
Panel areas, priorities and funds; community projects; organisation names; funders' terms and the conditions
and reasons written into agreements and repayments."""

from dataclasses import dataclass

from commissioning.demo.generate.common import CAL, CORE, CSA, SAFETY
from commissioning.funds.models import StreamReturnDate
from commissioning.strategy.models import LegalBasis


@dataclass(frozen=True)
class Theme:
    key: str
    nouns: tuple
    panel_areas: tuple  # Panel area codes, the first the main one
    priorities: tuple  # plan priority codes
    fund: str  # the leaf fund that usually pays
    weight: int
    areas: tuple  # areas of interest of organisations working in it
    ring_fenced: bool = False
    legal_basis: str = LegalBasis.PRSRA_2011_S9


VICTIM_BASIS = LegalBasis.ASBCPA_2014_S143
THEMES = (
    Theme(
        "domestic-abuse",
        (
            "Domestic Abuse Outreach",
            "Independent Domestic Violence Advisers",
            "Refuge Support Service",
            "Domestic Abuse Perpetrator Programme",
            "Stalking Advocacy Service",
            "Young People's Domestic Abuse Service",
        ),
        ("domestic-violence", "prevention-activities"),
        ("3.1", "1.1", "1.3"),
        CORE,
        22,
        ("Domestic Abuse", "Safeguarding", "Support Victims of Crime"),
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "sexual-violence",
        (
            "Independent Sexual Violence Advisers",
            "Sexual Assault Referral Centre Aftercare",
            "Sexual Violence Counselling",
            "Sexual Violence Helpline",
        ),
        ("sexual-violence", "mental-health"),
        ("3.1", "1.1"),
        CORE,
        12,
        ("Sexual Assault", "Sexual Violence", "Support Victims of Crime"),
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "child-sexual-abuse",
        (
            "Children's Independent Sexual Violence Advisers",
            "Therapeutic Support for Survivors of Child Sexual Abuse",
            "Child Sexual Abuse Recovery Service",
        ),
        ("sexual-violence", "mental-health"),
        ("3.1", "1.1"),
        CSA,
        6,
        ("Sexual Abuse", "Safeguarding", "Looked After Children"),
        ring_fenced=True,
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "victims",
        ("Victim Care Service", "Hate Crime Advocacy", "Fraud Victim Support", "Witness Support Service"),
        ("prevention-activities", "domestic-violence"),
        ("3.1", "2.1"),
        CORE,
        12,
        ("Support Victims of Crime", "Criminal Justice"),
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "restorative-justice",
        ("Restorative Justice Service", "Community Mediation", "Victim and Offender Conferencing"),
        ("restorative-justice", "offender-management"),
        ("3.3", "2.3"),
        SAFETY,
        8,
        ("Restorative Justice", "Reduce Reoffending"),
    ),
    Theme(
        "prevention",
        (
            "Youth Diversion Project",
            "Knife Crime Prevention Programme",
            "Schools Safety Education",
            "Night-time Economy Safety Scheme",
            "Rural Crime Prevention",
            "Cyber Crime Awareness",
            "Road Safety Education",
        ),
        ("prevention-activities",),
        ("1.1", "2.1", "2.2", "2.3"),
        SAFETY,
        14,
        ("Crime and Disorder", "Education", "Youth Offending"),
    ),
    Theme(
        "offender",
        (
            "Integrated Offender Management Mentoring",
            "Women's Diversion Service",
            "Out of Court Disposal Interventions",
            "Prison Leaver Housing Support",
        ),
        ("offender-management", "drugs-and-alcohol"),
        ("3.2", "1.1"),
        SAFETY,
        10,
        ("Offender Management", "Reduce Reoffending", "Homelessness"),
    ),
    Theme(
        "drugs-alcohol",
        ("Arrest Referral Service", "Alcohol Diversion Scheme", "Drug Recovery Mentoring"),
        ("drugs-and-alcohol", "offender-management"),
        ("1.2", "3.2"),
        SAFETY,
        8,
        ("Drug and Alcohol Services",),
    ),
    Theme(
        "mental-health",
        ("Street Triage Support", "Mental Health Liaison and Diversion", "Crisis Café", "Wellbeing Support"),
        ("mental-health", "prevention-activities"),
        ("1.2", "1.1"),
        SAFETY,
        8,
        ("Mental Health", "Healthcare"),
    ),
)
THEME = {theme.key: theme for theme in THEMES}
COMMUNITY_PROJECTS = (
    "Summer Youth Activities",
    "Neighbourhood Watch Equipment",
    "Community Speed Watch",
    "Boxing Club Diversion Sessions",
    "Scam Awareness for Older People",
    "Bike Marking Days",
    "Women's Safety Walks",
    "Youth Football Evenings",
    "Rural Watch Radios",
    "Hate Crime Awareness Workshops",
    "Online Safety Workshops",
    "Healthy Relationships Drama Project",
    "Allotment Project for Prison Leavers",
    "Knife Crime Awareness Assemblies",
    "Young Carers' Safety Days",
    "Village Hall Security Lighting",
    "Peer Mentoring Training",
    "Community Clean-up and Graffiti Removal",
)
# Word lists for invented organisation names: [qualifier] place + suffix + " (generated)".
PLACES = (
    "Harbour", "Wessex", "Chalk Downs", "Stour Valley", "Heathland", "Kingfisher", "Lighthouse", "Oak Tree",
    "Compass", "Anchor", "Meadowbank", "Riverside", "Haven", "Beacon", "Cliff Top", "Greensand", "Saltmarsh",
    "Three Rivers", "Hillfort", "Ridgeway", "Willow", "Heron", "Open Door", "New Leaf", "Fresh Start",
    "Stepping Stones", "Brighter Days", "Safe Harbour", "Coastline", "Moorland", "Seaview", "Bluebell",
    "Whitecliff", "Sandbank", "Northgate", "Elmwood", "Foxglove", "Millstream", "Tidewater", "Downland",
)  # fmt: skip
QUALIFIERS = ("", "North", "South", "East", "West", "Central", "Coastal", "Rural", "Town", "Valley")
VCSE_SUFFIXES = (
    ("Women's Aid", "domestic-abuse"),
    ("Domestic Abuse Service", "domestic-abuse"),
    ("Family Safety Project", "domestic-abuse"),
    ("Refuge Trust", "domestic-abuse"),
    ("Sexual Violence Support Centre", "sexual-violence"),
    ("Survivors' Network", "sexual-violence"),
    ("Children's Trust", "child-sexual-abuse"),
    ("Young Survivors Project", "child-sexual-abuse"),
    ("Victims' Help Network", "victims"),
    ("Advice Centre", "victims"),
    ("Witness Care Trust", "victims"),
    ("Mediation Service", "restorative-justice"),
    ("Restorative Practice Network", "restorative-justice"),
    ("Youth Trust", "prevention"),
    ("Youth Club", "prevention"),
    ("Sports Foundation", "prevention"),
    ("Community Trust", "prevention"),
    ("Neighbourhood Association", "prevention"),
    ("Arts Collective", "prevention"),
    ("Mentoring Project", "offender"),
    ("Rehabilitation Trust", "offender"),
    ("Housing Project", "offender"),
    ("Recovery Service", "drugs-alcohol"),
    ("Recovery Community", "drugs-alcohol"),
    ("Wellbeing Hub", "mental-health"),
    ("Counselling Service", "mental-health"),
    ("Befriending Scheme", "mental-health"),
    ("Men's Project", "domestic-abuse"),
    ("Community Interest Company", None),
    ("Community Association", None),
)
PROVIDER_SUFFIXES = (
    ("Support Services Ltd", None),
    ("Consulting Ltd", None),
    ("Social Enterprise CIC", None),
    ("Health Partnership LLP", "mental-health"),
    ("Recovery Partnership CIC", "drugs-alcohol"),
    ("Training and Mentoring Ltd", "offender"),
    ("Restorative Practice CIC", "restorative-justice"),
    ("Advocacy Services Ltd", "victims"),
    ("Care Group Ltd", "domestic-abuse"),
    ("Safety Education Ltd", "prevention"),
)
STREAM_TERMS = {
    "moj": (
        "Services for victims of crime only; the Child Sexual Abuse part is ring-fenced.",
        "Bi-annual monitoring returns counting unique victims supported; annual accounts.",
    ),
    **{
        key: ("Only for the project in the successful bid.", "Grant claims twice a year.")
        for key in CAL.home_office_keys
    },
}
# Returns and claims a funder asks for each year: (kind, (month, day), years after the year's start).
RETURN_DATES = {
    "moj": (
        (StreamReturnDate.Kind.MONITORING, (10, 31), 0),
        (StreamReturnDate.Kind.MONITORING, (4, 30), 1),
        (StreamReturnDate.Kind.ACCOUNTS, (6, 30), 1),
    ),
    "home_office": ((StreamReturnDate.Kind.CLAIM, (9, 30), 0), (StreamReturnDate.Kind.CLAIM, (3, 31), 1)),
}
PAYMENT_TERMS = {"quarterly": "Quarterly in arrears", "monthly": "Monthly in arrears", "advance": "In full on signing"}
GRANT_CONDITIONS = (
    "Spend only on the purpose in the award letter; quarterly KPI returns with the minimum dataset; "
    "an end-of-grant report within two months of the end."
)
REPAYMENT_CONDITIONS = (
    "Money not spent, or spent other than on the agreed purpose, is repaid to the OPCC "
    "(Police Reform and Social Responsibility Act 2011, s9(3))."
)
REPAYMENT_REASONS = (
    "Unspent grant at the end of the project, returned under the repayment condition",
    "End-of-grant report not provided, so condition 4 was not met",
    "Part of the project did not go ahead; money for that part returned",
)
