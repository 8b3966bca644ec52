"""Minimax coefficients of the SIMD elementary functions in Sources/SequenceModels/VectorMath*.swift.

Not a fixture generator: it prints the Swift coefficient lists that VectorMath+Float.swift and
VectorMath+Double.swift carry, with the fitted relative error of each approximation (before
rounding the coefficients and before the rounding of evaluation). Run it to reproduce them:

    python3 Tests/Fixtures/generate/vector_math_coefficients.py

Method: the linear Remez exchange algorithm in 60-digit mpmath arithmetic, minimising the
maximum *weighted* error (weights chosen so that the error is relative to the final function
value, as noted per fit), then each coefficient rounded to the target precision. The
approximated forms (u = a²):

  exp    e^r = 1 + r + r² Q(r),         r ∈ [−ln2/2, ln2/2] (slightly widened)
  tanh   tanh a = a + a u P(u),         a ∈ [0, 0.625]
  erf    erf a = a P(u),                a ∈ [0, 0.5]
  erfc   erfc a = e^(−a²) P(a − c),     a ∈ [0.5, 2]
         erfc a = e^(−a²) v S(v),       v = 1/a, a ∈ [2, 10.3]           (Float)
         erfc a = e^(−a²) v S(t),       v = 1/a, t = 2/(2 + a), a ∈ [2, 27.6]  (Double)
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 60


def remez(f, basis, weight, lo, hi, iterations=40, grid=6000):
    """Coefficients c minimising max |weight(x) (f(x) − Σ c_k basis_k(x))| on [lo, hi]."""
    n = len(basis)
    lo, hi = mp.mpf(lo), mp.mpf(hi)
    reference = [(lo + hi) / 2 - (hi - lo) / 2 * mp.cos(mp.pi * i / n) for i in range(n + 1)]
    # A zero weight (an error that vanishes identically at that point) cannot be a reference point.
    reference = [x + (hi - lo) * mp.mpf("1e-4") if weight(x) < mp.mpf("1e-12") else x for x in reference]
    # Grid points where the weight vanishes carry no error and cannot serve as references.
    xs = [x for x in (lo + (hi - lo) * mp.mpf(i) / grid for i in range(grid + 1)) if weight(x) > mp.mpf("1e-12")]
    best = None
    for _ in range(iterations):
        a = mp.matrix(n + 1, n + 1)
        rhs = mp.matrix(n + 1, 1)
        for i, x in enumerate(reference):
            for k in range(n):
                a[i, k] = basis[k](x)
            a[i, n] = (-1) ** i / weight(x)
            rhs[i] = f(x)
        solution = mp.lu_solve(a, rhs)
        c = [solution[k] for k in range(n)]
        level = abs(solution[n])
        errors = [weight(x) * (f(x) - sum(ck * bk(x) for ck, bk in zip(c, basis))) for x in xs]
        worst = max(abs(e) for e in errors)
        best = (c, worst)
        if worst - level < 1e-4 * level:
            break
        extrema = []
        for i, e in enumerate(errors):
            left = errors[i - 1] if i > 0 else None
            right = errors[i + 1] if i + 1 < len(errors) else None
            if (left is None or abs(e) >= abs(left)) and (right is None or abs(e) >= abs(right)):
                if extrema and mp.sign(extrema[-1][1]) == mp.sign(e):
                    if abs(e) > abs(extrema[-1][1]):
                        extrema[-1] = (xs[i], e)
                else:
                    extrema.append((xs[i], e))
        while len(extrema) > n + 1:
            extrema.pop(0 if abs(extrema[0][1]) < abs(extrema[-1][1]) else -1)
        if len(extrema) < n + 1:
            break
        reference = [x for x, _ in extrema]
    return best


def powers(count, center=0):
    return [(lambda k: (lambda x: (x - center) ** k))(k) for k in range(count)]


def fit_exp(degree):
    # Q(r) = (e^r − 1 − r) / r²; error of e^r = r² ΔQ, relative: r² / e^r.
    half = mp.log(2) / 2 * mp.mpf("1.002")
    f = lambda r: (mp.exp(r) - 1 - r) / (r * r) if r != 0 else mp.mpf(1) / 2
    return remez(f, powers(degree + 1), lambda r: r * r / mp.exp(r), -half, half)


def fit_tanh(degree, top):
    # P(u) = (tanh a − a) / (a u); error of tanh a = a u ΔP, relative: a u / tanh a.
    def f(u):
        a = mp.sqrt(u)
        return (mp.tanh(a) - a) / (a * u) if u != 0 else mp.mpf(-1) / 3
    def w(u):
        a = mp.sqrt(u)
        return a * u / mp.tanh(a) if u != 0 else mp.mpf(0)
    return remez(f, powers(degree + 1), w, mp.mpf(0), mp.mpf(top) ** 2)


def fit_erf(degree, top):
    # P(u) = erf(a) / a; relative error of erf a = ΔP / P.
    f = lambda u: mp.erf(mp.sqrt(u)) / mp.sqrt(u) if u != 0 else 2 / mp.sqrt(mp.pi)
    return remez(f, powers(degree + 1), lambda u: 1 / f(u), mp.mpf(0), mp.mpf(top) ** 2)


def centered(lo, hi):
    return mp.mpf(mp.nstr((mp.mpf(lo) + mp.mpf(hi)) / 2, 2))


def horner_growth(fit, f, center, lo, hi):
    """max over [lo, hi] of Σ |c_k| |x − center|^k / |f(x)|: the factor by which Horner's
    rounding errors can exceed one rounding of the result."""
    return max(sum(abs(ck) * abs(x - center) ** k for k, ck in enumerate(fit[0])) / abs(f(x))
               for x in (lo + (hi - lo) * mp.mpf(i) / 200 for i in range(201)))


def scaled_erfc(a):
    """R(a) = erfc(a) e^(a²), the smooth factor left after the Gaussian."""
    return mp.erfc(a) * mp.exp(a * a)


def fit_erfc_near(degree, lo, hi):
    # R(a) = P(a − c) on [lo, hi]: a is the exact input, so no derived variable amplifies
    # rounding; relative error of erfc = ΔP / P.
    lo, hi = mp.mpf(lo), mp.mpf(hi)
    c = centered(lo, hi)
    fit = remez(scaled_erfc, powers(degree + 1, c), lambda a: 1 / scaled_erfc(a), lo, hi)
    print(f"// erfc near: a ∈ [{lo}, {hi}], powers of (a − {c}), Horner growth ≤ "
          f"{mp.nstr(horner_growth(fit, scaled_erfc, c, lo, hi), 3)}")
    return fit


def fit_erfc_far_v(degree, lo, hi):
    # R(a) = v S(v), v = 1/a: one rounding of v, amplified by ≈ 1. Powers of v itself (not of
    # v − c): the reciprocal followed by a constant shift derails LLVM's vector code.
    f = lambda v: scaled_erfc(1 / v) / v
    vlo, vhi = 1 / mp.mpf(hi), 1 / mp.mpf(lo)
    c = mp.mpf(0)
    fit = remez(f, powers(degree + 1, c), lambda v: 1 / f(v), vlo, vhi)
    print(f"// erfc far: v = 1/a ∈ [{mp.nstr(vlo, 6)}, {mp.nstr(vhi, 6)}], powers of v, Horner growth ≤ "
          f"{mp.nstr(horner_growth(fit, f, c, vlo, vhi), 3)}")
    return fit


def fit_erfc_far_t(degree, s, lo, hi):
    # R(a) = (1/a) S(t), t = s/(s + a): S = a R(a) varies slowly, so the rounding of t
    # is amplified by less than 1.
    s = mp.mpf(s)
    def f(t):
        a = s * (1 / t - 1)
        return a * scaled_erfc(a)
    tlo, thi = s / (s + mp.mpf(hi)), s / (s + mp.mpf(lo))
    c = mp.mpf(0)                                   # powers of t itself, as for v above
    fit = remez(f, powers(degree + 1, c), lambda t: 1 / f(t), tlo, thi)
    print(f"// erfc far: t = {mp.nstr(s, 2)}/({mp.nstr(s, 2)} + a) ∈ [{mp.nstr(tlo, 6)}, {mp.nstr(thi, 6)}], "
          f"powers of t, Horner growth ≤ {mp.nstr(horner_growth(fit, f, c, tlo, thi), 3)}")
    return fit


def show(name, fit, digits):
    c, err = fit
    print(f"// {name}: fitted relative error {mp.nstr(err, 3)}")
    print("[" + ", ".join(mp.nstr(x, digits, min_fixed=-30, max_fixed=30) for x in c) + "]")


if __name__ == "__main__":
    import sys
    which = sys.argv[1:] or ["float", "double"]
    if "float" in which:
        show("Float exp Q(r), r^0…", fit_exp(4), 10)
        show("Float tanh P(u)", fit_tanh(4, "0.625"), 10)
        show("Float erf P(u)", fit_erf(4, "0.5"), 10)
        show("Float erfc near P(a)", fit_erfc_near(9, "0.5", "2"), 10)
        show("Float erfc far S(v)", fit_erfc_far_v(7, "2", "10.3"), 10)
    if "double" in which:
        show("Double exp Q(r)", fit_exp(9), 20)
        show("Double tanh P(u)", fit_tanh(10, "0.625"), 20)
        show("Double erf P(u)", fit_erf(8, "0.5"), 20)
        show("Double erfc near P(a)", fit_erfc_near(18, "0.5", "2"), 20)
        show("Double erfc far S(t)", fit_erfc_far_t(17, 2, "2", "27.6"), 20)
