// FFTW.swift — the narrow boundary to FFTW 3 (the only file that names `fftw_*` planners).
//
// Goals, in priority order:
//   1. Thread safety: FFTW's planner (every `fftw(f)_plan_*` and `fftw(f)_destroy_plan`) is not
//      thread-safe, so all of them run under the one `plannerLock` below. Executing plans with
//      the new-array functions (`fftw_execute_dft_r2c` and friends) is thread-safe and needs no lock.
//   2. No pointer escapes: raw pointers enter here and are handed straight to C.
//   3. Speed: plans are made for 16-byte aligned `fftw_malloc` memory (SIMD codelets); callers
//      execute them on arrays of the same alignment (checked by `isAligned`) or copy through
//      aligned scratch. Plans are always out of place.
//
// Frigo & Johnson, "The Design and Implementation of FFTW3" (Proc. IEEE 93(2), 2005).

import CFFTW
import Numerics
import Synchronization

/// The one lock around FFTW's planner. Every plan creation and destruction in the lab takes it.
private let plannerLock = Mutex<Void>(())

/// Runs `body` while holding the FFTW planner lock. `body` must not call back into the lock.
///
/// `Mutex.withLock` returns a `sending` value, which a non-Sendable `OpaquePointer` cannot be;
/// so results leave through variables captured by `body` instead (see SWIFT-NOTES, Gotcha 5).
func withFFTWPlanner(_ body: () -> Void) {
    plannerLock.withLock { _ in body() }
}

/// The transform an FFTW plan computes.
enum FFTWTransform: Hashable {
    /// Real to half-complex (`r2c`): `n` reals to `n/2 + 1` complex values per transform.
    case realToComplex
    /// Half-complex to real (`c2r`): destroys its input.
    case complexToReal
    /// Complex to complex with FFTW's sign convention: forward `e^{-2πi jk/n}`, backward `e^{+2πi jk/n}`.
    case complex(forward: Bool)
}

enum FFTW {
    /// Makes a batched 1-D plan for `howmany` contiguous transforms of length `n` on the given
    /// planning arrays (which `FFTW_MEASURE` overwrites). Takes the planner lock.
    ///
    /// Layout: transform `b` reads `input[b·idist ..< b·idist + …]` and writes `output[b·odist …]`
    /// with unit stride; `idist`/`odist` are `n` for real and complex-to-complex data and
    /// `n/2 + 1` for half-complex data.
    static func makePlan(_ transform: FFTWTransform, precision: FFTPrecision, n: Int, howmany: Int,
                         input: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer,
                         flags: UInt32) -> OpaquePointer {
        precondition(n >= 1 && howmany >= 1 && n <= Int(Int32.max) && howmany <= Int(Int32.max)) // invariant: callers check sizes
        var length = Int32(n)
        let count = Int32(howmany), half = Int32(n / 2 + 1)
        var plan: OpaquePointer?
        withFFTWPlanner {
            switch (precision, transform) {
            case (.double, .realToComplex):
                plan = fftw_plan_many_dft_r2c(1, &length, count, input.assumingMemoryBound(to: Double.self), nil, 1, length,
                                              output.assumingMemoryBound(to: fftw_complex.self), nil, 1, half, flags)
            case (.double, .complexToReal):
                plan = fftw_plan_many_dft_c2r(1, &length, count, input.assumingMemoryBound(to: fftw_complex.self), nil, 1, half,
                                              output.assumingMemoryBound(to: Double.self), nil, 1, length, flags)
            case let (.double, .complex(forward)):
                plan = fftw_plan_many_dft(1, &length, count, input.assumingMemoryBound(to: fftw_complex.self), nil, 1, length,
                                          output.assumingMemoryBound(to: fftw_complex.self), nil, 1, length,
                                          forward ? FFTW_FORWARD : FFTW_BACKWARD, flags)
            case (.single, .realToComplex):
                plan = fftwf_plan_many_dft_r2c(1, &length, count, input.assumingMemoryBound(to: Float.self), nil, 1, length,
                                               output.assumingMemoryBound(to: fftwf_complex.self), nil, 1, half, flags)
            case (.single, .complexToReal):
                plan = fftwf_plan_many_dft_c2r(1, &length, count, input.assumingMemoryBound(to: fftwf_complex.self), nil, 1, half,
                                               output.assumingMemoryBound(to: Float.self), nil, 1, length, flags)
            case let (.single, .complex(forward)):
                plan = fftwf_plan_many_dft(1, &length, count, input.assumingMemoryBound(to: fftwf_complex.self), nil, 1, length,
                                           output.assumingMemoryBound(to: fftwf_complex.self), nil, 1, length,
                                           forward ? FFTW_FORWARD : FFTW_BACKWARD, flags)
            }
        }
        guard let plan else {
            // FFTW returns NULL only for impossible flag combinations, never for a 1-D batch.
            preconditionFailure("FFTW could not plan a \(transform) transform of length \(n) × \(howmany)") // invariant: 1-D plans always exist
        }
        return plan
    }

    /// Destroys a plan under the planner lock.
    static func destroy(_ plan: OpaquePointer, precision: FFTPrecision) {
        withFFTWPlanner {
            switch precision {
            case .double: fftw_destroy_plan(plan)
            case .single: fftwf_destroy_plan(plan)
            }
        }
    }

    /// Executes `plan` on new arrays (thread-safe; no lock). The arrays must have the planning
    /// arrays' alignment (see `isAligned`) and must not overlap.
    @inline(__always)
    static func execute(_ plan: OpaquePointer, _ transform: FFTWTransform, precision: FFTPrecision,
                        input: UnsafeMutableRawPointer, output: UnsafeMutableRawPointer) {
        switch (precision, transform) {
        case (.double, .realToComplex):
            fftw_execute_dft_r2c(plan, input.assumingMemoryBound(to: Double.self), output.assumingMemoryBound(to: fftw_complex.self))
        case (.double, .complexToReal):
            fftw_execute_dft_c2r(plan, input.assumingMemoryBound(to: fftw_complex.self), output.assumingMemoryBound(to: Double.self))
        case (.double, .complex):
            fftw_execute_dft(plan, input.assumingMemoryBound(to: fftw_complex.self), output.assumingMemoryBound(to: fftw_complex.self))
        case (.single, .realToComplex):
            fftwf_execute_dft_r2c(plan, input.assumingMemoryBound(to: Float.self), output.assumingMemoryBound(to: fftwf_complex.self))
        case (.single, .complexToReal):
            fftwf_execute_dft_c2r(plan, input.assumingMemoryBound(to: fftwf_complex.self), output.assumingMemoryBound(to: Float.self))
        case (.single, .complex):
            fftwf_execute_dft(plan, input.assumingMemoryBound(to: fftwf_complex.self), output.assumingMemoryBound(to: fftwf_complex.self))
        }
    }

    /// `true` when `pointer` has the alignment of `fftw_malloc` memory, i.e. the alignment plans
    /// were made for (`fftw_alignment_of` is the address modulo FFTW's SIMD alignment).
    @inline(__always)
    static func isAligned(_ pointer: UnsafeRawPointer, precision: FFTPrecision) -> Bool {
        let p = UnsafeMutableRawPointer(mutating: pointer)
        switch precision {
        case .double: return fftw_alignment_of(p.assumingMemoryBound(to: Double.self)) == 0
        case .single: return fftwf_alignment_of(p.assumingMemoryBound(to: Float.self)) == 0
        }
    }

    /// FFTW's planner flags for a rigor level. Plans never carry `FFTW_UNALIGNED`: misaligned
    /// arrays are copied through aligned scratch instead, so the SIMD codelets stay usable.
    static func flags(_ rigor: FFTPlanningRigor) -> UInt32 {
        switch rigor {
        case .estimate: return FFTW_ESTIMATE
        case .measure: return FFTW_MEASURE
        case .patient: return FFTW_PATIENT
        }
    }
}

/// A zero-initialised array of a trivial type (`Float`, `Double`, `Complex<…>`) in `fftw_malloc`
/// memory (SIMD-aligned), freed on deinit: the long-lived workspace of a reusable object (zeroing
/// at construction also faults its pages in before the first timed call). Per-call scratch comes
/// from `ScratchPool` instead. Not thread-safe: owners use it from one thread at a time.
final class AlignedBuffer<Element> {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int) {
        precondition(count >= 0) // invariant: callers pass sizes they computed
        self.count = count
        let bytes = max(1, count) * MemoryLayout<Element>.stride
        guard let raw = fftw_malloc(bytes) else {
            preconditionFailure("fftw_malloc could not allocate \(bytes) bytes") // invariant: out of memory is not recoverable
        }
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    deinit { fftw_free(UnsafeMutableRawPointer(pointer)) }

    var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(pointer) }
}
