// What an artist meets in the editor beyond plain editing: photos that do not decode are refused on import
// with their names, the background photo, Auto-Mask asking before it replaces masks, File ▸ New starting on a
// clean Preview, one identifier per subject, Recent Projects telling equal names apart, missing files listed
// and relinked, Qt's own strings in German, curve keys on their curves, and the Takes panel's delete. Every
// edit is checked to be one undo step.
#include "doc/file_edits.h"
#include "doc/project_io.h"
#include "media/video_io.h"
#include "translations/translation_catalog.h"
#include "ui/app_settings.h"
#include "ui/curves_panel.h"
#include "ui/main_window.h"
#include "ui/preview_renderer.h"
#include "ui/preview_widget.h"
#include "ui/project_document.h"
#include "ui/recent_labels.h"
#include "ui/relink_dialog.h"
#include "ui/shot_panel.h"
#include "ui/subject_panel.h"
#include "ui/takes_panel.h"

#include <QAbstractButton>
#include <QDialogButtonBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTranslator>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>
#include <opencv2/core.hpp>
#include <qcustomplot.h>

using namespace mb;
using namespace mb::ui;

namespace {
const QString kToy = QStringLiteral(MB_TEST_DATA "/images/toy.png");
const QString kToyMask = QStringLiteral(MB_TEST_DATA "/images/toy_mask.png");

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(bytes);
}

/** The button of `box` whose text is `text` (nullptr when none). */
QAbstractButton* buttonNamed(QMessageBox* box, const QString& text) {
    for (QAbstractButton* b : box->buttons())
        if (b->text() == text)
            return b;
    return nullptr;
}

QStringList buttonTexts(QMessageBox* box) {
    QStringList out;
    for (QAbstractButton* b : box->buttons())
        out << b->text();
    return out;
}

/** A 5-frame test video. */
void writeVideo(const QString& path) {
    media::VideoEncodeOptions o;
    o.fps = 8;
    media::VideoEncoder enc(path.toStdString(), 64, 36, o);
    for (int f = 0; f < 5; ++f)
        enc.write(cv::Mat(36, 64, CV_8UC3, cv::Scalar(30, 40 * f, 200)));
    enc.finish();
}
} // namespace

class TestArtistWorkflow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
        QVERIFY2(QFileInfo::exists(kToy), qPrintable(kToy));
        // Random bytes named like a photo, an empty "photo", and a big PNG cut in half (its header still says
        // how big it is, so it is checked on the worker, and its data is not all there).
        m_broken = m_tmp.filePath(QStringLiteral("broken.jpg"));
        QByteArray noise(4096, Qt::Uninitialized);
        for (char& c : noise)
            c = char(QRandomGenerator::global()->bounded(256));
        writeBytes(m_broken, noise);
        m_empty = m_tmp.filePath(QStringLiteral("empty.png"));
        writeBytes(m_empty, QByteArray());
        QImage big(2600, 2000, QImage::Format_RGB32);
        for (int y = 0; y < big.height(); ++y)
            for (int x = 0; x < big.width(); ++x)
                big.setPixel(x, y, qRgb(x % 251, y % 241, (x * y) % 239));
        m_big = m_tmp.filePath(QStringLiteral("big.png"));
        QVERIFY(big.save(m_big, "PNG"));
        QFile full(m_big);
        QVERIFY(full.open(QIODevice::ReadOnly));
        const QByteArray bytes = full.readAll();
        m_bigCut = m_tmp.filePath(QStringLiteral("big_cut.png"));
        writeBytes(m_bigCut, bytes.left(bytes.size() / 2));
        m_toyB = m_tmp.filePath(QStringLiteral("toy_b.png"));
        QVERIFY(QFile::copy(kToy, m_toyB));
    }

    void importRefusesFilesThatDoNotDecode() {
        ProjectDocument doc;
        doc.save(m_tmp.filePath(QStringLiteral("import.mbproj")));
        SubjectPanel panel(&doc);
        panel.resize(320, 700);
        panel.show();
        QSignalSpy imported(&panel, &SubjectPanel::photosImported);
        const int before = int(doc.project().subjects.front().photos.size());
        // Small files: checked at once.
        QCOMPARE(panel.addPhotos({kToy, m_broken, m_empty, m_tmp.filePath(QStringLiteral("notes.txt"))}), 1);
        QCOMPARE(imported.count(), 1);
        QCOMPARE(imported.at(0).at(0).toInt(), 1);
        const QStringList refused = imported.at(0).at(1).toStringList();
        QCOMPARE(refused.size(), 2);
        QVERIFY2(refused[0].contains(QStringLiteral("broken.jpg")) &&
                     refused[0].contains(QStringLiteral("not a")),
                 qPrintable(refused[0]));
        QVERIFY2(refused[1].contains(QStringLiteral("empty.png")) &&
                     refused[1].contains(QStringLiteral("empty")),
                 qPrintable(refused[1]));
        QCOMPARE(int(doc.project().subjects.front().photos.size()), before + 1);
        QCOMPARE(doc.undoStack()->command(doc.undoStack()->index() - 1)->text(),
                 QStringLiteral("Add 1 photo(s)"));
        // Said where the artist looks: the panel's status line and a message naming each file.
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("broken.jpg")) &&
                     panel.statusLabel()->text().contains(QStringLiteral("empty.png")),
                 qPrintable(panel.statusLabel()->text()));
        QMessageBox* box = panel.message();
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY(box->informativeText().contains(m_broken));
        grabToShots(box, QStringLiteral("import_refused.png"));
        box->close();

        // Only corrupt files: nothing is added, no undo step.
        const int steps = doc.undoStack()->count();
        QCOMPARE(panel.addPhotos({m_broken}), 0);
        QCOMPARE(doc.undoStack()->count(), steps);
        QCOMPARE(int(doc.project().subjects.front().photos.size()), before + 1);

        // A big photo is checked on a worker; the batch is added (one step) when all of it is checked.
        imported.clear();
        QCOMPARE(panel.addPhotos({m_big, m_bigCut}), 2);
        QVERIFY(panel.isImporting());
        QVERIFY(imported.wait(60000));
        QVERIFY(!panel.isImporting());
        QCOMPARE(imported.at(0).at(0).toInt(), 1);
        QCOMPARE(imported.at(0).at(1).toStringList().size(), 1);
        QVERIFY(imported.at(0).at(1).toStringList().front().contains(QStringLiteral("big_cut.png")));
        const auto& photos = doc.project().subjects.front().photos;
        QCOMPARE(int(photos.size()), before + 2);
        QCOMPARE(QString::fromStdString(photos.back().image), QFileInfo(m_big).absoluteFilePath());
        QVERIFY(panel.message() &&
                panel.message()->informativeText().contains(QStringLiteral("big_cut.png")));
        panel.message()->close();
        doc.undoStack()->undo();
        QCOMPARE(int(doc.project().subjects.front().photos.size()), before + 1);
    }

    void backgroundPhotoIsSetAndUndoable() {
        ProjectDocument doc;
        ShotPanel panel(&doc);
        panel.resize(340, 900);
        panel.show();
        PreviewRenderer renderer(&doc);
        const QImage plain = renderer.frame(0, QSize(112, 64));
        QVERIFY(doc.project().background.empty());
        QVERIFY(panel.backgroundLabel()->text().contains(QStringLiteral("None")));
        QVERIFY(!panel.clearBackgroundButton()->isEnabled());

        QVERIFY(panel.setBackgroundPhoto(kToy));
        QCOMPARE(QString::fromStdString(doc.project().background), QFileInfo(kToy).absoluteFilePath());
        QCOMPARE(panel.backgroundLabel()->text(), QStringLiteral("toy.png"));
        QVERIFY(panel.clearBackgroundButton()->isEnabled());
        QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Set background photo"));
        // The animatic shows it.
        QVERIFY(renderer.frame(0, QSize(112, 64)) != plain);
        grabToShots(&panel, QStringLiteral("background_set.png"));

        // A photo that does not decode is refused with its name; the background stays.
        QString error;
        QVERIFY(!panel.setBackgroundPhoto(m_broken, &error));
        QVERIFY2(error.contains(m_broken), qPrintable(error));
        QCOMPARE(QString::fromStdString(doc.project().background), QFileInfo(kToy).absoluteFilePath());

        QTest::mouseClick(panel.clearBackgroundButton(), Qt::LeftButton);
        QVERIFY(doc.project().background.empty());
        QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Remove background photo"));
        doc.undoStack()->undo();
        QCOMPARE(QString::fromStdString(doc.project().background), QFileInfo(kToy).absoluteFilePath());
        doc.undoStack()->undo();
        QVERIFY(doc.project().background.empty());
        QVERIFY(panel.backgroundLabel()->text().contains(QStringLiteral("None")));
    }

    void autoMaskAsksBeforeReplacingMasks() {
        ProjectDocument doc;
        doc.save(m_tmp.filePath(QStringLiteral("automask.mbproj")));
        SubjectPanel panel(&doc);
        panel.resize(320, 700);
        panel.show();
        Subject s = doc.project().subjects.front();
        s.photos = {{kToy.toStdString(), kToyMask.toStdString()}, {m_toyB.toStdString(), std::string()}};
        doc.push(setSubject(doc.project(), s.id, s, "photos"));
        doc.setSelectedSubject(QString::fromStdString(s.id));
        const auto masks = [&] {
            const auto& photos = doc.project().subjects.front().photos;
            return std::make_pair(QString::fromStdString(photos[0].mask),
                                  QString::fromStdString(photos[1].mask));
        };

        // One masked, one not: the question offers to mask only the new one.
        panel.autoMaskClicked();
        QVERIFY(!panel.isBusy());
        QMessageBox* box = panel.message();
        QVERIFY(box && box->isVisible());
        QVERIFY2(box->text().contains(QStringLiteral("1 photo")), qPrintable(box->text()));
        grabToShots(box, QStringLiteral("automask_question.png"));
        QAbstractButton* onlyNew = buttonNamed(box, QStringLiteral("Mask 1 Unmasked"));
        QVERIFY2(onlyNew && buttonNamed(box, QStringLiteral("Re-mask All")),
                 qPrintable(buttonTexts(box).join(QLatin1Char('|'))));
        QSignalSpy idle(&panel, &SubjectPanel::jobsIdle);
        onlyNew->click();
        QVERIFY(panel.isBusy());
        QVERIFY(idle.wait(120000));
        QCOMPARE(masks().first, kToyMask); // the refined mask is kept
        QVERIFY(!masks().second.isEmpty());
        const auto afterFirst = masks();

        // All masked: asks whether to replace them; Cancel changes nothing.
        panel.autoMaskClicked();
        box = panel.message();
        QVERIFY(box && box->text().contains(QStringLiteral("All 2 photo")));
        QVERIFY(!buttonNamed(box, QStringLiteral("Mask 0 Unmasked")));
        box->button(QMessageBox::Cancel)->click();
        QVERIFY(!panel.isBusy());
        QCOMPARE(masks(), afterFirst);

        // Re-mask All replaces them (each one undo step, so undo brings the refined one back).
        panel.autoMaskClicked();
        idle.clear();
        buttonNamed(panel.message(), QStringLiteral("Re-mask All"))->click();
        QVERIFY(idle.wait(120000));
        QVERIFY(masks().first != kToyMask && masks().second != afterFirst.second);
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(masks(), afterFirst);
    }

    void newProjectClearsThePreview() {
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave-new")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString video = m_tmp.filePath(QStringLiteral("old_take.mp4"));
        writeVideo(video);
        window.playTake(video, 7);
        PreviewWidget* preview = window.previewWidget();
        QVERIFY(preview->isPlayingTake());
        window.newProject();
        QVERIFY(!preview->isPlayingTake());
        // A render's step preview goes too.
        QImage strip(64, 16, QImage::Format_RGB32);
        strip.fill(Qt::red);
        preview->showStepPreview(strip, 2, QStringLiteral("Seed 1"));
        QVERIFY(preview->isShowingStepPreview());
        window.newProject();
        QVERIFY(!preview->isShowingStepPreview());
        grabToShots(&window, QStringLiteral("after_new.png"));
    }

    void eachSubjectHasItsOwnIdentifier() {
        ProjectDocument doc;
        SubjectPanel panel(&doc);
        panel.resize(320, 700);
        panel.show();
        QCOMPARE(doc.project().subjects.size(), size_t(1));
        QCOMPARE(doc.project().subjects[0].identifier, std::string("sks"));
        for (int i = 0; i < 3; ++i)
            panel.addSubjectClicked();
        std::vector<std::string> ids;
        for (const Subject& s : doc.project().subjects)
            ids.push_back(s.identifier);
        QCOMPARE(ids, (std::vector<std::string>{"sks", "ohwx", "phol", "hta"}));
        // Shown with the subject, and in its field.
        QVERIFY2(panel.subjectList()->currentItem()->text().contains(QStringLiteral("hta")),
                 qPrintable(panel.subjectList()->currentItem()->text()));
        QCOMPARE(panel.identifierField()->text(), QStringLiteral("hta"));

        // Editable, but not to another subject's word, nor to one fine-tuning cannot learn.
        QLineEdit* field = panel.identifierField();
        field->setText(QStringLiteral("sks"));
        Q_EMIT field->editingFinished();
        QCOMPARE(doc.project().subjects[3].identifier, std::string("hta"));
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("used by")),
                 qPrintable(panel.statusLabel()->text()));
        field->setText(QStringLiteral("mysupertoken"));
        Q_EMIT field->editingFinished();
        QCOMPARE(doc.project().subjects[3].identifier, std::string("hta"));
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("single token")),
                 qPrintable(panel.statusLabel()->text()));
        const int steps = doc.undoStack()->count();
        doc.push(removeSubject(doc.project(), doc.project().subjects[1].id, "remove"));
        panel.subjectList()->setCurrentRow(2);
        field->setText(QStringLiteral("ohwx")); // free again
        Q_EMIT field->editingFinished();
        QCOMPARE(doc.project().subjects[2].identifier, std::string("ohwx"));
        QCOMPARE(doc.undoStack()->count(), steps + 2);
    }

    void fineTuningAsksBeforeItRenames() {
        // An older project: two learned subjects under the same word.
        const QString path = m_tmp.filePath(QStringLiteral("shared-ident/p.mbproj"));
        QDir().mkpath(QFileInfo(path).path());
        Project p = makeNewProject();
        Subject dog;
        dog.id = "dog";
        dog.className = "dog";
        dog.identifier = "sks";
        p.subjects.push_back(dog);
        saveProject(p, path.toStdString());
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave-ident")));
        QVERIFY(window.openProject(path, true));
        QString question;
        bool askedSteps = false;
        QTimer answer;
        answer.setInterval(50);
        connect(&answer, &QTimer::timeout, this, [&] {
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* box = qobject_cast<QMessageBox*>(modal)) {
                question = box->text();
                box->button(QMessageBox::Yes)->click();
            } else if (auto* input = qobject_cast<QInputDialog*>(modal)) {
                askedSteps = true;
                input->reject(); // the steps question comes only after the identifiers are distinct
            }
        });
        answer.start();
        window.fineTuneSubjects();
        answer.stop();
        QVERIFY2(question.contains(QStringLiteral("{dog}: sks \u2192 ohwx")), qPrintable(question));
        QVERIFY(askedSteps);
        QCOMPARE(window.document()->project().subjects[1].identifier, std::string("ohwx"));
        QCOMPARE(window.document()->project().subjects[0].identifier, std::string("sks"));
        QCOMPARE(window.document()->undoStack()->undoText(), QStringLiteral("Set identifier of dog"));
        QVERIFY(!window.document()->isModified()); // saved, since fine-tuning reads the file
        QCOMPARE(loadProject(path.toStdString()).subjects[1].identifier, std::string("ohwx"));
    }

    void recentProjectsShowTheFolderOfEqualNames() {
        QCOMPARE(recentMenuLabels({QStringLiteral("/a/shoot/x.mbproj"), QStringLiteral("/b/shoot/x.mbproj"),
                                   QStringLiteral("/c/other/x.mbproj"), QStringLiteral("/d/y.mbproj")}),
                 (QStringList{QStringLiteral("x.mbproj \u2014 /a/shoot"),
                              QStringLiteral("x.mbproj \u2014 /b/shoot"),
                              QStringLiteral("x.mbproj \u2014 other"), QStringLiteral("y.mbproj")}));
        AppSettings::clearRecentFiles();
        const QString a = m_tmp.filePath(QStringLiteral("dog/shot.mbproj"));
        const QString b = m_tmp.filePath(QStringLiteral("cat/shot.mbproj"));
        AppSettings::addRecentFile(a);
        AppSettings::addRecentFile(b);
        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave-recent")));
        Q_EMIT window.recentMenu()->aboutToShow();
        QStringList texts;
        for (QAction* action : window.recentMenu()->actions())
            if (!action->isSeparator())
                texts << action->text();
        QVERIFY2(texts.contains(QStringLiteral("shot.mbproj \u2014 dog")) &&
                     texts.contains(QStringLiteral("shot.mbproj \u2014 cat")),
                 qPrintable(texts.join(QLatin1Char('|'))));
        AppSettings::clearRecentFiles();
    }

    void missingFilesAreListedAndRelinked() {
        // Photos and the background in shoot/photos; the project elsewhere; then the shoot folder moves.
        const QString shoot = m_tmp.filePath(QStringLiteral("relink/shoot/photos"));
        QVERIFY(QDir().mkpath(shoot));
        const QString a = shoot + QStringLiteral("/a.png"), b = shoot + QStringLiteral("/b.png");
        QVERIFY(QFile::copy(kToy, a) && QFile::copy(m_toyB, b));
        const QString path = m_tmp.filePath(QStringLiteral("relink/project/p.mbproj"));
        QDir().mkpath(QFileInfo(path).path());
        Project p = makeNewProject();
        p.subjects.front().photos = {{a.toStdString(), std::string()}, {b.toStdString(), std::string()}};
        p.background = a.toStdString();
        saveProject(p, path.toStdString());
        const QString moved = m_tmp.filePath(QStringLiteral("relink/moved"));
        QVERIFY(QDir().mkpath(moved));
        QVERIFY(
            QDir().rename(m_tmp.filePath(QStringLiteral("relink/shoot")), moved + QStringLiteral("/shoot")));
        // A decoy with the same name elsewhere in the searched folder.
        QVERIFY(QDir().mkpath(moved + QStringLiteral("/other")));
        QVERIFY(QFile::copy(kToyMask, moved + QStringLiteral("/other/a.png")));

        MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave-relink")));
        window.show();
        QVERIFY(window.openProject(path));
        RelinkDialog* dialog = window.relinkDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->missingCount(), 3); // two photos and the background
        QCOMPARE(dialog->list()->topLevelItem(0)->text(0), QStringLiteral("a.png"));
        QVERIFY(!dialog->relinkButton()->isEnabled());
        QCOMPARE(dialog->searchFolder(moved), 3);
        const QString newA = moved + QStringLiteral("/shoot/photos/a.png");
        QCOMPARE(dialog->matches().value(a), newA);
        QVERIFY(dialog->relinkButton()->isEnabled());
        grabToShots(dialog, QStringLiteral("relink.png"));
        QVERIFY(dialog->relink());
        QTRY_VERIFY(!window.relinkDialog());
        const Project& now = window.document()->project();
        QCOMPARE(QString::fromStdString(now.subjects.front().photos[0].image), newA);
        QCOMPARE(QString::fromStdString(now.subjects.front().photos[1].image),
                 moved + QStringLiteral("/shoot/photos/b.png"));
        QCOMPARE(QString::fromStdString(now.background), newA);
        QVERIFY(findMissingFiles(now).empty());
        QCOMPARE(window.document()->undoStack()->count(), 1);
        window.document()->undoStack()->undo();
        QCOMPARE(QString::fromStdString(window.document()->project().background), a);
        window.document()->undoStack()->redo();

        // A project with nothing missing opens without the dialog.
        window.document()->save(path);
        QVERIFY(window.openProject(path));
        QVERIFY(!window.relinkDialog());
    }

    void germanIncludesQtsOwnStrings() {
        QTranslator qt;
        QVERIFY2(mb::i18n::loadQtCatalogue(qt, QLocale(QStringLiteral("de"))),
                 qPrintable(QStringLiteral("qtbase_de.qm is not in %1 (Debian: qt6-translations-l10n)")
                                .arg(mb::i18n::qtCatalogueFolder())));
        QTranslator app;
        QVERIFY(app.load(mb::i18n::catalogueFor(QLocale(QStringLiteral("de")))));
        QCoreApplication::installTranslator(&qt);
        QCoreApplication::installTranslator(&app);
        {
            QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                     QDialogButtonBox::Save);
            QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Abbrechen"));
            QCOMPARE(buttons.button(QDialogButtonBox::Save)->text(), QStringLiteral("Speichern"));

            // The Properties dock in German at the width the window gives it: no label is cut off.
            ProjectDocument doc;
            auto* panel = new ShotPanel(&doc);
            QScrollArea scroll;
            scroll.setWidget(panel);
            scroll.setWidgetResizable(true);
            scroll.resize(340, 700);
            scroll.show();
            QVERIFY(QTest::qWaitForWindowExposed(&scroll));
            grabToShots(&scroll, QStringLiteral("properties_de.png"));
            QVERIFY(panel->backgroundLabel()->text().contains(QStringLiteral("Keins")) ||
                    panel->backgroundLabel()->text().contains(QStringLiteral("Kein")));
            for (QLabel* label : panel->findChildren<QLabel*>()) {
                if (!label->isVisible() || label->text().isEmpty() || label->wordWrap() ||
                    !label->pixmap().isNull())
                    continue;
                QVERIFY2(label->width() >= label->minimumSizeHint().width(),
                         qPrintable(QStringLiteral("cut off: %1 (%2 < %3 px)")
                                        .arg(label->text())
                                        .arg(label->width())
                                        .arg(label->minimumSizeHint().width())));
            }
            for (QAbstractButton* button : panel->findChildren<QAbstractButton*>()) {
                if (!button->isVisible())
                    continue;
                QVERIFY2(button->width() >= button->minimumSizeHint().width(),
                         qPrintable(QStringLiteral("cut off: %1").arg(button->text())));
            }
            // Nothing wider than the dock: no sideways scrolling.
            QString widest;
            int widestWidth = 0;
            for (QWidget* w : panel->findChildren<QWidget*>())
                if (w->isVisible() && w->minimumSizeHint().width() > widestWidth) {
                    widestWidth = w->minimumSizeHint().width();
                    widest = QStringLiteral("%1 \"%2\"")
                                 .arg(QString::fromLatin1(w->metaObject()->className()),
                                      w->property("text").toString());
                }
            QVERIFY2(panel->width() <= scroll.viewport()->width(),
                     qPrintable(QStringLiteral("%1 > %2 px; widest: %3, %4 px")
                                    .arg(panel->width())
                                    .arg(scroll.viewport()->width())
                                    .arg(widest)
                                    .arg(widestWidth)));
        }
        {
            // In German, with a take in the Takes panel, the window still fits a 1366×768 screen.
            MainWindow window(nullptr, m_tmp.filePath(QStringLiteral("autosave-de")));
            const QString video = m_tmp.filePath(QStringLiteral("de_take.mp4"));
            writeVideo(video);
            Take t;
            t.video = video.toStdString();
            t.seed = 1;
            window.document()->push(addTake(t, "take"));
            window.resize(1366, 768);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            const QSize least = window.minimumSizeHint();
            QVERIFY2(least.width() <= 1366 && least.height() <= 768,
                     qPrintable(QStringLiteral("%1x%2").arg(least.width()).arg(least.height())));
            QCOMPARE(window.size(), QSize(1366, 768));
            grabToShots(&window, QStringLiteral("window_de.png"));
            // The stage's warnings come from core in English; the editor shows them in German.
            const QStringList warnings = window.previewRenderer()->warnings();
            QVERIFY(!warnings.isEmpty());
            QVERIFY2(warnings.front().contains(QStringLiteral("noch keine Fotos")),
                     qPrintable(warnings.front()));
        }
        QCoreApplication::removeTranslator(&app);
        QCoreApplication::removeTranslator(&qt);
    }

    void curveKeysStayOnTheirCurvesAfterTheLengthChanges() {
        ProjectDocument doc;
        Project p = makeNewProject();
        p.shot.frames = 24;
        BoxTrack track;
        track.subjectId = p.subjects.front().id;
        track.keys = {{0.0, {0.1, 0.1, 0.3, 0.4}}, {0.5, {0.5, 0.2, 0.8, 0.6}}, {1.0, {0.6, 0.5, 0.9, 0.9}}};
        p.boxTracks = {track};
        doc.resetProject(p, QString());
        doc.setSelectedSubject(QString::fromStdString(track.subjectId));
        CurvesPanel curves(&doc);
        curves.resize(600, 300);
        curves.show();
        QVERIFY(QTest::qWaitForWindowExposed(&curves));
        Shot shot = doc.project().shot;
        shot.frames = 10; // the middle key now lies between frames 4 and 5
        doc.push(setShot(doc.project(), shot, "length"));
        curves.plot()->replot();
        for (int c = 0; c < CurvesPanel::ChannelCount; ++c) {
            QCPGraph* line = curves.plot()->graph(2 * c);
            QCPGraph* keys = curves.plot()->graph(2 * c + 1);
            for (int i = 0; i < keys->data()->size(); ++i) {
                const double x = keys->data()->at(i)->key, y = keys->data()->at(i)->value;
                // The line passes through the marker: it has a point exactly there.
                bool onLine = false;
                for (int j = 0; j < line->data()->size(); ++j)
                    onLine = onLine || (std::abs(line->data()->at(j)->key - x) < 1e-9 &&
                                        std::abs(line->data()->at(j)->value - y) < 1e-6);
                QVERIFY2(onLine, qPrintable(QStringLiteral("channel %1 key %2 at (%3, %4) is off its curve")
                                                .arg(c)
                                                .arg(i)
                                                .arg(x)
                                                .arg(y)));
            }
        }
        QCOMPARE(curves.plot()->graph(2 * CurvesPanel::BoxCenterX + 1)->data()->at(1)->key, 4.5);
        // The legend sits above the plotting area, never over the lines.
        const QRect legend = curves.plot()->legend->outerRect();
        const QRect area = curves.plot()->axisRect()->rect();
        QVERIFY2(!legend.intersects(area), qPrintable(QStringLiteral("legend %1,%2 %3x%4 over the plot")
                                                          .arg(legend.x())
                                                          .arg(legend.y())
                                                          .arg(legend.width())
                                                          .arg(legend.height())));
        QVERIFY(legend.bottom() <= area.top());
        // In a narrow dock the legend takes more lines instead of making the dock wider.
        QVERIFY(curves.minimumSizeHint().width() <= 200);
        curves.resize(300, 300);
        curves.plot()->replot();
        QVERIFY2(curves.plot()->legend->outerRect().width() <= curves.plot()->width(),
                 qPrintable(QString::number(curves.plot()->legend->outerRect().width())));
        QVERIFY(curves.plot()->legend->outerRect().bottom() <= curves.plot()->axisRect()->rect().top());
        grabToShots(&curves, QStringLiteral("curves.png"));
    }

    void takesCanBeDeletedAndUndone() {
        ProjectDocument doc;
        TakesPanel panel(&doc);
        panel.resize(400, 300);
        panel.show();
        const QString video = m_tmp.filePath(QStringLiteral("take_seed3.mp4"));
        writeVideo(video);
        for (quint64 seed : {3, 4}) {
            Take t;
            t.video = video.toStdString();
            t.sidecar = (video + QStringLiteral(".json")).toStdString();
            t.seed = seed;
            t.createdUtc = "2026-12-01T10:00:00Z";
            doc.push(addTake(t, "take"));
        }
        QCOMPARE(panel.list()->count(), 2);
        panel.list()->setCurrentRow(0);
        QVERIFY(panel.deleteButton()->isEnabled());
        QTest::mouseClick(panel.deleteButton(), Qt::LeftButton);
        QCOMPARE(panel.list()->count(), 1);
        QCOMPARE(doc.project().takes.front().seed, std::uint64_t(4));
        QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Delete take (seed 3)"));
        QVERIFY(QFileInfo::exists(video)); // the file stays: undo brings the take back
        doc.undoStack()->undo();
        QCOMPARE(panel.list()->count(), 2);
        QCOMPARE(doc.project().takes.front().seed, std::uint64_t(3));
        // Export: a copy of the take's video.
        panel.list()->setCurrentRow(1);
        const QString copy = m_tmp.filePath(QStringLiteral("exported/seed4.mp4"));
        QString error;
        QVERIFY2(panel.exportSelected(copy, &error), qPrintable(error));
        QCOMPARE(QFileInfo(copy).size(), QFileInfo(video).size());
        QVERIFY(!panel.exportSelected(QStringLiteral("/proc/no/such/dir/x.mp4"), &error));
        QVERIFY2(error.contains(QStringLiteral("/proc/no/such/dir/x.mp4")), qPrintable(error));
    }

private:
    /** Saves a picture of `w` into $MB_UI_SHOTS, when set (to look at what the test drove). */
    static void grabToShots(QWidget* w, const QString& name) {
        if (qEnvironmentVariableIsSet("MB_UI_SHOTS"))
            w->grab().save(qEnvironmentVariable("MB_UI_SHOTS") + QLatin1Char('/') + name);
    }

    QTemporaryDir m_tmp;
    QString m_broken, m_empty, m_big, m_bigCut, m_toyB;
};

QTEST_MAIN(TestArtistWorkflow)
#include "test_artist_workflow.moc"
