#include "ui/preview_widget.h"

#include "ui/preview_renderer.h"
#include "ui/project_document.h"

#include <QPainter>

namespace mb::ui {

PreviewWidget::PreviewWidget(ProjectDocument* document, PreviewRenderer* renderer, QWidget* parent)
    : QWidget(parent), m_document(document), m_renderer(renderer) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Animatic preview"));
    setMinimumSize(160, 90);
    connect(renderer, &PreviewRenderer::invalidated, this, [this] { update(); });
    connect(document, &ProjectDocument::currentFrameChanged, this, [this] { update(); });
    m_clock.start();
}

void PreviewWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), QColor(0x14, 0x16, 0x1a));
    const QImage img = m_renderer->frame(m_document->currentFrame(), size());
    if (img.isNull()) {
        painter.setPen(QColor(200, 200, 200));
        const QStringList w = m_renderer->warnings();
        painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                         w.isEmpty() ? tr("No preview") : w.join(QLatin1Char('\n')));
        return;
    }
    QSize s = img.size();
    s.scale(size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - s.width()) / 2, (height() - s.height()) / 2), s);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, img);

    ++m_paintsThisSecond;
    if (m_clock.elapsed() >= 1000) {
        m_rate = m_paintsThisSecond * 1000.0 / double(m_clock.restart());
        m_paintsThisSecond = 0;
    }
    painter.setPen(QColor(255, 255, 255, 170));
    painter.drawText(target.adjusted(6, 4, -6, -4), Qt::AlignTop | Qt::AlignRight,
                     tr("%1  \u2022  %2 ms").arg(m_document->currentFrame()).arg(m_renderer->lastRenderMs(), 0, 'f', 1));
}

} // namespace mb::ui
