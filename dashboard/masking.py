"""What a masked role (city analyst, county leader) may see of a person: ID numbers cut to
`410402********123X` and sensitive difficulty categories (disabled, community corrections, drug
rehabilitation) shown only as 就业困难人员.

Masking happens on the server before anything is rendered or exported, so the browser of a
masked role never receives a full ID. Anything that looks like an ID attempt is masked, valid or
not: a quarantined row's key is often a malformed ID and is personal data all the same.
"""

from __future__ import annotations

import re

from dashboard.labels import DIFFICULTY_CATEGORY_NAMES, GENERIC_DIFFICULTY_LABEL, SENSITIVE_CATEGORIES

MASK = "********"
# a run of 15 or more ID characters (digits, with an X anywhere): resident IDs (18), the old
# 15-digit IDs and mistyped ones (16, 17, 19 characters) alike; 12-digit community codes stay
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9Xx]{15,}(?![0-9A-Za-z])")
# a whole resident ID: area code, a 19xx/20xx birth date, sequence and check character
FULL_ID = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
                     r"[0-9]{3}[0-9Xx](?![0-9Xx])")


def mask_id(value: str | None) -> str | None:
    """'41040219850505001X' -> '410402********001X': first 6 + 8 stars + last 4. A value too short
    to keep 10 characters without giving itself away is hidden whole."""
    if value is None:
        return None
    text = value.strip()
    if len(text) < 15:
        return "*" * len(text)
    return text[:6] + MASK + text[-4:]


def mask_ids_in_text(text: str | None) -> str | None:
    """Every ID-like run inside free text masked (a quarantine key, a worklist detail)."""
    if text is None:
        return None
    return ID_LIKE.sub(lambda m: mask_id(m.group(0)) or "", text)


def mask_person_key(key: str | None) -> str | None:
    """A quarantined row's key whose first part is a person_id ('<id>;disabled'): that part is
    masked whatever it looks like, the rest as free text."""
    if key is None:
        return None
    first, sep, rest = key.partition(";")
    return (mask_id(first) or "") + sep + (mask_ids_in_text(rest) or "")


def category_labels(categories: str | None, masked: bool) -> str:
    """'age_4050;drug_rehab' -> '“4050”人员、戒毒康复人员', or for a masked role
    '就业困难人员、“4050”人员' (the sensitive ones collapse into the generic label, listed once)."""
    if not categories:
        return ""
    labels: list[str] = []
    for code in categories.split(";"):
        code = code.strip()
        if not code:
            continue
        label = GENERIC_DIFFICULTY_LABEL if masked and code in SENSITIVE_CATEGORIES else \
            DIFFICULTY_CATEGORY_NAMES.get(code, code)
        if label not in labels:
            labels.append(label)
    if masked and GENERIC_DIFFICULTY_LABEL in labels:
        labels.remove(GENERIC_DIFFICULTY_LABEL)
        labels.insert(0, GENERIC_DIFFICULTY_LABEL)
    return "、".join(labels)


def contains_full_id(text: str) -> bool:
    """Whether text holds an 18-character ID; what tests search rendered pages for."""
    return FULL_ID.search(text) is not None
