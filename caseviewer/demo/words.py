"""Small word lists the synthetic demo data is assembled from.

Names are combined from short generic lists so nothing here describes a real person or business;
the combinations are picked by seeded hashes in ``data.py``.
"""

FIRST_NAMES = (
    "Avery", "Blake", "Casey", "Dana", "Eden", "Finley", "Gray", "Harper", "Indigo", "Jules",
    "Kai", "Lane", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum",
    "Uma", "Vale", "Wren", "Xen", "Yael", "Zion",
)

LAST_NAMES = (
    "Ashford", "Birchwood", "Calloway", "Dunmore", "Elmsworth", "Fairbank", "Glenrock", "Hollis",
    "Ivesdale", "Juniper", "Kestrel", "Larkspur", "Meadows", "Northcott", "Oakhurst", "Pembrook",
    "Quarry", "Ravensby", "Stonefield", "Thornbury", "Underhill", "Valemont", "Westbrook",
    "Yarrow", "Zephyr",
)

BUSINESS_ADJECTIVES = (
    "Amber", "Blue", "Cedar", "Silver", "Golden", "Harbor", "Maple", "North", "Pine", "Quiet",
    "River", "Summit", "Sunny", "Twin", "Valley", "Willow",
)

BUSINESS_NOUNS = (
    "Apothecary", "Bakery", "Clinic", "Dental", "Fitness", "Furniture", "Grocers", "Health",
    "Logistics", "Market", "Pharmacy", "Studio", "Supply", "Tailors", "Wellness", "Works",
)

BUSINESS_SUFFIXES = ("LLC", "Inc", "Co", "Group", "Partners", "")

STREETS = ("Elm St", "Oak Ave", "Maple Rd", "Cedar Ln", "Birch Way", "Pine Ct", "Lake Dr")

CITIES = (
    ("Springfield", "IL", "627"), ("Riverton", "WY", "825"), ("Fairview", "OR", "970"),
    ("Georgetown", "TX", "786"), ("Madison", "WI", "537"), ("Salem", "MA", "019"),
)

MEDICINES = (
    ("Examplex", "10 mg"), ("Placebotin", "0.25 mg"), ("Demozepam", "5 mg"),
    ("Synthrocin", "250 mg"), ("Mockinol", "2.5 mg"), ("Fictivir", "100 mg"),
)

PRODUCTS = ("Weight Care Program", "Skin Health Plan", "Sleep Support", "Hair Restore Kit")

PHARMACIES = ("Demo Compounding Pharmacy", "Example Mail Pharmacy", "Test Rx Partners")

CARRIERS = ("UPS", "FedEx", "USPS", None)

COMMENT_SENTENCES = (
    "Patient reports mild nausea after the first week.",
    "Requested updated lab results before renewal.",
    "Insurance card uploaded; front side only.",
    "Follow-up scheduled, awaiting confirmation.",
    "Dosage adjusted per provider guidance.",
    "Shipping address confirmed by phone.",
    "Asked about switching to a monthly plan.",
)

QUESTIONS = (
    ("What is your current weight (lb)?", "NUMBER"),
    ("Do you have any known allergies?", "TEXT"),
    ("Are you currently taking any medications?", "TEXT"),
    ("How would you rate your sleep quality?", "SINGLE_CHOICE"),
    ("Have you used this treatment before?", "BOOLEAN"),
)
