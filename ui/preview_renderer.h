#pragma once
/**
 * \file preview_renderer.h
 * \brief The live animatic for the stage and the preview dock: renders any frame of the document's current
 *        project as a QImage, reloading photos and background only when subjects or the background change.
 *
 * Frames are rendered on the calling (UI) thread: AnimaticRenderer::renderFrame is a few milliseconds at
 * preview sizes, and an edit must show on the very next paint. A small cache keeps the frames of the current
 * project version. Missing photos never stop the editor: they render as placeholders and warnings() says why.
 */
#include <QHash>
#include <QImage>
#include <QObject>
#include <QStringList>
#include <memory>

namespace mb::media {
class AnimaticRenderer;
}

namespace mb::ui {

class ProjectDocument;

class PreviewRenderer : public QObject {
    Q_OBJECT
public:
    explicit PreviewRenderer(ProjectDocument* document, QObject* parent = nullptr);
    ~PreviewRenderer() override;

    /** Frame f of the current project at the shot's size scaled to fit `maxSize` (aspect kept). */
    QImage frame(int f, QSize maxSize = {});
    /** Why the last (re)load fell back to placeholders or failed; empty when all is well. */
    QStringList warnings() const { return m_warnings; }
    /** Milliseconds the last uncached frame took to render. */
    double lastRenderMs() const { return m_lastRenderMs; }

Q_SIGNALS:
    /** The picture may differ now (the project changed): views repaint. */
    void invalidated();

private:
    void onDocumentChanged(unsigned scope);
    void ensureRenderer();

    ProjectDocument* m_document;
    std::unique_ptr<media::AnimaticRenderer> m_renderer;
    bool m_needsReload = true;
    QHash<quint64, QImage> m_cache; ///< key: frame | size
    QStringList m_warnings;
    double m_lastRenderMs = 0;
};

} // namespace mb::ui
