#!/usr/bin/env python3
"""Checks every figure quoted in the bundled stories (www/stories/*.json) against the bundled
data (www/data/*.csv), independently of Loupe: Python's standard library only, reading the
CSV files directly.

Each figure below is computed from the files, written the way the story writes it (French
conventions: decimal comma, space between thousands), and must appear in the named part of
the story (the lede or a step's text). A figure in a story text that no check covers is
reported too, so that a new number cannot slip in unchecked.

Usage: python3 scripts/story_figures.py        (exit status 1 on any mismatch)
"""

import csv
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "www" / "data"
STORIES = ROOT / "www" / "stories"


def rows(name, delimiter=","):
    with open(DATA / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def fr_int(n):
    """12345 -> '12 345'."""
    return f"{n:,}".replace(",", " ")


def fr_dec(x, places):
    """Rounded half away from zero, with a decimal comma; trailing zeros are kept."""
    q = round(x + (1e-12 if x >= 0 else -1e-12), places)
    return f"{q:.{places}f}".replace(".", ",")


def fr_pct(fraction, places):
    """0.2575 -> '25,75 %' (trailing zeros dropped when places > 0: '28,3 %')."""
    text = fr_dec(fraction * 100, places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text} %"


def milliards(x):
    return f"{fr_dec(x / 1e9, 1)} milliards"


def budget_checks():
    b = rows("lfi_2026_etat_b_cp.csv")
    cp = {r["mission_code"]: int(r["cp_eur_jo"]) for r in b}
    total = sum(cp.values())
    a = rows("lfi_2026_etat_a_recettes.csv")
    fiscal = sum(float(r["amount_eur"]) for r in a if r["section"] == "fiscal")
    by_label = {r["label"]: float(r["amount_eur"]) for r in a}
    ranked = sorted(cp.items(), key=lambda kv: -kv[1])
    no_rd = [kv for kv in ranked if kv[0] != "RD"]
    top3 = sum(v for _, v in no_rd[:3])
    assert ranked[0][0] == "RD", "the first mission is Remboursements et dégrèvements"
    assert [k for k, _ in no_rd[:3]] == ["EC", "DA", "EB"], no_rd[:3]
    assert top3 / total > 1 / 3, "plus d'un tiers"
    return {
        "lede": [milliards(total)],
        1: [
            f"{len(cp)} missions",
            milliards(cp["RD"]),
            fr_pct(cp["RD"] / total, 1),
        ],
        2: [
            milliards(cp["EC"]),
            fr_dec(cp["DA"] / 1e9, 1) + " milliards",
            fr_dec(cp["EB"] / 1e9, 1) + " milliards",
            milliards(top3),
        ],
        3: [
            milliards(by_label["Impôt net sur le revenu"]),
            fr_dec(by_label["Taxe sur la valeur ajoutée nette"] / 1e9, 1) + " milliards",
            fr_dec(by_label["Impôt net sur les sociétés"] / 1e9, 1) + " milliards",
            milliards(fiscal),
        ],
    }


def decp_checks():
    d = rows("decp_2024h2_travaux.csv")
    n = len(d)
    contracts = len({r["uid"] for r in d})
    proc = Counter(r["procedure"] for r in d)
    offers = Counter(r["offresRecues"] for r in d)
    holders = Counter(r["titulaire_nom"] for r in d).most_common()
    known = [r for r in d if r["acheteur_departement_code"] and r["titulaire_departement_code"]]
    same = sum(1 for r in known if r["acheteur_departement_code"] == r["titulaire_departement_code"])
    assert proc.most_common(1)[0][0] == "Procédure adaptée"
    assert offers.most_common(1)[0][0] == "3", "three offers is the most frequent case"
    assert holders[0] == ("EMACOUSTIC", 37) and holders[1][1] == holders[2][1] == 36, holders[:3]
    assert {holders[1][0], holders[2][0]} == {
        "ALTERGIS INGENIERIE",
        "E'NERGYS (H3C-ENERGIES, UP, UTILITIES PERFORMANCE)",
    }
    return {
        "lede": [f"{fr_int(n)} lignes pour {fr_int(contracts)} marchés"],
        1: [
            f"Sur {fr_int(n)} lignes",
            fr_int(proc["Procédure adaptée"]),
            f"({fr_pct(proc['Procédure adaptée'] / n, 0)})",
            "en compte " + fr_int(proc["Appel d'offres ouvert"]),
        ],
        2: [
            f"({fr_int(offers['3'])} lignes)",
            f"{fr_int(offers['1'])} lignes ({fr_pct(offers['1'] / n, 0)})",
        ],
        3: [
            f"{fr_int(len([h for h, _ in holders if h]))} noms de titulaires",
            f"dix plus fréquentes ne réunissent que {sum(c for _, c in holders[:10])} lignes sur {fr_int(n)}",
            f"{holders[0][1]} lignes",
            f"({holders[1][1]} chacune)",
            f"{fr_int(same)} lignes sur {fr_int(len(known))}",
            f"({fr_pct(same / len(known), 0)})",
        ],
    }


def th_checks():
    t = rows("taux_th_communes_2022.csv")
    pop = {r["code_commune"]: r for r in rows("communes_population.csv")}
    rates = [float(r["taux_com"]) for r in t]
    by_dep = defaultdict(list)
    names = {}
    for r in t:
        p = pop.get(r["code_insee_commune"])
        if p:  # the story's inner join
            by_dep[p["departement"]].append(float(r["taux_com"]))
            names[(p["departement"], p["nom"])] = float(r["taux_com"])
    means = sorted(((statistics.mean(v), k) for k, v in by_dep.items()), reverse=True)
    mean = dict((k, m) for m, k in means)
    assert [k for _, k in means[:3]] == ["93", "976", "94"], means[:3]
    assert means[-1][1] == "70", means[-1]
    ille = by_dep["35"]
    return {
        "lede": [fr_pct(min(rates), 0), fr_pct(max(rates), 2)],
        1: [
            f"{fr_int(len(t))} communes",
            fr_pct(statistics.median(rates), 2),
            f"{sum(1 for x in rates if x == 0)} communes ont un taux nul",
        ],
        2: [
            f"(93) arrive en tête avec **{fr_pct(mean['93'], 2)}",
            f"(976, {fr_pct(mean['976'], 2)})",
            f"(94, {fr_pct(mean['94'], 2)})",
            f"(70) : {fr_pct(mean['70'], 2)}",
        ],
        3: [
            f"{len(ille)} communes",
            f"taux moyen de {fr_pct(statistics.mean(ille), 2)}",
            f"de {fr_pct(min(ille), 2)} à {fr_pct(max(ille), 2)}",
            f"Rennes est à {fr_pct(names[('35', 'Rennes')], 2)}",
        ],
    }


CHECKS = {
    "budget-etat-2026": budget_checks,
    "marches-travaux-2024": decp_checks,
    "taxe-habitation-departements": th_checks,
}

# Numbers in the texts that are not figures from the data (step numbers, years, codes).
NOT_FIGURES = {"2026", "2024", "2022", "93", "976", "94", "70", "35", "1", "0"}


def normalise(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def main():
    failures = 0
    checked = 0
    for story_id, make in CHECKS.items():
        story = json.loads((STORIES / f"{story_id}.json").read_text(encoding="utf-8"))
        texts = {"lede": normalise(story["lede"])}
        for i, step in enumerate(story["steps"], start=1):
            texts[i] = normalise(step["text"])
        covered = {k: "" for k in texts}
        for part, figures in make().items():
            for fig in figures:
                checked += 1
                if fig in texts[part]:
                    covered[part] += " " + fig
                    print(f"ok   {story_id} {part}: {fig}")
                else:
                    failures += 1
                    print(f"FAIL {story_id} {part}: «{fig}» not in «{texts[part]}»")
        # Every number written in a text must be inside a checked figure.
        for part, text in texts.items():
            text = re.sub(r"\]\([^)]*\)", "]", text)  # link addresses are not figures
            for m in re.finditer(r"\d[\d ]*(?:,\d+)?", text):
                num = m.group().strip()
                if num in NOT_FIGURES or num in covered[part]:
                    continue
                failures += 1
                print(f"FAIL {story_id} {part}: «{num}» is not covered by a check")
    print(f"{checked} figures checked, {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
