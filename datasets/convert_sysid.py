#!/usr/bin/env python3
"""Convert the official system-identification downloads into the lab's CSV files.

Usage: convert_sysid.py RAW_DIR OUT_DIR

RAW_DIR holds the downloads (see fetch-sysid.sh): CascadedTanksFiles.zip, SilverboxFiles.zip,
EMPS.zip, robot_arm.dat.gz, CD_player_arm.dat.gz, exchanger.dat.gz, ballbeam.dat.gz.
OUT_DIR receives sysid_*.csv in the layout of datasets/README.md: header row, `,` separator,
`\n` line ends, a `split` column, `k` counting samples within each record, and `record` where
a file holds several experiments. Values from text sources are copied as written; values read
from numbers are written as the shortest round-trip text (Python repr; integral values
without '.0') for DaISy .dat and with %.8g for EMPS .mat, as in the
reference conversion whose SHA-256 sums are in sysid-checksums.txt.

Needs Python 3 with numpy and scipy (scipy.io.loadmat, for the EMPS .mat files only).
"""
import csv
import gzip
import io
import os
import sys
import zipfile


def write(out_dir, name, header, rows):
    path = os.path.join(out_dir, name)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(str(c) for c in row) + "\n")
    os.replace(tmp, path)
    print("wrote", path)


def zip_member(zip_path, basename):
    """Bytes of the first member of zip_path whose file name is basename."""
    with zipfile.ZipFile(zip_path) as z:
        for member in z.namelist():
            if os.path.basename(member) == basename:
                return z.read(member)
    raise SystemExit(f"{zip_path}: no member named {basename}")


def csv_columns(data):
    """Columns of a text CSV with a header row, as lists of the cell text."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = [h.strip() for h in next(reader)]
    cols = {h: [] for h in header}
    for row in reader:
        if not row:
            continue
        for h, cell in zip(header, row):
            cols[h].append(cell.strip())
    return cols


def cascaded_tanks(raw, out):
    # dataBenchmark.csv: columns uEst, uVal, yEst, yVal, Ts (1024 rows).
    c = csv_columns(zip_member(os.path.join(raw, "CascadedTanksFiles.zip"), "dataBenchmark.csv"))
    rows = [("estimation", "train", k, u, y) for k, (u, y) in enumerate(zip(c["uEst"], c["yEst"]))]
    rows += [("validation", "test", k, u, y) for k, (u, y) in enumerate(zip(c["uVal"], c["yVal"]))]
    write(out, "sysid_cascaded_tanks.csv", ["record", "split", "k", "u", "y"], rows)


def silverbox_split(k):
    if 100 <= k <= 32099:
        return "test_arrow"
    if 32100 <= k <= 40574:
        return "test_arrow_extrap"
    if 40650 <= k <= 105711:
        return "train"
    if 105712 <= k <= 127399:
        return "test_multisine"
    return "unused"


def silverbox(raw, out):
    # SNLS80mV.csv: V1 (input), V2 (output), 131072 rows.
    c = csv_columns(zip_member(os.path.join(raw, "SilverboxFiles.zip"), "SNLS80mV.csv"))
    keys = list(c)
    u, y = c[keys[0]], c[keys[1]]
    write(out, "sysid_silverbox.csv", ["split", "k", "u", "y"],
          [(silverbox_split(k), k, a, b) for k, (a, b) in enumerate(zip(u, y))])


def emps(raw, out):
    from scipy.io import loadmat  # only needed here
    rows = []
    for record, split, name in [("DATA_EMPS", "train", "DATA_EMPS.mat"), ("DATA_EMPS_PULSES", "test", "DATA_EMPS_PULSES.mat")]:
        m = loadmat(io.BytesIO(zip_member(os.path.join(raw, "EMPS.zip"), name)))
        t, vir, qm, qg = (m[v][:, 0] for v in ("t", "vir", "qm", "qg"))
        for k in range(len(t)):
            rows.append((record, split, k) + tuple("%.8g" % v for v in (t[k], vir[k], qm[k], qg[k])))
    write(out, "sysid_emps.csv", ["record", "split", "k", "t", "u", "y", "q_ref"], rows)


def number(tok):
    """Shortest round-trip text of a number (Python repr), integral values without '.0'."""
    v = float(tok)
    return str(int(v)) if v.is_integer() else repr(v)


def daisy(raw, name):
    with gzip.open(os.path.join(raw, name), "rt") as f:
        return [[number(tok) for tok in line.split()] for line in f if line.strip()]


def daisy_sets(raw, out):
    arm = daisy(raw, "robot_arm.dat.gz")  # u, y; 1024 rows
    write(out, "sysid_daisy_robot_arm.csv", ["split", "k", "u", "y"],
          [("train" if k < 512 else "test", k, r[0], r[1]) for k, r in enumerate(arm)])
    cd = daisy(raw, "CD_player_arm.dat.gz")  # u1, u2, y1, y2; 2048 rows
    write(out, "sysid_daisy_cd_player_arm.csv", ["split", "k", "u1", "u2", "y1", "y2"],
          [("train" if k < 1536 else "test", k, *r[:4]) for k, r in enumerate(cd)])
    ex = daisy(raw, "exchanger.dat.gz")  # t, q, th; 4000 rows; the time column is dropped
    write(out, "sysid_daisy_exchanger.csv", ["split", "k", "u", "y"],
          [("train" if k < 3000 else "test", k, r[1], r[2]) for k, r in enumerate(ex)])
    bb = daisy(raw, "ballbeam.dat.gz")  # u, y; 1000 rows
    write(out, "sysid_daisy_ballbeam.csv", ["split", "k", "u", "y"],
          [("train" if k < 750 else "test", k, r[0], r[1]) for k, r in enumerate(bb)])


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    raw, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cascaded_tanks(raw, out)
    silverbox(raw, out)
    emps(raw, out)
    daisy_sets(raw, out)


if __name__ == "__main__":
    main()
