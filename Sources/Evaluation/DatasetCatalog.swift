// DatasetCatalog.swift — the real datasets the lab knows by name (datasets/README.md).
//
// Packaged files live in `datasets/` of the repository (redistributable). The system-
// identification benchmarks have no redistribution licence: `datasets/fetch-sysid.sh` puts
// them in a data directory (`DataDirectories`), and the loader checks each file's SHA-256
// against `sysidChecksums` (the same values as `datasets/sysid-checksums.txt`).

/// What kind of task a dataset's file serves.
public enum DatasetFamily: String, Sendable, CaseIterable {
    case systemIdentification = "sysid"
    case forecast
    case classification
}

/// Where a catalog file is found.
public enum DatasetLocation: String, Sendable {
    /// `datasets/` in the repository.
    case packaged
    /// The local-only data directory (`SSLAB_DATA_DIR`, default `datasets/sysid`).
    case sysid
}

/// File layout of a classification file.
public enum ClassificationLayout: String, Sendable, CaseIterable {
    case wide, long
}

/// One dataset of the catalog with its standard split and column roles.
public struct CatalogEntry: Sendable {
    /// Name used in experiment files and on the command line.
    public let name: String
    public let fileName: String
    public let family: DatasetFamily
    public let location: DatasetLocation
    /// sysid: input channels; forecast: unused.
    public let inputs: [String]
    /// sysid: output channels; forecast: the value column(s).
    public let outputs: [String]
    /// forecast: the time-key column.
    public let timeKey: String?
    /// Sampling interval in seconds (nil when the source gives none or it is calendar time).
    public let sampleTime: Double?
    /// Steps that initialise the state of each test segment (the benchmark's allowance).
    public let warmup: Int
    /// forecast: seasonal periods in steps, most important first.
    public let seasonalPeriods: [Int]
    /// classification: wide or long.
    public let layout: ClassificationLayout?
    /// One line on the standard split, for listings.
    public let splitNote: String
}

/// The catalog of named datasets.
public enum DatasetCatalog {
    /// SHA-256 of every local-only file (identical to `datasets/sysid-checksums.txt`).
    public static let sysidChecksums: [String: String] = [
        "sysid_cascaded_tanks.csv": "97dad723dde1b8fd81cd42927d8c6d7e33a16d63b439e888cd83f88c0ec2be01",
        "sysid_daisy_ballbeam.csv": "ebe62ae180858a68735b8041f637b0299c6aac93d4fb9c5ce4ae04569306ccd9",
        "sysid_daisy_cd_player_arm.csv": "af4aa5d3465dc10bfd37884b1a5f6d9f16b9d25432ef89953c1a0ffa65ed99f3",
        "sysid_daisy_exchanger.csv": "816d339e37876593ff09df8a1c989b89a7c61a38eb8c44f375cda3bd01a06243",
        "sysid_daisy_robot_arm.csv": "92b4c7a6ab89b30f29737aa412cfdd5212ec4c95ee79ca129809d10e724ef98f",
        "sysid_emps.csv": "38b928d64bcf4ae48debe210925ac433b3bf8cea0fb4c078de6e9f4b0a7307ce",
        "sysid_silverbox.csv": "53e04f657a8b45bc4555ce059d13af3602a20082d8d17f324c9b8bfbb1b49b9c",
    ]

    private static func sysid(_ name: String, _ file: String, u: [String] = ["u"], y: [String] = ["y"],
                              ts: Double?, warmup: Int, _ note: String) -> CatalogEntry {
        CatalogEntry(name: name, fileName: file, family: .systemIdentification, location: .sysid, inputs: u, outputs: y,
                     timeKey: nil, sampleTime: ts, warmup: warmup, seasonalPeriods: [], layout: nil, splitNote: note)
    }

    private static func forecast(_ name: String, _ file: String, value: String, key: String, seasons: [Int],
                                 _ note: String) -> CatalogEntry {
        CatalogEntry(name: name, fileName: file, family: .forecast, location: .packaged, inputs: [], outputs: [value],
                     timeKey: key, sampleTime: nil, warmup: 0, seasonalPeriods: seasons, layout: nil, splitNote: note)
    }

    private static func classify(_ name: String, _ file: String, _ layout: ClassificationLayout, _ note: String) -> CatalogEntry {
        CatalogEntry(name: name, fileName: file, family: .classification, location: .packaged, inputs: [], outputs: [],
                     timeKey: nil, sampleTime: nil, warmup: 0, seasonalPeriods: [], layout: layout, splitNote: note)
    }

    /// Every entry, in listing order.
    public static let entries: [CatalogEntry] = [
        sysid("cascaded-tanks", "sysid_cascaded_tanks.csv", ts: 4, warmup: 50,
              "train = estimation record (1024), test = validation record (1024)"),
        sysid("silverbox", "sysid_silverbox.csv", ts: 1 / 610.35, warmup: 50,
              "train k=40650…105711; test_arrow, test_arrow_extrap, test_multisine; unused rows dropped"),
        sysid("emps", "sysid_emps.csv", ts: 0.001, warmup: 20,
              "train = DATA_EMPS (24841), test = DATA_EMPS_PULSES (24841)"),
        sysid("robot-arm", "sysid_daisy_robot_arm.csv", ts: nil, warmup: 0, "train = first 512, test = last 512"),
        sysid("cd-player-arm", "sysid_daisy_cd_player_arm.csv", u: ["u1", "u2"], y: ["y1", "y2"], ts: nil, warmup: 0,
              "train = first 1536, test = last 512"),
        sysid("exchanger", "sysid_daisy_exchanger.csv", ts: 1, warmup: 0, "train = first 3000, test = last 1000"),
        sysid("ballbeam", "sysid_daisy_ballbeam.csv", ts: 0.1, warmup: 0, "train = first 750, test = last 250"),

        forecast("sunspots", "forecast_sunspots.csv", value: "sunactivity", key: "year", seasons: [],
                 "Zhang (2003): train 1700–1920 (221), test 1921–1987 (67); 1988–2008 'extra' dropped"),
        forecast("co2", "forecast_co2_maunaloa_weekly.csv", value: "co2_ppmv", key: "week_ending", seasons: [52],
                 "train = first 1827 weeks, test = last 457"),
        forecast("nile", "forecast_nile.csv", value: "volume", key: "year", seasons: [],
                 "train 1871–1950 (80), test 1951–1970 (20)"),
        forecast("elnino", "forecast_elnino_nino12_sst.csv", value: "sst_celsius", key: "month", seasons: [12],
                 "train 1950–2000 (612), test 2001–2010 (120)"),
        forecast("airline", "forecast_airline_passengers.csv", value: "passengers_thousands", key: "month", seasons: [12],
                 "train 1949–1958 (120), test 1959–1960 (24)"),
        forecast("lynx", "forecast_lynx.csv", value: "trappings", key: "year", seasons: [],
                 "Zhang (2003): train 1821–1920 (100), test 1921–1934 (14)"),
        forecast("taylor", "forecast_taylor_electricity_halfhourly.csv", value: "demand_mw", key: "k", seasons: [48, 336],
                 "Taylor (2003): train first 8 weeks (2688), test last 4 weeks (1344)"),

        classify("italy-power-demand", "classify_italy_power_demand.csv", .wide, "UCR: train 67, test 1029"),
        classify("gunpoint", "classify_gunpoint.csv", .wide, "UCR: train 50, test 150"),
        classify("basic-motions", "classify_basic_motions.csv", .long, "UEA: train 40, test 40"),
        classify("japanese-vowels", "classify_japanese_vowels.csv", .long, "UEA: train 270, test 370"),
        classify("digits", "classify_digits_8x8.csv", .wide, "first 898 train, last 899 test"),
    ]

    /// Every catalog name.
    public static var names: [String] { entries.map(\.name) }

    /// The entry called `name`.
    /// - Throws: `DataFileError.unknownDataset` listing the valid names.
    public static func entry(_ name: String) throws(DataFileError) -> CatalogEntry {
        guard let e = entries.first(where: { $0.name == name }) else { throw .unknownDataset(name: name, valid: names) }
        return e
    }
}
