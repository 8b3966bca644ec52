// StateSpaceLab — umbrella module: `import StateSpaceLab` gives every library of the lab.
@_exported import LinearAlgebra
@_exported import StateSpace
@_exported import Reports
@_exported import Evaluation
@_exported import Spectral
