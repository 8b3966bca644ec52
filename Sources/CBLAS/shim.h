#ifndef SSLAB_CBLAS_SHIM_H
#define SSLAB_CBLAS_SHIM_H
// Debian: /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h (found via pkg-config openblas).
// Also declares openblas_set_num_threads / openblas_get_num_threads / openblas_get_config.
#include <cblas.h>
#endif
