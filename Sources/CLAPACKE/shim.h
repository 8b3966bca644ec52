#ifndef SSLAB_CLAPACKE_SHIM_H
#define SSLAB_CLAPACKE_SHIM_H
// Swift cannot import C99 `double _Complex`. lapack.h (included first by lapacke.h) honours
// LAPACK_COMPLEX_STRUCTURE only when HAVE_LAPACK_CONFIG_H is also set; then the complex types
// become `struct { double real, imag; }` (same 16-byte layout as Complex<Double>). Without both,
// every z*/c* routine would take opaque pointers.
#define HAVE_LAPACK_CONFIG_H 1
#define LAPACK_COMPLEX_STRUCTURE 1
#include <lapacke.h>
#endif
