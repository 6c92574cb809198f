#include "ui/mask_job.h"

#include "media/auto_mask.h"
#include "media/image_io.h"

#include <QElapsedTimer>
#include <opencv2/imgproc.hpp>

namespace mb::ui {

namespace {
/** A photo-sized 8-bit stroke image as a cv::Mat (empty when the QImage is null). */
cv::Mat strokes(const QImage& img, const cv::Size& size) {
    if (img.isNull())
        return {};
    const QImage g = img.convertToFormat(QImage::Format_Grayscale8);
    cv::Mat m(g.height(), g.width(), CV_8U, const_cast<uchar*>(g.constBits()), size_t(g.bytesPerLine()));
    cv::Mat out;
    if (m.size() != size)
        cv::resize(m, out, size, 0, 0, cv::INTER_NEAREST);
    else
        out = m.clone();
    return out;
}
} // namespace

MaskJob::MaskJob(MaskRequest request, QObject* parent) : QObject(parent), m_request(std::move(request)) {}

void MaskJob::run() {
    QElapsedTimer timer;
    timer.start();
    JobControl control;
    control.cancel = &m_cancel;
    control.progress = [this](const JobProgress& p) { Q_EMIT progress(int(100.0 * p.fraction())); };
    try {
        const cv::Mat photo = media::loadColorImage(m_request.imagePath.toStdString());
        cv::Mat mask;
        if (!m_request.refine) {
            mask = media::autoMask(photo, control);
        } else {
            cv::Mat current;
            if (!m_request.maskPath.isEmpty())
                current = media::loadMask(m_request.maskPath.toStdString());
            if (!current.empty() && current.size() != photo.size())
                cv::resize(current, current, photo.size(), 0, 0, cv::INTER_NEAREST);
            media::MaskHints hints;
            hints.foreground = strokes(m_request.foreground, photo.size());
            hints.background = strokes(m_request.background, photo.size());
            if (!m_request.rect.isNull())
                hints.rect = cv::Rect(m_request.rect.x(), m_request.rect.y(), m_request.rect.width(),
                                      m_request.rect.height());
            mask = media::refineMask(photo, current, hints, control);
        }
        control.checkCancelled();
        media::writePng(m_request.outputPath.toStdString(), mask);
        Q_EMIT finished(m_request.outputPath, double(timer.nsecsElapsed()) / 1e9);
    } catch (const JobCancelled&) {
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

} // namespace mb::ui
