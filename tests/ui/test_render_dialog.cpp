// The render dialog (size, frames, steps, sampler, precision, the estimated time from measured takes; the
// built-in model's own 112×64 by default; draft overrides that leave the project alone) and step previews:
// a `preview:` line of a process job, and a real take of the built-in model whose previews reach the
// Preview panel and the Jobs dock while it renders, in-process and through motionbooth-cli. Failed and
// cancelled jobs keep their bar where they stopped.
#include "doc/project_io.h"
#include "ml/threads.h"
#include "ui/app_settings.h"
#include "ui/in_process_job.h"
#include "ui/job_launcher.h"
#include "ui/job_queue.h"
#include "ui/jobs_dock.h"
#include "ui/main_window.h"
#include "ui/preview_renderer.h"
#include "ui/preview_widget.h"
#include "ui/process_job.h"
#include "ui/project_document.h"
#include "ui/render_dialog.h"
#include "ui/takes_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>

using namespace mb;
using namespace mb::ui;
namespace fs = std::filesystem;

namespace {
const QString kTiny = QStringLiteral(MB_TEST_DATA "/reference/tiny");
const fs::path kDemoDir = fs::path(MB_SOURCE_DIR) / "resources" / "demo";

/** A copy of the demo project in `dir` (absolute paths into the copy) with the given model folder. */
QString demoCopy(const QString& dir, const std::string& modelFolder, int frames, int steps, int width = 576,
                 int height = 320) {
    const fs::path d = dir.toStdString();
    fs::create_directories(d);
    fs::copy(kDemoDir / "subject", d / "subject", fs::copy_options::recursive);
    fs::copy_file(kDemoDir / "background.jpg", d / "background.jpg");
    Project p = loadProject((kDemoDir / "demo.mbproj").string());
    p.shot.width = width;
    p.shot.height = height;
    p.shot.frames = frames;
    p.shot.steps = steps;
    p.shot.sampler = "ddim";
    p.render.modelFolder = modelFolder;
    for (Subject& s : p.subjects)
        for (SubjectPhoto& ph : s.photos) {
            ph.image = (d / fs::path(ph.image).lexically_relative(kDemoDir)).string();
            if (!ph.mask.empty())
                ph.mask = (d / fs::path(ph.mask).lexically_relative(kDemoDir)).string();
        }
    if (!p.background.empty())
        p.background = (d / "background.jpg").string();
    const std::string path = (d / "shot.mbproj").string();
    saveProject(p, path);
    return QString::fromStdString(path);
}

void writeFile(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void saveShot(QWidget* w, const QString& name) {
    if (qEnvironmentVariableIsSet("MB_UI_SHOTS")) // MB_UI_SHOTS=/tmp/folder to look at them
        w->grab().save(qEnvironmentVariable("MB_UI_SHOTS") + QLatin1Char('/') + name);
}
} // namespace

class TestRenderDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("MotionBoothTest"));
        QCoreApplication::setApplicationName(QStringLiteral("render-dialog"));
        QVERIFY(m_tmp.isValid());
    }
    void init() {
        QSettings().clear(); // no measured step times, no model folder: a fresh install
        AppSettings::setThreads(2);
    }

    void builtInModelDefaultsToItsOwnSize() {
        ProjectDocument doc;
        doc.load(demoCopy(m_tmp.filePath(QStringLiteral("builtin")), std::string(), 24, 50));
        RenderDialog dialog(&doc, 5, 1);
        saveShot(&dialog, QStringLiteral("render_dialog_builtin.png"));
        QVERIFY(dialog.usesBuiltInModel());
        QCOMPARE(dialog.widthBox()->value(), 112);
        QCOMPARE(dialog.heightBox()->value(), 64);
        QCOMPARE(dialog.framesBox()->value(), 8);
        QCOMPARE(dialog.stepsBox()->value(), 25);
        QCOMPARE(dialog.samplerBox()->currentData().toString(), QStringLiteral("dpmpp-2m"));
        QCOMPARE(dialog.precisionBox()->currentData().toString(), QStringLiteral("auto"));
        QVERIFY(dialog.sizePresetBox()->currentText().contains(QStringLiteral("built-in")));
        // It says why, and it does not invent an estimate.
        QVERIFY2(dialog.modelNoteText().contains(QStringLiteral("trained at 112 \u00d7 64")),
                 qPrintable(dialog.modelNoteText()));
        QVERIFY(dialog.modelNoteText().contains(QStringLiteral("slower")));
        QVERIFY2(dialog.estimateText().contains(QStringLiteral("no estimate yet")),
                 qPrintable(dialog.estimateText()));
        const RenderOptions o = dialog.options();
        QCOMPARE(o.width, 112);
        QCOMPARE(o.height, 64);
        QCOMPARE(o.frames, 8);
        QCOMPARE(o.steps, 25);
        QCOMPARE(o.sampler, QStringLiteral("dpmpp-2m"));
        QCOMPARE(o.precision, QStringLiteral("auto"));
        QCOMPARE(o.cliArguments().join(QLatin1Char(' ')),
                 QStringLiteral("--frames 8 --size 112x64 --steps 25 --sampler dpmpp-2m --dtype auto"));
        // Presets and the spin boxes agree.
        dialog.sizePresetBox()->setCurrentIndex(0);
        QMetaObject::invokeMethod(dialog.sizePresetBox(), "activated", Q_ARG(int, 0));
        QCOMPARE(dialog.widthBox()->value(), 576);
        dialog.widthBox()->setValue(200);
        QCOMPARE(dialog.sizePresetBox()->currentData().toSize(), QSize());
        // The dialog's values are drafts: the project is as it was.
        QCOMPARE(doc.project().shot.width, 576);
        QCOMPARE(doc.project().shot.frames, 24);
        QCOMPARE(doc.project().shot.sampler, std::string("ddim"));
        QCOMPARE(doc.undoStack()->count(), 0);
        QVERIFY(!doc.isModified());
    }

    void aModelFolderStartsFromTheShot() {
        ProjectDocument doc;
        doc.load(demoCopy(m_tmp.filePath(QStringLiteral("folder")), kTiny.toStdString(), 6, 5, 48, 32));
        RenderDialog dialog(&doc, 1, 4);
        QVERIFY(!dialog.usesBuiltInModel());
        QCOMPARE(dialog.widthBox()->value(), 48);
        QCOMPARE(dialog.heightBox()->value(), 32);
        QCOMPARE(dialog.framesBox()->value(), 6);
        QCOMPARE(dialog.stepsBox()->value(), 5);
        QCOMPARE(dialog.samplerBox()->currentData().toString(), QStringLiteral("ddim"));
        QCOMPARE(dialog.countBox()->value(), 4);
        QVERIFY(dialog.modelNoteText().isEmpty());
        // A model folder in Preferences counts too.
        ProjectDocument other;
        other.load(demoCopy(m_tmp.filePath(QStringLiteral("prefs")), std::string(), 6, 5, 48, 32));
        AppSettings::setModelFolder(kTiny);
        RenderDialog prefs(&other, 1, 1);
        QVERIFY(!prefs.usesBuiltInModel());
        QCOMPARE(prefs.widthBox()->value(), 48);
    }

    void theEstimateComesFromMeasuredTakes() {
        ProjectDocument doc;
        doc.load(demoCopy(m_tmp.filePath(QStringLiteral("estimate")), std::string(), 24, 50));
        const QString key = RenderDialog::estimateKey(QString(), QSize(112, 64), 8, QStringLiteral("auto"));
        QVERIFY(key.contains(QStringLiteral("built-in")) && key.contains(QStringLiteral("112x64x8")));
        QVERIFY(key != RenderDialog::estimateKey(QString(), QSize(112, 64), 8, QStringLiteral("fp32")));
        QVERIFY(key != RenderDialog::estimateKey(kTiny, QSize(112, 64), 8, QStringLiteral("auto")));
        QVERIFY(!RenderDialog::estimateSeconds(key, 25));
        // A finished take's sidecar: 25 steps in 15 s.
        const QString sidecar = m_tmp.filePath(QStringLiteral("estimate/take.mp4.json"));
        writeFile(sidecar, R"({"seconds": 15.0, "steps": 25, "width": 112})");
        QVERIFY(RenderDialog::recordFinishedTake(key, sidecar));
        QVERIFY(!RenderDialog::recordFinishedTake(key, m_tmp.filePath(QStringLiteral("missing.json"))));
        QCOMPARE(*RenderDialog::estimateSeconds(key, 25), 15.0);
        // Other step counts: the steps scale, the fixed part (loading, decoding…) does not.
        const double ten = *RenderDialog::estimateSeconds(key, 10),
                     fifty = *RenderDialog::estimateSeconds(key, 50);
        QVERIFY(ten > 15.0 * 10 / 25 && ten < 15.0);
        QVERIFY(fifty < 30.0 && fifty > 28.0);

        RenderDialog dialog(&doc, 5, 1);
        QVERIFY2(dialog.estimateText().contains(QStringLiteral("about 0:15")),
                 qPrintable(dialog.estimateText()));
        QVERIFY(dialog.estimateText().contains(QStringLiteral("per step")));
        dialog.countBox()->setValue(3);
        QVERIFY2(dialog.estimateText().contains(QStringLiteral("0:45 for 3 takes")),
                 qPrintable(dialog.estimateText()));
        saveShot(&dialog, QStringLiteral("render_dialog_estimate.png"));
        dialog.stepsBox()->setValue(50);
        QVERIFY2(dialog.estimateText().contains(QStringLiteral("about 0:29 per take")),
                 qPrintable(dialog.estimateText()));
        // Another size, frame count or precision has not been measured: no estimate rather than a guess.
        dialog.framesBox()->setValue(16);
        QVERIFY(dialog.estimateText().contains(QStringLiteral("no estimate yet")));
        dialog.framesBox()->setValue(8);
        dialog.precisionBox()->setCurrentIndex(dialog.precisionBox()->findData(QStringLiteral("fp32")));
        QVERIFY(dialog.estimateText().contains(QStringLiteral("no estimate yet")));
    }

    void processJobReadsPreviewLines() {
        // A stand-in for `motionbooth-cli render --preview-file`: two previews of 3 frames of 4×2 cells.
        QImage strip(12, 2, QImage::Format_RGB888);
        strip.fill(QColor(200, 40, 40));
        const QString png = m_tmp.filePath(QStringLiteral("stand-in-preview.png"));
        QVERIFY(strip.save(png));
        const QString script = m_tmp.filePath(QStringLiteral("fake-render.sh"));
        writeFile(script, QStringLiteral("#!/bin/sh\necho 'percentage: 10.0 denoise'\necho 'preview: 1 %1'\n"
                                         "sleep 0.2\necho 'preview: 2 %1'\necho 'percentage: 40.0 denoise'\n"
                                         "exit 3\n")
                              .arg(png)
                              .toUtf8());
        QFile::setPermissions(script, QFile::permissions(script) | QFileDevice::ExeOwner);
        JobQueue queue;
        JobsDock dock(&queue);
        dock.resize(480, 500);
        dock.show();
        auto* job = new ProcessJob(QStringLiteral("Render take (fake)"), script, {});
        job->setPreviewFile(m_tmp.filePath(QStringLiteral("job-preview.png")), 3, 20);
        QVERIFY(job->commandLine().endsWith(QStringLiteral("--preview-file ") +
                                            m_tmp.filePath(QStringLiteral("job-preview.png"))));
        QSignalSpy previews(job, &ProcessJob::previewChanged), ended(job, &ProcessJob::ended);
        queue.add(job);
        QVERIFY(ended.wait(10000));
        QCOMPARE(previews.count(), 2);
        QCOMPARE(job->previewStep(), 2);
        QCOMPARE(job->previewFrames(), 3);
        QCOMPARE(job->preview().size(), QSize(12, 2));
        QCOMPARE(job->previewCaption(), QStringLiteral("step 2 / 20 \u2014 preview"));
        QVERIFY(!job->log().join(QLatin1Char('\n')).contains(QStringLiteral("preview:")));
        // It failed at 40 %: the bar stays there, says so, and keeps the last preview.
        QCOMPARE(job->status(), ProcessJob::Status::Failed);
        QCOMPARE(job->percent(), 40.0);
        QCOMPARE(dock.progressBar()->value(), 400);
        QVERIFY2(dock.progressBar()->text().contains(QStringLiteral("failed")),
                 qPrintable(dock.progressBar()->text()));
        QVERIFY(dock.previewThumbnail()->isVisible());
        QCOMPARE(dock.previewCaption(), QStringLiteral("step 2 / 20 \u2014 preview"));
        QCOMPARE(queue.item(0, JobQueue::ColumnProgress)->text(), QStringLiteral("40%"));

        // A job that said a stage was complete and then failed does not show a full bar either.
        const QString full = m_tmp.filePath(QStringLiteral("fake-full.sh"));
        writeFile(full, "#!/bin/sh\necho 'percentage: 100.0 load'\nexit 1\n");
        QFile::setPermissions(full, QFile::permissions(full) | QFileDevice::ExeOwner);
        auto* stopped = new ProcessJob(QStringLiteral("fails after a stage"), full, {});
        QSignalSpy endedFull(stopped, &ProcessJob::ended);
        queue.add(stopped);
        QVERIFY(endedFull.wait(10000));
        QVERIFY(stopped->percent() < 100.0);
        dock.setCurrentJob(stopped);
        QVERIFY(dock.progressBar()->value() < dock.progressBar()->maximum());
        QVERIFY(!dock.previewThumbnail()->isVisible());
    }

    void previewWidgetPlaysTheStepPreview() {
        ProjectDocument doc;
        PreviewRenderer renderer(&doc);
        PreviewWidget widget(&doc, &renderer);
        PreviewWidget* preview = &widget;
        QImage strip(8 * 4, 4, QImage::Format_RGB888);
        for (int f = 0; f < 4; ++f)
            for (int y = 0; y < 4; ++y)
                for (int x = 0; x < 8; ++x)
                    strip.setPixelColor(f * 8 + x, y, QColor(f * 60, 100, 200));
        preview->showStepPreview(strip, 4, QStringLiteral("step 3 / 9 \u2014 preview"));
        QVERIFY(preview->isShowingStepPreview());
        QVERIFY(!preview->isPlayingTake());
        QCOMPARE(preview->stepPreviewFrameCount(), 4);
        QCOMPARE(preview->stepPreviewCaption(), QStringLiteral("step 3 / 9 \u2014 preview"));
        preview->clearStepPreview();
        QVERIFY(!preview->isShowingStepPreview());
    }

    void previewsReachThePreviewWhileATakeRenders_data() {
        QTest::addColumn<bool>("inProcess");
        QTest::newRow("in-process") << true;
        QTest::newRow("motionbooth-cli") << false;
    }
    void previewsReachThePreviewWhileATakeRenders() {
        QFETCH(bool, inProcess);
        AppSettings::setRunJobsInProcess(inProcess);
        const QString dir = m_tmp.filePath(inProcess ? QStringLiteral("take-a") : QStringLiteral("take-b"));
        // The built-in model (it has a latent→RGB map) at its own size; few frames and steps.
        const QString project = demoCopy(dir, std::string(), 4, 12, 112, 64);
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave")));
        window.resize(1366, 768);
        window.show();
        QVERIFY(window.openProject(project, true));
        RenderOptions options;
        options.frames = 4;
        options.steps = 12;
        options.sampler = QStringLiteral("dpmpp-2m");
        window.renderVariations(1, 21, options);
        QCOMPARE(window.jobQueue()->jobCount(), 1);
        ProcessJob* job = window.jobQueue()->jobAt(0);
        QCOMPARE(bool(qobject_cast<InProcessJob*>(job)), inProcess);
        QSignalSpy ended(job, &ProcessJob::ended);
        PreviewWidget* preview = window.previewWidget();
        QTRY_VERIFY_WITH_TIMEOUT(preview->isShowingStepPreview() || ended.count() > 0, 120000);
        QVERIFY2(preview->isShowingStepPreview(), qPrintable(job->errorMessage()));
        QVERIFY(job->isActive());
        QCOMPARE(preview->stepPreviewFrameCount(), 4);
        QVERIFY2(preview->stepPreviewCaption().contains(QStringLiteral(" / 12 \u2014 preview")),
                 qPrintable(preview->stepPreviewCaption()));
        QCOMPARE(job->preview().size(), QSize(4 * 28, 16)); // 4 frames of 112×64 / 4 side by side
        window.jobsDock()->setCurrentJob(job);
        QVERIFY(window.jobsDock()->previewThumbnail()->isVisible());
        QVERIFY(!window.jobsDock()->previewThumbnail()->pixmap().isNull());
        QVERIFY(window.jobsDock()->previewCaption().startsWith(QStringLiteral("step ")));
        QVERIFY(job->percent() < 100.0);
        saveShot(&window, inProcess ? QStringLiteral("preview_in_process.png")
                                    : QStringLiteral("preview_process.png"));
        // The previews follow the steps; when the take is done the Preview plays it.
        QVERIFY(ended.count() == 1 || ended.wait(120000));
        QVERIFY2(job->status() == ProcessJob::Status::Finished, qPrintable(job->errorMessage()));
        QCOMPARE(job->previewStep(), 12);
        QVERIFY(!preview->isShowingStepPreview());
        QVERIFY(preview->isPlayingTake());
        QCOMPARE(int(window.document()->project().takes.size()), 1);
        QVERIFY(!job->previewFile().isEmpty() || inProcess);
        if (!inProcess)
            QVERIFY2(!QFileInfo::exists(job->previewFile()), "the job's temporary preview is removed");
        // The finished take measured the step time: the dialog now has an estimate for these settings.
        const QString key = RenderDialog::estimateKey(QString(), QSize(112, 64), 4, QString());
        QVERIFY(RenderDialog::estimateSeconds(key, 12));
    }

    void theWindowOpensTheDialogAndRendersItsChoices() {
        AppSettings::setRunJobsInProcess(false);
        const QString project = demoCopy(m_tmp.filePath(QStringLiteral("window")), std::string(), 24, 50);
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave")));
        window.resize(1366, 768);
        window.show();
        QVERIFY(window.openProject(project, true));
        // The editor fits a 1366×768 screen (the subjects scroll, the Jobs dock shrinks).
        const QSize least = window.minimumSizeHint();
        QVERIFY2(least.width() <= 1366 && least.height() <= 768,
                 qPrintable(QStringLiteral("%1x%2").arg(least.width()).arg(least.height())));
        QCOMPARE(window.size(), QSize(1366, 768));
        QVERIFY(window.renderTakeAction());
        QTRY_VERIFY_WITH_TIMEOUT(window.takesPanel()->renderAvailable(), 10000); // motionbooth-cli probed
        const quint64 firstSeed = window.takesPanel()->nextSeed();
        bool seen = false;
        QSize dialogSize;
        QTimer::singleShot(200, this, [&] {
            auto* dialog = qobject_cast<RenderDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            seen = true;
            dialogSize = dialog->frameGeometry().size();
            dialog->stepsBox()->setValue(3);
            dialog->countBox()->setValue(2);
            if (qEnvironmentVariableIsSet("MB_UI_SHOTS"))
                window.grab().save(qEnvironmentVariable("MB_UI_SHOTS") +
                                   QStringLiteral("/window_dialog.png"));
            dialog->accept();
        });
        window.renderTakeAction()->trigger();
        QVERIFY(seen);
        QVERIFY2(dialogSize.width() <= 1366 && dialogSize.height() <= 700,
                 qPrintable(QStringLiteral("%1x%2").arg(dialogSize.width()).arg(dialogSize.height())));
        QCOMPARE(window.jobQueue()->jobCount(), 2);
        for (int i = 0; i < 2; ++i) {
            const QString cmd = window.jobQueue()->jobAt(i)->commandLine();
            QVERIFY2(
                cmd.contains(QStringLiteral(
                    "--frames 8 --size 112x64 --steps 3 --sampler dpmpp-2m --dtype auto --preview-file")),
                qPrintable(cmd));
            QVERIFY(cmd.contains(QStringLiteral("--seed %1").arg(firstSeed + quint64(i))));
        }
        window.jobQueue()->cancelAll();
        QTRY_VERIFY_WITH_TIMEOUT(!window.jobQueue()->runningJob(), 20000);
        // Cancelled jobs: their bars are not full and say so.
        ProcessJob* first = window.jobQueue()->jobAt(0);
        QCOMPARE(first->status(), ProcessJob::Status::Cancelled);
        QVERIFY(first->percent() < 100.0);
        window.jobsDock()->setCurrentJob(first);
        QVERIFY2(window.jobsDock()->progressBar()->text().contains(QStringLiteral("cancelled")),
                 qPrintable(window.jobsDock()->progressBar()->text()));
        // Still the project's own shot.
        QCOMPARE(window.document()->project().shot.steps, 50);
        QCOMPARE(window.document()->project().shot.width, 576);
    }

private:
    QTemporaryDir m_tmp;
};

int main(int argc, char** argv) {
    // As the editor does: LibTorch's OpenMP threads sleep between parallel regions (in-process renders).
    mb::ml::ensure_passive_openmp(argv);
    QApplication app(argc, argv);
    TestRenderDialog test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_render_dialog.moc"
