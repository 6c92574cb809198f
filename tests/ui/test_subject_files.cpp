// The Subjects dock's files: photo thumbnails decoded off the UI thread (placeholder first, no stall on big
// photos), and mask files of refine/erase/paint edits removed once neither the document, nor any state undo
// or redo can reach, nor a project file written this session (save, autosave, job snapshot) needs them.
#include "doc/project_io.h"
#include "ui/autosaver.h"
#include "ui/mask_editor.h"
#include "ui/project_document.h"
#include "ui/subject_panel.h"
#include "ui/thumbnail_loader.h"
#include "ui_stall.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

using namespace mb;
using namespace mb::ui;

namespace {
const QString kToy = QStringLiteral(MB_TEST_DATA "/images/toy.png");
const QString kToyMask = QStringLiteral(MB_TEST_DATA "/images/toy_mask.png");

/** The average colour of an icon's pixmap. */
QColor averageColour(const QIcon& icon) {
    const QImage img = icon.pixmap(64, 64).toImage().convertToFormat(QImage::Format_RGB32);
    qint64 r = 0, g = 0, b = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QRgb px = img.pixel(x, y);
            r += qRed(px);
            g += qGreen(px);
            b += qBlue(px);
        }
    const qint64 n = qint64(img.width()) * img.height();
    return QColor(int(r / n), int(g / n), int(b / n));
}
} // namespace

class TestSubjectFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
    }

    void thumbnailsAreDecodedOffTheUiThread() {
        // Big photos (24 megapixels, PNG: no reduced decode) in distinct colours.
        QStringList photos;
        const QColor colours[] = {QColor(220, 40, 40), QColor(40, 200, 60), QColor(40, 60, 220)};
        for (int i = 0; i < 3; ++i) {
            QImage big(6000, 4000, QImage::Format_RGB32);
            big.fill(colours[i]);
            const QString path = m_tmp.filePath(QStringLiteral("big_%1.png").arg(i));
            QVERIFY(big.save(path, "PNG", 100));
            photos << path;
        }
        QElapsedTimer clock;
        clock.start();
        const QImage direct = ThumbnailLoader::decode(photos[0], QString(), 84);
        const qint64 decodeMs = clock.elapsed();
        QCOMPARE(direct.size(), QSize(168, 112));
        clock.restart();
        QVERIFY(!QImage(photos[1]).isNull());
        const qint64 fullDecodeMs = clock.elapsed();
        qInfo("one 6000x4000 PNG: thumbnail decode %lld ms, full decode %lld ms", decodeMs, fullDecodeMs);
        QVERIFY(ThumbnailLoader::isBigPhoto(photos[0]));
        QVERIFY(!ThumbnailLoader::isBigPhoto(kToy));

        ProjectDocument doc;
        doc.save(m_tmp.filePath(QStringLiteral("thumbs.mbproj")));
        SubjectPanel panel(&doc);
        panel.resize(320, 700);
        panel.show();
        clock.restart();
        QSignalSpy imported(&panel, &SubjectPanel::photosImported);
        QCOMPARE(panel.addPhotos(photos), 3);
        const qint64 addMs = clock.elapsed();
        qInfo("adding 3 such photos took %lld ms on the UI thread", addMs);
        // Each is decoded before it becomes a photo (a corrupt file is refused): big ones on a worker, the
        // UI thread meanwhile free.
        QVERIFY(panel.isImporting());
        const qint64 importStall = longestUiStall([&] { return imported.count() == 1; }, 60000);
        QCOMPARE(imported.count(), 1);
        QCOMPARE(imported.at(0).at(0).toInt(), 3);
        qInfo("longest UI-thread gap while 3 big photos were checked: %lld ms", importStall);
        QVERIFY2(importStall < std::max<qint64>(150, decodeMs / 2), qPrintable(QString::number(importStall)));
        QListWidget* list = panel.photoList();
        // The mask editor gets the selected big photo from a worker too; meanwhile it waits, disabled.
        QVERIFY(!panel.maskEditor()->isEnabled());
        QVERIFY(addMs < fullDecodeMs + decodeMs);
        QCOMPARE(list->count(), 3);
        // Placeholders first: the photos were not decoded on the UI thread.
        int ready = 0;
        for (int i = 0; i < 3; ++i)
            ready += list->item(i)->data(SubjectPanel::kThumbnailReadyRole).toBool();
        QVERIFY(ready < 3);
        QVERIFY(panel.thumbnailLoader()->pendingCount() > 0);
        const qint64 stall = longestUiStall(
            [&] {
                for (int i = 0; i < list->count(); ++i)
                    if (!list->item(i)->data(SubjectPanel::kThumbnailReadyRole).toBool())
                        return false;
                return true;
            },
            60000);
        qInfo("longest UI-thread gap while 3 thumbnails were decoded: %lld ms", stall);
        for (int i = 0; i < 3; ++i) {
            QListWidgetItem* item = list->item(i);
            QVERIFY(item->data(SubjectPanel::kThumbnailReadyRole).toBool());
            QCOMPARE(item->data(SubjectPanel::kPhotoRole).toString(),
                     QFileInfo(photos[i]).absoluteFilePath());
            const QColor c = averageColour(item->icon());
            QVERIFY2(std::abs(c.red() - colours[i].red()) < 12 &&
                         std::abs(c.green() - colours[i].green()) < 12 &&
                         std::abs(c.blue() - colours[i].blue()) < 12,
                     qPrintable(c.name()));
        }
        QVERIFY2(stall < std::max<qint64>(150, decodeMs / 2), qPrintable(QString::number(stall)));
        QTRY_VERIFY_WITH_TIMEOUT(panel.maskEditor()->isEnabled(), 30000);
        QCOMPARE(panel.maskEditor()->mask().size(), QSize(6000, 4000));
        // Another photo: shown after its decode, and a painted stroke does not reload it.
        list->setCurrentRow(2);
        QVERIFY(!panel.maskEditor()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(panel.maskEditor()->isEnabled(), 30000);
        QCOMPARE(list->currentRow(), 2);
        panel.maskEditor()->resize(300, 200);
        QTest::mousePress(panel.maskEditor(), Qt::LeftButton, {}, QPoint(150, 100));
        QTest::mouseRelease(panel.maskEditor(), Qt::LeftButton, {}, QPoint(155, 100));
        QVERIFY(!doc.project().subjects[0].photos[2].mask.empty());
        QVERIFY(panel.maskEditor()->isEnabled());
        QVERIFY(panel.maskEditor()->maskCoverage() > 0);
        // Undo brings the empty mask back through the worker.
        doc.undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(panel.maskEditor()->isEnabled(), 30000);
        QCOMPARE(panel.maskEditor()->maskCoverage(), 0.0);
        // Cached: a refresh shows the real thumbnails at once.
        doc.undoStack()->redo();
        for (int i = 0; i < 2; ++i) // (the third one's mask changed)
            QVERIFY(list->item(i)->data(SubjectPanel::kThumbnailReadyRole).toBool());

        // The mask is tinted on the thumbnail: outside the mask is darker.
        const QImage plain = ThumbnailLoader::decode(kToy, QString(), 84);
        const QImage masked = ThumbnailLoader::decode(kToy, kToyMask, 84);
        QCOMPARE(plain.size(), masked.size());
        QVERIFY(qGray(masked.pixel(1, 1)) < qGray(plain.pixel(1, 1)));
        // A photo that cannot be read gives a visible error square, not a crash.
        QVERIFY(!ThumbnailLoader::decode(QStringLiteral("/nonexistent.png"), QString(), 84).isNull());
    }

    void unneededMaskFilesAreRemoved() {
        const QString projA = m_tmp.filePath(QStringLiteral("masks-a/a.mbproj"));
        QDir().mkpath(QFileInfo(projA).path());
        auto doc = std::make_unique<ProjectDocument>();
        doc->save(projA);
        auto panel = std::make_unique<SubjectPanel>(doc.get());
        panel->resize(320, 700);
        panel->show();
        QCOMPARE(panel->addPhotos({kToy}), 1);
        panel->photoList()->setCurrentRow(0);
        MaskEditor* editor = panel->maskEditor();
        editor->resize(400, 400);
        editor->setTool(MaskEditor::Tool::Brush);
        editor->setBrushSize(30);
        int stroke = 0;
        const auto paint = [&]() -> QString {
            const QPoint at(120 + 30 * (stroke % 6), 150 + 20 * (stroke / 6));
            ++stroke;
            QTest::mousePress(editor, Qt::LeftButton, {}, at);
            QTest::mouseMove(editor, at + QPoint(10, 5));
            QTest::mouseRelease(editor, Qt::LeftButton, {}, at + QPoint(10, 5));
            return QString::fromStdString(doc->project().subjects[0].photos[0].mask);
        };
        const auto exists = [](const QString& f) { return QFileInfo::exists(f); };
        const QString m1 = paint(), m2 = paint(), m3 = paint();
        QVERIFY(exists(m1) && exists(m2) && exists(m3));
        QVERIFY(m1 != m2 && m2 != m3);
        QCOMPARE(doc->generatedFiles().size(), 3);
        // A file the editor did not write this session is never touched, referenced or not.
        const QString foreign = panel->maskFolder() + QStringLiteral("/from_last_week.png");
        QVERIFY(QFile::copy(kToyMask, foreign));

        // Undo: m3 is still reachable by redo, so saving removes nothing.
        doc->undoStack()->undo();
        doc->save(projA);
        QVERIFY(exists(m1) && exists(m2) && exists(m3));
        // A new edit drops the redo branch: m3 can no longer come back, and the next save removes it.
        const QString m4 = paint();
        QVERIFY(!doc->undoStack()->canRedo());
        doc->save(projA);
        QVERIFY(!exists(m3));
        QVERIFY(exists(m1) && exists(m2) && exists(m4) && exists(foreign));
        // Undo still finds every mask it needs.
        doc->undoStack()->undo();
        QCOMPARE(QString::fromStdString(doc->project().subjects[0].photos[0].mask), m2);
        doc->undoStack()->undo();
        QCOMPARE(QString::fromStdString(doc->project().subjects[0].photos[0].mask), m1);
        QVERIFY(exists(m1));

        // Branch again from m1 and save under a new name: m2 goes (nothing refers to it), m4 stays because
        // a.mbproj, saved this session, still refers to it.
        const QString m5 = paint();
        const QString projB = m_tmp.filePath(QStringLiteral("masks-a/b.mbproj"));
        doc->save(projB);
        QVERIFY(!exists(m2));
        QVERIFY(exists(m1) && exists(m4) && exists(m5));
        QCOMPARE(QString::fromStdString(loadProject(projA.toStdString()).subjects[0].photos[0].mask), m4);

        // The autosave copy keeps its masks until it is discarded.
        Autosaver autosaver(doc.get(), m_tmp.filePath(QStringLiteral("autosave")));
        const QString m6a = paint();
        const QString m6 = paint();
        QVERIFY(!autosaver.saveNow().isEmpty());
        doc->undoStack()->undo();
        const QString m7 = paint(); // m6 is out of undo's reach now, but the autosave refers to it
        QVERIFY(doc->isModified()); // (back at the saved state, the autosave copy would be discarded)
        QVERIFY(doc->removeUnneededGeneratedFiles().isEmpty());
        QVERIFY(exists(m6));
        autosaver.discard();
        QCOMPARE(doc->removeUnneededGeneratedFiles(), QStringList{QFileInfo(m6).absoluteFilePath()});
        QVERIFY(exists(m7) && exists(m6a));

        // A job snapshot of the project keeps its masks while the job may read them.
        const QString snapshot = m_tmp.filePath(QStringLiteral("snapshot.mbproj"));
        saveProject(doc->project(), snapshot.toStdString());
        doc->keepReferencesOf(snapshot, doc->project());
        doc->undoStack()->undo();
        const QString m8 = paint(); // m7 out of undo's reach, but the snapshot refers to it
        doc->save(projB);
        QVERIFY(exists(m7) && exists(m8));

        QVERIFY(exists(m5)); // undo can still go back to it

        // Closing: the undo history goes, so only what the project files written this session refer to stays.
        const QString m9 = paint(); // unsaved
        panel.reset();
        doc.reset();
        QVERIFY(!exists(m9));
        QVERIFY(!exists(m1) && !exists(m5) && !exists(m6a)); // only undo could reach them
        QVERIFY(exists(m4));                                 // a.mbproj
        QVERIFY(exists(m8));                                 // b.mbproj
        QVERIFY(exists(m7));                                 // the job snapshot
        QVERIFY(exists(foreign));
        QVERIFY(exists(kToy));
    }

    void undoReplayFailureRemovesNothing() {
        ProjectDocument doc;
        doc.save(m_tmp.filePath(QStringLiteral("replay.mbproj")));
        const QString generated = m_tmp.filePath(QStringLiteral("orphan_mask.png"));
        QVERIFY(QFile::copy(kToyMask, generated));
        doc.addGeneratedFile(generated);
        // An undo step the editor cannot replay (not an editor command) makes the undo reach unknown.
        doc.undoStack()->push(new QUndoCommand(QStringLiteral("foreign step")));
        QVERIFY(!doc.filesReachableByUndo().has_value());
        QVERIFY(doc.removeUnneededGeneratedFiles().isEmpty());
        QVERIFY(QFileInfo::exists(generated));
        doc.undoStack()->clear();
        QCOMPARE(doc.removeUnneededGeneratedFiles(), QStringList{generated});
        QVERIFY(!QFileInfo::exists(generated));
    }

private:
    QTemporaryDir m_tmp;
};

QTEST_MAIN(TestSubjectFiles)
#include "test_subject_files.moc"
