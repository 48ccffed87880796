#ifndef NOCTURNE_CWCSLIB_SHIM_H
#define NOCTURNE_CWCSLIB_SHIM_H
// WCSLIB's headers have generic names (wcs.h, lin.h, prj.h), so they are always
// included through the wcslib/ folder. Only the Swift module `WCS` imports this.
#include <wcslib/wcs.h>
#include <wcslib/wcshdr.h>
#include <wcslib/wcsfix.h>
#include <wcslib/wcserr.h>
#include <wcslib/wcsprintf.h>
#include <wcslib/wcsutil.h>

// Swift cannot import WCSLIB's message tables (arrays of unknown size), so
// these accessors read them with a bounds check against the status enums the
// tables are declared alongside. They return NULL for a status outside a table.
static inline const char *nocturne_wcs_errmsg(int status) {
    return (status >= 0 && status <= WCSERR_UNSET) ? wcs_errmsg[status] : 0;
}

static inline const char *nocturne_wcshdr_errmsg(int status) {
    return (status >= 0 && status <= WCSHDRERR_BAD_TABULAR_PARAMS) ? wcshdr_errmsg[status] : 0;
}

static inline const char *nocturne_wcsfix_errmsg(int status) {
    return (status >= 0 && status <= FIXERR_NO_REF_PIX_VAL) ? wcsfix_errmsg[status] : 0;
}

#endif
