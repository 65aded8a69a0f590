"""Writes broken.csv: two good rows of the oracle's 10k input
(gen_survey.py --n 10000 --seed 20240917) and 22 rows broken in one way
each (one in two ways), for TestImportBrokenRows. Run from this folder:
zcat ../../../analysis/testdata/survey_10k.csv.gz | python3 make_broken.py"""
import csv, sys

r = csv.reader(sys.stdin)
h = next(r)
rows = [next(r) for _ in range(8)]
header = h + ["consent", "received_at"]


def row(base, code, **kw):
    d = dict(zip(h, rows[base]))
    d["consent"] = "adult_agree"
    d["received_at"] = "2026-09-16T10:00:00Z"
    d["response_code"] = code
    d.update(kw)
    return [d[c] for c in header]


good = [row(5, "G1"), row(7, "G2")]
broken = [
    row(5, ""),                                      # empty response code
    row(5, "R 01/x"),                                # response code with bad characters
    row(5, "B03", venue="market"),                   # venue not in the list
    row(5, "B04", src="站点1"),                       # src with non-ASCII characters
    row(5, "B05", food_imp_safety="6"),              # scale point out of range
    row(5, "B06", food_sat_safety="five"),           # scale point not a number
    row(5, "B07", food_sat_freshness="4.5"),         # scale point not whole
    row(5, "B08", gender="unknown"),                 # not an option
    row(5, "B09", household="none;cat"),             # multi-choice with an unknown code
    row(5, "B10", household="none;infant_0_3"),      # exclusive option combined
    row(5, "B11", rate_categories="food;drugs;online_shopping"),  # more categories than allowed
    row(5, "B12", drugs_imp_safety="4"),             # answer to a category not rated
    row(5, "B13", design_wt="-1"),                   # negative weight
    row(5, "B14", design_wt="abc"),                  # weight not a number
    row(5, "B15", received_at="yesterday"),          # bad time
    row(5, "B16")[:-3],                              # too few fields
    row(5, "B17", consent="decline"),                # consent declined
    row(5, "B18", consent=""),                       # consent missing
    row(5, "B19", age_band="under_14"),              # under 14 without a guardian's consent
    row(7, "B20", complaint_text="质" * 501),        # free text too long
    row(7, "G1"),                                    # code of row 2 with other answers
    row(5, "G1"),                                    # code of row 2, same answers: not a reject
    row(5, "B23", food_imp_safety="0", gender="x"),  # two problems
]
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(header)
w.writerows(good + broken)
