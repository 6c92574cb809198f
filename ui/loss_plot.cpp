#include "ui/loss_plot.h"
#include "ui/plot_style.h"

#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace mb::ui {

namespace {
QColor colourFor(const QString& name, int index) {
    if (name == QLatin1String("L_sub"))
        return QColor(0xff, 0x9f, 0x1c);
    if (name == QLatin1String("L_vid"))
        return QColor(0x2e, 0xc4, 0xb6);
    if (name == QLatin1String("L_stca"))
        return QColor(0xe7, 0x1d, 0x73);
    static const QColor others[] = {QColor(0xb5, 0xe4, 0x8c), QColor(0xc7, 0x92, 0xea),
                                    QColor(0x5c, 0x9d, 0xff), QColor(0xff, 0xd1, 0x66)};
    return others[index % 4];
}
} // namespace

LossPlot::LossPlot(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    m_plot->setAccessibleName(tr("Training losses"));
    layout->addWidget(m_plot);
    stylePlot(m_plot, palette(), tr("Step"), tr("Loss"));
}

QCPGraph* LossPlot::graphFor(const QString& name) {
    auto it = m_graphs.find(name);
    if (it != m_graphs.end())
        return it.value();
    QCPGraph* g = m_plot->addGraph();
    g->setName(name);
    // The total is drawn in the text colour, so it stands out on light and dark themes alike.
    const bool total = name == QLatin1String("total");
    g->setPen(QPen(total ? palette().color(QPalette::Text) : colourFor(name, int(m_order.size())),
                   total ? 2.2 : 1.6));
    m_graphs.insert(name, g);
    m_order << name;
    return g;
}

void LossPlot::addValue(const QString& name, double value) {
    if (!std::isfinite(value))
        return;
    QCPGraph* g = graphFor(name);
    g->addData(g->dataCount(), value);
    m_plot->rescaleAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::clear() {
    m_plot->clearGraphs();
    m_graphs.clear();
    m_order.clear();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QStringList LossPlot::names() const {
    return m_order;
}

int LossPlot::pointCount(const QString& name) const {
    const QCPGraph* g = m_graphs.value(name);
    return g ? g->dataCount() : 0;
}

double LossPlot::lastValue(const QString& name) const {
    const QCPGraph* g = m_graphs.value(name);
    if (!g || g->dataCount() == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return (g->data()->constEnd() - 1)->value;
}

} // namespace mb::ui
