#pragma once
/**
 * \file threads.h
 * \brief One place to size every CPU thread pool the ML code uses, and to describe the runtime.
 *
 * LibTorch's at::set_num_threads sizes its own intra-op pool, but on Debian the matrix products go through
 * libblas.so.3 → OpenBLAS, whose pool is separate and defaults to all cores (ruling 23). configure_threads
 * sets both: OpenBLAS through `openblas_set_num_threads`, looked up at run time with dlsym so the code also
 * builds and runs where LibTorch brings its own BLAS (MKL) or none. Renders are bit-identical only for a
 * fixed thread count on the same build, so sidecars record runtime_description().
 * No torch headers here: ui code may include this file.
 */
#include <string>

namespace mb::ml {

/** What configure_threads did. */
struct ThreadConfig {
    int torchThreads = 0;       ///< at::get_num_threads() afterwards
    int blasThreads = -1;       ///< OpenBLAS pool size afterwards; -1 when no OpenBLAS is loaded
    bool openblasFound = false; ///< openblas_set_num_threads was found and called
};

/**
 * Sets LibTorch's intra-op threads to `n` (n ≤ 0 means "all hardware threads") and OpenBLAS's pool to
 * `blasThreads` (−1 = the same n). Also sets the OpenMP default (omp_set_num_threads, via dlsym).
 */
ThreadConfig configure_threads(int n, int blasThreads = -1);

/**
 * Makes sure OpenMP worker threads sleep instead of spinning between parallel regions. libgomp reads
 * OMP_WAIT_POLICY once, when it is loaded (before main), and with the default (spinning) policy its idle
 * workers compete with OpenBLAS's and other processes' threads: measured here a tiny-UNet step went from
 * 0.06 s to 0.4–1.5 s on a busy 2-core machine. Call first thing in main(): when OMP_WAIT_POLICY is unset it
 * sets PASSIVE and re-executes the program (/proc/self/exe) with the same arguments; when it is set (by the
 * user or by the re-exec) it returns at once. Returns false if the re-exec failed (the program continues).
 */
bool ensure_passive_openmp(char** argv);

/** True when OMP_WAIT_POLICY is PASSIVE in this process's environment. */
bool openmp_wait_is_passive();

/**
 * Sets OpenBLAS's pool to `n` threads for the lifetime of the object and restores the previous size after.
 * Used around regions where several OpenMP threads each call BLAS on their own (batch-parallel UNet calls):
 * a shared multi-threaded OpenBLAS pool there would only serialise or oversubscribe. No-op without OpenBLAS.
 */
class BlasThreadsScope {
public:
    explicit BlasThreadsScope(int n);
    ~BlasThreadsScope();
    BlasThreadsScope(const BlasThreadsScope&) = delete;
    BlasThreadsScope& operator=(const BlasThreadsScope&) = delete;

private:
    int m_previous = -1;
};

/**
 * While alive, freed memory stays in the process for the next allocation of the same size instead of going
 * back to the kernel: no mmap for big blocks, no trimming below 2 GiB of free top. A UNet step allocates and
 * frees the same few hundred tensors every call; returned to the kernel, each reuse costs page faults and
 * zeroing (measured, Zeroscope config 256×144×8: 1.4 M minor faults and ~5 s of kernel time per step; with
 * reuse ~0, and the step 6% faster). On destruction the defaults come back and free memory is trimmed, so a
 * long-lived editor gives it back after a job. glibc only (mallopt); elsewhere a no-op.
 */
class AllocatorReuseScope {
public:
    AllocatorReuseScope();
    ~AllocatorReuseScope();
    AllocatorReuseScope(const AllocatorReuseScope&) = delete;
    AllocatorReuseScope& operator=(const AllocatorReuseScope&) = delete;
};

/** Current thread counts without changing anything. */
ThreadConfig current_threads();

/**
 * One line describing the numeric runtime for sidecars, e.g.
 * "LibTorch 1.13.0; BLAS OpenBLAS 0.3.21 DYNAMIC_ARCH ... (SkylakeX), 2 threads; intra-op threads 2".
 */
std::string runtime_description();

} // namespace mb::ml
