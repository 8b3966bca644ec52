"""Writes the system files the notebooks use (run once; the JSON files are committed).

    python3 make_systems.py

numpy only; every random draw comes from numpy.random.default_rng(seed) with the seed below.
"""
import json

import numpy as np


def write(name, a, b, c, d, dt=None, **labels):
    sys = {"A": np.asarray(a).tolist(), "B": np.asarray(b).tolist(),
           "C": np.asarray(c).tolist(), "D": np.asarray(d).tolist()}
    if dt is not None:
        sys["dt"] = dt
    sys["name"] = name
    sys.update(labels)
    # One matrix row per line: readable in a diff and on a Git host.
    lines = []
    for key, value in sys.items():
        if key in "ABCD":
            rows = ",\n      ".join(json.dumps(row) for row in value)
            lines.append(f' "{key}": [{rows}]')
        else:
            lines.append(f' "{key}": {json.dumps(value)}')
    with open(name + ".json", "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def rotation(radius, angle):
    c, s = np.cos(angle), np.sin(angle)
    return radius * np.array([[c, -s], [s, c]])


# 1. A mass on a spring with a damper: m = 1 kg, k = 4 N/m, c = 0.4 N·s/m
#    (natural frequency 2 rad/s, damping ratio 0.1). Continuous time.
write("mass-spring-damper", [[0, 1], [-4, -0.4]], [[0], [1]], [[1, 0]], [[0]],
      inputs=["force"], outputs=["position"], states=["position", "velocity"])

# 2. Random stable discrete SISO systems (dt = 1) with n = 4 and n = 64 states: conjugate pole
#    pairs with radius in [0.5, 0.995] and angle in [0, π], in 2×2 rotation blocks, mixed by a
#    random orthogonal matrix; B and C standard normal, D = 0.
def random_discrete(n, seed):
    rng = np.random.default_rng(seed)
    blocks = np.zeros((n, n))
    for i in range(0, n, 2):
        blocks[i:i + 2, i:i + 2] = rotation(rng.uniform(0.5, 0.995), rng.uniform(0, np.pi))
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    a = q @ blocks @ q.T
    return a, rng.standard_normal((n, 1)), rng.standard_normal((1, n)), np.zeros((1, 1))


for n, seed in [(4, 4), (64, 64)]:
    write(f"random-{n}", *random_discrete(n, seed), dt=1.0)

# 3. Leaky integrators x[k+1] = ρ x[k] + u[k], y = x (dt = 1): memory grows as ρ → 1.
for rho in ["0.9", "0.99", "0.999"]:
    write(f"leaky-{rho}", [[float(rho)]], [[1]], [[1]], [[0]], dt=1.0)

# 4. A chain of 8 masses (1 kg) joined by springs (k = 1 N/m) and dampers (c = 0.05 N·s/m), the
#    first tied to a wall; force on the first mass, position of the last measured. 16 states.
masses = 8
k_spring, c_damp = 1.0, 0.05
stiffness = np.zeros((masses, masses))
for i in range(masses):
    stiffness[i, i] = 2 * k_spring if i < masses - 1 else k_spring
    if i + 1 < masses:
        stiffness[i, i + 1] = stiffness[i + 1, i] = -k_spring
a = np.block([[np.zeros((masses, masses)), np.eye(masses)],
              [-stiffness, -(c_damp / k_spring) * stiffness]])
b = np.zeros((2 * masses, 1)); b[masses, 0] = 1
c = np.zeros((1, 2 * masses)); c[0, masses - 1] = 1
write("mass-chain-8", a, b, c, np.zeros((1, 1)), inputs=["force"], outputs=["last position"])

# 5. (notebook 4) A lightly damped resonance with direct feedthrough (dt = 1): poles
#    0.97·e^(±0.3i), B = [1, 0]ᵀ, C = [1, 0.5], D = 0.5, so no kernel tap is exactly zero.
write("resonance-feedthrough", rotation(0.97, 0.3), [[1], [0]], [[1, 0.5]], [[0.5]], dt=1.0)

# 6. An input signal for simulations: a square wave of period 40 steps, amplitude ±1, 400 steps
#    (../signals/square-wave.csv, columns k and u).
import os
os.makedirs("../signals", exist_ok=True)
with open("../signals/square-wave.csv", "w") as f:
    f.write("k,u\n")
    for k in range(400):
        f.write(f"{k},{1 if (k // 20) % 2 == 0 else -1}\n")
