#ifndef NOCTURNE_CZEROMQ_SHIM_H
#define NOCTURNE_CZEROMQ_SHIM_H
// libzmq's C API. Only the Swift module `Messaging` imports this.
#include <zmq.h>

#endif
