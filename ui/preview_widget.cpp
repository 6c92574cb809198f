#include "ui/preview_widget.h"

#include "media/video_io.h"
#include "ui/preview_renderer.h"
#include "ui/project_document.h"

#include <QPainter>
#include <QTimer>
#include <cmath>

namespace mb::ui {

namespace {
QRect fitted(const QSize& image, const QRect& box) {
    QSize s = image;
    s.scale(box.size(), Qt::KeepAspectRatio);
    return QRect(QPoint(box.x() + (box.width() - s.width()) / 2, box.y() + (box.height() - s.height()) / 2),
                 s);
}
} // namespace

PreviewWidget::PreviewWidget(ProjectDocument* document, PreviewRenderer* renderer, QWidget* parent)
    : QWidget(parent), m_document(document), m_renderer(renderer) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Animatic preview"));
    setMinimumSize(160, 90);
    connect(renderer, &PreviewRenderer::invalidated, this, [this] { update(); });
    connect(document, &ProjectDocument::currentFrameChanged, this, [this] { update(); });
    // A take or a render's step preview belongs to the project it was made for: a new or opened project
    // starts on its own animatic.
    connect(document, &ProjectDocument::projectReplaced, this, [this] {
        clearStepPreview();
        stopTake();
    });
    m_takeTimer = new QTimer(this);
    m_takeTimer->setTimerType(Qt::PreciseTimer);
    connect(m_takeTimer, &QTimer::timeout, this, [this] {
        if (!m_stepFrames.isEmpty()) {
            m_stepIndex = (m_stepIndex + 1) % int(m_stepFrames.size());
            update();
            return;
        }
        if (m_takeFrames.isEmpty())
            return;
        m_takeIndex = (m_takeIndex + 1) % int(m_takeFrames.size());
        update();
    });
    m_clock.start();
}

int PreviewWidget::takeIntervalMs() const {
    return m_takeTimer->interval();
}

void PreviewWidget::startLoop() {
    const double fps = m_document->project().shot.fps;
    m_takeTimer->start(std::max(1, int(std::lround(1000.0 / std::max(1.0, fps)))));
}

void PreviewWidget::showStepPreview(const QImage& strip, int frames, const QString& caption) {
    if (strip.isNull() || frames < 1)
        return;
    if (isPlayingTake())
        stopTake();
    const int w = strip.width() / frames;
    QVector<QImage> pictures;
    pictures.reserve(frames);
    for (int f = 0; f < frames; ++f)
        pictures << strip.copy(f * w, 0, w, strip.height());
    const bool starting = m_stepFrames.isEmpty();
    m_stepFrames = pictures;
    m_stepIndex = starting ? 0 : m_stepIndex % frames;
    m_stepCaption = caption;
    if (starting) {
        setAccessibleName(tr("Step preview of the take being rendered"));
        startLoop();
    }
    update();
}

void PreviewWidget::clearStepPreview() {
    if (m_stepFrames.isEmpty())
        return;
    m_stepFrames.clear();
    m_stepCaption.clear();
    m_stepIndex = 0;
    if (!isPlayingTake()) {
        m_takeTimer->stop();
        setAccessibleName(tr("Animatic preview"));
    }
    update();
}

bool PreviewWidget::playTake(const QString& videoPath, double fps, const QString& title) {
    clearStepPreview();
    stopTake();
    std::vector<cv::Mat> frames;
    try {
        frames = media::decodeVideo(videoPath.toStdString());
        if (frames.empty())
            throw std::runtime_error(videoPath.toStdString() + ": the video has no frames");
    } catch (const std::exception& e) {
        m_takeError = QString::fromStdString(e.what());
        update();
        return false;
    }
    m_takeError.clear();
    m_takeFrames.reserve(int(frames.size()));
    for (const cv::Mat& f : frames)
        m_takeFrames << QImage(f.data, f.cols, f.rows, int(f.step), QImage::Format_BGR888).copy();
    if (fps <= 0)
        fps = m_document->project().shot.fps;
    m_takeIndex = 0;
    m_takeTitle = title;
    m_takeTimer->start(std::max(1, int(std::lround(1000.0 / std::max(1.0, fps)))));
    setAccessibleName(tr("Take player"));
    Q_EMIT takeModeChanged(true);
    update();
    return true;
}

void PreviewWidget::stopTake() {
    const bool was = isPlayingTake();
    m_takeTimer->stop();
    m_takeFrames.clear();
    m_takeIndex = 0;
    m_takeError.clear();
    if (isShowingStepPreview())
        startLoop(); // the same timer plays the step preview
    else
        setAccessibleName(tr("Animatic preview"));
    if (was)
        Q_EMIT takeModeChanged(false);
    update();
}

void PreviewWidget::setCompareMode(CompareMode mode) {
    m_compare = mode;
    update();
}

void PreviewWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), QColor(0x14, 0x16, 0x1a));
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    if (isShowingStepPreview())
        paintStepPreview(painter);
    else if (isPlayingTake())
        paintTake(painter);
    else
        paintAnimatic(painter);
    ++m_paintsThisSecond;
    if (m_clock.elapsed() >= 1000) {
        m_rate = m_paintsThisSecond * 1000.0 / double(m_clock.restart());
        m_paintsThisSecond = 0;
    }
}

void PreviewWidget::paintAnimatic(QPainter& painter) {
    const QImage img = m_renderer->frame(m_document->currentFrame(), size());
    if (img.isNull() || !m_takeError.isEmpty()) {
        painter.setPen(QColor(200, 200, 200));
        const QStringList w = m_takeError.isEmpty() ? m_renderer->warnings() : QStringList{m_takeError};
        painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                         w.isEmpty() ? tr("No preview") : w.join(QLatin1Char('\n')));
        return;
    }
    const QRect target = fitted(img.size(), rect());
    painter.drawImage(target, img);
    painter.setPen(QColor(255, 255, 255, 170));
    painter.drawText(
        target.adjusted(6, 4, -6, -4), Qt::AlignTop | Qt::AlignRight,
        tr("%1  \u2022  %2 ms").arg(m_document->currentFrame()).arg(m_renderer->lastRenderMs(), 0, 'f', 1));
}

void PreviewWidget::paintStepPreview(QPainter& painter) {
    const QImage& picture = m_stepFrames[m_stepIndex];
    // The picture is the latent grid (a few dozen cells wide): scaled up smoothly it reads as a blurry
    // sketch of the take, which is what it is.
    const QRect target = fitted(picture.size(), rect().adjusted(0, 0, 0, -18));
    painter.drawImage(target, picture);
    painter.setPen(QColor(255, 255, 255, 200));
    const QRect text = rect().adjusted(6, 2, -6, -2);
    painter.drawText(text, Qt::AlignBottom | Qt::AlignLeft, m_stepCaption);
    painter.drawText(text, Qt::AlignBottom | Qt::AlignRight,
                     tr("frame %1 / %2").arg(m_stepIndex).arg(m_stepFrames.size() - 1));
}

void PreviewWidget::paintTake(QPainter& painter) {
    const QImage& take = m_takeFrames[m_takeIndex];
    const int frames = std::max(1, m_document->frameCount());
    const int animaticFrame = std::min(m_takeIndex, frames - 1);
    QRect takeBox = rect();
    if (m_compare == CompareMode::SideBySide) {
        const QRect left(0, 0, width() / 2 - 2, height());
        takeBox = QRect(width() / 2 + 2, 0, width() - width() / 2 - 2, height());
        const QImage anim = m_renderer->frame(animaticFrame, left.size());
        if (!anim.isNull())
            painter.drawImage(fitted(anim.size(), left), anim);
        painter.setPen(QColor(255, 255, 255, 170));
        painter.drawText(left.adjusted(6, 4, -6, -4), Qt::AlignBottom | Qt::AlignLeft, tr("Animatic"));
    }
    const QRect target = fitted(take.size(), takeBox);
    if (m_compare == CompareMode::Onion) {
        const QImage anim = m_renderer->frame(animaticFrame, target.size());
        if (!anim.isNull())
            painter.drawImage(target, anim);
        painter.setOpacity(0.5);
    }
    painter.drawImage(target, take);
    painter.setOpacity(1.0);
    painter.setPen(QColor(255, 255, 255, 190));
    painter.drawText(
        target.adjusted(6, 4, -6, -4), Qt::AlignTop | Qt::AlignRight,
        tr("%1  \u2022  %2 / %3").arg(m_takeTitle).arg(m_takeIndex).arg(m_takeFrames.size() - 1));
}

} // namespace mb::ui
