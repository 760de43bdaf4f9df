"""docs/codebook.md's generated tables, rendered from the codebook and the stance lexicon;
``python -m kzcrisis.codebook --check|--write``.

>>> sorted(render_sections())
['acts', 'categories', 'constants', 'labels']
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from ..errors import ResourceError
from ..paths import resource
from ..stance import load_stance_lexicon
from . import CODEBOOK_FILE, DOC, LABELS, Codebook, load_codebook

# --------------------------------------------------------------------------- docs


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _fmt(w: float) -> str:
    return f"{w:+.2f}".replace("+0.00", "0")


def render_sections(cb: Codebook | None = None, lexicon=None) -> dict[str, str]:
    """The generated sections of docs/codebook.md: ``labels``, ``constants``,
    ``categories`` (each lexicon category with its cue rows' targets and weights) and
    ``acts``, as Markdown tables."""
    cb = cb or load_codebook()
    table = (lexicon if lexicon is not None else load_stance_lexicon()).table
    out = {}
    rows = ["| label | rule | intervention | protesters | example |", "|---|---|---|---|---|"]
    for lab in LABELS:
        d = cb.labels[lab]
        rows.append(f"| `{lab}` | {_cell(d['rule'])} | {_cell(d['intervention'])} | "
                    f"{_cell(d['protesters'])} | {_cell(d['example'])} |")
    out["labels"] = "\n".join(rows)
    out["constants"] = "\n".join([
        "| constant | value | used for |", "|---|---|---|",
        f"| `support_min` | {cb.support_min} | score ≥ it: support |",
        f"| `oppose_max` | {cb.oppose_max} | score ≤ it: oppose |",
        f"| `negation_factor` | {cb.negation_factor} | a negated cue's weight is multiplied by it |",
        f"| `negation_window` | {cb.negation_window} | words before a cue where a negator counts |",
        f"| `scope_words` | {cb.scope_words} | words after a judgement or rejection that are its object |",
        f"| `subject_scope_words` | {cb.subject_scope_words} | words between an act and a judgement after it that takes it as subject |",
        f"| `caution_categories` | {', '.join(sorted(cb.caution_categories))} | a match makes a score in (oppose_max, support_min) a caution |",
        f"| `act_object_categories` | {', '.join(sorted(cb.act_object_categories))} | cues that are a fixed act's own object, not counted again |",
        f"| `caution_floor` | {cb.caution_floor:+.2f} | the lowest score the caution categories' cues reach together (concern and restraint alone are caution, not opposition) |",
        f"| `rejected_judgements` | {', '.join(sorted(cb.rejected_judgements))} | judgements that a rejection governing them turns around (لا نقبل التشكيك في شرعية المهمة) |",
        "| `verb_default` | " + ", ".join(f"{k} {_fmt(v)}" for k, v in cb.verb_default.items())
        + " | a cue verb's score for a target named without a weighted cue |",
        f"| `confidence_level`, `n_resamples`, `seed` | {cb.confidence_level}, "
        f"{cb.n_resamples}, {cb.seed} | the bootstrap interval of a group's mean score |",
        "| `label_scores` | " + ", ".join(f"{k} {_fmt(v)}" for k, v in cb.label_scores.items())
        + " | the score of a human code that differs from the automatic label |"])
    rows = ["| category | definition | cues: target weight (kind) | examples |",
            "|---|---|---|---|"]
    for name, d in cb.categories.items():
        cues = table[table["category"] == name]
        desc = "; ".join(f"`{r.cue_id}`: {r.target} {_fmt(r.weight)} ({r.kind})"
                         for r in cues.itertuples(index=False))
        rows.append(f"| `{name}` | {_cell(d['definition'])} | {desc or '—'} | "
                    f"{_cell('، '.join(d['examples']))} |")
    out["categories"] = "\n".join(rows)
    rows = ["| act | definition | target weight (mode) | verbs | object | example |",
            "|---|---|---|---|---|---|"]
    for a in cb.acts.values():
        rows.append(f"| `{a.name}` | {_cell(a.definition)} | {a.target} {_fmt(a.weight)} "
                    f"({a.mode}) | {_cell('، '.join(a.verbs))} | "
                    f"{_cell('، '.join(a.objects)) or 'any'} | {_cell(a.example)} |")
    out["acts"] = "\n".join(rows)
    return out


_BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (\w+) -->\n)(.*?)(<!-- END GENERATED: \2 -->)",
                    re.S)


def update_markdown(text: str, sections: dict[str, str]) -> str:
    """``text`` with every generated block replaced by its section; a block without a
    section (or a section without a block) raises ResourceError."""
    found = set()

    def repl(m: re.Match) -> str:
        name = m.group(2)
        if name not in sections:
            raise ResourceError(f"{DOC}: unknown generated section {name!r}")
        found.add(name)
        return f"{m.group(1)}{sections[name]}\n{m.group(4)}"

    new = _BLOCK.sub(repl, text)
    if set(sections) - found:
        raise ResourceError(f"{DOC}: no generated block for {sorted(set(sections) - found)}")
    return new


def check_categories(cb: Codebook | None = None, lexicon=None) -> None:
    """Every category of the stance lexicon must be defined in the codebook."""
    cb = cb or load_codebook()
    table = (lexicon if lexicon is not None else load_stance_lexicon()).table
    missing = sorted(set(table["category"]) - set(cb.categories))
    if missing:
        raise ResourceError(f"{cb.path}: categories {missing} of the stance lexicon are not "
                            f"defined (add them under categories:)")


def main(argv: list[str] | None = None) -> int:
    """``python -m kzcrisis.codebook --check|--write``."""
    parser = argparse.ArgumentParser(prog="python -m kzcrisis.codebook")
    parser.add_argument("--write", action="store_true", help="regenerate docs/codebook.md")
    args = parser.parse_args(argv)
    try:
        check_categories()
        text = DOC.read_text(encoding="utf-8")
        new = update_markdown(text, render_sections())
    except ResourceError as err:
        print(f"kzcrisis: error: {err}", file=sys.stderr)
        return 2
    if args.write:
        DOC.write_text(new, encoding="utf-8")
        return 0
    if new != text:
        print(f"kzcrisis: error: {DOC} differs from {resource(CODEBOOK_FILE)}; run "
              "python -m kzcrisis.codebook --write", file=sys.stderr)
        return 1
    return 0
