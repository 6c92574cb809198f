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
 *   jc.progress = [](const mb::JobProgress& p) { std::printf("percentage: %.1f\n", p.percent()); };
 *   renderAnimatic(project, out, jc);   // another thread may call cancel.request()
 * \endcode
 *
 * A job of several stages (a take: load, text encoding, denoising, decoding, encoding) reports each stage's
 * own done/total; StagedProgress turns those into one overall fraction over all stages, so a progress bar
 * and its ETA run once from 0 to 100 % instead of restarting at every stage.
 */
#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
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
    /** The whole job's progress over all its stages in 0..1 (StagedProgress), or negative when the job
     *  reports its stages only. */
    double overall = -1;
    /** The current stage's fraction done. */
    double fraction() const { return total > 0 ? double(done) / double(total) : 0.0; }
    /** What a progress bar shows: the overall fraction when the job gives one, else the stage's. */
    double overallFraction() const { return overall >= 0 ? std::min(1.0, overall) : fraction(); }
    /** overallFraction() in percent, rounded down to a tenth, so that 100 means finished, never "nearly". */
    double percent() const { return std::floor(overallFraction() * 1000.0 + 1e-9) / 10.0; }
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

/** One stage of a job and its share of the job's time (any unit: only the ratios matter). */
struct StageWeight {
    std::string stage;
    double weight = 1;
};

/**
 * One overall fraction from per-stage reports. The stages come in order; a report of stage k at done/total
 * puts the job at (the weights of stages 0..k−1 + weight k · done/total) / (all weights). Reporting a stage
 * completes the stages before it (a stage that reports nothing still counts as done once a later one
 * reports). The fraction never goes back: a late message of an earlier stage keeps it where it is, and so
 * does a stage that is not in the list. It reaches 1 only when the last stage reports done == total.
 */
class StagedProgress {
public:
    explicit StagedProgress(std::vector<StageWeight> stages) : m_stages(std::move(stages)) {
        for (const StageWeight& s : m_stages)
            m_total += std::max(0.0, s.weight);
    }

    /** The overall fraction (0..1) after `p`, a report of one of the stages. */
    double advance(const JobProgress& p) {
        for (size_t i = 0; i < m_stages.size(); ++i) {
            if (m_stages[i].stage != p.stage)
                continue;
            double before = 0;
            for (size_t k = 0; k < i; ++k)
                before += std::max(0.0, m_stages[k].weight);
            const double w = std::max(0.0, m_stages[i].weight);
            const double at = m_total > 0 ? (before + w * std::clamp(p.fraction(), 0.0, 1.0)) / m_total : 0.0;
            m_overall = std::max(m_overall, std::min(1.0, at));
            break;
        }
        return m_overall;
    }
    double overall() const { return m_overall; }
    const std::vector<StageWeight>& stages() const { return m_stages; }

private:
    std::vector<StageWeight> m_stages;
    double m_total = 0;
    double m_overall = 0;
};

/** A JobControl that hands every report on to `outer` with JobProgress::overall set from `stages`
 *  (StagedProgress), with the same cancel token. Reports may come from any one thread at a time. */
inline JobControl withOverallProgress(const JobControl& outer, std::vector<StageWeight> stages) {
    JobControl jc;
    jc.cancel = outer.cancel;
    if (outer.progress) {
        struct State {
            std::mutex mutex;
            StagedProgress staged;
            explicit State(std::vector<StageWeight> s) : staged(std::move(s)) {}
        };
        auto state = std::make_shared<State>(std::move(stages));
        jc.progress = [state, forward = outer.progress](const JobProgress& p) {
            JobProgress q = p;
            {
                std::lock_guard<std::mutex> lock(state->mutex);
                q.overall = state->staged.advance(p);
            }
            forward(q);
        };
    }
    return jc;
}

} // namespace mb
