#include "ui/process_job.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace mb::ui {

namespace {
constexpr int kStderrTailLines = 12;
constexpr int kMaxLogLines = 5000; ///< a chatty child must not grow the editor without bound
} // namespace

ProcessJob::ProcessJob(QString label, QString program, QStringList arguments, QObject* parent)
    : QProcess(parent), m_label(std::move(label)), m_program(std::move(program)),
      m_arguments(std::move(arguments)) {
    setProcessChannelMode(QProcess::SeparateChannels);
    connect(this, &QProcess::readyReadStandardOutput, this, &ProcessJob::onReadyReadStandardOutput);
    connect(this, &QProcess::readyReadStandardError, this, &ProcessJob::onReadyReadStandardError);
    connect(this, &QProcess::finished, this, &ProcessJob::onProcessFinished);
    connect(this, &QProcess::errorOccurred, this, &ProcessJob::onProcessError);
}

ProcessJob::~ProcessJob() {
    if (state() != QProcess::NotRunning) {
        // Disconnect first: the end of the child must not call back into a half-destroyed job or its
        // watchers.
        disconnect();
        kill();
        waitForFinished(2000);
    }
    if (!m_previewFile.isEmpty())
        QFile::remove(m_previewFile);
}

void ProcessJob::setPreviewFile(const QString& file, int frames, int steps) {
    if (m_status != Status::Pending || file.isEmpty())
        return;
    m_previewFile = file;
    m_previewFrames = std::max(1, frames);
    m_previewSteps = steps;
    m_arguments << QStringLiteral("--preview-file") << file;
}

QString ProcessJob::previewCaption() const {
    if (m_preview.isNull())
        return {};
    return m_previewSteps > 0 ? tr("step %1 / %2 \u2014 preview").arg(m_previewStep).arg(m_previewSteps)
                              : tr("step %1 \u2014 preview").arg(m_previewStep);
}

void ProcessJob::setPreview(const QImage& strip, int frames, int step, int steps) {
    if (strip.isNull())
        return;
    m_preview = strip;
    m_previewFrames = std::max(1, frames);
    m_previewStep = step;
    m_previewSteps = steps;
    Q_EMIT previewChanged();
}

qint64 ProcessJob::elapsedMs() const {
    if (m_finalElapsed >= 0)
        return m_finalElapsed;
    return m_clock.isValid() ? m_clock.elapsed() : 0;
}

qint64 ProcessJob::estimateRemainingMs(qint64 elapsedMs, double percent) {
    if (!(percent > 0))
        return -1;
    if (percent >= 100)
        return 0;
    return qint64(std::llround(double(elapsedMs) / percent * (100.0 - percent)));
}

QString ProcessJob::formatDuration(qint64 ms) {
    if (ms < 0)
        return QStringLiteral("--:--");
    const qint64 s = (ms + 500) / 1000;
    const qint64 h = s / 3600, m = (s / 60) % 60, sec = s % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(sec, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(sec, 2, 10, QLatin1Char('0'));
}

bool ProcessJob::markRunning() {
    if (m_status != Status::Pending)
        return false;
    m_status = Status::Running;
    m_clock.start();
    Q_EMIT statusChanged(m_status);
    appendLog(QStringLiteral("$ ") + commandLine());
    return true;
}

void ProcessJob::setProgress(double percent, const QString& stage) {
    m_percent = std::clamp(percent, 0.0, 100.0);
    m_stage = stage;
    Q_EMIT progressChanged(m_percent, m_stage);
}

void ProcessJob::reportValue(const QString& name, double value) {
    if (std::isfinite(value))
        Q_EMIT valueReported(name, value);
}

void ProcessJob::begin() {
    if (!markRunning())
        return;
    if (m_program.isEmpty()) {
        m_error =
            tr("motionbooth-cli was not found next to the editor or on the PATH (set MB_CLI to its path).");
        end(Status::Failed);
        return;
    }
    start(m_program, m_arguments, QIODevice::ReadOnly);
}

void ProcessJob::cancel() {
    if (m_status == Status::Pending) {
        end(Status::Cancelled);
        return;
    }
    if (m_status != Status::Running || m_cancelRequested)
        return;
    m_cancelRequested = true;
    appendLog(tr("Cancelling\u2026"));
    terminate();
    // A child that ignores SIGTERM (or is stuck in a long kernel) is killed after the grace period.
    QTimer::singleShot(m_graceMs, this, [this] {
        if (state() != QProcess::NotRunning) {
            appendLog(tr("The process did not stop within %1 s; killing it.").arg(m_graceMs / 1000.0));
            kill();
        }
    });
}

void ProcessJob::onReadyReadStandardOutput() {
    m_stdoutBuffer += readAllStandardOutput();
    int nl;
    while ((nl = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_stdoutBuffer.left(nl)).trimmed();
        m_stdoutBuffer.remove(0, nl + 1);
        if (!line.isEmpty())
            parseStdoutLine(line);
    }
}

void ProcessJob::onReadyReadStandardError() {
    m_stderrBuffer += readAllStandardError();
    int nl;
    while ((nl = m_stderrBuffer.indexOf('\n')) >= 0) {
        // A carriage return redraws a terminal counter: keep only the last state of the line.
        QString line = QString::fromUtf8(m_stderrBuffer.left(nl));
        m_stderrBuffer.remove(0, nl + 1);
        line = line.section(QLatin1Char('\r'), -1).trimmed();
        if (line.isEmpty())
            continue;
        m_stderrTail << line;
        while (m_stderrTail.size() > kStderrTailLines)
            m_stderrTail.removeFirst();
        appendLog(line);
    }
}

void ProcessJob::parseStdoutLine(const QString& line) {
    if (line.startsWith(QLatin1String("percentage:"))) {
        // "percentage: 42.0 stage name"
        const QString rest = line.mid(11).trimmed();
        const QString number = rest.section(QLatin1Char(' '), 0, 0);
        bool ok = false;
        const double p = number.toDouble(&ok);
        if (ok) {
            m_percent = std::clamp(p, 0.0, 100.0);
            m_stage = rest.section(QLatin1Char(' '), 1).trimmed();
            Q_EMIT progressChanged(m_percent, m_stage);
            return;
        }
    } else if (line.startsWith(QLatin1String("log:"))) {
        appendLog(line.mid(4).trimmed());
        return;
    } else if (line.startsWith(QLatin1String("preview:"))) {
        // "preview: STEP PATH": the child replaced PATH atomically, so it is a whole PNG whenever it is read.
        const QString rest = line.mid(8).trimmed();
        bool ok = false;
        const int step = rest.section(QLatin1Char(' '), 0, 0).toInt(&ok);
        const QString path = rest.section(QLatin1Char(' '), 1);
        if (ok && !path.isEmpty()) {
            const QImage strip(path);
            if (!strip.isNull())
                setPreview(strip.convertToFormat(QImage::Format_RGB888), m_previewFrames, step,
                           m_previewSteps);
            return; // an unreadable preview is skipped: the next step brings another
        }
    } else if (line.startsWith(QLatin1String("value:"))) {
        // "value: NAME NUMBER"
        const QStringList parts = line.mid(6).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        bool ok = false;
        const double v = parts.size() == 2 ? parts[1].toDouble(&ok) : 0.0;
        if (ok && std::isfinite(v)) {
            Q_EMIT valueReported(parts[0], v);
            return;
        }
    }
    appendLog(line); // not machine-readable: show it as it is
}

void ProcessJob::appendLog(const QString& line) {
    m_log << line;
    if (m_log.size() > kMaxLogLines)
        m_log.erase(m_log.begin(), m_log.begin() + (m_log.size() - kMaxLogLines));
    Q_EMIT logAppended(line);
}

void ProcessJob::onProcessFinished(int exitCode, QProcess::ExitStatus exitStatus) {
    // Lines still in the pipes belong to the log (and to the error's tail).
    onReadyReadStandardOutput();
    onReadyReadStandardError();
    if (!m_stdoutBuffer.trimmed().isEmpty())
        parseStdoutLine(QString::fromUtf8(m_stdoutBuffer).trimmed());
    if (!m_stderrBuffer.trimmed().isEmpty()) {
        m_stderrTail << QString::fromUtf8(m_stderrBuffer).trimmed();
        appendLog(m_stderrTail.back());
    }
    m_stdoutBuffer.clear();
    m_stderrBuffer.clear();
    if (m_cancelRequested) {
        end(Status::Cancelled);
        return;
    }
    if (exitStatus == QProcess::NormalExit && exitCode == 0) {
        end(Status::Finished);
        return;
    }
    m_error = exitStatus == QProcess::CrashExit
                  ? tr("%1 crashed.").arg(QFileInfo(m_program).fileName())
                  : tr("%1 failed (exit code %2).").arg(QFileInfo(m_program).fileName()).arg(exitCode);
    if (!m_stderrTail.isEmpty())
        m_error += QLatin1Char('\n') + m_stderrTail.join(QLatin1Char('\n'));
    end(Status::Failed);
}

void ProcessJob::onProcessError(QProcess::ProcessError error) {
    // Only a child that never started ends here; the rest end in onProcessFinished.
    if (error != QProcess::FailedToStart || m_status != Status::Running)
        return;
    m_error = tr("Cannot start %1: %2").arg(m_program, errorString());
    end(m_cancelRequested ? Status::Cancelled : Status::Failed);
}

void ProcessJob::end(Status status) {
    if (m_status == Status::Finished || m_status == Status::Failed || m_status == Status::Cancelled)
        return;
    m_finalElapsed = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (status == Status::Finished) {
        m_percent = 100;
        Q_EMIT progressChanged(m_percent, m_stage);
    } else if (m_percent >= 100) {
        // A job that reported a stage complete and then failed did not finish: its bar must not look full.
        m_percent = 99.9;
        Q_EMIT progressChanged(m_percent, m_stage);
    }
    m_status = status;
    if (status == Status::Failed)
        appendLog(m_error);
    else if (status == Status::Cancelled)
        appendLog(tr("Cancelled."));
    if (!m_previewFile.isEmpty())
        QFile::remove(m_previewFile); // the picture itself stays in preview()
    Q_EMIT statusChanged(status);
    Q_EMIT ended(status);
}

QString cliProgram() {
    const QString fromEnv = qEnvironmentVariable("MB_CLI");
    if (!fromEnv.isEmpty())
        return QFileInfo(fromEnv).isExecutable() ? fromEnv : QString();
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {here.filePath(QStringLiteral("motionbooth-cli")),
                                     here.filePath(QStringLiteral("../app/motionbooth-cli")),
                                     here.filePath(QStringLiteral("../../app/motionbooth-cli"))}) {
        const QFileInfo fi(candidate);
        if (fi.isFile() && fi.isExecutable())
            return fi.canonicalFilePath();
    }
    return QStandardPaths::findExecutable(QStringLiteral("motionbooth-cli"));
}

QStringList cliCommands(const QString& program, int timeoutMs) {
    if (program.isEmpty())
        return {};
    QProcess p;
    p.start(program, {QStringLiteral("--help")}, QIODevice::ReadOnly);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(1000);
        return {};
    }
    return parseCliCommands(QString::fromUtf8(p.readAllStandardOutput()));
}

QStringList parseCliCommands(const QString& helpText) {
    // "  NAME [NAME2] USAGE…" under "commands:"; names are lower-case words, usages start otherwise.
    static const QRegularExpression re(QStringLiteral("^  ([a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)*)(?:\\s|$)"));
    QStringList names;
    const QStringList lines = helpText.split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        const auto m = re.match(line);
        if (m.hasMatch())
            names << m.captured(1);
    }
    return names;
}

ProcessJob* makeAnimaticJob(const QString& program, const QString& projectPath, const QString& outputPath,
                            QObject* parent) {
    auto* job =
        new ProcessJob(ProcessJob::tr("Render animatic: %1").arg(QFileInfo(outputPath).fileName()), program,
                       {QStringLiteral("animatic"), projectPath, QStringLiteral("-o"), outputPath,
                        QStringLiteral("--progress")},
                       parent);
    job->setOutputPath(outputPath);
    return job;
}

ProcessJob* makeRenderJob(const QString& program, const QString& projectPath, const QString& outputPath,
                          quint64 seed, QObject* parent) {
    auto* job =
        new ProcessJob(ProcessJob::tr("Render take (seed %1)").arg(seed), program,
                       {QStringLiteral("render"), projectPath, QStringLiteral("-o"), outputPath,
                        QStringLiteral("--seed"), QString::number(seed), QStringLiteral("--progress")},
                       parent);
    job->setOutputPath(outputPath);
    job->setTag(seed);
    return job;
}

ProcessJob* makeTrainJob(const QString& program, const QString& projectPath, QObject* parent) {
    return new ProcessJob(ProcessJob::tr("Fine-tune subject: %1").arg(QFileInfo(projectPath).fileName()),
                          program, {QStringLiteral("train"), projectPath, QStringLiteral("--progress")},
                          parent);
}

} // namespace mb::ui
