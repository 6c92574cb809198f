#include "ui/stage_view.h"

#include "doc/shot_layout.h"
#include "doc/subject_identifiers.h"
#include "doc/timeline.h"
#include "ui/camera_pan.h"
#include "ui/preview_renderer.h"
#include "ui/project_document.h"
#include "ui/subject_colors.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace mb::ui {

namespace {
constexpr double kHandleSize = 8.0;       // px, the square grab handles of the selected box
constexpr double kSnapDistance = 7.0;     // px, how close an edge must come to a guide to snap
constexpr double kMinBoxSize = 0.02;      // fraction of the frame: a box never collapses below this
constexpr double kArrowGrabRadius = 11.0; // px around the arrow tip
constexpr double kArrowZeroSnap = 6.0;    // px: a tip this close to the centre means "static camera"
constexpr int kOnionFrames = 2;           // ghosts on each side of the current frame

enum Edge : unsigned { Left = 1, Top = 2, Right = 4, Bottom = 8 };

QRectF rectOf(const QPointF& a, const QPointF& b) {
    return QRectF(a, b).normalized();
}
} // namespace

StageView::StageView(ProjectDocument* document, PreviewRenderer* preview, QWidget* parent)
    : QWidget(parent), m_document(document), m_preview(preview) {
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Stage"));
    setAccessibleDescription(
        tr("The output frame with subject boxes, motion paths and the camera pan arrow"));
    connect(document, &ProjectDocument::changed, this, [this] { update(); });
    connect(document, &ProjectDocument::currentFrameChanged, this, [this] { update(); });
    connect(document, &ProjectDocument::selectedSubjectChanged, this, [this] { update(); });
    if (preview)
        connect(preview, &PreviewRenderer::invalidated, this, [this] { update(); });
}

void StageView::setTool(Tool tool) {
    if (tool == m_tool)
        return;
    m_tool = tool;
    setCursor(tool == Tool::DrawBox ? Qt::CrossCursor : Qt::ArrowCursor);
    Q_EMIT toolChanged(tool);
}

void StageView::setOnionSkin(bool on) {
    m_onionSkin = on;
    update();
}
void StageView::setMotionPaths(bool on) {
    m_motionPaths = on;
    update();
}
void StageView::setSnapping(bool on) {
    m_snapping = on;
}
void StageView::setCameraArrow(bool on) {
    m_cameraArrow = on;
    update();
}
void StageView::setAnimaticBackground(bool on) {
    m_animaticBackground = on;
    update();
}

QRectF StageView::frameRect() const {
    const auto& shot = m_document->project().shot;
    const double aspect = shot.height > 0 ? double(shot.width) / double(shot.height) : 16.0 / 9.0;
    // Room around the frame so boxes entering from outside and the arrow stay visible.
    const QRectF area = QRectF(rect()).adjusted(36, 30, -36, -30);
    double w = area.width(), h = w / aspect;
    if (h > area.height()) {
        h = area.height();
        w = h * aspect;
    }
    return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, std::max(w, 1.0), std::max(h, 1.0));
}

QPointF StageView::toWidget(double nx, double ny) const {
    const QRectF fr = frameRect();
    return {fr.left() + nx * fr.width(), fr.top() + ny * fr.height()};
}

QPointF StageView::toNormalized(const QPointF& p) const {
    const QRectF fr = frameRect();
    return {(p.x() - fr.left()) / fr.width(), (p.y() - fr.top()) / fr.height()};
}

NormBox StageView::screenBoxOf(const QString& subjectId, int frame) const {
    const Project& p = m_document->project();
    const BoxTrack* t = p.findTrack(subjectId.toStdString());
    if (!t || t->keys.empty())
        return {};
    return screenBoxAtFrame(*t, p.camera, frame, p.shot.frames);
}

std::optional<QRectF> StageView::boxRect(const QString& subjectId) const {
    const BoxTrack* t = m_document->project().findTrack(subjectId.toStdString());
    if (!t || t->keys.empty())
        return std::nullopt;
    const NormBox b = screenBoxOf(subjectId, m_document->currentFrame());
    return rectOf(toWidget(b.x0, b.y0), toWidget(b.x1, b.y1));
}

QPointF StageView::cameraArrowBase() const {
    return frameRect().center();
}

QPointF StageView::cameraArrowTip() const {
    const QRectF fr = frameRect();
    const CameraOffset pan = m_document->project().camera.totalPan();
    return fr.center() + QPointF(pan.x * fr.width(), pan.y * fr.height());
}

void StageView::setScreenBox(const QString& subjectId, const NormBox& screen, unsigned dragId,
                             const QString& label) {
    const Project& p = m_document->project();
    const BoxTrack* t = p.findTrack(subjectId.toStdString());
    if (!t)
        return;
    BoxTrack edited = *t;
    NormBox stored = screen;
    if (edited.pinnedToScene) {
        // A scene-pinned box is stored where it is in the scene: put the camera travel back.
        const CameraOffset travel = cameraTravelAtFrame(p.camera, m_document->currentFrame(), p.shot.frames);
        stored = screen.translated(travel.x, travel.y);
    }
    edited.setKeyAtFrame(m_document->currentFrame(), p.shot.frames, stored);
    m_document->push(setTrack(p, subjectId.toStdString(), edited, label.toStdString(), dragId));
}

void StageView::commitDrawnBox(const NormBox& box) {
    const Project& p = m_document->project();
    const int frame = m_document->currentFrame();
    QString id = m_document->selectedSubject();
    if (id.isEmpty() || !p.findSubject(id.toStdString())) {
        // No subject chosen: the first one without a box, else a new subject.
        id.clear();
        for (const auto& s : p.subjects)
            if (!p.findTrack(s.id)) {
                id = QString::fromStdString(s.id);
                break;
            }
    }
    if (!id.isEmpty() && p.findTrack(id.toStdString())) {
        setScreenBox(id, box, 0, tr("Draw box"));
        return;
    }
    BoxTrack track;
    track.keys.push_back({frameToTime(frame, p.shot.frames), box, Easing::easeInOut()});
    if (!id.isEmpty()) {
        track.subjectId = id.toStdString();
        m_document->push(addTrack(track, tr("Draw box").toStdString()));
    } else {
        Subject s;
        int n = int(p.subjects.size()) + 1;
        do {
            s.id = "subject" + std::to_string(n++);
        } while (p.findSubject(s.id));
        s.className = "object";
        // Its own identifier, as a subject added in the Subjects dock gets (two learned under one word
        // would be learned as one).
        if (const std::string free = freeSubjectIdentifier(p); !free.empty())
            s.identifier = free;
        track.subjectId = s.id;
        m_document->push(addSubject(s, track, tr("Draw box").toStdString()));
        id = QString::fromStdString(s.id);
    }
    m_document->setSelectedSubject(id);
}

QString StageView::hitBox(const QPointF& pos) const {
    const Project& p = m_document->project();
    // The selected box wins; then the last-drawn (topmost) one.
    const QString sel = m_document->selectedSubject();
    if (auto r = boxRect(sel); r && r->adjusted(-3, -3, 3, 3).contains(pos))
        return sel;
    for (auto it = p.boxTracks.rbegin(); it != p.boxTracks.rend(); ++it) {
        const QString id = QString::fromStdString(it->subjectId);
        if (auto r = boxRect(id); r && r->contains(pos))
            return id;
    }
    return {};
}

QVector<QRectF> StageView::handleRects(const QRectF& r) const {
    const double s = kHandleSize;
    const QPointF pts[8] = {r.topLeft(),     QPointF(r.center().x(), r.top()),
                            r.topRight(),    QPointF(r.right(), r.center().y()),
                            r.bottomRight(), QPointF(r.center().x(), r.bottom()),
                            r.bottomLeft(),  QPointF(r.left(), r.center().y())};
    QVector<QRectF> out;
    for (const auto& pt : pts)
        out << QRectF(pt.x() - s / 2, pt.y() - s / 2, s, s);
    return out;
}

StageView::EdgeMask StageView::hitHandle(const QPointF& pos) const {
    const auto r = boxRect(m_document->selectedSubject());
    if (!r)
        return 0;
    static const EdgeMask masks[8] = {Left | Top,     Top,    Right | Top,   Right,
                                      Right | Bottom, Bottom, Left | Bottom, Left};
    const auto handles = handleRects(*r);
    for (int i = 0; i < handles.size(); ++i)
        if (handles[i].adjusted(-3, -3, 3, 3).contains(pos))
            return masks[i];
    return 0;
}

QVector<double> StageView::guidesX(const QString& except) const {
    QVector<double> g = {0.0, 1.0 / 3.0, 0.5, 2.0 / 3.0, 1.0};
    for (const auto& t : m_document->project().boxTracks) {
        const QString id = QString::fromStdString(t.subjectId);
        if (id == except || t.keys.empty())
            continue;
        const NormBox b = screenBoxOf(id, m_document->currentFrame());
        g << b.x0 << b.x1 << b.centerX();
    }
    return g;
}

QVector<double> StageView::guidesY(const QString& except) const {
    QVector<double> g = {0.0, 1.0 / 3.0, 0.5, 2.0 / 3.0, 1.0};
    for (const auto& t : m_document->project().boxTracks) {
        const QString id = QString::fromStdString(t.subjectId);
        if (id == except || t.keys.empty())
            continue;
        const NormBox b = screenBoxOf(id, m_document->currentFrame());
        g << b.y0 << b.y1 << b.centerY();
    }
    return g;
}

double StageView::snapValue(double v, const QVector<double>& guides, double pixelScale,
                            double* guideHit) const {
    double best = kSnapDistance / pixelScale, delta = 0;
    bool hit = false;
    for (double g : guides)
        if (std::abs(g - v) < best) {
            best = std::abs(g - v);
            delta = g - v;
            hit = true;
            if (guideHit)
                *guideHit = g;
        }
    return hit ? delta : 0.0;
}

NormBox StageView::snapMove(const NormBox& box, const QString& movingId) {
    m_activeGuidesX.clear();
    m_activeGuidesY.clear();
    if (!m_dragSnapping)
        return box;
    const QRectF fr = frameRect();
    const auto gx = guidesX(movingId), gy = guidesY(movingId);
    // The candidate edge (left, centre, right) that lands closest to a guide decides the shift.
    auto bestShift = [&](std::initializer_list<double> values, const QVector<double>& guides, double scale,
                         QVector<double>& shown) {
        double bestDist = kSnapDistance / scale, bestDelta = 0, bestGuide = 0;
        bool found = false;
        for (double v : values)
            for (double g : guides)
                if (std::abs(g - v) < bestDist) {
                    bestDist = std::abs(g - v);
                    bestDelta = g - v;
                    bestGuide = g;
                    found = true;
                }
        if (found)
            shown << bestGuide;
        return bestDelta;
    };
    const double dx = bestShift({box.x0, box.centerX(), box.x1}, gx, fr.width(), m_activeGuidesX);
    const double dy = bestShift({box.y0, box.centerY(), box.y1}, gy, fr.height(), m_activeGuidesY);
    return box.translated(dx, dy);
}

NormBox StageView::snapEdges(NormBox box, EdgeMask edges, const QString& movingId) {
    m_activeGuidesX.clear();
    m_activeGuidesY.clear();
    if (!m_dragSnapping)
        return box;
    const QRectF fr = frameRect();
    const auto gx = guidesX(movingId), gy = guidesY(movingId);
    auto snapOne = [&](double& v, const QVector<double>& guides, double scale, QVector<double>& shown) {
        double g = 0;
        const double d = snapValue(v, guides, scale, &g);
        if (d != 0.0) {
            v += d;
            shown << g;
        }
    };
    if (edges & Left)
        snapOne(box.x0, gx, fr.width(), m_activeGuidesX);
    if (edges & Right)
        snapOne(box.x1, gx, fr.width(), m_activeGuidesX);
    if (edges & Top)
        snapOne(box.y0, gy, fr.height(), m_activeGuidesY);
    if (edges & Bottom)
        snapOne(box.y1, gy, fr.height(), m_activeGuidesY);
    return box;
}

void StageView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPointF pos = event->position();
    m_pressPos = pos;
    m_dragSnapping = m_snapping && !(event->modifiers() & Qt::AltModifier);
    m_dragId = m_document->newDragId();

    if (m_cameraArrow && QLineF(pos, cameraArrowTip()).length() <= kArrowGrabRadius) {
        m_drag = Drag::Camera;
        return;
    }
    if (m_tool == Tool::Select) {
        if (const EdgeMask edges = hitHandle(pos)) {
            m_drag = Drag::Resize;
            m_resizeEdges = edges;
            m_pressBox = screenBoxOf(m_document->selectedSubject(), m_document->currentFrame());
            return;
        }
        const QString id = hitBox(pos);
        if (!id.isEmpty()) {
            m_document->setSelectedSubject(id);
            m_drag = Drag::Move;
            m_pressBox = screenBoxOf(id, m_document->currentFrame());
            return;
        }
    }
    if (frameRect().adjusted(-30, -30, 30, 30).contains(pos) &&
        (m_tool == Tool::DrawBox || (event->modifiers() & Qt::ControlModifier))) {
        m_drag = Drag::Draw;
        const QPointF n = toNormalized(pos);
        m_drawBox = {n.x(), n.y(), n.x(), n.y()};
        update();
        return;
    }
    m_drag = Drag::None;
}

void StageView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    const QPointF n = toNormalized(pos);
    const bool inside = n.x() >= 0 && n.x() <= 1 && n.y() >= 0 && n.y() <= 1;
    Q_EMIT hoverPositionChanged(inside ? n : QPointF(-1, -1));
    if (m_drag == Drag::None || !(event->buttons() & Qt::LeftButton)) {
        updateCursor(pos);
        return;
    }
    const QRectF fr = frameRect();
    const double dx = (pos.x() - m_pressPos.x()) / fr.width();
    const double dy = (pos.y() - m_pressPos.y()) / fr.height();
    const QString id = m_document->selectedSubject();

    switch (m_drag) {
    case Drag::Move: {
        NormBox b = snapMove(m_pressBox.translated(dx, dy), id);
        if (event->modifiers() & Qt::ShiftModifier) {
            // Shift keeps the move on one axis (the larger one).
            if (std::abs(dx) > std::abs(dy))
                b = NormBox{b.x0, m_pressBox.y0, b.x1, m_pressBox.y1};
            else
                b = NormBox{m_pressBox.x0, b.y0, m_pressBox.x1, b.y1};
        }
        setScreenBox(id, b, m_dragId, tr("Move box"));
        break;
    }
    case Drag::Resize: {
        NormBox b = m_pressBox;
        if (m_resizeEdges & Left)
            b.x0 += dx;
        if (m_resizeEdges & Right)
            b.x1 += dx;
        if (m_resizeEdges & Top)
            b.y0 += dy;
        if (m_resizeEdges & Bottom)
            b.y1 += dy;
        b = snapEdges(b, m_resizeEdges, id);
        // Never let the box turn inside out: the moved edge stops short of the fixed one.
        if (m_resizeEdges & Left)
            b.x0 = std::min(b.x0, b.x1 - kMinBoxSize);
        if (m_resizeEdges & Right)
            b.x1 = std::max(b.x1, b.x0 + kMinBoxSize);
        if (m_resizeEdges & Top)
            b.y0 = std::min(b.y0, b.y1 - kMinBoxSize);
        if (m_resizeEdges & Bottom)
            b.y1 = std::max(b.y1, b.y0 + kMinBoxSize);
        setScreenBox(id, b, m_dragId, tr("Resize box"));
        break;
    }
    case Drag::Draw: {
        const QPointF a = toNormalized(m_pressPos);
        m_drawBox = {std::min(a.x(), n.x()), std::min(a.y(), n.y()), std::max(a.x(), n.x()),
                     std::max(a.y(), n.y())};
        m_drawBox = snapEdges(m_drawBox, Left | Top | Right | Bottom, QString());
        update();
        break;
    }
    case Drag::Camera: {
        QPointF v = pos - cameraArrowBase();
        if (QLineF(QPointF(), v).length() < kArrowZeroSnap)
            v = QPointF();
        double cx = v.x() / fr.width(), cy = v.y() / fr.height();
        if (event->modifiers() & Qt::ShiftModifier) {
            if (std::abs(cx) > std::abs(cy))
                cy = 0;
            else
                cx = 0;
        }
        // Round to 0.1 % of the frame: the numeric fields show that precision.
        cx = std::round(std::clamp(cx, -2.0, 2.0) * 1000.0) / 1000.0;
        cy = std::round(std::clamp(cy, -2.0, 2.0) * 1000.0) / 1000.0;
        const Project& p = m_document->project();
        m_document->push(
            setCamera(p, withTotalPan(p.camera, cx, cy), tr("Set camera pan").toStdString(), m_dragId));
        break;
    }
    case Drag::None:
        break;
    }
}

void StageView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton)
        return;
    if (m_drag == Drag::Draw) {
        if (m_drawBox.width() >= kMinBoxSize && m_drawBox.height() >= kMinBoxSize)
            commitDrawnBox(m_drawBox);
    } else if (m_drag == Drag::None && m_tool == Tool::Select && hitBox(event->position()).isEmpty() &&
               QLineF(event->position(), m_pressPos).length() < 3) {
        m_document->setSelectedSubject(QString());
    }
    m_drag = Drag::None;
    m_dragId = 0;
    m_activeGuidesX.clear();
    m_activeGuidesY.clear();
    update();
}

void StageView::leaveEvent(QEvent* event) {
    Q_EMIT hoverPositionChanged(QPointF(-1, -1));
    QWidget::leaveEvent(event);
}

void StageView::updateCursor(const QPointF& pos) {
    if (m_cameraArrow && QLineF(pos, cameraArrowTip()).length() <= kArrowGrabRadius) {
        setCursor(Qt::OpenHandCursor);
        return;
    }
    if (m_tool == Tool::Select) {
        switch (hitHandle(pos)) {
        case Left | Top:
        case Right | Bottom:
            setCursor(Qt::SizeFDiagCursor);
            return;
        case Right | Top:
        case Left | Bottom:
            setCursor(Qt::SizeBDiagCursor);
            return;
        case Left:
        case Right:
            setCursor(Qt::SizeHorCursor);
            return;
        case Top:
        case Bottom:
            setCursor(Qt::SizeVerCursor);
            return;
        default:
            break;
        }
        setCursor(hitBox(pos).isEmpty() ? Qt::ArrowCursor : Qt::SizeAllCursor);
        return;
    }
    setCursor(Qt::CrossCursor);
}

// ---------------------------------------------------------------------------------------------- painting

void StageView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().color(QPalette::Window).darker(135));
    const QRectF fr = frameRect();
    paintFrameBackground(painter, fr);
    if (m_onionSkin)
        paintOnionSkin(painter);
    if (m_motionPaths)
        paintMotionPaths(painter);
    paintBoxes(painter);
    if (m_cameraArrow)
        paintCameraArrow(painter);
    paintOverlayText(painter, fr);
}

void StageView::paintFrameBackground(QPainter& painter, const QRectF& fr) {
    QImage img;
    if (m_animaticBackground && m_preview)
        img = m_preview->frame(m_document->currentFrame(), fr.size().toSize());
    if (!img.isNull()) {
        painter.drawImage(fr, img);
        // Dim the picture so boxes and paths stay readable on any background.
        painter.fillRect(fr, QColor(0, 0, 0, 70));
    } else {
        QLinearGradient g(fr.topLeft(), fr.bottomLeft());
        g.setColorAt(0, QColor(0x3a, 0x40, 0x4a));
        g.setColorAt(1, QColor(0x26, 0x2a, 0x31));
        painter.fillRect(fr, g);
    }
    // Rule-of-thirds guides.
    painter.setPen(QPen(QColor(255, 255, 255, 40), 1, Qt::DashLine));
    for (int i = 1; i < 3; ++i) {
        painter.drawLine(QPointF(fr.left() + fr.width() * i / 3, fr.top()),
                         QPointF(fr.left() + fr.width() * i / 3, fr.bottom()));
        painter.drawLine(QPointF(fr.left(), fr.top() + fr.height() * i / 3),
                         QPointF(fr.right(), fr.top() + fr.height() * i / 3));
    }
    painter.setPen(QPen(QColor(255, 255, 255, 150), 1.2));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(fr);
}

void StageView::paintOnionSkin(QPainter& painter) {
    const Project& p = m_document->project();
    const int cur = m_document->currentFrame(), L = p.shot.frames;
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    painter.setFont(f);
    for (int d = -kOnionFrames; d <= kOnionFrames; ++d) {
        const int frame = cur + d;
        if (d == 0 || frame < 0 || frame >= L)
            continue;
        // Past frames in warm red, future frames in green, fading with distance (the animators' convention).
        QColor c = d < 0 ? QColor(255, 90, 90) : QColor(90, 230, 130);
        c.setAlphaF(0.55 / std::abs(d));
        for (const auto& t : p.boxTracks) {
            if (t.keys.empty())
                continue;
            const NormBox b = screenBoxAtFrame(t, p.camera, frame, L);
            const QRectF r = rectOf(toWidget(b.x0, b.y0), toWidget(b.x1, b.y1));
            painter.setPen(QPen(c, 1.2, Qt::DashLine));
            QColor fill = c;
            fill.setAlphaF(c.alphaF() * 0.15);
            painter.setBrush(fill);
            painter.drawRect(r);
            painter.setPen(c);
            painter.drawText(r.topLeft() + QPointF(3, -3), QString::number(frame));
        }
    }
    painter.setFont(font());
}

void StageView::paintMotionPaths(QPainter& painter) {
    const Project& p = m_document->project();
    const int L = p.shot.frames;
    for (size_t ti = 0; ti < p.boxTracks.size(); ++ti) {
        const BoxTrack& t = p.boxTracks[ti];
        if (t.keys.empty())
            continue;
        const QColor c = subjectColor(p.subjectIndex(t.subjectId));
        QPainterPath path;
        QVector<QPointF> centres;
        for (int f = 0; f < L; ++f) {
            const NormBox b = screenBoxAtFrame(t, p.camera, f, L);
            centres << toWidget(b.centerX(), b.centerY());
        }
        if (centres.isEmpty())
            continue;
        path.moveTo(centres.front());
        for (int i = 1; i < centres.size(); ++i)
            path.lineTo(centres[i]);
        QColor lc = c;
        lc.setAlpha(200);
        painter.setPen(QPen(lc, 1.6));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        // One dot per frame: their spacing shows speed (After Effects' motion path).
        painter.setPen(Qt::NoPen);
        painter.setBrush(lc);
        for (const auto& pt : centres)
            painter.drawEllipse(pt, 2.0, 2.0);
        // Keyframes as diamonds.
        painter.setPen(QPen(Qt::black, 1));
        painter.setBrush(c.lighter(120));
        for (const auto& k : t.keys) {
            const int f = timeToFrame(k.time, L);
            if (f < 0 || f >= centres.size())
                continue;
            const QPointF q = centres[f];
            const QPointF diamond[4] = {q + QPointF(0, -5), q + QPointF(5, 0), q + QPointF(0, 5),
                                        q + QPointF(-5, 0)};
            painter.drawPolygon(diamond, 4);
        }
        // The current frame's position.
        const int cur = m_document->currentFrame();
        if (cur < centres.size()) {
            painter.setBrush(Qt::white);
            painter.drawEllipse(centres[cur], 3.0, 3.0);
        }
    }
}

void StageView::paintBoxes(QPainter& painter) {
    const Project& p = m_document->project();
    const QString sel = m_document->selectedSubject();
    const int cur = m_document->currentFrame();
    for (const auto& t : p.boxTracks) {
        if (t.keys.empty())
            continue;
        const QString id = QString::fromStdString(t.subjectId);
        const auto r = boxRect(id);
        if (!r)
            continue;
        const int idx = p.subjectIndex(t.subjectId);
        const QColor c = subjectColor(idx);
        const bool selected = id == sel;
        const bool onKey = t.keyIndexAtFrame(cur, p.shot.frames) >= 0;
        QColor fill = c;
        fill.setAlpha(selected ? 55 : 30);
        painter.setBrush(fill);
        // Solid outline on a keyframe, dashed between keys (an interpolated, not a keyed, box).
        painter.setPen(QPen(c, selected ? 2.2 : 1.6, onKey ? Qt::SolidLine : Qt::DashLine));
        painter.drawRect(*r);
        // Label tab: the subject's phrase.
        const Subject* s = p.findSubject(t.subjectId);
        QString label = s ? QString::fromStdString(s->className.empty() ? s->id : s->className) : id;
        if (t.pinnedToScene)
            label += QStringLiteral(" \u2693");
        const QFontMetricsF fm(font());
        const QRectF tab(r->left(), r->top() - fm.height() - 4, fm.horizontalAdvance(label) + 10,
                         fm.height() + 4);
        painter.setPen(Qt::NoPen);
        painter.setBrush(c);
        painter.drawRoundedRect(tab, 3, 3);
        painter.setPen(QColor(20, 20, 20));
        painter.drawText(tab, Qt::AlignCenter, label);
        if (selected && m_tool == Tool::Select) {
            painter.setPen(QPen(QColor(20, 20, 20), 1));
            painter.setBrush(Qt::white);
            for (const auto& h : handleRects(*r))
                painter.drawRect(h);
        }
    }
    if (m_drag == Drag::Draw) {
        painter.setPen(QPen(Qt::white, 1.5, Qt::DashLine));
        painter.setBrush(QColor(255, 255, 255, 30));
        painter.drawRect(rectOf(toWidget(m_drawBox.x0, m_drawBox.y0), toWidget(m_drawBox.x1, m_drawBox.y1)));
    }
    // Snap guides of the running drag.
    const QRectF fr = frameRect();
    painter.setPen(QPen(QColor(255, 230, 0, 200), 1));
    for (double gx : m_activeGuidesX)
        painter.drawLine(QPointF(fr.left() + gx * fr.width(), 0),
                         QPointF(fr.left() + gx * fr.width(), height()));
    for (double gy : m_activeGuidesY)
        painter.drawLine(QPointF(0, fr.top() + gy * fr.height()),
                         QPointF(width(), fr.top() + gy * fr.height()));
}

void StageView::paintCameraArrow(QPainter& painter) {
    const QPointF base = cameraArrowBase(), tip = cameraArrowTip();
    const QColor c = cameraColor();
    painter.setPen(QPen(c, 1.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawEllipse(base, 4, 4);
    const QLineF line(base, tip);
    if (line.length() > 1.0) {
        painter.setPen(QPen(c, 2.5, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(line);
        const double a = std::atan2(-line.dy(), line.dx());
        const double head = 12.0;
        const QPointF p1 = tip - QPointF(std::cos(a + M_PI / 7) * head, -std::sin(a + M_PI / 7) * head);
        const QPointF p2 = tip - QPointF(std::cos(a - M_PI / 7) * head, -std::sin(a - M_PI / 7) * head);
        painter.setBrush(c);
        const QPointF headPts[3] = {tip, p1, p2};
        painter.drawPolygon(headPts, 3);
    }
    // The grab handle at the tip.
    painter.setPen(QPen(Qt::white, 1.5));
    painter.setBrush(QColor(c.red(), c.green(), c.blue(), 140));
    painter.drawEllipse(tip, 6, 6);
    const CameraOffset pan = m_document->project().camera.totalPan();
    const QString text =
        tr("Camera pan %1%, %2%").arg(pan.x * 100.0, 0, 'f', 1).arg(pan.y * 100.0, 0, 'f', 1);
    painter.setPen(c.lighter(130));
    // Right of the tip, unless that runs past the widget's edge (long in German): then left of it.
    const double textWidth = painter.fontMetrics().horizontalAdvance(text);
    QPointF at = tip + QPointF(10, -8);
    if (at.x() + textWidth > width() - 4)
        at.setX(std::max(4.0, tip.x() - 10 - textWidth));
    painter.drawText(at, text);
}

void StageView::paintOverlayText(QPainter& painter, const QRectF& fr) {
    const Project& p = m_document->project();
    painter.setPen(QColor(220, 220, 220));
    const QString info = tr("Frame %1 / %2").arg(m_document->currentFrame()).arg(p.shot.frames - 1);
    painter.drawText(QRectF(fr.left(), fr.bottom() + 4, fr.width(), 20), Qt::AlignLeft | Qt::AlignTop, info);
    painter.drawText(QRectF(fr.left(), fr.bottom() + 4, fr.width(), 20), Qt::AlignRight | Qt::AlignTop,
                     QStringLiteral("%1 \u00d7 %2").arg(p.shot.width).arg(p.shot.height));
    if (m_preview && !m_preview->warnings().isEmpty()) {
        painter.setPen(QColor(255, 190, 80));
        painter.drawText(QRectF(fr.left(), fr.top() - 24, fr.width(), 20), Qt::AlignLeft | Qt::AlignBottom,
                         m_preview->warnings().front());
    }
}

} // namespace mb::ui
