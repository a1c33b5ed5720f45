#!/usr/bin/env python3
"""
Independent reference values for the indicator unit tests.

Written from DESIGN.md section 5 and TA-Lib's documented conventions, NOT
translated from the TypeScript: every value is computed straight from its
definition over its own window (math.fsum, two-pass deviations, no running
sums), so a bug in the rolling/one-pass TypeScript code cannot hide here.
Plain python3 + math only (no numpy, no TA-Lib on the build machines).

Run from the repository root:
    python3 scripts/indicator-reference.py > test/fixtures/indicator-reference.json
"""
import json
import math
import random

A = 6240  # HV_PERIODS_PER_YEAR for H1


def make_series(seed, n, start, tick, digits, flat=None):
    """A rounded random walk with realistic OHLC; `flat` = (from, to) bars with o=h=l=c."""
    rnd = random.Random(seed)
    o, h, l, c = [], [], [], []
    close = start
    for i in range(n):
        if flat and flat[0] <= i <= flat[1]:
            px = round(close, digits)
            o.append(px); h.append(px); l.append(px); c.append(px)
            continue
        op = close
        cl = op + rnd.gauss(0, 8 * tick)
        hi = max(op, cl) + abs(rnd.gauss(0, 4 * tick))
        lo = min(op, cl) - abs(rnd.gauss(0, 4 * tick))
        o.append(round(op, digits)); h.append(round(hi, digits))
        l.append(round(lo, digits)); c.append(round(cl, digits))
        close = cl
    return {"open": o, "high": h, "low": l, "close": c}


def sma(x, n):
    out = [None] * len(x)
    for i in range(n - 1, len(x)):
        out[i] = math.fsum(x[i - n + 1:i + 1]) / n
    return out


def ema_seeded(x, n, seed_end):
    """EMA with k = 2/(n+1), first value = mean of the n values ending at seed_end."""
    out = [None] * len(x)
    if seed_end >= len(x):
        return out
    prev = math.fsum(x[seed_end - n + 1:seed_end + 1]) / n
    out[seed_end] = prev
    k = 2.0 / (n + 1)
    for i in range(seed_end + 1, len(x)):
        prev = prev + k * (x[i] - prev)
        out[i] = prev
    return out


def std(window, ddof):
    m = math.fsum(window) / len(window)
    return math.sqrt(math.fsum((v - m) ** 2 for v in window) / (len(window) - ddof))


def volatility(c, n):
    r = [None] + [math.log(c[i] / c[i - 1]) for i in range(1, len(c))]
    out = [None] * len(c)
    for i in range(n, len(c)):
        out[i] = std(r[i - n + 1:i + 1], 1) * math.sqrt(A)
    return out


def bollinger(c, n=20, k=2):
    up, mid, lo = [None] * len(c), [None] * len(c), [None] * len(c)
    for i in range(n - 1, len(c)):
        w = c[i - n + 1:i + 1]
        m = math.fsum(w) / n
        s = std(w, 0)
        mid[i], up[i], lo[i] = m, m + k * s, m - k * s
    return up, mid, lo


def atr(h, l, c, n=14):
    tr = [None] + [max(h[i] - l[i], abs(h[i] - c[i - 1]), abs(l[i] - c[i - 1])) for i in range(1, len(c))]
    out = [None] * len(c)
    if len(c) <= n:
        return out
    prev = math.fsum(tr[1:n + 1]) / n
    out[n] = prev
    for i in range(n + 1, len(c)):
        prev = (prev * (n - 1) + tr[i]) / n
        out[i] = prev
    return out


def rsi(c, n=14):
    out = [None] * len(c)
    if len(c) <= n:
        return out
    ch = [c[i] - c[i - 1] for i in range(1, len(c))]  # ch[j] is the change INTO bar j+1
    g = math.fsum(max(d, 0) for d in ch[:n]) / n
    lo = math.fsum(max(-d, 0) for d in ch[:n]) / n
    out[n] = 0.0 if g + lo == 0 else 100 * g / (g + lo)
    for i in range(n + 1, len(c)):
        d = ch[i - 1]
        g = (g * (n - 1) + max(d, 0)) / n
        lo = (lo * (n - 1) + max(-d, 0)) / n
        out[i] = 0.0 if g + lo == 0 else 100 * g / (g + lo)
    return out


def macd(c, fast=12, slow=26, sig=9):
    # TA-Lib: both seed windows end on bar slow-1 (fast seed = mean of c[14..25]).
    f = ema_seeded(c, fast, slow - 1)
    s = ema_seeded(c, slow, slow - 1)
    line = [None if f[i] is None or s[i] is None else f[i] - s[i] for i in range(len(c))]
    signal = [None] * len(c)
    first_signal = slow - 1 + sig - 1
    if first_signal < len(c):
        tail = ema_seeded(line[slow - 1:], sig, sig - 1)
        signal[slow - 1:] = tail
    hist = [None if signal[i] is None else line[i] - signal[i] for i in range(len(c))]
    return line, signal, hist


def extremes(h, l, i, n):
    return max(h[i - n + 1:i + 1]), min(l[i - n + 1:i + 1])


def stochastic(h, l, c, n=14, ks=3, ds=3):
    raw = [None] * len(c)
    for i in range(n - 1, len(c)):
        hh, ll = extremes(h, l, i, n)
        raw[i] = 0.0 if hh == ll else 100 * (c[i] - ll) / (hh - ll)
    k = [None] * len(c)
    for i in range(n - 1 + ks - 1, len(c)):
        k[i] = math.fsum(raw[i - ks + 1:i + 1]) / ks
    d = [None] * len(c)
    for i in range(n - 1 + ks - 1 + ds - 1, len(c)):
        d[i] = math.fsum(k[i - ds + 1:i + 1]) / ds
    return k, d


def williams(h, l, c, n=14):
    out = [None] * len(c)
    for i in range(n - 1, len(c)):
        hh, ll = extremes(h, l, i, n)
        out[i] = 0.0 if hh == ll else -100 * (hh - c[i]) / (hh - ll)
    return out


def metrics(s):
    h, l, c = s["high"], s["low"], s["close"]
    up, mid, lo = bollinger(c)
    m, sig, hist = macd(c)
    k, d = stochastic(h, l, c)
    return {
        "volatility_20": volatility(c, 20),
        "volatility_50": volatility(c, 50),
        "sma_15": sma(c, 15),
        "sma_20": sma(c, 20),
        "sma_30": sma(c, 30),
        "sma_50": sma(c, 50),
        "ema_12": ema_seeded(c, 12, 11),
        "ema_26": ema_seeded(c, 26, 25),
        "bb_upper": up,
        "bb_middle": mid,
        "bb_lower": lo,
        "atr": atr(h, l, c),
        "rsi_14": rsi(c),
        "macd": m,
        "macd_signal": sig,
        "macd_histogram": hist,
        "stoch_k": k,
        "stoch_d": d,
        "williams_r": williams(h, l, c),
    }


def main():
    cases = []
    for name, series in [
        # EUR_USD-like, with a 20-bar flat stretch (o=h=l=c) for the flat-window rules.
        ("eurusd_like_400", make_series(7, 400, 1.0850, 0.0001, 5, flat=(200, 219))),
        # USD_JPY-like and short: volatility_50 never exists, the MACD signal just starts.
        ("usdjpy_like_45", make_series(11, 45, 150.20, 0.01, 3)),
    ]:
        cases.append({"name": name, "periods_per_year": A, "input": series, "expected": metrics(series)})
    print(json.dumps({
        "generator": "scripts/indicator-reference.py",
        "conventions": "DESIGN.md section 5; TA-Lib classic seeding (EMA seeded with SMA, Wilder ATR/RSI, "
                       "MACD seeds ending on the same bar, BBANDS population std), sample std for volatility",
        "cases": cases,
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
