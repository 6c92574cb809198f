#include "ui/timeline_widget.h"

#include "doc/timeline.h"
#include "ui/keyframe_edits.h"
#include "ui/subject_colors.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <type_traits>

namespace mb::ui {

namespace {
constexpr int kHeaderWidth = 150; // px, row names
constexpr int kRulerHeight = 24;  // px, frame numbers
constexpr int kRowHeight = 28;
constexpr int kSideMargin = 14; // px, so the first and last diamonds are whole
constexpr int kKeyRadius = 6;

QString easingLabel(const Easing& e) {
    switch (e.kind) {
    case Easing::Kind::Hold:
        return TimelineWidget::tr("hold");
    case Easing::Kind::Linear:
        return TimelineWidget::tr("linear");
    case Easing::Kind::Bezier:
        break;
    }
    if (e == Easing::easeIn())
        return TimelineWidget::tr("ease in");
    if (e == Easing::easeOut())
        return TimelineWidget::tr("ease out");
    if (e == Easing::easeInOut())
        return TimelineWidget::tr("ease in-out");
    return TimelineWidget::tr("curve");
}
} // namespace

TimelineWidget::TimelineWidget(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document) {
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setAccessibleName(tr("Timeline"));
    connect(document, &ProjectDocument::changed, this, [this] {
        // The selected key may have moved away or been deleted by undo.
        if (!m_selectedRow.isEmpty() && !keyFrames(m_selectedRow).contains(m_selectedFrame))
            selectKey(QString(), -1);
        updateGeometry();
        update();
    });
    connect(document, &ProjectDocument::projectReplaced, this, [this] { selectKey(QString(), -1); });
    connect(document, &ProjectDocument::currentFrameChanged, this, [this] { update(); });
    connect(document, &ProjectDocument::selectedSubjectChanged, this, [this] { update(); });
}

QSize TimelineWidget::sizeHint() const {
    return {800, kRulerHeight + kRowHeight * int(rows().size()) + 8};
}

QStringList TimelineWidget::rows() const {
    QStringList out;
    for (const auto& t : m_document->project().boxTracks)
        out << QString::fromStdString(t.subjectId);
    out << QLatin1String(ProjectDocument::kCameraRow);
    return out;
}

QRect TimelineWidget::rowRect(int row) const {
    return QRect(0, kRulerHeight + row * kRowHeight, width(), kRowHeight);
}

double TimelineWidget::frameX(int frame) const {
    const int L = std::max(1, m_document->frameCount());
    const double x0 = kHeaderWidth + kSideMargin, x1 = width() - kSideMargin;
    if (L <= 1)
        return x0;
    return x0 + (x1 - x0) * double(frame) / double(L - 1);
}

int TimelineWidget::frameAt(double x) const {
    const int L = std::max(1, m_document->frameCount());
    const double x0 = kHeaderWidth + kSideMargin, x1 = width() - kSideMargin;
    if (L <= 1 || x1 <= x0)
        return 0;
    return std::clamp(int(std::lround((x - x0) / (x1 - x0) * double(L - 1))), 0, L - 1);
}

QPoint TimelineWidget::keyPoint(const QString& row, int frame) const {
    const int r = int(rows().indexOf(row));
    return QPoint(int(std::lround(frameX(frame))), rowRect(std::max(r, 0)).center().y());
}

QVector<int> TimelineWidget::keyFrames(const QString& row) const {
    const Project& p = m_document->project();
    const int L = p.shot.frames;
    QVector<int> out;
    if (row == QLatin1String(ProjectDocument::kCameraRow)) {
        for (const auto& k : p.camera.keys)
            out << timeToFrame(k.time, L);
    } else if (const BoxTrack* t = p.findTrack(row.toStdString())) {
        for (const auto& k : t->keys)
            out << timeToFrame(k.time, L);
    }
    return out;
}

int TimelineWidget::rowAt(double y) const {
    if (y < kRulerHeight)
        return -1;
    const int r = int((y - kRulerHeight) / kRowHeight);
    return r < rows().size() ? r : -1;
}

bool TimelineWidget::hitKey(const QPoint& pos, QString* row, int* frame) const {
    const int r = rowAt(pos.y());
    if (r < 0 || pos.x() < kHeaderWidth)
        return false;
    const QString id = rows().at(r);
    int best = -1;
    double bestDist = kKeyRadius + 3;
    for (int f : keyFrames(id)) {
        const double d = std::abs(frameX(f) - pos.x());
        if (d <= bestDist) {
            bestDist = d;
            best = f;
        }
    }
    if (best < 0)
        return false;
    *row = id;
    *frame = best;
    return true;
}

void TimelineWidget::selectKey(const QString& row, int frame) {
    if (row == m_selectedRow && frame == m_selectedFrame)
        return;
    m_selectedRow = row;
    m_selectedFrame = frame;
    update();
    Q_EMIT keySelectionChanged(row, frame);
}

QString TimelineWidget::rowLabel(const QString& row) const {
    if (row == QLatin1String(ProjectDocument::kCameraRow))
        return tr("Camera");
    const Subject* s = m_document->project().findSubject(row.toStdString());
    if (!s)
        return row;
    return s->className.empty() ? row : QString::fromStdString(s->className);
}

QColor TimelineWidget::rowColor(const QString& row) const {
    if (row == QLatin1String(ProjectDocument::kCameraRow))
        return cameraColor();
    return subjectColor(m_document->project().subjectIndex(row.toStdString()));
}

QString TimelineWidget::easingNameAt(const QString& row, int frame) const {
    const Project& p = m_document->project();
    const int L = p.shot.frames;
    if (row == QLatin1String(ProjectDocument::kCameraRow)) {
        const int i = keyAtFrame(p.camera.keys, frame, L);
        return i >= 0 ? easingLabel(p.camera.keys[size_t(i)].easing) : QString();
    }
    const BoxTrack* t = p.findTrack(row.toStdString());
    if (!t)
        return {};
    const int i = keyAtFrame(t->keys, frame, L);
    return i >= 0 ? easingLabel(t->keys[size_t(i)].easing) : QString();
}

// ------------------------------------------------------------------------------------------------ edits

bool TimelineWidget::addKeyAtPlayhead(const QString& row) {
    const int f = m_document->currentFrame(), L = m_document->frameCount();
    const bool camera = row == QLatin1String(ProjectDocument::kCameraRow);
    const bool added =
        editRowKeys(row, camera ? tr("Add camera key") : tr("Add box key"), 0, [&](auto& keys) {
            using Key = typename std::decay_t<decltype(keys)>::value_type;
            if (keyAtFrame(keys, f, L) >= 0)
                return false;
            // The new key holds the value the row has there now, so adding it changes no motion.
            if constexpr (std::is_same_v<Key, CameraKeyframe>) {
                CameraPath c;
                c.keys = keys;
                c.setKeyAtFrame(f, L, c.offsetAtFrame(f, L));
                keys = c.keys;
            } else {
                BoxTrack t;
                t.keys = keys;
                t.setKeyAtFrame(f, L, t.boxAtFrame(f, L));
                keys = t.keys;
            }
            return true;
        });
    if (added)
        selectKey(row, f);
    return added;
}

bool TimelineWidget::deleteSelectedKey() {
    if (m_selectedRow.isEmpty())
        return false;
    const int L = m_document->frameCount(), f = m_selectedFrame;
    auto erase = [&](auto& keys) { return deleteKey(keys, keyAtFrame(keys, f, L)); };
    const QString row = m_selectedRow;
    if (!editRowKeys(row, tr("Delete key"), 0, erase))
        return false;
    selectKey(QString(), -1);
    return true;
}

void TimelineWidget::copySelectedKey() {
    if (m_selectedRow.isEmpty())
        return;
    const Project& p = m_document->project();
    const int L = p.shot.frames;
    if (m_selectedRow == QLatin1String(ProjectDocument::kCameraRow)) {
        const int i = keyAtFrame(p.camera.keys, m_selectedFrame, L);
        if (i >= 0)
            m_cameraClipboard = p.camera.keys[size_t(i)];
    } else if (const BoxTrack* t = p.findTrack(m_selectedRow.toStdString())) {
        const int i = keyAtFrame(t->keys, m_selectedFrame, L);
        if (i >= 0)
            m_boxClipboard = t->keys[size_t(i)];
    }
}

bool TimelineWidget::pasteKeyAtPlayhead() {
    const int f = m_document->currentFrame(), L = m_document->frameCount();
    QString row = m_selectedRow;
    if (row.isEmpty())
        row = m_document->selectedSubject();
    if (row.isEmpty())
        return false;
    const bool done = editRowKeys(row, tr("Paste key"), 0, [&](auto& keys) {
        using Key = typename std::decay_t<decltype(keys)>::value_type;
        if constexpr (std::is_same_v<Key, CameraKeyframe>) {
            if (!m_cameraClipboard)
                return false;
            pasteKeyAtFrame(keys, *m_cameraClipboard, f, L);
        } else {
            if (!m_boxClipboard)
                return false;
            pasteKeyAtFrame(keys, *m_boxClipboard, f, L);
        }
        return true;
    });
    if (done)
        selectKey(row, f);
    return done;
}

bool TimelineWidget::setSelectedEasing(const Easing& easing) {
    if (m_selectedRow.isEmpty())
        return false;
    const int L = m_document->frameCount(), f = m_selectedFrame;
    return editRowKeys(m_selectedRow, tr("Set easing"), 0, [&](auto& keys) {
        const int i = keyAtFrame(keys, f, L);
        if (i < 0 || keys[size_t(i)].easing == easing)
            return false;
        keys[size_t(i)].easing = easing;
        return true;
    });
}

// ------------------------------------------------------------------------------------------------ mouse

void TimelineWidget::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton)
        return;
    const QPoint pos = event->position().toPoint();
    QString row;
    int frame = -1;
    if (hitKey(pos, &row, &frame)) {
        selectKey(row, frame);
        if (row != QLatin1String(ProjectDocument::kCameraRow))
            m_document->setSelectedSubject(row);
        m_drag = Drag::Key;
        m_dragId = m_document->newDragId();
        return;
    }
    if (pos.x() < kHeaderWidth) {
        const int r = rowAt(pos.y());
        if (r >= 0 && rows().at(r) != QLatin1String(ProjectDocument::kCameraRow))
            m_document->setSelectedSubject(rows().at(r));
        return;
    }
    selectKey(QString(), -1);
    const int r = rowAt(pos.y());
    if (r >= 0 && rows().at(r) != QLatin1String(ProjectDocument::kCameraRow))
        m_document->setSelectedSubject(rows().at(r));
    m_drag = Drag::Scrub;
    m_document->setCurrentFrame(frameAt(pos.x()));
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (!(event->buttons() & Qt::LeftButton) || m_drag == Drag::None) {
        QString row;
        int frame;
        setCursor(hitKey(pos, &row, &frame) ? Qt::SizeHorCursor : Qt::ArrowCursor);
        return;
    }
    const int target = frameAt(pos.x());
    if (m_drag == Drag::Scrub) {
        m_document->setCurrentFrame(target);
        return;
    }
    if (target == m_selectedFrame)
        return;
    const int L = m_document->frameCount(), from = m_selectedFrame;
    // Select the destination first, so the change notification finds the key where it now is.
    m_selectedFrame = target;
    const bool moved = editRowKeys(m_selectedRow, tr("Move key"), m_dragId, [&](auto& keys) {
        return moveKeyToFrame(keys, keyAtFrame(keys, from, L), target, L);
    });
    if (!moved) {
        m_selectedFrame = from;
        return;
    }
    Q_EMIT keySelectionChanged(m_selectedRow, target);
    update();
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent*) {
    m_drag = Drag::None;
    m_dragId = 0;
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const int r = rowAt(pos.y());
    if (r < 0 || pos.x() < kHeaderWidth)
        return;
    m_document->setCurrentFrame(frameAt(pos.x()));
    addKeyAtPlayhead(rows().at(r));
}

void TimelineWidget::contextMenuEvent(QContextMenuEvent* event) {
    QString row;
    int frame = -1;
    QMenu menu(this);
    if (hitKey(event->pos(), &row, &frame)) {
        selectKey(row, frame);
        QMenu* easing = menu.addMenu(tr("Easing to next key"));
        const std::pair<QString, Easing> presets[] = {{tr("Hold"), Easing::hold()},
                                                      {tr("Linear"), Easing::linear()},
                                                      {tr("Ease in"), Easing::easeIn()},
                                                      {tr("Ease out"), Easing::easeOut()},
                                                      {tr("Ease in-out"), Easing::easeInOut()}};
        const QString current = easingNameAt(row, frame);
        for (const auto& [name, e] : presets) {
            QAction* a = easing->addAction(name);
            a->setCheckable(true);
            a->setChecked(easingLabel(e) == current);
            const Easing copy = e;
            connect(a, &QAction::triggered, this, [this, copy] { setSelectedEasing(copy); });
        }
        menu.addAction(tr("Copy key"), this, &TimelineWidget::copySelectedKey);
        QAction* del = menu.addAction(tr("Delete key"), this, &TimelineWidget::deleteSelectedKey);
        del->setEnabled(keyFrames(row).size() > 1);
    } else {
        const int r = rowAt(event->pos().y());
        if (r < 0)
            return;
        row = rows().at(r);
        const int f = frameAt(event->pos().x());
        menu.addAction(tr("Add key at frame %1").arg(f), this, [this, row, f] {
            m_document->setCurrentFrame(f);
            addKeyAtPlayhead(row);
        });
        QAction* paste = menu.addAction(tr("Paste key at frame %1").arg(f), this, [this, row, f] {
            m_document->setCurrentFrame(f);
            m_selectedRow = row;
            pasteKeyAtPlayhead();
        });
        paste->setEnabled(row == QLatin1String(ProjectDocument::kCameraRow) ? bool(m_cameraClipboard)
                                                                            : bool(m_boxClipboard));
    }
    menu.exec(event->globalPos());
}

// --------------------------------------------------------------------------------------------- painting

void TimelineWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    const int L = std::max(1, m_document->frameCount());
    const QStringList rowIds = rows();

    // Ruler: a tick per frame when there is room, labels every few frames.
    painter.fillRect(QRect(0, 0, width(), kRulerHeight), pal.color(QPalette::Window).darker(110));
    const double ppf = L > 1 ? (frameX(L - 1) - frameX(0)) / double(L - 1) : 1e9;
    int labelStep = 1;
    for (int step : {1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 500})
        if (ppf * step >= 34) {
            labelStep = step;
            break;
        }
    const QColor tickColor = pal.color(QPalette::WindowText);
    for (int f = 0; f < L; ++f) {
        const double x = frameX(f);
        const bool labelled = f % labelStep == 0 || f == L - 1;
        if (!labelled && ppf < 4)
            continue;
        painter.setPen(QColor(tickColor.red(), tickColor.green(), tickColor.blue(), labelled ? 170 : 70));
        painter.drawLine(QPointF(x, kRulerHeight - (labelled ? 8 : 4)), QPointF(x, kRulerHeight));
        if (labelled && (f % labelStep == 0 || ppf * (L - 1 - (L - 1) / labelStep * labelStep) > 24))
            painter.drawText(QRectF(x - 20, 2, 40, kRulerHeight - 10), Qt::AlignCenter, QString::number(f));
    }

    // Rows.
    const QString selSubject = m_document->selectedSubject();
    for (int r = 0; r < rowIds.size(); ++r) {
        const QString& id = rowIds[r];
        const QRect rr = rowRect(r);
        QColor bg = r % 2 ? pal.color(QPalette::AlternateBase) : pal.color(QPalette::Base);
        if (id == selSubject)
            bg = bg.lighter(125);
        painter.fillRect(rr, bg);
        // Header: colour chip and name.
        const QColor c = rowColor(id);
        painter.fillRect(QRect(0, rr.top(), kHeaderWidth, rr.height()), pal.color(QPalette::Window));
        painter.fillRect(QRect(6, rr.top() + 7, 10, rr.height() - 14), c);
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(QRect(24, rr.top(), kHeaderWidth - 28, rr.height()),
                         Qt::AlignVCenter | Qt::AlignLeft,
                         painter.fontMetrics().elidedText(rowLabel(id), Qt::ElideRight, kHeaderWidth - 28));
        // Segments between keys, labelled with their easing where they are wide enough.
        const QVector<int> frames = keyFrames(id);
        QColor segColor = c;
        segColor.setAlpha(110);
        for (int i = 0; i + 1 < frames.size(); ++i) {
            const double xa = frameX(frames[i]), xb = frameX(frames[i + 1]);
            painter.setPen(QPen(segColor, 3, Qt::SolidLine, Qt::FlatCap));
            painter.drawLine(QPointF(xa, rr.center().y()), QPointF(xb, rr.center().y()));
            const QString e = easingNameAt(id, frames[i]);
            if (xb - xa > painter.fontMetrics().horizontalAdvance(e) + 24) {
                painter.setPen(pal.color(QPalette::PlaceholderText));
                painter.drawText(QRectF(xa, rr.top(), xb - xa, rr.height() / 2.0 + 1), Qt::AlignCenter, e);
            }
        }
        // Diamonds.
        for (int f : frames) {
            const QPointF q(frameX(f), rr.center().y());
            const bool sel = id == m_selectedRow && f == m_selectedFrame;
            const double k = sel ? kKeyRadius + 1.5 : kKeyRadius;
            const QPointF d[4] = {q + QPointF(0, -k), q + QPointF(k, 0), q + QPointF(0, k),
                                  q + QPointF(-k, 0)};
            painter.setPen(QPen(sel ? Qt::white : QColor(20, 20, 20), sel ? 2 : 1));
            painter.setBrush(sel ? c.lighter(140) : c);
            painter.drawPolygon(d, 4);
        }
    }
    painter.setPen(pal.color(QPalette::Mid));
    painter.drawLine(kHeaderWidth, 0, kHeaderWidth, height());

    // Playhead.
    const double px = frameX(m_document->currentFrame());
    const QColor head(0xff, 0x4d, 0x4d);
    painter.setPen(QPen(head, 1.5));
    painter.drawLine(QPointF(px, 0), QPointF(px, height()));
    painter.setBrush(head);
    painter.setPen(Qt::NoPen);
    const QPointF tri[3] = {QPointF(px - 6, 0), QPointF(px + 6, 0), QPointF(px, 8)};
    painter.drawPolygon(tri, 3);
    painter.setPen(Qt::white);
    painter.drawText(QRectF(4, 0, kHeaderWidth - 8, kRulerHeight), Qt::AlignVCenter | Qt::AlignLeft,
                     tr("Frame %1").arg(m_document->currentFrame()));
}

} // namespace mb::ui
