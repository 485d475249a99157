"""Reading a comparison question: "TCH khác HNQT thế nào" compares "tch" and "hnqt".

Students ask /define for the difference between two concepts in many ways: "A khác B thế nào",
"so sánh A và B", "phân biệt A với B", "sự khác nhau giữa A và B", "A vs B", "difference
between A and B". `compared_parts` takes a folded query (bot.normalize.fold) and returns the two
things compared, or None when the query asks no comparison. Which concept answers it is the
search's business (bot.search), read from the content.
"""

from __future__ import annotations

import re

# A query compares only when it says so; "và" alone is part of many terms ("Thương mại và
# Phát triển"), so it splits the two sides but never makes a comparison by itself.
_CUE = re.compile(r"\b(?:khac|so sanh|phan biet|giong|vs|versus|compare|comparison|"
                  r"differences?|differ|distinguish)\b")
_LEAD = re.compile(
    r"^(?:hay |hay cho biet |cho biet |neu )?"
    r"(?:(?:so sanh|phan biet)(?: giua)?"
    r"|(?:diem |su |nhung diem )?(?:khac nhau|khac biet|giong nhau|giong va khac nhau)"
    r"(?: co ban)?(?: giua)?"
    r"|(?:what is |what are )?(?:the )?(?:main )?differences? between"
    r"|compare|distinguish(?: between)?)\s+")
_TAIL = re.compile(
    r"(?:\s+(?:co |thi )?(?:(?:giong nhau |giong )?va khac nhau|khac nhau|khac biet|giong nhau"
    r"|khac|giong)(?: nhau)?"
    r"(?: (?:nhu )?the nao| ra sao| o diem nao| cho nao| gi| o dau)?"
    r"|\s+(?:nhu )?the nao|\s+ra sao|\s+la gi|\s+compared)$")
_SPLIT = re.compile(r"\s+(?:khac nhau voi|khac biet voi|khac voi|khac gi voi|khac gi|so voi|"
                    r"khac|va|voi|vs|versus|and|with|from)\s+")


def compared_parts(key: str) -> tuple[str, str] | None:
    """The two sides of a comparison in a folded query, or None: "tch khac hnqt the nao" ->
    ("tch", "hnqt"); "so sanh hop tac va hoi nhap" -> ("hop tac", "hoi nhap")."""
    if not _CUE.search(key):
        return None
    body = _TAIL.sub("", _LEAD.sub("", key.strip()))
    parts = [part.strip() for part in _SPLIT.split(f" {body} ") if part.strip()]
    if len(parts) != 2 or parts[0] == parts[1]:
        return None
    return parts[0], parts[1]
