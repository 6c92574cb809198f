#include "ui/mask_editor.h"

#include <QMouseEvent>
#include <QPainter>

namespace mb::ui {

MaskEditor::MaskEditor(QWidget* parent) : QWidget(parent) {
    setMinimumSize(160, 140);
    setMouseTracking(true);
    setAccessibleName(tr("Mask editor"));
}

void MaskEditor::setImages(const QImage& photo, const QImage& mask) {
    m_photo = photo;
    if (mask.isNull() || mask.size() != photo.size()) {
        m_mask = QImage(photo.size(), QImage::Format_Grayscale8);
        m_mask.fill(0);
        if (!mask.isNull())
            m_mask = mask.convertToFormat(QImage::Format_Grayscale8).scaled(photo.size());
    } else {
        m_mask = mask.convertToFormat(QImage::Format_Grayscale8);
    }
    m_foreground = QImage(photo.size(), QImage::Format_Grayscale8);
    m_foreground.fill(0);
    m_background = m_foreground;
    m_hasStrokes = false;
    rebuildOverlay();
    update();
}

void MaskEditor::clear() {
    m_photo = QImage();
    m_mask = QImage();
    m_overlay = QImage();
    update();
}

double MaskEditor::maskCoverage() const {
    if (m_mask.isNull())
        return 0;
    qint64 on = 0;
    for (int y = 0; y < m_mask.height(); ++y) {
        const uchar* row = m_mask.constScanLine(y);
        for (int x = 0; x < m_mask.width(); ++x)
            on += row[x] > 127;
    }
    return double(on) / double(qint64(m_mask.width()) * m_mask.height());
}

void MaskEditor::rebuildOverlay() {
    if (m_mask.isNull()) {
        m_overlay = QImage();
        return;
    }
    m_overlay = QImage(m_mask.size(), QImage::Format_ARGB32_Premultiplied);
    // Background dimmed, subject tinted: the artist sees both what is in and what is out.
    const QRgb in = qPremultiply(qRgba(255, 140, 30, 90)), out = qPremultiply(qRgba(10, 12, 20, 150));
    for (int y = 0; y < m_mask.height(); ++y) {
        const uchar* src = m_mask.constScanLine(y);
        auto* dst = reinterpret_cast<QRgb*>(m_overlay.scanLine(y));
        for (int x = 0; x < m_mask.width(); ++x)
            dst[x] = src[x] > 127 ? in : out;
    }
}

QRectF MaskEditor::imageRect() const {
    if (m_photo.isNull())
        return {};
    QSizeF s = m_photo.size();
    s.scale(size(), Qt::KeepAspectRatio);
    return QRectF(QPointF((width() - s.width()) / 2, (height() - s.height()) / 2), s);
}

QPointF MaskEditor::toImage(const QPointF& p) const {
    const QRectF r = imageRect();
    if (r.isEmpty())
        return {};
    return {(p.x() - r.left()) * m_photo.width() / r.width(),
            (p.y() - r.top()) * m_photo.height() / r.height()};
}

void MaskEditor::paintStroke(const QPointF& from, const QPointF& to) {
    const bool add = m_tool == Tool::Brush;
    auto draw = [&](QImage& img, int value) {
        QPainter p(&img);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(QColor(value, value, value), m_brush, Qt::SolidLine, Qt::RoundCap));
        // A click without movement is a dot: QPainter draws nothing for a zero-length line.
        if (from == to) {
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(value, value, value));
            p.drawEllipse(from, m_brush / 2.0, m_brush / 2.0);
        } else {
            p.drawLine(from, to);
        }
    };
    draw(m_mask, add ? 255 : 0);
    draw(add ? m_foreground : m_background, 255);
    draw(add ? m_background : m_foreground, 0);
    m_hasStrokes = true;
    rebuildOverlay();
    update();
}

void MaskEditor::mousePressEvent(QMouseEvent* event) {
    if (m_photo.isNull() || event->button() != Qt::LeftButton)
        return;
    m_pressed = true;
    m_last = toImage(event->position());
    if (m_tool == Tool::Rectangle) {
        m_rectStart = m_rectEnd = m_last;
        return;
    }
    paintStroke(m_last, m_last);
}

void MaskEditor::mouseMoveEvent(QMouseEvent* event) {
    if (!m_pressed)
        return;
    const QPointF p = toImage(event->position());
    if (m_tool == Tool::Rectangle) {
        m_rectEnd = p;
        update();
        return;
    }
    paintStroke(m_last, p);
    m_last = p;
}

void MaskEditor::mouseReleaseEvent(QMouseEvent*) {
    if (!m_pressed)
        return;
    m_pressed = false;
    if (m_tool == Tool::Rectangle) {
        const QRect r = QRectF(m_rectStart, m_rectEnd).normalized().toRect() & m_photo.rect();
        m_rectStart = m_rectEnd = QPointF();
        update();
        if (r.width() > 4 && r.height() > 4)
            Q_EMIT rectangleDrawn(r);
        return;
    }
    Q_EMIT maskPainted();
}

void MaskEditor::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (m_photo.isNull()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Select a photo to see and edit its mask"));
        return;
    }
    const QRectF r = imageRect();
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(r, m_photo);
    if (!m_overlay.isNull())
        painter.drawImage(r, m_overlay);
    if (m_pressed && m_tool == Tool::Rectangle) {
        const double sx = r.width() / m_photo.width(), sy = r.height() / m_photo.height();
        const QRectF sel(QPointF(r.left() + m_rectStart.x() * sx, r.top() + m_rectStart.y() * sy),
                         QPointF(r.left() + m_rectEnd.x() * sx, r.top() + m_rectEnd.y() * sy));
        painter.setPen(QPen(Qt::white, 1.5, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(sel.normalized());
    }
}

} // namespace mb::ui
