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

} // namespace mb::ui
