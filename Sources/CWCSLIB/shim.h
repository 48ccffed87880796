#ifndef NOCTURNE_CWCSLIB_SHIM_H
#define NOCTURNE_CWCSLIB_SHIM_H
// WCSLIB's headers have generic names (wcs.h, lin.h, prj.h), so they are always
// included through the wcslib/ folder. Only the Swift module `WCS` imports this.
#include <wcslib/wcs.h>
#include <wcslib/wcshdr.h>
#include <wcslib/wcsfix.h>
#include <wcslib/wcserr.h>
#include <wcslib/wcsprintf.h>

#endif
