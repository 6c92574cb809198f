#include "ui/gif_writer.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace mb::ui {

namespace {
constexpr int kLevelsR = 6, kLevelsG = 7, kLevelsB = 6; // 252 colours: green gets the extra level (eye)

/** Packs LZW codes into GIF sub-blocks. */
class BitPacker {
public:
    void put(int code, int bits) {
        m_acc |= quint32(code) << m_count;
        m_count += bits;
        while (m_count >= 8) {
            m_bytes.append(char(m_acc & 0xff));
            m_acc >>= 8;
            m_count -= 8;
        }
    }
    QByteArray finish() {
        if (m_count > 0)
            m_bytes.append(char(m_acc & 0xff));
        QByteArray out;
        for (int i = 0; i < m_bytes.size(); i += 255) {
            const int n = std::min(255, int(m_bytes.size()) - i);
            out.append(char(n));
            out.append(m_bytes.mid(i, n));
        }
        out.append(char(0));
        return out;
    }

private:
    QByteArray m_bytes;
    quint32 m_acc = 0;
    int m_count = 0;
};

/** LZW-compresses 8-bit indices (minimum code size 8). */
QByteArray lzw(const std::vector<uchar>& indices) {
    constexpr int kMinCodeSize = 8, kClear = 1 << kMinCodeSize, kEnd = kClear + 1, kMaxCode = 4095;
    BitPacker out;
    // Dictionary: (prefix code << 8 | byte) -> code, as a flat table for speed.
    std::vector<int> table(size_t(4096) * 256, -1);
    int next = kEnd + 1, bits = kMinCodeSize + 1;
    out.put(kClear, bits);
    int prefix = indices.empty() ? -1 : indices[0];
    for (size_t i = 1; i < indices.size(); ++i) {
        const int c = indices[i];
        int& slot = table[size_t(prefix) * 256 + size_t(c)];
        if (slot >= 0) {
            prefix = slot;
            continue;
        }
        out.put(prefix, bits);
        if (next <= kMaxCode) {
            slot = next++;
            if (next > (1 << bits) && bits < 12)
                ++bits;
        } else {
            // Dictionary full: start over.
            out.put(kClear, bits);
            std::fill(table.begin(), table.end(), -1);
            next = kEnd + 1;
            bits = kMinCodeSize + 1;
        }
        prefix = c;
    }
    if (prefix >= 0)
        out.put(prefix, bits);
    out.put(kEnd, bits);
    QByteArray data;
    data.append(char(kMinCodeSize));
    data.append(out.finish());
    return data;
}

void put16(QByteArray& b, int v) {
    b.append(char(v & 0xff));
    b.append(char((v >> 8) & 0xff));
}
} // namespace

int GifWriter::paletteIndex(int r, int g, int b, int x, int y) {
    static const int bayer[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};
    const double d = (bayer[y & 3][x & 3] + 0.5) / 16.0 - 0.5; // -0.5..0.5 of one level step
    auto level = [d](int v, int levels) {
        const double s = v / 255.0 * (levels - 1) + d;
        return std::clamp(int(std::lround(s)), 0, levels - 1);
    };
    return (level(r, kLevelsR) * kLevelsG + level(g, kLevelsG)) * kLevelsB + level(b, kLevelsB);
}

GifWriter::GifWriter(const QString& path, int width, int height, double fps)
    : m_path(path), m_file(path + QStringLiteral(".part")), m_width(width), m_height(height),
      m_delayCs(std::max(2, int(std::lround(100.0 / std::max(0.1, fps))))) {
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
        throw std::runtime_error(path.toStdString() + ": GIF size out of range");
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw std::runtime_error(path.toStdString() + ": " + m_file.errorString().toStdString());
    QByteArray h("GIF89a");
    put16(h, width);
    put16(h, height);
    h.append(char(0xf7)); // global colour table, 8 bits colour resolution, 256 entries
    h.append(char(0));    // background colour
    h.append(char(0));    // aspect
    for (int i = 0; i < 256; ++i) {
        const int r = i / (kLevelsG * kLevelsB), g = (i / kLevelsB) % kLevelsG, b = i % kLevelsB;
        const bool used = i < kLevelsR * kLevelsG * kLevelsB;
        h.append(char(used ? r * 255 / (kLevelsR - 1) : 0));
        h.append(char(used ? g * 255 / (kLevelsG - 1) : 0));
        h.append(char(used ? b * 255 / (kLevelsB - 1) : 0));
    }
    // NETSCAPE2.0: loop forever.
    h.append("\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00", 19);
    writeBytes(h);
}

GifWriter::~GifWriter() {
    if (!m_finished) {
        m_file.close();
        m_file.remove();
    }
}

void GifWriter::writeBytes(const QByteArray& bytes) {
    if (m_file.write(bytes) != bytes.size())
        throw std::runtime_error(m_path.toStdString() + ": " + m_file.errorString().toStdString());
}

void GifWriter::addFrame(const QImage& image) {
    QImage img = image.convertToFormat(QImage::Format_RGB32);
    if (img.size() != QSize(m_width, m_height))
        img = img.scaled(m_width, m_height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    std::vector<uchar> indices(size_t(m_width) * size_t(m_height));
    for (int y = 0; y < m_height; ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        for (int x = 0; x < m_width; ++x)
            indices[size_t(y) * size_t(m_width) + size_t(x)] =
                uchar(paletteIndex(qRed(row[x]), qGreen(row[x]), qBlue(row[x]), x, y));
    }
    QByteArray b;
    b.append("\x21\xf9\x04\x00", 4); // graphic control: no disposal, no transparency
    put16(b, m_delayCs);
    b.append(char(0));
    b.append(char(0));
    b.append(char(0x2c)); // image descriptor
    put16(b, 0);
    put16(b, 0);
    put16(b, m_width);
    put16(b, m_height);
    b.append(char(0)); // no local colour table
    b.append(lzw(indices));
    writeBytes(b);
}

void GifWriter::finish() {
    writeBytes(QByteArray(1, char(0x3b)));
    if (!m_file.flush())
        throw std::runtime_error(m_path.toStdString() + ": " + m_file.errorString().toStdString());
    m_file.close();
    QFile::remove(m_path);
    if (!QFile::rename(m_file.fileName(), m_path))
        throw std::runtime_error(m_path.toStdString() + ": cannot move the finished GIF into place");
    m_finished = true;
}

} // namespace mb::ui
