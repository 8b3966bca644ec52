// ClassificationFileTests.swift — bad-input paths of the wide and long classification layouts.

import Foundation
import Testing
import Evaluation
import LinearAlgebra
import TestSupport

@Suite struct ClassificationFileTests {
    @Test func wideLayoutReadsSeriesAndClasses() throws {
        let url = try TestData.file("w.csv", "split,label,x0,x1,x2\ntrain,10,1,2,3\ntrain,2,4,5,6\ntest,2,7,8,9\n")
        let d = try ClassificationData.readWide(url, name: "w")
        #expect(d.classes == ["2", "10"])  // numeric labels sort numerically
        #expect(d.train.map(\.classIndex) == [1, 0] && d.test.count == 1)
        expectClose(d.test[0].values.elements, [7, 8, 9])
        #expect(d.test[0].values.rows == 3 && d.test[0].line == 4)
        let bad = try TestData.file("wb.csv", "split,label,x0,x1\ntrain,a,1,oops\ntest,b,1,2\n")
        #expect(throws: DataFileError.nonNumeric(path: bad.path, line: 2, column: "x1", value: "oops")) {
            try ClassificationData.readWide(bad, name: "w")
        }
        let noTest = try TestData.file("wt.csv", "split,label,x0\ntrain,a,1\n")
        #expect(throws: SplitError.emptyPart(source: noTest.path, part: "test")) { try ClassificationData.readWide(noTest, name: "w") }
    }

    @Test func longLayoutChecksSeriesStructure() throws {
        let header = "split,series_id,label,t,ch0,ch1\n"
        let ok = try TestData.file("l.csv", header + "train,a,x,0,1,2\ntrain,a,x,1,3,4\ntest,b,y,0,5,6\n")
        let d = try ClassificationData.readLong(ok, name: "l")
        #expect(d.train[0].values == Matrix(rowsLiteral: [[1, 2], [3, 4]]))
        #expect(d.test[0].id == "b" && d.channelNames == ["ch0", "ch1"])

        let label = try TestData.file("l1.csv", header + "train,a,x,0,1,2\ntrain,a,z,1,3,4\ntest,b,y,0,5,6\n")
        #expect(throws: DataFileError.invalidValue(path: label.path, line: 3, column: "label", value: "z",
                                                   reason: "label changes within series a (was 'x')")) { try ClassificationData.readLong(label, name: "l") }
        let t = try TestData.file("l2.csv", header + "train,a,x,0,1,2\ntrain,a,x,2,3,4\ntest,b,y,0,5,6\n")
        #expect(throws: DataFileError.invalidValue(path: t.path, line: 3, column: "t", value: "2",
                                                   reason: "expected time index 1 within series a")) { try ClassificationData.readLong(t, name: "l") }
        let again = try TestData.file("l3.csv", header + "train,a,x,0,1,2\ntest,b,y,0,5,6\ntrain,a,x,0,1,2\n")
        #expect(throws: DataFileError.invalidValue(path: again.path, line: 4, column: "series_id", value: "a",
                                                   reason: "series appears again after other series (rows of a series must be contiguous)")) {
            try ClassificationData.readLong(again, name: "l")
        }
        let noID = try TestData.file("l4.csv", "split,label,t,ch0\ntrain,x,0,1\n")
        #expect(throws: DataFileError.unknownColumn(path: noID.path, name: "series_id", valid: ["split", "label", "t", "ch0"])) {
            try ClassificationData.readLong(noID, name: "l")
        }
    }

    @Test func normalisationFitsOnTrainingSeriesOnly() throws {
        // Train steps of ch0: 1, 3 → μ = 2, σ = 1; the test value 5 maps to 3.
        let url = try TestData.file("n.csv", "split,series_id,label,t,ch0\ntrain,a,x,0,1\ntrain,a,x,1,3\ntest,b,y,0,5\n")
        let d = try ClassificationData.readLong(url, name: "n")
        let z = d.fitNormalization()
        expectClose(z.mean, [2]); expectClose(z.scale, [1])
        expectClose(d.normalized(by: z).test[0].values.elements, [3])
    }
}

@Suite struct StratifiedValidationTests {
    @Test func validationCoversEveryClassOfAClassSortedFile() throws {
        // 10 series of class "a", then 10 of class "b", then 5 of "c" (sorted by class, as some
        // archives are): a file-order tail would validate on "c" only.
        var csv = "split,label,x0,x1\n"
        for (label, count) in [("a", 10), ("b", 10), ("c", 5)] { for i in 0..<count { csv += "train,\(label),\(i),\(i + 1)\n" } }
        csv += "test,a,0,1\ntest,b,1,2\ntest,c,2,3\n"
        let data = try ClassificationData.readWide(try TestData.file("sorted.csv", csv), name: "sorted").carvingValidation(fraction: 0.2)
        #expect(data.validation.count == 5 && data.train.count == 20)
        #expect(Dictionary(grouping: data.validation, by: \.label).mapValues(\.count) == ["a": 2, "b": 2, "c": 1])
        // The held-out series are the last of each class, and nothing is lost or duplicated.
        #expect(Set(data.validation.map(\.line)).isDisjoint(with: Set(data.train.map(\.line))))
        #expect(data.validation.filter { $0.label == "a" }.map(\.line) == [10, 11])   // lines 2…11 hold class "a"
    }
}
