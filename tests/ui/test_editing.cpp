// Editing through the widgets, driven by QTest input on the offscreen platform: box drawing/dragging with
// undo/redo, the camera arrow, timeline keyframes, changing L, save/reopen, autosave recovery, playback.
#include "doc/project_io.h"
#include "doc/timeline.h"
#include "ui/autosaver.h"
#include "ui/curves_panel.h"
#include "ui/main_window.h"
#include "ui/playback_controller.h"
#include "ui/preview_renderer.h"
#include "ui/preview_widget.h"
#include "ui/project_document.h"
#include "ui/shot_panel.h"
#include "ui/stage_view.h"
#include "ui/timeline_widget.h"

#include <QElapsedTimer>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <qcustomplot.h>

using namespace mb;
using namespace mb::ui;

namespace {
/** A project with one subject that has no box yet, and one with a box track. */
Project twoSubjects() {
    Project p = makeNewProject();
    Subject extra;
    extra.id = "dog";
    extra.className = "dog";
    p.subjects.push_back(extra);
    p.shot.frames = 24;
    return p;
}

void drag(QWidget* w, QPointF from, QPointF to, Qt::KeyboardModifiers mods = Qt::NoModifier, int steps = 8) {
    QTest::mousePress(w, Qt::LeftButton, mods, from.toPoint());
    for (int i = 1; i <= steps; ++i) {
        const QPointF p = from + (to - from) * (double(i) / steps);
        QMouseEvent move(QEvent::MouseMove, p, w->mapToGlobal(p), Qt::NoButton, Qt::LeftButton, mods);
        QApplication::sendEvent(w, &move);
    }
    QTest::mouseRelease(w, Qt::LeftButton, mods, to.toPoint());
}
} // namespace

class TestEditing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
    }

    void init() {
        m_window = std::make_unique<MainWindow>(nullptr, m_tmp.filePath(QStringLiteral("autosave")));
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_doc = m_window->document();
        m_doc->resetProject(twoSubjects(), QString());
    }
    void cleanup() {
        m_doc->resetProject(makeNewProject(), QString()); // nothing to save on close
        m_window.reset();
    }

    void drawBoxThenDragItThenUndoRedo() {
        StageView* stage = m_window->stage();
        m_doc->setSelectedSubject(QStringLiteral("dog"));
        m_doc->setCurrentFrame(5);
        stage->setSnapping(false);
        stage->setTool(StageView::Tool::DrawBox);
        const QPointF a = stage->toWidget(0.55, 0.2), b = stage->toWidget(0.8, 0.6);
        drag(stage, a, b);
        const BoxTrack* t = m_doc->project().findTrack("dog");
        QVERIFY(t);
        QCOMPARE(int(t->keys.size()), 1);
        QVERIFY(std::abs(t->keys[0].value.x0 - 0.55) < 0.01);
        QVERIFY(std::abs(t->keys[0].value.y1 - 0.6) < 0.01);
        QCOMPARE(timeToFrame(t->keys[0].time, 24), 5);
        const int afterDraw = m_doc->undoStack()->count();

        // Move it by dragging its middle: many mouse moves, one undo step.
        stage->setTool(StageView::Tool::Select);
        const QRectF r = *stage->boxRect(QStringLiteral("dog"));
        const QPointF shift = stage->toWidget(0.1, 0.05) - stage->toWidget(0, 0);
        drag(stage, r.center(), r.center() + shift);
        QCOMPARE(m_doc->undoStack()->count(), afterDraw + 1);
        t = m_doc->project().findTrack("dog");
        QVERIFY(std::abs(t->keys[0].value.x0 - 0.65) < 0.01);
        QVERIFY(std::abs(t->keys[0].value.y0 - 0.25) < 0.01);

        m_doc->undoStack()->undo(); // the drag
        t = m_doc->project().findTrack("dog");
        QVERIFY(std::abs(t->keys[0].value.x0 - 0.55) < 0.01);
        m_doc->undoStack()->undo(); // the drawn box
        QVERIFY(!m_doc->project().findTrack("dog"));
        m_doc->undoStack()->redo();
        m_doc->undoStack()->redo();
        t = m_doc->project().findTrack("dog");
        QVERIFY(t);
        QVERIFY(std::abs(t->keys[0].value.x0 - 0.65) < 0.01);
    }

    void resizeHandleAndSnapping() {
        StageView* stage = m_window->stage();
        m_doc->setSelectedSubject(QStringLiteral("subject"));
        m_doc->setCurrentFrame(0);
        const QRectF r = *stage->boxRect(QStringLiteral("subject"));
        // Drag the right edge handle to 3 px short of the frame centre: snapping pulls it onto 0.5.
        const QPointF to(stage->toWidget(0.5, 0).x() - 3, r.center().y());
        drag(stage, QPointF(r.right(), r.center().y()), to);
        const BoxTrack* t = m_doc->project().findTrack("subject");
        QCOMPARE(t->keys[0].value.x1, 0.5);
        QCOMPARE(t->keys[0].value.x0, 0.1); // the other edge stays
    }

    void cameraArrowDrag() {
        StageView* stage = m_window->stage();
        const QPointF base = stage->cameraArrowBase();
        QCOMPARE(stage->cameraArrowTip(), base); // static camera at first
        const QPointF tip = stage->toWidget(0.5 + 0.25, 0.5 - 0.1);
        const int before = m_doc->undoStack()->count();
        drag(stage, base, tip);
        const CameraOffset pan = m_doc->project().camera.totalPan();
        QVERIFY(std::abs(pan.x - 0.25) < 0.003);
        QVERIFY(std::abs(pan.y + 0.1) < 0.003);
        QCOMPARE(m_doc->undoStack()->count(), before + 1);
        // The numeric fields follow, and typing in them moves the arrow.
        QVERIFY(std::abs(m_window->shotPanel()->panXField()->value() - 25.0) < 0.3);
        m_window->shotPanel()->panXField()->setValue(-10.0);
        QVERIFY(std::abs(m_doc->project().camera.totalPan().x + 0.10) < 1e-9);
        QVERIFY(std::abs(stage->cameraArrowTip().x() - stage->toWidget(0.4, 0).x()) < 1.0);
        // Boxes are shown where they land given the camera: a scene-pinned box moves against the pan.
        Project p = m_doc->project();
        p.boxTracks[0].pinnedToScene = true;
        m_doc->resetProject(p, QString());
        m_doc->setCurrentFrame(23);
        const QRectF atEnd = *stage->boxRect(QStringLiteral("subject"));
        const NormBox stored = p.boxTracks[0].boxAtFrame(23, 24);
        const CameraOffset travel = p.camera.totalPan();
        QVERIFY(std::abs(atEnd.left() - stage->toWidget(stored.x0 - travel.x, 0).x()) < 1.0);
    }

    void timelineAddMoveDeleteKeys() {
        TimelineWidget* tl = m_window->timeline();
        m_doc->setSelectedSubject(QStringLiteral("subject"));
        // Add a key at frame 6 by double-clicking the subject's row.
        const int row = int(tl->rows().indexOf(QStringLiteral("subject")));
        const QPoint at6(int(tl->frameX(6)), tl->rowRect(row).center().y());
        QTest::mouseDClick(tl, Qt::LeftButton, Qt::NoModifier, at6);
        const BoxTrack* t = m_doc->project().findTrack("subject");
        QCOMPARE(int(t->keys.size()), 3);
        QVERIFY(t->keyIndexAtFrame(6, 24) >= 0);
        // The new key changes no motion: the box at frame 6 is what it was.
        const NormBox before = makeNewProject().boxTracks[0].boxAtFrame(6, 24);
        QVERIFY(std::abs(t->boxAtFrame(6, 24).x0 - before.x0) < 1e-9);

        // Drag it in time to frame 15: one undo step.
        const int steps = m_doc->undoStack()->count();
        drag(tl, tl->keyPoint(QStringLiteral("subject"), 6), tl->keyPoint(QStringLiteral("subject"), 15));
        t = m_doc->project().findTrack("subject");
        QVERIFY(t->keyIndexAtFrame(15, 24) >= 0);
        QVERIFY(t->keyIndexAtFrame(6, 24) < 0);
        QCOMPARE(m_doc->undoStack()->count(), steps + 1);
        QCOMPARE(tl->selectedFrame(), 15);

        // A key cannot be dropped onto another key's frame.
        drag(tl, tl->keyPoint(QStringLiteral("subject"), 15), tl->keyPoint(QStringLiteral("subject"), 23));
        t = m_doc->project().findTrack("subject");
        QCOMPARE(int(t->keys.size()), 3);

        // Copy, paste at the playhead, easing, delete with the Del shortcut.
        tl->copySelectedKey();
        m_doc->setCurrentFrame(3);
        QVERIFY(tl->pasteKeyAtPlayhead());
        QCOMPARE(int(m_doc->project().findTrack("subject")->keys.size()), 4);
        QVERIFY(tl->setSelectedEasing(Easing::hold()));
        QCOMPARE(m_doc->project().findTrack("subject")->keys[1].easing, Easing::hold());
        m_window->activateWindow();
        tl->setFocus();
        QTest::keyClick(m_window.get(), Qt::Key_Delete);
        QCOMPARE(int(m_doc->project().findTrack("subject")->keys.size()), 3);
        // K adds a key on the camera row when it is selected.
        QTest::mouseClick(tl, Qt::LeftButton, Qt::NoModifier,
                          tl->keyPoint(QLatin1String(ProjectDocument::kCameraRow), 0));
        m_doc->setCurrentFrame(12);
        QTest::keyClick(m_window.get(), Qt::Key_K);
        QCOMPARE(int(m_doc->project().camera.keys.size()), 3);
        // Undo everything back to the start.
        while (m_doc->undoStack()->canUndo())
            m_doc->undoStack()->undo();
        QCOMPARE(m_doc->project(), twoSubjects());
    }

    void changingLengthKeepsRelativeTime() {
        TimelineWidget* tl = m_window->timeline();
        m_doc->setCurrentFrame(12);
        QVERIFY(tl->addKeyAtPlayhead(QStringLiteral("subject")));
        const double t12 = frameToTime(12, 24);
        m_window->shotPanel()->framesField()->setValue(48);
        QCOMPARE(m_doc->project().shot.frames, 48);
        const BoxTrack* t = m_doc->project().findTrack("subject");
        QCOMPARE(t->keys[1].time, t12);                 // stored time unchanged
        QCOMPARE(timeToFrame(t->keys[1].time, 48), 25); // same place relative to the clip
        QVERIFY(tl->keyPoint(QStringLiteral("subject"), 25).x() > tl->frameX(24));
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->project().shot.frames, 24);
    }

    void curvesDragChangesKeyValue() {
        CurvesPanel* curves = m_window->curves();
        m_doc->setSelectedSubject(QStringLiteral("subject"));
        curves->plot()->replot();
        const QPointF p = curves->keyPosition(CurvesPanel::BoxCenterX, 1);
        QVERIFY(!p.isNull());
        const double before = m_doc->project().findTrack("subject")->keys[1].value.centerX();
        const QPointF up(p.x(), p.y() - 40);
        drag(curves->plot(), p, up);
        const double after = m_doc->project().findTrack("subject")->keys[1].value.centerX();
        QVERIFY(after > before + 0.05);
        const double width = m_doc->project().findTrack("subject")->keys[1].value.width();
        QVERIFY(std::abs(width - 0.25) < 1e-9); // only the centre moved
    }

    void saveAndReopen() {
        const QString path = m_tmp.filePath(QStringLiteral("roundtrip.mbproj"));
        m_doc->setCurrentFrame(4);
        QVERIFY(m_window->timeline()->addKeyAtPlayhead(QStringLiteral("subject")));
        QVERIFY(m_doc->isModified());
        QVERIFY(m_window->saveAs(path));
        QVERIFY(!m_doc->isModified());
        QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("roundtrip.mbproj")));
        const Project saved = m_doc->project();
        m_doc->resetProject(makeNewProject(), QString());
        QVERIFY(m_window->openProject(path, true));
        QCOMPARE(m_doc->project(), saved);
        QCOMPARE(m_doc->filePath(), QFileInfo(path).absoluteFilePath());
        QString error;
        QVERIFY(!m_window->openProject(m_tmp.filePath(QStringLiteral("missing.mbproj")), true, &error));
        QVERIFY(error.contains(QStringLiteral("missing.mbproj")));
    }

    void recoverFromAutosave() {
        const QString path = m_tmp.filePath(QStringLiteral("crashy.mbproj"));
        QVERIFY(m_window->saveAs(path));
        m_doc->setCurrentFrame(9);
        QVERIFY(m_window->timeline()->addKeyAtPlayhead(QStringLiteral("subject")));
        const Project edited = m_doc->project();
        const QString copy = m_window->autosaver()->saveNow();
        QVERIFY(QFileInfo::exists(copy));
        // "Crash": a new window starts without the first one closing cleanly.
        MainWindow second(nullptr, m_tmp.filePath(QStringLiteral("autosave")));
        const auto pending = second.autosaver()->pendingRecoveries();
        QCOMPARE(int(pending.size()), 1);
        QCOMPARE(QString::fromStdString(pending[0].originalPath), QFileInfo(path).absoluteFilePath());
        second.autosaver()->recover(pending[0]);
        QCOMPARE(second.document()->project(), edited);
        QCOMPARE(second.document()->filePath(), QFileInfo(path).absoluteFilePath()); // Save goes back to it
        QVERIFY(second.document()->isModified());
        QVERIFY(second.save());
        QCOMPARE(loadProject(path.toStdString()), edited);
        QVERIFY(second.autosaver()->pendingRecoveries().empty() ||
                QString::fromStdString(second.autosaver()->pendingRecoveries()[0].autosavePath) == copy);
        second.document()->resetProject(makeNewProject(), QString());
        QFile::remove(copy);
    }

    void playbackAdvancesAndLoops() {
        PlaybackController* pb = m_window->playback();
        Project p = m_doc->project();
        // Each frame shows for 100 ms, twice QTRY's 50 ms polling period, so the checks below cannot miss the
        // frame they wait for (at 50 fps a frame lasted 20 ms and the poll sometimes skipped past it).
        p.shot.fps = 10;
        p.shot.frames = 5;
        m_doc->resetProject(p, QString());
        m_doc->setCurrentFrame(0);
        QTest::keyClick(m_window.get(), Qt::Key_Space);
        QVERIFY(pb->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(m_doc->currentFrame() == 4, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_doc->currentFrame() == 0, 5000); // looped
        QTest::keyClick(m_window.get(), Qt::Key_Space);
        QVERIFY(!pb->isPlaying());
        const int f = m_doc->currentFrame();
        QTest::keyClick(m_window.get(), Qt::Key_Right);
        QCOMPARE(m_doc->currentFrame(), std::min(f + 1, 4));
        QTest::keyClick(m_window.get(), Qt::Key_Left);
        QCOMPARE(m_doc->currentFrame(), f);
    }

    void previewFramesPerSecondWhileDragging() {
        // The demo project when present (real photos and background), else the new-project default.
        const QString demo = QStringLiteral(MB_SOURCE_DIR "/resources/demo/demo.mbproj");
        if (QFileInfo::exists(demo))
            QVERIFY(m_window->openProject(demo, true));
        StageView* stage = m_window->stage();
        const QString id = QString::fromStdString(m_doc->project().boxTracks[0].subjectId);
        m_doc->setSelectedSubject(id);
        const QRectF r = *stage->boxRect(id);
        QTest::mousePress(stage, Qt::LeftButton, Qt::NoModifier, r.center().toPoint());
        QElapsedTimer timer;
        timer.start();
        const int moves = 60;
        for (int i = 1; i <= moves; ++i) {
            const QPointF p = r.center() + QPointF(i % 2 ? 3.0 * i / 4 : -3.0 * i / 4, 0);
            QMouseEvent move(QEvent::MouseMove, p, stage->mapToGlobal(p), Qt::NoButton, Qt::LeftButton,
                             Qt::NoModifier);
            QApplication::sendEvent(stage, &move);
            // Each edit repaints the stage (animatic behind it) and the preview dock, as on screen.
            stage->repaint();
            m_window->previewWidget()->repaint();
        }
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        QTest::mouseRelease(stage, Qt::LeftButton, Qt::NoModifier, r.center().toPoint());
        const double fps = moves / seconds;
        qInfo("preview while dragging: %.1f frames/s (%d edits, last animatic render %.1f ms)", fps, moves,
              m_window->previewRenderer()->lastRenderMs());
        QVERIFY(fps > 10.0);
        QCOMPARE(m_doc->undoStack()->count(), 1); // the whole drag is one step
    }

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<MainWindow> m_window;
    ProjectDocument* m_doc = nullptr;
};

QTEST_MAIN(TestEditing)
#include "test_editing.moc"
