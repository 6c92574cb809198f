#include "ui/thumbnail_loader.h"

#include <QColor>
#include <QImageReader>
#include <QMetaObject>
#include <QPainter>
#include <QThread>

#include <algorithm>

namespace mb::ui {

namespace {
constexpr int kMaxCached = 512; ///< thumbnails are small (~110 KB at 168 px); this bounds a long session
} // namespace

ThumbnailLoader::ThumbnailLoader(int size, QObject* parent) : QObject(parent), m_size(size) {
    // Decoding is I/O and memory bound: two workers keep the disk busy without starving renders.
    m_pool.setMaxThreadCount(std::max(1, std::min(2, QThread::idealThreadCount())));
}

ThumbnailLoader::~ThumbnailLoader() {
    m_pool.clear();
    m_pool.waitForDone(); // the tasks post back to `this`: none may outlive it
}

const QImage* ThumbnailLoader::cached(const QString& photo, const QString& mask) const {
    const auto it = m_cache.constFind(key(photo, mask));
    return it == m_cache.constEnd() ? nullptr : &it.value();
}

void ThumbnailLoader::request(const QString& photo, const QString& mask) {
    const QString k = key(photo, mask);
    if (m_cache.contains(k) || m_pending.contains(k))
        return;
    m_pending.insert(k);
    const int size = m_size;
    m_pool.start([this, photo, mask, size, k] {
        const QImage img = decode(photo, mask, size);
        QMetaObject::invokeMethod(
            this,
            [this, photo, mask, img, k] {
                m_pending.remove(k);
                if (m_cache.size() >= kMaxCached)
                    m_cache.clear();
                m_cache.insert(k, img);
                Q_EMIT ready(photo, mask, img);
            },
            Qt::QueuedConnection);
    });
}

bool ThumbnailLoader::isBigPhoto(const QString& photo) {
    QImageReader reader(photo);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    return size.isValid() && qint64(size.width()) * size.height() > kSyncDecodePixels;
}

void ThumbnailLoader::requestPhoto(const QString& photo, const QString& mask) {
    const QImage cachedPhoto = photo == m_lastPhotoPath ? m_lastPhoto : QImage(); // shared, not copied
    m_pool.start([this, photo, mask, cachedPhoto] {
        QImage image = cachedPhoto;
        QString error;
        if (image.isNull()) {
            QImageReader reader(photo);
            reader.setAutoTransform(true);
            image = reader.read();
            if (image.isNull())
                error = reader.errorString();
        }
        const QImage maskImage = mask.isEmpty() || image.isNull() ? QImage() : QImage(mask);
        QMetaObject::invokeMethod(
            this,
            [this, photo, mask, image, maskImage, error] {
                if (!image.isNull()) {
                    m_lastPhotoPath = photo;
                    m_lastPhoto = image;
                }
                Q_EMIT photoReady(photo, mask, image, maskImage, error);
            },
            Qt::QueuedConnection);
    });
}

QImage ThumbnailLoader::placeholder() const {
    QImage img(m_size * 2, m_size * 2, QImage::Format_ARGB32_Premultiplied);
    img.fill(QColor(58, 60, 66));
    QPainter p(&img);
    p.setPen(QPen(QColor(110, 114, 124), 3));
    const int r = m_size / 3;
    p.drawEllipse(img.rect().center(), r, r); // "loading"
    return img;
}

QImage ThumbnailLoader::decode(const QString& photo, const QString& mask, int size) {
    QImageReader reader(photo);
    reader.setAutoTransform(true);
    const QSize full = reader.size();
    if (full.isValid())
        reader.setScaledSize(full.scaled(size * 2, size * 2, Qt::KeepAspectRatio));
    QImage img = reader.read();
    if (img.isNull()) {
        QImage missing(size, size, QImage::Format_ARGB32_Premultiplied);
        missing.fill(QColor(90, 30, 30));
        return missing;
    }
    img = img.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    if (!mask.isEmpty()) {
        QImageReader maskReader(mask);
        maskReader.setScaledSize(img.size());
        QImage m = maskReader.read();
        if (!m.isNull()) {
            m = m.convertToFormat(QImage::Format_Grayscale8).scaled(img.size());
            for (int y = 0; y < img.height(); ++y) {
                auto* px = reinterpret_cast<QRgb*>(img.scanLine(y));
                const uchar* mv = m.constScanLine(y);
                for (int x = 0; x < img.width(); ++x)
                    if (mv[x] < 128)
                        px[x] = qRgb(qRed(px[x]) / 3, qGreen(px[x]) / 3, qBlue(px[x]) / 3 + 20);
            }
        }
    }
    return img;
}

} // namespace mb::ui
