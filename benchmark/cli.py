"""The ``bench`` command line: a thin layer over the library (see each command's --help)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .errors import BenchError, InputError

app = typer.Typer(
    name="bench",
    help="claimbench: benchmark fact-checking systems on labelled claims from real corrupted news "
    "text. Typical flow: `bench validate`, `bench run --system kb`, `bench leaderboard`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DatasetsDir = Annotated[Path | None, typer.Option(
    "--datasets-dir", help="Folder of datasets searched first (default: ./datasets if present).",
    file_okay=False)]
ResultsDir = Annotated[Path, typer.Option(
    "--results-dir", help="Folder of run records.", file_okay=False)]
SystemsFile = Annotated[Path | None, typer.Option(
    "--systems-file", help="A systems.toml with named configurations (default: ./systems.toml).",
    dir_okay=False)]


class Setting(str, Enum):
    claim = "claim"
    article = "article"
    evidence = "evidence"


class Label(str, Enum):
    supported = "supported"
    refuted = "refuted"
    not_enough_info = "not_enough_info"


class Format(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


class BoardFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


def _echo_err(msg: str) -> None:
    typer.echo(msg, err=True)


# ----------------------------------------------------------------------------- datasets

@app.command()
def datasets(datasets_dir: DatasetsDir = None) -> None:
    """List the datasets found: version, content hash, cases per label and per error category."""
    from .dataset import Dataset
    from .paths import list_dataset_dirs
    from .records import CATEGORIES, LABELS
    from .render import text_table

    rows = []
    for name, path in list_dataset_dirs(datasets_dir).items():
        ds = Dataset.load(str(path))
        cases = ds.cases()
        labels = {lab: sum(c.label == lab for c in cases) for lab in LABELS}
        cats = {cat: sum(any(e.category == cat for e in c.errors) for c in cases)
                for cat in CATEGORIES}
        rows.append({
            "dataset": name, "version": ds.version, "hash": ds.hash[:12],
            "cases": str(len(cases)),
            "supported/refuted/nei": "/".join(str(labels[lab]) for lab in LABELS),
            "errors by category": ", ".join(f"{k} {v}" for k, v in cats.items() if v) or "—",
            "path": str(path),
        })
    typer.echo(text_table(rows) if rows else "No datasets found.")


@app.command()
def validate(
    dataset: Annotated[str | None, typer.Argument(help="Dataset name or folder (default: the bundled one).")] = None,
    datasets_dir: DatasetsDir = None,
) -> None:
    """Check a dataset against the schemas and for consistency; exit 1 listing every problem."""
    from .paths import find_dataset_dir
    from .validate import validate_dataset

    path = find_dataset_dir(dataset, datasets_dir)
    report = validate_dataset(path)
    if report.problems:
        for p in report.problems:
            _echo_err(str(p))
        _echo_err(f"{path.name}: {len(report.problems)} problem(s) found.")
        raise typer.Exit(1)
    counts = ", ".join(f"{v} {k}" for k, v in sorted(report.labels.items()))
    typer.echo(f"{path.name}: valid — {report.n_cases} cases ({counts}), "
               f"{report.n_evidence} evidence passages.")


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Name of the new dataset (lower-case, hyphens).")],
    article: Annotated[Path, typer.Option("--article", help="The source document (UTF-8 text).",
                                          exists=True, dir_okay=False)],
    title: Annotated[str | None, typer.Option(help="A one-line title.")] = None,
    description: Annotated[str, typer.Option(help="What the dataset is.")] = "",
    language: Annotated[str, typer.Option(help="Language code of the article.")] = "en",
    licence: Annotated[str, typer.Option(help="Licence of the annotations.")] = "unspecified",
    article_date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    datasets_dir: DatasetsDir = None,
) -> None:
    """Create an empty dataset folder for an article, ready for `bench add`."""
    from .authoring import new_dataset

    root = datasets_dir or Path("datasets")
    path = new_dataset(root, name, article, title=title, description=description,
                       language=language, licence=licence, article_date=article_date)
    typer.echo(f"Created {path}. Add cases with: bench add {name} --claim '...' --label ...")


@app.command()
def add(
    dataset: Annotated[str | None, typer.Argument(help="Dataset name or folder.")] = None,
    claim: Annotated[str | None, typer.Option(help="The claim, exactly as in article.txt.")] = None,
    label: Annotated[Label | None, typer.Option(help="The gold label.")] = None,
    error: Annotated[list[str] | None, typer.Option(
        "--error", help="An error in the claim: 'category|wrong span|correction|severity'. Repeatable.")] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="An evidence id. Repeatable.")] = None,
    rationale: Annotated[str | None, typer.Option(help="One or two sentences: why this label.")] = None,
    confidence: Annotated[str, typer.Option(help="Annotator confidence: high, medium or low.")] = "medium",
    split: Annotated[str, typer.Option(help="test or dev.")] = "test",
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A free tag. Repeatable.")] = None,
    start: Annotated[int | None, typer.Option(help="Offset of the claim in the article, when it occurs more than once.")] = None,
    case_id: Annotated[str | None, typer.Option("--id", help="Case id (default: the next free <prefix>-NNN).")] = None,
    from_file: Annotated[Path | None, typer.Option("--from-file", help="Add every case of a JSONL file (all or nothing).", dir_okay=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")] = False,
    interactive: Annotated[bool | None, typer.Option("--interactive/--no-interactive", help="Prompt for missing fields (default: when stdin is a terminal).")] = None,
    datasets_dir: DatasetsDir = None,
) -> None:
    """Add labelled cases: from flags, from a JSONL file, or by answering prompts.

    Offsets are computed: the claim is located in the article and each error span in the claim.
    Writes are atomic and locked, so parallel `bench add` calls never lose or corrupt cases.
    """
    from .authoring import CaseDraft, ErrorDraft, add_cases, drafts_from_file
    from .paths import find_dataset_dir

    path = find_dataset_dir(dataset, datasets_dir)
    if any(part in ("site-packages", "dist-packages") for part in path.resolve().parts):
        raise InputError(f"{path} is the installed copy of a bundled dataset and is read-only; "
                         "copy it into ./datasets (or use --datasets-dir) to extend it.")
    known_problems: list[str] = []
    if from_file is not None:
        drafts, known_problems = drafts_from_file(from_file)
    else:
        if interactive is None:
            interactive = sys.stdin.isatty()
        if interactive:
            claim, label, error, rationale = _prompt_missing(claim, label, error, rationale)
        if not claim or label is None:
            raise InputError("Give --claim and --label (or --from-file, or run in a terminal "
                             "to be prompted).")
        drafts = [("--claim", CaseDraft(
            claim=claim, label=label.value, errors=[ErrorDraft.parse(e) for e in error or ()],
            evidence=list(evidence or ()), rationale=rationale or "", confidence=confidence,
            split=split, tags=list(tag or ()), start=start, id=case_id))]
    records = add_cases(path, drafts, dry_run=dry_run, known_problems=known_problems)
    if dry_run:
        for r in records:
            typer.echo(json.dumps(r, ensure_ascii=False))
        typer.echo(f"Dry run: {len(records)} case(s) would be added to {path}; nothing written.")
    else:
        ids = ", ".join(r["id"] for r in records)
        typer.echo(f"Added {len(records)} case(s) to {path}: {ids}.")


def _prompt_missing(claim, label, errors, rationale):
    from .records import CATEGORIES, SEVERITIES

    if not claim:
        claim = typer.prompt("Claim (exact text from the article)")
    if label is None:
        label = Label(_choose("Label", [lab.value for lab in Label]))
    if label == Label.refuted and not errors:
        errors = []
        while True:
            span = typer.prompt("Wrong span (empty to finish)", default="", show_default=False)
            if not span:
                if errors:
                    break
                continue
            cat = _choose("Category", list(CATEGORIES))
            corr = typer.prompt("Correction (empty to delete the span)", default="",
                                show_default=False)
            sev = _choose("Severity", list(SEVERITIES), default="major")
            errors.append(f"{cat}|{span}|{corr}|{sev}")
    if not rationale:
        rationale = typer.prompt("Rationale (why this label)")
    return claim, label, errors, rationale


def _choose(question: str, choices: list[str], default: str | None = None) -> str:
    """Prompt until the answer is one of ``choices`` (a number picks by position)."""
    menu = ", ".join(f"{i}={c}" for i, c in enumerate(choices, start=1))
    while True:
        answer = str(typer.prompt(f"{question} ({menu})", default=default)).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        if answer in choices:
            return answer
        _echo_err(f"Please answer one of: {', '.join(choices)}.")


# ----------------------------------------------------------------------------- systems & runs

@app.command()
def systems(systems_file: SystemsFile = None) -> None:
    """List every system (built-in, installed plug-ins, systems.toml) and whether it can run here."""
    from .render import text_table
    from .systems import discover

    rows = []
    for name, spec in sorted(discover(systems_file).items()):
        usable, reason = spec.availability()
        rows.append({"system": name, "source": spec.source, "runner": spec.runner,
                     "usable": usable, "notes": reason or spec.description})
    typer.echo(text_table(rows))


@app.command()
def run(
    system: Annotated[str, typer.Option("--system", "-s", help="System name (see `bench systems`).")],
    dataset: Annotated[str | None, typer.Option(help="Dataset name or folder.")] = None,
    setting: Annotated[Setting, typer.Option(help="What the checker sees: claim, article (claim + article) or evidence (adds gold evidence: an oracle setting).")] = Setting.article,
    split: Annotated[str | None, typer.Option(help="Only cases of this split (test or dev).")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N cases.", min=1)] = None,
    workers: Annotated[int, typer.Option(help="Parallel calls (threads); 1 runs inline.", min=1)] = 1,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="System parameter key=value. Repeatable.")] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds before one call is recorded as timed out.", min=0.001)] = None,
    max_errors: Annotated[int | None, typer.Option(help="Stop with exit 1 after more than N failed cases.", min=0)] = None,
    out: Annotated[Path, typer.Option(help="Folder for run records.", file_okay=False)] = Path("results"),
    no_resume: Annotated[bool, typer.Option("--no-resume", help="Start a fresh run instead of resuming.")] = False,
    retry_errors: Annotated[bool, typer.Option("--retry-errors", help="On resume, call the system again for failed cases.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    systems_file: SystemsFile = None,
    datasets_dir: DatasetsDir = None,
) -> None:
    """Run a system over a dataset and record every prediction (crash-safe; reruns resume)."""
    from .dataset import Dataset
    from .engine import RunOptions, run_system
    from .systems import load_system, parse_params

    ds = Dataset.load(dataset, datasets_dir)
    spec, checker = load_system(system, parse_params(param or ()), systems_file)
    options = RunOptions(setting=setting.value, split=split, limit=limit, workers=workers,
                         timeout=timeout, max_errors=max_errors, out_dir=out,
                         resume=not no_resume, retry_errors=retry_errors, progress=not quiet)
    result = run_system(checker, ds, options, system_name=spec.name, runner=spec.runner,
                        description=spec.description)
    rec = result.record
    c = rec["counts"]
    verb = "Resumed" if result.resumed else "Ran"
    typer.echo(f"{verb} {spec.name} on {ds.name} v{ds.version} ({rec['setting']}): "
               f"{c['predicted']}/{c['selected']} cases, {c['errors']} failed, "
               f"{result.calls} system calls this time, {rec['wall_time_s']:.2f} s in all.")
    typer.echo(f"Record: {result.run_dir}")
    if rec.get("summary"):
        typer.echo(_headline_text(rec["summary"]["headline"]))


def _headline_text(headline: dict) -> str:
    from .render import estimate_text

    lines = ["Headline scores (95% bootstrap intervals):"]
    for key, est in headline.items():
        lines.append(f"  {key.replace('_', ' '):<18} {estimate_text(est)}")
    return "\n".join(lines)


@app.command("score")
def score_cmd(
    run_ref: Annotated[str, typer.Argument(metavar="RUN", help="A run folder, a predictions.jsonl file, or a system name (its latest complete run).")],
    dataset: Annotated[str | None, typer.Option(help="Dataset (default: the run's).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.", min=100)] = 1000,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 20260104,
    results_dir: ResultsDir = Path("results"),
    datasets_dir: DatasetsDir = None,
) -> None:
    """The full metric report of one run: claim, category, span and calibration metrics."""
    from .dataset import Dataset
    from .report import report_markdown, report_text
    from .runs import resolve_run
    from .scoring import score, select_cases

    run_ = resolve_run(run_ref, results_dir, dataset)
    ds = Dataset.load(dataset or run_.dataset_name, datasets_dir)
    if run_.dataset_hash and run_.dataset_hash != ds.hash:
        raise InputError(f"{run_.label} was made on another version of '{ds.name}' (hash "
                         f"{run_.dataset_hash[:12]}, now {ds.hash[:12]}); rerun it to score it.")
    cases = select_cases(ds, run_.record.get("split"), run_.record.get("limit"))
    report = score(cases, run_.predictions, n_resamples=resamples, seed=seed)
    title = f"{run_.label} on {ds.name} v{ds.version}"
    if fmt == Format.json:
        typer.echo(json.dumps({"run": str(run_.path), "dataset": ds.name, **report}, indent=2))
    elif fmt == Format.markdown:
        typer.echo(report_markdown(title, report))
    else:
        typer.echo(report_text(title, report))


@app.command()
def leaderboard(
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    metric: Annotated[str, typer.Option(help="Ranking metric: accuracy, macro_f1, balanced_accuracy, strict_score, detection_rate, false_alarm_rate, span_f05.")] = "macro_f1",
    fmt: Annotated[BoardFormat, typer.Option("--format", help="Output format.")] = BoardFormat.table,
    all_runs: Annotated[bool, typer.Option("--all-runs", help="Every run, not just the latest complete one per configuration.")] = False,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.", min=100)] = 1000,
    results_dir: ResultsDir = Path("results"),
    datasets_dir: DatasetsDir = None,
) -> None:
    """Rank systems, with 95% intervals and a paired test of each against the leader."""
    from .leaderboard import board_json, board_rows, board_title, build_leaderboards
    from .render import csv_table, html_table, markdown_table, text_table

    boards = build_leaderboards(results_dir, dataset=dataset, metric=metric, all_runs=all_runs,
                                datasets_dir=datasets_dir, n_resamples=resamples)
    if not boards:
        raise InputError(f"No complete runs under {results_dir}; make one with "
                         "`bench run --system always-supported`.")
    if fmt == BoardFormat.json:
        typer.echo(json.dumps([board_json(b) for b in boards], indent=2))
        return
    parts = []
    for b in boards:
        rows = board_rows(b)
        if fmt == BoardFormat.csv:
            parts.append(f"# {board_title(b)}\n{csv_table(rows)}")
        elif fmt == BoardFormat.html:
            parts.append(html_table(rows, board_title(b)))
        elif fmt == BoardFormat.markdown:
            parts.append(f"**{board_title(b)}**\n\n{markdown_table(rows)}")
        else:
            parts.append(f"{board_title(b)}\n{text_table(rows)}")
    typer.echo("\n\n".join(parts))
    if fmt in (BoardFormat.table, BoardFormat.markdown):
        typer.echo("\nIntervals: 95% bootstrap. 'vs leader': paired bootstrap test on the ranking "
                   "metric; n.s. = not significantly different from the leader (p >= 0.05).")


@app.command()
def compare(
    run_a: Annotated[str, typer.Argument(metavar="RUN_A", help="Run folder, predictions file or system name.")],
    run_b: Annotated[str, typer.Argument(metavar="RUN_B", help="Run folder, predictions file or system name.")],
    dataset: Annotated[str | None, typer.Option(help="Dataset (default: the runs').")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.", min=100)] = 1000,
    results_dir: ResultsDir = Path("results"),
    datasets_dir: DatasetsDir = None,
) -> None:
    """Paired comparison of two runs: differences with intervals and p-values, and the cases
    where they disagree."""
    from .compare import compare_runs
    from .dataset import Dataset
    from .report import compare_text
    from .runs import resolve_run

    a = resolve_run(run_a, results_dir, dataset)
    b = resolve_run(run_b, results_dir, dataset)
    if a.dataset_name and b.dataset_name and a.dataset_name != b.dataset_name:
        raise InputError(f"{a.label} and {b.label} are on different datasets "
                         f"({a.dataset_name}, {b.dataset_name}).")
    ds = Dataset.load(dataset or a.dataset_name or b.dataset_name, datasets_dir)
    result = compare_runs(ds, a, b, n_resamples=resamples)
    if fmt == Format.json:
        typer.echo(json.dumps(result, indent=2))
    else:
        typer.echo(compare_text(result, markdown=fmt == Format.markdown))


@app.command()
def plot(
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the figures.", file_okay=False)] = Path("figures"),
    metric: Annotated[str, typer.Option(help="Metric of the leaderboard figure.")] = "macro_f1",
    results_dir: ResultsDir = Path("results"),
    datasets_dir: DatasetsDir = None,
) -> None:
    """Figures (PNG and SVG): leaderboard with intervals, category heatmap, confusion matrices,
    reliability diagrams."""
    from .leaderboard import build_leaderboards
    from .plots import write_figures

    boards = build_leaderboards(results_dir, dataset=dataset, metric=metric,
                                datasets_dir=datasets_dir)
    boards = [b for b in boards if b.current]
    if not boards:
        raise InputError(f"No complete runs on a current dataset under {results_dir}.")
    paths = write_figures(boards, out)
    for p in paths:
        typer.echo(str(p))


# ----------------------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors become one sentence and an exit code (tracebacks with --debug)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
    try:
        rc = app(args=args, prog_name="bench", standalone_mode=False)
        return rc if isinstance(rc, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _echo_err("Aborted.")
        return 1
    except _usage_errors() as exc:
        exc.show()
        return 2
    except BenchError as exc:
        if debug:
            raise
        _echo_err(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _echo_err("Interrupted; run the same command again to resume.")
        return 130


def _usage_errors() -> type[Exception]:
    try:
        from typer._click.exceptions import ClickException  # typer that vendors click
    except ImportError:  # pragma: no cover - typer releases that depend on click
        from click.exceptions import ClickException
    return ClickException


def entry() -> None:
    sys.exit(main())


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    """claimbench: benchmark fact-checking systems on labelled claims from real corrupted news."""
