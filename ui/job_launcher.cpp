#include "ui/job_launcher.h"

#include "doc/edit_commands.h"
#include "doc/project_io.h"
#include "jobs/train_job.h"
#include "ui/app_settings.h"
#include "ui/in_process_job.h"
#include "ui/job_queue.h"
#include "ui/model_conversion.h"
#include "ui/process_job.h"
#include "ui/project_document.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>

#include <memory>

namespace mb::ui {

JobLauncher::JobLauncher(ProjectDocument* document, JobQueue* queue, QWidget* dialogParent, QObject* parent)
    : QObject(parent), m_document(document), m_queue(queue), m_dialogParent(dialogParent),
      m_cliProgram(mb::ui::cliProgram()) {} // the free function, not the getter of the same name

bool JobLauncher::inProcess() const {
    return AppSettings::runJobsInProcess();
}

void JobLauncher::warn(const QString& title, const QString& text) {
    if (m_dialogParent)
        QMessageBox::warning(m_dialogParent, title, text);
    Q_EMIT message(text);
}

InProcessJob* JobLauncher::convert(const QString& folder, const QString& target,
                                   std::function<void(const QString&)> onConverted) {
    InProcessJob* job = startConversion(m_queue, folder, target);
    connect(job, &ProcessJob::ended, this, [this, job, target, onConverted](ProcessJob::Status status) {
        if (status != ProcessJob::Status::Finished)
            return;
        onConverted(target);
        Q_EMIT message(tr("The model was converted to safetensors: %1").arg(job->outputPath()));
    });
    return job;
}

QString JobLauncher::modelFolderForJob(InProcessJob** conversion) {
    if (conversion)
        *conversion = nullptr;
    const QString fromProject = QString::fromStdString(m_document->project().render.modelFolder);
    const QString folder = fromProject.isEmpty() ? AppSettings::modelFolder() : fromProject;
    if (folder.isEmpty() || !needsConversion(folder))
        return folder;
    const QString target = convertedFolderFor(folder);
    // Where the converted folder is remembered: the project's setting (undoable) or Preferences.
    const auto remember = [this, fromProject](const QString& converted) {
        if (fromProject.isEmpty()) {
            AppSettings::setModelFolder(converted);
            return;
        }
        RenderSettings render = m_document->project().render;
        if (render.modelFolder != fromProject.toStdString())
            return; // changed meanwhile: the user's choice wins
        render.modelFolder = converted.toStdString();
        m_document->push(
            setRenderSettings(m_document->project(), render, tr("Use converted model").toStdString()));
    };
    if (hasConvertedCopy(folder)) {
        remember(target);
        return target;
    }
    const bool yes = m_conversionAnswer ? *m_conversionAnswer : askToConvert(m_dialogParent, folder, target);
    if (!yes)
        return folder;
    InProcessJob* job = convert(folder, target, remember);
    if (conversion)
        *conversion = job;
    return target;
}

InProcessJob* JobLauncher::offerConversionOfSettingsFolder() {
    const QString folder = AppSettings::modelFolder();
    if (folder.isEmpty() || !needsConversion(folder))
        return nullptr;
    const QString target = convertedFolderFor(folder);
    if (hasConvertedCopy(folder)) {
        AppSettings::setModelFolder(target);
        Q_EMIT message(tr("Using the converted model %1").arg(target));
        return nullptr;
    }
    const bool yes = m_conversionAnswer ? *m_conversionAnswer : askToConvert(m_dialogParent, folder, target);
    if (!yes)
        return nullptr;
    return convert(folder, target, [](const QString& converted) { AppSettings::setModelFolder(converted); });
}

ProcessJob* JobLauncher::makeRenderJob(const QString& projectFile, const QString& outputPath, quint64 seed,
                                       const QString& model, const RenderOptions& options) const {
    const int threads = AppSettings::threads();
    ProcessJob* job = nullptr;
    if (inProcess()) {
        job = makeInProcessRenderJob(projectFile, outputPath, seed, model, threads, options);
    } else {
        job = mb::ui::makeRenderJob(m_cliProgram, projectFile, outputPath, seed);
        job->addArguments(options.cliArguments());
        // The `preview:` lines name the step only: the frame and step counts come from what is rendered.
        const Shot& shot = m_document->project().shot;
        const QDir previews(QDir::temp().filePath(QStringLiteral("motionbooth-jobs")));
        QDir().mkpath(previews.path());
        job->setPreviewFile(previews.filePath(QStringLiteral("%1-%2-preview.png")
                                                  .arg(QFileInfo(outputPath).completeBaseName())
                                                  .arg(QDateTime::currentMSecsSinceEpoch())),
                            options.frames > 0 ? options.frames : shot.frames,
                            options.steps > 0 ? options.steps : shot.steps);
        if (!model.isEmpty())
            job->addArguments({QStringLiteral("--model"), model});
        if (threads > 0)
            job->addArguments({QStringLiteral("--threads"), QString::number(threads)});
    }
    return job;
}

ProcessJob* JobLauncher::fineTuneSubjects(int steps) {
    const Project& p = m_document->project();
    bool learnable = false;
    for (const Subject& s : p.subjects)
        learnable = learnable || (s.learned && !s.photos.empty());
    if (!learnable) {
        warn(tr("Nothing to fine-tune"),
             tr("Fine-tuning learns the subjects marked \"Learn from the photos\" from their photos. Add "
                "photos to such a subject first."));
        return nullptr;
    }
    if (m_document->filePath().isEmpty() || m_document->isModified()) {
        // The job reads the project file and writes its checkpoint next to it (MainWindow offers to save).
        warn(
            tr("Save the project first"),
            tr("Fine-tuning reads the saved project and writes its checkpoint next to the project file: save "
               "the project first."));
        return nullptr;
    }
    const QString projectFile = m_document->filePath();
    InProcessJob* conversion = nullptr;
    const QString model = modelFolderForJob(&conversion);
    const int threads = AppSettings::threads();
    ProcessJob* job = nullptr;
    if (inProcess()) {
        auto result = std::make_shared<TrainResult>();
        job = makeInProcessTrainJob(projectFile, result, model, steps, threads);
        connect(job, &ProcessJob::ended, this, [this, result](ProcessJob::Status status) {
            if (status == ProcessJob::Status::Finished)
                applyTrainedCheckpoint(QString::fromStdString(result->checkpoint), result->identifiers);
        });
    } else {
        job = makeTrainJob(m_cliProgram, projectFile);
        job->addArguments({QStringLiteral("--steps"), QString::number(steps)});
        if (!model.isEmpty())
            job->addArguments({QStringLiteral("--model"), model});
        if (threads > 0)
            job->addArguments({QStringLiteral("--threads"), QString::number(threads)});
        connect(job, &ProcessJob::ended, this, [this, projectFile](ProcessJob::Status status) {
            if (status != ProcessJob::Status::Finished)
                return;
            // `motionbooth-cli train` wrote the checkpoint and its identifiers into the project file.
            try {
                const Project trained = loadProject(projectFile.toStdString());
                std::map<std::string, std::string> identifiers;
                for (const Subject& s : trained.subjects)
                    identifiers[s.id] = s.identifier;
                applyTrainedCheckpoint(QString::fromStdString(trained.render.checkpoint), identifiers);
            } catch (const std::exception& e) {
                warn(tr("Fine-tuning finished, but"), QString::fromStdString(e.what()));
            }
        });
    }
    if (conversion)
        connect(conversion, &ProcessJob::ended, job, [job](ProcessJob::Status status) {
            if (status != ProcessJob::Status::Finished)
                job->cancel(); // it would only fail on the missing converted folder
        });
    m_queue->add(job);
    return job;
}

void JobLauncher::applyTrainedCheckpoint(const QString& checkpoint,
                                         const std::map<std::string, std::string>& identifiers) {
    if (checkpoint.isEmpty())
        return;
    RenderSettings render = m_document->project().render;
    render.checkpoint = QFileInfo(checkpoint).absoluteFilePath().toStdString();
    m_document->push(
        setRenderSettings(m_document->project(), render, tr("Use fine-tuned checkpoint").toStdString()));
    QStringList renamed;
    for (const auto& [id, identifier] : identifiers) {
        const Subject* s = m_document->project().findSubject(id);
        if (!s || s->identifier == identifier)
            continue;
        renamed << tr("{%1} was learned as \u201c%2\u201d (its identifier \u201c%3\u201d is taken by another "
                      "subject or not one token of the vocabulary)")
                       .arg(QString::fromStdString(id), QString::fromStdString(identifier),
                            QString::fromStdString(s->identifier));
        Subject edited = *s;
        edited.identifier = identifier;
        m_document->push(
            setSubject(m_document->project(), id, edited,
                       tr("Set identifier of %1").arg(QString::fromStdString(id)).toStdString()));
    }
    // The prompt now says the new word: the artist must know (one undo step each brings the old one back).
    if (!renamed.isEmpty())
        warn(tr("Identifiers changed"), renamed.join(QLatin1Char('\n')));
    Q_EMIT checkpointApplied(checkpoint);
    Q_EMIT message(tr("Fine-tuned checkpoint set: later renders use %1").arg(checkpoint));
}

} // namespace mb::ui
