#include "ui/export_job.h"

#include "media/animatic.h"
#include "media/gif_export.h"
#include "media/image_io.h"
#include "media/video_io.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace mb::ui {

ExportJob::ExportJob(Project project, ExportSettings settings, QObject* parent)
    : QObject(parent), m_project(std::move(project)), m_settings(std::move(settings)) {}

void ExportJob::run() {
    JobControl control;
    control.cancel = &m_cancel;
    const int L = m_project.shot.frames;
    const int w = m_settings.width > 0 ? m_settings.width : m_project.shot.width;
    const int h = m_settings.height > 0 ? m_settings.height : m_project.shot.height;
    QStringList written; // PNG frames written so far: removed again when cancelled
    // A GIF needs a second pass over the frames (palette, dithering, encoding): it counts as much as
    // rendering.
    const int total = m_settings.format == ExportSettings::Format::Gif ? 2 * L : L;
    try {
        if (m_settings.outputPath.isEmpty())
            throw std::runtime_error(tr("No output path chosen").toStdString());
        const media::AnimaticRenderer renderer(m_project, true);
        std::unique_ptr<media::VideoEncoder> encoder;
        std::unique_ptr<media::GifEncoder> gif;
        if (m_settings.format == ExportSettings::Format::Mp4) {
            media::VideoEncodeOptions o;
            o.fps = m_settings.fps;
            o.crf = m_settings.crf;
            encoder = std::make_unique<media::VideoEncoder>(m_settings.outputPath.toStdString(), w, h, o);
        } else if (m_settings.format == ExportSettings::Format::Gif) {
            media::GifEncodeOptions o;
            o.fps = m_settings.fps;
            gif = std::make_unique<media::GifEncoder>(m_settings.outputPath.toStdString(), w, h, o);
        } else if (!QDir().mkpath(m_settings.outputPath)) {
            throw std::runtime_error(
                tr("Cannot create the folder %1").arg(m_settings.outputPath).toStdString());
        }
        for (int f = 0; f < L; ++f) {
            control.checkCancelled();
            const cv::Mat frame = renderer.renderFrame(m_project, f, w, h);
            switch (m_settings.format) {
            case ExportSettings::Format::Mp4:
                encoder->write(frame);
                break;
            case ExportSettings::Format::Gif:
                gif->write(frame);
                break;
            case ExportSettings::Format::PngSequence: {
                const QString path =
                    QDir(m_settings.outputPath)
                        .filePath(QStringLiteral("frame_%1.png").arg(f, 4, 10, QLatin1Char('0')));
                media::writePng(path.toStdString(), frame);
                written << path;
                break;
            }
            }
            Q_EMIT progress(f + 1, total);
        }
        control.checkCancelled();
        if (encoder)
            encoder->finish();
        if (gif) {
            control.progress = [this, L, total](const JobProgress& p) {
                Q_EMIT progress(L + int(p.done), total);
            };
            gif->finish(control);
        }
        Q_EMIT finished(m_settings.outputPath);
    } catch (const JobCancelled&) {
        for (const QString& p : written)
            QFile::remove(p);
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        for (const QString& p : written)
            QFile::remove(p);
        Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

} // namespace mb::ui
