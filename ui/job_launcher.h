#pragma once
/**
 * \file job_launcher.h
 * \brief Starts the editor's model jobs — takes, fine-tuning, weight conversion — in the job queue, either as
 *        `motionbooth-cli` processes (ProcessJob, the default) or on a worker thread of the editor
 *        (InProcessJob), as Preferences → "Run renders" says; both report alike in the Jobs dock.
 *
 * The model folder a job uses is the project's, else the one in Preferences, else the built-in default. When
 * that folder keeps its weights only as PyTorch `.bin` files, the launcher offers to convert it to
 * safetensors first (model_conversion.h): the conversion is queued before the job, the job uses the converted
 * folder, and the project (undoably) or Preferences then point at it. A failed or cancelled conversion
 * cancels the jobs that were waiting for it.
 *
 * Fine-tuning ("Fine-tune subjects…") trains the saved project's learned subjects with its settings; the
 * losses show in the Jobs dock's plot, and on success the checkpoint (and the identifiers it was trained
 * with) become the project's render settings as one undoable step per change, so later renders use it.
 */
#include "ui/render_options.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <map>
#include <optional>
#include <string>

class QWidget;

namespace mb::ui {

class InProcessJob;
class JobQueue;
class ProcessJob;
class ProjectDocument;

class JobLauncher : public QObject {
    Q_OBJECT
public:
    /** `dialogParent` parents the questions it asks (may be nullptr). */
    JobLauncher(ProjectDocument* document, JobQueue* queue, QWidget* dialogParent, QObject* parent = nullptr);

    void setCliProgram(const QString& program) { m_cliProgram = program; }
    QString cliProgram() const { return m_cliProgram; }
    /** Answers the conversion question without a dialog (tests, scripted use); nullopt = ask (default). */
    void setConversionAnswer(std::optional<bool> answer) { m_conversionAnswer = answer; }

    /**
     * The model folder to pass to a job (empty = the project's or the built-in default), after offering to
     * convert a `.bin`-only folder. `conversion` receives the queued conversion job, or nullptr.
     */
    QString modelFolderForJob(InProcessJob** conversion = nullptr);
    /** Offers to convert the Preferences model folder (after the user chose it); returns the queued job. */
    InProcessJob* offerConversionOfSettingsFolder();

    /** A job (not queued yet) rendering one take of `projectFile` (a saved file or a snapshot of the
     *  document) into `outputPath` with `seed`, using `model` (see modelFolderForJob()), the Preferences'
     *  threads and the draft `options`. It gives step previews (ProcessJob::preview()): a process job writes
     *  them to a temporary file of its own. */
    ProcessJob* makeRenderJob(const QString& projectFile, const QString& outputPath, quint64 seed,
                              const QString& model, const RenderOptions& options = {}) const;
    /**
     * Fine-tunes the current project's learned subjects for `steps` optimizer steps. The project must be
     * saved and unmodified (the job reads the file; checkpoints go next to it). Returns the queued job, or
     * nullptr (after a warning) when it cannot start.
     */
    ProcessJob* fineTuneSubjects(int steps = 300);

    /** Sets the checkpoint (and changed identifiers) as the project's, undoably. */
    void applyTrainedCheckpoint(const QString& checkpoint,
                                const std::map<std::string, std::string>& identifiers);

Q_SIGNALS:
    /** A fine-tuning job ended and its checkpoint is now the project's. */
    void checkpointApplied(const QString& checkpoint);
    /** A message for the status bar. */
    void message(const QString& text);

private:
    bool inProcess() const;
    /** Queues the conversion of `folder`; on success `onConverted(target)` runs. */
    InProcessJob* convert(const QString& folder, const QString& target,
                          std::function<void(const QString&)> onConverted);
    void warn(const QString& title, const QString& text);

    ProjectDocument* m_document;
    JobQueue* m_queue;
    QPointer<QWidget> m_dialogParent;
    QString m_cliProgram;
    std::optional<bool> m_conversionAnswer;
};

} // namespace mb::ui
