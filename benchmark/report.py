"""Human-readable score reports and comparisons (terminal text or Markdown)."""

from __future__ import annotations

from typing import Any

from .render import estimate_text, markdown_table, text_table


def _sections(report: dict[str, Any]) -> list[tuple[str, list[dict[str, str]]]]:
    c = report["counts"]
    out = [("Counts", [{"cases": str(c["cases"]), "answered": str(c["answered"]),
                        "failed": str(c["failed"]), "missing": str(c["missing"])}])]
    out.append(("Headline metrics (95% bootstrap intervals)",
                [{"metric": k, "value [95% CI]": estimate_text(v)} for k, v in report["headline"].items()]))
    out.append(("Per label", [
        {"label": lab, "precision": estimate_text(v["precision"]), "recall": estimate_text(v["recall"]),
         "F1": estimate_text(v["f1"]), "support": str(v["support"])}
        for lab, v in report["per_label"].items()]))
    cm = report["confusion_matrix"]
    out.append(("Confusion matrix (rows: gold, columns: predicted)", [
        {"gold": row, **{col: str(n) for col, n in zip(cm["columns"], counts, strict=True)}}
        for row, counts in zip(cm["rows"], cm["matrix"], strict=True)]))
    det = [{"category": cat, "caught": f"{v['detected']}/{v['n']}",
            "detection [bootstrap]": estimate_text(v["rate"]),
            "Wilson 95%": f"[{v['wilson'][0]:.3f}, {v['wilson'][1]:.3f}]",
            "n major": str(v["n_major"]), "detection (major)": estimate_text(v["rate_major"])}
           for cat, v in report["detection"].items()]
    det.append({"category": "all errors (major)", "caught": "", "detection [bootstrap]": "",
                "Wilson 95%": "", "n major": "",
                "detection (major)": estimate_text(report["detection_rate_major"])})
    out.append(("Detection by error category", det))
    out.append(("Spans and corrections",
                [{"metric": k, "value [95% CI]": estimate_text(v)} for k, v in report["span"].items()]))
    cal = report.get("calibration")
    if cal:
        out.append((f"Calibration of P(refuted) over {cal['n']} cases",
                    [{"metric": k, "value [95% CI]": estimate_text(cal[k])}
                     for k in ("brier", "ece", "roc_auc")]))
    else:
        out.append(("Calibration", [{"note": "the system gave no confidences"}]))
    return out


NOTE = ("'—' marks an undefined value (e.g. precision of a label never predicted). Failed and "
        "missing predictions count as wrong. A bootstrap interval collapses to a point when all "
        "cases of a small group agree; the Wilson interval beside each category does not.")


def report_text(title: str, report: dict[str, Any]) -> str:
    parts = [title, "=" * len(title)]
    for head, rows in _sections(report):
        parts += ["", head, text_table(rows)]
    parts += ["", NOTE]
    return "\n".join(parts)


def report_markdown(title: str, report: dict[str, Any]) -> str:
    parts = [f"## {title}"]
    for head, rows in _sections(report):
        parts += ["", f"### {head}", "", markdown_table(rows)]
    parts += ["", NOTE]
    return "\n".join(parts)


def compare_text(result: dict[str, Any], markdown: bool = False) -> str:
    table = markdown_table if markdown else text_table
    rows = [{"metric": k, "A - B": estimate_text({"value": v["difference"], "ci_low": v["ci_low"],
                                          "ci_high": v["ci_high"]}),
             "p": "—" if v["p_value"] is None else f"{v['p_value']:.3f}"}
            for k, v in result["metrics"].items()]
    m = result["mcnemar"]
    lines = [f"A = {result['a']}", f"B = {result['b']}", f"{result['n_cases']} paired cases", "",
             "Paired bootstrap (95% interval of the difference; two-sided p):", table(rows), "",
             f"McNemar exact test on correctness: only A right {m['only_a_right']}, only B right "
             f"{m['only_b_right']}, p = {m['p_value']:.4f}", ""]
    dis = result["disagreements"]
    lines.append(f"Cases where A and B disagree ({len(dis)}):")
    lines.append(table([{k: str(v) for k, v in d.items()} for d in dis]) if dis else "(none)")
    return "\n".join(lines)
