#!/usr/bin/env python3
"""
Independent reference correlations for the real-data integration test
(test/analytics-real-data.e2e-spec.ts), computed straight from the CSVs in
../shared/data/fx-real with DESIGN.md's alignment: candle times present in
BOTH series up to the end of the as-of day, the last W+1 of them, W log
returns of the mid close (bid + spread/2; these files all carry a spread).

    python3 scripts/fx-real-correlation-reference.py > test/fixtures/fx-real-correlation-reference.json
"""
import csv
import gzip
import json
import math
import os
import sys

DATA = os.path.join(os.getcwd(), '..', 'shared', 'data', 'fx-real')
AS_OF = '2020-12-24'
PAIRS = [('EUR_USD', 'USD_CHF'), ('EUR_USD', 'GBP_USD'), ('AUD_USD', 'USD_CAD'), ('GBP_USD', 'USD_CHF')]


def load(instrument):
    out = []
    with gzip.open(os.path.join(DATA, f'{instrument}.H1.csv.gz'), 'rt') as f:
        for row in csv.DictReader(f):
            if row['time'] > AS_OF + 'T23:59:59Z':
                break
            if not row['spread']:
                sys.exit(f'{instrument} has no spread column; pick andre-goldmann files only')
            out.append((row['time'], float(row['close']) + float(row['spread']) / 2))
    return out


def correlation(a, b, window):
    pa, pb = dict(a), dict(b)
    common = [t for t, _ in a if t in pb][-(window + 1):]
    if len(common) < window + 1:
        return None
    x = [math.log(pa[common[k]] / pa[common[k - 1]]) for k in range(1, len(common))]
    y = [math.log(pb[common[k]] / pb[common[k - 1]]) for k in range(1, len(common))]
    mx, my = math.fsum(x) / window, math.fsum(y) / window
    sxy = math.fsum((p - mx) * (q - my) for p, q in zip(x, y))
    sxx = math.fsum((p - mx) ** 2 for p in x)
    syy = math.fsum((q - my) ** 2 for q in y)
    return sxy / math.sqrt(sxx * syy)


series = {i: load(i) for pair in PAIRS for i in pair}
print(json.dumps({
    'generator': 'scripts/fx-real-correlation-reference.py',
    'as_of': AS_OF,
    'correlations': [
        {'pair1': a, 'pair2': b, 'window': w, 'correlation': correlation(series[a], series[b], w)}
        for a, b in PAIRS for w in (100, 200)
    ],
}, indent=1))
