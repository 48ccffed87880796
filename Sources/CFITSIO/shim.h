#ifndef NOCTURNE_CFITSIO_SHIM_H
#define NOCTURNE_CFITSIO_SHIM_H
// CFITSIO's long names (fits_open_file, ...) are macros that Swift cannot
// import. The Swift module `FITS` calls the short names (ffopen, ffgkyd, ...),
// which are real functions; anything else a macro hides is re-exported here as
// a prefixed static inline function.
#include <fitsio.h>

/// CFITSIO's status for "keyword not found", as a plain int for Swift.
static inline int nocturne_fits_key_not_found(void) { return KEY_NO_EXIST; }
/// The length of a FITS card image without the terminating NUL (80).
static inline int nocturne_fits_card_length(void) { return FLEN_CARD - 1; }

#endif
