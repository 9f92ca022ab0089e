#!/usr/bin/env python3
"""A tiny external checker for `bench run --system command`.

Reads one ClaimInput JSON object per line on stdin and writes one prediction per line on stdout.
Its rule is deliberately naive: a claim that names someone with a family name seen with a
different given name elsewhere in the article is flagged. Use it as a template for a checker
written in any language.

    bench run --system command --param command="python examples/surname_checker.py"
"""

import json
import re
import sys
from collections import defaultdict

NAME = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+(?:-[a-z]+)?)\b")

for line in sys.stdin:
    claim = json.loads(line)
    article = claim.get("article") or ""
    given = defaultdict(set)
    for family, first in NAME.findall(article):
        given[family].add(first)
    flagged = [f"{f} {g}" for f, g in NAME.findall(claim["claim"]) if len(given[f]) > 1]
    answer = {
        "case_id": claim["case_id"],
        "label": "refuted" if flagged else "supported",
        "errors": [{"span": s} for s in flagged],
        "confidence": 0.6 if flagged else 0.3,
    }
    print(json.dumps(answer), flush=True)
