#pragma once
/**
 * \file preview_widget.h
 * \brief The Preview dock: the animatic of the current frame, redrawn on every edit and while playing.
 */
#include <QElapsedTimer>
#include <QWidget>

namespace mb::ui {

class ProjectDocument;
class PreviewRenderer;

class PreviewWidget : public QWidget {
    Q_OBJECT
public:
    PreviewWidget(ProjectDocument* document, PreviewRenderer* renderer, QWidget* parent = nullptr);

    /** Frames painted per second over the last second (0 when idle). */
    double paintRate() const { return m_rate; }

    QSize sizeHint() const override { return {320, 200}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ProjectDocument* m_document;
    PreviewRenderer* m_renderer;
    QElapsedTimer m_clock;
    int m_paintsThisSecond = 0;
    double m_rate = 0;
};

} // namespace mb::ui
