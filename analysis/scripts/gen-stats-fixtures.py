#!/usr/bin/python3
"""Expected values for analysis/test/stats, computed with scipy and numpy.

Run: /usr/bin/python3 analysis/scripts/gen-stats-fixtures.py   (npm run gen:stats-fixtures)
Writes analysis/test/stats/fixtures/*.json. Inputs are fixed lists or drawn from seeded numpy
generators, so the output is the same on every run with the same scipy/numpy.

The TypeScript module receives sufficient statistics (n, sums, sums of squares); everything here
is computed from the raw per-subject samples those sums come from, with scipy where scipy has the
function (ttest_ind, chisquare, chi2_contingency, norm, t, chi2, special) and from the published
formula in numpy where it has none (mSPRT, delta method, Bayesian read-out), each cross-checked
against a second route (assert) before it is written.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import integrate, special, stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "stats", "fixtures")
TUNING = 5000


def to_float(value):
    """numpy scalars to plain Python numbers, recursively (json writes floats by repr: exact)."""
    if isinstance(value, dict):
        return {k: to_float(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_float(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    header = {"generator": "analysis/scripts/gen-stats-fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__}
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(to_float({**header, **data}), f, indent=1, allow_nan=False)
        f.write("\n")


def close(a, b, rel=1e-9):
    assert math.isclose(a, b, rel_tol=rel, abs_tol=1e-15), (a, b)


def fl(values):
    return [float(v) for v in values]


# ---------------------------------------------------------------- distributions and special functions
def distributions():
    xs = [-38, -30, -20, -10, -8.3, -5, -3, -1.96, -1, -0.5, -1e-3, 0, 1e-8, 0.3, 1, 1.6448536269514722, 2.5, 5, 8, 10]
    normal = [{"x": x, "cdf": stats.norm.cdf(x), "sf": stats.norm.sf(x), "pdf": stats.norm.pdf(x)} for x in xs]
    ps = [1e-300, 1e-100, 1e-20, 1e-12, 1e-6, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.99, 0.999, 1 - 1e-9]
    normal_ppf = [{"p": p, "x": stats.norm.ppf(p)} for p in ps]
    dfs = [1, 2, 3, 4, 5, 6, 7, 10, 15, 30, 50, 100, 1000, 1e4, 1e5, 1e6, 1e7, 2.5, 7.3, 123.456, 0.5]
    ts = [-50, -10, -5, -3, -2, -1, -0.1, 0, 1e-6, 0.5, 1, 1.96, 2, 3, 5, 10, 50, 1000]
    with np.errstate(over="ignore"):  # t.pdf(1000, 1e7) overflows a power on the way to its true 0
        t_cdf = [{"t": t, "df": df, "cdf": stats.t.cdf(t, df), "sf": stats.t.sf(t, df), "pdf": stats.t.pdf(t, df)} for df in dfs for t in ts]
    qs = [1e-12, 1e-6, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.9, 0.95, 0.975, 0.99, 0.999999]
    t_ppf = [{"p": p, "df": df, "t": stats.t.ppf(p, df)} for df in dfs for p in qs]
    chi = []
    for df in list(range(1, 21)) + [25, 50, 100, 3.5]:
        xs_df = [0.001, 0.5, 1, 5] + [float(stats.chi2.isf(p, df)) for p in [0.9, 0.5, 0.05, 1e-3, 1e-6, 1e-12, 1e-15, 1e-30]]
        chi += [{"x": x, "df": df, "sf": stats.chi2.sf(x, df)} for x in xs_df]
    assert any(c["sf"] < 1e-12 for c in chi)
    gx = [1e-8, 0.1, 0.5, 1, 1.5, 2, 3.7, 9.99, 10, 10.01, 25, 171.3, 1e4, 1e8]
    log_gamma = [{"x": x, "value": special.gammaln(x)} for x in gx]
    ab = [(0.5, 0.5), (0.5, 3), (2, 3), (10, 0.5), (15.5, 22), (0.5, 5e5), (5e5, 0.5), (200, 300)]
    log_beta = [{"a": a, "b": b, "value": special.betaln(a, b)} for a, b in ab]
    inc_gamma = [{"a": a, "x": x, "lower": special.gammainc(a, x), "upper": special.gammaincc(a, x)}
                 for a in [0.5, 1, 2.5, 10, 50] for x in [0.01, 0.5, 1, 3, 10, 40, 100]]
    inc_beta = [{"a": a, "b": b, "x": x, "lower": special.betainc(a, b, x), "upper": special.betainc(b, a, 1 - x)}
                for a, b in [(0.5, 0.5), (2, 3), (0.5, 50), (50, 0.5), (30, 40)] for x in [1e-4, 0.1, 0.3, 0.5, 0.9, 0.999]]
    write("distributions.json", {"normal": normal, "normalPpf": normal_ppf, "tCdf": t_cdf, "tPpf": t_ppf, "chiSquareSf": chi,
                                 "logGamma": log_gamma, "logBeta": log_beta, "incompleteGamma": inc_gamma, "incompleteBeta": inc_beta})


# ---------------------------------------------------------------- shared read-outs (mSPRT, Bayes)
def msprt(estimate, variance, n, alpha, tuning):
    """Normal-mixture SPRT (Johari et al. 2017) with GrowthBook's tau^2 = rho^2 * V * n."""
    rho2 = (-2 * math.log(alpha) + math.log(1 - 2 * math.log(alpha))) / tuning
    tau2 = rho2 * variance * n
    lam = math.sqrt(variance / (variance + tau2)) * math.exp(estimate**2 * tau2 / (2 * variance * (variance + tau2)))
    p = min(1.0, 1 / lam)
    half = math.sqrt(variance * (variance + tau2) / tau2 * (math.log((variance + tau2) / variance) - 2 * math.log(alpha)))
    # Second route: GrowthBook's parameterisation (s2 = V n; Waudby-Smith et al. eq. 155 and 161).
    s2 = variance * n
    gb_half = math.sqrt(s2) * math.sqrt(2 * (n * rho2 + 1) * math.log(math.sqrt(n * rho2 + 1) / alpha) / (n * n * rho2))
    st2 = estimate**2 * n / variance
    gb_p = min(1.0, 1 / (math.exp(rho2 * st2 / (2 * (n * rho2 + 1))) / math.sqrt(n * rho2 + 1)))
    close(half, gb_half)
    close(p, gb_p)
    return {"tau2": tau2, "pValue": p, "absolute": {"estimate": estimate, "lower": estimate - half, "upper": estimate + half}}


def bayes(estimate, variance, prior, higher_is_better):
    mean, sd = estimate, math.sqrt(variance)
    if prior is not None:
        precision = 1 / variance + 1 / prior["sd"] ** 2
        mean = (estimate / variance + prior["mean"] / prior["sd"] ** 2) / precision
        sd = math.sqrt(1 / precision)
    post = stats.norm(mean, sd)
    if higher_is_better:
        chance = post.sf(0)
        loss = sd * stats.norm.pdf(mean / sd) - mean * stats.norm.cdf(-mean / sd)  # E[max(0, -L)]
        check = integrate.quad(lambda x: -x * post.pdf(x), mean - 40 * sd, min(0, mean + 40 * sd), epsabs=0, epsrel=1e-12, limit=500)[0] if mean - 40 * sd < 0 else 0
    else:
        chance = post.cdf(0)
        loss = sd * stats.norm.pdf(mean / sd) + mean * stats.norm.cdf(mean / sd)  # E[max(0, L)]
        check = integrate.quad(lambda x: x * post.pdf(x), max(0, mean - 40 * sd), mean + 40 * sd, epsabs=0, epsrel=1e-12, limit=500)[0] if mean + 40 * sd > 0 else 0
    assert math.isclose(loss, check, rel_tol=1e-7, abs_tol=1e-300), (loss, check)
    return {"chanceToBeatControl": chance, "expectedLoss": loss}


def read_outs(c_val, c_var, t_val, t_var, n, crit, options):
    """Absolute/relative intervals, mSPRT and Bayes from arm estimates and their variances."""
    alpha = options.get("alpha", 0.05)
    diff, var = t_val - c_val, c_var + t_var
    out = {"control": c_val, "treatment": t_val,
           "absolute": {"estimate": diff, "lower": diff - crit * math.sqrt(var), "upper": diff + crit * math.sqrt(var)}}
    hib = options.get("higherIsBetter", True)
    if c_val == 0:
        out["relative"] = None
        out["bayes"] = {**bayes(diff, var, None, hib), "scale": "absolute"}
    else:
        rel = diff / c_val
        rel_var = t_var / c_val**2 + c_var * t_val**2 / c_val**4
        half = crit * math.sqrt(rel_var)
        out["relative"] = {"estimate": rel, "lower": rel - half, "upper": rel + half}
        out["bayes"] = {**bayes(rel, rel_var, options.get("prior"), hib), "scale": "relative"}
    if options.get("sequential"):
        s = msprt(diff, var, n, alpha, options.get("sequentialTuning", TUNING))
        out["sequential"] = {"pValue": s["pValue"], "absolute": s["absolute"]}
    else:
        out["sequential"] = None
    return out


def cohens_d(c, t):
    pooled = math.sqrt(((len(c) - 1) * np.var(c, ddof=1) + (len(t) - 1) * np.var(t, ddof=1)) / (len(c) + len(t) - 2))
    return (np.mean(t) - np.mean(c)) / pooled


def mean_summary(x):
    return {"n": len(x), "sum": float(np.sum(x)), "sumSquares": float(np.sum(np.square(x)))}


# ---------------------------------------------------------------- Welch t on raw samples
def means():
    rng = np.random.default_rng(20240601)
    cases = [
        ("normal, unequal n and sd", rng.normal(10, 3, 50), rng.normal(10.8, 4, 60), {}),
        ("skewed tokens per subject", np.round(rng.lognormal(6, 0.8, 400)), np.round(rng.lognormal(6.05, 0.8, 380)), {"sequential": True}),
        ("two and three subjects", np.array([1.0, 3.0]), np.array([2.0, 5.0, 4.0]), {"alpha": 0.1}),
        ("latency near 1000 ms, tiny spread", rng.normal(1000, 5, 20000), rng.normal(999.9, 5, 20000), {"higherIsBetter": False, "sequential": True}),
        ("poisson counts with prior", rng.poisson(3.0, 800).astype(float), rng.poisson(3.3, 820).astype(float),
         {"prior": {"mean": 0, "sd": 0.1}, "sequential": True, "sequentialTuning": 1000}),
        ("identical arms", np.array([1.0, 2, 3, 4, 5]), np.array([1.0, 2, 3, 4, 5]), {"sequential": True}),
        ("negative values, control mean below 0", rng.normal(-2, 1, 30), rng.normal(-1.5, 1.2, 35), {"alpha": 0.01}),
        ("large experiment, small lift", rng.normal(50, 20, 100000), rng.normal(50.3, 20, 100000), {"sequential": True, "alpha": 0.05}),
    ]
    out = []
    for name, c, t, options in cases:
        r = stats.ttest_ind(t, c, equal_var=False)
        a, b = np.var(c, ddof=1) / len(c), np.var(t, ddof=1) / len(t)
        df = (a + b) ** 2 / (a**2 / (len(c) - 1) + b**2 / (len(t) - 1))
        crit = stats.t.ppf(1 - options.get("alpha", 0.05) / 2, df)
        expected = read_outs(float(np.mean(c)), a, float(np.mean(t)), b, len(c) + len(t), crit, options)
        close(r.statistic, (np.mean(t) - np.mean(c)) / math.sqrt(a + b))
        expected.update({"test": "welch-t", "statistic": r.statistic, "df": df, "pValue": r.pvalue, "cohensD": cohens_d(c, t)})
        out.append({"name": name, "control": mean_summary(c), "treatment": mean_summary(t), "options": options, "expected": expected})
    write("means.json", {"cases": out})


# ---------------------------------------------------------------- two proportions
def proportions():
    cases = [
        ("thumbs-up 30% vs 34.5%", (300, 1000), (345, 1000), {"sequential": True}),
        ("small arms", (5, 40), (12, 38), {"alpha": 0.1}),
        ("control never converts", (0, 100), (3, 100), {}),
        ("large experiment", (12000, 100000), (12400, 100000), {"sequential": True, "prior": {"mean": 0, "sd": 0.05}}),
        ("identical arms", (50, 100), (50, 100), {"sequential": True}),
        ("error rate, lower is better", (80, 2000), (52, 2100), {"higherIsBetter": False, "sequential": True, "sequentialTuning": 2000}),
    ]
    out = []
    for name, (xc, nc), (xt, nt), options in cases:
        c = np.r_[np.ones(xc), np.zeros(nc - xc)]
        t = np.r_[np.ones(xt), np.zeros(nt - xt)]
        pc, pt = c.mean(), t.mean()
        pooled = (xc + xt) / (nc + nt)
        z = (pt - pc) / math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt))
        p = 2 * stats.norm.sf(abs(z))
        table = np.array([[xc, nc - xc], [xt, nt - xt]])
        if xc + xt > 0 and nc + nt - xc - xt > 0:  # chi2_contingency needs no empty column
            chi2, p_chi, _, _ = stats.chi2_contingency(table, correction=False)
            close(chi2, z * z, 1e-8)
            close(p_chi, p, 1e-8)
        crit = stats.norm.ppf(1 - options.get("alpha", 0.05) / 2)
        expected = read_outs(float(pc), np.var(c) / nc, float(pt), np.var(t) / nt, nc + nt, crit, options)
        expected.update({"test": "two-proportion-z", "statistic": z, "df": None, "pValue": p, "cohensD": cohens_d(c, t)})
        out.append({"name": name, "control": {"n": nc, "successes": xc}, "treatment": {"n": nt, "successes": xt},
                    "options": options, "expected": expected})
    write("proportions.json", {"cases": out})


# ---------------------------------------------------------------- ratio metrics by the delta method
def ratio_arm(x, y):
    """Ratio of sums and its delta-method variance, through the linearisation L_i = (X_i - R Y_i) / mean(Y)."""
    r = x.sum() / y.sum()
    lin = (x - r * y) / y.mean()
    var = np.var(lin, ddof=1) / len(x)
    # Second route: the textbook delta formula from the sample covariance matrix.
    cov = np.cov(x, y, ddof=1)
    close(var, (cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / (len(x) * y.mean() ** 2), 1e-8)
    return float(r), float(var)


def ratio_summary(x, y):
    return {"n": len(x), "sumX": float(x.sum()), "sumY": float(y.sum()), "sumXX": float((x * x).sum()),
            "sumYY": float((y * y).sum()), "sumXY": float((x * y).sum())}


def latency_subjects(rng, n, scale):
    calls = 1 + rng.poisson(3, n)
    total = np.array([rng.lognormal(math.log(scale), 0.5, k).sum() for k in calls])
    return total, calls.astype(float)


def ratios():
    rng = np.random.default_rng(20240602)
    cases = [
        ("latency per call", latency_subjects(rng, 400, 800), latency_subjects(rng, 410, 760), {"higherIsBetter": False, "sequential": True}),
        ("tokens per call, small", latency_subjects(rng, 25, 300), latency_subjects(rng, 30, 330), {"alpha": 0.1}),
        ("cost per call with prior", latency_subjects(rng, 3000, 2.0), latency_subjects(rng, 3100, 2.1),
         {"prior": {"mean": 0, "sd": 0.2}, "sequential": True, "sequentialTuning": 10000}),
    ]
    out = []
    for name, (xc, yc), (xt, yt), options in cases:
        rc, vc = ratio_arm(xc, yc)
        rt, vt = ratio_arm(xt, yt)
        z = (rt - rc) / math.sqrt(vc + vt)
        crit = stats.norm.ppf(1 - options.get("alpha", 0.05) / 2)
        expected = read_outs(rc, vc, rt, vt, len(xc) + len(xt), crit, options)
        expected.update({"test": "delta-z", "statistic": z, "df": None, "pValue": 2 * stats.norm.sf(abs(z)), "cohensD": None})
        out.append({"name": name, "control": ratio_summary(xc, yc), "treatment": ratio_summary(xt, yt), "options": options, "expected": expected})
    write("ratios.json", {"cases": out})


# ---------------------------------------------------------------- mSPRT and Bayes on their own
def sequential_and_bayes():
    grid = [(0.5, 0.04, 2000, 0.05, 5000), (0.0, 1.0, 100, 0.05, 5000), (-0.02, 1e-4, 50000, 0.05, 5000),
            (3.0, 1.0, 10, 0.1, 100), (0.1, 0.001, 1e6, 0.01, 5000), (1e-3, 1e-6, 4000, 0.05, 4000)]
    seq = [{"estimate": e, "variance": v, "n": n, "alpha": a, "tuning": k, **msprt(e, v, n, a, k)} for e, v, n, a, k in grid]
    bgrid = [(0.02, 1e-4, None, True), (0.02, 1e-4, {"mean": 0, "sd": 0.1}, True), (-0.05, 4e-4, None, True),
             (-0.05, 4e-4, None, False), (0.3, 0.01, {"mean": 0.05, "sd": 0.02}, False), (0.0, 0.25, None, True),
             (0.5, 0.0025, None, True), (-1.2, 0.01, {"mean": 0, "sd": 1}, True)]
    bay = [{"estimate": e, "variance": v, "prior": p, "higherIsBetter": h, **bayes(e, v, p, h)} for e, v, p, h in bgrid]
    write("sequential-bayes.json", {"sequential": seq, "bayes": bay})


# ---------------------------------------------------------------- SRM, Holm, quantiles
def srm():
    cases = [([1000, 1200], [0.5, 0.5]), ([5000, 5100, 4900], [1, 1, 1]), ([100, 300], [1, 3]), ([10000, 12000, 9000], [0.3, 0.4, 0.3]),
             ([50000, 52000], [50, 50]), ([1000, 1000], [1, 1]), ([20, 31, 25, 24], [1, 1, 1, 1]), ([500, 0, 520], [0.5, 0, 0.5])]
    out = []
    for observed, weights in cases:
        keep = [i for i, w in enumerate(weights) if w > 0]
        obs = np.array([observed[i] for i in keep], dtype=float)
        w = np.array([weights[i] for i in keep], dtype=float)
        r = stats.chisquare(obs, f_exp=obs.sum() * w / w.sum())
        out.append({"observed": observed, "weights": weights, "chiSquare": r.statistic, "df": len(keep) - 1, "pValue": r.pvalue})
    assert math.isclose(out[0]["pValue"], 0.000020079, rel_tol=1e-4)  # GrowthBook's published number
    write("srm.json", {"cases": out})


def holm_by_hand(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: (ps[i], i))
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        adjusted[i] = running
    return adjusted


def holm():
    rng = np.random.default_rng(20240603)
    lists = [[], [0.03], [0.01, 0.04, 0.03], [0.01, 0.01, 0.02, 0.5], [0.2, 0.9, 0.001, 0.04, 0.04, 0.3],
             [1.0, 0.6, 0.7], fl(rng.uniform(0, 0.1, 12)), fl(rng.uniform(0, 1, 30))]
    write("holm.json", {"cases": [{"pValues": ps, "adjusted": holm_by_hand(ps)} for ps in lists]})


def quantiles():
    rng = np.random.default_rng(20240604)
    qs = [0, 0.01, 0.05, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]
    samples = [[42.0], [1.0, 2.0], fl(rng.normal(0, 1, 7)), fl(np.round(rng.lognormal(6, 1, 100))), fl(rng.exponential(300, 1001)),
               [1.0, 1.0, 1.0, 2.0, 2.0, 10.0]]
    out = []
    for s in samples:
        s = sorted(s)
        out.append({"sorted": s, "quantiles": [{"q": q, "value": float(np.quantile(s, q))} for q in qs]})
    write("quantile.json", {"cases": out})


# ---------------------------------------------------------------- paired tests (offline experiments)
def wilcoxon_method(d):
    """The method analysis/src/stats/paired.ts picks: exact for <= 50 untied non-zero pairs."""
    nz = [x for x in d if x != 0]
    return "exact" if len(nz) <= 50 and len(set(abs(x) for x in nz)) == len(nz) else "approx"


def paired_case(d):
    d = [float(x) for x in d]
    method = wilcoxon_method(d)
    w = stats.wilcoxon(d, method=method)
    nz = [x for x in d if x != 0]
    sign = stats.binomtest(sum(1 for x in d if x > 0), len(nz)).pvalue
    t = stats.ttest_rel(d, [0.0] * len(d))
    ci = t.confidence_interval(0.95)
    return {"differences": d, "wilcoxon": {"statistic": w.statistic, "pValue": w.pvalue, "method": method, "n": len(nz)},
            "sign": {"statistic": sum(1 for x in d if x > 0), "pValue": sign, "n": len(nz)},
            "t": {"mean": float(np.mean(d)), "sd": float(np.std(d, ddof=1)), "statistic": t.statistic, "df": len(d) - 1, "pValue": t.pvalue,
                  "interval": {"lower": ci.low, "upper": ci.high}}}


def mcnemar_case(b, c):
    if b + c < 25:
        return {"b": b, "c": c, "statistic": min(b, c), "pValue": stats.binomtest(min(b, c), b + c).pvalue if b + c else 1.0, "method": "exact"}
    stat = max(0, abs(b - c) - 1) ** 2 / (b + c)
    return {"b": b, "c": c, "statistic": stat, "pValue": stats.chi2.sf(stat, 1), "method": "chi-square"}


def power_case(n, sd, alpha, power):
    mde = (stats.t.ppf(1 - alpha / 2, n - 1) + stats.t.ppf(power, n - 1)) * sd / math.sqrt(n)
    # The exact noncentral-t power at that effect, to bound the approximation's error.
    nc = mde / sd * math.sqrt(n)
    crit = stats.t.ppf(1 - alpha / 2, n - 1)
    exact = stats.nct.sf(crit, n - 1, nc) + stats.nct.cdf(-crit, n - 1, nc)
    return {"n": n, "sd": sd, "alpha": alpha, "power": power, "mde": mde, "nctPower": exact}


def paired():
    rng = np.random.default_rng(20261203)
    samples = [[1.5, -0.5, 2, 3, -1, 4], [0.3, -0.1, 0.25, 0.7, 0.05, -0.4, 0.9, 1.1, 0.6, -0.2, 0.45],
               [1, 1, -1, 0, 2, 2, 0, -1, 1, 1, 1, 0.5], [0.5, 0, 0, 0, 1, -0.5, 0.5, 1, 1, 1],
               fl(np.round(rng.normal(0.1, 1, 30), 6)), fl(rng.normal(-0.2, 1, 60)), fl(np.round(rng.normal(0.05, 0.5, 200), 1)),
               list(map(float, rng.choice([-1, 0, 0, 1], 80))), [1, 2, 3, 4], [0.25, -0.75]]
    cases = [paired_case(s) for s in samples]
    for c in cases:  # the exact branch's p against scipy's own auto choice where they agree
        if c["wilcoxon"]["method"] == "exact" and 0 not in c["differences"]:
            close(c["wilcoxon"]["pValue"], stats.wilcoxon(c["differences"]).pvalue)
    mc = [mcnemar_case(b, c) for b, c in [(0, 0), (3, 9), (0, 5), (12, 12), (10, 14), (20, 35), (40, 60), (7, 3), (100, 130)]]
    powers = [power_case(n, sd, a, p) for n, sd, a, p in [(10, 1.0, 0.05, 0.8), (30, 0.5, 0.05, 0.8), (100, 1.0, 0.05, 0.8), (400, 0.3, 0.01, 0.9), (2, 1.0, 0.05, 0.8)]]
    write("paired.json", {"cases": cases, "mcnemar": mc, "power": powers})


if __name__ == "__main__":
    for step in (distributions, means, proportions, ratios, sequential_and_bayes, srm, holm, quantiles, paired):
        step()
    print(f"wrote {len(os.listdir(OUT))} files to {os.path.relpath(OUT)}")
