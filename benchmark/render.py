"""Rendering rows of strings as a terminal table, Markdown, CSV or HTML."""

from __future__ import annotations

import csv
import html
import io


def text_table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "(no rows)"
    cols = list(rows[0])
    widths = {c: max(len(c), *(len(r.get(c, "")) for r in rows)) for c in cols}
    line = "  ".join(c.ljust(widths[c]) for c in cols).rstrip()
    rule = "  ".join("-" * widths[c] for c in cols)
    body = ["  ".join(r.get(c, "").ljust(widths[c]) for c in cols).rstrip() for r in rows]
    return "\n".join([line, rule, *body])


def markdown_table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "_(no rows)_"
    cols = list(rows[0])

    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    out = ["| " + " | ".join(esc(c) for c in cols) + " |",
           "|" + "|".join("---" for _ in cols) + "|"]
    out += ["| " + " | ".join(esc(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(out)


def csv_table(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def html_table(rows: list[dict[str, str]], caption: str = "") -> str:
    cols = list(rows[0]) if rows else []
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(r.get(c, ''))}</td>" for c in cols) + "</tr>"
        for r in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def estimate_text(est: dict[str, float | None] | None, digits: int = 3) -> str:
    """'0.868 [0.779, 0.941]' from {value, ci_low, ci_high}; '—' when undefined."""
    if not est or est.get("value") is None:
        return "—"
    v = f"{est['value']:.{digits}f}"
    if est.get("ci_low") is None:
        return v
    return f"{v} [{est['ci_low']:.{digits}f}, {est['ci_high']:.{digits}f}]"
