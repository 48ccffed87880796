#ifndef NOCTURNE_CLIBPQ_SHIM_H
#define NOCTURNE_CLIBPQ_SHIM_H
// PostgreSQL's client library. Only the Swift module `Database` imports this.
#include <libpq-fe.h>

#endif
