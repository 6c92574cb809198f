#pragma once
/**
 * \file stage_view.h
 * \brief The stage: the output frame at the shot's aspect with the live animatic behind it, the current
 *        frame's subject boxes (drag to move, handles to resize, draw a new box, snapping), each box centre's
 *        motion path with keyframe dots, onion-skin ghosts of neighbouring frames and the camera-pan arrow.
 *
 * Boxes are shown where they land on screen given the camera (doc/shot_layout.h). Editing a box sets (or
 * inserts) the key at the current frame; one mouse drag is one undo step. Hold Alt while dragging to turn
 * snapping off for that drag.
 */
#include "doc/box_track.h"

#include <QPointer>
#include <QWidget>
#include <optional>

namespace mb::ui {

class ProjectDocument;
class PreviewRenderer;

class StageView : public QWidget {
    Q_OBJECT
public:
    enum class Tool { Select, DrawBox };

    explicit StageView(ProjectDocument* document, PreviewRenderer* preview = nullptr,
                       QWidget* parent = nullptr);

    Tool tool() const { return m_tool; }
    void setTool(Tool tool);
    void setOnionSkin(bool on);
    void setMotionPaths(bool on);
    void setSnapping(bool on);
    void setCameraArrow(bool on);
    void setAnimaticBackground(bool on);
    bool onionSkin() const { return m_onionSkin; }
    bool snapping() const { return m_snapping; }

    /** The output frame's rectangle in widget pixels. */
    QRectF frameRect() const;
    /** Widget point of a normalised frame position. */
    QPointF toWidget(double nx, double ny) const;
    /** Normalised frame position of a widget point. */
    QPointF toNormalized(const QPointF& p) const;
    /** The on-screen rectangle (widget pixels) of a subject's box on the current frame, if it has a track. */
    std::optional<QRectF> boxRect(const QString& subjectId) const;
    /** Where the camera arrow starts (frame centre) and ends, in widget pixels. */
    QPointF cameraArrowBase() const;
    QPointF cameraArrowTip() const;

    QSize sizeHint() const override { return {720, 420}; }
    QSize minimumSizeHint() const override { return {240, 160}; }

Q_SIGNALS:
    /** Mouse position in frame percentages (for the status bar); invalid point when outside the frame. */
    void hoverPositionChanged(const QPointF& normalized);
    void toolChanged(Tool tool);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    enum class Drag { None, Move, Resize, Draw, Camera };
    /** Which box edges a resize moves: bit 0 left, 1 top, 2 right, 3 bottom. */
    using EdgeMask = unsigned;

    NormBox screenBoxOf(const QString& subjectId, int frame) const;
    void setScreenBox(const QString& subjectId, const NormBox& screen, unsigned dragId, const QString& label);
    void commitDrawnBox(const NormBox& box);
    QString hitBox(const QPointF& p) const;
    EdgeMask hitHandle(const QPointF& p) const;
    QVector<QRectF> handleRects(const QRectF& r) const;
    NormBox snapMove(const NormBox& box, const QString& movingId);
    NormBox snapEdges(NormBox box, EdgeMask edges, const QString& movingId);
    double snapValue(double v, const QVector<double>& guides, double pixelScale, double* guideHit) const;
    QVector<double> guidesX(const QString& except) const;
    QVector<double> guidesY(const QString& except) const;
    void updateCursor(const QPointF& p);

    void paintFrameBackground(QPainter& painter, const QRectF& fr);
    void paintOnionSkin(QPainter& painter);
    void paintMotionPaths(QPainter& painter);
    void paintBoxes(QPainter& painter);
    void paintCameraArrow(QPainter& painter);
    void paintOverlayText(QPainter& painter, const QRectF& fr);

    ProjectDocument* m_document;
    QPointer<PreviewRenderer> m_preview;
    Tool m_tool = Tool::Select;
    bool m_onionSkin = true;
    bool m_motionPaths = true;
    bool m_snapping = true;
    bool m_cameraArrow = true;
    bool m_animaticBackground = true;

    Drag m_drag = Drag::None;
    unsigned m_dragId = 0;
    QPointF m_pressPos;
    NormBox m_pressBox;
    EdgeMask m_resizeEdges = 0;
    bool m_dragSnapping = true;
    NormBox m_drawBox;
    QVector<double> m_activeGuidesX, m_activeGuidesY; ///< snap lines shown during a drag
};

} // namespace mb::ui
