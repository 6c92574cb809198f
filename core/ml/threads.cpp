#include "ml/threads.h"

#include <algorithm>
#include <sstream>
#include <thread>

#include <cstdlib>
#include <cstring>

#include <dlfcn.h>
#include <limits>
#include <malloc.h>
#include <unistd.h>

#include <ATen/Parallel.h>
#include <torch/version.h>

namespace mb::ml {

namespace {

/** Finds a symbol in what is already loaded: the global scope first, then OpenBLAS by soname. */
void* findLoadedSymbol(const char* name) {
    if (void* sym = dlsym(RTLD_DEFAULT, name)) {
        return sym;
    }
    for (const char* lib : {"libopenblas.so.0", "libblas.so.3", "libopenblasp-r0.3.21.so"}) {
        // RTLD_NOLOAD: only look at a library the process already uses, never load a second BLAS.
        if (void* handle = dlopen(lib, RTLD_LAZY | RTLD_NOLOAD)) {
            void* sym = dlsym(handle, name);
            dlclose(handle); // drops only the reference RTLD_NOLOAD added
            if (sym) {
                return sym;
            }
        }
    }
    return nullptr;
}

using SetThreadsFn = void (*)(int);
using GetThreadsFn = int (*)();
using GetConfigFn = char* (*)();
using GetCoreFn = char* (*)();

/** OpenBLAS's pool-size setter, looked up once (null without OpenBLAS). */
SetThreadsFn openblasSetThreads() {
    static const auto set = reinterpret_cast<SetThreadsFn>(findLoadedSymbol("openblas_set_num_threads"));
    return set;
}

} // namespace

bool openmp_wait_is_passive() {
    const char* v = std::getenv("OMP_WAIT_POLICY");
    return v && (std::strcmp(v, "PASSIVE") == 0 || std::strcmp(v, "passive") == 0);
}

bool ensure_passive_openmp(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") || !argv || !argv[0]) {
        return true; // the user's choice (or the re-exec already happened)
    }
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv);
    return false; // exec failed: carry on with the spinning policy
}

ThreadConfig current_threads() {
    ThreadConfig c;
    c.torchThreads = at::get_num_threads();
    // Looked up once: this is called before every large matrix product (parallel_ops.cpp).
    static const auto get = reinterpret_cast<GetThreadsFn>(findLoadedSymbol("openblas_get_num_threads"));
    if (get) {
        c.blasThreads = get();
        c.openblasFound = true;
    }
    return c;
}

ThreadConfig configure_threads(int n, int blasThreads) {
    if (n <= 0) {
        n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    at::set_num_threads(n);
    if (auto ompSet = reinterpret_cast<SetThreadsFn>(findLoadedSymbol("omp_set_num_threads"))) {
        ompSet(n);
    }
    if (auto blasSet = openblasSetThreads()) {
        blasSet(blasThreads > 0 ? blasThreads : n);
    }
    return current_threads();
}

BlasThreadsScope::BlasThreadsScope(int n) {
    const ThreadConfig c = current_threads();
    const SetThreadsFn set = openblasSetThreads();
    if (set && c.blasThreads > 0 && c.blasThreads != n) {
        m_previous = c.blasThreads;
        set(n);
    }
}

BlasThreadsScope::~BlasThreadsScope() {
    const SetThreadsFn set = openblasSetThreads();
    if (set && m_previous > 0) {
        set(m_previous);
    }
}

AllocatorReuseScope::AllocatorReuseScope() {
#ifdef __GLIBC__
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    mallopt(M_TOP_PAD, 64 << 20);
#endif
}

AllocatorReuseScope::~AllocatorReuseScope() {
#ifdef __GLIBC__
    mallopt(M_MMAP_MAX, 65536);           // glibc's default
    mallopt(M_TRIM_THRESHOLD, 128 << 10); // glibc's default
    mallopt(M_TOP_PAD, 0);
    malloc_trim(0);
#endif
}

std::string runtime_description() {
    std::ostringstream s;
    s << "LibTorch " << TORCH_VERSION_MAJOR << '.' << TORCH_VERSION_MINOR << '.' << TORCH_VERSION_PATCH;
    const ThreadConfig c = current_threads();
    auto config = reinterpret_cast<GetConfigFn>(findLoadedSymbol("openblas_get_config"));
    auto core = reinterpret_cast<GetCoreFn>(findLoadedSymbol("openblas_get_corename"));
    if (config) {
        s << "; BLAS " << config();
        if (core) {
            s << " (core " << core() << ")";
        }
        s << ", " << c.blasThreads << " threads";
    } else {
        s << "; BLAS: no OpenBLAS loaded (LibTorch's own)";
    }
    s << "; intra-op threads " << c.torchThreads;
    const char* wait = std::getenv("OMP_WAIT_POLICY");
    s << "; OMP_WAIT_POLICY " << (wait ? wait : "unset");
    return s.str();
}

} // namespace mb::ml
