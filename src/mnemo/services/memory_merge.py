"""Keep memories clean: a near-duplicate is not added; a contradiction supersedes the old fact.

"Lives in Berlin" after "Lives in Paris" supersedes it (the old one stays, marked, pointing at
the new one). Only single-valued facts can contradict: where one lives, works, what one's job
is, whom one is married to. Allergies and likes accumulate instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz

from mnemo.models.conversation import NewMemoryText
from mnemo.models.memory import Memory

DUPLICATE_SIMILARITY = 88

_SINGLE_VALUED = {
    "residence": re.compile(r"\b(?:lives?|living|moved|resides?) (?:in|at|to) (?P<value>[\w' -]+)", re.IGNORECASE),
    "employer": re.compile(r"\b(?:works?|working|employed) (?:at|for) (?P<value>[\w' &-]+)", re.IGNORECASE),
    "job": re.compile(r"\b(?:works? as|job is|job title is) (?P<value>[\w' -]+?)(?: at | for |$)", re.IGNORECASE),
    "spouse": re.compile(r"\b(?:married to|wife is|husband is) (?P<value>[\w' -]+)", re.IGNORECASE),
}


@dataclass
class MergePlan:
    add: list[Memory] = field(default_factory=list)
    supersede: dict[str, str] = field(default_factory=dict)  # old memory id -> the id that replaces it


def plan_merge(
    uid: str, conversation_id: str, incoming: list[NewMemoryText], existing: list[Memory], now: datetime
) -> MergePlan:
    plan = MergePlan()
    known = list(existing)
    for new in incoming:
        content = new.content.strip()
        if any(_same_fact(content, old.content) for old in known):
            continue
        memory = Memory(uid=uid, content=content, category=new.category, conversation_id=conversation_id,
                        created_at=now, updated_at=now)
        for old in known:
            if old.id not in plan.supersede and old.superseded_by is None and _contradicts(content, old.content):
                plan.supersede[old.id] = memory.id
        plan.add.append(memory)
        known.append(memory)
    return plan


def _same_fact(new: str, old: str) -> bool:
    return fuzz.token_set_ratio(new.lower(), old.lower()) >= DUPLICATE_SIMILARITY


def _contradicts(new: str, old: str) -> bool:
    for pattern in _SINGLE_VALUED.values():
        fresh, stale = pattern.search(new), pattern.search(old)
        if fresh and stale and _value(fresh) != _value(stale):
            return True
    return False


def _value(match: re.Match[str]) -> str:
    return " ".join(match.group("value").lower().split()[:3])
