#include "ui/curves_panel.h"
#include "ui/plot_style.h"

#include "doc/edit_commands.h"
#include "doc/shot_layout.h"
#include "doc/timeline.h"
#include "ui/project_document.h"
#include "ui/subject_colors.h"

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace mb::ui {

namespace {
constexpr double kGrabPixels = 9.0;

double boxChannel(const NormBox& b, int channel) {
    switch (channel) {
    case CurvesPanel::BoxCenterX:
        return b.centerX();
    case CurvesPanel::BoxCenterY:
        return b.centerY();
    case CurvesPanel::BoxWidth:
        return b.width();
    default:
        return b.height();
    }
}

/** The box with one channel set, the others kept (size changes keep the centre). */
NormBox withBoxChannel(NormBox b, int channel, double v) {
    switch (channel) {
    case CurvesPanel::BoxCenterX:
        return b.translated(v - b.centerX(), 0);
    case CurvesPanel::BoxCenterY:
        return b.translated(0, v - b.centerY());
    case CurvesPanel::BoxWidth: {
        const double c = b.centerX(), w = std::max(0.01, v);
        return {c - w / 2, b.y0, c + w / 2, b.y1};
    }
    default: {
        const double c = b.centerY(), h = std::max(0.01, v);
        return {b.x0, c - h / 2, b.x1, c + h / 2};
    }
    }
}
} // namespace

CurvesPanel::CurvesPanel(ProjectDocument* document, QWidget* parent) : QWidget(parent), m_document(document) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setAccessibleName(tr("Curves"));
    layout->addWidget(m_plot);

    stylePlot(m_plot, palette(), tr("Frame"), tr("% of frame"));
    m_plot->axisRect()->setRangeZoom(Qt::Vertical);
    m_plot->axisRect()->setRangeDrag(Qt::Vertical);

    const QString names[ChannelCount] = {tr("Box centre x"), tr("Box centre y"), tr("Box width"),
                                         tr("Box height"),   tr("Camera x"),     tr("Camera y")};
    const QColor colors[ChannelCount] = {QColor(0xff, 0x9f, 0x1c),
                                         QColor(0xe7, 0x1d, 0x73),
                                         QColor(0xb5, 0xe4, 0x8c),
                                         QColor(0x2e, 0xc4, 0xb6),
                                         cameraColor(),
                                         QColor(0xc7, 0x92, 0xea)};
    for (int c = 0; c < ChannelCount; ++c) {
        m_lines[c] = m_plot->addGraph();
        m_lines[c]->setName(names[c]);
        m_lines[c]->setPen(
            QPen(colors[c], c >= CameraX ? 1.6 : 2.0, c >= CameraX ? Qt::DashLine : Qt::SolidLine));
        m_keys[c] = m_plot->addGraph();
        m_keys[c]->setLineStyle(QCPGraph::lsNone);
        m_keys[c]->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black), colors[c], 10));
        m_keys[c]->removeFromLegend();
    }
    // Above the plot, not over it: inside, it hid the lines it names. Its entries per line follow the width
    // (fitLegend); a fixed minimum keeps a wide legend from making the dock (and the window) wider.
    placeLegendAbove(m_plot, 3);
    m_plot->setMinimumSize(160, 120);
    m_playhead = new QCPItemStraightLine(m_plot);
    m_playhead->setPen(QPen(QColor(0xff, 0x4d, 0x4d), 1.5));

    connect(m_plot, &QCustomPlot::mousePress, this, &CurvesPanel::onMousePress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &CurvesPanel::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &CurvesPanel::onMouseRelease);
    connect(document, &ProjectDocument::changed, this, &CurvesPanel::rebuild);
    connect(document, &ProjectDocument::selectedSubjectChanged, this, [this] {
        m_autoRange = true;
        rebuild();
    });
    connect(document, &ProjectDocument::currentFrameChanged, this, [this](int f) {
        m_playhead->point1->setCoords(f, 0);
        m_playhead->point2->setCoords(f, 1);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
    rebuild();
}

void CurvesPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitLegend();
}

void CurvesPanel::fitLegend() {
    int widest = 1;
    for (int i = 0; i < m_plot->legend->itemCount(); ++i)
        if (QCPLayoutElement* entry = m_plot->legend->elementAt(i)) // (a wrapped grid has empty cells)
            widest = std::max(widest, entry->minimumOuterSizeHint().width());
    const int columns = std::clamp(m_plot->width() / (widest + 8), 1, int(ChannelCount));
    if (columns == m_plot->legend->wrap())
        return;
    m_plot->legend->setWrap(columns);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

double CurvesPanel::valueAt(Channel channel, int frame) const {
    return valueAtTime(channel, frameToTime(frame, m_document->project().shot.frames));
}

double CurvesPanel::valueAtTime(Channel channel, double time) const {
    const Project& p = m_document->project();
    if (channel >= CameraX) {
        const CameraOffset a = p.camera.offsetAt(0.0), b = p.camera.offsetAt(time);
        return 100.0 * (channel == CameraX ? b.x - a.x : b.y - a.y);
    }
    const BoxTrack* t = p.findTrack(m_document->selectedSubject().toStdString());
    if (!t || t->keys.empty())
        return 0;
    return 100.0 * boxChannel(t->boxAt(time), channel);
}

void CurvesPanel::rebuild() {
    const Project& p = m_document->project();
    const int L = std::max(1, p.shot.frames);
    const BoxTrack* t = p.findTrack(m_document->selectedSubject().toStdString());
    const CameraOffset start = p.camera.offsetAt(0.0);
    const double lastFrame = double(std::max(1, L - 1));
    for (int c = 0; c < ChannelCount; ++c) {
        QVector<double> kx, ky;
        const bool camera = c >= CameraX;
        const bool visible = camera || (t && !t->keys.empty());
        m_lines[c]->setVisible(visible);
        m_keys[c]->setVisible(visible);
        if (visible && !camera)
            m_lines[c]->addToLegend();
        else if (!camera)
            m_lines[c]->removeFromLegend(); // no box track: its curves are not drawn, nor named
        // Keys sit at their own clip time, which after a change of length is often between two frames: the
        // marker goes there, and the line passes through it (sampled at every frame and at every key).
        std::vector<double> times;
        if (visible) {
            if (camera) {
                for (const auto& k : p.camera.keys) {
                    kx << k.time * lastFrame;
                    ky << 100.0 * (c == CameraX ? k.value.x - start.x : k.value.y - start.y);
                    times.push_back(k.time);
                }
            } else {
                for (const auto& k : t->keys) {
                    kx << k.time * lastFrame;
                    ky << 100.0 * boxChannel(k.value, c);
                    times.push_back(k.time);
                }
            }
            for (int f = 0; f < L; ++f)
                times.push_back(frameToTime(f, L));
            std::sort(times.begin(), times.end());
        }
        QVector<double> xs, ys;
        for (const double time : times) {
            xs << time * lastFrame;
            ys << valueAtTime(Channel(c), time);
        }
        m_lines[c]->setData(xs, ys, true);
        m_keys[c]->setData(kx, ky);
    }
    m_plot->xAxis->setRange(-0.5, std::max(1, L - 1) + 0.5);
    if (m_autoRange) {
        m_plot->yAxis->setRange(-20, 110);
        m_autoRange = false;
    }
    m_playhead->point1->setCoords(m_document->currentFrame(), 0);
    m_playhead->point2->setCoords(m_document->currentFrame(), 1);
    fitLegend(); // entries came or went
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QPointF CurvesPanel::keyPosition(Channel channel, int index) const {
    const auto data = m_keys[channel]->data();
    if (index < 0 || index >= data->size())
        return {};
    const auto it = data->at(index);
    return {m_plot->xAxis->coordToPixel(it->key), m_plot->yAxis->coordToPixel(it->value)};
}

void CurvesPanel::onMousePress(QMouseEvent* event) {
    m_dragChannel = -1;
    double best = kGrabPixels;
    for (int c = 0; c < ChannelCount; ++c) {
        if (!m_keys[c]->visible())
            continue;
        for (int i = 0; i < m_keys[c]->data()->size(); ++i) {
            const double d = QLineF(keyPosition(Channel(c), i), event->position()).length();
            if (d < best) {
                best = d;
                m_dragChannel = c;
                m_dragKey = i;
            }
        }
    }
    if (m_dragChannel >= 0) {
        m_dragId = m_document->newDragId();
        m_plot->setInteraction(QCP::iRangeDrag, false);
        m_document->setCurrentFrame(int(std::lround(m_keys[m_dragChannel]->data()->at(m_dragKey)->key)));
    }
}

void CurvesPanel::onMouseMove(QMouseEvent* event) {
    if (m_dragChannel < 0 || !(event->buttons() & Qt::LeftButton))
        return;
    setKeyValue(Channel(m_dragChannel), m_dragKey, m_plot->yAxis->pixelToCoord(event->position().y()),
                m_dragId);
}

void CurvesPanel::onMouseRelease(QMouseEvent*) {
    m_dragChannel = -1;
    m_dragId = 0;
    m_plot->setInteraction(QCP::iRangeDrag, true);
}

void CurvesPanel::setKeyValue(Channel channel, int index, double percent, unsigned dragId) {
    const Project& p = m_document->project();
    const double v = std::round(percent * 10.0) / 1000.0; // 0.1 % steps
    if (channel >= CameraX) {
        if (index < 0 || index >= int(p.camera.keys.size()))
            return;
        CameraPath cam = p.camera;
        const CameraOffset start = p.camera.offsetAtFrame(0, p.shot.frames);
        auto& o = cam.keys[size_t(index)].value;
        (channel == CameraX ? o.x : o.y) =
            start.x * (channel == CameraX) + start.y * (channel == CameraY) + v;
        m_document->push(setCamera(p, cam, tr("Edit camera curve").toStdString(), dragId));
        return;
    }
    const std::string id = m_document->selectedSubject().toStdString();
    const BoxTrack* t = p.findTrack(id);
    if (!t || index < 0 || index >= int(t->keys.size()))
        return;
    BoxTrack edited = *t;
    edited.keys[size_t(index)].value = withBoxChannel(edited.keys[size_t(index)].value, channel, v);
    m_document->push(setTrack(p, id, edited, tr("Edit box curve").toStdString(), dragId));
}

} // namespace mb::ui
