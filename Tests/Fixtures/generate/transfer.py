"""Transfer-function references: scipy.signal.ss2tf and tf2ss for SISO systems.

Writes statespace/tf.json.

Cross-checks (fail loudly): C (sI − A)^-1 B + D == num(s)/den(s) at several complex s for every
case; tf2ss output has scipy's controller-canonical structure; ss2tf(tf2ss(num, den)) returns the
normalised (num, den).
"""

from __future__ import annotations

import numpy as np
import scipy.signal as sig

import common as cm

GEN = "transfer.py"
SEEDS = [301, 302]
S_POINTS = [0.3 + 0.7j, -0.4 + 2.0j, 1.5 - 0.5j, 0.05j]


def h_ss(A, B, C, D, s):
    n = A.shape[0]
    return (C @ np.linalg.solve(s * np.eye(n) - A, B.astype(complex)) + D)[0, 0]


def h_tf(num, den, s):
    return np.polyval(num, s) / np.polyval(den, s)


def rand_siso(seed: int, n: int, proper: bool):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) - 1.5 * np.eye(n)
    B = rng.standard_normal((n, 1))
    C = rng.standard_normal((1, n))
    D = rng.standard_normal((1, 1)) if proper else np.zeros((1, 1))
    return A, B, C, D


def main() -> None:
    ss_specs = [
        ("strictly_proper_n2", None, (np.array([[-1.0, 0.5], [0.0, -2.0]]), np.array([[1.0], [1.0]]),
                                      np.array([[1.0, 0.0]]), np.array([[0.0]]))),
        ("biproper_n2", None, (np.array([[0.0, 1.0], [-2.0, -3.0]]), np.array([[0.0], [1.0]]),
                               np.array([[1.0, 0.5]]), np.array([[0.25]]))),
        ("strictly_proper_rand_n3", SEEDS[0], rand_siso(SEEDS[0], 3, proper=False)),
        ("biproper_rand_n4", SEEDS[1], rand_siso(SEEDS[1], 4, proper=True)),
    ]
    ss2tf_cases = []
    for name, seed, (A, B, C, D) in ss_specs:
        num, den = sig.ss2tf(A, B, C, D)
        num = np.asarray(num)
        cm.check(name + " num shape", num.shape == (1, A.shape[0] + 1), str(num.shape))
        for s in S_POINTS:
            cm.check_close(f"{name} ss2tf H({s})", h_tf(num[0], den, s), h_ss(A, B, C, D, s), rtol=1e-12, atol=1e-13)
        ss2tf_cases.append(dict(name=name, seed=seed, system=cm.system(A, B, C, D, None),
                                num=cm.real(num[0]), den=cm.real(den)))

    tf_specs = [
        ("strictly_proper_order2", [1.0, 2.0], [1.0, 3.0, 2.0]),
        ("biproper_order2", [2.0, 3.0, 4.0], [1.0, 5.0, 6.0]),
        ("nonmonic_den_order2", [1.0], [2.0, 3.0, 1.0]),
        ("strictly_proper_order3", [0.5, 1.0, 0.25], [1.0, 1.5, 0.9, 0.2]),
        ("biproper_order3", [1.0, 0.5, -0.2, 0.1], [1.0, 1.2, 0.8, 0.3]),
        ("scipy_test_invariants_3", [0.1], [1.0, 1.0, 2.0, 1.0]),
    ]
    tf2ss_cases = []
    for name, num, den in tf_specs:
        A, B, C, D = sig.tf2ss(num, den)
        n = len(den) - 1
        # scipy's controller-canonical structure.
        a = np.asarray(den, dtype=float) / den[0]
        cm.check_close(name + " A row 0", A[0], -a[1:], rtol=1e-15, atol=0)
        cm.check_close(name + " A shift", A[1:], np.eye(n)[:-1], rtol=0, atol=0)
        cm.check_close(name + " B", B, np.eye(n)[:, :1], rtol=0, atol=0)
        for s in S_POINTS:
            cm.check_close(f"{name} tf2ss H({s})", h_ss(A, B, C, D, s), h_tf(num, den, s), rtol=1e-12, atol=1e-13)
        num2, den2 = sig.ss2tf(A, B, C, D)
        bnorm = np.concatenate([np.zeros(n + 1 - len(num)), np.asarray(num, dtype=float)]) / den[0]
        cm.check_close(name + " round trip num", num2[0], bnorm, rtol=1e-12, atol=1e-14)
        cm.check_close(name + " round trip den", den2, a, rtol=1e-12, atol=1e-14)
        tf2ss_cases.append(dict(name=name, num=cm.real(num), den=cm.real(den),
                                system=cm.system(A, B, C, D, None)))

    cm.write_fixture(
        "statespace/tf.json", generator=GEN, seeds=SEEDS,
        description="SISO transfer-function conversions with scipy.signal.ss2tf (state space -> polynomials) and "
                    "scipy.signal.tf2ss (polynomials -> scipy's controller-canonical realisation), strictly "
                    "proper and biproper cases.",
        conventions=[
            "H(s) = num(s) / den(s); polynomial coefficients in descending powers (numpy.polyval order)",
            "ss2tf: num is scipy's num[0] (length n+1, leading zeros kept for strictly proper systems); "
            "den is the monic characteristic polynomial of A (length n+1)",
            "tf2ss (scipy): with a = den/den[0] and b = num/den[0] left-padded with zeros to length n+1: "
            "A = [[-a1, -a2, ..., -an], [1, 0, ..., 0], ..., [0, ..., 1, 0]], B = e1 (n x 1), "
            "C = [b1 - a1 b0, ..., bn - an b0] (1 x n), D = [[b0]]",
            "systems as {A, B, C, D, dt: null}; matrices row-major nested lists",
            "random systems: numpy.random.default_rng(seed): A = N(0,1) - 1.5 I, then B, C, (D) standard normal",
        ],
        body=dict(ss2tf=ss2tf_cases, tf2ss=tf2ss_cases))


if __name__ == "__main__":
    main()
