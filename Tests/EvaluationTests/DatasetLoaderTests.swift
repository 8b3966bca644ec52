// DatasetLoaderTests.swift — every catalog dataset loads with the shapes and split sizes of
// datasets/README.md. Validation is carved from the end of train by the default 0.2:
// n_val = round(0.2 · n_train).

import Foundation
import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct PackagedDatasetTests {
    /// (name, rows, file train, test, dropped rows) from datasets/README.md.
    static let forecasts: [(String, Int, Int, Int)] = [
        ("sunspots", 309, 221, 67), ("co2", 2284, 1827, 457), ("nile", 100, 80, 20),
        ("elnino", 732, 612, 120), ("airline", 144, 120, 24), ("lynx", 114, 100, 14),
        ("taylor", 4032, 2688, 1344),
    ]

    @Test(arguments: forecasts)
    func forecastShapesAndSplits(_ c: (String, Int, Int, Int)) throws {
        let (name, rows, train, test) = c
        guard case let .forecast(data) = try TestData.loader.load(name) else { Issue.record("not a forecast"); return }
        #expect(data.length == rows)
        #expect(data.values.cols == 1)
        #expect(data.timeKeys?.count == rows)
        let val = Int((0.2 * Double(train)).rounded())
        #expect(data.split.rowCount(.validation) == val)
        #expect(data.split.rowCount(.train) == train - val)
        #expect(data.split.rowCount(.test) == test)
        // Validation sits right after train and before test, in time order.
        #expect(data.split.train.last!.range.upperBound == data.split.validation.first!.range.lowerBound)
        #expect(data.split.validation.last!.range.upperBound <= data.split.test.first!.range.lowerBound)
    }

    @Test func forecastDetails() throws {
        guard case let .forecast(sun) = try TestData.loader.load("sunspots") else { return }
        #expect(sun.timeKeys?.first == "1700")
        #expect(sun.timeKeys?[sun.split.test.first!.range.lowerBound] == "1921")
        #expect(sun.timeKeys?[sun.split.test.last!.range.upperBound - 1] == "1987")
        #expect(sun.split.test.first!.range.upperBound == 288)  // 1988–2008 'extra' rows are dropped
        #expect(sun.history(before: sun.split.test[0]) == 0..<221)
        guard case let .forecast(air) = try TestData.loader.load("airline") else { return }
        #expect(air.timeKeys?.first == "1949-01")
        expectClose(air.values[0, 0], 112)
        #expect(air.maseSeason == 12)
        guard case let .forecast(taylor) = try TestData.loader.load("taylor") else { return }
        #expect(taylor.seasonalPeriods == [48, 336])
        #expect(taylor.table.channelNames.contains("halfhour"))
    }

    /// (name, series, train, test, length or nil when variable, channels, classes)
    static let classifications: [(String, Int, Int, Int, Int?, Int, Int)] = [
        ("italy-power-demand", 1096, 67, 1029, 24, 1, 2), ("gunpoint", 200, 50, 150, 150, 1, 2),
        ("basic-motions", 80, 40, 40, 100, 6, 4), ("japanese-vowels", 640, 270, 370, nil, 12, 9),
        ("digits", 1797, 898, 899, 64, 1, 10),
    ]

    @Test(arguments: classifications)
    func classificationShapesAndSplits(_ c: (String, Int, Int, Int, Int?, Int, Int)) throws {
        let (name, total, train, test, length, channels, classes) = c
        guard case let .classification(data) = try TestData.loader.load(name) else { Issue.record("not classification"); return }
        let all = data.train + data.validation + data.test
        #expect(all.count == total)
        let val = Int((0.2 * Double(train)).rounded())
        #expect(data.validation.count == val)
        #expect(data.train.count == train - val)
        #expect(data.test.count == test)
        #expect(data.classes.count == classes)
        #expect(all.allSatisfy { $0.values.cols == channels })
        if let length { #expect(all.allSatisfy { $0.values.rows == length }) }
        #expect(all.allSatisfy { data.classes[$0.classIndex] == $0.label })
    }

    @Test func classificationDetails() throws {
        guard case let .classification(jv) = try TestData.loader.load("japanese-vowels") else { return }
        let lengths = (jv.train + jv.validation + jv.test).map(\.values.rows)
        #expect(lengths.min() == 7 && lengths.max() == 29)
        #expect(lengths.reduce(0, +) == 9961)
        #expect(jv.classes == ["1", "2", "3", "4", "5", "6", "7", "8", "9"])
        guard case let .classification(bm) = try TestData.loader.load("basic-motions") else { return }
        #expect(bm.classes == ["Badminton", "Running", "Standing", "Walking"])
        #expect(bm.train.first?.label == "Standing")
        // BasicMotions line 2 holds the first row of series 0: ch0 = 0.079106.
        expectClose(bm.train[0].values[0, 0], 0.079106)
        #expect(bm.train[0].line == 2)
        guard case let .classification(digits) = try TestData.loader.load("digits") else { return }
        #expect(digits.classes == (0...9).map(String.init))
    }
}

@Suite(.enabled(if: TestData.hasSysid,
                "local-only sysid CSVs not found: set SSLAB_DATA_DIR or run datasets/fetch-sysid.sh (see datasets/README.md)"))
struct SysidDatasetTests {
    /// (name, rows, inputs, outputs, file train, test, warm-up)
    static let cases: [(String, Int, Int, Int, Int, Int, Int)] = [
        ("cascaded-tanks", 2048, 1, 1, 1024, 1024, 50), ("silverbox", 131072, 1, 1, 65062, 62163, 50),
        ("emps", 49682, 1, 1, 24841, 24841, 20), ("robot-arm", 1024, 1, 1, 512, 512, 0),
        ("cd-player-arm", 2048, 2, 2, 1536, 512, 0), ("exchanger", 4000, 1, 1, 3000, 1000, 0),
        ("ballbeam", 1000, 1, 1, 750, 250, 0),
    ]

    @Test(arguments: cases)
    func shapesAndSplits(_ c: (String, Int, Int, Int, Int, Int, Int)) throws {
        let (name, rows, m, p, train, test, warmup) = c
        guard case let .io(data) = try TestData.loader.load(name) else { Issue.record("not io"); return }
        #expect(data.length == rows)
        #expect(data.inputs.cols == m && data.outputs.cols == p)
        let val = Int((0.2 * Double(train)).rounded())
        #expect(data.split.rowCount(.validation) == val)
        #expect(data.split.rowCount(.train) == train - val)
        #expect(data.split.rowCount(.test) == test)
        #expect(data.warmup == warmup)
        // No segment crosses a record boundary.
        if let records = data.table.textColumns["record"] {
            for s in data.split.train + data.split.validation + data.split.test {
                #expect(Set(records[s.range]).count == 1)
            }
        }
    }

    @Test func silverboxSegments() throws {
        guard case let .io(sb) = try TestData.loader.load("silverbox") else { return }
        #expect(sb.split.test.map(\.label) == ["test_arrow", "test_arrow_extrap", "test_multisine"])
        #expect(sb.split.test.map(\.range) == [100..<32100, 32100..<40575, 105712..<127400])
        #expect(sb.split.train.map(\.range) == [40650..<(105712 - 13012)])
        #expect(sb.scoredRows(of: sb.split.test[0]) == 150..<32100)
    }

    @Test func cascadedTanksRecords() throws {
        guard case let .io(ct) = try TestData.loader.load("cascaded-tanks") else { return }
        #expect(ct.split.train.map(\.record) == ["estimation"])
        #expect(ct.split.validation.map(\.range) == [819..<1024])
        #expect(ct.split.test.map(\.record) == ["validation"])
        #expect(ct.sampleTime == 4)
        expectClose(ct.inputs[0, 0], 3.2567)
        expectClose(ct.outputs[0, 0], 5.205)
    }
}

@Suite struct DataDirectoryTests {
    @Test func precedenceFlagThenEnvironmentThenDefault() {
        let root = URL(fileURLWithPath: "/repo")
        #expect(DataDirectories.resolve(repositoryRoot: root, environment: [:]).sysid.path == "/repo/datasets/sysid")
        #expect(DataDirectories.resolve(repositoryRoot: root, environment: ["SSLAB_DATA_DIR": "../shared/datasets/local-only"]).sysid.path
                == "/shared/datasets/local-only")
        #expect(DataDirectories.resolve(repositoryRoot: root, dataDirectoryFlag: "/data",
                                        environment: ["SSLAB_DATA_DIR": "/env"]).sysid.path == "/data")
        #expect(DataDirectories.resolve(repositoryRoot: root).packaged.path == "/repo/datasets")
    }

    @Test func missingDirectoryAndChecksumMismatchNameThePath() throws {
        let missing = DatasetLoader(directories: DataDirectories(packaged: TestData.directories.packaged,
                                                                 sysid: URL(fileURLWithPath: "/nonexistent/sysid")))
        let e1 = dataFileError { _ = try missing.load("robot-arm") }
        if case .missingDataDirectory(let path, _)? = e1 { #expect(path == "/nonexistent/sysid") } else { Issue.record("got \(String(describing: e1))") }

        // A file with the right name but wrong contents: the loader names it.
        let dir = try makeTemporaryDirectory()
        let fake = dir.appendingPathComponent("sysid_daisy_robot_arm.csv")
        try "split,k,u,y\ntrain,0,1,2\ntest,1,1,2\n".write(to: fake, atomically: true, encoding: .utf8)
        let loader = DatasetLoader(directories: DataDirectories(packaged: TestData.directories.packaged, sysid: dir))
        let e2 = dataFileError { _ = try loader.load("robot-arm") }
        #expect(e2 == .checksumMismatch(path: fake.path, expected: DatasetCatalog.sysidChecksums["sysid_daisy_robot_arm.csv"]!,
                                        actual: SHA256.hex(Array("split,k,u,y\ntrain,0,1,2\ntest,1,1,2\n".utf8))))
        #expect(e2?.description.hasPrefix(fake.path + ": SHA-256") == true)
    }

    @Test func checksumTableMatchesChecksumFile() throws {
        let text = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("datasets/sysid-checksums.txt"), encoding: .utf8)
        var fromFile: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            fromFile[String(parts[1])] = String(parts[0])
        }
        #expect(fromFile == DatasetCatalog.sysidChecksums)
    }

    @Test func unknownDatasetListsNames() {
        let e = dataFileError { _ = try TestData.loader.load("evaporator") }
        #expect(e == .unknownDataset(name: "evaporator", valid: DatasetCatalog.names))
        #expect(e?.description.contains("cascaded-tanks, silverbox") == true)
    }
}
