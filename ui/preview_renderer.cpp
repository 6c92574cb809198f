#include "ui/preview_renderer.h"

#include "media/animatic.h"
#include "ui/core_messages.h"
#include "ui/project_document.h"

#include <QElapsedTimer>
#include <opencv2/core.hpp>

namespace mb::ui {

PreviewRenderer::PreviewRenderer(ProjectDocument* document, QObject* parent)
    : QObject(parent), m_document(document) {
    connect(document, &ProjectDocument::changed, this, &PreviewRenderer::onDocumentChanged);
}

PreviewRenderer::~PreviewRenderer() = default;

void PreviewRenderer::onDocumentChanged(unsigned scope) {
    // Photos, masks and the background are loaded once; boxes, camera and shot are read live per frame.
    if (scope & (ScopeSubjects | ScopeBackground))
        m_needsReload = true;
    m_cache.clear();
    Q_EMIT invalidated();
}

void PreviewRenderer::ensureRenderer() {
    if (!m_needsReload && m_renderer)
        return;
    m_needsReload = false;
    m_warnings.clear();
    try {
        m_renderer = std::make_unique<media::AnimaticRenderer>(m_document->project(), true);
        for (const auto& w : m_renderer->warnings())
            m_warnings << localizedCoreMessage(QString::fromStdString(w));
    } catch (const std::exception& e) {
        m_renderer.reset();
        m_warnings << localizedCoreMessage(QString::fromStdString(e.what()));
    }
}

QImage PreviewRenderer::frame(int f, QSize maxSize) {
    const auto& shot = m_document->project().shot;
    if (shot.width <= 0 || shot.height <= 0)
        return {};
    QSize size(shot.width, shot.height);
    if (maxSize.isValid() && (size.width() > maxSize.width() || size.height() > maxSize.height()))
        size.scale(maxSize, Qt::KeepAspectRatio);
    // Even sizes keep the renderer's chroma-friendly maths simple; tiny sizes are not worth drawing.
    size = QSize(std::max(2, size.width() & ~1), std::max(2, size.height() & ~1));
    const quint64 key = (quint64(quint32(f)) << 32) | (quint64(size.width()) << 16) | quint64(size.height());
    if (auto it = m_cache.constFind(key); it != m_cache.constEnd())
        return *it;
    ensureRenderer();
    if (!m_renderer)
        return {};
    QElapsedTimer timer;
    timer.start();
    QImage img;
    try {
        const cv::Mat bgr = m_renderer->renderFrame(m_document->project(), f, size.width(), size.height());
        img = QImage(bgr.data, bgr.cols, bgr.rows, int(bgr.step), QImage::Format_BGR888).copy();
    } catch (const std::exception& e) {
        m_warnings = {QString::fromStdString(e.what())};
        return {};
    }
    m_lastRenderMs = double(timer.nsecsElapsed()) / 1e6;
    if (m_cache.size() > 64)
        m_cache.clear();
    m_cache.insert(key, img);
    return img;
}

} // namespace mb::ui
