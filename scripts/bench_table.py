#!/usr/bin/env python3
"""Markdown comparison tables of `sslab bench` against the peers, from ONE JSON-lines file that
holds both sides measured in one sitting:

    python3 ../shared/peers/bench_peers.py -o run.jsonl ...
    .build/release/sslab bench >> run.jsonl
    python3 scripts/bench_table.py run.jsonl

Every ratio compares records of the same file (same machine, same session). A figure whose
`other_load` (cores used by other processes while it ran) was >= 0.3 is marked with †.
"""
import json
import sys
from collections import defaultdict


def load(path):
    recs = []
    for line in open(path):
        line = line.strip()
        if line:
            recs.append(json.loads(line))
    return recs


def key(params, drop=()):
    return tuple(sorted((k, v) for k, v in params.items() if k not in drop))


def index(recs, workload):
    out = defaultdict(dict)
    for r in recs:
        if r.get("workload") == workload and r.get("median_s"):
            out[key(r["params"])][r["peer"]] = r
    return out


def fmt_time(s):
    if s is None:
        return "—"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} µs"


def noisy(r):
    ol = (r.get("extra") or {}).get("other_load")
    return ol is not None and ol >= 0.3


def cell(r):
    return fmt_time(r["median_s"]) + (" †" if noisy(r) else "")


def pick(peers, *names):
    for n in names:
        for p, r in peers.items():
            if p == n or p.startswith(n):
                return r
    return None


def ratio(a, b):
    if a is None or b is None:
        return "—"
    return f"{b['median_s'] / a['median_s']:.2f}×"


def lti_scan(recs):
    rows = ["| system | L | sslab recurrent | sslab modal | sslab fft | C cblas_dgemv loop | scipy dlsim | lfilter (modal) | recurrent vs C gemv | modal vs dlsim |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for k, peers in sorted(index(recs, "lti_scan").items(), key=lambda kv: (dict(kv[0])["m"], dict(kv[0])["N"], dict(kv[0])["L"])):
        p = dict(k)
        rec, mod, fft = peers.get("sslab:recurrent"), peers.get("sslab:modal"), peers.get("sslab:fft")
        gemv, dlsim, lf = pick(peers, "c_gemv_loop"), peers.get("scipy.signal.dlsim"), peers.get("scipy.signal.lfilter(modal)")
        if rec is None:
            continue
        sysname = f"N={p['N']}" + (f", {p['m']}×{p['p']}" if p["m"] > 1 else "")
        rows.append(f"| {sysname} | {p['L']:.0e} | {cell(rec)} | {cell(mod) if mod else '—'} | {cell(fft) if fft else '—'} | "
                    f"{cell(gemv) if gemv else '—'} | {cell(dlsim) if dlsim else '—'} | {cell(lf) if lf else '—'} | "
                    f"{ratio(rec, gemv)} | {ratio(mod, dlsim)} |")
    return rows


def lti_kernel(recs):
    rows = ["| system | L | sslab diagonal | sslab doubling | numpy eig+Vandermonde GEMM | numpy power blocked | diagonal vs numpy eig-GEMM | doubling vs numpy blocked |",
            "|---|---|---|---|---|---|---|---|"]
    for k, peers in sorted(index(recs, "lti_kernel").items(), key=lambda kv: (dict(kv[0])["m"], dict(kv[0])["N"], dict(kv[0])["L"])):
        p = dict(k)
        d, db = peers.get("sslab:diagonal"), peers.get("sslab:doubling")
        g, b = peers.get("numpy_eig_vandermonde_gemm"), pick(peers, "numpy_power_blocked")
        if d is None:
            continue
        sysname = f"N={p['N']}" + (f", {p['m']}×{p['p']}" if p["m"] > 1 else "")
        rows.append(f"| {sysname} | {p['L']:.0e} | {cell(d)} | {cell(db) if db else '—'} | {cell(g) if g else '—'} | "
                    f"{cell(b) if b else '—'} | {ratio(d, g)} | {ratio(db, b)} |")
    return rows


def fft_conv(recs):
    rows = ["| channels × L | sslab fft | C FFTW (MEASURE, 1 thread) | scipy fftconvolve | numpy rfft | sslab vs C FFTW | sslab vs scipy |",
            "|---|---|---|---|---|---|---|"]
    for k, peers in sorted(index(recs, "fft_conv").items(), key=lambda kv: (dict(kv[0])["channels"], dict(kv[0])["L"])):
        p = dict(k)
        f = peers.get("sslab:fft")
        c, s, n = pick(peers, "c_fftw3"), peers.get("scipy.signal.fftconvolve"), peers.get("numpy.fft.rfft/irfft")
        if f is None:
            continue
        rows.append(f"| {p['channels']} × 2^{p['L'].bit_length() - 1} | {cell(f)} | {cell(c) if c else '—'} | {cell(s) if s else '—'} | "
                    f"{cell(n) if n else '—'} | {ratio(f, c)} | {ratio(f, s)} |")
    return rows


def learning(recs, workload, sslab_peer, torch_peer, fields):
    rows = ["| " + " | ".join(fields) + " | threads | sslab | torch | sslab speed vs torch |", "|" + "---|" * (len(fields) + 4)]
    by = defaultdict(dict)
    for r in recs:
        if r.get("workload") == workload and r.get("median_s"):
            by[key(r["params"])][r["peer"]] = r
    for k, peers in sorted(by.items()):
        p = dict(k)
        s, t = peers.get(sslab_peer), pick(peers, torch_peer)
        if s is None:
            continue
        rows.append("| " + " | ".join(str(p.get(f, "")) for f in fields) + f" | {p.get('threads', '')} | {cell(s)} | "
                    f"{cell(t) if t else '—'} | {ratio(s, t)} |")
    return rows


def ridge(recs):
    rows = ["| peer | α | time | vs sslab (same α) |", "|---|---|---|---|"]
    recs_r = [r for r in recs if r.get("workload") == "ridge" and r.get("median_s")]
    mine = {r["params"].get("alpha"): r for r in recs_r if r["peer"].startswith("sslab")}
    for r in sorted(recs_r, key=lambda r: (r["params"].get("alpha", 0), r["median_s"])):
        a = r["params"].get("alpha")
        rows.append(f"| {r['peer']} | {a} | {cell(r)} | {ratio(mine.get(a), r) if not r['peer'].startswith('sslab') else '—'} |")
    return rows


def ssm_vs_lstm(recs):
    rows = ["| H | L | SSM block train step | LSTM train step | SSM speed vs LSTM |", "|---|---|---|---|---|"]
    ssm = {}
    lstm = {}
    for r in recs:
        if not r.get("median_s"):
            continue
        p = r["params"]
        if r.get("workload") == "ssm_step" and p.get("mode") == "train":
            ssm[(p.get("hidden"), p.get("seq_len"))] = r
        if r.get("workload") == "lstm_step" and p.get("mode") == "train" and r["peer"].startswith("sslab"):
            lstm[(p.get("hidden"), p.get("seq_len"))] = r
    for k in sorted(ssm):
        s, l = ssm[k], lstm.get(k)
        rows.append(f"| {k[0]} | {k[1]} | {cell(s)} | {cell(l) if l else '—'} | {ratio(s, l)} |")
    return rows


def main():
    recs = load(sys.argv[1])
    sections = [("lti_scan: simulate x[k+1] = A x[k] + B u[k] (float64)", lti_scan(recs)),
                ("lti_kernel: K[k] = C A^k B, time for all L taps", lti_kernel(recs)),
                ("fft_conv: causal convolution, kernel length L (float64)", fft_conv(recs)),
                ("lstm_step: batch 32, float32", learning(recs, "lstm_step", "sslab:lstm", "torch.nn.LSTM", ["hidden", "seq_len", "mode"])),
                ("attention: batch 8, d_model 64, float32", learning(recs, "attention", "sslab:attention", "torch.sdpa", ["seq_len", "heads", "mode"])),
                ("ridge: n = 1e5, d = 64", ridge(recs)),
                ("ssm_step vs the LSTM at the same lengths (batch 32, float32)", ssm_vs_lstm(recs))]
    for title, rows in sections:
        if len(rows) > 2:
            print(f"### {title}\n")
            print("\n".join(rows))
            print()


if __name__ == "__main__":
    main()
