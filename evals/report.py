"""Turn an evaluation run's ``results.json`` into a self-contained HTML report; compare two runs.

The report (one HTML file, inline CSS and SVG, opens offline, readable without JavaScript) shows:

* the run: benchmark, dataset, creation time, commit and settings;
* headline scores: n, correct / refused / wrong and every benchmark metric present (EM, F1,
  execution accuracy with and without tolerance);
* per breakdown dimension, a stacked bar per group (correct green, refused amber, wrong red)
  and the same figures as a table;
* a latency histogram (20 bins, log-scaled x axis when latencies span a wide range) with
  p50 / p95 / p99 marked;
* the failures, wrong before refused: question, gold, our answer, programs, citations, latency;
* optionally a comparison with an earlier run: fixed / broken / unchanged questions and the
  change of each headline metric.

:func:`summary_text` and :func:`comparison_text` give the same figures for the terminal.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

METRICS = ("em", "f1", "execution_accuracy", "execution_accuracy_tolerance")
HEADLINE = ("n", "correct", "refused", "wrong", *METRICS)
LABELS = dict(zip(METRICS, ("EM", "F1", "exec. accuracy", "exec. accuracy (tol.)"), strict=True))
COLOURS = {"correct": "#2e7d32", "refused": "#f0a030", "wrong": "#c62828"}
MAX_FAILURES = 500
BINS = 20
VERDICTS = ("correct", "refused", "wrong")
CITE = ["document", "table", "row", "column", "as_printed", "scale", "page"]


@dataclass
class Comparison:
    """Old run vs new, per question. ``same_failing`` counts questions failing in both runs;
    ``changed_failing`` lists those of them whose verdict changed (e.g. wrong -> refused)."""

    old_label: str
    fixed: list[str]
    broken: list[str]
    same_correct: int
    same_failing: int
    changed_failing: list[str]
    only_old: list[str]
    only_new: list[str]
    metric_deltas: dict[str, tuple[float, float]]
    questions: dict[str, str] = field(default_factory=dict)  # id -> question, for listings


def _num(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def pct(value: Any) -> str:
    v = _num(value)
    return "–" if v is None else f"{v:.1f}%"


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _pretty(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " | ".join(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _metrics(stats: list[dict[str, Any]]) -> list[str]:
    return [m for m in METRICS if any(_num(s.get(m)) is not None for s in stats)]


def _breakdown(results: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    raw = results["summary"].get("breakdown") or {}
    return {
        str(d): {str(k): st for k, st in g.items() if isinstance(st, dict)}
        for d, g in raw.items()
        if isinstance(g, dict)
    }


def _latencies(results: dict[str, Any]) -> list[float]:
    values = (_num(r.get("latency_ms")) for r in results.get("records") or [])
    return sorted(v for v in values if v is not None and v >= 0)


def _percentiles(results: dict[str, Any], values: list[float]) -> dict[str, float]:
    given = results["summary"].get("latency_ms")
    given = given if isinstance(given, dict) else {}
    out: dict[str, float] = {}
    for p in (50, 95, 99):
        v = _num(given.get(f"p{p}"))
        if v is None and values:  # nearest rank
            v = values[max(0, math.ceil(p / 100 * len(values)) - 1)]
        if v is not None:
            out[f"p{p}"] = v
    return out


def summary_text(results: dict[str, Any]) -> str:
    s = results["summary"]
    head = [f"{results.get('benchmark', 'run')}  n={s['n']}"]
    head += [f"{LABELS.get(k, k)} {pct(s.get(k))}" for k in HEADLINE[1:] if k in s]
    lat = _percentiles(results, _latencies(results))
    if lat:
        head.append("latency " + " ".join(f"{k} {v:.1f}ms" for k, v in lat.items()))
    lines = ["  ".join(head)]
    for dim, groups in _breakdown(results).items():
        metrics = _metrics(list(groups.values()))
        cols = [*VERDICTS, *metrics]
        width = max([len(dim), *(len(g) for g in groups)]) + 2
        lines.append("")
        widths = [max(9, len(LABELS.get(c, c)) + 2) for c in cols]
        titles = "".join(f"{LABELS.get(c, c):>{w}}" for c, w in zip(cols, widths, strict=True))
        lines.append(f"{dim:<{width}}{'n':>6}{titles}")
        for group, st in groups.items():
            row = "".join(f"{pct(st.get(c)):>{w}}" for c, w in zip(cols, widths, strict=True))
            lines.append(f"{group:<{width}}{st.get('n', '')!s:>6}{row}")
    return "\n".join(lines)


def comparison_text(c: Comparison, show: int = 20) -> str:
    def delta(key: str) -> str:
        old, new = c.metric_deltas[key]
        if key == "n":
            return f"n {old:g} -> {new:g} ({new - old:+g})"
        return f"{LABELS.get(key, key)} {old:.1f}% -> {new:.1f}% ({new - old:+.1f})"

    first = f"vs {c.old_label}: fixed {len(c.fixed)}, broken {len(c.broken)}, "
    first += f"unchanged {c.same_correct} correct / {c.same_failing} failing"
    lines = ["; ".join([first, *(delta(k) for k in c.metric_deltas if k == "correct")])]
    more = [delta(k) for k in c.metric_deltas if k != "correct"]
    lines += ["  " + "; ".join(more)] if more else []
    more = [f"{len(c.changed_failing)} failing with another verdict"] if c.changed_failing else []
    more += [f"{len(i)} only in {x}" for x, i in (("old", c.only_old), ("new", c.only_new)) if i]
    lines += ["  " + "; ".join(more)] if more else []
    for title, ids in (("fixed", c.fixed), ("broken", c.broken)):
        if ids and show > 0:
            lines.append(f"{title}:")
            lines += [f"  {i}  {c.questions.get(i, '')}" for i in ids[:show]]
            if len(ids) > show:
                lines.append(f"  ... and {len(ids) - show} more")
    return "\n".join(lines)


def _keyed(records: list[dict[str, Any]], by_id: bool) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    for r in records:
        key = str(r["id"] if by_id else r.get("question", ""))
        seen[key] += 1  # repeated questions: "text", "text #2", ...
        out[key if seen[key] == 1 else f"{key} #{seen[key]}"] = r
    return out


def compare(old: dict[str, Any], new: dict[str, Any], old_label: str = "old") -> Comparison:
    """Match records by id (by question text when ids are missing or duplicated)."""
    old_records, new_records = old.get("records") or [], new.get("records") or []
    ids = [[r.get("id") for r in records] for records in (old_records, new_records)]
    by_id = all(None not in i and "" not in i and len(set(map(str, i))) == len(i) for i in ids)
    before, after = _keyed(old_records, by_id), _keyed(new_records, by_id)
    c = Comparison(old_label, [], [], 0, 0, [], [], [], {})

    def label(key: str, record: dict[str, Any]) -> str:
        name = key if by_id or record.get("id") in (None, "") else str(record["id"])
        c.questions.setdefault(name, str(record.get("question", "")))
        return name

    for key, rec in after.items():
        if key not in before:
            c.only_new.append(label(key, rec))
            continue
        was, now = before[key].get("verdict"), rec.get("verdict")
        if now == "correct" and was == "correct":
            c.same_correct += 1
        elif now == "correct":
            c.fixed.append(label(key, rec))
        elif was == "correct":
            c.broken.append(label(key, rec))
        else:
            c.same_failing += 1
            if was != now:
                c.changed_failing.append(label(key, rec))
    c.only_old = [label(key, rec) for key, rec in before.items() if key not in after]
    so, sn = old.get("summary") or {}, new.get("summary") or {}
    for key in HEADLINE:
        a, b = _num(so.get(key)), _num(sn.get(key))
        if a is not None and b is not None:
            c.metric_deltas[key] = (a, b)
    return c


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;
background:#fafafa}main{max-width:1040px;margin:0 auto;padding:1rem 1.5rem 4rem}h1{margin:0}
h2{margin-top:2.2rem;border-bottom:1px solid #ddd}.meta{color:#555}.note{color:#666}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}dd{margin:0}
pre{white-space:pre-wrap;margin:0}table{border-collapse:collapse;margin:.6rem 0;font-size:.92em}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}dt{color:#666}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.big{font-size:1.9rem;font-weight:600}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:7rem}
.lbl{color:#666;font-size:.85em}.correct{color:#2e7d32}.refused{color:#b26a00}.wrong{color:#c62828}
svg{max-width:100%;height:auto;font-size:12px}details.failure summary{cursor:pointer}
details.failure{background:#fff;border:1px solid #ddd;border-radius:4px;margin:.3rem 0;padding:4px}
dl{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem;margin:.5rem 0}
"""

SCRIPT = """<script>(() => {
const bar = document.getElementById("filter"), text = bar.querySelector("input[type=search]");
const boxes = [...bar.querySelectorAll("input[type=checkbox]")], run = () => {
  const q = text.value.toLowerCase(), on = new Set(boxes.filter(b => b.checked).map(b => b.value));
  for (const d of document.querySelectorAll("details.failure"))
    d.hidden = !(on.has(d.dataset.verdict) && d.textContent.toLowerCase().includes(q));
};
bar.hidden = false; text.oninput = run; for (const b of boxes) b.onchange = run;
})();</script>"""


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    def cells(tag: str, row: list[str]) -> str:
        return "".join(
            f"<{tag}{' class=r' if i in right else ''}>{v}</{tag}>" for i, v in enumerate(row)
        )

    body = "".join(f"<tr>{cells('td', r)}</tr>" for r in rows)
    return f"<table><thead><tr>{cells('th', header)}</tr></thead><tbody>{body}</tbody></table>"


def _cards(cards: list[tuple[str, str, str]]) -> str:
    html = "".join(
        f'<div class="card"><div class="big {cls}">{value}</div><div class="lbl">{name}</div></div>'
        for name, value, cls in cards
    )
    return f'<div class="cards">{html}</div>'


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{text}</text>'


def _svg(cls: str, width: int, height: float, parts: list[str]) -> str:
    size = f'width="{width}" height="{height:.0f}"'
    return f'<svg class="{cls}" viewBox="0 0 {width} {height:.0f}" {size}>{"".join(parts)}</svg>'


def _bars(groups: dict[str, dict[str, Any]]) -> str:
    left, width, row = 170, 300, 26
    parts = []
    for i, (group, st) in enumerate(groups.items()):
        y, x = 10 + i * row, float(left)
        parts.append(f'<g class="bar"><title>{_e(group)}</title>')
        parts.append(_text(left - 8, y + 14, _e(group), "end"))
        for verdict in VERDICTS:
            w = width * max(0.0, min(100.0, _num(st.get(verdict)) or 0.0)) / 100
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" ')
            parts.append(f'fill="{COLOURS[verdict]}"><title>{verdict}</title></rect>')
            x += w
        label = " · ".join(f"{pct(st.get(v))} {v}" for v in VERDICTS)
        parts.append(
            _text(left + width + 8, y + 14, f"n={_e(st.get('n', '?'))} · {label}") + "</g>"
        )
    return _svg("bars", 860, 20 + row * len(groups), parts)


def _breakdown_html(results: dict[str, Any]) -> str:
    out = []
    for dim, groups in _breakdown(results).items():
        metrics = _metrics(list(groups.values()))
        header = ["group", "n", *VERDICTS, *(LABELS[m] for m in metrics)]
        rows = [
            [_e(g), _e(st.get("n", "")), *(pct(st.get(k)) for k in (*VERDICTS, *metrics))]
            for g, st in groups.items()
        ]
        out.append(f"<h3>by {_e(dim)}</h3>{_bars(groups)}{_table(header, rows, set(range(1, 9)))}")
    return "".join(out) or '<p class="note">no breakdown in this run</p>'


def _histogram(results: dict[str, Any]) -> str:
    values = _latencies(results)
    if not values:
        return '<p class="note">no latencies recorded</p>'
    log = values[0] > 0 and values[-1] / values[0] >= 50  # wide spread: log-scaled x axis

    def scale(v: float) -> float:
        return (math.log10(v) if v > 0 else lo) if log else v

    lo, hi = (math.log10(values[0]), math.log10(values[-1])) if log else (0.0, values[-1])
    hi = hi if hi > lo else lo + 1
    counts = [0] * BINS
    for v in values:
        counts[min(BINS - 1, int((scale(v) - lo) / (hi - lo) * BINS))] += 1
    x0, y0, w, h, bw, top = 60, 20, 640, 170, 640 / BINS, max(counts)
    parts = [
        f'<rect x="{x0 + i * bw + 1:.1f}" y="{y0 + h - h * c / top:.1f}" width="{bw - 2:.1f}" '
        f'height="{h * c / top:.1f}" fill="#5c7cba"><title>{c}</title></rect>'
        for i, c in enumerate(counts)
    ]
    parts += [
        f'<path d="M{x0} {y0}V{y0 + h}H{x0 + w}" fill="none" stroke="#333"/>',
        _text(x0 - 6, y0 + 10, str(top), "end"),
        _text(x0 - 6, y0 + h, "0", "end"),
        _text(x0 + w / 2, y0 + h + 36, f"latency (ms{', log scale' if log else ''})", "middle"),
        f'<text transform="translate(16 {y0 + h / 2}) rotate(-90)" text-anchor="middle">'
        "questions</text>",
    ]
    for i in range(6):
        t = 10 ** (lo + (hi - lo) * i / 5) if log else lo + (hi - lo) * i / 5
        parts.append(
            _text(x0 + w * i / 5, y0 + h + 16, f"{t:.0f}" if t >= 10 else f"{t:.2g}", "middle")
        )
    for i, (name, v) in enumerate(_percentiles(results, values).items()):
        x = min(max(x0 + (scale(v) - lo) / (hi - lo) * w, x0), x0 + w)
        parts.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + h}" stroke="#000" ')
        parts.append('stroke-dasharray="4 3"/>' + _text(x + 3, y0 + 10 + 13 * i, f"{name} {v:.1f}"))
    return _svg("histogram", 780, y0 + h + 46, parts)


def _kv(value: Any) -> str:
    return ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else ""


def _code(value: Any) -> str:
    return f"<code>{_e(value)}</code>" if value else ""


def _failure(r: dict[str, Any]) -> str:
    a: dict[str, Any] = r["answer"] if isinstance(r.get("answer"), dict) else {}
    v = a.get("value") if isinstance(a.get("value"), dict) else None
    value = f"{v.get('display', '')} ({v.get('number', '')} {v.get('unit', '')})" if v else ""
    cites = [[_e(c.get(k)) for k in CITE] for c in a.get("citations") or [] if isinstance(c, dict)]
    gold, latency = r.get("gold"), _num(r.get("latency_ms"))
    rows = [
        ("groups", _e(_kv(r.get("groups")))),
        ("doc", _e(r.get("doc"))),
        ("gold", f"<pre>{_e(_pretty(gold))}</pre>" if gold is not None else ""),
        ("scored prediction", _e(_pretty(r["prediction"])) if r.get("prediction") else ""),
        ("status", _e(a.get("status"))),
        ("answer", _e(a.get("answer"))),
        ("value", _e(value)),
        ("our program", _code(a.get("program"))),
        ("gold program", _code(r.get("gold_program"))),
        ("scores", _e(_kv(r.get("scores")))),
        ("citations", _table(CITE, cites, set()) if cites else ""),
        ("latency", f"{latency:.1f} ms" if latency is not None else ""),
    ]
    verdict = _e(r.get("verdict"))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return (
        f'<details class="failure" data-verdict="{verdict}"><summary><b class="{verdict}">'
        f"{verdict}</b> <code>{_e(r.get('id'))}</code> {_e(r.get('question'))}</summary>"
        f"<dl>{dl}</dl></details>"
    )


def _failures(results: dict[str, Any]) -> str:
    records = [r for r in results.get("records") or [] if r.get("verdict") != "correct"]
    records.sort(key=lambda r: r.get("verdict") != "wrong")  # stable: wrong first, then refused
    if not records:
        return '<p class="note">no failures</p>'
    shown = "".join(_failure(r) for r in records[:MAX_FAILURES])
    more = len(records) - MAX_FAILURES
    note = f'<p class="note">{more} more failures not shown</p>' if more > 0 else ""
    counts = Counter(str(r.get("verdict")) for r in records)
    box = '<label><input type="checkbox" value="{0}" checked> {0} ({1})</label>'
    boxes = " ".join(box.format(_e(v), n) for v, n in counts.items())
    bar = f'<p id="filter" hidden><input type="search" placeholder="filter"> {boxes}</p>'
    return f"{bar}{shown}{note}{SCRIPT}"


def _comparison_html(c: Comparison) -> str:
    counts = [("fixed", len(c.fixed)), ("broken", len(c.broken))]
    counts += [("unchanged correct", c.same_correct), ("unchanged failing", c.same_failing)]
    counts += [("failing, verdict changed", len(c.changed_failing))]
    counts += [("only in old", len(c.only_old)), ("only in new", len(c.only_new))]
    cards = [(k, str(n), "") for k, n in counts]
    out = [f"<h2>Compared with {_e(c.old_label)}</h2>{_cards(cards)}"]
    rows = []
    for key, (old, new) in c.metric_deltas.items():
        if key == "n":
            rows.append(["n", f"{old:g}", f"{new:g}", f"{new - old:+g}"])
        else:
            rows.append([LABELS.get(key, key), pct(old), pct(new), f"{new - old:+.1f}"])
    out.append(_table(["metric", "old", "new", "change"], rows, {1, 2, 3}))
    for title, ids in (("Fixed", c.fixed), ("Broken", c.broken)):
        if ids:
            items = [f"<li>{_code(i)} {_e(c.questions.get(i))}</li>" for i in ids[:MAX_FAILURES]]
            items += [f"<li>… and {len(ids) - MAX_FAILURES} more</li>"] * (len(ids) > MAX_FAILURES)
            out.append(f"<h3>{title} ({len(ids)})</h3><ul>{''.join(items)}</ul>")
    return "".join(out)


def render_html(results: dict[str, Any], comparison: Comparison | None = None) -> str:
    summary = results["summary"]
    cards = [("n", _e(summary["n"]), ""), *((k, pct(summary.get(k)), k) for k in VERDICTS)]
    cards += [(LABELS[m], pct(summary[m]), "") for m in METRICS if _num(summary.get(m)) is not None]
    bench = _e(results.get("benchmark", "run"))
    meta = " · ".join(
        f"{k} <b>{_e(results[k])}</b>" for k in ("dataset", "created", "commit") if results.get(k)
    )
    settings = results.get("settings") or {}
    if isinstance(settings, dict) and settings:
        shown = (f"<code>{_e(k)}={_e(json.dumps(v))}</code>" for k, v in settings.items())
        meta += "<br>settings " + ", ".join(shown)
    parts = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>crossfoot · {bench}'
        f"</title><style>{CSS}</style></head><body><main>",
        f'<h1>crossfoot evaluation: {bench}</h1><p class="meta">{meta}</p>',
        f"<h2>Scores</h2>{_cards(cards)}",
        "<h2>Breakdown</h2>" + _breakdown_html(results),
        "<h2>Latency</h2>" + _histogram(results),
    ]
    if comparison is not None:
        parts.append(f'<section id="comparison">{_comparison_html(comparison)}</section>')
    parts.append(f'<section id="failures"><h2>Failures</h2>{_failures(results)}</section>')
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def write_report(
    results: dict[str, Any], out_dir: Path, compare_to: Path | None = None
) -> tuple[Path, Path, Comparison | None]:
    """Write ``results.json`` and ``report.html`` into ``out_dir``, compared with ``compare_to``."""
    comparison = None
    if compare_to is not None:
        try:
            old = json.loads(Path(compare_to).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{compare_to}: cannot read a results.json ({error})") from error
        if not (isinstance(old, dict) and isinstance(old.get("records"), list)):
            raise ValueError(f"{compare_to}: not a results.json (no 'records' list)")
        label = " ".join(str(x) for x in (compare_to, old.get("commit"), old.get("created")) if x)
        comparison = compare(old, results, old_label=label)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out_dir / "results.json", out_dir / "report.html"
    with json_path.open("w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
    html_path.write_text(render_html(results, comparison), encoding="utf-8")
    return json_path, html_path, comparison
