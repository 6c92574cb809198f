#pragma once
/**
 * \file process_job.h
 * \brief A long job run as a child process (normally `motionbooth-cli … --progress`), in the manner of
 * Shotcut's AbstractJob/MeltJob: a crash in the renderer cannot take the editor down.
 *
 * The child prints machine-readable lines on stdout (app/cli/cli_common.cpp):
 *   - `percentage: 42.0 stage`  overall progress in percent and the current stage's name,
 *   - `log: text`               a line for the log view,
 *   - `value: NAME NUMBER`      a named number, e.g. a training loss (`value: L_sub 0.0123`);
 *   - `preview: STEP PATH`      a take's step preview (`render --preview-file PATH`), read at once.
 * Anything else on stdout or stderr goes to the log as it is; the last lines of stderr are kept for the error
 * message when the process fails. A take's percentage is its overall progress over all its stages (load,
 * text encoding, denoising, decoding, encoding), so ETA = time elapsed per percentage point × points left
 * holds for the whole take. Only a finished job reads 100 %: a failed or cancelled one keeps where it
 * stopped.
 *
 * A job kind is only a command line: "Render animatic", "Render take" and "Fine-tune subject" differ in their
 * arguments (see the make…Job() helpers), not in code.
 *
 * ProcessJob is also the queue's job type: InProcessJob (in_process_job.h) derives from it to run a core job
 * on a worker thread of the editor instead, overriding begin() and cancel() and reporting through the
 * protected helpers below, so the queue, the Jobs dock, progress, ETA, log and cancel treat both alike.
 *
 * \code
 *   auto* job = mb::ui::makeAnimaticJob(cliProgram(), "/p/shot.mbproj", "/p/shot_animatic.mp4");
 *   connect(job, &ProcessJob::progressChanged, bar, [bar](double percent) { bar->setValue(int(percent)); });
 *   job->begin();
 *   ...
 *   job->cancel();   // terminate, then kill after a grace period
 * \endcode
 */
#include <QElapsedTimer>
#include <QImage>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace mb::ui {

class ProcessJob : public QProcess {
    Q_OBJECT
public:
    enum class Status { Pending, Running, Finished, Failed, Cancelled };
    Q_ENUM(Status)

    /** `label` is what the queue shows ("Render animatic: shot.mbproj"). */
    ProcessJob(QString label, QString program, QStringList arguments, QObject* parent = nullptr);
    ~ProcessJob() override; ///< kills a child that still runs

    QString label() const { return m_label; }
    /** The program and its arguments, as a shell would show them. */
    QString commandLine() const { return m_program + QLatin1Char(' ') + m_arguments.join(QLatin1Char(' ')); }
    Status status() const { return m_status; }
    bool isActive() const { return m_status == Status::Running; }
    /** Overall progress in percent (0..100) from the last `percentage:` line; below 100 unless Finished. */
    double percent() const { return m_percent; }
    QString stage() const { return m_stage; }
    /** Milliseconds since begin() (frozen when the job ends); 0 before. */
    qint64 elapsedMs() const;
    /** Estimated milliseconds left, or -1 while unknown (no progress yet). */
    qint64 remainingMs() const { return estimateRemainingMs(elapsedMs(), m_percent); }
    /** Every log line so far (stdout `log:` lines, other stdout lines, stderr lines). */
    const QStringList& log() const { return m_log; }
    /** The failure's message: the exit status and the tail of stderr; empty unless Failed. */
    QString errorMessage() const { return m_error; }
    /** A file the job produces (e.g. the rendered video), for whoever picks up the result; may be empty. */
    QString outputPath() const { return m_outputPath; }
    void setOutputPath(const QString& path) { m_outputPath = path; }
    /** A number the caller attaches (e.g. a take's seed). */
    quint64 tag() const { return m_tag; }
    void setTag(quint64 tag) { m_tag = tag; }

    /** Appends arguments (e.g. `--model DIR`) to the command line; only before begin(). */
    void addArguments(const QStringList& arguments) {
        if (m_status == Status::Pending)
            m_arguments << arguments;
    }

    /**
     * Step previews of a take: asks the child to write them to `file` (`--preview-file FILE`, added to the
     * arguments; only before begin()). `frames` and `steps` are the take's (its `preview:` lines name only
     * the step): the preview holds `frames` pictures side by side. The file is removed when the job ends.
     */
    void setPreviewFile(const QString& file, int frames, int steps);
    QString previewFile() const { return m_previewFile; }
    /** The latest step preview (null before the first): the take's frames side by side at latent size. */
    QImage preview() const { return m_preview; }
    int previewFrames() const { return m_previewFrames; }
    int previewStep() const { return m_previewStep; }
    int previewSteps() const { return m_previewSteps; }
    /** "step 3 / 25 — preview" for the latest preview (empty before the first). */
    QString previewCaption() const;

    /** How long cancel() waits after terminate() before it kills the child. */
    void setCancelGraceMs(int ms) { m_graceMs = ms; }

    /** ETA: `elapsedMs` per percentage point times the points left; -1 when percent <= 0. */
    static qint64 estimateRemainingMs(qint64 elapsedMs, double percent);
    /** "1:05" or "1:02:03" (hours only when needed); "--:--" for a negative duration. */
    static QString formatDuration(qint64 ms);

public Q_SLOTS:
    /** Starts the child (once). */
    virtual void begin();
    /** Asks the child to stop (SIGTERM), and kills it if it is still running after the grace period. */
    virtual void cancel();

Q_SIGNALS:
    void statusChanged(mb::ui::ProcessJob::Status status);
    void progressChanged(double percent, const QString& stage);
    void logAppended(const QString& line);
    /** A `value: NAME NUMBER` line. */
    void valueReported(const QString& name, double value);
    /** A new step preview (preview(), previewStep()). */
    void previewChanged();
    /** Exactly once per job, after statusChanged to Finished, Failed or Cancelled. */
    void ended(mb::ui::ProcessJob::Status status);

protected:
    // For jobs that do their work without a child process (InProcessJob); all on the job's (UI) thread.
    /** Pending → Running: starts the clock, logs "$ commandLine()". False when the job was not pending. */
    bool markRunning();
    /** A progress report, as a `percentage:` line would give it (percent is clamped to 0..100). */
    void setProgress(double percent, const QString& stage);
    /** A named value, as a `value:` line would give it (non-finite values are dropped). */
    void reportValue(const QString& name, double value);
    /** A step preview, as a `preview:` line would give it: `strip` holds `frames` pictures side by side. */
    void setPreview(const QImage& strip, int frames, int step, int steps);
    void appendLog(const QString& line);
    /** Sets errorMessage() (before end(Status::Failed)). */
    void setErrorMessage(const QString& message) { m_error = message; }
    bool cancelRequested() const { return m_cancelRequested; }
    void setCancelRequested() { m_cancelRequested = true; }
    /** Ends the job once with `status` (Finished sets the progress to 100 %); later calls do nothing. */
    void end(Status status);

private:
    void onReadyReadStandardOutput();
    void onReadyReadStandardError();
    void onProcessFinished(int exitCode, QProcess::ExitStatus exitStatus);
    void onProcessError(QProcess::ProcessError error);
    void parseStdoutLine(const QString& line);

    QString m_label, m_program;
    QStringList m_arguments;
    Status m_status = Status::Pending;
    double m_percent = 0;
    QString m_stage;
    QStringList m_log;
    QStringList m_stderrTail;
    QByteArray m_stdoutBuffer, m_stderrBuffer;
    QString m_error;
    QString m_outputPath;
    quint64 m_tag = 0;
    QString m_previewFile;
    QImage m_preview;
    int m_previewFrames = 0, m_previewStep = 0, m_previewSteps = 0;
    QElapsedTimer m_clock;
    qint64 m_finalElapsed = -1;
    bool m_cancelRequested = false;
    int m_graceMs = 3000;
};

/**
 * Where motionbooth-cli is: $MB_CLI when set; else next to the running program (installed: both in bin/;
 * build tree: the editor and the CLI are both in BUILD/app/, tests in BUILD/tests/ui/); else on the PATH.
 * Empty when none is found.
 */
QString cliProgram();

/** The subcommand names in the text of `motionbooth-cli --help` ("  NAME USAGE" lines). */
QStringList parseCliCommands(const QString& helpText);

/** The subcommands `program --help` lists (e.g. "animatic", "bench unet"); empty if it cannot be run. Blocks
 *  for at most `timeoutMs`. */
QStringList cliCommands(const QString& program, int timeoutMs = 5000);

/** `motionbooth-cli animatic PROJECT -o OUT --progress`. */
ProcessJob* makeAnimaticJob(const QString& program, const QString& projectPath, const QString& outputPath,
                            QObject* parent = nullptr);
/** `motionbooth-cli render PROJECT -o OUT --seed S --progress` (tag = seed). Draft overrides, previews,
 *  model and threads are added with addArguments() / setPreviewFile(). */
ProcessJob* makeRenderJob(const QString& program, const QString& projectPath, const QString& outputPath,
                          quint64 seed, QObject* parent = nullptr);
/** `motionbooth-cli train PROJECT --progress` (its `value:` lines carry the losses). */
ProcessJob* makeTrainJob(const QString& program, const QString& projectPath, QObject* parent = nullptr);

} // namespace mb::ui
