"""World-fact sentences from GeoNames rows: right wording, and never an evaluated sentence."""
from __future__ import annotations

import json
from pathlib import Path

from tutor.corpus.build import build_corpus
from tutor.corpus.geo_facts import country_phrase, geo_fact_lines
from tests.unit.test_corpus import stories, wordnet

COUNTRIES = {
    "FR": {"name": "France", "capital": "Paris", "continentcode": "EU", "currencyname": "Euro",
           "neighbours": "DE,GB"},
    "DE": {"name": "Germany", "capital": "Berlin", "continentcode": "EU", "currencyname": "Euro",
           "neighbours": "FR"},
    "GB": {"name": "United Kingdom", "capital": "London", "continentcode": "EU", "currencyname": "Pound",
           "neighbours": ""},
    "AQ": {"name": "Antarctica", "capital": "", "continentcode": "AN", "currencyname": "", "neighbours": ""},
}
CITIES = {
    "1": {"name": "Paris", "countrycode": "FR", "population": 2_138_551},
    "2": {"name": "Marseille", "countrycode": "FR", "population": 870_731},
    "3": {"name": "Hamburg", "countrycode": "DE", "population": 1_739_117},
    "4": {"name": "Berlin", "countrycode": "DE", "population": 3_426_354},
    "5": {"name": "Lyon", "countrycode": "XX", "population": 5_000_000},   # unknown country: skipped
}


def geonames(tmp_path: Path) -> Path:
    (tmp_path / "countries.json").write_text(json.dumps(COUNTRIES))
    (tmp_path / "cities15000.json").write_text(json.dumps(CITIES))
    return tmp_path


def test_country_phrase_adds_the_where_english_does():
    assert country_phrase("United Kingdom") == "the United Kingdom"
    assert country_phrase("Marshall Islands") == "the Marshall Islands"
    assert country_phrase("France") == "France"


def test_fact_lines_say_each_fact_in_several_wordings(tmp_path):
    lines = geo_fact_lines(geonames(tmp_path), min_city_population=1_000_000)
    assert {"Paris is the capital of France.", "The capital of France is Paris.",
            "France is a country in Europe.", "In France, people pay with the euro.",
            "France shares a border with the United Kingdom.", "The capital of the United Kingdom is London.",
            "Hamburg is a city in Germany."} <= set(lines)
    assert "Marseille is a city in France." not in lines          # below the population floor
    assert not any("Lyon" in line for line in lines)
    assert not any("capital of Antarctica" in line for line in lines)
    # the biggest city is only said when it is not the capital
    assert not any(line.startswith("The biggest city in") for line in lines)


def test_facts_join_training_only_and_the_probe_sentence_is_banned(tmp_path):
    facts = geo_fact_lines(geonames(tmp_path))
    corpus = build_corpus(stories(tmp_path), ["The capital of France is paris."], wordnet_dir=wordnet(tmp_path),
                          heldout_fraction=0.1, facts=facts, facts_weight=2)
    assert "The capital of France is Paris." not in corpus.train         # the probe, verbatim: dropped
    assert corpus.train.count("Paris is the capital of France.") == 2    # the fact in other words stays
    assert not set(facts) & set(corpus.heldout)
