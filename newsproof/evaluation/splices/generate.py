"""The seeded splice generator: real facts, spliced and accurate articles in six formats."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from newsproof.errors import ConfigError, Errors
from newsproof.evaluation.splices import events, offices, people
from newsproof.evaluation.splices.cases import SPLITS, TYPES, Case, Side, Splice, split_of
from newsproof.evaluation.splices.facts import Facts
from newsproof.evaluation.splices.render import FORMATS, render

Builder = Callable[[Facts, random.Random], Iterator[Splice]]
BUILDERS: dict[str, list[Builder]] = {
    "death_date": [people.death_date],
    "death_place": [people.death_place],
    "posthumous_action": [people.posthumous_action],
    "office_out_of_term": [offices.office_out_of_term],
    "former_misuse": [offices.former_misuse],
    "event_date": [events.event_date],
    "victim_swap": [people.victim_swap],
    "quote_swap": [events.quote_swap],
    "number_change": [people.age_change, events.toll_change],
}
PER_TYPE = 64


def check_names(values: Iterable[str] | None, allowed: tuple[str, ...], option: str) -> tuple[str, ...]:
    """Validate a --types/--formats list (None: all)."""
    if not values:
        return allowed
    chosen = tuple(v.strip() for v in values if v.strip())
    for value in chosen:
        if value not in allowed:
            raise ConfigError(Errors.E301.format(value=value, name=option, choices=", ".join(allowed)))
    return chosen


def generate(data: Path, *, seed: int = 0, per_type: int = PER_TYPE, split: str = "all",
             types: Iterable[str] | None = None, formats: Iterable[str] | None = None) -> list[Case]:
    """Spliced articles and their accurate controls, `per_type` pairs per splice type, in `split`.

    The same seed gives the same articles byte for byte; choosing a split, types or formats only
    filters what the full generator makes, so a case never changes with the selection.
    """
    if split not in ("all", *SPLITS):
        raise ConfigError(Errors.E301.format(value=split, name="--split", choices="all, " + ", ".join(SPLITS)))
    chosen_types = check_names(types, TYPES, "--types")
    chosen_formats = check_names(formats, FORMATS, "--formats")
    facts = Facts(data)
    cases: list[Case] = []
    for kind in TYPES:
        if kind not in chosen_types:
            continue
        for i, splice in enumerate(_draw(kind, facts, seed, per_type)):
            fmt = FORMATS[(i + TYPES.index(kind)) % len(FORMATS)]
            if fmt not in chosen_formats or (split != "all" and split_of(splice.key) != split):
                continue
            base = f"{kind}-{i:03d}"
            filler = random.Random(f"{seed}:{splice.key}:filler").sample(facts.filler, 5)
            for kind_of, side in (("spliced", splice.spliced), ("control", splice.true)):
                cases.append(_case(f"{base}-{kind_of}", kind_of, splice, side, fmt, seed, filler))
    return cases


def _draw(kind: str, facts: Facts, seed: int, per_type: int) -> list[Splice]:
    rng = random.Random(f"{seed}:{kind}")
    streams = [builder(facts, rng) for builder in BUILDERS[kind]]
    seen: set[str] = set()
    out: list[Splice] = []
    for splice in itertools.chain.from_iterable(zip(*streams, strict=False)) if len(streams) > 1 \
            else streams[0]:
        if splice.key in seen or splice.true.value == splice.spliced.value:
            continue
        seen.add(splice.key)
        out.append(splice)
        if len(out) >= per_type:
            break
    return out


def _case(case_id: str, kind: str, splice: Splice, side: Side, fmt: str, seed: int, pool: list[str]) -> Case:
    """One article: the fact sentence, then two to five ordinary news sentences (the same ones for a
    fact's spliced and accurate article), laid out in format `fmt`."""
    rng = random.Random(f"{seed}:{case_id}")
    article_date = side.fact_date + dt.timedelta(days=rng.randint(0, 2))
    anchor = None if fmt == "no_date" else article_date
    sentence = side.write(anchor, rng)
    filler = pool[:2 + random.Random(splice.key).randint(0, 3)]
    first = [sentence] + filler[:1]
    second = splice.background + filler[1:3]
    paragraphs = [" ".join(first)] + ([" ".join(second)] if second else []) + \
        ([" ".join(filler[3:])] if filler[3:] else [])
    page = render(fmt, title=splice.title, city=splice.city, date=article_date, paragraphs=paragraphs, rng=rng)
    return Case(id=case_id, split=split_of(splice.key), kind=kind, splice_type=splice.splice_type, format=fmt,
                content=page.content, media=page.media,
                date=page.date_option.isoformat() if page.date_option else None, entity=splice.entity,
                sentence=sentence, true_value=splice.true.value, stated_value=side.value,
                record_id=splice.record_id, probe=splice.probe)
