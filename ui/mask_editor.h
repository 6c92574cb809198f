#pragma once
/**
 * \file mask_editor.h
 * \brief Shows a photo with its mask as a coloured overlay and lets the artist paint the mask (brush adds,
 *        eraser removes part of it) or drag a rectangle to re-segment inside it.
 *
 * Strokes also collect into "subject" / "not subject" hint images for a GrabCut refinement.
 */
#include <QImage>
#include <QWidget>

namespace mb::ui {

class MaskEditor : public QWidget {
    Q_OBJECT
public:
    enum class Tool { Brush, Eraser, Rectangle };

    explicit MaskEditor(QWidget* parent = nullptr);

    /** Shows `photo` with `mask` (Grayscale8, may be null = empty mask). Clears the stroke hints. */
    void setImages(const QImage& photo, const QImage& mask);
    void clear();
    QImage mask() const { return m_mask; }
    QImage foregroundStrokes() const { return m_foreground; }
    QImage backgroundStrokes() const { return m_background; }
    bool hasStrokes() const { return m_hasStrokes; }

    void setTool(Tool tool) { m_tool = tool; }
    Tool tool() const { return m_tool; }
    /** Brush diameter in photo pixels. */
    void setBrushSize(int pixels) { m_brush = pixels; }
    /** Subject share of the photo, 0..1 (for the status line). */
    double maskCoverage() const;

    QSize sizeHint() const override { return {300, 260}; }

Q_SIGNALS:
    /** A brush or eraser stroke ended: the mask changed. */
    void maskPainted();
    /** A rectangle was dragged (photo pixels). */
    void rectangleDrawn(const QRect& rect);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QRectF imageRect() const;
    QPointF toImage(const QPointF& widgetPos) const;
    void paintStroke(const QPointF& from, const QPointF& to);
    void rebuildOverlay();

    QImage m_photo;
    QImage m_mask;       ///< Grayscale8, 255 = subject
    QImage m_overlay;    ///< ARGB tint of the mask, rebuilt when it changes
    QImage m_foreground; ///< strokes that said "subject"
    QImage m_background; ///< strokes that said "not subject"
    bool m_hasStrokes = false;
    Tool m_tool = Tool::Brush;
    int m_brush = 24;
    bool m_pressed = false;
    QPointF m_last;
    QPointF m_rectStart, m_rectEnd;
};

} // namespace mb::ui
