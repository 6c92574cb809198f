#pragma once
/**
 * \file curves_panel.h
 * \brief The Curves dock (QCustomPlot): centre x, centre y, width and height of the selected box track and
 * the camera offset x, y over the clip's frames, in % of the frame. Keys are dots; drag one up or down to
 *        change its value (one undo step per drag).
 */
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QMouseEvent;

namespace mb::ui {

class ProjectDocument;

class CurvesPanel : public QWidget {
    Q_OBJECT
public:
    /** The curves drawn, in graph order. */
    enum Channel { BoxCenterX, BoxCenterY, BoxWidth, BoxHeight, CameraX, CameraY, ChannelCount };

    explicit CurvesPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QCustomPlot* plot() const { return m_plot; }
    /** Widget position (in the plot) of key `index` of `channel`, for tests. */
    QPointF keyPosition(Channel channel, int index) const;
    /** The value of `channel` at frame f, in % of the frame. */
    double valueAt(Channel channel, int frame) const;
    /** The value of `channel` at normalised clip time t (0 = first frame, 1 = last), in % of the frame. */
    double valueAtTime(Channel channel, double t) const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    /** Legend entries per line for the panel's width (the legend sits above the plot). */
    void fitLegend();
    void rebuild();
    void onMousePress(QMouseEvent* event);
    void onMouseMove(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    /** Sets key `index` of `channel` to `percent`. */
    void setKeyValue(Channel channel, int index, double percent, unsigned dragId);

    ProjectDocument* m_document;
    QCustomPlot* m_plot;
    QCPGraph* m_lines[ChannelCount] = {};
    QCPGraph* m_keys[ChannelCount] = {};
    QCPItemStraightLine* m_playhead = nullptr;
    int m_dragChannel = -1;
    int m_dragKey = -1;
    unsigned m_dragId = 0;
    bool m_autoRange = true;
};

} // namespace mb::ui
