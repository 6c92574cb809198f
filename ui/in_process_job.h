#pragma once
/**
 * \file in_process_job.h
 * \brief A core job (render a take, fine-tune subjects, convert weights) run on a worker QThread inside the
 *        editor, as an alternative to the separate `motionbooth-cli` process (ProcessJob).
 *
 * It is a ProcessJob for the queue and the Jobs dock: the job's JobProgress reports become the same progress
 * (the job's overall percent when it gives one, as a take does, else the current stage's), stage, log lines
 * and named values (training losses) a child's `percentage:`/`log:`/`value:` lines give, and a take's step
 * previews come straight from renderTake's callback instead of a `preview:` file, so progress bar, ETA, log,
 * loss plot, previews and cancel work alike. The reports are queued to the UI thread; the UI thread never
 * waits for the work.
 *
 * cancel() requests the job's CancelToken; the work stops at its next check (between denoising steps,
 * training steps, weight files) and the job ends Cancelled. Unlike a child process it cannot be killed, and a
 * crash in the model takes the editor down: that is why separate processes stay the default (Preferences).
 * Destroying a running job requests a cancel and waits for the work to stop.
 *
 * \code
 *   auto result = std::make_shared<mb::TrainResult>();
 *   auto* job = new InProcessJob(tr("Fine-tune"), {"train", project}, [=](const mb::JobControl& jc) {
 *       *result = mb::trainSubjects(mb::loadProject(project), request, jc);
 *       return QStringLiteral("trained");
 *   });
 *   queue->add(job);   // its ended(Finished) handler reads *result on the UI thread
 * \endcode
 */
#include "doc/job.h"
#include "ui/process_job.h"
#include "ui/render_options.h"

#include <functional>
#include <memory>

class QThread;

namespace mb {
struct TrainResult;
}

namespace mb::ui {

class InProcessJob : public ProcessJob {
    Q_OBJECT
public:
    /**
     * The work: runs once on the worker thread with the job's JobControl; returns a line for the log (may be
     * empty); throws to fail (the exception's text becomes errorMessage()) or JobCancelled when cancelled.
     */
    using Work = std::function<QString(const JobControl&)>;

    /** `arguments` only describe the job (shown as its command line, like the CLI's arguments would be). */
    InProcessJob(QString label, QStringList arguments, Work work, QObject* parent = nullptr);
    ~InProcessJob() override; ///< requests a cancel and waits for running work

    /** The program name commandLine() shows for in-process jobs. */
    static QString programName();

    /** Hands a step preview to the UI thread (queued); callable from the work. `strip` holds `frames`
     *  pictures side by side. */
    void postPreview(const QImage& strip, int frames, int step, int steps);

public Q_SLOTS:
    /** Starts the work on a new worker thread (once). */
    void begin() override;
    /** Requests the job's CancelToken; the job ends Cancelled when the work has stopped. */
    void cancel() override;

private:
    void onWorkDone();

    Work m_work;
    std::shared_ptr<CancelToken> m_cancel;
    QThread* m_thread = nullptr;
    // Written by the worker before it finishes, read on the UI thread after QThread::finished.
    enum class Outcome { Finished, Failed, Cancelled } m_outcome = Outcome::Failed;
    QString m_outcomeText;
};

/** Queues a render of a take in-process: loads `projectPath` and runs renderTake (as `motionbooth-cli render
 *  PROJECT -o OUT --seed S` would, with `options` as its draft flags); outputPath() and tag() as
 *  makeRenderJob() sets them; step previews as preview(). `model` may override the project's model folder
 *  (empty = the project's); `threads` 0 = all cores. */
InProcessJob* makeInProcessRenderJob(const QString& projectPath, const QString& outputPath, quint64 seed,
                                     const QString& model = QString(), int threads = 0,
                                     const RenderOptions& options = {}, QObject* parent = nullptr);

/** Fine-tunes the learned subjects of `projectPath` in-process (trainSubjects with the defaults of
 *  `motionbooth-cli train`); the losses come as values. `result` (when given) is filled on success before the
 *  job ends, for the caller's ended() handler; checkpoints go next to `projectPath`. */
InProcessJob* makeInProcessTrainJob(const QString& projectPath, std::shared_ptr<TrainResult> result,
                                    const QString& model = QString(), int steps = 300, int threads = 0,
                                    QObject* parent = nullptr);

/** Converts the pickled `.bin` weights of the model folder `input` to safetensors in the new folder `output`
 *  (other files copied), in-process. A failed or cancelled conversion removes `output`. outputPath() =
 *  `output`. */
InProcessJob* makeConvertWeightsJob(const QString& input, const QString& output, QObject* parent = nullptr);

} // namespace mb::ui
