#pragma once
/**
 * \file plot_style.h
 * \brief The look every QCustomPlot in the editor shares (curves, training losses): the widget palette's
 *        base and text colours, faint dotted grid, legend at the top right, wheel zoom and drag.
 */
#include <QPalette>

class QCustomPlot;

namespace mb::ui {

/** Styles `plot` from `palette` and labels its axes. */
void stylePlot(QCustomPlot* plot, const QPalette& palette, const QString& xLabel, const QString& yLabel);

/** Moves the legend out of the plotting area into a row above it, `columns` entries per line, so it never
 *  covers a line. */
void placeLegendAbove(QCustomPlot* plot, int columns);

} // namespace mb::ui
