#ifndef NOCTURNE_CFFTW_SHIM_H
#define NOCTURNE_CFFTW_SHIM_H
// Single-precision FFTW (fftwf_*) with its threads library. Only the Swift
// module `FFT` imports this.
#include <fftw3.h>

/// FFTW's planner flags as plain values, because Swift imports the macros as
/// `Int32` while the planner takes `unsigned`.
static inline unsigned nocturne_fftw_estimate(void) { return FFTW_ESTIMATE; }
static inline unsigned nocturne_fftw_measure(void) { return FFTW_MEASURE; }
static inline unsigned nocturne_fftw_patient(void) { return FFTW_PATIENT; }
static inline unsigned nocturne_fftw_wisdom_only(void) { return FFTW_WISDOM_ONLY; }
static inline unsigned nocturne_fftw_destroy_input(void) { return FFTW_DESTROY_INPUT; }
static inline unsigned nocturne_fftw_preserve_input(void) { return FFTW_PRESERVE_INPUT; }

#endif
