/* STREAM-like read bandwidth: T threads each sum their part of a large array of doubles (8 lanes,
   vectorisable). Prints the best GB/s of several passes.  cc -O3 -march=native -pthread membw.c */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double *data; static size_t n; static int threads;
static double partial[64];

static void *worker(void *arg) {
    long t = (long)arg; size_t lo = n * t / threads, hi = n * (t + 1) / threads;
    double s[8] = {0};
    for (size_t i = lo; i + 8 <= hi; i += 8)
        for (int k = 0; k < 8; k++) s[k] += data[i + k];
    partial[t] = s[0] + s[1] + s[2] + s[3] + s[4] + s[5] + s[6] + s[7];
    return NULL;
}

int main(int argc, char **argv) {
    threads = argc > 1 ? atoi(argv[1]) : 2;
    size_t bytes = (argc > 2 ? (size_t)atol(argv[2]) : 1024) << 20;
    n = bytes / sizeof(double);
    data = aligned_alloc(64, n * sizeof(double));
    for (size_t i = 0; i < n; i++) data[i] = (double)(i & 1023);
    double best = 0, check = 0;
    for (int pass = 0; pass < 10; pass++) {
        struct timespec a, b; pthread_t tid[64];
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (long t = 0; t < threads; t++) pthread_create(&tid[t], NULL, worker, (void *)t);
        for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
        double gbs = n * sizeof(double) / s / 1e9;
        if (gbs > best) best = gbs;
        for (int t = 0; t < threads; t++) check += partial[t];
    }
    printf("%.2f\n", best);
    fprintf(stderr, "checksum %g\n", check);
    return 0;
}
