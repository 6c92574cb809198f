#include "cli_common.h"

#include "arg_parser.h"
#include "doc/resource_paths.h"
#include "ml/compute_device.h"
#include "ml/compute_precision.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <unistd.h>

#ifndef MB_RESOURCE_DIR
#define MB_RESOURCE_DIR ""
#endif

namespace mb::cli {

namespace {

// Touched from the signal handler: only lock-free atomics are async-signal-safe there.
static_assert(std::atomic<bool>::is_always_lock_free, "CancelToken must be usable from a signal handler");
static_assert(std::atomic<int>::is_always_lock_free, "the signal number must be storable from a handler");
CancelToken g_signalCancel;
std::atomic<int> g_cancelSignal{0};
std::atomic<int> g_signalsSeen{0};

void restoreDefault(int sig) {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
}

extern "C" void onCancelSignal(int sig) {
    // Only atomics, sigaction and raise (async-signal-safe); the job does the stopping on its own thread.
    if (g_signalsSeen.fetch_add(1) == 0) {
        g_cancelSignal.store(sig);
        g_signalCancel.request();
        restoreDefault(SIGINT);
        restoreDefault(SIGTERM);
        return;
    }
    // A second signal, maybe handled at the same moment on another thread of this process: its default
    // action. It is blocked in this handler, so it stays pending and acts when the handler returns.
    restoreDefault(sig);
    raise(sig);
}

} // namespace

CancelToken* cancelOnSignals() {
    struct sigaction sa {};
    sa.sa_handler = onCancelSignal;
    // Both blocked while the handler runs: a second signal waits until the default action is back.
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART; // reads and writes in progress go on; the job notices at its next check
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return &g_signalCancel;
}

int cancelSignal() {
    return g_cancelSignal.load();
}

int cancelledExitCode() {
    const int sig = cancelSignal();
    return 128 + (sig ? sig : SIGINT);
}

JobControl makeConsoleJobControl(bool machine, CancelToken* cancel) {
    JobControl jc;
    jc.cancel = cancel;
    jc.progress = [machine](const JobProgress& p) {
        if (machine) {
            // The job's overall progress when it gives one (a take over all its stages), else the stage's.
            std::printf("percentage: %.1f %s\n", p.percent(), p.stage.c_str());
            if (!p.message.empty())
                std::printf("log: %s\n", p.message.c_str());
            for (const auto& [name, value] : p.values) // e.g. training losses
                std::printf("value: %s %.9g\n", name.c_str(), value);
            std::fflush(stdout);
        } else {
            // A live counter on a terminal; logs and pipes get only messages and the end of each stage.
            if (isatty(2))
                std::fprintf(stderr, "\r%s %lld/%lld%s", p.stage.c_str(), p.done, p.total,
                             p.done == p.total ? "\n" : "");
            else if (p.total > 0 && p.done == p.total)
                std::fprintf(stderr, "%s: %lld/%lld done\n", p.stage.c_str(), p.done, p.total);
            if (!p.message.empty())
                std::fprintf(stderr, "%s\n", p.message.c_str());
        }
    };
    return jc;
}

std::pair<int, int> parseSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || (x != 'x' && x != 'X') || w <= 0 ||
        h <= 0)
        throw UsageError("size must look like 576x320, got '" + text + "'");
    return {w, h};
}

DeviceOptions readDeviceOptions(const ArgParser& ap, const std::string& defaultDevice) {
    DeviceOptions o;
    o.device = ap.get("--device", defaultDevice);
    o.dtype = ap.get("--dtype", "auto");
    ml::DeviceChoice device;
    try {
        device = ml::parse_device(o.device);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--device: ") + e.what());
    }
    // Throws DeviceUnavailable for a device this build or machine lacks, before anything is loaded.
    const ml::ResolvedDevice resolved = ml::resolve_device(device);
    try {
        const ml::PrecisionChoice precision = ml::parse_precision(o.dtype);
        if (precision == ml::PrecisionChoice::Fp16)
            ml::resolve_precision(precision, resolved.device, 0); // refuses fp16 on the CPU
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--dtype: ") + e.what());
    }
    return o;
}

std::string resourceDir() {
    return findResourceDir(MB_RESOURCE_DIR);
}

} // namespace mb::cli
