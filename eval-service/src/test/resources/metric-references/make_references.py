"""Reference values for eval-service's metric and statistics tests (see README.md next to this file)."""
import sys, json
import numpy as np

sys.path.insert(0, sys.argv[1])          # sacreBLEU checkout
sys.path.insert(0, sys.argv[2])          # folder holding squad_evaluate_v11.py
import sacrebleu
import squad_evaluate_v11 as squad
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

print("== SQuAD v1.1 (normalize_answer, exact_match_score, f1_score)")
squad_pairs = [
    ("The Eiffel Tower", "eiffel tower"),
    ("Denver Broncos", "Denver Broncos won"),
    ("an apple a day", "the apple"),
    ("Hello, World!", "hello world"),
    ("the cat the cat", "cat"),
    ("It's 5 p.m.", "its 5 pm"),
    ("Théâtre «national»", "théâtre national"),
    ("a", "the"),
    ("", ""),
    ("Run `apt-get install sqlite3` first", "run apt-get install sqlite3"),
    ("Use VACUUM; then ANALYZE", "Use ANALYZE then VACUUM"),
    ("answer_with_underscore an_apple", "answerwithunderscore anapple"),
]
for p, g in squad_pairs:
    print(json.dumps([p, g, squad.normalize_answer(p), squad.exact_match_score(p, g), squad.f1_score(p, g)], ensure_ascii=False))

print("== sacreBLEU", sacrebleu.__version__)
chrf_pairs = [
    ("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
     "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."),
    ("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
     "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."),
    ("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
     "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."),
    ("To reset your password, open Settings and choose Security.",
     "Open Settings, then Security, and click \"Reset password\"."),
    ("Use INTEGER PRIMARY KEY (no AUTOINCREMENT needed).",
     "Declare the column INTEGER PRIMARY KEY; AUTOINCREMENT is rarely needed."),
    ("a", "b"),
    ("", "reference"),
]
for h, r in chrf_pairs:
    c = sacrebleu.sentence_chrf(h, [r]).score
    cpp = sacrebleu.sentence_chrf(h, [r], word_order=2).score
    print(json.dumps([h, r, c, cpp], ensure_ascii=False))

print("== McNemar (statsmodels mcnemar; table [[both right, base only],[tuned only, both wrong]])")
for b, c in [(1, 9), (5, 5), (0, 0), (0, 6), (3, 21), (12, 13), (10, 20), (30, 12), (100, 150), (40, 40)]:
    t = [[7, b], [c, 4]]
    ex = mcnemar(t, exact=True)
    ch = mcnemar(t, exact=False, correction=True)
    print(json.dumps({"b": b, "c": c, "exact_p": float(ex.pvalue), "chi2": float(ch.statistic), "chi2_p": float(ch.pvalue)}))

print("== Bootstrap percentile CI of the mean (scipy.stats.bootstrap, 200000 resamples)")
d = np.array([0.12, -0.05, 0.30, 0.00, 0.08, 0.21, -0.10, 0.15, 0.05, 0.02, 0.40, -0.02, 0.11, 0.07, -0.20,
              0.09, 0.13, 0.00, 0.25, 0.04])
r = stats.bootstrap((d,), np.mean, n_resamples=200000, confidence_level=0.95, method="percentile",
                    random_state=np.random.default_rng(20260101))
print(json.dumps({"mean": float(d.mean()), "low": float(r.confidence_interval.low), "high": float(r.confidence_interval.high)}))

print("== cosine (numpy)")
a = np.array([0.1, -0.3, 0.5, 0.7], dtype=np.float32)
b = np.array([0.2, 0.1, -0.4, 0.9], dtype=np.float32)
print(json.dumps({"cos": float(np.dot(a.astype(np.float64), b) / (np.linalg.norm(a.astype(np.float64)) * np.linalg.norm(b.astype(np.float64))))}))

print("== Python str.isspace code points")
print([hex(i) for i in range(0x110000) if chr(i).isspace()])
