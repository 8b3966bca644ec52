#ifndef SSLAB_CFFTW_SHIM_H
#define SSLAB_CFFTW_SHIM_H
// Keep fftw_complex as double[2] (imported as a (Double, Double) tuple) even when Glibc has
// pulled in <complex.h>: `double _Complex` does not import into Swift.
#define FFTW_NO_Complex 1
#include <fftw3.h>
#endif
