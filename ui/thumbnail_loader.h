#pragma once
/**
 * \file thumbnail_loader.h
 * \brief Decodes photo thumbnails (with the mask tinted on them) and big photos for the mask editor on worker
 *        threads, never the UI thread, so a folder of big photos does not stall the editor.
 *
 * request() returns at once; the decoded image arrives later through ready() on the loader's thread and stays
 * in a cache keyed by (photo, mask), so asking again is free. The panel shows placeholder() meanwhile.
 * Destroying the loader drops queued work and waits for the decodes in flight (at most one per worker).
 *
 * \code
 *   ThumbnailLoader loader(84);
 *   connect(&loader, &ThumbnailLoader::ready, this, [](const QString& photo, const QString& mask,
 *                                                     const QImage& thumb) { ... });
 *   if (const QImage* img = loader.cached(photo, mask)) use(*img); else loader.request(photo, mask);
 * \endcode
 */
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace mb::ui {

class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    /** `size` is the icon size in pixels; thumbnails are decoded at twice that for high-DPI screens. */
    explicit ThumbnailLoader(int size, QObject* parent = nullptr);
    ~ThumbnailLoader() override;

    /** The decoded thumbnail, or nullptr while it is not ready (or never requested). */
    const QImage* cached(const QString& photo, const QString& mask) const;
    /** Queues a decode unless it is cached or already queued. */
    void request(const QString& photo, const QString& mask);
    /** Decodes still queued or running. */
    int pendingCount() const { return int(m_pending.size()); }
    /** A neutral square shown until the thumbnail is ready. */
    QImage placeholder() const;

    /** Photos up to this many pixels decode in a few milliseconds: on the UI thread is fine for them. */
    static constexpr qint64 kSyncDecodePixels = 4000000;
    /** True when `photo` is bigger than kSyncDecodePixels (reads only the file's header). */
    static bool isBigPhoto(const QString& photo);
    /**
     * Decodes `photo` and `mask` at full size (for the mask editor) on a worker; photoReady() follows. The
     * last full-size photo is kept, so showing it again with another mask only decodes the mask.
     */
    void requestPhoto(const QString& photo, const QString& mask);

    /**
     * The work itself (any thread): the photo scaled while it is read (so a 50-megapixel JPEG is never
     * decoded at full size), with the area outside the mask darkened. A photo that cannot be read gives a
     * dark red square.
     */
    static QImage decode(const QString& photo, const QString& mask, int size);

Q_SIGNALS:
    /** A requested thumbnail is ready (emitted on the loader's thread). */
    void ready(const QString& photo, const QString& mask, const QImage& thumbnail);
    /** A requestPhoto() result; `image` is null (and `error` says why) when the photo cannot be read. */
    void photoReady(const QString& photo, const QString& mask, const QImage& image, const QImage& maskImage,
                    const QString& error);

private:
    static QString key(const QString& photo, const QString& mask) { return photo + QChar(0) + mask; }

    int m_size;
    QHash<QString, QImage> m_cache;
    QSet<QString> m_pending;
    QString m_lastPhotoPath; ///< the last full-size photo requestPhoto() decoded
    QImage m_lastPhoto;
    QThreadPool m_pool; ///< own pool: the destructor can wait for exactly our work
};

} // namespace mb::ui
