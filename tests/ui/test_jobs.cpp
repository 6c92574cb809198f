// Background jobs from the editor: auto-mask of a photo on the worker thread (and its cancel), mask painting
// with undo, the export dialog (PNG sequence, GIF, MP4, cancel, clear errors, full disk), and process jobs
// (motionbooth-cli stand-ins: small shell scripts printing `percentage:`, `log:` and `value:` lines) in the
// job queue and the Jobs dock: parsing, ETA, loss plot, cancel (terminate, then kill), failure with stderr.
#include "doc/project_io.h"
#include "media/image_io.h"
#include "media/video_io.h"
#include "ui/export_dialog.h"
#include "ui/job_queue.h"
#include "ui/jobs_dock.h"
#include "ui/loss_plot.h"
#include "ui/mask_editor.h"
#include "ui/preview_renderer.h"
#include "ui/preview_widget.h"
#include "ui/process_job.h"
#include "ui/project_document.h"
#include "ui/subject_panel.h"
#include "ui/takes_panel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImageReader>
#include <QListWidget>
#include <QListWidgetItem>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <csignal>
#include <opencv2/core.hpp>
#include <sys/resource.h>

using namespace mb;
using namespace mb::ui;

namespace {
const QString kToy = QStringLiteral(MB_TEST_DATA "/images/toy.png");
const QString kToyMask = QStringLiteral(MB_TEST_DATA "/images/toy_mask.png");

/** Writes a shell script standing in for motionbooth-cli and returns its path. */
QString writeScript(const QTemporaryDir& dir, const QString& name, const QString& body) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(("#!/bin/sh\n" + body + "\n").toUtf8());
    f.close();
    f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    return path;
}

/** A fake training run: progress, a log line and three losses per step, with sleeps between steps. */
const char* kTrainScript = R"SH(echo "log: loading /models/tiny"
i=1
while [ $i -le 5 ]; do
  echo "percentage: $((i * 20)).0 train"
  echo "value: total 0.$((9 - i))"
  echo "value: L_sub 0.$((6 - i))"
  echo "value: L_vid 0.0$((9 - i))"
  echo "value: L_stca 0.00$i"
  sleep 0.1
  i=$((i + 1))
done
echo "some other output"
echo "progress noise on stderr" >&2)SH";
} // namespace

class TestJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
        if (!QFileInfo::exists(kToy))
            QFAIL("tests/data/images/toy.png is missing");
    }

    void init() {
        m_doc = std::make_unique<ProjectDocument>();
        Project p = makeNewProject();
        m_doc->resetProject(p, QString());
        // Saved in the temp folder, so masks land in <tmp>/masks next to the project.
        m_doc->save(m_tmp.filePath(QStringLiteral("jobs.mbproj")));
        m_panel = std::make_unique<SubjectPanel>(m_doc.get());
        m_panel->resize(320, 700);
        m_panel->show();
    }
    void cleanup() {
        m_panel.reset();
        m_doc.reset();
    }

    void autoMaskToyPhotoOffTheUiThread() {
        QCOMPARE(
            m_panel->addPhotos({kToy, QStringLiteral("/nonexistent/x.png"), QStringLiteral("notes.txt")}), 1);
        const Subject& s = m_doc->project().subjects[0];
        QCOMPARE(int(s.photos.size()), 1);
        QSignalSpy finished(m_panel.get(), &SubjectPanel::jobFinished);
        m_panel->autoMaskAll();
        QVERIFY(m_panel->isBusy());
        QVERIFY(finished.wait(60000));
        const double seconds = finished.at(0).at(1).toDouble();
        const std::string maskPath = m_doc->project().subjects[0].photos[0].mask;
        QVERIFY(!maskPath.empty());
        QVERIFY(QString::fromStdString(maskPath).startsWith(m_tmp.filePath(QStringLiteral("masks"))));
        const cv::Mat mask = media::loadMask(maskPath);
        const cv::Mat ref = media::loadMask(kToyMask.toStdString());
        const double area = cv::countNonZero(mask), refArea = cv::countNonZero(ref);
        const double iou = cv::countNonZero(mask & ref) / double(cv::countNonZero(mask | ref));
        qInfo("auto-mask toy.png: %.2f s, area %.0f vs reference %.0f, IoU %.3f", seconds, area, refArea,
              iou);
        QVERIFY(std::abs(area / refArea - 1.0) < 0.15);
        QVERIFY(iou > 0.85);
        // The overlay shows it: the editor's coverage is the mask's share of the photo.
        QVERIFY(std::abs(m_panel->maskEditor()->maskCoverage() - area / double(mask.total())) < 0.01);
        // Undo takes the mask away again.
        m_doc->undoStack()->undo();
        QVERIFY(m_doc->project().subjects[0].photos[0].mask.empty());
    }

    void cancelRunningAutoMask() {
        QCOMPARE(m_panel->addPhotos({kToy, kToy, kToy}), 3);
        QSignalSpy cancelled(m_panel.get(), &SubjectPanel::jobCancelled);
        QSignalSpy idle(m_panel.get(), &SubjectPanel::jobsIdle);
        m_panel->autoMaskAll();
        QVERIFY(m_panel->isBusy());
        m_panel->cancelJobs();
        QVERIFY(idle.wait(30000));
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!m_panel->isBusy());
        for (const auto& photo : m_doc->project().subjects[0].photos)
            QVERIFY(photo.mask.empty());
    }

    void eraseAndPaintMaskIsUndoable() {
        m_panel->addPhotos({kToy});
        m_panel->photoList()->setCurrentRow(0);
        MaskEditor* editor = m_panel->maskEditor();
        editor->resize(400, 400);
        QCOMPARE(editor->maskCoverage(), 0.0);
        editor->setTool(MaskEditor::Tool::Brush);
        editor->setBrushSize(60);
        QTest::mousePress(editor, Qt::LeftButton, {}, QPoint(200, 200));
        QTest::mouseMove(editor, QPoint(220, 210));
        QTest::mouseRelease(editor, Qt::LeftButton, {}, QPoint(220, 210));
        const double painted = m_panel->maskEditor()->maskCoverage();
        QVERIFY(painted > 0.005);
        QVERIFY(!m_doc->project().subjects[0].photos[0].mask.empty());
        editor->setTool(MaskEditor::Tool::Eraser);
        editor->setBrushSize(20);
        QTest::mousePress(editor, Qt::LeftButton, {}, QPoint(200, 200));
        QTest::mouseRelease(editor, Qt::LeftButton, {}, QPoint(200, 200));
        QVERIFY(m_panel->maskEditor()->maskCoverage() < painted);
        m_doc->undoStack()->undo();
        QCOMPARE(m_panel->maskEditor()->maskCoverage(), painted);
    }

    void exportPngSequenceGifAndMp4() {
        Project p = m_doc->project();
        p.shot.frames = 6;
        p.shot.width = 256;
        p.shot.height = 144;
        m_doc->resetProject(p, m_doc->filePath());
        ExportDialog dialog(m_doc.get());
        const QString folder = m_tmp.filePath(QStringLiteral("frames"));
        dialog.setFormat(ExportSettings::Format::PngSequence);
        dialog.setOutputPath(folder);
        QSignalSpy done(&dialog, &ExportDialog::exportFinished);
        dialog.startExport();
        QVERIFY(done.wait(60000));
        QCOMPARE(QDir(folder).entryList({QStringLiteral("*.png")}).size(), 6);
        QCOMPARE(QImage(QDir(folder).filePath(QStringLiteral("frame_0000.png"))).size(), QSize(256, 144));

        const QString gif = m_tmp.filePath(QStringLiteral("anim.gif"));
        dialog.setFormat(ExportSettings::Format::Gif);
        dialog.setOutputPath(gif);
        dialog.startExport();
        QVERIFY(done.wait(60000));
        QImageReader reader(gif);
        QCOMPARE(reader.imageCount(), 6);
        const QImage first = reader.read();
        QCOMPARE(first.size(), QSize(256, 144));
        // Colours survive the clip's 256-colour palette: compare with the PNG of the same frame.
        const QImage png = QImage(QDir(folder).filePath(QStringLiteral("frame_0000.png")))
                               .convertToFormat(QImage::Format_RGB32);
        const QImage g = first.convertToFormat(QImage::Format_RGB32);
        double err = 0;
        for (int y = 0; y < 144; y += 4)
            for (int x = 0; x < 256; x += 4)
                err += std::abs(qGray(png.pixel(x, y)) - qGray(g.pixel(x, y)));
        QVERIFY(err / (36 * 64) < 20.0);

        const QString mp4 = m_tmp.filePath(QStringLiteral("anim.mp4"));
        dialog.setFormat(ExportSettings::Format::Mp4);
        dialog.setOutputPath(mp4);
        dialog.startExport();
        QVERIFY(done.wait(60000));
        QVERIFY(QFileInfo(mp4).size() > 1000);
    }

    void exportCancelAndErrors() {
        Project p = m_doc->project();
        p.shot.frames = 400;
        m_doc->resetProject(p, m_doc->filePath());
        ExportDialog dialog(m_doc.get());
        const QString out = m_tmp.filePath(QStringLiteral("cancelled.gif"));
        dialog.setFormat(ExportSettings::Format::Gif);
        dialog.setOutputPath(out);
        QSignalSpy cancelled(&dialog, &ExportDialog::exportCancelled);
        dialog.startExport();
        QVERIFY(dialog.isRunning());
        dialog.cancelExport();
        QVERIFY(cancelled.wait(30000));
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(!QFileInfo::exists(out + QStringLiteral(".part")));

        QSignalSpy failed(&dialog, &ExportDialog::exportFailed);
        dialog.setFormat(ExportSettings::Format::Mp4);
        dialog.setOutputPath(QStringLiteral("/nonexistent-folder/x.mp4"));
        dialog.startExport();
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("/nonexistent-folder/x.mp4")));
    }

    /** A full disk (simulated by a file-size limit: write() fails with EFBIG as it would with ENOSPC) and an
     *  unwritable target give a clear error naming the file for every format, and leave nothing that looks
     *  complete. */
    void exportFullDiskAndUnwritablePathNameTheFile() {
        Project p = m_doc->project();
        p.shot.frames = 24;
        p.shot.width = 256;
        p.shot.height = 144;
        m_doc->resetProject(p, m_doc->filePath());
        ExportDialog dialog(m_doc.get());
        QSignalSpy failed(&dialog, &ExportDialog::exportFailed);
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        const QDir dir(m_tmp.filePath(QStringLiteral("full")));
        QVERIFY(QDir().mkpath(dir.path()));
        struct Case {
            ExportSettings::Format format;
            QString path;
        };
        const Case cases[] = {{ExportSettings::Format::PngSequence, dir.filePath(QStringLiteral("frames"))},
                              {ExportSettings::Format::Gif, dir.filePath(QStringLiteral("full.gif"))},
                              {ExportSettings::Format::Mp4, dir.filePath(QStringLiteral("full.mp4"))}};
        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = old;
        small.rlim_cur = 2048;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        QStringList messages;
        for (const Case& c : cases) {
            failed.clear();
            dialog.setFormat(c.format);
            dialog.setOutputPath(c.path);
            dialog.startExport();
            messages << (failed.wait(60000) ? failed.at(0).at(0).toString() : QStringLiteral("(no error)"));
        }
        setrlimit(RLIMIT_FSIZE, &old); // before any check can return early
        std::signal(SIGXFSZ, oldHandler);
        for (int i = 0; i < 3; ++i) {
            qInfo("full disk, %s", qPrintable(messages[i]));
            QVERIFY2(messages[i].contains(cases[i].path), qPrintable(messages[i]));
        }
        QCOMPARE(finished.count(), 0);
        // Nothing complete-looking is left: no GIF/MP4 and no PNG frame.
        QVERIFY(!QFileInfo::exists(cases[1].path));
        QVERIFY(!QFileInfo::exists(cases[2].path));
        QCOMPARE(QDir(cases[0].path).entryList(QDir::Files | QDir::Hidden).size(), 0);
        QCOMPARE(dir.entryList(QDir::Files | QDir::Hidden).size(), 0);

        // An unwritable target: a regular file stands where the folder should be.
        QFile blocker(dir.filePath(QStringLiteral("not-a-folder")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        for (const Case& c : cases) {
            failed.clear();
            const QString path = blocker.fileName() + QLatin1Char('/') + QFileInfo(c.path).fileName();
            dialog.setFormat(c.format);
            dialog.setOutputPath(path);
            dialog.startExport();
            QVERIFY(failed.wait(30000));
            const QString message = failed.at(0).at(0).toString();
            qInfo("unwritable, %s", qPrintable(message));
            QVERIFY2(message.contains(blocker.fileName()), qPrintable(message));
        }
    }

    void etaMath() {
        QCOMPARE(ProcessJob::estimateRemainingMs(10000, 25.0), qint64(30000));
        QCOMPARE(ProcessJob::estimateRemainingMs(6000, 60.0), qint64(4000));
        QCOMPARE(ProcessJob::estimateRemainingMs(5000, 100.0), qint64(0));
        QCOMPARE(ProcessJob::estimateRemainingMs(5000, 0.0), qint64(-1));
        QCOMPARE(ProcessJob::formatDuration(65000), QStringLiteral("1:05"));
        QCOMPARE(ProcessJob::formatDuration(3723000), QStringLiteral("1:02:03"));
        QCOMPARE(ProcessJob::formatDuration(-1), QStringLiteral("--:--"));
    }

    void processJobParsesProgressLogAndLossValues() {
        const QString script =
            writeScript(m_tmp, QStringLiteral("train.sh"), QString::fromUtf8(kTrainScript));
        JobQueue queue;
        JobsDock dock(&queue);
        dock.resize(500, 600);
        dock.show();
        auto* job = new ProcessJob(QStringLiteral("Fine-tune subject"), QStringLiteral("/bin/sh"), {script});
        QSignalSpy progress(job, &ProcessJob::progressChanged);
        QSignalSpy values(job, &ProcessJob::valueReported);
        QSignalSpy ended(job, &ProcessJob::ended);
        queue.add(job);
        QCOMPARE(queue.runningJob(), job);
        QCOMPARE(dock.currentJob(), job);
        // Halfway, the ETA is elapsed time per point times the points left.
        QTRY_VERIFY_WITH_TIMEOUT(job->percent() >= 40.0, 10000);
        const double p = job->percent();
        const qint64 el = job->elapsedMs();
        QVERIFY(p < 100.0);
        QVERIFY(std::llabs(job->remainingMs() - qint64(el / p * (100.0 - p))) <= 20);
        QVERIFY2(dock.timeText().contains(QStringLiteral("Remaining")), qPrintable(dock.timeText()));
        QCOMPARE(dock.stageText(), QStringLiteral("Stage: train"));
        QVERIFY(ended.wait(10000));
        QCOMPARE(job->status(), ProcessJob::Status::Finished);
        QCOMPARE(job->percent(), 100.0);
        QCOMPARE(job->stage(), QStringLiteral("train"));
        QVERIFY(progress.count() >= 5);
        QCOMPARE(values.count(), 20);
        QVERIFY(job->log().contains(QStringLiteral("loading /models/tiny")));
        QVERIFY(job->log().contains(QStringLiteral("some other output")));
        QVERIFY(job->log().contains(QStringLiteral("progress noise on stderr")));
        QVERIFY(!job->log().join(QLatin1Char('\n')).contains(QStringLiteral("percentage:")));
        // The dock plotted every loss live, one line per name.
        LossPlot* plot = dock.lossPlot();
        QVERIFY(plot->isVisible());
        QCOMPARE(plot->names(), QStringList({QStringLiteral("total"), QStringLiteral("L_sub"),
                                             QStringLiteral("L_vid"), QStringLiteral("L_stca")}));
        for (const QString& n : plot->names())
            QCOMPARE(plot->pointCount(n), 5);
        QCOMPARE(plot->lastValue(QStringLiteral("total")), 0.4);
        QCOMPARE(plot->lastValue(QStringLiteral("L_stca")), 0.005);
        QCOMPARE(dock.progressBar()->value(), 1000);
        QVERIFY(dock.logView()->toPlainText().contains(QStringLiteral("loading /models/tiny")));
        QVERIFY(dock.timeText().startsWith(QStringLiteral("Took")));
        if (qEnvironmentVariableIsSet("MB_UI_SHOTS")) // for looking at the dock: MB_UI_SHOTS=/tmp/folder
            dock.grab().save(qEnvironmentVariable("MB_UI_SHOTS") + QStringLiteral("/jobs_dock.png"));
        QVERIFY(!dock.cancelButton()->isEnabled());
    }

    void cancelRunningProcessJob() {
        // A child that stops on SIGTERM ...
        const QString polite =
            writeScript(m_tmp, QStringLiteral("polite.sh"),
                        QStringLiteral("echo 'percentage: 1.0 render'\nwhile :; do sleep 0.05; done"));
        JobQueue queue;
        JobsDock dock(&queue);
        auto* job = new ProcessJob(QStringLiteral("polite"), QStringLiteral("/bin/sh"), {polite});
        QSignalSpy ended(job, &ProcessJob::ended);
        queue.add(job);
        QTRY_COMPARE_WITH_TIMEOUT(job->percent(), 1.0, 10000);
        QVERIFY(dock.cancelButton()->isEnabled());
        QElapsedTimer t;
        t.start();
        dock.cancelCurrent();
        QVERIFY(ended.wait(5000));
        QCOMPARE(job->status(), ProcessJob::Status::Cancelled);
        QVERIFY(t.elapsed() < 2000);
        QCOMPARE(job->state(), QProcess::NotRunning);

        // ... and one that ignores it: killed after the grace period.
        const QString stubborn = writeScript(
            m_tmp, QStringLiteral("stubborn.sh"),
            QStringLiteral("trap '' TERM\necho 'percentage: 2.0 render'\nwhile :; do sleep 0.05; done"));
        auto* job2 = new ProcessJob(QStringLiteral("stubborn"), QStringLiteral("/bin/sh"), {stubborn});
        job2->setCancelGraceMs(400);
        QSignalSpy ended2(job2, &ProcessJob::ended);
        queue.add(job2);
        QTRY_COMPARE_WITH_TIMEOUT(job2->percent(), 2.0, 10000);
        t.restart();
        job2->cancel();
        QTest::qWait(150);
        QCOMPARE(job2->state(), QProcess::Running); // still in its grace period
        QVERIFY(ended2.wait(5000));
        QVERIFY(t.elapsed() >= 400);
        QCOMPARE(job2->status(), ProcessJob::Status::Cancelled);
        QVERIFY(job2->log().join(QLatin1Char('\n')).contains(QStringLiteral("killing")));
    }

    void failedProcessJobShowsStderrTail() {
        const QString script = writeScript(
            m_tmp, QStringLiteral("fail.sh"),
            QStringLiteral(
                "echo 'percentage: 10.0 load'\necho 'motionbooth-cli: /x/shot.mbproj: subjects[0].photos: "
                "no photos' >&2\nexit 1"));
        JobQueue queue;
        JobsDock dock(&queue);
        auto* job = new ProcessJob(QStringLiteral("fail"), QStringLiteral("/bin/sh"), {script});
        QSignalSpy ended(job, &ProcessJob::ended);
        queue.add(job);
        QVERIFY(ended.wait(10000));
        QCOMPARE(job->status(), ProcessJob::Status::Failed);
        QVERIFY(job->errorMessage().contains(QStringLiteral("exit code 1")));
        QVERIFY(
            job->errorMessage().contains(QStringLiteral("/x/shot.mbproj: subjects[0].photos: no photos")));
        QCOMPARE(dock.errorText(), job->errorMessage());

        // A program that does not exist fails with a message naming it.
        auto* missing =
            new ProcessJob(QStringLiteral("missing"), m_tmp.filePath(QStringLiteral("no-such-cli")), {});
        QSignalSpy ended2(missing, &ProcessJob::ended);
        queue.add(missing);
        QVERIFY(ended2.wait(10000));
        QCOMPARE(missing->status(), ProcessJob::Status::Failed);
        QVERIFY(missing->errorMessage().contains(QStringLiteral("no-such-cli")));
    }

    void queueRunsOneJobAtATime() {
        const QString script =
            writeScript(m_tmp, QStringLiteral("short.sh"),
                        QStringLiteral("echo 'percentage: 50.0 work'\nsleep 0.1\necho \"log: $1\""));
        JobQueue queue;
        QStringList order;
        int maxRunning = 0;
        connect(&queue, &JobQueue::jobStarted, this, [&](ProcessJob* j) {
            order << j->label();
            int running = 0;
            for (int i = 0; i < queue.jobCount(); ++i)
                running += queue.jobAt(i)->isActive();
            maxRunning = std::max(maxRunning, running + (j->status() == ProcessJob::Status::Pending ? 1 : 0));
        });
        QSignalSpy idle(&queue, &JobQueue::idle);
        for (const char* name : {"a", "b", "c"})
            queue.add(new ProcessJob(QString::fromLatin1(name), QStringLiteral("/bin/sh"),
                                     {script, QString::fromLatin1(name)}));
        QCOMPARE(queue.pendingCount(), 2);
        QVERIFY(idle.wait(20000));
        QCOMPARE(order, QStringList({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        QCOMPARE(maxRunning, 1);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(queue.jobAt(i)->status(), ProcessJob::Status::Finished);
            QVERIFY(queue.jobAt(i)->log().contains(queue.jobAt(i)->label()));
        }
        QCOMPARE(queue.item(0, JobQueue::ColumnStatus)->text(),
                 JobQueue::statusText(ProcessJob::Status::Finished));
        queue.removeEnded();
        QCOMPARE(queue.jobCount(), 0);
    }

    void cliHelpListsCommandsAndJobKindsAreCommandLines() {
        const QString help = writeScript(
            m_tmp, QStringLiteral("fake-cli.sh"),
            QStringLiteral(
                "cat <<'EOF'\nmotionbooth-cli\n\nusage: motionbooth-cli COMMAND [ARGS]\n\ncommands:\n"
                "  animatic PROJECT -o OUT.mp4 [--progress]\n      renders the animatic\n"
                "  bench unet [--size WxH]\n      bench\n  info PROJECT\n      prints\nEOF"));
        QCOMPARE(cliCommands(help), QStringList({QStringLiteral("animatic"), QStringLiteral("bench unet"),
                                                 QStringLiteral("info")}));
        QVERIFY(cliCommands(m_tmp.filePath(QStringLiteral("absent"))).isEmpty());
        std::unique_ptr<ProcessJob> a(
            makeAnimaticJob(QStringLiteral("cli"), QStringLiteral("p.mbproj"), QStringLiteral("o.mp4")));
        QCOMPARE(a->commandLine(), QStringLiteral("cli animatic p.mbproj -o o.mp4 --progress"));
        QCOMPARE(a->outputPath(), QStringLiteral("o.mp4"));
        std::unique_ptr<ProcessJob> r(
            makeRenderJob(QStringLiteral("cli"), QStringLiteral("p.mbproj"), QStringLiteral("t.mp4"), 42));
        QCOMPARE(r->commandLine(), QStringLiteral("cli render p.mbproj -o t.mp4 --seed 42 --progress"));
        QCOMPARE(r->tag(), quint64(42));
        std::unique_ptr<ProcessJob> t(makeTrainJob(QStringLiteral("cli"), QStringLiteral("p.mbproj")));
        QCOMPARE(t->commandLine(), QStringLiteral("cli train p.mbproj --progress"));
    }

    /** With the real motionbooth-cli (next to the binaries, or $MB_CLI): render the animatic as a job. */
    void animaticJobWithRealCli() {
        const QString cli = cliProgram();
        if (cli.isEmpty())
            QFAIL("motionbooth-cli is not built next to the tests and MB_CLI is not set");
        Project p = loadProject(MB_SOURCE_DIR "/resources/demo/demo.mbproj");
        p.shot.frames = 8;
        const QString project = m_tmp.filePath(QStringLiteral("cli.mbproj"));
        saveProject(p, project.toStdString());
        const QString out = m_tmp.filePath(QStringLiteral("cli_animatic.mp4"));
        JobQueue queue;
        auto* job = makeAnimaticJob(cli, project, out);
        QSignalSpy ended(job, &ProcessJob::ended);
        queue.add(job);
        QVERIFY(ended.wait(120000));
        QVERIFY2(job->status() == ProcessJob::Status::Finished, qPrintable(job->errorMessage()));
        QCOMPARE(job->percent(), 100.0);
        QVERIFY(QFileInfo(out).size() > 1000);
    }

    /** Takes: thumbnails of the first frame with seed and date, play in the Preview at the shot's rate with
     * the side-by-side and onion comparisons, render availability and the next seed. */
    void takesPanelAndTakePlayer() {
        const QString video = m_tmp.filePath(QStringLiteral("take_seed7.mp4"));
        {
            media::VideoEncodeOptions o;
            o.fps = 8;
            media::VideoEncoder enc(video.toStdString(), 64, 36, o);
            for (int f = 0; f < 5; ++f)
                enc.write(cv::Mat(36, 64, CV_8UC3, cv::Scalar(30, 40 * f, 200))); // BGR: red-ish
            enc.finish();
        }
        Project p = m_doc->project();
        p.shot.fps = 10;
        m_doc->resetProject(p, m_doc->filePath());
        TakesPanel panel(m_doc.get());
        panel.resize(400, 300);
        panel.show();
        QCOMPARE(panel.list()->count(), 0);
        QCOMPARE(panel.nextSeed(), quint64(1));
        Take take;
        take.video = video.toStdString();
        take.sidecar = m_tmp.filePath(QStringLiteral("take_seed7.json")).toStdString();
        take.seed = 7;
        take.createdUtc = "2026-11-25T10:30:00Z";
        m_doc->push(addTake(take, "Add take"));
        QCOMPARE(panel.list()->count(), 1);
        QVERIFY(panel.list()->item(0)->text().contains(QStringLiteral("Seed 7")));
        QCOMPARE(panel.nextSeed(), quint64(8));
        // The thumbnail is the first frame (red), not the grey placeholder.
        const QImage thumb = TakesPanel::thumbnail(video, QSize(64, 36));
        const QColor c = thumb.pixelColor(32, 18);
        QVERIFY2(c.red() > 170 && c.green() < 70, qPrintable(c.name()));
        const QColor missing =
            TakesPanel::thumbnail(m_tmp.filePath(QStringLiteral("gone.mp4")), QSize(64, 36)).pixelColor(2, 2);
        QCOMPARE(missing, QColor(0x30, 0x33, 0x3a));
        // Double-click (activate) asks to play it.
        QSignalSpy play(&panel, &TakesPanel::playRequested);
        Q_EMIT panel.list()->itemActivated(panel.list()->item(0));
        QCOMPARE(play.count(), 1);
        QCOMPARE(play.at(0).at(0).toString(), video);
        QCOMPARE(play.at(0).at(1).toULongLong(), quint64(7));
        // Render variations is off (with the reason) until the CLI offers `render`.
        panel.setRenderAvailable(false, QStringLiteral("no render command"));
        QVERIFY(!panel.renderButton()->isEnabled());
        QCOMPARE(panel.renderButton()->toolTip(), QStringLiteral("no render command"));
        panel.setRenderAvailable(true);
        QVERIFY(panel.renderButton()->isEnabled());
        m_doc->undoStack()->undo();
        QCOMPARE(panel.list()->count(), 0);

        PreviewRenderer renderer(m_doc.get());
        PreviewWidget preview(m_doc.get(), &renderer);
        preview.resize(320, 180);
        preview.show();
        QSignalSpy mode(&preview, &PreviewWidget::takeModeChanged);
        QVERIFY(preview.playTake(video, m_doc->project().shot.fps, QStringLiteral("Seed 7")));
        QVERIFY(preview.isPlayingTake());
        QCOMPARE(preview.takeFrameCount(), 5);
        QCOMPARE(preview.takeIntervalMs(), 100); // the shot's 10 fps
        QTRY_VERIFY_WITH_TIMEOUT(preview.takeFrame() >= 2, 3000);
        for (auto m : {PreviewWidget::CompareMode::SideBySide, PreviewWidget::CompareMode::Onion,
                       PreviewWidget::CompareMode::Off}) {
            preview.setCompareMode(m);
            const QImage shot = preview.grab().toImage();
            QVERIFY(!shot.isNull());
            // Off and side-by-side show the take's red at its centre; the onion mixes it with the animatic.
            const QColor centre =
                shot.pixelColor(m == PreviewWidget::CompareMode::SideBySide ? 240 : 160, 90);
            if (m != PreviewWidget::CompareMode::Onion)
                QVERIFY2(centre.red() > 150, qPrintable(centre.name()));
        }
        preview.stopTake();
        QVERIFY(!preview.isPlayingTake());
        QCOMPARE(mode.count(), 2);
        QVERIFY(!preview.playTake(m_tmp.filePath(QStringLiteral("gone.mp4"))));
        QVERIFY(preview.takeError().contains(QStringLiteral("gone.mp4")));
        QVERIFY(!preview.isPlayingTake());
    }

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<ProjectDocument> m_doc;
    std::unique_ptr<SubjectPanel> m_panel;
};

QTEST_MAIN(TestJobs)
#include "test_jobs.moc"
