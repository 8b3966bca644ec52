// CSVTableTests.swift — every bad-input path of the CSV reader, on tiny files in a temp dir.

import Foundation
import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct CSVTableTests {
    @Test func readsHeaderRowsAndLineNumbers() throws {
        // Line 1 header, line 2 data, line 3 blank (skipped), line 4 data with CRLF and spaces.
        let url = try TestData.file("ok.csv", "split,u,y\ntrain,1.5,2\n\ntest , -3e-1 ,4\r\n")
        let t = try CSVTable.read(url)
        #expect(t.header == ["split", "u", "y"])
        #expect(t.rowCount == 2)
        #expect(t.lineNumbers == [2, 4])
        #expect(try t.text("split") == ["train", "test"])
        expectClose(try t.numbers("u"), [1.5, -0.3])
        let m = try t.matrix(["y", "u"])
        #expect(m.rows == 2 && m.cols == 2)
        expectClose(m.elements, [2, 1.5, 4, -0.3])
    }

    @Test func missingFile() throws {
        let url = try makeTemporaryDirectory().appendingPathComponent("nope.csv")
        let e = dataFileError { _ = try CSVTable.read(url) }
        #expect(e == .missingFile(path: url.path))
        #expect(e?.description == "\(url.path): file not found")
    }

    @Test func emptyFileAndBlankFile() throws {
        for contents in ["", "\n\n"] {
            let url = try TestData.file("empty.csv", contents)
            #expect(dataFileError { _ = try CSVTable.read(url) } == .emptyFile(path: url.path))
        }
        let headerOnly = try TestData.file("h.csv", "u,y\n")
        #expect(dataFileError { _ = try CSVTable.read(headerOnly) } == .noDataRows(path: headerOnly.path))
    }

    @Test func raggedRowNamesLineAndCounts() throws {
        let url = try TestData.file("ragged.csv", "u,y\n1,2\n3\n")
        let e = dataFileError { _ = try CSVTable.read(url) }
        #expect(e == .raggedRow(path: url.path, line: 3, expected: 2, found: 1))
        #expect(e?.description == "\(url.path):3: row has 1 cells, the header has 2")
    }

    @Test func nonNumericCellNamesLineAndColumn() throws {
        let url = try TestData.file("bad.csv", "u,y\n1,2\n3,abc\n")
        let t = try CSVTable.read(url)
        let e = dataFileError { _ = try t.numbers("y") }
        #expect(e == .nonNumeric(path: url.path, line: 3, column: "y", value: "abc"))
        #expect(e?.description == "\(url.path):3: column 'y': 'abc' is not a number")
        // An empty cell is not a number either.
        let empty = try TestData.file("empty-cell.csv", "u,y\n1,\n")
        #expect(dataFileError { _ = try SignalTable.read(empty) } == .nonNumeric(path: empty.path, line: 2, column: "y", value: ""))
    }

    @Test func nanAndInfinityAreRejected() throws {
        for bad in ["nan", "NaN", "inf", "-Infinity"] {
            let url = try TestData.file("nf.csv", "u,y\n1,2\n2,3\n\(bad),4\n")
            let e = dataFileError { _ = try SignalTable.read(url) }
            #expect(e == .nonFinite(path: url.path, line: 4, column: "u", value: bad))
        }
    }

    @Test func unknownColumnListsValidOnes() throws {
        let url = try TestData.file("cols.csv", "split,u,y\ntrain,1,2\n")
        let t = try CSVTable.read(url)
        let e = dataFileError { _ = try t.numbers("u2") }
        #expect(e == .unknownColumn(path: url.path, name: "u2", valid: ["split", "u", "y"]))
        #expect(e?.description == "\(url.path): unknown column 'u2'; valid columns: split, u, y")
        let s = try SignalTable(csv: t)
        #expect(dataFileError { _ = try s.channels(["y", "w"]) } == .unknownColumn(path: url.path, name: "w", valid: ["u", "y"]))
    }

    @Test func duplicateHeaderAndNonUTF8() throws {
        let dup = try TestData.file("dup.csv", "u,u\n1,2\n")
        #expect(dataFileError { _ = try CSVTable.read(dup) } == .duplicateColumn(path: dup.path, name: "u"))
        let bin = try makeTemporaryDirectory().appendingPathComponent("bin.csv")
        try Data([0x75, 0x0a, 0xff, 0xfe, 0x0a]).write(to: bin)
        #expect(dataFileError { _ = try CSVTable.read(bin) } == .unreadable(path: bin.path, reason: "not valid UTF-8 text"))
    }

    @Test func sha256KnownVectors() {
        // FIPS 180-4 examples: "abc" and the empty string; a two-block message (56 bytes).
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
