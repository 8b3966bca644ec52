// InfoCommand.swift — the numerical back ends in use.

import ArgumentParser
import Foundation
import StateSpaceLab

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the BLAS configuration and thread count.")
    func run() throws {
        print("OpenBLAS: \(BLAS.configuration)")
        print("core: \(BLAS.coreName), threads: \(BLAS.threads)")
    }
}
