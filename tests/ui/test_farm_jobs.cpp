// The editor's render farm against a real Slurm: the private single-machine cluster of the farm tests
// (tests/farm/slurm_fixture.sh, started once for this executable). "Render on farm…" dialog → `farm submit`
// in the job queue → the Farm Jobs panel watching `farm status --json` → Collect → the takes in the Takes
// panel through the document's undo stack; the jobs are remembered in QSettings and watched again by a new
// panel; a missing sbatch and an unreachable controller give clear errors, not hangs.
#include "doc/project_io.h"
#include "ui/farm_dialog.h"
#include "ui/farm_job_monitor.h"
#include "ui/farm_jobs_panel.h"
#include "ui/job_queue.h"
#include "ui/process_job.h"
#include "ui/project_document.h"
#include "ui/takes_panel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace mb;
using namespace mb::ui;

namespace {

const QString kWork = QStringLiteral(MB_FARM_WORK);
const QString kSlurmDir = kWork + QStringLiteral("/slurm");

/** A TCP port on 127.0.0.1 that nobody listens on right now. */
int freePort() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(s);
    return port;
}

/** Runs the Slurm fixture script; returns its exit code and puts its output in `out`. */
int fixture(const QStringList& args, QString* out) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("bash"), QStringList{QStringLiteral(MB_FARM_FIXTURE)} + args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        *out = QStringLiteral("the fixture script did not finish within 60 s");
        return -1;
    }
    *out = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

/** A writable copy of the demo project (emptied first); returns the .mbproj path. */
QString copyDemo(const QString& dir) {
    const QDir demo(QStringLiteral(MB_SOURCE_DIR "/resources/demo"));
    QDir(dir).removeRecursively();
    QDir().mkpath(dir + QStringLiteral("/subject"));
    for (const QString& f : demo.entryList({QStringLiteral("*")}, QDir::Files))
        QFile::copy(demo.filePath(f), dir + QLatin1Char('/') + f);
    const QDir subject(demo.filePath(QStringLiteral("subject")));
    for (const QString& f : subject.entryList(QDir::Files))
        QFile::copy(subject.filePath(f), dir + QStringLiteral("/subject/") + f);
    return dir + QStringLiteral("/demo.mbproj");
}

/** Seconds-long takes of the tiny model, as the dialog's "Extra options". */
const QString kDraft =
    QStringLiteral("--model " MB_TEST_DATA "/reference/tiny --frames 4 --size 48x32 --steps 4 --threads 1");

} // namespace

class TestFarmJobs : public QObject {
    Q_OBJECT
    bool m_started = false;
    QString m_startLog;
    QString m_jobDir; ///< the job submitWatchCollect made (reused by the unreachable-controller test)

private Q_SLOTS:
    void initTestCase() {
        // Remembered farm jobs go to a private settings file, not the user's.
        QCoreApplication::setOrganizationName(QStringLiteral("MotionBoothTests"));
        QCoreApplication::setApplicationName(QStringLiteral("test_farm_jobs"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, kWork + QStringLiteral("/settings"));
        QSettings().clear();
        qputenv("MB_CLI", MB_CLI);

        QString out;
        fixture({QStringLiteral("stop"), kSlurmDir}, &out); // a previous run that was killed
        QDir(kSlurmDir).removeRecursively();
        const int rc = fixture({QStringLiteral("start"), kSlurmDir, QString::number(freePort()),
                                QString::number(freePort()), QStringLiteral(MB_FARM_SHIM)},
                               &m_startLog);
        m_started = rc == 0;
        if (m_started)
            qputenv("SLURM_CONF", (kSlurmDir + QStringLiteral("/etc/slurm.conf")).toLocal8Bit());
    }

    void cleanupTestCase() {
        QString out;
        QCOMPARE(fixture({QStringLiteral("stop"), kSlurmDir}, &out), 0);
        for (const char* pid : {"munged.pid", "slurmctld.pid", "slurmd.pid"})
            QVERIFY2(!QFile::exists(kSlurmDir + QStringLiteral("/run/") + QLatin1String(pid)), pid);
    }

    void init() {
        // Slurm is installed by the test command (scripts/bootstrap.sh): a fixture that did not start fails
        // every test with its reason, never skips.
        QVERIFY2(m_started, qPrintable(QStringLiteral("the private Slurm did not start:\n") + m_startLog));
    }

    void dialogValidatesAndBuildsTheSubmitCommand() {
        FarmDialog dialog;
        FarmSubmitOptions o;
        o.jobDir = kWork + QStringLiteral("/unused-job");
        dialog.setOptions(o);
        QPushButton* ok = dialog.buttons()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        dialog.seedsRadio()->setChecked(true);
        QVERIFY(!ok->isEnabled()); // no seeds yet
        QTest::keyClicks(dialog.seedsEdit(), QStringLiteral("1,x"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(dialog.validationError().contains(QStringLiteral("Seeds")));
        dialog.seedsEdit()->setText(QStringLiteral("3, 4"));
        QVERIFY2(ok->isEnabled(), qPrintable(dialog.validationError()));
        dialog.timeEdit()->setText(QStringLiteral("soon"));
        QVERIFY(!ok->isEnabled());
        dialog.timeEdit()->setText(QStringLiteral("00:10:00"));
        dialog.memEdit()->setText(QStringLiteral("2G"));
        dialog.partitionEdit()->setText(QStringLiteral("debug"));
        dialog.cpusSpin()->setValue(2);
        dialog.gpusSpin()->setValue(1);
        dialog.dryRunCheck()->setChecked(true);
        dialog.extraEdit()->setText(QStringLiteral("--model \"/shared/my models/tiny\" --steps 4"));
        QVERIFY(ok->isEnabled());
        const QStringList args = farmSubmitArguments(QStringLiteral("/p/demo.mbproj"), dialog.options());
        const QStringList expected = {QStringLiteral("farm"),
                                      QStringLiteral("submit"),
                                      QStringLiteral("/p/demo.mbproj"),
                                      QStringLiteral("--seeds"),
                                      QStringLiteral("3,4"),
                                      QStringLiteral("--shots"),
                                      QStringLiteral("all"),
                                      QStringLiteral("--partition"),
                                      QStringLiteral("debug"),
                                      QStringLiteral("--time"),
                                      QStringLiteral("00:10:00"),
                                      QStringLiteral("--mem"),
                                      QStringLiteral("2G"),
                                      QStringLiteral("--cpus-per-task"),
                                      QStringLiteral("2"),
                                      QStringLiteral("--gpus-per-task"),
                                      QStringLiteral("1"),
                                      QStringLiteral("--job-dir"),
                                      o.jobDir,
                                      QStringLiteral("--model"),
                                      QStringLiteral("/shared/my models/tiny"),
                                      QStringLiteral("--steps"),
                                      QStringLiteral("4"),
                                      QStringLiteral("--dry-run")};
        QCOMPARE(args, expected);
        // Variations instead of seeds.
        dialog.variationsRadio()->setChecked(true);
        dialog.variationsSpin()->setValue(6);
        QVERIFY(farmSubmitArguments(QStringLiteral("/p.mbproj"), dialog.options())
                    .join(QLatin1Char(' '))
                    .contains(QStringLiteral("--variations 6")));
    }

    void statusJsonIsParsedOrRejected() {
        FarmStatus st;
        QString why;
        QVERIFY(!parseFarmStatus("squeue: error", st, &why));
        QVERIFY(why.contains(QStringLiteral("not JSON")));
        QVERIFY(!parseFarmStatus("{\"finished\": true}", st, &why));
        QVERIFY(why.contains(QStringLiteral("tasks")));
        const QByteArray json = R"({"job_dir":"/j","finished":false,"eta_seconds":12,
            "fine_tune":{"state":"DONE","log_tail":""},
            "tasks":[{"index":0,"seed":7,"state":"RUNNING","reason":"","slurm_id":"5_0","exit_code":-1,
                      "progress":50,"eta_seconds":12,"take_verified":false,"video":"/j/t0.mp4","log_tail":""},
                     {"index":1,"seed":8,"state":"FAILED","reason":"","slurm_id":"5_1","exit_code":3,
                      "progress":10,"eta_seconds":-1,"take_verified":false,"video":"/j/t1.mp4",
                      "log_tail":"boom"}]})";
        QVERIFY2(parseFarmStatus(json, st, &why), qPrintable(why));
        QCOMPARE(st.tasks.size(), 2);
        QCOMPARE(st.tasks[0].seed, quint64(7));
        QCOMPARE(st.tasks[1].exitCode, 3);
        QCOMPARE(st.failedCount(), 1);
        QVERIFY(st.hasFineTune);
    }

    void submitWatchCollect() {
        QElapsedTimer clock;
        clock.start();
        const QString proj = copyDemo(kWork + QStringLiteral("/editor-farm/proj"));
        ProjectDocument doc;
        doc.load(proj);
        JobQueue queue;
        TakesPanel takes(&doc);
        FarmJobsPanel panel(&doc, &queue);
        panel.setMonitorTimings(400, 10, 30000);
        QVERIFY(panel.renderOnFarmAction()->isEnabled());

        // The dialog, filled in as a user would.
        FarmDialog dialog;
        FarmSubmitOptions defaults = panel.defaultOptions();
        QVERIFY(defaults.jobDir.startsWith(QFileInfo(proj).absolutePath() + QStringLiteral("/farm/demo-")));
        defaults.jobDir = kWork + QStringLiteral("/editor-farm/job");
        QDir(defaults.jobDir).removeRecursively();
        dialog.setOptions(defaults);
        dialog.seedsRadio()->setChecked(true);
        QTest::keyClicks(dialog.seedsEdit(), QStringLiteral("3,4"));
        dialog.partitionEdit()->setText(QStringLiteral("debug"));
        dialog.extraEdit()->setText(kDraft);
        QVERIFY(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        QTimer::singleShot(0, &dialog,
                           [&dialog] { dialog.buttons()->button(QDialogButtonBox::Ok)->click(); });
        QCOMPARE(dialog.exec(), int(QDialog::Accepted));

        QSignalSpy added(&panel, &FarmJobsPanel::jobAdded);
        ProcessJob* submit = panel.submit(dialog.options(), true);
        QVERIFY(submit);
        QCOMPARE(queue.jobCount(), 1); // the submission is a job of the Jobs dock's queue
        QTRY_VERIFY_WITH_TIMEOUT(submit->status() != ProcessJob::Status::Running &&
                                     submit->status() != ProcessJob::Status::Pending,
                                 30000);
        QVERIFY2(submit->status() == ProcessJob::Status::Finished, qPrintable(submit->errorMessage()));
        QCOMPARE(added.count(), 1);
        FarmJobMonitor* monitor = panel.monitorFor(defaults.jobDir);
        QVERIFY(monitor);
        QCOMPARE(panel.currentMonitor(), monitor);
        m_jobDir = monitor->jobDir();

        // Watched until finished; the UI stays responsive (this loop keeps processing events).
        QSet<QString> statesSeen;
        connect(monitor, &FarmJobMonitor::statusChanged, this, [&] {
            for (const auto& t : monitor->status().tasks)
                statesSeen.insert(t.state);
        });
        QTRY_VERIFY_WITH_TIMEOUT(monitor->hasStatus() && monitor->status().finished, 60000);
        QVERIFY2(monitor->errorText().isEmpty(), qPrintable(monitor->errorText()));
        QVERIFY(!monitor->isPolling()); // polling stops once nothing is active
        QCOMPARE(monitor->status().count(QStringLiteral("COMPLETED")), 2);
        QCOMPARE(monitor->status().tasks[1].seed, quint64(4));
        QVERIFY(monitor->status().tasks[0].takeVerified);
        QVERIFY(statesSeen.contains(QStringLiteral("COMPLETED")));
        QTreeWidgetItem* item = panel.itemFor(monitor);
        QVERIFY(item);
        QCOMPARE(item->childCount(), 2);
        QCOMPARE(item->text(1), QStringLiteral("2 of 2 done"));
        QCOMPARE(item->child(1)->text(0), QStringLiteral("Task 1 (seed 4)"));
        QCOMPARE(item->child(1)->text(1), QStringLiteral("COMPLETED"));
        QCOMPARE(item->child(1)->text(2), QStringLiteral("100 %"));
        QVERIFY(!panel.cancelButton()->isEnabled());
        QVERIFY(!panel.resubmitButton()->isEnabled());
        QVERIFY(panel.collectButton()->isEnabled());

        // Collect: the verified takes appear in the Takes panel like local ones, one undo step each.
        QCOMPARE(takes.list()->count(), 0);
        QSignalSpy collected(&panel, &FarmJobsPanel::takesAdded);
        panel.collectButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(collected.count(), 1, 30000);
        QCOMPARE(collected.at(0).at(0).toInt(), 2);
        QCOMPARE(doc.project().takes.size(), size_t(2));
        QCOMPARE(doc.project().takes[0].seed, quint64(3));
        QVERIFY(QFile::exists(QString::fromStdString(doc.project().takes[1].video)));
        QCOMPARE(takes.list()->count(), 2);
        QVERIFY2(panel.messageLabel()->text().startsWith(QStringLiteral("2 take")) &&
                     panel.messageLabel()->text().contains(QStringLiteral("added to the Takes panel")),
                 qPrintable(panel.messageLabel()->text()));
        // The project file was not rewritten behind the editor's back.
        QCOMPARE(loadProject(proj.toStdString()).takes.size(), size_t(0));
        doc.undoStack()->undo();
        QCOMPARE(takes.list()->count(), 1);
        doc.undoStack()->redo();
        // Collecting again adds nothing twice.
        panel.collectButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(collected.count(), 2, 30000);
        QCOMPARE(collected.at(1).at(0).toInt(), 0);
        QCOMPARE(doc.project().takes.size(), size_t(2));

        // Remembered: a new panel (the editor reopened) watches the job again.
        const QVariantList remembered = QSettings().value(FarmJobsPanel::settingsKey()).toList();
        QCOMPARE(remembered.size(), 1);
        QCOMPARE(remembered[0].toMap().value(QStringLiteral("dir")).toString(), m_jobDir);
        {
            FarmJobsPanel reopened(&doc, &queue);
            reopened.setMonitorTimings(400, 10, 30000);
            QCOMPARE(reopened.restoreJobs(), 1);
            FarmJobMonitor* again = reopened.monitorFor(m_jobDir);
            QVERIFY(again);
            QTRY_VERIFY_WITH_TIMEOUT(again->hasStatus(), 30000);
            QCOMPARE(again->status().count(QStringLiteral("COMPLETED")), 2);
            QCOMPARE(reopened.itemFor(again)->childCount(), 2);
        }
        panel.removeButton()->click();
        QVERIFY(panel.monitors().isEmpty());
        QVERIFY(QSettings().value(FarmJobsPanel::settingsKey()).toList().isEmpty());
        qInfo("submit + watch + collect took %.1f s", clock.elapsed() / 1000.0);
    }

    void cancelAndResubmitFailedFromThePanel() {
        const QString proj = copyDemo(kWork + QStringLiteral("/editor-farm-cancel/proj"));
        ProjectDocument doc;
        doc.load(proj);
        JobQueue queue;
        FarmJobsPanel panel(&doc, &queue);
        panel.setMonitorTimings(300, 10, 30000);
        FarmSubmitOptions o = panel.defaultOptions();
        o.jobDir = kWork + QStringLiteral("/editor-farm-cancel/job");
        QDir(o.jobDir).removeRecursively();
        o.useSeeds = true;
        o.seeds = QStringLiteral("1,2");
        // Long renders (many steps), so the tasks are still running when cancelled.
        o.extraArgs = QProcess::splitCommand(kDraft);
        o.extraArgs[o.extraArgs.indexOf(QStringLiteral("--steps")) + 1] = QStringLiteral("500");
        ProcessJob* submit = panel.submit(o, true);
        QVERIFY(submit);
        QTRY_VERIFY_WITH_TIMEOUT(panel.monitorFor(o.jobDir) != nullptr, 30000);
        FarmJobMonitor* monitor = panel.monitorFor(o.jobDir);
        QTRY_VERIFY_WITH_TIMEOUT(monitor->status().count(QStringLiteral("RUNNING")) > 0, 30000);
        QVERIFY(panel.cancelButton()->isEnabled());
        QVERIFY(panel.itemFor(monitor)->text(1).contains(QStringLiteral("running")));

        panel.cancelButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(monitor->status().finished, 30000);
        QCOMPARE(monitor->status().count(QStringLiteral("CANCELLED")), 2);
        QVERIFY(panel.itemFor(monitor)->child(0)->text(1).startsWith(QStringLiteral("CANCELLED")));
        QVERIFY(panel.messageLabel()->text().startsWith(QStringLiteral("cancelled ")));
        QVERIFY(!panel.cancelButton()->isEnabled());
        QVERIFY(!panel.collectButton()->isEnabled()); // no take is done
        QVERIFY(panel.resubmitButton()->isEnabled());

        // Resubmit Failed submits both takes again, and watching starts again.
        QSignalSpy commands(monitor, &FarmJobMonitor::commandFinished);
        panel.resubmitButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(commands.count(), 1, 30000);
        QVERIFY2(commands.at(0).at(1).toBool(), qPrintable(commands.at(0).at(2).toString()));
        QVERIFY(commands.at(0).at(2).toString().startsWith(QStringLiteral("resubmitted tasks 0,1 as job ")));
        QVERIFY(monitor->isPolling());
        QTRY_VERIFY_WITH_TIMEOUT(
            !monitor->status().finished && monitor->status().count(QStringLiteral("CANCELLED")) == 0, 30000);
        // Stop them again (the fixture cancels leftovers too, but the test cleans up after itself).
        panel.cancelButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(monitor->status().finished, 30000);
        QCOMPARE(monitor->status().count(QStringLiteral("CANCELLED")), 2);
        panel.removeJob(monitor);
    }

    void missingSbatchIsAClearError() {
        const QString proj = copyDemo(kWork + QStringLiteral("/editor-farm-nosbatch/proj"));
        ProjectDocument doc;
        doc.load(proj);
        JobQueue queue;
        FarmJobsPanel panel(&doc, &queue);
        FarmSubmitOptions o = panel.defaultOptions();
        o.jobDir = kWork + QStringLiteral("/editor-farm-nosbatch/job");
        QDir(o.jobDir).removeRecursively();
        o.extraArgs = QProcess::splitCommand(kDraft);
        const QByteArray path = qgetenv("PATH");
        const QString empty = kWork + QStringLiteral("/empty-bin");
        QDir().mkpath(empty);
        qputenv("PATH", empty.toLocal8Bit()); // no Slurm commands (the CLI itself is given by path)
        QElapsedTimer clock;
        clock.start();
        ProcessJob* submit = panel.submit(o, true);
        qputenv("PATH", path); // the child has started with the empty PATH
        QVERIFY(submit);
        QTRY_VERIFY_WITH_TIMEOUT(submit->status() == ProcessJob::Status::Failed, 30000);
        QVERIFY(clock.elapsed() < 30000);
        QVERIFY2(submit->errorMessage().contains(QStringLiteral("'sbatch' was not found")),
                 qPrintable(submit->errorMessage()));
        QVERIFY(panel.messageLabel()->text().contains(QStringLiteral("sbatch")));
        QVERIFY(panel.monitors().isEmpty());
    }

    void unreachableControllerIsAClearErrorNotAHang() {
        QVERIFY2(!m_jobDir.isEmpty(), "needs the job folder of submitWatchCollect");
        // A copy of the cluster's configuration whose controller port nobody listens on.
        QFile conf(kSlurmDir + QStringLiteral("/etc/slurm.conf"));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(conf.readAll());
        text.replace(QRegularExpression(QStringLiteral("SlurmctldPort=\\d+")),
                     QStringLiteral("SlurmctldPort=%1").arg(freePort()));
        const QString deadConf = kWork + QStringLiteral("/dead-etc/slurm.conf");
        QDir().mkpath(QFileInfo(deadConf).path());
        QFile out(deadConf);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(text.toUtf8());
        out.close();
        const QByteArray live = qgetenv("SLURM_CONF");
        qputenv("SLURM_CONF", deadConf.toLocal8Bit());

        FarmJobMonitor monitor(QStringLiteral(MB_CLI), m_jobDir);
        monitor.setSlurmTimeoutSeconds(4);
        monitor.setCommandTimeoutMs(15000);
        monitor.setPollIntervalMs(500);
        QElapsedTimer clock;
        clock.start();
        monitor.start();
        QVERIFY(clock.elapsed() < 1000); // polling never blocks the caller
        QTRY_VERIFY_WITH_TIMEOUT(!monitor.errorText().isEmpty(), 20000);
        qputenv("SLURM_CONF", live);
        const QString error = monitor.errorText();
        QVERIFY2(error.startsWith(QStringLiteral("Cannot read the farm job's status: ")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("squeue")) &&
                     (error.contains(QStringLiteral("unreachable")) ||
                      error.contains(QStringLiteral("Unable to contact slurm controller"))),
                 qPrintable(error));
        qInfo("unreachable controller reported after %.1f s: %s", clock.elapsed() / 1000.0,
              qPrintable(error));
    }
};

QTEST_MAIN(TestFarmJobs)
#include "test_farm_jobs.moc"
