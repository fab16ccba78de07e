// Cache prefetch hints for hash-table inner loops (Swift has no prefetch intrinsic). Header-only: the
// function is inlined into its Swift callers; it changes no results, only when memory is fetched.
#ifndef TARN_PREFETCH_SHIM_H
#define TARN_PREFETCH_SHIM_H

/// Asks the CPU to start loading the cache line holding `address` (for reading and writing soon).
static inline __attribute__((always_inline)) void tarn_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
