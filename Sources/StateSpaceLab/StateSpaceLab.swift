// StateSpaceLab — umbrella module: `import StateSpaceLab` gives every library of the lab.
@_exported import LinearAlgebra
@_exported import SequenceModels
