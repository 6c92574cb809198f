// In-process background jobs (InProcessJob on a worker QThread) beside the motionbooth-cli process jobs: the
// same progress, ETA, log, loss plot and cancel in the job queue and the Jobs dock, with the UI thread kept
// responsive; real renders, fine-tuning and `.bin` → safetensors conversions on the tiny reference model;
// the "Run renders" preference; "Fine-tune subjects…" setting the project's checkpoint (undoable); offering
// to convert a `.bin`-only model folder.
#include "doc/atomic_file.h"
#include "doc/project_io.h"
#include "doc/sha256.h"
#include "media/video_io.h"
#include "ml/threads.h"
#include "ui/app_settings.h"
#include "ui/in_process_job.h"
#include "ui/job_launcher.h"
#include "ui/job_queue.h"
#include "ui/jobs_dock.h"
#include "ui/loss_plot.h"
#include "ui/main_window.h"
#include "ui/model_conversion.h"
#include "ui/process_job.h"
#include "ui/project_document.h"
#include "ui/settings_dialog.h"
#include "ui_stall.h"

#include <nlohmann/json.hpp>

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace mb;
using namespace mb::ui;
namespace fs = std::filesystem;

namespace {
const QString kTiny = QStringLiteral(MB_TEST_DATA "/reference/tiny");
const QString kTinyBin = QStringLiteral(MB_TEST_DATA "/torch_checkpoints/tiny_bin");
const fs::path kDemoDir = fs::path(MB_SOURCE_DIR) / "resources" / "demo";

/** A copy of the demo project in `dir` with a draft shot (tiny model, 48×32, few frames and steps). */
QString draftDemo(const QString& dir, int steps = 5, int frames = 6, bool builtInModel = false) {
    const fs::path d = dir.toStdString();
    fs::create_directories(d);
    fs::copy(kDemoDir / "subject", d / "subject", fs::copy_options::recursive);
    fs::copy_file(kDemoDir / "background.jpg", d / "background.jpg");
    Project p = loadProject((kDemoDir / "demo.mbproj").string());
    p.shot.width = builtInModel ? 112 : 48;
    p.shot.height = builtInModel ? 64 : 32;
    p.shot.frames = frames;
    p.shot.steps = steps;
    // Empty: the embedded default model (resources/models/default), as on a fresh install.
    p.render.modelFolder = builtInModel ? std::string() : kTiny.toStdString();
    // loadProject made the paths absolute under resources/demo: point them at the copy.
    for (Subject& s : p.subjects)
        for (SubjectPhoto& ph : s.photos) {
            ph.image = (d / fs::path(ph.image).lexically_relative(kDemoDir)).string();
            if (!ph.mask.empty())
                ph.mask = (d / fs::path(ph.mask).lexically_relative(kDemoDir)).string();
        }
    if (!p.background.empty())
        p.background = (d / "background.jpg").string();
    const std::string path = (d / "draft.mbproj").string();
    saveProject(p, path);
    return QString::fromStdString(path);
}

/** Copies the `.bin` fixture model, so conversions write beside a folder the test owns. */
QString copyTinyBin(const QString& dir) {
    const fs::path d = fs::path(dir.toStdString()) / "tiny_bin";
    fs::create_directories(d.parent_path());
    fs::copy(kTinyBin.toStdString(), d, fs::copy_options::recursive);
    return QString::fromStdString(d.string());
}

} // namespace

class TestBackgroundJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("MotionBoothTest"));
        QCoreApplication::setApplicationName(QStringLiteral("background-jobs"));
        QVERIFY(m_tmp.isValid());
    }
    void init() {
        AppSettings::setRunJobsInProcess(false);
        AppSettings::setModelFolder(QString());
        AppSettings::setThreads(2);
    }

    void inProcessJobReportsLikeAProcessJob() {
        JobQueue queue;
        JobsDock dock(&queue);
        dock.resize(500, 600);
        dock.show();
        std::atomic<bool> onWorker{false};
        const auto uiThread = QThread::currentThread();
        auto* job = new InProcessJob(QStringLiteral("Fine-tune (fake)"),
                                     {QStringLiteral("train"), QStringLiteral("p.mbproj")},
                                     [&](const JobControl& jc) {
                                         onWorker = QThread::currentThread() != uiThread;
                                         jc.report("load", 1, 1, "loading /models/tiny");
                                         for (int i = 1; i <= 5; ++i) {
                                             std::this_thread::sleep_for(std::chrono::milliseconds(60));
                                             JobProgress p;
                                             p.stage = "train";
                                             p.done = i;
                                             p.total = 5;
                                             p.values = {{"loss", 1.0 / i}, {"L_sub", 0.5 / i}};
                                             jc.report(p);
                                         }
                                         return QStringLiteral("trained 5 steps");
                                     });
        QSignalSpy progress(job, &ProcessJob::progressChanged);
        QSignalSpy values(job, &ProcessJob::valueReported);
        QSignalSpy ended(job, &ProcessJob::ended);
        queue.add(job);
        QCOMPARE(queue.runningJob(), job);
        QCOMPARE(dock.currentJob(), job);
        QCOMPARE(job->status(), ProcessJob::Status::Running);
        // (Progress is per stage, as the CLI's `percentage:` lines: "load" was 100 % already.)
        QTRY_VERIFY_WITH_TIMEOUT(job->stage() == QStringLiteral("train") && job->percent() >= 40.0, 10000);
        QVERIFY(job->percent() < 100.0);
        QVERIFY(job->remainingMs() >= 0);
        QVERIFY2(dock.timeText().contains(QStringLiteral("Remaining")), qPrintable(dock.timeText()));
        QCOMPARE(dock.stageText(), QStringLiteral("Stage: train"));
        QVERIFY(ended.wait(10000));
        QVERIFY(onWorker);
        QCOMPARE(job->status(), ProcessJob::Status::Finished);
        QCOMPARE(job->percent(), 100.0);
        QCOMPARE(values.count(), 10);
        QVERIFY(progress.count() >= 6);
        QVERIFY(job->commandLine().startsWith(InProcessJob::programName() + QStringLiteral(" train")));
        QVERIFY(job->log().contains(QStringLiteral("loading /models/tiny")));
        QVERIFY(job->log().contains(QStringLiteral("trained 5 steps")));
        LossPlot* plot = dock.lossPlot();
        QVERIFY(plot->isVisible());
        QCOMPARE(plot->pointCount(QStringLiteral("loss")), 5);
        QCOMPARE(plot->lastValue(QStringLiteral("L_sub")), 0.1);
        QCOMPARE(dock.progressBar()->value(), 1000);
        QVERIFY(dock.logView()->toPlainText().contains(QStringLiteral("trained 5 steps")));
        QVERIFY(dock.timeText().startsWith(QStringLiteral("Took")));
        QCOMPARE(queue.item(0, JobQueue::ColumnStatus)->text(), QStringLiteral("Done"));
        if (qEnvironmentVariableIsSet("MB_UI_SHOTS")) // for looking at the dock: MB_UI_SHOTS=/tmp/folder
            dock.grab().save(qEnvironmentVariable("MB_UI_SHOTS") + QStringLiteral("/in_process_job.png"));
    }

    void cancelAndFailureKeepTheUiResponsive() {
        JobQueue queue;
        JobsDock dock(&queue);
        std::atomic<int> steps{0};
        // A job that would run for a minute, checking its token between 20 ms units of work.
        auto* job = new InProcessJob(QStringLiteral("long"), {}, [&](const JobControl& jc) {
            for (int i = 0; i < 3000; ++i) {
                jc.checkCancelled();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                jc.report("work", i + 1, 3000);
                ++steps;
            }
            return QString();
        });
        auto* failing = new InProcessJob(QStringLiteral("failing"), {}, [](const JobControl&) -> QString {
            throw std::runtime_error("model_index.json not found in /nowhere");
        });
        QSignalSpy ended(job, &ProcessJob::ended), failed(failing, &ProcessJob::ended);
        queue.add(job);
        queue.add(failing);
        const qint64 stall = longestUiStall([&] { return steps >= 10; }, 10000);
        qInfo("longest UI-thread gap while the job ran: %lld ms", stall);
        QVERIFY2(stall < 250, qPrintable(QString::number(stall)));
        QVERIFY(dock.cancelButton()->isEnabled());
        QElapsedTimer clock;
        clock.start();
        dock.cancelButton()->click(); // the selected job is the running one
        QVERIFY(ended.wait(5000));
        qInfo("cancel took %lld ms", clock.elapsed());
        QCOMPARE(job->status(), ProcessJob::Status::Cancelled);
        QVERIFY(steps < 3000);
        QVERIFY(job->log().contains(QStringLiteral("Cancelled.")));
        // The next job ran and failed with the exception's text.
        QVERIFY(failed.count() == 1 || failed.wait(5000));
        QCOMPARE(failing->status(), ProcessJob::Status::Failed);
        QVERIFY2(failing->errorMessage().contains(QStringLiteral("model_index.json not found in /nowhere")),
                 qPrintable(failing->errorMessage()));
        dock.setCurrentJob(failing);
        QVERIFY(dock.errorText().contains(QStringLiteral("/nowhere")));
        // Destroying a job whose work still runs waits for it to stop (no report into a dead object).
        std::atomic<bool> stopped{false};
        {
            auto* orphan = new InProcessJob(QStringLiteral("orphan"), {}, [&](const JobControl& jc) {
                for (;;) {
                    if (jc.cancel->requested()) {
                        stopped = true;
                        jc.checkCancelled();
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    jc.report("spin", 1, 2);
                }
                return QString();
            });
            orphan->begin();
            QTest::qWait(50);
            delete orphan;
        }
        QVERIFY(stopped);
    }

    void inProcessRenderMatchesTheCliRender() {
        const QString project = draftDemo(m_tmp.filePath(QStringLiteral("render")));
        const QString inProcess = m_tmp.filePath(QStringLiteral("render/in_process.mp4"));
        const QString viaCli = m_tmp.filePath(QStringLiteral("render/cli.mp4"));
        JobQueue queue;
        auto* a = makeInProcessRenderJob(project, inProcess, 7, QString(), 2);
        auto* b = makeRenderJob(cliProgram(), project, viaCli, 7);
        b->addArguments({QStringLiteral("--threads"), QStringLiteral("2")});
        QSignalSpy progressA(a, &ProcessJob::progressChanged);
        QSignalSpy endedA(a, &ProcessJob::ended), endedB(b, &ProcessJob::ended);
        queue.add(a);
        queue.add(b);
        QVERIFY(endedA.wait(120000));
        QVERIFY2(a->status() == ProcessJob::Status::Finished, qPrintable(a->errorMessage()));
        QVERIFY(endedB.count() == 1 || endedB.wait(120000));
        QVERIFY2(b->status() == ProcessJob::Status::Finished, qPrintable(b->errorMessage()));
        qInfo("draft take (48x32, 6 frames, 5 steps): in-process %lld ms, motionbooth-cli %lld ms",
              a->elapsedMs(), b->elapsedMs());
        // Same stages as the CLI's `percentage:` lines.
        QStringList stages;
        for (const auto& args : progressA)
            stages << args.at(1).toString();
        for (const char* s : {"load", "denoise", "encode"})
            QVERIFY2(stages.contains(QLatin1String(s)), qPrintable(stages.join(QLatin1Char(','))));
        QCOMPARE(a->tag(), quint64(7));
        const media::VideoInfo info = media::probeVideo(inProcess.toStdString());
        QCOMPARE(info.frames, 6);
        QCOMPARE(info.width, 48);
        QVERIFY(QFileInfo::exists(inProcess + QStringLiteral(".json")));
        // Same project, seed and thread count: the same video, bit for bit, whichever way it was rendered.
        QCOMPARE(sha256File(inProcess.toStdString()), sha256File(viaCli.toStdString()));
    }

    void cancelledInProcessRenderLeavesNoTake() {
        const QString project = draftDemo(m_tmp.filePath(QStringLiteral("cancel")), 400);
        const QString out = m_tmp.filePath(QStringLiteral("cancel/take.mp4"));
        JobQueue queue;
        auto* job = makeInProcessRenderJob(project, out, 1, QString(), 2);
        QSignalSpy ended(job, &ProcessJob::ended);
        queue.add(job);
        QTRY_VERIFY_WITH_TIMEOUT(job->stage() == QStringLiteral("denoise"), 60000);
        job->cancel();
        QVERIFY(ended.wait(30000));
        QCOMPARE(job->status(), ProcessJob::Status::Cancelled);
        QVERIFY(job->percent() < 100.0);
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(!QFileInfo::exists(out + QStringLiteral(".json")));
        QCOMPARE(QDir(m_tmp.filePath(QStringLiteral("cancel")))
                     .entryList({QStringLiteral("*.mp4*")}, QDir::Files | QDir::Hidden)
                     .size(),
                 0);
    }

    void convertsABinModelInTheBackground() {
        const QString dir = m_tmp.filePath(QStringLiteral("convert"));
        const QString model = copyTinyBin(dir);
        QCOMPARE(foldersNeedingConversion(model).size(), 3); // text_encoder (2 shards), unet, vae
        QVERIFY(needsConversion(model));
        QVERIFY(!needsConversion(kTiny));
        const QString target = convertedFolderFor(model);
        QCOMPARE(target, dir + QStringLiteral("/tiny_bin-safetensors"));
        QVERIFY(!hasConvertedCopy(model));
        JobQueue queue;
        InProcessJob* job = startConversion(&queue, model, target);
        QSignalSpy ended(job, &ProcessJob::ended);
        QVERIFY(ended.wait(60000));
        QVERIFY2(job->status() == ProcessJob::Status::Finished, qPrintable(job->errorMessage()));
        QCOMPARE(job->stage(), QStringLiteral("convert"));
        for (const char* f :
             {"unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors",
              "model_index.json", "tokenizer/vocab.json"})
            QVERIFY2(QFileInfo::exists(QDir(target).filePath(QLatin1String(f))), f);
        QVERIFY(!needsConversion(target));
        QVERIFY(hasConvertedCopy(model));
        QVERIFY(needsConversion(model)); // the original is untouched

        // A second conversion into an existing folder fails clearly and leaves that folder alone.
        InProcessJob* again = startConversion(&queue, model, target);
        QSignalSpy endedAgain(again, &ProcessJob::ended);
        QVERIFY(endedAgain.wait(30000));
        QCOMPARE(again->status(), ProcessJob::Status::Failed);
        QVERIFY(again->errorMessage().contains(QStringLiteral("exists already")));
        QVERIFY(hasConvertedCopy(model));

        // A broken weight file fails the conversion, and no half-converted folder is left.
        const QString broken = m_tmp.filePath(QStringLiteral("convert-broken"));
        const QString brokenModel = copyTinyBin(broken);
        QFile unet(brokenModel + QStringLiteral("/unet/diffusion_pytorch_model.bin"));
        QVERIFY(unet.open(QIODevice::WriteOnly | QIODevice::Truncate));
        unet.write("not a zip archive");
        unet.close();
        InProcessJob* bad = startConversion(&queue, brokenModel, convertedFolderFor(brokenModel));
        QSignalSpy endedBad(bad, &ProcessJob::ended);
        QVERIFY(endedBad.wait(30000));
        QCOMPARE(bad->status(), ProcessJob::Status::Failed);
        QVERIFY2(bad->errorMessage().contains(QStringLiteral("diffusion_pytorch_model.bin")),
                 qPrintable(bad->errorMessage()));
        QVERIFY(!QFileInfo::exists(convertedFolderFor(brokenModel)));
    }

    void offersToConvertABinModelFolder() {
        const QString dir = m_tmp.filePath(QStringLiteral("offer"));
        const QString model = copyTinyBin(dir);
        const QString target = convertedFolderFor(model);
        // The question explains why, and "Convert" accepts it.
        QString shownText;
        QTimer::singleShot(100, this, [&shownText] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            shownText = box->text() + QLatin1Char('\n') + box->informativeText();
            if (qEnvironmentVariableIsSet("MB_UI_SHOTS"))
                box->grab().save(qEnvironmentVariable("MB_UI_SHOTS") +
                                 QStringLiteral("/convert_question.png"));
            for (QAbstractButton* b : box->buttons())
                if (b->text() == QStringLiteral("Convert"))
                    b->click();
        });
        QVERIFY(askToConvert(nullptr, model, target));
        QVERIFY2(shownText.contains(QStringLiteral(".bin")) && shownText.contains(QStringLiteral("faster")) &&
                     shownText.contains(QStringLiteral("code")) && shownText.contains(target),
                 qPrintable(shownText));

        // Preferences: the chosen folder is converted in the background, then used.
        ProjectDocument doc;
        JobQueue queue;
        JobLauncher launcher(&doc, &queue, nullptr);
        AppSettings::setModelFolder(model);
        launcher.setConversionAnswer(false);
        QCOMPARE(launcher.offerConversionOfSettingsFolder(), nullptr); // "Not now": nothing changes
        QCOMPARE(AppSettings::modelFolder(), model);
        launcher.setConversionAnswer(true);
        InProcessJob* job = launcher.offerConversionOfSettingsFolder();
        QVERIFY(job);
        QSignalSpy ended(job, &ProcessJob::ended);
        QVERIFY(ended.wait(60000));
        QCOMPARE(job->status(), ProcessJob::Status::Finished);
        QCOMPARE(AppSettings::modelFolder(), target);

        // The project's own model folder: a job started with it gets the converted folder, and the project
        // then points there (one undoable step).
        Project p = doc.project();
        p.render.modelFolder = model.toStdString();
        doc.resetProject(p, QString());
        InProcessJob* conversion = nullptr;
        QCOMPARE(launcher.modelFolderForJob(&conversion), target); // a converted copy exists: used at once
        QCOMPARE(conversion, nullptr);
        QCOMPARE(QString::fromStdString(doc.project().render.modelFolder), target);
        doc.undoStack()->undo();
        QCOMPARE(QString::fromStdString(doc.project().render.modelFolder), model);
    }

    void settingsChooseWhereRendersRun() {
        QVERIFY(!AppSettings::runJobsInProcess()); // default: separate process
        SettingsDialog dialog;
        if (qEnvironmentVariableIsSet("MB_UI_SHOTS")) {
            dialog.show();
            dialog.grab().save(qEnvironmentVariable("MB_UI_SHOTS") + QStringLiteral("/settings.png"));
        }
        QComboBox* mode = dialog.jobModeBox();
        QCOMPARE(mode->currentData().toBool(), false);
        mode->setCurrentIndex(mode->findData(true));
        dialog.apply();
        QVERIFY(AppSettings::runJobsInProcess());
        SettingsDialog again;
        QCOMPARE(again.jobModeBox()->currentData().toBool(), true);

        // The launcher follows it.
        ProjectDocument doc;
        JobQueue queue;
        JobLauncher launcher(&doc, &queue, nullptr);
        std::unique_ptr<ProcessJob> inProc(
            launcher.makeRenderJob(QStringLiteral("p.mbproj"), QStringLiteral("o.mp4"), 3, QString()));
        QVERIFY(qobject_cast<InProcessJob*>(inProc.get()));
        AppSettings::setRunJobsInProcess(false);
        std::unique_ptr<ProcessJob> proc(launcher.makeRenderJob(
            QStringLiteral("p.mbproj"), QStringLiteral("o.mp4"), 3, QStringLiteral("/m")));
        QVERIFY(!qobject_cast<InProcessJob*>(proc.get()));
        QVERIFY2(proc->commandLine().contains(QStringLiteral("--seed 3 --progress --preview-file ")) &&
                     proc->commandLine().endsWith(QStringLiteral("-preview.png --model /m --threads 2")),
                 qPrintable(proc->commandLine()));
        QVERIFY(proc->previewFile().startsWith(QDir::tempPath()));
    }

    void fineTuneSetsTheCheckpoint_data() {
        QTest::addColumn<bool>("inProcess");
        QTest::newRow("in-process") << true;
        QTest::newRow("motionbooth-cli") << false;
    }
    void fineTuneSetsTheCheckpoint() {
        QFETCH(bool, inProcess);
        AppSettings::setRunJobsInProcess(inProcess);
        const QString dir = m_tmp.filePath(inProcess ? QStringLiteral("train-a") : QStringLiteral("train-b"));
        const QString project = draftDemo(dir, 5, 4);
        ProjectDocument doc;
        doc.load(project);
        JobQueue queue;
        JobsDock dock(&queue);
        JobLauncher launcher(&doc, &queue, nullptr);
        QSignalSpy applied(&launcher, &JobLauncher::checkpointApplied);

        // Unsaved changes: refused (the job reads the file).
        Shot shot = doc.project().shot;
        shot.seed = 99;
        doc.push(setShot(doc.project(), shot, "seed"));
        QCOMPARE(launcher.fineTuneSubjects(2), nullptr);
        doc.save(project);

        ProcessJob* job = launcher.fineTuneSubjects(2);
        QVERIFY(job);
        QCOMPARE(bool(qobject_cast<InProcessJob*>(job)), inProcess);
        QSignalSpy ended(job, &ProcessJob::ended);
        QVERIFY(ended.wait(240000));
        QVERIFY2(job->status() == ProcessJob::Status::Finished,
                 qPrintable(job->errorMessage() + QLatin1Char('\n') + job->log().join(QLatin1Char('\n'))));
        // Live losses reached the dock's plot.
        QVERIFY(dock.lossPlot()->pointCount(QStringLiteral("loss")) >= 2);
        QCOMPARE(applied.count(), 1);
        const QString checkpoint = QString::fromStdString(doc.project().render.checkpoint);
        QVERIFY(checkpoint.endsWith(QStringLiteral("draft.mbproj.checkpoints/subjects.safetensors")));
        QVERIFY(QFileInfo::exists(checkpoint));
        QVERIFY(doc.isModified());
        // Undoable; a render of the saved project then records the checkpoint in its sidecar.
        doc.undoStack()->undo();
        QVERIFY(doc.project().render.checkpoint.empty());
        doc.undoStack()->redo();
        doc.save(project);
        const QString out = dir + QStringLiteral("/after.mp4");
        std::unique_ptr<ProcessJob> render(launcher.makeRenderJob(project, out, 1, QString()));
        QSignalSpy renderEnded(render.get(), &ProcessJob::ended);
        render->begin();
        QVERIFY(renderEnded.wait(120000));
        QVERIFY2(render->status() == ProcessJob::Status::Finished, qPrintable(render->errorMessage()));
        QFile sidecar(out + QStringLiteral(".json"));
        QVERIFY(sidecar.open(QIODevice::ReadOnly));
        const QByteArray json = sidecar.readAll();
        QVERIFY(json.contains(checkpoint.toUtf8()));
        QVERIFY(json.contains("fine-tuned identifier"));
    }

    void mainWindowRendersTakesInProcess() {
        AppSettings::setRunJobsInProcess(true);
        const QString project = draftDemo(m_tmp.filePath(QStringLiteral("window")));
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave")));
        QVERIFY(window.openProject(project, true));
        window.renderVariations(1, 11);
        QCOMPARE(window.jobQueue()->jobCount(), 1);
        auto* job = qobject_cast<InProcessJob*>(window.jobQueue()->jobAt(0));
        QVERIFY(job);
        QCOMPARE(window.jobsDock()->currentJob(), job);
        QSignalSpy ended(job, &ProcessJob::ended);
        const qint64 stall = longestUiStall([&] { return ended.count() > 0; }, 120000);
        qInfo("longest UI-thread gap during an in-process render in the editor: %lld ms", stall);
        QVERIFY2(stall < 500, qPrintable(QString::number(stall)));
        QCOMPARE(ended.count(), 1);
        QVERIFY2(job->status() == ProcessJob::Status::Finished, qPrintable(job->errorMessage()));
        QCOMPARE(int(window.document()->project().takes.size()), 1);
        const Take& take = window.document()->project().takes[0];
        QCOMPARE(take.seed, quint64(11));
        QVERIFY(QFileInfo::exists(QString::fromStdString(take.video)));
        QVERIFY(QFileInfo::exists(QString::fromStdString(take.sidecar)));
    }

    void mainWindowRendersWithTheBuiltInModel() {
        // No model folder in the project or the settings: a fresh install renders with the built-in model.
        AppSettings::setRunJobsInProcess(true);
        AppSettings::setModelFolder(QString());
        const QString project = draftDemo(m_tmp.filePath(QStringLiteral("builtin")), 10, 8, true);
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave")));
        QVERIFY(window.openProject(project, true));
        window.renderVariations(1, 3);
        QCOMPARE(window.jobQueue()->jobCount(), 1);
        ProcessJob* job = window.jobQueue()->jobAt(0);
        QSignalSpy ended(job, &ProcessJob::ended);
        QVERIFY(ended.wait(120000));
        QVERIFY2(job->status() == ProcessJob::Status::Finished, qPrintable(job->errorMessage()));
        QCOMPARE(int(window.document()->project().takes.size()), 1);
        const Take& take = window.document()->project().takes[0];
        const auto j = nlohmann::json::parse(readWholeFile(take.sidecar));
        QCOMPARE(QDir(QString::fromStdString(j["model"]["folder"].get<std::string>())).canonicalPath(),
                 QDir(QString::fromStdString(
                          (fs::path(MB_SOURCE_DIR) / "resources" / "models" / "default").string()))
                     .canonicalPath());
        QCOMPARE(j["width"].get<int>(), 112);
    }

    void mainWindowOffersFineTuning() {
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave")));
        QAction* action = window.fineTuneAction();
        QVERIFY(action);
        QVERIFY(action->text().contains(QStringLiteral("Fine-tune")));
        bool inMenu = false;
        for (QAction* menu : window.menuBar()->actions())
            if (menu->menu() && menu->menu()->actions().contains(action))
                inMenu = true;
        QVERIFY(inMenu);
        QVERIFY(window.jobLauncher());
    }

private:
    QTemporaryDir m_tmp;
};

int main(int argc, char** argv) {
    // As the editor does (app/editor/main.cpp): LibTorch's OpenMP threads must sleep between parallel
    // regions, or an in-process render on a busy 2-core machine runs ~15x slower (re-executes once with
    // PASSIVE).
    mb::ml::ensure_passive_openmp(argv);
    QApplication app(argc, argv);
    TestBackgroundJobs test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_background_jobs.moc"
