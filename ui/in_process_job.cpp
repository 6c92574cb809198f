#include "ui/in_process_job.h"

#include "doc/project_io.h"
#include "jobs/render_job.h"
#include "jobs/train_job.h"
#include "ml/weights_convert.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>

#include <cstring>
#include <exception>
#include <filesystem>

namespace mb::ui {

InProcessJob::InProcessJob(QString label, QStringList arguments, Work work, QObject* parent)
    : ProcessJob(std::move(label), programName(), std::move(arguments), parent), m_work(std::move(work)),
      m_cancel(std::make_shared<CancelToken>()) {}

InProcessJob::~InProcessJob() {
    if (m_thread) {
        // The work reports into this object: it must have stopped before the object goes.
        disconnect(m_thread, nullptr, this, nullptr);
        m_cancel->request();
        m_thread->wait();
        delete m_thread;
    }
}

QString InProcessJob::programName() {
    return QStringLiteral("motionbooth (in-process)");
}

void InProcessJob::begin() {
    if (!markRunning())
        return;
    JobControl control;
    control.cancel = m_cancel.get();
    // Called on the worker thread: hand each report to the UI thread (queued, so the work never waits).
    control.progress = [this](const JobProgress& p) {
        const double percent = p.percent(); // overall when the job gives it; 100 only when it is done
        const QString stage = QString::fromStdString(p.stage), message = QString::fromStdString(p.message);
        QList<QPair<QString, double>> values;
        for (const auto& [name, value] : p.values)
            values.append({QString::fromStdString(name), value});
        QMetaObject::invokeMethod(
            this,
            [this, percent, stage, message, values] {
                if (!isActive())
                    return;
                setProgress(percent, stage);
                if (!message.isEmpty())
                    appendLog(message);
                for (const auto& v : values)
                    reportValue(v.first, v.second);
            },
            Qt::QueuedConnection);
    };
    m_thread = QThread::create([this, control] {
        try {
            m_outcomeText = m_work(control);
            m_outcome = Outcome::Finished;
        } catch (const JobCancelled&) {
            m_outcome = Outcome::Cancelled;
        } catch (const std::exception& e) {
            m_outcomeText = QString::fromStdString(e.what());
            m_outcome = m_cancel->requested() ? Outcome::Cancelled : Outcome::Failed;
        } catch (...) {
            m_outcomeText = tr("unknown error");
            m_outcome = Outcome::Failed;
        }
    });
    m_thread->setObjectName(QStringLiteral("in-process-job"));
    // Queued after the reports the work posted before it returned, so the log is complete when it ends.
    connect(m_thread, &QThread::finished, this, &InProcessJob::onWorkDone, Qt::QueuedConnection);
    m_thread->start(QThread::LowPriority);
}

void InProcessJob::postPreview(const QImage& strip, int frames, int step, int steps) {
    QMetaObject::invokeMethod(
        this,
        [this, strip, frames, step, steps] {
            if (isActive())
                setPreview(strip, frames, step, steps);
        },
        Qt::QueuedConnection);
}

void InProcessJob::cancel() {
    if (status() == Status::Pending) {
        end(Status::Cancelled);
        return;
    }
    if (!isActive() || cancelRequested())
        return;
    setCancelRequested();
    appendLog(tr("Cancelling\u2026"));
    m_cancel->request(); // direct: the worker sees it at its next check
}

void InProcessJob::onWorkDone() {
    m_thread->wait();
    switch (m_outcome) {
    case Outcome::Finished:
        if (!m_outcomeText.isEmpty())
            appendLog(m_outcomeText);
        end(Status::Finished);
        break;
    case Outcome::Cancelled:
        end(Status::Cancelled);
        break;
    case Outcome::Failed:
        setErrorMessage(tr("%1 failed: %2").arg(label(), m_outcomeText));
        end(Status::Failed);
        break;
    }
}

InProcessJob* makeInProcessRenderJob(const QString& projectPath, const QString& outputPath, quint64 seed,
                                     const QString& model, int threads, const RenderOptions& options,
                                     QObject* parent) {
    QStringList args{QStringLiteral("render"), projectPath,          QStringLiteral("-o"), outputPath,
                     QStringLiteral("--seed"), QString::number(seed)};
    args << options.cliArguments();
    if (!model.isEmpty())
        args << QStringLiteral("--model") << model;
    if (threads > 0)
        args << QStringLiteral("--threads") << QString::number(threads);
    RenderRequest request;
    request.output = outputPath.toStdString();
    request.seed = seed;
    request.model = model.toStdString();
    request.threads = threads;
    request.frames = options.frames;
    request.width = options.width;
    request.height = options.height;
    request.steps = options.steps;
    request.sampler = options.sampler.toStdString();
    if (!options.precision.isEmpty())
        request.precision = options.precision.toStdString();
    const std::string project = projectPath.toStdString();
    // The job is made after its work, which reports previews into it: the work reads it from here.
    auto self = std::make_shared<InProcessJob*>(nullptr);
    request.onPreview = [self](const TakePreview& p) {
        // Copied into the image here, on the worker: the render's buffer is gone once this returns.
        QImage strip(p.width * p.frames, p.height, QImage::Format_RGB888);
        for (int f = 0; f < p.frames; ++f)
            for (int y = 0; y < p.height; ++y)
                std::memcpy(strip.scanLine(y) + size_t(f) * p.width * 3,
                            p.rgb.data() + (size_t(f) * p.height + y) * p.width * 3, size_t(p.width) * 3);
        (*self)->postPreview(strip, p.frames, p.step, p.steps);
    };
    auto* job = new InProcessJob(
        ProcessJob::tr("Render take (seed %1)").arg(seed), args,
        [project, request](const JobControl& control) {
            const RenderResult r = renderTake(loadProject(project), request, control);
            return InProcessJob::tr("rendered seed %1 with %2 in %3 s")
                .arg(r.seed)
                .arg(QString::fromStdString(r.modelFolder))
                .arg(r.seconds, 0, 'f', 1);
        },
        parent);
    *self = job;
    job->setOutputPath(outputPath);
    job->setTag(seed);
    return job;
}

InProcessJob* makeInProcessTrainJob(const QString& projectPath, std::shared_ptr<TrainResult> result,
                                    const QString& model, int steps, int threads, QObject* parent) {
    QStringList args{QStringLiteral("train"), projectPath, QStringLiteral("--steps"), QString::number(steps)};
    if (!model.isEmpty())
        args << QStringLiteral("--model") << model;
    if (threads > 0)
        args << QStringLiteral("--threads") << QString::number(threads);
    TrainRequest request;
    request.projectPath = projectPath.toStdString();
    request.model = model.toStdString();
    request.steps = steps;
    request.threads = threads;
    return new InProcessJob(
        ProcessJob::tr("Fine-tune subject: %1").arg(QFileInfo(projectPath).fileName()), args,
        [request, result](const JobControl& control) {
            TrainResult r = trainSubjects(loadProject(request.projectPath), request, control);
            QString summary = InProcessJob::tr("trained %1 for %2 steps in %3 s, final loss %4: %5")
                                  .arg(QString::fromStdString(r.kind))
                                  .arg(r.stepsDone)
                                  .arg(r.seconds, 0, 'f', 1)
                                  .arg(r.finalLoss, 0, 'g', 6)
                                  .arg(QString::fromStdString(r.checkpoint));
            for (const auto& w : r.warnings)
                summary += QLatin1Char('\n') + InProcessJob::tr("warning: %1").arg(QString::fromStdString(w));
            if (result)
                *result = std::move(r);
            return summary;
        },
        parent);
}

InProcessJob* makeConvertWeightsJob(const QString& input, const QString& output, QObject* parent) {
    const std::string in = input.toStdString(), out = output.toStdString();
    auto* job = new InProcessJob(
        ProcessJob::tr("Convert to safetensors: %1").arg(QFileInfo(input).fileName()),
        {QStringLiteral("convert"), input, QStringLiteral("-o"), output},
        [in, out](const JobControl& control) {
            namespace fs = std::filesystem;
            if (fs::exists(out))
                throw std::runtime_error("the output folder " + out + " exists already");
            try {
                const auto written = ml::convert_weights_to_safetensors(in, out, std::string(), control);
                return InProcessJob::tr("%n weight file(s) converted into %1", nullptr, int(written.size()))
                    .arg(QString::fromStdString(out));
            } catch (...) {
                std::error_code ec;
                fs::remove_all(out, ec); // no half-converted model left behind
                throw;
            }
        },
        parent);
    job->setOutputPath(output);
    return job;
}

} // namespace mb::ui
