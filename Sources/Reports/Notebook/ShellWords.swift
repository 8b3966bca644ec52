// ShellWords.swift — splitting one command line into words the way a POSIX shell would, but
// without any expansion.
//
// The rules (a subset of POSIX sh, "Token Recognition"):
//  - unquoted blanks (space, tab) separate words;
//  - '…' keeps every character literally (no escapes inside);
//  - "…" keeps every character except that \" \\ \$ and \` stand for the second character;
//  - an unquoted \ makes the next character literal;
//  - an unquoted # at the start of a word starts a comment that runs to the end of the line;
//  - the shell's operators | & ; < > ( ) are refused when unquoted: nothing here is a shell, so
//    `cmd > file` must be written `cmd --output file`.
// There is no expansion of any kind: $HOME, *, ~ and `…` are ordinary characters.

/// A malformed command line; `column` is 1-based within the line.
public struct ShellWordsError: Error, Equatable, Sendable, CustomStringConvertible {
    public var column: Int
    public var message: String
    public var description: String { "column \(column): \(message)" }

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }
}

/// One command line split into words, with its trailing comment (if any).
public struct ShellWords: Equatable, Sendable {
    /// The words, quotes removed.
    public var words: [String]
    /// The text after an unquoted `#` that starts a word, trimmed; `nil` without a comment.
    public var comment: String?

    /// Splits `line` (no line breaks; join continuation lines first).
    /// - Complexity: O(characters).
    public static func split(_ line: String) throws(ShellWordsError) -> ShellWords {
        var words: [String] = []
        var word = ""
        var inWord = false
        var column = 0
        var chars = Array(line)
        chars.append(" ")   // a sentinel blank ends the last word
        var i = 0
        func finish() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        while i < chars.count {
            let c = chars[i]
            column = i + 1
            switch c {
            case " ", "\t":
                finish()
            case "#" where !inWord:
                let text = String(chars[(i + 1)..<(chars.count - 1)]).trimmingBlanks()
                return ShellWords(words: words, comment: text)
            case "'":
                inWord = true
                guard let close = chars[(i + 1)...].firstIndex(of: "'") else {
                    throw ShellWordsError(column: column, message: "the single quote is not closed")
                }
                word += String(chars[(i + 1)..<close])
                i = close
            case "\"":
                inWord = true
                var j = i + 1
                var closed = false
                while j < chars.count - 1 {
                    let d = chars[j]
                    if d == "\"" { closed = true; break }
                    if d == "\\", j + 1 < chars.count - 1, "\"\\$`".contains(chars[j + 1]) {
                        word.append(chars[j + 1])
                        j += 2
                        continue
                    }
                    word.append(d)
                    j += 1
                }
                guard closed else { throw ShellWordsError(column: column, message: "the double quote is not closed") }
                i = j
            case "\\":
                guard i + 1 < chars.count - 1 else {
                    throw ShellWordsError(column: column, message: "a backslash at the end of the line escapes nothing")
                }
                inWord = true
                word.append(chars[i + 1])
                i += 1
            case "|", "&", ";", "<", ">", "(", ")":
                throw ShellWordsError(column: column, message: "'\(c)' is a shell operator, and notebook commands are not run by a shell (quote it to pass it literally; write files with --output)")
            default:
                inWord = true
                word.append(c)
            }
            i += 1
        }
        return ShellWords(words: words, comment: nil)
    }

    /// `word` quoted so that `split` gives it back unchanged (for showing commands).
    public static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:+@%^".contains($0) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\r\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\r\n" { s.removeLast() }
        return String(s)
    }
}
