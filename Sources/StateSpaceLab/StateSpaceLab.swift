// StateSpaceLab — umbrella module: `import StateSpaceLab` gives every library of the lab.
@_exported import LinearAlgebra
@_exported import Spectral
@_exported import StateSpace
@_exported import SequenceModels
@_exported import Baselines
@_exported import Evaluation
@_exported import Reports
