// Background jobs from the editor: auto-mask of a photo on the worker thread (and its cancel), mask painting
// with undo, and the export dialog (PNG sequence, GIF, MP4, cancel, clear errors).
#include "doc/project_io.h"
#include "media/image_io.h"
#include "ui/export_dialog.h"
#include "ui/mask_editor.h"
#include "ui/project_document.h"
#include "ui/subject_panel.h"

#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QListWidget>
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
} // namespace

class TestJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
        if (!QFileInfo::exists(kToy))
            QSKIP("tests/data/images/toy.png is missing");
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
        QCOMPARE(m_panel->addPhotos({kToy, QStringLiteral("/nonexistent/x.png"), QStringLiteral("notes.txt")}), 1);
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
        qInfo("auto-mask toy.png: %.2f s, area %.0f vs reference %.0f, IoU %.3f", seconds, area, refArea, iou);
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
        const QImage png = QImage(QDir(folder).filePath(QStringLiteral("frame_0000.png"))).convertToFormat(QImage::Format_RGB32);
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

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<ProjectDocument> m_doc;
    std::unique_ptr<SubjectPanel> m_panel;
};

QTEST_MAIN(TestJobs)
#include "test_jobs.moc"
