#pragma once
/**
 * \file timeline_widget.h
 * \brief The timeline: frames 0..L-1 across, one row per subject box track and one for the camera, keyframes
 *        as diamonds, the playhead.
 *
 * Click or drag on the ruler to scrub. Click a key to select it, drag it to move it in time (one undo step
 * per drag; a key never lands on a frame that has one already). Double-click a row to add a key there. The
 * context menu of a key sets the easing of the segment that starts at it, copies, pastes or deletes it.
 */
#include "doc/box_track.h"
#include "doc/camera_path.h"
#include "doc/edit_commands.h"
#include "ui/project_document.h"

#include <QWidget>
#include <optional>

namespace mb::ui {

class TimelineWidget : public QWidget {
    Q_OBJECT
public:
    explicit TimelineWidget(ProjectDocument* document, QWidget* parent = nullptr);

    /** Rows top to bottom: subject ids of the box tracks, then ProjectDocument::kCameraRow. */
    QStringList rows() const;
    QRect rowRect(int row) const;
    /** Widget x of frame f's centre line. */
    double frameX(int frame) const;
    /** Nearest frame of widget x (clamped to the clip). */
    int frameAt(double x) const;
    /** Centre of the key diamond of `row` at `frame`. */
    QPoint keyPoint(const QString& row, int frame) const;

    /** The selected key: its row and frame (row empty when none). */
    QString selectedRow() const { return m_selectedRow; }
    int selectedFrame() const { return m_selectedFrame; }

    /** Adds a key holding the current value at the playhead on `row` (the selected subject's or camera row).
     */
    bool addKeyAtPlayhead(const QString& row);
    /** Deletes the selected key (never a row's last one). */
    bool deleteSelectedKey();
    void copySelectedKey();
    /** Pastes the copied key on the selected (or the copied key's) row at the playhead. */
    bool pasteKeyAtPlayhead();
    /** Sets the easing of the segment starting at the selected key. */
    bool setSelectedEasing(const Easing& easing);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {300, 90}; }

Q_SIGNALS:
    void keySelectionChanged(const QString& row, int frame);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    /** Copies the key list of `row`, lets `edit` change it, and pushes one command when it did. */
    template <class Edit>
    bool editRowKeys(const QString& row, const QString& label, unsigned dragId, Edit edit) {
        const Project& p = m_document->project();
        if (row == QLatin1String(ProjectDocument::kCameraRow)) {
            CameraPath camera = p.camera;
            if (!edit(camera.keys))
                return false;
            return m_document->push(setCamera(p, camera, label.toStdString(), dragId));
        }
        const BoxTrack* t = p.findTrack(row.toStdString());
        if (!t)
            return false;
        BoxTrack track = *t;
        if (!edit(track.keys))
            return false;
        return m_document->push(setTrack(p, row.toStdString(), track, label.toStdString(), dragId));
    }
    /** Frames of the keys of `row`. */
    QVector<int> keyFrames(const QString& row) const;
    int rowAt(double y) const;
    bool hitKey(const QPoint& pos, QString* row, int* frame) const;
    void selectKey(const QString& row, int frame);
    QString rowLabel(const QString& row) const;
    QColor rowColor(const QString& row) const;
    QString easingNameAt(const QString& row, int frame) const;

    ProjectDocument* m_document;
    QString m_selectedRow;
    int m_selectedFrame = -1;
    enum class Drag { None, Scrub, Key } m_drag = Drag::None;
    unsigned m_dragId = 0;
    std::optional<BoxKeyframe> m_boxClipboard;
    std::optional<CameraKeyframe> m_cameraClipboard;
};

} // namespace mb::ui
