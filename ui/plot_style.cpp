#include "ui/plot_style.h"

#include <qcustomplot.h>

namespace mb::ui {

void stylePlot(QCustomPlot* plot, const QPalette& palette, const QString& xLabel, const QString& yLabel) {
    const QColor bg = palette.color(QPalette::Base), fg = palette.color(QPalette::Text);
    plot->setBackground(bg);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->setBasePen(QPen(fg));
        axis->setTickPen(QPen(fg));
        axis->setSubTickPen(QPen(fg));
        axis->setTickLabelColor(fg);
        axis->setLabelColor(fg);
        axis->grid()->setPen(QPen(QColor(fg.red(), fg.green(), fg.blue(), 40), 1, Qt::DotLine));
    }
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->legend->setVisible(true);
    plot->legend->setBrush(QColor(bg.red(), bg.green(), bg.blue(), 200));
    plot->legend->setTextColor(fg);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
}

void placeLegendAbove(QCustomPlot* plot, int columns) {
    QCPLayoutInset* inset = plot->axisRect()->insetLayout();
    if (inset->take(plot->legend))
        inset->simplify();
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(0, 0.001); // as tall as its entries, the rest for the plot
    plot->plotLayout()->setRowSpacing(0);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(std::max(1, columns));
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setMargins(QMargins(6, 2, 6, 0));
    plot->legend->setRowSpacing(0);
}

} // namespace mb::ui
