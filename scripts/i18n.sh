#!/usr/bin/env bash
# Interface translations with Babel: extract the marked strings, merge them into each
# language's .po, compile the .mo the app reads.  Run after changing any _() string:
#   scripts/i18n.sh            (needs `pip install -e ".[i18n]"`)
set -euo pipefail
cd "$(dirname "$0")/.."
locale=tutor/i18n/locale
pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output \
  --project bert-tutor --copyright-holder "bert-tutor authors" -o "$locale/bert-tutor.pot" tutor
for lang in zh; do
  po="$locale/$lang/LC_MESSAGES/bert-tutor.po"
  if [ -f "$po" ]; then
    pybabel update -D bert-tutor -i "$locale/bert-tutor.pot" -d "$locale" -l "$lang" --no-fuzzy-matching
  else
    pybabel init -D bert-tutor -i "$locale/bert-tutor.pot" -d "$locale" -l "$lang"
  fi
done
pybabel compile -D bert-tutor -d "$locale" --statistics
