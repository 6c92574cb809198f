#pragma once
/**
 * \file preview_widget.h
 * \brief The Preview dock: the animatic of the current frame, redrawn on every edit and while playing; or, in
 *        player mode, a rendered take played at the shot's frame rate, optionally compared with the animatic
 *        side by side or as an onion skin (the take at half opacity over the animatic); or, while a take
 *        renders, its latest step preview (the cheap latent picture of where it is going), scaled up and
 *        played in a loop, labelled "step k / N — preview", so an artist can cancel a take that goes wrong.
 */
#include <QElapsedTimer>
#include <QImage>
#include <QVector>
#include <QWidget>

class QTimer;

namespace mb::ui {

class ProjectDocument;
class PreviewRenderer;

class PreviewWidget : public QWidget {
    Q_OBJECT
public:
    enum class CompareMode { Off, SideBySide, Onion };
    Q_ENUM(CompareMode)

    PreviewWidget(ProjectDocument* document, PreviewRenderer* renderer, QWidget* parent = nullptr);

    /** Frames painted per second over the last second (0 when idle). */
    double paintRate() const { return m_rate; }

    /**
     * Player mode: decodes `videoPath` and plays it in a loop at `fps` (the shot's rate when <= 0). Returns
     * false (and shows the error in the widget) when the video cannot be decoded. `title` is drawn in a
     * corner.
     */
    bool playTake(const QString& videoPath, double fps = 0, const QString& title = QString());
    /** Back to the live animatic. */
    void stopTake();
    bool isPlayingTake() const { return !m_takeFrames.isEmpty(); }
    int takeFrameCount() const { return int(m_takeFrames.size()); }
    /** The take frame on screen. */
    int takeFrame() const { return m_takeIndex; }
    /** Milliseconds between take frames. */
    int takeIntervalMs() const;
    CompareMode compareMode() const { return m_compare; }
    QString takeError() const { return m_takeError; }

    /**
     * Step-preview mode: shows `strip` (`frames` pictures side by side, at latent resolution) scaled up to
     * the widget, one frame after the other at the shot's rate, with `caption` drawn in a corner. A newer
     * preview replaces the shown one without restarting the loop. Stops a playing take.
     */
    void showStepPreview(const QImage& strip, int frames, const QString& caption);
    /** Leaves step-preview mode (back to the live animatic). */
    void clearStepPreview();
    bool isShowingStepPreview() const { return !m_stepFrames.isEmpty(); }
    int stepPreviewFrameCount() const { return int(m_stepFrames.size()); }
    QString stepPreviewCaption() const { return m_stepCaption; }

    QSize sizeHint() const override { return {320, 200}; }

public Q_SLOTS:
    void setCompareMode(mb::ui::PreviewWidget::CompareMode mode);

Q_SIGNALS:
    void takeModeChanged(bool playing);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paintAnimatic(QPainter& painter);
    void paintTake(QPainter& painter);
    void paintStepPreview(QPainter& painter);
    void startLoop();

    ProjectDocument* m_document;
    PreviewRenderer* m_renderer;
    QElapsedTimer m_clock;
    int m_paintsThisSecond = 0;
    double m_rate = 0;

    QVector<QImage> m_takeFrames;
    int m_takeIndex = 0;
    QString m_takeTitle, m_takeError;
    QTimer* m_takeTimer;
    CompareMode m_compare = CompareMode::Off;

    QVector<QImage> m_stepFrames;
    int m_stepIndex = 0;
    QString m_stepCaption;
};

} // namespace mb::ui
