"""`audit batch`: reports for many clients at once, from answers files or form exports.

- `export`: reading a CSV/XLSX form export, one row per respondent;
- `mapping`: the mapping file (columns -> questions, cell texts -> choices) and
  turning a row into an answers file;
- `guess`: `--init-mapping`, a first mapping from the pack's wording;
- `inputs`: INPUT arguments -> jobs; `runner`: rendering in worker processes;
- `index`: `index.csv` and `index.html`.
Nothing here prints: the terminal side is `audit/ui/batch.py`.
"""
