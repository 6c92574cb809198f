#pragma once
/**
 * \file export_job.h
 * \brief Renders the animatic of a project snapshot to MP4 (H.264 yuv420p), a PNG sequence or an animated
 * GIF, as a worker object on a QThread. Progress per frame; cancel() stops it between frames and nothing that
 *        looks complete is left behind.
 */
#include "doc/job.h"
#include "doc/project.h"

#include <QObject>
#include <QString>

namespace mb::ui {

struct ExportSettings {
    enum class Format { Mp4, PngSequence, Gif };
    Format format = Format::Mp4;
    QString outputPath; ///< MP4/GIF file, or the folder of a PNG sequence
    int crf = 18;       ///< MP4 quality (0 lossless .. 51)
    double fps = 8.0;
    int width = 0, height = 0; ///< 0 = the shot's size
};

class ExportJob : public QObject {
    Q_OBJECT
public:
    ExportJob(Project project, ExportSettings settings, QObject* parent = nullptr);

    void cancel() { m_cancel.request(); }

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void progress(int done, int total);
    void finished(const QString& outputPath);
    void failed(const QString& message);
    void cancelled();

private:
    Project m_project;
    ExportSettings m_settings;
    CancelToken m_cancel;
};

} // namespace mb::ui
