#pragma once
/**
 * \file loss_plot.h
 * \brief A live plot of named training values (losses), one line per name, drawn with QCustomPlot.
 *
 * Feed it from a ProcessJob's valueReported(name, value) (the `value: NAME NUMBER` lines of
 * `motionbooth-cli train --progress`). Each name gets its own line; the x axis counts that name's reports
 * (the training step when the trainer reports once per step). The known MotionBooth losses get fixed colours:
 * total, L_sub (subject), L_vid (video preservation), L_stca (subject-token cross-attention).
 */
#include <QHash>
#include <QWidget>

class QCustomPlot;
class QCPGraph;

namespace mb::ui {

class LossPlot : public QWidget {
    Q_OBJECT
public:
    explicit LossPlot(QWidget* parent = nullptr);

    /** Appends `value` to the line of `name` (created on first use). Replots at most once per event loop. */
    void addValue(const QString& name, double value);
    /** Removes every line. */
    void clear();

    QStringList names() const;
    int pointCount(const QString& name) const;
    /** The last value of `name`; NaN when it has none. */
    double lastValue(const QString& name) const;
    QCustomPlot* plot() const { return m_plot; }

    QSize sizeHint() const override { return {320, 180}; }

private:
    QCPGraph* graphFor(const QString& name);

    QCustomPlot* m_plot;
    QHash<QString, QCPGraph*> m_graphs;
    QStringList m_order;
};

} // namespace mb::ui
