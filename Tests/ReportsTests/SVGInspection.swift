// SVGInspection.swift — reading rendered SVG back in tests: XML parsing and path coordinates.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import Testing

/// One parsed XML element with its attributes and direct text.
struct XMLElementRecord {
    var name: String
    var attributes: [String: String]
    var text: String
}

private final class Collector: NSObject, XMLParserDelegate {
    var elements: [XMLElementRecord] = []
    var stack: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(XMLElementRecord(name: elementName, attributes: attributeDict, text: ""))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = stack.last { elements[i].text += string }
    }
}

/// The elements of `svg` in document order; records an issue and returns `nil` if the text is not
/// well-formed XML.
func parseSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) -> [XMLElementRecord]? {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    guard parser.parse() else {
        Issue.record("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")", sourceLocation: sourceLocation)
        return nil
    }
    return collector.elements
}

extension Array where Element == XMLElementRecord {
    func withClass(_ cls: String) -> [XMLElementRecord] { filter { $0.attributes["class"] == cls } }
}

/// Subpaths of SVG path data made of M, L, H, V and relative h (absolute points only).
func subpaths(_ d: String) -> [[PlotPoint]] {
    var result: [[PlotPoint]] = []
    var numbers: [Double] = []
    var command: Character? = nil
    var current = PlotPoint(x: 0, y: 0)
    func flush() {
        guard let c = command else { return }
        switch c {
        case "M", "L":
            var i = 0
            while i + 1 < numbers.count {
                current = PlotPoint(x: numbers[i], y: numbers[i + 1])
                if c == "M" && i == 0 { result.append([current]) } else { result[result.count - 1].append(current) }
                i += 2
            }
        case "h":
            for n in numbers { current.x += n; result[result.count - 1].append(current) }
        case "H":
            for n in numbers { current.x = n; result[result.count - 1].append(current) }
        case "V":
            for n in numbers { current.y = n; result[result.count - 1].append(current) }
        default:
            break
        }
        numbers = []
    }
    var token = ""
    for ch in d {
        if ch.isLetter {
            if let v = Double(token) { numbers.append(v) }
            token = ""
            flush()
            command = ch
        } else if ch == " " || ch == "," {
            if let v = Double(token) { numbers.append(v) }
            token = ""
        } else if ch == "-" && !token.isEmpty {
            if let v = Double(token) { numbers.append(v) }
            token = "-"
        } else {
            token.append(ch)
        }
    }
    if let v = Double(token) { numbers.append(v) }
    flush()
    return result
}

/// The plot-area rectangles of a parsed document.
func plotAreas(_ elements: [XMLElementRecord]) -> [PlotRect] {
    elements.withClass("plot-area").compactMap { e in
        guard let x = e.attributes["x"].flatMap(Double.init), let y = e.attributes["y"].flatMap(Double.init),
              let w = e.attributes["width"].flatMap(Double.init), let h = e.attributes["height"].flatMap(Double.init)
        else { return nil }
        return PlotRect(x: x, y: y, width: w, height: h)
    }
}

/// Every number written in `svg` (attribute values and path data), as text.
func numberTokens(_ svg: String) -> [Substring] {
    var tokens: [Substring] = []
    var start: String.Index? = nil
    for i in svg.indices {
        let c = svg[i]
        if c.isNumber || c == "." {
            if start == nil { start = i }
        } else if let s = start {
            tokens.append(svg[s..<i])
            start = nil
        }
    }
    return tokens
}
