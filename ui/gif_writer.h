#pragma once
/**
 * \file gif_writer.h
 * \brief A small animated-GIF encoder (GIF89a, looping, fixed 6×7×6 colour cube with ordered dithering, LZW).
 *
 * Frames go to a temporary file next to the target that finish() renames into place, so a cancelled export
 * leaves nothing behind. Errors throw std::runtime_error naming the file.
 */
#include <QFile>
#include <QImage>
#include <QString>

namespace mb::ui {

class GifWriter {
public:
    GifWriter(const QString& path, int width, int height, double fps);
    ~GifWriter(); ///< removes the temporary file when finish() was not reached
    GifWriter(const GifWriter&) = delete;
    GifWriter& operator=(const GifWriter&) = delete;

    /** Appends a frame (scaled to the writer's size if needed). */
    void addFrame(const QImage& image);
    void finish();

    /** Palette index of a colour, with the ordered-dither offset of pixel (x, y). Exposed for tests. */
    static int paletteIndex(int r, int g, int b, int x, int y);

private:
    void writeBytes(const QByteArray& bytes);

    QString m_path;
    QFile m_file;
    int m_width, m_height;
    int m_delayCs; ///< frame delay in hundredths of a second
    bool m_finished = false;
};

} // namespace mb::ui
