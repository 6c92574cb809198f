#include "ui/farm_job_monitor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QPointer>
#include <QProcess>
#include <QTimer>
#include <memory>

namespace mb::ui {

int FarmStatus::count(const QString& state) const {
    int n = 0;
    for (const auto& t : tasks)
        n += t.state == state ? 1 : 0;
    return n;
}

int FarmStatus::failedCount() const {
    static const QStringList kActive = {QStringLiteral("PENDING"),     QStringLiteral("RUNNING"),
                                        QStringLiteral("CONFIGURING"), QStringLiteral("COMPLETING"),
                                        QStringLiteral("SUSPENDED"),   QStringLiteral("REQUEUED")};
    int n = 0;
    for (const auto& t : tasks)
        if (t.state != QLatin1String("COMPLETED") && !kActive.contains(t.state))
            ++n;
    return n;
}

namespace {

bool fail(QString* error, const QString& message) {
    if (error)
        *error = message;
    return false;
}

} // namespace

bool parseFarmStatus(const QByteArray& json, FarmStatus& status, QString* error) {
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(error, FarmJobMonitor::tr("The farm status is not JSON (%1 at offset %2)")
                               .arg(pe.errorString())
                               .arg(pe.offset));
    const QJsonObject o = doc.object();
    if (!doc.isObject() || !o.value(QStringLiteral("tasks")).isArray() ||
        !o.value(QStringLiteral("finished")).isBool())
        return fail(error, FarmJobMonitor::tr("The farm status has no \"tasks\" list or \"finished\" flag"));
    FarmStatus s;
    s.jobDir = o.value(QStringLiteral("job_dir")).toString();
    s.finished = o.value(QStringLiteral("finished")).toBool();
    s.etaSeconds = o.value(QStringLiteral("eta_seconds")).toDouble(-1);
    if (o.contains(QStringLiteral("fine_tune"))) {
        const QJsonObject ft = o.value(QStringLiteral("fine_tune")).toObject();
        s.hasFineTune = true;
        s.fineTuneState = ft.value(QStringLiteral("state")).toString();
        s.fineTuneLogTail = ft.value(QStringLiteral("log_tail")).toString();
    }
    for (const QJsonValue& v : o.value(QStringLiteral("tasks")).toArray()) {
        const QJsonObject t = v.toObject();
        if (!t.value(QStringLiteral("index")).isDouble() || !t.value(QStringLiteral("state")).isString())
            return fail(error, FarmJobMonitor::tr("A task of the farm status has no index or state"));
        FarmTaskStatus ts;
        ts.index = t.value(QStringLiteral("index")).toInt();
        ts.seed = quint64(t.value(QStringLiteral("seed")).toDouble());
        ts.state = t.value(QStringLiteral("state")).toString();
        ts.reason = t.value(QStringLiteral("reason")).toString();
        ts.slurmId = t.value(QStringLiteral("slurm_id")).toString();
        ts.exitCode = t.value(QStringLiteral("exit_code")).toInt(-1);
        ts.progress = t.value(QStringLiteral("progress")).toDouble();
        ts.etaSeconds = t.value(QStringLiteral("eta_seconds")).toDouble(-1);
        ts.takeVerified = t.value(QStringLiteral("take_verified")).toBool();
        ts.video = t.value(QStringLiteral("video")).toString();
        ts.logTail = t.value(QStringLiteral("log_tail")).toString();
        s.tasks.push_back(ts);
    }
    status = s;
    return true;
}

bool parseCollectedTakes(const QByteArray& json, QVector<Take>& takes, QStringList& rejected,
                         QString* error) {
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject() ||
        !doc.object().value(QStringLiteral("takes")).isArray())
        return fail(error, FarmJobMonitor::tr("The output of farm collect is not the expected JSON"));
    takes.clear();
    rejected.clear();
    for (const QJsonValue& v : doc.object().value(QStringLiteral("takes")).toArray()) {
        const QJsonObject t = v.toObject();
        Take take;
        take.video = t.value(QStringLiteral("video")).toString().toStdString();
        take.sidecar = t.value(QStringLiteral("sidecar")).toString().toStdString();
        take.seed = quint64(t.value(QStringLiteral("seed")).toDouble());
        take.createdUtc = t.value(QStringLiteral("created_utc")).toString().toStdString();
        if (take.video.empty())
            return fail(error, FarmJobMonitor::tr("A take in the output of farm collect has no video"));
        takes.push_back(take);
    }
    for (const QJsonValue& v : doc.object().value(QStringLiteral("rejected")).toArray()) {
        const QJsonObject r = v.toObject();
        rejected << FarmJobMonitor::tr("task %1: %2")
                        .arg(r.value(QStringLiteral("task")).toInt())
                        .arg(r.value(QStringLiteral("why")).toString());
    }
    return true;
}

FarmJobMonitor::FarmJobMonitor(QString program, QString jobDir, QObject* parent)
    : QObject(parent), m_program(std::move(program)), m_jobDir(std::move(jobDir)), m_timer(new QTimer(this)) {
    m_timer->setInterval(3000);
    connect(m_timer, &QTimer::timeout, this, &FarmJobMonitor::pollNow);
}

FarmJobMonitor::~FarmJobMonitor() {
    // Children are QObject children: kill them before QProcess's destructor waits for them.
    for (QProcess* p : findChildren<QProcess*>()) {
        p->disconnect(this);
        p->kill();
        p->waitForFinished(1000);
    }
}

bool FarmJobMonitor::isPolling() const {
    return m_timer->isActive();
}

void FarmJobMonitor::setPollIntervalMs(int ms) {
    m_timer->setInterval(ms);
}

int FarmJobMonitor::pollIntervalMs() const {
    return m_timer->interval();
}

void FarmJobMonitor::start() {
    m_timer->start();
    pollNow();
}

void FarmJobMonitor::stop() {
    m_timer->stop();
}

QString FarmJobMonitor::describeFailure(int exitCode, bool timedOut, const QString& err, int timeoutMs) {
    if (timedOut)
        return tr("motionbooth-cli did not answer within %1 s (is the Slurm controller reachable?)")
            .arg(timeoutMs / 1000);
    QString text = err.trimmed();
    // "motionbooth-cli farm status: error: WHAT" → "WHAT"
    const int at = text.indexOf(QLatin1String("error: "));
    if (at >= 0 && at < 64 && !text.left(at).contains(QLatin1Char('\n')))
        text = text.mid(at + 7);
    if (text.isEmpty())
        text = tr("motionbooth-cli exited with code %1").arg(exitCode);
    return text;
}

void FarmJobMonitor::runFarm(const QStringList& args, Done done) {
    auto* proc = new QProcess(this);
    auto* deadline = new QTimer(proc);
    deadline->setSingleShot(true);
    auto ended = std::make_shared<bool>(false);
    auto finish = [proc, ended, done](int code, bool timedOut) {
        if (*ended)
            return;
        *ended = true;
        const QByteArray out = proc->readAllStandardOutput();
        const QString err = QString::fromLocal8Bit(proc->readAllStandardError());
        proc->deleteLater();
        done(code, timedOut, out, err);
    };
    connect(deadline, &QTimer::timeout, proc, [proc, finish] {
        proc->kill();
        proc->waitForFinished(2000);
        finish(-1, true);
    });
    connect(proc, &QProcess::finished, proc, [finish](int code, QProcess::ExitStatus st) {
        finish(st == QProcess::NormalExit ? code : 128 + 9, false); // a crash reads like a kill
    });
    connect(proc, &QProcess::errorOccurred, proc, [finish](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            finish(-1, false);
    });
    QStringList all = {QStringLiteral("farm")};
    all << args;
    deadline->start(m_commandTimeoutMs);
    if (m_program.isEmpty()) {
        *ended = true;
        proc->deleteLater();
        done(-1, false, {},
             tr("motionbooth-cli was not found (set MB_CLI or install it next to the editor)"));
        return;
    }
    proc->start(m_program, all, QIODevice::ReadOnly);
}

void FarmJobMonitor::setError(const QString& error) {
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged(m_error);
}

void FarmJobMonitor::pollNow() {
    if (m_polling)
        return;
    m_polling = true;
    const QPointer<FarmJobMonitor> self(this);
    runFarm({QStringLiteral("status"), m_jobDir, QStringLiteral("--json"), QStringLiteral("--slurm-timeout"),
             QString::number(m_slurmTimeoutS)},
            [self](int code, bool timedOut, const QByteArray& out, const QString& err) {
                if (!self)
                    return;
                self->m_polling = false;
                if (code != 0 || timedOut) {
                    self->setError(tr("Cannot read the farm job's status: %1")
                                       .arg(describeFailure(code, timedOut, err, self->m_commandTimeoutMs)));
                    return;
                }
                FarmStatus st;
                QString why;
                if (!parseFarmStatus(out, st, &why)) {
                    self->setError(why);
                    return;
                }
                const bool wasFinished = self->m_hasStatus && self->m_status.finished;
                self->m_status = st;
                self->m_hasStatus = true;
                self->setError(QString());
                Q_EMIT self->statusChanged();
                if (st.finished) {
                    self->m_timer->stop();
                    if (!wasFinished)
                        Q_EMIT self->finished();
                }
            });
}

void FarmJobMonitor::runAction(const QStringList& args, Done done) {
    if (m_busy)
        return;
    m_busy = true;
    const QPointer<FarmJobMonitor> self(this);
    runFarm(args, [self, done](int code, bool timedOut, const QByteArray& out, const QString& err) {
        if (!self)
            return;
        self->m_busy = false;
        done(code, timedOut, out, err);
    });
}

void FarmJobMonitor::cancelJob() {
    runAction(
        {QStringLiteral("cancel"), m_jobDir, QStringLiteral("--slurm-timeout"),
         QString::number(m_slurmTimeoutS)},
        [this](int code, bool timedOut, const QByteArray& out, const QString& err) {
            const bool ok = code == 0 && !timedOut;
            m_message =
                ok ? QString::fromLocal8Bit(out).trimmed()
                   : tr("Cancel failed: %1").arg(describeFailure(code, timedOut, err, m_commandTimeoutMs));
            if (ok && m_message.isEmpty())
                m_message = tr("Nothing was running");
            if (!ok)
                setError(m_message);
            Q_EMIT commandFinished(QStringLiteral("cancel"), ok, m_message);
            pollNow();
        });
}

void FarmJobMonitor::resubmitFailed() {
    runAction(
        {QStringLiteral("resubmit"), m_jobDir, QStringLiteral("--failed"), QStringLiteral("--slurm-timeout"),
         QString::number(m_slurmTimeoutS)},
        [this](int code, bool timedOut, const QByteArray& out, const QString& err) {
            const bool ok = code == 0 && !timedOut;
            m_message =
                ok ? QString::fromLocal8Bit(out).trimmed()
                   : tr("Resubmit failed: %1").arg(describeFailure(code, timedOut, err, m_commandTimeoutMs));
            if (!ok)
                setError(m_message);
            Q_EMIT commandFinished(QStringLiteral("resubmit"), ok, m_message);
            if (ok) {
                m_status.finished = false;
                start();
            }
        });
}

void FarmJobMonitor::collect() {
    runAction({QStringLiteral("collect"), m_jobDir, QStringLiteral("--json"), QStringLiteral("--list-only")},
              [this](int code, bool timedOut, const QByteArray& out, const QString& err) {
                  // Exit code 1 only says that some takes were not collected: the JSON lists the good ones.
                  QVector<Take> takes;
                  QStringList rejected;
                  QString why;
                  const bool parsed = !timedOut && (code == 0 || code == 1) &&
                                      parseCollectedTakes(out, takes, rejected, &why);
                  if (!parsed) {
                      m_message = tr("Collect failed: %1")
                                      .arg(why.isEmpty() || code > 1 || timedOut
                                               ? describeFailure(code, timedOut, err, m_commandTimeoutMs)
                                               : why);
                      setError(m_message);
                      Q_EMIT commandFinished(QStringLiteral("collect"), false, m_message);
                      return;
                  }
                  m_message = tr("%n take(s) verified", nullptr, int(takes.size()));
                  if (!rejected.isEmpty())
                      m_message += QLatin1Char('\n') + tr("Not collected:") + QLatin1Char('\n') +
                                   rejected.join(QLatin1Char('\n'));
                  Q_EMIT commandFinished(QStringLiteral("collect"), rejected.isEmpty(), m_message);
                  Q_EMIT takesCollected(takes, rejected); // last: its handler may report what it added
              });
}

} // namespace mb::ui
