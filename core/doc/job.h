#pragma once
/**
 * \file job.h
 * \brief The contract every long core job follows: a per-call progress callback and a cancel token.
 *
 * Long jobs (fine-tuning, rendering, encoding, auto-masking) never block the caller's thread by
 * themselves: the caller runs them on a worker thread (a QThread in ui, the main thread in the CLI)
 * and passes a JobControl. The job calls progress() at least once per unit of work and checks
 * cancelled() between units; when it sees a cancel it stops within one unit and throws JobCancelled,
 * leaving nothing half-written behind (outputs go to a temporary name first).
 *
 * Usage:
 * \code
 *   mb::CancelToken cancel;
 *   mb::JobControl jc;
 *   jc.cancel = &cancel;
 *   jc.progress = [](const mb::JobProgress& p) { std::printf("percentage: %.1f\n", 100 * p.fraction()); };
 *   renderAnimatic(project, out, jc);   // another thread may call cancel.request()
 * \endcode
 */
#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mb {

/** A cancel request shared between the thread that asks and the worker that obeys. Thread-safe. */
class CancelToken {
public:
    /** Asks the job to stop at its next check. Called directly (never queued) from any thread. */
    void request() { m_requested.store(true); }
    bool requested() const { return m_requested.load(); }
    /** Set by the worker when it saw the request and stopped: lets the UI tell "stopping" from "stopped". */
    void acknowledge() { m_acknowledged.store(true); }
    bool acknowledged() const { return m_acknowledged.load(); }
    void reset() {
        m_requested.store(false);
        m_acknowledged.store(false);
    }

private:
    std::atomic<bool> m_requested{false};
    std::atomic<bool> m_acknowledged{false};
};

/** One progress report. `done` of `total` units of the current `stage`; `message` is optional log text. */
struct JobProgress {
    std::string stage;   ///< e.g. "encode", "denoise", "train"
    long long done = 0;  ///< units finished in this stage
    long long total = 0; ///< units in this stage (0 = unknown)
    std::string message; ///< a log line, may be empty
    /** Extra named numbers (e.g. losses while training); empty for most jobs. */
    std::vector<std::pair<std::string, double>> values;
    double fraction() const { return total > 0 ? double(done) / double(total) : 0.0; }
};

/** Thrown by a job that stopped because its CancelToken was requested. */
class JobCancelled : public std::runtime_error {
public:
    JobCancelled() : std::runtime_error("cancelled") {}
};

/** What a caller hands to a long job. Both members are optional. */
struct JobControl {
    std::function<void(const JobProgress&)> progress;
    CancelToken* cancel = nullptr;

    void report(const JobProgress& p) const {
        if (progress)
            progress(p);
    }
    void report(const std::string& stage, long long done, long long total,
                const std::string& message = {}) const {
        if (progress) {
            JobProgress p;
            p.stage = stage;
            p.done = done;
            p.total = total;
            p.message = message;
            progress(p);
        }
    }
    /** Throws JobCancelled (after acknowledging) when a cancel was requested. Call between units of work. */
    void checkCancelled() const {
        if (cancel && cancel->requested()) {
            cancel->acknowledge();
            throw JobCancelled();
        }
    }
};

} // namespace mb
